// A page that runs one bundled module in a real browser: the unit tier's tests and the in-page
// benchmark. `index.html` loads `<name>.js`, bundled by esbuild from `entry` into `outdir`;
// `runInPage` opens it in headless Chromium or Firefox and calls the function it defines.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { Builder } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';

/** Debian's Chromium, headless, with no extension: for harness pages and baselines. */
export function launchChromium() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
}

/** @param {{ entry: string, outdir: string, name: string }} page */
export async function buildHarnessPage({ entry, outdir, name }) {
  await build({
    entryPoints: [entry],
    outfile: join(outdir, `${name}.js`),
    bundle: true,
    format: 'esm',
    loader: { '.css': 'text' },
    define: { TEST_BUILD: 'false' },
    logLevel: 'warning',
  });
  writeFileSync(
    join(outdir, 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${name}</title></head><body><script type="module" src="${name}.js"></script></body></html>\n`,
  );
}

/**
 * Opens `url` in headless `browser` ('chromium' or 'firefox'), waits for the page to define
 * `globalThis[entry]`, calls it with `arg` and resolves to what it resolves to, or to
 * `{ error }` when it rejects. Nothing leaves the machine: Chromium aborts every request not to
 * 127.0.0.1, Firefox sends them to a closed local port through its proxy settings.
 * @param {'chromium' | 'firefox'} browser
 * @param {string} url
 * @param {string} entry
 * @param {unknown} [arg]
 */
/**
 * Headless Firefox (Debian's ESR, or $FIREFOX) that reaches 127.0.0.1 only: every other
 * request goes to a closed local port, and nothing checks for updates or reports telemetry.
 */
export function offlineFirefoxOptions() {
  return new firefox.Options()
    .setBinary(process.env.FIREFOX ?? '/usr/bin/firefox-esr')
    .addArguments('-headless')
    .setPreference('network.proxy.type', 1)
    .setPreference('network.proxy.http', '127.0.0.1')
    .setPreference('network.proxy.http_port', 9)
    .setPreference('network.proxy.ssl', '127.0.0.1')
    .setPreference('network.proxy.ssl_port', 9)
    .setPreference('network.proxy.no_proxies_on', '127.0.0.1, localhost, .localhost')
    .setPreference('network.proxy.allow_hijacking_localhost', false)
    .setPreference('app.update.enabled', false)
    .setPreference('datareporting.policy.dataSubmissionEnabled', false)
    .setPreference('toolkit.telemetry.enabled', false);
}

/**
 * Runs `fn(arg)` in `driver`'s current window (a Firefox driven by selenium-webdriver);
 * resolves to its (awaited) result, or rejects with its error.
 * @param {import('selenium-webdriver').WebDriver} driver
 * @param {Function} fn
 * @param {unknown} [arg]
 */
export async function runInWindow(driver, fn, arg) {
  const reply = await driver.executeAsyncScript(
    `const done = arguments[arguments.length - 1];
    Promise.resolve().then(() => (${fn})(arguments[0])).then((ok) => done({ ok }), (e) => done({ error: String(e) }));`,
    arg,
  );
  if (reply?.error) throw new Error(reply.error);
  return reply?.ok;
}

export async function runInPage(browser, url, entry, arg) {
  if (browser === 'chromium') {
    const chromium = await launchChromium();
    try {
      const page = await chromium.newPage();
      await page.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
      await page.goto(url);
      await page.waitForFunction((name) => typeof (/** @type {any} */ (globalThis)[name]) === 'function', entry);
      return await page.evaluate(
        ([name, a]) => /** @type {any} */ (globalThis)[name](a).catch((/** @type {unknown} */ e) => ({ error: String(e) })),
        /** @type {[string, any]} */ ([entry, arg]),
      );
    } finally {
      await chromium.close();
    }
  }
  const options = offlineFirefoxOptions();
  const service = new firefox.ServiceBuilder(process.env.GECKODRIVER ?? 'geckodriver');
  const driver = await new Builder().forBrowser('firefox').setFirefoxOptions(options).setFirefoxService(service).build();
  try {
    // The benchmark runs for minutes in one call.
    await driver.manage().setTimeouts({ script: 60 * 60 * 1000 });
    await driver.get(url);
    await driver.wait(() => driver.executeScript(`return typeof globalThis[${JSON.stringify(entry)}] === "function"`), 10000);
    return await driver.executeAsyncScript(
      `const done = arguments[arguments.length - 1];
       globalThis[${JSON.stringify(entry)}](arguments[0]).then(done, (e) => done({ error: String(e) }));`,
      arg,
    );
  } finally {
    await driver.quit();
  }
}
