// End-to-end in real Firefox ESR (Debian's, driven by selenium-webdriver and geckodriver): the
// built extension from dist/contract-lens-firefox.zip installed as a temporary add-on, pages
// served from 127.0.0.1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { Builder, By, until } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';
import { startServer } from './server.mjs';
import {
  ROOT, FIXTURES, ARTIFACTS, EXPECTED_MENTIONS, markedMentionsInPage, openCardInPage,
  markCountInPage, pageHtml, pageWasmInPage, eventually,
} from './common.mjs';

const ADDON_ID = JSON.parse(readFileSync(join(ROOT, 'dist', 'firefox', 'manifest.json'), 'utf8'))
  .browser_specific_settings.gecko.id;
// Fixing the add-on's internal UUID lets the test open its popup page by address.
const UUID = randomUUID();
let driver;
let server;

before(async () => {
  server = await startServer({ root: FIXTURES });
  const options = new firefox.Options()
    .setBinary(process.env.FIREFOX ?? '/usr/bin/firefox-esr')
    .addArguments('-headless')
    .windowSize({ width: 1100, height: 800 })
    .setPreference('extensions.webextensions.uuids', JSON.stringify({ [ADDON_ID]: UUID }))
    // Nothing may leave the machine: no update checks, telemetry or remote settings.
    .setPreference('network.proxy.type', 1)
    .setPreference('network.proxy.http', '127.0.0.1')
    .setPreference('network.proxy.http_port', 9)
    .setPreference('network.proxy.ssl', '127.0.0.1')
    .setPreference('network.proxy.ssl_port', 9)
    .setPreference('network.proxy.no_proxies_on', '127.0.0.1')
    .setPreference('network.proxy.allow_hijacking_localhost', false)
    .setPreference('app.update.enabled', false)
    .setPreference('datareporting.policy.dataSubmissionEnabled', false)
    .setPreference('toolkit.telemetry.enabled', false);
  // System access lets the test open the popup page from the browser's chrome context.
  const service = new firefox.ServiceBuilder(process.env.GECKODRIVER ?? 'geckodriver')
    .addArguments('--allow-system-access');
  driver = await new Builder().forBrowser('firefox').setFirefoxOptions(options)
    .setFirefoxService(service).build();
  await driver.installAddon(join(ROOT, 'dist', 'contract-lens-firefox.zip'), true);
});

after(async () => {
  await driver?.quit();
  await server?.close();
});

async function waitForMarks(atLeast) {
  await driver.wait(async () => (await driver.executeScript(markCountInPage)) >= atLeast, 15000,
    `expected at least ${atLeast} marks`);
}

async function openPage(path) {
  await driver.get(server.origin + path);
}

async function setEnabled(enabled) {
  const page = await driver.getWindowHandle();
  const before = new Set(await driver.getAllWindowHandles());
  // Content pages may not open extension pages; the browser's own chrome context may.
  await driver.setContext(firefox.Context.CHROME);
  await driver.executeScript(`
    const tab = gBrowser.addTab(arguments[0], {
      triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() });
    gBrowser.selectedTab = tab;`, `moz-extension://${UUID}/popup/popup.html`);
  await driver.setContext(firefox.Context.CONTENT);
  const opened = await eventually(() => driver.getAllWindowHandles(),
    (handles) => handles.some((h) => !before.has(h)), { what: 'the popup tab' });
  await driver.switchTo().window(opened.find((h) => !before.has(h)));
  await driver.wait(until.elementLocated(By.css('body[data-ready]')), 10000);
  const toggle = await driver.findElement(By.id('enabled'));
  if ((await toggle.isSelected()) !== enabled) await toggle.click();
  await eventually(
    () => driver.executeAsyncScript('const done = arguments[arguments.length - 1]; browser.storage.local.get("enabled").then(done);'),
    (stored) => (stored.enabled ?? true) === enabled,
    { what: `storage to say enabled=${enabled}` });
  await driver.close();
  await driver.switchTo().window(page);
}

for (const [label, path] of [['a permissive page', '/article.html'], ['a page whose CSP forbids WebAssembly', '/csp/article.html']]) {
  test(`marks every mention on ${label}`, async () => {
    await openPage(path);
    const expected = path.startsWith('/csp/') ? 'blocked' : 'allowed';
    const found = await eventually(() => driver.executeScript(pageWasmInPage), (v) => v !== null, { what: 'the page probe' });
    assert.equal(found, expected, 'the page itself may or may not run WebAssembly');
    await waitForMarks(EXPECTED_MENTIONS.length);
    assert.deepEqual(await driver.executeScript(markedMentionsInPage), EXPECTED_MENTIONS);
    const inside = await driver.findElements(By.css('#code contract-lens-mark, #field contract-lens-mark, #editable contract-lens-mark'));
    assert.equal(inside.length, 0);
  });
}

test('hover opens the card with the right company and https sources', async () => {
  await openPage('/article.html');
  await waitForMarks(EXPECTED_MENTIONS.length);
  const mark = await driver.findElement(By.css('#lede contract-lens-mark'));
  await driver.actions().move({ origin: mark }).perform();
  const card = await eventually(() => driver.executeScript(openCardInPage), (c) => c !== null, { what: 'the card' });
  assert.equal(card.title, 'Hootsuite');
  assert.equal(card.role, 'dialog');
  assert.match(card.text, /\$508,832/);
  assert.match(card.text, /decided not to do business/);
  assert.ok(card.links.length > 0);
  for (const link of card.links) assert.match(link, /^https:\/\//);
  writeFileSync(join(ARTIFACTS, 'card-firefox.png'), await driver.takeScreenshot(), 'base64');
  await driver.actions().sendKeys('\uE00C').perform(); // Escape
  await eventually(() => driver.executeScript(openCardInPage), (c) => c === null, { what: 'the card to close' });
});

test('keyboard focus opens the card', async () => {
  await openPage('/article.html');
  await waitForMarks(EXPECTED_MENTIONS.length);
  await driver.executeScript("document.querySelector('#split contract-lens-mark[tabindex]').focus()");
  const card = await eventually(() => driver.executeScript(openCardInPage), (c) => c !== null, { what: 'the card' });
  assert.equal(card.title, 'Palantir Technologies');
});

test('the popup switch removes every mark, leaves the DOM as it was, and brings marks back', async () => {
  await setEnabled(false);
  await openPage('/article.html');
  await driver.wait(async () => (await driver.executeScript('return document.readyState')) === 'complete');
  const pristine = await driver.executeScript(pageHtml);
  assert.equal(await driver.executeScript(markCountInPage), 0);
  await setEnabled(true);
  await waitForMarks(EXPECTED_MENTIONS.length);
  await setEnabled(false);
  await driver.wait(async () => (await driver.executeScript(markCountInPage)) === 0, 10000);
  assert.equal(await driver.executeScript(pageHtml), pristine, 'the DOM after switching off equals the DOM before');
  await setEnabled(true);
  await waitForMarks(EXPECTED_MENTIONS.length);
  assert.deepEqual(await driver.executeScript(markedMentionsInPage), EXPECTED_MENTIONS);
});
