import { encodeBlocks } from '../../extension/common/encode.js';
import { cardOf, check, contractsOf, isHandle, MAX_PREPARED, prepare } from '../../extension/common/messages.js';
import { RecentTexts } from '../../extension/common/recent.js';
import {
  DEFAULTS,
  DISMISSAL_DAYS,
  DISMISSALS_PER_PAGE,
  DISMISSED_PAGES,
  enabledFor,
  filtersFromForm,
  liveDismissals,
  pageKey,
  readSettingsEarly,
  settingsReadEarly,
  withDismissal,
} from '../../extension/common/settings.js';
import { deepEqual, equal, ok, test, throws } from './harness.js';

test("the blocks' bytes are the browser's UTF-8 of their text, however the buffer is reused", () => {
  const encoder = new TextEncoder();
  // Cases: blocks as a page gives them. Lone surrogates become U+FFFD, as TextEncoder makes
  // them; a text too long for the first 64 kB grows the kept buffer, one too long for the
  // largest kept (1 MiB) gets a buffer of its own, and smaller texts after each still come whole.
  const cases = [
    ['Hootsuite', 'FCN, Inc.'],
    ['caf\u00e9 \u2019s \u{1F600}', '\ud800', '\udc00 end', ''],
    ['x'.repeat(200_000), '\u2019'.repeat(1000)],
    ['y'.repeat(400_000)],
    [],
    ['a'],
    ['\u00e9'.repeat(30_000)],
    ['Palantir'],
  ];
  for (const blocks of cases) {
    const { text, lengths } = encodeBlocks(blocks);
    deepEqual(
      Array.from(lengths),
      blocks.map((b) => b.length),
      `${blocks.length} blocks' lengths`,
    );
    const expected = encoder.encode(blocks.join('\n'));
    equal(text.length, expected.length, `${blocks.length} blocks' byte count`);
    ok(
      text.every((byte, i) => byte === expected[i]),
      `${blocks.length} blocks' bytes`,
    );
  }
});

test('a text too long for the kept buffer is encoded in one of its own, which is not kept', () => {
  const kept = encodeBlocks(['Hootsuite']).text.buffer;
  // Up to 1.2 MB of UTF-8, past the 1 MiB kept: a huge page must hold no memory after its scan.
  const huge = encodeBlocks(['y'.repeat(400_000)]).text;
  ok(huge.buffer !== kept, 'the huge text has a buffer of its own');
  equal(encodeBlocks(['Palantir']).text.buffer, kept, 'the next scan reuses the buffer kept before');
});

test('a handle is an integer the core can index with', () => {
  // Cases: the value, and whether it is a handle (0.5, NaN and 2^32 became 0 at the boundary).
  const cases = [
    [0, true],
    [41, true],
    [2 ** 32 - 1, true],
    [2 ** 32, false],
    [0.5, false],
    [-1, false],
    [Number.NaN, false],
    ['3', false],
    [null, false],
  ];
  for (const [value, expected] of cases) equal(isHandle(value), expected, String(value));
});

test('messages are checked before anything acts on them', () => {
  equal(check({ type: 'card', company: 3, name: 4, found: 'Acme', filters: {} }, ['card']).company, 3);
  throws(() => check({ type: 'card', company: 0.5, name: 4, found: 'Acme' }, ['card']), /malformed card/);
  throws(() => check({ type: 'card', company: 3, name: 4 }, ['card']), /malformed card/); // no text found
  throws(() => check({ type: 'card', company: 3, name: 4, found: 'A'.repeat(1001) }, ['card']), /malformed card/);
  throws(() => check({ type: 'card', company: 1, name: 1 }, ['scan']), /unexpected message "card"/);
  throws(() => check('card', ['card']), /unexpected message/);
  throws(() => check({ type: 'scan', blocks: [1], options: { dismissed: [] } }, ['scan']), /malformed scan/);
  throws(() => check({ type: 'stats' }, ['scan', 'card']), /unexpected message "stats"/);
  // Slices of a card's contracts: whole, in order, and not too many at once.
  const slices = (/** @type {unknown} */ s) => ({ type: 'contracts', company: 3, slices: s, filters: {} });
  equal(check(slices([{ from: 4, to: 54 }]), ['contracts']).slices.length, 1);
  for (const bad of [
    [{ from: 5, to: 4 }],
    [{ from: -1, to: 4 }],
    [{ from: 0 }],
    [null],
    [[0, 4]],
    'all',
    Array(101).fill({ from: 0, to: 1 }),
  ]) {
    throws(() => check(slices(bad), ['contracts']), /malformed contracts/);
  }
});

test('cards and contracts come from the background as JSON text and are read back as data', () => {
  // A card's text as the core sends it: a company's words come back as the same characters,
  // never as markup, whatever they hold.
  const card = { name: 'A <b>"quoted"</b> \u2028 name', entries: [{ contract: { obligated_usd: null, sources: [] } }] };
  deepEqual(cardOf({ card: JSON.stringify(card), name: 'FCN Inc.' }), { card, name: 'FCN Inc.' });
  deepEqual(cardOf({ card: null, name: '' }), { card: null, name: '' }, 'an unknown company');
  deepEqual(contractsOf({ contracts: '[[{"award_id":"A"}],[]]' }), [[{ award_id: 'A' }], []]);
  throws(() => cardOf({ card: '{"name":', name: '' }), /JSON/);
  // Objects are not what the background sends: refused, not read as if they were.
  throws(() => cardOf(/** @type {any} */ ({ card, name: '' })), /JSON/);
});

test('a site switch covers its subdomains and falls back to the global switch', () => {
  const sites = { 'example.org': false, 'news.example.org': true };
  // Cases: hostname, global switch, and whether pages there are annotated.
  /** @type {[string, boolean, boolean][]} */
  const cases = [
    ['example.org', true, false],
    ['www.example.org', true, false],
    ['news.example.org', false, true],
    ['a.news.example.org', false, true],
    ['example.com', true, true],
    ['example.com', false, false],
    ['localhost', true, true],
  ];
  for (const [host, enabled, expected] of cases) equal(enabledFor(host, { enabled, sites }), expected, `${host} ${enabled}`);
});

test("the options form's values become checked filters", () => {
  deepEqual(filtersFromForm({ contracts: true, statements: false, hiddenAgencies: ['ICE'], minAmountUsd: '-5' }), {
    hideContracts: false,
    hideStatements: true,
    hiddenAgencies: ['ICE'],
    minAmountUsd: 0,
  });
  equal(filtersFromForm({ contracts: true, statements: true, hiddenAgencies: [], minAmountUsd: 'lots' }).minAmountUsd, 0);
  equal(filtersFromForm({ contracts: true, statements: true, hiddenAgencies: [], minAmountUsd: '1e6' }).minAmountUsd, 1e6);
});

test('dismissals are kept by origin and path, capped per page and in all, and expire', () => {
  equal(pageKey(new URL('https://news.example/story?utm=1&x=2#top')), 'https://news.example/story');
  const day = 24 * 3600 * 1000;
  const now = 400 * day;
  /** @type {Record<string, import('../../extension/common/settings.js').Dismissal>} */
  let dismissed = {};
  for (let i = 0; i < DISMISSALS_PER_PAGE + 5; i += 1)
    dismissed = withDismissal(dismissed, 'https://a.example/', { id: `c${i}`, name: `C${i}` }, now);
  equal(dismissed['https://a.example/'].companies.length, DISMISSALS_PER_PAGE);
  equal(dismissed['https://a.example/'].companies.at(-1)?.id, `c${DISMISSALS_PER_PAGE + 4}`, 'the newest kept');
  for (let i = 0; i < DISMISSED_PAGES + 10; i += 1)
    dismissed = withDismissal(dismissed, `https://p${i}.example/`, { id: 'x', name: 'X' }, now + i);
  equal(Object.keys(dismissed).length, DISMISSED_PAGES);
  ok(!('https://a.example/' in dismissed), 'the oldest page went first');
  const later = now + (DISMISSAL_DAYS + 1) * day;
  deepEqual(liveDismissals(dismissed, later), {}, 'a year later, all forgotten');
  // What an older version stored (arrays of handles) or a page forged is dropped, not trusted.
  deepEqual(liveDismissals({ 'https://b.example/x': [1, 2], bad: { companies: [{ id: 3 }], at: now } }, now), {});
});

/** A stand-in for the extension API's storage: `stored` is what storage.local holds. */
function fakeStorage(/** @type {Record<string, unknown>} */ stored) {
  /** @type {Set<Function>} */
  const listeners = new Set();
  let reads = 0;
  const api = /** @type {any} */ ({
    storage: {
      local: {
        async get(/** @type {string[]} */ keys) {
          reads += 1;
          return Object.fromEntries(keys.filter((k) => k in stored).map((k) => [k, structuredClone(stored[k])]));
        },
      },
      onChanged: {
        addListener: (/** @type {Function} */ f) => listeners.add(f),
        removeListener: (/** @type {Function} */ f) => listeners.delete(f),
      },
    },
  });
  return {
    api,
    reads: () => reads,
    listeners: () => listeners.size,
    /** Stores `values` in `area`, telling the listeners as the browser does. */
    store(/** @type {string} */ area, /** @type {Record<string, unknown>} */ values) {
      if (area === 'local') Object.assign(stored, values);
      for (const f of listeners) f(values, area);
    },
  };
}

test("settings read at document_start are the content script's, unless they changed since", async () => {
  // Unchanged: one read in all, handed out once, and the listener is gone.
  const quiet = fakeStorage({ markEverywhere: true });
  await readSettingsEarly(quiet.api);
  equal((await settingsReadEarly(quiet.api)).markEverywhere, true);
  equal(quiet.reads(), 1, 'the early read was used');
  equal(quiet.listeners(), 0, 'the early read stops listening once taken');
  await settingsReadEarly(quiet.api);
  equal(quiet.reads(), 2, 'taken once: a second take reads anew');

  // A change stored between the two scripts: read anew, and the new value wins.
  const changed = fakeStorage({ sites: {} });
  await readSettingsEarly(changed.api);
  changed.store('local', { sites: { 'example.org': false } });
  deepEqual((await settingsReadEarly(changed.api)).sites, { 'example.org': false });
  equal(changed.reads(), 2);

  // Another storage area changing is no reason to read again.
  const synced = fakeStorage({});
  await readSettingsEarly(synced.api);
  synced.store('sync', { anything: 1 });
  await settingsReadEarly(synced.api);
  equal(synced.reads(), 1);

  // The early read failed (the extension reloading under the page): read now.
  const failing = fakeStorage({ markEverywhere: true });
  const get = failing.api.storage.local.get;
  failing.api.storage.local.get = async () => {
    failing.api.storage.local.get = get;
    throw new Error('Extension context invalidated.');
  };
  await readSettingsEarly(failing.api).catch(() => {});
  equal((await settingsReadEarly(failing.api)).markEverywhere, true);

  // No early read (a script injected later by the background): read now.
  const late = fakeStorage({ firstPerBlock: true });
  equal((await settingsReadEarly(late.api)).firstPerBlock, true);
  equal(late.reads(), 1);
});

test("a prepare message names a page's worth of companies by handle", () => {
  const filters = DEFAULTS.filters;
  ok(check(prepare([0, 5], filters), ['prepare']), 'two companies');
  const cap = Array.from({ length: MAX_PREPARED }, (_, i) => i);
  ok(check(prepare(cap, filters), ['prepare']), 'as many as the cap');
  throws(() => check(prepare([...cap, 99], filters), ['prepare']), /malformed prepare/);
  throws(() => check(prepare([1, -1], filters), ['prepare']), /malformed prepare/);
  throws(() => check({ type: 'prepare', companies: '1,2', filters }, ['prepare']), /malformed prepare/);
});

test('recent texts keep the most recently used within both bounds', () => {
  const kept = new RecentTexts(3, 10);
  kept.set('a', 'aa');
  kept.set('b', 'bb');
  kept.set('c', 'cc');
  equal(kept.get('a'), 'aa', 'a is now the most recently used');
  kept.set('d', 'dd');
  deepEqual([...kept.texts.keys()], ['c', 'a', 'd'], 'past 3 entries: b, the least recently used, went');
  kept.set('e', 'eeeeee');
  deepEqual([...kept.texts.keys()], ['a', 'd', 'e'], 'past 10 units: the oldest went until it fit');
  equal(kept.units, 10);
  kept.set('e', 'e');
  equal(kept.units, 5, 'a key set again counts its new text only');
  kept.set('huge', 'x'.repeat(11));
  equal(kept.has('huge'), false, 'a text larger than all the room is not kept');
  deepEqual([...kept.texts.keys()], ['a', 'd', 'e'], 'and takes nothing out');
  equal(kept.get('gone'), undefined);
});
