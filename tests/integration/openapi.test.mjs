// The served OpenAPI document (/api/v1/openapi.json) is valid OpenAPI 3.1 and describes the
// main REST v1 routes.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { Validator } from "@seriousme/openapi-schema-validator";

import { startServer } from "./harness.mjs";

const REQUIRED_PATHS = [
  "/api/v1/datasets",
  "/api/v1/datasets/{id}",
  "/api/v1/datasets/{id}/resources",
  "/api/v1/resources/{id}/download",
  "/api/v1/organizations",
  "/api/v1/sectors",
  "/api/v1/topics",
  "/api/v1/licenses",
  "/api/v1/me",
  "/api/v1/me/tokens",
  "/api/v1/auth/login",
];

let srv;
let response;
let doc;

before(async () => {
  srv = await startServer({ demo: false });
  response = await fetch(`${srv.url}/api/v1/openapi.json`);
  doc = await response.json();
});

after(async () => {
  if (srv) await srv.stop();
});

test("openapi.json is served as JSON", () => {
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  assert.equal(doc.openapi, "3.1.0");
  assert.equal(doc.info.version, "1.0.0");
});

test("openapi.json is a valid OpenAPI 3.1 document", async () => {
  const validator = new Validator();
  const res = await validator.validate(doc);
  assert.equal(res.valid, true, `validation errors: ${JSON.stringify(res.errors, null, 2)}`);
  // Every $ref points at something that exists.
  assert.doesNotThrow(() => validator.resolveRefs());
});

test("openapi.json describes the main REST v1 paths", () => {
  const missing = REQUIRED_PATHS.filter((p) => !(p in doc.paths));
  assert.deepEqual(missing, [], `paths missing from the document: ${missing.join(", ")}`);
});
