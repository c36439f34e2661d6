// Scenarios on hostile pages of our own (tests/e2e/fixtures/hostile/, each documenting what it
// attacks), run in both browsers by the same drivers as scenarios.mjs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually, markedMentionsInPage } from './common.mjs';

/**
 * @param {object} driver as in scenarios.mjs
 * @param {(path: string) => string} url
 * @param {{ extensionCall: (body: string, arg?: unknown) => Promise<any>, scans: () => Promise<number> }} helpers
 */
export function defineHostileScenarios(driver, url, { extensionCall, scans }) {
  const count = (selector) => driver.evaluate((s) => document.querySelectorAll(s).length, selector);
  // Mentions drawn rather than wrapped (content/drawn.js), as the page's highlight registry holds them.
  const drawnCount = () =>
    driver.evaluate(() => (CSS.highlights.get('contract-lens')?.size ?? 0) + (CSS.highlights.get('contract-lens-statements')?.size ?? 0));

  test('a page cannot open, read or drive the card, forge marks, or fill the storage', async () => {
    // The reader's own pointer, left over a mark by an earlier test, would open the card.
    await driver.moveTo(1, 1);
    await driver.open(url('/hostile/drive.html'));
    await eventually(
      () => count('#real contractlensmark'),
      (n) => n === 1,
      { what: 'the real mark' },
    );
    const result = await driver.evaluate(() => window.attack());
    assert.equal(result.cardOpened, false, 'synthetic hover and tap open nothing');
    assert.equal(result.forgedOpened, false, 'a forged mark is not a mark');
    // The tests' build keeps the shadow root open to read the card; what ships closes it
    // (tests/build.test.mjs and the unit tier check the shipped mode).
    assert.equal(result.cardRead, 'open');
    assert.equal(await count('#real contractlensmark'), 1, '300 synthetic clicks on "Not this company" did nothing');
    // The page's custom elements and !important rules neither took over nor hid mark or card.
    const shown = await driver.evaluate(() => {
      const card = document.querySelector('[data-contract-lens=card]').shadowRoot.querySelector('.card');
      const box = card.getBoundingClientRect();
      return {
        mark: getComputedStyle(document.querySelector('#real contractlensmark')).display,
        topLayer: card.matches(':popover-open'),
        visible: box.width > 100 && box.height > 50,
      };
    });
    assert.deepEqual(shown, { mark: 'inline', topLayer: true, visible: true });
    const stored = await extensionCall("return api.storage.local.get('dismissed')");
    assert.deepEqual(stored.dismissed ?? {}, {}, 'nothing written');
    // The tap the page faked left no trap: the reader's next click goes where it points.
    await driver.press('Escape');
    await driver.click('#elsewhere');
    await eventually(
      () => driver.url(),
      (u) => u.endsWith('#clicked'),
      { what: 'the unrelated click to work' },
    );
  });

  test('layouts stay as they were, hidden text is not marked, page CSS cannot hide marks, editors get no marks', async () => {
    await driver.open(url('/hostile/layout.html'));
    await eventually(
      () => count('#visible contractlensmark'),
      (n) => n === 1,
      { what: 'the visible mark' },
    );
    await eventually(
      () => count('#nounderline contractlensmark'),
      (n) => n === 1,
      { what: 'the mark under the page rule' },
    );
    for (const id of ['grid', 'flex', 'hidden', 'none', 'invisible']) assert.equal(await count(`#${id} contractlensmark`), 0, `#${id}`);
    const underline = await driver.evaluate(() => {
      const style = getComputedStyle(document.querySelector('#nounderline contractlensmark'));
      return { line: style.textDecorationLine, inked: style.textDecorationColor === style.color };
    });
    assert.deepEqual(underline, { line: 'underline', inked: true }, "the underline in the text's colour (the extension's stylesheet)");
    // A card opened inside a transformed box that clips its content is not clipped.
    await driver.evaluate(() => document.querySelector('#clipped contractlensmark').focus());
    await eventually(
      () =>
        driver.evaluate(() => {
          const card = document.querySelector('[data-contract-lens=card]')?.shadowRoot?.querySelector('.card');
          return card ? { topLayer: card.matches(':popover-open'), height: card.getBoundingClientRect().height } : null;
        }),
      (c) => c?.topLayer && c.height > 100,
      { what: 'an unclipped card' },
    );
    await driver.press('Escape');
    assert.equal(await count('#doc contractlensmark'), 1);
    await driver.evaluate(() => {
      document.getElementById('doc').contentEditable = 'true';
    });
    await eventually(
      () => count('#doc contractlensmark'),
      (n) => n === 0,
      { what: 'the editable region unmarked' },
    );
    assert.equal(await driver.evaluate(() => document.getElementById('doc').innerHTML), '<p>Microsoft, in a draft.</p>');
  });

  test('a page that keeps removing marks is not re-marked for ever', async () => {
    const before = await scans();
    await driver.open(url('/hostile/unwrap.html'));
    await eventually(
      () => driver.evaluate(() => window.unwraps),
      (n) => n >= 2,
      { what: 'the page to remove marks twice' },
    );
    // What is checked is that nothing more happens: well past the rescan interval (400 ms).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(await driver.evaluate(() => window.unwraps), 2);
    assert.ok((await scans()) - before <= 3, 'the first scan and one rescan, no more');
    assert.equal(await driver.evaluate(() => document.getElementById('text').textContent), 'Hootsuite sold licences through a reseller.');
  });

  test('a React app that updates, removes and re-renders marked text keeps working, with no stale mark', async () => {
    await driver.open(url('/hostile/framework.html'));
    const marked = () => driver.evaluate(markedMentionsInPage);
    await eventually(marked, (m) => m.length === 5, { what: 'the first marks' });
    // Renders `state` and reads, before the next paint, what the reader sees.
    const renderAndRead = (state) =>
      driver.evaluate(async (s) => {
        window.app.render(s);
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const text = (id) => document.getElementById(id)?.textContent ?? null;
        return { errors: window.app.errors, status: text('status'), mixed: text('mixed'), list: text('list') };
      }, state);
    // Cases: the app's next state, what the page must show at once, and the mentions marked
    // once the extension has caught up.
    const steps = [
      [
        { company: 'a small firm', items: ['Hootsuite', 'GitHub', 'Microsoft'], showList: true },
        { status: 'a small firm won a contract.', mixed: 'Staff at a small firm protested.' },
        ['Hootsuite', 'GitHub', 'Microsoft'],
      ],
      [
        { company: 'Palantir Technologies', items: ['GitHub', 'Microsoft'], showList: true },
        { status: 'Palantir Technologies won a contract.', mixed: 'Staff at Palantir Technologies protested.' },
        ['Palantir Technologies', 'Palantir Technologies', 'GitHub', 'Microsoft'],
      ],
      [
        { company: 'Palantir Technologies', items: ['Microsoft', 'Hootsuite', 'GitHub'], showList: true },
        { status: 'Palantir Technologies won a contract.', mixed: 'Staff at Palantir Technologies protested.' },
        ['Palantir Technologies', 'Palantir Technologies', 'Microsoft', 'Hootsuite', 'GitHub'],
      ],
      [
        { company: 'Hootsuite', items: [], showList: false },
        { status: 'Hootsuite won a contract.', mixed: 'Staff at Hootsuite protested.' },
        ['Hootsuite', 'Hootsuite'],
      ],
    ];
    for (const [state, shown, mentions] of steps) {
      const seen = await renderAndRead(state);
      assert.deepEqual(seen.errors, [], `no error after ${JSON.stringify(state)}`);
      assert.equal(seen.status, shown.status, 'no lost or duplicated text');
      assert.equal(seen.mixed, shown.mixed, 'no lost or duplicated text');
      const list = state.showList ? state.items.map((i) => `${i} was named.`).join('') : null;
      assert.equal(seen.list, list);
      await eventually(marked, (m) => JSON.stringify(m) === JSON.stringify(mentions), { what: `marks after ${state.company}` });
    }
  });

  for (const [kind, what] of [
    ['text', 'a 20 MB page'],
    ['inline', 'a block of 20,000 inline elements'],
    ['rows', '10,000 rows appended one by one'],
  ]) {
    test(`${what} is marked in slices: the page is never held for long`, async (t) => {
      await driver.open(url(`/hostile/huge.html?kind=${kind}`));
      if (kind === 'rows') await driver.evaluate(() => window.appendRows());
      // The first MAX_MARKS mentions (1000), in page order; then nothing more to do. The long
      // block's, and all on a page of 20,000 paragraphs, are drawn (content/drawn.js): ranges in
      // the page's highlight registry, which the page can read, and no element. The rows may be
      // either: the page may hold 10,000 of them by the time the first batch of them is read.
      const marks = async () => (await drawnCount()) + (await count('contractlensmark[aria-haspopup]'));
      await eventually(marks, (n) => n === 1000, { ms: 60000, what: '1000 marks' });
      if (kind !== 'rows') assert.equal(await count('contractlensmark'), 0, 'nothing wrapped');
      await eventually(
        () => driver.evaluate(() => window.heartbeat.ticks),
        (n) => n > 20,
        { what: 'the page to tick' },
      );
      const { longest, over100, heldOver50 } = await driver.evaluate(() => window.heartbeat);
      t.diagnostic(
        `${driver.name}: the page's longest wait ${Math.round(longest)} ms; waits over 100 ms: ${over100}; held in waits over 50 ms: ${Math.round(heldOver50)} ms`,
      );
      // Measured before slicing: 1.0 s, 2.1 s and 3 s. A slice is 10 ms; the bound leaves room
      // for a slow machine and the page's own work (building 20 MB of paragraphs).
      assert.ok(longest < 400, `the page waited ${Math.round(longest)} ms at most`);
    });
  }

  test("a drawn mention opens its card under the reader's pointer, and only there", async () => {
    await driver.open(url('/hostile/huge.html?kind=inline'));
    await driver.moveTo(1, 1);
    await eventually(drawnCount, (n) => n === 1000, { ms: 60000, what: '1000 drawn mentions' });
    // The 3rd mention's middle, and a point on the number after it ("Hootsuite 2").
    const [mention, number] = await driver.evaluate(() => {
      const span = document.querySelectorAll('#content span')[2];
      span.scrollIntoView({ block: 'center' });
      const range = document.createRange();
      range.setStart(span.firstChild, 0);
      range.setEnd(span.firstChild, 'Hootsuite'.length);
      const r = range.getBoundingClientRect();
      range.setStart(span.firstChild, span.firstChild.data.length - 1);
      range.setEnd(span.firstChild, span.firstChild.data.length);
      const n = range.getBoundingClientRect();
      return [
        { x: Math.round(r.left + r.width / 2), y: Math.round(r.top + r.height / 2) },
        { x: Math.round(n.left + n.width / 2), y: Math.round(n.top + n.height / 2) },
      ];
    });
    await driver.moveTo(number.x, number.y);
    // Longer than the hover delay: a card would have opened by then.
    await driver.evaluate(() => new Promise((resolve) => setTimeout(resolve, 600)));
    assert.equal(await count('[data-contract-lens=card]'), 0, 'no card off the mention');
    await driver.moveTo(mention.x, mention.y);
    await eventually(
      () =>
        driver.evaluate(
          () => document.querySelector('[data-contract-lens=card]')?.shadowRoot?.querySelector('.card h2')?.textContent ?? null,
        ),
      (title) => title === 'Hootsuite',
      { what: "Hootsuite's card" },
    );
    assert.equal(
      await driver.evaluate(() => document.querySelector('[data-contract-lens=card]').parentElement.id),
      'content',
      "the card's element is not inside the long block",
    );
    await driver.moveTo(1, 1);
    await eventually(
      () => count('[data-contract-lens=card]'),
      (n) => n === 0,
      { what: 'the card to close once the pointer left' },
    );
  });

  test('a failed first scan is retried, and a page that cannot be annotated says why in the popup', async () => {
    await extensionCall("return api.runtime.sendMessage({ type: 'failScans', count: 1 })");
    await driver.open(url('/article.html'));
    await eventually(
      () => count('contractlensmark[aria-haspopup]'),
      (n) => n === 7,
      { what: 'the marks, on the second try' },
    );
    await extensionCall("return api.runtime.sendMessage({ type: 'failScans', count: 100 })");
    await driver.open(url('/article.html'));
    const popup = await driver.extensionPage('popup/popup.html');
    await eventually(
      async () => {
        const again = await driver.extensionPage('popup/popup.html');
        const text = await again.text('#status');
        await again.close();
        return text;
      },
      (text) => /could not be annotated: a failure the tests asked for/.test(text),
      { ms: 15000, what: 'the popup to say why' },
    );
    await popup.close();
    await extensionCall("return api.runtime.sendMessage({ type: 'failScans', count: 0 })");
  });

  test('a core that fails to start is not restarted on every request, and pages get marked once it starts', async () => {
    const stats = () => extensionCall("return api.runtime.sendMessage({ type: 'stats' })");
    await extensionCall("return api.runtime.sendMessage({ type: 'failStarts', count: 1 })");
    const before = await stats();
    // Four scans in a row: the first start fails, the next three meet the pause after it.
    const replies = await extensionCall(`const replies = [];
      for (let i = 0; i < 4; i += 1) {
        replies.push(await api.runtime.sendMessage({ type: 'scan', blocks: ['Hootsuite'], options: { filters: {}, firstPerBlock: false, dismissed: [] } }));
      }
      return replies.map((r) => r.error ?? 'ok');`);
    assert.deepEqual(replies, [
      'a start failure the tests asked for',
      'the core could not start; trying again in 1 s',
      'the core could not start; trying again in 1 s',
      'the core could not start; trying again in 1 s',
    ]);
    assert.equal((await stats()).starts - before.starts, 1, 'one start, then a pause');
    // A page opened meanwhile is marked once the pause is over (its scan is tried again).
    await driver.open(url('/article.html'));
    await eventually(
      () => count('contractlensmark[aria-haspopup]'),
      (n) => n === 7,
      { ms: 15000, what: 'the marks after the pause' },
    );
  });

  const openArticle = async () => {
    await driver.open(url('/article.html'));
    await eventually(
      () => count('contractlensmark[aria-haspopup]'),
      (n) => n === 7,
      { what: 'the marks' },
    );
  };
  // runtime.reload() from the popup, which goes with the extension.
  const reloadExtension = async () => {
    const popup = await driver.extensionPage('popup/popup.html');
    await popup.evaluate(new Function('(globalThis.browser ?? globalThis.chrome).runtime.reload();')).catch(() => {});
    await popup.close().catch(() => {});
  };

  // The article's nodes as the page itself made them, and as they are now: the same list when
  // no mark is left and no text node is left split.
  const articleNodes = () =>
    driver.evaluate(async () => {
      const nodes = (/** @type {Node} */ root) => {
        const list = [];
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
        for (let n = walker.currentNode; n; n = walker.nextNode()) list.push(n.nodeType === 3 ? `"${n.data}"` : n.nodeName);
        return list;
      };
      const source = new DOMParser().parseFromString(await (await fetch(location.href)).text(), 'text/html');
      return { page: nodes(source.querySelector('article')), now: nodes(document.querySelector('article')) };
    });

  test('Firefox: marks an unloaded content script leaves are removed, the page as it was, when the extension is switched off', async (t) => {
    if (!driver.switchExtension) {
      t.skip(`${driver.name}: its orphaned script cleans up itself (the Chromium test below)`);
      return;
    }
    await openArticle();
    // As about:addons does. Firefox destroys the content script without letting it run; the
    // page itself is not touched, so nothing but the extension's stylesheet going can say so.
    await driver.switchExtension(false);
    await eventually(
      () => count('contractlensmark, [data-contract-lens]'),
      (n) => n === 0,
      { what: 'no mark left behind' },
    );
    const { page, now } = await articleNodes();
    assert.deepEqual(now, page, 'every text node whole again, nothing added');
    // Switched on again, Firefox starts the script in the open page, which is marked once.
    await driver.switchExtension(true);
    await eventually(
      () => count('contractlensmark[aria-haspopup]'),
      (n) => n === 7,
      { what: 'the marks once switched on' },
    );
  });

  test('Firefox: an extension reloaded under an open page (an update) leaves one set of marks, not two', async (t) => {
    if (driver.afterReload !== 'back') {
      t.skip(`${driver.name}: the extension does not come back after a reload`);
      return;
    }
    await openArticle();
    await driver.evaluate(() => {
      for (const mark of document.querySelectorAll('contractlensmark')) mark.setAttribute('data-old', '');
    });
    await reloadExtension();
    // The new copy marks the page, and the old copy's marks (labelled here) are gone: a page
    // with both would count 7 either way, as the old marks' text is never marked again.
    await eventually(
      async () => [await count('contractlensmark[data-old]'), await count('contractlensmark[aria-haspopup]')],
      ([old, marks]) => old === 0 && marks === 7,
      { what: "the new copy's marks alone" },
    );
    assert.equal(await count('contractlensmark contractlensmark'), 0, 'no mark inside a mark');
    const { page, now } = await articleNodes();
    const text = (nodes) =>
      nodes
        .filter((n) => n.startsWith('"'))
        .map((n) => n.slice(1, -1))
        .join('');
    assert.equal(text(now), text(page), 'the text reads as the page wrote it');
    await driver.evaluate(() => document.querySelector('contractlensmark[tabindex]').focus());
    await eventually(
      () => count('[data-contract-lens=card]'),
      (n) => n === 1,
      { what: "the new copy's card" },
    );
  });

  // Last: in Chromium the extension does not come back.
  test('Chromium: an extension switched off under an open page removes its marks', async (t) => {
    if (driver.afterReload !== 'gone') {
      t.skip(`${driver.name}: the tests above switch Firefox off and reload it`);
      return;
    }
    await openArticle();
    // Reloading an extension loaded from the command line unloads it in Chromium: the case of an
    // extension switched off under an open page.
    await reloadExtension();
    // The page does nothing: the script, cut off, notices by itself within seconds.
    await eventually(
      () => count('contractlensmark'),
      (n) => n === 0,
      { ms: 15000, what: 'the orphaned marks removed' },
    );
    const { page, now } = await articleNodes();
    assert.deepEqual(now, page, 'every text node whole again, nothing added');
    assert.match(await driver.evaluate(() => document.getElementById('lede').textContent), /Vancouver-based Hootsuite said/);
  });
}
