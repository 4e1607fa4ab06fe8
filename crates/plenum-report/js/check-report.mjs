// Opens a Plenum report in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core; no browser is downloaded) and prints, as one JSON
// object on stdout, what the browser test asserts on:
//   - every request the page made, and those that were not file: URLs
//     (routed and aborted, so nothing leaves the machine);
//   - console errors and warnings, and uncaught page errors;
//   - for each <section>, how many charts it has and how many data marks each
//     drew (SVG items outside axes, legends and titles, or non-blank canvas);
//   - whether the page is wider than the window (a horizontal scroll bar);
//   - headline numbers that do not fit their tile, at 1,100, 1,400 and 390 px;
//   - whether scrolling over the power chart zoomed its time axis.
// It also saves a full-page screenshot.
//
// Usage: node check-report.mjs REPORT.html SCREENSHOT.png
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';

const [file, screenshot] = process.argv.slice(2);
if (!file || !screenshot) {
  console.error('usage: node check-report.mjs REPORT.html SCREENSHOT.png');
  process.exit(2);
}
const executablePath = process.env.PLENUM_CHROMIUM || '/usr/bin/chromium';
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const result = { requests: [], external: [], console: [], pageErrors: [], width: null, sections: [], zoom: null };
try {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    result.external.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('request', (r) => result.requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') result.console.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => result.pageErrors.push(String(e)));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  await page.waitForFunction(() => document.documentElement.dataset.charts === 'done', null, { timeout: 120000 });
  result.width = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  // Headline tiles whose number does not fit its tile (clipped, spilling, or
  // broken over two lines), at this width and at a wide desktop's and a
  // phone's (then back).
  const clippedTiles = () => page.evaluate(() =>
    Array.from(document.querySelectorAll('.tile .value'))
      .filter((v) => {
        const tile = v.closest('.tile').getBoundingClientRect();
        const box = v.getBoundingClientRect();
        const lineHeight = parseFloat(getComputedStyle(v).lineHeight) || 1.2 * parseFloat(getComputedStyle(v).fontSize);
        return v.scrollWidth > v.clientWidth + 1 || box.right > tile.right + 1 || box.height > 1.5 * lineHeight;
      })
      .map((v) => v.textContent));
  result.clippedTiles = await clippedTiles();
  result.clippedTilesAt = {};
  for (const width of [1400, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(200);
    result.clippedTilesAt[width] = await clippedTiles();
  }
  await page.setViewportSize({ width: 1100, height: 900 });
  await page.waitForTimeout(200);
  result.sections = await page.evaluate(() =>
    Array.from(document.querySelectorAll('main section'), (section) => ({
      id: section.id,
      plots: section.classList.contains('plots'),
      charts: Array.from(section.querySelectorAll('.chart'), (chart) => {
        const svg = chart.querySelector('svg');
        const canvas = chart.querySelector('canvas');
        let marks = 0;
        if (svg) {
          const box = svg.getBoundingClientRect();
          if (box.width > 50 && box.height > 30) {
            for (const item of svg.querySelectorAll('g.role-mark > path, g.role-mark > line, g.role-mark > text, g.role-mark > g')) {
              if (item.closest('.role-axis, .role-legend, .role-title')) continue;
              if (item.tagName === 'path' && !(item.getAttribute('d') || '').trim()) continue;
              marks += 1;
            }
          }
        } else if (canvas) {
          const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) marks += 1;
        }
        return { id: chart.id, svg: !!svg, canvas: !!canvas, marks, text: chart.textContent.slice(0, 200) };
      }),
    })),
  );
  const power = await page.$('#power .chart');
  if (power) {
    const id = await power.getAttribute('id');
    const span = () => page.evaluate((id) => {
      const d = window.plenumViews[id].scale('x').domain();
      return Number(d[1]) - Number(d[0]);
    }, id);
    const before = await span();
    await power.scrollIntoViewIfNeeded();
    const box = await power.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -600);
    await page.waitForTimeout(600);
    const after = await span();
    result.zoom = { before_ms: before, after_ms: after };
    await page.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(300);
    await page.evaluate(() => window.scrollTo(0, 0));
  }
  await page.screenshot({ path: screenshot, fullPage: true });
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
