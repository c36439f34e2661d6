// Start, first mark, card and memory in Firefox, the extension as shipped (dist/firefox, with
// the performance marks of timed-copy.mjs, as start.mjs has for Chromium), measured from outside: Debian's Firefox ESR driven by selenium-webdriver and geckodriver, pages served from
// 127.0.0.1 and every other request sent to a closed local port.
// - the background's reply to a page's scan when it was stopped (Firefox suspends an idle
//   background page after 30 s; here it is stopped as about:debugging's "Terminate background
//   script" does) beside its reply when running, and beside waking it for a message that needs
//   no core; a card's data, small and large, running, sent as JSON text (as Firefox's build
//   sends it) beside the same card sent as objects (the baseline: timed-copy.mjs), alternating;
// - first mark on the test article after DOMContentLoaded, background stopped and running,
//   medians of ROUNDS rounds; the same in a second browser with a copy of the build without the
//   wake-up at document_start (content/wake.js), as the baseline;
// - first mark on each saved real page, warm, marked everywhere: the median and the slowest
//   page, after DOMContentLoaded and after the content script started; and cold, on each page
//   that got marks, with the wake-up and without;
// - the background page's memory (about:memory's reporters, after a garbage collection) once
//   every saved page was scanned and two cards built: its WebAssembly memory and the rest.
// Firefox reports no long tasks (no PerformanceLongTaskTiming), so the longest task is
// Chromium's figure only (start.mjs). Prints a table and writes target/bench/firefox.json.
// Nothing here is asserted: see README.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Builder } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';
import { eventually, ROOT } from '../e2e/common.mjs';
import { startServer } from '../e2e/server.mjs';
import { offlineFirefoxOptions, runInWindow as run } from '../harness-page.mjs';
import {
  articleFigures,
  cardRepliesBothWays,
  cardRepliesLists,
  firstMarkSteps,
  firstMarkStepsRow,
  MARKS,
  marksInPage,
  median,
  probeInPage,
  timedCopy,
  timedReplyInPage,
} from './timed-copy.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 9);
const PAGE_TIMEOUT_MS = 15_000;
const SAVED_PAGE_TIMEOUT_MS = 3_000;

const bench = join(ROOT, 'target', 'bench');
const out = join(bench, 'firefox');
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'pages'), { recursive: true });

// The pages are served with timed-copy.mjs's probe put first: Firefox has no hook that runs a
// script before a page's own (Chromium's init scripts); first, ahead of any CSP of theirs in a
// meta tag.
const probed = (/** @type {string} */ html) => `<script>(${probeInPage})()</script>${html}`;
const pagesDir = join(ROOT, 'tests', 'fixtures', 'pages');
const saved = readdirSync(pagesDir)
  .filter((f) => f.endsWith('.html.gz'))
  .map((f) => f.replace(/\.gz$/, ''))
  .sort();
for (const file of saved)
  writeFileSync(join(out, 'pages', file), probed(gunzipSync(readFileSync(join(pagesDir, `${file}.gz`))).toString('utf8')));
writeFileSync(join(out, 'pages', 'article.html'), probed(readFileSync(join(ROOT, 'tests', 'e2e', 'fixtures', 'article.html'), 'utf8')));
writeFileSync(join(out, 'pages', 'article.css'), readFileSync(join(ROOT, 'tests', 'e2e', 'fixtures', 'article.css')));

const shippedDir = timedCopy(join(ROOT, 'dist', 'firefox'), join(out, 'shipped'));
const noWakeDir = timedCopy(join(ROOT, 'dist', 'firefox'), join(out, 'no-wake'), (manifest) => {
  const before = manifest.content_scripts.length;
  manifest.content_scripts = manifest.content_scripts.filter((c) => !c.js.includes('content/wake.js'));
  if (manifest.content_scripts.length !== before - 1) throw new Error('the build has no wake-up to leave out');
  return manifest;
});
const ADDON_ID = JSON.parse(readFileSync(join(shippedDir, 'manifest.json'), 'utf8')).browser_specific_settings.gecko.id;

const server = await startServer({ root: join(out, 'pages') });

/** Firefox with the extension in `dir`; a page tab, and an extension page that talks to the background. */
async function launch(dir) {
  // Nothing may leave the machine.
  const options = offlineFirefoxOptions()
    .windowSize({ width: 1100, height: 800 })
    // driver.get() returns at DOMContentLoaded, not after the saved pages' every resource.
    .setPageLoadStrategy('eager')
    // A saved page's alert or leave-page prompt is dismissed, not an error.
    .setAlertBehavior('dismiss')
    .setPreference('dom.disable_beforeunload', true)
    // Timings to the microsecond, not rounded to the millisecond as pages get them.
    .setPreference('privacy.reduceTimerPrecision', false)
    // A running background stays running between the benchmark's steps; it is stopped only
    // when the benchmark stops it.
    .setPreference('extensions.background.idle.timeout', 600_000);
  const service = new firefox.ServiceBuilder(process.env.GECKODRIVER ?? 'geckodriver').addArguments('--allow-system-access');
  const driver = await new Builder().forBrowser('firefox').setFirefoxOptions(options).setFirefoxService(service).build();
  await driver.installAddon(dir, true);
  const pageWindow = await driver.getWindowHandle();
  // The options page, opened from the browser's chrome context (content pages may not).
  const before = new Set(await driver.getAllWindowHandles());
  await driver.setContext(firefox.Context.CHROME);
  await driver.executeScript(
    `const tab = gBrowser.addTab(WebExtensionPolicy.getByID(arguments[0]).getURL('options/options.html'), {
      triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() });`,
    ADDON_ID,
  );
  await driver.setContext(firefox.Context.CONTENT);
  const handles = await eventually(
    () => driver.getAllWindowHandles(),
    (all) => all.some((h) => !before.has(h)),
    { what: 'the options tab' },
  );
  const controlWindow = handles.find((h) => !before.has(h));
  let current = pageWindow;
  const on = async (handle) => {
    if (current !== handle) await driver.switchTo().window(handle);
    current = handle;
  };
  await on(controlWindow);
  await run(driver, async () => {
    while (!document.body?.hasAttribute('data-ready')) await new Promise((resolve) => setTimeout(resolve, 10));
  });
  return {
    driver,
    /** Runs `fn(arg)` in the extension page. */
    async control(fn, arg) {
      await on(controlWindow);
      return run(driver, fn, arg);
    },
    /** Opens `path` in the page tab; resolves once its DOMContentLoaded fired. */
    async open(path) {
      await on(pageWindow);
      await driver.get(`${server.origin}/${path}`);
    },
    async inPage(fn, arg) {
      await on(pageWindow);
      return run(driver, fn, arg);
    },
    /** Stops the background as about:debugging does, and waits until it is stopped. */
    async stopBackground() {
      await driver.setContext(firefox.Context.CHROME);
      try {
        const state = await driver.executeAsyncScript(
          `const [id, done] = arguments;
          const extension = WebExtensionPolicy.getByID(id).extension;
          extension.terminateBackground().then(() => done(extension.backgroundState), (e) => done('error: ' + e));`,
          ADDON_ID,
        );
        if (state !== 'stopped') throw new Error(`the background is ${state}, not stopped`);
      } finally {
        await driver.setContext(firefox.Context.CONTENT);
      }
    },
    /**
     * The background page's memory, as about:memory reports it after a garbage collection in
     * every process: its WebAssembly memory, and the rest of what it holds (JavaScript heap,
     * its document, code), in bytes.
     */
    async backgroundMemory() {
      await driver.setContext(firefox.Context.CHROME);
      try {
        const reply = await driver.executeAsyncScript(
          `const [id, done] = arguments;
          const uuid = new URL(WebExtensionPolicy.getByID(id).getURL('')).host;
          const reporter = Cc['@mozilla.org/memory-reporter-manager;1'].getService(Ci.nsIMemoryReporterManager);
          const memory = { wasm: 0, other: 0, paths: 0 };
          reporter.minimizeMemoryUsage(() =>
            reporter.getReports(
              (process, path, kind, units, amount) => {
                // Explicit allocations of the background page's window.
                if (units !== Ci.nsIMemoryReporter.UNITS_BYTES || !path.startsWith('explicit/')) return;
                if (!path.includes(uuid) || !path.includes('_generated_background_page.html')) return;
                memory.paths += 1;
                if (path.includes('/elements/wasm')) memory.wasm += amount;
                else memory.other += amount;
              },
              null,
              () => done(memory),
              null,
              false,
            ),
          );`,
          ADDON_ID,
        );
        if (!reply?.paths) throw new Error('no memory reported for the background page');
        return reply;
      } finally {
        await driver.setContext(firefox.Context.CONTENT);
      }
    },
    close: () => driver.quit(),
  };
}

const shipped = await launch(shippedDir);
const noWake = await launch(noWakeDir);

/** The background's reply to `message` from the extension page, in ms. */
const reply = (/** @type {object} */ message) => shipped.control(timedReplyInPage, message);
const FILTERS = { hideContracts: false, hideStatements: false, hiddenAgencies: [], minAmountUsd: 0 };
const SCAN = {
  type: 'scan',
  blocks: ['Hootsuite said it would not do business with ICE; FCN Inc. resold its licences.'],
  options: { filters: FILTERS, firstPerBlock: false, dismissed: [] },
};
// Hootsuite's card and FCN's, a reseller's with 840 awards (handles from the scan's reply).
const CARD = { type: 'card', company: 0, name: 0, filters: FILTERS };
const LARGE_CARD = { type: 'card', company: 0, name: 0, filters: FILTERS };
// A message the background answers without its core (no tab: no badge to set).
const NO_CORE = { type: 'badge', count: 0 };

/** Opens `path` with `where`; what `marksInPage` measures there (null: no mark within `timeout` ms). */
async function marksOf(path, { timeout = PAGE_TIMEOUT_MS, where = shipped } = {}) {
  await where.open(path);
  return where.inPage(marksInPage, { ...MARKS, timeout });
}
const firstMark = async (path, timeout = PAGE_TIMEOUT_MS, where = shipped) => (await marksOf(path, { timeout, where }))?.fromDcl ?? null;

const wakeOnly = [];
const coldReply = [];
const warmReply = [];
const cardReplies = cardRepliesLists();
const cold = [];
const warm = [];
const coldNoWake = [];
const warmNoWake = [];
const perPage = [];
const coldPerPage = [];
let memory = { wasm: Number.NaN, other: Number.NaN, paths: 0 };
try {
  // The first load of all compiles everything once, in each browser.
  await firstMark('article.html');
  await firstMark('article.html', PAGE_TIMEOUT_MS, noWake);
  const handles = await shipped.control(async (m) => (await browser.runtime.sendMessage(m)).mentions, SCAN);
  [CARD.company, CARD.name, LARGE_CARD.company, LARGE_CARD.name] = [handles[3], handles[4], handles[8], handles[9]];
  const largeName = await shipped.control(async (m) => (await browser.runtime.sendMessage(m)).name, LARGE_CARD);
  if (largeName !== 'FCN Inc.') throw new Error(`the scan's second mention is ${largeName}, not FCN Inc.`);
  for (let round = 0; round < ROUNDS; round += 1) {
    await shipped.stopBackground();
    wakeOnly.push(await reply(NO_CORE));
    await shipped.stopBackground();
    coldReply.push(await reply(SCAN));
    warmReply.push(await reply(SCAN));
    // Its records fetched since the scan: the first card may wait for them, not the next.
    // Then the cards sent as text (as shipped) and as objects.
    await reply(CARD);
    await cardRepliesBothWays(reply, CARD, LARGE_CARD, cardReplies);
    await shipped.stopBackground();
    cold.push(await firstMark('article.html'));
    warm.push(await firstMark('article.html'));
    await noWake.stopBackground();
    coldNoWake.push(await firstMark('article.html', PAGE_TIMEOUT_MS, noWake));
    warmNoWake.push(await firstMark('article.html', PAGE_TIMEOUT_MS, noWake));
  }
  for (const where of [shipped, noWake]) await where.control(() => browser.storage.local.set({ markEverywhere: true }));
  for (const page of process.env.SAVED === '0' ? [] : saved) {
    const marks = await marksOf(page, { timeout: SAVED_PAGE_TIMEOUT_MS });
    if (marks)
      perPage.push({
        page,
        fromDcl: marks.fromDcl,
        fromStart: marks.fromStart,
        sent: marks.sent,
        replied: marks.replied,
        scans: marks.scans,
        scanUnits: marks.scanUnits,
      });
  }
  // The background's memory after every saved page was scanned and the two cards were built.
  await reply(CARD);
  await reply(LARGE_CARD);
  memory = await shipped.backgroundMemory();
  // Cold on real pages: each page with marks, background stopped, with the wake-up and without.
  for (const { page } of perPage) {
    // The baseline's browser sees the page once first, as the other did in the warm pass.
    await firstMark(page, SAVED_PAGE_TIMEOUT_MS, noWake);
    await shipped.stopBackground();
    const withWake = await firstMark(page, SAVED_PAGE_TIMEOUT_MS);
    await noWake.stopBackground();
    const without = await firstMark(page, SAVED_PAGE_TIMEOUT_MS, noWake);
    if (withWake !== null && without !== null) coldPerPage.push({ page, withWake, without });
  }
} finally {
  await shipped.close();
  await noWake.close();
  await server.close();
}

const largest = (field) => perPage.reduce((a, b) => (b[field] > a[field] ? b : a), perPage[0] ?? { page: 'none', [field]: Number.NaN });
const slowest = largest('fromDcl');
const slowestFromStart = largest('fromStart');
const figures = {
  machine: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}`,
  rounds: ROUNDS,
  wakeWithoutCoreMs: median(wakeOnly),
  firstReplyColdMs: median(coldReply),
  replyWarmMs: median(warmReply),
  cardReplyMs: median(cardReplies.shipped.small),
  largeCardReplyMs: median(cardReplies.shipped.large),
  cardOtherWayReplyMs: median(cardReplies.otherWay.small),
  largeCardOtherWayReplyMs: median(cardReplies.otherWay.large),
  ...articleFigures({ cold, warm, coldNoWake, warmNoWake }),
  savedPages: saved.length,
  savedPagesWithMarks: perPage.length,
  firstMarkMedianPageMs: median(perPage.map((p) => p.fromDcl)),
  firstMarkSlowestPageMs: slowest.fromDcl,
  slowestPage: slowest.page,
  firstMarkFromStartMedianPageMs: median(perPage.map((p) => p.fromStart)),
  firstMarkFromStartSlowestPageMs: slowestFromStart.fromStart,
  ...firstMarkSteps(perPage),
  slowestPageFromStart: slowestFromStart.page,
  coldSavedPages: coldPerPage.length,
  firstMarkColdMedianPageMs: median(coldPerPage.map((p) => p.withWake)),
  firstMarkColdMedianPageNoWakeMs: median(coldPerPage.map((p) => p.without)),
  backgroundWasmMemoryBytes: memory.wasm,
  backgroundOtherMemoryBytes: memory.other,
};
const ms = (x) => `${x.toFixed(1)} ms`;
console.log(`start and first mark in Firefox, the extension as shipped; ${figures.machine}; medians of ${ROUNDS} rounds`);
console.log('| figure | value |');
console.log('| --- | --- |');
console.log(`| background's reply to a scan, woken by it (cold: the core starts) | ${ms(figures.firstReplyColdMs)} |`);
console.log(`| background's reply to a scan, running (warm) | ${ms(figures.replyWarmMs)} |`);
console.log(`| background woken for a message that needs no core | ${ms(figures.wakeWithoutCoreMs)} |`);
console.log(
  `| a card's data, running, sent as JSON text: Hootsuite / FCN, Inc. (840 awards, its card built afresh) | ${ms(figures.cardReplyMs)} / ${ms(figures.largeCardReplyMs)} |`,
);
console.log(
  `| the same sent as objects (baseline, same run, alternating) | ${ms(figures.cardOtherWayReplyMs)} / ${ms(figures.largeCardOtherWayReplyMs)} |`,
);
console.log(
  `| first mark after DOMContentLoaded on the test article, background stopped / running | ${ms(figures.firstMarkColdMs)} / ${ms(figures.firstMarkWarmMs)} (${figures.coldOverWarm.toFixed(2)}x) |`,
);
console.log(
  `| the same without the wake-up at document_start (baseline, same run) | ${ms(figures.firstMarkColdNoWakeMs)} / ${ms(figures.firstMarkWarmNoWakeMs)} (${figures.coldOverWarmNoWake.toFixed(2)}x) |`,
);
console.log(
  `| first mark, cold, on the ${coldPerPage.length} saved pages with marks, median page: with the wake-up / without | ${ms(figures.firstMarkColdMedianPageMs)} / ${ms(figures.firstMarkColdMedianPageNoWakeMs)} |`,
);
console.log(
  `| first mark, warm, on the ${perPage.length} saved pages with marks, after DOMContentLoaded: median page / slowest | ${ms(figures.firstMarkMedianPageMs)} / ${ms(figures.firstMarkSlowestPageMs)} (${slowest.page}) |`,
);
console.log(
  `| the same, after the content script started: median page / slowest | ${ms(figures.firstMarkFromStartMedianPageMs)} / ${ms(figures.firstMarkFromStartSlowestPageMs)} (${slowestFromStart.page}) |`,
);
console.log(firstMarkStepsRow(figures));
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
console.log(
  `| background's memory after the saved pages were scanned and two cards shown: WebAssembly + the rest (JS heap, its document, code) | ${mib(memory.wasm)} + ${mib(memory.other)} = ${mib(memory.wasm + memory.other)} |`,
);
writeFileSync(join(bench, 'firefox.json'), `${JSON.stringify({ ...figures, perPage, coldPerPage }, null, 2)}\n`);
