import { MAX_PREPARED } from '../../extension/common/messages.js';
import { words as wordsFor } from '../../extension/common/strings.js';
import { Annotator } from '../../extension/content/annotator.js';
import { CardPrefetch, CardsAhead } from '../../extension/content/card.js';
import { deepEqual, equal, fixture, ok, test, until } from './harness.js';

/** A mark of `company` found as name `name`. @param {number} company @param {number} name */
const mark = (company, name) => ({ company, name, found: `found as ${name}` });

/** A backend that counts its card requests and answers each with its own number. */
function countingBackend() {
  /** @type {[number, number][]} */
  const asked = [];
  return {
    asked,
    async card(/** @type {number} */ company, /** @type {number} */ name, /** @type {string} */ found) {
      equal(found, `found as ${name}`, "the mark's text goes with the request");
      asked.push([company, name]);
      if (company < 0) throw new Error('no such company');
      return { card: { request: asked.length }, name: `name ${name}` };
    },
  };
}

test('a card asked for on hover is the one its opening takes: one request', async () => {
  const backend = countingBackend();
  const prefetch = new CardPrefetch(backend);
  prefetch.ask(mark(3, 7));
  prefetch.ask(mark(3, 7)); // the pointer moving inside the mark
  equal(backend.asked.length, 1, 'asked once while the delay runs');
  const data = await prefetch.take(mark(3, 7));
  deepEqual(data, { card: { request: 1 }, name: 'name 7' });
  equal(backend.asked.length, 1, 'the opening asked nothing more');
  // Taken once: a later opening asks afresh (the reader's settings may have changed since).
  await prefetch.take(mark(3, 7));
  equal(backend.asked.length, 2);
});

test('an opening of another mark, or after the pointer left, asks afresh', async () => {
  const backend = countingBackend();
  const prefetch = new CardPrefetch(backend);
  prefetch.ask(mark(3, 7));
  deepEqual((await prefetch.take(mark(4, 8))).card, { request: 2 }, 'another company');
  prefetch.ask(mark(3, 7));
  prefetch.ask(mark(3, 9));
  deepEqual((await prefetch.take(mark(3, 7))).card, { request: 5 }, 'the same company found as another name: the last asked is kept');
  prefetch.ask(mark(3, 7));
  prefetch.drop();
  deepEqual((await prefetch.take(mark(3, 7))).card, { request: 7 }, 'dropped when the pointer left');
  deepEqual(backend.asked, [
    [3, 7],
    [4, 8],
    [3, 7],
    [3, 9],
    [3, 7],
    [3, 7],
    [3, 7],
  ]);
});

test('a failed request fails the opening that takes it, and only that one', async () => {
  const backend = countingBackend();
  const prefetch = new CardPrefetch(backend);
  prefetch.ask(mark(-1, 0));
  let failure = '';
  await prefetch.take(mark(-1, 0)).catch((/** @type {Error} */ e) => {
    failure = e.message;
  });
  equal(failure, 'no such company');
  prefetch.ask(mark(-1, 0));
  prefetch.drop(); // never opened: its failure is nobody's
  ok((await prefetch.take(mark(5, 5))).card, 'the next opening has its card');
});

/** A backend that finds Hootsuite, as `company`, at the start of a block; its cards are empty. @param {number} company */
function hootsuiteBackend(company) {
  return {
    scan: async (/** @type {string[]} */ blocks) => ({
      mentions: blocks.flatMap((text, block) => (text.startsWith('Hootsuite') ? [block, 0, 9, company, 1] : [])),
      companies: [{ company, id: 'hootsuite', name: 'Hootsuite', statements: true }],
    }),
    card: async () => ({ card: null, name: '' }),
    contracts: async () => [],
  };
}

test('a page that gets marks has its formats made while idle; one without marks never does', async () => {
  let prepared = 0;
  const words = { ...wordsFor(undefined, 'en'), prepare: () => (prepared += 1) };
  /** @param {string} html */
  const annotated = async (html) => {
    const annotator = new Annotator({ backend: hootsuiteBackend(1), document, words });
    await annotator.annotate(fixture(html));
    return annotator;
  };
  const unmarked = await annotated('<p>Nothing to see.</p>');
  await new Promise((resolve) => requestIdleCallback(resolve, { timeout: 2000 }));
  equal(prepared, 0, 'no marks, no card, no formats');
  unmarked.clear();
  const marked = await annotated('<p>Hootsuite said.</p>');
  await until(() => prepared === 1);
  marked.clear();
});

test("cards are prepared when the page is idle, each company once, a page's worth at most", async () => {
  /** @type {number[][]} */
  const asked = [];
  /** @type {(() => void)[]} */
  const idle = [];
  const ahead = new CardsAhead({ prepare: async (/** @type {number[]} */ companies) => asked.push(companies) }, (task) => idle.push(task));
  ahead.want([3, 1]);
  ahead.want([1, 4]); // more marks before the page was idle: the same request
  deepEqual(asked, [], 'nothing asked before the page is idle');
  equal(idle.length, 1, 'one wait for idleness');
  idle.shift()?.();
  deepEqual(asked, [[3, 1, 4]]);
  ahead.want([4, 3, 1]);
  equal(idle.length, 0, 'nothing new: no request, no wait');
  const many = Array.from({ length: 2 * MAX_PREPARED }, (_, i) => 100 + i);
  ahead.want(many);
  idle.shift()?.();
  deepEqual(asked[1], many.slice(0, MAX_PREPARED - 3), 'the first companies marked, up to the cap');
  ahead.want([999]);
  equal(idle.length, 0, 'a page asks for no more than the cap');
});

test('a backend that prepares nothing, or fails to, is no trouble', async () => {
  /** @type {(() => void)[]} */
  const idle = [];
  new CardsAhead({}, (task) => idle.push(task)).want([1, 2]);
  equal(idle.length, 0, 'no prepare (the demo page): no wait');
  let failed = 0;
  const failing = new CardsAhead(
    {
      prepare: async () => {
        failed += 1;
        throw new Error('the background is gone');
      },
    },
    (task) => idle.push(task),
  );
  failing.want([1]);
  idle.shift()?.();
  await until(() => failed === 1);
});

test("a page with marks asks for its marked companies' cards once it is idle", async () => {
  /** @type {number[][]} */
  const prepared = [];
  const backend = { ...hootsuiteBackend(7), prepare: async (/** @type {number[]} */ companies) => prepared.push(companies) };
  const annotator = new Annotator({ backend, document });
  await annotator.annotate(fixture('<p>Nothing to see.</p>'));
  await new Promise((resolve) => requestIdleCallback(resolve, { timeout: 2000 }));
  deepEqual(prepared, [], 'no marks, nothing prepared');
  await annotator.annotate(fixture('<p>Hootsuite said.</p><p>Hootsuite again.</p>'));
  await until(() => prepared.length === 1);
  deepEqual(prepared, [[7]]);
  annotator.clear();
});

test('prepare makes the formats once; cards then make none', () => {
  const real = Intl.NumberFormat;
  let made = 0;
  // Counts the formats made, as they are made.
  Intl.NumberFormat = /** @type {any} */ (
    class extends real {
      /** @param {any[]} args */
      constructor(...args) {
        super(...args);
        made += 1;
      }
    }
  );
  try {
    const words = wordsFor(undefined, 'en');
    equal(made, 0, 'nothing made with the words');
    words.prepare();
    const once = made;
    ok(once > 0, 'made by prepare');
    words.prepare();
    equal(words.money(508832), '$508,832');
    equal(words.count(2, 'countContract'), '2 contracts');
    equal(made, once, 'made once');
  } finally {
    Intl.NumberFormat = real;
  }
});
