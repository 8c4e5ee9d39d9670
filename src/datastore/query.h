// The datastore's query language: filters, full-text `q`, sorting, keyset paging, aggregates,
// the SQL endpoint's answer, and the cursor that reads a query's rows one at a time. What a
// query means is the same on every back-end (datastore/backend.h); how it runs is theirs.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "access/masks.h"
#include "base/status.h"
#include "datastore/table.h"

namespace odp::datastore {

// A condition of the REST filter grammar (docs/api.md): `field[op]=value`.
enum class Op { kEq, kNe, kLt, kLe, kGt, kGe, kIn, kContains, kStartsWith, kIsNull, kNotNull };
// "eq", "ne", "lt", "lte", "gt", "gte", "in", "contains", "startswith", "null", "notnull".
const char* OpName(Op op);
std::optional<Op> ParseOp(std::string_view name);

struct Condition {
  std::string field;
  Op op = Op::kEq;
  std::vector<std::string> values;  // one, or several for kIn; none for the null tests
};

struct Query {
  std::map<std::string, std::vector<std::string>> filters;  // field id -> accepted values (OR)
  std::vector<Condition> where;                             // all must hold (AND)
  std::string q;  // words found in the text columns, compared folded (tone marks and case ignored)
  std::vector<std::string> fields;                 // empty: all
  std::vector<std::pair<std::string, bool>> sort;  // field id, descending
  int64_t limit = 100;  // Search: 0 gives no rows (counts only); Open/Scan: 0 means no limit
  int64_t offset = 0;
  bool include_total = true;
  // Keyset paging: the sort key (the sort fields' values, then `_id`) of the last row already
  // seen; rows after it are returned. A page deep in a table costs the same as the first.
  std::optional<std::vector<nlohmann::json>> after;
  // Only rows with first < _id <= second. A cursor opened with a range reads one snapshot of
  // the table and can be restarted on another range (Cursor::Restart): exports read a table in
  // ranges on several threads (where the back-end can, Datastore::reads_ranges_in_parallel).
  std::optional<std::pair<int64_t, int64_t>> id_range;
  // Columns shown masked (access/masks.h; a grant's): Search, Open and Scan return their masked
  // values, and SelectedColumns their masked types (text, or integer for a year). `mask_key`
  // keys the hash mask. The back-ends never see masks: Datastore applies them to what they
  // return. REQUIRES: no mask of kind drop (a dropped column is left out of the fields), and no
  // filter, sort or `q` on a masked column (they would select by the hidden value; the API
  // refuses them).
  access::ColumnMasks masks;
  std::string mask_key;
};

// Checks that every value `conditions` compare with is one its column of `t` can hold, read as
// the REST filters read it (a number for integer and number columns, YYYY-MM-DD for dates, …);
// null tests, contains and startswith take any text. A caller's query may hold such a value
// (an equality then matches nothing, an order comparison is refused by the query itself); a
// grant's row filter may not, since it would silently grant nothing. kInvalidArgument names
// the first bad column and value (the value cut at 100 bytes); unknown columns are the
// caller's to report.
Status CheckConditionValues(const TableInfo& t, const std::vector<Condition>& conditions);

// The columns a query returns after `_id`, in order: `q.fields` as asked (unknown ids left out),
// else all of the table's; a masked column with the type of its masked values.
std::vector<Field> SelectedColumns(const TableInfo& t, const Query& q);

struct QueryResult {
  std::vector<Field> fields;  // the selected ones, in order (with "_id" first)
  std::vector<std::vector<nlohmann::json>> rows;
  int64_t total = -1;  // -1 when not asked
  // The sort key of the last row when the page is full (more rows may follow): pass it as
  // Query::after for the next page.
  std::optional<std::vector<nlohmann::json>> next;
};

// Group-by with aggregate functions, for charts: `SELECT g…, fn(field)… GROUP BY g…`.
struct Metric {
  std::string fn;     // "count", "sum", "avg", "min", "max"
  std::string field;  // empty for count
};
struct AggregateQuery {
  Query filter;                       // its filters, where and q select the rows
  std::vector<std::string> group_by;  // none: one row over the whole selection
  std::vector<Metric> metrics;        // none: count
  int64_t limit = 1000;               // groups
  bool order_by_value = false;        // largest first metric first, else by the group columns
};
struct AggregateResult {
  std::vector<std::string> columns;  // group ids then "count", "sum_dien_tich", …
  std::vector<std::vector<nlohmann::json>> rows;
};

// The answer to one read-only SQL query (CKAN datastore_search_sql).
struct SqlResult {
  std::vector<std::pair<std::string, std::string>>
      fields;  // name, CKAN type ("int", "numeric", "text")
  std::vector<std::vector<nlohmann::json>> rows;
  bool truncated = false;
};
struct SqlLimits {
  int64_t max_rows = 32000;
  int timeout_ms = 5000;
  int max_value_bytes = 16 << 20;  // the longest text or blob a query may build
  // The whole answer's values (text and blob bytes, 8 per number): beyond it the query is
  // stopped and refused (Conflict) rather than its rows piled up in memory.
  int64_t max_answer_bytes = 32 << 20;
};

// One cell of a row read whole (Cursor::ReadRow): an integer or boolean in `i`, a number in
// `d`, text as `len` bytes (its pointer beside it). `off` is the reader's own (exports keep the
// text's offset in a buffer there).
struct RowCell {
  int64_t i = 0;
  double d = 0;
  uint32_t off = 0, len = 0;
  bool null = true;
};

// Rows of one query, read one at a time (exports). Holds a read connection of its back-end
// until destroyed. Column 0 is `_id`, then the selected fields in order. Used by one thread at a
// time.
class Cursor {
 public:
  virtual ~Cursor() = default;
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;

  virtual bool Next() = 0;  // false at the end or on an error (see status())
  virtual Status status() const = 0;
  size_t columns() const { return types_.size(); }
  ColumnType type(size_t c) const { return types_[c]; }
  // The current row's cells (valid until the next call to Next()).
  virtual bool is_null(size_t c) const = 0;
  virtual int64_t integer(size_t c) const = 0;  // 0 when null
  virtual double number(size_t c) const = 0;    // 0 when null
  virtual std::string_view text(size_t c) const = 0;
  virtual nlohmann::json value(size_t c) const = 0;
  // Every cell of the current row at once, for a reader that takes them all (exports): one
  // call per row, not per cell. `cells` and `texts` have columns() entries; a text cell's bytes
  // are `texts[c]` (NUL-terminated, valid until the next call to Next()). Returns the text
  // bytes read, each text counted with its terminating NUL.
  virtual size_t ReadRow(RowCell* cells, const char** texts) const = 0;
  int64_t rows_read() const { return rows_; }
  // A cursor opened with Query::id_range, where the back-end reads ranges (see
  // Datastore::reads_ranges_in_parallel): reads the rows of (first, last] next, in the same
  // snapshot of the table.
  virtual Status Restart(int64_t first, int64_t last) = 0;

 protected:
  explicit Cursor(std::vector<ColumnType> types) : types_(std::move(types)) {}
  std::vector<ColumnType> types_;
  int64_t rows_ = 0;  // rows returned by Next() so far
};

}  // namespace odp::datastore
