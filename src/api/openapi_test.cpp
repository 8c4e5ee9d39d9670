// The OpenAPI document (src/api/openapi.json) against the code it describes: the routes that
// BuildRouter() registers (the same registration `odp serve` and `odp routes` use), its own
// `$ref`s, and the Vietnamese and English texts the /developers page shows.
#include "api/openapi.h"

#include <algorithm>
#include <regex>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "api/api.h"
#include "testing/temp_portal.h"

namespace odp::api {
namespace {

using ordered_json = nlohmann::ordered_json;

constexpr const char* kMethods[] = {"get",     "put",  "post",  "delete",
                                    "options", "head", "patch", "trace"};

bool IsMethod(const std::string& key) {
  return std::find(std::begin(kMethods), std::end(kMethods), key) != std::end(kMethods);
}

// "/api/v1/organizations/{id}/members/{user}" → "/api/v1/organizations/{}/members/{}": the
// router and the document may name a placeholder differently.
std::string Normalised(const std::string& pattern) {
  static const std::regex kPlaceholder(R"(\{[^}/]*\})");
  return std::regex_replace(pattern, kPlaceholder, "{}");
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Every route of the real router as "METHOD /normalised/path".
std::set<std::string> RouterRoutes() {
  testing::TempPortal portal;
  ApiContext ctx{.catalog = *portal.catalog,
                 .accounts = *portal.accounts,
                 .settings = *portal.settings,
                 .blobs = *portal.blobs,
                 .feed = *portal.store};
  std::unique_ptr<Router> router = BuildRouter(ctx);
  std::set<std::string> out;
  for (const auto& [method, pattern] : router->Routes())
    out.insert(method + " " + Normalised(pattern));
  return out;
}

// Every operation of the document as "METHOD /normalised/path".
std::set<std::string> DocumentRoutes() {
  std::set<std::string> out;
  for (const OpenApiOperation& op : OpenApiOperations())
    out.insert(op.method + " " + Normalised(op.path));
  return out;
}

std::string Join(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& i : items) s += "\n  " + i;
  return s;
}

TEST(OpenApiTest, DocumentsEveryApiV1RouteAndMethodOfTheRouter) {
  const std::set<std::string> documented = DocumentRoutes();
  std::vector<std::string> missing;
  int api_routes = 0;
  for (const std::string& route : RouterRoutes()) {
    if (route.find(" /api/v1/") == std::string::npos) continue;
    ++api_routes;
    if (!documented.count(route)) missing.push_back(route);
  }
  EXPECT_TRUE(missing.empty()) << "routes missing from src/api/openapi.json:" << Join(missing);
  // The router really was built: REST v1 has dozens of routes.
  EXPECT_GE(api_routes, 50);
}

TEST(OpenApiTest, NamesNoRouteOrMethodTheRouterLacks) {
  const std::set<std::string> registered = RouterRoutes();
  std::vector<std::string> extra;
  for (const std::string& route : DocumentRoutes()) {
    if (!registered.count(route)) extra.push_back(route);
  }
  EXPECT_TRUE(extra.empty()) << "src/api/openapi.json names routes the router lacks:"
                             << Join(extra);
}

// Collects every "$ref" value under `node`, with the JSON pointer of where it stands.
void CollectRefs(const ordered_json& node, const std::string& at,
                 std::vector<std::pair<std::string, std::string>>& out) {
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if (key == "$ref" && value.is_string()) out.emplace_back(at, value.get<std::string>());
      CollectRefs(value, at + "/" + key, out);
    }
  } else if (node.is_array()) {
    for (size_t i = 0; i < node.size(); ++i)
      CollectRefs(node[i], at + "/" + std::to_string(i), out);
  }
}

TEST(OpenApiTest, EveryRefResolvesAndEveryComponentIsUsed) {
  const ordered_json& doc = OpenApiJson();
  std::vector<std::pair<std::string, std::string>> refs;
  CollectRefs(doc, "", refs);
  ASSERT_FALSE(refs.empty());
  std::vector<std::string> broken;
  std::set<std::string> used;
  for (const auto& [at, ref] : refs) {
    if (!ref.starts_with("#/") || !doc.contains(ordered_json::json_pointer(ref.substr(1)))) {
      broken.push_back(at + " → " + ref);
    }
    used.insert(ref);
  }
  EXPECT_TRUE(broken.empty()) << "$refs that resolve to nothing:" << Join(broken);
  std::vector<std::string> unused;
  for (const auto& [kind, components] : doc.at("components").items()) {
    if (kind == "securitySchemes") continue;  // named by `security`, not by $ref
    for (const auto& [name, _] : components.items()) {
      std::string ref = "#/components/" + kind + "/" + name;
      if (!used.count(ref)) unused.push_back(ref);
    }
  }
  EXPECT_TRUE(unused.empty()) << "components nothing refers to:" << Join(unused);
}

// The path parameters an operation declares, directly or through a $ref, with those of its path.
std::set<std::string> PathParameterNames(const ordered_json& doc, const ordered_json& path_item,
                                         const ordered_json& op) {
  std::set<std::string> names;
  for (const ordered_json* list : {&path_item, &op}) {
    auto params = list->find("parameters");
    if (params == list->end()) continue;
    for (const ordered_json& p : *params) {
      const ordered_json* param = &p;
      if (p.contains("$ref")) {
        auto pointer = ordered_json::json_pointer(p["$ref"].get<std::string>().substr(1));
        if (!doc.contains(pointer)) continue;  // reported by the $ref test
        param = &doc.at(pointer);
      }
      if (param->value("in", "") == "path") names.insert(param->value("name", ""));
    }
  }
  return names;
}

TEST(OpenApiTest, EveryPlaceholderOfAPathIsADeclaredPathParameter) {
  const ordered_json& doc = OpenApiJson();
  static const std::regex kPlaceholder(R"(\{([^}/]*)\})");
  std::vector<std::string> wrong;
  int checked = 0;
  for (const auto& [path, item] : doc.at("paths").items()) {
    std::set<std::string> placeholders;
    for (auto it = std::sregex_iterator(path.begin(), path.end(), kPlaceholder);
         it != std::sregex_iterator(); ++it) {
      placeholders.insert((*it)[1].str());
    }
    for (const auto& [method, op] : item.items()) {
      if (!IsMethod(method)) continue;
      ++checked;
      if (PathParameterNames(doc, item, op) != placeholders)
        wrong.push_back(Upper(method) + " " + path);
    }
  }
  EXPECT_TRUE(wrong.empty()) << "path parameters that differ from the path's placeholders:"
                             << Join(wrong);
  EXPECT_EQ(checked, static_cast<int>(OpenApiOperations().size()));
}

TEST(OpenApiTest, EveryOperationHasItsTextsInVietnameseAndEnglish) {
  const ordered_json& doc = OpenApiJson();
  std::set<std::string> tags;
  for (const ordered_json& t : doc.at("tags")) {
    tags.insert(t.at("name").get<std::string>());
    EXPECT_FALSE(t.value("description", "").empty()) << t.dump();
    EXPECT_FALSE(t.value("x-description-vi", "").empty()) << t.dump();
  }
  std::set<std::string> ids;
  std::set<std::string> used_tags;
  for (const OpenApiOperation& op : OpenApiOperations()) {
    const std::string where = op.method + " " + op.path;
    EXPECT_FALSE(op.summary.empty()) << where << ": no summary";
    EXPECT_FALSE(op.summary_vi.empty()) << where << ": no x-summary-vi";
    EXPECT_EQ(op.description.empty(), op.description_vi.empty())
        << where << ": a description needs x-description-vi, and the other way round";
    EXPECT_TRUE(tags.count(op.tag))
        << where << ": tag \"" << op.tag << "\" is not declared in `tags`";
    used_tags.insert(op.tag);
    std::string method = op.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string id = doc.at("paths").at(op.path).at(method).value("operationId", "");
    EXPECT_FALSE(id.empty()) << where << ": no operationId";
    EXPECT_TRUE(ids.insert(id).second) << where << ": operationId " << id << " is used twice";
  }
  EXPECT_EQ(used_tags, tags) << "every declared tag has operations";
}

TEST(OpenApiTest, ServesTheDocumentItDescribes) {
  const ordered_json served = ordered_json::parse(OpenApiDocument());
  EXPECT_EQ(served, OpenApiJson());
  EXPECT_EQ(served.at("openapi"), "3.1.0");
  // The route that serves it is in it.
  EXPECT_TRUE(served.at("paths").contains("/api/v1/openapi.json"));
}

}  // namespace
}  // namespace odp::api
