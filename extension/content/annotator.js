/*
 * Contract Lens annotator: the page side, shared by the extension and the demo page.
 *
 *   page DOM ──TreeWalker──▶ text nodes ──grouped per block──▶ block strings
 *                                                                  │ backend.scan(blocks)
 *                                                                  ▼ (Rust core in WASM)
 *   <contract-lens-mark> ◀──splitText + wrap── UTF-16 spans: block, start, end, company, name
 *        │ hover (after a short delay) or keyboard focus
 *        ▼
 *   card in a Shadow DOM ◀── backend.card(company): facts, every one with its source
 *
 *   observe(): new or changed subtrees (single-page apps, infinite scroll) are scanned in
 *   batches, at most one per BATCH_INTERVAL_MS, never in reaction to our own changes.
 *
 *   clear(): unwrap every mark and rejoin every split text node: the DOM is exactly as before.
 *
 * Rules kept here: JavaScript never matches text (the core does); page and dataset text reach the
 * DOM only through textContent; links only when https:. Nothing here talks to the network.
 */
(function () {
  'use strict';

  const MARK_TAG = 'contract-lens-mark';
  const CARD_TAG = 'contract-lens-card';
  // Never annotate inside these: code, form fields, scripts, our own UI.
  const SKIP_TAGS = new Set([
    'SCRIPT', 'STYLE', 'NOSCRIPT', 'TEXTAREA', 'INPUT', 'SELECT', 'OPTION', 'CODE', 'PRE', 'KBD',
    'SAMP', 'TEMPLATE', 'IFRAME', 'OBJECT', 'SVG', 'MATH', 'CANVAS', 'BUTTON', 'HEAD', 'TITLE',
    MARK_TAG.toUpperCase(), CARD_TAG.toUpperCase(),
  ]);
  // Text flows across these, so a name split by them ("<b>Palantir</b> Technologies") is still
  // one name; any other element starts a new block.
  const INLINE_TAGS = new Set([
    'A', 'ABBR', 'B', 'BDI', 'BDO', 'BIG', 'CITE', 'DATA', 'DEL', 'DFN', 'EM', 'FONT', 'I', 'INS',
    'LABEL', 'MARK', 'Q', 'S', 'SMALL', 'SPAN', 'STRONG', 'SUB', 'SUP', 'TIME', 'TT', 'U', 'VAR',
  ]);
  const HOVER_DELAY_MS = 250;
  const LEAVE_GRACE_MS = 300;
  // A page that mutates constantly (a ticker, a chat) gets at most one scan per interval, of at
  // most MAX_BATCH_ROOTS subtrees; the rest waits for the next one.
  const BATCH_INTERVAL_MS = 400;
  const MAX_BATCH_ROOTS = 200;

  // Text decoration never changes layout. Dotted: contracts; dashed: the company also made
  // public statements. The colour is the text's own, so it reads on light and dark pages.
  const markStyle = (statements) => [
    `text-decoration: underline ${statements ? 'dashed' : 'dotted'} currentColor 1px`,
    'text-underline-offset: 0.2em',
    'text-decoration-skip-ink: none',
    'cursor: help',
  ].join(';');

  // English, used where no translation is given (the demo page); the extension passes the
  // browser's i18n.getMessage over _locales/.
  const ENGLISH = {
    cardContracts: 'Government contracts',
    cardStatements: 'What the company said',
    cardTimeline: 'Timeline',
    cardNoContracts: 'None recorded.',
    cardNoStatements: 'No public statement recorded.',
    cardOwnedBy: 'Owned by $1',
    cardUncurated: 'Known from USAspending records only',
    cardAwardedTo: 'Awarded to $1',
    cardFromSpendingData: 'From USAspending records',
    cardAgencyNotNamed: 'Agency not named',
    cardAwardId: 'Award ID $1',
    cardUndated: 'Undated',
    cardShowMore: 'Show $1 more of $2',
    cardDataAsOf: 'Curated facts checked $1.',
    cardWhyMarked: 'Marked because the text names “$1”.',
    cardNotThisCompany: 'Not this company',
    cardAward: 'Award',
    cardStatement: 'Statement',
    cardClose: 'Close',
    countContractOne: '1 contract',
    countContractOther: '$1 contracts',
    countStatementOne: '1 statement',
    countStatementOther: '$1 statements',
    countYearOne: '1 year',
    countYearOther: '$1 years',
    countOptionYearOne: '1 option year',
    countOptionYearOther: '$1 option years',
    countActionOne: '1 action in these records',
    countActionOther: '$1 actions in these records',
    latestModification: 'the latest modification seen is $1',
    countViaAwardOne: '1 award via a reseller',
    countViaAwardOther: '$1 awards via resellers',
    amountDeobligated: '$1 de-obligated',
    amountNoObligations: 'no obligations in these records',
    datesFirstAction: 'first action in these records $1, last $2',
    datesLastAction: 'last action in these records $1',
    cardVehicle: 'Contract vehicle: its potential value is a ceiling for the orders under it',
    cardOrderUnder: 'order under $1',
    cardViaEvidence: 'The record names this company: “$1”',
    cardPotentialBelowObligated: 'The potential value in the records is below the amount obligated.',
    cardSpendingSource: '$1: $2 to $3. $4',
    totalObligated: '$1 obligated',
    totalPotential: '$1 potential',
    totalReported: '$1 reported',
    amountObligated: 'obligated $1',
    amountPotential: 'potential $1',
    amountReported: 'reported $1',
    datesFromTo: '$1 to $2',
    datesFrom: 'from $1',
    datesUntil: 'until $1',
    datesWithOptions: 'with options to $1',
    termYears: '$1 + $2',
  };

  function insideSkipped(node) {
    for (let el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement; el; el = el.parentElement) {
      if (SKIP_TAGS.has(el.tagName.toUpperCase()) || el.isContentEditable) return true;
    }
    return false;
  }

  function blockOf(node) {
    let el = node.parentElement;
    while (el && INLINE_TAGS.has(el.tagName.toUpperCase())) el = el.parentElement;
    return el;
  }

  /** Text nodes under `root`, grouped into runs that share a block ancestor. */
  function collectBlocks(root) {
    const doc = root.ownerDocument || root;
    const walker = doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode(node) {
        if (node.nodeType === Node.ELEMENT_NODE) {
          if (SKIP_TAGS.has(node.tagName.toUpperCase()) || node.isContentEditable) {
            return NodeFilter.FILTER_REJECT;
          }
          return NodeFilter.FILTER_SKIP;
        }
        return NodeFilter.FILTER_ACCEPT;
      },
    });
    const blocks = [];
    let current = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const block = blockOf(node);
      if (!current || current.element !== block) {
        current = { element: block, nodes: [], text: '' };
        blocks.push(current);
      }
      current.nodes.push(node);
      current.text += node.data;
    }
    return blocks.filter((b) => b.text.trim() !== '');
  }

  function safeHttpsUrl(url) {
    try {
      const parsed = new URL(url);
      return parsed.protocol === 'https:' ? parsed.href : null;
    } catch {
      return null;
    }
  }

  function el(doc, tag, props, ...children) {
    const node = doc.createElement(tag);
    if (props) {
      for (const [key, value] of Object.entries(props)) {
        if (value === undefined || value === null || value === false) continue;
        if (key === 'text') node.textContent = value;
        else if (key === 'class') node.className = value;
        else node.setAttribute(key, value);
      }
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  const money = new Intl.NumberFormat('en-US', {
    style: 'currency', currency: 'USD', maximumFractionDigits: 0,
  });

  function hostOf(url) {
    try {
      return new URL(url).hostname.replace(/^www\./, '');
    } catch {
      return url;
    }
  }

  function link(doc, url, text, title) {
    const href = safeHttpsUrl(url);
    if (!href) return null;
    return el(doc, 'a', { href, target: '_blank', rel: 'noopener noreferrer', text, title });
  }

  function sourceLinks(doc, sources) {
    const list = el(doc, 'span', { class: 'sources' });
    const seen = new Set();
    for (const source of sources || []) {
      const href = safeHttpsUrl(source.url);
      if (!href || seen.has(href)) continue;
      seen.add(href);
      list.append(link(doc, href, hostOf(href), source.quote ? `“${source.quote}”` : href));
    }
    return list;
  }

  /** Whether the page under `node` is dark, judged by the first opaque background up the tree. */
  function pageIsDark(node) {
    const view = node.ownerDocument.defaultView;
    for (let e = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement; e; e = e.parentElement) {
      const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(view.getComputedStyle(e).backgroundColor);
      if (m && (m[4] === undefined || Number(m[4]) > 0.5)) {
        const [r, g, b] = [m[1], m[2], m[3]].map(Number);
        return 0.2126 * r + 0.7152 * g + 0.0722 * b < 110;
      }
    }
    return view.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
  }

  const CARD_CSS = `
    :host { all: initial; }
    .card {
      box-sizing: border-box; position: fixed; z-index: 2147483647;
      width: min(660px, calc(100vw - 16px)); max-height: min(70vh, 560px); overflow: auto;
      font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
      color: #1d232b; background: #fff; border: 1px solid #c9d1da; border-radius: 8px;
      box-shadow: 0 8px 28px rgba(20, 30, 45, .22); padding: 12px 14px; overflow-wrap: anywhere;
    }
    .card.dark { color: #e7ecf2; background: #1f252d; border-color: #3b4654; }
    .card.dark a { color: #8cc4ff; }
    .card.dark .muted, .card.dark .meta { color: #aab5c2; }
    header { display: flex; gap: 8px; align-items: baseline; }
    header .titles { flex: 1; }
    h2 { font-size: 16px; margin: 0 0 2px; }
    h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; margin: 10px 0 4px; }
    .muted, .meta { color: #4f5b68; }
    .columns { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 14px; }
    @media (max-width: 520px) { .columns { grid-template-columns: minmax(0, 1fr); } }
    ul, ol { list-style: none; margin: 0; padding: 0; }
    li { padding: 6px 0; border-top: 1px solid rgba(127, 140, 155, .25); }
    .timeline li { padding: 2px 0; border: 0; display: grid; grid-template-columns: 6.5em 1.2em 1fr; }
    .timeline .kind-statement .dot { color: #b3541e; }
    .card.dark .timeline .kind-statement .dot { color: #ffb07a; }
    .agency { font-weight: 600; }
    blockquote { margin: 2px 0; font-style: italic; }
    .sources a { margin-right: 6px; }
    a { color: #0b5cad; }
    footer { margin-top: 8px; font-size: 12px; display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
    footer .why { flex: 1; }
    footer .source-dates { flex-basis: 100%; }
    button { font: inherit; color: inherit; background: none; border: 1px solid currentColor;
      border-radius: 4px; padding: 2px 8px; cursor: pointer; }
    button:focus-visible, a:focus-visible { outline: 2px solid #0b5cad; outline-offset: 1px; }
    .note { font-size: 12px; }
    ul.orders { margin: 6px 0 0; padding-left: 10px; border-left: 2px solid rgba(127, 140, 155, .35); }
    details.year { border-top: 1px solid rgba(127, 140, 155, .25); padding: 4px 0; }
    details.year summary { cursor: pointer; font-weight: 600; }
  `;

  class Annotator {
    constructor({ backend, document: doc = globalThis.document, t, settings = {}, onChange, onDismiss }) {
      this.backend = backend;
      this.doc = doc;
      this.t = (key, ...subs) => {
        // A translation comes with its substitutions made; the English fallback gets them here
        // (by function, so a "$" in a substitution, as in "$508,832", stays literal).
        const translated = t && t(key, subs);
        if (translated) return translated;
        return (ENGLISH[key] ?? key).replace(/\$(\d)/g, (whole, n) => (subs[n - 1] !== undefined ? String(subs[n - 1]) : whole));
      };
      this.settings = { firstPerBlock: false, ...settings };
      this.dismissed = new Set();
      this.onChange = onChange ?? (() => {});
      this.onDismiss = onDismiss ?? (() => {});
      this.marks = [];
      this.firstMarks = new Set();
      this.splits = new Map(); // original text node -> { data, created: [nodes] }
      this.generation = 0;
      this.cardHost = null;
      this.cardFor = null;
      this.timers = { open: 0, close: 0, batch: 0 };
      this.listening = false;
      this.observer = null;
      this.pending = new Set();
      this.lastBatch = 0;
      this.onOver = (e) => this.pointerOver(e);
      this.onOut = (e) => this.pointerOut(e);
      this.onFocus = (e) => this.focusIn(e);
      this.onKey = (e) => { if (e.key === 'Escape' && this.cardFor) this.closeCard(true); };
      this.onScroll = () => this.placeCard();
      this.onTap = (e) => this.tap(e);
    }

    /** Marks every mention under `root` (or each of an array of roots, in one scan). Resolves
     * to the number of mentions marked. */
    async annotate(root = this.doc.body) {
      const roots = (Array.isArray(root) ? root : [root])
        .filter((r) => r && (r === this.doc.body || !insideSkipped(r)));
      const generation = this.generation;
      const blocks = roots.flatMap((r) => collectBlocks(r));
      if (!blocks.length) return 0;
      const lengths = blocks.map((b) => b.nodes.map((n) => n.data.length));
      const flat = await this.backend.scan(blocks.map((b) => b.text));
      if (generation !== this.generation) return 0;
      const mentions = [];
      for (let i = 0; i + 4 < flat.length; i += 5) {
        mentions.push({ block: flat[i], start: flat[i + 1], end: flat[i + 2], company: flat[i + 3], name: flat[i + 4] });
      }
      const companies = [...new Set(mentions.map((m) => m.company))];
      const profiles = companies.length ? await this.backend.profiles(companies) : [];
      // Switched off (or re-run) while the core was working: drop these results.
      if (generation !== this.generation) return 0;
      const profileOf = new Map(companies.map((c, i) => [c, profiles[i]]));
      const byBlock = new Map();
      for (const m of mentions) {
        const profile = profileOf.get(m.company);
        if (!profile?.shown || this.dismissed.has(m.company)) continue;
        m.statements = profile.statements;
        if (!byBlock.has(m.block)) byBlock.set(m.block, []);
        const list = byBlock.get(m.block);
        if (this.settings.firstPerBlock && list.some((other) => other.company === m.company)) continue;
        list.push(m);
      }
      let marked = 0;
      this.withoutObserving(() => {
        for (const [index, list] of byBlock) {
          const block = blocks[index];
          // The page changed this block while we were away: leave it alone rather than guess.
          if (!block || block.nodes.some((n, i) => !n.isConnected || n.data.length !== lengths[index][i])) continue;
          block.lengths = lengths[index];
          list.sort((a, b) => b.start - a.start);
          for (const m of list) {
            this.wrapMention(block, m);
            marked += 1;
          }
        }
      });
      if (marked) {
        this.listen();
        this.onChange(this.companies());
      }
      return marked;
    }

    /** Wraps one mention, which may cross text nodes, one mark per node it touches. */
    wrapMention(block, mention) {
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
      for (let i = pieces.length - 1; i >= 0; i -= 1) {
        this.wrapPiece(pieces[i], mention, i === 0);
      }
    }

    wrapPiece({ node, start, end }, mention, first) {
      if (!this.splits.has(node)) {
        this.splits.set(node, { created: [] });
      }
      const record = this.splits.get(node);
      if (end < node.data.length) record.created.push(node.splitText(end));
      let target = node;
      if (start > 0) {
        target = node.splitText(start);
        record.created.push(target);
      }
      const mark = this.doc.createElement(MARK_TAG);
      mark.setAttribute('style', markStyle(mention.statements));
      mark.dataset.company = String(mention.company);
      mark.dataset.name = String(mention.name);
      if (first) {
        // Inside a link the link takes focus (and opens the card); a second stop would only
        // slow keyboard readers down.
        if (!target.parentNode.closest?.('a[href]')) mark.setAttribute('tabindex', '0');
        mark.setAttribute('aria-haspopup', 'dialog');
        this.firstMarks.add(mark);
      }
      target.parentNode.insertBefore(mark, target);
      mark.appendChild(target);
      this.marks.push(mark);
    }

    /** Unwraps `marks` (text stays split; clear() rejoins it). */
    unwrap(marks) {
      this.withoutObserving(() => {
        for (const mark of marks) {
          const parent = mark.parentNode;
          if (!parent) continue;
          while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
          mark.remove();
          this.firstMarks.delete(mark);
        }
      });
      const gone = new Set(marks);
      this.marks = this.marks.filter((m) => !gone.has(m));
    }

    /** Removes every mark and restores every text node: the DOM is as it was before. */
    clear() {
      this.generation += 1;
      this.closeCard();
      this.stopObserving();
      this.unwrap([...this.marks]);
      this.withoutObserving(() => {
        for (const [node, record] of this.splits) {
          // Rejoin the pieces as they are now: the original text, or the page's own edits.
          const created = new Set(record.created);
          for (let next = node.nextSibling; next && created.has(next); next = node.nextSibling) {
            node.data += next.data;
            next.remove();
            created.delete(next);
          }
          for (const stray of created) stray.remove();
        }
      });
      this.splits.clear();
      this.unlisten();
      if (this.cardHost) {
        this.cardHost.remove();
        this.cardHost = null;
      }
      this.onChange([]);
    }

    /** The companies marked on the page: `[{ company, count }]`, in page order. */
    companies() {
      const counts = new Map();
      const inPageOrder = this.marks.filter((m) => this.firstMarks.has(m) && m.isConnected)
        .sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
      for (const mark of inPageOrder) {
        const company = Number(mark.dataset.company);
        counts.set(company, (counts.get(company) ?? 0) + 1);
      }
      return [...counts].map(([company, count]) => ({ company, count }));
    }

    /** Scrolls to the first mention of `company` and opens its card. */
    async reveal(company) {
      const mark = this.marks.find((m) => this.firstMarks.has(m) && Number(m.dataset.company) === company);
      if (!mark) return false;
      mark.scrollIntoView({ block: 'center', inline: 'nearest' });
      if (mark.hasAttribute('tabindex')) mark.focus({ preventScroll: true });
      await this.openCard(mark);
      return true;
    }

    /** "Not this company": removes its marks from this page and keeps them off. */
    dismiss(company) {
      this.dismissed.add(company);
      this.closeCard();
      this.unwrap(this.marks.filter((m) => Number(m.dataset.company) === company));
      this.onDismiss(company);
      this.onChange(this.companies());
    }

    // --- Dynamic pages -------------------------------------------------------------------

    /** Annotates what is added to or changed under `root` from now on, in bounded batches. */
    observe(root = this.doc.body) {
      if (this.observer || !root) return;
      this.observer = new MutationObserver((records) => this.collect(records));
      this.observer.observe(root, { childList: true, subtree: true, characterData: true });
    }

    stopObserving() {
      this.observer?.disconnect();
      this.observer = null;
      this.pending.clear();
      clearTimeout(this.timers.batch);
      this.timers.batch = 0;
    }

    /** Runs our own DOM changes without seeing them as the page's. */
    withoutObserving(change) {
      try {
        change();
      } finally {
        this.observer?.takeRecords();
      }
    }

    collect(records) {
      // Kept cheap: this runs for every burst of the page's own changes.
      for (const record of records) {
        if (record.type === 'characterData') {
          this.pending.add(record.target.parentNode);
        } else if (record.addedNodes.length > 8) {
          this.pending.add(record.target);
        } else {
          for (const node of record.addedNodes) {
            if (node.nodeType === Node.TEXT_NODE) this.pending.add(node.parentNode);
            else if (node.nodeType === Node.ELEMENT_NODE && node.tagName !== CARD_TAG.toUpperCase()) this.pending.add(node);
          }
        }
      }
      this.pending.delete(null);
      if (this.pending.size && !this.timers.batch) {
        const wait = Math.max(0, this.lastBatch + BATCH_INTERVAL_MS - Date.now());
        this.timers.batch = setTimeout(() => {
          const view = this.doc.defaultView;
          // After the page's own frame work, in the next animation frame.
          (view.requestAnimationFrame ?? ((f) => setTimeout(f, 16))).call(view, () => this.flush());
        }, wait);
      }
    }

    async flush() {
      this.timers.batch = 0;
      this.lastBatch = Date.now();
      // A new text node may complete a name its block already holds: scan whole blocks, each
      // once, only the outermost, outside skipped elements, all in one call to the core.
      const blocks = new Set();
      for (const node of this.pending) {
        if (!node.isConnected) continue;
        const isBlock = node.nodeType === Node.ELEMENT_NODE && !INLINE_TAGS.has(node.tagName.toUpperCase());
        blocks.add(isBlock ? node : blockOf(node.firstChild ?? node) ?? node);
      }
      this.pending.clear();
      const candidates = [...blocks].filter((b) => !insideSkipped(b));
      const outermost = candidates.filter((b) => !candidates.some((other) => other !== b && other.contains(b)));
      const scan = outermost.slice(0, MAX_BATCH_ROOTS);
      for (const rest of outermost.slice(MAX_BATCH_ROOTS)) this.pending.add(rest);
      try {
        await this.annotate(scan);
      } catch (error) {
        console.debug('Contract Lens:', error);
      }
      if (this.pending.size) this.collect([]);
    }

    // --- The card ------------------------------------------------------------------------

    /** The page events the card follows: `[target, type, handler, options]`. */
    listeners() {
      const capture = { capture: true };
      return [
        [this.doc, 'mouseover', this.onOver, capture],
        [this.doc, 'mouseout', this.onOut, capture],
        [this.doc, 'focusin', this.onFocus, capture],
        [this.doc, 'keydown', this.onKey, capture],
        [this.doc, 'pointerdown', this.onTap, capture],
        [this.doc.defaultView, 'scroll', this.onScroll, { capture: true, passive: true }],
      ];
    }

    listen() {
      if (this.listening) return;
      this.listening = true;
      for (const [target, type, handler, options] of this.listeners()) target?.addEventListener(type, handler, options);
    }

    unlisten() {
      if (!this.listening) return;
      this.listening = false;
      for (const [target, type, handler, options] of this.listeners()) target?.removeEventListener(type, handler, options);
    }

    markFrom(target) {
      return target instanceof Element ? target.closest(MARK_TAG) : null;
    }

    firstMarkOf(mark) {
      if (this.firstMarks.has(mark)) return mark;
      const index = this.marks.indexOf(mark);
      for (let i = index; i >= 0; i -= 1) if (this.firstMarks.has(this.marks[i])) return this.marks[i];
      return mark;
    }

    inCard(node) {
      return !!this.cardHost && (node === this.cardHost || this.cardHost.contains(node));
    }

    pointerOver(event) {
      const mark = this.markFrom(event.target);
      if (mark) {
        clearTimeout(this.timers.close);
        clearTimeout(this.timers.open);
        this.timers.open = setTimeout(() => this.openCard(this.firstMarkOf(mark)), HOVER_DELAY_MS);
      } else if (this.inCard(event.target)) {
        clearTimeout(this.timers.close);
      }
    }

    pointerOut(event) {
      const from = this.markFrom(event.target) || (this.inCard(event.target) ? this.cardHost : null);
      if (!from) return;
      const to = event.relatedTarget;
      if (to && (this.inCard(to) || this.markFrom(to) === from)) return;
      clearTimeout(this.timers.open);
      clearTimeout(this.timers.close);
      this.timers.close = setTimeout(() => this.closeCard(), LEAVE_GRACE_MS);
    }

    focusIn(event) {
      if (this.inCard(event.target)) return;
      if (this.returningFocus) {
        this.returningFocus = false;
        return;
      }
      const mark = this.markFrom(event.target) ?? (event.target instanceof Element && event.target.matches?.('a[href]') ? event.target.querySelector(MARK_TAG) : null);
      if (mark) this.openCard(this.firstMarkOf(mark));
    }

    /** Touch screens have no hover: the first tap on a mark opens its card. */
    tap(event) {
      if (event.pointerType !== 'touch') return;
      const mark = this.markFrom(event.target);
      if (!mark) return;
      const first = this.firstMarkOf(mark);
      if (this.cardFor === first) return; // A second tap goes where the page sends it.
      event.preventDefault();
      // The click that follows would follow a link the mark sits in.
      this.doc.addEventListener('click', (e) => e.preventDefault(), { capture: true, once: true });
      this.openCard(first);
    }

    async openCard(mark) {
      if (this.cardFor === mark && this.cardHost?.isConnected) return;
      const company = Number(mark.dataset.company);
      const name = Number(mark.dataset.name);
      const data = await this.backend.card(company, name);
      if (!data?.card || !mark.isConnected) return;
      if (!this.cardHost) {
        this.cardHost = this.doc.createElement(CARD_TAG);
        this.cardHost.attachShadow({ mode: 'open' });
      }
      const shadow = this.cardHost.shadowRoot;
      const card = this.renderCard(data.card, data.name, company);
      if (pageIsDark(mark)) card.classList.add('dark');
      shadow.replaceChildren(el(this.doc, 'style', { text: CARD_CSS }), card);
      // Right after the mark (after the link it sits in), so Tab goes from the mark into the
      // card; the card is position: fixed, so where the host sits changes no layout.
      const anchor = mark.closest('a[href]') ?? mark;
      this.withoutObserving(() => anchor.after(this.cardHost));
      if (this.cardFor && this.cardFor !== mark) this.cardFor.removeAttribute('aria-expanded');
      this.cardFor = mark;
      mark.setAttribute('aria-expanded', 'true');
      this.placeCard();
    }

    placeCard() {
      if (!this.cardHost || !this.cardFor) return;
      const card = this.cardHost.shadowRoot.querySelector('.card');
      const rect = this.cardFor.getBoundingClientRect();
      const view = this.doc.defaultView;
      if (rect.bottom < 0 || rect.top > view.innerHeight) {
        this.closeCard();
        return;
      }
      // Below the mark if it fits, else on whichever side has more room; never over the mark.
      const gap = 6;
      const margin = 8;
      const below = view.innerHeight - rect.bottom - gap - margin;
      const above = rect.top - gap - margin;
      card.style.maxHeight = '';
      const natural = card.offsetHeight;
      const placeBelow = natural <= below || below >= above;
      const room = Math.max(120, placeBelow ? below : above);
      card.style.maxHeight = `${Math.min(room, 560)}px`;
      const height = card.offsetHeight;
      const width = card.offsetWidth;
      const top = placeBelow ? rect.bottom + gap : Math.max(margin, rect.top - gap - height);
      const left = Math.min(Math.max(margin, rect.left), Math.max(margin, view.innerWidth - width - margin));
      card.style.top = `${top}px`;
      card.style.left = `${left}px`;
    }

    closeCard(returnFocus = false) {
      clearTimeout(this.timers.open);
      clearTimeout(this.timers.close);
      const mark = this.cardFor;
      if (mark) mark.removeAttribute('aria-expanded');
      this.cardFor = null;
      if (this.cardHost?.isConnected) {
        const hadFocus = this.cardHost.shadowRoot.activeElement !== null;
        this.withoutObserving(() => this.cardHost.remove());
        if (returnFocus && hadFocus && mark?.hasAttribute('tabindex')) {
          // Back to the mark, without opening its card again.
          this.returningFocus = true;
          mark.focus({ preventScroll: true });
          this.returningFocus = false;
        }
      }
    }

    renderCard(card, matchedName, company) {
      const doc = this.doc;
      const t = this.t;
      const titleId = 'contract-lens-card-title';
      const root = el(doc, 'div', {
        class: 'card', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': titleId,
      });
      const close = el(doc, 'button', { type: 'button', class: 'close', 'aria-label': t('cardClose'), text: '×' });
      close.addEventListener('click', () => this.closeCard(true));
      const titles = el(doc, 'div', { class: 'titles' }, el(doc, 'h2', { id: titleId, text: card.name }));
      if (card.parent) titles.append(el(doc, 'div', { class: 'muted parent', text: t('cardOwnedBy', card.parent) }));
      if (!card.curated) titles.append(el(doc, 'div', { class: 'muted', text: t('cardUncurated') }));
      titles.append(el(doc, 'div', { class: 'muted summary', text: this.summaryLine(card) }));
      root.append(el(doc, 'header', null, titles, close));

      if (card.timeline.length >= 2) {
        const list = el(doc, 'ol', { class: 'timeline' });
        for (const event of card.timeline) {
          const isAward = event.kind === 'award';
          const item = isAward ? card.contracts[event.index] : card.statements[event.index];
          const what = isAward
            ? [item.sub_agency || item.agency, item.recipient && t('cardAwardedTo', item.recipient), item.description]
              .filter(Boolean).join(' · ')
            : `${item.speaker}: “${item.text}”`;
          list.append(el(doc, 'li', { class: `kind-${event.kind}` },
            el(doc, 'span', { class: 'meta', text: event.date }),
            el(doc, 'span', { class: 'dot', 'aria-label': t(isAward ? 'cardAward' : 'cardStatement'), text: isAward ? '◆' : '❝' }),
            el(doc, 'span', { class: 'what', text: what.length > 160 ? `${what.slice(0, 157)}…` : what })));
        }
        root.append(el(doc, 'section', { class: 'timeline-section' }, el(doc, 'h3', { text: t('cardTimeline') }), list));
      }

      const contracts = el(doc, 'section', { class: 'contracts' }, el(doc, 'h3', { text: t('cardContracts') }));
      const contractList = el(doc, 'ul');
      // Big contractors have hundreds of awards: the first few (curated ones first, then the
      // newest), then the rest grouped by year, each group summarised and opened on request.
      // A vehicle's orders follow it in the core's list (under_vehicle) and are shown inside it.
      const FIRST = 8;
      const entries = [];
      for (const k of card.contracts) {
        if (k.under_vehicle && entries.length) entries.at(-1).orders.push(k);
        else entries.push({ k, orders: [] });
      }
      for (const e of entries.slice(0, FIRST)) contractList.append(this.contractItem(e.k, e.orders));
      if (!card.contracts.length) contractList.append(el(doc, 'li', { class: 'muted', text: t('cardNoContracts') }));
      contracts.append(contractList);
      const byYear = new Map();
      for (const e of entries.slice(FIRST)) {
        const year = (e.k.start ?? e.k.first_action ?? e.k.end ?? '').slice(0, 4) || t('cardUndated');
        if (!byYear.has(year)) byYear.set(year, []);
        byYear.get(year).push(e);
      }
      for (const [year, group] of byYear) contracts.append(this.yearGroup(year, group));

      const statements = el(doc, 'section', { class: 'statements' }, el(doc, 'h3', { text: t('cardStatements') }));
      const statementList = el(doc, 'ul');
      for (const s of card.statements) {
        statementList.append(el(doc, 'li', { class: 'statement' },
          el(doc, 'div', { class: 'meta', text: `${s.date || t('cardUndated')} · ${s.speaker}` }),
          el(doc, 'blockquote', { text: `“${s.text}”` }),
          s.medium ? el(doc, 'div', { class: 'meta', text: s.medium }) : null,
          sourceLinks(doc, s.sources)));
      }
      if (!card.statements.length) statementList.append(el(doc, 'li', { class: 'muted', text: t('cardNoStatements') }));
      statements.append(statementList);
      root.append(el(doc, 'div', { class: 'columns' }, contracts, statements));

      const notThis = el(doc, 'button', { type: 'button', class: 'not-this', text: t('cardNotThisCompany') });
      notThis.addEventListener('click', () => this.dismiss(company));
      root.append(el(doc, 'footer', { class: 'muted' },
        el(doc, 'span', { class: 'why', text: `${t('cardDataAsOf', card.data_as_of)} ${t('cardWhyMarked', matchedName)}` }),
        // What each set of spending records covers, so a gap never reads as "no contracts".
        ...card.spending_sources.map((s) => el(doc, 'span', {
          class: 'source-dates',
          text: t('cardSpendingSource', s.name, s.first_action, s.last_action, s.gaps),
        })),
        notThis));
      return root;
    }

    /** "1 contract", "3 contracts": `key` + "One" or "Other" (browser i18n has no plurals). */
    count(n, key) {
      return this.t(n === 1 ? `${key}One` : `${key}Other`, n);
    }

    /** A year's awards (entries: a contract and its orders), summarised in one line, listed
     *  when opened (50 at a time). */
    yearGroup(year, entries) {
      const doc = this.doc;
      const t = this.t;
      const MORE = 50;
      const awards = entries.flatMap((e) => [e.k, ...e.orders]);
      const obligated = awards.reduce((n, k) => n + (k.obligated_usd ?? 0), 0);
      const summary = el(doc, 'summary', {
        text: [year, this.count(awards.length, 'countContract'), obligated > 0 && t('totalObligated', money.format(obligated))]
          .filter(Boolean).join(' · '),
      });
      const group = el(doc, 'details', { class: 'year' }, summary);
      const list = el(doc, 'ul');
      const showMore = el(doc, 'button', { type: 'button', class: 'more' });
      const moreItem = el(doc, 'li', { class: 'more-item' }, showMore);
      list.append(moreItem);
      group.append(list);
      let shown = 0;
      const renderMore = () => {
        for (const e of entries.slice(shown, shown + MORE)) list.insertBefore(this.contractItem(e.k, e.orders), moreItem);
        shown = Math.min(entries.length, shown + MORE);
        const left = entries.length - shown;
        showMore.textContent = t('cardShowMore', Math.min(left, MORE), left);
        moreItem.hidden = left === 0;
      };
      showMore.addEventListener('click', renderMore);
      group.addEventListener('toggle', () => { if (group.open && shown === 0) renderMore(); });
      return group;
    }

    summaryLine(card) {
      const t = this.t;
      const s = card.summary;
      const parts = [this.count(s.contracts, 'countContract'), this.count(s.statements, 'countStatement')];
      if (s.via_awards) parts.push(this.count(s.via_awards, 'countViaAward'));
      if (s.agencies.length) parts.push(s.agencies.join(', '));
      const total = [
        s.obligated_usd > 0 && t('totalObligated', money.format(s.obligated_usd)),
        s.potential_usd > 0 && t('totalPotential', money.format(s.potential_usd)),
        s.reported_usd > 0 && t('totalReported', money.format(s.reported_usd)),
      ].filter(Boolean);
      if (total.length) parts.push(total.join(', '));
      if (s.first_year) parts.push(s.first_year === s.last_year ? `${s.first_year}` : `${s.first_year}–${s.last_year}`);
      return parts.join(' · ');
    }

    contractItem(k, orders = []) {
      const doc = this.doc;
      const t = this.t;
      const agency = [k.agency, k.sub_agency].filter(Boolean).join(' › ') || t('cardAgencyNotNamed');
      const amounts = [
        k.obligated_usd != null && t('amountObligated', money.format(k.obligated_usd)),
        k.obligated_usd == null && k.from_spending_data && t('amountNoObligations'),
        k.deobligated_usd != null && t('amountDeobligated', money.format(k.deobligated_usd)),
        k.potential_usd != null && t('amountPotential', money.format(k.potential_usd)),
        k.reported_usd != null && t('amountReported', money.format(k.reported_usd)),
      ].filter(Boolean).join(' · ');
      let dates = '';
      if (k.start && k.end) dates = t('datesFromTo', k.start, k.end);
      else if (k.start) dates = t('datesFrom', k.start);
      else if (k.first_action) dates = t('datesFirstAction', k.first_action, k.last_action ?? k.first_action);
      else if (k.end) dates = t('datesUntil', k.end);
      // Without an end, the records' last action says how far they reach.
      if (k.start && !k.end && k.last_action && k.last_action !== k.start) dates += ` · ${t('datesLastAction', k.last_action)}`;
      const term = k.base_years != null && k.option_years != null
        ? t('termYears', this.count(k.base_years, 'countYear'), this.count(k.option_years, 'countOptionYear'))
        : '';
      const options = k.potential_end && k.potential_end !== k.end ? t('datesWithOptions', k.potential_end) : '';
      const award = el(doc, 'div', { class: 'meta award' });
      if (k.award_id) {
        const id = t('cardAwardId', k.award_id);
        award.append(link(doc, k.award_url, id, 'usaspending.gov') ?? id);
      }
      const extra = [
        k.actions != null && this.count(k.actions, 'countAction'),
        k.latest_modification && t('latestModification', k.latest_modification),
        k.parent_award_id && t('cardOrderUnder', k.parent_award_id),
        k.product_or_service,
      ].filter(Boolean).join(' · ');
      if (extra) award.append(`${k.award_id ? ' · ' : ''}${extra}`);
      return el(doc, 'li', { class: 'contract' },
        el(doc, 'div', { class: 'agency', text: agency }),
        k.recipient ? el(doc, 'div', { class: 'recipient', text: t('cardAwardedTo', k.recipient) }) : null,
        k.description ? el(doc, 'div', { class: 'description', text: k.description }) : null,
        amounts ? el(doc, 'div', { class: 'amount', text: amounts }) : null,
        (dates || term || options) ? el(doc, 'div', { class: 'meta', text: [dates, options, term].filter(Boolean).join(' · ') }) : null,
        award.childNodes.length ? award : null,
        k.via_evidence ? el(doc, 'div', { class: 'meta via', text: t('cardViaEvidence', k.via_evidence) }) : null,
        k.vehicle ? el(doc, 'div', { class: 'meta', text: t('cardVehicle') }) : null,
        k.potential_below_obligated ? el(doc, 'div', { class: 'meta note', text: t('cardPotentialBelowObligated') }) : null,
        k.from_spending_data ? el(doc, 'div', { class: 'meta', text: t('cardFromSpendingData') }) : null,
        k.note ? el(doc, 'div', { class: 'meta note', text: k.note }) : null,
        sourceLinks(doc, k.sources),
        orders.length ? el(doc, 'ul', { class: 'orders' }, ...orders.map((o) => this.contractItem(o))) : null);
    }
  }

  globalThis.ContractLensAnnotator = {
    create: (options) => new Annotator(options),
    MARK_TAG,
    CARD_TAG,
  };
})();
