// Request JSON and parameter readers: the nesting limit, checked on the bytes before parsing,
// and the readers that refuse arrays and objects where text is expected (security issue 14).
#include "api/params.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "api/datastore_params.h"
#include "base/crypto.h"

namespace odp::api {
namespace {

// `depth` nested arrays around nothing: [[[]]].
std::string Arrays(int depth) {
  return std::string(static_cast<size_t>(depth), '[') +
         std::string(static_cast<size_t>(depth), ']');
}

// `depth` nested objects around 1: {"k":{"k":1}}.
std::string Objects(int depth) {
  std::string s;
  for (int i = 0; i < depth; ++i) s += "{\"k\":";
  return s + "1" + std::string(static_cast<size_t>(depth), '}');
}

// Depth of a parsed value, without recursion.
int TreeDepth(const json& root) {
  int deepest = 0;
  std::vector<std::pair<const json*, int>> stack = {{&root, 0}};
  while (!stack.empty()) {
    auto [v, d] = stack.back();
    stack.pop_back();
    if (!v->is_structured()) continue;
    deepest = std::max(deepest, d + 1);
    for (const auto& child : *v) stack.emplace_back(&child, d + 1);
  }
  return deepest;
}

TEST(JsonNestingTest, ArraysUpToTheLimitParse) {
  for (int depth : {1, 2, kMaxRequestJsonDepth - 1, kMaxRequestJsonDepth}) {
    auto j = ParseRequestJson(Arrays(depth));
    ASSERT_TRUE(j.ok()) << depth;
    EXPECT_FALSE(j->is_discarded());
    EXPECT_EQ(TreeDepth(*j), depth);
  }
}

TEST(JsonNestingTest, ArraysOneAboveTheLimitAreRefusedAsTooDeep) {
  auto j = ParseRequestJson(Arrays(kMaxRequestJsonDepth + 1));
  ASSERT_FALSE(j.ok());
  EXPECT_TRUE(IsBadParameter(j.status()));
  EXPECT_EQ(j.status().message_vi(), "Dữ liệu JSON lồng quá sâu (tối đa 32 cấp)");
  EXPECT_NE(j.status().message().find("at most 32 levels"), std::string::npos);
  EXPECT_EQ(j.status().fields().count("body"), 1u);
}

TEST(JsonNestingTest, ObjectsCountLikeArrays) {
  EXPECT_TRUE(ParseRequestJson(Objects(kMaxRequestJsonDepth)).ok());
  EXPECT_FALSE(ParseRequestJson(Objects(kMaxRequestJsonDepth + 1)).ok());
  EXPECT_FALSE(JsonNestsDeeperThan(Objects(kMaxRequestJsonDepth), kMaxRequestJsonDepth));
  EXPECT_TRUE(JsonNestsDeeperThan(Objects(kMaxRequestJsonDepth + 1), kMaxRequestJsonDepth));
}

TEST(JsonNestingTest, MixedArraysAndObjectsCountTogether) {
  std::string mixed;
  for (int i = 0; i < kMaxRequestJsonDepth; ++i) mixed += i % 2 ? "[" : "{\"a\":";
  std::string closing;
  for (int i = kMaxRequestJsonDepth - 1; i >= 0; --i) closing += i % 2 ? "]" : "}";
  EXPECT_TRUE(ParseRequestJson(mixed + "1" + closing).ok());
  EXPECT_FALSE(ParseRequestJson(mixed + "[1]" + closing).ok());
}

TEST(JsonNestingTest, SiblingsDoNotAddUp) {
  std::string wide = "[";
  for (int i = 0; i < 1000; ++i) wide += (i ? "," : "") + Arrays(kMaxRequestJsonDepth - 1);
  wide += "]";
  auto j = ParseRequestJson(wide);
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(j->size(), 1000u);
}

TEST(JsonNestingTest, BracketsInsideStringsDoNotCount) {
  const std::string deep_text(10000, '[');
  auto j = ParseRequestJson("{\"q\":\"" + deep_text + "\"}");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["q"], deep_text);
  EXPECT_FALSE(JsonNestsDeeperThan("\"{{{{{{{{\"", 1));
}

TEST(JsonNestingTest, EscapedQuotesDoNotEndTheString) {
  // "\"[[[[" is one string: the brackets after the escaped quote are still inside it.
  const std::string text = "[\"\\\"" + std::string(100, '[') + "\"]";
  EXPECT_FALSE(JsonNestsDeeperThan(text, 1));
  auto j = ParseRequestJson(text);
  ASSERT_TRUE(j.ok());
  EXPECT_FALSE(j->is_discarded());
}

TEST(JsonNestingTest, AnEscapedBackslashEndsBeforeTheQuote) {
  // "\\" is a complete string; the brackets after it are real.
  const std::string text = "[\"\\\\\"," + Arrays(kMaxRequestJsonDepth) + "]";
  EXPECT_TRUE(JsonNestsDeeperThan(text, kMaxRequestJsonDepth));
  EXPECT_FALSE(JsonNestsDeeperThan(text, kMaxRequestJsonDepth + 1));
}

TEST(JsonNestingTest, StrayClosersDoNotHideDepth) {
  EXPECT_TRUE(JsonNestsDeeperThan("]]]]]]" + std::string(33, '['), kMaxRequestJsonDepth));
}

TEST(JsonNestingTest, HundredThousandLevelsAreRefusedWithoutParsing) {
  const std::string body = "{\"id\":" + Arrays(100000) + "}";
  auto j = ParseRequestJson(body);
  ASSERT_FALSE(j.ok());
  EXPECT_TRUE(IsBadParameter(j.status()));
  // Unclosed, too: refused on the way in.
  EXPECT_FALSE(ParseRequestJson(std::string(100000, '[')).ok());
}

TEST(JsonNestingTest, InvalidJsonWithinTheLimitIsDiscardedNotAnError) {
  auto j = ParseRequestJson("{\"a\":");
  ASSERT_TRUE(j.ok());
  EXPECT_TRUE(j->is_discarded());
}

TEST(JsonObjectBodyTest, TooDeepIsABadParameterOtherErrorsAreNot) {
  EXPECT_TRUE(IsBadParameter(ParseJsonObject("{\"a\":" + Arrays(40) + "}").status()));
  EXPECT_FALSE(IsBadParameter(ParseJsonObject("[1]").status()));
  EXPECT_FALSE(ParseJsonObject("[1]").ok());
  EXPECT_TRUE(ParseJsonObject("").ok());
}

// CKAN -------------------------------------------------------------------------------------

TEST(CkanArgsTest, TextAcceptsStringsNumbersAndBooleans) {
  json a = {{"s", "huế"}, {"n", 12}, {"f", 1.5}, {"b", true}, {"z", nullptr}};
  CkanArgs in(a);
  EXPECT_EQ(in.Str("s"), "huế");
  EXPECT_EQ(in.Str("n"), "12");
  EXPECT_EQ(in.Str("f"), "1.5");
  EXPECT_EQ(in.Str("b"), "true");
  EXPECT_EQ(in.Str("z"), "");
  EXPECT_EQ(in.Str("absent"), "");
  EXPECT_TRUE(in.ok());
}

TEST(CkanArgsTest, ArraysAndObjectsWhereTextIsExpectedAreBadParametersNamingThem) {
  for (const json& v : {json::array({"a"}), json::object({{"a", 1}}), json::parse(Arrays(30))}) {
    json a = {{"id", v}};
    CkanArgs in(a);
    EXPECT_EQ(in.Str("id"), "");
    ASSERT_FALSE(in.ok());
    EXPECT_TRUE(IsBadParameter(in.status()));
    EXPECT_EQ(in.status().fields().count("id"), 1u);
  }
}

TEST(CkanArgsTest, IntegersFromNumbersOrTextAndInvalidOnesNamed) {
  json a = {{"rows", "10"}, {"start", 5}, {"bad", "1x"}, {"list", json::array({1})}};
  CkanArgs in(a);
  EXPECT_EQ(in.Int("rows"), 10);
  EXPECT_EQ(in.Int("start"), 5);
  EXPECT_TRUE(in.ok());
  EXPECT_EQ(in.Int("bad"), std::nullopt);
  EXPECT_FALSE(in.ok());
  EXPECT_FALSE(IsBadParameter(in.status()));  // a value problem: CKAN's 409
  EXPECT_EQ(in.status().fields().at("bad"), "Invalid integer");
  CkanArgs list(a);
  EXPECT_EQ(list.Int("list"), std::nullopt);
  EXPECT_FALSE(list.ok());
}

TEST(JsonIntegerTest, IntegersOrDecimalTextOnly) {
  EXPECT_EQ(*JsonInteger(json(42)), 42);
  EXPECT_EQ(*JsonInteger(json(-7)), -7);
  EXPECT_EQ(*JsonInteger(json("10")), 10);
  EXPECT_EQ(*JsonInteger(json("+4")), 4);
  EXPECT_EQ(*JsonInteger(json(9223372036854775807ULL)), 9223372036854775807LL);
  for (const json& bad :
       {json(9223372036854775808ULL), json(1.5), json(2.0), json(true), json(nullptr), json("1x"),
        json(" 1"), json("1.0"), json(""), json::array({1}), json::object()}) {
    Result<int64_t> r = JsonInteger(bad);
    EXPECT_FALSE(r.ok()) << bad.dump();
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad.dump();
  }
}

TEST(JsonStringFieldTest, TextOrEmptyWhenAbsentAndAnErrorForOtherTypes) {
  json o = {{"name", "Dân số"}, {"none", nullptr}, {"n", 5}, {"l", json::array({"a"})}};
  EXPECT_EQ(*JsonStringField(o, "name"), "Dân số");
  EXPECT_EQ(*JsonStringField(o, "none"), "");
  EXPECT_EQ(*JsonStringField(o, "missing"), "");
  EXPECT_EQ(*JsonStringField(json::array({"name"}), "name"), "");  // not an object: nothing there
  EXPECT_EQ(*JsonStringField(json("name"), "name"), "");
  for (const char* key : {"n", "l"}) {
    Result<std::string> r = JsonStringField(o, key);
    ASSERT_FALSE(r.ok()) << key;
    EXPECT_EQ(r.status().message(), std::string(key) + " must be text");
    EXPECT_EQ(r.status().message_vi(), std::string(key) + " phải là chuỗi ký tự");
  }
}

TEST(FieldReaderTest, IntegersBeyondIntAreTheWrongTypeNotCutShort) {
  json o = {{"ok", "12"}, {"big", 4294967297LL}, {"text", "12abc"}};
  std::optional<int> ok, big, text;
  FieldReader f(o);
  f.Int("ok", ok);
  f.Int("big", big);
  f.Int("text", text);
  EXPECT_EQ(ok, 12);
  EXPECT_EQ(big, std::nullopt);
  EXPECT_EQ(text, std::nullopt);
  EXPECT_EQ(f.status().fields().count("big"), 1u);
  EXPECT_EQ(f.status().fields().count("text"), 1u);
  EXPECT_EQ(f.status().fields().count("ok"), 0u);
}

TEST(CkanArgsTest, ListsFromJsonListsJsonTextOrPlainText) {
  json a = {
      {"l", json::array({"a", 1, "b"})}, {"t", "[\"x\",\"y\"]"}, {"p", "organization:so-y-te"}};
  CkanArgs in(a);
  EXPECT_EQ(in.List("l"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(in.List("t"), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(in.List("p"), (std::vector<std::string>{"organization:so-y-te"}));
  EXPECT_TRUE(in.ok());
}

TEST(CkanArgsTest, AListGivenAsTooDeepJsonTextIsRefused) {
  json a = {{"fq_list", Arrays(kMaxRequestJsonDepth + 1)}};
  CkanArgs in(a);
  EXPECT_TRUE(in.List("fq_list").empty());
  ASSERT_FALSE(in.ok());
  EXPECT_TRUE(IsBadParameter(in.status()));
  EXPECT_EQ(in.status().fields().count("fq_list"), 1u);
}

TEST(CkanArgsTest, BooleansLikeCkan) {
  json a = {{"t", "True"}, {"one", 1}, {"no", "no"}, {"list", json::array()}};
  CkanArgs in(a);
  EXPECT_TRUE(in.Bool("t", false));
  EXPECT_TRUE(in.Bool("one", false));
  EXPECT_FALSE(in.Bool("no", true));
  EXPECT_TRUE(in.Bool("list", true));
  EXPECT_TRUE(in.Bool("absent", true));
}

http::Request Post(std::string content_type, std::string body) {
  http::Request req;
  req.method = "POST";
  req.headers["content-type"] = std::move(content_type);
  req.body = std::move(body);
  return req;
}

TEST(ReadCkanArgsTest, JsonBodyFormKeyAndQuery) {
  auto body = ReadCkanArgs(Post("application/json", "{\"id\":\"a\"}"));
  ASSERT_TRUE(body.ok());
  EXPECT_EQ((*body)["id"], "a");
  auto form_key =
      ReadCkanArgs(Post("application/x-www-form-urlencoded", "%7B%22id%22%3A%22b%22%7D"));
  ASSERT_TRUE(form_key.ok());
  EXPECT_EQ((*form_key)["id"], "b");
  auto form = ReadCkanArgs(Post("application/x-www-form-urlencoded", "id=c&x=1&x=2"));
  ASSERT_TRUE(form.ok());
  EXPECT_EQ((*form)["id"], "c");
  EXPECT_EQ((*form)["x"], json::array({"1", "2"}));
  http::Request get;
  get.method = "GET";
  get.query = {{"id", "d"}};
  EXPECT_EQ((*ReadCkanArgs(get))["id"], "d");
}

TEST(ReadCkanArgsTest, DeepBodiesAndFormKeysAreBadParameters) {
  const std::string deep = "{\"id\":" + Arrays(100000) + "}";
  auto body = ReadCkanArgs(Post("application/json", deep));
  ASSERT_FALSE(body.ok());
  EXPECT_TRUE(IsBadParameter(body.status()));
  auto form = ReadCkanArgs(Post("application/x-www-form-urlencoded", deep));
  ASSERT_FALSE(form.ok());
  EXPECT_TRUE(IsBadParameter(form.status()));
  auto not_object = ReadCkanArgs(Post("application/json", "[1]"));
  ASSERT_FALSE(not_object.ok());
  EXPECT_FALSE(IsBadParameter(not_object.status()));
}

// Datastore ---------------------------------------------------------------------------------

TEST(DatastoreParamsTest, FiltersAsObjectOrTextOfScalarsAndLists) {
  auto q = ParseDatastoreQuery({{"filters", {{"a", 1}, {"b", json::array({"x", true})}}}});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->filters["a"], (std::vector<std::string>{"1"}));
  EXPECT_EQ(q->filters["b"], (std::vector<std::string>{"x", "true"}));
  auto text = ParseDatastoreQuery({{"filters", "{\"a\":\"Huế\"}"}});
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->filters["a"], (std::vector<std::string>{"Huế"}));
}

TEST(DatastoreParamsTest, NestedFilterValuesAreBadParametersNotSerialised) {
  for (const json& v :
       {json::array({json::array({1})}), json::object({{"x", 1}}), json::array({json::object()})}) {
    auto q = ParseDatastoreQuery({{"filters", {{"a", v}}}});
    ASSERT_FALSE(q.ok());
    EXPECT_TRUE(IsBadParameter(q.status()));
    EXPECT_EQ(q.status().fields().count("filters"), 1u);
  }
}

TEST(DatastoreParamsTest, FiltersTextTooDeepIsABadParameter) {
  auto q = ParseDatastoreQuery({{"filters", Arrays(100000)}});
  ASSERT_FALSE(q.ok());
  EXPECT_TRUE(IsBadParameter(q.status()));
  EXPECT_EQ(q.status().fields().count("filters"), 1u);
  // Within the limit but not an object: a value problem, as before.
  auto flat = ParseDatastoreQuery({{"filters", "[1]"}});
  ASSERT_FALSE(flat.ok());
  EXPECT_FALSE(IsBadParameter(flat.status()));
}

TEST(DatastoreParamsTest, TextParametersRefuseListsAndObjects) {
  for (const char* key : {"q", "sort"}) {
    auto q = ParseDatastoreQuery({{key, json::array({"a"})}});
    ASSERT_FALSE(q.ok()) << key;
    EXPECT_TRUE(IsBadParameter(q.status())) << key;
    EXPECT_EQ(q.status().fields().count(key), 1u);
  }
  auto ckan_q = ParseDatastoreQuery({{"q", {{"ten", "Huế"}}}});  // CKAN's per-column form: ignored
  ASSERT_TRUE(ckan_q.ok());
  EXPECT_EQ(ckan_q->q, "");
  auto fields = ParseDatastoreQuery({{"fields", json::array({"a", json::array({"b"})})}});
  ASSERT_FALSE(fields.ok());
  EXPECT_TRUE(IsBadParameter(fields.status()));
  auto ok =
      ParseDatastoreQuery({{"fields", json::array({"a", "b"})}, {"q", "x"}, {"sort", "a desc"}});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->fields, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(ok->q, "x");
  ASSERT_EQ(ok->sort.size(), 1u);
  EXPECT_TRUE(ok->sort[0].second);
}

TEST(DatastoreParamsTest, LimitOfTheWrongTypeIsAnInvalidValue) {
  auto q = ParseDatastoreQuery({{"limit", json::array({1})}});
  ASSERT_FALSE(q.ok());
  EXPECT_FALSE(IsBadParameter(q.status()));
  EXPECT_EQ(q.status().fields().count("limit"), 1u);
}

TEST(DatastoreParamsTest, LimitAndOffsetAreWholeIntegersWithinTheirRange) {
  auto q = ParseDatastoreQuery({{"limit", "25"}, {"offset", 50}});
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->limit, 25);
  EXPECT_EQ(q->offset, 50);
  for (const json& limit : {json("10abc"), json(32001), json(-1), json("1.5"), json(nullptr)}) {
    auto bad = ParseDatastoreQuery({{"limit", limit}});
    ASSERT_FALSE(bad.ok()) << limit.dump();
    EXPECT_EQ(bad.status().fields().at("limit"), "Phải là số nguyên từ 0 đến 32000")
        << limit.dump();
  }
}

TEST(DatastoreParamsTest, CursorsRoundTripAndRefuseNestedOrDeepKeys) {
  std::vector<json> key = {json("Huế"), json(3), json(nullptr)};
  auto back = DecodeCursor(EncodeCursor(key));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, key);
  EXPECT_FALSE(DecodeCursor(Base64UrlEncode("[[1],2]")).ok());
  auto deep = DecodeCursor(Base64UrlEncode(Arrays(1000)));
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.status().fields().count("cursor"), 1u);
  EXPECT_FALSE(DecodeCursor("not base64 !").ok());
}

TEST(RestParamsTest, FilterGrammarSortAndLimits) {
  http::Request req;
  req.query = {{"ten[contains]", "Huế"}, {"so[in]", "1, 2"}, {"sort", "a,-b"}, {"limit", "5"}};
  auto q = ParseRestQuery(req);
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q->where.size(), 2u);
  EXPECT_EQ(q->where[0].op, datastore::Op::kContains);
  EXPECT_EQ(q->where[1].values, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(q->limit, 5);
  ASSERT_EQ(q->sort.size(), 2u);
  EXPECT_TRUE(q->sort[1].second);
  req.query = {{"x[bogus]", "1"}, {"limit", "x"}};
  auto bad = ParseRestQuery(req);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().fields().count("x[bogus]"), 1u);
  EXPECT_EQ(bad.status().fields().count("limit"), 1u);
}

TEST(RestParamsTest, ACursorNestedTooDeeplyIsRefusedForItsDepth) {
  http::Request req;
  req.query = {{"cursor", Base64UrlEncode(Arrays(1000))}};
  auto q = ParseRestQuery(req);
  ASSERT_FALSE(q.ok());
  EXPECT_TRUE(IsBadParameter(q.status()));
  EXPECT_NE(q.status().message_vi().find("lồng quá sâu"), std::string::npos);
  EXPECT_EQ(q.status().fields().count("cursor"), 1u);
}

}  // namespace
}  // namespace odp::api
