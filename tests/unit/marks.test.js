import { collectBlocks } from '../../extension/content/blocks.js';
import { Marks } from '../../extension/content/marks.js';
import { deepEqual, equal, fixture, ok, test } from './harness.js';

/** Wraps the `[start, end]` spans of the first block under `root`. @param {Element} root @param {[number, number][]} spans */
function wrapSpans(root, spans) {
  const marks = new Marks(document);
  const [block] = collectBlocks(root);
  const measured = { ...block, lengths: block.nodes.map((n) => n.data.length) };
  // Last first, as the annotator does: earlier offsets stay valid.
  for (const [start, end] of [...spans].sort((a, b) => b[0] - a[0])) {
    marks.wrap(measured, { block: 0, start, end, company: 7, name: 3, statements: start === 0 });
  }
  return marks;
}

test('a mention across inline elements gets one mark per piece, the first opening the card', () => {
  const root = fixture('<p>Staff at <b>Palantir</b> Technologies said.</p>');
  const marks = wrapSpans(root, [[9, 30]]);
  deepEqual(
    [...root.querySelectorAll('contract-lens-mark')].map((m) => m.textContent),
    ['Palantir', ' Technologies'],
  );
  equal(marks.all.length, 2);
  equal(marks.firsts.size, 1);
  const first = /** @type {HTMLElement} */ (root.querySelector('b contract-lens-mark'));
  ok(marks.firsts.has(first), 'the first piece is the one in <b>');
  equal(first.getAttribute('tabindex'), '0');
  equal(first.dataset.company, '7');
  equal(root.textContent, 'Staff at Palantir Technologies said.', 'the text reads the same');
});

test('restoring leaves the DOM exactly as it was, the same text nodes included', () => {
  const root = fixture('<p>Hootsuite and <i>FCN Inc.</i>, Hootsuite.</p>');
  const before = root.innerHTML;
  const original = /** @type {Text} */ (root.querySelector('p')?.firstChild);
  const marks = wrapSpans(root, [
    [0, 9],
    [14, 22],
    [24, 33],
  ]);
  equal(marks.all.length, 3);
  marks.restore();
  equal(root.innerHTML, before);
  equal(root.querySelector('p')?.firstChild, original, 'the page keeps its own text node');
  equal(marks.all.length, 0);
});

test("the page's own edits to marked text survive restoring", () => {
  const root = fixture('<p>Palantir Technologies won.</p>');
  const marks = wrapSpans(root, [[0, 21]]);
  const inMark = /** @type {Text} */ (marks.all[0].firstChild);
  inMark.data = 'Palantir Technologies Inc.';
  marks.restore();
  equal(root.textContent, 'Palantir Technologies Inc. won.');
  equal(root.querySelectorAll('contract-lens-mark').length, 0);
});

test('only marks the annotator made are marks: a page cannot forge one', () => {
  const root = fixture('<p>Palantir Technologies</p><p><contract-lens-mark data-company="1">Forged</contract-lens-mark></p>');
  const marks = wrapSpans(root, [[0, 21]]);
  const forged = root.querySelectorAll('contract-lens-mark')[1];
  equal(marks.from(forged), null);
  equal(marks.from(marks.all[0]), marks.all[0]);
  equal(marks.inside(root), marks.all[0]);
});

test('a mark inside a link is not a second tab stop', () => {
  const root = fixture('<p><a href="#x">GitHub</a></p>');
  const marks = wrapSpans(root, [[0, 6]]);
  equal(marks.all[0].hasAttribute('tabindex'), false);
  equal(marks.all[0].getAttribute('aria-haspopup'), 'dialog');
});
