// Assembles dist/chrome, dist/firefox and dist/www from extension/, www/ and the built core
// (dist/pkg). One manifest source, patched per browser:
//   Chrome:  background.service_worker (MV3 service worker, an ES module)
//   Firefox: background.scripts (an event page, also an ES module), browser_specific_settings
//            with the add-on id and the data-collection declaration (we collect nothing).
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const pkg = join(dist, 'pkg');
const source = JSON.parse(readFileSync(join(root, 'extension', 'manifest.json'), 'utf8'));

export function manifestFor(browser, manifest = source) {
  const m = structuredClone(manifest);
  if (browser === 'firefox') {
    m.background = { scripts: [m.background.service_worker], type: 'module' };
    m.browser_specific_settings = {
      gecko: {
        id: 'contract-lens@contract-lens.org',
        strict_min_version: '140.0',
        data_collection_permissions: { required: ['none'] },
      },
      // data_collection_permissions arrived in Firefox for Android 142.
      gecko_android: { strict_min_version: '142.0' },
    };
  } else if (browser !== 'chrome') {
    throw new Error(`unknown browser ${browser}`);
  }
  return m;
}

const coreFiles = ['contract_lens.js', 'contract_lens_bg.wasm'];

function assemble(browser) {
  const out = join(dist, browser);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  cpSync(join(root, 'extension'), out, {
    recursive: true,
    filter: (src) => !src.endsWith('manifest.json') || dirname(src) !== join(root, 'extension'),
  });
  mkdirSync(join(out, 'core'));
  for (const f of coreFiles) cpSync(join(pkg, f), join(out, 'core', f));
  writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifestFor(browser), null, 2) + '\n');
}

function assembleDemo() {
  const out = join(dist, 'www');
  rmSync(out, { recursive: true, force: true });
  cpSync(join(root, 'www'), out, { recursive: true });
  // The demo runs the very same annotator and core as the extension.
  cpSync(join(root, 'extension', 'content', 'annotator.js'), join(out, 'annotator.js'));
  mkdirSync(join(out, 'core'));
  for (const f of coreFiles) cpSync(join(pkg, f), join(out, 'core', f));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  assemble('chrome');
  assemble('firefox');
  assembleDemo();
  console.log('assembled dist/chrome, dist/firefox, dist/www');
}
