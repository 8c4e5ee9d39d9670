#include "sharing/sharing.h"

#include <algorithm>
#include <fstream>
#include <set>

#include "base/civil_date.h"
#include "base/crypto.h"
#include "base/ids.h"
#include "base/log.h"
#include "datastore/datastore.h"
#include "datastore/query.h"
#include "sharing/request_flow.h"
#include "text/input.h"
#include "text/utf8.h"

namespace odp::sharing {
namespace {

constexpr int kSampleRows = 3;
const std::set<std::string> kMasks = {"drop", "partial", "year", "hash"};

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

using text::FreeText;
using text::PlainText;
using text::ValidEmail;
using text::ValidPhone;

Status NotFoundService(const std::string& id) {
  return Status(StatusCode::kNotFound, "shared service not found: " + id.substr(0, 100),
                "Không tìm thấy dịch vụ chia sẻ dữ liệu");
}

Status NotFoundRequest(const std::string& id) {
  return Status(StatusCode::kNotFound, "sharing request not found: " + id.substr(0, 100),
                "Không tìm thấy yêu cầu chia sẻ dữ liệu");
}

json ParseDoc(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  return j.is_object() ? j : json::object();
}

std::vector<std::string> OfferedColumns(const json& doc) {
  std::vector<std::string> out;
  if (doc.contains("fields") && doc["fields"].is_array()) {
    for (const json& f : doc["fields"]) out.push_back(f.value("id", ""));
  }
  return out;
}

bool Contains(const std::vector<std::string>& list, const std::string& x) {
  return std::find(list.begin(), list.end(), x) != list.end();
}

bool ValidDay(const std::string& s) { return ParseCivilDate(s).has_value(); }

// The request's own contact address ("" when none).
std::string ContactEmail(const json& doc) {
  auto it = doc.find("contact");
  if (it == doc.end() || !it->is_object()) return "";
  return it->value("email", "");
}

std::string DayText(Micros t) { return FormatCivilDate(VietnamDateOf(t)); }

}  // namespace

SharingService::SharingService(store::Store& store, store::BlobStore& blobs,
                               datastore::Datastore* datastore, Notifications& notifications,
                               access::GrantService& grants, SharingOptions options)
    : store_(store),
      blobs_(blobs),
      datastore_(datastore),
      notifications_(notifications),
      grants_(grants),
      calendar_(store),
      options_(std::move(options)) {}

void SharingService::SetAuditSink(store::AuditSink* sink) {
  audit_ = sink;
  calendar_.SetAuditSink(sink);
}

void SharingService::Audit(const std::string& kind, const std::string& actor,
                           const std::string& organization, const std::string& subject,
                           const json& details) {
  if (audit_ == nullptr) return;
  store::AuditEntry e =
      store::AuditEvent(kind, actor, organization, subject,
                        details.dump(-1, ' ', false, json::error_handler_t::replace));
  e.at = options_.now();
  audit_->Record(std::move(e));
}

std::string SharingService::MaskValue(const std::string& value, const std::string& mask,
                                      std::string_view key) {
  const std::optional<access::MaskKind> kind = access::ParseMaskKind(mask);
  if (!kind) return value;
  if (*kind == access::MaskKind::kDrop) return "•••";
  return access::MaskText(access::DefaultMask(*kind), value, key).value_or("");
}

Status SharingService::ValidateRowFilter(const std::string& filter,
                                         const std::vector<std::string>& columns) {
  Status bad = Status::InvalidArgument("invalid row filter", "Bộ lọc dòng không hợp lệ");
  if (filter.size() > 2000 || !text::IsValidUtf8(filter) || text::HasControlCharacters(filter)) {
    return bad.WithField("row_filter", "Bộ lọc dòng tối đa 2000 ký tự, không có ký tự điều khiển");
  }
  size_t start = 0;
  while (start <= filter.size()) {
    size_t amp = filter.find('&', start);
    std::string pair = filter.substr(start, amp == std::string::npos ? amp : amp - start);
    start = amp == std::string::npos ? filter.size() + 1 : amp + 1;
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    std::string key = pair.substr(0, eq);
    std::string field = key;
    if (auto open = key.find('['); open != std::string::npos) {
      if (key.back() != ']') {
        return bad.WithField("row_filter", "Điều kiện có dạng cot=giá_trị hoặc cot[phép]=giá_trị");
      }
      field = key.substr(0, open);
      if (!datastore::ParseOp(key.substr(open + 1, key.size() - open - 2))) {
        return bad.WithField("row_filter",
                             "Phép so sánh không hỗ trợ (eq, ne, lt, lte, gt, gte, in, contains, "
                             "startswith, null, notnull): " +
                                 key);
      }
    }
    if (eq == std::string::npos) {
      return bad.WithField("row_filter", "Điều kiện có dạng cot=giá_trị hoặc cot[phép]=giá_trị");
    }
    if (!Contains(columns, field)) {
      return bad.WithField("row_filter", "Không có cột “" + field + "” trong dịch vụ");
    }
  }
  return Status::Ok();
}

// Catalogue -------------------------------------------------------------------------------------

Result<SharedService> SharingService::BuildOffer(const access::Principal& who,
                                                 const ServiceOffer& in, SharedServiceRecord base) {
  auto resource = store_.GetResource(in.resource_id.substr(0, 100));
  Result<Dataset> dataset =
      resource.ok() ? store_.GetDataset(resource->dataset_id) : Result<Dataset>(resource.status());
  if (!dataset.ok() || dataset->state == DatasetState::kDeleted ||
      !access::CanRead(who, *dataset)) {
    return Status::InvalidArgument("unknown table", "Không có bảng dữ liệu này")
        .WithField("resource_id", "Chọn một bảng dữ liệu của cơ quan");
  }
  if (!access::Allowed(who, access::Action::kOfferSharing, {dataset->organization_id})) {
    return Status::PermissionDenied(
        "only the organization's admins may offer its data for sharing",
        "Chỉ quản trị viên của cơ quan mới được đăng ký dịch vụ chia sẻ dữ liệu của cơ quan");
  }
  if (datastore_ == nullptr) {
    return Status::InvalidArgument("no table for this resource", "Tệp này chưa có bảng dữ liệu")
        .WithField("resource_id", "Tệp này chưa được nạp thành bảng dữ liệu");
  }
  auto table = datastore_->Table(resource->id);
  if (!table.ok()) {
    return Status::InvalidArgument("no table for this resource", "Tệp này chưa có bảng dữ liệu")
        .WithField("resource_id", "Tệp này chưa được nạp thành bảng dữ liệu");
  }
  Status bad = Status::InvalidArgument("invalid shared service",
                                       "Thông tin dịch vụ chia sẻ dữ liệu không hợp lệ");
  const std::string title_vi = Trim(in.title_vi), title_en = Trim(in.title_en);
  if (!PlainText(title_vi, 300, true))
    bad.WithField("title_vi", "Cần tên dịch vụ (tối đa 300 ký tự)");
  if (!PlainText(title_en, 300, false)) bad.WithField("title_en", "Tên tiếng Anh tối đa 300 ký tự");
  if (!FreeText(in.description_vi, 8000, false) || !FreeText(in.description_en, 8000, false))
    bad.WithField("description_vi", "Mô tả tối đa 8000 ký tự");
  if (!FreeText(Trim(in.legal_basis), 2000, true))
    bad.WithField("legal_basis", "Cần căn cứ pháp lý của việc chia sẻ (tối đa 2000 ký tự)");
  if (!FreeText(Trim(in.terms), 8000, false))
    bad.WithField("terms", "Điều khoản tối đa 8000 ký tự");
  std::vector<std::string> columns = in.columns;
  if (columns.empty()) {
    for (const auto& f : table->fields) columns.push_back(f.id);
  }
  json fields = json::array();
  std::set<std::string> seen;
  for (const std::string& c : columns) {
    auto it = std::find_if(table->fields.begin(), table->fields.end(),
                           [&](const datastore::Field& f) { return f.id == c; });
    if (it == table->fields.end() || !seen.insert(c).second) {
      bad.WithField("columns", "Không có cột “" + c.substr(0, 100) + "” trong bảng");
      continue;
    }
    std::string description = it->description;
    if (auto d = in.descriptions.find(c); d != in.descriptions.end()) description = Trim(d->second);
    if (!FreeText(description, 2000, false)) {
      bad.WithField("descriptions." + c, "Mô tả cột tối đa 2000 ký tự");
    }
    fields.push_back({{"id", it->id},
                      {"label", it->label},
                      {"type", datastore::ToString(it->type)},
                      {"description", description}});
  }
  for (const auto& [column, mask] : in.sample_masks) {
    if (!seen.count(column) || !kMasks.count(mask)) {
      bad.WithField("sample_masks." + column.substr(0, 100),
                    "Che dữ liệu mẫu: drop, partial, year hoặc hash, cho một cột được chia sẻ");
    }
  }
  if (!bad.fields().empty()) return bad;
  // A few real rows, masked where the publisher says. A column flagged as personal data and not
  // yet reviewed is hidden unless the publisher masked it: until a reviewer decides, its values
  // are for the publisher's editors only (api/grant_reads.h), and the catalogue is not.
  std::map<std::string, std::string> sample_masks = in.sample_masks;
  for (const auto& f : table->personal_data) {
    if (datastore::Unresolved(f)) sample_masks.emplace(f.column, "drop");
  }
  datastore::Query q;
  q.fields = columns;
  q.limit = kSampleRows;
  q.include_total = false;
  json sample_rows = json::array();
  if (auto rows = datastore_->Search(*table, q); rows.ok()) {
    for (const auto& row : rows->rows) {
      json out = json::array();
      for (size_t i = 1; i < row.size() && i <= columns.size(); ++i) {
        const std::string& column = columns[i - 1];
        std::string text = row[i].is_string() ? row[i].get<std::string>()
                           : row[i].is_null() ? ""
                                              : row[i].dump();
        auto mask = sample_masks.find(column);
        out.push_back(
            mask == sample_masks.end() ? text : MaskValue(text, mask->second, options_.mask_key));
      }
      sample_rows.push_back(std::move(out));
    }
  }
  json masks = json::object();
  for (const auto& [column, mask] : in.sample_masks) masks[column] = mask;
  SharedService s;
  s.record = std::move(base);
  s.record.organization_id = dataset->organization_id;
  s.record.dataset_id = dataset->id;
  s.record.resource_id = resource->id;
  s.record.modified = options_.now();
  s.doc = {{"title_vi", title_vi},
           {"title_en", title_en},
           {"description_vi", Trim(in.description_vi)},
           {"description_en", Trim(in.description_en)},
           {"legal_basis", Trim(in.legal_basis)},
           {"terms", Trim(in.terms)},
           {"personal_data", in.personal_data},
           {"dataset_slug", dataset->slug},
           {"fields", fields},
           {"sample", {{"columns", columns}, {"rows", sample_rows}, {"masks", masks}}}};
  s.record.doc = s.doc.dump();
  return s;
}

Result<SharedService> SharingService::Offer(const access::Principal& who,
                                            const ServiceOffer& offer) {
  if (!who.authenticated()) {
    return Status::PermissionDenied("sign in to offer data for sharing",
                                    "Hãy đăng nhập để đăng ký dịch vụ chia sẻ dữ liệu");
  }
  SharedServiceRecord base;
  base.id = NewUuid();
  base.state = "offered";
  base.created_by = who.user_id;
  base.created = options_.now();
  ODP_ASSIGN_OR_RETURN(SharedService s, BuildOffer(who, offer, std::move(base)));
  ODP_RETURN_IF_ERROR(store_.PutSharedService(s.record));
  LogInfo("shared service offered: " + s.record.id + " by " + who.username);
  Audit("sharing.service_offered", who.AuditActor(), s.record.organization_id, s.record.id,
        {{"resource_id", s.record.resource_id}, {"columns", OfferedColumns(s.doc)}});
  return s;
}

std::vector<OfferableTable> SharingService::OfferableTables(const access::Principal& who) {
  std::vector<OfferableTable> out;
  if (!who.authenticated() || datastore_ == nullptr) return out;
  auto datasets = store_.ListDatasets();
  if (!datasets.ok()) return out;
  for (const Dataset& d : *datasets) {
    if (d.state == DatasetState::kDeleted ||
        !access::Allowed(who, access::Action::kOfferSharing, {d.organization_id})) {
      continue;
    }
    auto resources = store_.ListResources(d.id);
    if (!resources.ok()) continue;
    for (const Resource& r : *resources) {
      auto table = datastore_->Table(r.id);
      if (!table.ok()) continue;
      OfferableTable t{r.id, d.title_vi, d.title_en, r.name, {}};
      for (const auto& f : table->fields) t.columns.push_back(f.id);
      out.push_back(std::move(t));
    }
  }
  return out;
}

Result<SharedService> SharingService::LoadService(const std::string& id) {
  auto r = store_.GetSharedService(id.substr(0, 100));
  if (!r.ok()) {
    if (r.status().code() == StatusCode::kNotFound) return NotFoundService(id);
    return r.status();
  }
  return SharedService{*r, ParseDoc(r->doc)};
}

Result<SharedService> SharingService::GetService(const access::Principal& who,
                                                 const std::string& id) {
  if (!access::Allowed(who, access::Action::kReadSharingCatalogue, {})) {
    return Status::PermissionDenied(
        "the sharing catalogue is for staff of the province's agencies",
        "Danh mục dữ liệu chia sẻ dành cho cán bộ của các cơ quan trong tỉnh");
  }
  ODP_ASSIGN_OR_RETURN(SharedService s, LoadService(id));
  if (s.record.state != "offered" &&
      !access::Allowed(who, access::Action::kOfferSharing, {s.record.organization_id})) {
    return NotFoundService(id);
  }
  return s;
}

Result<SharedService> SharingService::UpdateOffer(const access::Principal& who,
                                                  const std::string& id,
                                                  const ServiceOffer& offer) {
  ODP_ASSIGN_OR_RETURN(SharedService old, GetService(who, id));
  if (!access::Allowed(who, access::Action::kOfferSharing, {old.record.organization_id})) {
    return Status::PermissionDenied("only the provider's admins may change the service",
                                    "Chỉ quản trị viên của cơ quan cung cấp mới được sửa dịch vụ");
  }
  ODP_ASSIGN_OR_RETURN(SharedService s, BuildOffer(who, offer, old.record));
  if (s.record.organization_id != old.record.organization_id) {
    return Status::InvalidArgument("a service stays with its organization",
                                   "Dịch vụ phải thuộc cùng cơ quan")
        .WithField("resource_id", "Chọn một bảng của cùng cơ quan");
  }
  s.record.state = "offered";
  ODP_RETURN_IF_ERROR(store_.PutSharedService(s.record));
  Audit("sharing.service_updated", who.AuditActor(), s.record.organization_id, s.record.id,
        {{"resource_id", s.record.resource_id}, {"columns", OfferedColumns(s.doc)}});
  return s;
}

Result<SharedService> SharingService::WithdrawOffer(const access::Principal& who,
                                                    const std::string& id) {
  ODP_ASSIGN_OR_RETURN(SharedService s, GetService(who, id));
  if (!access::Allowed(who, access::Action::kOfferSharing, {s.record.organization_id})) {
    return Status::PermissionDenied(
        "only the provider's admins may withdraw the service",
        "Chỉ quản trị viên của cơ quan cung cấp mới được ngừng dịch vụ");
  }
  s.record.state = "withdrawn";
  s.record.modified = options_.now();
  ODP_RETURN_IF_ERROR(store_.PutSharedService(s.record));
  Audit("sharing.service_withdrawn", who.AuditActor(), s.record.organization_id, s.record.id,
        json::object());
  return s;
}

Result<std::vector<SharedService>> SharingService::Catalogue(const access::Principal& who) {
  if (!access::Allowed(who, access::Action::kReadSharingCatalogue, {})) {
    return Status::PermissionDenied(
        "the sharing catalogue is for staff of the province's agencies",
        "Danh mục dữ liệu chia sẻ dành cho cán bộ của các cơ quan trong tỉnh");
  }
  ODP_ASSIGN_OR_RETURN(auto all, store_.ListSharedServices());
  std::vector<SharedService> out;
  for (auto& r : all) {
    if (r.state != "offered" &&
        !access::Allowed(who, access::Action::kOfferSharing, {r.organization_id})) {
      continue;
    }
    json doc = ParseDoc(r.doc);
    out.push_back({std::move(r), std::move(doc)});
  }
  return out;
}

Result<json> SharingService::ServiceOpenApi(const access::Principal& who, const std::string& id,
                                            const std::string& site_url) {
  ODP_ASSIGN_OR_RETURN(SharedService s, GetService(who, id));
  json props = json::object();
  props["_id"] = {{"type", "integer"}};
  for (const json& f : s.doc.value("fields", json::array())) {
    const std::string type = f.value("type", "text");
    std::string t = type == "integer" ? "integer" : type == "number" ? "number" : "string";
    json p = {{"type", json::array({t, "null"})}, {"title", f.value("label", "")}};
    if (!f.value("description", "").empty()) p["description"] = f.value("description", "");
    props[f.value("id", "")] = p;
  }
  const std::string path = "/api/v1/resources/" + s.record.resource_id + "/rows";
  json rows_schema = {{"type", "object"}};
  rows_schema["properties"]["rows"] = {{"type", "array"},
                                       {"items", {{"$ref", "#/components/schemas/Row"}}}};
  json get = {{"summary", s.doc.value("title_vi", "")},
              {"description", "Rows of the shared table, within the caller's grant."}};
  get["responses"]["200"]["description"] = "rows";
  get["responses"]["200"]["content"]["application/json"]["schema"] = rows_schema;
  json doc = {{"openapi", "3.1.0"},
              {"info", {{"title", s.doc.value("title_vi", "")}, {"version", "1"}}}};
  doc["servers"] = json::array({json{{"url", site_url}}});
  doc["components"]["securitySchemes"]["apiKey"] = {
      {"type", "apiKey"}, {"in", "header"}, {"name", "X-API-Key"}};
  doc["components"]["schemas"]["Row"] = {{"type", "object"}, {"properties", props}};
  doc["security"] = json::array({json{{"apiKey", json::array()}}});
  doc["paths"][path]["get"] = get;
  return doc;
}

// Requests --------------------------------------------------------------------------------------

bool SharingService::SeesRequest(const access::Principal& who,
                                 const SharingRequestRecord& r) const {
  if (!who.authenticated()) return false;
  return access::Allowed(who, access::Action::kRequestSharing, {r.requester_org}) ||
         access::Allowed(who, access::Action::kDecideSharing, {r.provider_org});
}

Result<SharingRequest> SharingService::Visible(const access::Principal& who,
                                               const std::string& id) {
  auto r = store_.GetSharingRequest(id.substr(0, 100));
  if (!r.ok()) {
    if (r.status().code() == StatusCode::kNotFound) return NotFoundRequest(id);
    return r.status();
  }
  if (!SeesRequest(who, *r)) return NotFoundRequest(id);
  return SharingRequest{*r, ParseDoc(r->doc), {}, std::nullopt};
}

std::vector<ConsumerSystem> SharingService::RequestableConsumers(const access::Principal& who) {
  std::vector<ConsumerSystem> out;
  if (!who.authenticated()) return out;
  auto all = store_.ListConsumerSystems("");
  if (!all.ok()) return out;
  for (auto& c : *all) {
    if (c.state == "approved" &&
        access::Allowed(who, access::Action::kRequestSharing, {c.organization_id})) {
      out.push_back(std::move(c));
    }
  }
  return out;
}

Result<SharingRequest> SharingService::Submit(const access::Principal& who,
                                              const RequestDraft& in) {
  if (!who.authenticated()) {
    return Status::PermissionDenied("sign in to request data",
                                    "Hãy đăng nhập để gửi yêu cầu chia sẻ dữ liệu");
  }
  Status bad =
      Status::InvalidArgument("invalid sharing request", "Yêu cầu chia sẻ dữ liệu chưa hợp lệ");
  auto service = store_.GetSharedService(in.service_id.substr(0, 100));
  if (!service.ok() || service->state != "offered") {
    return bad.WithField("service_id", "Chọn một dịch vụ đang được chia sẻ");
  }
  auto consumer = store_.GetConsumerSystem(in.consumer_id.substr(0, 100));
  if (!consumer.ok() ||
      !access::Allowed(who, access::Action::kRequestSharing, {consumer->organization_id})) {
    return bad.WithField("consumer_id", "Chọn một hệ thống kết nối của cơ quan mình");
  }
  if (consumer->state != "approved") {
    return bad.WithField("consumer_id",
                         "Hệ thống kết nối phải đã được đơn vị quản lý dữ liệu duyệt");
  }
  const json sdoc = ParseDoc(service->doc);
  const std::vector<std::string> offered = OfferedColumns(sdoc);
  std::vector<std::string> columns = in.columns.empty() ? offered : in.columns;
  for (const std::string& c : columns) {
    if (!Contains(offered, c))
      bad.WithField("columns", "Cột “" + c.substr(0, 100) + "” không được chia sẻ");
  }
  const std::string row_filter = Trim(in.row_filter);
  if (Status s = ValidateRowFilter(row_filter, offered); !s.ok()) {
    bad.WithField("row_filter",
                  s.fields().count("row_filter") ? s.fields().at("row_filter") : s.message_vi());
  }
  if (!FreeText(Trim(in.purpose), 4000, true))
    bad.WithField("purpose", "Cần nêu mục đích sử dụng (tối đa 4000 ký tự)");
  if (!PlainText(Trim(in.legal_document_number), 100, true))
    bad.WithField("legal_document_number", "Cần số văn bản căn cứ pháp lý");
  if (!ValidDay(in.legal_document_date))
    bad.WithField("legal_document_date", "Ngày ban hành văn bản có dạng YYYY-MM-DD");
  auto from = ParseCivilDate(in.period_from), to = ParseCivilDate(in.period_to);
  if (!from) bad.WithField("period_from", "Ngày bắt đầu có dạng YYYY-MM-DD");
  if (!to) bad.WithField("period_to", "Ngày kết thúc có dạng YYYY-MM-DD");
  if (from && to && *to < *from) bad.WithField("period_to", "Ngày kết thúc phải sau ngày bắt đầu");
  if (in.expected_requests_per_day < 0 || in.expected_requests_per_day > 100000000)
    bad.WithField("expected_requests_per_day", "Số lượt gọi dự kiến mỗi ngày không hợp lệ");
  if (in.expected_rows_per_day < 0 || in.expected_rows_per_day > 10000000000LL)
    bad.WithField("expected_rows_per_day", "Số dòng dự kiến mỗi ngày không hợp lệ");
  const bool personal = in.personal_data || sdoc.value("personal_data", false);
  if (personal && !FreeText(Trim(in.personal_data_basis), 2000, true)) {
    bad.WithField("personal_data_basis",
                  "Dữ liệu cá nhân: cần nêu căn cứ xử lý theo Luật Bảo vệ dữ liệu cá nhân");
  }
  if (!PlainText(Trim(in.contact_name), 200, true))
    bad.WithField("contact_name", "Cần họ tên người liên hệ");
  if (!ValidEmail(Trim(in.contact_email)))
    bad.WithField("contact_email", "Địa chỉ e-mail không hợp lệ");
  if (!ValidPhone(Trim(in.contact_phone)))
    bad.WithField("contact_phone", "Số điện thoại không hợp lệ");
  // The letter: a PDF of at most kMaxLetterBytes already in the blob store.
  const std::string sha = in.letter_sha256;
  bool letter_ok =
      sha.size() == 64 &&
      std::all_of(sha.begin(), sha.end(),
                  [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }) &&
      blobs_.Exists(sha);
  if (letter_ok) {
    std::ifstream f(blobs_.PathOf(sha), std::ios::binary | std::ios::ate);
    const auto size = static_cast<int64_t>(f.tellg());
    char magic[5] = {};
    f.seekg(0);
    f.read(magic, 5);
    letter_ok = f.good() && size > 5 && size <= kMaxLetterBytes && std::string(magic, 5) == "%PDF-";
  }
  if (!letter_ok) {
    bad.WithField("letter", "Cần công văn đề nghị dạng PDF (tệp bắt đầu bằng %PDF-, tối đa 10 MB)");
  }
  if (!bad.fields().empty()) return bad;
  const Micros now = options_.now();
  ODP_ASSIGN_OR_RETURN(Micros deadline, calendar_.Deadline(now));
  SharingRequest r;
  r.record.id = NewUuid();
  r.record.service_id = service->id;
  r.record.provider_org = service->organization_id;
  r.record.requester_org = consumer->organization_id;
  r.record.consumer_id = consumer->id;
  r.record.state = "submitted";
  r.record.submitted = now;
  r.record.deadline = deadline;
  r.record.letter_sha256 = sha;
  r.record.created_by = who.user_id;
  r.record.created = r.record.modified = now;
  r.doc = {{"service_title", sdoc.value("title_vi", "")},
           {"service_title_en", sdoc.value("title_en", "")},
           {"dataset_id", service->dataset_id},
           {"resource_id", service->resource_id},
           {"consumer_name", consumer->name},
           {"consumer_code", consumer->agency_code + "/" + consumer->system_code},
           {"requester", who.username},
           {"columns", columns},
           {"row_filter", row_filter},
           {"purpose", Trim(in.purpose)},
           {"legal_document_number", Trim(in.legal_document_number)},
           {"legal_document_date", in.legal_document_date},
           {"letter_filename", in.letter_filename.empty() ? "cong-van.pdf" : in.letter_filename},
           {"period_from", in.period_from},
           {"period_to", in.period_to},
           {"expected_requests_per_day", in.expected_requests_per_day},
           {"expected_rows_per_day", in.expected_rows_per_day},
           {"personal_data", personal},
           {"personal_data_basis", Trim(in.personal_data_basis)},
           {"contact",
            {{"name", Trim(in.contact_name)},
             {"email", Trim(in.contact_email)},
             {"phone", Trim(in.contact_phone)}}}};
  r.record.doc = r.doc.dump();
  SharingEventRecord e{
      0,
      r.record.id,
      who.user_id,
      "submit",
      "",
      "submitted",
      "",
      json{{"actor_name", who.username}, {"deadline", FormatIsoSeconds(deadline)}}.dump(),
      now};
  ODP_RETURN_IF_ERROR(store_.Transaction([&]() -> Status {
    ODP_RETURN_IF_ERROR(store_.InsertSharingRequest(r.record));
    return store_.InsertSharingEvent(e);
  }));
  Audit("sharing.request_submitted", who.AuditActor(), r.record.provider_org, r.record.id,
        {{"service_id", r.record.service_id},
         {"consumer_id", r.record.consumer_id},
         {"requester_organization_id", r.record.requester_org},
         {"columns", columns},
         {"row_filter", row_filter},
         {"personal_data", personal},
         {"deadline", FormatIsoSeconds(deadline)}});
  (void)notifications_.Notify(
      AdminsOf(r.record.provider_org),
      {"sharing_request", r.record.id,
       "Yêu cầu chia sẻ dữ liệu mới: " + sdoc.value("title_vi", "") + " (" + consumer->name + ")",
       "New data sharing request: " + sdoc.value("title_en", sdoc.value("title_vi", "")) + " (" +
           consumer->name + ")",
       "/chia-se/yeu-cau/" + r.record.id});
  r.events.push_back(e);
  return r;
}

Result<SharingRequest> SharingService::Get(const access::Principal& who, const std::string& id) {
  ODP_ASSIGN_OR_RETURN(SharingRequest r, Visible(who, id));
  ODP_ASSIGN_OR_RETURN(r.events, store_.ListSharingEvents(r.record.id));
  if (const std::string grant_id = r.doc.value("grant_id", ""); !grant_id.empty()) {
    if (auto g = store_.GetGrant(grant_id); g.ok()) r.grant = *g;
  }
  return r;
}

Result<RequestLists> SharingService::List(const access::Principal& who) {
  if (!who.authenticated()) {
    return Status::PermissionDenied("sign in to see sharing requests",
                                    "Hãy đăng nhập để xem các yêu cầu chia sẻ dữ liệu");
  }
  ODP_ASSIGN_OR_RETURN(auto all, store_.ListSharingRequests());
  RequestLists out;
  for (auto& r : all) {
    const bool mine = who.authenticated() && !who.sysadmin && who.RoleIn(r.requester_org);
    const bool incoming = access::Allowed(who, access::Action::kDecideSharing, {r.provider_org});
    if (!mine && !incoming) continue;
    SharingRequest x{r, ParseDoc(r.doc), {}, std::nullopt};
    if (mine) out.mine.push_back(x);
    if (incoming) out.incoming.push_back(std::move(x));
  }
  return out;
}

Result<SharingRequest> SharingService::Step(const access::Principal& who, SharingRequest r,
                                            RequestStep step, const std::string& note,
                                            const json& details,
                                            const std::function<Status()>& also) {
  const std::string from = r.record.state;
  ODP_ASSIGN_OR_RETURN(std::string to, NextState(from, step));
  const Micros now = options_.now();
  r.record.state = to;
  r.record.modified = now;
  json event_doc = details;
  event_doc["actor_name"] = who.username;
  if (step == RequestStep::kAnswer) {
    // The clock starts again: a full period from the answer (request_flow.h).
    ODP_ASSIGN_OR_RETURN(r.record.deadline, calendar_.Deadline(now));
    r.record.submitted = now;
    r.record.reminded = r.record.overdue_notified = false;
    event_doc["deadline"] = FormatIsoSeconds(r.record.deadline);
  } else if (!ClockRuns(to)) {
    r.doc["last_deadline"] = FormatIsoSeconds(r.record.deadline);
    r.doc["decided_late"] = r.record.deadline != 0 && now > r.record.deadline;
    r.record.deadline = 0;
  }
  r.record.doc = r.doc.dump();
  SharingEventRecord e{0,    r.record.id,      who.user_id, ToString(step), from, to,
                       note, event_doc.dump(), now};
  ODP_RETURN_IF_ERROR(store_.Transaction([&]() -> Status {
    ODP_RETURN_IF_ERROR(store_.UpdateSharingRequest(r.record, from));
    ODP_RETURN_IF_ERROR(store_.InsertSharingEvent(e));
    return also ? also() : Status::Ok();
  }));
  const char* kind = step == RequestStep::kAskInfo   ? "sharing.info_requested"
                     : step == RequestStep::kAnswer  ? "sharing.info_answered"
                     : step == RequestStep::kApprove ? "sharing.request_approved"
                     : step == RequestStep::kRefuse  ? "sharing.request_refused"
                                                     : "sharing.request_withdrawn";
  json audit = details;
  audit["from_state"] = from;
  audit["to_state"] = to;
  audit["note"] = note;
  audit["consumer_id"] = r.record.consumer_id;
  audit["requester_organization_id"] = r.record.requester_org;
  Audit(kind, who.AuditActor(), r.record.provider_org, r.record.id, audit);
  ODP_ASSIGN_OR_RETURN(r.events, store_.ListSharingEvents(r.record.id));
  return r;
}

Result<SharingRequest> SharingService::AskInfo(const access::Principal& who, const std::string& id,
                                               const std::string& question_in) {
  ODP_ASSIGN_OR_RETURN(SharingRequest r, Visible(who, id));
  if (!access::Allowed(who, access::Action::kDecideSharing, {r.record.provider_org})) {
    return Status::PermissionDenied(
        "only the provider's admins decide requests",
        "Chỉ quản trị viên của cơ quan cung cấp mới được xử lý yêu cầu");
  }
  const std::string question = Trim(question_in);
  if (!FreeText(question, 4000, true)) {
    return Status::InvalidArgument("the question is required", "Cần nêu thông tin cần bổ sung")
        .WithField("question", "Cần nêu thông tin cần bổ sung (tối đa 4000 ký tự)");
  }
  r.doc["question"] = question;
  ODP_ASSIGN_OR_RETURN(r, Step(who, std::move(r), RequestStep::kAskInfo, question, json::object()));
  (void)notifications_.Notify(
      {r.record.created_by}, {"sharing_question", r.record.id,
                              "Cơ quan cung cấp đề nghị bổ sung thông tin cho yêu cầu: " +
                                  r.doc.value("service_title", ""),
                              "The provider asks for more information on your request: " +
                                  r.doc.value("service_title_en", r.doc.value("service_title", "")),
                              "/chia-se/yeu-cau/" + r.record.id});
  return r;
}

Result<SharingRequest> SharingService::Answer(const access::Principal& who, const std::string& id,
                                              const std::string& answer_in) {
  ODP_ASSIGN_OR_RETURN(SharingRequest r, Visible(who, id));
  if (!access::Allowed(who, access::Action::kRequestSharing, {r.record.requester_org})) {
    return Status::PermissionDenied("only the requesting agency answers",
                                    "Chỉ cơ quan yêu cầu mới được trả lời");
  }
  const std::string answer = Trim(answer_in);
  if (!FreeText(answer, 4000, true)) {
    return Status::InvalidArgument("the answer is required", "Cần nội dung trả lời")
        .WithField("answer", "Cần nội dung trả lời (tối đa 4000 ký tự)");
  }
  r.doc["answer"] = answer;
  ODP_ASSIGN_OR_RETURN(r, Step(who, std::move(r), RequestStep::kAnswer, answer, json::object()));
  (void)notifications_.Notify(
      AdminsOf(r.record.provider_org),
      {"sharing_request", r.record.id,
       "Cơ quan yêu cầu đã bổ sung thông tin: " + r.doc.value("service_title", ""),
       "The requester answered your question: " +
           r.doc.value("service_title_en", r.doc.value("service_title", "")),
       "/chia-se/yeu-cau/" + r.record.id});
  return r;
}

Result<SharingRequest> SharingService::Approve(const access::Principal& who, const std::string& id,
                                               const ApprovalTerms& in) {
  ODP_ASSIGN_OR_RETURN(SharingRequest r, Visible(who, id));
  if (!access::Allowed(who, access::Action::kDecideSharing, {r.record.provider_org})) {
    return Status::PermissionDenied(
        "only the provider's admins decide requests",
        "Chỉ quản trị viên của cơ quan cung cấp mới được xử lý yêu cầu");
  }
  if (r.record.state != "submitted") {
    ODP_RETURN_IF_ERROR(NextState(r.record.state, RequestStep::kApprove).status());
  }
  Status bad = Status::InvalidArgument("invalid terms", "Điều kiện phê duyệt không hợp lệ");
  std::vector<std::string> requested = r.doc.value("columns", std::vector<std::string>{});
  std::vector<std::string> columns = in.columns.empty() ? requested : in.columns;
  for (const auto& c : columns) {
    if (!Contains(requested, c))
      bad.WithField("columns", "Chỉ được duyệt các cột đã yêu cầu: " + c.substr(0, 100));
  }
  if (columns.empty()) bad.WithField("columns", "Cần ít nhất một cột");
  std::string extra = Trim(in.row_filter);
  if (Status s = ValidateRowFilter(extra, columns); !s.ok()) {
    bad.WithField("row_filter",
                  s.fields().count("row_filter") ? s.fields().at("row_filter") : s.message_vi());
  }
  const std::string asked_filter = r.doc.value("row_filter", "");
  std::string filter = asked_filter;
  if (!extra.empty()) filter = filter.empty() ? extra : filter + "&" + extra;
  json masks = json::object();
  for (const auto& [column, mask] : in.masks) {
    if (!Contains(columns, column) || !kMasks.count(mask)) {
      bad.WithField("masks." + column.substr(0, 100),
                    "Che cột: drop, partial, year hoặc hash, cho một cột được duyệt");
    } else {
      masks[column] = mask;
    }
  }
  const std::string asked_from = r.doc.value("period_from", ""),
                    asked_to = r.doc.value("period_to", "");
  const std::string from = in.valid_from.empty() ? asked_from : in.valid_from;
  const std::string to = in.valid_to.empty() ? asked_to : in.valid_to;
  auto f = ParseCivilDate(from), t = ParseCivilDate(to);
  if (!f || from < asked_from)
    bad.WithField("valid_from", "Thời hạn phải nằm trong thời hạn đã yêu cầu");
  if (!t || to > asked_to) bad.WithField("valid_to", "Thời hạn phải nằm trong thời hạn đã yêu cầu");
  if (f && t && *t < *f) bad.WithField("valid_to", "Ngày kết thúc phải sau ngày bắt đầu");
  for (auto [name, v] : {std::pair{"quota_requests_per_day", in.quota_requests_per_day},
                         std::pair{"quota_rows_per_day", in.quota_rows_per_day},
                         std::pair{"rate_per_minute", in.rate_per_minute}}) {
    if (v < 0) bad.WithField(name, "Hạn mức không được âm");
  }
  if (!FreeText(Trim(in.note), 4000, false)) bad.WithField("note", "Ghi chú tối đa 4000 ký tự");
  // The grant shows the approved columns that are not dropped; its filter may use only those.
  std::vector<std::string> shown;
  for (const auto& c : columns) {
    if (masks.value(c, "") != "drop") shown.push_back(c);
  }
  if (!bad.fields().count("row_filter") && !ValidateRowFilter(filter, shown).ok()) {
    bad.WithField("row_filter",
                  "Bộ lọc dòng (kể cả bộ lọc đã yêu cầu) chỉ dùng được các cột được duyệt và "
                  "không bị bỏ (drop)");
  }
  if (!bad.fields().empty()) return bad;
  // The grant the approval makes: checked now, stored with the decision.
  access::GrantInput gi;
  gi.consumer_id = r.record.consumer_id;
  gi.resource_id = r.doc.value("resource_id", "");
  gi.service_id = r.record.service_id;
  gi.request_id = r.record.id;
  gi.columns = columns;
  gi.row_filter = filter;
  for (const auto& [column, mask] : masks.items()) {
    // The mask the sample showed (MaskValue): a partial one keeps 4 and 3 characters.
    gi.masks[column] = access::DefaultMask(
        access::ParseMaskKind(mask.get<std::string>()).value_or(access::MaskKind::kDrop));
  }
  gi.valid_from = StartOfVietnamDay(*f);
  gi.valid_to = StartOfVietnamDay(AddDays(*t, 1));
  gi.requests_per_day = in.quota_requests_per_day;
  gi.rows_per_day = in.quota_rows_per_day;
  gi.requests_per_minute = in.rate_per_minute;
  ODP_ASSIGN_OR_RETURN(Grant grant, grants_.Prepare(who, gi));
  json terms = {{"dataset_id", r.doc.value("dataset_id", "")},
                {"resource_id", r.doc.value("resource_id", "")},
                {"consumer_id", r.record.consumer_id},
                {"columns", columns},
                {"row_filter", filter},
                {"masks", masks},
                {"valid_from", from},
                {"valid_to", to},
                {"quota_requests_per_day", in.quota_requests_per_day},
                {"quota_rows_per_day", in.quota_rows_per_day},
                {"rate_per_minute", in.rate_per_minute}};
  r.doc["terms"] = terms;
  r.doc["decision_note"] = Trim(in.note);
  r.doc["grant_id"] = grant.id;
  ODP_ASSIGN_OR_RETURN(r, Step(who, std::move(r), RequestStep::kApprove, Trim(in.note),
                               json{{"terms", terms}, {"grant_id", grant.id}},
                               [&] { return store_.InsertGrant(grant); }));
  Audit("grant.created", who.AuditActor(), grant.organization_id, grant.id,
        json::parse(access::GrantAuditDetails(grant)));
  r.grant = grant;
  auto [admins, emails] = ConsumerAudience(r.record.consumer_id);
  admins.push_back(r.record.created_by);
  if (std::string contact = ContactEmail(r.doc); !contact.empty()) emails.push_back(contact);
  Notice notice{"sharing_decision", r.record.id,
                "Yêu cầu chia sẻ dữ liệu đã được phê duyệt: " + r.doc.value("service_title", ""),
                "Your data sharing request was approved: " +
                    r.doc.value("service_title_en", r.doc.value("service_title", "")),
                "/chia-se/yeu-cau/" + r.record.id};
  (void)notifications_.Notify(admins, notice, emails);
  return r;
}

Result<SharingRequest> SharingService::Refuse(const access::Principal& who, const std::string& id,
                                              const std::string& reasons_in) {
  ODP_ASSIGN_OR_RETURN(SharingRequest r, Visible(who, id));
  if (!access::Allowed(who, access::Action::kDecideSharing, {r.record.provider_org})) {
    return Status::PermissionDenied(
        "only the provider's admins decide requests",
        "Chỉ quản trị viên của cơ quan cung cấp mới được xử lý yêu cầu");
  }
  const std::string reasons = Trim(reasons_in);
  if (!FreeText(reasons, 4000, true)) {
    return Status::InvalidArgument("a refusal needs written reasons",
                                   "Từ chối phải nêu rõ lý do bằng văn bản")
        .WithField("reason", "Cần nêu rõ lý do từ chối (tối đa 4000 ký tự)");
  }
  r.doc["refusal_reason"] = reasons;
  ODP_ASSIGN_OR_RETURN(r, Step(who, std::move(r), RequestStep::kRefuse, reasons, json::object()));
  auto [admins, emails] = ConsumerAudience(r.record.consumer_id);
  admins.push_back(r.record.created_by);
  if (std::string contact = ContactEmail(r.doc); !contact.empty()) emails.push_back(contact);
  (void)notifications_.Notify(
      admins,
      {"sharing_decision", r.record.id,
       "Yêu cầu chia sẻ dữ liệu bị từ chối: " + r.doc.value("service_title", "") +
           ". Lý do: " + reasons,
       "Your data sharing request was refused: " +
           r.doc.value("service_title_en", r.doc.value("service_title", "")) +
           ". Reasons: " + reasons,
       "/chia-se/yeu-cau/" + r.record.id},
      emails);
  return r;
}

Result<SharingRequest> SharingService::Withdraw(const access::Principal& who, const std::string& id,
                                                const std::string& reason) {
  ODP_ASSIGN_OR_RETURN(SharingRequest r, Visible(who, id));
  if (!access::Allowed(who, access::Action::kRequestSharing, {r.record.requester_org})) {
    return Status::PermissionDenied("only the requesting agency withdraws its request",
                                    "Chỉ cơ quan yêu cầu mới được rút yêu cầu");
  }
  if (!FreeText(Trim(reason), 4000, false)) {
    return Status::InvalidArgument("reason too long", "Lý do tối đa 4000 ký tự")
        .WithField("reason", "Lý do tối đa 4000 ký tự");
  }
  return Step(who, std::move(r), RequestStep::kWithdraw, Trim(reason), json::object());
}

Result<std::pair<std::string, std::string>> SharingService::Letter(const access::Principal& who,
                                                                   const std::string& id) {
  ODP_ASSIGN_OR_RETURN(SharingRequest r, Visible(who, id));
  return std::pair{r.record.letter_sha256, r.doc.value("letter_filename", "cong-van.pdf")};
}

Result<std::vector<SharingRequest>> SharingService::Overdue(const access::Principal& who) {
  if (!access::Allowed(who, access::Action::kViewSharingBoard, {})) {
    return Status::PermissionDenied(
        "the board of overdue requests is the provincial data unit's",
        "Bảng yêu cầu quá hạn dành cho đơn vị quản lý dữ liệu của tỉnh");
  }
  ODP_ASSIGN_OR_RETURN(auto all, store_.ListSharingRequests());
  const Micros now = options_.now();
  std::vector<SharingRequest> out;
  for (auto& r : all) {
    if (!ClockRuns(r.state) || r.deadline == 0 || now <= r.deadline) continue;
    json doc = ParseDoc(r.doc);
    out.push_back({std::move(r), std::move(doc), {}, std::nullopt});
  }
  std::sort(out.begin(), out.end(), [](const SharingRequest& a, const SharingRequest& b) {
    return a.record.deadline < b.record.deadline;
  });
  return out;
}

Result<int> SharingService::CheckDeadlines() {
  ODP_ASSIGN_OR_RETURN(auto all, store_.ListSharingRequests());
  ODP_ASSIGN_OR_RETURN(auto cal, calendar_.Current());
  const Micros now = options_.now();
  const CivilDate today = VietnamDateOf(now);
  int sent = 0;
  for (const auto& r : all) {
    if (!ClockRuns(r.state) || r.deadline == 0) continue;
    const json doc = ParseDoc(r.doc);
    const std::string title_vi = doc.value("service_title", "");
    const std::string title_en = doc.value("service_title_en", title_vi);
    const std::string link = "/chia-se/yeu-cau/" + r.id;
    auto event = [&](const std::string& action, const std::string& note) {
      return store_.InsertSharingEvent(
          {0, r.id, "system", action, r.state, r.state, note,
           json{{"actor_name", "system"}, {"deadline", FormatIsoSeconds(r.deadline)}}.dump(), now});
    };
    if (now > r.deadline) {
      if (r.overdue_notified) continue;
      ODP_ASSIGN_OR_RETURN(bool mine,
                           store_.MarkSharingRequest(r.id, "overdue_notified", r.deadline));
      if (!mine) continue;
      ODP_RETURN_IF_ERROR(event("overdue", "Quá hạn 2 ngày làm việc / past the 2 working days"));
      Audit("sharing.request_overdue", "system", r.provider_org, r.id,
            {{"deadline", FormatIsoSeconds(r.deadline)}});
      std::vector<std::string> to = DataUnit();
      for (auto& a : AdminsOf(r.provider_org)) to.push_back(std::move(a));
      ODP_RETURN_IF_ERROR(
          notifications_.Notify(to, {"sharing_overdue", r.id,
                                     "Yêu cầu chia sẻ dữ liệu quá hạn xử lý: " + title_vi + " (" +
                                         OrgTitle(r.provider_org) + ")",
                                     "Data sharing request overdue: " + title_en, link}));
      ++sent;
      continue;
    }
    if (r.reminded || today < cal->PreviousWorkingDay(VietnamDateOf(r.deadline))) continue;
    ODP_ASSIGN_OR_RETURN(bool mine, store_.MarkSharingRequest(r.id, "reminded", r.deadline));
    if (!mine) continue;
    ODP_RETURN_IF_ERROR(event("remind", "Còn 1 ngày làm việc / one working day left"));
    Audit("sharing.reminder_sent", "system", r.provider_org, r.id,
          {{"deadline", FormatIsoSeconds(r.deadline)}});
    ODP_RETURN_IF_ERROR(notifications_.Notify(
        AdminsOf(r.provider_org),
        {"sharing_due", r.id, "Còn 1 ngày làm việc để trả lời yêu cầu: " + title_vi,
         "One working day left to answer the request: " + title_en, link}));
    ++sent;
  }
  return sent;
}

Result<int> SharingService::CheckExpiries() {
  const Micros now = options_.now();
  const Micros horizon = now + int64_t{kExpiryNoticeDays} * 86400 * 1000000;
  int sent = 0;
  ODP_ASSIGN_OR_RETURN(auto grants, store_.ListGrants("", "", ""));
  for (const Grant& g : grants) {
    if (g.state != "active" || g.valid_to == 0 || g.valid_to <= now || g.valid_to > horizon) {
      continue;
    }
    ODP_ASSIGN_OR_RETURN(
        bool mine,
        store_.ClaimNotice("expiry:grant:" + g.id + ":" + std::to_string(g.valid_to), now));
    if (!mine) continue;
    auto [to, emails] = ConsumerAudience(g.consumer_id);
    for (auto& a : AdminsOf(g.organization_id)) to.push_back(std::move(a));
    auto consumer = store_.GetConsumerSystem(g.consumer_id);
    const std::string name = consumer.ok() ? consumer->name : g.consumer_id;
    // The grant's last day is the day before valid_to (a grant valid "to 2027-06-30" ends at
    // the start of 2027-07-01).
    const std::string last = DayText(g.valid_to - 1);
    const std::string link =
        g.request_id ? "/chia-se/yeu-cau/" + *g.request_id : "/workspace/grants";
    ODP_RETURN_IF_ERROR(notifications_.Notify(
        to,
        {"grant_expiry", g.id,
         "Quyền chia sẻ dữ liệu của hệ thống " + name + " sắp hết hạn (hết ngày " + last + ")",
         "The data sharing grant of the system " + name + " expires soon (after " + last + ")",
         link},
        emails));
    ++sent;
  }
  ODP_ASSIGN_OR_RETURN(auto systems, store_.ListConsumerSystems(""));
  for (const ConsumerSystem& c : systems) {
    if (c.state != "approved") continue;
    ODP_ASSIGN_OR_RETURN(auto credentials, store_.ListConsumerCredentials(c.id));
    for (const ConsumerCredential& k : credentials) {
      if (k.revoked != 0 || k.expires == 0 || k.expires <= now || k.expires > horizon) continue;
      ODP_ASSIGN_OR_RETURN(
          bool mine,
          store_.ClaimNotice("expiry:key:" + k.id + ":" + std::to_string(k.expires), now));
      if (!mine) continue;
      auto [to, emails] = ConsumerAudience(c.id);
      const bool key = k.kind == "api_key";
      const std::string when = DayText(k.expires);
      ODP_RETURN_IF_ERROR(notifications_.Notify(
          to,
          {"key_expiry", k.id,
           std::string(key ? "Khoá API “" : "Ứng dụng OAuth “") + k.name + "” (" + k.lookup +
               ") của hệ thống " + c.name + " hết hạn ngày " + when,
           std::string(key ? "The API key “" : "The OAuth client “") + k.name + "” (" + k.lookup +
               ") of the system " + c.name + " expires on " + when,
           "/workspace/consumers/" + c.id},
          emails));
      ++sent;
    }
  }
  return sent;
}

void SharingService::NoteQuotaUse(const Grant& g, int64_t requests, int64_t rows, Micros now) {
  auto reached = [](int64_t used, int64_t quota) {
    return quota > 0 && used * 100 >= quota * kQuotaNoticePercent;
  };
  if (!reached(requests, g.requests_per_day) && !reached(rows, g.rows_per_day)) return;
  const std::string day = DayText(now);
  {
    std::lock_guard<std::mutex> lock(quota_mu_);
    std::string& told = quota_noticed_[g.id];
    if (told == day) return;
    told = day;
  }
  auto mine = store_.ClaimNotice("quota:" + g.id + ":" + day, now);
  if (!mine.ok()) {
    LogWarn("sharing: cannot claim the quota notice of grant " + g.id + ": " +
            mine.status().message());
    std::lock_guard<std::mutex> lock(quota_mu_);
    quota_noticed_.erase(g.id);  // try again at the next call
    return;
  }
  if (!*mine) return;
  auto [to, emails] = ConsumerAudience(g.consumer_id);
  auto consumer = store_.GetConsumerSystem(g.consumer_id);
  const std::string name = consumer.ok() ? consumer->name : g.consumer_id;
  auto used = [&](const char* vi, const char* en, int64_t n, int64_t quota) {
    return std::pair{std::string(vi) + std::to_string(n) + "/" + std::to_string(quota),
                     std::string(en) + std::to_string(n) + "/" + std::to_string(quota)};
  };
  std::string vi, en;
  for (const auto& [text_vi, text_en] :
       {g.requests_per_day > 0 ? used("lượt gọi ", "requests ", requests, g.requests_per_day)
                               : std::pair<std::string, std::string>{},
        g.rows_per_day > 0 ? used("dòng ", "rows ", rows, g.rows_per_day)
                           : std::pair<std::string, std::string>{}}) {
    if (text_vi.empty()) continue;
    vi += (vi.empty() ? "" : ", ") + text_vi;
    en += (en.empty() ? "" : ", ") + text_en;
  }
  const std::string link = g.request_id ? "/chia-se/yeu-cau/" + *g.request_id : "/workspace/grants";
  (void)notifications_.Notify(
      to,
      {"quota_nearly_used", g.id,
       "Hệ thống " + name + " đã dùng từ " + std::to_string(kQuotaNoticePercent) +
           "% hạn mức ngày " + day + " của quyền chia sẻ dữ liệu (" + vi + ")",
       "The system " + name + " has used " + std::to_string(kQuotaNoticePercent) +
           "% or more of its daily quota on " + day + " (" + en + ")",
       link},
      emails);
}

std::pair<std::vector<std::string>, std::vector<std::string>> SharingService::ConsumerAudience(
    const std::string& consumer_id) {
  std::vector<std::string> users, emails;
  auto c = store_.GetConsumerSystem(consumer_id);
  if (!c.ok()) return {users, emails};
  users = AdminsOf(c->organization_id);
  json contacts = json::parse(c->contacts, nullptr, false);
  if (contacts.is_array()) {
    for (const json& k : contacts) {
      if (k.is_object() && k.contains("email") && k["email"].is_string()) {
        emails.push_back(k["email"].get<std::string>());
      }
    }
  }
  if (!c->technical_email.empty()) emails.push_back(c->technical_email);
  return {users, emails};
}

std::vector<std::string> SharingService::AdminsOf(const std::string& organization_id) {
  std::vector<std::string> out;
  auto members = store_.ListMembershipsOfOrganization(organization_id);
  if (!members.ok()) return out;
  for (const auto& m : *members) {
    if (m.role == OrgRole::kAdmin) out.push_back(m.user_id);
  }
  return out;
}

std::vector<std::string> SharingService::DataUnit() {
  std::vector<std::string> out;
  auto users = store_.ListUsers();
  if (!users.ok()) return out;
  for (const auto& u : *users) {
    if (u.sysadmin && !u.disabled) out.push_back(u.id);
  }
  return out;
}

std::string SharingService::OrgTitle(const std::string& organization_id) {
  auto o = store_.GetOrganization(organization_id);
  return o.ok() ? o->title_vi : organization_id;
}

// JSON ------------------------------------------------------------------------------------------

json ServiceJson(const SharedService& s) {
  json j = s.doc;
  j["id"] = s.record.id;
  j["organization_id"] = s.record.organization_id;
  j["dataset_id"] = s.record.dataset_id;
  j["resource_id"] = s.record.resource_id;
  j["state"] = s.record.state;
  j["created"] = FormatIsoSeconds(s.record.created);
  j["modified"] = FormatIsoSeconds(s.record.modified);
  return j;
}

json RequestJson(const SharingRequest& r, Micros now, WorkingCalendar* calendar) {
  json j = r.doc;
  j["id"] = r.record.id;
  j["service_id"] = r.record.service_id;
  j["provider_organization_id"] = r.record.provider_org;
  j["requester_organization_id"] = r.record.requester_org;
  j["consumer_id"] = r.record.consumer_id;
  j["state"] = r.record.state;
  j["created"] = FormatIsoSeconds(r.record.created);
  j["modified"] = FormatIsoSeconds(r.record.modified);
  json clock = {{"state", ClockRuns(r.record.state) ? "running"
                          : IsFinal(r.record.state) ? "done"
                                                    : "stopped"},
                {"working_days", kDecisionWorkingDays}};
  if (ClockRuns(r.record.state) && r.record.deadline != 0) {
    clock["started"] = FormatIsoSeconds(r.record.submitted);
    clock["deadline"] = FormatIsoSeconds(r.record.deadline);
    clock["overdue"] = now > r.record.deadline;
    if (calendar != nullptr) {
      // 2 on the day of submission, 0 on the last day, 0 once overdue.
      clock["working_days_left"] =
          calendar->WorkingDaysBetween(VietnamDateOf(now), VietnamDateOf(r.record.deadline));
    }
  } else {
    clock["deadline"] = nullptr;
    clock["overdue"] = false;
  }
  j["clock"] = clock;
  json events = json::array();
  for (const auto& e : r.events) {
    json d = ParseDoc(e.doc);
    json ev = {{"action", e.action},          {"from_state", e.from_state},
               {"to_state", e.to_state},      {"note", e.note},
               {"actor_id", e.actor_id},      {"actor", d.value("actor_name", e.actor_id)},
               {"at", FormatIsoSeconds(e.at)}};
    if (d.contains("terms")) ev["terms"] = d["terms"];
    if (d.contains("deadline")) ev["deadline"] = d["deadline"];
    events.push_back(std::move(ev));
  }
  j["events"] = events;
  if (r.grant) {
    const Grant& g = *r.grant;
    const std::string effect = g.state != "active"                       ? g.state
                               : g.valid_to != 0 && now >= g.valid_to    ? "expired"
                               : g.valid_from != 0 && now < g.valid_from ? "not_yet_valid"
                                                                         : "in_effect";
    j["grant"] = {{"id", g.id},
                  {"state", g.state},
                  {"effect", effect},
                  {"reason", g.reason},
                  {"modified", FormatIsoSeconds(g.modified)}};
  } else {
    j["grant"] = nullptr;
  }
  return j;
}

}  // namespace odp::sharing
