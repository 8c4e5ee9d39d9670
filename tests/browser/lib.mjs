// Shared helpers for the browser tests (node:test + playwright-core + Debian's chromium).
// Not a test file itself: node --test only picks up *.test.mjs here.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { call, login } from '../integration/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../..');
export const AXE_PATH = path.join(ROOT, 'node_modules/axe-core/axe.min.js');

export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

export const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

// All datasets the API shows to `token` (or anonymously).
export async function apiDatasets(srv, { token, unpublished = false } = {}) {
  const q = `/api/v1/datasets?limit=100${unpublished ? '&include_unpublished=true' : ''}`;
  const r = await call(srv, 'GET', q, { token });
  if (r.status !== 200) throw new Error(`GET ${q}: ${r.status} ${r.text}`);
  return r.json.results;
}

// Logs in through the /login form. Waits until the browser has left /login.
export async function uiLogin(page, srv, login, password) {
  await page.goto(srv.url + '/login');
  await page.fill('#login', login);
  await page.fill('#password', password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.endsWith('/login')),
    page.locator('main form').getByRole('button', { name: 'Đăng nhập' }).click(),
  ]);
}

// Logs in through the API and puts the session cookie into `context` (fast path for tests
// that are not about logging in).
export async function cookieLogin(context, srv, username, password) {
  const s = await login(srv, username, password);
  const [name, value] = s.cookie.split('=');
  await context.addCookies([{ name, value, url: srv.url }]);
  return s;
}

// Number after "/" in "Hiển thị 1–10 / 10 bộ dữ liệu"; 0 when there are no results.
export async function resultTotal(page) {
  const text = (await page.locator('#results h2.results-count').textContent()).trim();
  const m = text.match(/\/\s*(\d+)/);
  return m ? Number(m[1]) : 0;
}

export async function cardTitles(page) {
  return page.locator('#results li.dataset-card h3.card-title a').allTextContents().then((a) => a.map((s) => s.trim()));
}

export async function cardSlugs(page) {
  const hrefs = await page.locator('#results li.dataset-card h3.card-title a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  return hrefs.map((h) => decodeURIComponent(h.split('/').pop()));
}

// Horizontal overflow of the current page (px beyond the viewport).
export async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const sw = Math.max(document.documentElement.scrollWidth, document.body ? document.body.scrollWidth : 0);
    // Name the widest offenders to make a failure actionable.
    const wide = [];
    if (sw > w) {
      for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.right > w + 1 && r.width > 0) {
          wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} (right=${Math.round(r.right)})`);
          if (wide.length >= 5) break;
        }
      }
    }
    return { scrollWidth: sw, width: w, wide };
  });
}

export function readBytes(p) { return readFileSync(p); }
