// The same annotator with two backends, in real headless Chromium and Firefox: the core's
// WebAssembly matcher against a JavaScript RegExp (what a JavaScript-only extension would run),
// on the saved real pages and on synthetic 1 MB and 5 MB pages, at today's names, 10k and 100k.
// Annotation time is from the annotator's call to the marks made (time slices included);
// matching is the time inside the backend's scan. Medians of ROUNDS rounds, alternating which
// backend goes first. Prints a table per browser and writes target/bench/annotate.json.
//
// Needs `./run build` and the native half of the benchmark (benches/matching.rs writes the
// 10k and 100k dictionaries to target/bench/). Nothing here is asserted: see docs/performance.md.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ROOT } from '../e2e/common.mjs';
import { startServer } from '../e2e/server.mjs';
import { buildHarnessPage, runInPage } from '../harness-page.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const SYNTHETIC_MB = [1, 5];
const bench = join(ROOT, 'target', 'bench');
const out = join(bench, 'annotate');
for (const file of ['dict-10000.json', 'dict-100000.json', 'pages.json']) {
  if (!existsSync(join(bench, file))) throw new Error(`target/bench/${file} is missing: run \`cargo bench --bench matching\` first`);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'pages'), { recursive: true });
const pagesDir = join(ROOT, 'tests', 'fixtures', 'pages');
const saved = readdirSync(pagesDir)
  .filter((f) => f.endsWith('.html.gz'))
  .sort();
for (const file of saved) writeFileSync(join(out, 'pages', file.replace(/\.gz$/, '')), gunzipSync(readFileSync(join(pagesDir, file))));
writeFileSync(join(out, 'pages.json'), JSON.stringify(saved.map((f) => f.replace(/\.gz$/, ''))));
// The saved pages' visible text as the native half read it, for matching alone.
copyFileSync(join(bench, 'pages.json'), join(out, 'texts.json'));

// Today's names, every name the bundled matcher holds (the native half wrote them: the core
// keeps only their letter case), and the dictionaries.
const pkg = join(ROOT, 'dist', 'pkg');
for (const names of ['names-today', 'dict-10000', 'dict-100000']) copyFileSync(join(bench, `${names}.json`), join(out, `${names}.json`));
copyFileSync(join(pkg, 'contract_lens_bg.wasm'), join(out, 'contract_lens_bg.wasm'));
await buildHarnessPage({ entry: join(ROOT, 'tests', 'bench', 'annotate-page.js'), outdir: out, name: 'bench' });

const config = { dictionaries: ['names-today.json', 'dict-10000.json', 'dict-100000.json'], rounds: ROUNDS, syntheticMb: SYNTHETIC_MB };
const server = await startServer({ root: out });
const url = `${server.origin}/index.html`;

const ms = (x) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
const ratio = (regexp, wasm) => `${(regexp / wasm).toFixed(1)}x`;
const figures = { machine: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}`, rounds: ROUNDS, browsers: {} };
try {
  for (const browser of /** @type {const} */ (['chromium', 'firefox'])) {
    const result = await runInPage(browser, url, 'runBench', config);
    if (result?.error) throw new Error(`${browser}: ${result.error}`);
    figures.browsers[browser] = result;
    console.log(
      `\n${browser} (${result.userAgent}), ${result.pages} saved pages, median of ${ROUNDS} rounds; RegExp/WASM ratios (above 1: WASM ahead)`,
    );
    console.log('  names    page set            WASM annotate   RegExp annotate   ratio   WASM matching   RegExp matching   ratio');
    for (const r of result.results) {
      const rows = [
        ['saved, median page', r.wasm.savedMedianMs, r.regexp.savedMedianMs, null, null],
        ['saved, slowest page', r.wasm.savedSlowestMs, r.regexp.savedSlowestMs, null, null],
        ['saved, all pages', r.wasm.savedTotalMs, r.regexp.savedTotalMs, r.wasm.savedMatchingMs, r.regexp.savedMatchingMs],
        ...SYNTHETIC_MB.map((mb) => {
          const [w, x] = [r.wasm.synthetic[`${mb} MB`], r.regexp.synthetic[`${mb} MB`]];
          return [`synthetic ${mb} MB`, w.ms, x.ms, w.matchingMs, x.matchingMs];
        }),
      ];
      for (const [label, wasm, regexp, wasmMatching, regexpMatching] of rows) {
        const matching =
          wasmMatching === null
            ? ''
            : `${ms(wasmMatching).padStart(13)}   ${ms(regexpMatching).padStart(15)}   ${ratio(regexpMatching, wasmMatching).padStart(5)}`;
        console.log(
          `  ${String(r.names).padStart(6)}   ${label.padEnd(19)} ${ms(wasm).padStart(13)}   ${ms(regexp).padStart(15)}   ${ratio(regexp, wasm).padStart(5)}   ${matching}`,
        );
      }
      const runsOf = (/** @type {number[]} */ list) => list.map((x) => x.toFixed(0)).join(', ');
      console.log(
        `           slowest saved page: WASM ${r.wasm.savedSlowestPage} (each round: ${runsOf(r.wasm.savedSlowestRunsMs)} ms), RegExp ${r.regexp.savedSlowestPage} (${runsOf(r.regexp.savedSlowestRunsMs)} ms)`,
      );
      console.log(
        `           built in: WASM ${ms(r.wasmBuildMs)}, RegExp ${ms(r.regexpBuildMs)}; marks on the saved pages: WASM ${r.wasm.savedMarks}, RegExp ${r.regexp.savedMarks}`,
      );
      const a = r.alone;
      const mbps = (/** @type {number} */ t) => `${(a.bytes / t / 1e3).toFixed(0)} MB/s`;
      console.log(
        `           matching alone (visible text, one call per page): WASM ${mbps(a.wasmMs)} = encoding ${mbps(a.encodeMs)} + scan ${mbps(a.scanMs)}; ` +
          `RegExp ${mbps(a.regexpMs)}; RegExp/WASM ${ratio(a.regexpMs, a.wasmMs)}, with the text already encoded ${ratio(a.regexpMs, a.scanMs)}, ` +
          `encoding alone ${ratio(a.regexpMs, a.encodeMs)} (no matcher fed by TextEncoder gets further ahead)`,
      );
      const t = r.longestTaskMs;
      console.log(
        `           longest task while annotating (WASM, in the page): saved pages ${ms(t.saved)} (${t.savedPage}), ` +
          SYNTHETIC_MB.map((mb) => `${mb} MB ${ms(t[`${mb} MB`])}`).join(', '),
      );
      console.log(
        `           per page load, median page: WASM ${ms(r.wasm.savedMedianMs)} (its matcher stays in the background; the extension adds a message round trip, ~3 ms warm: start.mjs); ` +
          `RegExp ${ms(r.regexp.savedMedianMs + r.regexpStartPerPageMs)} (${ms(r.regexpStartPerPageMs)} of it building and compiling the RegExp, ` +
          `which a content script does on every page) = ${ratio(r.regexp.savedMedianMs + r.regexpStartPerPageMs, r.wasm.savedMedianMs)}`,
      );
    }
  }
} finally {
  await server.close();
}
console.log(`machine: ${figures.machine}`);
writeFileSync(join(bench, 'annotate.json'), `${JSON.stringify(figures, null, 2)}\n`);
