// Measures article-only marking on the saved real pages (tests/fixtures/pages/), in Chromium
// with the built test extension: each page is marked everywhere, then in the article only. For
// each page it compares, by the mentions' text and order, what article-only marking keeps with
// the mentions of the everywhere run that lie in the article (the article found by the same
// code, extension/content/blocks.js). Prints the share of marks in the article before and after,
// and the mentions inside the article that article-only marking lost (it must be none).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ROOT } from '../e2e/common.mjs';
import { startServer } from '../e2e/server.mjs';
import { chromiumWithExtension } from './chromium.mjs';

const pagesDir = join(ROOT, 'tests', 'fixtures', 'pages');
const out = join(ROOT, 'target', 'bench', 'article-pages');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const pages = readdirSync(pagesDir).filter((f) => f.endsWith('.html.gz'));
for (const file of pages) writeFileSync(join(out, file.replace(/\.gz$/, '')), gunzipSync(readFileSync(join(pagesDir, file))));
// The same article rule, for the page side of the measurement.
const probe = await build({
  stdin: {
    contents:
      "import { findArticle, inArticle } from './extension/content/blocks.js'; globalThis.articleProbe = { findArticle, inArticle };",
    resolveDir: ROOT,
  },
  bundle: true,
  write: false,
  format: 'iife',
});
const probeSource = probe.outputFiles[0].text;

const server = await startServer({ root: out });
const browser = await chromiumWithExtension(join(ROOT, 'dist', 'test', 'chrome'));
const { context, worker } = browser;
const setEverywhere = (value) => worker.evaluate((v) => chrome.storage.local.set({ markEverywhere: v }), value);

/** The page's marks once they settle: each mention's text, and whether it is in the article. */
async function marksOf(page) {
  let last = -1;
  for (let stable = 0; stable < 3; ) {
    await page.waitForTimeout(300);
    const count = await page.evaluate(() => document.querySelectorAll('contractlensmark').length);
    stable = count === last ? stable + 1 : 0;
    last = count;
  }
  await page.evaluate(probeSource);
  return page.evaluate(() => {
    const article = globalThis.articleProbe.findArticle(document);
    return [...document.querySelectorAll('contractlensmark[aria-haspopup]')].map((m) => ({
      text: m.textContent,
      inside: article ? globalThis.articleProbe.inArticle(m, article) : true,
    }));
  });
}

let everywhere = 0;
let everywhereInside = 0;
let articleOnly = 0;
let lost = 0;
const lostOn = [];
try {
  for (const file of pages) {
    const url = `${server.origin}/${file.replace(/\.gz$/, '')}`;
    const runs = [];
    for (const value of [true, false]) {
      await setEverywhere(value);
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'domcontentloaded' });
      runs.push(await marksOf(page));
      await page.close();
    }
    const [all, article] = runs;
    const inside = all.filter((m) => m.inside).map((m) => m.text);
    everywhere += all.length;
    everywhereInside += inside.length;
    articleOnly += article.length;
    // Mentions inside the article in the everywhere run that the article-only run lacks.
    const kept = [...article.map((m) => m.text)];
    for (const text of inside) {
      const at = kept.indexOf(text);
      if (at >= 0) kept.splice(at, 1);
      else {
        lost += 1;
        lostOn.push(`${file}: ${text}`);
      }
    }
  }
} finally {
  await setEverywhere(false).catch(() => {});
  await browser.close();
  await server.close();
}
const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(1)} %` : 'n/a');
console.log(`article-only marking on ${pages.length} saved pages (Chromium, test build)`);
console.log('| marking | marks | in the article | share in the article |');
console.log('| --- | --- | --- | --- |');
console.log(`| everywhere (before) | ${everywhere} | ${everywhereInside} | ${pct(everywhereInside, everywhere)} |`);
console.log(`| article only (now) | ${articleOnly} | ${articleOnly} | ${pct(articleOnly, articleOnly)} |`);
console.log(`mentions in the article lost by article-only marking: ${lost}`);
for (const line of lostOn) console.log(`  ${line}`);
mkdirSync(join(ROOT, 'target', 'bench'), { recursive: true });
writeFileSync(
  join(ROOT, 'target', 'bench', 'article.json'),
  JSON.stringify({ pages: pages.length, everywhere, everywhereInside, articleOnly, lost, lostOn }, null, 2),
);
