// The served OpenAPI document (/api/v1/openapi.json) is valid OpenAPI 3.1 and describes exactly
// the routes the running portal registers: every /api/v1 route and method of `odp routes`
// (the server's own registration, pages included) is in it, and it names nothing else that
// the router lacks. src/api/openapi_test.cpp checks the same against the API router alone.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { Validator } from "@seriousme/openapi-schema-validator";

import { odp, startServer } from "./harness.mjs";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

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

// "/api/v1/organizations/{id}/members/{user}" → "/api/v1/organizations/{}/members/{}".
const normalised = (p) => p.replace(/\{[^}/]*\}/g, "{}");

// Every route of `odp routes` on the server's data directory, as "METHOD /path".
function registeredRoutes() {
  const r = odp(["routes", "--data", srv.dir]);
  assert.equal(r.status, 0, r.stderr);
  const routes = r.stdout.split("\n").filter((l) => /^[A-Z*]+ \//.test(l)).map((l) => {
    const [method, path] = l.split(" ");
    return `${method} ${normalised(path)}`;
  });
  assert.ok(routes.length > 50, `odp routes listed ${routes.length} routes`);
  return new Set(routes);
}

function documentedRoutes() {
  const out = new Set();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of Object.keys(item)) {
      if (METHODS.includes(method)) out.add(`${method.toUpperCase()} ${normalised(path)}`);
    }
  }
  return out;
}

test("openapi.json is served as JSON", () => {
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  assert.equal(response.headers.get("cache-control"), "public, max-age=300");
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

test("openapi.json describes every /api/v1 route and method the server registers", () => {
  const documented = documentedRoutes();
  const missing = [...registeredRoutes()].filter((r) => r.includes(" /api/v1/") && !documented.has(r));
  assert.deepEqual(missing, [], `routes missing from the document: ${missing.join(", ")}`);
});

test("openapi.json names no route or method the server lacks", () => {
  const registered = registeredRoutes();
  const extra = [...documentedRoutes()].filter((r) => !registered.has(r));
  assert.deepEqual(extra, [], `documented routes the server does not have: ${extra.join(", ")}`);
});

test("every operation has a summary in English and in Vietnamese", () => {
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      assert.ok(op.summary && op["x-summary-vi"], `${method.toUpperCase()} ${path}`);
    }
  }
});

// Undoes the escaping of mustache's {{…}}: &amp; &lt; &gt; &quot; &apos;.
function unescapeHtml(s) {
  return s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e) => ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" })[e]);
}

test("/developers lists every operation of the document, in Vietnamese and in English", async () => {
  const pages = {
    vi: unescapeHtml(await (await fetch(`${srv.url}/developers`)).text()),
    en: unescapeHtml(await (await fetch(`${srv.url}/en/developers`)).text()),
  };
  let operations = 0;
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      operations++;
      for (const lang of ["vi", "en"]) {
        assert.ok(pages[lang].includes(`<code>${path}</code>`), `${lang}: ${path}`);
        const summary = lang === "vi" ? op["x-summary-vi"] : op.summary;
        assert.ok(pages[lang].includes(summary), `${lang}: ${method.toUpperCase()} ${path}: ${summary}`);
      }
    }
  }
  assert.ok(operations > 50);
  // The tables of tabular files have their own group, titled in each language.
  assert.match(pages.vi, /Bảng dữ liệu của tệp dạng bảng/);
  assert.match(pages.en, /Tables of tabular files/);
});
