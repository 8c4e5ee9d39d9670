// Searching the catalogue in a real browser: tone marks, facets, sort, htmx in-place updates,
// the same without JavaScript, English labels and the tone-folded suggestion.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call } from '../integration/harness.mjs';
import { launch, apiDatasets, resultTotal, cardTitles, cardSlugs } from './lib.mjs';

describe('search (browser)', () => {
  let srv, browser, schools, all;

  before(async () => {
    srv = await startServer({ demo: true });
    browser = await launch();
    all = await apiDatasets(srv);
    schools = all.find((d) => d.organization.slug === 'so-giao-duc-dao-tao' && /trường/i.test(d.title_vi));
    assert.ok(schools, 'the demo has a public schools dataset');
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  test('home search with tone marks, then search without them (htmx swaps #results in place)', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(srv.url + '/');
    await page.fill('#home-q', 'giáo dục');
    await Promise.all([page.waitForURL(/\/datasets\?q=/), page.press('#home-q', 'Enter')]);
    assert.equal(new URL(page.url()).searchParams.get('q'), 'giáo dục');
    assert.ok((await cardTitles(page)).includes(schools.title_vi), `"giáo dục" finds "${schools.title_vi}"`);

    // Second search from the results page: hx-boost must update #results without a page load.
    await page.waitForFunction(() => !!window.htmx);
    await page.evaluate(() => { window.__samePage = true; });
    await page.fill('#q', 'giao duc');
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('q') === 'giao duc'),
      page.press('#q', 'Enter'),
    ]);
    // The boosted swap also replaces the <title>; wait for it rather than for the URL alone.
    await page.waitForFunction(() => document.title.includes('giao duc'));
    assert.equal(await page.evaluate(() => window.__samePage), true, 'no full page load (hx-boost)');
    assert.ok((await cardTitles(page)).includes(schools.title_vi), `"giao duc" finds "${schools.title_vi}"`);
    assert.match(await page.title(), /giao duc/);
    await ctx.close();
  });

  test('facet link filters, URL carries the filter, chip removes it', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(srv.url + '/datasets');
    const total = await resultTotal(page);
    assert.equal(total, all.length, 'unfiltered search shows every public dataset');

    // The sector facet whose count is the largest below the total (so the filter must shrink).
    const sectorFacet = page.locator('#results section.facet').filter({ has: page.locator('h3', { hasText: /^Lĩnh vực$/ }) });
    const links = sectorFacet.locator('a.facet-link');
    const items = await links.evaluateAll((as) => as.map((a) => ({
      href: a.getAttribute('href'), count: Number(a.querySelector('.count').textContent), title: a.querySelector('.facet-title').textContent,
    })));
    assert.ok(items.length > 1, 'several sectors to filter by');
    const pick = items.filter((i) => i.count < total).sort((a, b) => b.count - a.count)[0];
    const sector = new URL(pick.href, srv.url).searchParams.get('sector');
    assert.ok(sector, `facet link ${pick.href} sets sector=`);

    await page.evaluate(() => { window.__samePage = true; });
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('sector') === sector),
      links.filter({ hasText: pick.title }).first().click(),
    ]);
    await page.waitForSelector('#results a.chip:not(.chip-clear)');
    assert.equal(await page.evaluate(() => window.__samePage), true, 'facet click swapped #results in place');
    assert.equal(await resultTotal(page), pick.count, 'result count equals the facet count');
    assert.ok(pick.count < total);
    const active = sectorFacet.locator('a.facet-link[aria-current="true"]');
    assert.equal(await active.count(), 1, 'exactly one active sector facet');
    assert.match(await active.getAttribute('class'), /\bactive\b/);
    assert.match(await active.textContent(), new RegExp(pick.title));
    // Every result carries the sector (checked against the API).
    const slugs = await cardSlugs(page);
    assert.equal(slugs.length, pick.count);
    for (const slug of slugs) {
      const d = all.find((x) => x.slug === slug);
      assert.ok(d, `result ${slug} is a public dataset`);
      assert.ok(d.sectors.some((s) => s.slug === sector), `${slug} is in sector ${sector}`);
    }
    const chip = page.locator('#results a.chip:not(.chip-clear)');
    assert.match(await chip.textContent(), new RegExp(pick.title));

    // Remove the filter with its chip.
    await Promise.all([
      page.waitForURL((u) => !u.searchParams.has('sector')),
      chip.click(),
    ]);
    await page.waitForFunction(() => !document.querySelector('#results a.chip'));
    assert.equal(await resultTotal(page), total, 'all results are back');
    assert.equal(await page.locator('#results a.facet-link[aria-current="true"]').count(), 0);
    await ctx.close();
  });

  test('clicking a result opens the dataset page', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(srv.url + '/datasets?q=' + encodeURIComponent('giao duc'));
    await page.waitForFunction(() => !!window.htmx);
    await Promise.all([
      page.waitForURL((u) => u.pathname === `/datasets/${schools.slug}`),
      page.locator('#results').getByRole('link', { name: schools.title_vi }).click(),
    ]);
    await page.waitForFunction(() => !document.querySelector('.htmx-request'));
    await page.waitForLoadState('networkidle');
    const h1 = (await page.locator('main h1').allTextContents()).map((t) => t.trim());
    assert.deepEqual(h1, [schools.title_vi], `after clicking the result the page shows the dataset (h1 was ${JSON.stringify(h1)})`);
    assert.ok(await page.locator('li.resource').count() > 0, 'the dataset page lists its files');
    await ctx.close();
  });

  test('sort select submits by itself and changes the URL and the order', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(srv.url + '/datasets');
    await page.waitForFunction(() => !!window.htmx);
    const api = await call(srv, 'GET', '/api/v1/datasets?sort=title&limit=100');
    const expected = api.json.results.map((d) => d.slug).slice(0, 20);
    const before = await cardSlugs(page);
    assert.notDeepEqual(before, expected, 'default order differs from title order (else the test proves nothing)');
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('sort') === 'title'),
      page.selectOption('#sort', 'title'),
    ]);
    await page.waitForFunction((first) => {
      const a = document.querySelector('#results li.dataset-card h3.card-title a');
      return a && a.getAttribute('href').endsWith('/' + first) && !document.querySelector('.htmx-request');
    }, expected[0]);
    assert.deepEqual(await cardSlugs(page), expected, 'page order matches the API order for sort=title');
    assert.equal(await page.locator('#sort').inputValue(), 'title');
    await ctx.close();
  });

  test('without JavaScript: search, facet and sort work by plain GET navigation', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(srv.url + '/datasets');
    await page.fill('#q', 'giao duc');
    await Promise.all([page.waitForURL((u) => u.searchParams.get('q') === 'giao duc'), page.press('#q', 'Enter')]);
    assert.ok((await cardTitles(page)).includes(schools.title_vi));

    // Facet keeps q.
    const facet = page.locator('#results a.facet-link').first();
    const href = await facet.getAttribute('href');
    const [resp] = await Promise.all([page.waitForNavigation(), facet.click()]);
    assert.equal(resp.status(), 200);
    const u = new URL(page.url());
    assert.equal(u.searchParams.get('q'), 'giao duc', `facet link ${href} keeps the query`);
    assert.equal(await page.locator('#results a.facet-link[aria-current="true"]').count(), 1);

    // No autosubmit without JS: choose, then press the search button.
    await page.goto(srv.url + '/datasets');
    await page.selectOption('#sort', 'title');
    assert.equal(new URL(page.url()).searchParams.get('sort'), null, 'nothing happens without JS');
    await Promise.all([
      page.waitForURL((x) => x.searchParams.get('sort') === 'title'),
      page.locator('#results form').getByRole('button', { name: 'Tìm kiếm' }).click(),
    ]);
    assert.equal(await page.locator('#sort').inputValue(), 'title');
    await ctx.close();
  });

  test('English search page uses English labels and titles', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(srv.url + '/en/datasets?q=' + encodeURIComponent('giao duc'));
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.match(await page.locator('#results h2.results-count').textContent(), /^\s*Showing 1–1 \/ 1 datasets\s*$/);
    assert.equal(await page.locator('label[for="sort"]').textContent(), 'Sort by');
    assert.equal(await page.locator('#results form button[type=submit]').textContent(), 'Search');
    const headings = await page.locator('#results section.facet h3').allTextContents();
    assert.ok(headings.includes('Agency') && headings.includes('Sector'), `facet headings in English: ${headings}`);
    assert.ok((await cardTitles(page)).includes(schools.title_en), `card shows "${schools.title_en}"`);
    // Facet links stay under /en.
    const href = await page.locator('#results a.facet-link').first().getAttribute('href');
    assert.match(href, /^\/en\/datasets\?/);
    await ctx.close();
  });

  test('no results: suggests the query without tone marks', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(srv.url + '/datasets');
    await page.fill('#q', 'xyzqw trường');
    await Promise.all([page.waitForURL((u) => u.searchParams.get('q') === 'xyzqw trường'), page.press('#q', 'Enter')]);
    await page.waitForSelector('#results .empty');
    assert.equal(await page.locator('#results li.dataset-card').count(), 0);
    assert.match(await page.locator('#results h2.results-count').textContent(), /Không tìm thấy bộ dữ liệu nào/);
    const suggestion = page.locator('#results .empty p', { hasText: 'Thử tìm không dấu:' });
    assert.equal(await suggestion.count(), 1, 'suggestion shown');
    const link = suggestion.locator('a');
    assert.equal((await link.textContent()).trim(), 'xyzqw truong');
    assert.equal(new URL(await link.getAttribute('href'), srv.url).searchParams.get('q'), 'xyzqw truong');
    await ctx.close();
  });
});
