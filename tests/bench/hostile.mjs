// How long the hostile pages of the end-to-end tests (tests/e2e/fixtures/hostile/huge.html)
// hold their main thread while the extension marks them, in real Chromium and Firefox with the
// extension as it ships, beside a copy of the same build that wraps every mention (none drawn:
// content/drawn.js), the baseline; ROUNDS rounds of each page, alternating which goes first.
// The page measures itself: the longest gap between its own 5 ms timer ticks, and how long it
// was held in gaps over 50 ms all told, from when it had loaded and drawn itself until 1,000
// mentions (the mark limit) are marked and 100 ms more have passed. Prints a table and writes
// target/bench/hostile.json. Nothing here is asserted: see README.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Builder } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';
import { ROOT } from '../e2e/common.mjs';
import { startServer } from '../e2e/server.mjs';
import { offlineFirefoxOptions, runInWindow } from '../harness-page.mjs';
import { chromiumWithExtension } from './chromium.mjs';
import { median } from './timed-copy.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const KINDS = [
  ['inline', 'one paragraph of 20,000 inline elements'],
  ['text', '20 MB of text in 20,000 paragraphs'],
  ['rows', '10,000 rows appended one by one'],
];
const DRAWN_FROM = ['DRAWN_BLOCK_NODES = 1e3', 'DRAWN_PAGE_BLOCKS = 1e4'];

const bench = join(ROOT, 'target', 'bench');
const out = join(bench, 'hostile');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

/** A copy of the build `browser` that wraps every mention, however long its block or large its page. @param {string} browser */
function wrappingCopy(browser) {
  const dir = join(out, `${browser}-wrapped`);
  cpSync(join(ROOT, 'dist', browser), dir, { recursive: true });
  const script = join(dir, 'content', 'main.js');
  let source = readFileSync(script, 'utf8');
  for (const constant of DRAWN_FROM) {
    if (!source.includes(constant)) throw new Error(`content/main.js no longer has \`${constant}\` to change`);
    source = source.replace(constant, constant.replace(/= .*/, '= Infinity'));
  }
  writeFileSync(script, source);
  return dir;
}

/**
 * Run in the page: appends the rows if asked, waits until 1,000 mentions are marked, wrapped
 * or drawn, and the page ticked 20 times more; resolves to its heartbeat, or null after 60 s.
 * @param {string} kind
 */
async function heldInPage(kind) {
  if (kind === 'rows') await /** @type {any} */ (window).appendRows();
  const marked = () =>
    document.querySelectorAll('contractlensmark[aria-haspopup]').length +
    (CSS.highlights.get('contract-lens')?.size ?? 0) +
    (CSS.highlights.get('contract-lens-statements')?.size ?? 0);
  const heartbeat = /** @type {any} */ (window).heartbeat;
  const began = performance.now();
  while (marked() < 1000) {
    if (performance.now() - began > 60_000) return null;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const ticks = heartbeat.ticks;
  while (heartbeat.ticks < ticks + 20) await new Promise((resolve) => setTimeout(resolve, 20));
  return { longest: heartbeat.longest, heldOver50: heartbeat.heldOver50, markedMs: performance.now() - began };
}

const server = await startServer({ root: join(ROOT, 'tests', 'e2e', 'fixtures') });
const pageUrl = (/** @type {string} */ kind) => `${server.origin}/hostile/huge.html?kind=${kind}`;

/** Chromium with the extension in `dir`: `held(kind)` opens a hostile page in a fresh tab and measures it. @param {string} dir */
async function chromiumWith(dir) {
  const browser = await chromiumWithExtension(dir);
  return {
    async held(/** @type {string} */ kind) {
      const page = await browser.context.newPage();
      try {
        await page.goto(pageUrl(kind), { waitUntil: 'load' });
        return await page.evaluate(heldInPage, kind);
      } finally {
        await page.close();
      }
    },
    close: () => browser.close(),
  };
}

/** Firefox with the extension in `dir`, the same. @param {string} dir */
async function firefoxWith(dir) {
  const options = offlineFirefoxOptions().windowSize({ width: 1100, height: 800 }).setPageLoadStrategy('normal');
  const service = new firefox.ServiceBuilder(process.env.GECKODRIVER ?? 'geckodriver');
  const driver = await new Builder().forBrowser('firefox').setFirefoxOptions(options).setFirefoxService(service).build();
  await driver.installAddon(dir, true);
  await driver.manage().setTimeouts({ script: 120_000 });
  return {
    async held(/** @type {string} */ kind) {
      await driver.get(pageUrl(kind));
      return runInWindow(driver, heldInPage, kind);
    },
    close: () => driver.quit(),
  };
}

/** @type {Record<string, Record<string, { drawn: any[], wrapped: any[] }>>} */
const runs = {};
try {
  for (const [browser, launch, build] of /** @type {const} */ ([
    ['Chromium', chromiumWith, 'chrome'],
    ['Firefox', firefoxWith, 'firefox'],
  ])) {
    const shipped = await launch(join(ROOT, 'dist', build));
    const wrapped = await launch(wrappingCopy(build));
    runs[browser] = {};
    try {
      for (const [kind] of KINDS) {
        const runsOf = { drawn: /** @type {any[]} */ ([]), wrapped: /** @type {any[]} */ ([]) };
        for (let round = 0; round < ROUNDS; round += 1) {
          const order = round % 2 ? [wrapped, shipped] : [shipped, wrapped];
          for (const where of order) (where === shipped ? runsOf.drawn : runsOf.wrapped).push(await where.held(kind));
        }
        runs[browser][kind] = runsOf;
      }
    } finally {
      await shipped.close();
      await wrapped.close();
    }
  }
} finally {
  await server.close();
}

/** Medians of the rounds that finished. @param {any[]} list */
const figuresOf = (list) => {
  const done = list.filter(Boolean);
  return {
    rounds: done.length,
    longestMs: median(done.map((r) => r.longest)),
    heldOver50Ms: median(done.map((r) => r.heldOver50)),
    markedMs: median(done.map((r) => r.markedMs)),
  };
};
const figures = {
  machine: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}`,
  rounds: ROUNDS,
  pages: Object.fromEntries(
    KINDS.map(([kind]) => [
      kind,
      Object.fromEntries(
        Object.entries(runs).map(([browser, byKind]) => [
          browser,
          { drawn: figuresOf(byKind[kind].drawn), wrapped: figuresOf(byKind[kind].wrapped) },
        ]),
      ),
    ]),
  ),
};
const ms = (/** @type {number} */ x) => `${Math.round(x)} ms`;
const cell = (/** @type {any} */ f) => `${ms(f.longestMs)} / ${ms(f.heldOver50Ms)}`;
console.log(`hostile pages: the page's longest wait / time held in waits over 50 ms; ${figures.machine}; medians of ${ROUNDS} rounds`);
console.log('| page | Chromium, as shipped | Chromium, every mention wrapped | Firefox, as shipped | Firefox, every mention wrapped |');
console.log('| --- | --- | --- | --- | --- |');
for (const [kind, what] of KINDS) {
  const page = figures.pages[kind];
  console.log(
    `| ${what} | ${cell(page.Chromium.drawn)} | ${cell(page.Chromium.wrapped)} | ${cell(page.Firefox.drawn)} | ${cell(page.Firefox.wrapped)} |`,
  );
}
writeFileSync(join(bench, 'hostile.json'), `${JSON.stringify({ ...figures, runs }, null, 2)}\n`);
