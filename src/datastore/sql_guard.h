// What `datastore_search_sql` lets a caller's SQL name and call, decided from the text of the
// statement before either database sees it, on both back-ends.
//
// The SQL endpoint must answer a table the caller may not read exactly as it answers a table
// that does not exist: the same error, in the same order as the database would report it, the
// same column names. Both databases resolve names while they compile, so the only way to make a
// hidden table absent for one caller is to take its name out of the statement: every identifier
// that names something the caller may not use is replaced by a fresh name that names nothing,
// and the database's own answer (an error, column names) is mapped back to the caller's spelling.
// The databases then check what the compiled statement opens (SQLite: the cursors of its
// program, query.cpp; PostgreSQL: the relations of its plan, pg_backend.cpp) as a second line.
//
// The tokenizers follow SQLite's tokenize.c and PostgreSQL's scan.l closely enough that no
// identifier either database sees is missed: strings, quoted identifiers, comments, numbers
// and parameters are skipped as the databases skip them.
//
// The SQL endpoint (`SearchSql`, for CKAN `datastore_search_sql`) runs one caller's statement
// on a connection of its own, leased from a small pool (`kSqlConns`, 4; the HTTP server's SQL lane
// bounds how many run at once), opened `SQLITE_OPEN_READONLY` with `ATTACH` disabled (limit 0),
// double-quoted strings off (`"x"` is always a name), values limited to 256 KiB, LIKE/GLOB patterns
// to 1,000 bytes and statements to 100,000 bytes. `docs/security.md` says what it lets through.
//
// - Views and names per connection. Each connection has one `TEMP VIEW` per resource, named
//   by the resource id, over its newest table, made again whenever `data_version` has changed
//   (the current rows of `ds_tables` are read first and the views created afterwards, because a
//   schema change would stop a statement that is still stepping). With them it keeps: every table
//   name (older versions' too) and view name with its resource id; every other name the caller
//   must not see (the schema's, `sqlite_master`, PRAGMA functions, modules); the root page of
//   every table and index; and the virtual-table addresses of `json_each` and `json_tree` as
//   `EXPLAIN` shows them.
// - Names first (`sql_guard.h`). The statement is tokenised as SQLite tokenises it; a string
//   literal where SQLite would read a name is refused; every name of something the caller may not
//   read is replaced by a fresh name (same length, case and quoting) that names nothing, so that
//   SQLite itself answers exactly as for a missing table; the caller's spellings are put back in
//   errors and column names. Whether the caller may read a resource is asked once per resource
//   and statement, through the `may_read` function that `ckan.cpp` passes:
//   `CatalogService::GetResource(who, rid).ok()`, the download's rule.
// - The authorizer allows `SELECT`, reads, recursive CTEs and allowlisted functions only.
// - The program. Before the statement runs, its `EXPLAIN` program is read: every `OpenRead`
//   must be on a permitted table or one of its indexes in `main`, every `VOpen` on `json_each` or
//   `json_tree`, every function call allowlisted; no `OpenWrite`. This catches what the names
//   missed, since SQLite does not ask the authorizer about columns that `USING` and `NATURAL`
//   joins use implicitly.
// - The progress handler runs every 1,000 virtual-machine steps and stops the statement once
//   it has run its time (`SqlLimits::timeout_ms`: 5 s, 2 s for anonymous callers): `kConflict`
//   "Query took too long".
// - Afterwards, text after the first statement other than spaces and `;` is refused;
//   `sqlite3_stmt_readonly` must hold and `EXPLAIN` is refused; at most 32,000 rows are read
//   (`max_rows`), and then the result is marked truncated; the answer's weight (values with their
//   JSON escapes, and every column name again per row) is counted as rows are read, and past
//   `max_answer_bytes` (32 MiB) the query is stopped: `kConflict`. Column types are named from
//   the first non-NULL value of each column (`int`, `numeric`, `text`).
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace odp::datastore {

enum class SqlDialect { kSqlite, kPostgres };

struct SqlToken {
  enum Kind {
    kIdentifier,  // bare or quoted; `text` is its name (dequoted), `quoted` tells which
    kString,      // a string or blob literal
    kNumber,
    kParameter,  // ?1, :name, @name, $name, $1
    kPunct,      // one operator or punctuation sequence
  };
  Kind kind;
  size_t begin = 0;  // byte range in the statement
  size_t end = 0;
  std::string text;  // identifiers: the name; others: the bytes
  bool quoted = false;
  char quote = 0;             // the opening quote of a quoted name: '"', '`' or '['
  bool unterminated = false;  // a string, quoted name or comment that runs to the end
};

// The tokens of `sql` (comments and white space dropped). Unterminated strings, quoted names
// and comments run to the end, as in the databases (which then refuse the statement).
std::vector<SqlToken> TokenizeSql(std::string_view sql, SqlDialect dialect);

// ASCII lower case: how both databases compare unquoted names.
std::string AsciiLower(std::string_view s);

// The statement with names taken out. `hidden(name)` is asked for every identifier (lower
// case for SQLite, where all names compare without case; as PostgreSQL folds it otherwise) and
// answers whether the caller may not use it.
struct GuardedSql {
  std::string sql;  // what the database runs
  // Fresh name -> the caller's spelling of its first occurrence.
  std::vector<std::pair<std::string, std::string>> renamed;
  // Puts the caller's names back into something the database said (errors, column names).
  std::string Restore(std::string_view text) const;
};
// Each hidden name gets a fresh name of the same length made of letters, spelt with the same
// case pattern and quoted the same way as each occurrence, so that the database's messages and
// column names say exactly what they would say of a missing table; unterminated quoted names
// are left alone (the database refuses them before it looks names up).
GuardedSql HideNames(std::string_view sql, SqlDialect dialect,
                     const std::function<bool(const std::string&)>& hidden);

// SQLite only: the first string literal that stands where SQLite would read it as a name
// (`FROM 'x'`, `'t'.c`, `AS 'a'`, `USING ('c')`, a common table expression's name or
// columns), or nullopt. Such statements are refused whatever the string says: a name in
// quotes would escape HideNames, and refusing only the names that exist would tell which do.
std::optional<std::string> SqliteStringAsName(std::string_view sql);

// Functions a caller may call, by lower-case name. Everything else (extension loading,
// tokenizer registration, file and catalogue functions, functions that make huge values from
// tiny input such as zeroblob, randomblob, repeat or lpad) is refused.
bool SqliteFunctionAllowed(std::string_view lower_name);
bool PostgresFunctionAllowed(std::string_view lower_name);

// PostgreSQL only: the first name the statement may not use, or nullopt. Refuses calls of
// functions outside the allowlist (a name followed by "(" that is neither an allowed function,
// a keyword taking parentheses, a common table expression's or an alias's column list),
// object-identifier types (`::regclass` and kin, which look names up), XML functions, and
// functions qualified by any schema but pg_catalog. `keywords`: the server's keywords
// (pg_get_keywords()), lower case.
std::optional<std::string> PostgresForbidden(std::string_view sql,
                                             const std::set<std::string>& keywords);
// PostgreSQL only: `sql` with each LIKE, ILIKE, NOT LIKE and NOT ILIKE written as the same
// match by regular expression (`~`, `~*`, `!~`, `!~*` with the pattern translated), or the
// reason it is refused. PostgreSQL's LIKE never checks for cancellation: one call on a value
// built in the query (megabytes from string_agg) with a long pattern runs for minutes past
// statement_timeout, while its regular expressions stop when cancelled. So a pattern must be
// one plain string literal ('…', at most 1,000 bytes, with an optional literal ESCAPE) that
// nothing of higher precedence follows; the operators `~~` and kin, and LIKE with a computed
// pattern or ANY/ALL, are refused. The regular expression goes in the literal's place, so the
// left operand and the operator's precedence (just below other operators) are unchanged.
Result<std::string> PostgresLikeAsRegex(std::string_view sql);

// A built-in list of PostgreSQL 15's keywords, for when the server's cannot be read.
const std::set<std::string>& PostgresKeywordsFallback();

}  // namespace odp::datastore
