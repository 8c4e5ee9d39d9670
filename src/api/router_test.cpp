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

}  // namespace
}  // namespace odp::api
