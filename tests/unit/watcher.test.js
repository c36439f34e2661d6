import { PageWatcher } from '../../extension/content/watcher.js';
import { deepEqual, equal, fixture, test, until } from './harness.js';

test("a burst of the page's changes becomes one batch of outermost blocks", async () => {
  const root = fixture('<div id="feed"></div>');
  const feed = /** @type {Element} */ (root.querySelector('#feed'));
  /** @type {Node[][]} */
  const batches = [];
  const watcher = new PageWatcher(document, async (roots) => {
    batches.push(roots);
  });
  watcher.observe(root);
  const paragraph = (/** @type {number} */ i) => Object.assign(document.createElement('p'), { id: `p${i}`, textContent: `line ${i}` });
  // Ten paragraphs one by one, then thirty in one call, then a word into the first.
  for (let i = 0; i < 10; i += 1) feed.append(paragraph(i));
  const many = Array.from({ length: 30 }, (_, i) => paragraph(100 + i));
  const holder = document.createElement('div');
  holder.id = 'holder';
  feed.append(holder);
  holder.append(...many);
  feed.querySelector('#p0')?.append(' more');
  await until(() => batches.length > 0);
  watcher.stop();
  equal(batches.length, 1);
  const ids = batches[0].map((n) => /** @type {Element} */ (n).id);
  // Thirty added at once rescan their parent once; p0 appears once despite two changes.
  deepEqual(ids.sort(), ['holder', 'p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9']);
});

test('many changed nodes are sorted out in slices: the page runs before the batch; stopped meanwhile, none is handed over', async () => {
  for (const stopMeanwhile of [false, true]) {
    const root = fixture('<div id="rows"></div>');
    const rows = /** @type {Element} */ (root.querySelector('#rows'));
    /** @type {string[]} */
    const order = [];
    const watcher = new PageWatcher(document, async (roots) => {
      order.push(`batch of ${roots.length}`);
    });
    // Every 64 nodes past the slice: deterministic, where a real slice depends on the machine.
    watcher.sliceMs = 0;
    const page = new MessageChannel();
    page.port1.onmessage = () => {
      order.push('page');
      if (stopMeanwhile) watcher.stop();
    };
    const flush = watcher.flush.bind(watcher);
    watcher.flush = () => {
      page.port2.postMessage(null);
      return flush();
    };
    watcher.observe(root);
    for (let i = 0; i < 200; i += 1) rows.append(Object.assign(document.createElement('div'), { textContent: `Row ${i}` }));
    await until(() => order.length >= (stopMeanwhile ? 1 : 2));
    await new Promise((resolve) => setTimeout(resolve, 20));
    watcher.stop();
    page.port1.close();
    deepEqual(order, stopMeanwhile ? ['page'] : ['page', 'batch of 200']);
  }
});

test("the annotator's own changes, made quietly, cause no batch", async () => {
  const root = fixture('<p id="p">text</p>');
  let calls = 0;
  const watcher = new PageWatcher(document, async () => {
    calls += 1;
  });
  watcher.observe(root);
  watcher.quietly(() => root.querySelector('#p')?.append(document.createElement('span')));
  // A change of the page's own afterwards: exactly one batch, and it is that one.
  root.append(Object.assign(document.createElement('p'), { id: 'late', textContent: 'late' }));
  await until(() => calls > 0);
  await new Promise((resolve) => setTimeout(resolve, 50));
  watcher.stop();
  equal(calls, 1);
});

test('a text edit rescans the block of the edited node', async () => {
  const root = fixture('<p id="p">Hoot<b>s</b></p>');
  /** @type {Node[]} */
  let scanned = [];
  const watcher = new PageWatcher(document, async (roots) => {
    scanned = roots;
  });
  watcher.observe(root);
  const text = /** @type {Text} */ (root.querySelector('b')?.firstChild);
  text.data = 'suite';
  await until(() => scanned.length > 0);
  watcher.stop();
  deepEqual(
    scanned.map((n) => /** @type {Element} */ (n).id),
    ['p'],
  );
});
