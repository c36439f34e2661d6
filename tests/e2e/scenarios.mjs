// Every end-to-end scenario, once: each runs in real Chromium and real Firefox through a small
// driver (chromium.test.mjs, firefox.test.mjs) with the built test extension (dist/test/).
// A driver keeps one current page and opens extension pages (popup, options) beside it:
//
//   driver.start({ locale }), stop()   the browser (a locale runs its interface in that language)
//   driver.open(url)                   the page, fresh
//   driver.evaluate(fn, arg)           fn(arg) in the page (a plain function, its result)
//   driver.hover/click/tap(selector)   real input on the page's first match
//   driver.clickInCard(selector)       a real click inside the card (test build: open shadow root)
//   driver.moveTo(x, y), press(key)    the pointer to viewport coordinates; Escape, Tab
//   driver.extensionPage(path)         { evaluate, click, check, fill, text, checked, close }
//   driver.pressShortcut()             the browser-level shortcut, where the browser delivers it
//   driver.siteAccess(granted)         withhold or grant every site, as the reader can (null: cannot)
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  ARTIFACTS,
  appendParagraphInPage,
  axeSource,
  axeViolationsInPage,
  EXPECTED_MENTIONS,
  eventually,
  FIXTURES,
  markCountInPage,
  markedMentionsInPage,
  mutationStormInPage,
  openCardInPage,
  pageHtml,
  pageWasmInPage,
  ROOT,
} from './common.mjs';
import { defineHostileScenarios } from './hostile.mjs';
import { startServer } from './server.mjs';

/** Runs `fn` in an extension page's context with the browser's extension API as `api`. */
const inExtension = (body) =>
  new Function('arg', `const api = globalThis.browser ?? globalThis.chrome; return (async () => { ${body} })();`);

export function defineScenarios(driver) {
  let server;
  const url = (path, host = '127.0.0.1') => `http://${host}:${new URL(server.origin).port}${path}`;

  before(async () => {
    server = await startServer({ root: FIXTURES });
    await driver.start();
  });
  after(async () => {
    await driver.stop();
    await server?.close();
  });

  const count = (selector) => driver.evaluate((s) => document.querySelectorAll(s).length, selector);
  const waitForCount = (selector, expected, compare = (n) => n === expected) =>
    eventually(() => count(selector), compare, { ms: 15000, what: `${expected} of ${selector}` });
  const waitForMarks = (atLeast) => waitForCount('contractlensmark', atLeast, (n) => n >= atLeast);
  const cardOpen = () =>
    eventually(
      () => driver.evaluate(openCardInPage),
      (c) => c !== null,
      { what: 'the card' },
    );
  const cardClosed = () =>
    eventually(
      () => driver.evaluate(openCardInPage),
      (c) => c === null,
      { what: 'the card to close' },
    );
  const focus = (selector) => driver.evaluate((s) => document.querySelector(s).focus(), selector);
  const inCard = (selector) =>
    driver.evaluate(
      (s) => [...document.querySelector('[data-contract-lens=card]').shadowRoot.querySelectorAll(s)].map((e) => e.textContent),
      selector,
    );
  const openArticle = async (path = '/article.html') => {
    await driver.open(url(path));
    await waitForMarks(EXPECTED_MENTIONS.length);
  };
  /** Stores `values` from an extension page, and waits until storage says so. */
  const store = async (values) => {
    const popup = await driver.extensionPage('popup/popup.html');
    await popup.evaluate(inExtension('await api.storage.local.set(arg)'), values);
    await popup.close();
  };
  const setEnabled = async (enabled) => {
    const popup = await driver.extensionPage('popup/popup.html');
    if ((await popup.checked('#enabled')) !== enabled) await popup.click('#enabled');
    await eventually(
      () => popup.evaluate(inExtension("return api.storage.local.get('enabled')")),
      (stored) => (stored.enabled ?? true) === enabled,
      { what: `storage to say enabled=${enabled}` },
    );
    await popup.close();
  };
  const stats = async () => {
    const popup = await driver.extensionPage('popup/popup.html');
    const reply = await popup.evaluate(inExtension("return api.runtime.sendMessage({ type: 'stats' })"));
    await popup.close();
    return reply;
  };
  const scans = async () => (await stats()).scans;

  for (const [label, path] of [
    ['a permissive page', '/article.html'],
    ['a page whose CSP forbids WebAssembly', '/csp/article.html'],
  ]) {
    test(`marks every mention on ${label}`, async () => {
      await driver.open(url(path));
      const found = await eventually(
        () => driver.evaluate(pageWasmInPage),
        (v) => v !== null,
        { what: 'the page probe' },
      );
      assert.equal(found, path.startsWith('/csp/') ? 'blocked' : 'allowed', 'the page itself may or may not run WebAssembly');
      await waitForMarks(EXPECTED_MENTIONS.length);
      assert.deepEqual(await driver.evaluate(markedMentionsInPage), EXPECTED_MENTIONS);
      // Nothing inside code, form fields or editors.
      assert.equal(await count('#code contractlensmark, #field contractlensmark, #editable contractlensmark'), 0);
    });
  }

  test('hover opens the card with the right company and https sources', async () => {
    await openArticle();
    await driver.hover('#lede contractlensmark');
    const card = await cardOpen();
    assert.equal(card.title, 'Hootsuite');
    assert.equal(card.role, 'dialog');
    assert.match(card.text, /reported \$508,832(?![\d,])/);
    assert.match(card.text, /FCN, Inc\./);
    assert.match(card.text, /decided not to do business/);
    assert.ok(card.links.length > 0, 'the card links its sources');
    for (const link of card.links) assert.match(link, /^https:\/\//);
    await driver.screenshot(join(ARTIFACTS, `card-${driver.name}.png`));
    await driver.press('Escape');
    await cardClosed();
    // A mention split across the page's elements is named whole: the core rebuilds the name
    // from the mark's text, read across its pieces.
    await focus('#split contractlensmark[tabindex]');
    assert.equal((await cardOpen()).title, 'Palantir Technologies');
    assert.match((await inCard('.why'))[0], /names “Palantir Technologies”/);
    await driver.press('Escape');
    await cardClosed();
  });

  test('the card opens compact with what Hootsuite said next to the later record, and "More" opens the rest for the page', async () => {
    await openArticle();
    await driver.hover('#lede contractlensmark');
    await cardOpen();
    const compact = await driver.evaluate(() => {
      const card = document.querySelector('[data-contract-lens=card]').shadowRoot.querySelector('.card');
      return {
        compact: card.classList.contains('compact'),
        width: card.getBoundingClientRect().width,
        detailsHidden: card.querySelector('.details').hidden,
        said: card.querySelector('.headline .said')?.textContent,
        after: card.querySelector('.headline .after')?.textContent,
      };
    });
    assert.equal(compact.compact, true);
    assert.ok(compact.width <= 360, `${compact.width} px wide`);
    assert.equal(compact.detailsHidden, true);
    assert.match(compact.said, /, Sep 24, 2020: “I, and the rest of the management team/);
    assert.match(
      compact.after,
      /^After this, in the records: 1 award \(U\.S\. Customs and Border Protection\), via SENECA STRATEGIC PARTNERS, LLC, 2024–2026, \$1,683,29\d obligated\.$/,
    );
    await driver.screenshot(join(ARTIFACTS, `compact-card-${driver.name}.png`));
    await driver.clickInCard('button.more-details');
    const expanded = () =>
      driver.evaluate(() => {
        const card = document.querySelector('[data-contract-lens=card]').shadowRoot.querySelector('.card');
        return !card.classList.contains('compact') && !card.querySelector('.details').hidden;
      });
    assert.equal(await expanded(), true);
    await driver.press('Escape');
    await cardClosed();
    // Remembered for the page: the next card, opened by keyboard, opens expanded.
    await focus('#split contractlensmark[tabindex]');
    assert.equal((await cardOpen()).title, 'Palantir Technologies');
    assert.equal(await expanded(), true);
  });

  test('a statement with no award after it in what the card shows says so', async () => {
    await store({ filters: { hideContracts: false, hideStatements: false, hiddenAgencies: ['CBP'], minAmountUsd: 0 } });
    await openArticle();
    await focus('#lede contractlensmark');
    await cardOpen();
    const after = await driver.evaluate(
      () => document.querySelector('[data-contract-lens=card]').shadowRoot.querySelector('.headline .after')?.textContent,
    );
    assert.equal(after, 'After this, in the records: no award with Department of Homeland Security.');
    await store({ filters: { hideContracts: false, hideStatements: false, hiddenAgencies: [], minAmountUsd: 0 } });
  });

  test('keyboard focus opens the card', async () => {
    await openArticle();
    await focus('#split contractlensmark[tabindex]');
    assert.equal((await cardOpen()).title, 'Palantir Technologies');
  });

  test('the cards of the companies on a page are built while the reader reads; a card opened then is not built again', async () => {
    // Filters no other test uses: no card kept from before fits them. Set away from any page
    // with marks, which would prepare its cards with them at once.
    const filters = { hideContracts: false, hideStatements: false, hiddenAgencies: [], minAmountUsd: 1 };
    await driver.open(url('/no-such-page.html'));
    await store({ filters });
    const before = await stats();
    await openArticle();
    const prepared = await eventually(stats, (s) => s.prepares === before.prepares + 1, { what: "the page's cards prepared" });
    assert.equal(prepared.started, before.started, 'the same background throughout');
    assert.equal(prepared.cardsPrepared - before.cardsPrepared, 5, 'Hootsuite, FCN, Palantir, Microsoft and GitHub');
    await driver.evaluate(() =>
      [...document.querySelectorAll('contractlensmark[tabindex]')].find((m) => m.textContent === 'FCN Inc.').focus(),
    );
    assert.equal((await cardOpen()).title, 'FCN, Inc.');
    const opened = await stats();
    assert.equal(opened.cardsBuilt, prepared.cardsBuilt, 'the card came as it was prepared');
    assert.equal(opened.prepares, prepared.prepares, 'the page asked once');
    await store({ filters: { ...filters, minAmountUsd: 0 } });
  });

  test('the popup switch removes every mark, leaves the DOM as it was, and brings marks back', async () => {
    await setEnabled(false);
    await driver.open(url('/article.html'));
    await eventually(
      () => driver.evaluate(() => document.readyState),
      (s) => s === 'complete',
      { what: 'the page to load' },
    );
    const pristine = await driver.evaluate(pageHtml);
    assert.equal(await driver.evaluate(markCountInPage), 0);
    await setEnabled(true);
    await waitForMarks(EXPECTED_MENTIONS.length);
    assert.notEqual(await driver.evaluate(pageHtml), pristine);
    await setEnabled(false);
    await waitForCount('contractlensmark', 0);
    assert.equal(await driver.evaluate(pageHtml), pristine, 'the DOM after switching off equals the DOM before');
    await setEnabled(true);
    await waitForMarks(EXPECTED_MENTIONS.length);
    assert.deepEqual(await driver.evaluate(markedMentionsInPage), EXPECTED_MENTIONS);
    assert.equal(await driver.evaluate(markCountInPage), EXPECTED_MENTIONS.length + 1, 'one mention spans two elements');
  });

  test('the demo page runs the core in the page and shows marks and a card', async () => {
    const demo = await startServer({ root: join(ROOT, 'dist', 'test', 'www') });
    try {
      await driver.open(`${demo.origin}/`);
      await waitForMarks(6);
      await eventually(
        () => driver.evaluate(() => document.getElementById('status').textContent),
        (s) => /mentions? marked/.test(s),
        {
          what: 'the demo status',
        },
      );
      const marked = await driver.evaluate(markedMentionsInPage);
      assert.ok(marked.includes('Hootsuite') && marked.includes('FCN Inc.') && marked.includes('GitHub'), marked.join(', '));
      // The demo's last paragraph is about a rainforest and a cook: nothing there is a company.
      assert.equal(await count('article p:last-of-type contractlensmark'), 0);
      const inked = await driver.evaluate(() => {
        const style = getComputedStyle(document.querySelector('article p contractlensmark'));
        return style.textDecorationColor === style.color;
      });
      assert.ok(inked, "the marks' underline is drawn, in the text's colour (marks.css)");
      await driver.hover('article p contractlensmark');
      const card = await cardOpen();
      assert.equal(card.title, 'Hootsuite');
      // The demo has no browser i18n: the English strings, substituted here, must read right.
      assert.match(card.text, /reported \$508,832(?![\d,])/);
      assert.match(card.text, /1 year \+ 2 option years/);
      await driver.screenshot(join(ARTIFACTS, `demo-card-${driver.name}.png`));
      await driver.press('Escape');
      // The demo's own switch removes the marks.
      await driver.click('#enabled');
      await waitForCount('contractlensmark', 0);
    } finally {
      await demo.close();
    }
  });

  test('a long record opens with a few awards, the rest grouped by year, and expands on request', async () => {
    await driver.open(url('/long-record.html'));
    await waitForMarks(1);
    await focus('#dell contractlensmark');
    await cardOpen();
    const total = Number(/(\d+) contracts/.exec((await inCard('.summary'))[0])[1]);
    assert.ok(total > 50, `Dell has many awards (${total})`);
    // The first entries (an award with the orders under it, if a vehicle), then the groups.
    assert.equal((await inCard('section.contracts > ul > li.contract')).length, 8);
    const upFront = (await inCard('li.contract')).length;
    // A vehicle's orders past its first few wait behind their own "Show N more of M".
    const ordersLeft = (await inCard('ul.orders > li.more-item:not([hidden]) button')).reduce(
      (n, text) => n + Number(/(\d+)\D*$/.exec(text)[1]),
      0,
    );
    const groups = await inCard('details.year summary');
    assert.ok(groups.length >= 2, groups.join(' | '));
    assert.match(groups[0], /^\d{4} · \d+ contracts?/);
    const inGroups = groups.reduce((n, g) => n + Number(/ · (\d+) contract/.exec(g)[1]), 0);
    assert.equal(inGroups + upFront + ordersLeft, total, 'every award is on the card');
    await driver.evaluate(() => {
      document.querySelector('[data-contract-lens=card]').shadowRoot.querySelector('details.year').open = true;
    });
    const firstGroup = Number(/ · (\d+) contract/.exec(groups[0])[1]);
    // A group of up to 50 entries lists all its awards at once.
    await eventually(
      async () => (await inCard('li.contract')).length,
      (n) => (firstGroup <= 50 ? n === upFront + firstGroup : n > upFront),
      { what: 'the first group listed' },
    );
  });

  // --- The reader's experience -------------------------------------------------------------

  test('a site switched off stays off, its subdomains too, while other hosts stay annotated', async () => {
    await driver.open(url('/article.html', 'localhost'));
    await waitForMarks(EXPECTED_MENTIONS.length);
    const popup = await driver.extensionPage('popup/popup.html');
    assert.match(await popup.text('#site-label'), /localhost/);
    assert.equal(await popup.checked('#site'), true);
    await popup.click('#site');
    await eventually(
      () => popup.evaluate(inExtension("return api.storage.local.get('sites')")),
      (s) => s.sites?.localhost === false,
      {
        what: 'the site setting',
      },
    );
    await popup.close();
    await waitForCount('contractlensmark', 0);
    await driver.open(url('/article.html', 'news.localhost'));
    // The popup asks the page's content script, which answers once its settings are applied:
    // after that, no mark there means none will come.
    const asked = await driver.extensionPage('popup/popup.html');
    assert.match(await asked.text('#site-label'), /news\.localhost/);
    assert.equal(await asked.checked('#site'), false, 'news.localhost falls back to localhost');
    await asked.close();
    assert.equal(await driver.evaluate(markCountInPage), 0);
    await openArticle();
    await store({ sites: {} });
  });

  /** A card's data from the background, asked for from an extension page (its card parsed). */
  const cardFromBackground = async () => {
    const page = await driver.extensionPage('popup/popup.html');
    const reply = await page.evaluate(
      inExtension(`const scan = await api.runtime.sendMessage({ type: 'scan', blocks: ['Hootsuite'], options: { filters: {}, firstPerBlock: false, dismissed: [] } });
        const reply = await api.runtime.sendMessage({ type: 'card', company: scan.mentions[3], name: scan.mentions[4], found: 'HOOTSUITE' });
        return { ...reply, card: typeof reply?.card === 'string' ? JSON.parse(reply.card) : reply?.card };`),
    );
    await page.close();
    return reply;
  };

  test('a page starting to load wakes the background, which warms a new core once; a site switched off wakes nothing', async () => {
    // The running core has its records (a card); then it is dropped (no start failure asked),
    // and the page's wake-up starts a new one.
    assert.ok((await cardFromBackground())?.card?.summary, 'a card from the running core');
    const popup0 = await driver.extensionPage('popup/popup.html');
    await popup0.evaluate(inExtension("return api.runtime.sendMessage({ type: 'failStarts', count: 0 })"));
    await popup0.close();
    const first = await stats();
    const before = first.wakes;
    await driver.open(url('/article.html'));
    await waitForMarks(EXPECTED_MENTIONS.length);
    const woken = await eventually(stats, (s) => s.wakes === before + 1, { what: 'one wake-up for the page' });
    assert.equal(woken.starts, first.starts + 1, 'the wake-up started a new core');
    assert.equal(woken.warmUps, first.warmUps + 1, 'the woken core was warmed');
    // The new core gets the company records too: they belong to the core they were given to.
    const reply = await cardFromBackground();
    assert.ok(reply?.card?.summary, `the new core's card: ${JSON.stringify(reply).slice(0, 200)}`);
    assert.equal(reply.name, 'Hootsuite', 'the name as the data writes it, from the text found, HOOTSUITE');
    await driver.open(url('/article.html'));
    await waitForMarks(EXPECTED_MENTIONS.length);
    const again = await eventually(stats, (s) => s.wakes === before + 2, { what: 'a second wake-up' });
    assert.equal(again.warmUps, woken.warmUps, 'a warm core is not warmed again');
    await store({ sites: { localhost: false } });
    await driver.open(url('/article.html', 'localhost'));
    // Once the page's content script answers the popup, its settings were read; the wake-up
    // read the same settings earlier, at document_start.
    const popup = await driver.extensionPage('popup/popup.html');
    assert.equal(await popup.checked('#site'), false);
    await popup.close();
    assert.equal((await stats()).wakes, before + 2, 'the switched-off site woke nothing');
    await store({ sites: {} });
  });

  test('the popup lists the companies on the page with counts, and jumps to one', async () => {
    await openArticle();
    const popup = await driver.extensionPage('popup/popup.html');
    const rows = await popup.evaluate(() => [...document.querySelectorAll('#companies button')].map((b) => b.textContent));
    assert.deepEqual(rows, ['Hootsuite3', 'FCN, Inc.1', 'Palantir Technologies1', 'Microsoft1', 'GitHub1']);
    await popup.screenshot?.(join(ARTIFACTS, `popup-${driver.name}.png`));
    // The toolbar badge counts the mentions on the page.
    const badges = await popup.evaluate(
      inExtension(
        'const tabs = await api.tabs.query({}); return Promise.all(tabs.map((tab) => api.action.getBadgeText({ tabId: tab.id })));',
      ),
    );
    assert.ok(badges.includes(String(EXPECTED_MENTIONS.length)), badges.join(','));
    await popup.click('#companies li:nth-child(5) button');
    await popup.close();
    assert.equal((await cardOpen()).title, 'GitHub');
  });

  test('"Not this company" removes its marks and the page remembers it', async () => {
    await openArticle();
    await focus('#split contractlensmark[tabindex]');
    assert.equal((await cardOpen()).title, 'Palantir Technologies');
    // A real click: the card ignores the page's synthetic ones.
    await driver.clickInCard('button.not-this');
    await waitForCount('#split contractlensmark', 2);
    assert.ok(!(await driver.evaluate(markedMentionsInPage)).includes('Palantir Technologies'));
    await driver.reload();
    await waitForMarks(EXPECTED_MENTIONS.length - 1);
    assert.ok(!(await driver.evaluate(markedMentionsInPage)).includes('Palantir Technologies'));
    // The options page lists it, by page, and forgets it on request.
    const options = await driver.extensionPage('options/options.html');
    assert.equal(await options.text('#dismissed li > span'), `${url('/article.html')}: Palantir Technologies`);
    await options.click('#forget-all-dismissed');
    await eventually(
      () => options.evaluate(inExtension("return api.storage.local.get('dismissed')")),
      (s) => JSON.stringify(s.dismissed) === '{}',
      {
        what: 'the dismissal forgotten',
      },
    );
    await options.close();
    await driver.reload();
    await waitForMarks(EXPECTED_MENTIONS.length);
  });

  test('content added later is annotated, including a name completed by a new text node', async () => {
    await driver.open(url('/dynamic.html'));
    await driver.evaluate(appendParagraphInPage, { id: 'late', text: 'A late paragraph names Palantir Technologies and GitHub.' });
    await waitForCount('#late contractlensmark', 2);
    // A name completed by a text node added next to an existing one.
    await driver.evaluate(() => {
      const p = document.createElement('p');
      p.id = 'pieces';
      p.append('Staff at Hoot');
      document.getElementById('feed').append(p);
    });
    await driver.evaluate(() => document.getElementById('pieces').append('suite protested.'));
    await waitForCount('#pieces contractlensmark', 2);
    assert.equal(await driver.evaluate(() => document.getElementById('pieces').querySelectorAll('contractlensmark').length), 2);
    assert.equal(
      await driver.evaluate(() => [...document.querySelectorAll('#pieces contractlensmark')].map((m) => m.textContent).join('')),
      'Hootsuite',
    );
  });

  test('a page that mutates constantly gets bounded work and stays responsive', async () => {
    // The same storm with annotations off: how fast the page runs on its own, in this run.
    await setEnabled(false);
    await driver.open(url('/dynamic.html'));
    const alone = await driver.evaluate(mutationStormInPage, 2000);
    await setEnabled(true);
    await driver.open(url('/dynamic.html'));
    const before = await scans();
    const ticks = await driver.evaluate(mutationStormInPage, 2000);
    await waitForCount('#after-storm contractlensmark', 1);
    const during = (await scans()) - before;
    // One scan per batch interval (400 ms) at most, plus the first and the last.
    assert.ok(during <= 2000 / 400 + 3, `${during} scans during a 2 s storm`);
    // The page's own loop kept at least half its pace.
    assert.ok(ticks >= alone / 2, `the page's loop ran ${ticks} times, ${alone} without annotations`);
  });

  test('only changes the page makes cause scans, never those the extension makes', async () => {
    await driver.open(url('/dynamic.html'));
    await driver.evaluate(appendParagraphInPage, { id: 'first', text: 'Palantir Technologies, first.' });
    await waitForCount('#first contractlensmark', 1);
    const before = await scans();
    // Our own changes: a card opened and closed, marks added.
    await focus('#first contractlensmark');
    await cardOpen();
    await driver.press('Escape');
    await cardClosed();
    // One change of the page's own, which needs one scan.
    await driver.evaluate(appendParagraphInPage, { id: 'second', text: 'GitHub, second.' });
    await waitForCount('#second contractlensmark', 1);
    assert.equal((await scans()) - before, 1);
  });

  test('the keyboard shortcut is registered and switches annotations off and on', async (t) => {
    const popup = await driver.extensionPage('popup/popup.html');
    const commands = await popup.evaluate(inExtension('return api.commands.getAll()'));
    await popup.close();
    const toggle = commands.find((c) => c.name === 'toggle-annotations');
    assert.ok(toggle, JSON.stringify(commands));
    assert.equal(toggle.shortcut.replaceAll(' ', ''), 'Alt+Shift+L');
    if (!driver.pressShortcut) {
      t.diagnostic(`${driver.name} does not deliver browser-level shortcuts to extensions when headless`);
      return;
    }
    await openArticle();
    await driver.pressShortcut();
    await waitForCount('contractlensmark', 0);
    await driver.pressShortcut();
    await waitForMarks(EXPECTED_MENTIONS.length);
  });

  test('the options page hides what the reader does not want, at once', async () => {
    await openArticle();
    const options = await driver.extensionPage('options/options.html');
    // Contracts of at least $1 billion only, no statements: nobody in this article qualifies.
    await options.click('input[name=statements]');
    await options.fill('input[name=minAmountUsd]', '1000000000');
    await eventually(
      () => options.evaluate(inExtension("return api.storage.local.get('filters')")),
      (s) => s.filters?.minAmountUsd === 1e9 && s.filters.hideStatements,
      { what: 'the filters' },
    );
    await waitForCount('contractlensmark', 0);
    // First mention per paragraph, everything shown again.
    await options.click('input[name=statements]');
    await options.fill('input[name=minAmountUsd]', '0');
    await options.click('input[value=first]');
    await waitForCount('#lede contractlensmark', 2);
    await options.click('input[value=every]');
    await waitForMarks(EXPECTED_MENTIONS.length + 1);
    await options.close();
  });

  test('the article is marked, not the navigation, share buttons or footers, and an option marks everywhere', async () => {
    await driver.open(url('/news.html'));
    await waitForCount('#story contractlensmark[aria-haspopup]', 2);
    assert.deepEqual(await driver.evaluate(markedMentionsInPage), ['Palantir Technologies', 'GitHub']);
    const popup = await driver.extensionPage('popup/popup.html');
    assert.equal(await popup.text('#outside'), '4 more mentions outside the article are not marked (see Options).');
    await popup.close();
    const options = await driver.extensionPage('options/options.html');
    await options.click('input[name=everywhere]');
    await waitForCount('contractlensmark[aria-haspopup]', 6);
    await options.click('input[name=everywhere]');
    await waitForCount('contractlensmark[aria-haspopup]', 2);
    await options.close();
  });

  test('the card on a dark page is dark, and card and popup pass an accessibility check', async () => {
    await driver.open(url('/dark.html'));
    await waitForMarks(1);
    await focus('#dark contractlensmark');
    await cardOpen();
    assert.equal(
      await driver.evaluate(() =>
        document.querySelector('[data-contract-lens=card]').shadowRoot.querySelector('.card').classList.contains('dark'),
      ),
      true,
    );
    await driver.evaluate(new Function(axeSource()));
    assert.deepEqual(await driver.evaluate(axeViolationsInPage, '[data-contract-lens=card]'), []);
    await openArticle();
    await focus('#lede contractlensmark');
    await cardOpen();
    await driver.evaluate(new Function(axeSource()));
    assert.deepEqual(await driver.evaluate(axeViolationsInPage, '[data-contract-lens=card]'), []);
    const popup = await driver.extensionPage('popup/popup.html');
    await popup.evaluate(new Function(axeSource()));
    assert.deepEqual(await popup.evaluate(axeViolationsInPage, null), []);
    await popup.close();
  });

  test('Tab moves from a mark into its card, and Escape returns to the mark', async () => {
    await openArticle();
    await focus('#lede contractlensmark');
    await cardOpen();
    await driver.press('Tab');
    assert.equal(
      await driver.evaluate(() => document.activeElement?.getAttribute('data-contract-lens')),
      'card',
      'focus moved into the card',
    );
    await driver.press('Escape');
    await cardClosed();
    assert.equal(await driver.evaluate(() => document.activeElement?.tagName), 'CONTRACTLENSMARK');
  });

  test('the card stays open while the pointer moves into it, and closes when it leaves', async () => {
    await openArticle();
    await driver.hover('#lede contractlensmark');
    await cardOpen();
    const box = await driver.evaluate(() => {
      const r = document.querySelector('[data-contract-lens=card]').shadowRoot.querySelector('.card').getBoundingClientRect();
      return { x: Math.round(r.left + 20), y: Math.round(r.top + 20) };
    });
    await driver.moveTo(box.x, box.y);
    // What is checked is that nothing happens: longer than the grace delay (300 ms), a card
    // that was going to close has closed.
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.ok(await driver.evaluate(openCardInPage), 'the card stayed open under the pointer');
    // Far from mark and card: the bottom-left corner of the viewport.
    const corner = await driver.evaluate(() => ({ x: 5, y: innerHeight - 10 }));
    await driver.moveTo(corner.x, corner.y);
    await cardClosed();
  });

  test('the card closes when its mark scrolls away, and never opens off-screen', async () => {
    await driver.open(url('/edge.html'));
    await waitForMarks(3);
    await focus('#corner contractlensmark');
    await cardOpen();
    const inside = await driver.evaluate(() => {
      const r = document.querySelector('[data-contract-lens=card]').shadowRoot.querySelector('.card').getBoundingClientRect();
      return r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight;
    });
    assert.ok(inside, 'the card of a mark in the bottom-right corner is inside the viewport');
    await driver.press('Escape');
    await focus('#linked');
    assert.equal((await cardOpen()).title, 'Microsoft', 'focusing a link opens the card of the mark inside');
    await driver.evaluate(() => window.scrollTo(0, 2000));
    await cardClosed();
  });

  test('a tap opens the card on a touch screen without following the link', async () => {
    await driver.open(url('/edge.html'));
    await waitForMarks(3);
    await driver.tap('#linked contractlensmark');
    assert.equal((await cardOpen()).title, 'Microsoft');
    assert.match(await driver.url(), /edge\.html$/);
  });

  test('marks say which companies also made statements, and a mark in a link keeps the link', async () => {
    await openArticle();
    const styles = await driver.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll('contractlensmark[aria-haspopup]')].map((m) => [
          m.textContent,
          m.getAttribute('style').includes('dashed') ? 'dashed' : 'dotted',
        ]),
      ),
    );
    // Hootsuite made statements; FCN did not.
    assert.equal(styles.Hootsuite, 'dashed');
    assert.equal(styles['FCN Inc.'], 'dotted');
    await driver.click('#split a contractlensmark');
    await eventually(
      () => driver.url(),
      (u) => /\/x$/.test(u),
      { what: 'the link followed' },
    );
  });

  const extensionCall = async (body, arg) => {
    const popup = await driver.extensionPage('popup/popup.html');
    const reply = await popup.evaluate(inExtension(body), arg);
    await popup.close();
    return reply;
  };
  defineHostileScenarios(driver, url, { extensionCall, scans });

  test('on a site the browser withholds, the popup says so and asks; allowed, the page is annotated without a reload', async (t) => {
    if (!driver.siteAccess) return t.skip(`${driver.name}: a test cannot withhold a site`);
    await driver.siteAccess(false);
    try {
      await driver.open(url('/article.html'));
      const popup = await driver.extensionPage('popup/popup.html');
      assert.equal(await popup.text('#status'), 'Contract Lens has no access to 127.0.0.1, so it cannot look for companies on this page.');
      assert.equal(await driver.evaluate(markCountInPage), 0, 'no content script ran');
      await popup.click('#allow');
      await eventually(
        () => popup.text('#status'),
        (s) => s === `${EXPECTED_MENTIONS.length} mentions of 5 companies`,
        { ms: 15000, what: 'the popup to show the page once allowed' },
      );
      await popup.close();
      await waitForMarks(EXPECTED_MENTIONS.length);
      assert.deepEqual(await driver.evaluate(markedMentionsInPage), EXPECTED_MENTIONS);
      // The marks' stylesheet came with the access: without it their underline has no ink.
      const inked = await driver.evaluate(() =>
        [...document.querySelectorAll('contractlensmark')].every((m) => getComputedStyle(m).getPropertyValue('--contract-lens-ink') !== ''),
      );
      assert.ok(inked, "every mark's underline has its ink (marks.css)");
      await driver.hover('#lede contractlensmark');
      assert.equal((await cardOpen()).title, 'Hootsuite');
    } finally {
      await driver.siteAccess(true);
    }
  });

  // Last: it relaunches the browser in French for the rest of the run.
  test('in a French browser the card and popup speak French: strings, plurals, amounts, dates', async () => {
    await driver.stop();
    await driver.start({ locale: 'fr-CA' });
    const language = await extensionCall('return api.i18n.getUILanguage()');
    assert.match(language, /^fr/, 'the browser runs in French (its French language files are installed)');
    await openArticle();
    await driver.hover('#lede contractlensmark');
    await cardOpen();
    const card = await driver.evaluate(() => {
      const card = document.querySelector('[data-contract-lens=card]').shadowRoot.querySelector('.card');
      const text = (/** @type {string} */ s) => card.querySelector(s)?.textContent;
      return {
        lang: card.lang,
        summary: text('.summary'),
        said: text('.headline .said'),
        after: text('.headline .after'),
        more: text('.more-details'),
      };
    });
    await driver.screenshot(join(ARTIFACTS, `compact-card-fr-${driver.name}.png`));
    assert.equal(card.lang, 'fr-CA');
    // Plurals by French rules, amounts in US dollars as a French Canadian writes them.
    assert.match(card.summary, /^\d+ contrats · \d déclarations? · /);
    assert.match(card.said, /, 24 sept\. 2020\s:\s«\sI, and the rest of the management team/);
    assert.match(
      card.after,
      /^Ensuite, dans les données\s: 1 contrat \(U\.S\. Customs and Border Protection\), via SENECA STRATEGIC PARTNERS, LLC, 2024–2026, 1\s683\s29\d\s\$\sUS engagés\.$/,
    );
    assert.equal(card.more, 'Plus');
    await driver.press('Escape');
    await cardClosed();
    const popup = await driver.extensionPage('popup/popup.html');
    assert.equal(await popup.text('#status'), `${EXPECTED_MENTIONS.length} mentions de 5 entreprises`);
    assert.equal(await popup.evaluate(() => document.documentElement.lang), 'fr-CA');
    await popup.close();
  });
}
