// The extension's matcher lives here, not in the content script: Chrome refuses WebAssembly in
// content scripts on pages whose CSP forbids it, while the extension's own context always allows
// it (manifest CSP: 'wasm-unsafe-eval'). Content scripts send text here and get spans back. No
// message ever leaves the browser.

import { encodeBlocks, encodeSlices } from './common/encode.js';
import * as Message from './common/messages.js';
import { RecentTexts } from './common/recent.js';
import { DEFAULTS, extensionApi } from './common/settings.js';
import init, { Core } from './core/contract_lens.js';

const api = extensionApi();
/** @type {Promise<Core> | null} */
let corePromise = null;
// How much work pages asked for: the end-to-end tests read it to check that a busy page gets
// bounded work. Test builds only (TEST_BUILD is set by tools/build-extension.mjs).
const stats = TEST_BUILD
  ? { scans: 0, starts: 0, wakes: 0, warmUps: 0, cardsBuilt: 0, prepares: 0, cardsPrepared: 0, started: Date.now() }
  : { scans: 0, starts: 0, wakes: 0, warmUps: 0, cardsBuilt: 0, prepares: 0, cardsPrepared: 0, started: 0 };
// Scans and core starts the tests ask to fail, to see pages retry, starts back off and the
// popup say why (test builds only).
let failingScans = 0;
/** Makes the next start fail when the tests asked (test builds only; null in what ships). */
const failedStartForTests = TEST_BUILD
  ? () => {
      if (testStartFailures.count <= 0) return null;
      testStartFailures.count -= 1;
      return Promise.reject(new Error('a start failure the tests asked for'));
    }
  : null;
const testStartFailures = { count: 0 };
/** @type {WebAssembly.Memory | null} the core's memory, for the memory benchmark (test builds only) */
let coreMemory = null;
/** @type {string[]} */
const ACCEPTED = TEST_BUILD
  ? ['wake', 'scan', 'prepare', 'card', 'contracts', 'badge', 'stats', 'failScans', 'failStarts']
  : ['wake', 'scan', 'prepare', 'card', 'contracts', 'badge'];

// A core that fails to start is tried again, but not on every request: after 1 s, then 2 s,
// 4 s... up to a minute.
const RETRY_MS = 1000;
const RETRY_MAX_MS = 60_000;
let failedStarts = 0;
let nextStart = 0;

function core() {
  if (!corePromise) {
    if (Date.now() < nextStart) {
      return Promise.reject(new Error(`the core could not start; trying again in ${Math.ceil((nextStart - Date.now()) / 1000)} s`));
    }
    if (TEST_BUILD) stats.starts += 1;
    corePromise =
      (TEST_BUILD && failedStartForTests?.()) ||
      init({ module_or_path: api.runtime.getURL('core/contract_lens_bg.wasm') }).then((exports) => {
        if (TEST_BUILD) coreMemory = exports.memory;
        return new Core();
      });
    corePromise.then(
      () => {
        failedStarts = 0;
      },
      () => {
        corePromise = null;
        nextStart = Date.now() + Math.min(RETRY_MAX_MS, RETRY_MS * 2 ** failedStarts);
        failedStarts += 1;
      },
    );
  }
  return corePromise;
}

/** @type {{ core: Core, attached: Promise<void> } | null} the records being attached, and to which core */
let records = null;

/**
 * The core with its company records attached: they ship beside the .wasm (a woken background
 * replies to its first scan without them) and are fetched once per core, after the first scan
 * that marks something or on the first card. A failure is tried again on the next card. A core
 * started afresh (after a trap) gets them again: they belong to the instance that was given them.
 * @param {Core} c
 */
function withRecords(c) {
  if (c.hasRecords) return Promise.resolve(c);
  if (records?.core !== c) {
    const attached = fetch(api.runtime.getURL('core/contract_lens_records.bin'))
      .then((response) => {
        if (!response.ok) throw new Error(`the core's records could not be read (${response.status})`);
        return response.arrayBuffer();
      })
      .then((bytes) => c.attachRecords(new Uint8Array(bytes)))
      .catch((error) => {
        if (records?.attached === attached) records = null;
        throw error;
      });
    records = { core: c, attached };
  }
  return records.attached.then(() => c);
}

/** @type {Core | null} the core that has scanned, for real or to warm up */
let warmed = null;
/** What a warm-up scan asks: no reader's option applied. */
const WARM_UP_OPTIONS = { filters: DEFAULTS.filters, firstPerBlock: false, dismissed: [] };

/**
 * Scans its first company's name, once per core, unless a page's scan came first. The
 * engine compiles WebAssembly a function at a time, when first called (a first scan in a new
 * core takes 5 to 10 ms more than the next, nearly all of it compiling): a woken core does
 * that now, while the page that woke it loads, not when the page's text comes.
 * @param {Core} c
 */
function warmUp(c) {
  if (warmed === c) return;
  warmed = c;
  if (TEST_BUILD) stats.warmUps += 1;
  const { text, lengths } = encodeBlocks([c.companyName(0) ?? '']);
  c.scan(text, lengths, WARM_UP_OPTIONS);
}

// Cards and contracts cross to the page as the core's JSON text, which the content script
// parses (`Message.cardOf`, `contractsOf`): one string crosses between processes faster than
// the tree of objects it makes in Firefox (FCN's card, 840 awards, built afresh: 5.3 against
// 9.5 ms from an extension page, tests/bench) and as fast, within the noise, in Chromium (4.8
// and 4.9 against 5.9 and 4.3 ms in two runs).
//
// The cards built, as JSON text, by company and filters: those the pages prepared while their
// readers read, and those opened. A reseller's card takes a few ms to build from hundreds of
// awards (FCN, Inc.'s 840: 2 to 4 ms in the background), which a card opened by keyboard
// focus would wait; kept, it comes in one round trip. The cards of a few pages (a page
// prepares `MAX_PREPARED` at most), and never more than about 1 MB of text.
const CARDS_KEPT = 64;
const CARD_UNITS_KEPT = 1_000_000;
const cardsKept = new RecentTexts(CARDS_KEPT, CARD_UNITS_KEPT);

/** @param {number} company @param {unknown} filters */
const cardKey = (company, filters) => `${company} ${JSON.stringify(filters ?? null)}`;

/**
 * Company `company`'s card as it opens, as JSON text: kept, or built now and kept (undefined
 * for an unknown company).
 * @param {Core} c
 * @param {number} company
 * @param {any} filters
 * @param {string} key its `cardKey`, if the caller has it
 */
function cardText(c, company, filters, key = cardKey(company, filters)) {
  const kept = cardsKept.get(key);
  if (kept !== undefined) return kept;
  if (TEST_BUILD) stats.cardsBuilt += 1;
  const text = c.card(company, filters ?? undefined);
  if (text !== undefined) cardsKept.set(key, text);
  return text;
}

/** What only the tests ask (test builds only; folded away in what ships). */
const testMessage = TEST_BUILD
  ? (/** @type {any} */ m) => {
      if (m.type === 'failScans') failingScans = m.count;
      if (m.type === 'failStarts') {
        // The next start fails: drop the running core, and any pause from earlier failures.
        testStartFailures.count = m.count;
        corePromise = null;
        nextStart = 0;
        failedStarts = 0;
      }
      return m.type === 'stats' ? { ...stats, wasmMemoryBytes: coreMemory?.buffer.byteLength ?? 0 } : { ok: true };
    }
  : null;

/**
 * @param {unknown} message
 * @param {chrome.runtime.MessageSender} sender
 */
async function handle(message, sender) {
  const m = Message.check(message, ACCEPTED);
  switch (m.type) {
    case 'wake':
      // A page is loading: start the core while it does, and warm it. Its scan reports a
      // failed start.
      if (TEST_BUILD) stats.wakes += 1;
      core()
        .then(warmUp)
        .catch(() => {});
      return { ok: true };
    case 'scan': {
      if (TEST_BUILD) {
        stats.scans += 1;
        if (failingScans > 0) {
          failingScans -= 1;
          throw new Error('a failure the tests asked for');
        }
      }
      const c = await core();
      warmed = c;
      const { text, lengths } = encodeBlocks(m.blocks);
      const result = c.scan(text, lengths, m.options);
      // A page with marks may ask for a card soon: its records are fetched after this reply,
      // not while the marks wait, nor when the reader's hover does.
      if (result.mentions.length && !c.hasRecords) setTimeout(() => withRecords(c).catch(() => {}), 0);
      return { mentions: Array.from(result.mentions), companies: result.companies };
    }
    case 'prepare': {
      const c = await withRecords(await core());
      let prepared = 0;
      for (const company of m.companies) {
        const key = cardKey(company, m.filters);
        if (cardsKept.has(key)) continue;
        // One card a task: a page's scan that comes meanwhile waits for one card at most.
        await new Promise((resolve) => setTimeout(resolve, 0));
        cardText(c, company, m.filters, key);
        prepared += 1;
      }
      if (TEST_BUILD) {
        stats.prepares += 1;
        stats.cardsPrepared += prepared;
      }
      return { prepared };
    }
    case 'card': {
      const c = await withRecords(await core());
      return { card: cardText(c, m.company, m.filters) ?? null, name: c.nameText(m.name, m.found) ?? '' };
    }
    case 'contracts': {
      const c = await withRecords(await core());
      return { contracts: c.contracts(m.company, m.filters ?? undefined, encodeSlices(m.slices)) };
    }
    case 'badge': {
      const tabId = sender.tab?.id;
      if (tabId !== undefined) await api.action.setBadgeText({ tabId, text: m.count ? String(m.count) : '' });
      return { ok: true };
    }
    default:
      if (TEST_BUILD && testMessage) return testMessage(m);
      throw new Error(`unexpected message ${m.type}`);
  }
}

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  // Only our own content scripts and pages talk to us.
  if (sender.id !== api.runtime.id) return false;
  handle(message, sender).then(sendResponse, (error) => {
    // A trap in the core (a Rust panic) leaves the instance unusable: start afresh next time.
    if (error instanceof WebAssembly.RuntimeError) corePromise = null;
    sendResponse({ error: String(error?.message ?? error) });
  });
  return true;
});

// The keyboard shortcut (manifest "commands") flips the global switch.
api.commands?.onCommand.addListener(async (command) => {
  if (command !== 'toggle-annotations') return;
  const { enabled = DEFAULTS.enabled } = await api.storage.local.get('enabled');
  await api.storage.local.set({ enabled: !enabled });
});

api.action.setBadgeBackgroundColor?.({ color: '#0b5cad' });

// The reader granted access to sites (from the popup, or the browser's own site-access menu):
// annotate their open tabs at once, without a reload, with the marks' stylesheet first (their
// underline's ink: content/marks.css). A copy the browser injects itself as well hands over
// to this one (content/main.js); a second copy of the stylesheet changes nothing.
api.permissions.onAdded.addListener(async ({ origins = [] }) => {
  const sites = origins.filter((o) => /^https?:\/\//.test(o));
  if (!sites.length) return;
  for (const tab of await api.tabs.query({ url: sites })) {
    if (tab.id === undefined) continue;
    const target = { tabId: tab.id };
    api.scripting
      .insertCSS({ target, files: ['content/marks.css'] })
      .then(() => api.scripting.executeScript({ target, files: ['content/main.js'] }))
      .catch((error) => {
        console.debug('Contract Lens: could not annotate a tab just allowed', error);
      });
  }
});
