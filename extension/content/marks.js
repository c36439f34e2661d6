// The marks on the page: wrapping mentions in <contractlensmark> elements, unwrapping them,
// and restoring the page's text exactly.
//
// A page's own text node is never moved: it is split (splitText) so that it keeps the text
// before the mention, possibly none, in its place, and only the nodes split off it, which are
// ours, are wrapped. A framework (React, Vue, ...) that later removes or rewrites its node
// therefore finds it where it left it; release() then drops what we split off that node, so
// the page shows exactly what the framework wrote (see the watcher's "touched" records).
import { MARK_TAG, mentionText, nodeAt, nodeStarts } from './blocks.js';

/**
 * @typedef {object} Mention a name the core found: a UTF-16 span of one block
 * @property {number} block
 * @property {number} start
 * @property {number} end
 * @property {number} company
 * @property {number} name
 * @property {boolean} statements whether the company made public statements
 */

/** @typedef {import('./blocks.js').Block & { lengths: number[] }} MeasuredBlock */
/** @typedef {{ company: number, name: number, found: string, mention: number, origin: Text }} MarkInfo */

// Text decoration never changes layout. Dotted: contracts; dashed: the company also made
// public statements. The colour is the text's own, so it reads on light and dark pages. It
// comes from the extension's stylesheet (marks.css, a variable no page sets): Firefox removes
// that stylesheet when it switches the extension off, so a mark it leaves behind turns
// transparent, and that change of colour is what leftovers.js waits for to remove it.
/** @param {boolean} statements */
const markStyle = (statements) =>
  [
    'display: inline !important',
    `text-decoration: underline ${statements ? 'dashed' : 'dotted'} var(${INK}, transparent) 1px !important`,
    'text-underline-offset: 0.2em !important',
    'text-decoration-skip-ink: none !important',
    'transition: text-decoration-color 1ms !important',
    'cursor: help',
  ].join(';');

/** The variable marks.css sets: gone, the extension's stylesheet is gone. */
export const INK = '--contract-lens-ink';
// On a mark whose next sibling is text split off the same page node as the mark's own text.
const TAIL = 'data-contract-lens-tail';
export const LEFTOVER_SELECTOR = `${MARK_TAG}[data-contract-lens=mark]`;

/**
 * Removes a mark that a copy of this script which can no longer run left behind (Firefox
 * unloads a content script without letting it clean up), rejoining its text with the text it
 * was split from, so the page's own node holds its whole text again. Call on the marks in
 * document order.
 * @param {Element} mark
 */
export function removeLeftover(mark) {
  const before = mark.previousSibling;
  const text = mark.firstChild;
  if (before?.nodeType === 3 && text?.nodeType === 3 && mark.childNodes.length === 1) {
    const tail = mark.hasAttribute(TAIL) ? mark.nextSibling : null;
    /** @type {Text} */ (before).data += /** @type {Text} */ (text).data;
    if (tail?.nodeType === 3) {
      /** @type {Text} */ (before).data += /** @type {Text} */ (tail).data;
      tail.remove();
    }
    mark.remove();
  } else {
    mark.replaceWith(...mark.childNodes);
  }
}

export class Marks {
  /** @param {Document} doc */
  constructor(doc) {
    this.doc = doc;
    /** @type {HTMLElement[]} every mark, in the order made */
    this.all = [];
    /** @type {Set<HTMLElement>} the first piece of each mention: it opens the card */
    this.firsts = new Set();
    /** @type {Map<Text, { created: Text[] }>} the page's split text node -> the nodes split off it */
    this.splits = new Map();
    // Only elements made here are marks (a page can create elements of the same name), and
    // what they stand for is kept here, not in attributes a page could rewrite.
    /** @type {WeakMap<Element, MarkInfo>} */
    this.info = new WeakMap();
    this.mentions = 0;
  }

  /**
   * Wraps the mentions of one block: one mark per text node a mention touches. Linear in the
   * block's nodes plus the mentions' pieces.
   * @param {MeasuredBlock} block
   * @param {Mention[]} mentions
   */
  wrapBlock(block, mentions) {
    const starts = nodeStarts(block.lengths);
    // Last mention first: splitting a node keeps the offsets of its earlier text valid.
    for (const mention of [...mentions].sort((a, b) => b.start - a.start)) {
      const pieces = [];
      for (let i = nodeAt(starts, mention.start); i < block.nodes.length && starts[i] < mention.end; i += 1) {
        const from = Math.max(mention.start, starts[i]);
        const to = Math.min(mention.end, starts[i] + block.lengths[i]);
        if (from < to) pieces.push({ node: block.nodes[i], start: from - starts[i], end: to - starts[i] });
      }
      const id = this.mentions++;
      const found = mentionText(block, starts, mention);
      for (let i = pieces.length - 1; i >= 0; i -= 1) this.wrapPiece(pieces[i], mention, id, found, i === 0);
    }
  }

  /**
   * @param {{ node: Text, start: number, end: number }} piece
   * @param {Mention} mention
   * @param {number} id the mention's number, shared by its pieces
   * @param {string} found the mention's text
   * @param {boolean} first
   */
  wrapPiece({ node, start, end }, mention, id, found, first) {
    let record = this.splits.get(node);
    if (!record) {
      record = { created: [] };
      this.splits.set(node, record);
    }
    const created = (/** @type {Text} */ piece) => {
      record.created.push(piece);
      return piece;
    };
    const tail = end < node.data.length;
    if (tail) created(node.splitText(end));
    // The page's node keeps the text before the mention, even none, and its place.
    const target = created(node.splitText(start));
    const parent = /** @type {Element} */ (target.parentNode);
    const mark = this.doc.createElement(MARK_TAG);
    // Says whose it is and how to rejoin its text (removeLeftover), not what it stands for.
    mark.setAttribute('data-contract-lens', 'mark');
    if (tail) mark.setAttribute(TAIL, '');
    mark.setAttribute('style', markStyle(mention.statements));
    if (first) {
      // Inside a link the link takes focus (and opens the card); a second stop would only
      // slow keyboard readers down.
      if (!parent.closest?.('a[href]')) mark.setAttribute('tabindex', '0');
      mark.setAttribute('aria-haspopup', 'dialog');
      this.firsts.add(mark);
    }
    parent.insertBefore(mark, target);
    mark.appendChild(target);
    this.all.push(mark);
    this.info.set(mark, { company: mention.company, name: mention.name, found, mention: id, origin: node });
  }

  /** Unwraps `marks` (their text stays split; restore() rejoins it). @param {Iterable<HTMLElement>} marks */
  unwrap(marks) {
    const gone = new Set(marks);
    for (const mark of gone) {
      const parent = mark.parentNode;
      if (parent) {
        while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
        mark.remove();
      }
      this.firsts.delete(mark);
      this.info.delete(mark);
    }
    this.all = this.all.filter((m) => !gone.has(m));
  }

  /**
   * The page changed or removed its node `origin`: what we split off it is dropped (its text
   * is the page's old text), and the other pieces of the mentions it held are unwrapped.
   * Returns whether `origin` had anything split off.
   * @param {Text} origin
   */
  release(origin) {
    const record = this.splits.get(origin);
    if (!record) return false;
    this.splits.delete(origin);
    const hit = new Set();
    for (const piece of record.created) {
      const mark = /** @type {HTMLElement | null} */ (piece.parentElement);
      const info = mark && this.info.get(mark);
      if (mark && info) {
        hit.add(info.mention);
        this.unwrap([mark]);
      }
      piece.remove();
    }
    this.unwrap(this.all.filter((m) => hit.has(this.info.get(m)?.mention)));
    return true;
  }

  /**
   * Answers the page's changes to what we marked, as they happen (before the next paint): text
   * of the page's that we split, rewritten or removed, takes what we split off it along; marks
   * leave content made editable (an editor must never save our elements into a document).
   * @param {MutationRecord[]} records
   * @returns {{ removedMarksFrom: Element[], removedNodes: boolean }} where the page removed
   *   marks of ours, and whether it removed any node
   */
  answer(records) {
    /** @type {Element[]} */
    const removedMarksFrom = [];
    let removedNodes = false;
    for (const record of records) {
      if (record.type === 'characterData') {
        if (this.isSplit(record.target)) this.release(/** @type {Text} */ (record.target));
      } else if (record.type === 'attributes') {
        const target = /** @type {HTMLElement} */ (record.target);
        if (target.isContentEditable) this.restore(target);
      } else {
        removedNodes ||= record.removedNodes.length > 0;
        for (const node of record.removedNodes) {
          // Removed, not moved: the page's node is gone, and so must what we split off it.
          if (this.isSplit(node) && !node.isConnected) this.release(/** @type {Text} */ (node));
          else if (this.isMark(node) && !node.isConnected) removedMarksFrom.push(/** @type {Element} */ (record.target));
        }
      }
    }
    return { removedMarksFrom, removedNodes };
  }

  /** Whether `node` is a page's text node we split. @param {Node} node */
  isSplit(node) {
    return this.splits.has(/** @type {Text} */ (node));
  }

  /** Forgets marks and splits the page has dropped from the document: nothing grows for ever. */
  prune() {
    for (const [origin, record] of this.splits) {
      if (!origin.isConnected && !record.created.some((n) => n.isConnected)) this.splits.delete(origin);
    }
    const gone = this.all.filter((m) => !m.isConnected);
    if (gone.length) this.unwrap(gone);
  }

  /**
   * Unwraps every mark (under `within`, if given) and rejoins every split text node: the DOM
   * is as it was before.
   * @param {Node} [within]
   */
  restore(within) {
    const inside = (/** @type {Node} */ node) => !within || within.contains(node);
    this.unwrap(this.all.filter(inside));
    for (const [node, record] of this.splits) {
      if (!inside(node)) continue;
      this.splits.delete(node);
      // Rejoin the pieces as they are now: the original text, or the page's own edits.
      const created = new Set(record.created);
      for (let next = node.nextSibling; next && created.has(/** @type {Text} */ (next)); next = node.nextSibling) {
        node.data += /** @type {Text} */ (next).data;
        next.remove();
        created.delete(/** @type {Text} */ (next));
      }
      // Pieces the page separated from its node by inserting its own: text it still shows,
      // left where it is. Pieces of a node the page removed: copies of its old text.
      if (!node.isConnected) for (const stray of created) stray.remove();
    }
  }

  /** The mark an event target is in, if it is one of ours. @param {EventTarget | null} target */
  from(target) {
    const mark = target instanceof Element ? target.closest(MARK_TAG) : null;
    return mark && this.info.has(mark) ? /** @type {HTMLElement} */ (mark) : null;
  }

  /** Whether `element` is one of our marks. @param {Node} element */
  isMark(element) {
    return this.info.has(/** @type {Element} */ (element));
  }

  /** The first of our marks inside `element` (a link that holds one). @param {Element} element */
  inside(element) {
    for (const mark of element.querySelectorAll(MARK_TAG)) if (this.info.has(mark)) return /** @type {HTMLElement} */ (mark);
    return null;
  }

  /** What `mark` stands for. @param {HTMLElement} mark */
  infoOf(mark) {
    return this.info.get(mark);
  }

  /** The first piece of the mention `mark` belongs to. @param {HTMLElement} mark */
  firstOf(mark) {
    if (this.firsts.has(mark)) return mark;
    const mention = this.info.get(mark)?.mention;
    return this.all.find((m) => this.firsts.has(m) && this.info.get(m)?.mention === mention) ?? mark;
  }

  /** The first pieces of the mentions still on the page, in page order. */
  mentionsInPageOrder() {
    return this.all
      .filter((m) => this.firsts.has(m) && m.isConnected)
      .sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  }

  /** @param {number} company */
  ofCompany(company) {
    return this.all.filter((m) => this.info.get(m)?.company === company);
  }
}
