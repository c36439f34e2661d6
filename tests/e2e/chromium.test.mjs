// The end-to-end scenarios (scenarios.mjs) in real Chromium: Debian's, driven by
// playwright-core, with the test build of the extension from dist/test/chrome; pages served from
// 127.0.0.1, every other request refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT } from './common.mjs';
import { defineScenarios } from './scenarios.mjs';

let context;
let extensionId;
let profile;
let page = null;

const current = () => {
  if (!page) throw new Error('no page open');
  return page;
};

defineScenarios({
  name: 'chromium',
  async start({ locale = null } = {}) {
    profile = mkdtempSync(join(tmpdir(), 'contract-lens-chromium-'));
    const extension = join(ROOT, 'dist', 'test', 'chrome');
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1100, height: 800 },
      // Touch as well as a mouse, for the tap scenario; the others use the mouse.
      hasTouch: true,
      // A locale runs the browser's own interface in it (LANGUAGE, with chromium-l10n), which
      // is what the extension's i18n follows.
      ...(locale ? { locale, env: { ...process.env, LANGUAGE: locale.replace('-', '_') } } : {}),
      args: [
        ...(locale ? [`--lang=${locale}`] : []),
        `--disable-extensions-except=${extension}`,
        `--load-extension=${extension}`,
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        '--disable-gpu',
      ],
    });
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      const local =
        ['127.0.0.1', 'localhost'].includes(url.hostname) || url.hostname.endsWith('.localhost') || url.protocol === 'chrome-extension:';
      return local ? route.continue() : route.abort();
    });
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    extensionId = new URL(worker.url()).host;
  },
  async stop() {
    await context?.close();
    page = null;
    if (profile) rmSync(profile, { recursive: true, force: true });
  },
  async open(url) {
    await page?.close();
    page = await context.newPage();
    await page.goto(url);
  },
  evaluate: (fn, arg) => current().evaluate(fn, arg),
  hover: (selector) => current().locator(selector).first().hover(),
  click: (selector) => current().locator(selector).first().click(),
  clickInCard: (selector) => current().locator(`[data-contract-lens=card] ${selector}`).first().click(),
  tap: (selector) => current().locator(selector).first().tap(),
  moveTo: (x, y) => current().mouse.move(x, y, { steps: 4 }),
  press: (key) => current().keyboard.press(key),
  url: async () => current().url(),
  reload: () => current().reload(),
  screenshot: (path) => current().screenshot({ path }),
  async extensionPage(path) {
    // The popup acts on the most recently used other tab: the page.
    await page?.bringToFront();
    const extensionPage = await context.newPage();
    await extensionPage.goto(`chrome-extension://${extensionId}/${path}`);
    await extensionPage.locator('body[data-ready]').waitFor();
    return {
      evaluate: (fn, arg) => extensionPage.evaluate(fn, arg),
      click: (selector) => extensionPage.locator(selector).first().click(),
      checked: (selector) => extensionPage.locator(selector).isChecked(),
      text: (selector) => extensionPage.locator(selector).textContent(),
      async fill(selector, value) {
        await extensionPage.locator(selector).fill(value);
        await extensionPage.locator(selector).dispatchEvent('change');
      },
      screenshot: (file) => extensionPage.locator('main').screenshot({ path: file }),
      close: () => extensionPage.close(),
    };
  },
  // Headless Chromium does not deliver browser-level shortcuts to extensions.
  pressShortcut: null,
  // Site access is withheld in the browser's own menu, which a test cannot reach, and an
  // extension cannot drop permissions its manifest requires.
  siteAccess: null,
  // runtime.reload() unloads an extension loaded from the command line; it stays unloaded.
  afterReload: 'gone',
});
