// Router: the route list that `odp routes` prints and the authorization matrix test covers.
#include "api/router.h"

#include <gtest/gtest.h>

namespace odp::api {
namespace {

http::Response Empty(http::Request&, const PathParams&) { return {}; }

TEST(RouterTest, RoutesListsEveryRouteInRegistrationOrder) {
  Router router;
  router.Add("GET", "/api/v1/datasets/{id}", Empty);
  router.Add("*", "/api/3/action/{name}", Empty);
  router.Add("POST", "/api/v1/datasets/{id}/submit", Empty);
  using Route = std::pair<std::string, std::string>;
  EXPECT_EQ(router.Routes(), (std::vector<Route>{{"GET", "/api/v1/datasets/{id}"},
                                                 {"*", "/api/3/action/{name}"},
                                                 {"POST", "/api/v1/datasets/{id}/submit"}}));
}

TEST(RouterTest, RoutesOfAnEmptyRouterIsEmpty) { EXPECT_TRUE(Router().Routes().empty()); }

TEST(RouterTest, PlaceholderBetweenLiteralsMatchesOnlyItsSegmentShape) {
  Router router;
  router.Add("GET", "/sitemap-{n}.xml", [](http::Request&, const PathParams& params) {
    http::Response r;
    r.body = "file " + params.at("n");
    return r;
  });
  auto get = [&](const std::string& path) {
    http::Request req;
    req.method = "GET";
    req.path = path;
    req.target = path;
    req.path_valid = true;
    return router.Dispatch(req);
  };
  EXPECT_EQ(get("/sitemap-12.xml").body, "file 12");
  for (const char* other :
       {"/sitemap-.xml", "/sitemap-1.xm", "/sitemap.xml", "/xsitemap-1.xml", "/sitemap-1.xml/x"}) {
    EXPECT_EQ(get(other).status, 404) << other;
  }
}

// A handler that answers with its own name, to see which route a path reached.
RouteHandler Named(std::string name) {
  return [name](http::Request&, const PathParams& p) {
    http::Response r;
    r.body = name;
    for (const auto& [k, v] : p) r.body += " " + k + "=" + v;
    return r;
  };
}

http::Response Get(const Router& router, const std::string& method, const std::string& target) {
  http::Request req;
  req.method = method;
  http::SetTarget(req, target);
  return router.Dispatch(req);
}

TEST(RouterTest, DispatchFindsTheFirstRegisteredMatchOfThePathsLength) {
  Router router;
  router.Add("GET", "/api/v1/datasets/{id}", Named("one"));
  router.Add("GET", "/api/v1/datasets/new", Named("never"));  // shadowed by the one above
  router.Add("GET", "/api/v1/datasets", Named("list"));
  router.Add("*", "/api/3/action/{name}", Named("ckan"));
  router.Add("POST", "/api/v1/datasets/{id}/submit", Named("submit"));
  router.Add("GET", "/", Named("home"));
  EXPECT_EQ(Get(router, "GET", "/api/v1/datasets/new").body, "one id=new");
  EXPECT_EQ(Get(router, "GET", "/api/v1/datasets").body, "list");
  EXPECT_EQ(Get(router, "HEAD", "/api/v1/datasets").body, "list");
  EXPECT_EQ(Get(router, "DELETE", "/api/3/action/package_show?id=x").body,
            "ckan name=package_show");
  EXPECT_EQ(Get(router, "POST", "/api/v1/datasets/a/submit").body, "submit id=a");
  EXPECT_EQ(Get(router, "GET", "/").body, "home");
  EXPECT_EQ(Get(router, "GET", "/api/v1/datasets/a").route, "/api/v1/datasets/{id}");
}

TEST(RouterTest, DispatchAnswers405WhenOnlyTheMethodDiffersAnd404Otherwise) {
  Router router;
  router.Add("GET", "/api/v1/datasets/{id}", Named("one"));
  router.Add("POST", "/api/v1/datasets/{id}/submit", Named("submit"));
  http::Response r = Get(router, "GET", "/api/v1/datasets/a/submit");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.route, "method_not_allowed");
  for (const char* path :
       {"/api/v1/datasets//submit", "/api/v1/other/a", "/api/v1/datasets/a/b/c/d/e", "/", "/api"}) {
    r = Get(router, "GET", path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.route, "not_found") << path;
  }
}

}  // namespace
}  // namespace odp::api
