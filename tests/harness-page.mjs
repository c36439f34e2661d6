// A page that runs one bundled module in a real browser: the unit tier's tests and the in-page
// benchmark. `index.html` loads `<name>.js`, bundled by esbuild from `entry` into `outdir`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

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
