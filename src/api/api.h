// The API layer's entry points: every route of the portal's HTTP interface.
//
// ### api
//
// - `router.cpp`: method + pattern (`/api/v1/datasets/{id}`). The first match wins, HEAD is
//   routed as GET, a path that matches only under another method is 405, and an invalid path is
//   400. The router also sets `Response::route`, which becomes the metrics label.
// - `context.cpp`: `ApiContext` and `GenerationCache`, the one cache type (two instances in
//   `ApiContext`: `cache` and `fast`).
// - `auth.cpp`: `Authenticate` (token, else session cookie, else anonymous), `CheckCsrf`, the
//   session cookie, and `WithAuth`, which runs every authenticated route.
// - `handler.cpp`: `AddRoute`, how an authenticated route is registered: a named function
//   returning `Result<Response>` (a non-OK Status becomes the error body), one block per file.
// - `response.cpp`: `HttpStatusFor` (Status code → HTTP status) and `ErrorResponse`, which
//   builds the error body `{"error":{"code","message","message_vi","details"}}`.
// - `params.cpp`: `FieldReader` (typed optional JSON fields) and the request readers.
// - `json_shapes.cpp`: the JSON of each record twice, ODP's own shape and CKAN's, built from
//   the same service records.
// - `rest_v1.cpp`: `/api/v1/…`. `openapi.cpp`: the OpenAPI 3.1 document for it, kept by
//   hand and validated by `tests/integration/openapi.test.mjs`.
// - `ckan.cpp`: `/api/action/{name}` and `/api/3/action/{name}` with CKAN's envelope and
//   error types.
// - `system.cpp`: `/healthz`, `/readyz`, `/metrics` and the CKAN-style download path
//   `/dataset/{id}/resource/{rid}/download/{filename}`.
// - `consumers_api.cpp`: consumer systems (access/consumers.h): registration, approval,
//   credentials, signing keys; the OAuth 2.0 token endpoint `POST /oauth/token`
//   (client_credentials; client_secret_basic or client_secret_post; RFC 6749 error bodies) and
//   the JWKS at `/.well-known/jwks.json`. Both are outside WithAuth.
// - `sharing_api.cpp`: inter-agency sharing (sharing/sharing.h): the sharing catalogue, requests
//   (multipart, with the letter as a PDF file part) and decisions, the announced calendar days,
//   the overdue board and the caller's notifications; `sharing_input.h` reads the inputs for
//   the API and the pages alike.
// - `audit_api.cpp`: usage records of consumer systems' calls (`RecordedCall`, run by WithAuth
//   and the CKAN actions: request id, usage record, fail closed) and the routes of the usage
//   views and of the audit log (`/api/v1/usage/…`, `/api/v1/audit/…`); see `audit_api.h`.
// - `grants_api.cpp`: grants of shared data (access/grants.h): create, list, show, narrow
//   (PATCH), suspend, resume, revoke. `grant_reads.cpp`: how every read path applies a grant
//   (the caller's view of a table, the row filter, masks, quotas and their headers).
// - `upload.cpp`: reads multipart forms into the blob store and serves files (`FileResponse`:
//   ETag, Last-Modified, 304, single ranges).
// - `datastore_api.cpp`: the query parsers (`ParseRestQuery` for the REST filter grammar,
//   cursors and reserved parameters; `ParseDatastoreQuery` for CKAN `datastore_search` and the
//   dump; `ParseSchemaChange` for the schema body), and the routes `GET
//   /api/v1/resources/{id}/datastore`, `…/rows`, `…/aggregate`, `…/export`, `…/datastore/diff`,
//   `PUT …/datastore/schema`, `POST …/datastore/cancel` and `GET /datastore/dump/{id}`. Cursors
//   are the sort key as JSON in URL-safe base64 (`Base64UrlEncode` in `base/crypto.h`). Exports
//   become a `Response::stream` over an `ExportStream`, or, for XLSX, a file written by
//   `WriteXlsx` into the spool directory (`DATA/tmp/export-<uuid>.xlsx`) and sent with
//   `delete_file`. `datastore_search` and `datastore_search_sql` are CKAN actions in `ckan.cpp`.
//   The REST upload routes in `rest_v1.cpp` read the form fields `sheet` and `encoding` and call
//   `Datastore::Reload` after storing the file. `ApiContext::datastore` may be null; every
//   datastore route then answers 404.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/auth.h"
#include "api/context.h"
#include "api/params.h"
#include "api/response.h"
#include "api/router.h"

namespace odp::api {

void RegisterRestV1(Router& router, ApiContext& ctx);  // /api/v1/…
void RegisterCkan(Router& router, ApiContext& ctx);    // /api/action/…, /api/3/action/…
// The names of the CKAN actions that RegisterCkan's routes answer, sorted (`odp routes`).
std::vector<std::string> CkanActionNames();
void RegisterSystem(Router& router, ApiContext& ctx);  // /, /healthz, /readyz, /metrics, downloads
// /api/v1/consumers…, /api/v1/oauth/signing-keys, POST /oauth/token, /.well-known/jwks.json
void RegisterConsumers(Router& router, ApiContext& ctx);
// /api/v1/sharing/… (catalogue, requests, calendar, overdue board), /api/v1/notifications…
void RegisterSharing(Router& router, ApiContext& ctx);

// /api/v1/usage/…, /api/v1/audit/… (api/audit_api.h)
void RegisterAudit(Router& router, ApiContext& ctx);
// /api/v1/grants…: grants of shared data to consumer systems (api/grant_reads.h enforces them)
void RegisterGrants(Router& router, ApiContext& ctx);

// A router with every route registered.
std::unique_ptr<Router> BuildRouter(ApiContext& ctx);

}  // namespace odp::api
