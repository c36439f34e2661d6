import { collectBlocks } from '../../extension/content/blocks.js';
import { HIGHLIGHT, HIGHLIGHT_STATEMENTS } from '../../extension/content/drawn.js';
import marksCss from '../../extension/content/marks.css';
import { INK, LEFTOVER_SELECTOR, Marks, removeLeftover } from '../../extension/content/marks.js';
import { deepEqual, equal, fixture, ok, test, until } from './harness.js';

/** Wraps the `[start, end]` spans of the first block under `root`. @param {Element} root @param {[number, number][]} spans */
function wrapSpans(root, spans) {
  const marks = new Marks(document);
  const [block] = collectBlocks(root);
  const measured = { ...block, lengths: block.nodes.map((n) => n.data.length) };
  marks.wrapBlock(
    measured,
    spans.map(([start, end]) => ({ block: 0, start, end, company: 7, name: 3, statements: start === 0 })),
  );
  return marks;
}

test('a mention across inline elements gets one mark per piece, the first opening the card', () => {
  const root = fixture('<p>Staff at <b>Palantir</b> Technologies said.</p>');
  const marks = wrapSpans(root, [[9, 30]]);
  deepEqual(
    [...root.querySelectorAll('contractlensmark')].map((m) => m.textContent),
    ['Palantir', ' Technologies'],
  );
  equal(marks.all.length, 2);
  equal(marks.firsts.size, 1);
  const first = /** @type {HTMLElement} */ (root.querySelector('b contractlensmark'));
  ok(marks.firsts.has(first), 'the first piece is the one in <b>');
  equal(first.getAttribute('tabindex'), '0');
  equal(marks.infoOf(first)?.company, 7);
  equal(marks.infoOf(first)?.found, 'Palantir Technologies', "the mention's text, read across its pieces");
  equal(first.hasAttribute('data-company'), false, 'what a mark stands for is not in the page');
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
  equal(root.querySelectorAll('contractlensmark').length, 0);
});

test('only marks the annotator made are marks: a page cannot forge one', () => {
  const root = fixture('<p>Palantir Technologies</p><p><contractlensmark data-company="1">Forged</contractlensmark></p>');
  const marks = wrapSpans(root, [[0, 21]]);
  const forged = root.querySelectorAll('contractlensmark')[1];
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

test("the page's own text node is never moved: it keeps its place and the text before the mention", () => {
  const root = fixture('<p>Palantir Technologies won.</p><p>It was Palantir Technologies</p>');
  const [first, second] = [...root.querySelectorAll('p')].map((p) => /** @type {Text} */ (p.firstChild));
  const marks = new Marks(document);
  for (const block of collectBlocks(root)) {
    const start = block.text.indexOf('Palantir');
    marks.wrapBlock({ ...block, lengths: block.nodes.map((n) => n.data.length) }, [
      { block: 0, start, end: start + 21, company: 1, name: 1, statements: false },
    ]);
  }
  equal(first.parentElement?.tagName, 'P');
  equal(first.data, '', 'a mention at the start leaves the node empty, in place');
  equal(second.parentElement?.tagName, 'P');
  equal(second.data, 'It was ');
  equal(root.textContent, 'Palantir Technologies won.It was Palantir Technologies');
});

test('when the page rewrites or removes its node, release leaves exactly what the page wrote', () => {
  const root = fixture('<p id="a">Staff at <b>Palantir</b> Technologies protested.</p><p id="b">Hootsuite said</p>');
  const marks = new Marks(document);
  for (const block of collectBlocks(root)) {
    const name = block.text.includes('Palantir') ? 'Palantir Technologies' : 'Hootsuite';
    const start = block.text.indexOf(name);
    marks.wrapBlock({ ...block, lengths: block.nodes.map((n) => n.data.length) }, [
      { block: 0, start, end: start + name.length, company: 1, name: 1, statements: false },
    ]);
  }
  equal(marks.all.length, 3);
  // A framework rewrites the text node it rendered inside <b>.
  const bold = /** @type {Text} */ (root.querySelector('b')?.firstChild);
  bold.data = 'Acme';
  ok(marks.release(bold), 'the node had pieces split off');
  equal(root.querySelector('#a')?.textContent, 'Staff at Acme Technologies protested.');
  equal(root.querySelectorAll('#a contractlensmark').length, 0, "the mention's other piece is unwrapped too");
  // A framework removes the text node it rendered.
  const said = /** @type {Text} */ (root.querySelector('#b')?.firstChild);
  said.remove();
  marks.release(said);
  equal(root.querySelector('#b')?.textContent, '');
  equal(marks.all.length, 0);
});

test('switching off keeps text the page separated from its node by inserting its own', () => {
  const root = fixture('<p>Hootsuite said so.</p>');
  const marks = wrapSpans(root, [[0, 9]]);
  const p = /** @type {Element} */ (root.querySelector('p'));
  p.insertBefore(document.createElement('br'), p.querySelector('contractlensmark'));
  marks.restore();
  equal(p.textContent, 'Hootsuite said so.');
  equal(p.querySelectorAll('contractlensmark').length, 0);
});

test("marks a script could not clean up are removed by what the page holds, and the page's nodes get their whole text back", () => {
  const root = fixture('<p>Hootsuite and <i>FCN Inc.</i>, Hootsuite.</p><p>Staff at <b>Palantir</b> Technologies</p>');
  const before = root.innerHTML;
  const nodes = [...root.querySelectorAll('p, i, b')].map((e) => e.firstChild);
  const marks = new Marks(document);
  for (const block of collectBlocks(root)) {
    const spans = block.text.startsWith('Hootsuite')
      ? [
          [0, 9],
          [14, 22],
          [24, 33],
        ]
      : [[9, 30]];
    marks.wrapBlock(
      { ...block, lengths: block.nodes.map((n) => n.data.length) },
      spans.map(([start, end]) => ({ block: 0, start, end, company: 1, name: 1, statements: false })),
    );
  }
  equal(root.querySelectorAll(LEFTOVER_SELECTOR).length, 5);
  // Only what the DOM says: the Marks object (the unloaded script's) is not asked.
  for (const mark of root.querySelectorAll(LEFTOVER_SELECTOR)) removeLeftover(mark);
  equal(root.innerHTML, before);
  deepEqual(
    [...root.querySelectorAll('p, i, b')].map((e) => e.firstChild),
    nodes,
    "each page node is its element's first child again",
  );
  deepEqual(
    [...root.querySelectorAll('p, i, b')].map((e) => e.childNodes.length),
    [3, 1, 3, 1],
    'no text node left split',
  );
});

test("a mark's ink is the extension stylesheet's: without it the mark is transparent", async () => {
  const root = fixture('<p style="color: rgb(0, 0, 255)">Hootsuite</p>');
  const mark = wrapSpans(root, [[0, 9]]).all[0];
  equal(getComputedStyle(mark).getPropertyValue(INK), '');
  equal(getComputedStyle(mark).textDecorationColor, 'rgba(0, 0, 0, 0)');
  const sheet = document.createElement('style');
  sheet.textContent = marksCss;
  document.head.append(sheet);
  try {
    // The colour changes through a 1 ms transition (its start is what a page-world listener hears).
    await until(() => getComputedStyle(mark).textDecorationColor === 'rgb(0, 0, 255)');
  } finally {
    sheet.remove();
  }
  await until(() => getComputedStyle(mark).textDecorationColor === 'rgba(0, 0, 0, 0)');
});

test("both highlights of drawn marks are painted by the extension's stylesheet, apart, without text decoration", () => {
  const sheet = document.createElement('style');
  sheet.textContent = marksCss;
  document.head.append(sheet);
  try {
    /** @type {Map<string, CSSStyleDeclaration>} highlight name -> its style */
    const painted = new Map();
    for (const rule of /** @type {CSSStyleSheet} */ (sheet.sheet).cssRules) {
      if (!(rule instanceof CSSStyleRule)) continue;
      for (const [, name] of rule.selectorText.matchAll(/::highlight\(([\w-]+)\)/g)) painted.set(name, rule.style);
    }
    const plain = painted.get(HIGHLIGHT);
    const statements = painted.get(HIGHLIGHT_STATEMENTS);
    ok(plain?.backgroundColor && statements?.backgroundColor, 'both tinted');
    ok(plain?.backgroundColor !== statements?.backgroundColor, 'told apart');
    // A decoration makes Chromium work out ink overflow again on every change (marks.css).
    equal(`${plain?.textDecorationLine}${statements?.textDecorationLine}`, '');
  } finally {
    sheet.remove();
  }
});
