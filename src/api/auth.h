// Who is calling and whether a write may proceed: API tokens, session cookies, CSRF, and the
// wrapper that runs every authenticated route. Used by the API's routes and by the pages.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "access/policy.h"
#include "api/context.h"
#include "api/router.h"
#include "base/status.h"
#include "http/request.h"

namespace odp::api {

// Who is calling: a consumer system's key (X-API-Key) or access token (a JWT as "Bearer …",
// access/consumers.h), else a user's API token (raw or "Bearer …" in Authorization, or
// X-CKAN-API-Key), else a session cookie, else anonymous. A key or token that is wrong, expired
// or revoked is an error (401), not anonymous; a stale cookie is simply anonymous. A consumer
// principal has no user id: it is not a user and gains no user's rights.
Result<access::Principal> Authenticate(ApiContext& ctx, const http::Request& req);

// The client's address (http::ClientAddress with the configured trusted proxies).
std::string ClientAddressOf(const ApiContext& ctx, const http::Request& req);

// True when the request carries no credential at all (no token, no key, no cookie).
bool SentNoCredentials(const http::Request& req);

// For writes: a cookie-authenticated caller must send the session's CSRF token in the
// X-CSRF-Token header (or `csrf_field`, for HTML forms).
Status CheckCsrf(const access::Principal& who, const http::Request& req,
                 const std::string& csrf_field = "");

// Adds the `odp_session` cookie (HttpOnly, SameSite=Lax, Secure behind TLS); an empty value
// with max_age 0 clears it. Used by the API's login and the pages' login.
void SetSessionCookie(const ApiContext& ctx, http::Response& r, const std::string& value,
                      int64_t max_age);

// Wraps a route handler: authenticates the caller (a bad token is 401), checks CSRF on writes
// from cookie sessions, and turns exceptions from JSON handling into 400s.
using AuthedHandler =
    std::function<http::Response(http::Request&, const PathParams&, const access::Principal&)>;
RouteHandler WithAuth(ApiContext& ctx, AuthedHandler fn);

}  // namespace odp::api
