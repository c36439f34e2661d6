// What a reader feels, measured from outside in real Chromium with the extension as it ships
// (dist/chrome, with the performance marks of timed-copy.mjs, so that the page sees when the
// content script started and when each scan was sent and answered), pages served from
// 127.0.0.1 and every other request refused:
// - the background's reply to a page's scan when it was stopped (woken by the request: the
//   core starts, then scans) beside its reply when running, and beside waking it for a
//   message that needs no core, medians of ROUNDS, alternating;
// - first mark: from a page's DOMContentLoaded to its first mark, with the background's
//   service worker running (warm) and stopped (cold; Chrome stops an idle one after about 30 s,
//   so a reader who opens an article now and then meets it so), medians of ROUNDS rounds on the
//   fixture article, alternating; and the same without the wake-up at document_start
//   (content/wake.js left out of a copy of the build, in a second browser), as the baseline;
// - first mark on each saved real page, warm, marked everywhere: the median and the slowest
//   page, after DOMContentLoaded and after the content script started; the same, marking the
//   article only (as shipped), on those pages whose article gets a mark; and cold, on each page
//   that got marks, with the wake-up and without;
// - the longest task on each saved page's main thread from the content script's start to its
//   last mark, beside the same span on the same page with the extension switched off for the
//   site (the page's own tasks are in both);
// - card: a card's data from the woken background (the first, which fetches the company
//   records, and the next; a small card and the article's largest, whose other awards stay in
//   the background until the reader opens them, beside all of its awards in one reply, the
//   way cards came before; and warm: the small card kept, the large one as a page that
//   prepared its cards gets it and built afresh, each sent as JSON text, as the build sends
//   it, beside the same card sent as objects, alternating, the baselines of
//   timed-copy.mjs), from a mark's focus to its card shown, the page idle (a round trip to the
//   background and the card's rendering; small and large), and from the pointer's arrival on a
//   mark to its card shown (the card's 250 ms hover delay included), each beside a copy of the
//   build that asks for the card's data only when the card opens, neither on the pointer's
//   arrival nor ahead while the page is idle (in a third browser), medians of ROUNDS;
// - size: the .wasm and the store zip.
// Prints a table and writes target/bench/start.json. Nothing here is asserted: see docs/performance.md.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ROOT } from '../e2e/common.mjs';
import { startServer } from '../e2e/server.mjs';
import { chromiumWithExtension, extensionControl } from './chromium.mjs';
import {
  articleFigures,
  articleOnlyFigures,
  articleOnlyRow,
  cardRepliesBothWays,
  cardRepliesLists,
  firstMarkSteps,
  firstMarkStepsRow,
  longestPauseInPage,
  MARKS,
  marksInPage,
  median,
  NO_CORE,
  PREPARED_MARK,
  probeInPage,
  SCAN,
  START_MARK,
  slowestPageStepsRow,
  timedCopy,
  timedReplyInPage,
  withoutWakeUp,
} from './timed-copy.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 9);
// A page with no mark is known only by waiting: this long for the article's first mark, and
// on the saved pages (marked everywhere there, so that most have one) this long.
const PAGE_TIMEOUT_MS = 15_000;
const SAVED_PAGE_TIMEOUT_MS = 3_000;
// A saved page's marking is over when no mark came for this long.
const SETTLED_MS = 500;

const out = join(ROOT, 'target', 'bench', 'start-pages');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const pagesDir = join(ROOT, 'tests', 'fixtures', 'pages');
// The saved pages by the names they are served under (and printed with): without `.gz`.
const saved = readdirSync(pagesDir)
  .filter((f) => f.endsWith('.html.gz'))
  .map((f) => f.replace(/\.gz$/, ''));
for (const file of saved) writeFileSync(join(out, file), gunzipSync(readFileSync(join(pagesDir, `${file}.gz`))));
writeFileSync(join(out, 'article.html'), readFileSync(join(ROOT, 'tests', 'e2e', 'fixtures', 'article.html')));
writeFileSync(join(out, 'article.css'), readFileSync(join(ROOT, 'tests', 'e2e', 'fixtures', 'article.css')));

/** A timed copy (timed-copy.mjs) of dist/chrome in `dir`, with `change` made to its manifest. */
const benchCopy = (/** @type {string} */ dir, change = (/** @type {any} */ m) => m) => timedCopy(join(ROOT, 'dist', 'chrome'), dir, change);

// The baseline, in the same run: the same build without the wake-up at document_start
// (content/wake.js), so that a woken background starts its core only when the first scan comes.
const shippedDir = benchCopy(join(ROOT, 'target', 'bench', 'start-shipped'));
const noWakeDir = benchCopy(join(ROOT, 'target', 'bench', 'start-no-wake'), withoutWakeUp);
// The card's baseline: the same build, its card asking for its data when it opens, neither
// when the pointer arrives nor ahead, while the page is idle (the two calls that ask ahead,
// left out).
const noPrefetchDir = benchCopy(join(ROOT, 'target', 'bench', 'start-no-prefetch'));
{
  const script = join(noPrefetchDir, 'content', 'main.js');
  let source = readFileSync(script, 'utf8');
  for (const askAhead of ['this.prefetch.ask(info)', 'this.card.prepare(companies.map((c) => c.company))']) {
    if (!source.includes(askAhead)) throw new Error(`the build has no \`${askAhead}\` to leave out`);
    source = source.replace(askAhead, 'void 0');
  }
  writeFileSync(script, source);
}

const server = await startServer({ root: out });

/** Chromium with the extension in `dir`, and an extension page whose DevTools session sees
 * the extension's service worker and can stop it. */
async function launch(dir) {
  const browser = await chromiumWithExtension(dir);
  const { context } = browser;
  await context.addInitScript(probeInPage);
  return { browser, context, ...(await extensionControl(browser)) };
}

const shipped = await launch(shippedDir);
const noWake = await launch(noWakeDir);
const noPrefetch = await launch(noPrefetchDir);
const { context, control, stopWorker } = shipped;

/** The background's reply to `message` from an extension page, in ms. */
const reply = (/** @type {object} */ message) => control.evaluate(timedReplyInPage, message);
// Hootsuite's card, 14 kB (handles come from the scan's reply), and FCN's, a reseller's with
// 840 awards, the dataset's second largest; and all of FCN's awards in one reply (the slice
// is set once the card's size is known).
const CARD = { type: 'card', company: 0, name: 0, found: 'Hootsuite', filters: SCAN.options.filters };
const LARGE_CARD = { type: 'card', company: 0, name: 0, found: 'FCN Inc.', filters: SCAN.options.filters };
const LARGE_CARD_WHOLE = { type: 'contracts', company: 0, slices: [{ from: 0, to: 0 }], filters: SCAN.options.filters };

/**
 * Opens `path` in `where`; what `marksInPage` measures there, with the longest of its tasks
 * over 50 ms (0: none) instead of the list; null if no mark came within `timeout` ms.
 */
async function marksOf(path, { timeout = PAGE_TIMEOUT_MS, where = context, settle = 0 } = {}) {
  const page = await where.newPage();
  try {
    await page.goto(`${server.origin}/${path}`, { waitUntil: 'domcontentloaded' });
    const marks = await page.evaluate(marksInPage, { ...MARKS, timeout, settle });
    return marks && { ...marks, longest: Math.max(0, ...marks.longTasks.map(([, duration]) => duration)) };
  } finally {
    await page.close();
  }
}

/** ms from DOMContentLoaded to the first mark on `path` (null: none came). */
const firstMark = async (path, timeout = PAGE_TIMEOUT_MS, where = context) => (await marksOf(path, { timeout, where }))?.fromDcl ?? null;

/**
 * The baseline of the longest task: `path` opened with the extension switched off for the site
 * (its content script starts, reads the settings and stops), the longest task on the page's
 * main thread in the `span` ms after the content script started, as in a marked run (null if
 * its content script did not start).
 */
async function longestTaskSwitchedOff(path, span) {
  const page = await context.newPage();
  try {
    await page.goto(`${server.origin}/${path}`, { waitUntil: 'domcontentloaded' });
    return await page.evaluate(longestPauseInPage, { span, startMark: START_MARK });
  } finally {
    await page.close();
  }
}

/**
 * Opens the article in `where`, waits for the page to be idle (and, where the build prepares
 * cards, for its cards prepared: a reader reads before tabbing to a name), and focuses the
 * first mark reading `text`; ms until the card is shown.
 */
async function focusToCard(text, where = context) {
  const page = await where.newPage();
  try {
    await page.goto(`${server.origin}/article.html`);
    const mark = page.locator('contractlensmark[tabindex]', { hasText: text }).first();
    await mark.waitFor();
    await page.evaluate(
      async ([preparedMark, prepares]) => {
        while (prepares && !performance.getEntriesByName(preparedMark).length) await new Promise((resolve) => setTimeout(resolve, 10));
        await new Promise((resolve) => requestIdleCallback(resolve, { timeout: 2000 }));
      },
      /** @type {const} */ ([PREPARED_MARK, where === context]),
    );
    return await mark.evaluate(
      (target) =>
        new Promise((resolve) => {
          const started = performance.now();
          new MutationObserver((_, observer) => {
            if (document.querySelector('[data-contract-lens=card]')) {
              observer.disconnect();
              resolve(performance.now() - started);
            }
          }).observe(document.documentElement, { childList: true, subtree: true });
          target.focus();
        }),
    );
  } finally {
    await page.close();
  }
}

/**
 * Opens the article in `where` and moves the pointer onto the first mark reading `text`: ms
 * from the pointer's arrival (the page sees the same mouseover as the content script) to the
 * card shown, the card's hover delay included.
 */
async function hoverToCard(text, where = context) {
  const page = await where.newPage();
  try {
    await page.goto(`${server.origin}/article.html`);
    const mark = page.locator('contractlensmark', { hasText: text }).first();
    await mark.waitFor();
    await mark.evaluate((target) => {
      const lens = window.__lensTimes;
      target.addEventListener('mouseover', () => (lens.hovered ||= performance.now()));
      new MutationObserver((_, observer) => {
        if (document.querySelector('[data-contract-lens=card]')) {
          observer.disconnect();
          lens.shown = performance.now();
        }
      }).observe(document.documentElement, { childList: true, subtree: true });
    });
    await mark.hover();
    return await page.evaluate(async () => {
      const lens = window.__lensTimes;
      while (!lens.shown) await new Promise((resolve) => setTimeout(resolve, 10));
      return lens.shown - lens.hovered;
    });
  } finally {
    await page.close();
  }
}

const wakeOnly = [];
const coldReply = [];
const warmReply = [];
const firstCardReply = [];
const cardReply = [];
const largeCardReply = [];
const largeCardWholeReply = [];
const warmCardReplies = cardRepliesLists();
/** What the large card holds, as the background sends it: awards in all and on the opening card, bytes as JSON. */
let largeCard = { name: '', awards: 0, opening: 0, bytes: 0, wholeBytes: 0 };
/** @type {Record<'small' | 'large', { asked: number[], baseline: number[] }>} pointer to card shown */
const hovers = { small: { asked: [], baseline: [] }, large: { asked: [], baseline: [] } };
const warm = [];
const cold = [];
/** @type {Record<'small' | 'large', { prepared: number[], baseline: number[] }>} focus to card shown */
const focusCards = { small: { prepared: [], baseline: [] }, large: { prepared: [], baseline: [] } };
const coldNoWake = [];
const warmNoWake = [];
/** @type {{ page: string, withWake: number, without: number }[]} */
const coldPerPage = [];
const perPage = [];
/** @type {{ page: string, fromStart: number }[]} */
const articleOnlyPages = [];
try {
  await firstMark('article.html'); // the first load of all compiles everything once
  await firstMark('article.html', PAGE_TIMEOUT_MS, noWake.context);
  const handles = await control.evaluate(async (m) => (await chrome.runtime.sendMessage(m)).mentions, SCAN);
  [CARD.company, CARD.name, LARGE_CARD.company, LARGE_CARD.name] = [handles[3], handles[4], handles[8], handles[9]];
  largeCard = await control.evaluate(async (m) => {
    const answer = await chrome.runtime.sendMessage(m);
    const [card, name] = [typeof answer.card === 'string' ? JSON.parse(answer.card) : answer.card, answer.name];
    const awards = card?.summary.contracts ?? 0;
    const opening = (card?.entries ?? []).reduce((n, e) => n + 1 + e.orders.length, 0);
    const whole = await chrome.runtime.sendMessage({
      type: 'contracts',
      company: m.company,
      slices: [{ from: 0, to: awards }],
      filters: m.filters,
    });
    if (typeof whole.contracts === 'string') whole.contracts = JSON.parse(whole.contracts);
    if (whole.contracts?.[0]?.length !== awards) throw new Error(`the whole card: ${JSON.stringify(whole).slice(0, 200)}`);
    // The whole card as it came before: the opening card with every award in its place.
    const wholeBytes = JSON.stringify({ ...card, entries: [], years: [], contracts: whole.contracts[0] }).length;
    return { name, awards, opening, bytes: JSON.stringify(card).length, wholeBytes };
  }, LARGE_CARD);
  if (largeCard.name !== 'FCN Inc.') throw new Error(`the scan's second mention is ${largeCard.name}, not FCN Inc.`);
  LARGE_CARD_WHOLE.company = LARGE_CARD.company;
  LARGE_CARD_WHOLE.slices[0].to = largeCard.awards;
  for (let round = 0; round < ROUNDS; round += 1) {
    await stopWorker();
    wakeOnly.push(await reply(NO_CORE));
    await stopWorker();
    coldReply.push(await reply(SCAN));
    // A card's data as the content script gets it: the first after a wake may wait for the
    // company records (they ship beside the .wasm; a scan with marks starts fetching them);
    // the next is what a reader usually waits.
    firstCardReply.push(await reply(CARD));
    cardReply.push(await reply(CARD));
    largeCardReply.push(await reply(LARGE_CARD));
    // Another card built between, so that neither finds the card built by the other (the core
    // keeps the last card it built, for its contracts).
    await reply({ ...CARD, afresh: true });
    largeCardWholeReply.push(await reply(LARGE_CARD_WHOLE));
    // Running, its records attached: a scan that came while they were arriving would wait.
    warmReply.push(await reply(SCAN));
    // Warm, the cards sent as text (as shipped) and as objects.
    await cardRepliesBothWays(reply, CARD, LARGE_CARD, warmCardReplies);
    await stopWorker();
    cold.push(await firstMark('article.html'));
    warm.push(await firstMark('article.html'));
    await noWake.stopWorker();
    coldNoWake.push(await firstMark('article.html', PAGE_TIMEOUT_MS, noWake.context));
    warmNoWake.push(await firstMark('article.html', PAGE_TIMEOUT_MS, noWake.context));
    // Alternating which build goes first.
    for (const build of round % 2 ? ['baseline', 'prepared'] : ['prepared', 'baseline']) {
      const where = build === 'prepared' ? context : noPrefetch.context;
      focusCards.small[build].push(await focusToCard('Hootsuite', where));
      focusCards.large[build].push(await focusToCard('FCN Inc.', where));
    }
    // Alternating which build goes first.
    for (const [size, text] of /** @type {const} */ ([
      ['small', 'Hootsuite'],
      ['large', 'FCN Inc.'],
    ])) {
      const order = round % 2 ? ['baseline', 'asked'] : ['asked', 'baseline'];
      for (const build of order) hovers[size][build].push(await hoverToCard(text, build === 'asked' ? context : noPrefetch.context));
    }
  }
  await control.evaluate(() => chrome.storage.local.set({ markEverywhere: true }));
  await noWake.control.evaluate(() => chrome.storage.local.set({ markEverywhere: true }));
  for (const file of process.env.SAVED === '0' ? [] : saved) {
    const marks = await marksOf(file, { timeout: SAVED_PAGE_TIMEOUT_MS, settle: SETTLED_MS });
    if (marks)
      perPage.push({
        page: file,
        ms: marks.fromDcl,
        fromStart: marks.fromStart,
        span: marks.span,
        longestTask: marks.longest,
        sent: marks.sent,
        replied: marks.replied,
        legs: marks.legs,
        legsAllTold: marks.legsAllTold,
        scans: marks.scans,
        scanUnits: marks.scanUnits,
      });
  }
  // As shipped, marking the article only: the pages that got marks, again.
  await control.evaluate(() => chrome.storage.local.set({ markEverywhere: false }));
  for (const { page } of perPage) {
    const marks = await marksOf(page, { timeout: SAVED_PAGE_TIMEOUT_MS });
    if (marks) articleOnlyPages.push({ page, fromStart: marks.fromStart });
  }
  await control.evaluate(() => chrome.storage.local.set({ markEverywhere: true }));
  // Cold on real pages, where the page takes longer to load than the small article: each page
  // with marks, background stopped, with the wake-up and without (the baseline), alternating.
  for (const { page } of perPage) {
    // The baseline's browser sees the page once first, as the other did in the warm pass.
    await firstMark(page, SAVED_PAGE_TIMEOUT_MS, noWake.context);
    await stopWorker();
    const withWake = await firstMark(page, SAVED_PAGE_TIMEOUT_MS);
    await noWake.stopWorker();
    const without = await firstMark(page, SAVED_PAGE_TIMEOUT_MS, noWake.context);
    if (withWake !== null && without !== null) coldPerPage.push({ page, withWake, without });
  }
  // The baseline of the longest task: each page again, the extension switched off for the site,
  // over the same span after its content script started as when it was marked.
  await control.evaluate(() => chrome.storage.local.set({ sites: { '127.0.0.1': false } }));
  for (const entry of perPage) {
    entry.longestTaskSwitchedOff = await longestTaskSwitchedOff(entry.page, entry.span);
  }
} finally {
  await shipped.browser.close();
  await noWake.browser.close();
  await noPrefetch.browser.close();
  await server.close();
}

const sizes = {
  wasm: statSync(join(ROOT, 'dist', 'chrome', 'core', 'contract_lens_bg.wasm')).size,
  chromeZip: statSync(join(ROOT, 'dist', 'contract-lens-chrome.zip')).size,
  firefoxZip: statSync(join(ROOT, 'dist', 'contract-lens-firefox.zip')).size,
};
const pageTimes = perPage.map((p) => p.ms);
/** The page of `perPage` with the largest `field`. @param {string} field */
const largest = (field) => perPage.reduce((a, b) => (b[field] > a[field] ? b : a), perPage[0] ?? { page: 'none', [field]: NaN });
const slowest = largest('ms');
const slowestFromStart = largest('fromStart');
const longestTask = largest('longestTask');
const over50 = (field) => perPage.filter((p) => p[field] > 50).length;
const figures = {
  machine: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}`,
  rounds: ROUNDS,
  wakeWithoutCoreMs: median(wakeOnly),
  firstReplyColdMs: median(coldReply),
  replyWarmMs: median(warmReply),
  firstCardReplyMs: median(firstCardReply),
  cardReplyMs: median(cardReply),
  largeCardReplyMs: median(largeCardReply),
  largeCardWholeReplyMs: median(largeCardWholeReply),
  largeCardWarmReplyMs: median(warmCardReplies.shipped.large),
  largeCardPreparedReplyMs: median(warmCardReplies.shipped.largePrepared),
  largeCardPreparedOtherWayReplyMs: median(warmCardReplies.otherWay.largePrepared),
  cardWarmReplyMs: median(warmCardReplies.shipped.small),
  cardOtherWayReplyMs: median(warmCardReplies.otherWay.small),
  largeCardOtherWayReplyMs: median(warmCardReplies.otherWay.large),
  largeCard,
  hoverToCardSmallMs: median(hovers.small.asked),
  hoverToCardSmallBaselineMs: median(hovers.small.baseline),
  hoverToCardLargeMs: median(hovers.large.asked),
  hoverToCardLargeBaselineMs: median(hovers.large.baseline),
  ...articleFigures({ cold, warm, coldNoWake, warmNoWake }),
  coldSavedPages: coldPerPage.length,
  firstMarkColdMedianPageMs: median(coldPerPage.map((p) => p.withWake)),
  firstMarkColdMedianPageNoWakeMs: median(coldPerPage.map((p) => p.without)),
  focusToCardMs: median(focusCards.small.prepared),
  focusToCardLargeMs: median(focusCards.large.prepared),
  focusToCardBaselineMs: median(focusCards.small.baseline),
  focusToCardLargeBaselineMs: median(focusCards.large.baseline),
  savedPagesWithMarks: perPage.length,
  savedPages: saved.length,
  firstMarkMedianPageMs: median(pageTimes),
  firstMarkSlowestPageMs: slowest.ms,
  slowestPage: slowest.page,
  firstMarkFromStartMedianPageMs: median(perPage.map((p) => p.fromStart)),
  firstMarkFromStartSlowestPageMs: slowestFromStart.fromStart,
  ...firstMarkSteps(perPage),
  slowestPageFromStart: slowestFromStart.page,
  ...articleOnlyFigures(articleOnlyPages),
  longestTaskMs: longestTask.longestTask,
  longestTaskPage: longestTask.page,
  longestTaskSwitchedOffMs: Math.max(0, ...perPage.map((p) => p.longestTaskSwitchedOff ?? 0)),
  pagesWithTaskOver50Ms: over50('longestTask'),
  pagesWithTaskOver50MsSwitchedOff: over50('longestTaskSwitchedOff'),
  ...sizes,
};
const ms = (x) => `${x.toFixed(1)} ms`;
const mb = (x) => `${(x / 1e6).toFixed(2)} MB`;
console.log(`start and first mark in Chromium, the extension as shipped; ${figures.machine}; medians of ${ROUNDS} rounds`);
console.log('| figure | value |');
console.log('| --- | --- |');
console.log(`| background's reply to a scan, woken by it (cold: the core starts) | ${ms(figures.firstReplyColdMs)} |`);
console.log(`| background's reply to a scan, running (warm) | ${ms(figures.replyWarmMs)} |`);
console.log(`| background woken for a message that needs no core | ${ms(figures.wakeWithoutCoreMs)} |`);
console.log(`| first mark after DOMContentLoaded, background stopped (cold) | ${ms(figures.firstMarkColdMs)} |`);
console.log(`| first mark after DOMContentLoaded, background running (warm) | ${ms(figures.firstMarkWarmMs)} |`);
console.log(`| cold / warm | ${figures.coldOverWarm.toFixed(2)}x |`);
console.log(
  `| the same without the wake-up at document_start (baseline): cold / warm | ${ms(figures.firstMarkColdNoWakeMs)} / ${ms(figures.firstMarkWarmNoWakeMs)} (${figures.coldOverWarmNoWake.toFixed(2)}x) |`,
);
console.log(
  `| first mark, cold, on the ${coldPerPage.length} saved pages with marks, median page: with the wake-up / without | ${ms(figures.firstMarkColdMedianPageMs)} / ${ms(figures.firstMarkColdMedianPageNoWakeMs)} |`,
);
console.log(
  `| a card's data from the background, the first after a wake (its records fetched since the scan) / the next | ${ms(figures.firstCardReplyMs)} / ${ms(figures.cardReplyMs)} |`,
);
console.log(
  `| the article's largest card (FCN, Inc.: ${largeCard.awards} awards, ${largeCard.opening} on the card as it opens, ${mb(largeCard.bytes)} as JSON), right after the above | ${ms(figures.largeCardReplyMs)} |`,
);
console.log(
  `| the same card with all its awards in one reply (${mb(largeCard.wholeBytes)}; baseline, same run) | ${ms(figures.largeCardWholeReplyMs)} |`,
);
console.log(
  `| a card's data, warm (the background running for a while), sent as JSON text: Hootsuite (kept) / FCN, Inc., the page's cards prepared (kept) | ${ms(figures.cardWarmReplyMs)} / ${ms(figures.largeCardPreparedReplyMs)} |`,
);
console.log(`| FCN, Inc.'s, its card built afresh (baseline, same run) | ${ms(figures.largeCardWarmReplyMs)} |`);
console.log(
  `| the same three sent as objects (baseline, same run, alternating) | ${ms(figures.cardOtherWayReplyMs)} / ${ms(figures.largeCardPreparedOtherWayReplyMs)}; ${ms(figures.largeCardOtherWayReplyMs)} |`,
);
console.log(
  `| focus to card shown (warm, the page idle): Hootsuite / FCN, Inc.; the page's cards prepared | ${ms(figures.focusToCardMs)} / ${ms(figures.focusToCardLargeMs)} |`,
);
console.log(
  `| the same, the card's data asked for when it opens (baseline, same run) | ${ms(figures.focusToCardBaselineMs)} / ${ms(figures.focusToCardLargeBaselineMs)} |`,
);
console.log(
  `| pointer on a mark to its card shown, 250 ms hover delay included: Hootsuite / FCN, Inc.; data asked for on arrival | ${ms(figures.hoverToCardSmallMs)} / ${ms(figures.hoverToCardLargeMs)} |`,
);
console.log(
  `| the same, data asked for when the card opens, nothing prepared (baseline, same run) | ${ms(figures.hoverToCardSmallBaselineMs)} / ${ms(figures.hoverToCardLargeBaselineMs)} |`,
);
console.log(
  `| first mark, warm, on the ${perPage.length} saved pages with marks: median page / slowest page | ${ms(figures.firstMarkMedianPageMs)} / ${ms(figures.firstMarkSlowestPageMs)} (${slowest.page}) |`,
);
console.log(
  `| first mark, warm, after the content script started: median page / slowest page | ${ms(figures.firstMarkFromStartMedianPageMs)} / ${ms(figures.firstMarkFromStartSlowestPageMs)} (${slowestFromStart.page}) |`,
);
console.log(firstMarkStepsRow(figures));
console.log(slowestPageStepsRow(slowestFromStart));
console.log(articleOnlyRow(figures));
console.log(
  `| longest main-thread task while marking (content script start to last mark), any page: marked / switched off for the site | ${figures.longestTaskMs ? `${ms(figures.longestTaskMs)} (${longestTask.page})` : 'none over 50 ms'} / ${figures.longestTaskSwitchedOffMs ? ms(figures.longestTaskSwitchedOffMs) : 'none over 50 ms'} |`,
);
console.log(
  `| pages with a task over 50 ms in that span: marked / switched off | ${figures.pagesWithTaskOver50Ms} / ${figures.pagesWithTaskOver50MsSwitchedOff} of ${perPage.length} |`,
);
console.log(
  `| .wasm (code and compiled data) / store zip, Chrome / Firefox | ${mb(sizes.wasm)} / ${mb(sizes.chromeZip)} / ${mb(sizes.firefoxZip)} |`,
);
mkdirSync(join(ROOT, 'target', 'bench'), { recursive: true });
writeFileSync(join(ROOT, 'target', 'bench', 'start.json'), `${JSON.stringify({ ...figures, perPage, coldPerPage }, null, 2)}\n`);
