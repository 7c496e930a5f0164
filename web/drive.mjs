// Drives Debian's headless Chromium over the built page, opened from file://,
// as a member state would use it: each case's files given through the one
// file input, the page's result read back.
//   node web/drive.mjs PAGE.html CASES.json     (prints one JSON report on stdout)
// CASES.json: [{"name": "...", "files": ["/abs/path", ...], "timeout": MS?}, ...]
// Env: CHROMIUM (default /usr/bin/chromium), TOOLS (where web/build.sh --browser
// put playwright-core), SCREENSHOT (a .png of the first case, optional).
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

function loadPlaywright() {
  const dirs = [process.env.TOOLS, path.join(homedir(), '.cache/ahq-web-tools')].filter(Boolean);
  for (const dir of dirs) {
    try { return createRequire(path.join(dir, 'x.js'))('playwright-core'); } catch { /* next */ }
  }
  throw new Error('playwright-core not found: run web/build.sh --browser');
}
const { chromium } = loadPlaywright();

const [pagePath, casesPath] = process.argv.slice(2);
const cases = JSON.parse(readFileSync(casesPath, 'utf8'));
const pageUrl = pathToFileURL(path.resolve(pagePath)).href;
const report = { page: pageUrl, cases: [], networkRequests: [], pageErrors: [] };

const userDataDir = mkdtempSync(path.join(tmpdir(), 'ahq-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  chromiumSandbox: false,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const isLocal = (u) => /^(file|blob|data|about|chrome-error):/i.test(u);
  context.on('request', (req) => { if (!isLocal(req.url())) report.networkRequests.push(req.url()); });
  await context.route((u) => !isLocal(u.href), (route) => route.abort('blockedbyclient'));
  const page = context.pages()[0] || await context.newPage();
  page.on('pageerror', (e) => report.pageErrors.push(String(e)));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.requestWillBeSent', (e) => {
    if (!isLocal(e.request.url)) report.networkRequests.push(e.request.url);
  });
  let first = true;
  for (const c of cases) {
    await page.goto('about:blank');
    // A case may set the page's time limit (#timeout=MS): the limit itself is tested.
    await page.goto(pageUrl + (c.timeout ? '#timeout=' + c.timeout : ''));
    await page.waitForSelector('body[data-state="ready"], body[data-state="failed"]', { timeout: 60000 });
    const ready = await page.getAttribute('body', 'data-state');
    const out = { name: c.name, ready, greeting: await page.textContent('#status'), title: await page.title() };
    if (ready === 'ready') {
      await page.setInputFiles('#files', c.files.map((f) => path.resolve(f)));
      await page.waitForSelector('body[data-state="done"]', { timeout: 90000 });
      out.status = await page.textContent('#status');
      out.result = await page.evaluate(() => window.__last || null);
      out.verdicts = await page.$$eval('[data-verdict]', (v) => v.map((e) => e.dataset.verdict));
      out.text = await page.textContent('#result');
      if (first && process.env.SCREENSHOT) {
        await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true });
        first = false;
      }
    }
    report.cases.push(out);
  }
  // The policy itself: a fetch from the page is refused before any request
  // is made (so none is recorded above).
  report.fetchProbe = await page.evaluate(async () => {
    try { await fetch('http://127.0.0.1:9/probe'); return 'sent'; }
    catch (e) { return 'blocked: ' + e.message; }
  });
} catch (e) {
  report.error = String((e && e.stack) || e);
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(report));
