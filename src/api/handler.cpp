#include "api/handler.h"

#include <utility>

#include "api/auth.h"
#include "api/response.h"

namespace odp::api {

void AddRoute(Router& router, ApiContext& ctx, const std::string& method,
              const std::string& pattern, ApiHandler handler) {
  router.Add(method, pattern,
             WithAuth(ctx, [&ctx, handler = std::move(handler)](http::Request& req,
                                                                const PathParams& params,
                                                                const access::Principal& who) {
               Result<http::Response> r = handler(ctx, req, params, who);
               if (!r.ok()) return ErrorResponse(r.status());
               return std::move(r).value();
             }));
}

http::Response NoContent() {
  http::Response r;
  r.status = 204;
  return r;
}

}  // namespace odp::api
