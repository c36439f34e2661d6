// Memory, measured from outside, after the work a reader's browsing makes the extension do:
// - the core's WebAssembly memory in Node (the background's core, without the browser):
//   started; after scanning every saved page; after every company's card (every record
//   decoded); a matcher of 100k names built in WebAssembly; the same matcher loaded from its
//   compiled bytes in a fresh instance; and the core built with those 100k names embedded
//   (target/bench/core-100000, which `./run bench` builds), started and after the pages;
// - in Chromium, with the test build (whose background reports its WebAssembly memory): the
//   background's WebAssembly memory and JavaScript heap after every saved page was scanned
//   and a card shown, with today's core and with the core of 100k names;
// - the content script: the JavaScript heap (after garbage collection) of the median and the
//   largest saved page with the extension, beside the same page in a browser without it.
// Prints a table and writes target/bench/memory.json. Nothing here is asserted: see docs/performance.md.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { encodeBlocks } from '../../extension/common/encode.js';
import { ROOT } from '../e2e/common.mjs';
import { startServer } from '../e2e/server.mjs';
import { launchChromium } from '../harness-page.mjs';
import { chromiumWithExtension } from './chromium.mjs';

// The extension's modules read TEST_BUILD, which its build defines; here, as shipped.
globalThis.TEST_BUILD = false;
const { MAX_PREPARED } = await import('../../extension/common/messages.js');

const MB = 1024 * 1024;
const mb = (bytes) => `${(bytes / MB).toFixed(1)} MB`;
const bench = join(ROOT, 'target', 'bench');
const pkg = join(ROOT, 'dist', 'pkg');

// Node: the core's linear memory.
const { initSync, Core, NameMatcher } = await import(join(pkg, 'contract_lens.js'));
const wasmModule = new WebAssembly.Module(readFileSync(join(pkg, 'contract_lens_bg.wasm')));
const { memory } = initSync({ module: wasmModule });
const pages = JSON.parse(readFileSync(join(bench, 'pages.json'), 'utf8'));
/** A page's blocks as the core's scan takes them. @param {string[]} blocks */
const encoded = (blocks) => {
  const { text, lengths } = encodeBlocks(blocks);
  return /** @type {const} */ ([text, lengths]);
};

if (process.argv[2] === '--load') {
  // A fresh instance (a child process): the compiled matcher loaded, then used on the pages.
  const bytes = readFileSync(process.argv[3]);
  const before = memory.buffer.byteLength;
  const startedAt = performance.now();
  const loaded = NameMatcher.fromBytes(bytes);
  const loadMs = performance.now() - startedAt;
  for (const blocks of pages) loaded.scan(...encoded(blocks));
  console.log(JSON.stringify({ bytes: bytes.length, before, after: memory.buffer.byteLength, loadMs }));
  process.exit(0);
}
if (process.argv[2] === '--embedded') {
  // A fresh instance (a child process) of the core in another directory: started, then used on the pages.
  const dir = resolve(process.argv[3]);
  const other = await import(pathToFileURL(join(dir, 'contract_lens.js')).href);
  const { memory: otherMemory } = other.initSync({
    module: new WebAssembly.Module(readFileSync(join(dir, 'contract_lens_bg.wasm'))),
  });
  const instantiated = otherMemory.buffer.byteLength;
  const started = new other.Core();
  const startedBytes = otherMemory.buffer.byteLength;
  for (const blocks of pages) started.scan(...encoded(blocks), undefined);
  console.log(JSON.stringify({ instantiated, started: startedBytes, scanned: otherMemory.buffer.byteLength }));
  process.exit(0);
}
const instantiated = memory.buffer.byteLength;
const core = new Core();
const started = memory.buffer.byteLength;
for (const blocks of pages) core.scan(...encoded(blocks), undefined);
const scanned = memory.buffer.byteLength;
core.attachRecords(readFileSync(join(pkg, 'contract_lens_records.bin')));
const withRecords = memory.buffer.byteLength;
for (let company = 0; company < core.companyCount; company += 1) core.card(company, undefined);
const allCards = memory.buffer.byteLength;
core.free();
const names100k = JSON.parse(readFileSync(join(bench, 'dict-100000.json'), 'utf8'));
const before100k = memory.buffer.byteLength;
const matcher100k = new NameMatcher(names100k);
for (const blocks of pages) matcher100k.scan(...encoded(blocks));
const with100k = memory.buffer.byteLength;
const compiled100k = join(bench, 'matcher-100k.bin');
writeFileSync(compiled100k, matcher100k.toBytes());
matcher100k.free();
const loaded100k = JSON.parse(
  execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--load', compiled100k], { encoding: 'utf8' }),
);
const embedded100k = JSON.parse(
  execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--embedded', join(bench, 'core-100000')], {
    encoding: 'utf8',
  }),
);
const node = { instantiated, started, scanned, withRecords, allCards, before100k, with100k, loaded100k, embedded100k };

// Chromium.
const out = join(bench, 'memory-pages');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const pagesDir = join(ROOT, 'tests', 'fixtures', 'pages');
const saved = readdirSync(pagesDir)
  .filter((f) => f.endsWith('.html.gz'))
  .sort()
  .map((file) => {
    const html = gunzipSync(readFileSync(join(pagesDir, file)));
    const name = file.replace(/\.gz$/, '');
    writeFileSync(join(out, name), html);
    return { name, bytes: html.length };
  });
const bySize = [...saved].sort((a, b) => a.bytes - b.bytes);
const medianPage = bySize[(bySize.length - 1) >> 1];
const largestPage = bySize[bySize.length - 1];
const server = await startServer({ root: out });

/** The service worker's JS heap after garbage collection, through an extension page's DevTools session. */
async function workerHeap(context, page) {
  const cdp = await context.newCDPSession(page);
  const { targetInfos } = await cdp.send('Target.getTargets');
  const worker = targetInfos.find((t) => t.type === 'service_worker');
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: worker.targetId, flatten: false });
  const waiting = new Map();
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    const message = JSON.parse(event.message);
    waiting.get(message.id)?.(message.result);
  });
  let id = 0;
  const send = (method) =>
    new Promise((resolve) => {
      id += 1;
      waiting.set(id, resolve);
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params: {} }) });
    });
  await send('HeapProfiler.collectGarbage');
  const usage = await send('Runtime.getHeapUsage');
  await cdp.detach();
  return usage.usedSize;
}

/** JS heap of `page` after garbage collection, from DevTools. */
async function heapOf(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize;
}

/** Opens `name`, waits until it is marked (if it names a company) and settled; returns its heap. */
async function pageHeap(context, name, { marked }) {
  const page = await context.newPage();
  try {
    await page.goto(`${server.origin}/${name}`, { waitUntil: 'load' });
    // A page with no company gets no mark: it is known only by waiting.
    if (marked) await page.waitForSelector('contractlensmark', { timeout: 5_000, state: 'attached' }).catch(() => {});
    // Settled: no mutation for a second.
    await page.evaluate(
      () =>
        new Promise((resolve) => {
          let timer = setTimeout(resolve, 1000);
          new MutationObserver(() => {
            clearTimeout(timer);
            timer = setTimeout(resolve, 1000);
          }).observe(document, { childList: true, subtree: true, characterData: true });
        }),
    );
    return await heapOf(context, page);
  } finally {
    await page.close();
  }
}

/**
 * A reader's day in Chromium with the test build in `dir`: every saved page through the
 * background, as browsing would send them (its scan, its companies' cards prepared as the page
 * asks once idle, MAX_PREPARED at most, timed, and a card for each mention); then the
 * background's WebAssembly memory and JS heap. `beforeTheDay` runs first, in the same browser.
 * @param {string} dir
 * @param {(context: import('playwright-core').BrowserContext) => Promise<void>} [beforeTheDay]
 */
async function readersDay(dir, beforeTheDay) {
  const withExtension = await chromiumWithExtension(dir);
  try {
    const { context, extensionId } = withExtension;
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      return url.hostname === '127.0.0.1' || url.protocol === 'chrome-extension:' ? route.continue() : route.abort();
    });
    const control = await context.newPage();
    await control.goto(`chrome-extension://${extensionId}/options/options.html`);
    await control.evaluate(() => chrome.storage.local.set({ markEverywhere: true }));
    await beforeTheDay?.(context);
    const prepared = await control.evaluate(
      async ({ blocksOfPages, mostPrepared }) => {
        const filters = { hideContracts: false, hideStatements: false, hiddenAgencies: [], minAmountUsd: 0 };
        const prepared = [];
        for (const blocks of blocksOfPages) {
          const reply = await chrome.runtime.sendMessage({
            type: 'scan',
            blocks,
            options: { filters, firstPerBlock: false, dismissed: [] },
          });
          if (reply?.error) throw new Error(reply.error);
          const companies = [...new Set(reply.mentions.filter((_, i) => i % 5 === 3))].slice(0, mostPrepared);
          if (companies.length) {
            const started = performance.now();
            const answer = await chrome.runtime.sendMessage({ type: 'prepare', companies, filters });
            if (answer?.error) throw new Error(answer.error);
            prepared.push({ companies: companies.length, built: answer.prepared, ms: performance.now() - started });
          }
          for (let i = 0; i < reply.mentions.length; i += 5) {
            const [block, start, end, company, name] = reply.mentions.slice(i, i + 5);
            const found = blocks[block].slice(start, end);
            const answer = await chrome.runtime.sendMessage({ type: 'card', company, name, found, filters });
            if (answer?.error || answer?.name === '') throw new Error(`the card of ${found}: ${answer?.error ?? 'no name'}`);
          }
        }
        return prepared;
      },
      { blocksOfPages: pages, mostPrepared: MAX_PREPARED },
    );
    const stats = await control.evaluate(() => chrome.runtime.sendMessage({ type: 'stats' }));
    return { prepared, background: { wasmMemoryBytes: stats.wasmMemoryBytes, jsHeapBytes: await workerHeap(context, control) } };
  } finally {
    await withExtension.close();
  }
}

/** @type {Record<string, any>} */
const chromiumFigures = {};
const testBuild = join(ROOT, 'dist', 'test', 'chrome');
Object.assign(
  chromiumFigures,
  await readersDay(testBuild, async (context) => {
    for (const page of [medianPage, largestPage])
      chromiumFigures[page.name] = { with: await pageHeap(context, page.name, { marked: true }) };
  }),
);
// The same day with the core of 100k names (target/bench/core-100000) in a copy of the test
// build: the added names mark the dataset's first company, so its cards are shown too.
{
  const dir = join(bench, 'memory-100000');
  rmSync(dir, { recursive: true, force: true });
  cpSync(testBuild, dir, { recursive: true });
  for (const f of ['contract_lens.js', 'contract_lens_bg.wasm']) cpSync(join(bench, 'core-100000', f), join(dir, 'core', f));
  chromiumFigures.background100k = (await readersDay(dir)).background;
}
const plain = await launchChromium();
try {
  const context = await plain.newContext();
  await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
  for (const page of [medianPage, largestPage]) chromiumFigures[page.name].without = await pageHeap(context, page.name, { marked: false });
} finally {
  await plain.close();
  await server.close();
}

console.log('memory (MiB of 1,048,576 bytes)');
console.log(
  `  core in WebAssembly (Node): instantiated ${mb(node.instantiated)}; started ${mb(node.started)}; after scanning ${pages.length} saved pages ${mb(node.scanned)}; its records attached (the first card) ${mb(node.withRecords)}; after every company's card ${mb(node.allCards)}`,
);
console.log(
  `  a 100k-name matcher built in WebAssembly (and run over the pages): ${mb(node.with100k)} of linear memory (${mb(node.before100k)} before)`,
);
const loaded = node.loaded100k;
console.log(
  `  the same matcher loaded from its ${mb(loaded.bytes)} of compiled bytes in a fresh instance (copied in once, checked in full): ${mb(loaded.after)} (${mb(loaded.before)} before), in ${loaded.loadMs.toFixed(0)} ms`,
);
const embedded = node.embedded100k;
console.log(
  `  the core with those 100k names embedded (target/bench/core-100000), read in place as today's: instantiated ${mb(embedded.instantiated)}; started ${mb(embedded.started)}; after the pages ${mb(embedded.scanned)}`,
);
const bg = chromiumFigures.background;
console.log(
  `  background in Chromium after every saved page scanned and its cards shown: WebAssembly ${mb(bg.wasmMemoryBytes)}, JS heap ${mb(bg.jsHeapBytes)}: ${mb(bg.wasmMemoryBytes + bg.jsHeapBytes)}`,
);
const bg100k = chromiumFigures.background100k;
console.log(
  `  the same with 100k names embedded (target/bench/core-100000): WebAssembly ${mb(bg100k.wasmMemoryBytes)}, JS heap ${mb(bg100k.jsHeapBytes)}: ${mb(bg100k.wasmMemoryBytes + bg100k.jsHeapBytes)}`,
);
{
  const prepared = chromiumFigures.prepared;
  const sorted = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b);
  const mid = (/** @type {number[]} */ xs) => sorted(xs)[(xs.length - 1) >> 1];
  console.log(
    `  the ${prepared.length} pages with marks each had their companies' cards prepared: companies per page, median ${mid(prepared.map((p) => p.companies))}, most ${Math.max(...prepared.map((p) => p.companies))}; cards built per page, median ${mid(prepared.map((p) => p.built))}, most ${Math.max(...prepared.map((p) => p.built))}, ${prepared.reduce((n, p) => n + p.built, 0)} in all (the others kept from earlier pages); the background's reply to it, building them one per task, median ${mid(prepared.map((p) => p.ms)).toFixed(1)} ms, longest ${Math.max(...prepared.map((p) => p.ms)).toFixed(1)} ms`,
  );
}
for (const [label, page] of [
  ['median', medianPage],
  ['largest', largestPage],
]) {
  const f = chromiumFigures[page.name];
  console.log(
    `  ${label} saved page (${page.name}, ${(page.bytes / 1e6).toFixed(2)} MB of HTML): JS heap ${mb(f.with)} with the extension, ${mb(f.without)} without: ${mb(f.with - f.without)} more`,
  );
}
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}`);
writeFileSync(join(bench, 'memory.json'), `${JSON.stringify({ node, chromium: chromiumFigures, medianPage, largestPage }, null, 2)}\n`);
