// The unit tier: the content layer's DOM logic (blocks, marks, the watcher, the annotator with a
// stand-in core, the card's rendering) and the shared modules, bundled as the extension is
// (esbuild) and run in a page of real headless Chromium and Firefox. Seconds, not minutes; the
// end-to-end tier (tests/e2e) runs the built extension.
//
// Prints one line per test and browser, then '# pass N' and '# fail M' (tests/run-all.sh counts
// them); exits 1 if any test failed.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../e2e/server.mjs';
import { buildHarnessPage, runInPage } from '../harness-page.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'target', 'unit');
mkdirSync(out, { recursive: true });
await buildHarnessPage({ entry: join(root, 'tests', 'unit', 'all.js'), outdir: out, name: 'unit' });
const server = await startServer({ root: out });
const url = `${server.origin}/index.html`;

let passed = 0;
let failed = 0;
try {
  for (const name of /** @type {const} */ (['chromium', 'firefox'])) {
    const started = Date.now();
    const results = await runInPage(name, url, 'runUnitTests');
    if (!Array.isArray(results)) throw new Error(`${name}: the tests did not run: ${results?.error}`);
    for (const { name: test, error } of results) {
      if (error) {
        failed += 1;
        console.log(`not ok - ${name}: ${test}\n  ${error.replaceAll('\n', '\n  ')}`);
      } else {
        passed += 1;
        console.log(`ok - ${name}: ${test}`);
      }
    }
    console.log(`# ${name}: ${results.length} tests in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
} finally {
  await server.close();
}
console.log(`# pass ${passed}\n# fail ${failed}`);
process.exit(failed ? 1 : 0);
