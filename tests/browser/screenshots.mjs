// Writes PNG screenshots of the main pages of a demo portal (used by scripts/screenshots.sh).
// Usage: ODP_BIN=build/odp node tests/browser/screenshots.mjs [output-dir]
// Desktop pages are 1280 px wide, phone pages 375 px; all are full-page captures.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startServer, call, login } from '../integration/harness.mjs';
import { launch, ROOT } from './lib.mjs';

const outDir = path.resolve(process.argv[2] || path.join(ROOT, 'docs/screenshots'));
mkdirSync(outDir, { recursive: true });

const srv = await startServer({ demo: true });
const browser = await launch();
let failed = false;
try {
  const session = await login(srv, 'admin', srv.adminPassword);
  const all = (await call(srv, 'GET', '/api/v1/datasets?limit=100&include_unpublished=true', { session })).json.results;
  const dataset = all.find((d) => d.slug === 'danh-sach-truong-trung-hoc') ||
    all.find((d) => d.access === 'public' && d.state === 'published');
  const draft = all.find((d) => d.state === 'draft') || dataset;
  const pending = all.find((d) => d.state === 'pending');

  // [file name, path, logged in as admin?, widths]
  const shots = [
    ['home', '/', false, [1280, 375]],
    ['search', '/datasets?q=' + encodeURIComponent('giáo dục'), false, [1280, 375]],
    ['dataset', `/datasets/${dataset.slug}`, false, [1280, 375]],
    ['organization', `/organizations/${dataset.organization.slug}`, false, [1280]],
    ['login', '/login', false, [1280]],
    ['workspace', '/workspace', true, [1280]],
    ['manage', `/workspace/datasets/${draft.slug}`, true, [1280]],
    ...(pending ? [['review', `/workspace/review/${pending.slug}`, true, [1280]]] : []),
    ['admin-settings', '/admin/settings', true, [1280]],
  ];

  const [cname, cvalue] = session.cookie.split('=');
  for (const [name, urlPath, auth, widths] of shots) {
    for (const width of widths) {
      const ctx = await browser.newContext({ viewport: { width, height: width > 500 ? 900 : 812 }, deviceScaleFactor: 1 });
      if (auth) await ctx.addCookies([{ name: cname, value: cvalue, url: srv.url }]);
      const page = await ctx.newPage();
      const resp = await page.goto(srv.url + urlPath);
      if (resp.status() !== 200 || new URL(page.url()).pathname !== urlPath.split('?')[0]) {
        console.error(`${urlPath}: status ${resp.status()}, ended at ${page.url()}`);
        failed = true;
      }
      await page.evaluate(() => document.fonts.ready);
      const file = path.join(outDir, `${width > 500 ? 'desktop' : 'mobile'}-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(path.relative(process.cwd(), file));
      await ctx.close();
    }
  }
} finally {
  await browser.close();
  await srv.stop();
}
process.exit(failed ? 1 : 0);
