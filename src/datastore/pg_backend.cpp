// The datastore's tables on PostgreSQL (pg_backend.h): pass 2 of a load (COPY), indexes, the
// registry, cursors, and datastore_search_sql. See datastore/pg.h for the layout.
#include "datastore/pg_backend.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <set>
#include <thread>

#include "base/batch_queue.h"
#include "base/ids.h"
#include "base/log.h"
#include "base/time.h"
#include "datastore/ingest/prefetch.h"
#include "datastore/internal.h"
#include "datastore/pg.h"
#include "datastore/sources.h"
#include "datastore/sql_guard.h"
#include "formats/csv.h"
#include "store/pg_db.h"
#include "text/utf8.h"
#include "text/vietnamese.h"

namespace odp::datastore {
namespace {

using json = nlohmann::json;

const char* PgType(ColumnType t) {
  switch (t) {
    case ColumnType::kInteger:
    case ColumnType::kBoolean: return "bigint";
    case ColumnType::kNumber: return "double precision";
    default: return "text COLLATE \"C\"";
  }
}

// COPY's binary format: big-endian integers, lengths before values.
void PutU16(std::string& out, uint16_t v) {
  const char b[2] = {static_cast<char>(v >> 8), static_cast<char>(v)};
  out.append(b, 2);
}
void PutU32(std::string& out, uint32_t v) {
  const char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                     static_cast<char>(v >> 8), static_cast<char>(v)};
  out.append(b, 4);
}
void PutU64(std::string& out, uint64_t v) {
  char b[8];
  for (int i = 7; i >= 0; --i, v >>= 8) b[i] = static_cast<char>(v);
  out.append(b, 8);
}
// A field of a binary COPY row: its length, then its bytes.
void PutInt8Field(std::string& out, int64_t v) {
  PutU32(out, 8);
  PutU64(out, static_cast<uint64_t>(v));
}
void PutFloat8Field(std::string& out, double v) {
  PutU32(out, 8);
  PutU64(out, std::bit_cast<uint64_t>(v));
}
void PutTextField(std::string& out, std::string_view v) {
  PutU32(out, static_cast<uint32_t>(v.size()));
  out.append(v);
}

pg::Params P(std::initializer_list<std::string> values) {
  pg::Params p;
  for (const auto& v : values) p.emplace_back(v);
  return p;
}

// The same from PostgreSQL's text.
json PgValueOf(const pg::Result_& r, int row, int col, ColumnType type) {
  if (r.null(row, col)) return nullptr;
  switch (type) {
    case ColumnType::kInteger: return r.integer(row, col);
    case ColumnType::kNumber: return r.number(row, col);
    case ColumnType::kBoolean: return r.text(row, col) != "0";
    default: return std::string(r.text(row, col));
  }
}

// Query arguments as PostgreSQL text parameters.
pg::Params PgParams(const std::vector<json>& args) {
  pg::Params out;
  out.reserve(args.size());
  for (const auto& v : args) {
    if (v.is_null()) {
      out.emplace_back(std::nullopt);
    } else if (v.is_boolean()) {
      out.emplace_back(v.get<bool>() ? "1" : "0");
    } else if (v.is_number_integer()) {
      out.emplace_back(std::to_string(v.get<int64_t>()));
    } else if (v.is_number()) {
      char buf[32];
      auto r = std::to_chars(buf, buf + sizeof(buf), v.get<double>());
      out.emplace_back(std::string(buf, static_cast<size_t>(r.ptr - buf)));
    } else if (v.is_string()) {
      out.emplace_back(v.get<std::string>());
    } else {
      out.emplace_back(v.dump());
    }
  }
  return out;
}

constexpr int kPgBatch = 5000;

// Rows of a PostgreSQL query: a page read at once on a pooled connection, or (exports) batches
// fetched from a server-side cursor on a connection of the export's own.
class PgCursor final : public Cursor {
 public:
  explicit PgCursor(std::vector<ColumnType> types) : Cursor(std::move(types)) {}
  ~PgCursor() override {
    if (own) (void)own->Exec("ROLLBACK");
  }

  bool Next() override {
    if (done) return false;
    for (;;) {
      if (row + 1 < rows.rows()) {
        ++row;
        ++rows_;
        return true;
      }
      if (!more) break;
      auto next = own->Query("FETCH FORWARD " + std::to_string(kPgBatch) + " FROM odp_export");
      if (!next.ok()) {
        status_ = next.status();
        done = true;
        return false;
      }
      rows = std::move(next).value();
      more = rows.rows() == kPgBatch;
      row = -1;
    }
    done = true;
    return false;
  }
  Status status() const override { return status_; }
  bool is_null(size_t c) const override { return rows.null(row, static_cast<int>(c)); }
  int64_t integer(size_t c) const override {
    return rows.null(row, static_cast<int>(c)) ? 0 : rows.integer(row, static_cast<int>(c));
  }
  double number(size_t c) const override {
    return rows.null(row, static_cast<int>(c)) ? 0 : rows.number(row, static_cast<int>(c));
  }
  std::string_view text(size_t c) const override { return rows.text(row, static_cast<int>(c)); }
  json value(size_t c) const override {
    return PgValueOf(rows, row, static_cast<int>(c), types_[c]);
  }
  size_t ReadRow(RowCell* cells, const char** texts) const override {
    size_t text_bytes = 0;
    const size_t n = types_.size();
    for (size_t i = 0; i < n; ++i) {
      auto& cell = cells[i];
      const int c = static_cast<int>(i);
      cell.null = rows.null(row, c);
      if (cell.null) continue;
      switch (types_[i]) {
        case ColumnType::kInteger:
        case ColumnType::kBoolean: cell.i = rows.integer(row, c); break;
        case ColumnType::kNumber: cell.d = rows.number(row, c); break;
        default: {
          // libpq's values end with a NUL, as SQLite's do.
          const std::string_view v = rows.text(row, c);
          texts[i] = v.data();
          cell.len = static_cast<uint32_t>(v.size());
          text_bytes += v.size() + 1;
        }
      }
    }
    return text_bytes;
  }
  Status Restart(int64_t, int64_t) override {
    return Status::Internal("only a ranged SQLite cursor restarts");
  }

  std::unique_ptr<pg::Conn> own;
  pg::Result_ rows;
  int row = -1;
  bool more = false;  // the server-side cursor may hold more rows
  Status status_;
  bool done = false;
};

}  // namespace

PgBackend::PgBackend(std::unique_ptr<pg::Tables> tables)
    : SqlBackend(SqlDialect::kPostgres, tables->schema()), tables_(std::move(tables)) {}

PgBackend::~PgBackend() = default;

Result<std::unique_ptr<PgBackend>> PgBackend::Connect(const std::string& url) {
  ODP_ASSIGN_OR_RETURN(auto tables, pg::Tables::Open(url));
  return std::unique_ptr<PgBackend>(new PgBackend(std::move(tables)));
}

std::string PgBackend::ReadSource(const TableInfo& t) const { return tables_->Ref(t.table); }

Result<std::unique_ptr<Cursor>> PgBackend::Run(const std::string& sql,
                                               const std::vector<json>& args,
                                               std::vector<ColumnType> types, ReadMode mode) const {
  auto c = std::make_unique<PgCursor>(std::move(types));
  const std::string text = store::internal::ToPgPlaceholders(sql);
  if (mode != ReadMode::kPage) {
    // An export: read in batches through a cursor, on a connection of its own, so that a slow
    // download never holds a pooled one.
    ODP_ASSIGN_OR_RETURN(c->own, pg::Conn::Open(tables_->url()));
    ODP_RETURN_IF_ERROR(c->own->Exec("BEGIN READ ONLY"));
    ODP_RETURN_IF_ERROR(
        c->own->Query("DECLARE odp_export NO SCROLL CURSOR FOR " + text, PgParams(args)).status());
    c->more = true;
  } else {
    pg::Tables::Lease lease(*tables_);
    ODP_RETURN_IF_ERROR(lease.status());
    ODP_ASSIGN_OR_RETURN(c->rows, lease->Query(text, PgParams(args), true));
    // The rows are here: the connection goes back to serve others.
  }
  return std::unique_ptr<Cursor>(std::move(c));
}

Result<std::string> PgBackend::RegisteredTable(const std::string& resource_id, int version) const {
  pg::Tables::Lease c(*tables_);
  ODP_RETURN_IF_ERROR(c.status());
  ODP_ASSIGN_OR_RETURN(auto r, c->Query("SELECT info FROM \"" + tables_->schema() +
                                            "\".ds_tables WHERE resource_id = $1 AND version = $2",
                                        P({resource_id, std::to_string(version)})));
  if (r.rows() == 0) return std::string();
  json info = json::parse(r.text(0, 0), nullptr, false);
  return info.is_object() ? info.value("table", "") : std::string();
}

Result<TableInfo> PgBackend::WriteRows(TableInfo t, ingest::PrefetchRows& rows, size_t to_skip,
                                       int64_t pass1_bytes, const std::string& replaced,
                                       const WriteHooks& hooks) {
  // A connection of its own: a load holds a transaction for its whole length.
  ODP_ASSIGN_OR_RETURN(auto conn, pg::Conn::Open(tables_->url()));
  PGconn* raw = conn->raw();
  const std::string ref = tables_->Ref(t.table);
  // The primary key is added after the rows (one sorted build instead of an insert per row).
  std::string create = "CREATE TABLE " + ref + " (_id bigint NOT NULL";
  std::string cols = "_id";
  for (const auto& f : t.fields) {
    create += ", " + Quote(f.id) + " " + PgType(f.type);
    cols += ", " + Quote(f.id);
  }
  create += ", _fold text)";
  cols += ", _fold";
  // One transaction from the table's creation to its registration: until it commits nobody sees
  // the table, and a load that stops (or a server that dies) leaves nothing behind.
  ODP_RETURN_IF_ERROR(conn->Exec(
      "BEGIN; SET LOCAL synchronous_commit = off; DROP TABLE IF EXISTS " + ref + "; " + create));
  auto rollback = [&](Status s) {
    (void)conn->Exec("ROLLBACK");
    return s;
  };
  {
    // Binary: the server reads lengths and values instead of scanning and unescaping text.
    PGresult* r =
        PQexec(raw, ("COPY " + ref + " (" + cols + ") FROM STDIN WITH (FORMAT binary)").c_str());
    bool ok = PQresultStatus(r) == PGRES_COPY_IN;
    Status s = ok ? Status::Ok() : pg::Error(raw, r, "copy");
    PQclear(r);
    if (!ok) return rollback(s);
  }
  // The rows go to the server from a thread of their own, so that typing and folding the next
  // piece overlaps with the server parsing the last one (a blocking send would wait for it).
  // At most kQueued pieces wait or are being sent; a failed send closes the queue, and the
  // loop below stops at its next piece.
  constexpr size_t kQueued = 4;
  struct Sender {
    BatchQueue<std::string> pieces{kQueued};
    Status status;  // written by the thread before it closes `pieces` or returns
    std::thread thread;
    // Sends what is queued, then stops the thread; the connection is this thread's again.
    Status Join() {
      if (thread.joinable()) {
        pieces.Finish();
        thread.join();
      }
      return status;
    }
    ~Sender() { (void)Join(); }  // on every way out of the load
  } sender;
  sender.thread = std::thread([&] {
    while (std::unique_ptr<std::string> piece = sender.pieces.TakeFull()) {
      if (PQputCopyData(raw, piece->data(), static_cast<int>(piece->size())) != 1) {
        sender.status = pg::Error(raw, nullptr, "copy");
        sender.pieces.Close();
        return;
      }
      piece->clear();
      sender.pieces.GiveBack(std::move(piece));
    }
  });
  auto join_sender = [&]() -> Status { return sender.Join(); };
  auto end_copy = [&](const char* error) -> Status {
    Status s = join_sender();
    if (!s.ok()) error = "load failed";
    if (PQputCopyEnd(raw, error) != 1 && s.ok()) s = pg::Error(raw, nullptr, "copy");
    while (PGresult* r = PQgetResult(raw)) {
      if (s.ok() && !error && PQresultStatus(r) != PGRES_COMMAND_OK) s = pg::Error(raw, r, "copy");
      PQclear(r);
    }
    return s;
  };
  auto stop = [&](Status s) {
    (void)end_copy("load stopped");
    return rollback(s);
  };
  constexpr size_t kPiece = 1 << 20;
  constexpr int64_t kBatch = 50000;
  std::string buf;
  buf.reserve(kPiece + (64 << 10));
  auto send = [&]() -> Status {
    if (buf.empty()) return Status::Ok();
    std::unique_ptr<std::string> piece = sender.pieces.TakeFree();
    if (!piece) return join_sender();  // a send failed: its error
    piece->swap(buf);                  // `buf` takes a sent piece's memory
    sender.pieces.PushFull(std::move(piece));
    buf.reserve(kPiece + (64 << 10));
    return Status::Ok();
  };
  TypedRows typed(t, rows, to_skip, hooks.masks);
  if (Status s = typed.Rewind(); !s.ok()) return stop(s);
  buf.append("PGCOPY\n\xff\r\n\0", 11);  // the binary format's signature,
  PutU32(buf, 0);                        // flags,
  PutU32(buf, 0);                        // and no header extension
  const auto row_fields = static_cast<uint16_t>(t.fields.size() + 2);  // _id, the fields, _fold
  std::string fold, folded;
  int64_t n = 0;
  while (typed.Next()) {
    PutU16(buf, row_fields);
    PutInt8Field(buf, ++n);
    fold.clear();
    bool first_text = true;
    for (size_t c = 0; c < t.fields.size(); ++c) {
      Typed& v = typed.cell(c);
      switch (v.kind) {
        case Typed::kNull: PutU32(buf, 0xFFFFFFFFu); break;  // length -1: NULL
        case Typed::kInt: PutInt8Field(buf, v.i); break;     // bigint (integers, booleans)
        case Typed::kReal: PutFloat8Field(buf, v.d); break;  // double precision
        case Typed::kText:
          if (v.s.find('\0') != std::string_view::npos) {
            // PostgreSQL's text cannot hold a NUL byte: it is left out, and reported.
            std::string& kept = typed.text(c);
            kept.erase(std::remove(kept.begin(), kept.end(), '\0'), kept.end());
            v.s = kept;
            AddIssue(t, {IssueKind::kNulRemoved, typed.line(), static_cast<int>(c + 1),
                         "Ký tự NUL (mã 0) trong ô đã bị bỏ đi",
                         "A NUL character (code 0) in the cell was removed"});
          }
          PutTextField(buf, v.s);
          break;
      }
      if (t.fields[c].type != ColumnType::kString) continue;
      // The folded text of each string column, in order, and its words for the full-text index.
      if (!first_text) fold += '\x1f';
      first_text = false;
      if (v.kind != Typed::kText) continue;
      if (text::IsAscii(v.s)) {
        folded.assign(v.s);
        for (char& ch : folded)
          ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      } else {
        folded = text::FoldVietnamese(v.s);
      }
      fold += folded;
    }
    PutTextField(buf, fold);
    if (buf.size() >= kPiece) {
      if (Status s = send(); !s.ok()) return stop(s);
    }
    if (n % kBatch == 0) {
      if (Status s = hooks.stop_requested(); !s.ok()) return stop(s);
      hooks.progress(n, pass1_bytes + typed.bytes_read());
    }
  }
  if (Status s = typed.Finish(); !s.ok()) return stop(s);
  PutU16(buf, 0xFFFF);  // the end of the rows
  if (Status s = send(); !s.ok()) return stop(s);
  if (Status s = end_copy(nullptr); !s.ok()) return rollback(s);
  if (Status s = conn->Exec("ALTER TABLE " + ref + " ADD PRIMARY KEY (_id)"); !s.ok())
    return rollback(s);
  t.rows = n;
  t.created = NowMicros();
  auto query = [&](const std::string& sql,
                   const std::function<void(const std::vector<std::string>&)>& on_row) -> Status {
    ODP_ASSIGN_OR_RETURN(auto r, conn->Query(sql));
    std::vector<std::string> out;
    for (int i = 0; i < r.rows(); ++i) {
      out.assign(static_cast<size_t>(r.columns()), "");
      for (int c = 0; c < r.columns(); ++c) {
        if (!r.null(i, c)) out[static_cast<size_t>(c)] = std::string(r.text(i, c));
      }
      on_row(out);
    }
    return Status::Ok();
  };
  if (Status s = CheckLoadedTable(t, ref, query); !s.ok()) return rollback(s);
  if (hooks.before_commit) {
    if (Status s = hooks.before_commit(t); !s.ok()) return rollback(s);
  }
  {
    auto reg = conn->Query(
        "INSERT INTO \"" + tables_->schema() +
            "\".ds_tables (resource_id, version, info, created) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (resource_id, version) DO UPDATE SET info = excluded.info, "
            "created = excluded.created",
        P({t.resource_id, std::to_string(t.version),
           InfoToJson(t).dump(-1, ' ', false, json::error_handler_t::replace),
           std::to_string(t.created)}));
    if (!reg.ok()) return rollback(reg.status());
  }
  // Every server drops its cached descriptions when this commits.
  if (Status s = conn->Exec("NOTIFY odp_tables; COMMIT"); !s.ok()) return rollback(s);
  tables_->Bump();
  if (!replaced.empty()) (void)conn->Exec("DROP TABLE IF EXISTS " + tables_->Ref(replaced));
  return t;
}

Status PgBackend::BuildIndexes(TableInfo t, const std::atomic<bool>& abandon) {
  ODP_ASSIGN_OR_RETURN(auto conn, pg::Conn::Open(tables_->url()));
  const std::string ref = tables_->Ref(t.table);
  // Indexes are named by PostgreSQL (a table's name leaves too little room under 63 bytes). Each
  // holds `_id` after its column, as SQLite's hold the rowid: rows equal on the column come in
  // `_id` order, so a filtered page sorted by `_id` reads only its rows.
  for (const auto& f : t.fields) {
    if (abandon) return Status::Unavailable("indexing abandoned at shutdown");
    Status s = conn->Exec("CREATE INDEX ON " + ref + " (" + Quote(f.id) + ", _id)");
    if (!s.ok() && s.message().find("index row") != std::string::npos) {
      // A value too long for a b-tree entry (a few KB: a geometry, a long text): this column
      // goes without an index (filters on it scan), the others get theirs.
      LogWarn("datastore: no index on column " + f.id + " of " + t.table + ": " + s.message());
      continue;
    }
    ODP_RETURN_IF_ERROR(s);
  }
  bool any_text = false;
  for (const auto& f : t.fields) any_text = any_text || f.type == ColumnType::kString;
  if (any_text) {
    ODP_RETURN_IF_ERROR(conn->Exec("SET maintenance_work_mem = '256MB'; CREATE INDEX ON " + ref +
                                   " USING gin (\"" + tables_->schema() + "\".odp_words(_fold))"));
  }
  ODP_RETURN_IF_ERROR(conn->Exec("ANALYZE " + ref));
  t.indexed = true;
  ODP_RETURN_IF_ERROR(
      conn->Query("UPDATE \"" + tables_->schema() +
                      "\".ds_tables SET info = $3 WHERE resource_id = $1 AND version = $2",
                  P({t.resource_id, std::to_string(t.version),
                     InfoToJson(t).dump(-1, ' ', false, json::error_handler_t::replace)}))
          .status());
  ODP_RETURN_IF_ERROR(conn->Exec("NOTIFY odp_tables"));
  tables_->Bump();
  return Status::Ok();
}

Result<TableInfo> PgBackend::Table(const std::string& resource_id, int version) const {
  std::string key = version > 0 ? resource_id + "#" + std::to_string(version) : resource_id;
  const int64_t gen = tables_->generation();
  {
    std::lock_guard lock(cache().mu);
    if (cache().version != gen) {
      cache().tables.clear();
      cache().version = gen;
    }
    auto it = cache().tables.find(key);
    if (it != cache().tables.end()) return *it->second;
  }
  pg::Tables::Lease c(*tables_);
  ODP_RETURN_IF_ERROR(c.status());
  const std::string reg = "\"" + tables_->schema() + "\".ds_tables";
  ODP_ASSIGN_OR_RETURN(
      auto r, version > 0 ? c->Query("SELECT version, info, created FROM " + reg +
                                         " WHERE resource_id = $1 AND version = $2",
                                     P({resource_id, std::to_string(version)}), true)
                          : c->Query("SELECT version, info, created FROM " + reg +
                                         " WHERE resource_id = $1 ORDER BY version DESC LIMIT 1",
                                     P({resource_id}), true));
  if (r.rows() == 0) return Status::NotFound("datastore table of resource", resource_id);
  json info = json::parse(r.text(0, 1), nullptr, false);
  auto t = std::make_shared<const TableInfo>(
      InfoFromJson(resource_id, static_cast<int>(r.integer(0, 0)), info, r.integer(0, 2)));
  std::lock_guard lock(cache().mu);
  if (cache().version == gen) cache().tables[key] = t;
  return *t;
}

std::vector<int> PgBackend::Versions(const std::string& resource_id) const {
  std::vector<int> out;
  pg::Tables::Lease c(*tables_);
  if (!c.status().ok()) return out;
  auto r = c->Query("SELECT version FROM \"" + tables_->schema() +
                        "\".ds_tables WHERE resource_id = $1 ORDER BY version",
                    P({resource_id}));
  if (!r.ok()) return out;
  for (int i = 0; i < r->rows(); ++i) out.push_back(static_cast<int>(r->integer(i, 0)));
  return out;
}

Result<SqlResult> PgBackend::SearchSql(const std::string& sql,
                                       const std::function<bool(const std::string&)>& may_read,
                                       const SqlLimits& limits) const {
  if (sql.size() > 100000) return Status::InvalidArgument("SQL too long", "Câu lệnh SQL quá dài");
  // Functions outside the allowlist and object-identifier types (`'…'::regclass`, which looks a
  // name up) are refused before PostgreSQL sees the statement: it evaluates some of them while
  // it parses and plans.
  static std::once_flag keywords_once;
  static std::set<std::string> keywords;
  std::call_once(keywords_once, [&] {
    pg::Tables::Lease c(*tables_);
    if (c.status().ok()) {
      if (auto r = c->Query("SELECT word FROM pg_get_keywords()"); r.ok()) {
        for (int i = 0; i < r->rows(); ++i) keywords.insert(std::string(r->text(i, 0)));
      }
    }
    if (keywords.empty()) keywords = PostgresKeywordsFallback();
  });
  if (auto bad = PostgresForbidden(sql, keywords)) {
    return Status::PermissionDenied(
        "not allowed: " + *bad,
        "Không được phép: " + *bad +
            " (chỉ một câu SELECT trên các bảng dữ liệu, với các hàm được phép)");
  }
  ODP_ASSIGN_OR_RETURN(std::string rewritten, PostgresLikeAsRegex(sql));
  // The query runs on a connection of its own, logged in as a role made for this request alone:
  // its only rights are SELECT on views (in a schema made for this request) of the tables the
  // caller may read. Being the session's own user, it has no other role to switch back to, so
  // nothing the query runs — set_config('role', …), query_to_xml(), ts_stat() — reaches further.
  // Both are dropped when the request ends.
  std::string name = "odp_q_" + NewUuid();
  for (char& ch : name) {
    if (ch == '-') ch = '_';
  }
  std::string password = NewUuid() + NewUuid();
  for (char& ch : password) {
    if (ch == '-') ch = 'x';
  }
  const std::string qname = Quote(name);
  std::vector<std::pair<std::string, std::string>> views;  // view name, SELECT
  std::set<std::string> permitted;                         // the tables under those views
  {
    pg::Tables::Lease c(*tables_);
    ODP_RETURN_IF_ERROR(c.status());
    ODP_ASSIGN_OR_RETURN(auto all,
                         c->Query("SELECT resource_id, version, info FROM \"" + tables_->schema() +
                                  "\".ds_tables ORDER BY resource_id, version"));
    std::map<std::string, bool> readable;
    for (int i = 0; i < all.rows(); ++i) {
      std::string rid(all.text(i, 0));
      json info = json::parse(all.text(i, 2), nullptr, false);
      if (!info.is_object() || rid.find('"') != std::string::npos) continue;
      std::string table = info.value("table", "");
      const bool newest = i + 1 == all.rows() || all.text(i + 1, 0) != rid;
      std::vector<std::string> names = {table};
      if (newest) names.push_back(rid);
      // Only tables the query names can be read by it; the others need no view (this saves
      // asking about every resource, and decides nothing: a name left out cannot be read).
      std::erase_if(names, [&](const std::string& n) { return sql.find(n) == std::string::npos; });
      if (names.empty()) continue;
      auto it = readable.find(rid);
      if (it == readable.end()) it = readable.emplace(rid, may_read(rid)).first;
      if (!it->second) continue;
      std::string cols = "_id";
      for (const auto& f : info.value("fields", json::array()))
        cols += ", " + Quote(f.value("id", ""));
      for (const auto& n : names)
        views.emplace_back(n, "SELECT " + cols + " FROM " + tables_->Ref(table));
      permitted.insert(table);
    }
    std::string setup = "BEGIN; CREATE ROLE " + qname + " LOGIN PASSWORD '" + password +
                        "' NOINHERIT CONNECTION LIMIT 1 VALID UNTIL '" +
                        FormatIsoSeconds(NowMicros() + 600000000LL) + "'; CREATE SCHEMA " + qname +
                        "; GRANT USAGE ON SCHEMA " + qname + " TO " + qname + "; ";
    for (const auto& [view, select] : views) {
      setup += "CREATE VIEW " + qname + "." + Quote(view) + " AS " + select + "; GRANT SELECT ON " +
               qname + "." + Quote(view) + " TO " + qname + "; ";
    }
    setup += "COMMIT";
    if (Status s = c->Exec(setup); !s.ok()) {
      (void)c->Exec("ROLLBACK");
      return Status::Unavailable(
          "datastore_search_sql is not available: the portal's database user must be allowed "
          "to create roles (ALTER ROLE … CREATEROLE): " +
          s.message());
    }
  }
  struct Cleanup {
    pg::Tables& t;
    std::string qname;
    ~Cleanup() {
      pg::Tables::Lease c(t);
      if (c.status().ok())
        (void)c->Exec("DROP SCHEMA IF EXISTS " + qname + " CASCADE; DROP ROLE IF EXISTS " + qname);
    }
  } cleanup{*tables_, qname};

  ODP_ASSIGN_OR_RETURN(auto reader,
                       pg::Conn::OpenAs(tables_->url(), name, password,
                                        "-c search_path=" + name + " -c statement_timeout=" +
                                            std::to_string(limits.timeout_ms) +
                                            " -c default_transaction_read_only=on"));
  ODP_RETURN_IF_ERROR(reader->Exec("BEGIN READ ONLY"));
  // One query, read through a cursor: DECLARE takes only a SELECT (or VALUES), and the
  // extended protocol only one statement.
  std::string body = std::move(rewritten);
  while (!body.empty() &&
         (std::isspace(static_cast<unsigned char>(body.back())) || body.back() == ';'))
    body.pop_back();
  SqlResult out;
  auto fail = [&](const Status& st) -> Status {
    const std::string& msg = st.message();
    std::string text = msg.substr(msg.find(": ") == std::string::npos ? 0 : msg.find(": ") + 2);
    if (text.rfind("ERROR:  ", 0) == 0) text = text.substr(8);
    const std::string first_line = text.substr(0, text.find('\n'));
    if (msg.find("canceling statement due to statement timeout") != std::string::npos) {
      return Status::Conflict("Query took too long",
                              "Truy vấn chạy quá lâu (quá " +
                                  std::to_string(limits.timeout_ms / 1000.0).substr(0, 4) +
                                  " giây)");
    }
    // Spelled as SQLite spells it, so that the answer is the same on both back-ends (and a table
    // the caller may not read is, as there, one that does not exist).
    const std::string kRelation = "relation \"";
    if (first_line.rfind(kRelation, 0) == 0 &&
        first_line.find("\" does not exist") != std::string::npos) {
      std::string missing = first_line.substr(
          kRelation.size(), first_line.find("\" does not exist") - kRelation.size());
      return Status::InvalidArgument("SQL error: no such table: " + missing,
                                     "Lỗi SQL: no such table: " + missing);
    }
    // A table of the portal's own (outside the request's schema) answers as a missing one.
    const std::string kDenied = "permission denied for table ";
    if (first_line.rfind(kDenied, 0) == 0) {
      const std::string table = first_line.substr(kDenied.size());
      return Status::InvalidArgument("SQL error: no such table: " + table,
                                     "Lỗi SQL: no such table: " + table);
    }
    if (msg.find("permission denied") != std::string::npos ||
        msg.find("read-only transaction") != std::string::npos) {
      return Status::PermissionDenied(
          "not authorized: " + first_line,
          "Không được phép: " + first_line + " (chỉ một câu SELECT trên các bảng dữ liệu)");
    }
    return Status::InvalidArgument("SQL error: " + first_line, "Lỗi SQL: " + first_line);
  };
  // What the plan reads: only the tables under the request's views, and only allowlisted
  // set-returning functions. A catalogue relation (pg_class, or under a view such as
  // pg_tables or information_schema's) answers as a table that does not exist.
  {
    auto plan = reader->Query("EXPLAIN (VERBOSE, FORMAT JSON) " + body + "\n");
    if (!plan.ok()) return fail(plan.status());
    if (plan->rows() != 1)
      return Status::InvalidArgument("SQL error: no plan",
                                     "Lỗi SQL: không lập được kế hoạch truy vấn");
    json doc = json::parse(plan->text(0, 0), nullptr, false);
    std::vector<const json*> todo;
    if (doc.is_array()) {
      for (const auto& e : doc) {
        if (e.is_object() && e.contains("Plan")) todo.push_back(&e["Plan"]);
      }
    }
    if (todo.empty())
      return Status::InvalidArgument("SQL error: no plan",
                                     "Lỗi SQL: không lập được kế hoạch truy vấn");
    while (!todo.empty()) {
      const json& node = *todo.back();
      todo.pop_back();
      if (!node.is_object()) continue;
      if (node.contains("Relation Name")) {
        const std::string rel = node.value("Relation Name", "");
        if (node.value("Schema", "") != tables_->schema() || !permitted.count(rel)) {
          return Status::InvalidArgument("SQL error: no such table: " + rel,
                                         "Lỗi SQL: no such table: " + rel);
        }
      }
      if (node.contains("Function Name")) {
        const std::string fn = node.value("Function Name", "");
        if (node.value("Schema", "pg_catalog") != "pg_catalog" || !PostgresFunctionAllowed(fn)) {
          return Status::PermissionDenied("not allowed: " + fn, "Không được phép: " + fn);
        }
      }
      // Every expression of the node, as PostgreSQL prints it (outputs, conditions, keys,
      // function calls): only allowlisted functions and no object-identifier types, whatever
      // spelling the statement used to reach them.
      for (const auto& [key, value] : node.items()) {
        if (key == "Node Type" || key == "Parent Relationship" || key == "Relation Name" ||
            key == "Schema" || key == "Alias" || key == "Subplan Name" || key == "CTE Name" ||
            key == "Index Name" || key == "Join Type" || key == "Strategy" ||
            key == "Scan Direction" || key == "Command" || key == "Partial Mode" ||
            key == "Function Name" || key == "Plans") {
          continue;
        }
        std::vector<const json*> texts;
        if (value.is_string()) texts.push_back(&value);
        if (value.is_array()) {
          for (const auto& v : value) {
            if (v.is_string()) texts.push_back(&v);
          }
        }
        for (const json* text : texts) {
          if (auto bad = PostgresForbidden(text->get_ref<const std::string&>(), keywords)) {
            return Status::PermissionDenied(
                "not allowed: " + *bad,
                "Không được phép: " + *bad +
                    " (chỉ một câu SELECT trên các bảng dữ liệu, với các hàm được phép)");
          }
        }
      }
      if (node.value("Node Type", "") == "Custom Scan" ||
          node.value("Node Type", "") == "Foreign Scan") {
        return Status::PermissionDenied("not allowed: " + node.value("Node Type", ""),
                                        "Không được phép: " + node.value("Node Type", ""));
      }
      if (auto it = node.find("Plans"); it != node.end() && it->is_array()) {
        for (const auto& child : *it) todo.push_back(&child);
      }
    }
  }
  if (auto declared = reader->Query("DECLARE odp_sql NO SCROLL CURSOR FOR " + body + "\n");
      !declared.ok()) {
    return fail(declared.status());
  }
  // Fetched in batches, each value and the whole answer measured as they come: a query that
  // makes huge values is stopped before they pile up here.
  constexpr int kBatch = 200;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(limits.timeout_ms);
  const int64_t budget = limits.max_answer_bytes;
  int64_t bytes = 0;
  std::vector<bool> numeric;  // per column: read values as numbers
  for (;;) {
    // The time limit is the whole query's, not each FETCH's.
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return fail(Status::Conflict("canceling statement due to statement timeout"));
    if (Status s = reader->Exec("SET LOCAL statement_timeout = " + std::to_string(left.count()));
        !s.ok())
      return fail(s);
    auto fetched = reader->Query("FETCH FORWARD " + std::to_string(kBatch) + " FROM odp_sql");
    if (!fetched.ok()) return fail(fetched.status());
    const pg::Result_& r = fetched.value();
    const int n = r.columns();
    if (out.fields.empty()) {
      for (int col = 0; col < n; ++col) {
        Oid type = PQftype(r.get(), col);
        // int2, int4, int8 / float4, float8, numeric / bool
        const char* ckan = (type == 20 || type == 21 || type == 23)       ? "int"
                           : (type == 700 || type == 701 || type == 1700) ? "numeric"
                           : type == 16                                   ? "bool"
                                                                          : "text";
        out.fields.emplace_back(PQfname(r.get(), col), ckan);
        numeric.push_back(std::string(ckan) == "numeric");
      }
    }
    for (int i = 0; i < r.rows(); ++i) {
      if (static_cast<int64_t>(out.rows.size()) >= limits.max_rows) {
        out.truncated = true;
        break;
      }
      std::vector<json> row(static_cast<size_t>(n));
      for (int col = 0; col < n; ++col) {
        if (r.null(i, col)) continue;
        std::string_view v = r.text(i, col);
        bytes += JsonWeight(v);
        if (static_cast<int64_t>(v.size()) > limits.max_value_bytes) {
          return Status::Conflict("a value grew too large", "Truy vấn tạo ra giá trị quá lớn");
        }
        if (bytes > budget) return AnswerTooLarge(budget);
        const std::string& kind = out.fields[static_cast<size_t>(col)].second;
        if (kind == "int") {
          row[static_cast<size_t>(col)] = r.integer(i, col);
        } else if (numeric[static_cast<size_t>(col)]) {
          // Each value as it is written: a whole number as an integer (as SQLite types values
          // one by one), any other as a double.
          if (v.find_first_of(".eEnN") == std::string_view::npos) {
            row[static_cast<size_t>(col)] = r.integer(i, col);
          } else {
            row[static_cast<size_t>(col)] = r.number(i, col);
          }
        } else if (kind == "bool") {
          row[static_cast<size_t>(col)] = v == "t";
        } else {
          row[static_cast<size_t>(col)] = std::string(v);
        }
      }
      bytes += 8;  // a row's own weight: its punctuation and every column's name again
      for (const auto& f : out.fields) bytes += static_cast<int64_t>(f.first.size()) + 8;
      if (bytes > budget) return AnswerTooLarge(budget);
      out.rows.push_back(std::move(row));
    }
    if (out.truncated || r.rows() < kBatch) break;
  }
  // A numeric column whose first value is whole is reported as int, as SQLite types a column by
  // its first value.
  for (size_t col = 0; col < out.fields.size(); ++col) {
    if (!numeric[col]) continue;
    for (const auto& row : out.rows) {
      if (row[col].is_null()) continue;
      if (row[col].is_number_integer()) out.fields[col].second = "int";
      break;
    }
  }
  (void)reader->Exec("ROLLBACK");
  return out;
}

}  // namespace odp::datastore
