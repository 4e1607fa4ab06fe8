// Drives `plenum serve`'s pages in headless Chromium (Debian's
// /usr/bin/chromium through playwright-core, the report crate's install; no
// browser is downloaded) the way a planner would, and prints one JSON object
// of what it saw for the Rust test to assert on:
//   open the shipped default scenario, break a key and see the line flagged
//   with a "did you mean", fix it, run, read the PUE, move the climate and
//   the price in the form view (from the keyboard), run again, compare the
//   two runs (with their year overlaid), run a 2 x 2 sweep and read its
//   chart and table; then the same page on a phone-sized screen, and
//   keyboard focus.
// Screenshots go to SCREENSHOT_DIR. Requests may go only to the server.
//
// Usage: node e2e.mjs BASE_URL SCREENSHOT_DIR PLAYWRIGHT_PACKAGE_DIR
import { createRequire } from 'node:module';
import path from 'node:path';

const [base, shots, playwrightFrom] = process.argv.slice(2);
if (!base || !shots || !playwrightFrom) {
  console.error('usage: node e2e.mjs BASE_URL SCREENSHOT_DIR PLAYWRIGHT_PACKAGE_DIR');
  process.exit(2);
}
const require = createRequire(path.join(playwrightFrom, 'package.json'));
const { chromium } = require('playwright-core');

const browser = await chromium.launch({
  executablePath: process.env.PLENUM_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const out = { steps: [], external: [], console: [], pageErrors: [] };
const step = (name, data) => out.steps.push({ name, ...data });
const long = { timeout: 600000 };
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(base)) return route.continue();
    out.external.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') out.console.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => out.pageErrors.push(String(e)));

  // 1. The shipped default scenario opens in the editor and validates.
  await page.goto(base + '/#/', { waitUntil: 'load' });
  await page.waitForSelector('button[data-name="default"][aria-current="true"]');
  await page.waitForFunction(() => document.querySelector('#validity')?.textContent.startsWith('Valid'));
  const original = await page.inputValue('#editor');
  step('opened', { validity: await page.textContent('#validity') });

  // Completion from the schema: with the caret in [energy], its keys are offered.
  await page.$eval('#editor', (t) => {
    const at = t.value.indexOf('[energy]') + '[energy]\n'.length;
    t.focus();
    t.setSelectionRange(at, at);
  });
  await page.keyboard.press('ArrowRight');
  await page.click('details.completion summary');
  await page.waitForSelector('#keys button[data-key="price_usd_per_kwh"]');
  step('completion', {
    title: await page.textContent('.keys-title'),
    keys: await page.$$eval('#keys button', (b) => b.map((x) => x.dataset.key)),
  });

  // 2. A misspelt key is flagged on its line with a "did you mean".
  const broken = original.replace('price_usd_per_kwh', 'price_usd_per_kwhh');
  const expectedLine = broken.split('\n').findIndex((l) => l.includes('price_usd_per_kwhh')) + 1;
  await page.fill('#editor', broken);
  await page.waitForSelector('#diagnostics li');
  await page.waitForSelector('.gutter span.error');
  step('broken', {
    expectedLine,
    flagged: await page.$$eval('.gutter span.error', (s) => s.map((x) => Number(x.dataset.line))),
    diagnostics: await page.$$eval('#diagnostics li', (l) => l.map((x) => x.textContent)),
    runDisabled: await page.$eval('#run', (b) => b.disabled),
  });
  await page.screenshot({ path: path.join(shots, '1-error-flagged.png'), fullPage: true });
  // The diagnostic's line button moves the caret to that line.
  await page.click('#diagnostics li button');
  step('jumped', {
    caretLine: await page.$eval('#editor', (t) => t.value.slice(0, t.selectionStart).split('\n').length),
  });

  // 3. Fixed, it validates again; run it and read the PUE.
  await page.fill('#editor', original);
  await page.waitForFunction(() => document.querySelector('#validity')?.textContent.startsWith('Valid'));
  await page.click('#run');
  await page.waitForURL(/#\/run\/1$/);
  await page.waitForSelector('#run-status.status-ok, #run-status.status-bad', long);
  const first = {
    url: page.url(),
    status: await page.textContent('#run-status'),
    pue: await page.textContent('.tile[data-key="pue.annual"] .value').catch(() => null),
  };
  // The result page shows the report itself (its own charts), drawn in its frame.
  const frame = await page.waitForSelector('iframe.report').then((f) => f.contentFrame()).catch(() => null);
  if (frame) {
    await frame.waitForLoadState('load');
    await frame.waitForFunction(() => document.documentElement.dataset.charts === 'done', null, long);
    first.reportCharts = await frame.$$eval('.chart svg, .chart canvas', (c) => c.length);
  }
  step('first run', first);
  await page.screenshot({ path: path.join(shots, '2-first-run.png') });

  // 4. Change the climate in the form view (opened from the keyboard) and
  // the electricity price by typing, and run again: the form writes both
  // into the same TOML text, comments kept.
  await page.click('text=Edit this scenario');
  await page.waitForFunction(() => document.querySelector('#validity')?.textContent.startsWith('Valid'));
  const before = await page.inputValue('#editor');
  await page.focus('#form-toggle');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#form-view select[data-path="site.climate"]');
  const formOpened = {
    expanded: await page.getAttribute('#form-toggle', 'aria-expanded'),
    groups: await page.$$eval('#form-view legend', (l) => l.map((x) => x.textContent)),
    climate: await page.inputValue('#form-view select[data-path="site.climate"]'),
  };
  await page.selectOption('#form-view select[data-path="site.climate"]', 'phoenix');
  await page.waitForFunction(() => document.querySelector('#editor').value.includes('climate = "phoenix"'));
  const price = '#form-view input[data-path="energy.price_usd_per_kwh"]';
  await page.focus(price);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('0.08');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => document.querySelector('#editor').value.includes('price_usd_per_kwh = 0.08'));
  await page.waitForFunction(() => document.querySelector('#validity')?.textContent.startsWith('Valid'));
  const after = await page.inputValue('#editor');
  const comments = (t) => t.split('\n').filter((l) => l.trim().startsWith('#')).length;
  step('form', {
    ...formOpened,
    changed: before.split('\n').map((l, i) => [l, after.split('\n')[i]]).filter(([a, b]) => a !== b).map(([, b]) => b),
    sameLineCount: before.split('\n').length === after.split('\n').length,
    commentsBefore: comments(before),
    commentsAfter: comments(after),
    focusedAfterTab: await page.evaluate(() => document.activeElement && document.activeElement.dataset.path),
    formClimate: await page.inputValue('#form-view select[data-path="site.climate"]'),
  });
  await page.screenshot({ path: path.join(shots, '2b-form-view.png'), fullPage: true });
  await page.click('#run');
  await page.waitForURL(/#\/run\/2$/);
  await page.waitForSelector('#run-status.status-ok, #run-status.status-bad', long);
  step('second run', {
    url: page.url(),
    status: await page.textContent('#run-status'),
    pue: await page.textContent('.tile[data-key="pue.annual"] .value').catch(() => null),
  });

  // 5. Compare the two from the history.
  await page.goto(base + '/#/history');
  await page.waitForFunction(() => document.querySelectorAll('tbody input[type="checkbox"]:not([disabled])').length >= 2);
  const boxes = await page.$$('tbody input[type="checkbox"]:not([disabled])');
  await boxes[0].check();
  await boxes[1].check();
  await page.click('#compare');
  await page.waitForSelector('#figures tr[data-key="pue.annual"]');
  const compared = {
    pueRow: await page.$$eval('#figures tr[data-key="pue.annual"] td', (t) => t.map((x) => x.textContent)),
    inputs: await page.$$eval('table:first-of-type tbody tr', (r) => r.map((x) => x.textContent)),
  };
  await page.screenshot({ path: path.join(shots, '3-compare.png') });
  // The comparison report overlays both runs' year on the same axes.
  const compareFrame = await page.waitForSelector('iframe.report').then((f) => f.contentFrame());
  await compareFrame.waitForLoadState('load');
  await compareFrame.waitForFunction(() => document.documentElement.dataset.charts === 'done', null, long);
  compared.overlayCharts = await compareFrame.$$eval('#year .chart svg.marks', (c) => c.length);
  compared.overlayRuns = await compareFrame.$$eval('#year .chart svg g.mark-line path', (p) => p.length);
  await compareFrame.$eval('#year', (e) => e.scrollIntoView());
  await (await page.$('iframe.report')).screenshot({ path: path.join(shots, '3b-compare-overlay.png') });
  step('compare', compared);

  // 6. A 2 x 2 sweep over the scenario in the editor: its table and its chart.
  await page.goto(base + '/#/sweep');
  await page.fill('#vary', 'site.climate=ashburn,phoenix\nenergy.price_usd_per_kwh=0.06,0.09');
  await page.click('#start-sweep');
  await page.waitForURL(/#\/run\/3$/);
  await page.waitForSelector('#run-status.status-ok, #run-status.status-bad', long);
  // The chart is plenum-report's, drawn by Vega-Lite in the sweep's page.
  const sweepFrame = await page.waitForSelector('iframe#sweep-chart').then((f) => f.contentFrame());
  await sweepFrame.waitForLoadState('load');
  await sweepFrame.waitForFunction(() => document.documentElement.dataset.charts === 'done', null, long);
  step('sweep', {
    status: await page.textContent('#run-status'),
    rows: await page.$$eval('#sweep-table tbody tr', (r) => r.length),
    points: await sweepFrame.$$eval('#chart .chart svg g.mark-symbol.role-mark path', (c) => c.length),
    parquet: await page.$eval('a[download]', (a) => a.getAttribute('href')),
  });
  await page.screenshot({ path: path.join(shots, '4-sweep.png'), fullPage: true });

  // 7. Keyboard: from the editor, Escape then Tab leaves it for the next control.
  await page.goto(base + '/#/');
  await page.waitForFunction(() => document.querySelector('#validity')?.textContent.startsWith('Valid'));
  await page.focus('#editor');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  step('keyboard', { focused: await page.evaluate(() => document.activeElement && document.activeElement.id) });

  // 8. A phone-sized screen: nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(base + '/#/history');
  await page.waitForSelector('tbody tr');
  step('phone', {
    width: await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })),
  });
  await page.screenshot({ path: path.join(shots, '5-phone-history.png'), fullPage: true });
  // The form view on the phone: its fields wrap, nothing scrolls sideways.
  await page.goto(base + '/#/');
  await page.waitForFunction(() => document.querySelector('#validity')?.textContent.startsWith('Valid'));
  await page.click('#form-toggle');
  await page.waitForSelector('#form-view select[data-path="site.climate"]');
  step('phone form', {
    width: await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })),
  });
  await page.screenshot({ path: path.join(shots, '6-phone-form.png'), fullPage: true });
} catch (e) {
  out.failure = String(e && e.stack || e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
