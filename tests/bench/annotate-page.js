// The in-browser half of tests/bench/annotate.mjs: the extension's own annotator, in a page,
// with two backends that differ only in how they match:
// - wasm: the core's matcher (NameMatcher, WebAssembly), as the extension's background runs it;
// - regexp: what a JavaScript-only extension would do (regexp.js), in the same page.
// For each dictionary and each page, the page's body is put in place, then annotated (every
// text, not only the article); the time is from the call to the marks made, slices and all.
// The time spent inside the backend's scan is kept apart: that is matching, boundary included.
import { encodeBlocks } from '../../extension/common/encode.js';
import { Annotator } from '../../extension/content/annotator.js';
import { initSync, NameMatcher } from '../../dist/pkg/contract_lens.js';
import { regexpFor, scanWithRegExp } from './regexp.js';

const median = (/** @type {number[]} */ xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : 0;
};
const getJson = async (/** @type {string} */ path) => (await fetch(path)).json();

/** The page whose time is the median of the backend's. @param {Record<string, number[][]>} runs @param {string[]} files */
function medianLabel(runs, files) {
  const sorted = [...files].sort((a, b) => median(runs[a].map((r) => r[0])) - median(runs[b].map((r) => r[0])));
  return sorted[(sorted.length - 1) >> 1];
}

/** The saved page's body, without what would load or run. @param {string} html */
function bodyOf(html) {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const e of doc.querySelectorAll('script, iframe, img, picture, video, audio, source, link, object, embed, svg')) e.remove();
  for (const e of doc.querySelectorAll('[style]')) if (/url\(/i.test(e.getAttribute('style') ?? '')) e.removeAttribute('style');
  const styles = [...doc.querySelectorAll('style')].map((s) => s.textContent ?? '').filter((css) => !/@import|url\(/i.test(css));
  return { body: doc.body, styles };
}

/** A page of `bytes` of text: the saved pages' paragraphs, in order, again and again. */
function syntheticBody(/** @type {string[]} */ paragraphs, /** @type {number} */ bytes) {
  const body = document.implementation.createHTMLDocument('').body;
  let size = 0;
  for (let i = 0; size < bytes; i += 1) {
    const p = body.ownerDocument.createElement('p');
    p.textContent = paragraphs[i % paragraphs.length];
    size += p.textContent.length;
    body.append(p);
  }
  return { body, styles: [] };
}

const style = document.createElement('style');
document.head.append(style);

/**
 * The longest the page's event loop was held while `work` ran: a message posted to itself
 * again and again is late by the length of whatever task ran in between (rendering included).
 * Works alike in both browsers (Firefox has no long-task entries).
 * @param {() => Promise<unknown>} work
 */
async function longestTask(work) {
  const channel = new MessageChannel();
  let last = performance.now();
  let longest = 0;
  let running = true;
  channel.port1.onmessage = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) channel.port2.postMessage(null);
  };
  channel.port2.postMessage(null);
  await work();
  running = false;
  channel.port1.close();
  return longest;
}

/**
 * Matching alone, as the Node half measures it but in this browser: the visible text of the
 * saved pages (benches/matching.rs), one call per page, best of 7 runs over all pages. The
 * WebAssembly's time is split into what turns the page's strings into bytes for it
 * (encodeBlocks: join, TextEncoder's encodeInto) and the scan (the copy into its memory, the
 * matching, the spans back): the encoding alone bounds how far ahead of the RegExp any matcher
 * fed this way can be.
 * @param {string[][]} texts
 * @param {(blocks: string[]) => ArrayLike<number>} regexpScan
 * @param {(text: Uint8Array, lengths: Uint32Array) => ArrayLike<number>} wasmScan
 */
function matchingAlone(texts, regexpScan, wasmScan) {
  const best = (/** @type {() => void} */ run) => {
    let fastest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 7; i += 1) {
      const start = performance.now();
      run();
      fastest = Math.min(fastest, performance.now() - start);
    }
    return fastest;
  };
  // Each page's bytes copied out: encodeBlocks reuses its buffer.
  const encoded = texts.map((blocks) => {
    const { text, lengths } = encodeBlocks(blocks);
    return { text: text.slice(), lengths };
  });
  const bytes = encoded.reduce((n, e) => n + e.text.length, 0);
  return {
    bytes,
    encodeMs: best(() => texts.forEach((blocks) => encodeBlocks(blocks))),
    scanMs: best(() => encoded.forEach((e) => wasmScan(e.text, e.lengths))),
    wasmMs: best(() =>
      texts.forEach((blocks) => {
        const e = encodeBlocks(blocks);
        wasmScan(e.text, e.lengths);
      }),
    ),
    regexpMs: best(() => texts.forEach((blocks) => regexpScan(blocks))),
  };
}

/** Puts `page` in place, and resolves once the browser has laid it out and painted it. */
async function putInPlace(page) {
  style.textContent = page.styles.join('\n');
  document.body.replaceWith(document.importNode(page.body, true));
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/** Annotates the page in place with `backend`: [ms, ms inside the backend, marks]. */
async function annotate(backend) {
  let matching = 0;
  const timed = {
    scan: async (/** @type {string[]} */ blocks) => {
      const start = performance.now();
      const mentions = backend(blocks);
      matching += performance.now() - start;
      return { mentions, companies: [] };
    },
    card: async () => ({ card: null, name: '' }),
  };
  // Both read the whole page: with the limit of marks a page gets, the backend that marks
  // more (the RegExp: lower-case words too) would stop reading a large page sooner.
  const annotator = new Annotator({ backend: timed, document, articleOnly: false, maxMarks: Number.POSITIVE_INFINITY });
  const start = performance.now();
  const marked = await annotator.annotate(document.body);
  const ms = performance.now() - start;
  annotator.clear();
  return [ms, matching, marked];
}

/** Puts `page` in place and annotates it with `backend`: [ms, ms inside the backend, marks]. */
async function annotateOnce(page, backend) {
  await putInPlace(page);
  return annotate(backend);
}

/**
 * @param {{ dictionaries: string[], rounds: number, syntheticMb: number[] }} config
 */
async function runBench({ dictionaries, rounds, syntheticMb }) {
  initSync({ module: await (await fetch('contract_lens_bg.wasm')).arrayBuffer() });
  const files = await getJson('pages.json');
  /** @type {string[][]} */
  const texts = await getJson('texts.json');
  const saved = [];
  for (const file of files) saved.push(bodyOf(await (await fetch(`pages/${file}`)).text()));
  const paragraphs = saved.flatMap(({ body }) => [...body.querySelectorAll('p')].map((p) => p.textContent?.trim() ?? '').filter((t) => t.length > 40));
  const synthetic = syntheticMb.map((mb) => ({ mb, page: syntheticBody(paragraphs, mb * 1e6) }));
  const results = [];
  for (const dictionary of dictionaries) {
    const names = await getJson(dictionary);
    let start = performance.now();
    const matcher = new NameMatcher(names);
    const wasmBuildMs = performance.now() - start;
    start = performance.now();
    const regexp = regexpFor(names);
    regexp.test('compile the expression before the first page');
    const regexpBuildMs = performance.now() - start;
    const byLowered = new Map(names.map((n, i) => [n.toLowerCase(), i]));
    /** @type {Record<string, (blocks: string[]) => ArrayLike<number>>} */
    const backends = {
      wasm: (blocks) => {
        const { text, lengths } = encodeBlocks(blocks);
        return matcher.scan(text, lengths);
      },
      regexp: (blocks) => scanWithRegExp(regexp, byLowered, blocks),
    };
    const alone = matchingAlone(texts, backends.regexp, (text, lengths) => matcher.scan(text, lengths));
    const pages = [...saved.map((page, i) => ({ label: files[i], page })), ...synthetic.map((s) => ({ label: `${s.mb} MB`, page: s.page }))];
    /** @type {Record<string, Record<string, number[][]>>} backend -> page -> runs */
    const runs = { wasm: {}, regexp: {} };
    for (let round = 0; round < rounds; round += 1) {
      for (const { label, page } of pages) {
        // Put in place once untimed: Firefox's first layout of a page's new styles fell on
        // whichever backend went first (wikipedia-2.html: 61 to 71 ms first, 18 to 27 second).
        await putInPlace(page);
        // Alternating which goes first: neither always meets a cold cache.
        const order = round % 2 ? ['regexp', 'wasm'] : ['wasm', 'regexp'];
        for (const name of order) (runs[name][label] ??= []).push(await annotateOnce(page, backends[name]));
      }
    }
    // Once more with the WebAssembly matcher, watching the event loop (apart: the watching
    // adds tasks of its own to the times above). The backend runs in the page here; in the
    // extension it runs in the background, so the page's own tasks are shorter still.
    const longest = {};
    for (const { label, page } of pages) {
      // Twice, as in the rounds: the page's first layout with its styles is not the annotator's.
      await putInPlace(page);
      await putInPlace(page);
      longest[label] = await longestTask(() => annotate(backends.wasm));
    }
    matcher.free();
    // A JavaScript-only extension has no background to keep its RegExp in: each page's content
    // script builds it and V8 compiles it on first use. Timed on fresh expressions (a unique
    // alternative defeats V8's cache of compiled expressions) over the median saved page.
    const medianPage = saved[files.indexOf(medianLabel(runs.regexp, files))] ?? saved[0];
    const sample = [...medianPage.body.querySelectorAll('p, li, h1, h2, h3, td')].map((e) => e.textContent ?? '');
    const regexpStarts = [];
    for (let i = 0; i < 5; i += 1) {
      const startedAt = performance.now();
      const fresh = regexpFor([...names, `\uE000${Math.random()}`]);
      scanWithRegExp(fresh, byLowered, sample);
      regexpStarts.push(performance.now() - startedAt);
    }
    const summary = (/** @type {string} */ name) => {
      const perPage = Object.fromEntries(
        Object.entries(runs[name]).map(([label, list]) => [
          label,
          { ms: median(list.map((r) => r[0])), matchingMs: median(list.map((r) => r[1])), marks: list[0][2] },
        ]),
      );
      const ofSaved = files.map((f) => perPage[f]);
      const slowest = files.reduce((a, b) => (perPage[b].ms > perPage[a].ms ? b : a));
      return {
        savedMedianMs: median(ofSaved.map((p) => p.ms)),
        savedSlowestMs: perPage[slowest].ms,
        savedSlowestPage: slowest,
        // Each round's time on it, in the order run: a median of few rounds can land on
        // either side of a page whose time jumps from run to run.
        savedSlowestRunsMs: runs[name][slowest].map((r) => r[0]),
        savedTotalMs: ofSaved.reduce((n, p) => n + p.ms, 0),
        savedMatchingMs: ofSaved.reduce((n, p) => n + p.matchingMs, 0),
        savedMarks: ofSaved.reduce((n, p) => n + p.marks, 0),
        synthetic: Object.fromEntries(synthetic.map((s) => [`${s.mb} MB`, perPage[`${s.mb} MB`]])),
      };
    };
    results.push({
      dictionary,
      names: names.length,
      wasmBuildMs,
      regexpBuildMs,
      regexpStartPerPageMs: median(regexpStarts),
      alone,
      wasm: summary('wasm'),
      regexp: summary('regexp'),
      longestTaskMs: {
        saved: Math.max(...files.map((f) => longest[f])),
        savedPage: files.reduce((a, b) => (longest[b] > longest[a] ? b : a)),
        ...Object.fromEntries(synthetic.map((x) => [`${x.mb} MB`, longest[`${x.mb} MB`]])),
      },
    });
  }
  return { userAgent: navigator.userAgent, pages: files.length, results };
}

Object.assign(globalThis, { runBench });
