// Watches the page for text it adds or changes (single-page apps, infinite scroll, tickers)
// and hands the blocks to scan again to `onChanged`, in bounded batches: at most one batch per
// BATCH_INTERVAL_MS, of at most MAX_BATCH_ROOTS subtrees; the rest waits for the next batch.
// The annotator's own changes go through quietly(), so they never cause a scan.
import { rescanRoots } from './blocks.js';

export const BATCH_INTERVAL_MS = 400;
export const MAX_BATCH_ROOTS = 2000;
const FLUSH_SLICE_MS = 10;
// A burst that adds more nodes than this under one parent rescans the parent once.
const MANY_ADDED = 8;

export class PageWatcher {
  /**
   * @param {Document} doc
   * @param {(roots: Node[]) => Promise<unknown>} onChanged scans `roots` again, later, in a batch
   * @param {(records: MutationRecord[]) => void} [onTouched] sees every record at once, before
   *   the next paint (what the page did to text we marked must be answered before it shows)
   * @param {(node: Node) => boolean} [ours] whether an added node is the annotator's own
   */
  constructor(doc, onChanged, onTouched, ours) {
    this.doc = doc;
    this.onChanged = onChanged;
    this.onTouched = onTouched ?? (() => {});
    this.ours = ours ?? (() => false);
    /** @type {MutationObserver | null} */
    this.observer = null;
    /** @type {Node | null} what the observer watches */
    this.root = null;
    /** @type {Set<Node | null>} */
    this.pending = new Set();
    this.timer = 0;
    this.lastBatch = 0;
    // How long a flush works before it gives the page a turn.
    this.sliceMs = FLUSH_SLICE_MS;
  }

  /** Watches `root` from now on. @param {Node} root */
  observe(root) {
    if (this.observer || !root) return;
    this.root = root;
    this.observer = new MutationObserver((records) => this.collect(records));
    this.observer.observe(root, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['contenteditable'],
    });
  }

  stop() {
    this.observer?.disconnect();
    this.observer = null;
    this.root = null;
    this.pending.clear();
    clearTimeout(this.timer);
    this.timer = 0;
  }

  /** Runs the annotator's own DOM changes without seeing them as the page's. @param {() => void} change */
  quietly(change) {
    try {
      change();
    } finally {
      this.observer?.takeRecords();
    }
  }

  /** Hands over now the records of changes made since the last delivery (the observer's own comes later, as a microtask). */
  deliver() {
    const records = this.observer?.takeRecords();
    if (records?.length) this.collect(records);
  }

  /** Whether every change under `node` reaches `collect`. @param {Node | null} node */
  covers(node) {
    return !!this.observer && !!node && !!this.root?.contains(node);
  }

  /** @param {MutationRecord[]} records */
  collect(records) {
    this.onTouched(records);
    // Kept cheap: this runs for every burst of the page's own changes.
    for (const record of records) {
      if (record.type === 'attributes') {
        // Editable now: nothing to scan; editable no more: its text may be marked again.
        if (!(/** @type {HTMLElement} */ (record.target).isContentEditable)) this.pending.add(record.target);
      } else if (record.type === 'characterData') {
        this.pending.add(record.target.parentNode);
      } else if (record.addedNodes.length > MANY_ADDED) {
        this.pending.add(record.target);
      } else {
        for (const node of record.addedNodes) {
          if (node.nodeType === Node.TEXT_NODE) this.pending.add(node.parentNode);
          else if (node.nodeType === Node.ELEMENT_NODE && !this.ours(node)) this.pending.add(node);
        }
      }
    }
    this.pending.delete(null);
    if (this.pending.size && !this.timer) {
      const wait = Math.max(0, this.lastBatch + BATCH_INTERVAL_MS - Date.now());
      this.timer = setTimeout(() => {
        const view = this.doc.defaultView;
        // After the page's own frame work, in the next animation frame.
        if (view?.requestAnimationFrame) view.requestAnimationFrame(() => this.flush());
        else setTimeout(() => this.flush(), 16);
      }, wait);
    }
  }

  async flush() {
    this.timer = 0;
    this.lastBatch = Date.now();
    const observer = this.observer;
    const changed = /** @type {Node[]} */ ([...this.pending]);
    this.pending.clear();
    // Which blocks to scan again, in slices: a page appending rows one by one gives thousands
    // of changed nodes a batch.
    let deadline = performance.now() + this.sliceMs;
    const walk = rescanRoots(changed);
    let step = walk.next();
    while (!step.done) {
      if (performance.now() >= deadline) {
        await yieldToPage();
        if (this.observer !== observer) return;
        deadline = performance.now() + this.sliceMs;
      }
      step = walk.next();
    }
    const roots = step.value;
    for (const rest of roots.slice(MAX_BATCH_ROOTS)) this.pending.add(rest);
    try {
      await this.onChanged(roots.slice(0, MAX_BATCH_ROOTS));
    } catch (error) {
      console.debug('Contract Lens:', error);
    }
    if (this.pending.size && this.observer) this.collect([]);
  }
}

/**
 * Gives the page's main thread back for a moment: resumes in a new task, queued behind what
 * the page has waiting (its input, frames and timers; scheduler.yield would resume ahead of
 * them), without the 4 ms clamp nested timers get.
 */
export function yieldToPage() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve(undefined);
    };
    channel.port2.postMessage(null);
  });
}
