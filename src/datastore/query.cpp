// The structured reads on both back-ends (sql_backend.h): a Query as SQL — filters, full text,
// sorting, keyset paging — pages, counts, cursors for exports, aggregates and version diffs.
#include <algorithm>

#include "datastore/internal.h"
#include "datastore/sql_backend.h"
#include "text/vietnamese.h"

namespace odp::datastore {

using json = nlohmann::json;

namespace {

const Field* FindField(const TableInfo& t, const std::string& id) {
  if (id == "_id") return &IdField();
  for (const auto& f : t.fields) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

Status BadQuery() {
  return Status::InvalidArgument("invalid datastore query", "Truy vấn dữ liệu không hợp lệ");
}

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
// the words split as the loader split them (pg_backend.cpp).
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
  if (!t.stored_text_columns.empty()) {  // a view: the place among the stored table's columns
    for (const auto& id : t.stored_text_columns) {
      ++k;
      if (id == f.id) break;
    }
    return "split_part(_fold, E'\\x1f', " + std::to_string(k) + ")";
  }
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
        std::string target = f->type == ColumnType::kString
                                 ? (pg ? PgFolded(t, *f) : "odp_fold(" + col + ")")
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
      bad.WithField(c.field, "Giá trị không đúng kiểu " + std::string(ToString(f->type)) + ": " +
                                 c.values[0]);
      has_bad = true;
      continue;
    }
    const char* sql_op = c.op == Op::kLt   ? " < ?"
                         : c.op == Op::kLe ? " <= ?"
                         : c.op == Op::kGt ? " > ?"
                                           : " >= ?";
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
    return Status::InvalidArgument("the cursor does not fit the sort",
                                   "Con trỏ trang không khớp với cách sắp xếp");
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
  std::vector<ColumnType> types;    // of every selected column, hidden sort keys included
  size_t visible = 0;               // columns returned to the caller
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
          (q.limit > 0 ? std::to_string(q.limit)
           : pg        ? "ALL"
                       : "-1") +
          " OFFSET " + std::to_string(q.offset);
  b.args = std::move(where_args);
  return b;
}

// What a column of `type` holds, for people.
std::string TypeLabelVi(ColumnType type) {
  switch (type) {
    case ColumnType::kInteger: return "số nguyên";
    case ColumnType::kNumber: return "số";
    case ColumnType::kBoolean: return "đúng/sai (true/false)";
    case ColumnType::kDate: return "ngày (YYYY-MM-DD)";
    case ColumnType::kDatetime: return "ngày giờ (YYYY-MM-DDTHH:MM:SS)";
    case ColumnType::kString: return "văn bản";
  }
  return "văn bản";
}

}  // namespace

Status CheckConditionValues(const TableInfo& t, const std::vector<Condition>& conditions) {
  for (const Condition& c : conditions) {
    const Field* f = FindField(t, c.field);
    if (f == nullptr) continue;
    switch (c.op) {
      case Op::kIsNull:
      case Op::kNotNull:
      case Op::kContains:
      case Op::kStartsWith: continue;  // no value, or compared as text
      default: break;
    }
    for (const std::string& v : c.values) {
      if (StoredValue(*f, v)) continue;
      const std::string shown = v.size() > 100 ? v.substr(0, 100) + "…" : v;
      return Status::InvalidArgument("column " + c.field + " holds " + ToString(f->type) +
                                         " values; \"" + shown + "\" is not one",
                                     "Cột " + c.field + " chứa giá trị kiểu " +
                                         TypeLabelVi(f->type) + "; \"" + shown +
                                         "\" không phải giá trị kiểu đó")
          .WithField(c.field, "Giá trị không đúng kiểu " + TypeLabelVi(f->type) + ": " + shown);
    }
  }
  return Status::Ok();
}

void SqlBackend::Invalidate() {
  std::lock_guard lock(cache_.mu);
  cache_.tables.clear();
}

Result<std::unique_ptr<Cursor>> SqlBackend::Open(const TableInfo& t, const Query& q) const {
  ODP_ASSIGN_OR_RETURN(Built b, BuildSelect(t, q, ReadSource(t), functions_schema_));
  b.types.resize(b.visible);  // hidden sort keys are not shown to the caller
  // Pages borrow a pooled connection; unbounded reads (exports, which last as long as the
  // client downloads) open their own, so that slow downloads never starve the pool.
  const bool own = q.id_range || !(q.limit > 0 && q.limit <= 32000);
  return Run(b.sql, b.args, std::move(b.types),
             q.id_range ? ReadMode::kRanges
             : own      ? ReadMode::kStream
                        : ReadMode::kPage);
}

Result<QueryResult> SqlBackend::Search(const TableInfo& t, const Query& q) const {
  QueryResult out;
  out.fields.push_back(IdField());
  for (auto& f : SelectedColumns(t, q)) out.fields.push_back(std::move(f));
  ODP_ASSIGN_OR_RETURN(Built b, BuildSelect(t, q, ReadSource(t), functions_schema_));
  if (q.limit > 0) {
    // All columns, hidden sort keys included: the last row's keys make the `next` cursor.
    ODP_ASSIGN_OR_RETURN(auto cursor, Run(b.sql, b.args, b.types, ReadMode::kPage));
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
        std::lock_guard lock(cache_.mu);
        auto it = cache_.totals.find(key);
        if (it != cache_.totals.end()) out.total = it->second;
      }
      if (out.total < 0) {
        ODP_ASSIGN_OR_RETURN(auto count,
                             Run("SELECT count(*) FROM " + ReadSource(t) + b.where, b.where_args,
                                 {ColumnType::kInteger}, ReadMode::kPage));
        if (!count->Next()) {
          if (!count->status().ok()) return count->status();
          return Status::Internal("datastore count: no row");
        }
        out.total = count->integer(0);
        std::lock_guard lock(cache_.mu);
        if (cache_.totals.size() >= 10000) cache_.totals.clear();
        cache_.totals[key] = out.total;
      }
    }
  }
  return out;
}

Result<AggregateResult> SqlBackend::Aggregate(const TableInfo& t, const AggregateQuery& a) const {
  Status bad = BadQuery();
  std::vector<json> args;
  const bool pg = dialect_ == SqlDialect::kPostgres;
  ODP_ASSIGN_OR_RETURN(std::string where, WhereClause(t, a.filter, args, functions_schema_));
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
        return bad.WithField("metrics",
                             "Cột " + m.field + " không phải cột số, không thể tính " + m.fn);
      }
      // SQLite's total() is a sum that is 0.0, not NULL, over no rows.
      expr = m.fn == "sum" ? (pg ? "COALESCE(sum(" + Quote(m.field) + "), 0)"
                                 : "total(" + Quote(m.field) + ")")
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
  std::string sql = "SELECT " + select + " FROM " + ReadSource(t) + where;
  if (!group.empty()) {
    sql += " GROUP BY " + group + " ORDER BY " +
           (a.order_by_value ? std::to_string(a.group_by.size() + 1) +
                                   (pg ? " DESC NULLS LAST, " : " DESC, ") + group_order
                             : group_order);
  }
  sql += " LIMIT " + std::to_string(std::max<int64_t>(1, a.limit));
  ODP_ASSIGN_OR_RETURN(auto cursor, Run(sql, args, types, ReadMode::kPage));
  while (cursor->Next()) {
    std::vector<json> r(types.size());
    for (size_t c = 0; c < types.size(); ++c) r[c] = cursor->value(c);
    out.rows.push_back(std::move(r));
  }
  ODP_RETURN_IF_ERROR(cursor->status());
  return out;
}

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
  return Status::Conflict(
      "the answer is larger than " + mb + " MB: select fewer columns or rows (LIMIT)",
      "Kết quả truy vấn lớn hơn " + mb + " MB: hãy chọn ít cột hoặc ít dòng hơn (LIMIT)");
}

// ---- versions ----

Result<VersionDiff> SqlBackend::Diff(const TableInfo& a, const TableInfo& b) const {
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
  const std::string A = ReadSource(a), B = ReadSource(b);
  const bool pg = dialect_ == SqlDialect::kPostgres;
  // PostgreSQL compares a column across versions as text: its type may have changed.
  auto col = [&](const std::string& prefix, const std::string& c) {
    return pg ? "CAST(" + prefix + Quote(c) + " AS TEXT)" : prefix + Quote(c);
  };
  auto count = [&](const std::string& sql) -> Result<int64_t> {
    ODP_ASSIGN_OR_RETURN(auto cursor, Run(sql, {}, {ColumnType::kInteger}, ReadMode::kPage));
    if (!cursor->Next())
      return cursor->status().ok() ? Status::Internal("datastore diff: no row") : cursor->status();
    return cursor->integer(0);
  };
  if (keyed) {
    d.key = b.primary_key;
    std::string on, differs;
    for (const auto& k : d.key)
      on += (on.empty() ? "" : " AND ") + (col("x.", k) + " = " + col("y.", k));
    for (const auto& c : common) {
      if (std::find(d.key.begin(), d.key.end(), c) != d.key.end()) continue;
      differs += (differs.empty() ? "" : " OR ") +
                 (col("x.", c) + (pg ? " IS DISTINCT FROM " : " IS NOT ") + col("y.", c));
    }
    ODP_ASSIGN_OR_RETURN(
        d.added, count("SELECT count(*) FROM " + B + " x WHERE NOT EXISTS (SELECT 1 FROM " + A +
                       " y WHERE " + on + ")"));
    ODP_ASSIGN_OR_RETURN(
        d.removed, count("SELECT count(*) FROM " + A + " y WHERE NOT EXISTS (SELECT 1 FROM " + B +
                         " x WHERE " + on + ")"));
    if (!differs.empty()) {
      ODP_ASSIGN_OR_RETURN(d.changed, count("SELECT count(*) FROM " + B + " x JOIN " + A +
                                            " y ON " + on + " WHERE " + differs));
    }
    return d;
  }
  std::string cols;
  for (const auto& c : common) cols += (cols.empty() ? "" : ", ") + col("", c);
  ODP_ASSIGN_OR_RETURN(d.added, count("SELECT count(*) FROM (SELECT " + cols + " FROM " + B +
                                      " EXCEPT SELECT " + cols + " FROM " + A + ") AS d"));
  ODP_ASSIGN_OR_RETURN(d.removed, count("SELECT count(*) FROM (SELECT " + cols + " FROM " + A +
                                        " EXCEPT SELECT " + cols + " FROM " + B + ") AS d"));
  return d;
}

}  // namespace odp::datastore
