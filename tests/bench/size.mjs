// What the extension weighs: the shipped .wasm split by twiggy into code and embedded data, the
// parts of the embedded dataset (as build.rs wrote them), the largest functions (named, from
// the release build before wasm-opt), and both store zips. Writes target/bench/size.json.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../e2e/common.mjs';

const kb = (bytes) => `${(bytes / 1000).toFixed(0)} kB`;
const twiggy = (file, n) =>
  JSON.parse(
    execFileSync('twiggy', ['top', ...(n ? ['-n', String(n)] : []), '-f', 'json', file], { encoding: 'utf8', maxBuffer: 1 << 28 }),
  );

const shipped = join(ROOT, 'dist', 'pkg', 'contract_lens_bg.wasm');
const items = twiggy(shipped);
const sum = (prefix) => items.filter((i) => i.name.startsWith(prefix)).reduce((n, i) => n + i.shallow_size, 0);
const wasm = { total: statSync(shipped).size, code: sum('code['), data: sum('data[') };
wasm.other = wasm.total - wasm.code - wasm.data;

// build.rs's output for the WebAssembly build: the newest of its OUT_DIRs.
const builds = join(ROOT, 'target', 'wasm32-unknown-unknown', 'release', 'build');
const outDir = readdirSync(builds)
  .filter((d) => d.startsWith('contract-lens-'))
  .map((d) => join(builds, d, 'out'))
  .filter((d) => readdirSync(d).includes('matcher.bin'))
  .sort((a, b) => statSync(join(b, 'matcher.bin')).mtimeMs - statSync(join(a, 'matcher.bin')).mtimeMs)[0];
const bundle = Object.fromEntries(['head', 'records', 'matcher'].map((part) => [part, statSync(join(outDir, `${part}.bin`)).size]));

const named = twiggy(join(ROOT, 'target', 'wasm32-unknown-unknown', 'release', 'contract_lens.wasm'), 40)
  .filter((i) => !i.name.startsWith('data') && !i.name.startsWith('custom') && !i.name.includes('subsection'))
  .slice(0, 8);
const zips = Object.fromEntries(['chrome', 'firefox'].map((b) => [b, statSync(join(ROOT, 'dist', `contract-lens-${b}.zip`)).size]));

console.log(
  `.wasm ${kb(wasm.total)}: code ${kb(wasm.code)}, embedded data ${kb(wasm.data)}, the rest (tables, names, imports) ${kb(wasm.other)}`,
);
console.log(
  `embedded dataset: head ${kb(bundle.head)} (decoded at start), records ${kb(bundle.records)} (deflated chunks), matcher ${kb(bundle.matcher)} (read in place)`,
);
console.log(
  `largest functions (before wasm-opt): ${named.map((i) => `${i.name.replace(/::h[0-9a-f]{16}$/, '')} ${kb(i.shallow_size)}`).join('; ')}`,
);
console.log(`store zips: Chrome ${kb(zips.chrome)}, Firefox ${kb(zips.firefox)}`);
writeFileSync(join(ROOT, 'target', 'bench', 'size.json'), `${JSON.stringify({ wasm, bundle, largestFunctions: named, zips }, null, 2)}\n`);
