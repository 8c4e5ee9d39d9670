// Loading and bookkeeping: connections, jobs, the loader, indexes, table lookups. Reading is
// in query.cpp.
#include "datastore/datastore.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "base/crypto.h"
#include "base/ids.h"
#include "base/log.h"
#include "base/time.h"
#include "datastore/internal.h"
#include "datastore/pg.h"
#include "datastore/sources.h"
#include "formats/csv.h"
#include "formats/prefetch.h"
#include "formats/spool.h"
#include "text/utf8.h"
#include "jobs/jobs.h"
#include "store/job_store.h"
#include "store/store.h"
#include "text/vietnamese.h"

namespace odp::datastore {

using json = nlohmann::json;
constexpr const char* kJobKind = "datastore";      // the load records (store::JobRecord)
constexpr const char* kLoadKind = "datastore.load";  // the runs of the jobs layer

Status SqlError(sqlite3* db, const std::string& what) {
  return Status::Internal(what + ": " + sqlite3_errmsg(db));
}

Status Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "error";
    sqlite3_free(err);
    return Status::Internal("datastore: " + msg);
  }
  return Status::Ok();
}

Status Prepare(sqlite3* db, const std::string& sql, Stmt& st) {
  if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &st.s, nullptr) != SQLITE_OK) {
    return SqlError(db, "datastore prepare");
  }
  return Status::Ok();
}

std::string Quote(const std::string& id) { return "\"" + id + "\""; }
std::string FtsName(const std::string& table) { return table + "_fts"; }

Status OpenConnection(const std::string& path, int flags, sqlite3** conn) {
  if (sqlite3_open_v2(path.c_str(), conn, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    return SqlError(*conn, "open " + path);
  }
  sqlite3_busy_timeout(*conn, 10000);
  // odp_fold(text): the Vietnamese folding of search ("Giáo dục" → "giao duc"), so that `q`
  // finds text with or without tone marks, exactly as the catalogue's search does.
  sqlite3_create_function(
      *conn, "odp_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
      [](sqlite3_context* ctx, int, sqlite3_value** argv) {
        const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
        if (!p) {
          sqlite3_result_null(ctx);
          return;
        }
        std::string folded =
            text::FoldVietnamese(std::string_view(p, static_cast<size_t>(sqlite3_value_bytes(argv[0]))));
        sqlite3_result_text(ctx, folded.data(), static_cast<int>(folded.size()), SQLITE_TRANSIENT);
      },
      nullptr, nullptr);
  return Status::Ok();
}

StmtCache::~StmtCache() {
  for (auto& [sql, s] : entries_) sqlite3_finalize(s);
}

sqlite3_stmt* StmtCache::Take(const std::string& sql) {
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (it->first == sql) {
      sqlite3_stmt* s = it->second;
      entries_.erase(std::next(it).base());
      return s;
    }
  }
  return nullptr;
}

void StmtCache::Give(const std::string& sql, sqlite3_stmt* s) {
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  entries_.emplace_back(sql, s);
  if (entries_.size() > kSize) {
    sqlite3_finalize(entries_.front().second);
    entries_.erase(entries_.begin());
  }
}

std::string WithoutPaths(const std::string& text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const bool starts = text[i] == '/' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '(' || text[i - 1] == '\'' ||
                                           text[i - 1] == '"' || text[i - 1] == ':');
    if (!starts) {
      out += text[i++];
      continue;
    }
    size_t end = i;
    while (end < text.size() && text[end] != ' ' && text[end] != ')' && text[end] != '\'' && text[end] != '"' &&
           text[end] != ',' && !(text[end] == ':' && (end + 1 == text.size() || text[end + 1] == ' '))) {
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

SqlConn::~SqlConn() {
  if (db) sqlite3_close(db);
}

Datastore::Db::~Db() {
  sqlite3_finalize(data_version_stmt.s);
  data_version_stmt.s = nullptr;
  stmt_caches.clear();  // their statements go before their connections
  for (sqlite3* c : all) sqlite3_close(c);
  sql_idle.clear();
  for (sqlite3* c : {writer, watch}) {
    if (c) sqlite3_close(c);
  }
}

void Datastore::Db::Invalidate() {
  std::lock_guard lock(cache_mu);
  tables.clear();
}

ReadLease::ReadLease(Datastore::Db& db) : db_(db) {
  std::unique_lock lock(db.pool_mu);
  for (;;) {
    if (!db.idle.empty()) {
      conn_ = db.idle.back();
      db.idle.pop_back();
      cache_ = db.stmt_caches[conn_].get();
      return;
    }
    if (db.all.size() < Datastore::Db::kReaders) {
      sqlite3* c = nullptr;
      if (OpenConnection(db.path, SQLITE_OPEN_READWRITE, &c).ok()) {
        db.all.push_back(c);
        conn_ = c;
        cache_ = (db.stmt_caches[c] = std::make_unique<StmtCache>()).get();
        return;
      }
      if (c) sqlite3_close(c);
    }
    db.pool_cv.wait(lock);
  }
}

ReadLease::~ReadLease() {
  {
    std::lock_guard lock(db_.pool_mu);
    db_.idle.push_back(conn_);
  }
  db_.pool_cv.notify_one();
}

json InfoToJson(const TableInfo& t) {
  json fields = json::array();
  for (const auto& f : t.fields) {
    fields.push_back({{"id", f.id}, {"label", f.label}, {"type", ToString(f.type)},
                      {"style", f.style == NumberStyle::kVietnamese ? "vi" : "en"}, {"description", f.description}});
  }
  json issues = json::array();
  for (const auto& i : t.issues) {
    issues.push_back({{"kind", i.kind}, {"line", i.line}, {"column", i.column}, {"message_vi", i.message_vi},
                      {"message_en", i.message_en}});
  }
  return {{"table", t.table},   {"fields", fields},         {"rows", t.rows},
          {"header_line", t.header_line}, {"delimiter", std::string(1, t.delimiter)},
          {"source", t.source}, {"encoding", t.encoding},   {"issues", issues},
          {"issue_counts", t.issue_counts}, {"indexed", t.indexed}, {"primary_key", t.primary_key},
          {"latitude", t.latitude}, {"longitude", t.longitude}};
}

ColumnType TypeFromString(const std::string& s) {
  for (ColumnType t : {ColumnType::kInteger, ColumnType::kNumber, ColumnType::kBoolean, ColumnType::kDate,
                       ColumnType::kDatetime, ColumnType::kString}) {
    if (s == ToString(t)) return t;
  }
  return ColumnType::kString;
}

TableInfo InfoFromJson(const std::string& resource_id, int version, const json& j, int64_t created) {
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
  for (const auto& f : j.value("fields", json::array())) {
    t.fields.push_back({f.value("id", ""), f.value("label", ""), TypeFromString(f.value("type", "string")),
                        f.value("style", "vi") == "vi" ? NumberStyle::kVietnamese : NumberStyle::kInternational,
                        f.value("description", "")});
  }
  for (const auto& i : j.value("issues", json::array())) {
    t.issues.push_back({i.value("kind", ""), i.value("line", int64_t{0}), i.value("column", 0),
                        i.value("message_vi", ""), i.value("message_en", "")});
  }
  const json counts = j.value("issue_counts", json::object());
  for (const auto& [k, v] : counts.items()) {
    if (v.is_number_integer()) t.issue_counts[k] = v.get<int64_t>();
  }
  return t;
}

std::string TableName(const std::string& resource_id, int version) {
  std::string t = "r_";
  for (char c : resource_id) t += (std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return t + "_v" + std::to_string(version);
}

namespace {

const char* SqlType(ColumnType t) {
  switch (t) {
    case ColumnType::kInteger:
    case ColumnType::kBoolean: return "INTEGER";
    case ColumnType::kNumber: return "REAL";
    default: return "TEXT";
  }
}

}  // namespace

void AddIssue(TableInfo& t, IngestIssue issue) {
  ++t.issue_counts[issue.kind];
  if (t.issues.size() < kMaxIssues) t.issues.push_back(std::move(issue));
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
      return false;
    case ColumnType::kNumber:
      if (auto v = ParseNumber(raw, f.style)) {
        out.kind = Typed::kReal;
        out.d = *v;
        return true;
      }
      return false;
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
  AddIssue(t, {"type_mismatch", line, static_cast<int>(c + 1),
               "Giá trị \"" + std::string(raw.substr(0, 60)) + "\" không phải kiểu " + ToString(f.type) + " (để trống)",
               "The value \"" + std::string(raw.substr(0, 60)) + "\" is not of type " + ToString(f.type) +
                   " (left empty)"});
}

void ReportExtraCells(TableInfo& t, const std::vector<std::string>& row, int64_t line) {
  for (size_t c = t.fields.size(); c < row.size(); ++c) {
    if (!Trim(row[c]).empty()) {
      AddIssue(t, {"extra_cells", line, static_cast<int>(c + 1), "Ô thừa ngoài các cột của dòng tiêu đề (bị bỏ qua)",
                   "A cell beyond the header's columns (ignored)"});
      return;
    }
  }
}

Status CheckLoadedTable(TableInfo& t, const std::string& table_sql, const RowQuery& query) {
  if (!t.primary_key.empty()) {
    // A primary key must be present and unique: each offending key is reported (not refused).
    std::string cols, missing;
    for (const auto& k : t.primary_key) {
      cols += (cols.empty() ? "" : ", ") + Quote(k);
      missing += (missing.empty() ? "" : " OR ") + Quote(k) + " IS NULL";
    }
    ODP_RETURN_IF_ERROR(query("SELECT min(_id), count(*), " + cols + " FROM " + table_sql + " GROUP BY " + cols +
                                  " HAVING count(*) > 1 ORDER BY 1 LIMIT 1000",
                              [&](const std::vector<std::string>& r) {
                                std::string key;
                                for (size_t k = 0; k < t.primary_key.size(); ++k) key += (k ? ", " : "") + r[k + 2];
                                AddIssue(t, {"duplicate_key", 0, 0,
                                             "Khoá chính (" + key + ") lặp lại " + r[1] + " lần, lần đầu ở hàng _id " + r[0],
                                             "Primary key (" + key + ") repeated " + r[1] + " times, first at row _id " +
                                                 r[0]});
                              }));
    ODP_RETURN_IF_ERROR(query("SELECT _id FROM " + table_sql + " WHERE " + missing + " ORDER BY _id LIMIT 100",
                              [&](const std::vector<std::string>& r) {
                                AddIssue(t, {"missing_key", 0, 0, "Hàng _id " + r[0] + " thiếu khoá chính",
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
    ODP_RETURN_IF_ERROR(query("SELECT count(*) FROM " + table_sql + " WHERE " + lat + " NOT BETWEEN -90 AND 90 OR " +
                                  lon + " NOT BETWEEN -180 AND 180",
                              [&](const std::vector<std::string>& r) { fits = r[0] == "0"; }));
    if (fits) {
      t.latitude = ids[ll->first];
      t.longitude = ids[ll->second];
    }
  }
  return Status::Ok();
}

namespace {

Status NotUtf8(int64_t line, size_t column) {
  return Status::InvalidArgument(
      "the file is not UTF-8 text (line " + std::to_string(line) + ", column " + std::to_string(column) + ")",
      "Tệp không phải văn bản UTF-8 (dòng " + std::to_string(line) + ", cột " + std::to_string(column) +
          "); hãy lưu lại dưới dạng CSV UTF-8 hoặc chọn bảng mã khi tải lên");
}

}  // namespace

std::vector<std::string> ColumnIds(const std::vector<std::string>& labels) {
  std::vector<std::string> ids;
  std::set<std::string> taken = {"_id"};
  for (size_t i = 0; i < labels.size(); ++i) {
    std::string id = text::Slugify(labels[i], 60);
    std::replace(id.begin(), id.end(), '-', '_');
    if (id.empty()) id = "cot_" + std::to_string(i + 1);
    if (std::isdigit(static_cast<unsigned char>(id[0]))) id = "c_" + id;
    std::string unique = id;
    for (int n = 2; taken.count(unique); ++n) unique = id + "_" + std::to_string(n);
    taken.insert(unique);
    ids.push_back(unique);
  }
  return ids;
}


Result<std::unique_ptr<Datastore>> Datastore::Open(const std::string& path, const formats::ReadLimits& limits,
                                                   store::Store* jobs, const std::string& pg_url) {
  std::unique_ptr<Datastore> ds(new Datastore());
  ds->limits_ = limits;
  ds->origin_ = NewUuid();
  if (const char* lease = std::getenv("ODP_JOB_LEASE_SECONDS"); lease && std::atoi(lease) > 0) {
    ds->lease_us_ = std::atoi(lease) * int64_t{1000000};
  }
  if (!jobs) {
    // Alone (tests, benchmarks): a job queue of its own beside the tables.
    std::string jobs_path = path.size() > 3 && path.ends_with(".db") ? path.substr(0, path.size() - 3) : path;
    ODP_ASSIGN_OR_RETURN(ds->own_jobs_, store::OpenStore("sqlite:" + jobs_path + "-jobs.db"));
    jobs = ds->own_jobs_.get();
  }
  ds->jobs_ = jobs;
  ds->db_ = std::make_unique<Db>();
  ds->db_->path = path;
  if (!pg_url.empty()) {
    ODP_ASSIGN_OR_RETURN(ds->pg_, pg::Tables::Open(pg_url));
    return ds;
  }
  for (sqlite3** conn : {&ds->db_->writer, &ds->db_->watch}) {
    ODP_RETURN_IF_ERROR(OpenConnection(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, conn));
  }
  ODP_RETURN_IF_ERROR(Exec(ds->db_->writer, R"SQL(
PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
CREATE TABLE IF NOT EXISTS ds_tables (
  resource_id TEXT NOT NULL, version INTEGER NOT NULL, info TEXT NOT NULL, created INTEGER NOT NULL,
  PRIMARY KEY (resource_id, version));
)SQL"));
  ODP_RETURN_IF_ERROR(ds->MoveOldJobs());
  return ds;
}

Status Datastore::MoveOldJobs() {
  // Before jobs were shared through the store they lived in this file (ds_jobs): moved once,
  // with the options publishers set and the loads left unfinished.
  sqlite3* db = db_->writer;
  Stmt has;
  ODP_RETURN_IF_ERROR(Prepare(db, "SELECT 1 FROM sqlite_master WHERE type='table' AND name='ds_jobs'", has));
  if (sqlite3_step(has.s) != SQLITE_ROW) return Status::Ok();
  Stmt st;
  (void)Exec(db, "ALTER TABLE ds_jobs ADD COLUMN options TEXT NOT NULL DEFAULT '{}'");
  ODP_RETURN_IF_ERROR(Prepare(db,
                              "SELECT resource_id, version, file, state, error_vi, error_en, rows, updated, options "
                              "FROM ds_jobs",
                              st));
  auto text = [&](int c) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st.s, c));
    return std::string(p ? p : "");
  };
  ODP_RETURN_IF_ERROR(jobs_->Transaction([&]() -> Status {
    while (sqlite3_step(st.s) == SQLITE_ROW) {
      JobRecord j{kJobKind, text(0), sqlite3_column_int(st.s, 1), text(2), text(8), text(3), text(4), text(5),
                         sqlite3_column_int64(st.s, 6), "", 0, sqlite3_column_int64(st.s, 7)};
      if (j.state == "running" || j.state == "indexing") j.state = "queued";
      ODP_RETURN_IF_ERROR(j.state == "queued" ? jobs_->QueueJob(j) : jobs_->SaveJob(j, "").status());
      if (j.state == "queued") ODP_RETURN_IF_ERROR(QueueLoadRun(j.resource_id, j.version));
    }
    return Status::Ok();
  }));
  return Exec(db, "ALTER TABLE ds_jobs RENAME TO ds_jobs_moved_to_store");
}

namespace {

json OptionsToJson(const LoadOptions& o) {
  json fields = json::array();
  for (const auto& f : o.fields) {
    json x = {{"id", f.id}, {"type", f.type ? ToString(*f.type) : ""}, {"label", f.label}};
    if (f.description) x["description"] = *f.description;
    fields.push_back(std::move(x));
  }
  return {{"format", o.format}, {"encoding", o.encoding}, {"sheet", o.sheet},
          {"all_sheets", o.all_sheets}, {"fields", fields}, {"primary_key", o.primary_key}};
}

LoadOptions OptionsFromJson(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  LoadOptions o;
  if (!j.is_object()) return o;
  o.format = j.value("format", "");
  o.encoding = j.value("encoding", "");
  o.sheet = j.value("sheet", -1);
  o.all_sheets = j.value("all_sheets", false);
  for (const auto& f : j.value("fields", json::array())) {
    FieldOverride fo{f.value("id", ""), std::nullopt, f.value("label", ""), std::nullopt};
    if (f.contains("description") && f["description"].is_string()) fo.description = f["description"].get<std::string>();
    if (!f.value("type", "").empty()) fo.type = TypeFromString(f.value("type", ""));
    o.fields.push_back(std::move(fo));
  }
  for (const auto& k : j.value("primary_key", json::array())) {
    if (k.is_string()) o.primary_key.push_back(k.get<std::string>());
  }
  return o;
}

}  // namespace

LoadOptions MergeOptions(LoadOptions base, const LoadOptions& change) {
  for (const auto& c : change.fields) {
    auto f = std::find_if(base.fields.begin(), base.fields.end(), [&](const FieldOverride& x) { return x.id == c.id; });
    if (f == base.fields.end()) {
      base.fields.push_back(c);
      continue;
    }
    if (c.type) f->type = c.type;
    if (!c.label.empty()) f->label = c.label;
    if (c.description) f->description = c.description;
  }
  if (!change.primary_key.empty()) base.primary_key = change.primary_key;
  if (!change.format.empty()) base.format = change.format;
  if (!change.encoding.empty()) base.encoding = change.encoding;
  if (change.sheet >= 0 || change.all_sheets) {
    base.sheet = change.sheet;
    base.all_sheets = change.all_sheets;
  }
  return base;
}

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
    store::JobStore* js = store::AsJobStore(*jobs_);
    if (!js) {
      LogWarn("datastore: the job store cannot run jobs; loads stay queued");
      return;
    }
    jobs::JobsOptions o;
    o.workers = 1;
    o.lease = lease_us_;
    o.owner = origin_;
    own_runner_ = std::make_unique<jobs::Jobs>(*js, o);
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
  runner->Register(kLoadKind, [this](jobs::JobContext& ctx) { return RunLoad(ctx); }, ko);
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
    std::lock_guard lock(db_->jobs_map_mu);
    db_->jobs[j.resource_id] = j;
  }
  const bool over = j.state == "done" || j.state == "failed" || j.state == "cancelled";
  JobRecord r{kJobKind, j.resource_id, j.version, "", "", j.state, j.error_vi, j.error_en, j.rows_done,
                     over ? "" : origin_, over ? 0 : NowMicros(), j.updated};
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
  store::JobStore* js = store::AsJobStore(*jobs_);
  if (!js) return Status::Internal("the job store cannot queue jobs");
  store::JobRun r;
  r.id = NewUuid();
  r.kind = kLoadKind;
  r.key = key;
  r.payload = payload;
  r.created = r.run_at = NowMicros();
  return js->EnqueueJobRun(r).status();
}

Status Datastore::Enqueue(const std::string& resource_id, int version, const std::string& file_in,
                          const LoadOptions& options) {
  // Kept absolute: another process (another working directory) may run the job.
  std::error_code ec;
  std::string file = std::filesystem::absolute(file_in, ec).string();
  if (ec) file = file_in;
  JobRecord j{kJobKind, resource_id, version, file, OptionsToJson(options).dump(), "queued", "", "", 0, "", 0,
                     NowMicros()};
  // The record and the run together, or neither.
  ODP_RETURN_IF_ERROR(jobs_->Transaction([&]() -> Status {
    ODP_RETURN_IF_ERROR(jobs_->QueueJob(j));
    return QueueLoadRun(resource_id, version);
  }));
  {
    std::lock_guard lock(db_->jobs_map_mu);
    db_->jobs.erase(resource_id);
  }
  std::lock_guard lock(mu_);
  if (runner_) runner_->Wake();  // committed: this server's worker starts it at once
  return Status::Ok();
}

Status Datastore::Reload(const std::string& resource_id, const LoadOptions& options) {
  auto latest = jobs_->LatestJob(kJobKind, resource_id);
  if (!latest.ok() || latest->file.empty()) return Status::NotFound("datastore file of resource", resource_id);
  return Enqueue(resource_id, latest->version, latest->file, options);
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
  } else if (store::JobStore* js = store::AsJobStore(*jobs_)) {
    (void)js->CancelJobRunsByKey(kLoadKind, resource_id, NowMicros());
  }
  if (touched == 0) return Status::NotFound("datastore load of resource", resource_id);
  {
    std::lock_guard lock(db_->jobs_map_mu);
    db_->jobs.erase(resource_id);
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
  for (int tries = 0;; ++tries) {
    ODP_ASSIGN_OR_RETURN(JobRecord r, jobs_->GetJob(kJobKind, job.resource_id, job.version));
    if (r.state == "done" || r.state == "cancelled") return Status::Ok();  // nothing left to do
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
      job = std::move(r);
      break;
    }
    if (tries >= 3) return Status::Conflict("load record of " + job.resource_id + " keeps changing",
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
            std::to_string(r->rows) + " rows in " + std::to_string((NowMicros() - started) / 1000) + " ms");
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

Result<TableInfo> Datastore::Load(const std::string& resource_id, int version, const std::string& file,
                                  const LoadOptions& options) {
  std::lock_guard wlock(db_->write_mu);
  IngestJob job{resource_id, version, "running", "", "", 0, 0, 0, NowMicros()};
  (void)SaveJob(job);
  auto t = LoadRows(resource_id, version, file, options, job);
  if (!t.ok()) {
    bool cancelled = cancelled_.exchange(false);
    if (t.status().code() == StatusCode::kUnavailable && !cancelled) return t;  // left "running": resumed later
    job.state = cancelled ? "cancelled" : "failed";
    job.error_en = cancelled ? "Cancelled on request" : WithoutPaths(t.status().message());
    job.error_vi = cancelled ? "Đã huỷ theo yêu cầu" : WithoutPaths(t.status().message_vi());
    job.updated = NowMicros();
    (void)SaveJob(job);
    return t.status();
  }
  job.state = "indexing";
  job.rows_done = t->rows;
  job.bytes_done = job.bytes_total;
  job.updated = NowMicros();
  (void)SaveJob(job);
  db_->Invalidate();
  std::function<void(const TableInfo&)> loaded;
  {
    std::lock_guard lock(mu_);
    loaded = on_loaded_;
  }
  if (loaded) loaded(*t);
  return t;
}

Result<TableInfo> Datastore::LoadRows(const std::string& resource_id, int version, const std::string& file,
                                      const LoadOptions& options, IngestJob& job) {
  ODP_ASSIGN_OR_RETURN(Source src, OpenSource(file, options, limits_));
  // A workbook's rows are kept as they are first read, so that the second pass replays them
  // instead of inflating and parsing the XML again.
  if (src.format == "xlsx") {
    src.rows = std::make_unique<formats::SpoolRows>(std::move(src.rows),
                                                    std::filesystem::temp_directory_path().string());
  }
  // Parsing runs ahead on a second thread while this one types and inserts.
  formats::PrefetchRows rows(std::move(src.rows));
  TableInfo t;
  t.resource_id = resource_id;
  t.version = version;
  t.table = TableName(resource_id, version);
  t.delimiter = src.delimiter ? src.delimiter : ',';
  t.source = rows.describe();
  t.encoding = src.encoding;
  job.bytes_total = std::max<int64_t>(1, rows.bytes_total()) * 2;  // read twice
  auto progress = [&](int64_t rows_done, int64_t bytes) {
    std::lock_guard lock(db_->jobs_map_mu);
    auto& j = db_->jobs[resource_id];
    j.rows_done = rows_done;
    j.bytes_done = bytes;
    j.bytes_total = job.bytes_total;
  };
  auto stop_requested = [&]() -> Status {
    if (cancelled_) return Status::Conflict("load cancelled", "Đã huỷ việc nạp dữ liệu");
    if (abandon_) return Status::Unavailable("load abandoned at shutdown");
    return Status::Ok();
  };

  // Pass 1: the header row (the first with most cells filled, below any title rows), then the
  // type of every column over all values.
  std::vector<std::vector<std::string>> head;
  std::vector<std::string> row;
  std::vector<int64_t> head_lines;
  while (head.size() < 50 && rows.Next(row)) {
    head.push_back(row);
    head_lines.push_back(rows.line());
  }
  ODP_RETURN_IF_ERROR(rows.status());
  if (head.empty()) return Status::InvalidArgument("the file is empty", "Tệp không có dữ liệu");
  size_t header_index = HeaderIndex(head);
  for (size_t i = header_index; i < std::min(head.size(), header_index + 2); ++i) {
    for (size_t c = 0; c < head[i].size(); ++c) {
      if (!text::IsValidUtf8(head[i][c])) return NotUtf8(head_lines[i], c + 1);
    }
  }
  std::vector<std::string> labels;
  int header_rows = HeaderLabels(head, header_index, labels);
  if (labels.empty()) return Status::InvalidArgument("no header row", "Không tìm thấy dòng tiêu đề");
  t.header_line = head_lines[header_index + static_cast<size_t>(header_rows) - 1];
  std::vector<ColumnProfile> profiles(labels.size());
  for (auto& p : profiles) p.set_typed_numbers(rows.typed_numbers());
  auto profile_row = [&](const std::vector<std::string>& r, int64_t line) -> Status {
    if (NonEmpty(r) == 0) return Status::Ok();
    for (size_t c = 0; c < r.size(); ++c) {
      if (!text::IsValidUtf8(r[c])) return NotUtf8(line, c + 1);
      if (c < profiles.size()) profiles[c].Add(r[c]);
    }
    for (size_t c = r.size(); c < profiles.size(); ++c) profiles[c].Add("");
    return Status::Ok();
  };
  for (size_t i = header_index + static_cast<size_t>(header_rows); i < head.size(); ++i) {
    ODP_RETURN_IF_ERROR(profile_row(head[i], head_lines[i]));
  }
  // The fields as the profiles so far say, with what the publisher said on top (into `into`,
  // whose issues collect what does not apply).
  auto decide = [&](std::vector<ColumnProfile> ps, TableInfo& into) {
    std::vector<std::string> ids = ColumnIds(labels);
    if (auto ll = FindLatLon(ids, std::vector<ColumnType>(ids.size(), ColumnType::kNumber))) {
      ps[ll->first].prefer_international();
      ps[ll->second].prefer_international();
    }
    into.fields.clear();
    for (size_t c = 0; c < labels.size(); ++c) {
      into.fields.push_back({ids[c], labels[c], ps[c].Decide(), ps[c].style(), ""});
    }
    // What the publisher said about the columns wins over what was inferred.
    for (const auto& o : options.fields) {
      auto f = std::find_if(into.fields.begin(), into.fields.end(), [&](const Field& x) { return x.id == o.id; });
      if (f == into.fields.end()) {
        // Set for an earlier file (settings outlive their file): this one lacks the column.
        AddIssue(into, {"schema_column_missing", 0, 0,
                        "Cột " + o.id + " của cấu trúc đã lưu không có trong tệp này (thiết lập được bỏ qua)",
                        "Column " + o.id + " of the saved schema is not in this file (its settings are ignored)"});
        continue;
      }
      if (o.type) f->type = *o.type;
      if (!o.label.empty()) f->label = o.label;
      if (o.description) f->description = *o.description;
    }
    into.primary_key = options.primary_key;
    for (const auto& k : options.primary_key) {
      if (std::none_of(into.fields.begin(), into.fields.end(), [&](const Field& x) { return x.id == k; })) {
        AddIssue(into, {"schema_column_missing", 0, 0,
                        "Tệp không có cột " + k + " của khoá chính: bảng này không có khoá chính",
                        "The file has no column " + k + " of the primary key: this table has no key"});
        into.primary_key.clear();
        break;
      }
    }
  };
  const size_t header_skip = header_index + static_cast<size_t>(header_rows);
  // A version loaded again (other options) goes into a new table, so that the registered one
  // keeps serving until the new one replaces it.
  std::string replaced;
  if (pg_) {
    ODP_ASSIGN_OR_RETURN(replaced, PgRegisteredTable(resource_id, version));
    if (!replaced.empty()) t.table += "_l" + std::to_string(NowMicros() % 1000000000);
  }
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
    Status status;
    std::vector<Field> fields;
  } final_types;
  std::optional<Result<TableInfo>> speculative;
  bool types_changed = false;
  std::thread speculation;
  auto publish = [&](Status status) {
    {
      std::lock_guard lock(final_types.mu);
      final_types.ready = true;
      final_types.status = std::move(status);
      final_types.fields = t.fields;
    }
    final_types.cv.notify_all();
    if (speculation.joinable()) speculation.join();
  };
  if (pg_ && src.format == "csv" && src.temp_file.empty()) {
    Status sampled;
    while (seen < 2000 && rows.Next(row)) {
      sampled = profile_row(row, rows.line());
      if (!sampled.ok()) break;
      ++seen;
    }
    ODP_RETURN_IF_ERROR(sampled);
    ODP_RETURN_IF_ERROR(rows.status());
    TableInfo spec = t;
    decide(profiles, spec);
    speculation = std::thread([&, spec]() mutable {
      auto second = OpenSource(file, options, limits_);
      if (!second.ok()) {
        speculative = second.status();
        return;
      }
      formats::PrefetchRows rows2(std::move(second->rows));
      auto quiet = [](int64_t, int64_t) {};
      speculative = PgWriteRows(std::move(spec), rows2, header_skip, 0, replaced, quiet, stop_requested,
                                [&](const TableInfo& loaded) -> Status {
                                  std::unique_lock lock(final_types.mu);
                                  final_types.cv.wait(lock, [&] { return final_types.ready; });
                                  ODP_RETURN_IF_ERROR(final_types.status);
                                  bool same = final_types.fields.size() == loaded.fields.size();
                                  for (size_t c = 0; same && c < loaded.fields.size(); ++c) {
                                    same = final_types.fields[c].type == loaded.fields[c].type &&
                                           final_types.fields[c].style == loaded.fields[c].style;
                                  }
                                  if (same) return Status::Ok();
                                  types_changed = true;
                                  return Status::Conflict("the file's types differ from its first rows'");
                                });
    });
  }
  Status pass1 = [&]() -> Status {
    while (rows.Next(row)) {
      ODP_RETURN_IF_ERROR(profile_row(row, rows.line()));
      if (++seen % 50000 == 0) {
        ODP_RETURN_IF_ERROR(stop_requested());
        if (!speculation.joinable()) progress(0, rows.bytes_read());
      }
    }
    return rows.status();
  }();
  if (pass1.ok()) decide(profiles, t);
  if (speculation.joinable()) {
    publish(pass1);
    ODP_RETURN_IF_ERROR(pass1);
    if (!types_changed) return std::move(*speculative);
    LogInfo("datastore: " + resource_id + " v" + std::to_string(version) +
            ": types differ from the first rows'; loading again with the file's types");
  }
  ODP_RETURN_IF_ERROR(pass1);
  const int64_t pass1_bytes = std::max<int64_t>(rows.bytes_read(), rows.bytes_total());
  if (pg_) {
    return PgWriteRows(std::move(t), rows, header_skip, pass1_bytes, replaced, progress, stop_requested);
  }
  {
    ReadLease lease(*db_);
    Stmt st;
    ODP_RETURN_IF_ERROR(Prepare(lease.get(), "SELECT info FROM ds_tables WHERE resource_id=?1 AND version=?2", st));
    sqlite3_bind_text(st.s, 1, resource_id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st.s, 2, version);
    if (sqlite3_step(st.s) == SQLITE_ROW) {
      json info = json::parse(reinterpret_cast<const char*>(sqlite3_column_text(st.s, 0)), nullptr, false);
      replaced = info.is_object() ? info.value("table", "") : "";
      t.table += "_l" + std::to_string(NowMicros() % 1000000000);
    }
  }

  // Pass 2: create the table and insert typed rows, committing every kBatch rows so that other
  // writers (job bookkeeping) are not locked out for long. The table is registered in
  // ds_tables only in the last transaction: until then no query can see it, and a crash leaves
  // an unregistered table that the re-run drops.
  constexpr int64_t kBatch = 50000;
  sqlite3* db = db_->writer;
  // The rows need no fsync of their own: until the table is registered (the last transaction,
  // made with synchronous=NORMAL again) a crash only leaves an unregistered table to drop.
  ODP_RETURN_IF_ERROR(Exec(db, "PRAGMA synchronous=OFF; PRAGMA cache_size=-32768"));
  ODP_RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE"));
  // A load that stops leaves no table behind (it was never registered).
  auto rollback = [&](Status s) {
    (void)Exec(db, "ROLLBACK; PRAGMA synchronous=NORMAL");
    (void)Exec(db, "DROP TABLE IF EXISTS " + Quote(t.table));
    return s;
  };
  std::string create = "DROP TABLE IF EXISTS " + Quote(FtsName(t.table)) + "; DROP TABLE IF EXISTS " +
                       Quote(t.table) + "; CREATE TABLE " + Quote(t.table) + " (_id INTEGER PRIMARY KEY";
  std::string insert = "INSERT INTO " + Quote(t.table) + " VALUES (?";
  for (const auto& f : t.fields) {
    create += ", " + Quote(f.id) + " " + SqlType(f.type);
    insert += ",?";
  }
  create += ")";
  insert += ")";
  if (Status s = Exec(db, create); !s.ok()) return rollback(s);
  Stmt ins;
  if (Status s = Prepare(db, insert, ins); !s.ok()) return rollback(s);
  if (Status s = rows.Rewind(); !s.ok()) return rollback(s);
  int64_t n = 0;
  // Rows are skipped by position, not line: a JSON array's header and first record share a line.
  size_t to_skip = header_index + static_cast<size_t>(header_rows);
  std::vector<std::string> cells(t.fields.size());
  while (rows.Next(row)) {
    if (to_skip > 0) {
      --to_skip;
      continue;
    }
    if (NonEmpty(row) == 0) continue;
    ReportExtraCells(t, row, rows.line());
    sqlite3_reset(ins.s);
    sqlite3_bind_int64(ins.s, 1, ++n);
    for (size_t c = 0; c < t.fields.size(); ++c) {
      int col = static_cast<int>(c + 2);
      std::string_view raw = c < row.size() ? Trim(row[c]) : std::string_view();
      Typed v;
      if (!TypeCell(t.fields[c], raw, cells[c], v)) AddMisfit(t, rows.line(), c, raw);
      switch (v.kind) {
        case Typed::kNull: sqlite3_bind_null(ins.s, col); break;
        case Typed::kInt: sqlite3_bind_int64(ins.s, col, v.i); break;
        case Typed::kReal: sqlite3_bind_double(ins.s, col, v.d); break;
        case Typed::kText:
          // One buffer per column, reused for every row and bound without a copy (SQLITE_STATIC:
          // it outlives the step that reads it).
          sqlite3_bind_text(ins.s, col, v.s.data(), static_cast<int>(v.s.size()), SQLITE_STATIC);
          break;
      }
    }
    if (sqlite3_step(ins.s) != SQLITE_DONE) return rollback(SqlError(db, "insert row"));
    if (n % kBatch == 0) {
      // Stopped at shutdown: handed back to the queue (Run), loaded again by the next loading
      // thread to claim it. Cancelled: the job says so.
      if (Status s = stop_requested(); !s.ok()) return rollback(s);
      if (Status s = Exec(db, "COMMIT; BEGIN IMMEDIATE"); !s.ok()) return rollback(s);
      progress(n, pass1_bytes + rows.bytes_read());
    }
  }
  if (Status s = rows.status(); !s.ok()) return rollback(s);
  if (auto* csv = dynamic_cast<formats::CsvFileSource*>(&rows.inner()); csv && csv->unterminated()) {
    AddIssue(t, {"unterminated_quote", rows.line(), 0, "Dấu ngoặc kép không được đóng ở cuối tệp",
                 "A quoted field is not closed at the end of the file"});
  }
  t.rows = n;
  t.created = NowMicros();
  {
    auto query = [&](const std::string& sql, const std::function<void(const std::vector<std::string>&)>& on_row) {
      Stmt st;
      ODP_RETURN_IF_ERROR(Prepare(db, sql, st));
      std::vector<std::string> r;
      while (sqlite3_step(st.s) == SQLITE_ROW) {
        r.assign(static_cast<size_t>(sqlite3_column_count(st.s)), "");
        for (size_t c = 0; c < r.size(); ++c) {
          const auto* v = reinterpret_cast<const char*>(sqlite3_column_text(st.s, static_cast<int>(c)));
          if (v) r[c] = v;
        }
        on_row(r);
      }
      return Status::Ok();
    };
    if (Status s = CheckLoadedTable(t, Quote(t.table), query); !s.ok()) return rollback(s);
  }
  if (Status s = Exec(db, "COMMIT; PRAGMA synchronous=NORMAL; BEGIN IMMEDIATE"); !s.ok()) return rollback(s);
  {
    Stmt reg;
    if (Status s = Prepare(db,
                           "INSERT INTO ds_tables (resource_id, version, info, created) VALUES (?1, ?2, ?3, ?4) "
                           "ON CONFLICT(resource_id, version) DO UPDATE SET info=excluded.info, created=excluded.created",
                           reg);
        !s.ok()) {
      return rollback(s);
    }
    std::string info = InfoToJson(t).dump(-1, ' ', false, json::error_handler_t::replace);
    sqlite3_bind_text(reg.s, 1, resource_id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(reg.s, 2, version);
    sqlite3_bind_text(reg.s, 3, info.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(reg.s, 4, t.created);
    if (sqlite3_step(reg.s) != SQLITE_DONE) return rollback(SqlError(db, "register table"));
  }
  if (Status s = Exec(db, "COMMIT"); !s.ok()) return rollback(s);
  if (!replaced.empty()) {
    // The table this one replaces (read by nobody new from now on).
    (void)Exec(db, "DROP TABLE IF EXISTS " + Quote(FtsName(replaced)) + "; DROP TABLE IF EXISTS " + Quote(replaced));
  }
  return t;
}

Status Datastore::BuildIndexes(const std::string& resource_id, int version) {
  std::lock_guard wlock(db_->write_mu);
  ODP_ASSIGN_OR_RETURN(TableInfo t, Table(resource_id, version));
  IngestJob job{resource_id, version, "indexing", "", "", 0, 0, t.rows, NowMicros()};
  auto finish = [&](Status s) {
    (void)Exec(db_->writer, "PRAGMA synchronous=NORMAL");
    job.state = s.ok() ? "done" : "failed";
    job.error_en = s.ok() ? "" : WithoutPaths(s.message());
    job.error_vi = s.ok() ? "" : WithoutPaths(s.message_vi());
    job.updated = NowMicros();
    (void)SaveJob(job);
    return s;
  };
  if (t.indexed) return finish(Status::Ok());
  if (pg_) {
    Status built = PgBuildIndexes(t);
    if (built.code() == StatusCode::kUnavailable) return built;  // abandoned at shutdown
    return finish(built);
  }
  sqlite3* db = db_->writer;
  ODP_RETURN_IF_ERROR(Exec(db, "PRAGMA synchronous=OFF"));
  for (size_t c = 0; c < t.fields.size(); ++c) {
    if (abandon_) return Status::Unavailable("indexing abandoned at shutdown");
    if (Status s = Exec(db, "CREATE INDEX IF NOT EXISTS " + Quote(t.table + "_i" + std::to_string(c)) + " ON " +
                                Quote(t.table) + " (" + Quote(t.fields[c].id) + ")");
        !s.ok()) {
      return finish(s);
    }
  }
  // Full text: the folded words of every text column, in a contentless FTS5 table keyed by _id.
  std::string body;
  for (const auto& f : t.fields) {
    if (f.type != ColumnType::kString) continue;
    body += (body.empty() ? "" : " || ' ' || ") + std::string("coalesce(") + Quote(f.id) + ", '')";
  }
  if (!body.empty()) {
    std::string fts = Quote(FtsName(t.table));
    if (Status s = Exec(db, "BEGIN IMMEDIATE; DROP TABLE IF EXISTS " + fts + "; CREATE VIRTUAL TABLE " + fts +
                                " USING fts5(body, content='', detail=none, tokenize='unicode61'); INSERT INTO " +
                                fts + " (rowid, body) SELECT _id, odp_fold(" + body + ") FROM " + Quote(t.table) +
                                "; COMMIT");
        !s.ok()) {
      (void)Exec(db, "ROLLBACK");
      return finish(s);
    }
  }
  t.indexed = true;
  {
    if (Status s = Exec(db, "PRAGMA synchronous=NORMAL"); !s.ok()) return finish(s);
    Stmt up;
    ODP_RETURN_IF_ERROR(Prepare(db, "UPDATE ds_tables SET info=?3 WHERE resource_id=?1 AND version=?2", up));
    std::string info = InfoToJson(t).dump(-1, ' ', false, json::error_handler_t::replace);
    sqlite3_bind_text(up.s, 1, resource_id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(up.s, 2, version);
    sqlite3_bind_text(up.s, 3, info.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(up.s) != SQLITE_DONE) return finish(SqlError(db, "mark indexed"));
  }
  db_->Invalidate();
  return finish(Status::Ok());
}

Result<TableInfo> Datastore::Table(const std::string& resource_id, int version) const {
  if (pg_) return PgTable(resource_id, version);
  std::string key = version > 0 ? resource_id + "#" + std::to_string(version) : resource_id;
  {
    std::lock_guard lock(db_->cache_mu);
    // Another process (or connection) committed since: every cached answer may be stale.
    Stmt& dv = db_->data_version_stmt;
    if ((dv.s || Prepare(db_->watch, "PRAGMA data_version", dv).ok()) && sqlite3_step(dv.s) == SQLITE_ROW) {
      int64_t v = sqlite3_column_int64(dv.s, 0);
      if (v != db_->data_version) {
        db_->tables.clear();
        db_->data_version = v;
      }
    }
    if (dv.s) sqlite3_reset(dv.s);
    auto it = db_->tables.find(key);
    if (it != db_->tables.end()) return *it->second;
  }
  ReadLease lease(*db_);
  Stmt st;
  std::string sql = version > 0 ? "SELECT version, info, created FROM ds_tables WHERE resource_id=?1 AND version=?2"
                                : "SELECT version, info, created FROM ds_tables WHERE resource_id=?1 "
                                  "ORDER BY version DESC LIMIT 1";
  ODP_RETURN_IF_ERROR(Prepare(lease.get(), sql, st));
  sqlite3_bind_text(st.s, 1, resource_id.c_str(), -1, SQLITE_TRANSIENT);
  if (version > 0) sqlite3_bind_int(st.s, 2, version);
  if (sqlite3_step(st.s) != SQLITE_ROW) return Status::NotFound("datastore table of resource", resource_id);
  json info = json::parse(reinterpret_cast<const char*>(sqlite3_column_text(st.s, 1)), nullptr, false);
  auto t = std::make_shared<const TableInfo>(
      InfoFromJson(resource_id, sqlite3_column_int(st.s, 0), info, sqlite3_column_int64(st.s, 2)));
  std::lock_guard lock(db_->cache_mu);
  db_->tables[key] = t;
  return *t;
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
  IngestJob j{resource_id, r.version, r.state, r.error_vi, r.error_en, 0, 0, r.rows, r.updated};
  if (j.state == "cancelling") j.state = "running";
  // This process runs it: its progress is here, fresher than the heartbeats.
  std::lock_guard lock(db_->jobs_map_mu);
  auto it = db_->jobs.find(resource_id);
  if (it != db_->jobs.end() && it->second.version == r.version && it->second.updated >= r.updated &&
      (r.owner == origin_ || r.state == it->second.state)) {
    return it->second;
  }
  return j;
}

}  // namespace odp::datastore
