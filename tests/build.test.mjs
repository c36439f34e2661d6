// What the build makes of extension/: one manifest patched per browser, test-only code only in
// the test build, and no file of the source tree shipped unbundled. Reads dist/ as built.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { manifestFor } from '../tools/build-extension.mjs';
import { ROOT } from './e2e/common.mjs';

const dist = join(ROOT, 'dist');
const read = (...path) => readFileSync(join(dist, ...path), 'utf8');

/** Every file under `dir`, relative to it. */
function files(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

test('Chrome gets a service worker, Firefox background scripts and its settings, from one source', () => {
  const chrome = JSON.parse(read('chrome', 'manifest.json'));
  const firefox = JSON.parse(read('firefox', 'manifest.json'));
  assert.deepEqual(chrome.background, { service_worker: 'background.js', type: 'module' });
  assert.deepEqual(firefox.background, { scripts: ['background.js'], type: 'module' });
  assert.equal(chrome.browser_specific_settings, undefined);
  assert.deepEqual(firefox.browser_specific_settings.gecko.data_collection_permissions, { required: ['none'] });
  // Both wake the background as a page starts loading; Firefox alone adds the page-world
  // listener that removes marks an unloaded script left.
  assert.deepEqual(
    chrome.content_scripts.map((c) => [c.js, c.run_at]),
    [
      [['content/main.js'], 'document_idle'],
      [['content/wake.js'], 'document_start'],
    ],
  );
  assert.deepEqual(firefox.content_scripts.slice(0, 2), chrome.content_scripts);
  assert.deepEqual(firefox.content_scripts.slice(2), [
    { matches: chrome.content_scripts[0].matches, js: ['content/leftovers.js'], run_at: 'document_start', world: 'MAIN' },
  ]);
  const { background: _c, content_scripts: _cc, ...chromeRest } = chrome;
  const { background: _f, browser_specific_settings: _s, content_scripts: _fc, ...firefoxRest } = firefox;
  assert.deepEqual(chromeRest, firefoxRest, 'everything else is the one source');
  assert.throws(() => manifestFor('safari'), /unknown browser/);
});

test('test-only code is in the test build and not in what ships', () => {
  // The card's shadow root is closed to pages; only the test build opens it, for the tests.
  assert.match(read('chrome', 'content', 'main.js'), /attachShadow\(\{ mode: "closed" \}\)/);
  assert.match(read('test', 'chrome', 'content', 'main.js'), /attachShadow\(\{ mode: "open" \}\)/);
  assert.match(read('www', 'demo.js'), /attachShadow\(\{ mode: "closed" \}\)/);
  for (const browser of ['chrome', 'firefox']) {
    assert.doesNotMatch(
      read(browser, 'background.js'),
      /stats|failScans|failingScans|failStarts|failingStarts|TEST_BUILD/,
      `${browser} ships no test-only code`,
    );
    assert.match(read('test', browser, 'background.js'), /stats/, `the ${browser} test build answers stats`);
    // What ships asks for no more than it uses; "tabs" (every tab's address) is the test build's.
    assert.deepEqual(JSON.parse(read(browser, 'manifest.json')).permissions, ['storage', 'activeTab', 'scripting']);
    assert.ok(JSON.parse(read('test', browser, 'manifest.json')).permissions.includes('tabs'));
  }
});

test('each script the manifest names is a bundle, and no source module ships on its own', () => {
  const shipped = files(join(dist, 'chrome'));
  const scripts = shipped.filter((f) => f.endsWith('.js'));
  assert.deepEqual(scripts, [
    'background.js',
    'content/main.js',
    'content/wake.js',
    'core/contract_lens.js',
    'options/options.js',
    'popup/popup.js',
  ]);
  const manifest = JSON.parse(read('chrome', 'manifest.json'));
  assert.deepEqual(manifest.content_scripts[0].js, ['content/main.js']);
  // The marks' stylesheet comes at document_start, with the wake-up (content/wake.js says why).
  for (const browser of ['chrome', 'firefox']) {
    const scripts = JSON.parse(read(browser, 'manifest.json')).content_scripts;
    assert.deepEqual(
      scripts.filter((c) => c.css).map((c) => [c.js, c.css, c.run_at]),
      [[['content/wake.js'], ['content/marks.css'], 'document_start']],
      browser,
    );
  }
  assert.ok(shipped.includes('content/marks.css'));
  // A content script is a classic script: a bundle with no import statement left in it.
  assert.doesNotMatch(read('chrome', 'content', 'main.js'), /^\s*import\s/m);
  // The wake-up at document_start reads the settings and sends one message, nothing of the page.
  const wake = read('chrome', 'content', 'wake.js');
  assert.doesNotMatch(wake, /^\s*import\s/m);
  assert.match(wake, /type: "wake"/);
  assert.doesNotMatch(wake, /document|textContent|innerText|class Marks|type: "scan"/, 'the wake-up reads nothing of the page');
  // Firefox's page-world listener is a bundle too, and only the few lines it needs.
  const leftovers = read('firefox', 'content', 'leftovers.js');
  assert.doesNotMatch(leftovers, /^\s*import\s/m);
  assert.doesNotMatch(leftovers, /class Marks|sendMessage|runtime/, 'the page-world script holds no extension code');
  assert.deepEqual(files(join(dist, 'test', 'chrome')), shipped, 'the test build has the same files');
});
