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

  const MARK_STYLE = [
    'text-decoration: underline dotted currentColor 1px',
    'text-underline-offset: 0.2em',
    'text-decoration-skip-ink: none',
    'cursor: help',
    'border-radius: 2px',
  ].join(';');

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
        if (value === undefined || value === null) continue;
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

  function sourceLinks(doc, sources) {
    const list = el(doc, 'span', { class: 'sources' });
    const seen = new Set();
    for (const source of sources || []) {
      const href = safeHttpsUrl(source.url);
      if (!href || seen.has(href)) continue;
      seen.add(href);
      list.append(el(doc, 'a', {
        href, target: '_blank', rel: 'noopener noreferrer', text: hostOf(href),
        title: source.quote ? `“${source.quote}”` : href,
      }));
    }
    return list;
  }

  const CARD_CSS = `
    :host { all: initial; }
    .card {
      box-sizing: border-box; position: fixed; z-index: 2147483647;
      width: min(640px, calc(100vw - 16px)); max-height: min(70vh, 560px); overflow: auto;
      font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
      color: #1d232b; background: #fff; border: 1px solid #c9d1da; border-radius: 8px;
      box-shadow: 0 8px 28px rgba(20, 30, 45, .22); padding: 12px 14px;
    }
    @media (prefers-color-scheme: dark) {
      .card { color: #e7ecf2; background: #1f252d; border-color: #3b4654; }
      a { color: #8cc4ff; }
      .muted, .meta { color: #a7b2bf; }
    }
    h2 { font-size: 16px; margin: 0 0 2px; }
    h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; margin: 10px 0 4px; }
    .muted, .meta { color: #5b6673; }
    .columns { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 14px; }
    .card { overflow-wrap: anywhere; }
    @media (max-width: 520px) { .columns { grid-template-columns: minmax(0, 1fr); } }
    ul { list-style: none; margin: 0; padding: 0; }
    li { padding: 6px 0; border-top: 1px solid rgba(127, 140, 155, .25); }
    .agency { font-weight: 600; }
    blockquote { margin: 2px 0; font-style: italic; }
    .sources a { margin-right: 6px; }
    a { color: #0b5cad; }
    footer { margin-top: 8px; font-size: 12px; }
    .more { font: inherit; color: inherit; background: none; border: 1px solid currentColor;
      border-radius: 4px; padding: 2px 8px; cursor: pointer; }
    .note { font-size: 12px; }
  `;

  function contractItem(doc, k) {
    const agency = [k.agency, k.sub_agency].filter(Boolean).join(' › ') || 'Agency not named';
    const amounts = [
      k.obligated_usd != null && `obligated ${money.format(k.obligated_usd)}`,
      k.potential_usd != null && `potential ${money.format(k.potential_usd)}`,
      k.reported_usd != null && `reported ${money.format(k.reported_usd)}`,
    ].filter(Boolean).join(' · ');
    let dates = '';
    if (k.start && k.end) dates = `${k.start} to ${k.end}`;
    else if (k.start) dates = `from ${k.start}`;
    else if (k.end) dates = `until ${k.end}`;
    const term = k.base_years != null && k.option_years != null
      ? `${k.base_years} year${k.base_years === 1 ? '' : 's'} + ${k.option_years} option year${k.option_years === 1 ? '' : 's'}`
      : '';
    const options = k.potential_end && k.potential_end !== k.end ? `with options to ${k.potential_end}` : '';
    const award = [
      k.award_id && `Award ID ${k.award_id}`,
      k.modifications != null && `${k.modifications} modification${k.modifications === 1 ? '' : 's'}`,
      k.product_or_service,
    ].filter(Boolean).join(' · ');
    return el(doc, 'li', { class: 'contract' },
      el(doc, 'div', { class: 'agency', text: agency }),
      k.recipient ? el(doc, 'div', { class: 'recipient', text: `Awarded to ${k.recipient}` }) : null,
      k.description ? el(doc, 'div', { class: 'description', text: k.description }) : null,
      amounts ? el(doc, 'div', { class: 'amount', text: amounts }) : null,
      (dates || term || options) ? el(doc, 'div', { class: 'meta', text: [dates, options, term].filter(Boolean).join(' · ') }) : null,
      award ? el(doc, 'div', { class: 'meta', text: award }) : null,
      k.from_spending_data ? el(doc, 'div', { class: 'meta', text: 'From USAspending records' }) : null,
      k.note ? el(doc, 'div', { class: 'meta note', text: k.note }) : null,
      sourceLinks(doc, k.sources));
  }

  function statementItem(doc, s) {
    return el(doc, 'li', { class: 'statement' },
      el(doc, 'div', { class: 'meta', text: `${s.date || 'Undated'} · ${s.speaker}` }),
      el(doc, 'blockquote', { text: `“${s.text}”` }),
      s.medium ? el(doc, 'div', { class: 'meta', text: s.medium }) : null,
      sourceLinks(doc, s.sources));
  }

  function summaryLine(card) {
    const s = card.summary;
    const parts = [
      `${s.contracts} contract${s.contracts === 1 ? '' : 's'}`,
      `${s.statements} statement${s.statements === 1 ? '' : 's'}`,
    ];
    if (s.agencies.length) parts.push(s.agencies.join(', '));
    const total = [
      s.obligated_usd > 0 && `${money.format(s.obligated_usd)} obligated`,
      s.potential_usd > 0 && `${money.format(s.potential_usd)} potential`,
      s.reported_usd > 0 && `${money.format(s.reported_usd)} reported`,
    ].filter(Boolean);
    if (total.length) parts.push(total.join(', '));
    if (s.first_year) {
      parts.push(s.first_year === s.last_year ? `${s.first_year}` : `${s.first_year}–${s.last_year}`);
    }
    return parts.join(' · ');
  }

  function renderCard(doc, card, matchedName) {
    const titleId = 'contract-lens-card-title';
    const root = el(doc, 'div', {
      class: 'card', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': titleId,
    });
    root.append(el(doc, 'h2', { id: titleId, text: card.name }));
    if (!card.curated) root.append(el(doc, 'div', { class: 'muted', text: 'Known from USAspending records only' }));
    if (card.parent) root.append(el(doc, 'div', { class: 'muted parent', text: `Owned by ${card.parent}` }));
    root.append(el(doc, 'div', { class: 'muted summary', text: summaryLine(card) }));
    const contracts = el(doc, 'section', { class: 'contracts' },
      el(doc, 'h3', { text: 'Government contracts' }));
    const contractList = el(doc, 'ul');
    // Big contractors have hundreds of awards: the first few, then more on request.
    const FIRST = 8;
    const MORE = 50;
    let shown = 0;
    const showMore = el(doc, 'button', { type: 'button', class: 'more' });
    const renderMore = (count) => {
      for (const k of card.contracts.slice(shown, shown + count)) contractList.insertBefore(contractItem(doc, k), moreItem);
      shown = Math.min(card.contracts.length, shown + count);
      const left = card.contracts.length - shown;
      showMore.textContent = `Show ${Math.min(left, MORE)} more of ${left}`;
      moreItem.hidden = left === 0;
    };
    const moreItem = el(doc, 'li', { class: 'more-item' }, showMore);
    contractList.append(moreItem);
    showMore.addEventListener('click', () => renderMore(MORE));
    renderMore(FIRST);
    if (!card.contracts.length) contractList.append(el(doc, 'li', { class: 'muted', text: 'None recorded.' }));
    contracts.append(contractList);
    const statements = el(doc, 'section', { class: 'statements' },
      el(doc, 'h3', { text: 'What the company said' }));
    const statementList = el(doc, 'ul');
    for (const s of card.statements) statementList.append(statementItem(doc, s));
    if (!card.statements.length) statementList.append(el(doc, 'li', { class: 'muted', text: 'No public statement recorded.' }));
    statements.append(statementList);
    root.append(el(doc, 'div', { class: 'columns' }, contracts, statements));
    root.append(el(doc, 'footer', {
      class: 'muted',
      text: `Data as of ${card.data_as_of}. Marked because the text names “${matchedName}”.`,
    }));
    return root;
  }

  class Annotator {
    constructor({ backend, document: doc = globalThis.document }) {
      this.backend = backend;
      this.doc = doc;
      this.marks = [];
      this.splits = new Map(); // original text node -> { data, created: [nodes] }
      this.generation = 0;
      this.cardHost = null;
      this.cardFor = null;
      this.timers = { open: 0, close: 0 };
      this.listening = false;
      this.onOver = (e) => this.pointerOver(e);
      this.onOut = (e) => this.pointerOut(e);
      this.onFocus = (e) => this.focusIn(e);
      this.onKey = (e) => { if (e.key === 'Escape') this.closeCard(); };
      this.onScroll = () => this.placeCard();
    }

    /** Marks every mention under `root`. Resolves to the number of mentions marked. */
    async annotate(root = this.doc.body) {
      const generation = this.generation;
      const blocks = collectBlocks(root);
      if (!blocks.length) return 0;
      const lengths = blocks.map((b) => b.nodes.map((n) => n.data.length));
      const flat = await this.backend.scan(blocks.map((b) => b.text));
      // Switched off (or re-run) while the core was working: drop these results.
      if (generation !== this.generation) return 0;
      const byBlock = new Map();
      for (let i = 0; i + 4 < flat.length; i += 5) {
        const [block, start, end, company, name] = [flat[i], flat[i + 1], flat[i + 2], flat[i + 3], flat[i + 4]];
        if (!byBlock.has(block)) byBlock.set(block, []);
        byBlock.get(block).push({ start, end, company, name });
      }
      blocks.forEach((b, i) => { b.lengths = lengths[i]; });
      let marked = 0;
      for (const [index, mentions] of byBlock) {
        const block = blocks[index];
        // The page changed this block while we were away: leave it alone rather than guess.
        if (!block || block.nodes.some((n, i) => !n.isConnected || n.data.length !== lengths[index][i])) continue;
        mentions.sort((a, b) => b.start - a.start);
        for (const m of mentions) {
          this.wrapMention(block, m);
          marked += 1;
        }
      }
      if (marked) this.listen();
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
        this.splits.set(node, { data: node.data, created: [] });
      }
      const record = this.splits.get(node);
      if (end < node.data.length) record.created.push(node.splitText(end));
      let target = node;
      if (start > 0) {
        target = node.splitText(start);
        record.created.push(target);
      }
      const mark = this.doc.createElement(MARK_TAG);
      mark.setAttribute('style', MARK_STYLE);
      mark.dataset.company = String(mention.company);
      mark.dataset.name = String(mention.name);
      if (first) {
        mark.setAttribute('tabindex', '0');
        mark.setAttribute('aria-haspopup', 'dialog');
      }
      target.parentNode.insertBefore(mark, target);
      mark.appendChild(target);
      this.marks.push(mark);
    }

    /** Removes every mark and restores every text node: the DOM is as it was before. */
    clear() {
      this.generation += 1;
      this.closeCard();
      for (const mark of this.marks) {
        const parent = mark.parentNode;
        if (!parent) continue;
        while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
        mark.remove();
      }
      for (const [node, record] of this.splits) {
        for (const created of record.created) created.remove();
        node.data = record.data;
      }
      this.marks = [];
      this.splits.clear();
      this.unlisten();
      if (this.cardHost) {
        this.cardHost.remove();
        this.cardHost = null;
      }
    }

    get markCount() {
      return this.marks.length;
    }

    listen() {
      if (this.listening) return;
      this.listening = true;
      this.doc.addEventListener('mouseover', this.onOver, true);
      this.doc.addEventListener('mouseout', this.onOut, true);
      this.doc.addEventListener('focusin', this.onFocus, true);
      this.doc.addEventListener('keydown', this.onKey, true);
      this.doc.defaultView?.addEventListener('scroll', this.onScroll, { passive: true, capture: true });
    }

    unlisten() {
      if (!this.listening) return;
      this.listening = false;
      this.doc.removeEventListener('mouseover', this.onOver, true);
      this.doc.removeEventListener('mouseout', this.onOut, true);
      this.doc.removeEventListener('focusin', this.onFocus, true);
      this.doc.removeEventListener('keydown', this.onKey, true);
      this.doc.defaultView?.removeEventListener('scroll', this.onScroll, { capture: true });
    }

    markFrom(target) {
      return target instanceof Element ? target.closest(MARK_TAG) : null;
    }

    pointerOver(event) {
      const mark = this.markFrom(event.target);
      if (mark) {
        clearTimeout(this.timers.close);
        clearTimeout(this.timers.open);
        this.timers.open = setTimeout(() => this.openCard(mark), HOVER_DELAY_MS);
      } else if (this.cardHost && event.target === this.cardHost) {
        clearTimeout(this.timers.close);
      }
    }

    pointerOut(event) {
      const from = this.markFrom(event.target) || (event.target === this.cardHost ? this.cardHost : null);
      if (!from) return;
      const to = event.relatedTarget;
      if (to && (to === this.cardHost || this.markFrom(to) === from)) return;
      clearTimeout(this.timers.open);
      clearTimeout(this.timers.close);
      this.timers.close = setTimeout(() => this.closeCard(), LEAVE_GRACE_MS);
    }

    focusIn(event) {
      const mark = this.markFrom(event.target);
      if (mark) this.openCard(mark);
    }

    async openCard(mark) {
      if (this.cardFor === mark && this.cardHost?.isConnected) return;
      const company = Number(mark.dataset.company);
      const name = Number(mark.dataset.name);
      const data = await this.backend.card(company, name);
      if (!data || !mark.isConnected) return;
      if (!this.cardHost) {
        this.cardHost = this.doc.createElement(CARD_TAG);
        this.cardHost.attachShadow({ mode: 'open' });
      }
      const shadow = this.cardHost.shadowRoot;
      shadow.replaceChildren(
        el(this.doc, 'style', { text: CARD_CSS }),
        renderCard(this.doc, data.card, data.name));
      if (!this.cardHost.isConnected) this.doc.documentElement.append(this.cardHost);
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

    closeCard() {
      clearTimeout(this.timers.open);
      clearTimeout(this.timers.close);
      if (this.cardFor) this.cardFor.removeAttribute('aria-expanded');
      this.cardFor = null;
      if (this.cardHost) this.cardHost.remove();
    }
  }

  globalThis.ContractLensAnnotator = {
    create: (options) => new Annotator(options),
    collectBlocks,
    safeHttpsUrl,
    MARK_TAG,
    CARD_TAG,
  };
})();
