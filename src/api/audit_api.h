// Usage records of API calls and the audit log over HTTP (issue 17; audit/log.h is the log).
//
// Usage records. Every call a consumer system makes (X-API-Key or an access token) through a
// REST route (WithAuth) or a CKAN action becomes one "api.call" record, in the manner of X-Road's
// operational monitoring:
//   request id   `X-Request-Id` as sent (1–128 of [A-Za-z0-9._:-]), else a new UUID; every
//                answer to a signed-in or consumer caller carries it back in `X-Request-Id`
//                (anonymous answers do not: they may be cached whole for everyone)
//   actor        "consumer:<system id>"; the body adds the credential
//   end user     `X-End-User` (the person on whose behalf the system asks: an account name or
//                a citizen id in the consumer's system), up to 256 bytes
//   purpose      `X-Purpose` (the case, dossier or legal purpose reference), up to 256 bytes;
//                both are required later for services with personal data
//   subject      method and path ("GET /api/v1/resources/<id>/rows")
//   organization the provider: the organization of the dataset or resource the call names
//                (path `{id}`, or `resource_id` / `id` in the query), "" when none
//   params       SHA-256 (hex) of the method, path, query string and body, length-prefixed
//   status, rows (when the answer says: `X-Result-Rows`), bytes, duration (handler time, µs)
// Records are queued to the log's writer and written off the request path, unless the call
// needs audit: with `ApiConfig::audit_fail_closed` every consumer call does, and grants can
// mark more (`ApiContext::needs_audit`). Such a call is refused with 503 before it runs when
// the log is failing, and its answer is replaced by 503 when its record cannot be written.
//
// Routes (the first two are scoped: sysadmins (the data unit) see everything; a consumer system
// its own calls; a member of an organization the calls to its data, `organization=<id>`; an
// admin of a consumer system's organization that system's calls, `consumer=<id>`):
//   GET /api/v1/usage/calls          the records, newest first (from, to, limit, before)
//   GET /api/v1/usage/daily          calls, errors, rows, bytes per day (and organization)
//   GET /api/v1/usage/daily.csv      anonymised daily totals per provider: public, an open dataset
//   GET /api/v1/audit/events         every record of the log (sysadmins; kind, actor, …)
//   GET /api/v1/audit/verify         checks the chain and signatures (sysadmins; from, to)
//   GET /api/v1/audit/checkpoints    keys and signed checkpoints as JSON lines (public)
//   POST /api/v1/audit/checkpoints   signs the head now (sysadmins)
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "access/policy.h"
#include "api/context.h"
#include "api/router.h"
#include "http/request.h"

namespace odp::api {

inline constexpr const char* kEndUserHeader = "x-end-user";
inline constexpr const char* kPurposeHeader = "x-purpose";
inline constexpr const char* kRequestIdHeader = "x-request-id";
inline constexpr const char* kResultRowsHeader = "X-Result-Rows";

// `req`'s X-Request-Id when acceptable, else a new UUID.
std::string RequestIdOf(const http::Request& req);
// Lower-case hex SHA-256 of the call's parameters (see above).
std::string ParamsDigest(const http::Request& req);

// Runs `run` (the handler) as `who`'s call: the request id, the usage record and the
// fail-closed rule above. `object_id` names the dataset or resource the call is about ("" when
// none). Never throws more than `run` does.
http::Response RecordedCall(ApiContext& ctx, const http::Request& req, const access::Principal& who,
                            const std::string& object_id,
                            const std::function<http::Response()>& run);

// The JSON of GET /api/v1/usage/daily for `who` with the query's filters (the usage page
// renders the same).
Result<nlohmann::json> UsageDailyJson(ApiContext& ctx, const http::Request& req,
                                      const access::Principal& who);
Result<nlohmann::json> UsageCallsJson(ApiContext& ctx, const http::Request& req,
                                      const access::Principal& who);

void RegisterAudit(Router& router, ApiContext& ctx);

}  // namespace odp::api
