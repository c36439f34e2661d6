/*
 * Contract Lens annotator: the page side, shared by the extension (main.js) and the demo page.
 * One file per job:
 *
 *   page DOM ──blocks.js: TreeWalker──▶ text nodes ──grouped per block──▶ block strings
 *      (blocks.js also: the article, and which text may be marked)        │ backend.scan
 *                                                                           ▼ (Rust core)
 *   <contractlensmark> ◀──marks.js: splitText + wrap── UTF-16 spans of the companies to mark
 *     (drawn.js: in a block or on a page too large to lay out again, Ranges painted as highlights)
 *        │ card.js: hover (after a short delay), keyboard focus, a tap
 *        ▼
 *   card in a Shadow DOM ◀──card-view.js── backend.card(company): facts, each with its source
 *      (a big contractor's other awards: backend.contracts(company, slices), when opened)
 *      (headline.js: a statement next to the later record; dom.js: text only as text, links
 *      only https:; card.css)
 *
 *   watcher.js: what the page adds or changes later (single-page apps, infinite scroll) is
 *   scanned in bounded batches, never in reaction to our own changes; when the page rewrites
 *   or removes text we split, what we split off goes at once (marks.js: answer), so a
 *   framework's view of its own text stays true. Work is done in slices (yieldToPage).
 *   ../common/strings.js: the reader's language: words from _locales/, numbers, amounts,
 *   dates and plurals with Intl (English where the browser gives none).
 *
 *   clear(): unwrap every mark and rejoin every split text node: the DOM is exactly as before.
 *
 * Rules kept here: JavaScript never matches text, nor decides which company to mark (the core
 * does both); page and dataset text reach the DOM only through textContent; links only when
 * https:. Nothing here talks to the network.
 */

import { words as wordsFor } from '../common/strings.js';
import {
  articleText,
  blocksUnder,
  enclosingBlock,
  findArticle,
  markable,
  nodeAt,
  nodeStarts,
  PAUSE,
  wholeBlockInArticle,
} from './blocks.js';
import { HoverCard } from './card.js';
import { DrawnMarks } from './drawn.js';
import { Marks } from './marks.js';
import { PageWatcher, yieldToPage } from './watcher.js';

// A block whose marks the page removes this many times is left alone: a page that unwraps
// marks must not be re-marked for ever.
const REMOVALS_BEFORE_GIVING_UP = 2;
// Bounded work on any page. The page's main thread gets control back at least every SLICE_MS
// of collecting or wrapping; the core gets at most CHUNK_UNITS of text per message, and at most
// BLOCK_UNITS of one block; at most MAX_MARKS mentions are marked on a page (the first ones,
// in page order).
const SLICE_MS = 10;
const CHUNK_UNITS = 200_000;
// The first chunk of a scan is small (the top of the page, in page order), so that the first
// marks come after one short round trip instead of waiting for the core to scan a whole slice:
// FIRST_SLICE_MS of collecting, and longer, up to FIRST_SLICE_MAX_MS, while it holds less
// than FIRST_CHUNK_MIN_UNITS. Time alone gathered a few screens of text in Chromium but a
// quarter of that in Firefox, whose content scripts reach the page through wrappers: the first
// mark there often waited for a second scan.
const FIRST_SLICE_MS = 2;
const FIRST_SLICE_MAX_MS = 8;
const FIRST_CHUNK_MIN_UNITS = 8_000;
const FIRST_CHUNK_UNITS = 20_000;
const BLOCK_UNITS = 1_000_000;
export const MAX_MARKS = 1000;

/**
 * @typedef {object} ScanResult what the core returns for one scan
 * @property {ArrayLike<number>} mentions five numbers per mention: block, start, end, company, name
 * @property {{ company: number, id: string, name: string, statements: boolean }[]} companies
 */

/**
 * @typedef {object} Backend the core, wherever it runs (the extension's background, the demo page)
 * @property {(blocks: string[], dismissed: string[]) => Promise<ScanResult>} scan
 * @property {(company: number, name: number, found: string) => Promise<{ card: Record<string, any> | null, name: string }>} card
 *   a company's card as it opens (src/card.rs OpeningCard), and name `name` as the data writes
 *   it, from `found`, the mark's text on the page
 * @property {(company: number, slices: { from: number, to: number }[]) => Promise<Record<string, any>[][]>} contracts
 *   the contracts of each slice of the company's card (same filters as the card)
 * @property {(companies: number[]) => Promise<unknown>} [prepare] builds these companies' cards
 *   ahead, where building one is worth doing before it is asked for (the extension's background)
 */

/** @typedef {{ company: number, name: string, count: number }} MarkedCompany */

export class Annotator {
  /**
   * @param {object} options
   * @param {Backend} options.backend
   * @param {Document} [options.document]
   * @param {import('../common/strings.js').Words} [options.words] the reader's language (default: English)
   * @param {(companies: MarkedCompany[]) => void} [options.onChange] the companies marked changed
   * @param {(company: { id: string, name: string }) => void} [options.onDismiss] the reader said "Not this company"
   * @param {Iterable<string>} [options.dismissed] ids of the companies already dismissed on this page
   * @param {boolean} [options.articleOnly] mark only the article's text (the rest is counted)
   * @param {number} [options.maxMarks] at most this many marks (the benchmark lifts it to compare two matchers on a whole page)
   */
  constructor({
    backend,
    document: doc = globalThis.document,
    words = wordsFor(undefined, 'en'),
    onChange,
    onDismiss,
    dismissed = [],
    articleOnly = false,
    maxMarks = MAX_MARKS,
  }) {
    this.backend = backend;
    this.maxMarks = maxMarks;
    this.doc = doc;
    this.articleOnly = articleOnly;
    /** @type {Element | null} the article, once found (articleOnly) */
    this.article = null;
    // Mentions found outside the article and left unmarked, for the popup.
    this.outside = 0;
    this.dismissed = new Set(dismissed);
    this.onChange = onChange ?? (() => {});
    this.onDismiss = onDismiss ?? (() => {});
    /** @type {Map<number, { id: string, name: string }>} handle -> company, for those marked so far */
    this.known = new Map();
    // Bumped by clear(): a scan that returns after it is dropped.
    this.generation = 0;
    // Scans run one after another, so two never mark the same text.
    /** @type {Promise<unknown>} */
    this.queue = Promise.resolve();
    /** @type {WeakMap<Element, number>} block -> how often the page removed its marks */
    this.removals = new WeakMap();
    // Counts the page's bursts of changes: a slice of wrapping that sees it move stops.
    this.pageChanges = 0;
    // The page removed nodes: marks and splits it dropped are forgotten before the next scan.
    this.needsPrune = false;
    this.marks = new Marks(doc);
    this.drawn = new DrawnMarks(doc);
    this.watcher = new PageWatcher(
      doc,
      (roots) => this.annotate(roots),
      (records) => this.touched(records),
    );
    this.card = new HoverCard({
      doc,
      words,
      marks: this.marks,
      drawn: this.drawn,
      backend,
      quietly: (change) => this.watcher.quietly(change),
      dismiss: (company) => this.dismiss(company),
    });
  }

  /**
   * Marks every mention under `root` (or each of an array of roots, in one scan), after any
   * scan already under way. Resolves to the number of mentions marked.
   * @param {Node | Node[]} [root]
   * @returns {Promise<number>}
   */
  annotate(root = this.doc.body) {
    const run = this.queue.then(() => this.scanAndMark(root));
    this.queue = run.catch(() => 0);
    return run;
  }

  /** @param {Node | Node[]} root */
  async scanAndMark(root) {
    const generation = this.generation;
    if (this.needsPrune) {
      this.needsPrune = false;
      this.marks.prune();
      this.drawn.prune();
    }
    // At the mark limit the walk below would stop before its first block: the roots (2,000 a
    // batch on a page that keeps adding) are not even looked at.
    if (this.markCount() >= this.maxMarks) return 0;
    if (this.articleOnly && !this.article?.isConnected) this.article = findArticle(this.doc);
    const pageTooLarge = this.drawn.pageTooLarge();
    /** @type {{ root: Node, except?: Element }[]} */
    const walks = (Array.isArray(root) ? root : [root]).map((r) => ({ root: r }));
    // Marking the article only, a page's walk reads the article first and the rest of the page
    // after it (whose mentions are only counted): the first marks need not wait for scans of
    // the headers and navigation before the article (in Firefox, half the time on two news pages).
    const article = this.article;
    if (walks.length === 1 && article && walks[0].root !== article && walks[0].root.contains(article)) {
      walks.unshift({ root: article });
      walks[1].except = article;
    }
    const self = this;
    // Each root is looked at when its turn comes, with a look at the clock after each (a look is
    // a few calls into the page, through Firefox's wrappers in a content script). A root inside
    // a skipped element, blocksUnder finds so itself.
    const walk = (function* () {
      for (const { root: r, except } of walks) {
        if (r?.isConnected && !self.givenUp(r)) yield* blocksUnder(r, () => self.pageChangesNow(), except);
        yield PAUSE;
      }
    })();
    /** The next block, null after the last, or PAUSE when `deadline` passed before it. @param {number} deadline */
    const nextBlock = (deadline) => {
      for (;;) {
        const step = walk.next();
        if (step.done) return null;
        if (step.value !== PAUSE) return step.value;
        if (performance.now() >= deadline) return PAUSE;
      }
    };
    let marked = 0;
    // The page's changes counted before a chunk's blocks were read: its first block was read
    // with the chunk before it.
    let readSince = this.pageChangesNow();
    let block = nextBlock(performance.now() + FIRST_SLICE_MAX_MS);
    for (let first = true; block && this.markCount() < this.maxMarks; first = false) {
      const chunkReadSince = readSince;
      readSince = this.pageChangesNow();
      // One slice: blocks until the time or the text budget is spent, then one call to the core.
      const began = performance.now();
      const deadline = began + (first ? FIRST_SLICE_MAX_MS : SLICE_MS);
      const budget = first ? FIRST_CHUNK_UNITS : CHUNK_UNITS;
      /** @type {import('./blocks.js').Block[]} */
      const chunk = [];
      let units = 0;
      const timeLeft = first
        ? () => performance.now() < (units < FIRST_CHUNK_MIN_UNITS ? deadline : began + FIRST_SLICE_MS)
        : () => performance.now() < deadline;
      if (block === PAUSE) block = nextBlock(deadline);
      while (block && block !== PAUSE && units < budget && (!chunk.length || timeLeft())) {
        if (!(block.element && this.givenUp(block.element))) {
          chunk.push(block);
          units += Math.min(block.text.length, BLOCK_UNITS);
        }
        block = nextBlock(deadline);
      }
      if (chunk.length) marked += await this.scanChunk(chunk, generation, chunkReadSince, pageTooLarge);
      // Switched off (or re-run) while the core was working: stop here.
      if (generation !== this.generation) return 0;
      if (block) await yieldToPage();
    }
    if (marked) {
      const companies = this.companies();
      this.card.listen();
      this.card.prepare(companies.map((c) => c.company));
      this.onChange(companies);
    }
    return marked;
  }

  /**
   * Scans `blocks` in one call to the core and marks what it finds, yielding to the page
   * between slices of wrapping.
   * @param {import('./blocks.js').Block[]} blocks
   * @param {number} generation
   * @param {number} readSince `pageChangesNow()` before the blocks were read
   * @param {boolean} pageTooLarge `drawn.pageTooLarge()`, asked once per scan of the page
   */
  async scanChunk(blocks, generation, readSince, pageTooLarge) {
    // As read: a long block is read over several slices, and the page may change it meanwhile.
    const lengths = blocks.map((b) => b.lengths);
    const result = await this.backend.scan(
      blocks.map((b) => b.text.slice(0, BLOCK_UNITS)),
      [...this.dismissed],
    );
    if (generation !== this.generation) return 0;
    const statements = new Map(result.companies.map((c) => [c.company, c.statements]));
    for (const c of result.companies) this.known.set(c.company, { id: c.id, name: c.name });
    // Each block's mentions as offsets into the reply, made objects only when asked about: one
    // block can hold 20,000 mentions, of which at most the mark limit is marked.
    /** @type {Map<number, number[]>} */
    const byBlock = new Map();
    const flat = result.mentions;
    for (let i = 0; i + 4 < flat.length; i += 5) {
      // The dismissal may have come while the core was working.
      if (this.dismissed.has(this.known.get(flat[i + 3])?.id ?? '')) continue;
      const list = byBlock.get(flat[i]);
      if (list) list.push(i);
      else byBlock.set(flat[i], [i]);
    }
    /** @returns {import('./marks.js').Mention} @param {number} i */
    const mentionAt = (i) => ({
      block: flat[i],
      start: flat[i + 1],
      end: flat[i + 2],
      company: flat[i + 3],
      name: flat[i + 4],
      statements: !!statements.get(flat[i + 3]),
    });
    // The page changed this block while we were away: leave it alone rather than guess. When
    // the watcher saw no change of the page's since the block was read, none is looked for
    // node by node (a block of 40,000 text nodes took 15 ms in Chromium to check).
    const changed = (/** @type {number} */ index) => {
      const block = blocks[index];
      if (!block) return true;
      if (this.pageChangesNow() === readSince && this.watcher.covers(block.element ?? block.nodes[0])) return false;
      return block.nodes.some((n, i) => !n.isConnected || n.data.length !== lengths[index][i]);
    };
    // All reads, then all writes: whether a mention can be marked asks the browser for style
    // (checkVisibility), which after a write means restyling the page first. Asked block by
    // block between wraps, a 5 MB page spent 25 s on it in Chromium.
    /** @type {{ index: number, measured: import('./marks.js').MeasuredBlock, starts: number[], shown: import('./marks.js').Mention[], drawn: boolean }[]} */
    const plan = [];
    let room = this.maxMarks - this.markCount();
    const isArticleText = this.article ? articleText(this.article) : null;
    // Reading is sliced too (1,000 mentions of one block took 20 to 40 ms to ask about); what
    // the page changes meanwhile, the writes below look for.
    let readDeadline = performance.now() + SLICE_MS;
    const readingSpent = () => performance.now() > readDeadline;
    /** A pause for the page between slices of reading; whether to go on. */
    const pauseReading = async () => {
      await yieldToPage();
      readDeadline = performance.now() + SLICE_MS;
      return generation === this.generation;
    };
    // A drawn block in which the core now finds nothing: drawn no more (its ranges would
    // otherwise stay on whatever text the page put there).
    if (this.drawn.size) {
      blocks.forEach((block, index) => {
        if (!byBlock.has(index) && !changed(index)) this.drawn.forgetBlock(block.element);
      });
    }
    for (const [index, list] of byBlock) {
      if (readingSpent() && !(await pauseReading())) return 0;
      if (changed(index)) continue;
      const block = blocks[index];
      const measured = { ...block, lengths: lengths[index] };
      const starts = nodeStarts(measured.lengths);
      const inside =
        isArticleText && !wholeBlockInArticle(block.element, isArticleText)
          ? list.filter((i) => isArticleText(block.nodes[nodeAt(starts, flat[i + 1])]))
          : list;
      this.outside += list.length - inside.length;
      if (room <= 0) continue;
      if (readingSpent() && !(await pauseReading())) return 0;
      // The first `room` that can be marked, and no more asked: each answer costs style lookups,
      // and one block can hold 20,000 mentions.
      const drawn = this.drawn.wanted(measured, pageTooLarge);
      const shown = [];
      for (const i of inside) {
        if (shown.length >= room) break;
        if (shown.length % 64 === 63 && readingSpent() && !(await pauseReading())) return 0;
        const m = mentionAt(i);
        if (markable(measured, starts, m, !drawn)) shown.push(m);
      }
      // Wrapped, last first: splitting keeps the offsets of a node's earlier text valid, slice
      // to slice. Drawn, in page order.
      shown.sort(drawn ? (a, b) => a.start - b.start : (a, b) => b.start - a.start);
      room -= shown.length;
      plan.push({ index, measured, starts, shown, drawn });
    }
    let marked = 0;
    let deadline = performance.now() + SLICE_MS;
    for (const { index, measured, starts, shown, drawn } of plan) {
      if (changed(index)) continue;
      // Scanned whole again: what was drawn there before is replaced (or, the block shorter
      // now, wrapped instead).
      if (this.drawn.size) this.drawn.forgetBlock(measured.element);
      // Drawing is sliced as wrapping is, so that neither holds the page for more than a slice
      // however many mentions there are (the benchmarks lift the mark limit): each range is a
      // few calls into the page (1,000 took Firefox 9 to 19 ms in all).
      const changes = this.pageChanges;
      for (let at = 0; at < shown.length; ) {
        if (performance.now() > deadline) {
          await yieldToPage();
          deadline = performance.now() + SLICE_MS;
          if (generation !== this.generation) return marked;
          // The page changed things meanwhile: the rest of this block waits for the rescan
          // the watcher schedules for the page's changes.
          if (this.pageChanges !== changes) break;
        }
        const slice = shown.slice(at, at + 64);
        if (drawn) this.drawn.drawBlock(measured, starts, slice);
        else this.watcher.quietly(() => this.marks.wrapBlock(measured, slice));
        marked += slice.length;
        at += slice.length;
      }
    }
    return marked;
  }

  /** The count of the page's changes the watcher has seen, all delivered; NaN if it is not watching. */
  pageChangesNow() {
    this.watcher.deliver();
    return this.watcher.observer ? this.pageChanges : Number.NaN;
  }

  /** Mentions marked on the page, wrapped or drawn. */
  markCount() {
    return this.marks.firsts.size + this.drawn.size;
  }

  /** @param {Node} node */
  givenUp(node) {
    const block = enclosingBlock(node);
    return !!block && (this.removals.get(block) ?? 0) >= REMOVALS_BEFORE_GIVING_UP;
  }

  /**
   * The page's changes that touch our marks, as they happen (before the next paint): text we
   * split rewritten or removed, marks removed, content made editable.
   * @param {MutationRecord[]} records
   */
  touched(records) {
    if (records.length) this.pageChanges += 1;
    this.watcher.quietly(() => {
      const { removedMarksFrom, removedNodes } = this.marks.answer(records);
      if (removedNodes) this.needsPrune = true;
      // A drawn mention whose text went is no longer counted, nor listed in the popup.
      if (removedNodes && this.drawn.size) this.drawn.prune();
      for (const parent of removedMarksFrom) this.removedByPage(parent);
    });
  }

  /** @param {Element} parent where the page removed one of our marks from */
  removedByPage(parent) {
    const block = enclosingBlock(parent);
    if (block) this.removals.set(block, (this.removals.get(block) ?? 0) + 1);
  }

  /** Annotates what is added to or changed under `root` from now on. @param {Node} [root] */
  observe(root = this.doc.body) {
    this.watcher.observe(root);
  }

  /** Removes every mark and restores every text node: the DOM is as it was before. */
  clear() {
    this.generation += 1;
    this.outside = 0;
    this.card.destroy();
    this.watcher.stop();
    this.marks.restore();
    this.drawn.clear();
    this.onChange([]);
  }

  /** The companies marked on the page, in the order of their first mention, with their number of mentions. */
  companies() {
    /** @type {Map<number, number>} */
    const counts = new Map();
    /** @type {Map<number, { node: Node, block: Element | null }>} each company's first mention */
    const firsts = new Map();
    for (const mark of this.marks.mentionsInPageOrder()) {
      const company = this.marks.infoOf(mark)?.company ?? -1;
      counts.set(company, (counts.get(company) ?? 0) + 1);
      if (!firsts.has(company)) firsts.set(company, { node: mark, block: null });
    }
    const follows = (/** @type {Node} */ a, /** @type {Node} */ b) => !!(b.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING);
    // A block's drawn mentions are in page order: one comparison per company and block.
    for (const one of this.drawn.all()) {
      if (!one.isConnected) continue;
      counts.set(one.company, (counts.get(one.company) ?? 0) + 1);
      const first = firsts.get(one.company);
      if (first?.block === one.block) continue;
      const node = one.range.startContainer;
      if (!first || follows(first.node, node)) firsts.set(one.company, { node, block: one.block });
    }
    if (this.drawn.size) {
      const order = [...firsts].sort(([, a], [, b]) => (follows(a.node, b.node) ? 1 : -1)).map(([company]) => company);
      return order.map((company) => ({ company, name: this.known.get(company)?.name ?? '', count: counts.get(company) ?? 0 }));
    }
    return [...counts].map(([company, count]) => ({ company, name: this.known.get(company)?.name ?? '', count }));
  }

  /** Scrolls to the first mention of `company` and opens its card. @param {number} company */
  async reveal(company) {
    const mark = this.marks.ofCompany(company).find((m) => this.marks.firsts.has(m));
    if (!mark) {
      const drawn = this.drawn.ofCompany(company).find((one) => one.isConnected);
      if (!drawn) return false;
      drawn.range.startContainer.parentElement?.scrollIntoView({ block: 'center', inline: 'nearest' });
      await this.card.open(drawn);
      return true;
    }
    mark.scrollIntoView({ block: 'center', inline: 'nearest' });
    if (mark.hasAttribute('tabindex')) mark.focus({ preventScroll: true });
    await this.card.open(mark);
    return true;
  }

  /** "Not this company": removes its marks from this page and keeps them off. @param {number} company */
  dismiss(company) {
    const known = this.known.get(company);
    if (!known) return;
    this.dismissed.add(known.id);
    this.card.close();
    this.watcher.quietly(() => this.marks.unwrap(this.marks.ofCompany(company)));
    this.drawn.forget(this.drawn.ofCompany(company));
    this.onDismiss(known);
    this.onChange(this.companies());
  }
}
