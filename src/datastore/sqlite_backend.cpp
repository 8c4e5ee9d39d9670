// The datastore's tables in SQLite (sqlite_backend.h): connections, the registry, pass 2 of a
// load, indexes, cursors, and datastore_search_sql with its guard.
#include "datastore/sqlite_backend.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <set>

#include <sqlite3.h>

#include "base/time.h"
#include "datastore/ingest/prefetch.h"
#include "datastore/internal.h"
#include "datastore/sources.h"
#include "datastore/sql_guard.h"
#include "formats/csv.h"
#include "store/store.h"
#include "text/vietnamese.h"

namespace odp::datastore {

using json = nlohmann::json;
// The datastore's kind of job in the store (datastore.cpp).
constexpr const char* kJobKind = "datastore";

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
  if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &st.s, nullptr) !=
      SQLITE_OK) {
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
        std::string folded = text::FoldVietnamese(
            std::string_view(p, static_cast<size_t>(sqlite3_value_bytes(argv[0]))));
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

SqlConn::~SqlConn() {
  if (db) sqlite3_close(db);
}

SqliteDb::~SqliteDb() {
  sqlite3_finalize(data_version_stmt.s);
  data_version_stmt.s = nullptr;
  stmt_caches.clear();  // their statements go before their connections
  for (sqlite3* c : all) sqlite3_close(c);
  sql_idle.clear();
  for (sqlite3* c : {writer, watch}) {
    if (c) sqlite3_close(c);
  }
}

ReadLease::ReadLease(SqliteDb& db) : db_(db) {
  std::unique_lock lock(db.pool_mu);
  for (;;) {
    if (!db.idle.empty()) {
      conn_ = db.idle.back();
      db.idle.pop_back();
      cache_ = db.stmt_caches[conn_].get();
      return;
    }
    if (db.all.size() < SqliteDb::kReaders) {
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

void BindJson(sqlite3_stmt* s, int index, const json& v) {
  if (v.is_null()) {
    sqlite3_bind_null(s, index);
  } else if (v.is_boolean()) {
    sqlite3_bind_int(s, index, v.get<bool>() ? 1 : 0);
  } else if (v.is_number_integer()) {
    sqlite3_bind_int64(s, index, v.get<int64_t>());
  } else if (v.is_number()) {
    sqlite3_bind_double(s, index, v.get<double>());
  } else if (v.is_string()) {
    const auto& str = v.get_ref<const std::string&>();
    sqlite3_bind_text(s, index, str.data(), static_cast<int>(str.size()), SQLITE_TRANSIENT);
  } else {
    std::string text = v.dump();
    sqlite3_bind_text(s, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
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

// Rows of a SQLite statement, on a pooled connection or one of its own (see SqliteBackend::Run).
class SqliteCursor final : public Cursor {
 public:
  explicit SqliteCursor(std::vector<ColumnType> types) : Cursor(std::move(types)) {}
  ~SqliteCursor() override {
    if (lease && st.s) {
      lease->statements().Give(sql, st.s);
    } else {
      sqlite3_finalize(st.s);
    }
    st.s = nullptr;
    if (own) sqlite3_close(own);
  }

  bool Next() override {
    if (done) return false;
    int rc = sqlite3_step(st.s);
    if (rc == SQLITE_ROW) {
      ++rows_;
      return true;
    }
    done = true;
    if (rc != SQLITE_DONE) status_ = SqlError(conn(), "datastore query");
    return false;
  }
  Status status() const override { return status_; }
  bool is_null(size_t c) const override {
    return sqlite3_column_type(st.s, static_cast<int>(c)) == SQLITE_NULL;
  }
  int64_t integer(size_t c) const override {
    return sqlite3_column_int64(st.s, static_cast<int>(c));
  }
  double number(size_t c) const override {
    return sqlite3_column_double(st.s, static_cast<int>(c));
  }
  std::string_view text(size_t c) const override {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st.s, static_cast<int>(c)));
    return p ? std::string_view(
                   p, static_cast<size_t>(sqlite3_column_bytes(st.s, static_cast<int>(c))))
             : std::string_view();
  }
  json value(size_t c) const override { return ValueOf(st.s, static_cast<int>(c), types_[c]); }
  size_t ReadRow(RowCell* cells, const char** texts) const override {
    // One sqlite3_value per cell: its type and its bytes without a second lookup.
    size_t text_bytes = 0;
    const size_t n = types_.size();
    for (size_t i = 0; i < n; ++i) {
      auto& cell = cells[i];
      sqlite3_value* v = sqlite3_column_value(st.s, static_cast<int>(i));
      cell.null = sqlite3_value_type(v) == SQLITE_NULL;
      if (cell.null) continue;
      switch (types_[i]) {
        case ColumnType::kInteger:
        case ColumnType::kBoolean: cell.i = sqlite3_value_int64(v); break;
        case ColumnType::kNumber: cell.d = sqlite3_value_double(v); break;
        default: {
          const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
          cell.len = static_cast<uint32_t>(sqlite3_value_bytes(v));
          cell.null = p == nullptr;
          texts[i] = p ? p : "";
          if (p) text_bytes += cell.len + 1;
        }
      }
    }
    return text_bytes;
  }
  Status Restart(int64_t first, int64_t last) override {
    if (!own) return Status::Internal("only a ranged SQLite cursor restarts");
    sqlite3_reset(st.s);
    const int n = sqlite3_bind_parameter_count(st.s);
    if (n < 2 || sqlite3_bind_int64(st.s, n - 1, first) != SQLITE_OK ||
        sqlite3_bind_int64(st.s, n, last) != SQLITE_OK) {
      return SqlError(conn(), "restart a ranged query");
    }
    done = false;
    status_ = Status::Ok();
    return Status::Ok();
  }

  sqlite3* conn() const { return own ? own : lease->get(); }

  std::unique_ptr<ReadLease>
      lease;  // declared first: the statement is put away before it goes back
  sqlite3* own = nullptr;
  Stmt st;
  std::string sql;  // pooled: the statement goes back to the connection's cache under it
  Status status_;
  bool done = false;
};

}  // namespace

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

SqliteBackend::SqliteBackend()
    : SqlBackend(SqlDialect::kSqlite, ""), db_(std::make_unique<SqliteDb>()) {}

SqliteBackend::~SqliteBackend() = default;

Result<std::unique_ptr<SqliteBackend>> SqliteBackend::OpenFile(const std::string& path,
                                                               store::DatastoreJobStore& jobs,
                                                               const QueueRun& queue_run) {
  std::unique_ptr<SqliteBackend> b(new SqliteBackend());
  b->db_->path = path;
  for (sqlite3** conn : {&b->db_->writer, &b->db_->watch}) {
    ODP_RETURN_IF_ERROR(OpenConnection(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, conn));
  }
  ODP_RETURN_IF_ERROR(Exec(b->db_->writer, R"SQL(
PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
CREATE TABLE IF NOT EXISTS ds_tables (
  resource_id TEXT NOT NULL, version INTEGER NOT NULL, info TEXT NOT NULL, created INTEGER NOT NULL,
  PRIMARY KEY (resource_id, version));
)SQL"));
  ODP_RETURN_IF_ERROR(b->MoveOldJobs(jobs, queue_run));
  return b;
}

Status SqliteBackend::MoveOldJobs(store::DatastoreJobStore& jobs, const QueueRun& queue_run) {
  // Before jobs were shared through the store they lived in this file (ds_jobs): moved once,
  // with the options publishers set and the loads left unfinished.
  sqlite3* db = db_->writer;
  Stmt has;
  ODP_RETURN_IF_ERROR(
      Prepare(db, "SELECT 1 FROM sqlite_master WHERE type='table' AND name='ds_jobs'", has));
  if (sqlite3_step(has.s) != SQLITE_ROW) return Status::Ok();
  Stmt st;
  (void)Exec(db, "ALTER TABLE ds_jobs ADD COLUMN options TEXT NOT NULL DEFAULT '{}'");
  ODP_RETURN_IF_ERROR(Prepare(
      db,
      "SELECT resource_id, version, file, state, error_vi, error_en, rows, updated, options "
      "FROM ds_jobs",
      st));
  auto text = [&](int c) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st.s, c));
    return std::string(p ? p : "");
  };
  ODP_RETURN_IF_ERROR(jobs.Transaction([&]() -> Status {
    while (sqlite3_step(st.s) == SQLITE_ROW) {
      JobRecord j{kJobKind, text(0), sqlite3_column_int(st.s, 1),
                  text(2),  text(8), text(3),
                  text(4),  text(5), sqlite3_column_int64(st.s, 6),
                  "",       0,       sqlite3_column_int64(st.s, 7)};
      if (j.state == "running" || j.state == "indexing") j.state = "queued";
      ODP_RETURN_IF_ERROR(j.state == "queued" ? jobs.QueueJob(j) : jobs.SaveJob(j, "").status());
      if (j.state == "queued") ODP_RETURN_IF_ERROR(queue_run(j));
    }
    return Status::Ok();
  }));
  return Exec(db, "ALTER TABLE ds_jobs RENAME TO ds_jobs_moved_to_store");
}

std::string SqliteBackend::ReadSource(const TableInfo& t) const { return Quote(t.table); }

Result<std::unique_ptr<Cursor>> SqliteBackend::Run(const std::string& sql,
                                                   const std::vector<json>& args,
                                                   std::vector<ColumnType> types,
                                                   ReadMode mode) const {
  auto c = std::make_unique<SqliteCursor>(std::move(types));
  if (mode != ReadMode::kPage) {
    ODP_RETURN_IF_ERROR(OpenConnection(db_->path, SQLITE_OPEN_READONLY, &c->own));
  } else {
    c->lease = std::make_unique<ReadLease>(*db_);
    c->sql = sql;
    c->st.s = c->lease->statements().Take(sql);
  }
  if (!c->st.s) ODP_RETURN_IF_ERROR(Prepare(c->conn(), sql, c->st));
  for (size_t i = 0; i < args.size(); ++i) BindJson(c->st.s, static_cast<int>(i + 1), args[i]);
  if (mode == ReadMode::kRanges) {
    // One snapshot for every range this cursor will read: a read transaction from the first
    // step to the cursor's end (a table replaced meanwhile stays readable here).
    ODP_RETURN_IF_ERROR(Exec(c->own, "BEGIN"));
  }
  return std::unique_ptr<Cursor>(std::move(c));
}

Result<TableInfo> SqliteBackend::Table(const std::string& resource_id, int version) const {
  std::string key = version > 0 ? resource_id + "#" + std::to_string(version) : resource_id;
  {
    std::lock_guard lock(cache().mu);
    // Another process (or connection) committed since: every cached answer may be stale.
    Stmt& dv = db_->data_version_stmt;
    if ((dv.s || Prepare(db_->watch, "PRAGMA data_version", dv).ok()) &&
        sqlite3_step(dv.s) == SQLITE_ROW) {
      int64_t v = sqlite3_column_int64(dv.s, 0);
      if (v != cache().version) {
        cache().tables.clear();
        cache().version = v;
      }
    }
    if (dv.s) sqlite3_reset(dv.s);
    auto it = cache().tables.find(key);
    if (it != cache().tables.end()) return *it->second;
  }
  ReadLease lease(*db_);
  Stmt st;
  std::string sql =
      version > 0
          ? "SELECT version, info, created FROM ds_tables WHERE resource_id=?1 AND version=?2"
          : "SELECT version, info, created FROM ds_tables WHERE resource_id=?1 "
            "ORDER BY version DESC LIMIT 1";
  ODP_RETURN_IF_ERROR(Prepare(lease.get(), sql, st));
  sqlite3_bind_text(st.s, 1, resource_id.c_str(), -1, SQLITE_TRANSIENT);
  if (version > 0) sqlite3_bind_int(st.s, 2, version);
  if (sqlite3_step(st.s) != SQLITE_ROW)
    return Status::NotFound("datastore table of resource", resource_id);
  json info =
      json::parse(reinterpret_cast<const char*>(sqlite3_column_text(st.s, 1)), nullptr, false);
  auto t = std::make_shared<const TableInfo>(
      InfoFromJson(resource_id, sqlite3_column_int(st.s, 0), info, sqlite3_column_int64(st.s, 2)));
  std::lock_guard lock(cache().mu);
  cache().tables[key] = t;
  return *t;
}

std::vector<int> SqliteBackend::Versions(const std::string& resource_id) const {
  std::vector<int> out;
  ReadLease lease(*db_);
  Stmt st;
  if (!Prepare(lease.get(), "SELECT version FROM ds_tables WHERE resource_id=?1 ORDER BY version",
               st)
           .ok())
    return out;
  sqlite3_bind_text(st.s, 1, resource_id.c_str(), -1, SQLITE_TRANSIENT);
  while (sqlite3_step(st.s) == SQLITE_ROW) out.push_back(sqlite3_column_int(st.s, 0));
  return out;
}

Result<std::string> SqliteBackend::RegisteredTable(const std::string& resource_id,
                                                   int version) const {
  ReadLease lease(*db_);
  Stmt st;
  ODP_RETURN_IF_ERROR(
      Prepare(lease.get(), "SELECT info FROM ds_tables WHERE resource_id=?1 AND version=?2", st));
  sqlite3_bind_text(st.s, 1, resource_id.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st.s, 2, version);
  if (sqlite3_step(st.s) != SQLITE_ROW) return std::string();
  json info =
      json::parse(reinterpret_cast<const char*>(sqlite3_column_text(st.s, 0)), nullptr, false);
  return info.is_object() ? info.value("table", "") : std::string();
}

Result<TableInfo> SqliteBackend::WriteRows(TableInfo t, ingest::PrefetchRows& rows, size_t to_skip,
                                           int64_t pass1_bytes, const std::string& replaced,
                                           const WriteHooks& hooks) {
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
  std::string create = "DROP TABLE IF EXISTS " + Quote(FtsName(t.table)) +
                       "; DROP TABLE IF EXISTS " + Quote(t.table) + "; CREATE TABLE " +
                       Quote(t.table) + " (_id INTEGER PRIMARY KEY";
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
  TypedRows typed(t, rows, to_skip, hooks.masks);
  if (Status s = typed.Rewind(); !s.ok()) return rollback(s);
  int64_t n = 0;
  while (typed.Next()) {
    sqlite3_reset(ins.s);
    sqlite3_bind_int64(ins.s, 1, ++n);
    const std::vector<Typed>& cells = typed.cells();
    for (size_t c = 0; c < cells.size(); ++c) {
      const int col = static_cast<int>(c + 2);
      const Typed& v = cells[c];
      switch (v.kind) {
        case Typed::kNull: sqlite3_bind_null(ins.s, col); break;
        case Typed::kInt: sqlite3_bind_int64(ins.s, col, v.i); break;
        case Typed::kReal: sqlite3_bind_double(ins.s, col, v.d); break;
        case Typed::kText:
          // Bound without a copy (SQLITE_STATIC): the reader's buffer outlives the step.
          sqlite3_bind_text(ins.s, col, v.s.data(), static_cast<int>(v.s.size()), SQLITE_STATIC);
          break;
      }
    }
    if (sqlite3_step(ins.s) != SQLITE_DONE) return rollback(SqlError(db, "insert row"));
    if (n % kBatch == 0) {
      // Stopped at shutdown: handed back to the queue (Run), loaded again by the next loading
      // thread to claim it. Cancelled: the job says so.
      if (Status s = hooks.stop_requested(); !s.ok()) return rollback(s);
      if (Status s = Exec(db, "COMMIT; BEGIN IMMEDIATE"); !s.ok()) return rollback(s);
      hooks.progress(n, pass1_bytes + typed.bytes_read());
    }
  }
  if (Status s = typed.Finish(); !s.ok()) return rollback(s);
  t.rows = n;
  t.created = NowMicros();
  {
    auto query = [&](const std::string& sql,
                     const std::function<void(const std::vector<std::string>&)>& on_row) {
      Stmt st;
      ODP_RETURN_IF_ERROR(Prepare(db, sql, st));
      std::vector<std::string> r;
      while (sqlite3_step(st.s) == SQLITE_ROW) {
        r.assign(static_cast<size_t>(sqlite3_column_count(st.s)), "");
        for (size_t c = 0; c < r.size(); ++c) {
          const auto* v =
              reinterpret_cast<const char*>(sqlite3_column_text(st.s, static_cast<int>(c)));
          if (v) r[c] = v;
        }
        on_row(r);
      }
      return Status::Ok();
    };
    if (Status s = CheckLoadedTable(t, Quote(t.table), query); !s.ok()) return rollback(s);
  }
  if (hooks.before_commit) {
    if (Status s = hooks.before_commit(t); !s.ok()) return rollback(s);
  }
  if (Status s = Exec(db, "COMMIT; PRAGMA synchronous=NORMAL; BEGIN IMMEDIATE"); !s.ok())
    return rollback(s);
  {
    Stmt reg;
    if (Status s = Prepare(
            db,
            "INSERT INTO ds_tables (resource_id, version, info, created) VALUES (?1, ?2, ?3, ?4) "
            "ON CONFLICT(resource_id, version) DO UPDATE SET info=excluded.info, "
            "created=excluded.created",
            reg);
        !s.ok()) {
      return rollback(s);
    }
    std::string info = InfoToJson(t).dump(-1, ' ', false, json::error_handler_t::replace);
    sqlite3_bind_text(reg.s, 1, t.resource_id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(reg.s, 2, t.version);
    sqlite3_bind_text(reg.s, 3, info.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(reg.s, 4, t.created);
    if (sqlite3_step(reg.s) != SQLITE_DONE) return rollback(SqlError(db, "register table"));
  }
  if (Status s = Exec(db, "COMMIT"); !s.ok()) return rollback(s);
  if (!replaced.empty()) {
    // The table this one replaces (read by nobody new from now on).
    (void)Exec(db, "DROP TABLE IF EXISTS " + Quote(FtsName(replaced)) + "; DROP TABLE IF EXISTS " +
                       Quote(replaced));
  }
  return t;
}

Status SqliteBackend::BuildIndexes(TableInfo t, const std::atomic<bool>& abandon) {
  Status s = [&]() -> Status {
    sqlite3* db = db_->writer;
    ODP_RETURN_IF_ERROR(Exec(db, "PRAGMA synchronous=OFF"));
    for (size_t c = 0; c < t.fields.size(); ++c) {
      if (abandon) return Status::Unavailable("indexing abandoned at shutdown");
      if (Status s =
              Exec(db, "CREATE INDEX IF NOT EXISTS " + Quote(t.table + "_i" + std::to_string(c)) +
                           " ON " + Quote(t.table) + " (" + Quote(t.fields[c].id) + ")");
          !s.ok()) {
        return s;
      }
    }
    // Full text: the folded words of every text column, in a contentless FTS5 table keyed by _id.
    std::string body;
    for (const auto& f : t.fields) {
      if (f.type != ColumnType::kString) continue;
      body +=
          (body.empty() ? "" : " || ' ' || ") + std::string("coalesce(") + Quote(f.id) + ", '')";
    }
    if (!body.empty()) {
      std::string fts = Quote(FtsName(t.table));
      if (Status s = Exec(
              db,
              "BEGIN IMMEDIATE; DROP TABLE IF EXISTS " + fts + "; CREATE VIRTUAL TABLE " + fts +
                  " USING fts5(body, content='', detail=none, tokenize='unicode61'); INSERT INTO " +
                  fts + " (rowid, body) SELECT _id, odp_fold(" + body + ") FROM " + Quote(t.table) +
                  "; COMMIT");
          !s.ok()) {
        (void)Exec(db, "ROLLBACK");
        return s;
      }
    }
    t.indexed = true;
    {
      if (Status s = Exec(db, "PRAGMA synchronous=NORMAL"); !s.ok()) return s;
      Stmt up;
      ODP_RETURN_IF_ERROR(
          Prepare(db, "UPDATE ds_tables SET info=?3 WHERE resource_id=?1 AND version=?2", up));
      std::string info = InfoToJson(t).dump(-1, ' ', false, json::error_handler_t::replace);
      sqlite3_bind_text(up.s, 1, t.resource_id.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int(up.s, 2, t.version);
      sqlite3_bind_text(up.s, 3, info.c_str(), -1, SQLITE_TRANSIENT);
      if (sqlite3_step(up.s) != SQLITE_DONE) return SqlError(db, "mark indexed");
    }
    Invalidate();
    return Status::Ok();
  }();
  (void)Exec(db_->writer, "PRAGMA synchronous=NORMAL");
  return s;
}

// ---- datastore_search_sql ----

namespace {

struct SqlGuard {
  std::chrono::steady_clock::time_point deadline;
  bool timed_out = false;
  std::string refused;  // the function or statement refused first
};

// Compiling: SELECT, reads and allowlisted functions only. Which tables may be read is decided
// from the compiled program (CheckProgram), since SQLite does not ask about every column it
// reads (JOIN … USING, NATURAL JOIN) nor names the database when no column is used.
int Authorize(void* arg, int action, const char*, const char* a2, const char*, const char*) {
  auto* g = static_cast<SqlGuard*>(arg);
  switch (action) {
    case SQLITE_SELECT:
    case SQLITE_RECURSIVE:
    case SQLITE_READ: return SQLITE_OK;
    case SQLITE_FUNCTION:
      if (a2 && SqliteFunctionAllowed(AsciiLower(a2))) return SQLITE_OK;
      if (g->refused.empty()) g->refused = a2 ? a2 : "?";
      return SQLITE_DENY;
    default: break;
  }
  if (g->refused.empty()) g->refused = "statement";
  return SQLITE_DENY;
}

int Progress(void* arg) {
  auto* g = static_cast<SqlGuard*>(arg);
  if (std::chrono::steady_clock::now() > g->deadline) {
    g->timed_out = true;
    return 1;
  }
  return 0;
}

const char* SqlTypeName(int t) {
  switch (t) {
    case SQLITE_INTEGER: return "int";
    case SQLITE_FLOAT: return "numeric";
    case SQLITE_NULL: return "text";
    default: return "text";
  }
}

std::string ColumnText(sqlite3_stmt* s, int c) {
  const unsigned char* t = sqlite3_column_text(s, c);
  return t ? reinterpret_cast<const char*>(t) : "";
}

// Makes the connection's views and name maps again when the database changed since.
Status RefreshSqlConn(SqlConn& c) {
  int64_t version = -1;
  {
    Stmt dv;
    if (Prepare(c.db, "PRAGMA data_version", dv).ok() && sqlite3_step(dv.s) == SQLITE_ROW) {
      version = sqlite3_column_int64(dv.s, 0);
    }
  }
  if (version == c.version && !c.tables.empty()) return Status::Ok();
  std::vector<std::string> old;
  {
    Stmt views;
    ODP_RETURN_IF_ERROR(
        Prepare(c.db, "SELECT name FROM temp.sqlite_master WHERE type='view'", views));
    while (sqlite3_step(views.s) == SQLITE_ROW) old.push_back(ColumnText(views.s, 0));
  }
  for (const auto& v : old) ODP_RETURN_IF_ERROR(Exec(c.db, "DROP VIEW temp." + Quote(v)));
  c.tables.clear();
  c.names.clear();
  c.root_table.clear();
  // A view per resource, named by its id, over its newest version. Read first, then create: a
  // schema change would stop a statement still stepping.
  std::vector<std::pair<std::string, std::string>> latest;  // resource id, table
  {
    Stmt st;
    ODP_RETURN_IF_ERROR(
        Prepare(c.db,
                "SELECT resource_id, version, info FROM ds_tables t WHERE version = "
                "(SELECT max(version) FROM ds_tables WHERE resource_id = t.resource_id)",
                st));
    while (sqlite3_step(st.s) == SQLITE_ROW) {
      std::string rid = ColumnText(st.s, 0);
      json info = json::parse(ColumnText(st.s, 2), nullptr, false);
      std::string table = info.is_object() ? info.value("table", "") : "";
      if (table.empty() || rid.find('"') != std::string::npos) continue;
      latest.emplace_back(rid, table);
    }
  }
  for (const auto& [rid, table] : latest) {
    ODP_RETURN_IF_ERROR(
        Exec(c.db, "CREATE TEMP VIEW " + Quote(rid) + " AS SELECT * FROM main." + Quote(table)));
    c.tables[AsciiLower(rid)] = rid;
  }
  // Every version's table, by its name (r_<id>_v<n>).
  {
    Stmt all;
    ODP_RETURN_IF_ERROR(Prepare(c.db, "SELECT resource_id, info FROM ds_tables", all));
    while (sqlite3_step(all.s) == SQLITE_ROW) {
      json info = json::parse(ColumnText(all.s, 1), nullptr, false);
      if (info.is_object() && !info.value("table", "").empty()) {
        c.tables[AsciiLower(info.value("table", ""))] = ColumnText(all.s, 0);
      }
    }
  }
  // Every other name in either schema, and where each table and index is stored.
  for (const char* schema : {"main", "temp"}) {
    Stmt st;
    ODP_RETURN_IF_ERROR(Prepare(
        c.db, std::string("SELECT name, tbl_name, rootpage FROM ") + schema + ".sqlite_master",
        st));
    while (sqlite3_step(st.s) == SQLITE_ROW) {
      std::string name = AsciiLower(ColumnText(st.s, 0));
      if (!c.tables.count(name)) c.names.insert(name);
      if (std::string_view(schema) == "main" && sqlite3_column_int64(st.s, 2) > 0) {
        c.root_table[sqlite3_column_int64(st.s, 2)] = AsciiLower(ColumnText(st.s, 1));
      }
    }
  }
  // Built-in tables and table-valued functions (PRAGMA functions, dbstat, …): answered as
  // missing too, but for json_each and json_tree.
  for (const char* n :
       {"sqlite_master", "sqlite_schema", "sqlite_temp_master", "sqlite_temp_schema",
        "sqlite_sequence", "sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4"}) {
    c.names.insert(n);
  }
  {
    Stmt st;
    if (Prepare(c.db, "PRAGMA module_list", st).ok()) {
      while (sqlite3_step(st.s) == SQLITE_ROW) c.names.insert(AsciiLower(ColumnText(st.s, 0)));
    }
  }
  {
    Stmt st;
    if (Prepare(c.db, "PRAGMA pragma_list", st).ok()) {
      while (sqlite3_step(st.s) == SQLITE_ROW)
        c.names.insert("pragma_" + AsciiLower(ColumnText(st.s, 0)));
    }
  }
  c.names.erase("json_each");
  c.names.erase("json_tree");
  // The virtual-table cursors of json_each and json_tree on this connection, as EXPLAIN shows
  // them; no other virtual table may be opened.
  c.table_vtabs.clear();
  for (const char* fn : {"json_each", "json_tree"}) {
    Stmt st;
    ODP_RETURN_IF_ERROR(Prepare(c.db, std::string("EXPLAIN SELECT * FROM ") + fn + "('[]')", st));
    while (sqlite3_step(st.s) == SQLITE_ROW) {
      if (ColumnText(st.s, 1) == "VOpen") c.table_vtabs.insert(ColumnText(st.s, 5));
    }
  }
  c.version = version;
  return Status::Ok();
}

// The connection for one query, given back to the pool when destroyed.
class SqlLease {
 public:
  explicit SqlLease(SqliteDb& db) : db_(db) {
    std::unique_lock lock(db.sql_mu);
    db.sql_cv.wait(lock, [&] { return !db.sql_idle.empty() || db.sql_open < SqliteDb::kSqlConns; });
    if (!db.sql_idle.empty()) {
      conn_ = std::move(db.sql_idle.back());
      db.sql_idle.pop_back();
    } else {
      ++db.sql_open;
      conn_ = std::make_unique<SqlConn>();
    }
  }
  ~SqlLease() {
    std::lock_guard lock(db_.sql_mu);
    if (conn_ && conn_->db) {
      db_.sql_idle.push_back(std::move(conn_));
    } else {
      --db_.sql_open;
    }
    db_.sql_cv.notify_one();
  }
  SqlConn& operator*() { return *conn_; }
  SqlConn* operator->() { return conn_.get(); }

 private:
  SqliteDb& db_;
  std::unique_ptr<SqlConn> conn_;
};

Status TooLong(const SqlLimits& limits) {
  return Status::Conflict("Query took too long",
                          "Truy vấn chạy quá lâu (quá " +
                              std::to_string(limits.timeout_ms / 1000.0).substr(0, 4) + " giây)");
}

}  // namespace
Result<SqlResult> SqliteBackend::SearchSql(const std::string& sql,
                                           const std::function<bool(const std::string&)>& may_read,
                                           const SqlLimits& limits) const {
  if (sql.size() > 100000) return Status::InvalidArgument("SQL too long", "Câu lệnh SQL quá dài");
  SqlLease lease(*db_);
  SqlConn& c = *lease;
  if (!c.db) {
    ODP_RETURN_IF_ERROR(OpenConnection(db_->path, SQLITE_OPEN_READONLY, &c.db));
    sqlite3_limit(c.db, SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_limit(c.db, SQLITE_LIMIT_SQL_LENGTH, 200000);
    // "x" is always a name, never a string: a hidden name must not come back as text.
    sqlite3_db_config(c.db, SQLITE_DBCONFIG_DQS_DML, 0, nullptr);
    sqlite3_db_config(c.db, SQLITE_DBCONFIG_DQS_DDL, 0, nullptr);
  }
  // Values are bounded well below the datastore's cells: some functions (instr, LIKE, GLOB,
  // replace) take time that grows with the product of their arguments' lengths, and SQLite
  // cannot stop a single call.
  sqlite3_limit(c.db, SQLITE_LIMIT_LENGTH, std::min(limits.max_value_bytes, kSqlMaxValueBytes));
  sqlite3_limit(c.db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 1000);
  if (Status s = RefreshSqlConn(c); !s.ok()) {
    sqlite3_close(c.db);  // the lease drops it
    c.db = nullptr;
    return s;
  }

  if (auto quoted = SqliteStringAsName(sql)) {
    return Status::InvalidArgument(
        "SQL error: " + *quoted + " stands where a name goes: write names in double quotes",
        "Lỗi SQL: " + *quoted +
            " đứng ở chỗ của một tên: hãy viết tên trong dấu nháy kép (\"ten\")");
  }
  // Which resources the caller may read, asked once each, for the names the query uses.
  std::map<std::string, bool> decided;
  auto readable = [&](const std::string& rid) {
    auto d = decided.find(rid);
    if (d == decided.end()) d = decided.emplace(rid, may_read(rid)).first;
    return d->second;
  };
  GuardedSql guarded = HideNames(sql, SqlDialect::kSqlite, [&](const std::string& name) {
    if (auto t = c.tables.find(name); t != c.tables.end()) return !readable(t->second);
    return c.names.count(name) > 0;
  });
  std::set<std::string> permitted;  // lower-case tables the program may open
  for (const auto& [name, rid] : c.tables) {
    auto d = decided.find(rid);
    if (d != decided.end() && d->second) permitted.insert(name);
  }

  SqlGuard guard{
      std::chrono::steady_clock::now() + std::chrono::milliseconds(limits.timeout_ms), false, {}};
  sqlite3_set_authorizer(c.db, &Authorize, &guard);
  sqlite3_progress_handler(c.db, 1000, &Progress, &guard);
  struct Reset {
    sqlite3* db;
    ~Reset() {
      sqlite3_set_authorizer(db, nullptr, nullptr);
      sqlite3_progress_handler(db, 0, nullptr, nullptr);
    }
  } reset{c.db};
  auto sql_error = [&](std::string_view what) {
    const std::string text = guarded.Restore(what);
    return Status::InvalidArgument("SQL error: " + text, "Lỗi SQL: " + text);
  };
  auto refused = [&]() {
    return Status::PermissionDenied(
        "not allowed: " + guard.refused,
        "Không được phép: " + guard.refused +
            " (chỉ một câu SELECT trên các bảng dữ liệu, với các hàm được phép)");
  };
  Stmt st;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v2(c.db, guarded.sql.c_str(), static_cast<int>(guarded.sql.size()),
                              &st.s, &tail);
  if (rc == SQLITE_AUTH || (!guard.refused.empty() && rc != SQLITE_OK)) return refused();
  if (rc != SQLITE_OK) return sql_error(sqlite3_errmsg(c.db));
  if (!st.s) return Status::InvalidArgument("no SQL statement", "Không có câu lệnh SQL");
  for (const char* p = tail; p && *p; ++p) {
    if (!std::isspace(static_cast<unsigned char>(*p)) && *p != ';') {
      return Status::InvalidArgument("only one statement is allowed",
                                     "Chỉ được phép một câu lệnh SELECT");
    }
  }
  if (!sqlite3_stmt_readonly(st.s) || sqlite3_stmt_isexplain(st.s)) {
    return Status::PermissionDenied("only SELECT is allowed", "Chỉ được phép câu lệnh SELECT");
  }
  // What the program opens: only the permitted tables (and their indexes), json_each and
  // json_tree, temporary tables of its own; only allowlisted functions. The names were taken out
  // above, so this refuses only what the names did not show.
  {
    Stmt ex;
    const std::string explain = "EXPLAIN " + guarded.sql;
    if (sqlite3_prepare_v2(c.db, explain.c_str(), static_cast<int>(explain.size()), &ex.s,
                           nullptr) != SQLITE_OK) {
      return sql_error(sqlite3_errmsg(c.db));
    }
    while (sqlite3_step(ex.s) == SQLITE_ROW) {
      const std::string op = ColumnText(ex.s, 1);
      const int64_t p2 = sqlite3_column_int64(ex.s, 3);
      const int64_t p3 = sqlite3_column_int64(ex.s, 4);
      const std::string p4 = ColumnText(ex.s, 5);
      bool ok = true;
      if (op == "OpenRead" || op == "ReopenIdx") {
        auto t = c.root_table.find(p2);
        ok = p3 == 0 && t != c.root_table.end() && permitted.count(t->second) > 0;
      } else if (op == "OpenWrite" || op == "VUpdate" || op == "VCreate" || op == "VDestroy" ||
                 op == "ParseSchema" || op == "VacuumInto") {
        ok = false;
      } else if (op == "VOpen") {
        ok = c.table_vtabs.count(p4) > 0;
      } else if (op == "Function" || op == "PureFunc" || op == "AggStep" || op == "AggStep1" ||
                 op == "AggFinal" || op == "AggValue" || op == "AggInverse") {
        ok = SqliteFunctionAllowed(AsciiLower(p4.substr(0, p4.find('('))));
      }
      if (!ok) {
        guard.refused = "statement";
        return refused();
      }
    }
  }
  SqlResult out;
  int n = sqlite3_column_count(st.s);
  std::vector<int> first_types(static_cast<size_t>(n), SQLITE_NULL);
  int64_t bytes = 0;
  // What each row weighs in the answer beyond its values: every column's name again (records
  // are objects) and the punctuation.
  int64_t row_weight = 8;
  for (int col = 0; col < n; ++col) {
    const char* name = sqlite3_column_name(st.s, col);
    row_weight += static_cast<int64_t>(name ? std::strlen(name) : 0) + 8;
  }
  while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
    if (static_cast<int64_t>(out.rows.size()) >= limits.max_rows) {
      out.truncated = true;
      break;
    }
    std::vector<json> r(static_cast<size_t>(n));
    for (int col = 0; col < n; ++col) {
      const size_t k = static_cast<size_t>(col);
      int type = sqlite3_column_type(st.s, col);
      if (first_types[k] == SQLITE_NULL) first_types[k] = type;
      switch (type) {
        case SQLITE_NULL: r[k] = nullptr; break;
        case SQLITE_INTEGER:
          r[k] = sqlite3_column_int64(st.s, col);
          bytes += 8;
          break;
        case SQLITE_FLOAT:
          r[k] = sqlite3_column_double(st.s, col);
          bytes += 8;
          break;
        default: {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st.s, col));
          const auto size = static_cast<size_t>(sqlite3_column_bytes(st.s, col));
          bytes += JsonWeight(std::string_view(text ? text : "", size));
          if (bytes > limits.max_answer_bytes) return AnswerTooLarge(limits.max_answer_bytes);
          r[k] = std::string(text ? text : "", size);
        }
      }
    }
    bytes += row_weight;  // a million empty rows are not free either
    if (bytes > limits.max_answer_bytes) return AnswerTooLarge(limits.max_answer_bytes);
    out.rows.push_back(std::move(r));
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    if (guard.timed_out || rc == SQLITE_INTERRUPT) return TooLong(limits);
    if (rc == SQLITE_TOOBIG)
      return Status::Conflict("a value grew too large", "Truy vấn tạo ra giá trị quá lớn");
    if (rc == SQLITE_NOMEM) return AnswerTooLarge(limits.max_answer_bytes);
    return sql_error(sqlite3_errmsg(c.db));
  }
  for (int col = 0; col < n; ++col) {
    const char* name = sqlite3_column_name(st.s, col);
    out.fields.emplace_back(guarded.Restore(name ? name : ""),
                            SqlTypeName(first_types[static_cast<size_t>(col)]));
  }
  return out;
}

}  // namespace odp::datastore
