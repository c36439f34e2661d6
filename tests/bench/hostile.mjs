// How long the hostile pages of the end-to-end tests (tests/e2e/fixtures/hostile/huge.html)
// hold their main thread while the extension marks them, in real Chromium and Firefox with the
// extension as it ships, beside a copy of the same build that wraps every mention (none drawn:
// content/drawn.js), the baseline, and beside the page with no extension at all; ROUNDS rounds
// of each page, a different one going first each round.
// The page measures itself: the longest gap between its own 5 ms timer ticks, and how long it
// was held in gaps over 50 ms all told, from when it had loaded and drawn itself until 1,000
// mentions (the mark limit) are marked (with no extension: for ALONE_MS) and 100 ms more have
// passed. Prints a table and writes target/bench/hostile.json. Nothing here is asserted: see
// docs/performance.md.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Builder } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';
import { ROOT } from '../e2e/common.mjs';
import { startServer } from '../e2e/server.mjs';
import { launchChromium, offlineFirefoxOptions, runInWindow } from '../harness-page.mjs';
import { chromiumWithExtension } from './chromium.mjs';
import { median } from './timed-copy.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const KINDS = [
  ['inline', 'one paragraph of 20,000 inline elements'],
  ['text', '20 MB of text in 20,000 paragraphs'],
  ['rows', '10,000 rows appended one by one'],
];
// How long a page with no extension is watched: longer than the extension took to mark any of
// them (1.2 s at most, in the slowest column).
const ALONE_MS = 1500;
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
 * or drawn (with no extension, ALONE_MS), and the page ticked 20 times more; resolves to its
 * heartbeat, or null after 60 s.
 * @param {{ kind: string, aloneMs: number }} what the page, and how long to watch it with no
 *   extension (0: there is one)
 */
async function heldInPage({ kind, aloneMs }) {
  if (kind === 'rows') await /** @type {any} */ (window).appendRows();
  const marked = () =>
    document.querySelectorAll('contractlensmark[aria-haspopup]').length +
    (CSS.highlights.get('contract-lens')?.size ?? 0) +
    (CSS.highlights.get('contract-lens-statements')?.size ?? 0);
  const heartbeat = /** @type {any} */ (window).heartbeat;
  const began = performance.now();
  while (aloneMs ? performance.now() - began < aloneMs : marked() < 1000) {
    if (performance.now() - began > 60_000) return null;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const ticks = heartbeat.ticks;
  while (heartbeat.ticks < ticks + 20) await new Promise((resolve) => setTimeout(resolve, 20));
  return { longest: heartbeat.longest, heldOver50: heartbeat.heldOver50, markedMs: performance.now() - began };
}

const server = await startServer({ root: join(ROOT, 'tests', 'e2e', 'fixtures') });
const pageUrl = (/** @type {string} */ kind) => `${server.origin}/hostile/huge.html?kind=${kind}`;

/**
 * Chromium with the extension in `dir` (none: null): `held(kind)` opens a hostile page in a
 * fresh tab and measures it.
 * @param {string | null} dir
 */
async function chromiumWith(dir) {
  const browser = dir ? await chromiumWithExtension(dir) : await launchChromium();
  const context = 'context' in browser ? browser.context : browser;
  return {
    async held(/** @type {string} */ kind) {
      const page = await context.newPage();
      try {
        await page.goto(pageUrl(kind), { waitUntil: 'load' });
        return await page.evaluate(heldInPage, { kind, aloneMs: dir ? 0 : ALONE_MS });
      } finally {
        await page.close();
      }
    },
    close: () => browser.close(),
  };
}

/** Firefox with the extension in `dir` (none: null), the same. @param {string | null} dir */
async function firefoxWith(dir) {
  const options = offlineFirefoxOptions().windowSize({ width: 1100, height: 800 }).setPageLoadStrategy('normal');
  const service = new firefox.ServiceBuilder(process.env.GECKODRIVER ?? 'geckodriver');
  const driver = await new Builder().forBrowser('firefox').setFirefoxOptions(options).setFirefoxService(service).build();
  if (dir) await driver.installAddon(dir, true);
  await driver.manage().setTimeouts({ script: 120_000 });
  return {
    async held(/** @type {string} */ kind) {
      await driver.get(pageUrl(kind));
      return runInWindow(driver, heldInPage, { kind, aloneMs: dir ? 0 : ALONE_MS });
    },
    close: () => driver.quit(),
  };
}

// Each page as the extension ships, with every mention wrapped, and with no extension at all
// (the page's own waits: a 20 MB page keeps Chromium busy for a while after it has loaded).
const VARIANTS = /** @type {const} */ (['drawn', 'wrapped', 'alone']);
/** @type {Record<string, Record<string, Record<string, any[]>>>} */
const runs = {};
try {
  for (const [browser, launch, build] of /** @type {const} */ ([
    ['Chromium', chromiumWith, 'chrome'],
    ['Firefox', firefoxWith, 'firefox'],
  ])) {
    const launched = {
      drawn: await launch(join(ROOT, 'dist', build)),
      wrapped: await launch(wrappingCopy(build)),
      alone: await launch(null),
    };
    runs[browser] = {};
    try {
      for (const [kind] of KINDS) {
        /** @type {Record<string, any[]>} */
        const runsOf = { drawn: [], wrapped: [], alone: [] };
        for (let round = 0; round < ROUNDS; round += 1) {
          // A different variant first each round.
          const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);
          for (const variant of order) runsOf[variant].push(await launched[variant].held(kind));
        }
        runs[browser][kind] = runsOf;
      }
    } finally {
      for (const one of Object.values(launched)) await one.close();
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
          Object.fromEntries(VARIANTS.map((variant) => [variant, figuresOf(byKind[kind][variant])])),
        ]),
      ),
    ]),
  ),
};
const ms = (/** @type {number} */ x) => `${Math.round(x)} ms`;
const cell = (/** @type {any} */ f) => `${ms(f.longestMs)} / ${ms(f.heldOver50Ms)}`;
console.log(`hostile pages: the page's longest wait / time held in waits over 50 ms; ${figures.machine}; medians of ${ROUNDS} rounds`);
const columns = ['as shipped', 'every mention wrapped', 'no extension'];
console.log(`| page | ${['Chromium', 'Firefox'].flatMap((b) => columns.map((c) => `${b}, ${c}`)).join(' | ')} |`);
console.log(`|${' --- |'.repeat(1 + 2 * columns.length)}`);
for (const [kind, what] of KINDS) {
  const page = figures.pages[kind];
  const cells = ['Chromium', 'Firefox'].flatMap((b) => VARIANTS.map((v) => cell(page[b][v])));
  console.log(`| ${what} | ${cells.join(' | ')} |`);
}
writeFileSync(join(bench, 'hostile.json'), `${JSON.stringify({ ...figures, runs }, null, 2)}\n`);
