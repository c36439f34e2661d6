// The end-to-end scenarios (scenarios.mjs) in real Firefox ESR: Debian's, driven by
// selenium-webdriver and geckodriver, with the test build of the extension
// (dist/test/contract-lens-firefox.zip) installed as a temporary add-on; pages served from
// 127.0.0.1, every other request sent to a closed local port.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Builder, By, Key, until } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';
import { Pointer } from 'selenium-webdriver/lib/input.js';
import { offlineFirefoxOptions, runInWindow } from '../harness-page.mjs';
import { eventually, ROOT } from './common.mjs';
import { defineScenarios } from './scenarios.mjs';

const ADDON_ID = JSON.parse(readFileSync(join(ROOT, 'dist', 'test', 'firefox', 'manifest.json'), 'utf8')).browser_specific_settings.gecko
  .id;
// Fixing the add-on's internal UUID lets the tests open its pages by address.
const UUID = randomUUID();
const KEYS = { Escape: Key.ESCAPE, Tab: Key.TAB };
let driver;
// The page's window; extension pages open in tabs beside it.
let pageWindow;
let currentWindow;

async function switchTo(handle) {
  if (currentWindow !== handle) await driver.switchTo().window(handle);
  currentWindow = handle;
}

/** Runs `fn(arg)` in the current window; resolves to its (awaited) result. */
const run = (fn, arg) => runInWindow(driver, fn, arg);

async function onPage() {
  await switchTo(pageWindow);
}

defineScenarios({
  name: 'firefox',
  // runtime.reload() brings the add-on back; its old content scripts are gone from open pages
  // without a chance to clean up (content/leftovers.js does it for them).
  afterReload: 'back',
  async start({ locale = null } = {}) {
    // Nothing may leave the machine.
    const options = offlineFirefoxOptions()
      .windowSize({ width: 1100, height: 800 })
      .setPreference('extensions.webextensions.uuids', JSON.stringify({ [ADDON_ID]: UUID }))
      // permissions.request() grants without its prompt, which a test cannot click.
      .setPreference('extensions.webextOptionalPermissionPrompts', false);
    // A locale runs the browser's interface in it (firefox-esr-l10n-fr's language pack).
    if (locale)
      options.setPreference('intl.locale.requested', locale).setPreference('intl.accept_languages', `${locale}, ${locale.split('-')[0]}`);
    // System access lets the tests open extension pages from the browser's chrome context.
    const service = new firefox.ServiceBuilder(process.env.GECKODRIVER ?? 'geckodriver').addArguments('--allow-system-access');
    driver = await new Builder().forBrowser('firefox').setFirefoxOptions(options).setFirefoxService(service).build();
    await driver.installAddon(join(ROOT, 'dist', 'test', 'contract-lens-firefox.zip'), true);
    pageWindow = await driver.getWindowHandle();
    currentWindow = pageWindow;
  },
  async stop() {
    await driver?.quit();
  },
  async open(url) {
    await onPage();
    await driver.get(url);
  },
  async evaluate(fn, arg) {
    await onPage();
    return run(fn, arg);
  },
  async hover(selector) {
    await onPage();
    const element = await driver.findElement(By.css(selector));
    // From a corner first: a move that ends where the pointer already is fires no mouseover.
    await driver.actions().move({ x: 1, y: 1 }).perform();
    await driver.actions().move({ origin: element }).perform();
  },
  async click(selector) {
    await onPage();
    await driver.findElement(By.css(selector)).click();
  },
  async clickInCard(selector) {
    await onPage();
    const root = await driver.findElement(By.css('[data-contract-lens=card]')).getShadowRoot();
    await (await root.findElement(By.css(selector))).click();
  },
  async tap(selector) {
    await onPage();
    const element = await driver.findElement(By.css(selector));
    const finger = new Pointer('finger', Pointer.Type.TOUCH);
    await driver
      .actions({ async: true })
      .insert(finger, finger.move({ origin: element }), finger.press(), finger.release())
      .perform();
  },
  async moveTo(x, y) {
    await onPage();
    await driver.actions().move({ x, y }).perform();
  },
  async press(key) {
    await onPage();
    await driver.actions().sendKeys(KEYS[key]).perform();
  },
  async url() {
    await onPage();
    return driver.getCurrentUrl();
  },
  async reload() {
    await onPage();
    await driver.navigate().refresh();
  },
  async screenshot(path) {
    await onPage();
    writeFileSync(path, await driver.takeScreenshot(), 'base64');
  },
  async extensionPage(path) {
    await onPage();
    const before = new Set(await driver.getAllWindowHandles());
    // Content pages may not open extension pages; the browser's own chrome context may.
    await driver.setContext(firefox.Context.CHROME);
    await driver.executeScript(
      `const tab = gBrowser.addTab(arguments[0], {
        triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() });
      gBrowser.selectedTab = tab;`,
      `moz-extension://${UUID}/${path}`,
    );
    await driver.setContext(firefox.Context.CONTENT);
    const handles = await eventually(
      () => driver.getAllWindowHandles(),
      (all) => all.some((h) => !before.has(h)),
      { what: 'the extension tab' },
    );
    const handle = handles.find((h) => !before.has(h));
    await switchTo(handle);
    await driver.wait(until.elementLocated(By.css('body[data-ready]')), 10000);
    const on = async () => switchTo(handle);
    return {
      async evaluate(fn, arg) {
        await on();
        return run(fn, arg);
      },
      async click(selector) {
        await on();
        await driver.findElement(By.css(selector)).click();
      },
      async checked(selector) {
        await on();
        return driver.findElement(By.css(selector)).isSelected();
      },
      async text(selector) {
        await on();
        return driver.findElement(By.css(selector)).getText();
      },
      async fill(selector, value) {
        await on();
        const field = await driver.findElement(By.css(selector));
        await field.clear();
        await field.sendKeys(value, Key.TAB);
      },
      async close() {
        await on();
        await driver.close();
        currentWindow = null;
        await onPage();
      },
    };
  },
  async siteAccess(granted) {
    // As about:addons does when the reader switches "Access your data for all websites".
    await driver.setContext(firefox.Context.CHROME);
    const reply = await driver.executeAsyncScript(
      `const [id, granted, done] = arguments;
      const { ExtensionPermissions } = ChromeUtils.importESModule('resource://gre/modules/ExtensionPermissions.sys.mjs');
      const perms = { permissions: [], origins: ['http://*/*', 'https://*/*'] };
      const extension = WebExtensionPolicy.getByID(id).extension;
      (granted ? ExtensionPermissions.add(id, perms, extension) : ExtensionPermissions.remove(id, perms, extension)).then(
        () => done(null),
        (e) => done(String(e)),
      );`,
      ADDON_ID,
      granted,
    );
    await driver.setContext(firefox.Context.CONTENT);
    if (reply) throw new Error(reply);
  },
  async switchExtension(on) {
    // As about:addons does when the reader switches the add-on off or on.
    await driver.setContext(firefox.Context.CHROME);
    const reply = await driver.executeAsyncScript(
      `const [id, on, done] = arguments;
      const { AddonManager } = ChromeUtils.importESModule('resource://gre/modules/AddonManager.sys.mjs');
      AddonManager.getAddonByID(id)
        .then((addon) => (on ? addon.enable() : addon.disable()))
        .then(() => done(null), (e) => done(String(e)));`,
      ADDON_ID,
      on,
    );
    await driver.setContext(firefox.Context.CONTENT);
    if (reply) throw new Error(reply);
  },
  async pressShortcut() {
    await onPage();
    // Browser-level shortcuts are the browser window's, so the keys go to it, not to the page.
    await driver.setContext(firefox.Context.CHROME);
    await driver.actions().keyDown(Key.ALT).keyDown(Key.SHIFT).sendKeys('L').keyUp(Key.SHIFT).keyUp(Key.ALT).perform();
    await driver.setContext(firefox.Context.CONTENT);
  },
});
