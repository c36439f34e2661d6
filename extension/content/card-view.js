// Renders a company's card from what the core returns (src/card.rs): DOM only, no behaviour
// but the card's own buttons. Page and dataset text reach the DOM only as text (dom.js).
import { el, link, sourceLinks } from './dom.js';
import { afterLine, headlineOf } from './headline.js';

/** @typedef {import('../common/strings.js').Words} Words */
/** @typedef {{ doc: Document, w: Words }} View */
/** @typedef {Record<string, any>} Contract one of a card's contracts, as src/card.rs writes it */
/** @typedef {Record<string, any>} CardData a card as it opens, as src/card.rs writes it (OpeningCard) */
/** @typedef {{ from: number, to: number }} Slice contracts of the whole card the opening card left out */
/** @typedef {(slices: Slice[]) => Promise<Contract[][]>} FetchContracts the contracts of each slice */
/**
 * @typedef {object} CardActions what the card's buttons do
 * @property {() => void} close
 * @property {(event: Event) => void} dismiss
 * @property {() => void} expand called after "More" opened the rest
 * @property {FetchContracts} contracts the awards the card opened without (a year's, a
 *   vehicle's other orders), when the reader opens them
 */

// The first entries and a vehicle's first orders come with the card (src/card.rs); the rest
// are fetched and shown MORE_PER_CLICK at a time.
const MORE_PER_CLICK = 50;
// A vehicle's orders shown under it at first, as many as the core sends with the card
// (src/card.rs FIRST_ORDERS): one reseller vehicle has 288.
const FIRST_ORDERS = 3;
const TIMELINE_TEXT = 160;

/**
 * The card's root element: compact first (the company, its summary, and the line that matters
 * most), the rest behind "More".
 * @param {View} view
 * @param {CardData} card
 * @param {string} matchedName the name in the text that made the mark
 * @param {CardActions} actions
 * @param {boolean} expanded whether to open with everything shown (the reader asked before)
 */
export function renderCard(view, card, matchedName, actions, expanded = false) {
  const { doc, w } = view;
  const { t } = w;
  const titleId = 'contract-lens-card-title';
  // The card speaks the reader's language whatever the page's, for screen readers too.
  const root = el(doc, 'div', { class: 'card', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': titleId, lang: w.locale });
  const close = el(doc, 'button', { type: 'button', class: 'close', 'aria-label': t('cardClose'), text: '×' });
  close.addEventListener('click', actions.close);
  const titles = el(doc, 'div', { class: 'titles' }, el(doc, 'h2', { id: titleId, text: card.name }));
  if (card.parent) titles.append(el(doc, 'div', { class: 'muted parent', text: t('cardOwnedBy', card.parent) }));
  if (!card.curated) titles.append(el(doc, 'div', { class: 'muted', text: t('cardUncurated') }));
  titles.append(el(doc, 'div', { class: 'muted summary', text: summaryLine(w, card) }));
  root.append(el(doc, 'header', null, titles, close));
  const headline = headlineOf(view, card);
  if (headline) root.append(headline);
  const detailsId = 'contract-lens-card-details';
  const details = el(doc, 'div', { class: 'details', id: detailsId });
  if (card.timeline.length >= 2) details.append(timeline(view, card));
  details.append(el(doc, 'div', { class: 'columns' }, contracts(view, card, actions.contracts), statements(view, card)));
  details.append(
    el(
      doc,
      'div',
      { class: 'muted about' },
      el(doc, 'span', { class: 'why', text: `${t('cardDataAsOf', w.date(card.data_as_of))} ${t('cardWhyMarked', matchedName)}` }),
      // What each set of spending records covers, so a gap never reads as "no contracts".
      ...card.spending_sources.map((/** @type {Record<string, string>} */ s) =>
        el(doc, 'span', {
          class: 'source-dates',
          text: t('cardSpendingSource', s.name, w.date(s.first_action), w.date(s.last_action), s.gaps),
        }),
      ),
    ),
  );
  root.append(details);
  const more = el(doc, 'button', { type: 'button', class: 'more-details', 'aria-controls': detailsId, text: t('cardMore') });
  const show = (/** @type {boolean} */ open) => {
    root.classList.toggle('compact', !open);
    details.hidden = !open;
    more.hidden = open;
    more.setAttribute('aria-expanded', String(open));
  };
  show(expanded);
  more.addEventListener('click', () => {
    show(true);
    actions.expand();
  });
  const notThis = el(doc, 'button', { type: 'button', class: 'not-this', text: t('cardNotThisCompany') });
  notThis.addEventListener('click', actions.dismiss);
  root.append(el(doc, 'footer', { class: 'muted' }, more, notThis));
  return root;
}

/** @param {View} view @param {CardData} card */
function timeline({ doc, w }, card) {
  const { t } = w;
  const list = el(doc, 'ol', { class: 'timeline' });
  for (const event of card.timeline) {
    const isAward = event.kind === 'award';
    const award = event.award;
    const statement = card.statements[event.index];
    const what = isAward
      ? [award.agency, award.recipient && t('cardAwardedTo', award.recipient), award.description].filter(Boolean).join(' · ')
      : `${statement.speaker}: “${statement.text}”`;
    list.append(
      el(
        doc,
        'li',
        { class: `kind-${event.kind}` },
        el(doc, 'span', { class: 'meta', text: w.date(event.date) }),
        el(doc, 'span', { class: 'dot', 'aria-label': t(isAward ? 'cardAward' : 'cardStatement'), text: isAward ? '◆' : '❝' }),
        el(doc, 'span', { class: 'what', text: what.length > TIMELINE_TEXT ? `${what.slice(0, TIMELINE_TEXT - 3)}…` : what }),
      ),
    );
  }
  return el(doc, 'section', { class: 'timeline-section' }, el(doc, 'h3', { text: t('cardTimeline') }), list);
}

/**
 * The first entries (an award, with the orders under it if it is a vehicle), then the other
 * awards grouped by year, each group summed up and its awards fetched when it is opened: big
 * contractors have hundreds.
 * @param {View} view
 * @param {CardData} card
 * @param {FetchContracts} fetch
 */
function contracts(view, card, fetch) {
  const { doc, w } = view;
  const { t } = w;
  const section = el(doc, 'section', { class: 'contracts' }, el(doc, 'h3', { text: t('cardContracts') }));
  const list = el(doc, 'ul');
  for (const entry of card.entries) list.append(contractItem(view, entry.contract, entry.orders, entry.more_orders, fetch));
  if (!card.entries.length) list.append(el(doc, 'li', { class: 'muted', text: t('cardNoContracts') }));
  section.append(list);
  for (const group of card.years) section.append(yearGroup(view, group, fetch));
  return section;
}

/** @param {View} view @param {CardData} card */
function statements({ doc, w }, card) {
  const { t } = w;
  const section = el(doc, 'section', { class: 'statements' }, el(doc, 'h3', { text: t('cardStatements') }));
  const list = el(doc, 'ul');
  card.statements.forEach((/** @type {Record<string, any>} */ s, /** @type {number} */ i) => {
    const after = card.after_statements[i];
    list.append(
      el(
        doc,
        'li',
        { class: 'statement' },
        el(doc, 'div', { class: 'meta', text: `${s.date ? w.date(s.date) : t('cardUndated')} · ${s.speaker}` }),
        el(doc, 'blockquote', { text: `“${s.text}”` }),
        s.medium ? el(doc, 'div', { class: 'meta', text: s.medium }) : null,
        sourceLinks(doc, s.sources),
        after ? el(doc, 'div', { class: 'after', text: afterLine(w, after) }) : null,
      ),
    );
  });
  if (!card.statements.length) list.append(el(doc, 'li', { class: 'muted', text: t('cardNoStatements') }));
  section.append(list);
  return section;
}

/**
 * A year's entries, summed up in one line, fetched and listed when opened, MORE_PER_CLICK at a
 * time.
 * @param {View} view
 * @param {{ year: string | null, awards: number, obligated_usd: number, entries: Slice[] }} group
 * @param {FetchContracts} fetch
 */
function yearGroup(view, group, fetch) {
  const { doc, w } = view;
  const { t } = w;
  const summary = el(doc, 'summary', {
    text: [
      group.year ?? t('cardUndated'),
      w.count(group.awards, 'countContract'),
      group.obligated_usd > 0 && t('totalObligated', w.money(group.obligated_usd)),
    ]
      .filter(Boolean)
      .join(' · '),
  });
  const details = /** @type {HTMLDetailsElement} */ (el(doc, 'details', { class: 'year' }, summary));
  const list = el(doc, 'ul');
  details.append(list);
  const listed = growingList(
    view,
    list,
    group.entries.length,
    // Each entry's slice is an award and the orders under it.
    (from, to) => fetch(group.entries.slice(from, to)).then((entries) => entries.map(([k, ...orders]) => contractItem(view, k, orders))),
    0,
  );
  details.addEventListener('toggle', () => {
    if (details.open && listed.shown() === 0) listed.more();
  });
  return details;
}

/**
 * Fills `list` with `total` items as the reader asks: `first` of them now, then MORE_PER_CLICK
 * at a time from a "Show more" button at its end. `items(from, to)` gives the elements of items
 * `from` to `to`, at once or once fetched; while they come, the button waits, and if they
 * cannot come, it says so and can be pressed again.
 * @param {View} view
 * @param {HTMLElement} list
 * @param {number} total
 * @param {(from: number, to: number) => HTMLElement[] | Promise<HTMLElement[]>} items
 * @param {number} first
 */
function growingList({ doc, w }, list, total, items, first) {
  const showMore = /** @type {HTMLButtonElement} */ (el(doc, 'button', { type: 'button', class: 'more' }));
  const moreItem = el(doc, 'li', { class: 'more-item' }, showMore);
  list.append(moreItem);
  let shown = 0;
  let loading = false;
  const settle = () => {
    const left = total - shown;
    showMore.textContent = w.t('cardShowMore', Math.min(left, MORE_PER_CLICK), left);
    moreItem.hidden = left === 0;
  };
  /** @param {HTMLElement[]} elements @param {number} to */
  const add = (elements, to) => {
    for (const element of elements) list.insertBefore(element, moreItem);
    shown = to;
    settle();
  };
  const show = (/** @type {number} */ count) => {
    if (loading) return;
    const to = Math.min(total, shown + count);
    const elements = items(shown, to);
    if (Array.isArray(elements)) {
      add(elements, to);
      return;
    }
    loading = true;
    showMore.disabled = true;
    list.setAttribute('aria-busy', 'true');
    elements
      .then(
        (ready) => add(ready, to),
        () => {
          showMore.textContent = w.t('cardLoadFailed');
        },
      )
      .finally(() => {
        loading = false;
        showMore.disabled = false;
        list.removeAttribute('aria-busy');
      });
  };
  showMore.addEventListener('click', () => show(MORE_PER_CLICK));
  settle();
  if (first > 0) show(first);
  return { shown: () => shown, more: () => show(MORE_PER_CLICK) };
}

/** The line under the company's name. @param {Words} w @param {CardData} card */
export function summaryLine(w, card) {
  const { t } = w;
  const s = card.summary;
  const parts = [w.count(s.contracts, 'countContract'), w.count(s.statements, 'countStatement')];
  if (s.via_awards) parts.push(w.count(s.via_awards, 'countViaAward'));
  if (s.agencies.length) parts.push(s.agencies.join(', '));
  const total = [
    s.obligated_usd > 0 && t('totalObligated', w.money(s.obligated_usd)),
    s.potential_usd > 0 && t('totalPotential', w.money(s.potential_usd)),
    s.reported_usd > 0 && t('totalReported', w.money(s.reported_usd)),
  ].filter(Boolean);
  if (total.length) parts.push(total.join(', '));
  if (s.first_year) parts.push(w.years(s.first_year, s.last_year));
  return parts.join(' · ');
}

/** @param {Words} w @param {Contract} k */
function amountsLine(w, k) {
  const { t } = w;
  return [
    k.obligated_usd != null && t('amountObligated', w.money(k.obligated_usd)),
    k.obligated_usd == null && k.from_spending_data && t('amountNoObligations'),
    k.deobligated_usd != null && t('amountDeobligated', w.money(k.deobligated_usd)),
    k.potential_usd != null && t('amountPotential', w.money(k.potential_usd)),
    k.reported_usd != null && t('amountReported', w.money(k.reported_usd)),
  ]
    .filter(Boolean)
    .join(' · ');
}

/** @param {Words} w @param {Contract} k */
function datesLine(w, k) {
  const { t } = w;
  const d = w.date;
  let dates = '';
  if (k.start && k.end) dates = t('datesFromTo', d(k.start), d(k.end));
  else if (k.start) dates = t('datesFrom', d(k.start));
  else if (k.first_action) dates = t('datesFirstAction', d(k.first_action), d(k.last_action ?? k.first_action));
  else if (k.end) dates = t('datesUntil', d(k.end));
  // Without an end, the records' last action says how far they reach.
  if (k.start && !k.end && k.last_action && k.last_action !== k.start) dates += ` · ${t('datesLastAction', d(k.last_action))}`;
  const term =
    k.base_years != null && k.option_years != null
      ? t('termYears', w.count(k.base_years, 'countYear'), w.count(k.option_years, 'countOptionYear'))
      : '';
  const options = k.potential_end && k.potential_end !== k.end ? t('datesWithOptions', d(k.potential_end)) : '';
  return [dates, options, term].filter(Boolean).join(' · ');
}

/**
 * One award, with the orders under it if it is a vehicle: those given, then the slice of the
 * card's contracts that holds the rest, fetched on request.
 * @param {View} view
 * @param {Contract} k
 * @param {Contract[]} [orders]
 * @param {Slice | null} [moreOrders]
 * @param {FetchContracts} [fetch]
 * @returns {HTMLElement}
 */
function contractItem(view, k, orders = [], moreOrders = null, fetch = undefined) {
  const { doc, w } = view;
  const { t } = w;
  const agency = [k.agency, k.sub_agency].filter(Boolean).join(' › ') || t('cardAgencyNotNamed');
  const amounts = amountsLine(w, k);
  const dates = datesLine(w, k);
  const award = el(doc, 'div', { class: 'meta award' });
  if (k.award_id) {
    const id = t('cardAwardId', k.award_id);
    award.append(link(doc, k.award_url, id, 'usaspending.gov') ?? id);
  }
  const extra = [
    k.actions != null && w.count(k.actions, 'countAction'),
    k.latest_modification && t('latestModification', k.latest_modification),
    k.parent_award_id && t('cardOrderUnder', k.parent_award_id),
    k.product_or_service,
  ]
    .filter(Boolean)
    .join(' · ');
  if (extra) award.append(`${k.award_id ? ' · ' : ''}${extra}`);
  return el(
    doc,
    'li',
    { class: 'contract' },
    el(doc, 'div', { class: 'agency', text: agency }),
    k.recipient ? el(doc, 'div', { class: 'recipient', text: t('cardAwardedTo', k.recipient) }) : null,
    k.description ? el(doc, 'div', { class: 'description', text: k.description }) : null,
    amounts ? el(doc, 'div', { class: 'amount', text: amounts }) : null,
    dates ? el(doc, 'div', { class: 'meta', text: dates }) : null,
    award.childNodes.length ? award : null,
    k.via_evidence ? el(doc, 'div', { class: 'meta via', text: t('cardViaEvidence', k.via_evidence) }) : null,
    k.vehicle ? el(doc, 'div', { class: 'meta', text: t('cardVehicle') }) : null,
    k.potential_below_obligated ? el(doc, 'div', { class: 'meta note', text: t('cardPotentialBelowObligated') }) : null,
    k.from_spending_data ? el(doc, 'div', { class: 'meta', text: t('cardFromSpendingData') }) : null,
    k.note ? el(doc, 'div', { class: 'meta note', text: k.note }) : null,
    sourceLinks(doc, k.sources),
    orders.length ? ordersList(view, orders, moreOrders, fetch) : null,
  );
}

/**
 * A vehicle's orders: those given at first, the rest (`more`, fetched) on request.
 * @param {View} view
 * @param {Contract[]} given
 * @param {Slice | null} more
 * @param {FetchContracts | undefined} fetch
 */
function ordersList(view, given, more, fetch) {
  const list = el(view.doc, 'ul', { class: 'orders' });
  const render = (/** @type {Contract} */ o) => contractItem(view, o);
  const total = given.length + (more && fetch ? more.to - more.from : 0);
  growingList(
    view,
    list,
    total,
    (from, to) => {
      const elements = given.slice(from, to).map(render);
      if (to <= given.length) return elements;
      const rest = /** @type {Slice} */ (more);
      const slice = { from: rest.from + Math.max(0, from - given.length), to: rest.from + to - given.length };
      return /** @type {FetchContracts} */ (fetch)([slice]).then(([orders]) => [...elements, ...orders.map(render)]);
    },
    Math.min(given.length, FIRST_ORDERS),
  );
  return list;
}
