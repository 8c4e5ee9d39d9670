#include "datastore/sql_guard.h"

#include <algorithm>
#include <array>
#include <map>

#include <sqlite3.h>

#include "base/ids.h"

namespace odp::datastore {

namespace {

bool IsSpace(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool IsHex(unsigned char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool IsAlpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
// Characters that may start a bare name, and that may continue one ('$' continues only).
bool IdStart(unsigned char c) { return IsAlpha(c) || c == '_' || c >= 0x80; }
bool IdChar(unsigned char c) { return IdStart(c) || IsDigit(c) || c == '$'; }

// A quoted run from `i` (at the opening quote) to past its closing quote, a doubled closing
// quote standing for one; `name` gets what it holds. Unterminated: to the end.
size_t Quoted(std::string_view s, size_t i, char close, bool doubled, std::string* name,
              bool* open = nullptr) {
  if (open) *open = false;
  size_t j = i + 1;
  while (j < s.size()) {
    if (s[j] == close) {
      if (doubled && j + 1 < s.size() && s[j + 1] == close) {
        if (name) *name += close;
        j += 2;
        continue;
      }
      return j + 1;
    }
    if (name) *name += s[j];
    ++j;
  }
  if (open) *open = true;
  return s.size();
}

// SQLite's number: hex, or digits with a fraction and an exponent; any name characters
// straight after belong to the same (then illegal) token, as in tokenize.c.
size_t SqliteNumber(std::string_view s, size_t i) {
  size_t j = i;
  auto at = [&](size_t k) -> unsigned char {
    return k < s.size() ? static_cast<unsigned char>(s[k]) : 0;
  };
  if (at(j) == '0' && (at(j + 1) == 'x' || at(j + 1) == 'X') && IsHex(at(j + 2))) {
    j += 2;
    while (IsHex(at(j))) ++j;
  } else {
    while (IsDigit(at(j))) ++j;
    if (at(j) == '.') {
      ++j;
      while (IsDigit(at(j))) ++j;
    }
    if ((at(j) == 'e' || at(j) == 'E') &&
        (IsDigit(at(j + 1)) || ((at(j + 1) == '+' || at(j + 1) == '-') && IsDigit(at(j + 2))))) {
      j += 2;
      while (IsDigit(at(j))) ++j;
    }
  }
  while (IdChar(at(j))) ++j;
  return j;
}

std::vector<SqlToken> TokenizeSqlite(std::string_view s) {
  std::vector<SqlToken> out;
  size_t i = 0;
  auto at = [&](size_t k) -> unsigned char {
    return k < s.size() ? static_cast<unsigned char>(s[k]) : 0;
  };
  while (i < s.size()) {
    const unsigned char c = at(i);
    SqlToken t{SqlToken::kPunct, i, i + 1, {}, false};
    if (IsSpace(c)) {
      ++i;
      continue;
    }
    // SQLite reads a byte-order mark as white space.
    if (c == 0xEF && at(i + 1) == 0xBB && at(i + 2) == 0xBF) {
      i += 3;
      continue;
    }
    if (c == '-' && at(i + 1) == '-') {
      while (i < s.size() && s[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && at(i + 1) == '*') {
      size_t e = s.find("*/", i + 2);
      i = e == std::string_view::npos ? s.size() : e + 2;
      continue;
    }
    if (c == '\'') {
      t.kind = SqlToken::kString;
      t.end = Quoted(s, i, '\'', true, nullptr, &t.unterminated);
    } else if ((c == 'x' || c == 'X') && at(i + 1) == '\'') {
      t.kind = SqlToken::kString;
      t.end = Quoted(s, i + 1, '\'', false, nullptr, &t.unterminated);
    } else if (c == '"' || c == '`') {
      t.kind = SqlToken::kIdentifier;
      t.quoted = true;
      t.quote = static_cast<char>(c);
      t.end = Quoted(s, i, static_cast<char>(c), true, &t.text, &t.unterminated);
    } else if (c == '[') {
      t.kind = SqlToken::kIdentifier;
      t.quoted = true;
      t.quote = '[';
      t.end = Quoted(s, i, ']', false, &t.text, &t.unterminated);
    } else if (IdStart(c)) {
      size_t j = i + 1;
      while (IdChar(at(j))) ++j;
      t.kind = SqlToken::kIdentifier;
      t.end = j;
      t.text = std::string(s.substr(i, j - i));
    } else if (IsDigit(c) || (c == '.' && IsDigit(at(i + 1)))) {
      t.kind = SqlToken::kNumber;
      t.end = SqliteNumber(s, i);
    } else if (c == '?') {
      size_t j = i + 1;
      while (IsDigit(at(j))) ++j;
      t.kind = SqlToken::kParameter;
      t.end = j;
    } else if (c == ':' || c == '@' || c == '#' || c == '$') {
      // As tokenize.c reads variables, with Tcl's "$a::b" and "$a(x y)" forms.
      size_t j = i + 1;
      int n = 0;
      while (j < s.size()) {
        const unsigned char d = at(j);
        if (IdChar(d)) {
          ++n;
          ++j;
        } else if (d == '(' && n > 0) {
          do {
            ++j;
          } while (j < s.size() && !IsSpace(at(j)) && at(j) != ')');
          if (at(j) == ')') ++j;
          break;
        } else if (d == ':' && at(j + 1) == ':') {
          j += 2;
        } else {
          break;
        }
      }
      t.kind = SqlToken::kParameter;
      t.end = j;
    } else {
      // Two-character operators matter to no decision here; one byte each.
      t.end = i + 1;
    }
    if (t.kind != SqlToken::kIdentifier) t.text = std::string(s.substr(t.begin, t.end - t.begin));
    i = t.end;
    out.push_back(std::move(t));
  }
  return out;
}

bool PgOpChar(unsigned char c) {
  return std::string_view("+-*/<>=~!@#%^&|`?").find(static_cast<char>(c)) != std::string_view::npos;
}

// The end of a dollar-quoted string starting at `i` ("$tag$"), or npos when `i` starts none.
size_t PgDollarQuote(std::string_view s, size_t i) {
  size_t j = i + 1;
  if (j < s.size() && IdStart(static_cast<unsigned char>(s[j]))) {
    ++j;
    while (j < s.size() &&
           (IdStart(static_cast<unsigned char>(s[j])) || IsDigit(static_cast<unsigned char>(s[j]))))
      ++j;
  }
  if (j >= s.size() || s[j] != '$') return std::string_view::npos;
  std::string_view tag = s.substr(i, j - i + 1);
  size_t e = s.find(tag, j + 1);
  return e == std::string_view::npos ? s.size() : e + tag.size();
}

std::vector<SqlToken> TokenizePostgres(std::string_view s) {
  std::vector<SqlToken> out;
  size_t i = 0;
  auto at = [&](size_t k) -> unsigned char {
    return k < s.size() ? static_cast<unsigned char>(s[k]) : 0;
  };
  while (i < s.size()) {
    const unsigned char c = at(i);
    SqlToken t{SqlToken::kPunct, i, i + 1, {}, false};
    if (IsSpace(c)) {
      ++i;
      continue;
    }
    if (c == '-' && at(i + 1) == '-') {
      while (i < s.size() && s[i] != '\n' && s[i] != '\r') ++i;
      continue;
    }
    if (c == '/' && at(i + 1) == '*') {
      // Comments nest in PostgreSQL.
      int depth = 0;
      size_t j = i;
      while (j < s.size()) {
        if (s[j] == '/' && at(j + 1) == '*') {
          ++depth;
          j += 2;
        } else if (s[j] == '*' && at(j + 1) == '/') {
          j += 2;
          if (--depth == 0) break;
        } else {
          ++j;
        }
      }
      i = j;
      continue;
    }
    const unsigned char lc = static_cast<unsigned char>(c | 0x20);
    if (c == '\'') {
      t.kind = SqlToken::kString;
      t.end = Quoted(s, i, '\'', true, nullptr);
    } else if ((lc == 'e') && at(i + 1) == '\'') {
      // Backslash escapes: a backslash hides the next byte.
      size_t j = i + 2;
      while (j < s.size()) {
        if (s[j] == '\\') {
          j += 2;
        } else if (s[j] == '\'') {
          if (at(j + 1) == '\'') {
            j += 2;
          } else {
            ++j;
            break;
          }
        } else {
          ++j;
        }
      }
      t.kind = SqlToken::kString;
      t.end = std::min(j, s.size());
    } else if ((lc == 'b' || lc == 'x' || lc == 'n') && at(i + 1) == '\'') {
      t.kind = SqlToken::kString;
      t.end = Quoted(s, i + 1, '\'', true, nullptr);
    } else if (lc == 'u' && at(i + 1) == '&' && (at(i + 2) == '\'' || at(i + 2) == '"')) {
      if (at(i + 2) == '\'') {
        t.kind = SqlToken::kString;
        t.end = Quoted(s, i + 2, '\'', true, nullptr);
      } else {
        // A Unicode-escaped name: its text is not decoded here, so it cannot be checked.
        t.kind = SqlToken::kIdentifier;
        t.quoted = true;
        t.end = Quoted(s, i + 2, '"', true, &t.text);
        t.text = "u&\"" + t.text;
      }
    } else if (c == '"') {
      t.kind = SqlToken::kIdentifier;
      t.quoted = true;
      t.quote = '"';
      t.end = Quoted(s, i, '"', true, &t.text, &t.unterminated);
    } else if (c == '$' && IsDigit(at(i + 1))) {
      size_t j = i + 1;
      while (IsDigit(at(j))) ++j;
      t.kind = SqlToken::kParameter;
      t.end = j;
    } else if (c == '$' && PgDollarQuote(s, i) != std::string_view::npos) {
      t.kind = SqlToken::kString;
      t.end = PgDollarQuote(s, i);
    } else if (IdStart(c)) {
      size_t j = i + 1;
      while (IdChar(at(j))) ++j;
      t.kind = SqlToken::kIdentifier;
      t.end = j;
      t.text = AsciiLower(s.substr(i, j - i));
    } else if (IsDigit(c) || (c == '.' && IsDigit(at(i + 1)))) {
      t.kind = SqlToken::kNumber;
      t.end = SqliteNumber(s, i);
    } else if (PgOpChar(c)) {
      size_t j = i;
      while (PgOpChar(at(j)) && !(at(j) == '-' && at(j + 1) == '-') &&
             !(at(j) == '/' && at(j + 1) == '*'))
        ++j;
      t.end = std::max(j, i + 1);
    } else if (c == ':' && at(i + 1) == ':') {
      t.end = i + 2;
    } else {
      t.end = i + 1;
    }
    if (t.kind != SqlToken::kIdentifier) t.text = std::string(s.substr(t.begin, t.end - t.begin));
    i = t.end;
    out.push_back(std::move(t));
  }
  return out;
}

bool InList(std::string_view name, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

}  // namespace

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::vector<SqlToken> TokenizeSql(std::string_view sql, SqlDialect dialect) {
  return dialect == SqlDialect::kSqlite ? TokenizeSqlite(sql) : TokenizePostgres(sql);
}

GuardedSql HideNames(std::string_view sql, SqlDialect dialect,
                     const std::function<bool(const std::string&)>& hidden) {
  GuardedSql out;
  const auto tokens = TokenizeSql(sql, dialect);
  const std::string lower_sql = AsciiLower(sql);
  // One fresh name per distinct hidden name: letters only, as long as the name (at least 12),
  // that the statement does not contain anywhere (so that it cannot name a table, a CTE or an
  // alias the caller made).
  std::map<std::string, std::string> fresh;  // hidden key -> fresh name, lower case
  std::map<std::string, std::string> spelt;  // each spelling written -> the caller's spelling
  size_t copied = 0;
  for (const auto& t : tokens) {
    if (t.kind != SqlToken::kIdentifier || t.unterminated) continue;
    std::string key = dialect == SqlDialect::kSqlite ? AsciiLower(t.text) : t.text;
    if (!hidden(key)) continue;
    auto it = fresh.find(key);
    if (it == fresh.end()) {
      std::string name;
      do {
        name = "odp";
        while (name.size() < std::max<size_t>(12, t.text.size())) {
          for (char ch : NewUuid()) {
            if (ch >= '0' && ch <= '9') name += static_cast<char>('g' + (ch - '0'));
            if (ch >= 'a' && ch <= 'f') name += ch;
            if (name.size() >= std::max<size_t>(12, t.text.size())) break;
          }
        }
      } while (lower_sql.find(name) != std::string::npos);
      it = fresh.emplace(key, name).first;
    }
    // Spelt with the caller's case, letter for letter (SQLite compares names without case and
    // echoes them as written; PostgreSQL keeps quoted names as they are).
    std::string name = it->second;
    for (size_t k = 0; k < name.size() && k < t.text.size(); ++k) {
      if (t.text[k] >= 'A' && t.text[k] <= 'Z') name[k] = static_cast<char>(name[k] - 'a' + 'A');
    }
    if (dialect == SqlDialect::kPostgres && t.quoted) {
      // A quoted PostgreSQL name keeps its case: the fresh name must stay one name.
      name = it->second;
    }
    if (spelt.emplace(name, t.text).second) out.renamed.emplace_back(name, t.text);
    out.sql.append(sql.substr(copied, t.begin - copied));
    if (!t.quoted) {
      out.sql += name;
    } else if (t.quote == '[') {
      out.sql += "[" + name + "]";
    } else {
      out.sql += t.quote;
      out.sql += name;
      out.sql += t.quote;
    }
    copied = t.end;
  }
  out.sql.append(sql.substr(copied));
  return out;
}

namespace {

bool SqliteKeyword(const SqlToken& t) {
  return t.kind == SqlToken::kIdentifier && !t.quoted &&
         sqlite3_keyword_check(t.text.data(), static_cast<int>(t.text.size())) != 0;
}

// An unquoted word, compared without case (PostgreSQL's tokens are lower case already).
bool IsWord(const SqlToken& t, std::string_view w) {
  return t.kind == SqlToken::kIdentifier && !t.quoted && AsciiLower(t.text) == w;
}

bool IsPunct(const SqlToken& t, std::string_view p) {
  return t.kind == SqlToken::kPunct && t.text == p;
}

// The index of the ")" matching the "(" at `open`, or t.size().
size_t MatchingParen(const std::vector<SqlToken>& t, size_t open) {
  int depth = 0;
  for (size_t i = open; i < t.size(); ++i) {
    if (t[i].kind != SqlToken::kPunct) continue;
    if (t[i].text == "(") ++depth;
    if (t[i].text == ")" && --depth == 0) return i;
  }
  return t.size();
}

// The items of every WITH list, read as both databases read them: `name [(columns)] AS [NOT]
// [MATERIALIZED] (…)`, separated by commas. Only whole items count (anything else there is a
// syntax error, refused before any name is looked up).
struct CteItem {
  size_t name;                    // the token of its name (a name, or on SQLite a string)
  std::optional<size_t> columns;  // the "(" of its column list
};
std::vector<CteItem> WithItems(const std::vector<SqlToken>& t) {
  std::vector<CteItem> out;
  for (size_t i = 0; i < t.size(); ++i) {
    if (!IsWord(t[i], "with")) continue;
    size_t j = i + 1;
    if (j < t.size() && IsWord(t[j], "recursive")) ++j;
    while (j < t.size() && (t[j].kind == SqlToken::kIdentifier || t[j].kind == SqlToken::kString)) {
      CteItem item{j, std::nullopt};
      size_t k = j + 1;
      if (k < t.size() && IsPunct(t[k], "(")) {
        item.columns = k;
        k = MatchingParen(t, k) + 1;
      }
      if (k >= t.size() || !IsWord(t[k], "as")) break;
      ++k;
      if (k < t.size() && IsWord(t[k], "not")) ++k;
      if (k < t.size() && IsWord(t[k], "materialized")) ++k;
      if (k >= t.size() || !IsPunct(t[k], "(")) break;
      out.push_back(item);
      k = MatchingParen(t, k) + 1;
      if (k >= t.size() || !IsPunct(t[k], ",")) break;
      j = k + 1;
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> SqliteStringAsName(std::string_view sql) {
  const auto t = TokenizeSql(sql, SqlDialect::kSqlite);
  // The names of common table expressions and the "(" of their column lists, read as SQLite
  // reads a WITH list.
  std::vector<bool> cte_name(t.size(), false), name_list(t.size(), false);
  for (const CteItem& item : WithItems(t)) {
    cte_name[item.name] = true;
    if (item.columns) name_list[*item.columns] = true;
  }
  // Per parenthesis depth: whether a FROM clause is being read, and whether the parentheses
  // hold names (USING, a CTE's columns).
  struct Level {
    bool from = false;
    bool names = false;
  };
  std::vector<Level> levels(1);
  for (size_t i = 0; i < t.size(); ++i) {
    const SqlToken& x = t[i];
    if (x.kind == SqlToken::kPunct) {
      if (x.text == "(") {
        levels.push_back({false, name_list[i] || (i > 0 && IsWord(t[i - 1], "using"))});
      } else if (x.text == ")" && levels.size() > 1) {
        levels.pop_back();
      }
      continue;
    }
    if (x.kind == SqlToken::kIdentifier && !x.quoted) {
      const std::string w = AsciiLower(x.text);
      if (w == "from" || w == "join") levels.back().from = true;
      if (w == "select" || w == "where" || w == "group" || w == "having" || w == "order" ||
          w == "limit" || w == "window" || w == "union" || w == "intersect" || w == "except" ||
          w == "values") {
        levels.back().from = false;
      }
      continue;
    }
    if (x.kind != SqlToken::kString || x.text.empty() || x.text[0] != '\'') continue;
    bool name = cte_name[i] || (i + 1 < t.size() && IsPunct(t[i + 1], "."));
    if (!name && i > 0) {
      const SqlToken& p = t[i - 1];
      if (IsPunct(p, ".")) {
        name = true;
      } else if (IsPunct(p, ",")) {
        name = levels.back().from || levels.back().names;
      } else if (IsPunct(p, "(")) {
        name = levels.back().names;
      } else if (IsPunct(p, ")")) {
        name = true;  // an alias after a call or a subquery
      } else if (p.kind == SqlToken::kString || p.kind == SqlToken::kNumber ||
                 p.kind == SqlToken::kParameter) {
        name = true;  // an alias after a value
      } else if (p.kind == SqlToken::kIdentifier) {
        if (!SqliteKeyword(p)) {
          name = true;  // an alias after a column or table name
        } else {
          const std::string w = AsciiLower(p.text);
          name = w == "from" || w == "join" || w == "as" || w == "over" || w == "window" ||
                 w == "collate" || w == "table" || w == "into" || w == "null" || w == "end" ||
                 w == "current_date" || w == "current_time" || w == "current_timestamp" ||
                 w == "indexed" || (w == "by" && i >= 2 && IsWord(t[i - 2], "indexed"));
        }
      }
    }
    if (name) return x.text;
  }
  return std::nullopt;
}

std::string GuardedSql::Restore(std::string_view text) const {
  std::string out(text);
  for (const auto& [fresh, original] : renamed) {
    for (size_t p = out.find(fresh); p != std::string::npos;
         p = out.find(fresh, p + original.size())) {
      out.replace(p, fresh.size(), original);
    }
  }
  return out;
}

bool SqliteFunctionAllowed(std::string_view n) {
  return InList(
      n,
      {
          // core scalar functions
          "abs",
          "char",
          "coalesce",
          "format",
          "glob",
          "hex",
          "ifnull",
          "iif",
          "instr",
          "length",
          "like",
          "likelihood",
          "likely",
          "lower",
          "ltrim",
          "max",
          "min",
          "nullif",
          "printf",
          "quote",
          "replace",
          "round",
          "rtrim",
          "sign",
          "soundex",
          "substr",
          "substring",
          "trim",
          "typeof",
          "unicode",
          "unlikely",
          "upper",
          // dates and times
          "date",
          "time",
          "datetime",
          "julianday",
          "unixepoch",
          "strftime",
          // aggregates and windows
          "avg",
          "count",
          "group_concat",
          "sum",
          "total",
          "row_number",
          "rank",
          "dense_rank",
          "percent_rank",
          "cume_dist",
          "ntile",
          "lag",
          "lead",
          "first_value",
          "last_value",
          "nth_value",
          // mathematics
          "acos",
          "acosh",
          "asin",
          "asinh",
          "atan",
          "atan2",
          "atanh",
          "ceil",
          "ceiling",
          "cos",
          "cosh",
          "degrees",
          "exp",
          "floor",
          "ln",
          "log",
          "log10",
          "log2",
          "mod",
          "pi",
          "pow",
          "power",
          "radians",
          "sin",
          "sinh",
          "sqrt",
          "tan",
          "tanh",
          "trunc",
          // JSON (json_each and json_tree are table-valued; query.cpp lets their cursors through)
          "json",
          "json_array",
          "json_array_length",
          "json_extract",
          "json_insert",
          "json_object",
          "json_patch",
          "json_remove",
          "json_replace",
          "json_set",
          "json_type",
          "json_valid",
          "json_quote",
          "json_group_array",
          "json_group_object",
          "json_each",
          "json_tree",
          // the datastore's own: Vietnamese folding
          "odp_fold",
      });
}

bool PostgresFunctionAllowed(std::string_view n) {
  return InList(
      n, {
             // text
             // (Not replace, translate, strpos, position, split_part, string_to_array, nor trimming
             // a set of characters: their time grows with the product of their arguments' lengths,
             // both of which a query can make large, and PostgreSQL cannot stop one call of them.
             // The regexp_ functions do the same work and stop when cancelled.)
             "lower",
             "upper",
             "initcap",
             "length",
             "char_length",
             "character_length",
             "octet_length",
             "substr",
             "substring",
             "trim",
             "btrim",
             "ltrim",
             "rtrim",
             "concat",
             "concat_ws",
             "left",
             "right",
             "reverse",
             "starts_with",
             "md5",
             "regexp_replace",
             "regexp_match",
             "regexp_matches",
             "regexp_split_to_array",
             "unaccent",
             // conditionals
             "coalesce",
             "nullif",
             "greatest",
             "least",
             // numbers
             "abs",
             "round",
             "trunc",
             "floor",
             "ceil",
             "ceiling",
             "sqrt",
             "cbrt",
             "power",
             "mod",
             "sign",
             "ln",
             "log",
             "log10",
             "exp",
             "div",
             "pi",
             "degrees",
             "radians",
             "sin",
             "cos",
             "tan",
             "asin",
             "acos",
             "atan",
             "atan2",
             "width_bucket",
             // aggregates and windows
             "count",
             "sum",
             "avg",
             "min",
             "max",
             "string_agg",
             "array_agg",
             "json_agg",
             "jsonb_agg",
             "json_object_agg",
             "jsonb_object_agg",
             "bool_and",
             "bool_or",
             "every",
             "stddev",
             "stddev_pop",
             "stddev_samp",
             "variance",
             "var_pop",
             "var_samp",
             "corr",
             "covar_pop",
             "covar_samp",
             "regr_slope",
             "regr_intercept",
             "percentile_cont",
             "percentile_disc",
             "mode",
             "row_number",
             "rank",
             "dense_rank",
             "percent_rank",
             "cume_dist",
             "ntile",
             "lag",
             "lead",
             "first_value",
             "last_value",
             "nth_value",
             "grouping",
             // dates and times
             "date_trunc",
             "date_part",
             "extract",
             "to_char",
             "to_date",
             "to_number",
             "to_timestamp",
             "age",
             "make_date",
             "make_time",
             "make_timestamp",
             "make_interval",
             "date_bin",
             "now",
             "isfinite",
             "justify_days",
             "timezone",
             "similar_to_escape",
             "overlaps",
             "justify_hours",
             // JSON and arrays
             "to_json",
             "to_jsonb",
             "json_build_object",
             "jsonb_build_object",
             "json_build_array",
             "jsonb_build_array",
             "json_array_length",
             "jsonb_array_length",
             "json_typeof",
             "jsonb_typeof",
             "json_extract_path_text",
             "jsonb_extract_path_text",
             "json_each",
             "jsonb_each",
             "json_each_text",
             "jsonb_each_text",
             "json_array_elements",
             "jsonb_array_elements",
             "json_array_elements_text",
             "jsonb_array_elements_text",
             "array_length",
             "array_position",
             "array_to_string",
             "cardinality",
             "unnest",
             "generate_series",
         });
}

std::optional<std::string> PostgresForbidden(std::string_view sql,
                                             const std::set<std::string>& keywords) {
  const auto tokens = TokenizeSql(sql, SqlDialect::kPostgres);
  // Names followed by "(" that are not calls: the column lists of common table expressions
  // (`WITH c(x) AS (…), d(y) AS (…)`), found by reading each WITH list as PostgreSQL does.
  std::vector<bool> column_list(tokens.size(), false);
  for (const CteItem& item : WithItems(tokens)) {
    if (item.columns) column_list[item.name] = true;
  }
  for (size_t i = 0; i < tokens.size(); ++i) {
    const SqlToken& t = tokens[i];
    if (t.kind != SqlToken::kIdentifier) continue;
    const std::string& name = t.text;
    // Unicode-escaped names are not decoded, so not checked: refused.
    if (t.quoted && name.rfind("u&\"", 0) == 0) return name;
    // Types that turn text into objects by looking their names up (or that are objects).
    // (Their arrays too: `_regclass`, any number of leading underscores.)
    const std::string base = name.substr(std::min(name.find_first_not_of('_'), name.size()));
    if (base.rfind("reg", 0) == 0 &&
        InList(base, {"regclass", "regcollation", "regconfig", "regdictionary", "regnamespace",
                      "regoper", "regoperator", "regproc", "regprocedure", "regrole", "regtype"})) {
      return name;
    }
    if (name.rfind("xml", 0) == 0 && !t.quoted) return name;
    // OPERATOR(schema.op): an operator chosen by name, and a ")" before its right operand.
    if (name == "operator" && !t.quoted) return name;
    const bool call = i + 1 < tokens.size() && IsPunct(tokens[i + 1], "(");
    if (!call || column_list[i]) continue;
    // POSITION(a IN b) is strpos; TRIM(set FROM s), TRIM(s, set) and btrim/ltrim/rtrim(s, set)
    // trim a set of characters (see PostgresFunctionAllowed). Trimming spaces is allowed.
    if (!t.quoted && name == "position") return name;
    if (!t.quoted && InList(name, {"trim", "btrim", "ltrim", "rtrim"})) {
      const size_t close = MatchingParen(tokens, i + 1);
      bool before_from = false;  // an operand before FROM: the set of characters
      int depth = 0;
      for (size_t k = i + 2; k < close; ++k) {
        if (IsPunct(tokens[k], "(")) ++depth;
        if (IsPunct(tokens[k], ")")) --depth;
        if (depth > 0) continue;
        if (IsPunct(tokens[k], ",")) return name + "(…, …)";
        if (IsWord(tokens[k], "from")) {
          if (before_from) return name + "(… FROM …)";
          break;
        }
        if (!IsWord(tokens[k], "both") && !IsWord(tokens[k], "leading") &&
            !IsWord(tokens[k], "trailing")) {
          before_from = true;
        }
      }
    }
    const bool qualified =
        i >= 2 && IsPunct(tokens[i - 1], ".") && tokens[i - 2].kind == SqlToken::kIdentifier;
    if (qualified) {
      // schema.function(…): only PostgreSQL's own functions, by their allowed names.
      if (tokens[i - 2].text != "pg_catalog" || !PostgresFunctionAllowed(name))
        return tokens[i - 2].text + "." + name;
      continue;
    }
    if (PostgresFunctionAllowed(name)) continue;
    // Keywords that take parentheses (IN, EXISTS, VALUES, OVER, COALESCE, types with modifiers…).
    if (!t.quoted && keywords.count(name)) continue;
    // An alias with a column list: `AS t(a, b)`, `FROM tbl t(a)`, `… ) t(a)`. Valid SQL never
    // calls a function right after a name that is not a keyword, or after ")".
    if (i > 0) {
      const SqlToken& p = tokens[i - 1];
      if (IsWord(p, "as") || IsPunct(p, ")")) continue;
      if (p.kind == SqlToken::kIdentifier && (p.quoted || !keywords.count(p.text))) continue;
    }
    return name;
  }
  return std::nullopt;
}

namespace {

Status LikeRefused(const std::string& en, const std::string& vi) {
  return Status::InvalidArgument(en, vi + " (ví dụ: ten LIKE '%Huế%')");
}

// The regular expression (PostgreSQL's advanced syntax) matching what the LIKE pattern
// `pattern` matches, escape character `escape` (none when 0): the whole value, with "%" any run
// of characters and "_" any one. Every other character stands for itself.
std::string LikePatternAsRegex(std::string_view pattern, char escape) {
  std::string out = "^";
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (escape != 0 && c == escape && i + 1 < pattern.size()) {
      c = pattern[++i];
    } else if (c == '%') {
      out += ".*";
      continue;
    } else if (c == '_') {
      out += '.';
      continue;
    }
    if (std::string_view("\\.^$*+?()[]{}|").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  out += '$';
  return out;
}

// The text of a plain string literal ('…' with '' for a quote), or nullopt for any other form
// (E'…', $$…$$, U&'…', B'…').
std::optional<std::string> PlainLiteral(const SqlToken& t, std::string_view sql) {
  std::string_view raw = sql.substr(t.begin, t.end - t.begin);
  if (t.kind != SqlToken::kString || t.unterminated || raw.size() < 2 || raw.front() != '\'' ||
      raw.back() != '\'') {
    return std::nullopt;
  }
  std::string out;
  for (size_t i = 1; i + 1 < raw.size(); ++i) {
    out += raw[i];
    if (raw[i] == '\'') ++i;
  }
  return out;
}

std::string QuoteLiteral(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

}  // namespace

Result<std::string> PostgresLikeAsRegex(std::string_view sql) {
  constexpr size_t kMaxPattern = 1000;
  const auto tokens = TokenizeSql(sql, SqlDialect::kPostgres);
  std::string out;
  size_t copied = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const SqlToken& t = tokens[i];
    if (t.kind == SqlToken::kPunct && t.text.find("~~") != std::string::npos) {
      return LikeRefused("the operator " + t.text + " is not allowed; write LIKE or ILIKE",
                         "Không được dùng toán tử " + t.text + "; hãy viết LIKE hoặc ILIKE");
    }
    const bool like = IsWord(t, "like");
    if (!like && !IsWord(t, "ilike")) continue;
    const bool negated = i > 0 && IsWord(tokens[i - 1], "not");
    std::optional<std::string> pattern;
    if (i + 1 < tokens.size()) pattern = PlainLiteral(tokens[i + 1], sql);
    if (!pattern) {
      return LikeRefused("the pattern of LIKE must be one plain string literal",
                         "Mẫu của LIKE phải là một chuỗi viết trực tiếp trong dấu nháy đơn");
    }
    if (pattern->size() > kMaxPattern) {
      return LikeRefused("a LIKE pattern may be at most 1000 bytes",
                         "Mẫu của LIKE dài tối đa 1000 byte");
    }
    size_t end = i + 2;  // the first token after the pattern (and its ESCAPE clause)
    char escape = '\\';
    if (end < tokens.size() && IsWord(tokens[end], "escape")) {
      std::optional<std::string> e;
      if (end + 1 < tokens.size()) e = PlainLiteral(tokens[end + 1], sql);
      if (!e || e->size() > 1) {
        return LikeRefused("the ESCAPE of LIKE must be one character in a plain string literal",
                           "ESCAPE của LIKE phải là một ký tự trong dấu nháy đơn");
      }
      escape = e->empty() ? 0 : (*e)[0];
      end += 2;
    }
    if (escape != 0) {
      bool dangling = false;  // PostgreSQL refuses a pattern that ends with its escape character
      for (size_t k = 0; k < pattern->size(); ++k) {
        if ((*pattern)[k] != escape) continue;
        if (k + 1 == pattern->size()) dangling = true;
        ++k;
      }
      if (dangling) {
        return LikeRefused("a LIKE pattern must not end with its escape character",
                           "Mẫu của LIKE không được kết thúc bằng ký tự thoát");
      }
    }
    // Whatever binds tighter than LIKE would make the pattern a computed value: concatenation
    // and other operators, casts, subscripts, a second literal (PostgreSQL joins literals
    // separated by a new line). Comparisons, IS, AND/OR, ")" and "," end the operand.
    if (end < tokens.size()) {
      const SqlToken& n = tokens[end];
      const bool ends_operand =
          n.kind == SqlToken::kIdentifier ||
          (n.kind == SqlToken::kPunct &&
           (n.text == ")" || n.text == "," || n.text == ";" || n.text == "=" || n.text == "<" ||
            n.text == ">" || n.text == "<=" || n.text == ">=" || n.text == "<>" || n.text == "!="));
      if (!ends_operand) {
        return LikeRefused("the pattern of LIKE must be one plain string literal",
                           "Mẫu của LIKE phải là một chuỗi viết trực tiếp trong dấu nháy đơn");
      }
    }
    const size_t from = negated ? tokens[i - 1].begin : t.begin;
    out.append(sql.substr(copied, from - copied));
    // Never glued to an operator before it (`x ~LIKE 'p'` would become `x ~~ …`).
    if (!out.empty() && !IsSpace(static_cast<unsigned char>(out.back()))) out += ' ';
    out += negated ? (like ? "!~ " : "!~* ") : (like ? "~ " : "~* ");
    out += QuoteLiteral(LikePatternAsRegex(*pattern, escape));
    copied = tokens[end - 1].end;
    i = end - 1;
  }
  out.append(sql.substr(copied));
  return out;
}

const std::set<std::string>& PostgresKeywordsFallback() {
  // PostgreSQL 15's keywords that can stand before "(" (used when the server's own list,
  // pg_get_keywords(), cannot be read).
  static const std::set<std::string> kWords = {"all",
                                               "and",
                                               "any",
                                               "array",
                                               "as",
                                               "at",
                                               "between",
                                               "bigint",
                                               "bit",
                                               "both",
                                               "by",
                                               "case",
                                               "cast",
                                               "char",
                                               "character",
                                               "coalesce",
                                               "collate",
                                               "cross",
                                               "cube",
                                               "current_time",
                                               "current_timestamp",
                                               "cycle",
                                               "date",
                                               "decimal",
                                               "depth",
                                               "desc",
                                               "distinct",
                                               "double",
                                               "else",
                                               "escape",
                                               "except",
                                               "exists",
                                               "extract",
                                               "filter",
                                               "first",
                                               "float",
                                               "following",
                                               "for",
                                               "from",
                                               "full",
                                               "greatest",
                                               "grouping",
                                               "groups",
                                               "having",
                                               "ilike",
                                               "in",
                                               "inner",
                                               "int",
                                               "integer",
                                               "intersect",
                                               "interval",
                                               "is",
                                               "join",
                                               "last",
                                               "lateral",
                                               "leading",
                                               "least",
                                               "left",
                                               "like",
                                               "limit",
                                               "localtime",
                                               "localtimestamp",
                                               "materialized",
                                               "natural",
                                               "not",
                                               "nullif",
                                               "nulls",
                                               "numeric",
                                               "of",
                                               "offset",
                                               "on",
                                               "only",
                                               "or",
                                               "order",
                                               "outer",
                                               "over",
                                               "overlay",
                                               "partition",
                                               "position",
                                               "preceding",
                                               "precision",
                                               "range",
                                               "real",
                                               "recursive",
                                               "right",
                                               "rollup",
                                               "row",
                                               "rows",
                                               "search",
                                               "select",
                                               "set",
                                               "sets",
                                               "similar",
                                               "smallint",
                                               "some",
                                               "substring",
                                               "table",
                                               "then",
                                               "time",
                                               "timestamp",
                                               "to",
                                               "trailing",
                                               "trim",
                                               "union",
                                               "using",
                                               "values",
                                               "varchar",
                                               "varying",
                                               "when",
                                               "where",
                                               "window",
                                               "with",
                                               "within",
                                               "without",
                                               "zone"};
  return kWords;
}

}  // namespace odp::datastore
