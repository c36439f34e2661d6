// Which text the annotator reads, and how it groups it into blocks for the core. A block is a
// run of text nodes under one block-level element; a name split by inline elements
// ("<b>Palantir</b> Technologies") stays whole, and no name spans two blocks.

// A name with no hyphen: a page can define custom elements only with hyphenated names, so it
// cannot take over ours (upgrade them with its own code).
export const MARK_TAG = 'contractlensmark';

// Never annotate inside these: code, form fields, scripts, our own UI. The core's HTML reader
// (src/html.rs) skips the same tags; tests/shared_lists.rs keeps the two lists equal.
// biome-ignore format: a table reads better than a column
export const SKIP_TAGS = new Set([
  'SCRIPT', 'STYLE', 'NOSCRIPT', 'TEXTAREA', 'INPUT', 'SELECT', 'OPTION', 'CODE', 'PRE', 'KBD',
  'SAMP', 'TEMPLATE', 'IFRAME', 'OBJECT', 'SVG', 'MATH', 'CANVAS', 'BUTTON', 'HEAD', 'TITLE',
  MARK_TAG.toUpperCase(),
]);

// Text flows across these, so a name split by them is still one name; any other element
// starts a new block.
// biome-ignore format: a table reads better than a column
export const INLINE_TAGS = new Set([
  'A', 'ABBR', 'B', 'BDI', 'BDO', 'BIG', 'CITE', 'DATA', 'DEL', 'DFN', 'EM', 'FONT', 'I', 'INS',
  'LABEL', 'MARK', 'Q', 'S', 'SMALL', 'SPAN', 'STRONG', 'SUB', 'SUP', 'TIME', 'TT', 'U', 'VAR',
]);

/**
 * @typedef {object} Block
 * @property {Element | null} element the block-level ancestor the nodes share
 * @property {Text[]} nodes its text nodes, in document order
 * @property {string} text their text, joined
 */

/** @param {Element} el */
const skipped = (el) => SKIP_TAGS.has(el.tagName.toUpperCase()) || /** @type {HTMLElement} */ (el).isContentEditable;

/** Whether `node` is inside (or is) an element the annotator never reads. @param {Node} node */
export function insideSkipped(node) {
  for (let el = node.nodeType === Node.ELEMENT_NODE ? /** @type {Element} */ (node) : node.parentElement; el; el = el.parentElement) {
    if (skipped(el)) return true;
  }
  return false;
}

/** The nearest ancestor of `node` that is not inline. @param {Node} node */
export function blockOf(node) {
  let el = node.parentElement;
  while (el && INLINE_TAGS.has(el.tagName.toUpperCase())) el = el.parentElement;
  return el;
}

/**
 * Text nodes under `root`, grouped into runs that share a block ancestor, one block at a time
 * (the annotator takes them in slices); blocks of blank text are left out.
 * @param {Node} root
 * @returns {Generator<Block, void, void>}
 */
export function* blocksUnder(root) {
  const doc = root.ownerDocument || /** @type {Document} */ (root);
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      if (node.nodeType === Node.ELEMENT_NODE) {
        return skipped(/** @type {Element} */ (node)) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP;
      }
      return NodeFilter.FILTER_ACCEPT;
    },
  });
  /** @type {Block | null} */
  let current = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = /** @type {Text} */ (node);
    const block = blockOf(text);
    if (!current || current.element !== block) {
      if (current && current.text.trim() !== '') yield current;
      current = { element: block, nodes: [], text: '' };
    }
    current.nodes.push(text);
    current.text += text.data;
  }
  if (current && current.text.trim() !== '') yield current;
}

/** Every block under `root` at once (tests, small subtrees). @param {Node} root */
export function collectBlocks(root) {
  return [...blocksUnder(root)];
}

/**
 * The subtrees to scan again after the page changed `nodes`: each changed node's block (a new
 * text node may complete a name its block already holds), outside skipped elements, and only
 * the outermost, so nothing is scanned twice. A change whose block is the whole page (text
 * straight under <body>) rescans only the changed element, not the page.
 * @param {Iterable<Node>} nodes
 * @returns {Node[]}
 */
export function blocksToRescan(nodes) {
  /** @type {Set<Node>} */
  const blocks = new Set();
  for (const node of nodes) {
    if (!node.isConnected) continue;
    const isBlock = node.nodeType === Node.ELEMENT_NODE && !INLINE_TAGS.has(/** @type {Element} */ (node).tagName.toUpperCase());
    let block = isBlock ? node : (blockOf(node.firstChild ?? node) ?? node);
    const doc = node.ownerDocument;
    if (!isBlock && (block === doc?.body || block === doc?.documentElement)) block = node;
    if (!insideSkipped(block)) blocks.add(block);
  }
  // Outermost only, by looking up each one's ancestors: linear in the changes, not quadratic.
  return [...blocks].filter((b) => {
    for (let up = b.parentNode; up; up = up.parentNode) if (blocks.has(up)) return false;
    return true;
  });
}

/** The nearest element at or above `node` that is not inline. @param {Node} node */
export function enclosingBlock(node) {
  let el = node.nodeType === Node.ELEMENT_NODE ? /** @type {Element} */ (node) : node.parentElement;
  while (el && INLINE_TAGS.has(el.tagName.toUpperCase())) el = el.parentElement;
  return el;
}
