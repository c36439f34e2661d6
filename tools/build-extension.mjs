// Assembles the extension and the demo from extension/, www/ and the built core (dist/pkg):
//
//   dist/chrome, dist/firefox            what ships (the store zips are packed from these)
//   dist/test/chrome, dist/test/firefox  the same with test-only code (TEST_BUILD), which the
//                                        end-to-end tests load
//   dist/www (dist/test/www)             the demo page (and its test build)
//
// JavaScript is bundled by esbuild: content scripts cannot be ES modules, and one bundle per
// entry keeps the shipped files to what runs. One manifest source, patched per browser:
//   Chrome:  background.service_worker (MV3 service worker, an ES module)
//   Firefox: background.scripts (an event page, also an ES module), browser_specific_settings
//            with the add-on id and the data-collection declaration (we collect nothing).
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const pkg = join(dist, 'pkg');
const source = JSON.parse(readFileSync(join(root, 'extension', 'manifest.json'), 'utf8'));

/** The manifest for `browser`, from the one source. */
export function manifestFor(browser, manifest = source, { testBuild = false } = {}) {
  const m = structuredClone(manifest);
  // A popup opened from the toolbar sees its tab's address (activeTab); the tests open it in a
  // tab of its own, where only "tabs" shows the address of a site whose access is withheld.
  if (testBuild) m.permissions = [...m.permissions, 'tabs'];
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
    // Firefox unloads a switched-off extension's content script without a word; this listener
    // in the page's world removes the marks it leaves (content/leftovers.js says how).
    const [content] = m.content_scripts;
    m.content_scripts.push({ matches: content.matches, js: ['content/leftovers.js'], run_at: 'document_start', world: 'MAIN' });
  } else if (browser !== 'chrome') {
    throw new Error(`unknown browser ${browser}`);
  }
  return m;
}

const coreFiles = ['contract_lens.js', 'contract_lens_bg.wasm', 'contract_lens_records.bin'];

// The core's JavaScript glue is copied beside the bundles, not bundled: it loads the .wasm.
const coreIsExternal = {
  name: 'core-is-external',
  setup(b) {
    b.onResolve({ filter: /\/core\/contract_lens\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
};

/** Bundles `entries` ({ out: source }) into `outdir`. */
async function bundle(entries, outdir, { format, testBuild }) {
  await build({
    entryPoints: Object.entries(entries).map(([out, src]) => ({ in: join(root, src), out })),
    outdir,
    bundle: true,
    format,
    target: ['chrome120', 'firefox128'],
    charset: 'utf8',
    // Folds `if (TEST_BUILD)` away in shipped builds; names and layout stay readable.
    minifySyntax: true,
    legalComments: 'none',
    loader: { '.css': 'text' },
    define: { TEST_BUILD: String(testBuild) },
    plugins: [coreIsExternal],
    logLevel: 'warning',
  });
}

/** Static files of extension/: pages, styles, locales, icons (scripts are bundled). */
function isStatic(src) {
  const path = relative(join(root, 'extension'), src);
  if (path === 'manifest.json' || path.startsWith('content') || path.startsWith('common')) return false;
  return !path.endsWith('.js') && !path.endsWith('.d.ts');
}

async function assemble(browser, { testBuild }) {
  const out = testBuild ? join(dist, 'test', browser) : join(dist, browser);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  cpSync(join(root, 'extension'), out, { recursive: true, filter: isStatic });
  await bundle({ background: 'extension/background.js' }, out, { format: 'esm', testBuild });
  await bundle(
    {
      'content/main': 'extension/content/main.js',
      'content/wake': 'extension/content/wake.js',
      ...(browser === 'firefox' ? { 'content/leftovers': 'extension/content/leftovers.js' } : {}),
      'popup/popup': 'extension/popup/popup.js',
      'options/options': 'extension/options/options.js',
    },
    out,
    { format: 'iife', testBuild },
  );
  cpSync(join(root, 'extension', 'content', 'marks.css'), join(out, 'content', 'marks.css'));
  mkdirSync(join(out, 'core'));
  for (const f of coreFiles) cpSync(join(pkg, f), join(out, 'core', f));
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifestFor(browser, source, { testBuild }), null, 2)}\n`);
}

async function assembleDemo({ testBuild }) {
  const out = testBuild ? join(dist, 'test', 'www') : join(dist, 'www');
  rmSync(out, { recursive: true, force: true });
  cpSync(join(root, 'www'), out, { recursive: true, filter: (src) => !src.endsWith('.js') });
  // The demo runs the very same annotator and core as the extension.
  await bundle({ demo: 'www/demo.js' }, out, { format: 'esm', testBuild });
  cpSync(join(root, 'extension', 'content', 'marks.css'), join(out, 'marks.css'));
  mkdirSync(join(out, 'core'));
  for (const f of coreFiles) cpSync(join(pkg, f), join(out, 'core', f));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const browser of ['chrome', 'firefox']) {
    await assemble(browser, { testBuild: false });
    await assemble(browser, { testBuild: true });
  }
  await assembleDemo({ testBuild: false });
  await assembleDemo({ testBuild: true });
  // The core's types where the type check finds them (tsconfig.json "rootDirs").
  mkdirSync(join(dist, 'types', 'core'), { recursive: true });
  cpSync(join(pkg, 'contract_lens.d.ts'), join(dist, 'types', 'core', 'contract_lens.d.ts'));
  console.log('assembled dist/chrome, dist/firefox, dist/www and their test builds in dist/test/');
}
