import { blocksToRescan, collectBlocks } from '../../extension/content/blocks.js';
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
