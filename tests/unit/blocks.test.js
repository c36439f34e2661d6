import {
  ARTICLE_READ_ELEMENTS,
  articleText,
  blocksToRescan,
  blocksUnder,
  collectBlocks,
  findArticle,
  inArticle,
  insideSkipped,
  MARK_TAG,
  PAUSE,
} from '../../extension/content/blocks.js';
import { deepEqual, equal, fixture, test } from './harness.js';

test('a block is the text of one block element, across inline elements', () => {
  const root = fixture('<p id="a">Staff at <b>Palantir</b> <a href="#">Technologies</a> said.</p><p id="b">Next.</p>');
  const blocks = collectBlocks(root);
  deepEqual(
    blocks.map((b) => b.text),
    ['Staff at Palantir Technologies said.', 'Next.'],
  );
  equal(blocks[0].element?.id, 'a');
  equal(blocks[0].nodes.length, 5, 'each text node kept, in order');
});

test('a long block pauses every 1,000 text nodes, and reads the same as without pauses', () => {
  const root = fixture(`<p>${'<b>x</b> '.repeat(1300)}Palantir</p><p>Next.</p>`);
  const steps = [...blocksUnder(root)];
  // 2,600 text nodes in the first block: a pause after the 1,000th and the 2,000th.
  deepEqual(
    steps.map((s) => (s === PAUSE ? 'pause' : s.nodes.length)),
    ['pause', 'pause', 2600, 1],
  );
  const [long] = collectBlocks(root);
  equal(long.text, `${'x '.repeat(1300)}Palantir`);
  deepEqual(
    long.lengths,
    long.nodes.map((n) => n.data.length),
    'lengths as read',
  );
});

test('code, form fields, buttons, editors and blank blocks are not read', () => {
  const root = fixture(
    '<p>Kept</p><pre>Hootsuite</pre><code>GitHub</code><textarea>Palantir</textarea><button>Share</button>' +
      '<div contenteditable="true">Editable</div><svg><text>Drawn</text></svg><p>   </p>',
  );
  deepEqual(
    collectBlocks(root).map((b) => b.text),
    ['Kept'],
  );
});

test('the walk goes on after a skipped element that ends its parents, at any depth', () => {
  // A skipped element as the last child of nested parents: what follows is found by climbing.
  const root = fixture(
    '<div><p>A <b>B <code>X</code></b></p></div><div><section><pre>Y</pre></section></div>C' +
      '<p>D <span><button>Z</button></span> E</p><textarea>W</textarea>',
  );
  deepEqual(
    collectBlocks(root).map((b) => b.text),
    ['A B ', 'C', 'D  E'],
  );
});

test('the walk reads exactly the text insideSkipped allows: inline editors, islands, a skipped root, design mode', () => {
  const root = fixture(
    '<p>Kept <span contenteditable="true">Edited <b>too</b></span> after</p><pre><span>a</span><span>b</span></pre>' +
      '<div contenteditable="true"><span contenteditable="false">Island</span></div><svg><text>Drawn</text></svg>' +
      '<div contenteditable="false"><p>Not an editor</p></div><table><tr><td>Cell <code>x</code> end</td></tr></table>',
  );
  const blocks = collectBlocks(root);
  deepEqual(
    blocks.map((b) => b.text),
    ['Kept  after', 'Not an editor', 'Cell  end'],
  );
  const read = new Set(blocks.flatMap((b) => b.nodes));
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode())
    equal(read.has(/** @type {Text} */ (node)), !insideSkipped(node), `"${node.textContent}"`);
  deepEqual(collectBlocks(/** @type {Node} */ (root.querySelector('pre'))), [], 'a root that is skipped itself');
  document.designMode = 'on';
  try {
    deepEqual(collectBlocks(root), [], 'a document in design mode is editable throughout');
  } finally {
    document.designMode = 'off';
  }
});

test('an element the page moved into an editor while the walk waited is looked at again', () => {
  // The walk had looked at the section (reading "Alpha."), then waited; meanwhile the page moved
  // the section into an editor. Told of a change, the walk does not read "Palantir." there.
  for (const told of [true, false]) {
    const root = fixture('<div id="editor" contenteditable="true"></div><section id="s"><p>Alpha.</p><p>Palantir.</p></section>');
    let changes = 0;
    const walk = blocksUnder(root, () => changes);
    equal(/** @type {any} */ (walk.next().value).text, 'Alpha.');
    root.querySelector('#editor')?.append(/** @type {Element} */ (root.querySelector('#s')));
    if (told) changes += 1;
    const rest = [...walk].filter((b) => b !== PAUSE).map((b) => /** @type {any} */ (b).text);
    // Not told, it goes on from what it knew: what the count of changes is for.
    deepEqual(rest, told ? [] : ['Palantir.'], told ? 'told of a change' : 'not told');
  }
});

test('a block element inside a paragraph starts a new block', () => {
  const root = fixture('<div>Before <div>inner</div> after</div>');
  deepEqual(
    collectBlocks(root).map((b) => b.text.trim()),
    ['Before', 'inner', 'after'],
  );
});

test('changed nodes are rescanned once, by their outermost block, never inside skipped elements', () => {
  const root = fixture('<section id="s"><p id="p">One <b id="b">two</b></p></section><pre id="pre">code</pre>');
  const b = /** @type {Element} */ (root.querySelector('#b'));
  const p = /** @type {Element} */ (root.querySelector('#p'));
  const s = /** @type {Element} */ (root.querySelector('#s'));
  const pre = /** @type {Element} */ (root.querySelector('#pre'));
  // Cases: the changed nodes, and the ids of the blocks to scan again.
  /** @type {[Node[], string[]][]} */
  const cases = [
    [[b], ['p']],
    [[/** @type {Node} */ (b.firstChild)], ['p']],
    [[b, p], ['p']],
    [[p, s], ['s']],
    [[pre.firstChild ?? pre], []],
    [[document.createElement('p')], []],
  ];
  for (const [changed, expected] of cases) {
    deepEqual(
      blocksToRescan(changed).map((n) => /** @type {Element} */ (n).id),
      expected,
      `after ${changed.map((n) => n.nodeName).join(',')}`,
    );
  }
});

test('the article is the <article> with the most text, else <main>, else where the paragraphs are', () => {
  const page = (/** @type {string} */ html) => new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const long = 'Palantir Technologies supplies software. '.repeat(5);
  // Cases: the page, and the id of its article (null: the whole page).
  /** @type {[string, string | null][]} */
  const cases = [
    [`<article id="teaser">Short.</article><article id="story"><p>${long}</p></article>`, 'story'],
    [`<nav>Menu</nav><main id="main"><p>${long}</p></main>`, 'main'],
    [`<div role="main" id="role"><p>${long}</p></div>`, 'role'],
    [`<div id="menu"><p>Home</p></div><div id="body"><p>${long}</p><p>${long}</p><p>${long}</p></div>`, 'body'],
    ['<div><p>Too little text to tell.</p></div>', null],
  ];
  for (const [html, expected] of cases) equal(findArticle(page(html))?.id ?? null, expected, html.slice(0, 40));
});

test('what is inside an element never read: code, controls, drawings, editors (their islands too), our marks', () => {
  const root = fixture(
    '<p id="plain">Text <b id="bold">bold</b></p><pre><span id="pre">x</span></pre><code id="code">x</code>' +
      '<svg><text id="svg">x</text></svg><math><mi id="math">x</mi></math><button><i id="button">x</i></button>' +
      '<div contenteditable="true"><p id="edit">x</p><span contenteditable="false" id="island">x</span></div>' +
      '<div contenteditable=""><p id="empty-attribute">x</p></div><div contenteditable="false"><p id="not-edit">x</p></div>' +
      '<div contenteditable="plaintext-only"><p id="plaintext">x</p></div>',
  );
  /** @type {[string, boolean][]} id, whether skipped */
  const cases = [
    ['plain', false],
    ['bold', false],
    ['pre', true],
    ['code', true],
    ['svg', true],
    ['math', true],
    ['button', true],
    ['edit', true],
    ['island', true],
    ['empty-attribute', true],
    ['not-edit', false],
    ['plaintext', true],
  ];
  for (const [id, expected] of cases) {
    const element = /** @type {Element} */ (root.querySelector(`#${id}`));
    equal(insideSkipped(element), expected, id);
    equal(insideSkipped(/** @type {Node} */ (element.firstChild)), expected, `${id}'s text`);
  }
  const mark = document.createElement(MARK_TAG);
  mark.textContent = 'Hootsuite';
  root.querySelector('#plain')?.append(mark);
  equal(insideSkipped(/** @type {Node} */ (mark.firstChild)), true, 'our own mark');
});

test('the article is weighed on the first ARTICLE_READ_ELEMENTS paragraphs or articles, not the whole page', () => {
  const page = (/** @type {string} */ html) => new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const line = 'Palantir Technologies supplies software to the agency, the records show. '.repeat(2);
  const early = `<p>${line}</p>`.repeat(ARTICLE_READ_ELEMENTS);
  // Past the budget, more text than all the early paragraphs together.
  const late = `<p>${line.repeat(ARTICLE_READ_ELEMENTS + 10)}</p>`;
  equal(findArticle(page(`<div id="early">${early}</div><div id="late">${late}</div>`))?.id, 'early');
  equal(
    findArticle(page(`<div id="early">${early.slice(0, 200)}</div><div id="late">${late}</div>`))?.id,
    'late',
    'within it, the most text',
  );
  const teasers = `<article id="first">Teaser.</article>${'<article>Teaser.</article>'.repeat(ARTICLE_READ_ELEMENTS - 1)}`;
  equal(findArticle(page(`${teasers}<article id="story">${late}</article>`))?.id, 'first', 'articles too');
});

test("navigation, footers and asides inside the article are not the article's text", () => {
  const root = fixture(
    '<article id="a"><header><h1 id="title">Hootsuite</h1></header><nav id="share">Share on LinkedIn</nav>' +
      '<p id="text">Hootsuite said.</p><aside id="related">GitHub</aside><footer id="foot">Google</footer></article><p id="out">Microsoft</p>',
  );
  const article = /** @type {Element} */ (root.querySelector('#a'));
  const at = (/** @type {string} */ id) => /** @type {Node} */ (root.querySelector(`#${id}`)?.firstChild);
  deepEqual(
    ['title', 'text', 'share', 'related', 'foot', 'out'].map((id) => inArticle(at(id), article)),
    [true, true, false, false, false, false],
  );
});

test('the kept answers for many nodes of one article are the answers asked one by one', () => {
  // Furniture nested in text and text nested in furniture, under shared ancestors, so that an
  // answer kept for an ancestor is reused both ways.
  const root = fixture(
    '<div id="page"><article id="a"><div><p><b id="t1">Hootsuite</b> said <i id="t2">so</i></p>' +
      '<nav><ul><li><span id="n1">Share</span></li><li id="n2">Mail</li></ul></nav><p><span role="navigation"><a id="n3">Next</a></span></p>' +
      '<p id="t3">Then <em id="t4">GitHub</em></p></div><aside><p id="n4">Related</p></aside></article>' +
      '<footer><p id="o1">Google</p></footer><p id="o2">Microsoft</p></div>',
  );
  const article = /** @type {Element} */ (root.querySelector('#a'));
  const ids = ['t1', 't2', 'n1', 'n2', 'n3', 't3', 't4', 'n4', 'o1', 'o2'];
  const nodes = ids.map((id) => /** @type {Node} */ (root.querySelector(`#${id}`)?.firstChild));
  const oneByOne = nodes.map((n) => inArticle(n, article));
  deepEqual(oneByOne, [true, true, false, false, false, true, true, false, false, false]);
  for (const order of [nodes, [...nodes].reverse()]) {
    const isArticleText = articleText(article);
    const kept = order.map((n) => isArticleText(n));
    deepEqual(order === nodes ? kept : kept.reverse(), oneByOne, 'in page order, then reversed');
  }
});
