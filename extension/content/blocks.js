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
 * @property {number[]} lengths each node's length in UTF-16 units as it was read: a node the
 *   page changed since shows a different length
 */

// What insideSkipped looks for above a node, in one call (`closest`) rather than a question per
// ancestor: a content script asks each through Firefox's wrappers, and 1,000 appended rows
// asked so took it 25 to 45 ms in one task. Editable: an editing host (not `false`) above, or
// the node's own element editable (which also covers a document in design mode).
const SKIPPED_ABOVE = `${[...SKIP_TAGS].map((tag) => tag.toLowerCase()).join(', ')}, [contenteditable]:not([contenteditable="false" i])`;

/** Whether `node` is inside (or is) an element the annotator never reads. @param {Node} node */
export function insideSkipped(node) {
  const el = node.nodeType === Node.ELEMENT_NODE ? /** @type {Element} */ (node) : node.parentElement;
  if (!el) return false;
  return !!(/** @type {HTMLElement} */ (el).isContentEditable) || el.closest(SKIPPED_ABOVE) !== null;
}

/** Whether text flows across `el` (a name split by it is still one name). @param {Element} el */
function isInline(el) {
  return INLINE_TAGS.has(el.tagName.toUpperCase());
}

/**
 * Whether `el` itself makes the text under it skipped: SKIPPED_ABOVE's rule, asked of one
 * element (the walk asks each element once, on its way down).
 * @param {Element} el
 */
function skipsWhatItHolds(el) {
  const editable = el.getAttribute('contenteditable');
  return SKIP_TAGS.has(el.tagName.toUpperCase()) || (editable !== null && editable.toLowerCase() !== 'false');
}

/**
 * What `blocksUnder` yields every PAUSE_NODES text nodes, so that its reader can give the page
 * its thread back in the middle of a block of 20,000 inline elements (80 ms to read at once)
 * and come back for the rest.
 */
export const PAUSE = Symbol('pause');
const PAUSE_NODES = 1000;

/**
 * Text nodes under `root`, grouped into runs that share a block ancestor, one block at a time
 * (the annotator takes them in slices), with a PAUSE now and then; blocks of blank text are
 * left out.
 * @param {Node} root
 * @param {() => number} pageChanges a count of the page's changes: when it moved between two
 *   steps of the walk (the page ran in between), the elements already looked at are looked at
 *   again, since the page may have moved them (into an editor, say)
 * @param {Element | null} [except] an element under root whose text is left out, as a skipped
 *   element's is (read on its own walk)
 * @returns {Generator<Block | typeof PAUSE, void, void>}
 */
export function* blocksUnder(root, pageChanges = () => 0, except = null) {
  const doc = root.ownerDocument || /** @type {Document} */ (root);
  // Editable throughout.
  if (doc.designMode === 'on') return;
  // Text nodes only, and no filter callback: each call into the page costs, most of all from a
  // content script in Firefox, through its wrappers (about 1 µs each). Visiting every element
  // too, to step over skipped ones, took Firefox about twice as long to read the longest saved
  // page. Instead, each element above some text is looked at once (`about`), and a skipped one
  // is stepped over from its first text.
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  /** @typedef {{ block: Element | null, skippedFrom: Element | null }} About */
  /** @type {Map<Element, About>} */
  const known = new Map();
  /**
   * The block of an element's text, and the outermost skipped element at or above it under
   * root. Each element is looked at once; up the tree without recursion, however deep the page.
   * @param {Element | null} el
   * @returns {About}
   */
  const about = (el) => {
    /** @type {Element[]} elements to look at, the nearest first */
    const unknown = [];
    /** @type {About} */
    let above = { block: null, skippedFrom: null };
    for (let up = el; up; up = up.parentElement) {
      const found = known.get(up);
      if (found) {
        above = found;
        break;
      }
      if (up === root) {
        // Root is skipped when it lies in a skipped element; its block may lie above it.
        above = { block: enclosingBlock(up), skippedFrom: insideSkipped(up) ? up : null };
        known.set(up, above);
        break;
      }
      unknown.push(up);
    }
    for (let i = unknown.length - 1; i >= 0; i -= 1) {
      const one = unknown[i];
      above = {
        block: isInline(one) ? above.block : one,
        skippedFrom: above.skippedFrom ?? (one === except || skipsWhatItHolds(one) ? one : null),
      };
      known.set(one, above);
    }
    return above;
  };
  let knownAt = pageChanges();
  /** Forgets what `about` knew if the page changed since it learnt it; whether it did. */
  const forgetIfChanged = () => {
    const now = pageChanges();
    if (Object.is(now, knownAt)) return false;
    knownAt = now;
    known.clear();
    return true;
  };
  /** @type {Block | null} */
  let current = null;
  let visited = 0;
  let node = walker.nextNode();
  while (node) {
    visited += 1;
    if (visited % PAUSE_NODES === 0) {
      yield PAUSE;
      forgetIfChanged();
    }
    const text = /** @type {Text} */ (node);
    const { block, skippedFrom } = about(text.parentElement);
    if (skippedFrom) {
      // A walker that shows text only finds the next text after the element's subtree, going
      // up past its ancestors (never shown) as far as root. (Looked at earlier, the element
      // may have moved since, when the page changed between two slices of the walk.)
      if (skippedFrom.contains(text)) {
        walker.currentNode = skippedFrom;
        node = walker.nextSibling();
      } else node = walker.nextNode();
      continue;
    }
    if (!current || current.element !== block) {
      if (current && current.text.trim() !== '') {
        yield current;
        if (forgetIfChanged()) {
          // This node was looked at before the page ran: again.
          current = null;
          continue;
        }
      }
      current = { element: block, nodes: [], text: '', lengths: [] };
    }
    const data = text.data;
    current.nodes.push(text);
    current.text += data;
    current.lengths.push(data.length);
    node = walker.nextNode();
  }
  if (current && current.text.trim() !== '') yield current;
}

/** Every block under `root` at once (tests, small subtrees). @param {Node} root @returns {Block[]} */
export function collectBlocks(root) {
  return [...blocksUnder(root)].filter((b) => b !== PAUSE);
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
  const walk = rescanRoots(nodes);
  for (;;) {
    const step = walk.next();
    if (step.done) return step.value;
  }
}

/**
 * `blocksToRescan` a little at a time: yields PAUSE every 64 nodes or blocks looked at (each a
 * few calls into the page: through Firefox's wrappers, 2,000 appended rows took 25 to 45 ms),
 * so that its caller can give the page a turn; returns the subtrees.
 * @param {Iterable<Node>} nodes
 * @returns {Generator<typeof PAUSE, Node[], void>}
 */
export function* rescanRoots(nodes) {
  let looked = 0;
  /** @type {Set<Node>} */
  const blocks = new Set();
  for (const node of nodes) {
    const block = blockToRescan(node);
    if (block) blocks.add(block);
    looked += 1;
    if (looked % 64 === 0) yield PAUSE;
  }
  // Outermost only, by looking up each one's ancestors: linear in the changes, not quadratic.
  const roots = [];
  for (const block of blocks) {
    if (outermost(block, blocks)) roots.push(block);
    looked += 1;
    if (looked % 64 === 0) yield PAUSE;
  }
  return roots;
}

/** A changed node's block, or null (gone from the page, or never read). @param {Node} node */
function blockToRescan(node) {
  if (!node.isConnected) return null;
  const isBlock = node.nodeType === Node.ELEMENT_NODE && !isInline(/** @type {Element} */ (node));
  let block = isBlock ? node : (enclosingBlock(node) ?? node);
  const doc = node.ownerDocument;
  if (!isBlock && (block === doc?.body || block === doc?.documentElement)) block = node;
  return insideSkipped(block) ? null : block;
}

/** Whether none of `block`'s ancestors is among `blocks`. @param {Node} block @param {Set<Node>} blocks */
function outermost(block, blocks) {
  for (let up = block.parentNode; up; up = up.parentNode) if (blocks.has(up)) return false;
  return true;
}

/** The nearest element at or above `node` that is not inline. @param {Node} node */
export function enclosingBlock(node) {
  let el = node.nodeType === Node.ELEMENT_NODE ? /** @type {Element} */ (node) : node.parentElement;
  while (el && isInline(el)) el = el.parentElement;
  return el;
}

// Inside the article, what is not the article's text: navigation, page furniture, controls.
const NOT_ARTICLE =
  'nav, footer, aside, header:not(article header), form, [role=navigation], [role=contentinfo], [role=banner], [role=complementary]';

// Weighing candidates copies their text: every paragraph of a page of 20,000 long ones took
// Firefox over 60 ms, in one task. The first ARTICLE_READ_ELEMENTS candidates, or as many as
// hold ARTICLE_READ_UNITS of text, decide (no saved page has more than 260 paragraphs).
export const ARTICLE_READ_ELEMENTS = 1000;
const ARTICLE_READ_UNITS = 1_000_000;

/**
 * `elements` with the length of their text (trimmed), as many as the reading budget allows.
 * @param {Iterable<Element>} elements
 * @returns {[Element, number][]}
 */
function weighed(elements) {
  /** @type {[Element, number][]} */
  const out = [];
  let units = 0;
  for (const element of elements) {
    if (out.length >= ARTICLE_READ_ELEMENTS || units >= ARTICLE_READ_UNITS) break;
    const text = element.textContent ?? '';
    units += text.length;
    out.push([element, text.trim().length]);
  }
  return out;
}

/**
 * The article of a page: its `<article>` (the one with the most text, if several), else
 * `<main>` or `[role=main]`, else the element whose paragraphs hold the most text. Null when
 * none stands out: then the whole page is the article.
 * @param {Document} doc
 * @returns {Element | null}
 */
export function findArticle(doc) {
  const articles = weighed(doc.querySelectorAll('article'));
  if (articles.length) return articles.reduce((best, one) => (one[1] > best[1] ? one : best))[0];
  const main = doc.querySelector('main, [role=main]');
  if (main) return main;
  // As readers' modes do: the parent of the most paragraph text.
  /** @type {Map<Element, number>} */
  const scores = new Map();
  for (const [p, length] of weighed(doc.querySelectorAll('p'))) {
    if (length < 80 || !p.parentElement) continue;
    scores.set(p.parentElement, (scores.get(p.parentElement) ?? 0) + length);
  }
  let best = null;
  let score = 0;
  for (const [element, total] of scores) {
    if (total > score) [best, score] = [element, total];
  }
  return score >= 500 ? best : null;
}

/** Whether `node` is part of the article's own text (not its navigation, footer or controls). @param {Node} node @param {Element} article */
export function inArticle(node, article) {
  return articleText(article)(node);
}

/**
 * `inArticle` for many nodes of one article: each element's answer is kept, so a block of
 * 20,000 mentions asks each ancestor once instead of once per mention.
 * @param {Element} article
 * @returns {(node: Node) => boolean}
 */
export function articleText(article) {
  /** @type {Map<Element, boolean>} */
  const known = new Map();
  /** @param {Element | null} element */
  const ofElement = (element) => {
    // Up to the article (its text), or past it to the top (outside), unless furniture comes first.
    /** @type {Element[]} */
    const path = [];
    let answer = false;
    for (let el = element; el; el = el.parentElement) {
      const seen = known.get(el);
      if (seen !== undefined) {
        answer = seen;
        break;
      }
      if (el === article) {
        answer = true;
        break;
      }
      if (el.matches(NOT_ARTICLE)) break;
      path.push(el);
    }
    for (const el of path) known.set(el, answer);
    return answer;
  };
  return (node) => ofElement(node.nodeType === Node.ELEMENT_NODE ? /** @type {Element} */ (node) : node.parentElement);
}

/**
 * Whether all of `block`'s own text is the article's, asked once instead of per mention: the
 * block is, and nothing inside it is furniture (a mention's inline ancestors lie inside it).
 * False when it cannot say: then each mention is asked.
 * @param {Element | null} block
 * @param {(node: Node) => boolean} isArticleText `articleText(article)`
 */
export function wholeBlockInArticle(block, isArticleText) {
  return !!block && isArticleText(block) && !block.querySelector(NOT_ARTICLE);
}

/** Where each node of a block starts, in UTF-16 units. @param {number[]} lengths */
export function nodeStarts(lengths) {
  const starts = [];
  let offset = 0;
  for (const length of lengths) {
    starts.push(offset);
    offset += length;
  }
  return starts;
}

/**
 * The page's text of `mention` in `block`, read from its nodes before any is split: what the
 * core names the mark by (its name as the data writes it).
 * @param {Block} block
 * @param {number[]} starts where each of its nodes starts
 * @param {{ start: number, end: number }} mention
 */
export function mentionText(block, starts, { start, end }) {
  let text = '';
  for (let i = nodeAt(starts, start); i < block.nodes.length && starts[i] < end; i += 1) {
    text += block.nodes[i].data.slice(Math.max(start - starts[i], 0), end - starts[i]);
  }
  return text;
}

/** The index of the node holding UTF-16 offset `at`, by binary search over node starts. @param {number[]} starts @param {number} at */
export function nodeAt(starts, at) {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= at) low = mid;
    else high = mid - 1;
  }
  return low;
}

// Splitting a text node that is a direct child of these adds layout items and moves content.
const ITEM_LAYOUTS = new Set(['flex', 'inline-flex', 'grid', 'inline-grid']);
const VISIBLE = { visibilityProperty: true };

/**
 * Whether a mention can be marked without changing what the reader sees: its text is
 * visible, and, when it is to be wrapped, no piece is a direct child of a flex or grid
 * container (splitting it would add layout items; a drawn mention splits nothing).
 * @param {Block & { lengths: number[] }} block
 * @param {number[]} starts where each of the block's nodes starts
 * @param {{ start: number, end: number }} mention
 * @param {boolean} [wrapped] whether it is to be wrapped (else drawn)
 */
export function markable(block, starts, mention, wrapped = true) {
  for (let i = nodeAt(starts, mention.start); i < block.nodes.length && starts[i] < mention.end; i += 1) {
    if (block.lengths[i] === 0) continue;
    const parent = block.nodes[i].parentElement;
    if (!parent?.checkVisibility(VISIBLE)) return false;
    if (wrapped && ITEM_LAYOUTS.has(parent.ownerDocument.defaultView?.getComputedStyle(parent).display ?? '')) return false;
  }
  return true;
}
