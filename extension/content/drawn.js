// Marks drawn instead of wrapped, in blocks too long to lay out again. Adding one element to a
// paragraph of 20,000 inline elements makes the browser lay the whole paragraph out again:
// 150 to 250 ms a frame in Chromium, every time marks are added. In such a block (at least
// DRAWN_BLOCK_NODES text nodes) each mention is a Range painted by the CSS Custom Highlight
// API (marks.css paints it as a faint tint): no element is added, nothing is laid out again,
// and the page's text nodes are not even split. The card finds a drawn mention under the
// pointer with caretPositionFromPoint (card.js). A drawn mention cannot take keyboard focus;
// the popup's list of companies opens its card (Annotator.reveal).
//
// On a page of at least DRAWN_PAGE_BLOCKS blocks every mention is drawn: there, adding one
// element anywhere costs a frame of laying the page out again, whatever the block (Chromium:
// 30 to 70 ms a frame with 20,000 paragraphs, 85 to 130 with 50,000; drawing ranges, about 20).
import { enclosingBlock, mentionText, nodeAt } from './blocks.js';

export const DRAWN_BLOCK_NODES = 1000;
// Counted: the elements that most often repeat as blocks (a count each, no walk in JS). The 98
// saved pages have at most 1,849 (wikipedia-2.html, of 9,887 elements), and wrapping costs each
// of them one frame (under 17 ms).
const REPEATED_BLOCKS = ['p', 'div', 'li', 'tr'];
export const DRAWN_PAGE_BLOCKS = 10000;
// The names marks.css paints: a company with contracts only, and one with public statements.
export const HIGHLIGHT = 'contract-lens';
export const HIGHLIGHT_STATEMENTS = 'contract-lens-statements';

/** One drawn mention. What it stands for is kept here, out of the page's reach. */
export class DrawnMention {
  /**
   * @param {Range} range
   * @param {Element} block
   * @param {Text[]} nodes
   * @param {import('./marks.js').Mention} mention
   * @param {string} found its text
   */
  constructor(range, block, nodes, { company, name, statements }, found) {
    this.range = range;
    this.block = block;
    /** the text nodes it touches */
    this.nodes = nodes;
    this.company = company;
    this.name = name;
    this.found = found;
    this.statements = statements;
  }

  /** Whether its text is still in the page. */
  get isConnected() {
    return !this.range.collapsed && this.range.startContainer.isConnected && this.range.endContainer.isConnected;
  }
}

export class DrawnMarks {
  /** @param {Document} doc */
  constructor(doc) {
    this.doc = doc;
    const view = /** @type {any} */ (doc.defaultView);
    // Both browsers have all three in pages; a content script's world is checked, not assumed.
    this.available = typeof view?.Highlight === 'function' && !!view.CSS?.highlights && typeof doc.caretPositionFromPoint === 'function';
    /** @type {Map<Element, DrawnMention[]>} block -> its drawn mentions */
    this.byBlock = new Map();
    /** @type {Map<Node, DrawnMention[]>} text node -> the drawn mentions that touch it */
    this.byNode = new Map();
    /** @type {{ plain: Highlight, statements: Highlight } | null} ours, registered on the first drawing */
    this.highlights = null;
    this.size = 0;
  }

  /**
   * Whether `block`'s mentions are drawn rather than wrapped.
   * @param {import('./blocks.js').Block} block
   * @param {boolean} pageTooLarge what `pageTooLarge()` said for this scan
   */
  wanted(block, pageTooLarge) {
    return this.available && !!block.element && (pageTooLarge || block.nodes.length >= DRAWN_BLOCK_NODES);
  }

  /** Whether the page is too large to lay out again for a mark: asked once a scan. */
  pageTooLarge() {
    if (!this.available) return false;
    let blocks = 0;
    for (const tag of REPEATED_BLOCKS) {
      blocks += this.doc.getElementsByTagName(tag).length;
      if (blocks >= DRAWN_PAGE_BLOCKS) return true;
    }
    return false;
  }

  /** Whether `target` (an event's) lies in a block with drawn mentions. @param {EventTarget | null} target */
  under(target) {
    if (!this.size || !(target instanceof Node)) return false;
    const block = enclosingBlock(target);
    return !!block && this.byBlock.has(block);
  }

  /**
   * Draws `mentions` of one block, after those drawn there before (the annotator forgets a
   * block's drawn mentions before it scans it again, and draws its new ones a slice at a time).
   * @param {import('./marks.js').MeasuredBlock} block
   * @param {number[]} starts where each of its nodes starts (`nodeStarts`)
   * @param {import('./marks.js').Mention[]} mentions in page order
   */
  drawBlock(block, starts, mentions) {
    const element = /** @type {Element} */ (block.element);
    const highlights = this.registered();
    const drawn = this.byBlock.get(element) ?? [];
    for (const mention of mentions) {
      const first = nodeAt(starts, mention.start);
      const last = nodeAt(starts, mention.end - 1);
      const range = this.doc.createRange();
      range.setStart(block.nodes[first], mention.start - starts[first]);
      range.setEnd(block.nodes[last], mention.end - starts[last]);
      const one = new DrawnMention(range, element, block.nodes.slice(first, last + 1), mention, mentionText(block, starts, mention));
      for (const node of one.nodes) {
        const list = this.byNode.get(node) ?? [];
        list.push(one);
        this.byNode.set(node, list);
      }
      (mention.statements ? highlights.statements : highlights.plain).add(range);
      drawn.push(one);
    }
    this.byBlock.set(element, drawn);
    this.size += mentions.length;
  }

  /** Our highlights, registered again if the page replaced or deleted them. */
  registered() {
    const view = /** @type {any} */ (this.doc.defaultView);
    this.highlights ??= { plain: new view.Highlight(), statements: new view.Highlight() };
    const registry = view.CSS.highlights;
    if (registry.get(HIGHLIGHT) !== this.highlights.plain) registry.set(HIGHLIGHT, this.highlights.plain);
    if (registry.get(HIGHLIGHT_STATEMENTS) !== this.highlights.statements) registry.set(HIGHLIGHT_STATEMENTS, this.highlights.statements);
    return this.highlights;
  }

  /** Stops drawing the mentions of `block` (scanned again). @param {Element | null} block */
  forgetBlock(block) {
    const drawn = block && this.byBlock.get(block);
    if (drawn) this.forget(drawn);
  }

  /** Stops drawing `mentions`. @param {Iterable<DrawnMention>} mentions */
  forget(mentions) {
    const gone = new Set(mentions);
    if (!gone.size) return;
    // Only the lists that hold them: a page drawn whole has a list per block.
    const blocks = new Set();
    const nodes = new Set();
    for (const one of gone) {
      this.highlights?.plain.delete(one.range);
      this.highlights?.statements.delete(one.range);
      blocks.add(one.block);
      for (const node of one.nodes) nodes.add(node);
    }
    for (const block of blocks) {
      const list = this.byBlock.get(block) ?? [];
      const kept = list.filter((one) => !gone.has(one));
      this.size -= list.length - kept.length;
      if (kept.length) this.byBlock.set(block, kept);
      else this.byBlock.delete(block);
    }
    for (const node of nodes) {
      const kept = (this.byNode.get(node) ?? []).filter((one) => !gone.has(one));
      if (kept.length) this.byNode.set(node, kept);
      else this.byNode.delete(node);
    }
  }

  /** Forgets mentions whose text the page removed. */
  prune() {
    this.forget(this.all().filter((one) => !one.isConnected));
  }

  /** Stops drawing everything and unregisters our highlights (never a page's own). */
  clear() {
    this.forget(this.all());
    const registry = /** @type {any} */ (this.doc.defaultView)?.CSS?.highlights;
    if (this.highlights && registry) {
      if (registry.get(HIGHLIGHT) === this.highlights.plain) registry.delete(HIGHLIGHT);
      if (registry.get(HIGHLIGHT_STATEMENTS) === this.highlights.statements) registry.delete(HIGHLIGHT_STATEMENTS);
    }
  }

  /** Every drawn mention. */
  all() {
    return [...this.byBlock.values()].flat();
  }

  /** @param {number} company */
  ofCompany(company) {
    return this.all().filter((one) => one.company === company);
  }

  /**
   * The drawn mention under the viewport point (x, y), if any: the caret position there names
   * a text node and offset; the mention must also cover the point (a caret snaps to the
   * nearest character, also past a line's end).
   * @param {number} x
   * @param {number} y
   */
  at(x, y) {
    const caret = this.doc.caretPositionFromPoint(x, y);
    const node = caret?.offsetNode;
    const candidates = node ? this.byNode.get(node) : undefined;
    if (!node || !candidates || !caret) return null;
    for (const one of candidates) {
      if (!one.range.isPointInRange(node, caret.offset)) continue;
      for (const rect of one.range.getClientRects()) {
        if (x >= rect.left && x <= rect.right && y >= rect.top && y <= rect.bottom) return one;
      }
    }
    return null;
  }
}
