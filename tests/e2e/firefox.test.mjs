// End-to-end in real Firefox ESR (Debian's, driven by selenium-webdriver and geckodriver): the
// built extension from dist/contract-lens-firefox.zip installed as a temporary add-on, pages
// served from 127.0.0.1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { Builder, By, Key, until } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';
import { startServer } from './server.mjs';
import {
  ROOT, FIXTURES, ARTIFACTS, EXPECTED_MENTIONS, markedMentionsInPage, openCardInPage,
  markCountInPage, pageHtml, pageWasmInPage, eventually, appendParagraphInPage, mutationStormInPage,
  axeSource, axeViolationsInPage,
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
    .setPreference('network.proxy.no_proxies_on', '127.0.0.1, localhost, .localhost')
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

/** Moves the pointer onto `element` from a corner: the pointer stays where the last test left
 * it, and a move that ends where it started fires no mouseover. */
async function hover(element) {
  await driver.actions().move({ x: 1, y: 1 }).perform();
  await driver.actions().move({ origin: element }).perform();
}

async function openPage(path) {
  await driver.get(server.origin + path);
}

/** Opens an extension page in a new tab after the current one; resolves to the handle to
 * switch back to. */
async function openExtensionPage(path) {
  const page = await driver.getWindowHandle();
  const before = new Set(await driver.getAllWindowHandles());
  // Content pages may not open extension pages; the browser's own chrome context may.
  await driver.setContext(firefox.Context.CHROME);
  await driver.executeScript(`
    const tab = gBrowser.addTab(arguments[0], {
      triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() });
    gBrowser.selectedTab = tab;`, `moz-extension://${UUID}/${path}`);
  await driver.setContext(firefox.Context.CONTENT);
  const opened = await eventually(() => driver.getAllWindowHandles(),
    (handles) => handles.some((h) => !before.has(h)), { what: 'the extension tab' });
  await driver.switchTo().window(opened.find((h) => !before.has(h)));
  await driver.wait(until.elementLocated(By.css('body[data-ready]')), 10000);
  return page;
}

async function closeExtensionPage(page) {
  await driver.close();
  await driver.switchTo().window(page);
}

/** Runs `browser.*` code in the current extension page; resolves to what it resolves to. */
function extensionCall(code, ...args) {
  return driver.executeAsyncScript(`const done = arguments[arguments.length - 1];
    (async (...args) => { ${code} })(...Array.from(arguments).slice(0, -1)).then(done, (e) => done({ error: String(e) }));`, ...args);
}

async function setEnabled(enabled) {
  const page = await openExtensionPage('popup/popup.html');
  const toggle = await driver.findElement(By.id('enabled'));
  if ((await toggle.isSelected()) !== enabled) await toggle.click();
  await eventually(
    () => driver.executeAsyncScript('const done = arguments[arguments.length - 1]; browser.storage.local.get("enabled").then(done);'),
    (stored) => (stored.enabled ?? true) === enabled,
    { what: `storage to say enabled=${enabled}` });
  await closeExtensionPage(page);
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
  await hover(mark);
  const card = await eventually(() => driver.executeScript(openCardInPage), (c) => c !== null, { what: 'the card' });
  assert.equal(card.title, 'Hootsuite');
  assert.equal(card.role, 'dialog');
  assert.match(card.text, /reported \$508,832(?![\d,])/);
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

// --- The reader's experience -------------------------------------------------------------

const cardInPage = () => eventually(() => driver.executeScript(openCardInPage), (c) => c !== null, { what: 'the card' });
const waitForCount = (selector, count) => driver.wait(
  async () => (await driver.executeScript(`return document.querySelectorAll(${JSON.stringify(selector)}).length`)) === count,
  15000, `${count} of ${selector}`);

test('a site switched off stays off, its subdomains too, while other hosts stay annotated', async () => {
  const port = new URL(server.origin).port;
  await driver.get(`http://localhost:${port}/article.html`);
  await waitForMarks(EXPECTED_MENTIONS.length);
  const page = await openExtensionPage('popup/popup.html');
  assert.match(await driver.findElement(By.id('site-label')).getText(), /localhost/);
  await driver.findElement(By.id('site')).click();
  await eventually(() => extensionCall('return browser.storage.local.get("sites")'),
    (s) => s.sites?.localhost === false, { what: 'the site setting' });
  await closeExtensionPage(page);
  await waitForCount('contract-lens-mark', 0);
  await driver.get(`http://news.localhost:${port}/article.html`);
  // The popup asks the page's content script, which answers once its settings are applied:
  // after that, no mark there means none will come.
  const asked = await openExtensionPage('popup/popup.html');
  assert.match(await driver.findElement(By.id('site-label')).getText(), /news\.localhost/);
  assert.equal(await driver.findElement(By.id('site')).isSelected(), false, 'news.localhost falls back to localhost');
  await closeExtensionPage(asked);
  assert.equal(await driver.executeScript(markCountInPage), 0);
  await driver.get(`${server.origin}/article.html`);
  await waitForMarks(EXPECTED_MENTIONS.length);
  const reset = await openExtensionPage('popup/popup.html');
  await extensionCall('return browser.storage.local.set({ sites: {} })');
  await closeExtensionPage(reset);
});

test('the popup lists the companies on the page with counts, and jumps to one', async () => {
  await openPage('/article.html');
  await waitForMarks(EXPECTED_MENTIONS.length);
  const page = await openExtensionPage('popup/popup.html');
  const rows = await driver.executeScript("return [...document.querySelectorAll('#companies button')].map((b) => b.textContent)");
  assert.deepEqual(rows, ['Hootsuite3', 'FCN, Inc.1', 'Palantir Technologies1', 'Microsoft1', 'GitHub1']);
  const badges = await extensionCall(`const tabs = await browser.tabs.query({});
    return Promise.all(tabs.map((tab) => browser.action.getBadgeText({ tabId: tab.id })));`);
  assert.ok(badges.includes(String(EXPECTED_MENTIONS.length)), badges.join(','));
  const github = (await driver.findElements(By.css('#companies button')))[4];
  await github.click();
  await closeExtensionPage(page);
  assert.equal((await cardInPage()).title, 'GitHub');
});

test('"Not this company" removes its marks and the page remembers it', async () => {
  await openPage('/article.html');
  await waitForMarks(EXPECTED_MENTIONS.length);
  await driver.executeScript("document.querySelector('#split contract-lens-mark[tabindex]').focus()");
  assert.equal((await cardInPage()).title, 'Palantir Technologies');
  await driver.executeScript("document.querySelector('contract-lens-card').shadowRoot.querySelector('button.not-this').click()");
  await waitForCount('#split contract-lens-mark', 2);
  await driver.navigate().refresh();
  await waitForMarks(EXPECTED_MENTIONS.length - 1);
  assert.ok(!(await driver.executeScript(markedMentionsInPage)).includes('Palantir Technologies'));
  const page = await openExtensionPage('popup/popup.html');
  await extensionCall('return browser.storage.local.remove("dismissed")');
  await closeExtensionPage(page);
});

test('content added later is annotated, including a name completed by a new text node', async () => {
  await openPage('/dynamic.html');
  await driver.executeScript(`(${appendParagraphInPage})(arguments[0])`, { id: 'late', text: 'A late paragraph names Palantir Technologies and GitHub.' });
  await waitForCount('#late contract-lens-mark', 2);
  await driver.executeScript("const p = document.createElement('p'); p.id = 'pieces'; p.append('Staff at Hoot'); document.getElementById('feed').append(p);");
  await driver.executeScript("document.getElementById('pieces').append('suite protested.')");
  await waitForCount('#pieces contract-lens-mark', 2);
});

test('a page that mutates constantly gets bounded work and stays responsive', async () => {
  const stats = async () => {
    const page = await openExtensionPage('popup/popup.html');
    const reply = await extensionCall('return browser.runtime.sendMessage({ type: "stats" })');
    await closeExtensionPage(page);
    return reply.scans;
  };
  const storm = () => driver.executeAsyncScript(`const done = arguments[arguments.length - 1]; (${mutationStormInPage})(2000).then(done);`);
  // The same storm with annotations off: how fast the page runs on its own, in this run.
  await setEnabled(false);
  await openPage('/dynamic.html');
  const alone = await storm();
  await setEnabled(true);
  await openPage('/dynamic.html');
  const before = await stats();
  const ticks = await storm();
  await waitForCount('#after-storm contract-lens-mark', 1);
  const scans = (await stats()) - before;
  assert.ok(scans <= 2000 / 400 + 3, `${scans} scans during a 2 s storm`);
  assert.ok(ticks >= alone / 2, `the page's loop ran ${ticks} times, ${alone} without annotations`);
});

test('the keyboard shortcut switches annotations off and on', async () => {
  await openPage('/article.html');
  await waitForMarks(EXPECTED_MENTIONS.length);
  // Browser-level shortcuts are the browser window's, so the keys go to it, not to the page.
  const press = async () => {
    await driver.setContext(firefox.Context.CHROME);
    await driver.actions().keyDown(Key.ALT).keyDown(Key.SHIFT).sendKeys('L').keyUp(Key.SHIFT).keyUp(Key.ALT).perform();
    await driver.setContext(firefox.Context.CONTENT);
  };
  await press();
  await waitForCount('contract-lens-mark', 0);
  await press();
  await waitForMarks(EXPECTED_MENTIONS.length);
});

test('the options page hides what the reader does not want, at once', async () => {
  await openPage('/article.html');
  await waitForMarks(EXPECTED_MENTIONS.length);
  const page = await openExtensionPage('options/options.html');
  await driver.findElement(By.css('input[name=statements]')).click();
  const amount = await driver.findElement(By.css('input[name=minAmountUsd]'));
  await amount.clear();
  await amount.sendKeys('1000000000', Key.TAB);
  await eventually(() => extensionCall('return browser.storage.local.get("filters")'),
    (s) => s.filters?.minAmountUsd === 1e9 && s.filters.hideStatements, { what: 'the filters' });
  const options = await driver.getWindowHandle();
  await driver.switchTo().window(page);
  await waitForCount('contract-lens-mark', 0);
  await driver.switchTo().window(options);
  await driver.findElement(By.css('input[name=statements]')).click();
  await amount.clear();
  await amount.sendKeys('0', Key.TAB);
  await eventually(() => extensionCall('return browser.storage.local.get("filters")'),
    (s) => s.filters?.minAmountUsd === 0 && !s.filters.hideStatements, { what: 'the filters' });
  await closeExtensionPage(page);
  await waitForMarks(EXPECTED_MENTIONS.length);
});

test('the card on a dark page is dark, and card and popup pass an accessibility check', async () => {
  await openPage('/dark.html');
  await waitForMarks(1);
  await driver.executeScript("document.querySelector('#dark contract-lens-mark').focus()");
  await cardInPage();
  assert.equal(await driver.executeScript("return document.querySelector('contract-lens-card').shadowRoot.querySelector('.card').classList.contains('dark')"), true);
  await driver.executeScript(axeSource());
  const violations = await driver.executeAsyncScript(`const done = arguments[arguments.length - 1]; (${axeViolationsInPage})('contract-lens-card').then(done);`);
  assert.deepEqual(violations, []);
  const page = await openExtensionPage('popup/popup.html');
  await driver.executeScript(axeSource());
  const popupViolations = await driver.executeAsyncScript(`const done = arguments[arguments.length - 1]; (${axeViolationsInPage})(null).then(done);`);
  assert.deepEqual(popupViolations, []);
  await closeExtensionPage(page);
});

test('Tab moves from a mark into its card, and Escape returns to the mark', async () => {
  await openPage('/article.html');
  await waitForMarks(EXPECTED_MENTIONS.length);
  await driver.executeScript("document.querySelector('#lede contract-lens-mark').focus()");
  await cardInPage();
  await driver.actions().sendKeys(Key.TAB).perform();
  assert.equal(await driver.executeScript('return document.activeElement?.tagName'), 'CONTRACT-LENS-CARD');
  await driver.actions().sendKeys(Key.ESCAPE).perform();
  await eventually(() => driver.executeScript(openCardInPage), (c) => c === null, { what: 'the card to close' });
  assert.equal(await driver.executeScript('return document.activeElement?.tagName'), 'CONTRACT-LENS-MARK');
});

test('the card closes when its mark scrolls away, and never opens off-screen', async () => {
  await openPage('/edge.html');
  await waitForMarks(3);
  await driver.executeScript("document.querySelector('#corner contract-lens-mark').focus()");
  await cardInPage();
  const inside = await driver.executeScript(`const r = document.querySelector('contract-lens-card').shadowRoot.querySelector('.card').getBoundingClientRect();
    return r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight;`);
  assert.ok(inside, 'the card of a mark in the bottom-right corner is inside the viewport');
  await driver.actions().sendKeys(Key.ESCAPE).perform();
  await driver.executeScript("document.getElementById('linked').focus()");
  assert.equal((await cardInPage()).title, 'Microsoft', 'focusing a link opens the card of the mark inside');
  await driver.executeScript('window.scrollTo(0, 2000)');
  await eventually(() => driver.executeScript(openCardInPage), (c) => c === null, { what: 'the card to close' });
});

test('the card closes after the pointer leaves', async () => {
  await openPage('/article.html');
  await waitForMarks(EXPECTED_MENTIONS.length);
  const mark = await driver.findElement(By.css('#lede contract-lens-mark'));
  await hover(mark);
  await cardInPage();
  await driver.actions().move({ x: 2, y: 700 }).perform();
  await eventually(() => driver.executeScript(openCardInPage), (c) => c === null, { what: 'the card to close' });
});

test('a long record opens with a few awards and the rest grouped by year', async () => {
  await openPage('/long-record.html');
  await waitForMarks(1);
  await driver.executeScript("document.querySelector('#dell contract-lens-mark').focus()");
  await cardInPage();
  // The first entries (an award with the orders under it, if a vehicle), then the groups.
  const shown = () => driver.executeScript("return document.querySelector('contract-lens-card').shadowRoot.querySelectorAll('li.contract').length");
  const entries = () => driver.executeScript("return document.querySelector('contract-lens-card').shadowRoot.querySelectorAll('section.contracts > ul > li.contract').length");
  assert.equal(await entries(), 8);
  const upFront = await shown();
  const groups = await driver.executeScript("return [...document.querySelector('contract-lens-card').shadowRoot.querySelectorAll('details.year summary')].map((x) => x.textContent)");
  assert.ok(groups.length >= 2, groups.join(' | '));
  await driver.executeScript("document.querySelector('contract-lens-card').shadowRoot.querySelector('details.year').open = true");
  const firstGroup = Number(/ · (\d+) contract/.exec(groups[0])[1]);
  await eventually(shown, (n) => (firstGroup <= 50 ? n === upFront + firstGroup : n > upFront), { what: 'the first group listed' });
});

test('marks say which companies also made statements, and a mark in a link keeps the link', async () => {
  await openPage('/article.html');
  await waitForMarks(EXPECTED_MENTIONS.length);
  const styles = await driver.executeScript(`return Object.fromEntries([...document.querySelectorAll('contract-lens-mark[aria-haspopup]')]
    .map((m) => [m.textContent, m.getAttribute('style').includes('dashed') ? 'dashed' : 'dotted']))`);
  assert.equal(styles.Hootsuite, 'dashed');
  assert.equal(styles['FCN Inc.'], 'dotted');
  await driver.findElement(By.css('#split a contract-lens-mark')).click();
  await driver.wait(until.urlMatches(/\/x$/), 10000);
});

test('only changes the page makes cause scans, never those the extension makes', async () => {
  const stats = async () => {
    const page = await openExtensionPage('popup/popup.html');
    const reply = await extensionCall('return browser.runtime.sendMessage({ type: "stats" })');
    await closeExtensionPage(page);
    return reply.scans;
  };
  await openPage('/dynamic.html');
  await driver.executeScript(`(${appendParagraphInPage})(arguments[0])`, { id: 'first', text: 'Palantir Technologies, first.' });
  await waitForCount('#first contract-lens-mark', 1);
  const before = await stats();
  await driver.executeScript("document.querySelector('#first contract-lens-mark').focus()");
  await cardInPage();
  await driver.actions().sendKeys(Key.ESCAPE).perform();
  await eventually(() => driver.executeScript(openCardInPage), (c) => c === null, { what: 'the card to close' });
  await driver.executeScript(`(${appendParagraphInPage})(arguments[0])`, { id: 'second', text: 'GitHub, second.' });
  await waitForCount('#second contract-lens-mark', 1);
  assert.equal((await stats()) - before, 1);
});

test('the card stays open while the pointer moves into it', async () => {
  await openPage('/article.html');
  await waitForMarks(EXPECTED_MENTIONS.length);
  const mark = await driver.findElement(By.css('#lede contract-lens-mark'));
  await hover(mark);
  await cardInPage();
  const box = await driver.executeScript(`const r = document.querySelector('contract-lens-card').shadowRoot.querySelector('.card').getBoundingClientRect();
    return { x: Math.round(r.left + 20), y: Math.round(r.top + 20) };`);
  await driver.actions().move({ x: box.x, y: box.y }).perform();
  // Longer than the grace delay (300 ms): a card that was going to close has closed by then.
  await driver.sleep(700);
  assert.ok(await driver.executeScript(openCardInPage), 'the card stayed open under the pointer');
});
