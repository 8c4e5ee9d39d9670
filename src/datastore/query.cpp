// Reading: queries with filters, full text, sorting and keyset paging; cursors for exports;
// aggregates; the read-only SQL endpoint.
#include <charconv>
#include <chrono>
#include <cstring>

#include "datastore/datastore.h"
#include "datastore/internal.h"
#include "datastore/pg.h"
#include "datastore/sql_guard.h"
#include "formats/text_writers.h"
#include "store/pg_db.h"
#include "text/vietnamese.h"

namespace odp::datastore {

using json = nlohmann::json;

const Field& IdField() {
  static const Field kId{"_id", "_id", ColumnType::kInteger, NumberStyle::kInternational, ""};
  return kId;
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

const Field* FindField(const TableInfo& t, const std::string& id) {
  if (id == "_id") return &IdField();
  for (const auto& f : t.fields) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

Status BadQuery() { return Status::InvalidArgument("invalid datastore query", "Truy vấn dữ liệu không hợp lệ"); }

// A filter value as the column stores it; nullopt when it cannot be one (then an equality
// matches nothing and an order comparison is an error).
std::optional<json> StoredValue(const Field& f, const std::string& v) {
  switch (f.type) {
    case ColumnType::kInteger: {
      auto n = ParseInteger(v, NumberStyle::kInternational);
      if (!n) n = ParseInteger(v, f.style);
      if (n) return json(*n);
      return std::nullopt;
    }
    case ColumnType::kNumber: {
      auto n = ParseNumber(v, NumberStyle::kInternational);
      if (!n) n = ParseNumber(v, f.style);
      if (n) return json(*n);
      return std::nullopt;
    }
    case ColumnType::kBoolean: {
      auto b = ParseBoolean(v);
      if (b) return json(*b ? 1 : 0);
      return std::nullopt;
    }
    case ColumnType::kDate: {
      auto d = ParseDate(v);
      if (d) return json(*d);
      return std::nullopt;
    }
    case ColumnType::kDatetime: {
      auto d = ParseDatetime(v);
      if (d) return json(*d);
      if (auto day = ParseDate(v)) return json(*day + "T00:00:00");
      return std::nullopt;
    }
    case ColumnType::kString: return json(text::Nfc(v));
  }
  return json(v);
}

std::string LikeEscaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// The FTS5 query for `q`: every folded word, as a prefix ("ha noi" → "ha"* AND "noi"*).
std::string FtsQuery(const std::string& q) {
  std::string folded = text::FoldVietnamese(q);
  std::string out, word;
  auto flush = [&] {
    if (word.empty()) return;
    out += (out.empty() ? "" : " AND ") + std::string("\"") + word + "\"*";
    word.clear();
  };
  for (char c : folded) {
    if (std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80) {
      word += c;
    } else {
      flush();
    }
  }
  flush();
  return out;
}

// The PostgreSQL tsquery for `q`: every folded word, as a prefix ("ha noi" → "ha:* & noi:*"),
// the words split as the loader split them (pg_tables.cpp).
std::string PgTsQuery(const std::string& q) {
  std::string folded = text::FoldVietnamese(q);
  std::string out, word;
  auto flush = [&] {
    if (word.empty()) return;
    out += (out.empty() ? "" : " & ") + word + ":*";
    word.clear();
  };
  for (char c : folded) {
    if (std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80) {
      word += c;
    } else {
      flush();
    }
  }
  flush();
  return out;
}

// The folded text of string column `f` of a PostgreSQL table: its part of the hidden `_fold`.
std::string PgFolded(const TableInfo& t, const Field& f) {
  int k = 0;
  for (const auto& x : t.fields) {
    if (x.type != ColumnType::kString) continue;
    ++k;
    if (x.id == f.id) break;
  }
  return "split_part(_fold, E'\\x1f', " + std::to_string(k) + ")";
}

// The WHERE clause of a query (without the keyset condition), its arguments appended to `args`.
// `pg_schema`: the datastore's schema on PostgreSQL (its spelling, the tables of pg.h), or ""
// for SQLite's.
Result<std::string> WhereClause(const TableInfo& t, const Query& q, std::vector<json>& args,
                                const std::string& pg_schema = "") {
  const bool pg = !pg_schema.empty();
  Status bad = BadQuery();
  bool has_bad = false;
  std::vector<std::string> parts;
  for (const auto& [id, values] : q.filters) {
    const Field* f = FindField(t, id);
    if (!f) {
      bad.WithField("filters", "Không có cột: " + id);
      has_bad = true;
      continue;
    }
    std::string clause;
    for (const auto& v : values) {
      auto stored = StoredValue(*f, v);
      // A value the column cannot hold matches nothing (PostgreSQL would refuse to compare it).
      if (pg && !stored) continue;
      clause += clause.empty() ? "" : " OR ";
      clause += Quote(id) + " = ?";
      args.push_back(stored ? *stored : json(v));
    }
    if (pg && clause.empty() && !values.empty()) clause = "FALSE";
    if (!clause.empty()) parts.push_back("(" + clause + ")");
  }
  for (const auto& c : q.where) {
    const Field* f = FindField(t, c.field);
    if (!f) {
      bad.WithField(c.field, "Không có cột: " + c.field);
      has_bad = true;
      continue;
    }
    std::string col = Quote(c.field);
    switch (c.op) {
      case Op::kIsNull: parts.push_back(col + " IS NULL"); continue;
      case Op::kNotNull: parts.push_back(col + " IS NOT NULL"); continue;
      case Op::kContains:
      case Op::kStartsWith: {
        if (c.values.empty()) break;
        std::string folded = text::FoldVietnamese(c.values[0]);
        std::string target = f->type == ColumnType::kString ? (pg ? PgFolded(t, *f) : "odp_fold(" + col + ")")
                             : pg ? "lower(CAST(" + col + " AS TEXT))"
                                  : "CAST(" + col + " AS TEXT)";
        if (c.op == Op::kContains) {
          parts.push_back((pg ? "strpos(" : "instr(") + target + ", ?) > 0");
          args.push_back(folded);
        } else {
          parts.push_back(target + " LIKE ? ESCAPE '\\'");
          args.push_back(LikeEscaped(folded) + "%");
        }
        continue;
      }
      default: break;
    }
    if (c.values.empty()) {
      bad.WithField(c.field, "Thiếu giá trị cho phép so sánh " + std::string(OpName(c.op)));
      has_bad = true;
      continue;
    }
    if (c.op == Op::kIn || c.op == Op::kEq || c.op == Op::kNe) {
      std::string list;
      for (const auto& v : c.values) {
        auto stored = StoredValue(*f, v);
        if (pg && !stored) continue;  // cannot be in the column: equal to no row
        list += list.empty() ? "?" : ", ?";
        args.push_back(stored ? *stored : json(v));
      }
      if (list.empty()) {
        parts.push_back(c.op == Op::kNe ? "TRUE" : "FALSE");
        continue;
      }
      parts.push_back(col + (c.op == Op::kNe ? " NOT IN (" : " IN (") + list + ")");
      continue;
    }
    auto stored = StoredValue(*f, c.values[0]);
    if (!stored) {
      bad.WithField(c.field, "Giá trị không đúng kiểu " + std::string(ToString(f->type)) + ": " + c.values[0]);
      has_bad = true;
      continue;
    }
    const char* sql_op = c.op == Op::kLt ? " < ?" : c.op == Op::kLe ? " <= ?" : c.op == Op::kGt ? " > ?" : " >= ?";
    parts.push_back(col + sql_op);
    args.push_back(*stored);
  }
  if (!q.q.empty()) {
    if (t.indexed) {
      bool any_text = false;
      for (const auto& f : t.fields) any_text = any_text || f.type == ColumnType::kString;
      std::string match = pg ? PgTsQuery(q.q) : FtsQuery(q.q);
      if (!any_text || match.empty()) {
        parts.push_back(any_text ? "TRUE" : "FALSE");
      } else if (pg) {
        parts.push_back("\"" + pg_schema + "\".odp_words(_fold) @@ to_tsquery('simple', ?)");
        args.push_back(match);
      } else {
        parts.push_back("_id IN (SELECT rowid FROM " + Quote(FtsName(t.table)) + " WHERE " +
                        Quote(FtsName(t.table)) + " MATCH ?)");
        args.push_back(match);
      }
    } else {
      // Not indexed yet: every word found somewhere in the row's folded text.
      std::string folded = text::FoldVietnamese(q.q);
      std::string clause;
      for (const auto& f : t.fields) {
        if (f.type != ColumnType::kString) continue;
        if (pg) {
          // `_fold` holds every text column, separated by a character no word holds.
          clause = "strpos(_fold, ?) > 0";
          args.push_back(folded);
          break;
        }
        clause += clause.empty() ? "" : " OR ";
        clause += "instr(odp_fold(" + Quote(f.id) + "), ?) > 0";
        args.push_back(folded);
      }
      parts.push_back(clause.empty() ? "FALSE" : "(" + clause + ")");
    }
  }
  if (has_bad) return bad;
  std::string where;
  for (const auto& p : parts) where += (where.empty() ? " WHERE " : " AND ") + p;
  return where;
}

// Rows after the keyset `after` in the order of `sort` then `_id` ascending. SQLite orders
// NULL first ascending (last descending).
Result<std::string> KeysetClause(const TableInfo& t, const Query& q, std::vector<json>& args) {
  const auto& after = *q.after;
  if (after.size() != q.sort.size() + 1) {
    return Status::InvalidArgument("the cursor does not fit the sort", "Con trỏ trang không khớp với cách sắp xếp");
  }
  std::vector<std::pair<std::string, bool>> keys = q.sort;
  keys.emplace_back("_id", false);
  for (const auto& [id, desc] : keys) {
    if (!FindField(t, id)) return BadQuery().WithField("sort", "Không có cột: " + id);
  }
  std::string out;
  for (size_t i = 0; i < keys.size(); ++i) {
    std::string term;
    for (size_t k = 0; k < i; ++k) {
      term += (term.empty() ? "" : " AND ");
      if (after[k].is_null()) {
        term += Quote(keys[k].first) + " IS NULL";
      } else {
        term += Quote(keys[k].first) + " = ?";
        args.push_back(after[k]);
      }
    }
    const std::string col = Quote(keys[i].first);
    std::string later;
    if (!keys[i].second) {
      if (after[i].is_null()) {
        later = col + " IS NOT NULL";
      } else {
        later = col + " > ?";
        args.push_back(after[i]);
      }
    } else {
      if (after[i].is_null()) {
        // Nothing sorts after NULL descending: this term selects nothing.
        later = "FALSE";
      } else {
        later = "(" + col + " < ? OR " + col + " IS NULL)";
        args.push_back(after[i]);
      }
    }
    term += (term.empty() ? "" : " AND ") + later;
    out += (out.empty() ? "(" : " OR ") + std::string("(") + term + ")";
  }
  return out + ")";
}

struct Built {
  std::string sql;
  std::vector<json> args;
  std::vector<ColumnType> types;  // of every selected column, hidden sort keys included
  size_t visible = 0;             // columns returned to the caller
  std::vector<size_t> key_columns;  // positions of the sort keys (then _id) in a row
  std::string where;                // the conditions without the keyset, for counting
  std::vector<json> where_args;
};

// `table_sql`: how the SQL names the table; `pg_schema`: as for WhereClause.
Result<Built> BuildSelect(const TableInfo& t, const Query& q, const std::string& table_sql,
                          const std::string& pg_schema) {
  const bool pg = !pg_schema.empty();
  Built b;
  std::vector<json> where_args;
  ODP_ASSIGN_OR_RETURN(std::string where, WhereClause(t, q, where_args, pg_schema));
  Status bad = BadQuery();
  std::vector<std::string> cols = {"_id"};
  b.types.push_back(ColumnType::kInteger);
  for (const auto& id : q.fields) {
    if (id == "_id") continue;
    if (!FindField(t, id)) return bad.WithField("fields", "Không có cột: " + id);
  }
  for (const auto& f : SelectedColumns(t, q)) {
    cols.push_back(f.id);
    b.types.push_back(f.type);
  }
  b.visible = cols.size();
  std::string order;
  for (const auto& [id, desc] : q.sort) {
    const Field* f = FindField(t, id);
    if (!f) return bad.WithField("sort", "Không có cột: " + id);
    auto pos = std::find(cols.begin(), cols.end(), id);
    if (pos == cols.end()) {
      cols.push_back(id);
      b.types.push_back(f->type);
      pos = cols.end() - 1;
    }
    b.key_columns.push_back(static_cast<size_t>(pos - cols.begin()));
    // NULL first ascending and last descending, as SQLite orders them.
    order += (order.empty() ? " ORDER BY " : ", ") + Quote(id) + (desc ? " DESC" : " ASC") +
             (pg ? (desc ? " NULLS LAST" : " NULLS FIRST") : "");
  }
  b.key_columns.push_back(0);
  order += order.empty() ? " ORDER BY _id" : ", _id";
  b.where = where;
  b.where_args = where_args;
  if (q.after) {
    ODP_ASSIGN_OR_RETURN(std::string keyset, KeysetClause(t, q, where_args));
    where += (where.empty() ? " WHERE " : " AND ") + keyset;
  }
  if (q.id_range) {
    // The last two parameters: Cursor::Restart binds them again.
    where += std::string(where.empty() ? " WHERE " : " AND ") + "_id > ? AND _id <= ?";
    where_args.emplace_back(q.id_range->first);
    where_args.emplace_back(q.id_range->second);
  }
  std::string list;
  for (const auto& c : cols) list += (list.empty() ? "" : ", ") + Quote(c);
  b.sql = "SELECT " + list + " FROM " + table_sql + where + order + " LIMIT " +
          (q.limit > 0 ? std::to_string(q.limit) : pg ? "ALL" : "-1") + " OFFSET " + std::to_string(q.offset);
  b.args = std::move(where_args);
  return b;
}

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

}  // namespace

struct Cursor::Impl {
  // A pooled connection, or one of its own (see Datastore::Open).
  std::unique_ptr<ReadLease> lease;  // declared first: the statement is put away before it goes back
  sqlite3* own = nullptr;
  Stmt st;
  std::string sql;  // pooled: the statement goes back to the connection's cache under it
  Status status;
  bool done = false;
  sqlite3* conn() const { return own ? own : lease->get(); }
  // PostgreSQL: the rows so far (a page, or a batch fetched from a cursor on a connection of
  // the export's own).
  bool pg = false;
  std::unique_ptr<pg::Tables::Lease> pg_lease;
  std::unique_ptr<pg::Conn> pg_own;
  pg::Result_ rows;
  int row = -1;
  bool more = false;  // the cursor may hold more rows
  ~Impl() {
    if (lease && st.s) {
      lease->statements().Give(sql, st.s);
    } else {
      sqlite3_finalize(st.s);
    }
    st.s = nullptr;
    if (own) sqlite3_close(own);
    if (pg_own) (void)pg_own->Exec("ROLLBACK");
  }
};

namespace {

constexpr int kPgBatch = 5000;

}  // namespace

Cursor::~Cursor() = default;

bool Cursor::Next() {
  Impl& m = *impl_;
  if (m.done) return false;
  if (m.pg) {
    if (m.row + 1 < m.rows.rows()) {
      ++m.row;
      ++rows_;
      return true;
    }
    if (m.more) {
      auto next = m.pg_own->Query("FETCH FORWARD " + std::to_string(kPgBatch) + " FROM odp_export");
      if (!next.ok()) {
        m.status = next.status();
        m.done = true;
        return false;
      }
      m.rows = std::move(next).value();
      m.more = m.rows.rows() == kPgBatch;
      m.row = -1;
      return Next();
    }
    m.done = true;
    return false;
  }
  int rc = sqlite3_step(m.st.s);
  if (rc == SQLITE_ROW) {
    ++rows_;
    return true;
  }
  m.done = true;
  if (rc != SQLITE_DONE) m.status = SqlError(m.conn(), "datastore query");
  return false;
}

Status Cursor::status() const { return impl_->status; }
sqlite3_stmt* Cursor::sqlite_statement() const { return impl_->pg ? nullptr : impl_->st.s; }
Status Cursor::Restart(int64_t first, int64_t last) {
  Impl& m = *impl_;
  if (m.pg || !m.own) return Status::Internal("only a ranged SQLite cursor restarts");
  sqlite3_reset(m.st.s);
  const int n = sqlite3_bind_parameter_count(m.st.s);
  if (n < 2 || sqlite3_bind_int64(m.st.s, n - 1, first) != SQLITE_OK || sqlite3_bind_int64(m.st.s, n, last) != SQLITE_OK) {
    return SqlError(m.conn(), "restart a ranged query");
  }
  m.done = false;
  m.status = Status::Ok();
  return Status::Ok();
}
bool Cursor::is_null(size_t c) const {
  if (impl_->pg) return impl_->rows.null(impl_->row, static_cast<int>(c));
  return sqlite3_column_type(impl_->st.s, static_cast<int>(c)) == SQLITE_NULL;
}
int64_t Cursor::integer(size_t c) const {
  if (impl_->pg) return impl_->rows.null(impl_->row, static_cast<int>(c)) ? 0 : impl_->rows.integer(impl_->row, static_cast<int>(c));
  return sqlite3_column_int64(impl_->st.s, static_cast<int>(c));
}
double Cursor::number(size_t c) const {
  if (impl_->pg) return impl_->rows.null(impl_->row, static_cast<int>(c)) ? 0 : impl_->rows.number(impl_->row, static_cast<int>(c));
  return sqlite3_column_double(impl_->st.s, static_cast<int>(c));
}
std::string_view Cursor::text(size_t c) const {
  if (impl_->pg) return impl_->rows.text(impl_->row, static_cast<int>(c));
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(impl_->st.s, static_cast<int>(c)));
  return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(impl_->st.s, static_cast<int>(c))))
           : std::string_view();
}
json Cursor::value(size_t c) const {
  if (impl_->pg) return PgValueOf(impl_->rows, impl_->row, static_cast<int>(c), types_[c]);
  return ValueOf(impl_->st.s, static_cast<int>(c), types_[c]);
}

Result<std::unique_ptr<Cursor>> Datastore::Prepared(const std::string& sql, const std::vector<json>& args,
                                                    std::vector<ColumnType> types, bool own_connection) const {
  std::unique_ptr<Cursor> c(new Cursor());
  c->impl_ = std::make_unique<Cursor::Impl>();
  if (pg_) {
    Cursor::Impl& m = *c->impl_;
    m.pg = true;
    const std::string text = store::internal::ToPgPlaceholders(sql);
    if (own_connection) {
      // An export: read in batches through a cursor, on a connection of its own, so that a slow
      // download never holds a pooled one.
      ODP_ASSIGN_OR_RETURN(m.pg_own, pg::Conn::Open(pg_->url()));
      ODP_RETURN_IF_ERROR(m.pg_own->Exec("BEGIN READ ONLY"));
      ODP_RETURN_IF_ERROR(m.pg_own->Query("DECLARE odp_export NO SCROLL CURSOR FOR " + text, PgParams(args)).status());
      m.more = true;
    } else {
      m.pg_lease = std::make_unique<pg::Tables::Lease>(*pg_);
      ODP_RETURN_IF_ERROR(m.pg_lease->status());
      ODP_ASSIGN_OR_RETURN(m.rows, (*m.pg_lease)->Query(text, PgParams(args), true));
      m.pg_lease.reset();  // the rows are here: the connection can serve others
    }
    c->types_ = std::move(types);
    return c;
  }
  if (own_connection) {
    ODP_RETURN_IF_ERROR(OpenConnection(db_->path, SQLITE_OPEN_READONLY, &c->impl_->own));
  } else {
    c->impl_->lease = std::make_unique<ReadLease>(*db_);
  }
  if (c->impl_->lease) {
    c->impl_->sql = sql;
    c->impl_->st.s = c->impl_->lease->statements().Take(sql);
  }
  if (!c->impl_->st.s) ODP_RETURN_IF_ERROR(Prepare(c->impl_->conn(), sql, c->impl_->st));
  for (size_t i = 0; i < args.size(); ++i) BindJson(c->impl_->st.s, static_cast<int>(i + 1), args[i]);
  c->types_ = std::move(types);
  return c;
}

std::string Datastore::TableSql(const TableInfo& t) const { return pg_ ? pg_->Ref(t.table) : Quote(t.table); }

Result<std::unique_ptr<Cursor>> Datastore::Open(const TableInfo& t, const Query& q) const {
  ODP_ASSIGN_OR_RETURN(Built b, BuildSelect(t, q, TableSql(t), pg_ ? pg_->schema() : std::string()));
  b.types.resize(b.visible);  // hidden sort keys are not shown to the caller
  // Pages borrow a pooled connection; unbounded reads (exports, which last as long as the
  // client downloads) open their own, so that slow downloads never starve the pool.
  const bool own = q.id_range || !(q.limit > 0 && q.limit <= 32000);
  ODP_ASSIGN_OR_RETURN(auto cursor, Prepared(b.sql, b.args, std::move(b.types), own));
  if (q.id_range && cursor->impl_->own) {
    // One snapshot for every range this cursor will read: a read transaction from the first
    // step to the cursor's end (a table replaced meanwhile stays readable here).
    ODP_RETURN_IF_ERROR(Exec(cursor->impl_->own, "BEGIN"));
  }
  return cursor;
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

Result<QueryResult> Datastore::Search(const TableInfo& t, const Query& q) const {
  QueryResult out;
  out.fields.push_back(IdField());
  for (auto& f : SelectedColumns(t, q)) out.fields.push_back(std::move(f));
  ODP_ASSIGN_OR_RETURN(Built b, BuildSelect(t, q, TableSql(t), pg_ ? pg_->schema() : std::string()));
  if (q.limit > 0) {
    // All columns, hidden sort keys included: the last row's keys make the `next` cursor.
    ODP_ASSIGN_OR_RETURN(auto cursor, Prepared(b.sql, b.args, b.types, false));
    while (cursor->Next()) {
      std::vector<json> r(b.visible);
      for (size_t c = 0; c < b.visible; ++c) r[c] = cursor->value(c);
      out.rows.push_back(std::move(r));
      if (static_cast<int64_t>(out.rows.size()) == q.limit) {
        std::vector<json> key;
        for (size_t k : b.key_columns) key.push_back(cursor->value(k));
        out.next = std::move(key);
      }
    }
    ODP_RETURN_IF_ERROR(cursor->status());
  }
  if (q.include_total) {
    if (b.where.empty()) {
      out.total = t.rows;
    } else {
      std::string key = t.table + b.where + json(b.where_args).dump();
      {
        std::lock_guard lock(db_->cache_mu);
        auto it = db_->totals.find(key);
        if (it != db_->totals.end()) out.total = it->second;
      }
      if (out.total < 0) {
        ODP_ASSIGN_OR_RETURN(auto count, Prepared("SELECT count(*) FROM " + TableSql(t) + b.where, b.where_args,
                                                  {ColumnType::kInteger}, false));
        if (!count->Next()) {
          if (!count->status().ok()) return count->status();
          return pg_ ? Status::Internal("datastore count: no row") : SqlError(count->impl_->conn(), "datastore count");
        }
        out.total = count->integer(0);
        std::lock_guard lock(db_->cache_mu);
        if (db_->totals.size() >= 10000) db_->totals.clear();
        db_->totals[key] = out.total;
      }
    }
  }
  return out;
}

Result<AggregateResult> Datastore::Aggregate(const TableInfo& t, const AggregateQuery& a) const {
  Status bad = BadQuery();
  std::vector<json> args;
  const bool pg = pg_ != nullptr;
  ODP_ASSIGN_OR_RETURN(std::string where, WhereClause(t, a.filter, args, pg ? pg_->schema() : std::string()));
  AggregateResult out;
  std::vector<ColumnType> types;
  std::string select, group, group_order;
  for (const auto& id : a.group_by) {
    const Field* f = FindField(t, id);
    if (!f) return bad.WithField("group_by", "Không có cột: " + id);
    select += (select.empty() ? "" : ", ") + Quote(id);
    group += (group.empty() ? "" : ", ") + Quote(id);
    group_order += (group_order.empty() ? "" : ", ") + Quote(id) + (pg ? " ASC NULLS FIRST" : "");
    out.columns.push_back(id);
    types.push_back(f->type);
  }
  std::vector<Metric> metrics = a.metrics;
  if (metrics.empty()) metrics.push_back({"count", ""});
  for (const auto& m : metrics) {
    std::string expr;
    ColumnType type = ColumnType::kInteger;
    if (m.fn == "count") {
      if (m.field.empty()) {
        expr = "count(*)";
      } else {
        if (!FindField(t, m.field)) return bad.WithField("metrics", "Không có cột: " + m.field);
        expr = "count(" + Quote(m.field) + ")";
      }
    } else if (m.fn == "sum" || m.fn == "avg" || m.fn == "min" || m.fn == "max") {
      const Field* f = FindField(t, m.field);
      if (!f) return bad.WithField("metrics", "Không có cột: " + m.field);
      bool numeric = f->type == ColumnType::kInteger || f->type == ColumnType::kNumber;
      if ((m.fn == "sum" || m.fn == "avg") && !numeric) {
        return bad.WithField("metrics", "Cột " + m.field + " không phải cột số, không thể tính " + m.fn);
      }
      // SQLite's total() is a sum that is 0.0, not NULL, over no rows.
      expr = m.fn == "sum" ? (pg ? "COALESCE(sum(" + Quote(m.field) + "), 0)" : "total(" + Quote(m.field) + ")")
                           : m.fn + "(" + Quote(m.field) + ")";
      type = m.fn == "avg" || m.fn == "sum" ? ColumnType::kNumber : f->type;
      if (m.fn == "sum" && f->type == ColumnType::kInteger) expr = "sum(" + Quote(m.field) + ")";
      if (m.fn == "sum" && f->type == ColumnType::kInteger) type = ColumnType::kInteger;
    } else {
      return bad.WithField("metrics", "Hàm không hỗ trợ: " + m.fn + " (count, sum, avg, min, max)");
    }
    select += (select.empty() ? "" : ", ") + expr;
    out.columns.push_back(m.field.empty() ? m.fn : m.fn + "_" + m.field);
    types.push_back(type);
  }
  std::string sql = "SELECT " + select + " FROM " + TableSql(t) + where;
  if (!group.empty()) {
    sql += " GROUP BY " + group + " ORDER BY " +
           (a.order_by_value ? std::to_string(a.group_by.size() + 1) + (pg ? " DESC NULLS LAST, " : " DESC, ") + group_order
                             : group_order);
  }
  sql += " LIMIT " + std::to_string(std::max<int64_t>(1, a.limit));
  if (pg) {
    ODP_ASSIGN_OR_RETURN(auto cursor, Prepared(sql, args, types, false));
    while (cursor->Next()) {
      std::vector<json> r(types.size());
      for (size_t c = 0; c < types.size(); ++c) r[c] = cursor->value(c);
      out.rows.push_back(std::move(r));
    }
    ODP_RETURN_IF_ERROR(cursor->status());
    return out;
  }
  ReadLease lease(*db_);
  Stmt st;
  ODP_RETURN_IF_ERROR(Prepare(lease.get(), sql, st));
  for (size_t i = 0; i < args.size(); ++i) BindJson(st.s, static_cast<int>(i + 1), args[i]);
  int rc;
  while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
    std::vector<json> r(types.size());
    for (size_t c = 0; c < types.size(); ++c) r[c] = ValueOf(st.s, static_cast<int>(c), types[c]);
    out.rows.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return SqlError(lease.get(), "datastore aggregate");
  return out;
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
    case SQLITE_READ:
      return SQLITE_OK;
    case SQLITE_FUNCTION:
      if (a2 && SqliteFunctionAllowed(AsciiLower(a2))) return SQLITE_OK;
      if (g->refused.empty()) g->refused = a2 ? a2 : "?";
      return SQLITE_DENY;
    default:
      break;
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
    ODP_RETURN_IF_ERROR(Prepare(c.db, "SELECT name FROM temp.sqlite_master WHERE type='view'", views));
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
    ODP_RETURN_IF_ERROR(Prepare(c.db,
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
    ODP_RETURN_IF_ERROR(Exec(c.db, "CREATE TEMP VIEW " + Quote(rid) + " AS SELECT * FROM main." + Quote(table)));
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
    ODP_RETURN_IF_ERROR(Prepare(c.db, std::string("SELECT name, tbl_name, rootpage FROM ") + schema + ".sqlite_master", st));
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
  for (const char* n : {"sqlite_master", "sqlite_schema", "sqlite_temp_master", "sqlite_temp_schema",
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
      while (sqlite3_step(st.s) == SQLITE_ROW) c.names.insert("pragma_" + AsciiLower(ColumnText(st.s, 0)));
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
  explicit SqlLease(Datastore::Db& db) : db_(db) {
    std::unique_lock lock(db.sql_mu);
    db.sql_cv.wait(lock, [&] { return !db.sql_idle.empty() || db.sql_open < Datastore::Db::kSqlConns; });
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
  Datastore::Db& db_;
  std::unique_ptr<SqlConn> conn_;
};

Status TooLong(const SqlLimits& limits) {
  return Status::Conflict("Query took too long", "Truy vấn chạy quá lâu (quá " +
                                                     std::to_string(limits.timeout_ms / 1000.0).substr(0, 4) +
                                                     " giây)");
}

}  // namespace

int64_t JsonWeight(std::string_view text) {
  int64_t w = static_cast<int64_t>(text.size()) + 2;
  for (char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    if (u < 0x20) w += 5;  // \u00XX
    if (ch == '"' || ch == '\\') w += 1;
  }
  return w;
}

Status AnswerTooLarge(int64_t limit) {
  const std::string mb = std::to_string(limit / (1 << 20));
  return Status::Conflict("the answer is larger than " + mb + " MB: select fewer columns or rows (LIMIT)",
                          "Kết quả truy vấn lớn hơn " + mb + " MB: hãy chọn ít cột hoặc ít dòng hơn (LIMIT)");
}

Result<SqlResult> Datastore::SearchSql(const std::string& sql, const std::function<bool(const std::string&)>& may_read,
                                       const SqlLimits& limits) const {
  if (pg_) return PgSearchSql(sql, may_read, limits);
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
    return Status::InvalidArgument("SQL error: " + *quoted + " stands where a name goes: write names in double quotes",
                                   "Lỗi SQL: " + *quoted + " đứng ở chỗ của một tên: hãy viết tên trong dấu nháy kép (\"ten\")");
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

  SqlGuard guard{std::chrono::steady_clock::now() + std::chrono::milliseconds(limits.timeout_ms), false, {}};
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
    return Status::PermissionDenied("not allowed: " + guard.refused,
                                    "Không được phép: " + guard.refused +
                                        " (chỉ một câu SELECT trên các bảng dữ liệu, với các hàm được phép)");
  };
  Stmt st;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v2(c.db, guarded.sql.c_str(), static_cast<int>(guarded.sql.size()), &st.s, &tail);
  if (rc == SQLITE_AUTH || (!guard.refused.empty() && rc != SQLITE_OK)) return refused();
  if (rc != SQLITE_OK) return sql_error(sqlite3_errmsg(c.db));
  if (!st.s) return Status::InvalidArgument("no SQL statement", "Không có câu lệnh SQL");
  for (const char* p = tail; p && *p; ++p) {
    if (!std::isspace(static_cast<unsigned char>(*p)) && *p != ';') {
      return Status::InvalidArgument("only one statement is allowed", "Chỉ được phép một câu lệnh SELECT");
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
    if (sqlite3_prepare_v2(c.db, explain.c_str(), static_cast<int>(explain.size()), &ex.s, nullptr) != SQLITE_OK) {
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
        case SQLITE_INTEGER: r[k] = sqlite3_column_int64(st.s, col); bytes += 8; break;
        case SQLITE_FLOAT: r[k] = sqlite3_column_double(st.s, col); bytes += 8; break;
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
    if (rc == SQLITE_TOOBIG) return Status::Conflict("a value grew too large", "Truy vấn tạo ra giá trị quá lớn");
    if (rc == SQLITE_NOMEM) return AnswerTooLarge(limits.max_answer_bytes);
    return sql_error(sqlite3_errmsg(c.db));
  }
  for (int col = 0; col < n; ++col) {
    const char* name = sqlite3_column_name(st.s, col);
    out.fields.emplace_back(guarded.Restore(name ? name : ""), SqlTypeName(first_types[static_cast<size_t>(col)]));
  }
  return out;
}

// ---- versions ----

std::vector<int> Datastore::Versions(const std::string& resource_id) const {
  if (pg_) return PgVersions(resource_id);
  std::vector<int> out;
  ReadLease lease(*db_);
  Stmt st;
  if (!Prepare(lease.get(), "SELECT version FROM ds_tables WHERE resource_id=?1 ORDER BY version", st).ok()) return out;
  sqlite3_bind_text(st.s, 1, resource_id.c_str(), -1, SQLITE_TRANSIENT);
  while (sqlite3_step(st.s) == SQLITE_ROW) out.push_back(sqlite3_column_int(st.s, 0));
  return out;
}

Result<VersionDiff> Datastore::Diff(const std::string& resource_id, int from, int to) const {
  ODP_ASSIGN_OR_RETURN(TableInfo a, Table(resource_id, from));
  ODP_ASSIGN_OR_RETURN(TableInfo b, Table(resource_id, to));
  VersionDiff d;
  d.from = a.version;
  d.to = b.version;
  std::vector<std::string> common;
  for (const auto& f : b.fields) {
    if (FindField(a, f.id)) {
      common.push_back(f.id);
    } else {
      d.added_columns.push_back(f.id);
    }
  }
  for (const auto& f : a.fields) {
    if (!FindField(b, f.id)) d.removed_columns.push_back(f.id);
  }
  if (common.empty()) {
    d.added = b.rows;
    d.removed = a.rows;
    return d;
  }
  bool keyed = !b.primary_key.empty() && b.primary_key == a.primary_key;
  const std::string A = TableSql(a), B = TableSql(b);
  const bool pg = pg_ != nullptr;
  // PostgreSQL compares a column across versions as text: its type may have changed.
  auto col = [&](const std::string& prefix, const std::string& c) {
    return pg ? "CAST(" + prefix + Quote(c) + " AS TEXT)" : prefix + Quote(c);
  };
  auto count = [&](const std::string& sql) -> Result<int64_t> {
    if (pg) {
      ODP_ASSIGN_OR_RETURN(auto cursor, Prepared(sql, {}, {ColumnType::kInteger}, false));
      if (!cursor->Next()) return cursor->status().ok() ? Status::Internal("datastore diff: no row") : cursor->status();
      return cursor->integer(0);
    }
    ReadLease lease(*db_);
    Stmt st;
    ODP_RETURN_IF_ERROR(Prepare(lease.get(), sql, st));
    if (sqlite3_step(st.s) != SQLITE_ROW) return SqlError(lease.get(), "datastore diff");
    return sqlite3_column_int64(st.s, 0);
  };
  if (keyed) {
    d.key = b.primary_key;
    std::string on, differs;
    for (const auto& k : d.key) on += (on.empty() ? "" : " AND ") + (col("x.", k) + " = " + col("y.", k));
    for (const auto& c : common) {
      if (std::find(d.key.begin(), d.key.end(), c) != d.key.end()) continue;
      differs += (differs.empty() ? "" : " OR ") +
                 (col("x.", c) + (pg ? " IS DISTINCT FROM " : " IS NOT ") + col("y.", c));
    }
    ODP_ASSIGN_OR_RETURN(d.added, count("SELECT count(*) FROM " + B + " x WHERE NOT EXISTS (SELECT 1 FROM " + A +
                                        " y WHERE " + on + ")"));
    ODP_ASSIGN_OR_RETURN(d.removed, count("SELECT count(*) FROM " + A + " y WHERE NOT EXISTS (SELECT 1 FROM " + B +
                                          " x WHERE " + on + ")"));
    if (!differs.empty()) {
      ODP_ASSIGN_OR_RETURN(d.changed, count("SELECT count(*) FROM " + B + " x JOIN " + A + " y ON " + on +
                                            " WHERE " + differs));
    }
    return d;
  }
  std::string cols;
  for (const auto& c : common) cols += (cols.empty() ? "" : ", ") + col("", c);
  ODP_ASSIGN_OR_RETURN(d.added, count("SELECT count(*) FROM (SELECT " + cols + " FROM " + B + " EXCEPT SELECT " +
                                      cols + " FROM " + A + ") AS d"));
  ODP_ASSIGN_OR_RETURN(d.removed, count("SELECT count(*) FROM (SELECT " + cols + " FROM " + A + " EXCEPT SELECT " +
                                        cols + " FROM " + B + ") AS d"));
  return d;
}

// ---- shared helpers ----

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
    if (v.is_string()) {
      formats::AppendDelimitedCell(out, v.get_ref<const std::string&>(), delimiter);
    } else {
      formats::AppendDelimitedCell(out, v.is_boolean() ? (v.get<bool>() ? "true" : "false") : v.dump(), delimiter);
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
