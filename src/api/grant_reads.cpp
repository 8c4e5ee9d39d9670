#include "api/grant_reads.h"

#include <algorithm>
#include <limits>
#include <set>

#include "access/grants.h"
#include "api/datastore_params.h"
#include "api/response.h"
#include "base/parse.h"
#include "sharing/sharing.h"

namespace odp::api {

namespace {

Status MaskedColumn(const std::string& column) {
  return Status::InvalidArgument("column " + column + " is masked by the grant",
                                 "Cột " + column + " được che theo quyền chia sẻ")
      .WithField(column, "Cột được che: không lọc, sắp xếp hay gộp theo cột này");
}

Status CheckNotMasked(const TableForCaller& t, const std::string& column) {
  if (t.masks.count(column)) return MaskedColumn(column);
  return Status::Ok();
}

bool HasField(const datastore::TableInfo& t, const std::string& id) {
  return std::any_of(t.fields.begin(), t.fields.end(),
                     [&](const datastore::Field& f) { return f.id == id; });
}

// Whether `who` is among the publisher's own editors of the resource's dataset (its
// organization's editors and admins, sysadmins): the only ones who read a table held for a
// personal-data review, and an original file that holds personal data.
bool PublisherEditor(ApiContext& ctx, const access::Principal& who, const Resource& r) {
  return ctx.catalog.CheckCanEdit(who, r.dataset_id).ok();
}

bool Held(const datastore::TableInfo& t) {
  return std::any_of(t.personal_data.begin(), t.personal_data.end(), datastore::Unresolved);
}

}  // namespace

Result<std::vector<datastore::Condition>> ParseRowFilter(const std::string& filter) {
  std::vector<datastore::Condition> out;
  if (filter.empty()) return out;
  http::Request req;
  req.query = http::ParseQuery(filter);
  static const std::set<std::string> kReserved = {
      "q", "fields", "sort", "limit", "offset", "cursor", "include_total", "version", "format"};
  auto bad = Status::InvalidArgument("the row filter may hold only filter conditions",
                                     "Bộ lọc dòng chỉ được chứa điều kiện lọc")
                 .WithField("row_filter", "Dạng cot=giatri hoặc cot[op]=giatri, nối bằng &");
  for (const auto& [k, v] : req.query) {
    if (kReserved.count(k)) return bad;
  }
  auto q = ParseRestQuery(req);
  if (!q.ok()) return bad;
  for (const auto& [field, values] : q->filters) {
    out.push_back({field, values.size() == 1 ? datastore::Op::kEq : datastore::Op::kIn, values});
  }
  for (const auto& c : q->where) out.push_back(c);
  return out;
}

Status CheckGrantAgainstTable(const datastore::Datastore& ds, const datastore::TableInfo& table,
                              const std::vector<std::string>& columns,
                              const access::ColumnMasks& masks, const std::string& row_filter) {
  Status bad = Status::InvalidArgument("the grant does not fit the table",
                                       "Quyền chia sẻ không khớp với bảng dữ liệu");
  bool any = false;
  for (const auto& c : columns) {
    if (!HasField(table, c)) {
      bad.WithField("columns", "Bảng không có cột " + c);
      any = true;
    }
  }
  std::set<std::string> shown;
  for (const auto& f : table.fields) {
    const bool granted =
        columns.empty() || std::find(columns.begin(), columns.end(), f.id) != columns.end();
    auto m = masks.find(f.id);
    if (granted && (m == masks.end() || m->second.kind != access::MaskKind::kDrop)) {
      shown.insert(f.id);
    }
  }
  for (const auto& [c, m] : masks) {
    if (!HasField(table, c)) {
      bad.WithField("masks", "Bảng không có cột " + c);
      any = true;
    }
  }
  auto conditions = ParseRowFilter(row_filter);
  if (!conditions.ok()) return conditions.status();
  for (const auto& c : *conditions) {
    if (!shown.count(c.field)) {
      bad.WithField("row_filter", "Bộ lọc dòng chỉ dùng được các cột được cấp: " + c.field);
      any = true;
    }
  }
  if (any) return bad;
  // Each value must fit its column's type, as the rows endpoint reads it.
  if (Status typed = datastore::CheckConditionValues(table, *conditions); !typed.ok()) {
    return Status::InvalidArgument("the row filter does not fit the table: " + typed.message(),
                                   "Bộ lọc dòng không khớp với bảng: " + typed.message_vi())
        .WithField("row_filter", typed.message_vi());
  }
  if (!conditions->empty()) {
    datastore::Query q;
    q.where = *conditions;
    q.limit = 0;
    q.include_total = false;
    auto tried = ds.Search(table, q);
    if (!tried.ok()) {
      return Status::InvalidArgument(
                 "the row filter does not apply to the table: " + tried.status().message(),
                 "Bộ lọc dòng không áp dụng được cho bảng")
          .WithField("row_filter", tried.status().message());
    }
  }
  return Status::Ok();
}

Status GrantFitsTable(ApiContext& ctx, const std::string& resource_id,
                      const std::vector<std::string>& columns, const access::ColumnMasks& masks,
                      const std::string& row_filter) {
  auto table = ctx.datastore ? ctx.datastore->Table(resource_id)
                             : Result<datastore::TableInfo>(Status::NotFound("table", ""));
  if (!table.ok()) {
    if (columns.empty() && masks.empty() && row_filter.empty()) return Status::Ok();
    return Status::InvalidArgument(
               "the resource has no table: columns, masks and a row filter need one",
               "Tài nguyên chưa có bảng dữ liệu: không thể giới hạn cột, che cột hay lọc dòng")
        .WithField("resource_id", "Chưa có bảng dữ liệu");
  }
  return CheckGrantAgainstTable(*ctx.datastore, *table, columns, masks, row_filter);
}

Result<Grant> CreateGrantChecked(ApiContext& ctx, const access::Principal& who,
                                 const access::GrantInput& in) {
  if (ctx.grants == nullptr) return Status::NotFound("grants", "");
  ODP_RETURN_IF_ERROR(ctx.grants->CheckCanGrant(who, in.resource_id));
  ODP_RETURN_IF_ERROR(GrantFitsTable(ctx, in.resource_id, in.columns, in.masks, in.row_filter));
  return ctx.grants->Create(who, in);
}

Result<access::TableDecision> TableDecisionFor(ApiContext& ctx, const access::Principal& who,
                                               const std::string& rid) {
  auto res = ctx.catalog.GetResource(who, rid);
  if (!res.ok() || !ctx.datastore) return Status::NotFound("resource", rid);
  const Dataset& d = res->first->dataset;
  access::TableDecision decision =
      access::DecideTableRead(who, {d.organization_id, d.access, d.state, d.id}, rid);
  if (decision.access == access::TableAccess::kNone) return Status::NotFound("resource", rid);
  if (ctx.datastore->HoldsUnreviewedPersonalData(rid) && !PublisherEditor(ctx, who, res->second)) {
    return access::TableDecision{};  // the resource is there, its table is not (for `who`)
  }
  // The grant pointer points into `who`, which outlives the caller's use of it.
  return decision;
}

Result<catalog::Download> OpenFileFor(ApiContext& ctx, const access::Principal& who,
                                      const std::string& rid, int version) {
  // Who may read the resource, and through a grant only one that shows the table whole.
  ODP_ASSIGN_OR_RETURN(catalog::Download d, ctx.catalog.OpenDownload(who, rid, version));
  if (ctx.datastore && ctx.datastore->FileHoldsPersonalData(rid)) {
    auto res = ctx.catalog.GetResource(who, rid);
    if (!res.ok() || !PublisherEditor(ctx, who, res->second)) {
      return Status::PermissionDenied(
          "the original file holds personal data; read the table, where it is masked",
          "Tệp gốc chứa dữ liệu cá nhân; hãy dùng bảng dữ liệu, nơi dữ liệu cá nhân đã được che");
    }
  }
  return d;
}

Result<TableForCaller> TableFor(ApiContext& ctx, const access::Principal& who,
                                const std::string& rid, const std::string& version) {
  auto res = ctx.catalog.GetResource(who, rid);
  if (!res.ok() || !ctx.datastore) return Status::NotFound("resource", rid);
  const Dataset& d = res->first->dataset;
  const access::TableDecision decision =
      access::DecideTableRead(who, {d.organization_id, d.access, d.state, d.id}, rid);
  if (decision.access == access::TableAccess::kNone) return Status::NotFound("resource", rid);
  int v = 0;
  if (!version.empty()) {
    Result<int64_t> n = ParseIntIn(version, 1, std::numeric_limits<int>::max());
    if (!n.ok()) {
      return Status::InvalidArgument("version must be a positive number",
                                     "Phiên bản phải là số dương")
          .WithField("version", "Phải là số nguyên dương");
    }
    v = static_cast<int>(*n);
  }
  auto table = ctx.datastore->Table(rid, v);
  if (!table.ok()) return table.status();
  if (Held(*table) && !PublisherEditor(ctx, who, res->second)) {
    // Held for a personal-data review: answered as a resource without a table.
    return Status::NotFound("datastore table of resource", rid);
  }
  TableForCaller out{*table, res->second, std::nullopt, {}, {}, true};
  if (decision.access == access::TableAccess::kWhole) return out;
  const Grant& g = *decision.grant;
  out.grant = g;
  const std::vector<std::string> columns = access::GrantColumns(g);
  const access::ColumnMasks masks = access::GrantMasks(g);
  std::vector<datastore::Field> fields;
  for (const auto& f : table->fields) {
    if (!columns.empty() && std::find(columns.begin(), columns.end(), f.id) == columns.end()) {
      continue;
    }
    auto m = masks.find(f.id);
    if (m != masks.end() && m->second.kind == access::MaskKind::kDrop) continue;
    if (m != masks.end()) out.masks[f.id] = m->second;
    fields.push_back(f);
  }
  out.whole = fields.size() == table->fields.size() && out.masks.empty();
  datastore::TableInfo& view = out.table;
  if (fields.size() != table->fields.size()) {
    for (const auto& f : table->fields) {
      if (f.type == datastore::ColumnType::kString) view.stored_text_columns.push_back(f.id);
    }
  }
  view.fields = std::move(fields);
  view.issues.clear();
  view.issue_counts.clear();
  view.personal_data.clear();  // the review's findings (columns, examples) are the publisher's
  auto shown = [&](const std::string& id) { return HasField(view, id) && !out.masks.count(id); };
  if (std::any_of(view.primary_key.begin(), view.primary_key.end(),
                  [&](const std::string& k) { return !shown(k); })) {
    view.primary_key.clear();
  }
  if (!view.latitude.empty() && (!shown(view.latitude) || !shown(view.longitude))) {
    view.latitude.clear();
    view.longitude.clear();
  }
  // A filter that no longer parses (the table changed since the grant was made) shows nothing.
  auto conditions = ParseRowFilter(g.row_filter);
  if (!conditions.ok()) return Status::NotFound("resource", rid);
  out.rows = std::move(*conditions);
  return out;
}

Status RestrictQuery(const ApiContext& ctx, const TableForCaller& t, datastore::Query& q) {
  if (!t.grant) return Status::Ok();
  for (const auto& [field, values] : q.filters) ODP_RETURN_IF_ERROR(CheckNotMasked(t, field));
  for (const auto& c : q.where) ODP_RETURN_IF_ERROR(CheckNotMasked(t, c.field));
  for (const auto& [field, desc] : q.sort) ODP_RETURN_IF_ERROR(CheckNotMasked(t, field));
  if (!q.q.empty() && !t.whole) {
    return Status::InvalidArgument(
               "full-text search (q) is not available through a grant that hides or masks "
               "columns; filter on columns instead",
               "Không tìm toàn văn (q) được khi quyền chia sẻ ẩn hoặc che cột; hãy lọc theo cột")
        .WithField("q", "Không dùng được với quyền chia sẻ này");
  }
  q.where.insert(q.where.end(), t.rows.begin(), t.rows.end());
  q.masks = t.masks;
  q.mask_key = ctx.mask_key;
  return Status::Ok();
}

Status RestrictAggregate(const ApiContext& ctx, const TableForCaller& t,
                         datastore::AggregateQuery& a) {
  if (!t.grant) return Status::Ok();
  for (const auto& g : a.group_by) ODP_RETURN_IF_ERROR(CheckNotMasked(t, g));
  for (const auto& m : a.metrics) ODP_RETURN_IF_ERROR(CheckNotMasked(t, m.field));
  ODP_RETURN_IF_ERROR(RestrictQuery(ctx, t, a.filter));
  a.filter.masks.clear();  // aggregates never show a masked column's values
  return Status::Ok();
}

namespace {

// Tells the sharing service what the grant used today, for its "quota nearly used" notice.
void NoteQuotaUse(ApiContext& ctx, const Grant& g, Micros now) {
  if (ctx.sharing == nullptr || ctx.quotas == nullptr) return;
  if (g.requests_per_day <= 0 && g.rows_per_day <= 0) return;
  const access::QuotaCounter::DayUse used = ctx.quotas->UsedToday(g, now);
  ctx.sharing->NoteQuotaUse(g, used.requests, used.rows, now);
}

}  // namespace

ReadAdmission AdmitRead(ApiContext& ctx, const TableForCaller& t) {
  if (!t.grant) return {};
  return AdmitGrant(ctx, *t.grant);
}

ReadAdmission AdmitTableRead(ApiContext& ctx, const access::Principal& who,
                             const std::string& rid) {
  auto decision = TableDecisionFor(ctx, who, rid);
  if (!decision.ok() || decision->grant == nullptr) return {};
  return AdmitGrant(ctx, *decision->grant);
}

ReadAdmission AdmitGrant(ApiContext& ctx, const Grant& g) {
  ReadAdmission a;
  if (ctx.quotas == nullptr) return a;
  const Micros now = NowMicros();
  access::QuotaDecision d = ctx.quotas->Admit(g, now);
  if (d.allowed) NoteQuotaUse(ctx, g, now);
  if (!d.policy.empty()) {
    a.headers.emplace_back("RateLimit-Policy", d.policy);
    a.headers.emplace_back("RateLimit", d.remaining);
  }
  a.refused = !d.allowed;
  a.retry_after = d.retry_after;
  return a;
}

http::Response QuotaRefusal(const ReadAdmission& a) {
  http::Response r = ErrorResponse(Status::ResourceExhausted(
      "the grant's quota or rate is used up; retry after " + std::to_string(a.retry_after) + " s",
      "Đã dùng hết hạn mức của quyền chia sẻ; thử lại sau " + std::to_string(a.retry_after) +
          " giây"));
  r.status = 429;
  r.Set("Retry-After", std::to_string(a.retry_after));
  AddQuotaHeaders(a, r);
  return r;
}

void AddQuotaHeaders(const ReadAdmission& a, http::Response& r) {
  for (const auto& [k, v] : a.headers) r.Set(k, v);
}

void CountRows(ApiContext& ctx, const TableForCaller& t, int64_t rows) {
  if (t.grant) CountGrantRows(ctx, *t.grant, rows);
}

void CountGrantRows(ApiContext& ctx, const Grant& g, int64_t rows) {
  if (ctx.quotas == nullptr) return;
  const Micros now = NowMicros();
  ctx.quotas->AddRows(g, rows, now);
  NoteQuotaUse(ctx, g, now);
}

int64_t RowsLeft(ApiContext& ctx, const TableForCaller& t) {
  if (!t.grant || ctx.quotas == nullptr) return -1;
  return ctx.quotas->RowsLeft(*t.grant, NowMicros());
}

}  // namespace odp::api
