// What the start benchmarks (start.mjs in Chromium, firefox.mjs in Firefox) share: copies of
// the built extension with performance marks a page can read (a mark is shared by the page
// and the content script's world), so that the page sees when the content script started and
// when each scan was sent to the background, with how much text, and answered (what ships has
// none: a page could read them); and the figures made of them.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const START_MARK = 'contract-lens:content-start';
export const SENT_MARK = 'contract-lens:scan-sent';
export const REPLY_MARK = 'contract-lens:scan-reply';
export const PREPARED_MARK = 'contract-lens:cards-prepared';
export const LEGS_MARK = 'contract-lens:scan-legs';
// The one line of the built content script that sends a message to the background.
const SEND = 'reply = await api.runtime.sendMessage(message);';
// Where the built background answers with a card's JSON text, kept or built now.
const CARD_FOR_PAGE = 'card: cardText(c, m.company, m.filters) ?? null';
// The head of the built background's one message listener.
const LISTENER = 'api.runtime.onMessage.addListener((message, sender, sendResponse) =>';

// What the start benchmarks send the background from an extension page: a page's scan that
// names Hootsuite and FCN Inc. (the reader's options as they come), and a message it answers
// without its core (no tab: no badge to set).
export const FILTERS = { hideContracts: false, hideStatements: false, hiddenAgencies: [], minAmountUsd: 0 };
export const SCAN = {
  type: 'scan',
  blocks: ['Hootsuite said it would not do business with ICE; FCN Inc. resold its licences.'],
  options: { filters: FILTERS, firstPerBlock: false, dismissed: [] },
};
export const NO_CORE = { type: 'badge', count: 0 };

/**
 * A copy of the built extension `from` in `dir`, its content script timed (and marked when the
 * page's cards were prepared), with `change` made to its manifest. Its background tells, with
 * each scan's reply, when it heard the scan and when it answered (in ms since the epoch, which
 * the page's clock and the background's agree on), so that the content script marks the
 * scan's three legs: to the background, in it, and back. Its background also answers
 * a card message marked `otherWay` with the card sent as objects, not as the JSON text the
 * build sends, and one marked `afresh` with the card
 * built now, neither taken from nor kept with the cards kept: the baselines of a card's reply,
 * measured in the same background.
 * @param {string} from
 * @param {string} dir
 * @param {(manifest: any) => any} [change]
 */
export function timedCopy(from, dir, change = (m) => m) {
  rmSync(dir, { recursive: true, force: true });
  cpSync(from, dir, { recursive: true });
  const script = join(dir, 'content', 'main.js');
  const source = readFileSync(script, 'utf8');
  if (!source.includes(SEND)) throw new Error(`content/main.js no longer has \`${SEND}\` to time`);
  const timed = source.replace(
    SEND,
    `const scan = message.type === 'scan'; if (scan) performance.mark(${JSON.stringify(SENT_MARK)}, { detail: message.blocks.reduce((n, b) => n + b.length, 0) }); const sentAt = performance.timeOrigin + performance.now(); ${SEND} if (scan) performance.mark(${JSON.stringify(REPLY_MARK)}); if (scan && reply?.legTimes) performance.mark(${JSON.stringify(LEGS_MARK)}, { detail: [reply.legTimes[0] - sentAt, reply.legTimes[1] - reply.legTimes[0], performance.timeOrigin + performance.now() - reply.legTimes[1]] }); if (message.type === 'prepare') performance.mark(${JSON.stringify(PREPARED_MARK)});`,
  );
  writeFileSync(script, `performance.mark(${JSON.stringify(START_MARK)});\n${timed}`);
  const background = join(dir, 'background.js');
  const backgroundSource = readFileSync(background, 'utf8');
  for (const part of [CARD_FOR_PAGE, LISTENER])
    if (!backgroundSource.includes(part)) throw new Error(`background.js no longer has \`${part}\` to change`);
  writeFileSync(
    background,
    backgroundSource
      .replace(
        CARD_FOR_PAGE,
        // The other way: the card parsed, and sent as objects.
        `card: ((text) => (m.otherWay ? JSON.parse(text ?? "null") : (text ?? null)))(m.afresh ? c.card(m.company, m.filters ?? undefined) : cardText(c, m.company, m.filters))`,
      )
      .replace(
        LISTENER,
        // The listener as built becomes `answer`, called with a sendResponse that adds the
        // times to a scan's reply (the parenthesis opened here closes where the built
        // listener's call did).
        `api.runtime.onMessage.addListener((message, sender, sendResponse) => { const heard = performance.timeOrigin + performance.now(); return answer(message, sender, (reply) => { if (reply && message?.type === 'scan') reply.legTimes = [heard, performance.timeOrigin + performance.now()]; sendResponse(reply); }); }); const answer = ((message, sender, sendResponse) =>`,
      ),
  );
  const manifest = join(dir, 'manifest.json');
  writeFileSync(manifest, JSON.stringify(change(JSON.parse(readFileSync(manifest, 'utf8')))));
  return dir;
}

/**
 * The manifest without the wake-up at document_start (content/wake.js), the baseline of the
 * start benchmarks; the marks' stylesheet, which comes with it, stays at document_start.
 * @param {any} manifest
 */
export function withoutWakeUp(manifest) {
  const wake = manifest.content_scripts.find((/** @type {any} */ c) => c.js?.includes('content/wake.js'));
  if (!wake) throw new Error('the build has no wake-up to leave out');
  wake.js = wake.js.filter((/** @type {string} */ f) => f !== 'content/wake.js');
  if (!wake.js.length) delete wake.js;
  return manifest;
}

/**
 * Run in each page from its first line: when DOMContentLoaded fired, when the first and the
 * last mark came, and every task over 50 ms on the page's main thread (the page's and the
 * content script's alike: they share it; Chromium reports them, Firefox does not). Where the
 * browser reports no long tasks and the page's address asks for `?frames`, every gap over
 * 50 ms between two of the page's frames instead (a `requestAnimationFrame` loop, which keeps
 * the browser drawing frames: only in the loads that measure it).
 */
export function probeInPage() {
  const lens = { dcl: 0, first: 0, last: 0, longTasks: /** @type {[number, number][]} */ ([]) };
  Object.defineProperty(window, '__lensTimes', { value: lens });
  document.addEventListener('DOMContentLoaded', () => (lens.dcl = performance.now()), { once: true });
  new MutationObserver((records) => {
    for (const r of records)
      for (const n of r.addedNodes)
        if (n.nodeName === 'CONTRACTLENSMARK') {
          lens.last = performance.now();
          lens.first ||= lens.last;
          return;
        }
  }).observe(document, { childList: true, subtree: true });
  if (PerformanceObserver.supportedEntryTypes.includes('longtask'))
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) lens.longTasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  else if (new URLSearchParams(location.search).has('frames')) {
    let last = performance.now();
    const frame = () => {
      const now = performance.now();
      if (now - last > 50) lens.longTasks.push([last, now - last]);
      last = now;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }
}

/**
 * Run in a page with `probeInPage`: the longest of the page's long tasks (or, with `?frames` in
 * Firefox, gaps between frames) over 50 ms, else 0, in the `span` ms after the content script
 * started; null if it did not start within 10 s.
 * @param {{ span: number, startMark: string }} options
 */
export async function longestPauseInPage({ span, startMark }) {
  const lens = /** @type {any} */ (window).__lensTimes;
  const started = () => performance.getEntriesByName(startMark)[0]?.startTime;
  const began = performance.now();
  while (started() === undefined || performance.now() < started() + span + 60) {
    if (started() === undefined && performance.now() - began > 10_000) return null;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const start = started();
  const during = lens.longTasks.filter((/** @type {[number, number]} */ [at, length]) => at + length > start && at < start + span);
  return Math.max(0, ...during.map((/** @type {[number, number]} */ [, length]) => length));
}

/** The names of the marks `marksInPage` reads. */
export const MARKS = { startMark: START_MARK, sentMark: SENT_MARK, replyMark: REPLY_MARK, legsMark: LEGS_MARK };

/**
 * Run in a page with `probeInPage`, after DOMContentLoaded: waits in the page (no polling from
 * outside, which would add tasks to the page's) for its first mark and, with `settle`, until
 * no mark came for `settle` ms. Resolves to ms from DOMContentLoaded and from the content
 * script's start to the first mark, from that start to the last mark (`span`), to the scan
 * that brought the first mark sent and answered, and that scan's legs (ms to the background,
 * in it, and back), how many scans were answered by then and their legs all told, the text
 * each scan sent so far (UTF-16 units, in order), and the tasks over 50 ms between that start
 * and the last mark; null if no mark came within `timeout` ms.
 * @param {typeof MARKS & { timeout: number, settle?: number }} options
 * @returns {Promise<{ fromDcl: number, fromStart: number, span: number, sent: number, replied: number, legs: [number, number, number] | null, legsAllTold: [number, number, number] | null, scans: number, scanUnits: number[], longTasks: [number, number][] } | null>}
 */
export async function marksInPage({ timeout, settle = 0, startMark, sentMark, replyMark, legsMark }) {
  const lens = /** @type {any} */ (window).__lensTimes;
  const began = performance.now();
  for (;;) {
    const now = performance.now();
    if (lens.first > 0 && lens.dcl > 0 && now - lens.last >= settle) break;
    if (now - began > timeout) return null;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const times = (/** @type {string} */ name) => performance.getEntriesByName(name).map((e) => e.startTime);
  const start = times(startMark)[0] ?? Number.NaN;
  // The scan that brought the first mark: the last answered before it (one scan at a time).
  const replies = times(replyMark).filter((t) => t <= lens.first);
  const replied = replies.at(-1) ?? Number.NaN;
  const sent =
    times(sentMark)
      .filter((t) => t <= replied)
      .at(-1) ?? Number.NaN;
  // Marked right after each reply, in the same order.
  const legsSoFar = performance
    .getEntriesByName(legsMark)
    .slice(0, replies.length)
    .map((e) => /** @type {[number, number, number]} */ (/** @type {PerformanceMark} */ (e).detail));
  return {
    fromDcl: lens.first - lens.dcl,
    fromStart: lens.first - start,
    span: lens.last - start,
    sent: sent - start,
    replied: replied - start,
    legs: legsSoFar.length === replies.length ? (legsSoFar.at(-1) ?? null) : null,
    legsAllTold:
      legsSoFar.length === replies.length && replies.length
        ? legsSoFar.reduce((sum, legs) => [sum[0] + legs[0], sum[1] + legs[1], sum[2] + legs[2]], [0, 0, 0])
        : null,
    scans: replies.length,
    scanUnits: performance.getEntriesByName(sentMark).map((e) => /** @type {PerformanceMark} */ (e).detail),
    longTasks: lens.longTasks.filter((/** @type {[number, number]} */ [at, duration]) => at + duration > start && at < lens.last),
  };
}

/**
 * Run in an extension page: ms until the background's reply to `message` (which must not be an
 * error) comes and is read as the content script reads it (a card or contracts sent as JSON
 * text, parsed; a baseline's sent as objects, as they are).
 * @param {object} message
 */
export async function timedReplyInPage(message) {
  const started = performance.now();
  const answer = await chrome.runtime.sendMessage(message);
  if (!answer || answer.error) throw new Error(answer?.error ?? 'no reply');
  for (const key of ['card', 'contracts']) if (typeof answer[key] === 'string') JSON.parse(answer[key]);
  return performance.now() - started;
}

/**
 * A card's data from the running background, as the build sends it and the other way
 * (`timedCopy`'s baseline), in the order A B B A (whichever goes first in a round waits
 * longer): `small` asked again (kept since it was first built), `large` built afresh (as
 * before the background kept cards; another card is built between, so that the core's own
 * last card is not it either), and `large` as a page that prepared its cards gets it (a
 * `prepare` message first, as the page sends when it is idle). Adds each reply's ms to `into`.
 * @param {(message: object) => Promise<number>} reply
 * @param {{ company: number, filters: object }} small
 * @param {{ company: number, filters: object }} large
 * @param {ReturnType<typeof cardRepliesLists>} into
 */
export async function cardRepliesBothWays(reply, small, large, into) {
  await reply({ type: 'prepare', companies: [small.company, large.company], filters: large.filters });
  for (const otherWay of [false, true, true, false]) {
    const to = otherWay ? into.otherWay : into.shipped;
    await reply({ ...small, otherWay, afresh: true });
    to.small.push(await reply({ ...small, otherWay }));
    to.large.push(await reply({ ...large, otherWay, afresh: true }));
    to.largePrepared.push(await reply({ ...large, otherWay }));
  }
}

/** Empty lists for `cardRepliesBothWays`. */
export const cardRepliesLists = () => ({
  shipped: { small: /** @type {number[]} */ ([]), large: /** @type {number[]} */ ([]), largePrepared: /** @type {number[]} */ ([]) },
  otherWay: { small: /** @type {number[]} */ ([]), large: /** @type {number[]} */ ([]), largePrepared: /** @type {number[]} */ ([]) },
});

/**
 * The first mark on the test article, medians: background stopped (cold) and running (warm),
 * with the wake-up at document_start and without (the baseline), and each pair's ratio.
 * @param {Record<'cold' | 'warm' | 'coldNoWake' | 'warmNoWake', (number | null)[]>} runs
 */
export function articleFigures({ cold, warm, coldNoWake, warmNoWake }) {
  return {
    firstMarkColdMs: median(cold),
    firstMarkWarmMs: median(warm),
    coldOverWarm: median(cold) / median(warm),
    firstMarkColdNoWakeMs: median(coldNoWake),
    firstMarkWarmNoWakeMs: median(warmNoWake),
    coldOverWarmNoWake: median(coldNoWake) / median(warmNoWake),
  };
}

/** The median of `xs`, leaving out what is not a number (a page that got no mark). @param {(number | null)[]} xs */
export function median(xs) {
  const s = /** @type {number[]} */ (xs.filter((x) => x !== null && !Number.isNaN(x))).sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : Number.NaN;
}

/**
 * Where the median page's first mark went, each step the median over `pages` (ms after the
 * content script started: the scan that brought the first mark `sent` and `replied`, and the
 * first mark, `fromStart`; `scans` answered by then, that one included; and the text the
 * page's first scan sent, in UTF-16 units).
 * @param {{ sent: number, replied: number, fromStart: number, scans: number, scanUnits: number[] }[]} pages
 */
export function firstMarkSteps(pages) {
  return {
    markingScanSentMedianPageMs: median(pages.map((p) => p.sent)),
    markingScanRoundTripMedianPageMs: median(pages.map((p) => p.replied - p.sent)),
    markingScanToBackgroundMedianPageMs: median(pages.map((p) => p.legs?.[0] ?? null)),
    markingScanInBackgroundMedianPageMs: median(pages.map((p) => p.legs?.[1] ?? null)),
    markingScanBackMedianPageMs: median(pages.map((p) => p.legs?.[2] ?? null)),
    replyToFirstMarkMedianPageMs: median(pages.map((p) => p.fromStart - p.replied)),
    scansToFirstMarkMedianPage: median(pages.map((p) => p.scans)),
    firstScanUnitsMedianPage: median(pages.map((p) => p.scanUnits[0] ?? null)),
  };
}

/** A time in the tables' rows. @param {number} x */
const ms = (x) => `${x.toFixed(1)} ms`;

/** The table's row for `firstMarkSteps`. @param {ReturnType<typeof firstMarkSteps>} steps */
export function firstMarkStepsRow(steps) {
  return `| the same, step by step (medians over the pages): the scan that brought the first mark sent / its round trip to the background (its way there / in the background / its way back) / its reply to the first mark; scans answered by then; text in the page's first scan | ${ms(steps.markingScanSentMedianPageMs)} / ${ms(steps.markingScanRoundTripMedianPageMs)} (${ms(steps.markingScanToBackgroundMedianPageMs)} / ${ms(steps.markingScanInBackgroundMedianPageMs)} / ${ms(steps.markingScanBackMedianPageMs)}) / ${ms(steps.replyToFirstMarkMedianPageMs)}; ${steps.scansToFirstMarkMedianPage}; ${steps.firstScanUnitsMedianPage} UTF-16 units |`;
}

/**
 * The first mark after the content script started on `pages`, loaded marking the article only
 * (as a reader's browser does unless told to mark everywhere): the median and the slowest page.
 * @param {{ page: string, fromStart: number }[]} pages
 */
export function articleOnlyFigures(pages) {
  const slowest = pages.reduce((a, b) => (b.fromStart > a.fromStart ? b : a), pages[0] ?? { page: 'none', fromStart: Number.NaN });
  return {
    articleOnlyPages: pages.length,
    firstMarkArticleOnlyMedianPageMs: median(pages.map((p) => p.fromStart)),
    firstMarkArticleOnlySlowestPageMs: slowest.fromStart,
    articleOnlySlowestPage: slowest.page,
  };
}

/** The table's row for `articleOnlyFigures`. @param {ReturnType<typeof articleOnlyFigures>} f */
export function articleOnlyRow(f) {
  return `| the same, marking the article only (as shipped), on the ${f.articleOnlyPages} of those pages whose article gets a mark: median page / slowest | ${ms(f.firstMarkArticleOnlyMedianPageMs)} / ${ms(f.firstMarkArticleOnlySlowestPageMs)} (${f.articleOnlySlowestPage}) |`;
}

/**
 * The row of the slowest page's first mark after the content script started (one load of the
 * page, not a median): how many scans it waited for, their legs all told (to the background,
 * in it, back), and the rest (the content script reading and marking, the page's own tasks).
 * @param {{ page: string, fromStart: number, legsAllTold: [number, number, number] | null, scans: number }} page
 */
export function slowestPageStepsRow(page) {
  const legs = page.legsAllTold ?? [Number.NaN, Number.NaN, Number.NaN];
  const rest = page.fromStart - legs[0] - legs[1] - legs[2];
  return `| the slowest page's first mark (${page.page}), step by step: scans answered by then; their ways to the background / in the background / their ways back, all told; the rest (reading and marking, the page's own tasks) | ${page.scans}; ${legs.map(ms).join(' / ')}; ${ms(rest)} |`;
}
