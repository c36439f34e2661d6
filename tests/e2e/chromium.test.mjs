// End-to-end in real Chromium (Debian's, driven by playwright-core): the built extension from
// dist/chrome, pages served from 127.0.0.1, every other request refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
import {
  ROOT, FIXTURES, ARTIFACTS, EXPECTED_MENTIONS, markedMentionsInPage, openCardInPage,
  markCountInPage, pageHtml, pageWasmInPage, eventually,
} from './common.mjs';

let context;
let server;
let extensionId;
let profile;

before(async () => {
  server = await startServer({ root: FIXTURES });
  profile = mkdtempSync(join(tmpdir(), 'contract-lens-chromium-'));
  const extension = join(ROOT, 'dist', 'chrome');
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1100, height: 800 },
    args: [
      `--disable-extensions-except=${extension}`, `--load-extension=${extension}`,
      '--no-sandbox', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic', '--disable-gpu',
    ],
  });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    const local = url.hostname === '127.0.0.1' || url.protocol === 'chrome-extension:';
    return local ? route.continue() : route.abort();
  });
  const worker = context.serviceWorkers()[0] ?? await context.waitForEvent('serviceworker');
  extensionId = new URL(worker.url()).host;
});

after(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function waitForMarks(page, atLeast = 1) {
  await page.waitForFunction((n) => document.querySelectorAll('contract-lens-mark').length >= n, atLeast);
}

async function setEnabled(enabled) {
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup/popup.html`);
  const toggle = popup.locator('#enabled');
  // The popup reads the stored state asynchronously; click only once the box shows it.
  await popup.locator('body[data-ready]').waitFor();
  if ((await toggle.isChecked()) !== enabled) await toggle.click();
  await eventually(
    () => popup.evaluate(() => globalThis.chrome.storage.local.get('enabled')),
    (stored) => (stored.enabled ?? true) === enabled,
    { what: `storage to say enabled=${enabled}` });
  await popup.close();
}

for (const [label, path] of [['a permissive page', '/article.html'], ['a page whose CSP forbids WebAssembly', '/csp/article.html']]) {
  test(`marks every mention on ${label}`, async () => {
    const page = await context.newPage();
    await page.goto(server.origin + path);
    await page.waitForFunction(() => document.documentElement.dataset.pageWasm);
    const expected = path.startsWith('/csp/') ? 'blocked' : 'allowed';
    assert.equal(await page.evaluate(pageWasmInPage), expected, 'the page itself may or may not run WebAssembly');
    await waitForMarks(page, EXPECTED_MENTIONS.length);
    assert.deepEqual(await page.evaluate(markedMentionsInPage), EXPECTED_MENTIONS);
    // Nothing inside code, form fields or editors.
    assert.equal(await page.locator('#code contract-lens-mark, #field contract-lens-mark, #editable contract-lens-mark').count(), 0);
    await page.close();
  });
}

test('hover opens the card with the right company and https sources', async () => {
  const page = await context.newPage();
  await page.goto(`${server.origin}/article.html`);
  await waitForMarks(page, EXPECTED_MENTIONS.length);
  await page.locator('#lede contract-lens-mark').first().hover();
  await page.waitForFunction(() => !!document.querySelector('contract-lens-card')?.shadowRoot?.querySelector('.card'));
  const card = await page.evaluate(openCardInPage);
  assert.equal(card.title, 'Hootsuite');
  assert.equal(card.role, 'dialog');
  assert.match(card.text, /\$508,832/);
  assert.match(card.text, /FCN, Inc\./);
  assert.match(card.text, /decided not to do business/);
  assert.ok(card.links.length > 0, 'the card links its sources');
  for (const link of card.links) assert.match(link, /^https:\/\//);
  await page.screenshot({ path: join(ARTIFACTS, 'card-chromium.png') });
  // Escape closes it.
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('contract-lens-card')?.isConnected);
  await page.close();
});

test('keyboard focus opens the card', async () => {
  const page = await context.newPage();
  await page.goto(`${server.origin}/article.html`);
  await waitForMarks(page, EXPECTED_MENTIONS.length);
  await page.locator('#split contract-lens-mark[tabindex]').first().focus();
  await page.waitForFunction(() => !!document.querySelector('contract-lens-card')?.shadowRoot?.querySelector('h2'));
  assert.equal((await page.evaluate(openCardInPage)).title, 'Palantir Technologies');
  await page.close();
});

test('the popup switch removes every mark, leaves the DOM as it was, and brings marks back', async () => {
  await setEnabled(false);
  const page = await context.newPage();
  await page.goto(`${server.origin}/article.html`);
  await page.waitForLoadState('load');
  const pristine = await page.evaluate(pageHtml);
  await setEnabled(true);
  await waitForMarks(page, EXPECTED_MENTIONS.length);
  assert.notEqual(await page.evaluate(pageHtml), pristine);
  await setEnabled(false);
  await page.waitForFunction(() => document.querySelectorAll('contract-lens-mark').length === 0);
  assert.equal(await page.evaluate(pageHtml), pristine, 'the DOM after switching off equals the DOM before');
  await setEnabled(true);
  await waitForMarks(page, EXPECTED_MENTIONS.length);
  assert.deepEqual(await page.evaluate(markedMentionsInPage), EXPECTED_MENTIONS);
  assert.equal(await page.evaluate(markCountInPage), EXPECTED_MENTIONS.length + 1, 'one mention spans two elements');
  await page.close();
});

test('the demo page runs the core in the page and shows marks and a card', async () => {
  const demo = await startServer({ root: join(ROOT, 'dist', 'www') });
  try {
    const page = await context.newPage();
    await page.goto(`${demo.origin}/`);
    await waitForMarks(page, 6);
    await page.waitForFunction(() => /mentions? marked/.test(document.getElementById('status').textContent));
    const marked = await page.evaluate(markedMentionsInPage);
    assert.ok(marked.includes('Hootsuite') && marked.includes('FCN Inc.') && marked.includes('GitHub'), marked.join(', '));
    // The demo's last paragraph is about a rainforest and a cook: nothing there is a company.
    assert.equal(await page.locator('article p:last-of-type contract-lens-mark').count(), 0);
    await page.locator('article p contract-lens-mark').first().hover();
    await page.waitForFunction(() => !!document.querySelector('contract-lens-card')?.shadowRoot?.querySelector('.card'));
    assert.equal((await page.evaluate(openCardInPage)).title, 'Hootsuite');
    await page.screenshot({ path: join(ARTIFACTS, 'demo-card-chromium.png') });
    await page.keyboard.press('Escape');
    // The demo's own switch removes the marks.
    await page.locator('#enabled').uncheck();
    await page.waitForFunction(() => document.querySelectorAll('contract-lens-mark').length === 0);
    await page.close();
  } finally {
    await demo.close();
  }
});

test('a long record opens fast, shows a few awards, and expands on request', async () => {
  const page = await context.newPage();
  await page.goto(`${server.origin}/long-record.html`);
  await waitForMarks(page, 1);
  await page.locator('#dell contract-lens-mark').hover();
  await page.waitForFunction(() => !!document.querySelector('contract-lens-card')?.shadowRoot?.querySelector('.card'));
  const count = () => page.evaluate(() => document.querySelector('contract-lens-card').shadowRoot.querySelectorAll('li.contract').length);
  const total = await page.evaluate(() => Number(/(\d+) contracts/.exec(document.querySelector('contract-lens-card').shadowRoot.querySelector('.summary').textContent)[1]));
  assert.ok(total > 50, `Dell has many awards (${total})`);
  assert.equal(await count(), 8);
  await page.evaluate(() => document.querySelector('contract-lens-card').shadowRoot.querySelector('button.more').click());
  assert.equal(await count(), 58);
  await page.close();
});
