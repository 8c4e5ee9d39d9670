// Downloading a file from a public dataset page and the page's schema.org description.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, call } from '../integration/harness.mjs';
import { launch, apiDatasets, sha256 } from './lib.mjs';

describe('download (browser)', () => {
  let srv, browser, ds;

  before(async () => {
    srv = await startServer({ demo: true });
    browser = await launch();
    // A public dataset with at least one uploaded file whose name has Vietnamese letters.
    ds = (await apiDatasets(srv)).find((d) => d.resources.some((r) => r.kind === 'upload' && /[^\x00-\x7f]/.test(r.filename)));
    assert.ok(ds, 'the demo has a public dataset with an uploaded file');
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  test('download button gives the same bytes as the API, with the real file name', async () => {
    const ctx = await browser.newContext({ acceptDownloads: true });
    const page = await ctx.newPage();
    await page.goto(`${srv.url}/datasets/${ds.slug}`);
    assert.equal((await page.locator('h1').textContent()).trim(), ds.title_vi);

    const res = ds.resources.find((r) => r.kind === 'upload');
    const item = page.locator('li.resource').filter({ has: page.locator('h3.resource-name', { hasText: res.name }) }).first();
    const button = item.locator('a.button[download]');
    assert.equal(await button.count(), 1, 'the resource has a download button');
    const href = await button.getAttribute('href');
    assert.equal(href, `/dataset/${ds.id}/resource/${res.id}/download/${encodeURIComponent(res.filename)}`);
    assert.equal(new URL(res.url).pathname, href, 'the page links the same URL as the API');

    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    assert.equal(download.suggestedFilename(), res.filename, 'Content-Disposition keeps the Vietnamese file name');
    const file = readFileSync(await download.path());

    const viaHttp = await call(srv, 'GET', href);
    assert.equal(viaHttp.status, 200);
    assert.ok(file.equals(viaHttp.bytes), 'browser download equals the HTTP download');
    assert.equal(file.length, res.size, 'size from the API');
    assert.equal(sha256(file), res.sha256, 'sha256 from the API');

    const one = await call(srv, 'GET', `/api/v1/datasets/${ds.slug}`);
    assert.equal(one.status, 200);
    const r1 = one.json.resources.find((r) => r.id === res.id);
    assert.equal(r1.sha256, sha256(file), 'sha256 from /api/v1/datasets/<slug>');
    await ctx.close();
  });

  test('schema.org JSON-LD parses and describes the dataset', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${srv.url}/datasets/${ds.slug}`);
    const scripts = await page.locator('script[type="application/ld+json"]').allTextContents();
    assert.equal(scripts.length, 1, 'one JSON-LD block');
    const ld = JSON.parse(scripts[0]);
    assert.equal(ld['@context'], 'https://schema.org');
    assert.equal(ld['@type'], 'Dataset');
    assert.equal(ld.name, ds.title_vi);
    assert.equal(ld.url, `${srv.url}/datasets/${ds.slug}`);
    assert.equal(ld.identifier, ds.id);
    if (ds.license?.url) assert.equal(ld.license, ds.license.url);
    const uploads = ds.resources.filter((r) => r.kind === 'upload');
    assert.ok(Array.isArray(ld.distribution), 'distribution list');
    for (const r of uploads) {
      const d = ld.distribution.find((x) => x.contentUrl === r.url);
      assert.ok(d, `distribution lists ${r.url}`);
      assert.equal(d['@type'], 'DataDownload');
      assert.equal(d.encodingFormat, r.mimetype);
    }
    // The REST and CKAN examples name this dataset.
    assert.match(await page.locator('#api-rest').textContent(), new RegExp(`/api/v1/datasets/${ds.slug}`));
    assert.match(await page.locator('#api-ckan').textContent(), /package_show/);
    await ctx.close();
  });
});
