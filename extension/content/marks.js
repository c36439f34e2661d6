// The marks on the page: wrapping mentions in <contract-lens-mark> elements (splitText, so the
// page's text nodes keep their identity and text), unwrapping them, and restoring every split
// node so the DOM is exactly as before.
import { MARK_TAG } from './blocks.js';

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

// Text decoration never changes layout. Dotted: contracts; dashed: the company also made
// public statements. The colour is the text's own, so it reads on light and dark pages.
/** @param {boolean} statements */
const markStyle = (statements) =>
  [
    `text-decoration: underline ${statements ? 'dashed' : 'dotted'} currentColor 1px`,
    'text-underline-offset: 0.2em',
    'text-decoration-skip-ink: none',
    'cursor: help',
  ].join(';');

export class Marks {
  /** @param {Document} doc */
  constructor(doc) {
    this.doc = doc;
    /** @type {HTMLElement[]} every mark, in the order made */
    this.all = [];
    /** @type {Set<HTMLElement>} the first piece of each mention: it opens the card */
    this.firsts = new Set();
    /** @type {Map<Text, { created: Text[] }>} split text node -> the nodes split off it */
    this.splits = new Map();
    // Only elements made here are marks: a page can create elements of the same name.
    /** @type {WeakSet<Element>} */
    this.ours = new WeakSet();
  }

  /**
   * Wraps one mention, which may cross text nodes: one mark per node it touches.
   * @param {MeasuredBlock} block
   * @param {Mention} mention
   */
  wrap(block, mention) {
    let offset = 0;
    const pieces = [];
    for (const [i, node] of block.nodes.entries()) {
      // Lengths as collected: splitting shortens a node while its later mentions wait.
      const length = block.lengths[i];
      const from = Math.max(mention.start, offset);
      const to = Math.min(mention.end, offset + length);
      if (from < to) pieces.push({ node, start: from - offset, end: to - offset });
      offset += length;
      if (offset >= mention.end) break;
    }
    // Last piece first keeps the earlier offsets into each original node valid.
    for (let i = pieces.length - 1; i >= 0; i -= 1) this.wrapPiece(pieces[i], mention, i === 0);
  }

  /**
   * @param {{ node: Text, start: number, end: number }} piece
   * @param {Mention} mention
   * @param {boolean} first
   */
  wrapPiece({ node, start, end }, mention, first) {
    let record = this.splits.get(node);
    if (!record) {
      record = { created: [] };
      this.splits.set(node, record);
    }
    if (end < node.data.length) record.created.push(node.splitText(end));
    let target = node;
    if (start > 0) {
      target = node.splitText(start);
      record.created.push(target);
    }
    const parent = /** @type {Element} */ (target.parentNode);
    const mark = this.doc.createElement(MARK_TAG);
    mark.setAttribute('style', markStyle(mention.statements));
    mark.dataset.company = String(mention.company);
    mark.dataset.name = String(mention.name);
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
    this.ours.add(mark);
  }

  /** Unwraps `marks` (their text stays split; restore() rejoins it). @param {HTMLElement[]} marks */
  unwrap(marks) {
    for (const mark of marks) {
      const parent = mark.parentNode;
      if (!parent) continue;
      while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
      mark.remove();
      this.firsts.delete(mark);
      this.ours.delete(mark);
    }
    const gone = new Set(marks);
    this.all = this.all.filter((m) => !gone.has(m));
  }

  /** Unwraps every mark and rejoins every split text node: the DOM is as it was before. */
  restore() {
    this.unwrap([...this.all]);
    for (const [node, record] of this.splits) {
      // Rejoin the pieces as they are now: the original text, or the page's own edits.
      const created = new Set(record.created);
      for (let next = node.nextSibling; next && created.has(/** @type {Text} */ (next)); next = node.nextSibling) {
        node.data += /** @type {Text} */ (next).data;
        next.remove();
        created.delete(/** @type {Text} */ (next));
      }
      for (const stray of created) stray.remove();
    }
    this.splits.clear();
  }

  /** The mark an event target is in, if it is one of ours. @param {EventTarget | null} target */
  from(target) {
    const mark = target instanceof Element ? target.closest(MARK_TAG) : null;
    return mark && this.ours.has(mark) ? /** @type {HTMLElement} */ (mark) : null;
  }

  /** The first of our marks inside `element` (a link that holds one). @param {Element} element */
  inside(element) {
    for (const mark of element.querySelectorAll(MARK_TAG)) if (this.ours.has(mark)) return /** @type {HTMLElement} */ (mark);
    return null;
  }

  /** The first piece of the mention `mark` belongs to. @param {HTMLElement} mark */
  firstOf(mark) {
    if (this.firsts.has(mark)) return mark;
    for (let i = this.all.indexOf(mark); i >= 0; i -= 1) if (this.firsts.has(this.all[i])) return this.all[i];
    return mark;
  }

  /** The first pieces of the mentions still on the page, in page order. */
  mentionsInPageOrder() {
    return this.all
      .filter((m) => this.firsts.has(m) && m.isConnected)
      .sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  }

  /** @param {number} company */
  ofCompany(company) {
    return this.all.filter((m) => Number(m.dataset.company) === company);
  }
}
