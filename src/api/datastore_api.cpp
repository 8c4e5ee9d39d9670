#include "api/datastore_api.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <limits>
#include <set>

#include "access/policy.h"
#include "api/api.h"
#include "api/grant_reads.h"
#include "api/handler.h"
#include "api/upload.h"
#include "audit/log.h"
#include "base/crypto.h"
#include "base/ids.h"
#include "base/log.h"
#include "base/parse.h"
#include "base/time.h"
#include "datastore/export.h"
#include "datastore/personal_data.h"
#include "text/legacy.h"
#include "text/vietnamese.h"

namespace odp::api {

namespace {

// The columns flagged as personal data, with their reviews. Their examples (partially masked raw
// values, which a stronger mask of the table may hide better) only for the publisher's editors.
json PersonalDataJson(const datastore::TableInfo& info, bool editor) {
  json out = json::array();
  for (const auto& f : info.personal_data) {
    auto kind = datastore::ParsePersonalKind(f.kind);
    json one = {{"column", f.column},
                {"label", f.label},
                {"kind", f.kind},
                {"kind_label", kind ? datastore::LabelEn(*kind) : f.kind},
                {"kind_label_vi", kind ? datastore::LabelVi(*kind) : f.kind},
                {"share", f.share},
                {"sampled", f.sampled},
                {"examples", editor ? json(f.examples) : json::array()},
                {"unresolved", datastore::Unresolved(f)},
                {"review", nullptr}};
    if (!f.review.decision.empty()) {
      one["review"] = {{"decision", f.review.decision},
                       {"mask", f.review.mask},
                       {"reason", f.review.reason},
                       {"by", f.review.by},
                       {"at", f.review.at}};
    }
    out.push_back(std::move(one));
  }
  return out;
}

// A Data Package's properties from the dataset that holds the resource (name, title,
// description, licence, source) — everything but its resources.
json PackageProperties(ApiContext& c, const access::Principal& who, const Resource& r) {
  json pkg = json::object();
  auto got = c.catalog.GetResource(who, r.id);
  if (!got.ok()) return pkg;
  const Dataset& d = got->first->dataset;
  std::string name = text::Slugify(r.name.empty() ? d.slug + "-" + r.id.substr(0, 8) : r.name, 80);
  pkg["name"] = name.empty() ? r.id : name;
  pkg["id"] = d.id;
  pkg["title"] = d.title_vi.empty() ? d.title_en : d.title_vi;
  if (!d.description_vi.empty()) pkg["description"] = d.description_vi;
  pkg["homepage"] = c.config.site_url + "/datasets/" + d.slug;
  if (auto lic = c.catalog.GetLicense(d.license_id); lic.ok()) {
    pkg["licenses"] =
        json::array({{{"name", lic->id}, {"title", lic->title_vi}, {"path", lic->url}}});
  }
  pkg["version"] = std::to_string(r.version);
  return pkg;
}

// The export of a query as a response: streamed for text formats, a finished file for XLSX and
// Data Packages. A GET that gets the file counts as a download of the resource in its format.
http::Response ExportResponse(ApiContext& c, const http::Request& req, const access::Principal& who,
                              const datastore::TableInfo& t, const datastore::Query& q,
                              const datastore::ExportOptions& o, const Resource& res) {
  std::string base = res.name.empty() ? t.resource_id : res.name;
  for (const char* ext : {".csv", ".tsv", ".xlsx", ".xls", ".json", ".ndjson", ".txt"}) {
    size_t n = std::strlen(ext);
    if (base.size() > n && base.compare(base.size() - n, n, ext) == 0) base.resize(base.size() - n);
  }
  http::Response r;
  std::string extension = o.format == "datapackage" ? "zip" : o.format;
  std::string dataset_slug;
  if (auto got = c.catalog.GetResource(who, res.id); got.ok())
    dataset_slug = got->first->dataset.slug;
  const Micros now = NowMicros();
  const std::string variant = o.excel_vietnamese ? "excel" : "";
  const std::string filename = ExportFilename(dataset_slug, base, variant, now, extension);
  // Browsers without RFC 5987 get the name without tone marks ("dan-so-2026-12-07.csv").
  const std::string ascii =
      ExportFilename(dataset_slug, text::FoldVietnamese(base), variant, now, extension);
  if (o.format == "xlsx" || o.format == "datapackage") {
    std::string dir = c.config.spool_dir.empty() ? std::filesystem::temp_directory_path().string()
                                                 : c.config.spool_dir;
    std::string path = dir + "/export-" + NewUuid() + "." + extension;
    Status s = o.format == "xlsx" ? datastore::WriteXlsx(*c.datastore, t, q, path, base, o)
                                  : datastore::WriteDataPackage(*c.datastore, t, q, path,
                                                                PackageProperties(c, who, res));
    if (!s.ok()) return ErrorResponse(s);
    std::error_code ec;
    r.file_path = path;
    r.file_length = static_cast<int64_t>(std::filesystem::file_size(path, ec));
    r.delete_file = true;
  } else {
    auto stream = datastore::ExportStream::Open(*c.datastore, t, q, o);
    if (!stream.ok()) return ErrorResponse(stream.status());
    std::shared_ptr<datastore::ExportStream> s(std::move(*stream));
    r.stream = [s](std::string& out) { return s->Next(out); };
  }
  r.Set("Content-Type", datastore::ExportContentType(o.format));
  r.Set("Content-Disposition", ContentDisposition(filename, ascii));
  r.Set("Cache-Control", "no-cache");
  r.Set("X-Content-Type-Options", "nosniff");
  if (req.method == "GET") {
    const std::string client = ClientAddressOf(c, req);
    c.catalog.RecordDownload(res.dataset_id, res.id, o.format, {client, req.Header("user-agent")});
  }
  return r;
}

// A request for a resource's rows (rows, aggregate, export): its table, which the caller may
// read, and the REST query.
// Through a grant (api/grant_reads.h) the query is narrowed to it and the request admitted
// under its quota: `admission` carries the RateLimit headers, or the refusal.
struct RowsRequest {
  TableForCaller target;
  datastore::Query query;
  ReadAdmission admission;
  const datastore::TableInfo& table() const { return target.table; }
};

Result<RowsRequest> ReadRowsRequest(ApiContext& c, const access::Principal& who,
                                    const http::Request& req, const std::string& rid) {
  ODP_ASSIGN_OR_RETURN(TableForCaller target, TableFor(c, who, rid, req.Param("version")));
  ODP_ASSIGN_OR_RETURN(datastore::Query q, ParseRestQuery(req));
  ODP_RETURN_IF_ERROR(RestrictQuery(c, target, q));
  ReadAdmission admission = AdmitRead(c, target);
  return RowsRequest{std::move(target), std::move(q), std::move(admission)};
}

// An export through a grant: refused when its rows would pass what the grant may still answer
// today (counted first), else counted.
Status CountExport(ApiContext& c, RowsRequest& r) {
  if (!r.target.grant) return Status::Ok();
  const int64_t left = RowsLeft(c, r.target);
  datastore::Query counting = r.query;
  counting.limit = 0;
  counting.include_total = true;
  counting.masks.clear();
  ODP_ASSIGN_OR_RETURN(auto found, c.datastore->Search(r.table(), counting));
  int64_t rows = found.total;
  if (r.query.limit > 0) rows = std::min(rows, r.query.limit);
  if (left >= 0 && rows > left) {
    r.admission.refused = true;
    r.admission.retry_after = access::SecondsToNextDay(NowMicros());
    return Status::Ok();
  }
  CountRows(c, r.target, rows);
  return Status::Ok();
}

Result<datastore::ExportOptions> ParseExportOptions(const http::Request& req,
                                                    const std::string& fallback) {
  datastore::ExportOptions o;
  o.format = req.HasParam("format") ? req.Param("format") : fallback;
  if (o.format != "xlsx" && o.format != "datapackage" && !datastore::IsStreamFormat(o.format)) {
    return Status::InvalidArgument(
               "format must be csv, tsv, json, ndjson, geojson, xlsx or datapackage",
               "Định dạng phải là csv, tsv, json, ndjson, geojson, xlsx hoặc datapackage")
        .WithField("format", "csv, tsv, json, ndjson, geojson, xlsx, datapackage");
  }
  std::string bom = req.Param("bom");
  o.bom = bom != "false" && bom != "False" && bom != "0";
  o.header_labels = req.Param("labels") != "false";
  const std::string dialect = req.Param("dialect");
  if (!dialect.empty() && dialect != "excel-vi" && dialect != "standard") {
    return Status::InvalidArgument("dialect must be standard or excel-vi",
                                   "dialect phải là standard hoặc excel-vi")
        .WithField("dialect", "standard, excel-vi");
  }
  if (dialect == "excel-vi" && o.format != "csv") {
    return Status::InvalidArgument("dialect=excel-vi is for format=csv only",
                                   "dialect=excel-vi chỉ dùng với format=csv")
        .WithField("dialect", "Chỉ dùng với format=csv");
  }
  o.excel_vietnamese = dialect == "excel-vi";
  const std::string id = req.Param("include_id");
  if (!id.empty() && id != "true" && id != "false" && id != "1" && id != "0") {
    return Status::InvalidArgument("include_id must be true or false",
                                   "include_id phải là true hoặc false")
        .WithField("include_id", "true, false");
  }
  o.include_id = id != "false" && id != "0";
  return o;
}

json FieldsJson(const std::vector<datastore::Field>& fields) {
  json out = json::array();
  for (const auto& f : fields) {
    json x = {{"name", f.id}, {"title", f.label}, {"type", datastore::ToString(f.type)}};
    if (!f.description.empty()) x["description"] = f.description;
    out.push_back(std::move(x));
  }
  return out;
}

// The publisher's changes to a table: a Frictionless-style schema (fields with name, type,
// title, description; primaryKey) and how to read the file (sheet from 1, encoding, and the
// header, first and last data rows, from 1; null finds one from the file again).
Result<datastore::LoadOptions> ParseSchemaChange(const json& j,
                                                 const datastore::TableInfo* current) {
  datastore::LoadOptions o;
  Status bad = Status::InvalidArgument("invalid schema", "Lược đồ bảng không hợp lệ");
  bool has_bad = false;
  if (j.contains("fields")) {
    if (!j["fields"].is_array()) {
      bad.WithField("fields", "Phải là danh sách cột");
      has_bad = true;
    } else {
      for (const auto& f : j["fields"]) {
        Result<std::string> name_text = JsonStringField(f, "name");
        if (!name_text.ok() || name_text->empty()) {
          bad.WithField("fields", "Mỗi cột cần \"name\"");
          has_bad = true;
          continue;
        }
        const std::string& name = *name_text;
        if (current && std::none_of(current->fields.begin(), current->fields.end(),
                                    [&](const datastore::Field& x) { return x.id == name; })) {
          bad.WithField(name, "Bảng không có cột này");
          has_bad = true;
          continue;
        }
        Result<std::string> title = JsonStringField(f, "title"),
                            type_text = JsonStringField(f, "type");
        if (!title.ok() || !type_text.ok()) {
          bad.WithField(name, "\"title\" và \"type\" phải là chuỗi ký tự");
          has_bad = true;
          continue;
        }
        datastore::FieldOverride fo{name, std::nullopt, std::move(*title), std::nullopt};
        if (f.contains("description") && f["description"].is_string()) {
          fo.description = f["description"].get<std::string>();
        }
        const std::string& type = *type_text;
        if (!type.empty()) {
          if (!datastore::IsColumnTypeName(type)) {
            bad.WithField(name, "Kiểu không hỗ trợ: " + type +
                                    " (string, integer, number, boolean, date, datetime)");
            has_bad = true;
            continue;
          }
          fo.type = datastore::TypeFromString(type);
        }
        o.fields.push_back(std::move(fo));
      }
    }
  }
  const json* pk = j.contains("primaryKey")    ? &j["primaryKey"]
                   : j.contains("primary_key") ? &j["primary_key"]
                                               : nullptr;
  if (pk) {
    if (pk->is_string()) {
      o.primary_key = {pk->get<std::string>()};
    } else if (pk->is_array()) {
      for (const auto& k : *pk) {
        if (k.is_string()) o.primary_key.push_back(k.get<std::string>());
      }
    }
    for (const auto& k : o.primary_key) {
      if (current && std::none_of(current->fields.begin(), current->fields.end(),
                                  [&](const datastore::Field& x) { return x.id == k; })) {
        bad.WithField("primaryKey", "Bảng không có cột " + k);
        has_bad = true;
      }
    }
  }
  if (j.contains("wide_to_long")) {
    if (!j["wide_to_long"].is_boolean()) {
      bad.WithField("wide_to_long", "true (xoay bảng rộng thành bảng dài) hoặc false");
      has_bad = true;
    } else {
      o.wide_to_long = j["wide_to_long"].get<bool>() ? 1 : -1;
    }
  }
  if (j.contains("sheet") && j["sheet"] == "all") {
    o.all_sheets = true;
  } else if (j.contains("sheet")) {
    Result<int64_t> n = JsonInteger(j["sheet"]);  // a JSON integer: "2" is refused
    if (!j["sheet"].is_number_integer() || !n.ok() || *n < 1 ||
        *n > std::numeric_limits<int>::max()) {
      bad.WithField("sheet", "Số thứ tự trang tính, từ 1, hoặc \"all\" cho mọi trang");
      has_bad = true;
    } else {
      o.sheet = static_cast<int>(*n) - 1;
    }
  }
  if (j.contains("encoding")) {
    // "auto" goes back to detection; a name the reader does not know is refused here, not by a
    // load that fails later.
    std::string encoding = j["encoding"].is_string() ? j["encoding"].get<std::string>() : "?";
    if (encoding != "auto" && !text::ParseEncodingName(encoding)) {
      bad.WithField("encoding",
                    "Chọn auto (tự nhận), UTF-8, UTF-16, Windows-1258, TCVN3, VNI hoặc VISCII");
      has_bad = true;
    } else {
      o.encoding = encoding;
    }
  }
  if (j.contains("records")) {
    if (!j["records"].is_string() || j["records"].get<std::string>().size() > 1024) {
      bad.WithField("records", "Đường dẫn mảng bản ghi JSON, như \"data[].items[]\"");
      has_bad = true;
    } else {
      o.records = j["records"].get<std::string>();
    }
  }
  // Where the table is in the file: a row number from 1, or null to find it from the file again.
  for (auto [name, into] :
       {std::pair{"header_row", &o.header_row}, std::pair{"first_row", &o.first_row},
        std::pair{"last_row", &o.last_row}}) {
    if (!j.contains(name)) continue;
    if (j[name].is_null()) {
      *into = -1;
      continue;
    }
    Result<int64_t> n = JsonInteger(j[name]);
    if (!j[name].is_number_integer() || !n.ok() || *n < 1) {
      bad.WithField(name, "Số thứ tự dòng trong tệp, từ 1, hoặc null để tự tìm");
      has_bad = true;
    } else {
      *into = *n;
    }
  }
  if (o.header_row > 0 && o.first_row > 0 && o.first_row <= o.header_row) {
    bad.WithField("first_row", "Dòng dữ liệu đầu tiên phải nằm dưới dòng tiêu đề");
    has_bad = true;
  }
  if (o.last_row > 0 && o.last_row < std::max(o.first_row, o.header_row + 1)) {
    bad.WithField("last_row", "Dòng dữ liệu cuối cùng không được nằm trên dòng đầu tiên");
    has_bad = true;
  }
  if (has_bad) return bad;
  return o;
}

}  // namespace

Result<std::optional<datastore::LoadOptions>> LoadOptionsFromForm(
    const std::map<std::string, std::string>& fields) {
  auto get = [&](const char* k) {
    auto it = fields.find(k);
    return it == fields.end() ? std::string() : it->second;
  };
  std::string sheet = get("sheet"), encoding = get("encoding"), records = get("records");
  const std::string rows[] = {get("header_row"), get("first_row"), get("last_row")};
  const std::string wide = get("wide_to_long");
  if (sheet.empty() && encoding.empty() && records.empty() && rows[0].empty() && rows[1].empty() &&
      rows[2].empty() && wide.empty()) {
    return std::optional<datastore::LoadOptions>();
  }
  datastore::LoadOptions o;
  if (wide == "true" || wide == "1" || wide == "on") {
    o.wide_to_long = 1;
  } else if (wide == "false" || wide == "0") {
    o.wide_to_long = -1;
  } else if (!wide.empty()) {
    return Status::InvalidArgument("wide_to_long must be true or false",
                                   "wide_to_long phải là true hoặc false")
        .WithField("wide_to_long", "true (xoay bảng rộng thành bảng dài) hoặc false");
  }
  if (records.size() > 1024) {
    return Status::InvalidArgument("records is too long", "Đường dẫn mảng bản ghi quá dài")
        .WithField("records", "Đường dẫn mảng bản ghi JSON, như \"data[].items[]\"");
  }
  o.records = records;
  // Row numbers from 1; "auto" (or "0") finds the row from the file again.
  const char* names[] = {"header_row", "first_row", "last_row"};
  int64_t* into[] = {&o.header_row, &o.first_row, &o.last_row};
  for (size_t i = 0; i < 3; ++i) {
    const std::string& v = rows[i];
    if (v.empty()) continue;
    if (v == "auto" || v == "0") {
      *into[i] = -1;
      continue;
    }
    int64_t n = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size() || n < 1) {
      return Status::InvalidArgument(std::string(names[i]) + " must be a row number from 1",
                                     "Số thứ tự dòng phải là số từ 1")
          .WithField(names[i], "Số thứ tự dòng trong tệp, từ 1 (để trống: tự tìm)");
    }
    *into[i] = n;
  }
  if (o.header_row > 0 && o.first_row > 0 && o.first_row <= o.header_row) {
    return Status::InvalidArgument("first_row must be below header_row",
                                   "Dòng dữ liệu đầu tiên phải nằm dưới dòng tiêu đề")
        .WithField("first_row", "Dòng dữ liệu đầu tiên phải nằm dưới dòng tiêu đề");
  }
  if (o.last_row > 0 && o.last_row < std::max(o.first_row, o.header_row + 1)) {
    return Status::InvalidArgument("last_row must not be above first_row",
                                   "Dòng dữ liệu cuối cùng không được nằm trên dòng đầu tiên")
        .WithField("last_row", "Dòng dữ liệu cuối cùng không được nằm trên dòng đầu tiên");
  }
  if (sheet == "all" || sheet == "*") {
    o.all_sheets = true;
  } else if (!sheet.empty()) {
    int n = 0;
    auto [end, ec] = std::from_chars(sheet.data(), sheet.data() + sheet.size(), n);
    if (ec != std::errc() || end != sheet.data() + sheet.size() || n < 1) {
      return Status::InvalidArgument("sheet must be a number from 1, or \"all\"",
                                     "Trang tính phải là số từ 1, hoặc \"all\" cho mọi trang")
          .WithField("sheet", "Số thứ tự trang tính, từ 1");
    }
    o.sheet = n - 1;
  }
  if (!encoding.empty()) {
    if (encoding != "auto" && !text::ParseEncodingName(encoding)) {
      return Status::InvalidArgument("unknown encoding: " + encoding,
                                     "Bảng mã không được hỗ trợ: " + encoding)
          .WithField("encoding", "Chọn UTF-8, UTF-16, Windows-1258, TCVN3, VNI hoặc VISCII");
    }
    o.encoding = encoding;
  }
  return std::optional<datastore::LoadOptions>(o);
}

namespace {

// The sheets (0-based) a form's `sheets` field names, with the workbook's sheet names.
struct SheetChoice {
  std::vector<int> sheets;
  std::vector<std::string> names;
};

Result<SheetChoice> ReadSheetChoice(ApiContext& ctx, const std::string& field,
                                    const std::string& file) {
  auto bad = [&](const std::string& en, const std::string& vi) {
    return Status::InvalidArgument(en, vi).WithField(
        "sheets", "Các số trang tính, từ 1, cách nhau bởi dấu phẩy, hoặc \"all\" cho mọi trang");
  };
  if (!ctx.datastore) return bad("the datastore is not running", "Kho dữ liệu bảng chưa chạy");
  ODP_ASSIGN_OR_RETURN(std::vector<std::string> names, ctx.datastore->SheetNames(file));
  if (names.empty()) {
    return bad("sheets applies to workbooks (XLSX, XLS)",
               "Tuỳ chọn \"sheets\" chỉ dùng cho tệp Excel (XLSX, XLS)");
  }
  SheetChoice choice;
  choice.names = names;
  if (field == "all" || field == "*") {
    for (size_t i = 0; i < names.size(); ++i) choice.sheets.push_back(static_cast<int>(i));
    return choice;
  }
  size_t at = 0;
  while (at <= field.size()) {
    size_t comma = field.find(',', at);
    if (comma == std::string::npos) comma = field.size();
    std::string_view part(field.data() + at, comma - at);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    int n = 0;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), n);
    if (part.empty() || ec != std::errc() || end != part.data() + part.size() || n < 1) {
      return bad("sheets must be sheet numbers from 1 separated by commas, or \"all\"",
                 "Trang tính phải là các số từ 1, cách nhau bởi dấu phẩy, hoặc \"all\"");
    }
    if (static_cast<size_t>(n) > names.size()) {
      return bad("the workbook has no sheet " + std::to_string(n) + " (it has " +
                     std::to_string(names.size()) + ")",
                 "Tệp không có trang tính số " + std::to_string(n) + " (chỉ có " +
                     std::to_string(names.size()) + ")");
    }
    if (std::find(choice.sheets.begin(), choice.sheets.end(), n - 1) == choice.sheets.end()) {
      choice.sheets.push_back(n - 1);
    }
    at = comma + 1;
  }
  return choice;
}

}  // namespace

Result<std::vector<std::pair<catalog::EntryPtr, Resource>>> AddSheetResources(
    ApiContext& ctx, const access::Principal& who, const std::string& dataset,
    const catalog::ResourceInput& input, const catalog::UploadedFile& file,
    const std::string& sheets) {
  ODP_ASSIGN_OR_RETURN(SheetChoice each,
                       ReadSheetChoice(ctx, sheets, ctx.blobs.PathOf(file.blob.sha256)));
  const std::string base = input.name && !input.name->empty()
                               ? *input.name
                               : std::filesystem::path(file.filename).stem().string();
  std::vector<std::pair<catalog::EntryPtr, Resource>> added;
  for (int sheet : each.sheets) {
    catalog::ResourceInput in = input;
    in.name = base + " — " + each.names[static_cast<size_t>(sheet)];
    // The sheet goes with the file to the resource's one load (no re-load racing a first one).
    catalog::UploadedFile this_sheet = file;
    this_sheet.read_as["sheet"] = std::to_string(sheet + 1);
    ODP_ASSIGN_OR_RETURN(auto one, ctx.catalog.AddResource(who, dataset, in, this_sheet));
    added.push_back(std::move(one));
  }
  return added;
}

Status ReloadWith(ApiContext& ctx, const std::string& resource_id,
                  const datastore::LoadOptions& change) {
  if (!ctx.datastore) return Status::NotFound("datastore", resource_id);
  return ctx.datastore->Reload(
      resource_id, datastore::MergeOptions(ctx.datastore->Options(resource_id), change));
}

std::string DescribeSchemaChange(const datastore::LoadOptions& before,
                                 const datastore::LoadOptions& after) {
  std::vector<std::string> types, names, descriptions;
  for (const auto& f : after.fields) {
    auto old = std::find_if(before.fields.begin(), before.fields.end(),
                            [&](const datastore::FieldOverride& b) { return b.id == f.id; });
    const bool known = old != before.fields.end();
    if (f.type && (!known || old->type != f.type)) types.push_back(f.id);
    if (!f.label.empty() && (!known || old->label != f.label)) names.push_back(f.id);
    if (f.description && (!known || old->description != f.description)) {
      descriptions.push_back(f.id);
    }
  }
  std::vector<std::pair<std::string, std::string>> parts;
  auto join = [](const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
    return out;
  };
  auto row = [](int64_t r) { return r > 0 ? std::to_string(r) : std::string("auto"); };
  auto on = [](bool b) { return std::string(b ? "on" : "off"); };
  if (!types.empty()) parts.emplace_back("types", join(types));
  if (!names.empty()) parts.emplace_back("names", join(names));
  if (!descriptions.empty()) parts.emplace_back("descriptions", join(descriptions));
  if (before.sheet != after.sheet) {
    parts.emplace_back("sheet", after.sheet < 0 ? "auto" : std::to_string(after.sheet + 1));
  }
  if (before.encoding != after.encoding) {
    parts.emplace_back("encoding", after.encoding.empty() ? "auto" : after.encoding);
  }
  if (before.header_row != after.header_row)
    parts.emplace_back("header_row", row(after.header_row));
  if (before.first_row != after.first_row) parts.emplace_back("first_row", row(after.first_row));
  if (before.last_row != after.last_row) parts.emplace_back("last_row", row(after.last_row));
  if (before.primary_key != after.primary_key) {
    parts.emplace_back("primary_key", after.primary_key.empty() ? "-" : join(after.primary_key));
  }
  if (before.records != after.records) parts.emplace_back("records", after.records);
  if (before.all_sheets != after.all_sheets) parts.emplace_back("all_sheets", on(after.all_sheets));
  if ((before.wide_to_long > 0) != (after.wide_to_long > 0)) {
    parts.emplace_back("wide_to_long", on(after.wide_to_long > 0));
  }
  std::string out;
  for (const auto& [k, v] : parts) out += (out.empty() ? "" : "; ") + k + ": " + v;
  return out;
}

Status ReloadAndRecord(ApiContext& ctx, const access::Principal& who,
                       const std::string& resource_id, const datastore::LoadOptions& options) {
  if (!ctx.datastore) return Status::NotFound("datastore", resource_id);
  const std::string what = DescribeSchemaChange(ctx.datastore->Options(resource_id), options);
  ODP_RETURN_IF_ERROR(ctx.datastore->Reload(resource_id, options));
  if (Status s = ctx.catalog.RecordTableChange(who, resource_id, what); !s.ok()) {
    LogWarn("schema change of " + resource_id + " not recorded in its history: " + s.message());
  }
  return Status::Ok();
}

namespace {

using access::Principal;
using http::Request;
using http::Response;

// The resource `rid` when `who` may read it and the datastore is open; "not found" otherwise.
Result<std::pair<catalog::EntryPtr, Resource>> DatastoreResource(ApiContext& ctx,
                                                                 const Principal& who,
                                                                 const std::string& rid) {
  auto res = ctx.catalog.GetResource(who, rid);
  if (!res.ok() || !ctx.datastore) return Status::NotFound("resource", rid);
  return res;
}

// The table behind a resource: its schema, row count, validation report, versions and the
// newest load.
Result<Response> DatastoreInfo(ApiContext& ctx, Request& req, const PathParams& p,
                               const Principal& who) {
  std::string rid = p.at("id");
  ODP_ASSIGN_OR_RETURN(access::TableDecision decision, TableDecisionFor(ctx, who, rid));
  json out = json::object();
  out["resource_id"] = rid;
  // A load's record (its errors may quote the file) is for whole readers only.
  auto job = decision.access == access::TableAccess::kWhole
                 ? ctx.datastore->Job(rid)
                 : Result<datastore::IngestJob>(Status::NotFound("job", rid));
  if (job.ok()) {
    out["job"] = {{"version", job->version},
                  {"state", ToString(job->state)},
                  {"rows_done", job->rows_done},
                  {"bytes_done", job->bytes_done},
                  {"bytes_total", job->bytes_total}};
    if (!job->error_en.empty()) {
      out["job"]["error"] = {{"message", job->error_en}, {"message_vi", job->error_vi}};
    }
  } else {
    out["job"] = nullptr;
  }
  auto t = TableFor(ctx, who, rid, req.Param("version"));
  if (t.ok()) {
    datastore::TableInfo& info = t->table;
    if (t->grant) {
      // Through a grant: the rows the grant shows, not the table's.
      datastore::Query counting;
      counting.limit = 0;
      ODP_RETURN_IF_ERROR(RestrictQuery(ctx, *t, counting));
      ODP_ASSIGN_OR_RETURN(auto found, ctx.datastore->Search(info, counting));
      info.rows = found.total;
    }
    json issues = json::array();
    for (const auto& i : info.issues) {
      issues.push_back({{"kind", ToString(i.kind)},
                        {"line", i.line},
                        {"column", i.column},
                        {"message", i.message_en},
                        {"message_vi", i.message_vi}});
    }
    out["table"] = {
        {"version", info.version},
        {"rows", info.rows},
        {"header_line", info.header_line},
        {"delimiter", std::string(1, info.delimiter)},
        {"source", info.source},
        {"encoding", info.encoding},
        {"indexed", info.indexed},
        {"caption", info.caption},
        {"notes", info.notes},
        {"schema", {{"fields", FieldsJson(info.fields)}, {"primaryKey", info.primary_key}}},
        {"issues", issues},
        {"issue_counts", datastore::IssueCountsByName(info)},
        {"personal_data",
         PersonalDataJson(info, ctx.catalog.CheckCanEdit(who, t->resource.dataset_id).ok())},
        {"versions", ctx.datastore->Versions(rid)}};
    if (!info.latitude.empty()) {
      out["table"]["geopoint"] = {{"latitude", info.latitude}, {"longitude", info.longitude}};
    }
    if (!info.pivot_columns.empty()) {
      // Loaded long from a wide table: the file's key columns and the year columns turned.
      out["table"]["wide_to_long"] = {{"key_columns", info.pivot_keys},
                                      {"year_columns", info.pivot_columns}};
    }
  } else if (t.status().code() == StatusCode::kInvalidArgument) {
    return t.status();
  } else {
    out["table"] = nullptr;
  }
  return JsonResponse(200, out);
}

// Rows with the REST filter grammar, sorting and keyset paging (docs/api.md).
Result<Response> DatastoreRows(ApiContext& ctx, Request& req, const PathParams& p,
                               const Principal& who) {
  std::string rid = p.at("id");
  ODP_ASSIGN_OR_RETURN(RowsRequest r, ReadRowsRequest(ctx, who, req, rid));
  if (r.admission.refused) return QuotaRefusal(r.admission);
  ODP_ASSIGN_OR_RETURN(auto found, ctx.datastore->Search(r.table(), r.query));
  CountRows(ctx, r.target, static_cast<int64_t>(found.rows.size()));
  json rows = json::array();
  for (const auto& row : found.rows) {
    json o = json::object();
    for (size_t i = 0; i < row.size() && i < found.fields.size(); ++i)
      o[found.fields[i].id] = row[i];
    rows.push_back(std::move(o));
  }
  json out = {{"resource_id", rid},
              {"version", r.table().version},
              {"fields", FieldsJson(found.fields)},
              {"rows", std::move(rows)}};
  if (r.query.include_total) out["total"] = found.total;
  if (found.next) {
    std::string cursor = EncodeCursor(*found.next);
    out["next"] = cursor;
    // The same query from the row after the last one.
    std::string link = "/api/v1/resources/" + http::UrlEncode(rid) + "/rows?";
    for (const auto& [k, v] : req.query) {
      if (k == "cursor" || k == "offset") continue;
      link += http::UrlEncode(k) + "=" + http::UrlEncode(v) + "&";
    }
    out["links"] = {{"next", link + "cursor=" + cursor}};
  } else {
    out["next"] = nullptr;
  }
  Response answer = JsonResponse(200, out);
  // Rows answered, for the caller's usage record (api/audit_api.h).
  answer.Set("X-Result-Rows", std::to_string(found.rows.size()));
  AddQuotaHeaders(r.admission, answer);
  return answer;
}

// Group-by with count, sum, avg, min, max: what charts need.
Result<Response> DatastoreAggregate(ApiContext& ctx, Request& req, const PathParams& p,
                                    const Principal& who) {
  std::string rid = p.at("id");
  ODP_ASSIGN_OR_RETURN(TableForCaller target, TableFor(ctx, who, rid, req.Param("version")));
  ODP_ASSIGN_OR_RETURN(datastore::Query filter, ParseRestQuery(req));
  ODP_ASSIGN_OR_RETURN(auto aggregate, ParseAggregateQuery(req, filter));
  ODP_RETURN_IF_ERROR(RestrictAggregate(ctx, target, aggregate));
  ReadAdmission admission = AdmitRead(ctx, target);
  if (admission.refused) return QuotaRefusal(admission);
  ODP_ASSIGN_OR_RETURN(auto groups, ctx.datastore->Aggregate(target.table, aggregate));
  CountRows(ctx, target, static_cast<int64_t>(groups.rows.size()));
  json rows = json::array();
  for (const auto& row : groups.rows) {
    json o = json::object();
    for (size_t i = 0; i < row.size() && i < groups.columns.size(); ++i)
      o[groups.columns[i]] = row[i];
    rows.push_back(std::move(o));
  }
  Response response = JsonResponse(200, {{"resource_id", rid},
                                         {"version", target.table.version},
                                         {"columns", groups.columns},
                                         {"rows", std::move(rows)}});
  AddQuotaHeaders(admission, response);
  return response;
}

// Exports of a REST query: the same filters, sort and columns, without a row limit.
Result<Response> DatastoreExport(ApiContext& ctx, Request& req, const PathParams& p,
                                 const Principal& who) {
  ODP_ASSIGN_OR_RETURN(RowsRequest r, ReadRowsRequest(ctx, who, req, p.at("id")));
  if (r.admission.refused) return QuotaRefusal(r.admission);
  r.query.limit = req.HasParam("limit") ? r.query.limit : 0;
  ODP_ASSIGN_OR_RETURN(datastore::ExportOptions o, ParseExportOptions(req, "csv"));
  ODP_RETURN_IF_ERROR(CountExport(ctx, r));
  if (r.admission.refused) return QuotaRefusal(r.admission);
  Response response = ExportResponse(ctx, req, who, r.table(), r.query, o, r.target.resource);
  AddQuotaHeaders(r.admission, response);
  return response;
}

// The publisher changes column types, labels, descriptions, the primary key, the sheet or
// the encoding: the file is loaded again and re-validated, without a new upload.
Result<Response> ChangeSchema(ApiContext& ctx, Request& req, const PathParams& p,
                              const Principal& who) {
  std::string rid = p.at("id");
  ODP_ASSIGN_OR_RETURN(auto res, DatastoreResource(ctx, who, rid));
  ODP_RETURN_IF_ERROR(ctx.catalog.CheckCanEdit(who, res.first->dataset.id));
  ODP_ASSIGN_OR_RETURN(json body, ParseJsonObject(req.body));
  auto current = ctx.datastore->Table(rid);
  ODP_ASSIGN_OR_RETURN(datastore::LoadOptions o,
                       ParseSchemaChange(body, current.ok() ? &*current : nullptr));
  // What the publisher said before still holds unless this change says otherwise.
  datastore::LoadOptions merged = datastore::MergeOptions(ctx.datastore->Options(rid), o);
  if (body.contains("primaryKey") || body.contains("primary_key"))
    merged.primary_key = o.primary_key;  // [] clears
  ODP_RETURN_IF_ERROR(ReloadAndRecord(ctx, who, rid, merged));
  return JsonResponse(202, {{"resource_id", rid}, {"reloading", true}});
}

// Who may decide about a column flagged as personal data: whoever may publish the dataset.
Status MayReviewPersonalData(const Principal& who, const Dataset& d) {
  if (access::Allowed(who, access::Action::kPublishDataset,
                      {d.organization_id, d.access, DatasetState::kPending})) {
    return Status::Ok();
  }
  return Status::PermissionDenied("review personal data of this dataset",
                                  "Bạn không có quyền xem xét dữ liệu cá nhân của bộ dữ liệu này");
}

// A reviewer's decision on a column flagged as personal data: not personal (with a reason) or
// masked; the table's versions are loaded again with it (ReviewPersonalColumn).
Result<Response> ReviewPersonalData(ApiContext& ctx, Request& req, const PathParams& p,
                                    const Principal& who) {
  std::string rid = p.at("id");
  ODP_ASSIGN_OR_RETURN(auto res, DatastoreResource(ctx, who, rid));
  ODP_RETURN_IF_ERROR(MayReviewPersonalData(who, res.first->dataset));
  ODP_ASSIGN_OR_RETURN(json body, ParseJsonObject(req.body));
  auto text = [&](const char* key) {
    return body.contains(key) && body[key].is_string() ? body[key].get<std::string>() : "";
  };
  datastore::ColumnReview review{
      text("column"), text("decision"), text("mask"), text("reason"), "", 0};
  ODP_RETURN_IF_ERROR(ReviewPersonalColumn(ctx, who, res.first->dataset, rid, review));
  return JsonResponse(202, {{"resource_id", rid}, {"column", review.column}, {"reloading", true}});
}

// What changed between two versions (rows added, removed, changed by primary key).
Result<Response> DatastoreDiff(ApiContext& ctx, Request& req, const PathParams& p,
                               const Principal& who) {
  std::string rid = p.at("id");
  // A diff names rows and columns beyond any grant's view, of any two versions (one may be held
  // for a personal-data review): only whole readers of every version see it.
  ODP_ASSIGN_OR_RETURN(access::TableDecision decision, TableDecisionFor(ctx, who, rid));
  if (decision.access == access::TableAccess::kGranted) return Status::NotFound("resource", rid);
  if (decision.access != access::TableAccess::kWhole) {
    return Status::NotFound("datastore table of resource", rid);
  }
  std::vector<int> versions = ctx.datastore->Versions(rid);
  int to = versions.empty() ? 0 : versions.back();
  int from = versions.size() > 1 ? versions[versions.size() - 2] : 0;
  for (auto [name, version] : {std::pair{"to", &to}, std::pair{"from", &from}}) {
    if (!req.HasParam(name)) continue;
    Result<int64_t> n = ParseIntIn(req.Param(name), std::numeric_limits<int>::min(),
                                   std::numeric_limits<int>::max());
    if (!n.ok())
      return Status::InvalidArgument("from and to are version numbers",
                                     "from và to là số phiên bản");
    *version = static_cast<int>(*n);
  }
  if (from <= 0 || to <= 0)
    return Status::NotFound("earlier version of the table of resource", rid);
  ODP_ASSIGN_OR_RETURN(auto d, ctx.datastore->Diff(rid, from, to));
  return JsonResponse(200, {{"resource_id", rid},
                            {"from", d.from},
                            {"to", d.to},
                            {"key", d.key},
                            {"added", d.added},
                            {"removed", d.removed},
                            {"changed", d.changed},
                            {"added_columns", d.added_columns},
                            {"removed_columns", d.removed_columns}});
}

// Stops a queued or running load (the previous version keeps serving).
Result<Response> CancelLoad(ApiContext& ctx, Request&, const PathParams& p, const Principal& who) {
  std::string rid = p.at("id");
  ODP_ASSIGN_OR_RETURN(auto res, DatastoreResource(ctx, who, rid));
  ODP_RETURN_IF_ERROR(ctx.catalog.CheckCanEdit(who, res.first->dataset.id));
  ODP_RETURN_IF_ERROR(ctx.datastore->Cancel(rid));
  return JsonResponse(202, {{"resource_id", rid}, {"cancelling", true}});
}

// CKAN's dump path: the whole table (or a CKAN-style query of it) as a file.
Result<Response> DatastoreDump(ApiContext& ctx, Request& req, const PathParams& p,
                               const Principal& who) {
  std::string rid = p.at("id");
  auto t = TableFor(ctx, who, rid, req.Param("version"));
  if (!t.ok()) {
    return t.status().code() == StatusCode::kInvalidArgument ? t.status()
                                                             : Status::NotFound("resource", rid);
  }
  json args = json::object();
  for (const auto& [k, v] : req.query) args[k] = v;
  args.erase("limit");
  ODP_ASSIGN_OR_RETURN(datastore::Query q, ParseDatastoreQuery(args));
  q.limit = 0;  // everything
  if (req.HasParam("limit")) {
    Result<int64_t> limit = ParseInt(req.Param("limit"));
    if (!limit.ok()) return Status::InvalidArgument("limit must be a number", "limit phải là số");
    q.limit = *limit;
  }
  ODP_ASSIGN_OR_RETURN(datastore::ExportOptions o, ParseExportOptions(req, "csv"));
  ODP_RETURN_IF_ERROR(RestrictQuery(ctx, *t, q));
  ReadAdmission admission = AdmitRead(ctx, *t);
  RowsRequest r{std::move(*t), std::move(q), std::move(admission)};
  if (r.admission.refused) return QuotaRefusal(r.admission);
  ODP_RETURN_IF_ERROR(CountExport(ctx, r));
  if (r.admission.refused) return QuotaRefusal(r.admission);
  Response response = ExportResponse(ctx, req, who, r.table(), r.query, o, r.target.resource);
  AddQuotaHeaders(r.admission, response);
  return response;
}

}  // namespace

Status ReviewPersonalColumn(ApiContext& ctx, const access::Principal& who, const Dataset& d,
                            const std::string& resource_id, datastore::ColumnReview review) {
  ODP_RETURN_IF_ERROR(MayReviewPersonalData(who, d));
  if (ctx.datastore == nullptr) return Status::NotFound("table of resource", resource_id);
  review.by = who.username.empty() ? who.user_id : who.username;
  // The decision this one replaces: the one the next load of the table will apply.
  json previous = nullptr;
  for (const auto& r : ctx.datastore->Options(resource_id).reviews) {
    if (r.column == review.column) previous = {{"decision", r.decision}, {"mask", r.mask}};
  }
  ODP_ASSIGN_OR_RETURN(datastore::ColumnReview recorded,
                       ctx.datastore->Review(resource_id, review));
  if (ctx.audit != nullptr) {
    json details = {
        {"dataset_id", d.id},    {"column", recorded.column}, {"decision", recorded.decision},
        {"mask", recorded.mask}, {"reason", recorded.reason}, {"previous", previous}};
    ctx.audit->Record(store::AuditEvent(
        "personal_data.reviewed", who.AuditActor(), d.organization_id, resource_id,
        details.dump(-1, ' ', false, json::error_handler_t::replace)));
  }
  return Status::Ok();
}

void RegisterDatastore(Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "GET", "/api/v1/resources/{id}/datastore", DatastoreInfo);
  AddRoute(router, ctx, "GET", "/api/v1/resources/{id}/rows", DatastoreRows);
  AddRoute(router, ctx, "GET", "/api/v1/resources/{id}/aggregate", DatastoreAggregate);
  AddRoute(router, ctx, "GET", "/api/v1/resources/{id}/export", DatastoreExport);
  AddRoute(router, ctx, "PUT", "/api/v1/resources/{id}/datastore/schema", ChangeSchema);
  AddRoute(router, ctx, "GET", "/api/v1/resources/{id}/datastore/diff", DatastoreDiff);
  AddRoute(router, ctx, "POST", "/api/v1/resources/{id}/datastore/cancel", CancelLoad);
  AddRoute(router, ctx, "POST", "/api/v1/resources/{id}/datastore/personal-data",
           ReviewPersonalData);
  AddRoute(router, ctx, "GET", "/datastore/dump/{id}", DatastoreDump);
}

}  // namespace odp::api
