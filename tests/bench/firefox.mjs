// Start, first mark, card and memory in Firefox, the extension as shipped (dist/firefox, with
// the performance marks of timed-copy.mjs, as start.mjs has for Chromium), measured from outside: Debian's Firefox ESR driven by selenium-webdriver and geckodriver, pages served from
// 127.0.0.1 and every other request sent to a closed local port.
// - the background's reply to a page's scan when it was stopped (Firefox suspends an idle
//   background page after 30 s; here it is stopped as about:debugging's "Terminate background
//   script" does) beside its reply when running, and beside waking it for a message that needs
//   no core; a card's data, running: small (kept), large as a page that prepared its cards
//   gets it and built afresh (the baseline), sent as JSON text (as Firefox's build sends it)
//   beside the same sent as objects (the baseline: timed-copy.mjs), alternating;
// - first mark on the test article after DOMContentLoaded, background stopped and running,
//   medians of ROUNDS rounds; the same in a second browser with a copy of the build without the
//   wake-up at document_start (content/wake.js), as the baseline;
// - first mark on each saved real page, warm, marked everywhere: the median and the slowest
//   page, after DOMContentLoaded and after the content script started; the same, marking the
//   article only (as shipped), on those pages whose article gets a mark; and cold, on each page
//   that got marks, with the wake-up and without;
// - the background page's memory (about:memory's reporters, after a garbage collection) once
//   every saved page was scanned and two cards built: its WebAssembly memory and the rest;
// - the content script's memory on the median and the largest saved page (the same pages as
//   memory.mjs in Chromium): its realm's, and the page's whole memory with the extension minus
//   the same page's in a Firefox without it.
// - Firefox reports no long tasks (no PerformanceLongTaskTiming), so in their stead the longest
//   gap between the page's frames (a requestAnimationFrame loop, in loads of their own) in the
//   FRAMES_SPAN_MS after the content script started on each page with marks, marked and with
//   the extension switched off for the site, in turn, FRAME_LOADS times each way: a page's
//   median each way, and the loads over 50 ms.
// Prints a table and writes target/bench/firefox.json.
// Nothing here is asserted: see docs/performance.md.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Builder } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';
import { ROOT } from '../e2e/common.mjs';
import { startServer } from '../e2e/server.mjs';
import { offlineFirefoxOptions, runInWindow as run } from '../harness-page.mjs';
import { firefoxExtensionControl } from './firefox-control.mjs';
import {
  articleFigures,
  articleOnlyFigures,
  articleOnlyRow,
  cardRepliesBothWays,
  cardRepliesLists,
  FILTERS,
  firstMarkSteps,
  firstMarkStepsRow,
  longestPauseInPage,
  MARKS,
  marksInPage,
  median,
  NO_CORE,
  probeInPage,
  SCAN,
  START_MARK,
  slowestPageStepsRow,
  timedCopy,
  timedReplyInPage,
  withoutWakeUp,
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
const noWakeDir = timedCopy(join(ROOT, 'dist', 'firefox'), join(out, 'no-wake'), withoutWakeUp);
const ADDON_ID = JSON.parse(readFileSync(join(shippedDir, 'manifest.json'), 'utf8')).browser_specific_settings.gecko.id;

const server = await startServer({ root: join(out, 'pages') });

/**
 * about:memory's explicit allocations, after a garbage collection in every process, in bytes,
 * summed per key: `classify(path, { uuid, arg })` runs in the browser's chrome context (its
 * source is sent there) and names the key of a path, or null to leave it out; `uuid` is the
 * extension's host when `id` is given. `paths` counts the paths summed.
 * @param {import('selenium-webdriver').WebDriver} driver
 * @param {(path: string, context: { uuid: string, arg: any }) => string | null} classify
 * @param {{ id?: string | null, arg?: unknown }} options
 * @returns {Promise<Record<string, number>>}
 */
async function explicitMemory(driver, classify, { id = null, arg = null }) {
  await driver.setContext(firefox.Context.CHROME);
  try {
    return await driver.executeAsyncScript(
      `const [id, arg, done] = arguments;
      const classify = (${classify});
      const uuid = id ? new URL(WebExtensionPolicy.getByID(id).getURL('')).host : '\u0000';
      const reporter = Cc['@mozilla.org/memory-reporter-manager;1'].getService(Ci.nsIMemoryReporterManager);
      const memory = { paths: 0 };
      reporter.minimizeMemoryUsage(() =>
        reporter.getReports(
          (process, path, kind, units, amount) => {
            if (units !== Ci.nsIMemoryReporter.UNITS_BYTES || !path.startsWith('explicit/')) return;
            const key = classify(path, { uuid, arg });
            if (!key) return;
            memory.paths += 1;
            memory[key] = (memory[key] ?? 0) + amount;
          },
          null,
          () => done(memory),
          null,
          false,
        ),
      );`,
      id,
      arg,
    );
  } finally {
    await driver.setContext(firefox.Context.CONTENT);
  }
}

/**
 * The memory of the page at `path` (open now, under a URL opened once: a page kept in the tab's
 * history would count twice): its window (DOM, layout, the page's own scripts) and, with the
 * extension `id`, the realm of its content script. Strings are counted per zone, which the
 * content script shares with the page: the script's strings count as the page's.
 * @param {import('selenium-webdriver').WebDriver} driver
 * @param {string} path
 * @param {string | null} id
 */
async function pageMemory(driver, path, id) {
  // The reporters write a URL's slashes as backslashes.
  const url = `${server.origin}/${path}`.replaceAll('/', '\\');
  const memory = await explicitMemory(
    driver,
    (reported, { uuid, arg }) => {
      const at = reported.indexOf(arg);
      if (at < 0 || !',)]'.includes(reported[at + arg.length])) return null;
      return reported.includes('Content Script') && reported.includes(uuid) ? 'contentScript' : 'window';
    },
    { id, arg: url },
  );
  if (!memory.paths) throw new Error(`no memory reported for ${path}`);
  return { window: memory.window ?? 0, contentScript: memory.contentScript ?? 0 };
}

/**
 * Firefox with the extension in `dir`; a page tab, and an extension page that talks to the
 * background. Without `dir`, the same Firefox without the extension: a page tab only.
 * @param {string | null} dir
 */
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
  const pageWindow = await driver.getWindowHandle();
  const open = async (/** @type {string} */ path) => {
    await driver.switchTo().window(pageWindow);
    await driver.get(`${server.origin}/${path}`);
  };
  const inPage = async (/** @type {Function} */ fn, /** @type {unknown} */ arg) => {
    await driver.switchTo().window(pageWindow);
    return run(driver, fn, arg);
  };
  if (!dir)
    return { driver, open, inPage, pageMemory: (/** @type {string} */ path) => pageMemory(driver, path, null), close: () => driver.quit() };
  await driver.installAddon(dir, true);
  const { handle: controlWindow, stopBackground } = await firefoxExtensionControl(driver, ADDON_ID);
  let current = controlWindow;
  const on = async (handle) => {
    if (current !== handle) await driver.switchTo().window(handle);
    current = handle;
  };
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
    stopBackground,
    /**
     * The background page's memory, as about:memory reports it after a garbage collection in
     * every process: its WebAssembly memory, and the rest of what it holds (JavaScript heap,
     * its document, code), in bytes.
     */
    async backgroundMemory() {
      const memory = await explicitMemory(
        driver,
        // The background page's window: its WebAssembly memory, and the rest.
        (path, { uuid }) => {
          if (!path.includes(uuid) || !path.includes('_generated_background_page.html')) return null;
          return path.includes('/elements/wasm') ? 'wasm' : 'other';
        },
        { id: ADDON_ID },
      );
      if (!memory.paths) throw new Error('no memory reported for the background page');
      return { wasm: memory.wasm ?? 0, other: memory.other ?? 0 };
    },
    /** The memory of the page at `path`, open in the page tab, and of the extension's content script there. @param {string} path */
    pageMemory: (path) => pageMemory(driver, path, ADDON_ID),
    close: () => driver.quit(),
  };
}

const shipped = await launch(shippedDir);
const noWake = await launch(noWakeDir);

/** The background's reply to `message` from the extension page, in ms. */
const reply = (/** @type {object} */ message) => shipped.control(timedReplyInPage, message);
// Hootsuite's card and FCN's, a reseller's with 840 awards (handles from the scan's reply).
const CARD = { type: 'card', company: 0, name: 0, found: 'Hootsuite', filters: FILTERS };
const LARGE_CARD = { type: 'card', company: 0, name: 0, found: 'FCN Inc.', filters: FILTERS };

// The median and the largest saved page by their HTML, as memory.mjs picks them in Chromium.
const bySize = saved.map((name) => ({ name, bytes: statSync(join(out, 'pages', name)).size })).sort((a, b) => a.bytes - b.bytes);
/** @type {{ name: string, bytes: number, marked?: boolean, with?: { window: number, contentScript: number }, without?: { window: number } }[]} */
const memoryPages = [
  { label: 'median', ...bySize[(bySize.length - 1) >> 1] },
  { label: 'largest', ...bySize[bySize.length - 1] },
];
// A page is measured once nothing in it changed for this long (at most 10 s).
const SETTLE_MS = 1000;
// The span over which a page's frames are watched, from the content script's start: past the
// last mark on most saved pages.
const FRAMES_SPAN_MS = 250;
// Loads of each page each way: one load's longest gap is a single draw (a gap over 50 ms came
// and went between runs on the same page).
const FRAME_LOADS = Number(process.env.FRAME_LOADS ?? 3);

/** Run in a page: resolves once it has loaded and its DOM has not changed for `quiet` ms, or after 10 s. @param {number} quiet */
async function settledInPage(quiet) {
  if (document.readyState !== 'complete') await new Promise((resolve) => addEventListener('load', resolve, { once: true }));
  await new Promise((resolve) => {
    let timer = setTimeout(resolve, quiet);
    new MutationObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(resolve, quiet);
    }).observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
    setTimeout(resolve, 10_000);
  });
}

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
/** @type {{ page: string, fromStart: number }[]} */
const articleOnlyPages = [];
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
        legs: marks.legs,
        legsAllTold: marks.legsAllTold,
        scans: marks.scans,
        scanUnits: marks.scanUnits,
      });
  }
  // As shipped, marking the article only: the pages that got marks, again.
  await shipped.control(() => browser.storage.local.set({ markEverywhere: false }));
  for (const { page } of perPage) {
    const marks = await marksOf(page, { timeout: SAVED_PAGE_TIMEOUT_MS });
    if (marks) articleOnlyPages.push({ page, fromStart: marks.fromStart });
  }
  await shipped.control(() => browser.storage.local.set({ markEverywhere: true }));
  // The background's memory after every saved page was scanned and the two cards were built.
  await reply(CARD);
  await reply(LARGE_CARD);
  memory = await shipped.backgroundMemory();
  // The content script's memory on the median and the largest saved page, beside the same page
  // in a Firefox without the extension.
  if (process.env.SAVED !== '0') {
    const plain = await launch(null);
    try {
      for (const page of memoryPages) {
        const path = `${page.name}?memory`;
        await shipped.open(path);
        page.marked = (await shipped.inPage(marksInPage, { ...MARKS, timeout: SAVED_PAGE_TIMEOUT_MS })) !== null;
        await shipped.inPage(settledInPage, SETTLE_MS);
        page.with = await shipped.pageMemory(path);
        await plain.open(path);
        await plain.inPage(settledInPage, SETTLE_MS);
        page.without = await plain.pageMemory(path);
      }
    } finally {
      await plain.close();
    }
  }
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
  // Firefox reports no long tasks: each page with marks FRAME_LOADS times more each way, marked
  // and switched off for the site, in turn (which goes first alternates from load to load and
  // page to page: a page's second load finds it cached), its longest gap between frames over
  // the same span from the content script's start (`?frames` starts the probe's frame loop).
  const setSite = (/** @type {boolean} */ on) =>
    shipped.control((sites) => browser.storage.local.set({ sites }), on ? {} : { '127.0.0.1': false });
  for (const [index, entry] of perPage.entries()) {
    entry.gaps = [];
    entry.gapsSwitchedOff = [];
    for (let load = 0; load < FRAME_LOADS; load += 1) {
      for (const on of (index + load) % 2 ? [false, true] : [true, false]) {
        await setSite(on);
        await shipped.open(`${entry.page}?frames`);
        const longest = await shipped.inPage(longestPauseInPage, { span: FRAMES_SPAN_MS, startMark: START_MARK });
        if (longest !== null) (on ? entry.gaps : entry.gapsSwitchedOff).push(longest);
      }
    }
    if (entry.gaps.length && entry.gapsSwitchedOff.length) {
      entry.longestGap = median(entry.gaps);
      entry.longestGapSwitchedOff = median(entry.gapsSwitchedOff);
    }
  }
  await setSite(true);
} finally {
  await shipped.close();
  await noWake.close();
  await server.close();
}

const largest = (field) => perPage.reduce((a, b) => (b[field] > a[field] ? b : a), perPage[0] ?? { page: 'none', [field]: Number.NaN });
const slowest = largest('fromDcl');
const slowestFromStart = largest('fromStart');
const framed = perPage.filter((p) => p.longestGap !== undefined && p.longestGapSwitchedOff !== undefined);
const longestGap = framed.reduce((a, b) => (b.longestGap > a.longestGap ? b : a), framed[0] ?? { page: 'none', longestGap: 0 });
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
  largeCardPreparedReplyMs: median(cardReplies.shipped.largePrepared),
  largeCardPreparedOtherWayReplyMs: median(cardReplies.otherWay.largePrepared),
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
  ...articleOnlyFigures(articleOnlyPages),
  coldSavedPages: coldPerPage.length,
  firstMarkColdMedianPageMs: median(coldPerPage.map((p) => p.withWake)),
  firstMarkColdMedianPageNoWakeMs: median(coldPerPage.map((p) => p.without)),
  framePages: framed.length,
  longestFrameGapMs: longestGap.longestGap,
  longestFrameGapPage: longestGap.page,
  longestFrameGapSwitchedOffMs: Math.max(0, ...framed.map((p) => p.longestGapSwitchedOff)),
  pagesWithFrameGapOver50Ms: framed.filter((p) => p.longestGap > 50).length,
  pagesWithFrameGapOver50MsSwitchedOff: framed.filter((p) => p.longestGapSwitchedOff > 50).length,
  frameLoads: FRAME_LOADS,
  loadsWithFrameGapOver50Ms: framed.flatMap((p) => p.gaps).filter((g) => g > 50).length,
  loadsWithFrameGapOver50MsSwitchedOff: framed.flatMap((p) => p.gapsSwitchedOff).filter((g) => g > 50).length,
  framedLoads: framed.flatMap((p) => p.gaps).length,
  framedLoadsSwitchedOff: framed.flatMap((p) => p.gapsSwitchedOff).length,
  backgroundWasmMemoryBytes: memory.wasm,
  backgroundOtherMemoryBytes: memory.other,
  contentScriptMemory: memoryPages,
};
const ms = (x) => `${x.toFixed(1)} ms`;
console.log(`start and first mark in Firefox, the extension as shipped; ${figures.machine}; medians of ${ROUNDS} rounds`);
console.log('| figure | value |');
console.log('| --- | --- |');
console.log(`| background's reply to a scan, woken by it (cold: the core starts) | ${ms(figures.firstReplyColdMs)} |`);
console.log(`| background's reply to a scan, running (warm) | ${ms(figures.replyWarmMs)} |`);
console.log(`| background woken for a message that needs no core | ${ms(figures.wakeWithoutCoreMs)} |`);
console.log(
  `| a card's data, running, sent as JSON text: Hootsuite (kept) / FCN, Inc. (840 awards), the page's cards prepared (kept) | ${ms(figures.cardReplyMs)} / ${ms(figures.largeCardPreparedReplyMs)} |`,
);
console.log(`| FCN, Inc.'s, its card built afresh (baseline, same run) | ${ms(figures.largeCardReplyMs)} |`);
console.log(
  `| the same three sent as objects (baseline, same run, alternating) | ${ms(figures.cardOtherWayReplyMs)} / ${ms(figures.largeCardPreparedOtherWayReplyMs)}; ${ms(figures.largeCardOtherWayReplyMs)} |`,
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
console.log(slowestPageStepsRow(slowestFromStart));
console.log(articleOnlyRow(figures));
const gap = (/** @type {number} */ x) => (x > 50 ? ms(x) : 'none over 50 ms');
console.log(
  `| longest gap between the page's frames in the ${FRAMES_SPAN_MS} ms after the content script started (Firefox reports no long tasks), a page's median of ${FRAME_LOADS} loads, the most of the ${figures.framePages} pages: marked / switched off for the site | ${gap(figures.longestFrameGapMs)}${figures.longestFrameGapMs > 50 ? ` (${figures.longestFrameGapPage})` : ''} / ${gap(figures.longestFrameGapSwitchedOffMs)} |`,
);
console.log(
  `| pages whose median gap is over 50 ms: marked / switched off | ${figures.pagesWithFrameGapOver50Ms} / ${figures.pagesWithFrameGapOver50MsSwitchedOff} of ${figures.framePages} |`,
);
console.log(
  `| loads with a gap over 50 ms: marked / switched off | ${figures.loadsWithFrameGapOver50Ms} of ${figures.framedLoads} / ${figures.loadsWithFrameGapOver50MsSwitchedOff} of ${figures.framedLoadsSwitchedOff} |`,
);
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
console.log(
  `| background's memory after the saved pages were scanned and two cards shown: WebAssembly + the rest (JS heap, its document, code) | ${mib(memory.wasm)} + ${mib(memory.other)} = ${mib(memory.wasm + memory.other)} |`,
);
for (const page of memoryPages) {
  if (!page.with || !page.without) continue;
  console.log(
    `| ${page.label} saved page (${page.name}, ${(page.bytes / 1e6).toFixed(2)} MB of HTML${page.marked ? '' : ', no mark'}): the content script's realm / the page's memory with the extension minus without | ${mib(page.with.contentScript)} / ${mib(page.with.window + page.with.contentScript - page.without.window)} |`,
  );
}
writeFileSync(join(bench, 'firefox.json'), `${JSON.stringify({ ...figures, perPage, coldPerPage }, null, 2)}\n`);
