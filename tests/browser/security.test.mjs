// Browser-level security: the Content-Security-Policy is strict and the pages live with it
// (no violations, no script errors), htmx and odp.js load and work, the session cookie is
// out of reach of scripts.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, login } from '../integration/harness.mjs';
import { launch, apiDatasets, uiLogin, cookieLogin } from './lib.mjs';

describe('security (browser)', () => {
  let srv, browser, ds, draft, pending;

  before(async () => {
    srv = await startServer({ demo: true });
    browser = await launch();
    ds = (await apiDatasets(srv)).find((d) => d.resources.some((r) => r.kind === 'upload'));
    const admin = await login(srv, 'admin', srv.adminPassword);
    const all = (await call(srv, 'GET', '/api/v1/datasets?limit=100&include_unpublished=true', { session: admin })).json.results;
    draft = all.find((d) => d.state === 'draft');
    pending = all.find((d) => d.state === 'pending');
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  // A context that records console errors, page errors and CSP violation events.
  async function watchedContext(opts = {}) {
    const ctx = await browser.newContext(opts);
    await ctx.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
      });
    });
    const problems = [];
    ctx.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    ctx.on('weberror', (e) => problems.push(`pageerror: ${e.error().message}`));
    return { ctx, problems };
  }
  const violations = (page) => page.evaluate(() => window.__cspViolations);

  test('CSP and other security headers on HTML pages', async () => {
    const { ctx } = await watchedContext();
    const page = await ctx.newPage();
    for (const p of ['/', '/datasets', `/datasets/${ds.slug}`, '/login', '/en/']) {
      const resp = await page.goto(srv.url + p);
      const h = resp.headers();
      const csp = h['content-security-policy'];
      assert.ok(csp, `${p} sends a CSP`);
      assert.ok(!csp.includes('unsafe-inline'), `${p}: no 'unsafe-inline' in ${csp}`);
      assert.ok(!csp.includes('unsafe-eval'), `${p}: no 'unsafe-eval'`);
      const scriptSrc = csp.split(';').map((s) => s.trim()).find((s) => s.startsWith('script-src'));
      assert.equal(scriptSrc, "script-src 'self'");
      assert.match(csp, /frame-ancestors 'none'/);
      assert.match(csp, /object-src 'none'/);
      assert.equal(h['x-content-type-options'], 'nosniff');
      assert.equal(h['x-frame-options'], 'DENY');
    }
    await ctx.close();
  });

  test('the CSP is enforced: an injected inline script does not run', async () => {
    const { ctx } = await watchedContext();
    const page = await ctx.newPage();
    await page.goto(srv.url + '/');
    // The console watcher used by the other tests must see such refusals.
    const reported = ctx.waitForEvent('console', (m) => m.type() === 'error' && /Content Security Policy/.test(m.text()));
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true;';
      document.head.appendChild(s);
      return window.__inlineRan === true;
    });
    assert.equal(ran, false, 'inline script blocked');
    await page.waitForFunction(() => window.__cspViolations.length > 0);
    assert.match((await violations(page))[0], /script-src/);
    await reported;
    await ctx.close();
  });

  test('no CSP violations or script errors on public pages, including an htmx update', async () => {
    const { ctx, problems } = await watchedContext();
    const page = await ctx.newPage();
    for (const p of ['/', '/datasets', `/datasets/${ds.slug}`, `/organizations/${ds.organization.slug}`, '/developers', '/en/datasets']) {
      await page.goto(srv.url + p);
      await page.waitForLoadState('load');
      assert.deepEqual(await violations(page), [], `CSP violations on ${p}`);
    }
    // An htmx swap (facet click) must not trip the CSP either (e.g. with inline indicator styles).
    await page.goto(srv.url + '/datasets');
    await page.waitForFunction(() => !!window.htmx);
    const facet = page.locator('#results a.facet-link').first();
    const href = await facet.getAttribute('href');
    await Promise.all([page.waitForURL((u) => u.href === new URL(href, srv.url).href), facet.click()]);
    await page.waitForSelector('#results a.chip');
    assert.deepEqual(await violations(page), [], 'CSP violations after an htmx swap');
    assert.deepEqual(problems, [], 'console errors / page errors');
    await ctx.close();
  });

  test('no CSP violations or script errors on workspace and admin pages', async () => {
    const { ctx, problems } = await watchedContext();
    await cookieLogin(ctx, srv, 'admin', srv.adminPassword);
    const page = await ctx.newPage();
    const paths = ['/workspace', `/workspace/new?organization=${ds.organization.slug}`, '/workspace/review', '/admin', '/admin/settings', '/tokens'];
    if (draft) paths.push(`/workspace/datasets/${draft.slug}`);
    if (pending) paths.push(`/workspace/review/${pending.slug}`);
    for (const p of paths) {
      const resp = await page.goto(srv.url + p);
      assert.equal(resp.status(), 200, p);
      assert.deepEqual(await violations(page), [], `CSP violations on ${p}`);
    }
    assert.deepEqual(problems, [], 'console errors / page errors');
    await ctx.close();
  });

  test('htmx is loaded with the page config, odp.js copy buttons work', async () => {
    const { ctx, problems } = await watchedContext();
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: srv.url });
    const page = await ctx.newPage();
    await page.goto(`${srv.url}/datasets/${ds.slug}`);
    await page.waitForFunction(() => !!window.htmx);
    const cfg = await page.evaluate(() => ({
      version: window.htmx.version, allowEval: window.htmx.config.allowEval,
      allowScriptTags: window.htmx.config.allowScriptTags, selfRequestsOnly: window.htmx.config.selfRequestsOnly,
      includeIndicatorStyles: window.htmx.config.includeIndicatorStyles,
    }));
    assert.match(cfg.version, /^2\./);
    assert.equal(cfg.allowEval, false);
    assert.equal(cfg.allowScriptTags, false);
    assert.equal(cfg.selfRequestsOnly, true);
    assert.equal(cfg.includeIndicatorStyles, false, 'no inline indicator styles (would break style-src)');

    // odp.js: "Sao chép" copies the REST example and says "Đã chép".
    const button = page.locator('button[data-copy="api-rest"]');
    await button.click();
    await page.waitForFunction(() => document.querySelector('button[data-copy="api-rest"]').textContent === 'Đã chép');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, (await page.locator('#api-rest').textContent()).trim());
    assert.match(copied, new RegExp(`/api/v1/datasets/${ds.slug}`));
    await page.waitForFunction(() => document.querySelector('button[data-copy="api-rest"]').textContent === 'Sao chép');
    assert.deepEqual(problems, []);
    await ctx.close();
  });

  test('the session cookie is HttpOnly and SameSite, logout clears it', async () => {
    const { ctx } = await watchedContext();
    const page = await ctx.newPage();
    await uiLogin(page, srv, 'admin', srv.adminPassword);
    const cookies = await ctx.cookies(srv.url);
    const session = cookies.find((c) => c.name === 'odp_session');
    assert.ok(session, 'session cookie set');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Lax');
    assert.ok(!(await page.evaluate(() => document.cookie)).includes('odp_session'), 'not readable from scripts');
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/'),
      page.locator('header').getByRole('button', { name: 'Đăng xuất' }).click(),
    ]);
    assert.equal((await ctx.cookies(srv.url)).find((c) => c.name === 'odp_session'), undefined, 'cookie cleared');
    // The old cookie value no longer works.
    const me = await call(srv, 'GET', '/api/v1/me', { headers: { Cookie: `odp_session=${session.value}` } });
    assert.equal(me.status, 401);
    await ctx.close();
  });
});
