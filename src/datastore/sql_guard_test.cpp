#include "datastore/sql_guard.h"

#include <gtest/gtest.h>

namespace odp::datastore {
namespace {

std::vector<std::string> Names(std::string_view sql, SqlDialect d) {
  std::vector<std::string> out;
  for (const auto& t : TokenizeSql(sql, d)) {
    if (t.kind == SqlToken::kIdentifier) out.push_back(t.text);
  }
  return out;
}

TEST(SqlGuardTest, SqliteNamesAreFoundWhereverSqliteReadsThem) {
  using V = std::vector<std::string>;
  const auto d = SqlDialect::kSqlite;
  EXPECT_EQ(Names("SELECT a FROM t", d), (V{"SELECT", "a", "FROM", "t"}));
  EXPECT_EQ(Names("select \"x\"\"y\", [z w], `q``r` from main.t", d),
            (V{"select", "x\"y", "z w", "q`r", "from", "main", "t"}));
  // Strings, blobs, comments, numbers and parameters hold no names.
  EXPECT_EQ(
      Names("SELECT 'a''t', x'00', 1e5, 0x1F, .5, ?1, :t, @t, $t::u(v), #t -- t\n/* t */ FROM t",
            d),
      (V{"SELECT", "FROM", "t"}));
  // A number glued to letters is one (illegal) token for SQLite, so not a name.
  EXPECT_EQ(Names("SELECT 1r_x_v1", d), (V{"SELECT"}));
  // Unterminated: to the end.
  EXPECT_EQ(Names("SELECT 'abc FROM t", d), (V{"SELECT"}));
  EXPECT_EQ(Names("SELECT /* t", d), (V{"SELECT"}));
  EXPECT_EQ(Names("SELECT \"t", d), (V{"SELECT", "t"}));
  // Non-ASCII bytes are name characters.
  EXPECT_EQ(Names("SELECT tên FROM bảng", d), (V{"SELECT", "tên", "FROM", "bảng"}));
}

TEST(SqlGuardTest, PostgresNamesAreFoundWherePostgresReadsThem) {
  using V = std::vector<std::string>;
  const auto d = SqlDialect::kPostgres;
  EXPECT_EQ(Names("SELECT A FROM \"T\"", d), (V{"select", "a", "from", "T"}));
  EXPECT_EQ(Names("SELECT $$ t $$, $q$ it's $q$, E'\\' t', 'a''b', $1 /* /* t */ t */ FROM t", d),
            (V{"select", "from", "t"}));
  EXPECT_EQ(Names("SELECT x::regclass", d), (V{"select", "x", "regclass"}));
}

TEST(SqlGuardTest, HiddenNamesAreReplacedAndRestored) {
  auto hidden = [](const std::string& n) { return n == "r_secret_v1" || n == "sqlite_master"; };
  GuardedSql g = HideNames(
      "SELECT x FROM R_Secret_V1 JOIN \"r_secret_v1\" USING (a), 'r_secret_v1', [sqlite_master]",
      SqlDialect::kSqlite, hidden);
  ASSERT_EQ(g.renamed.size(), 3u);  // one per spelling
  EXPECT_EQ(g.sql.find("ecret_v1 "), std::string::npos);
  EXPECT_NE(g.sql.find("'r_secret_v1'"), std::string::npos);  // a string stays a string
  // Same length, same case pattern, same quoting; restored to each spelling.
  const std::string upper = g.renamed[0].first, lower = g.renamed[1].first;
  EXPECT_EQ(upper.size(),
            std::string("R_Secret_V1").size() < 12 ? 12u : std::string("R_Secret_V1").size());
  EXPECT_EQ(AsciiLower(upper), AsciiLower(lower));
  EXPECT_NE(upper, lower);
  EXPECT_NE(g.sql.find(" " + upper + " JOIN \"" + lower + "\""), std::string::npos) << g.sql;
  EXPECT_NE(g.sql.find("[" + g.renamed[2].first + "]"), std::string::npos) << g.sql;
  EXPECT_EQ(g.Restore("no such table: " + upper), "no such table: R_Secret_V1");
  EXPECT_EQ(g.Restore("near \"" + lower + "\": syntax error"),
            "near \"r_secret_v1\": syntax error");
  // The fresh names never occur in the statement, so they cannot name the caller's own CTE.
  GuardedSql h = HideNames("WITH odp_0 AS (SELECT 1) SELECT * FROM sqlite_master",
                           SqlDialect::kSqlite, hidden);
  EXPECT_EQ(h.renamed.size(), 1u);
  // An unterminated quoted name is left for SQLite to refuse.
  GuardedSql u = HideNames("SELECT * FROM \"r_secret_v1", SqlDialect::kSqlite, hidden);
  EXPECT_TRUE(u.renamed.empty());
  // A byte-order mark is white space, as SQLite reads it.
  GuardedSql bom = HideNames("SELECT * FROM \xEF\xBB\xBFr_secret_v1", SqlDialect::kSqlite, hidden);
  EXPECT_EQ(bom.renamed.size(), 1u);
}

TEST(SqlGuardTest, SqliteStringsWhereNamesGoAreFound) {
  for (const char* bad :
       {"SELECT * FROM 'x'", "SELECT * FROM t, 'x'", "SELECT * FROM t JOIN 'x' USING (a)",
        "SELECT 'x'.a FROM t", "SELECT a FROM main.'x'", "SELECT 1 AS 'x'", "SELECT a 'x' FROM t",
        "SELECT count(*) 'n' FROM t", "WITH 'x' AS (SELECT 1) SELECT * FROM x",
        "WITH c('x') AS (SELECT 1) SELECT x FROM c", "SELECT * FROM a JOIN b USING ('x')",
        "SELECT * FROM t INDEXED BY 'i'", "SELECT * FROM a JOIN b ON a.x = 'v', 'x'",
        "SELECT 1 'a'", "SELECT * FROM t AS 'x'"}) {
    EXPECT_NE(SqliteStringAsName(bad), std::nullopt) << bad;
  }
  for (const char* ok :
       {"SELECT 'x'", "SELECT 'a', 'b'", "SELECT * FROM t WHERE a = 'x' AND b IN ('y', 'z')",
        "SELECT a FROM t WHERE a LIKE 'x%' ESCAPE '\\'", "SELECT lower('X') AS b, f('y') FROM t",
        "SELECT CASE WHEN a THEN 'x' ELSE 'y' END FROM t", "VALUES ('a'), ('b')",
        "SELECT * FROM json_each('[1]')", "SELECT * FROM t GROUP BY a HAVING a <> 'x'",
        "WITH c(a) AS (SELECT 'x') SELECT a FROM c", "SELECT * FROM (SELECT 'a', 'b')"}) {
    EXPECT_EQ(SqliteStringAsName(ok), std::nullopt) << ok;
  }
}

TEST(SqlGuardTest, PostgresForbidsFunctionsAndLookupTypesOutsideTheAllowlist) {
  for (const char* ok :
       {"SELECT lower(a), count(*) FROM \"x\" GROUP BY 1", "SELECT a::numeric(10, 2) FROM t",
        "SELECT * FROM t WHERE a IN (1, 2) AND EXISTS (SELECT 1)",
        "SELECT row_number() OVER (PARTITION BY a ORDER BY b) FROM t",
        "SELECT pg_catalog.lower('A')", "SELECT 'pg_sleep(1)'", "SELECT $$to_regclass(x)$$",
        "SELECT CAST(a AS integer) FROM t", "SELECT * FROM generate_series(1, 3)",
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c), d(y) AS NOT MATERIALIZED "
        "(SELECT 2) SELECT count(*) FROM c, d",
        "SELECT * FROM generate_series(1, 3) g(n)", "SELECT * FROM (SELECT 1) AS t(a)",
        "SELECT * FROM \"x\" t(a, b)", "SELECT * FROM (VALUES (1)) v(a)",
        "SELECT trim(a), btrim(a), trim(both from a), ltrim(lower(a)), trim(leading from (a)) FROM "
        "t"}) {
    EXPECT_EQ(PostgresForbidden(ok, PostgresKeywordsFallback()), std::nullopt) << ok;
  }
  for (const char* bad :
       {"SELECT pg_sleep(1)", "SELECT to_regclass('x')", "SELECT 'x'::regclass",
        "SELECT 'x'::REGCLASS", "SELECT CAST('x' AS pg_catalog.regclass)",
        "SELECT \"pg_get_viewdef\"(1)", "SELECT public.lower('a')",
        "SELECT pg_catalog.pg_relation_size('x')", "SELECT current_setting('x')",
        "SELECT query_to_xml('', true, true, '')", "SELECT has_table_privilege('x', 'select')",
        "SELECT regclass 'x'", "SELECT lpad('x', 1000000000)", "SELECT repeat('x', 1000000000)",
        "SELECT pg_sleep/**/(1)", "SELECT U&\"pg_sleep\"(1)",
        "SELECT a, to_regclass('x') AS y FROM t", "SELECT * FROM t, LATERAL to_regclass('x')",
        "WITH c AS (SELECT 1), pg_sleep(1) AS x SELECT 1", "SELECT xmlparse(document '<a/>')",
        "SELECT 1 FROM t WHERE a = ANY (SELECT pg_relation_size('x'))",
        "SELECT 0 OPERATOR(pg_catalog.+) pg_stat_get_live_tuples(1)", "SELECT '{1}'::_regclass",
        "SELECT '{1}'::pg_catalog._regclass", "SELECT '{1}'::\"_regtype\"",
        "SELECT format('%100000000s', 'x')",
        // Functions whose time is the product of two lengths, and that PostgreSQL cannot stop.
        "SELECT translate(a, b, '') FROM t", "SELECT strpos(a, 'x') FROM t",
        "SELECT position('x' IN a) FROM t", "SELECT replace(a, 'x', 'y') FROM t",
        "SELECT split_part(a, 'x', 1) FROM t", "SELECT string_to_array(a, 'x') FROM t",
        "SELECT btrim(a, 'xyz') FROM t", "SELECT rtrim(a, b) FROM t",
        "SELECT trim(both 'x' from a) FROM t", "SELECT trim('x' from a) FROM t",
        "SELECT trim(a, 'x') FROM t", "SELECT pg_catalog.replace(a, 'x', 'y') FROM t"}) {
    EXPECT_NE(PostgresForbidden(bad, PostgresKeywordsFallback()), std::nullopt) << bad;
  }
}

TEST(SqlGuardTest, SqliteAllowlistLeavesOutDangerousFunctions) {
  for (const char* fn : {"load_extension", "fts3_tokenizer", "zeroblob", "randomblob", "readfile",
                         "writefile", "sqlite_compileoption_get", "fts5", "edit"}) {
    EXPECT_FALSE(SqliteFunctionAllowed(fn)) << fn;
  }
  for (const char* fn :
       {"count", "lower", "json_extract", "group_concat", "odp_fold", "strftime"}) {
    EXPECT_TRUE(SqliteFunctionAllowed(fn)) << fn;
  }
}

TEST(SqlGuardTest, PostgresLikeBecomesARegularExpressionOnALiteralPattern) {
  struct Case {
    const char* in;
    const char* out;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"SELECT * FROM t WHERE a LIKE '%Huế%'", "SELECT * FROM t WHERE a ~ '^.*Huế.*$'"},
           {"SELECT * FROM t WHERE a ILIKE 'h_e%'", "SELECT * FROM t WHERE a ~* '^h.e.*$'"},
           {"SELECT * FROM t WHERE a NOT LIKE 'x' AND b not ilike 'y'",
            "SELECT * FROM t WHERE a !~ '^x$' AND b !~* '^y$'"},
           // Regular-expression characters stand for themselves; '' is a quote; \ escapes.
           {"SELECT a LIKE '1.5 (a|b)*?''s\\%' FROM t",
            "SELECT a ~ '^1\\.5 \\(a\\|b\\)\\*\\?''s%$' FROM t"},
           {"SELECT a LIKE 'a!_b%' ESCAPE '!' FROM t", "SELECT a ~ '^a_b.*$' FROM t"},
           {"SELECT a LIKE 'a\\b' ESCAPE '' FROM t", "SELECT a ~ '^a\\\\b$' FROM t"},
           // The left operand and what follows the pattern are untouched.
           {"SELECT (a || b) LIKE 'x%' = true, c FROM t",
            "SELECT (a || b) ~ '^x.*$' = true, c FROM t"},
           {"SELECT 'LIKE ''%'' here', \"like\" FROM t",
            "SELECT 'LIKE ''%'' here', \"like\" FROM t"},
           {"SELECT count(*) FROM t WHERE a LIKE'%'", "SELECT count(*) FROM t WHERE a ~ '^.*$'"},
           // Never glued to an operator before it: `~LIKE` must not become PostgreSQL's `~~`.
           {"SELECT '^a$' ~LIKE 'a', 'b' !~LIKE 'b', 'c' ~ILIKE 'c', 'd'~NOT LIKE 'd'",
            "SELECT '^a$' ~ ~ '^a$', 'b' !~ ~ '^b$', 'c' ~ ~* '^c$', 'd'~ !~ '^d$'"},
       }) {
    auto r = PostgresLikeAsRegex(c.in);
    ASSERT_TRUE(r.ok()) << c.in << ": " << r.status().message();
    EXPECT_EQ(*r, c.out) << c.in;
  }
  // Computed patterns, other literal forms, ANY/ALL, the operators themselves, and patterns
  // over 1,000 bytes are refused: PostgreSQL's LIKE cannot be cancelled.
  const std::string long_pattern = "SELECT a LIKE '" + std::string(1001, 'a') + "' FROM t";
  for (const std::string& bad : std::initializer_list<std::string>{
           "SELECT a LIKE b FROM t", "SELECT a LIKE '%' || b FROM t", "SELECT a LIKE ('%x') FROM t",
           "SELECT a LIKE E'%x' FROM t", "SELECT a LIKE $$%x$$ FROM t",
           "SELECT a LIKE U&'%x' FROM t", "SELECT a LIKE ANY (ARRAY['%x']) FROM t",
           "SELECT a LIKE '%x'::text || b FROM t", "SELECT a LIKE '%x'\n'%y' FROM t",
           "SELECT a ~~ '%x' FROM t", "SELECT a !~~* '%x' FROM t", "SELECT like(a, '%x') FROM t",
           "SELECT a LIKE '%x' ESCAPE 'ab' FROM t",
           "SELECT a LIKE (SELECT string_agg(b, '') FROM t) FROM t", long_pattern,
           "SELECT a LIKE '%x' ESCAPE e FROM t", "SELECT a LIKE", "SELECT a LIKE 'a\\' FROM t",
           "SELECT a LIKE 'a!' ESCAPE '!' FROM t"}) {
    EXPECT_FALSE(PostgresLikeAsRegex(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace odp::datastore
