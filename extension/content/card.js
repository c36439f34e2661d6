// The card's behaviour: when it opens (hover after a short delay, keyboard focus, a tap on a
// touch screen, the popup's "reveal"), where it sits (beside its mark, inside the viewport),
// and when it closes (pointer gone, Escape, its mark scrolled away). What it shows is
// card-view.js; the facts come from the backend.

import { MAX_PREPARED } from '../common/messages.js';
import cardCss from './card.css';
import { renderCard } from './card-view.js';
import { el, pageIsDark } from './dom.js';
import { DrawnMention } from './drawn.js';

const HOVER_DELAY_MS = 250;
const LEAVE_GRACE_MS = 300;
// The click that follows a tap on a mark comes within this; a later click is the reader's own.
const TAP_CLICK_MS = 800;
const GAP_PX = 6;
const MARGIN_PX = 8;
const MIN_HEIGHT_PX = 120;
const MAX_HEIGHT_PX = 560;
// What a page with marks prepares for its cards waits for the page to be idle, this long at most.
const IDLE_TIMEOUT_MS = 2000;

/** @typedef {Pick<import('./annotator.js').Backend, 'card' | 'contracts' | 'prepare'>} CardSource */
/** @typedef {HTMLElement | DrawnMention} Anchor a mark's first piece, or a drawn mention (drawn.js) */

/** Where `anchor` is on the screen. @param {Anchor} anchor */
const rectOf = (anchor) => (anchor instanceof DrawnMention ? anchor.range.getBoundingClientRect() : anchor.getBoundingClientRect());

/**
 * The card data asked for as the pointer reaches a mark, while the hover delay runs: by the time
 * the card opens, its data has come (a reseller's card takes a few ms to build from hundreds of
 * awards, tens of ms right after the background wakes). Kept for that one opening only, and dropped when the
 * pointer leaves, so a card never shows data asked for before the reader changed a setting.
 */
export class CardPrefetch {
  /** @param {Pick<CardSource, 'card'>} backend */
  constructor(backend) {
    this.backend = backend;
    /** @type {{ company: number, name: number, data: ReturnType<CardSource['card']> } | null} */
    this.asked = null;
  }

  /**
   * Asks for the card of `company` (found as name `name`, its text on the page `found`) now,
   * unless it was just asked for. @param {{ company: number, name: number, found: string }} mark
   */
  ask({ company, name, found }) {
    if (this.asked?.company === company && this.asked.name === name) return;
    const data = this.backend.card(company, name, found);
    // A card the reader never opens fails unseen; one that opens sees the failure.
    data.catch(() => {});
    this.asked = { company, name, data };
  }

  /** The card's data: what was asked for ahead, or asked for now. @param {{ company: number, name: number, found: string }} mark */
  take({ company, name, found }) {
    const asked = this.asked;
    this.asked = null;
    return asked?.company === company && asked.name === name ? asked.data : this.backend.card(company, name, found);
  }

  drop() {
    this.asked = null;
  }
}

/**
 * The cards of the companies marked on a page, asked to be built in the background once the
 * page is idle: a card opened later then comes in one round trip, without waiting for its
 * building (a reseller's card is built from hundreds of awards; a keyboard focus opens it at
 * once, with no hover delay to hide that). Each company is asked for once per page (the
 * background keeps the cards by company and the reader's filters), `MAX_PREPARED` at most.
 */
export class CardsAhead {
  /**
   * @param {Pick<CardSource, 'prepare'>} backend
   * @param {(task: () => void) => void} whenIdle
   */
  constructor(backend, whenIdle) {
    this.backend = backend;
    this.whenIdle = whenIdle;
    /** @type {Set<number>} asked for, or to be asked for when the page is next idle */
    this.wanted = new Set();
    /** @type {number[]} */
    this.pending = [];
    this.waiting = false;
  }

  /** Asks, when the page is next idle, for the cards of those of `companies` not asked for yet. @param {Iterable<number>} companies */
  want(companies) {
    if (!this.backend.prepare) return;
    for (const company of companies) {
      if (this.wanted.size >= MAX_PREPARED) break;
      if (this.wanted.has(company)) continue;
      this.wanted.add(company);
      this.pending.push(company);
    }
    if (!this.pending.length || this.waiting) return;
    this.waiting = true;
    this.whenIdle(() => {
      this.waiting = false;
      const companies = this.pending;
      this.pending = [];
      // Only a sooner card is lost if it fails: the card opens the usual way.
      this.backend.prepare?.(companies).catch(() => {});
    });
  }
}

export class HoverCard {
  /**
   * @param {object} options
   * @param {Document} options.doc
   * @param {import('../common/strings.js').Words} options.words the reader's language
   * @param {import('./marks.js').Marks} options.marks
   * @param {import('./drawn.js').DrawnMarks} options.drawn
   * @param {CardSource} options.backend
   * @param {(change: () => void) => void} options.quietly runs a DOM change unseen by the watcher
   * @param {(company: number) => void} options.dismiss "Not this company"
   */
  constructor({ doc, words, marks, drawn, backend, quietly, dismiss }) {
    this.doc = doc;
    this.words = words;
    this.marks = marks;
    this.drawn = drawn;
    /** @type {DrawnMention | null} the drawn mention under the pointer */
    this.hovered = null;
    this.backend = backend;
    this.prefetch = new CardPrefetch(backend);
    this.ahead = new CardsAhead(backend, (task) => doc.defaultView?.requestIdleCallback?.(task, { timeout: IDLE_TIMEOUT_MS }));
    this.quietly = quietly;
    this.dismiss = dismiss;
    /** @type {HTMLElement | null} */
    this.host = null;
    /** @type {ShadowRoot | null} closed, so the page cannot read or drive the card */
    this.shadow = null;
    /** @type {{ mark: HTMLElement, until: number } | null} the click a tap on `mark` will cause */
    this.tapped = null;
    /** @type {Anchor | null} the mark whose card is open */
    this.mark = null;
    this.openTimer = 0;
    this.closeTimer = 0;
    this.listening = false;
    this.returningFocus = false;
    // "More" was pressed on this page: cards open expanded.
    this.expanded = false;
    /** @type {[EventTarget | null, string, (e: any) => void, AddEventListenerOptions][]} */
    this.listeners = [
      [doc, 'mouseover', (e) => this.pointerOver(e), { capture: true }],
      [doc, 'mouseout', (e) => this.pointerOut(e), { capture: true }],
      [doc, 'mousemove', (e) => this.pointerMove(e), { capture: true, passive: true }],
      [doc, 'focusin', (e) => this.focusIn(e), { capture: true }],
      [doc, 'keydown', (e) => e.key === 'Escape' && this.mark && this.close(true), { capture: true }],
      [doc, 'pointerdown', (e) => this.tap(e), { capture: true }],
      [doc, 'click', (e) => this.clickAfterTap(e), { capture: true }],
      [doc.defaultView, 'scroll', () => this.place(), { capture: true, passive: true }],
    ];
  }

  /** Follows the page's pointer, focus and keys (once there are marks). */
  listen() {
    if (this.listening) return;
    this.listening = true;
    for (const [target, type, handler, options] of this.listeners) target?.addEventListener(type, handler, options);
    // A page with marks may open a card: its formats are made while the page is idle, not
    // when the first card opens.
    this.doc.defaultView?.requestIdleCallback?.(() => this.words.prepare(), { timeout: IDLE_TIMEOUT_MS });
  }

  /** The cards of `companies` (marked on the page) built ahead, once the page is idle. @param {Iterable<number>} companies */
  prepare(companies) {
    this.ahead.want(companies);
  }

  unlisten() {
    if (!this.listening) return;
    this.listening = false;
    for (const [target, type, handler, options] of this.listeners) target?.removeEventListener(type, handler, options);
  }

  /** Closes the card, stops listening and removes the card's element for good. */
  destroy() {
    this.close();
    this.unlisten();
    this.host?.remove();
    this.host = null;
    this.shadow = null;
  }

  /** @param {Node | null} node */
  contains(node) {
    return !!this.host && (node === this.host || this.host.contains(node));
  }

  // The page's own scripts can dispatch events too: only the reader's (trusted) pointer opens
  // or keeps the card.

  /** @param {MouseEvent} event */
  pointerOver(event) {
    if (!event.isTrusted) return;
    const mark = this.marks.from(event.target);
    if (mark) {
      clearTimeout(this.closeTimer);
      clearTimeout(this.openTimer);
      const first = this.marks.firstOf(mark);
      const info = this.marks.infoOf(first);
      if (info && this.mark !== first) this.prefetch.ask(info);
      this.openTimer = setTimeout(() => this.open(first), HOVER_DELAY_MS);
    } else if (this.contains(/** @type {Node} */ (event.target))) {
      clearTimeout(this.closeTimer);
    }
  }

  /** @param {MouseEvent} event */
  pointerOut(event) {
    if (!event.isTrusted) return;
    const from = this.marks.from(event.target) || (this.contains(/** @type {Node} */ (event.target)) ? this.host : null);
    if (!from) return;
    const to = /** @type {Node | null} */ (event.relatedTarget);
    if (to && (this.contains(to) || this.marks.from(to) === from)) return;
    clearTimeout(this.openTimer);
    clearTimeout(this.closeTimer);
    this.prefetch.drop();
    this.closeTimer = setTimeout(() => this.close(), LEAVE_GRACE_MS);
  }

  /**
   * Drawn mentions have no element to fire mouseover and mouseout: the pointer's moves over a
   * block with drawn mentions are hit-tested instead (the same delays as a mark's).
   * @param {MouseEvent} event
   */
  pointerMove(event) {
    if (!event.isTrusted || !this.drawn.size) return;
    const target = /** @type {Node} */ (event.target);
    if (this.contains(target)) {
      this.hovered = null;
      return;
    }
    const drawn = this.drawn.under(target) ? this.drawn.at(event.clientX, event.clientY) : null;
    if (drawn === this.hovered) return;
    const left = this.hovered;
    this.hovered = drawn;
    clearTimeout(this.openTimer);
    if (drawn) {
      clearTimeout(this.closeTimer);
      if (this.mark !== drawn) this.prefetch.ask(drawn);
      this.openTimer = setTimeout(() => this.open(drawn), HOVER_DELAY_MS);
    } else if (left) {
      clearTimeout(this.closeTimer);
      this.prefetch.drop();
      this.closeTimer = setTimeout(() => this.close(), LEAVE_GRACE_MS);
    }
  }

  /** @param {FocusEvent} event */
  focusIn(event) {
    const target = event.target;
    if (this.contains(/** @type {Node} */ (target))) return;
    if (this.returningFocus) {
      this.returningFocus = false;
      return;
    }
    const mark = this.marks.from(target) ?? (target instanceof Element && target.matches('a[href]') ? this.marks.inside(target) : null);
    if (mark) this.open(this.marks.firstOf(mark));
  }

  /** Touch screens have no hover: the first tap on a mark opens its card. @param {PointerEvent} event */
  tap(event) {
    if (event.pointerType !== 'touch' || !event.isTrusted) return;
    const mark = this.marks.from(event.target);
    if (!mark) return;
    const first = this.marks.firstOf(mark);
    if (this.mark === first) return; // A second tap goes where the page sends it.
    event.preventDefault();
    this.tapped = { mark, until: performance.now() + TAP_CLICK_MS };
    this.open(first);
  }

  /** The click a first tap causes would follow a link the mark sits in; no other click is touched. @param {MouseEvent} event */
  clickAfterTap(event) {
    const tapped = this.tapped;
    this.tapped = null;
    if (tapped && performance.now() < tapped.until && event.target instanceof Node && tapped.mark.contains(event.target)) {
      event.preventDefault();
    }
  }

  /** Opens the card of `mark` (a first piece, or a drawn mention). @param {Anchor} mark */
  async open(mark) {
    if (this.mark === mark && this.host?.isConnected) return;
    const info = mark instanceof DrawnMention ? mark : this.marks.infoOf(mark);
    if (!info) return;
    const data = await this.prefetch.take(info);
    if (!data?.card || !mark.isConnected) return;
    if (!this.host || !this.shadow) {
      // A plain element (a page cannot define it as its own custom element), its styles pinned
      // against the page's (inline !important beats any page rule).
      this.host = this.doc.createElement('span');
      this.host.setAttribute('data-contract-lens', 'card');
      this.host.setAttribute('style', 'all: initial !important');
      // Open in the test build only, where the end-to-end tests read the card.
      this.shadow = this.host.attachShadow({ mode: TEST_BUILD ? 'open' : 'closed' });
    }
    const shadow = this.shadow;
    const card = renderCard(
      { doc: this.doc, w: this.words },
      data.card,
      data.name,
      {
        close: () => this.close(true),
        // Writes the reader's storage: the reader's own click only.
        dismiss: (/** @type {Event} */ event) => event.isTrusted && this.dismiss(info.company),
        // The reader wants everything: every card on this page opens expanded from now on.
        expand: () => {
          this.expanded = true;
          this.place();
        },
        contracts: (slices) => this.backend.contracts(info.company, slices),
      },
      this.expanded,
    );
    if (pageIsDark(mark instanceof DrawnMention ? mark.block : mark)) card.classList.add('dark');
    shadow.replaceChildren(el(this.doc, 'style', { text: cardCss }), card);
    // Right after the mark (after the link it sits in), so Tab goes from the mark into the
    // card; the card is position: fixed, so where the host sits changes no layout. A drawn
    // mention's goes after its block: inside, it would make the block be laid out again.
    const anchor = mark instanceof DrawnMention ? mark.block : (mark.closest('a[href]') ?? mark);
    const host = this.host;
    this.quietly(() => anchor.after(host));
    // The top layer: no ancestor's transform, overflow or z-index and no page overlay can clip
    // or cover it.
    card.popover = 'manual';
    card.showPopover();
    if (this.mark && this.mark !== mark && !(this.mark instanceof DrawnMention)) this.mark.removeAttribute('aria-expanded');
    this.mark = mark;
    if (!(mark instanceof DrawnMention)) mark.setAttribute('aria-expanded', 'true');
    this.place();
  }

  /** Below the mark if it fits, else on whichever side has more room; never over the mark. */
  place() {
    if (!this.host || !this.mark) return;
    const card = /** @type {HTMLElement} */ (this.shadow?.querySelector('.card'));
    const rect = rectOf(this.mark);
    const view = /** @type {Window} */ (this.doc.defaultView);
    if (rect.bottom < 0 || rect.top > view.innerHeight) {
      this.close();
      return;
    }
    const below = view.innerHeight - rect.bottom - GAP_PX - MARGIN_PX;
    const above = rect.top - GAP_PX - MARGIN_PX;
    card.style.maxHeight = '';
    const natural = card.offsetHeight;
    const placeBelow = natural <= below || below >= above;
    const room = Math.max(MIN_HEIGHT_PX, placeBelow ? below : above);
    card.style.maxHeight = `${Math.min(room, MAX_HEIGHT_PX)}px`;
    const height = card.offsetHeight;
    const width = card.offsetWidth;
    const top = placeBelow ? rect.bottom + GAP_PX : Math.max(MARGIN_PX, rect.top - GAP_PX - height);
    const left = Math.min(Math.max(MARGIN_PX, rect.left), Math.max(MARGIN_PX, view.innerWidth - width - MARGIN_PX));
    card.style.top = `${top}px`;
    card.style.left = `${left}px`;
  }

  /** @param {boolean} [returnFocus] whether focus goes back to the mark (Escape, ×) */
  close(returnFocus = false) {
    clearTimeout(this.openTimer);
    clearTimeout(this.closeTimer);
    const mark = this.mark instanceof DrawnMention ? null : this.mark;
    mark?.removeAttribute('aria-expanded');
    this.mark = null;
    const host = this.host;
    if (!host?.isConnected) return;
    const hadFocus = this.shadow?.activeElement != null;
    this.quietly(() => host.remove());
    if (returnFocus && hadFocus && mark?.hasAttribute('tabindex')) {
      // Back to the mark, without opening its card again.
      this.returningFocus = true;
      mark.focus({ preventScroll: true });
      this.returningFocus = false;
    }
  }
}
