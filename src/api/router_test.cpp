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

}  // namespace
}  // namespace odp::api
