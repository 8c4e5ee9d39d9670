// The service: jobs, the loader (pass 1 here, pass 2 in the back-end), and the reads handed to
// the back-end (backend.h). Helpers both back-ends share when they write (internal.h) are here
// too.
#include "datastore/datastore.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "access/masks.h"
#include "base/crypto.h"
#include "base/ids.h"
#include "base/log.h"
#include "base/time.h"
#include "datastore/ingest/prefetch.h"
#include "datastore/ingest/spool.h"
#include "datastore/ingest/steps.h"
#include "datastore/ingest/wide_to_long.h"
#include "datastore/ingest/workbook_text.h"
#include "datastore/internal.h"
#include "datastore/masked.h"
#include "datastore/personal_data.h"
#include "datastore/pg_backend.h"
#include "datastore/sources.h"
#include "datastore/sqlite_backend.h"
#include "formats/csv.h"
#include "jobs/jobs.h"
#include "store/job_store.h"
#include "store/store.h"
#include "text/utf8.h"
#include "text/vietnamese.h"

namespace odp::datastore {

using json = nlohmann::json;
constexpr const char* kJobKind = "datastore";        // the load records (store::JobRecord)
constexpr const char* kLoadKind = "datastore.load";  // the runs of the jobs layer

std::string WithoutPaths(const std::string& text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const bool starts =
        text[i] == '/' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '(' ||
                           text[i - 1] == '\'' || text[i - 1] == '"' || text[i - 1] == ':');
    if (!starts) {
      out += text[i++];
      continue;
    }
    size_t end = i;
    while (end < text.size() && text[end] != ' ' && text[end] != ')' && text[end] != '\'' &&
           text[end] != '"' && text[end] != ',' &&
           !(text[end] == ':' && (end + 1 == text.size() || text[end + 1] == ' '))) {
      ++end;
    }
    const std::string_view path(text.data() + i, end - i);
    if (std::count(path.begin(), path.end(), '/') >= 2) {
      out += "…/";
      out += path.substr(path.rfind('/') + 1);
    } else {
      out += path;
    }
    i = end;
  }
  return out;
}

json ReviewToJson(const ColumnReview& r) {
  if (r.decision.empty()) return json::object();
  return {{"column", r.column}, {"decision", r.decision},
          {"mask", r.mask},     {"reason", r.reason},
          {"by", r.by},         {"at", r.at}};
}

ColumnReview ReviewFromJson(const json& j) {
  if (!j.is_object()) return {};
  return {j.value("column", ""), j.value("decision", ""), j.value("mask", ""),
          j.value("reason", ""), j.value("by", ""),       j.value("at", int64_t{0})};
}

json InfoToJson(const TableInfo& t) {
  json fields = json::array();
  for (const auto& f : t.fields) {
    fields.push_back({{"id", f.id},
                      {"label", f.label},
                      {"type", ToString(f.type)},
                      {"style", f.style == NumberStyle::kVietnamese ? "vi" : "en"},
                      {"description", f.description}});
  }
  json issues = json::array();
  for (const auto& i : t.issues) {
    issues.push_back({{"kind", ToString(i.kind)},
                      {"line", i.line},
                      {"column", i.column},
                      {"message_vi", i.message_vi},
                      {"message_en", i.message_en}});
  }
  json personal = json::array();
  for (const auto& f : t.personal_data) {
    personal.push_back({{"column", f.column},
                        {"label", f.label},
                        {"kind", f.kind},
                        {"share", f.share},
                        {"sampled", f.sampled},
                        {"examples", f.examples},
                        {"review", ReviewToJson(f.review)}});
  }
  return {{"table", t.table},
          {"fields", fields},
          {"personal_data", personal},
          {"rows", t.rows},
          {"header_line", t.header_line},
          {"delimiter", std::string(1, t.delimiter)},
          {"source", t.source},
          {"encoding", t.encoding},
          {"issues", issues},
          {"issue_counts", IssueCountsByName(t)},
          {"indexed", t.indexed},
          {"primary_key", t.primary_key},
          {"latitude", t.latitude},
          {"longitude", t.longitude},
          {"caption", t.caption},
          {"notes", t.notes},
          {"pivot_keys", t.pivot_keys},
          {"pivot_columns", t.pivot_columns}};
}

TableInfo InfoFromJson(const std::string& resource_id, int version, const json& j,
                       int64_t created) {
  TableInfo t;
  t.resource_id = resource_id;
  t.version = version;
  t.created = created;
  t.table = j.value("table", "");
  t.rows = j.value("rows", int64_t{0});
  t.header_line = j.value("header_line", int64_t{0});
  std::string d = j.value("delimiter", ",");
  t.delimiter = d.empty() ? ',' : d[0];
  t.source = j.value("source", "");
  t.encoding = j.value("encoding", "");
  t.indexed = j.value("indexed", false);
  t.latitude = j.value("latitude", "");
  t.longitude = j.value("longitude", "");
  for (const auto& k : j.value("primary_key", json::array())) {
    if (k.is_string()) t.primary_key.push_back(k.get<std::string>());
  }
  for (const auto& line : j.value("caption", json::array())) {
    if (line.is_string()) t.caption.push_back(line.get<std::string>());
  }
  for (const auto& n : j.value("notes", json::array())) {
    if (n.is_string()) t.notes.push_back(n.get<std::string>());
  }
  for (const auto& k : j.value("pivot_keys", json::array())) {
    if (k.is_string()) t.pivot_keys.push_back(k.get<std::string>());
  }
  for (const auto& c : j.value("pivot_columns", json::array())) {
    if (c.is_string()) t.pivot_columns.push_back(c.get<std::string>());
  }
  for (const auto& f : j.value("fields", json::array())) {
    t.fields.push_back(
        {f.value("id", ""), f.value("label", ""), TypeFromString(f.value("type", "string")),
         f.value("style", "vi") == "vi" ? NumberStyle::kVietnamese : NumberStyle::kInternational,
         f.value("description", "")});
  }
  for (const auto& p : j.value("personal_data", json::array())) {
    PersonalFinding f;
    f.column = p.value("column", "");
    f.label = p.value("label", "");
    f.kind = p.value("kind", "");
    f.share = p.value("share", 0.0);
    f.sampled = p.value("sampled", int64_t{0});
    for (const auto& e : p.value("examples", json::array())) {
      if (e.is_string()) f.examples.push_back(e.get<std::string>());
    }
    f.review = ReviewFromJson(p.value("review", json::object()));
    t.personal_data.push_back(std::move(f));
  }
  for (const auto& i : j.value("issues", json::array())) {
    auto kind = ParseIssueKind(i.value("kind", ""));
    if (!kind) continue;  // a kind this build does not know
    t.issues.push_back({*kind, i.value("line", int64_t{0}), i.value("column", 0),
                        i.value("message_vi", ""), i.value("message_en", "")});
  }
  const json counts = j.value("issue_counts", json::object());
  for (const auto& [k, v] : counts.items()) {
    auto kind = ParseIssueKind(k);
    if (kind && v.is_number_integer()) t.issue_counts[*kind] = v.get<int64_t>();
  }
  return t;
}

std::string TableName(const std::string& resource_id, int version) {
  std::string t = "r_";
  for (char c : resource_id) t += (std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return t + "_v" + std::to_string(version);
}

bool TypeCell(const Field& f, std::string_view raw, std::string& buf, Typed& out) {
  out = Typed{};
  if (raw.empty()) return true;
  switch (f.type) {
    case ColumnType::kInteger:
      if (auto v = ParseInteger(raw, f.style)) {
        out.kind = Typed::kInt;
        out.i = *v;
        return true;
      }
      out.placeholder = IsPlaceholder(raw);
      return out.placeholder;
    case ColumnType::kNumber:
      if (auto v = ParseNumber(raw, f.style)) {
        out.kind = Typed::kReal;
        out.d = *v;
        return true;
      }
      out.placeholder = IsPlaceholder(raw);
      return out.placeholder;
    case ColumnType::kBoolean:
      if (auto v = ParseBoolean(raw)) {
        out.kind = Typed::kInt;
        out.i = *v ? 1 : 0;
        return true;
      }
      return false;
    case ColumnType::kDate:
    case ColumnType::kDatetime: {
      auto v = f.type == ColumnType::kDate ? ParseDate(raw) : ParseDatetime(raw);
      if (!v) return false;
      buf = std::move(*v);
      out.kind = Typed::kText;
      out.s = buf;
      return true;
    }
    case ColumnType::kString:
      if (!text::IsAscii(raw)) {
        buf = text::Nfc(raw);
      } else {
        buf.assign(raw);
      }
      out.kind = Typed::kText;
      out.s = buf;
      return true;
  }
  return true;
}

void AddMisfit(TableInfo& t, int64_t line, size_t c, std::string_view raw) {
  const Field& f = t.fields[c];
  if (f.type == ColumnType::kInteger || f.type == ColumnType::kNumber) {
    const std::string value(raw.substr(0, 60));
    AddIssue(
        t, {IssueKind::kNotANumber, line, static_cast<int>(c + 1),
            "Cột " + f.label + ": \"" + value +
                "\" — ô này không phải số; sửa trong tệp hoặc đặt cột là văn bản (ô được để trống)",
            "Column " + f.label + ": \"" + value +
                "\" is not a number; correct it in the file or set the column to text (the cell is "
                "left empty)"});
    return;
  }
  AddIssue(t, {IssueKind::kTypeMismatch, line, static_cast<int>(c + 1),
               "Giá trị \"" + std::string(raw.substr(0, 60)) + "\" không phải kiểu " +
                   ToString(f.type) + " (để trống)",
               "The value \"" + std::string(raw.substr(0, 60)) + "\" is not of type " +
                   ToString(f.type) + " (left empty)"});
}

void ReportPlaceholders(TableInfo& t, const std::vector<int64_t>& per_column) {
  for (size_t c = 0; c < per_column.size() && c < t.fields.size(); ++c) {
    const int64_t n = per_column[c];
    if (n == 0) continue;
    const Field& f = t.fields[c];
    AddIssue(t, {IssueKind::kPlaceholderNull, 0, static_cast<int>(c + 1),
                 "Cột " + f.label + ": " + std::to_string(n) +
                     " ô ghi \"-\", \"…\", \"x\", \"không có\" hoặc tương tự (nghĩa là không có "
                     "giá trị) được để trống",
                 "Column " + f.label + ": " + std::to_string(n) +
                     " cells written \"-\", \"…\", \"x\", \"không có\" or the like (meaning no "
                     "value) are left empty"});
    t.issue_counts[IssueKind::kPlaceholderNull] += n - 1;  // counted per cell
  }
}

void ReportExtraCells(TableInfo& t, const std::vector<std::string>& row, int64_t line,
                      size_t columns) {
  for (size_t c = columns; c < row.size(); ++c) {
    if (!Trim(row[c]).empty()) {
      AddIssue(t, {IssueKind::kExtraCells, line, static_cast<int>(c + 1),
                   "Ô thừa ngoài các cột của dòng tiêu đề (bị bỏ qua)",
                   "A cell beyond the header's columns (ignored)"});
      return;
    }
  }
}

TypedRows::TypedRows(TableInfo& t, ingest::PrefetchRows& rows, size_t to_skip,
                     const CellMasks& masks)
    : t_(t),
      rows_(rows),
      skip_(to_skip),
      to_skip_(to_skip),
      texts_(t.fields.size()),
      cells_(t.fields.size()),
      placeholders_(t.fields.size()),
      masks_(masks) {}

Status TypedRows::Rewind() {
  to_skip_ = skip_;
  return rows_.Rewind();
}

bool TypedRows::Next() {
  while (rows_.Next(row_)) {
    if (to_skip_ > 0) {
      --to_skip_;
      continue;
    }
    if (NonEmpty(row_) == 0) continue;
    if (masks_.empty()) {
      ReportExtraCells(t_, row_, rows_.line(), t_.fields.size());
    } else {
      // The file's columns, masked from the last to the first, so that a dropped cell does not
      // move the others; then the cells line up with the fields.
      ReportExtraCells(t_, row_, rows_.line(), masks_.file_columns);
      if (row_.size() > masks_.file_columns) row_.resize(masks_.file_columns);
      for (const auto& [c, mask] : masks_.by_column) {
        if (c >= row_.size()) continue;
        if (mask.kind == access::MaskKind::kDrop) {
          row_.erase(row_.begin() + static_cast<std::ptrdiff_t>(c));
        } else {
          row_[c] = access::MaskText(mask, row_[c], masks_.key).value_or("");
        }
      }
    }
    for (size_t c = 0; c < t_.fields.size(); ++c) {
      const std::string_view raw = c < row_.size() ? Trim(row_[c]) : std::string_view();
      Typed& v = cells_[c];
      if (!TypeCell(t_.fields[c], raw, texts_[c], v)) AddMisfit(t_, rows_.line(), c, raw);
      if (v.placeholder) ++placeholders_[c];
    }
    return true;
  }
  return false;
}

int64_t TypedRows::line() const { return rows_.line(); }
int64_t TypedRows::bytes_read() const { return rows_.bytes_read(); }

Status TypedRows::Finish() {
  ODP_RETURN_IF_ERROR(rows_.status());
  if (auto* csv = dynamic_cast<formats::CsvFileSource*>(&rows_.inner());
      csv && csv->unterminated()) {
    AddIssue(t_, {IssueKind::kUnterminatedQuote, rows_.line(), 0,
                  "Dấu ngoặc kép không được đóng ở cuối tệp",
                  "A quoted field is not closed at the end of the file"});
  }
  ReportPlaceholders(t_, placeholders_);
  return Status::Ok();
}

Status CheckLoadedTable(TableInfo& t, const std::string& table_sql, const RowQuery& query) {
  if (!t.primary_key.empty()) {
    // A primary key must be present and unique: each offending key is reported (not refused).
    std::string cols, missing;
    for (const auto& k : t.primary_key) {
      cols += (cols.empty() ? "" : ", ") + Quote(k);
      missing += (missing.empty() ? "" : " OR ") + Quote(k) + " IS NULL";
    }
    ODP_RETURN_IF_ERROR(query(
        "SELECT min(_id), count(*), " + cols + " FROM " + table_sql + " GROUP BY " + cols +
            " HAVING count(*) > 1 ORDER BY 1 LIMIT 1000",
        [&](const std::vector<std::string>& r) {
          std::string key;
          for (size_t k = 0; k < t.primary_key.size(); ++k) key += (k ? ", " : "") + r[k + 2];
          AddIssue(
              t,
              {IssueKind::kDuplicateKey, 0, 0,
               "Khoá chính (" + key + ") lặp lại " + r[1] + " lần, lần đầu ở hàng _id " + r[0],
               "Primary key (" + key + ") repeated " + r[1] + " times, first at row _id " + r[0]});
        }));
    ODP_RETURN_IF_ERROR(
        query("SELECT _id FROM " + table_sql + " WHERE " + missing + " ORDER BY _id LIMIT 100",
              [&](const std::vector<std::string>& r) {
                AddIssue(t, {IssueKind::kMissingKey, 0, 0, "Hàng _id " + r[0] + " thiếu khoá chính",
                             "Row _id " + r[0] + " has no primary key"});
              }));
  }
  // Latitude and longitude columns make a geopoint when every value is a coordinate.
  std::vector<std::string> ids;
  std::vector<ColumnType> types;
  for (const auto& f : t.fields) {
    ids.push_back(f.id);
    types.push_back(f.type);
  }
  if (auto ll = FindLatLon(ids, types)) {
    const std::string lat = Quote(ids[ll->first]), lon = Quote(ids[ll->second]);
    bool fits = false;
    ODP_RETURN_IF_ERROR(query("SELECT count(*) FROM " + table_sql + " WHERE " + lat +
                                  " NOT BETWEEN -90 AND 90 OR " + lon + " NOT BETWEEN -180 AND 180",
                              [&](const std::vector<std::string>& r) { fits = r[0] == "0"; }));
    if (fits) {
      t.latitude = ids[ll->first];
      t.longitude = ids[ll->second];
    }
  }
  return Status::Ok();
}

Result<std::unique_ptr<Datastore>> Datastore::Open(const DatastoreOptions& options) {
  const std::string& path = options.path;
  const std::string& pg_url = options.pg_url;
  store::DatastoreJobStore* jobs = options.jobs;
  store::JobStore* runs = options.runs;
  if ((jobs == nullptr) != (runs == nullptr)) {
    return Status::Internal(
        "datastore: give the store of the load records and of their runs, or neither");
  }
  std::unique_ptr<Datastore> ds(new Datastore());
  ds->limits_ = options.limits;
  ds->mask_key_ = options.mask_key.empty() ? NewUuid() + NewUuid() : options.mask_key;
  ds->origin_ = NewUuid();
  if (const char* lease = std::getenv("ODP_JOB_LEASE_SECONDS"); lease && std::atoi(lease) > 0) {
    ds->lease_us_ = std::atoi(lease) * int64_t{1000000};
  }
  if (!jobs) {
    // Alone (tests, benchmarks): a job queue of its own beside the tables.
    std::string jobs_path =
        path.size() > 3 && path.ends_with(".db") ? path.substr(0, path.size() - 3) : path;
    ODP_ASSIGN_OR_RETURN(ds->own_jobs_, store::OpenStore("sqlite:" + jobs_path + "-jobs.db"));
    jobs = ds->own_jobs_.get();
    runs = ds->own_jobs_.get();
  }
  ds->jobs_ = jobs;
  ds->runs_ = runs;
  // The one choice of back-end; nothing else asks which it is.
  if (!pg_url.empty()) {
    ODP_ASSIGN_OR_RETURN(ds->backend_, PgBackend::Connect(pg_url));
  } else {
    ODP_ASSIGN_OR_RETURN(ds->backend_,
                         SqliteBackend::OpenFile(path, *jobs, [d = ds.get()](const JobRecord& j) {
                           return d->QueueLoadRun(j.resource_id, j.version);
                         }));
  }
  return ds;
}

namespace {

json OptionsToJson(const LoadOptions& o) {
  json fields = json::array();
  for (const auto& f : o.fields) {
    json x = {{"id", f.id}, {"type", f.type ? ToString(*f.type) : ""}, {"label", f.label}};
    if (f.description) x["description"] = *f.description;
    fields.push_back(std::move(x));
  }
  json j = {{"format", o.format},          {"encoding", o.encoding}, {"sheet", o.sheet},
            {"all_sheets", o.all_sheets},  {"records", o.records},   {"fields", fields},
            {"primary_key", o.primary_key}};
  if (!o.reviews.empty()) {
    json reviews = json::array();
    for (const auto& r : o.reviews) reviews.push_back(ReviewToJson(r));
    j["reviews"] = reviews;
  }
  if (o.header_row > 0) j["header_row"] = o.header_row;
  if (o.first_row > 0) j["first_row"] = o.first_row;
  if (o.last_row > 0) j["last_row"] = o.last_row;
  if (o.wide_to_long > 0) j["wide_to_long"] = true;
  return j;
}

LoadOptions OptionsFromJson(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  LoadOptions o;
  if (!j.is_object()) return o;
  o.format = j.value("format", "");
  o.encoding = j.value("encoding", "");
  o.sheet = j.value("sheet", -1);
  o.all_sheets = j.value("all_sheets", false);
  o.records = j.value("records", "");
  o.header_row = j.value("header_row", int64_t{0});
  o.first_row = j.value("first_row", int64_t{0});
  o.last_row = j.value("last_row", int64_t{0});
  o.wide_to_long = j.value("wide_to_long", false) ? 1 : 0;
  for (const auto& f : j.value("fields", json::array())) {
    FieldOverride fo{f.value("id", ""), std::nullopt, f.value("label", ""), std::nullopt};
    if (f.contains("description") && f["description"].is_string())
      fo.description = f["description"].get<std::string>();
    if (!f.value("type", "").empty()) fo.type = TypeFromString(f.value("type", ""));
    o.fields.push_back(std::move(fo));
  }
  for (const auto& k : j.value("primary_key", json::array())) {
    if (k.is_string()) o.primary_key.push_back(k.get<std::string>());
  }
  for (const auto& r : j.value("reviews", json::array())) {
    ColumnReview review = ReviewFromJson(r);
    if (!review.decision.empty()) o.reviews.push_back(std::move(review));
  }
  return o;
}

}  // namespace

LoadOptions Datastore::Options(const std::string& resource_id) const {
  auto j = jobs_->LatestJob(kJobKind, resource_id);
  if (!j.ok()) return {};
  return OptionsFromJson(j->options);
}

void Datastore::Start(jobs::Jobs* runner) {
  std::lock_guard lock(mu_);
  if (started_) return;
  if (!runner) {
    // Alone (commands, tests): a runner of its own with one worker, on the job store.
    jobs::JobsOptions o;
    o.workers = 1;
    o.lease = lease_us_;
    o.owner = origin_;
    own_runner_ = std::make_unique<jobs::Jobs>(*runs_, o);
    runner = own_runner_.get();
  }
  runner_ = runner;
  jobs::KindOptions ko;
  ko.max_attempts = 1;  // a file that cannot be read fails again: a sysadmin retries it
  ko.concurrency = 1;   // one load at a time per server (they share the writer)
  // A queued load cancelled from /admin: the resource's loads stop as through the API.
  ko.on_cancelled = [this](const store::JobRun& r) {
    auto p = json::parse(r.payload, nullptr, false);
    if (p.is_object()) (void)Cancel(p.value("resource_id", ""));
  };
  runner->Register(
      kLoadKind, [this](jobs::JobContext& ctx) { return RunLoad(ctx); }, ko);
  if (own_runner_) own_runner_->Start();
  started_ = true;
}

Datastore::~Datastore() { Stop(); }

void Datastore::Stop() {
  abandon_ = true;
  jobs::Jobs* runner = nullptr;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    runner = runner_;
  }
  // Waits for the running load (it gives up at its next batch and is handed back).
  if (runner) runner->Unregister(kLoadKind);
  if (own_runner_) own_runner_->Stop();
  std::lock_guard lock(mu_);
  runner_ = nullptr;
}

Status Datastore::SaveJob(const IngestJob& j) {
  {
    std::lock_guard lock(jobs_map_mu_);
    jobs_map_[j.resource_id] = j;
  }
  const bool over = !IsLoading(j.state);
  JobRecord r{kJobKind,
              j.resource_id,
              j.version,
              "",
              "",
              ToString(j.state),
              j.error_vi,
              j.error_en,
              j.rows_done,
              over ? "" : origin_,
              over ? 0 : NowMicros(),
              j.updated};
  ODP_ASSIGN_OR_RETURN(bool written, jobs_->SaveJob(r, origin_));
  if (!written) {
    return Status::Conflict("job of " + j.resource_id + " was taken over or queued again",
                            "Việc nạp đã được máy chủ khác nhận hoặc được xếp hàng lại");
  }
  return Status::Ok();
}

Status Datastore::QueueLoadRun(const std::string& resource_id, int version) {
  // One run per version (key "<resource>/v<n>"): a new file or new options for a version that
  // is still queued update its run; cancelling by the resource's id reaches every version.
  const std::string key = resource_id + "/v" + std::to_string(version);
  const std::string payload = json{{"resource_id", resource_id}, {"version", version}}.dump();
  store::JobRun r;
  r.id = NewUuid();
  r.kind = kLoadKind;
  r.key = key;
  r.payload = payload;
  r.created = r.run_at = NowMicros();
  return runs_->EnqueueJobRun(r).status();
}

Status Datastore::Enqueue(const std::string& resource_id, int version, const std::string& file_in,
                          const LoadOptions& options) {
  // Kept absolute: another process (another working directory) may run the job.
  std::error_code ec;
  std::string file = std::filesystem::absolute(file_in, ec).string();
  if (ec) file = file_in;
  JobRecord j{kJobKind, resource_id, version, file, OptionsToJson(options).dump(),
              "queued", "",          "",      0,    "",
              0,        NowMicros()};
  // The record and the run together, or neither.
  ODP_RETURN_IF_ERROR(jobs_->Transaction([&]() -> Status {
    ODP_RETURN_IF_ERROR(jobs_->QueueJob(j));
    return QueueLoadRun(resource_id, version);
  }));
  {
    std::lock_guard lock(jobs_map_mu_);
    jobs_map_.erase(resource_id);
  }
  std::lock_guard lock(mu_);
  if (runner_) runner_->Wake();  // committed: this server's worker starts it at once
  return Status::Ok();
}

Status Datastore::CheckFile(const std::string& file, const LoadOptions& options) const {
  return OpenSource(file, options, limits_).status();
}

Result<std::vector<std::string>> Datastore::SheetNames(const std::string& file) const {
  return datastore::SheetNames(file, limits_);
}

Status Datastore::Reload(const std::string& resource_id, const LoadOptions& options) {
  auto latest = jobs_->LatestJob(kJobKind, resource_id);
  if (!latest.ok() || latest->file.empty())
    return Status::NotFound("datastore file of resource", resource_id);
  return Enqueue(resource_id, latest->version, latest->file, options);
}

Result<ColumnReview> Datastore::Review(const std::string& resource_id, ColumnReview review) {
  ODP_ASSIGN_OR_RETURN(TableInfo t, Table(resource_id));
  review.reason = text::Nfc(review.reason);
  while (!review.reason.empty() && std::isspace(static_cast<unsigned char>(review.reason.back())))
    review.reason.pop_back();
  bool known = std::any_of(t.fields.begin(), t.fields.end(),
                           [&](const Field& f) { return f.id == review.column; }) ||
               std::any_of(t.personal_data.begin(), t.personal_data.end(),
                           [&](const PersonalFinding& f) { return f.column == review.column; });
  if (!known) {
    return Status::InvalidArgument("the table has no column " + review.column,
                                   "Bảng không có cột " + review.column)
        .WithField("column", "Bảng không có cột này");
  }
  if (review.decision == "not_personal") {
    review.mask.clear();
    if (review.reason.empty() || review.reason.size() > 2000) {
      return Status::InvalidArgument("a reason is required (at most 2000 bytes)",
                                     "Cần ghi lý do (tối đa 2000 byte)")
          .WithField("reason", "Cần ghi lý do vì sao cột không phải dữ liệu cá nhân");
    }
  } else if (review.decision == "mask") {
    if (!access::ParseMaskKind(review.mask)) {
      return Status::InvalidArgument("mask must be hash, partial, year or drop",
                                     "Cách che phải là hash, partial, year hoặc drop")
          .WithField("mask", "Chọn một cách che dữ liệu");
    }
  } else {
    return Status::InvalidArgument("decision must be not_personal or mask",
                                   "Quyết định phải là not_personal hoặc mask")
        .WithField("decision", "Chọn: không phải dữ liệu cá nhân, hoặc che dữ liệu");
  }
  if (review.at == 0) review.at = NowMicros();
  LoadOptions change;
  change.reviews.push_back(review);
  // Read, merge and queue as one step on this server: two reviews at once would otherwise both
  // start from the same options and the later queued would lose the other's decision.
  std::lock_guard reviewing(review_mu_);
  // The newest version through Reload (its options become what later files start from), the
  // older ones each with the options it was loaded with.
  ODP_RETURN_IF_ERROR(Reload(resource_id, MergeOptions(Options(resource_id), change)));
  for (int v : Versions(resource_id)) {
    if (v == t.version) continue;
    auto j = jobs_->GetJob(kJobKind, resource_id, v);
    if (!j.ok() || j->file.empty()) continue;
    ODP_RETURN_IF_ERROR(
        Enqueue(resource_id, v, j->file, MergeOptions(OptionsFromJson(j->options), change)));
  }
  return review;
}

Status Datastore::CheckPublishable(
    const std::vector<std::pair<std::string, std::string>>& tables) const {
  std::string vi, en;
  for (const auto& [rid, name] : tables) {
    std::vector<std::string> labels_vi, labels_en;
    for (int v : Versions(rid)) {
      auto t = Table(rid, v);
      if (!t.ok()) continue;
      for (const auto& f : t->personal_data) {
        if (!Unresolved(f)) continue;
        auto kind = ParsePersonalKind(f.kind);
        std::string vi_one = "«" + f.label + "» (" + (kind ? LabelVi(*kind) : f.kind) + ")";
        std::string en_one = "«" + f.label + "» (" + (kind ? LabelEn(*kind) : f.kind) + ")";
        if (std::find(labels_vi.begin(), labels_vi.end(), vi_one) == labels_vi.end()) {
          labels_vi.push_back(vi_one);
          labels_en.push_back(en_one);
        }
      }
    }
    if (labels_vi.empty()) continue;
    auto join = [](const std::vector<std::string>& v) {
      std::string out;
      for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
      return out;
    };
    vi += (vi.empty() ? "" : "; ") + std::string("bảng «") + name + "»: " + join(labels_vi);
    en += (en.empty() ? "" : "; ") + std::string("table «") + name + "»: " + join(labels_en);
  }
  if (vi.empty()) return Status::Ok();
  return Status::Conflict(
      "Cannot publish as open or registered data: columns hold personal data not yet reviewed (" +
          en + "). A reviewer must mark each column as not personal, with a reason, or mask it.",
      "Không thể công bố là dữ liệu mở hoặc dữ liệu cho người dùng đăng ký: các cột chứa dữ liệu "
      "cá nhân chưa được xem xét (" +
          vi +
          "). Người duyệt cần đánh dấu từng cột là không phải dữ liệu cá nhân (kèm lý do) hoặc "
          "che dữ liệu của cột.");
}

bool Datastore::HoldsUnreviewedPersonalData(const std::string& resource_id) const {
  for (int v : Versions(resource_id)) {
    auto t = Table(resource_id, v);
    if (t.ok() && std::any_of(t->personal_data.begin(), t->personal_data.end(), Unresolved)) {
      return true;
    }
  }
  return false;
}

bool Datastore::FileHoldsPersonalData(const std::string& resource_id) const {
  for (int v : Versions(resource_id)) {
    auto t = Table(resource_id, v);
    if (!t.ok()) continue;
    for (const auto& f : t->personal_data) {
      if (f.review.decision != "not_personal") return true;
    }
  }
  return false;
}

Status Datastore::Cancel(const std::string& resource_id) {
  if (resource_id.empty()) return Status::NotFound("datastore load of resource", resource_id);
  ODP_ASSIGN_OR_RETURN(int touched, jobs_->CancelJobs(kJobKind, resource_id, NowMicros()));
  // The runs: a queued one never starts; a running one is told through its lease (any server).
  jobs::Jobs* runner = nullptr;
  {
    std::lock_guard lock(mu_);
    runner = runner_;
    if (running_ == resource_id) cancelled_ = true;  // ours: stops at its next batch
  }
  if (runner) {
    (void)runner->CancelByKey(kLoadKind, resource_id);
  } else {
    (void)runs_->CancelJobRunsByKey(kLoadKind, resource_id, NowMicros());
  }
  if (touched == 0) return Status::NotFound("datastore load of resource", resource_id);
  {
    std::lock_guard lock(jobs_map_mu_);
    jobs_map_.erase(resource_id);
  }
  return Status::Ok();
}

Status Datastore::RunLoad(jobs::JobContext& ctx) {
  json p = json::parse(ctx.payload(), nullptr, false);
  if (!p.is_object() || !p.contains("resource_id") || !p["resource_id"].is_string()) {
    return Status::InvalidArgument("datastore.load: the payload names no resource",
                                   "datastore.load: nội dung việc không nêu tài nguyên");
  }
  JobRecord job;
  job.resource_id = p["resource_id"].get<std::string>();
  job.version = p.value("version", 0);
  // The jobs layer gave this run to this server, so the version's load record is ours whoever
  // held it (a server that died, or one that gave it back): taken with a compare-and-set on its
  // owner, so that a newer upload of the same version queued meanwhile is not overwritten.
  std::function<void()> before_claim;
  {
    std::lock_guard lock(mu_);
    before_claim = before_claim_for_test_;
  }
  for (int tries = 0;; ++tries) {
    ODP_ASSIGN_OR_RETURN(JobRecord r, jobs_->GetJob(kJobKind, job.resource_id, job.version));
    if (r.state == "done" || r.state == "cancelled") return Status::Ok();  // nothing left to do
    if (before_claim) before_claim();
    const bool cancel = ctx.cancelled() || r.state == "cancelling";
    JobRecord mine = r;
    mine.state = cancel ? "cancelled" : "running";
    mine.error_vi = cancel ? "Đã huỷ theo yêu cầu" : "";
    mine.error_en = cancel ? "Cancelled on request" : "";
    mine.owner = cancel ? "" : origin_;
    mine.heartbeat = cancel ? 0 : NowMicros();
    mine.updated = NowMicros();
    ODP_ASSIGN_OR_RETURN(bool taken, jobs_->SaveJob(mine, r.owner));
    if (taken && cancel) {
      ctx.RecordCancelled();
      return Status::Conflict("load cancelled", "Đã huỷ việc nạp dữ liệu");
    }
    if (taken) {
      // The file and options are read again now that the record is ours. The take compares
      // only the owner, and a re-queue (a review, new options, a new file) leaves a queued
      // record's owner "" as it was: queued between the read above and the take, it would be
      // taken with the options read before it, and the run that re-queue added would then find
      // the record done and skip it, losing the change (seen as the last of four quick reviews
      // left unapplied). A re-queue after the take makes the record no longer ours: try again.
      ODP_ASSIGN_OR_RETURN(JobRecord now, jobs_->GetJob(kJobKind, job.resource_id, job.version));
      if (now.owner == origin_ && now.state == "running") {
        job = std::move(now);
        break;
      }
    }
    if (tries >= 3)
      return Status::Conflict("load record of " + job.resource_id + " keeps changing",
                              "Bản ghi nạp dữ liệu của " + job.resource_id + " liên tục thay đổi");
  }
  {
    std::lock_guard lock(mu_);
    busy_ = true;
    running_ = job.resource_id;
    cancelled_ = false;
  }
  std::atomic<bool> superseded{false};
  // Heartbeats on the load record while it runs: a cancel asked through the API of any server
  // arrives there ("cancelling"), as does a new upload of the same version (the record is no
  // longer ours). A cancel or shutdown told through the jobs layer arrives in `ctx`.
  std::jthread heart([this, &job, &ctx, &superseded](std::stop_token stop) {
    std::mutex m;
    std::condition_variable_any cv;
    Micros last_beat = NowMicros();
    while (!stop.stop_requested()) {
      {
        std::unique_lock lock(m);
        cv.wait_for(lock, stop, std::chrono::milliseconds(50), [] { return false; });
      }
      if (stop.stop_requested()) break;
      if (ctx.cancelled() || ctx.lost()) cancelled_ = true;
      if (ctx.stopping()) abandon_ = true;
      if (NowMicros() - last_beat < lease_us_ / 5) continue;
      last_beat = NowMicros();
      auto state = jobs_->HeartbeatJob(kJobKind, job.resource_id, job.version, origin_, last_beat);
      if (state.ok() && state.value().empty()) superseded = true;
      if (state.ok() && (state.value() == "cancelling" || state.value().empty())) cancelled_ = true;
    }
  });
  Micros started = NowMicros();
  LogInfo("datastore: loading " + job.resource_id + " v" + std::to_string(job.version));
  Status outcome;
  auto r = Load(job.resource_id, job.version, job.file, OptionsFromJson(job.options));
  bool abandoned = false;  // given up at shutdown: handed back below
  if (!r.ok()) {
    abandoned = abandon_ && r.status().code() == StatusCode::kUnavailable;
    outcome = r.status();
    LogWarn("datastore: load of " + job.resource_id + " failed: " + r.status().message());
  } else if (Status s = BuildIndexes(job.resource_id, job.version); !s.ok()) {
    abandoned = abandon_ && s.code() == StatusCode::kUnavailable;
    outcome = s;
    LogWarn("datastore: indexes of " + job.resource_id + " failed: " + s.message());
  } else {
    LogInfo("datastore: loaded " + job.resource_id + " v" + std::to_string(job.version) + ": " +
            std::to_string(r->rows) + " rows in " + std::to_string((NowMicros() - started) / 1000) +
            " ms");
  }
  heart.request_stop();
  heart.join();
  if (abandoned) {
    // Stopped at shutdown: handed back at once, so that the next start (here or on another
    // server) loads it again without waiting for the lease to run out.
    JobRecord back = job;
    back.state = "queued";
    back.owner.clear();
    back.heartbeat = 0;
    back.updated = NowMicros();
    (void)jobs_->SaveJob(back, origin_);
    outcome = Status::Unavailable("load abandoned at shutdown");
  } else if (!outcome.ok() && !superseded) {
    // Ended by a cancel (told through the API or the jobs layer): the run is cancelled too.
    auto rec = jobs_->GetJob(kJobKind, job.resource_id, job.version);
    if (rec.ok() && rec->state == "cancelled") ctx.RecordCancelled();
  } else if (superseded && !outcome.ok()) {
    // A newer request for this version took the record; its own run loads it.
    ctx.SetProgress(0, "superseded by a newer request");
    outcome = Status::Ok();
  }
  {
    std::lock_guard lock(mu_);
    busy_ = false;
    running_.clear();
  }
  return outcome;
}

void Datastore::SetBeforeClaimForTest(std::function<void()> fn) {
  std::lock_guard lock(mu_);
  before_claim_for_test_ = std::move(fn);
}

void Datastore::SetOnLoaded(std::function<void(const TableInfo&)> fn) {
  std::lock_guard lock(mu_);
  on_loaded_ = std::move(fn);
}

void Datastore::WaitIdle() {
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopping_ || !started_) return;
      if (!busy_) {
        auto pending = jobs_->JobsPending(kJobKind);
        if (!pending.ok() || !pending.value()) return;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

Result<TableInfo> Datastore::Load(const std::string& resource_id, int version,
                                  const std::string& file, const LoadOptions& options) {
  std::lock_guard wlock(write_mu_);
  IngestJob job{resource_id, version, JobState::kRunning, "", "", 0, 0, 0, NowMicros()};
  (void)SaveJob(job);
  auto t = LoadRows(resource_id, version, file, options, job);
  if (!t.ok()) {
    bool cancelled = cancelled_.exchange(false);
    if (t.status().code() == StatusCode::kUnavailable && !cancelled)
      return t;  // left "running": resumed later
    job.state = cancelled ? JobState::kCancelled : JobState::kFailed;
    job.error_en = cancelled ? "Cancelled on request" : WithoutPaths(t.status().message());
    job.error_vi = cancelled ? "Đã huỷ theo yêu cầu" : WithoutPaths(t.status().message_vi());
    job.updated = NowMicros();
    (void)SaveJob(job);
    return t.status();
  }
  job.state = JobState::kIndexing;
  job.rows_done = t->rows;
  job.bytes_done = job.bytes_total;
  job.updated = NowMicros();
  (void)SaveJob(job);
  backend_->Invalidate();
  std::function<void(const TableInfo&)> loaded;
  {
    std::lock_guard lock(mu_);
    loaded = on_loaded_;
  }
  if (loaded) loaded(*t);
  return t;
}

namespace {

int CurrentYear() {
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return static_cast<int>(std::chrono::year_month_day(today).year());
}

// Sets the types of the masked columns of `t` (text; a year: integer), leaves the dropped ones
// out (of the fields and the key) and returns what pass 2 applies to each row: each masked
// column's place in the file, the last first (CellMasks, applied by TypedRows).
CellMasks ApplyMaskTypes(const std::vector<ColumnReview>& reviews, TableInfo& t,
                         size_t file_columns, const std::string& key) {
  CellMasks masks;
  masks.file_columns = file_columns;
  masks.key = key;
  for (const auto& r : reviews) {
    if (r.decision != "mask") continue;
    auto kind = access::ParseMaskKind(r.mask);
    if (!kind) continue;
    for (size_t c = 0; c < t.fields.size(); ++c) {
      if (t.fields[c].id == r.column) masks.by_column.emplace_back(c, access::DefaultMask(*kind));
    }
  }
  std::sort(masks.by_column.begin(), masks.by_column.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [c, mask] : masks.by_column) {
    Field& f = t.fields[c];
    if (mask.kind == access::MaskKind::kDrop) {
      std::erase(t.primary_key, f.id);
      t.fields.erase(t.fields.begin() + static_cast<std::ptrdiff_t>(c));
    } else {
      f.type = mask.kind == access::MaskKind::kYear ? ColumnType::kInteger : ColumnType::kString;
    }
  }
  return masks;
}

}  // namespace

Result<TableInfo> Datastore::LoadRows(const std::string& resource_id, int version,
                                      const std::string& file, const LoadOptions& options,
                                      IngestJob& job) {
  ODP_ASSIGN_OR_RETURN(Source src, OpenSource(file, options, limits_));
  // A workbook's rows are kept as they are first read, so that the second pass replays them
  // instead of inflating and parsing the XML again.
  if (src.format == "xlsx") {
    src.rows = std::make_unique<ingest::SpoolRows>(std::move(src.rows),
                                                   std::filesystem::temp_directory_path().string());
  }
  // Notes under the table ("Nguồn: …", a footnote) are found in pass 1; pass 2 stops above
  // them. Not where the publisher said where the table ends, nor in JSON or a wide table read
  // long (which leaves such rows out itself).
  const bool notes_possible = options.last_row <= 0 && !src.pivot &&
                              (src.format == "csv" || src.format == "xlsx" || src.format == "xls");
  // Parsing runs ahead on a second thread while this one types and inserts.
  ingest::PrefetchRows rows(std::move(src.rows));
  TableInfo t;
  t.resource_id = resource_id;
  t.version = version;
  t.table = TableName(resource_id, version);
  t.delimiter = src.delimiter ? src.delimiter : ',';
  t.source = rows.describe();
  t.encoding = src.encoding;
  job.bytes_total = std::max<int64_t>(1, rows.bytes_total()) * 2;  // read twice
  auto progress = [&](int64_t rows_done, int64_t bytes) {
    std::lock_guard lock(jobs_map_mu_);
    auto& j = jobs_map_[resource_id];
    j.rows_done = rows_done;
    j.bytes_done = bytes;
    j.bytes_total = job.bytes_total;
  };
  auto stop_requested = [&]() -> Status {
    if (cancelled_) return Status::Conflict("load cancelled", "Đã huỷ việc nạp dữ liệu");
    if (abandon_) return Status::Unavailable("load abandoned at shutdown");
    return Status::Ok();
  };

  // Pass 1: the header (FindHeader), then the type of every column over all values
  // (ColumnProfiler), then the fields (DecideFields); pass 2 writes the rows (the back-end).
  // Stacked sheets each find their own header: the rows the publisher named are for one sheet.
  LoadOptions where = options;
  if (options.all_sheets) where.header_row = where.first_row = where.last_row = 0;
  if (src.pivot) {
    // The long table's header is the first row WideToLongRows gives, its rows all that follow.
    where.header_row = src.pivot->header_line;
    where.first_row = src.pivot->header_line + 1;
    where.last_row = 0;
  }
  ODP_ASSIGN_OR_RETURN(ingest::Header header, ingest::FindHeader(rows, where));
  t.header_line = header.line;
  t.caption = ingest::TitleRows(header);
  if (src.pivot) {
    t.caption = src.pivot->caption;
    t.pivot_keys = src.pivot->keys;
    t.pivot_columns = src.pivot->columns;
  }
  ingest::ColumnProfiler profiler(header.labels.size(), rows.typed_numbers());
  // Every data row is also looked at for personal data (its first cells per column).
  PersonalDataScan personal(header.labels.size(), CurrentYear());
  auto profile = [&](const std::vector<std::string>& r, int64_t line) -> Status {
    personal.Add(r);
    return profiler.Add(r, line);
  };
  // Rows that read as notes are held back from the profile until a data row follows them; those
  // still held at the end are the table's notes.
  std::vector<std::pair<std::vector<std::string>, int64_t>> held;
  auto take = [&](const std::vector<std::string>& r, int64_t line) -> Status {
    if (notes_possible && ingest::IsNoteRow(r, header.labels.size(), !held.empty())) {
      held.emplace_back(r, line);
      return Status::Ok();
    }
    if (!held.empty() && NonEmpty(r) > 0) {
      for (const auto& [note, note_line] : held) ODP_RETURN_IF_ERROR(profile(note, note_line));
      held.clear();
    }
    return profile(r, line);
  };
  for (size_t i = header.skip; i < header.head.size(); ++i) {
    ODP_RETURN_IF_ERROR(take(header.head[i], header.head_lines[i]));
  }
  // The fields, the personal data found in them, and the reviewers' masks: a masked column is
  // text (a year: an integer), a dropped one is left out; `masks` says what pass 2 does to each
  // column of the file.
  CellMasks masks;
  auto decide = [&](TableInfo& into) {
    ingest::DecideFields(header.labels, profiler.profiles(), options, into);
    into.personal_data = personal.Findings(into.fields, options.reviews);
    masks = ApplyMaskTypes(options.reviews, into, header.labels.size(), mask_key_);
  };
  const size_t header_skip = header.skip;
  std::vector<std::string> row;
  // A version loaded again (other options) goes into a new table, so that the registered one
  // keeps serving until the new one replaces it.
  std::string replaced;
  ODP_ASSIGN_OR_RETURN(replaced, backend_->RegisteredTable(resource_id, version));
  if (!replaced.empty()) t.table += "_l" + std::to_string(NowMicros() % 1000000000);
  int64_t seen = 0;

  // On PostgreSQL, a CSV file's two passes overlap: once the first 2,000 rows are profiled, the
  // table is loaded on a second thread with the types they give, while this thread profiles the
  // rest. If the whole file gives the same types (as it almost always does), that load commits
  // — the same rows as a load after the first pass; if not, it rolls back and the file is
  // loaded again with the final types.
  struct Final {
    std::mutex mu;
    std::condition_variable cv;
    bool ready = false;
    bool notes = false;  // notes under the table: the rows written include them
    Status status;
    std::vector<Field> fields;
    TableInfo decided;  // the issues of the final decision
  } final_types;
  std::optional<Result<TableInfo>> speculative;
  bool types_changed = false;
  std::thread speculation;
  auto publish = [&](Status status) {
    {
      std::lock_guard lock(final_types.mu);
      final_types.ready = true;
      final_types.notes = !held.empty();
      final_types.status = std::move(status);
      final_types.fields = t.fields;
      final_types.decided = t;
    }
    final_types.cv.notify_all();
    if (speculation.joinable()) speculation.join();
  };
  // (A wide table read long is not: the rows it leaves out are reported after pass 1.)
  if (backend_->writes_while_profiling() && src.format == "csv" && src.temp_file.empty() &&
      !src.pivot) {
    Status sampled;
    while (seen < 2000 && rows.Next(row)) {
      sampled = take(row, rows.line());
      if (!sampled.ok()) break;
      ++seen;
    }
    ODP_RETURN_IF_ERROR(sampled);
    ODP_RETURN_IF_ERROR(rows.status());
    TableInfo spec = t;
    decide(spec);
    speculation = std::thread([&, spec, spec_masks = masks]() mutable {
      auto second = OpenSource(file, options, limits_);
      if (!second.ok()) {
        speculative = second.status();
        return;
      }
      ingest::PrefetchRows rows2(std::move(second->rows));
      auto quiet = [](int64_t, int64_t) {};
      auto types_hold = [&](TableInfo& loaded) -> Status {
        // Commits only when the whole file gives the types the first rows gave.
        std::unique_lock lock(final_types.mu);
        final_types.cv.wait(lock, [&] { return final_types.ready; });
        ODP_RETURN_IF_ERROR(final_types.status);
        bool same = !final_types.notes && final_types.fields.size() == loaded.fields.size();
        for (size_t c = 0; same && c < loaded.fields.size(); ++c) {
          same = final_types.fields[c].type == loaded.fields[c].type &&
                 final_types.fields[c].style == loaded.fields[c].style;
        }
        if (same) {
          ingest::ReplaceDecisionIssues(loaded, final_types.decided);
          loaded.personal_data = final_types.decided.personal_data;
          return Status::Ok();
        }
        types_changed = true;
        return Status::Conflict("the file's types differ from its first rows'");
      };
      speculative = backend_->WriteRows(std::move(spec), rows2, header_skip, 0, replaced,
                                        {quiet, stop_requested, types_hold, spec_masks});
    });
  }
  Status pass1 = [&]() -> Status {
    while (rows.Next(row)) {
      ODP_RETURN_IF_ERROR(take(row, rows.line()));
      if (++seen % 50000 == 0) {
        ODP_RETURN_IF_ERROR(stop_requested());
        if (!speculation.joinable()) progress(0, rows.bytes_read());
      }
    }
    return rows.status();
  }();
  if (pass1.ok() && !held.empty()) {
    // The notes under the table: kept with it, reported, and left out of its rows.
    for (const auto& [note, line] : held) {
      std::string text;
      for (const auto& cell : note) {
        const size_t b = cell.find_first_not_of(" \t\r\n");
        if (b != std::string::npos) text = cell.substr(b, cell.find_last_not_of(" \t\r\n") - b + 1);
      }
      t.notes.push_back(text);
      const std::string n = std::to_string(line);
      AddIssue(t, {IssueKind::kLeftOut, line, 0,
                   "Dòng " + n +
                       " là ghi chú dưới bảng: được giữ làm ghi chú của bảng, không "
                       "nạp thành dòng dữ liệu. Nếu đó là dữ liệu, hãy đặt dòng dữ liệu cuối cùng.",
                   "Row " + n +
                       " is a note under the table: kept as the table's notes, not "
                       "loaded as a data row. If it is data, set the last data row."});
    }
    rows.set_last_line(held.front().second - 1);
  }
  if (pass1.ok()) {
    decide(t);
    for (const auto& note : src.notes) {
      AddIssue(t, {IssueKind::kLeftOut, note.line, 0, note.message_vi, note.message_en});
    }
    if (src.pivot && src.pivot->rows) {
      for (const auto& note : src.pivot->rows->notes()) {
        AddIssue(t, {IssueKind::kLeftOut, note.line, 0, note.message_vi, note.message_en});
      }
    }
    if (src.workbook_notes) src.workbook_notes->AddTo(t);
  }
  if (speculation.joinable()) {
    publish(pass1);
    ODP_RETURN_IF_ERROR(pass1);
    if (!types_changed) return std::move(*speculative);
    LogInfo("datastore: " + resource_id + " v" + std::to_string(version) +
            ": types differ from the first rows'; loading again with the file's types");
  }
  ODP_RETURN_IF_ERROR(pass1);
  const int64_t pass1_bytes = std::max<int64_t>(rows.bytes_read(), rows.bytes_total());
  return backend_->WriteRows(std::move(t), rows, header_skip, pass1_bytes, replaced,
                             {progress, stop_requested, nullptr, masks});
}

Status Datastore::BuildIndexes(const std::string& resource_id, int version) {
  std::lock_guard wlock(write_mu_);
  ODP_ASSIGN_OR_RETURN(TableInfo t, Table(resource_id, version));
  IngestJob job{resource_id, version, JobState::kIndexing, "", "", 0, 0, t.rows, NowMicros()};
  auto finish = [&](Status s) {
    job.state = s.ok() ? JobState::kDone : JobState::kFailed;
    job.error_en = s.ok() ? "" : WithoutPaths(s.message());
    job.error_vi = s.ok() ? "" : WithoutPaths(s.message_vi());
    job.updated = NowMicros();
    (void)SaveJob(job);
    return s;
  };
  if (t.indexed) return finish(Status::Ok());
  Status built = backend_->BuildIndexes(t, abandon_);
  if (built.code() == StatusCode::kUnavailable) return built;  // abandoned at shutdown
  return finish(built);
}

Result<TableInfo> Datastore::Table(const std::string& resource_id, int version) const {
  return backend_->Table(resource_id, version);
}

Result<TableInfo> Datastore::LoadRecorded(const std::string& resource_id, int version) {
  ODP_ASSIGN_OR_RETURN(JobRecord j, jobs_->GetJob(kJobKind, resource_id, version));
  if (j.file.empty()) return Status::NotFound("file of the load of resource", resource_id);
  ODP_ASSIGN_OR_RETURN(TableInfo t, Load(resource_id, version, j.file, OptionsFromJson(j.options)));
  ODP_RETURN_IF_ERROR(BuildIndexes(resource_id, version));
  return Table(resource_id, version);
}

Result<std::string> Datastore::Checksum(const TableInfo& t) const {
  std::vector<std::string> hashes;
  hashes.reserve(static_cast<size_t>(t.rows));
  Query all;
  all.limit = 0;
  all.include_total = false;
  ODP_RETURN_IF_ERROR(Scan(t, all, [&](const std::vector<json>& row) {
    hashes.push_back(Sha256Hex(json(row).dump()));
    return true;
  }));
  std::sort(hashes.begin(), hashes.end());
  std::string joined;
  joined.reserve(hashes.size() * 64);
  for (const auto& h : hashes) joined += h;
  return Sha256Hex(joined);
}

Result<IngestJob> Datastore::Job(const std::string& resource_id) const {
  ODP_ASSIGN_OR_RETURN(JobRecord r, jobs_->LatestJob(kJobKind, resource_id));
  // The queue's "cancelling" is still running here (until its next batch).
  const JobState state = r.state == "cancelling"
                             ? JobState::kRunning
                             : ParseJobState(r.state).value_or(JobState::kQueued);
  IngestJob j{resource_id, r.version, state, r.error_vi, r.error_en, 0, 0, r.rows, r.updated};
  // This process runs it: its progress is here, fresher than the heartbeats.
  std::lock_guard lock(jobs_map_mu_);
  auto it = jobs_map_.find(resource_id);
  if (it != jobs_map_.end() && it->second.version == r.version && it->second.updated >= r.updated &&
      (r.owner == origin_ || r.state == ToString(it->second.state))) {
    return it->second;
  }
  return j;
}

// ---- reading: every read goes to the back-end (backend.h) ----

bool Datastore::reads_ranges_in_parallel() const { return backend_->reads_ranges_in_parallel(); }

std::vector<int> Datastore::Versions(const std::string& resource_id) const {
  return backend_->Versions(resource_id);
}

Result<VersionDiff> Datastore::Diff(const std::string& resource_id, int from, int to) const {
  ODP_ASSIGN_OR_RETURN(TableInfo a, Table(resource_id, from));
  ODP_ASSIGN_OR_RETURN(TableInfo b, Table(resource_id, to));
  return backend_->Diff(a, b);
}

Result<QueryResult> Datastore::Search(const TableInfo& t, const Query& q) const {
  if (q.masks.empty()) return backend_->Search(t, q);
  ODP_ASSIGN_OR_RETURN(QueryResult r, backend_->Search(t, internal::Unmasked(q)));
  internal::MaskResult(q, r);
  return r;
}

Result<std::unique_ptr<Cursor>> Datastore::Open(const TableInfo& t, const Query& q) const {
  if (q.masks.empty()) return backend_->Open(t, q);
  ODP_ASSIGN_OR_RETURN(auto cursor, backend_->Open(t, internal::Unmasked(q)));
  return internal::MaskCursor(std::move(cursor), t, q);
}

Status Datastore::Scan(const TableInfo& t, const Query& q,
                       const std::function<bool(const std::vector<json>&)>& row) const {
  ODP_ASSIGN_OR_RETURN(auto cursor, Open(t, q));
  std::vector<json> values(cursor->columns());
  while (cursor->Next()) {
    for (size_t c = 0; c < values.size(); ++c) values[c] = cursor->value(c);
    if (!row(values)) break;
  }
  return cursor->status();
}

Result<AggregateResult> Datastore::Aggregate(const TableInfo& t, const AggregateQuery& a) const {
  return backend_->Aggregate(t, a);
}

Result<SqlResult> Datastore::SearchSql(const std::string& sql,
                                       const std::function<bool(const std::string&)>& may_read,
                                       const SqlLimits& limits) const {
  return backend_->SearchSql(sql, may_read, limits);
}

}  // namespace odp::datastore
