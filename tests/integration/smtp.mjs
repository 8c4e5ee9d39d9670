// The SMTP catcher the mail tests start: Debian's python3-aiosmtpd writing a Maildir
// (/work/shared/tools/README.md), and helpers that read the messages it caught.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

export async function until(what, fn, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Starts the SMTP catcher on a free port; resolves once it accepts connections.
export async function startSmtp() {
  if (spawnSync('/usr/bin/python3', ['-c', 'import aiosmtpd']).status !== 0) {
    throw new Error('python3-aiosmtpd is missing: run `bash scripts/install-deps.sh --test`');
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'odp-mail-'));
  // aiosmtpd's Mailbox handler writes into an existing Maildir.
  for (const sub of ['tmp', 'new', 'cur']) mkdirSync(path.join(dir, sub));
  const port = await freePort();
  const proc = spawn('/usr/bin/python3',
    ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', dir],
    { stdio: 'ignore' });
  await until('the SMTP server', () => new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1', () => { c.end(); resolve(true); });
    c.on('error', () => resolve(false));
  }));
  return { proc, dir, port, stop() { proc.kill('SIGTERM'); rmSync(dir, { recursive: true, force: true }); } };
}

// Every message in the Maildir, parsed: headers (lower-case names, unfolded) and decoded body.
export function messages(smtp) {
  const dir = path.join(smtp.dir, 'new');
  let files = [];
  try { files = readdirSync(dir); } catch { return []; }
  return files.map((f) => {
    const raw = readFileSync(path.join(dir, f), 'utf8').replace(/\r\n/g, '\n');
    const split = raw.indexOf('\n\n');
    const head = raw.slice(0, split).replace(/\n[ \t]+/g, ' ');
    const headers = {};
    for (const line of head.split('\n')) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
    }
    let body = raw.slice(split + 2);
    if (/base64/i.test(headers['content-transfer-encoding'] || '')) {
      body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    }
    return { headers, body, raw };
  });
}

export const mailsTo = (smtp, address) => messages(smtp).filter((m) => (m.headers.to || '').includes(`<${address}>`));
export const waitMail = (smtp, address, count = 1) =>
  until(`mail to ${address}`, () => { const m = mailsTo(smtp, address); return m.length >= count ? m : null; });

// RFC 2047 encoded words back to text.
export const decodeWords = (s) => s.replace(/=\?UTF-8\?B\?([^?]*)\?=\s*/gi, (_, b) => Buffer.from(b, 'base64').toString('utf8'));

export const linkIn = (body) => {
  const m = body.match(/https?:\/\/[^\s]+\/dat-mat-khau\?token=([A-Za-z0-9_-]+)/);
  assert.ok(m, `no link in:\n${body}`);
  return { url: m[0], path: new URL(m[0]).pathname + new URL(m[0]).search, token: m[1] };
};

