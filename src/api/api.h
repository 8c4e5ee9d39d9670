// The API layer's entry points: every route of the portal's HTTP interface.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/context.h"
#include "api/router.h"

namespace odp::api {

void RegisterRestV1(Router& router, ApiContext& ctx);   // /api/v1/…
void RegisterCkan(Router& router, ApiContext& ctx);     // /api/action/…, /api/3/action/…
// The names of the CKAN actions that RegisterCkan's routes answer, sorted (`odp routes`).
std::vector<std::string> CkanActionNames();
void RegisterSystem(Router& router, ApiContext& ctx);   // /, /healthz, /readyz, /metrics, downloads

// A router with every route registered.
std::unique_ptr<Router> BuildRouter(ApiContext& ctx);

// Wraps a route handler: authenticates the caller (a bad token is 401), checks CSRF on writes
// from cookie sessions, and turns exceptions from JSON handling into 400s.
using AuthedHandler =
    std::function<http::Response(http::Request&, const PathParams&, const access::Principal&)>;
RouteHandler WithAuth(ApiContext& ctx, AuthedHandler fn);

}  // namespace odp::api
