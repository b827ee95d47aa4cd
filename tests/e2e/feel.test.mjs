// What a person feels, measured (never asserted: the figures are a report, not a test that a
// busy machine could fail). Chromium's protocol throttles the CPU 4x and the network to
// DevTools' "Slow 4G" profile; the report gives
// - the start page's time to interactive: from the navigation's start to the app's start page
//   drawn (its heading, its links and the language switch: the app is mounted and its handlers
//   attached), and to the backend's answer shown on it; with the bytes that came over the
//   network by then, and the files;
// - the cost of a keystroke in a text field of the wizard (the filing entity's name): from the
//   key's event to the end of its handlers, and to the next frame drawn after it; median and
//   p90.
// Each line starts with `feel:`; `cargo xtask test` shows them in its output.
import { test, before, after } from 'node:test';
import { start, newPage } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.stop(); });

// DevTools' "Slow 4G" (Chromium's front end: 1.6 Mbit/s down and 750 kbit/s up at 90 %,
// 150 ms round trips times 3.75).
const SLOW_4G = { offline: false, latency: 150 * 3.75, downloadThroughput: (1.6 * 1000 * 1000 / 8) * 0.9, uploadThroughput: (750 * 1000 / 8) * 0.9 };
const CPU_SLOWDOWN = 4;
const LOADS_PER_LANGUAGE = 2;
const KEYSTROKES = 40;
const WARM_UP_KEYSTROKES = 5;

async function throttled(page, network) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  if (network) {
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  }
  return cdp;
}

/// The nearest-rank percentile of `values`.
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

const ms = (v) => `${Math.round(v)} ms`;
const ms1 = (v) => `${v.toFixed(1)} ms`;

function report(line) {
  console.log(`feel: ${line}`);
}

/// One cold load of the start page: milliseconds since the navigation started until the page
/// works, until the backend's answer is on it, and what came over the network by then.
async function loadStart(locale) {
  const page = await newPage(env.browser, env.base, locale);
  page.setDefaultTimeout(120000);
  await throttled(page, true);
  await page.goto('/', { waitUntil: 'commit' });
  const interactive = await (await page.waitForFunction(() => {
    const ready = document.querySelector('main h1') && document.querySelector('main a[href="/check/location"]')
      && document.querySelector('.lang-switch button');
    return ready ? performance.now() : false;
  }, null, { polling: 'raf' })).jsonValue();
  const network = await page.evaluate(() => {
    const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
    return { bytes: entries.reduce((sum, e) => sum + (e.transferSize || 0), 0), files: entries.map((e) => e.name.replace(location.origin, '')) };
  });
  const answered = await (await page.waitForFunction(() => {
    const status = document.querySelector('[data-testid="server-status"]');
    return status && !/…|\.\.\./.test(status.textContent) && status.textContent.trim() !== '' ? performance.now() : false;
  }, null, { polling: 'raf' })).jsonValue();
  await page.context().close();
  return { interactive, answered, ...network };
}

test('the start page\'s time to interactive under a 4x slower CPU and Slow 4G (reported)', async () => {
  const runs = [];
  for (const locale of ['zh-CN', 'en-US']) {
    for (let i = 0; i < LOADS_PER_LANGUAGE; i++) {
      const run = await loadStart(locale);
      runs.push(run);
      report(`start page (${locale}), load ${i + 1}: interactive at ${ms(run.interactive)}, backend's answer shown at ${ms(run.answered)}; `
        + `${run.bytes} B over the network by then in ${run.files.length} files (${run.files.join(', ')})`);
    }
  }
  report(`start page: time to interactive median ${ms(percentile(runs.map((r) => r.interactive), 50))}, `
    + `with the backend's answer ${ms(percentile(runs.map((r) => r.answered), 50))} `
    + `(${runs.length} cold loads, CPU ${CPU_SLOWDOWN}x slower, Slow 4G: ${SLOW_4G.latency} ms, `
    + `${Math.round(SLOW_4G.downloadThroughput)} B/s down)`);
});

test('the cost of a keystroke in a wizard field under a 4x slower CPU (reported)', async () => {
  const page = await newPage(env.browser, env.base, 'en-US');
  await page.goto('/apply/subject');
  const field = page.locator('#f-subject-name');
  await field.waitFor();
  await throttled(page, false);
  // From each key's event: to the end of the page's own input handlers (a listener on the
  // document runs after the field's, and after the microtasks they queued), and to the first
  // task after the next frame (requestAnimationFrame, then a message: the frame is drawn).
  await page.evaluate(() => {
    window.__keys = [];
    let t0 = 0;
    document.addEventListener('keydown', (e) => { t0 = e.timeStamp; }, true);
    document.addEventListener('input', () => {
      const handled = performance.now() - t0;
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => window.__keys.push({ handled, painted: performance.now() - t0 });
        channel.port2.postMessage(0);
      });
    });
  });
  await field.click();
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; i < WARM_UP_KEYSTROKES + KEYSTROKES; i++) {
    await page.keyboard.press(letters[i % letters.length]);
    await page.waitForFunction((n) => window.__keys.length >= n, i + 1);
  }
  const keys = (await page.evaluate(() => window.__keys)).slice(WARM_UP_KEYSTROKES);
  const typed = await field.inputValue();
  await page.context().close();
  const handled = keys.map((k) => k.handled);
  const painted = keys.map((k) => k.painted);
  report(`keystroke in the entity's name (${keys.length} keys, CPU ${CPU_SLOWDOWN}x slower, ${typed.length} letters typed): `
    + `handlers done median ${ms1(percentile(handled, 50))}, p90 ${ms1(percentile(handled, 90))}; `
    + `next frame drawn median ${ms1(percentile(painted, 50))}, p90 ${ms1(percentile(painted, 90))}`);
});
