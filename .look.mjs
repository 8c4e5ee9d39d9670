import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
const pass = readFileSync('/tmp/demo/demo-login.txt', 'utf8').split(' ')[1].trim();
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const p = await b.newPage({ viewport: { width: 1280, height: 900 } });
p.on('console', (m) => { if (m.type() === 'error') console.log('console:', m.text()); });
await p.goto('http://127.0.0.1:8090/login');
await p.fill('#login', 'admin'); await p.fill('#password', pass);
await Promise.all([p.waitForNavigation(), p.click('form.form button[type=submit]')]);
for (const [u, f] of process.argv.slice(2).map((x) => x.split('='))) {
  await p.goto('http://127.0.0.1:8090' + u);
  await p.screenshot({ path: f, fullPage: true });
}
await b.close();
