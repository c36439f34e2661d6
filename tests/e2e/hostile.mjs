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

  test('a page cannot open, read or drive the card, forge marks, or fill the storage', async () => {
    await driver.open(url('/hostile/drive.html'));
    await eventually(
      () => count('#real contract-lens-mark'),
      (n) => n === 1,
      { what: 'the real mark' },
    );
    const result = await driver.evaluate(() => window.attack());
    assert.equal(result.cardOpened, false, 'synthetic hover and tap open nothing');
    assert.equal(result.forgedOpened, false, 'a forged mark is not a mark');
    // The tests' build keeps the shadow root open to read the card; what ships closes it
    // (tests/build.test.mjs and the unit tier check the shipped mode).
    assert.equal(result.cardRead, 'open');
    assert.equal(await count('#real contract-lens-mark'), 1, '300 synthetic clicks on "Not this company" did nothing');
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
      () => count('#visible contract-lens-mark'),
      (n) => n === 1,
      { what: 'the visible mark' },
    );
    await eventually(
      () => count('#nounderline contract-lens-mark'),
      (n) => n === 1,
      { what: 'the mark under the page rule' },
    );
    for (const id of ['grid', 'flex', 'hidden', 'none', 'invisible']) assert.equal(await count(`#${id} contract-lens-mark`), 0, `#${id}`);
    const underline = await driver.evaluate(
      () => getComputedStyle(document.querySelector('#nounderline contract-lens-mark')).textDecorationLine,
    );
    assert.equal(underline, 'underline');
    assert.equal(await count('#doc contract-lens-mark'), 1);
    await driver.evaluate(() => {
      document.getElementById('doc').contentEditable = 'true';
    });
    await eventually(
      () => count('#doc contract-lens-mark'),
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
}
