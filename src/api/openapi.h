// The OpenAPI 3.1 document of REST API v1, served at /api/v1/openapi.json.
//
// The document is data: src/api/openapi.json, embedded in the binary at build time (the build
// fails when it is not JSON). It describes every /api/v1 route that BuildRouter() registers,
// plus /healthz, /readyz, /metrics and /datastore/dump/{id}; openapi_test.cpp fails when a
// registered /api/v1 route or method is missing from it, when it names a route the router
// lacks, when a `$ref` does not resolve, or when an operation lacks its Vietnamese summary.
// Every operation has `summary` and `x-summary-vi`, and `x-description-vi` beside each
// `description`: the /developers page shows them in the reader's language.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace odp::api {

// The document, parsed on first use and never again, in the order it is written.
// Safe to call from any thread.
const nlohmann::ordered_json& OpenApiJson();

// The document as served: compact JSON text, made once. Safe to call from any thread.
const std::string& OpenApiDocument();

// One operation of the document (a path and a method), with its texts in both languages.
struct OpenApiOperation {
  std::string method;  // upper case: "GET", "POST", …
  std::string path;    // as written: "/api/v1/datasets/{id}"
  std::string tag;     // its first tag, "" when it has none
  std::string summary;
  std::string summary_vi;
  std::string description;     // Markdown, may be empty
  std::string description_vi;  // Markdown, may be empty
};

// Every operation, in the document's order (paths, then methods within a path); read from
// OpenApiJson() once. Safe to call from any thread.
const std::vector<OpenApiOperation>& OpenApiOperations();

}  // namespace odp::api
