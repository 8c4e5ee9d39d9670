#include "datastore/datastore.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "base/log.h"
#include "base/time.h"
#include "formats/csv.h"
#include "text/utf8.h"
#include "text/vietnamese.h"

namespace odp::datastore {

using json = nlohmann::json;

// Two connections: the loading thread writes through `writer`; queries read through `reader`
// (WAL: readers see the last committed state and never wait for a load).
struct Datastore::Db {
  sqlite3* writer = nullptr;
  sqlite3* reader = nullptr;
  sqlite3* jobs_conn = nullptr;  // job bookkeeping, so that queueing never waits for a load
  mutable std::mutex write_mu;  // one load at a time (the thread, or Load() from a command)
  mutable std::mutex read_mu;
  mutable std::mutex jobs_mu;
  std::map<std::string, IngestJob> jobs;  // newest job per resource, guarded by read_mu
  ~Db() {
    if (writer) sqlite3_close(writer);
    if (reader) sqlite3_close(reader);
    if (jobs_conn) sqlite3_close(jobs_conn);
  }
};

namespace {

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

// RAII statement.
struct Stmt {
  sqlite3_stmt* s = nullptr;
  ~Stmt() { sqlite3_finalize(s); }
};

Status Prepare(sqlite3* db, const std::string& sql, Stmt& st) {
  if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &st.s, nullptr) != SQLITE_OK) {
    return SqlError(db, "datastore prepare");
  }
  return Status::Ok();
}

std::string Quote(const std::string& id) { return "\"" + id + "\""; }

std::string TableName(const std::string& resource_id, int version) {
  std::string t = "r_";
  for (char c : resource_id) t += (std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return t + "_v" + std::to_string(version);
}

const char* SqlType(ColumnType t) {
  switch (t) {
    case ColumnType::kInteger:
    case ColumnType::kBoolean: return "INTEGER";
    case ColumnType::kNumber: return "REAL";
    default: return "TEXT";
  }
}

json InfoToJson(const TableInfo& t) {
  json fields = json::array();
  for (const auto& f : t.fields) {
    fields.push_back({{"id", f.id}, {"label", f.label}, {"type", ToString(f.type)},
                      {"style", f.style == NumberStyle::kVietnamese ? "vi" : "en"}});
  }
  json issues = json::array();
  for (const auto& i : t.issues) {
    issues.push_back({{"kind", i.kind}, {"line", i.line}, {"column", i.column}, {"message_vi", i.message_vi},
                      {"message_en", i.message_en}});
  }
  return {{"table", t.table}, {"fields", fields}, {"rows", t.rows}, {"header_line", t.header_line},
          {"delimiter", std::string(1, t.delimiter)}, {"issues", issues}, {"issue_counts", t.issue_counts}};
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
  for (const auto& f : j.value("fields", json::array())) {
    t.fields.push_back({f.value("id", ""), f.value("label", ""), TypeFromString(f.value("type", "string")),
                        f.value("style", "vi") == "vi" ? NumberStyle::kVietnamese : NumberStyle::kInternational});
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

void AddIssue(TableInfo& t, IngestIssue issue) {
  ++t.issue_counts[issue.kind];
  if (t.issues.size() < kMaxIssues) t.issues.push_back(std::move(issue));
}

size_t NonEmpty(const std::vector<std::string>& row) {
  size_t n = 0;
  for (const auto& f : row) {
    if (!Trim(f).empty()) ++n;
  }
  return n;
}

bool HasNonAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
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

Result<std::unique_ptr<Datastore>> Datastore::Open(const std::string& path) {
  std::unique_ptr<Datastore> ds(new Datastore());
  ds->db_ = std::make_unique<Db>();
  for (sqlite3** conn : {&ds->db_->writer, &ds->db_->reader, &ds->db_->jobs_conn}) {
    if (sqlite3_open_v2(path.c_str(), conn, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
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
          std::string folded = text::FoldVietnamese(
              std::string_view(p, static_cast<size_t>(sqlite3_value_bytes(argv[0]))));
          sqlite3_result_text(ctx, folded.data(), static_cast<int>(folded.size()), SQLITE_TRANSIENT);
        },
        nullptr, nullptr);
  }
  ODP_RETURN_IF_ERROR(Exec(ds->db_->writer, R"SQL(
PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
CREATE TABLE IF NOT EXISTS ds_tables (
  resource_id TEXT NOT NULL, version INTEGER NOT NULL, info TEXT NOT NULL, created INTEGER NOT NULL,
  PRIMARY KEY (resource_id, version));
CREATE TABLE IF NOT EXISTS ds_jobs (
  resource_id TEXT NOT NULL, version INTEGER NOT NULL, file TEXT NOT NULL, state TEXT NOT NULL,
  error_vi TEXT NOT NULL, error_en TEXT NOT NULL, rows INTEGER NOT NULL, updated INTEGER NOT NULL,
  PRIMARY KEY (resource_id, version));
)SQL"));
  return ds;
}

void Datastore::Start() {
  if (worker_.joinable()) return;
  // Jobs a previous process did not finish are loaded again from the start.
  {
    std::lock_guard lock(mu_);
    Stmt st;
    if (Prepare(db_->writer,
                                "SELECT resource_id, version, file FROM ds_jobs WHERE state IN ('queued','running') "
                 "ORDER BY updated",
                 st)
             .ok()) {
      while (sqlite3_step(st.s) == SQLITE_ROW) {
        queue_.push_back({reinterpret_cast<const char*>(sqlite3_column_text(st.s, 0)), sqlite3_column_int(st.s, 1),
                          reinterpret_cast<const char*>(sqlite3_column_text(st.s, 2))});
      }
    }
  }
  worker_ = std::thread([this] { Run(); });
}

Datastore::~Datastore() { Stop(); }

void Datastore::Stop() {
  abandon_ = true;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

Status Datastore::SaveJob(const IngestJob& j) {
  {
    std::lock_guard lock(db_->read_mu);
    db_->jobs[j.resource_id] = j;
  }
  std::lock_guard jlock(db_->jobs_mu);
  Stmt st;
  ODP_RETURN_IF_ERROR(Prepare(db_->jobs_conn,
                              "INSERT INTO ds_jobs (resource_id, version, file, state, error_vi, error_en, rows, updated) "
                              "VALUES (?1, ?2, '', ?3, ?4, ?5, ?6, ?7) ON CONFLICT(resource_id, version) DO UPDATE SET "
                              "state=excluded.state, error_vi=excluded.error_vi, error_en=excluded.error_en, "
                              "rows=excluded.rows, updated=excluded.updated",
                              st));
  sqlite3_bind_text(st.s, 1, j.resource_id.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st.s, 2, j.version);
  sqlite3_bind_text(st.s, 3, j.state.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st.s, 4, j.error_vi.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st.s, 5, j.error_en.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st.s, 6, j.rows_done);
  sqlite3_bind_int64(st.s, 7, j.updated);
  if (sqlite3_step(st.s) != SQLITE_DONE) return SqlError(db_->jobs_conn, "save job");
  return Status::Ok();
}

Status Datastore::Enqueue(const std::string& resource_id, int version, const std::string& file_in) {
  // Kept absolute: a later process (another working directory) may resume the job.
  std::error_code ec;
  std::string file = std::filesystem::absolute(file_in, ec).string();
  if (ec) file = file_in;
  std::lock_guard jlock(db_->jobs_mu);
  Stmt st;
  ODP_RETURN_IF_ERROR(Prepare(db_->jobs_conn,
                              "INSERT INTO ds_jobs (resource_id, version, file, state, error_vi, error_en, rows, updated) "
                              "VALUES (?1, ?2, ?3, 'queued', '', '', 0, ?4) ON CONFLICT(resource_id, version) DO UPDATE "
                              "SET file=excluded.file, state='queued', updated=excluded.updated",
                              st));
  sqlite3_bind_text(st.s, 1, resource_id.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st.s, 2, version);
  sqlite3_bind_text(st.s, 3, file.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st.s, 4, NowMicros());
  if (sqlite3_step(st.s) != SQLITE_DONE) return SqlError(db_->jobs_conn, "queue job");
  {
    std::lock_guard lock(db_->read_mu);
    db_->jobs[resource_id] = IngestJob{resource_id, version, "queued", "", "", 0, 0, 0, NowMicros()};
  }
  {
    std::lock_guard lock(mu_);
    queue_.push_back({resource_id, version, file});
  }
  cv_.notify_all();
  return Status::Ok();
}

void Datastore::Run() {
  for (;;) {
    Pending job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = queue_.front();
      queue_.pop_front();
      busy_ = true;
    }
    auto r = Load(job.resource_id, job.version, job.file);
    if (!r.ok()) LogWarn("datastore: load of " + job.resource_id + " failed: " + r.status().message());
    {
      std::lock_guard lock(mu_);
      busy_ = false;
    }
    cv_.notify_all();
  }
}

void Datastore::SetOnLoaded(std::function<void(const TableInfo&)> fn) {
  std::lock_guard lock(mu_);
  on_loaded_ = std::move(fn);
}

void Datastore::WaitIdle() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return queue_.empty() && !busy_; });
}

Result<TableInfo> Datastore::Load(const std::string& resource_id, int version, const std::string& file) {
  std::lock_guard wlock(db_->write_mu);
  IngestJob job{resource_id, version, "running", "", "", 0, 0, 0, NowMicros()};
  (void)SaveJob(job);
  auto fail = [&](Status s) -> Status {
    job.state = "failed";
    job.error_en = s.message();
    job.error_vi = s.message_vi();
    job.updated = NowMicros();
    (void)SaveJob(job);
    return s;
  };

  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(Status::NotFound("file", file));
  std::string sample(65536, '\0');
  in.read(sample.data(), static_cast<std::streamsize>(sample.size()));
  sample.resize(static_cast<size_t>(in.gcount()));
  TableInfo t;
  t.resource_id = resource_id;
  t.version = version;
  t.table = TableName(resource_id, version);
  t.delimiter = formats::DetectDelimiter(sample);

  // Pass 1: the header row (the first with most cells filled, below any title rows), then the
  // type of every column over all values.
  std::vector<std::vector<std::string>> head;
  std::vector<std::string> row;
  in.clear();
  in.seekg(0);
  formats::CsvReader reader(in, t.delimiter);
  size_t widest = 0;
  std::vector<int64_t> head_lines;
  while (head.size() < 50 && reader.Next(row)) {
    widest = std::max(widest, NonEmpty(row));
    head.push_back(row);
    head_lines.push_back(reader.line());
  }
  if (head.empty()) return fail(Status::InvalidArgument("the file is empty", "Tệp không có dữ liệu"));
  size_t header_index = 0;
  for (size_t i = 0; i < head.size(); ++i) {
    if (NonEmpty(head[i]) >= std::max<size_t>(1, (widest * 6 + 9) / 10)) {
      header_index = i;
      break;
    }
  }
  std::vector<std::string> labels = head[header_index];
  while (!labels.empty() && Trim(labels.back()).empty()) labels.pop_back();
  if (labels.empty()) return fail(Status::InvalidArgument("no header row", "Không tìm thấy dòng tiêu đề"));
  for (size_t c = 0; c < labels.size(); ++c) {
    if (!text::IsValidUtf8(labels[c])) {
      return fail(Status::InvalidArgument(
          "the file is not UTF-8 text (line " + std::to_string(head_lines[header_index]) + ", column " +
              std::to_string(c + 1) + ")",
          "Tệp không phải văn bản UTF-8 (dòng " + std::to_string(head_lines[header_index]) + ", cột " +
              std::to_string(c + 1) + "); hãy lưu lại dưới dạng CSV UTF-8"));
    }
    labels[c] = text::Nfc(std::string(Trim(labels[c])));
    if (labels[c].empty()) labels[c] = "Cột " + std::to_string(c + 1);
  }
  t.header_line = head_lines[header_index];
  std::vector<ColumnProfile> profiles(labels.size());
  auto profile_row = [&](const std::vector<std::string>& r, int64_t line) -> Status {
    if (NonEmpty(r) == 0) return Status::Ok();
    for (size_t c = 0; c < r.size(); ++c) {
      if (!text::IsValidUtf8(r[c])) {
        return Status::InvalidArgument(
            "the file is not UTF-8 text (line " + std::to_string(line) + ", column " + std::to_string(c + 1) + ")",
            "Tệp không phải văn bản UTF-8 (dòng " + std::to_string(line) + ", cột " + std::to_string(c + 1) +
                "); hãy lưu lại dưới dạng CSV UTF-8");
      }
      if (c < profiles.size()) profiles[c].Add(r[c]);
    }
    for (size_t c = r.size(); c < profiles.size(); ++c) profiles[c].Add("");
    return Status::Ok();
  };
  for (size_t i = header_index + 1; i < head.size(); ++i) {
    if (Status s = profile_row(head[i], head_lines[i]); !s.ok()) return fail(s);
  }
  while (reader.Next(row)) {
    if (Status s = profile_row(row, reader.line()); !s.ok()) return fail(s);
  }
  job.bytes_total = reader.bytes_read();
  std::vector<std::string> ids = ColumnIds(labels);
  for (size_t c = 0; c < labels.size(); ++c) {
    t.fields.push_back({ids[c], labels[c], profiles[c].Decide(), profiles[c].style()});
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
  auto rollback = [&](Status s) {
    (void)Exec(db, "ROLLBACK; PRAGMA synchronous=NORMAL");
    return fail(s);
  };
  std::string create = "DROP TABLE IF EXISTS " + Quote(t.table) + "; CREATE TABLE " + Quote(t.table) +
                       " (_id INTEGER PRIMARY KEY";
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
  in.clear();
  in.seekg(0);
  formats::CsvReader second(in, t.delimiter);
  int64_t n = 0;
  // One text buffer per column, reused for every row and bound without a copy (SQLITE_STATIC:
  // it outlives the step that reads it).
  std::vector<std::string> cells(t.fields.size());
  while (second.Next(row)) {
    if (second.line() <= t.header_line) continue;
    if (NonEmpty(row) == 0) continue;
    if (row.size() > t.fields.size()) {
      for (size_t c = t.fields.size(); c < row.size(); ++c) {
        if (!Trim(row[c]).empty()) {
          AddIssue(t, {"extra_cells", second.line(), static_cast<int>(c + 1),
                       "Ô thừa ngoài các cột của dòng tiêu đề (bị bỏ qua)",
                       "A cell beyond the header's columns (ignored)"});
          break;
        }
      }
    }
    sqlite3_reset(ins.s);
    sqlite3_bind_int64(ins.s, 1, ++n);
    for (size_t c = 0; c < t.fields.size(); ++c) {
      int col = static_cast<int>(c + 2);
      std::string_view raw = c < row.size() ? Trim(row[c]) : std::string_view();
      const Field& f = t.fields[c];
      if (raw.empty()) {
        sqlite3_bind_null(ins.s, col);
        continue;
      }
      switch (f.type) {
        case ColumnType::kInteger:
          sqlite3_bind_int64(ins.s, col, ParseInteger(raw, f.style).value_or(0));
          break;
        case ColumnType::kNumber:
          sqlite3_bind_double(ins.s, col, ParseNumber(raw, f.style).value_or(0));
          break;
        case ColumnType::kBoolean:
          sqlite3_bind_int(ins.s, col, ParseBoolean(raw).value_or(false) ? 1 : 0);
          break;
        case ColumnType::kDate:
          cells[c] = ParseDate(raw).value_or(std::string(raw));
          sqlite3_bind_text(ins.s, col, cells[c].data(), static_cast<int>(cells[c].size()), SQLITE_STATIC);
          break;
        case ColumnType::kDatetime:
          cells[c] = ParseDatetime(raw).value_or(std::string(raw));
          sqlite3_bind_text(ins.s, col, cells[c].data(), static_cast<int>(cells[c].size()), SQLITE_STATIC);
          break;
        case ColumnType::kString:
          if (HasNonAscii(raw)) {
            cells[c] = text::Nfc(raw);
          } else {
            cells[c].assign(raw);
          }
          sqlite3_bind_text(ins.s, col, cells[c].data(), static_cast<int>(cells[c].size()), SQLITE_STATIC);
          break;
      }
    }
    if (sqlite3_step(ins.s) != SQLITE_DONE) return rollback(SqlError(db, "insert row"));
    if (n % kBatch == 0) {
      if (abandon_) {
        // Left "running": the next Start() loads it again.
        (void)Exec(db, "ROLLBACK; PRAGMA synchronous=NORMAL");
        return Status::Unavailable("load abandoned at shutdown");
      }
      if (Status s = Exec(db, "COMMIT; BEGIN IMMEDIATE"); !s.ok()) return rollback(s);
      std::lock_guard lock(db_->read_mu);
      auto& j = db_->jobs[resource_id];
      j.rows_done = n;
      j.bytes_done = second.bytes_read();
      j.bytes_total = job.bytes_total;
    }
  }
  if (second.unterminated()) {
    AddIssue(t, {"unterminated_quote", second.line(), 0, "Dấu ngoặc kép không được đóng ở cuối tệp",
                 "A quoted field is not closed at the end of the file"});
  }
  t.rows = n;
  t.created = NowMicros();
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
    std::string info = InfoToJson(t).dump();
    sqlite3_bind_text(reg.s, 1, resource_id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(reg.s, 2, version);
    sqlite3_bind_text(reg.s, 3, info.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(reg.s, 4, t.created);
    if (sqlite3_step(reg.s) != SQLITE_DONE) return rollback(SqlError(db, "register table"));
  }
  if (Status s = Exec(db, "COMMIT"); !s.ok()) return rollback(s);
  job.state = "done";
  job.rows_done = n;
  job.bytes_done = job.bytes_total;
  job.updated = NowMicros();
  (void)SaveJob(job);
  std::function<void(const TableInfo&)> loaded;
  {
    std::lock_guard lock(mu_);
    loaded = on_loaded_;
  }
  if (loaded) loaded(t);
  return t;
}

Result<TableInfo> Datastore::Table(const std::string& resource_id, int version) const {
  std::lock_guard lock(db_->read_mu);
  Stmt st;
  std::string sql = version > 0 ? "SELECT version, info, created FROM ds_tables WHERE resource_id=?1 AND version=?2"
                                : "SELECT version, info, created FROM ds_tables WHERE resource_id=?1 "
                                  "ORDER BY version DESC LIMIT 1";
  ODP_RETURN_IF_ERROR(Prepare(db_->reader, sql, st));
  sqlite3_bind_text(st.s, 1, resource_id.c_str(), -1, SQLITE_TRANSIENT);
  if (version > 0) sqlite3_bind_int(st.s, 2, version);
  if (sqlite3_step(st.s) != SQLITE_ROW) {
    return Status::NotFound("datastore table of resource", resource_id);
  }
  json info = json::parse(reinterpret_cast<const char*>(sqlite3_column_text(st.s, 1)), nullptr, false);
  return InfoFromJson(resource_id, sqlite3_column_int(st.s, 0), info, sqlite3_column_int64(st.s, 2));
}

Result<IngestJob> Datastore::Job(const std::string& resource_id) const {
  std::lock_guard lock(db_->read_mu);
  auto it = db_->jobs.find(resource_id);
  if (it != db_->jobs.end()) return it->second;
  Stmt st;
  ODP_RETURN_IF_ERROR(Prepare(db_->reader,
                              "SELECT version, state, error_vi, error_en, rows, updated FROM ds_jobs WHERE "
                              "resource_id=?1 ORDER BY version DESC LIMIT 1",
                              st));
  sqlite3_bind_text(st.s, 1, resource_id.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(st.s) != SQLITE_ROW) return Status::NotFound("datastore job of resource", resource_id);
  IngestJob j;
  j.resource_id = resource_id;
  j.version = sqlite3_column_int(st.s, 0);
  j.state = reinterpret_cast<const char*>(sqlite3_column_text(st.s, 1));
  j.error_vi = reinterpret_cast<const char*>(sqlite3_column_text(st.s, 2));
  j.error_en = reinterpret_cast<const char*>(sqlite3_column_text(st.s, 3));
  j.rows_done = sqlite3_column_int64(st.s, 4);
  j.updated = sqlite3_column_int64(st.s, 5);
  return j;
}

Result<std::string> Datastore::BuildSql(const TableInfo& t, const Query& q, bool count,
                                        std::vector<std::string>& args) const {
  auto find = [&t](const std::string& id) -> const Field* {
    for (const auto& f : t.fields) {
      if (f.id == id) return &f;
    }
    return nullptr;
  };
  Status bad = Status::InvalidArgument("invalid datastore query", "Truy vấn dữ liệu không hợp lệ");
  bool has_bad = false;
  std::string cols = "_id";
  if (!count) {
    if (q.fields.empty()) {
      for (const auto& f : t.fields) cols += ", " + Quote(f.id);
    } else {
      for (const auto& id : q.fields) {
        if (id == "_id") continue;
        if (!find(id)) {
          bad.WithField("fields", "Không có cột: " + id);
          has_bad = true;
        } else {
          cols += ", " + Quote(id);
        }
      }
    }
  }
  std::string where;
  for (const auto& [id, values] : q.filters) {
    const Field* f = id == "_id" ? nullptr : find(id);
    if (!f && id != "_id") {
      bad.WithField("filters", "Không có cột: " + id);
      has_bad = true;
      continue;
    }
    std::string clause;
    for (const auto& v : values) {
      clause += clause.empty() ? "" : " OR ";
      clause += Quote(id) + " = ?";
      // Compare as the column stores it.
      if (f && (f->type == ColumnType::kDate)) {
        args.push_back(ParseDate(v).value_or(v));
      } else if (f && f->type == ColumnType::kDatetime) {
        args.push_back(ParseDatetime(v).value_or(v));
      } else if (f && f->type == ColumnType::kBoolean) {
        auto b = ParseBoolean(v);
        args.push_back(b ? (*b ? "1" : "0") : v);
      } else {
        args.push_back(text::Nfc(v));
      }
    }
    if (!clause.empty()) where += (where.empty() ? " WHERE (" : " AND (") + clause + ")";
  }
  if (!q.q.empty()) {
    std::string clause;
    for (const auto& f : t.fields) {
      if (f.type != ColumnType::kString) continue;
      clause += clause.empty() ? "" : " OR ";
      clause += "instr(odp_fold(" + Quote(f.id) + "), ?) > 0";
      args.push_back(text::FoldVietnamese(q.q));
    }
    if (clause.empty()) clause = "0";
    where += (where.empty() ? " WHERE (" : " AND (") + clause + ")";
  }
  if (has_bad) return bad;
  if (count) return "SELECT count(*) FROM " + Quote(t.table) + where;
  std::string order;
  for (const auto& [id, desc] : q.sort) {
    if (id != "_id" && !find(id)) {
      bad.WithField("sort", "Không có cột: " + id);
      return bad;
    }
    order += (order.empty() ? " ORDER BY " : ", ") + Quote(id) + (desc ? " DESC" : " ASC");
  }
  if (order.empty()) order = " ORDER BY _id";
  return "SELECT " + cols + " FROM " + Quote(t.table) + where + order;
}

namespace {

json ValueOf(sqlite3_stmt* s, int col, ColumnType type) {
  if (sqlite3_column_type(s, col) == SQLITE_NULL) return nullptr;
  switch (type) {
    case ColumnType::kInteger: return sqlite3_column_int64(s, col);
    case ColumnType::kNumber: return sqlite3_column_double(s, col);
    case ColumnType::kBoolean: return sqlite3_column_int(s, col) != 0;
    default:
      return std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, col)),
                         static_cast<size_t>(sqlite3_column_bytes(s, col)));
  }
}

}  // namespace

Status Datastore::Scan(const TableInfo& t, const Query& q,
                       const std::function<bool(const std::vector<json>&)>& row) const {
  std::vector<std::string> args;
  ODP_ASSIGN_OR_RETURN(std::string sql, BuildSql(t, q, false, args));
  std::vector<ColumnType> types = {ColumnType::kInteger};
  for (const auto& f : SelectedColumns(t, q)) types.push_back(f.type);
  std::lock_guard lock(db_->read_mu);
  Stmt st;
  std::string limit = " LIMIT " + std::to_string(q.limit > 0 ? q.limit : -1) + " OFFSET " + std::to_string(q.offset);
  ODP_RETURN_IF_ERROR(Prepare(db_->reader, sql + limit, st));
  for (size_t i = 0; i < args.size(); ++i) {
    sqlite3_bind_text(st.s, static_cast<int>(i + 1), args[i].c_str(), -1, SQLITE_TRANSIENT);
  }
  std::vector<json> values(types.size());
  int rc;
  while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
    for (size_t c = 0; c < types.size(); ++c) values[c] = ValueOf(st.s, static_cast<int>(c), types[c]);
    if (!row(values)) break;
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqlError(db_->reader, "datastore query");
  return Status::Ok();
}

Result<QueryResult> Datastore::Search(const TableInfo& t, const Query& q) const {
  QueryResult out;
  out.fields.push_back({"_id", "_id", ColumnType::kInteger, NumberStyle::kVietnamese});
  for (auto& f : SelectedColumns(t, q)) out.fields.push_back(std::move(f));
  if (q.limit > 0) {
    ODP_RETURN_IF_ERROR(Scan(t, q, [&out](const std::vector<json>& r) {
      out.rows.push_back(r);
      return true;
    }));
  }
  if (q.include_total) {
    std::vector<std::string> args;
    ODP_ASSIGN_OR_RETURN(std::string sql, BuildSql(t, q, true, args));
    std::lock_guard lock(db_->read_mu);
    Stmt st;
    ODP_RETURN_IF_ERROR(Prepare(db_->reader, sql, st));
    for (size_t i = 0; i < args.size(); ++i) {
      sqlite3_bind_text(st.s, static_cast<int>(i + 1), args[i].c_str(), -1, SQLITE_TRANSIENT);
    }
    if (sqlite3_step(st.s) == SQLITE_ROW) out.total = sqlite3_column_int64(st.s, 0);
  }
  return out;
}

std::vector<Field> SelectedColumns(const TableInfo& t, const Query& q) {
  if (q.fields.empty()) return t.fields;
  std::vector<Field> out;
  for (const auto& id : q.fields) {
    for (const auto& f : t.fields) {
      if (f.id == id) out.push_back(f);
    }
  }
  return out;
}

void AppendDelimitedRow(std::string& out, const std::vector<json>& row, char delimiter) {
  for (size_t c = 0; c < row.size(); ++c) {
    if (c) out += delimiter;
    const json& v = row[c];
    if (v.is_null()) continue;
    std::string text = v.is_string() ? v.get_ref<const std::string&>()
                       : v.is_boolean() ? (v.get<bool>() ? "true" : "false")
                                        : v.dump();
    if (text.find_first_of(std::string("\"\r\n") + delimiter) != std::string::npos) {
      out += '"';
      for (char ch : text) {
        if (ch == '"') out += '"';
        out += ch;
      }
      out += '"';
    } else {
      out += text;
    }
  }
  out += "\r\n";
}

std::string DelimitedRows(const std::vector<std::vector<json>>& rows, char delimiter) {
  std::string out;
  for (const auto& r : rows) AppendDelimitedRow(out, r, delimiter);
  return out;
}

}  // namespace odp::datastore
