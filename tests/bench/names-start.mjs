// How a woken background's first reply grows with the names the core embeds, measured from
// outside in real Chromium and Firefox as start.mjs and firefox.mjs measure the shipped
// build's: the extension as it ships, and the same extension with a core built with the
// matching benchmark's dictionaries of 10k and 100k names added to the dataset's (build.rs,
// CONTRACT_LENS_EXTRA_NAMES; `./run bench` builds them into target/bench/core-<names>/ first).
// Each build in its own browser; each round, in turn (a different one first each round): the
// background stopped and woken by a message that needs no core, stopped and woken by a page's
// scan (the core starts, then scans), and that scan again, running; then what a reader waits
// for: the test article opened with the background stopped (the wake-up at document_start
// starts the core while the page loads) and again with it running, its first mark after
// DOMContentLoaded. Medians of ROUNDS. Prints a table and writes
// target/bench/names-start.json. Nothing here is asserted: see docs/performance.md.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Builder } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';
import { ROOT } from '../e2e/common.mjs';
import { startServer } from '../e2e/server.mjs';
import { offlineFirefoxOptions, runInWindow } from '../harness-page.mjs';
import { chromiumWithExtension, extensionControl } from './chromium.mjs';
import { firefoxExtensionControl } from './firefox-control.mjs';
import { MARKS, marksInPage, median, NO_CORE, probeInPage, SCAN, timedReplyInPage } from './timed-copy.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 9);
const bench = join(ROOT, 'target', 'bench');
const CORE_FILES = ['contract_lens.js', 'contract_lens_bg.wasm'];
const PAGE_TIMEOUT_MS = 15_000;

// The test article with timed-copy.mjs's probe put first (Firefox has no hook that runs a
// script before a page's own), for both browsers.
const pages = join(bench, 'names-start', 'pages');
mkdirSync(pages, { recursive: true });
const fixtures = join(ROOT, 'tests', 'e2e', 'fixtures');
writeFileSync(join(pages, 'article.html'), `<script>(${probeInPage})()</script>${readFileSync(join(fixtures, 'article.html'), 'utf8')}`);
writeFileSync(join(pages, 'article.css'), readFileSync(join(fixtures, 'article.css')));
const server = await startServer({ root: pages });
const ARTICLE = `${server.origin}/article.html`;
/** `marksInPage`'s first mark after DOMContentLoaded, in ms; throws if none came. @param {Awaited<ReturnType<typeof marksInPage>>} marks */
function firstMarkFromDcl(marks) {
  if (!marks) throw new Error('no mark on the test article');
  return marks.fromDcl;
}

/** The shipped build for `browser`, or a copy of it with the core of target/bench/core-<names>/. */
function buildWith(/** @type {'chrome' | 'firefox'} */ browser, /** @type {number | null} */ names) {
  if (names === null) return join(ROOT, 'dist', browser);
  const core = join(bench, `core-${names}`);
  if (!existsSync(join(core, 'contract_lens_bg.wasm'))) throw new Error(`no core at ${core}: \`./run bench\` builds it`);
  const dir = join(bench, 'names-start', `${browser}-${names}`);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(ROOT, 'dist', browser), dir, { recursive: true });
  for (const f of CORE_FILES) cpSync(join(core, f), join(dir, 'core', f));
  return dir;
}

/** Chromium with the extension in `dir`, an extension page to send from, and a way to stop its worker. */
async function launchChromium(/** @type {string} */ dir) {
  const browser = await chromiumWithExtension(dir);
  const { control, stopWorker } = await extensionControl(browser);
  return {
    close: () => browser.close(),
    reply: (/** @type {object} */ message) => control.evaluate(timedReplyInPage, message),
    scan: (/** @type {object} */ message) => control.evaluate((m) => chrome.runtime.sendMessage(m), message),
    async firstMark() {
      const page = await browser.context.newPage();
      try {
        await page.goto(ARTICLE, { waitUntil: 'domcontentloaded' });
        return firstMarkFromDcl(await page.evaluate(marksInPage, { ...MARKS, timeout: PAGE_TIMEOUT_MS }));
      } finally {
        await page.close();
      }
    },
    stopWorker,
  };
}

/** Firefox with the extension in `dir` (as firefox.mjs launches it), an extension page to send from, and a way to stop its background. */
async function launchFirefox(/** @type {string} */ dir) {
  const options = offlineFirefoxOptions()
    // Timings to the microsecond, not rounded to the millisecond as pages get them.
    .setPreference('privacy.reduceTimerPrecision', false)
    .setPreference('extensions.background.idle.timeout', 600_000)
    // driver.get() returns at DOMContentLoaded.
    .setPageLoadStrategy('eager');
  const service = new firefox.ServiceBuilder(process.env.GECKODRIVER ?? 'geckodriver').addArguments('--allow-system-access');
  const driver = await new Builder().forBrowser('firefox').setFirefoxOptions(options).setFirefoxService(service).build();
  const pageWindow = await driver.getWindowHandle();
  const id = await driver.installAddon(dir, true);
  const { handle: controlWindow, stopBackground } = await firefoxExtensionControl(driver, id);
  return {
    close: () => driver.quit(),
    reply: (/** @type {object} */ message) => runInWindow(driver, timedReplyInPage, message),
    scan: (/** @type {object} */ message) => runInWindow(driver, (m) => browser.runtime.sendMessage(m), message),
    async firstMark() {
      await driver.switchTo().window(pageWindow);
      try {
        await driver.get(ARTICLE);
        return firstMarkFromDcl(await runInWindow(driver, marksInPage, { ...MARKS, timeout: PAGE_TIMEOUT_MS }));
      } finally {
        await driver.switchTo().window(controlWindow);
      }
    },
    stopWorker: stopBackground,
  };
}

/** Each build's figures in `browser`, measured side by side, a different build first each round. */
async function measure(/** @type {'chrome' | 'firefox'} */ browser) {
  const builds = [];
  try {
    for (const names of [null, 10_000, 100_000]) {
      const dir = buildWith(browser, names);
      const wasmBytes = statSync(join(dir, 'core', 'contract_lens_bg.wasm')).size;
      const launched = await (browser === 'chrome' ? launchChromium(dir) : launchFirefox(dir));
      builds.push({
        names,
        wasmBytes,
        ...launched,
        wake: /** @type {number[]} */ ([]),
        woken: /** @type {number[]} */ ([]),
        running: /** @type {number[]} */ ([]),
        articleAsleep: /** @type {number[]} */ ([]),
        articleRunning: /** @type {number[]} */ ([]),
      });
    }
    for (const b of builds) {
      // Each build marks what the shipped one marks: the same two companies in the scan.
      const { mentions } = await b.scan(SCAN);
      if (mentions.length !== 10)
        throw new Error(`the build with ${b.names ?? "the dataset's"} names found ${mentions.length / 5} mentions, not 2`);
      // The first load of all compiles everything once.
      await b.firstMark();
    }
    for (let round = 0; round < ROUNDS; round += 1) {
      for (let i = 0; i < builds.length; i += 1) {
        const b = builds[(round + i) % builds.length];
        await b.stopWorker();
        b.wake.push(await b.reply(NO_CORE));
        await b.stopWorker();
        b.woken.push(await b.reply(SCAN));
        b.running.push(await b.reply(SCAN));
        await b.stopWorker();
        b.articleAsleep.push(await b.firstMark());
        b.articleRunning.push(await b.firstMark());
      }
    }
  } finally {
    for (const b of builds) await b.close();
  }
  return builds.map((b) => ({
    browser: browser === 'chrome' ? 'Chromium' : 'Firefox',
    names: b.names ?? 'the dataset',
    wasmBytes: b.wasmBytes,
    wakeWithoutCoreMs: median(b.wake),
    firstReplyWokenMs: median(b.woken),
    replyRunningMs: median(b.running),
    articleFirstMarkAsleepMs: median(b.articleAsleep),
    articleFirstMarkRunningMs: median(b.articleRunning),
  }));
}

const rows = [];
try {
  rows.push(...(await measure('chrome')), ...(await measure('firefox')));
} finally {
  await server.close();
}
const ms = (/** @type {number} */ x) => `${x.toFixed(1)} ms`;
console.log(`${ROUNDS} rounds, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`);
console.log(
  "| browser | names the core embeds | .wasm | waking the background (no core) | its reply to a scan, woken / running | woken over running | woken over the dataset's | the test article's first mark after DOMContentLoaded, background asleep / running | asleep over the dataset's |",
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  const today = rows.find((t) => t.browser === r.browser && typeof t.names !== 'number') ?? r;
  console.log(
    `| ${r.browser} | ${typeof r.names === 'number' ? r.names.toLocaleString('en') : r.names} | ${(r.wasmBytes / 1e6).toFixed(2)} MB | ${ms(r.wakeWithoutCoreMs)} | ${ms(r.firstReplyWokenMs)} / ${ms(r.replyRunningMs)} | ${(r.firstReplyWokenMs / r.replyRunningMs).toFixed(1)}x | ${(r.firstReplyWokenMs / today.firstReplyWokenMs).toFixed(2)}x | ${ms(r.articleFirstMarkAsleepMs)} / ${ms(r.articleFirstMarkRunningMs)} | ${(r.articleFirstMarkAsleepMs / today.articleFirstMarkAsleepMs).toFixed(2)}x |`,
  );
}
writeFileSync(
  join(bench, 'names-start.json'),
  `${JSON.stringify({ rounds: ROUNDS, cpu: cpus()[0]?.model, cores: cpus().length, rows }, null, 2)}\n`,
);
