// Accessibility of every page type: axe-core (no serious or critical violations), the page
// language, the skip link as first Tab stop, and no horizontal scrolling at 375 px.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, login } from '../integration/harness.mjs';
import { launch, AXE_PATH, horizontalOverflow } from './lib.mjs';

describe('accessibility (browser)', () => {
  let srv, browser, session;
  const fixtures = {};

  before(async () => {
    srv = await startServer({ demo: true });
    browser = await launch();
    session = await login(srv, 'admin', srv.adminPassword);
    const all = (await call(srv, 'GET', '/api/v1/datasets?limit=100&include_unpublished=true', { session })).json.results;
    const pub = all.find((d) => d.access === 'public' && d.state === 'published' && d.resources.length > 1);
    const draft = all.find((d) => d.state === 'draft');
    const pending = all.find((d) => d.state === 'pending');
    assert.ok(pub && draft && pending, 'the demo has a published, a draft and a pending dataset');
    const sectors = (await call(srv, 'GET', '/api/v1/sectors')).json.sectors;
    const topics = (await call(srv, 'GET', '/api/v1/topics')).json.topics;
    let table;
    for (const d of all.filter((x) => x.access === 'public' && x.state === 'published')) {
      for (const r of d.resources) {
        const st = (await call(srv, 'GET', `/api/v1/resources/${r.id}/datastore`)).json;
        if (!table && st.table) table = { slug: d.slug, id: r.id, group: st.table.schema.fields[1].name };
      }
    }
    assert.ok(table, 'the demo has a table');
    // A consumer system, approved, with an API key: its page shows every form and the list.
    const consumer = (await call(srv, 'POST', '/api/v1/consumers', {
      session,
      body: {
        organization: pub.organization.slug, agency_code: '000.00.12.H41', system_code: 'kiem-thu', name: 'Hệ thống kiểm thử',
        technical_contact: { name: 'Kỹ thuật viên', email: 'kythuat@example.gov.vn' },
      },
    })).json;
    assert.ok(consumer && consumer.id, 'a consumer system was registered');
    assert.equal((await call(srv, 'POST', `/api/v1/consumers/${consumer.id}/approve`, { session })).status, 200);
    assert.equal((await call(srv, 'POST', `/api/v1/consumers/${consumer.id}/credentials`, { session, body: { kind: 'api_key' } })).status, 201);
    Object.assign(fixtures, {
      consumer: consumer.id,
      table,
      dataset: pub.slug, org: pub.organization.slug, draft: draft.slug, pending: pending.slug,
      sector: sectors.find((g) => g.dataset_count > 0).slug, topic: topics.find((g) => g.dataset_count > 0).slug,
    });
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  // [name, path (function of fixtures), logged in as admin?, expected status]
  const pages = [
    ['home', () => '/', false],
    ['search', () => '/datasets?q=' + encodeURIComponent('giáo dục'), false],
    ['search, no results', () => '/datasets?q=' + encodeURIComponent('xyzqw trường'), false],
    ['search, filtered', (f) => `/datasets?sector=${f.sector}`, false],
    ['dataset', (f) => `/datasets/${f.dataset}`, false],
    ['organizations', () => '/organizations', false],
    ['organization', (f) => `/organizations/${f.org}`, false],
    ['sectors', () => '/sectors', false],
    ['sector', (f) => `/sectors/${f.sector}`, false],
    ['topics', () => '/topics', false],
    ['topic', (f) => `/topics/${f.topic}`, false],
    ['about', () => '/about', false],
    ['terms of use', () => '/dieu-khoan', false],
    ['privacy notice', () => '/quyen-rieng-tu', false],
    ['English privacy notice', () => '/en/quyen-rieng-tu', false],
    ['developers', () => '/developers', false],
    ['statistics', () => '/thong-ke', false],
    ['English statistics', () => '/en/statistics', false],
    ['login', () => '/login', false],
    ['register', () => '/register', false],
    ['forgotten password', () => '/quen-mat-khau', false],
    ['set password, spent link', () => '/dat-mat-khau?token=khong-co', false, 410],
    ['follow by e-mail', (f) => `/theo-doi?kind=dataset&key=${f.dataset}`, false],
    ['follow, spent confirmation link', () => '/theo-doi/xac-nhan?token=khong-co', false, 410],
    ['English unfollow, spent link', () => '/en/theo-doi/huy?token=khong-co', false, 410],
    ['profile', () => '/profile', true],
    ['tokens', () => '/tokens', true],
    ['workspace', () => '/workspace', true],
    ['new dataset form', (f) => `/workspace/new?organization=${f.org}`, true],
    ['edit dataset form', (f) => `/workspace/datasets/${f.draft}/edit`, true],
    ['manage page', (f) => `/workspace/datasets/${f.draft}`, true],
    ['review queue', () => '/workspace/review', true],
    ['review page', (f) => `/workspace/review/${f.pending}`, true],
    ['admin home', () => '/admin', true],
    ['admin organizations', () => '/admin/organizations', true],
    ['admin organization', (f) => `/admin/organizations/${f.org}`, true],
    ['admin users', () => '/admin/users', true],
    ['admin invitations', () => '/admin/invitations', true],
    ['admin organization, member search', (f) => `/admin/organizations/${f.org}?q=a`, true],
    ['admin taxonomy', () => '/admin/taxonomy', true],
    ['admin settings', () => '/admin/settings', true],
    ['admin terms and privacy', () => '/admin/legal', true],
    ['admin jobs', () => '/admin/jobs', true],
    ['404 page, unknown dataset', () => '/datasets/khong-co-bo-du-lieu-nay', false, 404],
    ['404 page, unknown address', () => '/khong-co-trang-nay', false, 404],
    ['English home', () => '/en/', false],
    ['English search', () => '/en/datasets?q=schools', false],
    ['English dataset', (f) => `/en/datasets/${f.dataset}`, false],
    ['resource page', (f) => `/datasets/${f.table.slug}/resources/${f.table.id}`, false],
    ['resource page, chart', (f) => `/datasets/${f.table.slug}/resources/${f.table.id}?group_by=${f.table.group}`, false],
    ['English resource page', (f) => `/en/datasets/${f.table.slug}/resources/${f.table.id}`, false],
    ['schema form', (f) => `/workspace/resources/${f.table.id}/schema`, true],
    ['consumer systems', () => '/workspace/consumers', true],
    ['consumer system', (f) => `/workspace/consumers/${f.consumer}`, true],
    ['English consumer system', (f) => `/en/workspace/consumers/${f.consumer}`, true],
  ];

  for (const [name, pathOf, auth, status = 200] of pages) {
    test(`${name}`, async () => {
      const urlPath = pathOf(fixtures);
      const ctx = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
      if (auth) {
        const [cname, value] = session.cookie.split('=');
        await ctx.addCookies([{ name: cname, value, url: srv.url }]);
      }
      const page = await ctx.newPage();
      const resp = await page.goto(srv.url + urlPath);
      assert.equal(resp.status(), status, `${urlPath} answers ${status}`);
      assert.equal(new URL(page.url()).pathname, urlPath.split('?')[0], 'no redirect (e.g. to /login)');
      assert.match(resp.headers()['content-type'], /^text\/html/, `${urlPath} is an HTML page`);

      // Language.
      const lang = await page.getAttribute('html', 'lang');
      assert.ok(lang === 'vi' || lang === 'en', `html[lang] is vi or en, got ${lang}`);
      assert.equal(lang, urlPath.startsWith('/en/') ? 'en' : 'vi');

      // axe-core.
      await page.addScriptTag({ path: AXE_PATH });
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      const fmt = (v) => `  [${v.impact}] ${v.id}: ${v.help}\n${v.nodes.slice(0, 5).map((n) => `      ${n.target.join(' ')}`).join('\n')}`;
      const minor = result.violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical');
      if (minor.length) console.log(`# a11y ${name} (${urlPath}) minor/moderate:\n${minor.map(fmt).join('\n')}`);
      const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.equal(bad.length, 0, `axe violations on ${urlPath}:\n${bad.map(fmt).join('\n')}`);

      // Keyboard: the first Tab stop is the skip link, and it moves focus to <main>.
      await page.keyboard.press('Tab');
      const first = await page.evaluate(() => {
        const a = document.activeElement;
        return { cls: a.className, href: a.getAttribute('href'), text: a.textContent.trim() };
      });
      assert.equal(first.cls, 'skip-link', `first Tab focuses the skip link, got ${JSON.stringify(first)}`);
      assert.equal(first.href, '#main');
      assert.equal(first.text, lang === 'en' ? 'Skip to main content' : 'Chuyển đến nội dung chính');
      const visible = await page.evaluate(() => {
        const r = document.activeElement.getBoundingClientRect();
        return r.width > 1 && r.height > 1 && r.top >= 0;
      });
      assert.ok(visible, 'the focused skip link is visible');
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'main', 'Enter on the skip link focuses <main>');

      // Mobile width: no horizontal scrolling.
      await page.setViewportSize({ width: 375, height: 812 });
      const o = await horizontalOverflow(page);
      assert.ok(o.scrollWidth <= 375, `${urlPath} scrolls sideways at 375 px: scrollWidth ${o.scrollWidth}; wide: ${o.wide.join(', ')}`);
      await ctx.close();
    });
  }
});
