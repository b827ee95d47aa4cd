// Starts the real backend (release build) with the release app on a free loopback port and a
// temporary data folder, and headless Chromium driven by playwright-core; stops both after.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
export const root = join(here, '..', '..');
export const screenshots = join(here, 'screenshots');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitReady(base, child) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`beian-server exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('beian-server did not become ready in 30 s');
}

export async function start() {
  const bin = process.env.BEIAN_SERVER_BIN;
  if (!bin) throw new Error('BEIAN_SERVER_BIN is not set (run through `cargo xtask test`)');
  const port = await freePort();
  const data = mkdtempSync(join(tmpdir(), 'beian-e2e-'));
  const base = `http://127.0.0.1:${port}`;
  // BEIAN_DIST_DIR: another build's app (to measure an earlier build with feel.test.mjs).
  const dist = process.env.BEIAN_DIST_DIR || join(root, 'dist');
  const server = spawn(bin, ['--demo', '--dist-dir', dist, '--addr', `127.0.0.1:${port}`, '--data-dir', data,
    // The clock's rounds every second: the simulated administration decides at once.
    '--clock-interval', '1'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, RUST_LOG: 'warn' },
  });
  await waitReady(base, server);
  const browser = await chromium.launch({
    executablePath: process.env.BEIAN_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  mkdirSync(screenshots, { recursive: true });
  const stop = async () => {
    await browser.close().catch(() => {});
    server.kill('SIGTERM');
    rmSync(data, { recursive: true, force: true });
  };
  return { base, browser, stop };
}

/// A new page in a fresh context (its own cookies and storage), in `locale`. Every
/// Content-Security-Policy violation the page reports is kept in `page.cspViolations`.
export async function newPage(browser, base, locale = 'en-US') {
  const context = await browser.newContext({ locale, baseURL: base, viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.cspViolations = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) page.cspViolations.push(message.text());
    // What the page reports as wrong goes to the log, so that a journey that times out shows
    // why (a panic in the app, a call that failed).
    if (message.type() === 'error') process.stderr.write(`# browser console error: ${message.text()}\n`);
  });
  page.on('pageerror', (error) => process.stderr.write(`# browser page error: ${error.message}\n`));
  page.on('requestfailed', (request) => process.stderr.write(`# browser request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}\n`));
  return page;
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/// Runs axe-core on the page (evaluated through the browser's protocol, so the page's
/// Content-Security-Policy, which forbids inline scripts, stays in force); returns the serious
/// and critical violations.
export async function axe(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

export async function shot(page, name) {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

/// Screenshots of the page in English and in Chinese (`name-en`, `name-zh`), switching with
/// the page's own language toggle and back.
export async function shotBoth(page, name) {
  await shot(page, `${name}-en`);
  await page.getByRole('button', { name: '简体中文' }).click();
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  await shot(page, `${name}-zh`);
  await page.getByRole('button', { name: 'English' }).click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
}

/// A tiny valid PNG, written to a temporary file for uploads.
export function pngFile() {
  const bytes = Buffer.from(
    '89504E470D0A1A0A0000000D4948445200000001000000010806000000' +
    '1F15C4890000000A49444154789C6300010000050001' + '0D0A2DB40000000049454E44AE426082', 'hex');
  const dir = mkdtempSync(join(tmpdir(), 'beian-upload-'));
  const file = join(dir, 'document.png');
  writeFileSync(file, bytes);
  return file;
}
