// How an API route is written: a named function that returns its answer, or the Status that
// becomes the error body (ErrorResponse), registered with AddRoute in one block at the end of
// its file, so that one screen lists every route of the file with its handler:
//
//   Result<http::Response> GetDataset(ApiContext& ctx, http::Request& req, const PathParams& p,
//                                     const access::Principal& who) {
//     ODP_ASSIGN_OR_RETURN(auto entry, ctx.catalog.GetDataset(who, p.at("id")));
//     return JsonResponse(200, DatasetJson(ctx, *entry));
//   }
//   …
//   AddRoute(router, ctx, "GET", "/api/v1/datasets/{id}", GetDataset);
#pragma once

#include <functional>
#include <string>

#include "access/policy.h"
#include "api/context.h"
#include "api/router.h"
#include "base/status.h"
#include "http/request.h"

namespace odp::api {

// An authenticated route's handler. `who` is the caller (WithAuth: a bad token never gets
// here, nor a cookie write without its CSRF token). A non-OK Status is answered by
// ErrorResponse; a handler that needs another status for an error (429 for a throttled login)
// returns that Response itself.
using ApiHandler = std::function<Result<http::Response>(
    ApiContext& ctx, http::Request& req, const PathParams& params, const access::Principal& who)>;

// Registers `handler` for `method` + `pattern` behind WithAuth. `ctx` must outlive `router`.
void AddRoute(Router& router, ApiContext& ctx, const std::string& method,
              const std::string& pattern, ApiHandler handler);

// An empty 204 answer (a deletion, a logout).
http::Response NoContent();

}  // namespace odp::api
