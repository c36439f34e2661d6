// Matching benchmark, WebAssembly and JavaScript half (`./run bench`, after the native half in
// benches/matching.rs has written the inputs to target/bench/).
//
// Measures, on the visible text of the real pages, one call per page as the extension makes it:
// - the core as WebAssembly in Node, boundary crossing included (blocks in, spans out);
// - what a JavaScript-only extension would do: one RegExp alternation of all names, run over
//   each block.
// Prints build time and throughput per dictionary size and the ratios between them.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { encodeBlocks } from '../../extension/common/encode.js';
import { regexpFor } from './regexp.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bench = join(root, 'target', 'bench');
const { initSync, Core, NameMatcher } = await import(join(root, 'dist', 'pkg', 'contract_lens.js'));

const MIN_RUN_MS = 600;

/** Best of three runs of `f`, each repeated for at least MIN_RUN_MS; milliseconds per call. */
function measure(f) {
  let best = Infinity;
  for (let run = 0; run < 3; run += 1) {
    const start = performance.now();
    let calls = 0;
    do {
      f();
      calls += 1;
    } while (performance.now() - start < MIN_RUN_MS);
    best = Math.min(best, (performance.now() - start) / calls);
  }
  return best;
}

function countWithRegExp(regexp, pages) {
  let found = 0;
  for (const blocks of pages) {
    for (const block of blocks) {
      regexp.lastIndex = 0;
      while (regexp.exec(block) !== null) found += 1;
    }
  }
  return found;
}

const pages = JSON.parse(readFileSync(join(bench, 'pages.json'), 'utf8'));
const bytes = pages.flat().reduce((n, block) => n + Buffer.byteLength(block), 0);
const mbps = (ms) => bytes / (ms / 1000) / 1e6;

const wasmBytes = readFileSync(join(root, 'dist', 'pkg', 'contract_lens_bg.wasm'));
const compile = measure(() => new WebAssembly.Module(wasmBytes));
initSync({ module: wasmBytes });
const load = measure(() => new Core().free());
console.log(
  `core .wasm: ${wasmBytes.length} bytes; compile ${compile.toFixed(2)} ms; ` +
    `core start in WASM (the bundle's head decoded, its compiled matcher read where it lies) ${load.toFixed(2)} ms`,
);
console.log('one call per page; throughput in MB of visible text per second:');
console.log('  names    WASM build   WASM scan   RegExp build   RegExp scan   WASM/RegExp');

let wasmAt1k = null;
const rows = [];
for (const size of [1000, 10000, 100000]) {
  const names = JSON.parse(readFileSync(join(bench, `dict-${size}.json`), 'utf8'));
  const wasmBuild = measure(() => new NameMatcher(names).free());
  const matcher = new NameMatcher(names);
  let wasmFound = 0;
  const wasmScan = measure(() => {
    wasmFound = 0;
    for (const blocks of pages) {
      const { text, lengths } = encodeBlocks(blocks);
      wasmFound += matcher.scan(text, lengths).length / 5;
    }
  });
  const regexpBuild = measure(() => regexpFor(names).test('warm up the compiler'));
  const regexp = regexpFor(names);
  let regexpFound = 0;
  const regexpScan = measure(() => {
    regexpFound = countWithRegExp(regexp, pages);
  });
  wasmAt1k ??= mbps(wasmScan);
  rows.push({ size, wasm: mbps(wasmScan), regexp: mbps(regexpScan), wasmBuildMs: wasmBuild, regexpBuildMs: regexpBuild });
  console.log(
    `  ${String(size).padStart(6)}   ${wasmBuild.toFixed(1).padStart(7)} ms   ` +
      `${mbps(wasmScan).toFixed(1).padStart(6)} MB/s   ${regexpBuild.toFixed(1).padStart(8)} ms   ` +
      `${mbps(regexpScan).toFixed(1).padStart(7)} MB/s   ${(mbps(wasmScan) / mbps(regexpScan)).toFixed(1).padStart(8)}x` +
      `   (found: WASM ${wasmFound}, RegExp ${regexpFound})`,
  );
  matcher.free();
}
const at100k = rows.find((r) => r.size === 100000);
console.log(`WASM throughput at 100k names: ${((at100k.wasm / wasmAt1k) * 100).toFixed(0)}% of 1k names`);
console.log(`inputs: ${pages.length} pages, ${(bytes / 1e6).toFixed(2)} MB`);
// A copy of the figures, to compare two runs.
writeFileSync(
  join(bench, 'wasm-vs-regexp.json'),
  `${JSON.stringify({ wasmBytes: wasmBytes.length, compileMs: compile, coreStartMs: load, rows }, null, 2)}\n`,
);
