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
import { Builder } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';
import { startServer } from '../e2e/server.mjs';
import { buildHarnessPage, launchChromium } from '../harness-page.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'target', 'unit');
mkdirSync(out, { recursive: true });
await buildHarnessPage({ entry: join(root, 'tests', 'unit', 'all.js'), outdir: out, name: 'unit' });
const server = await startServer({ root: out });
const url = `${server.origin}/index.html`;

async function inChromium() {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => typeof (/** @type {any} */ (globalThis).runUnitTests) === 'function');
    return await page.evaluate(() => /** @type {any} */ (globalThis).runUnitTests());
  } finally {
    await browser.close();
  }
}

async function inFirefox() {
  const options = new firefox.Options().setBinary(process.env.FIREFOX ?? '/usr/bin/firefox-esr').addArguments('-headless');
  const service = new firefox.ServiceBuilder(process.env.GECKODRIVER ?? 'geckodriver');
  const driver = await new Builder().forBrowser('firefox').setFirefoxOptions(options).setFirefoxService(service).build();
  try {
    await driver.get(url);
    await driver.wait(() => driver.executeScript('return typeof globalThis.runUnitTests === "function"'), 10000);
    return await driver.executeAsyncScript('const done = arguments[arguments.length - 1]; globalThis.runUnitTests().then(done);');
  } finally {
    await driver.quit();
  }
}

let passed = 0;
let failed = 0;
try {
  for (const [name, runIn] of [
    ['chromium', inChromium],
    ['firefox', inFirefox],
  ]) {
    const started = Date.now();
    const results = await runIn();
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
