import english from '../../extension/_locales/en/messages.json';
import french from '../../extension/_locales/fr/messages.json';
import { formatLocale, words } from '../../extension/common/strings.js';
import { renderCard } from '../../extension/content/card-view.js';
import { safeHttpsUrl } from '../../extension/content/dom.js';
import { afterLine } from '../../extension/content/headline.js';

const EN = words(undefined, 'en-US', english);
const FR_CA = words(undefined, 'fr-CA', french);

import { deepEqual, equal, ok, test, until } from './harness.js';

/** @typedef {{ from: number, to: number }} Slice */

/**
 * The card's buttons, doing nothing, and its other contracts fetched from `all` (a card's whole
 * list, as the core keeps it), each request recorded.
 * @param {Record<string, any>[]} [all]
 */
function actionsOver(all = []) {
  /** @type {Slice[][]} */
  const asked = [];
  /** @type {Error | null} the next request's failure */
  let failure = null;
  return {
    asked,
    failNext(/** @type {Error} */ error) {
      failure = error;
    },
    close() {},
    dismiss() {},
    expand() {},
    async contracts(/** @type {Slice[]} */ slices) {
      asked.push(slices);
      const error = failure;
      failure = null;
      if (error) throw error;
      return slices.map((s) => all.slice(s.from, s.to));
    },
  };
}

const hostile = '<img src=x onerror="globalThis.injected = true">';

/** A card as src/card.rs opens it, with the given contracts (each an entry) and statements. */
function cardData(/** @type {Record<string, any>[]} */ contracts, /** @type {Record<string, any>[]} */ statements) {
  return {
    name: `Acme ${hostile}`,
    curated: true,
    parent: null,
    summary: {
      contracts: contracts.length,
      statements: statements.length,
      agencies: ['ICE'],
      obligated_usd: 0,
      potential_usd: 0,
      reported_usd: 508832,
      via_awards: 0,
      first_year: 2020,
      last_year: 2020,
    },
    timeline: [],
    /** @type {{ contract: Record<string, any>, orders: Record<string, any>[], more_orders: Slice | null }[]} */
    entries: contracts.map((contract) => ({ contract, orders: [], more_orders: null })),
    /** @type {{ year: string | null, awards: number, obligated_usd: number, entries: { from: number, to: number }[] }[]} */
    years: [],
    statements,
    after_statements: statements.map(() => /** @type {Record<string, any> | null} */ (null)),
    data_as_of: '2026-08-20',
    spending_sources: [],
  };
}

test('dataset text reaches the card only as text, and links only when https:', () => {
  const card = cardData(
    [
      {
        agency: 'ICE',
        description: hostile,
        reported_usd: 508832,
        sources: [{ url: 'javascript:alert(1)' }, { url: 'http://example.org/' }, { url: 'https://www.usaspending.gov/award/1' }],
      },
    ],
    [{ date: '2020-09-24', speaker: 'Acme', text: hostile, sources: [{ url: 'https://example.org/said', quote: hostile }] }],
  );
  const root = renderCard({ doc: document, w: EN }, card, hostile, actionsOver());
  document.body.append(root);
  equal(root.querySelectorAll('img').length, 0, 'no markup from the data');
  ok(root.textContent?.includes(hostile), 'the markup is shown as text');
  deepEqual(
    [...root.querySelectorAll('a')].map((a) => a.href),
    ['https://www.usaspending.gov/award/1', 'https://example.org/said'],
  );
  ok(root.textContent?.includes('reported $508,832'), 'amounts in the English fallback keep their "$"');
  equal(/** @type {any} */ (globalThis).injected, undefined);
});

test('only https: URLs are links', () => {
  // Cases: the URL, and the link made of it (null: none).
  const cases = [
    ['https://example.org/a', 'https://example.org/a'],
    ['HTTPS://EXAMPLE.ORG/', 'https://example.org/'],
    ['http://example.org/', null],
    ['javascript:alert(1)', null],
    ['data:text/html,hi', null],
    ['//example.org/', null],
    ['not a url', null],
  ];
  for (const [url, expected] of cases) equal(safeHttpsUrl(/** @type {string} */ (url)), expected, url ?? '');
});

test('the English fallback comes from _locales/en and substitutes literally', () => {
  const { t } = EN;
  equal(t('cardAwardedTo', 'FCN, Inc.'), 'Awarded to FCN, Inc.');
  equal(t('totalReported', '$508,832'), '$508,832 reported');
  equal(EN.count(3, 'countContract'), '3 contracts');
  const browser = words((key, subs) => (key === 'cardClose' ? `Fermer ${subs.length}` : ''), 'fr');
  equal(browser.t('cardClose'), 'Fermer 0');
  equal(browser.t('cardTimeline'), 'Timeline', 'a string the browser lacks falls back to English');
});

test(`plurals follow the language's rules, not "n === 1"`, () => {
  // Cases: [words, n, expected]. French says "0 contrat" and "1,5 an" (CLDR "one" is 0 <= n < 2).
  const cases = /** @type {const} */ ([
    [EN, 0, '0 contracts'],
    [EN, 1, '1 contract'],
    [EN, 2, '2 contracts'],
    [EN, 1234, '1,234 contracts'],
    [FR_CA, 0, '0 contrat'],
    [FR_CA, 1, '1 contrat'],
    [FR_CA, 2, '2 contrats'],
    [FR_CA, 1234, '1\u00a0234 contrats'],
  ]);
  for (const [w, n, expected] of cases) equal(w.count(n, 'countContract'), expected, `${w.locale} ${n}`);
  // A language with forms beyond "one" and "other" falls back to "Other" where a file has no more.
  const polish = words(undefined, 'pl', english);
  equal(polish.count(3, 'countContract'), '3 contracts');
});

test(`amounts and dates in the reader's locale, in US dollars`, () => {
  // Cases: [locale, amount, date] as a reader of that locale writes them.
  const cases = [
    ['en-US', '$508,832', 'Sep 24, 2020'],
    ['en-CA', 'US$508,832', 'Sep 24, 2020'],
    ['fr-CA', '508\u00a0832\u00a0$\u00a0US', '24 sept. 2020'],
    ['fr', '508\u202f832\u00a0$US', '24 sept. 2020'],
  ];
  for (const [locale, amount, date] of cases) {
    const w = words(undefined, locale, locale.startsWith('fr') ? french : english);
    equal(w.money(508832.4), amount, `${locale} amount`);
    equal(w.date('2020-09-24'), date, `${locale} date`);
  }
  equal(EN.date('2020-09'), '2020-09', 'a partial date is shown as the data gives it');
  equal(EN.date('2020-02-30'), 'Mar 1, 2020', `Date.UTC rolls over: the data's dates are validated at build`);
});

test(`the formats follow the reader's variant of the strings' language, never another language`, () => {
  // Cases: [strings' language, reader's languages, locale of the formats].
  const cases = [
    ['fr', ['fr-CA', 'en-CA'], 'fr-CA'],
    ['fr', ['fr', 'fr-CA'], 'fr-CA'],
    ['en', ['en-US', 'en-GB'], 'en-US'],
    ['fr', ['fr_FR'], 'fr-FR'],
    ['en', ['en-GB'], 'en-GB'],
    ['en', ['de-DE', 'de'], 'en'],
    ['fr', ['en-US', 'fr-BE'], 'fr-BE'],
    ['en', ['not a tag!'], 'en'],
  ];
  for (const [language, preferred, expected] of cases)
    equal(formatLocale(/** @type {string} */ (language), /** @type {string[]} */ (preferred)), expected, String(preferred));
});

test('a French card: every string from _locales/fr, amounts, dates and plurals in French', () => {
  const statement = { date: '2020-09-24', speaker: 'Acme', text: 'Non.', agencies: ['ICE'], sources: [] };
  const contract = { agency: 'ICE', description: 'Widgets', obligated_usd: 508832, start: '2020-09-18', end: '2021-09-17', sources: [] };
  const card = cardData([contract], [statement]);
  card.summary.obligated_usd = 508832;
  card.summary.reported_usd = 0;
  card.after_statements = [{ date: '2020-09-24', departments: ['DHS'], awards: 0, agencies: [], via: [] }];
  const root = renderCard({ doc: document, w: FR_CA }, card, 'Acme', actionsOver(), true);
  equal(root.getAttribute('lang'), 'fr-CA');
  equal(root.querySelector('.summary')?.textContent, '1 contrat · 1 déclaration · ICE · 508\u00a0832\u00a0$\u00a0US engagés · 2020');
  equal(root.querySelector('.headline .said')?.textContent, 'Acme, 24 sept. 2020\u00a0: «\u00a0Non.\u00a0»');
  equal(root.querySelector('.headline .after')?.textContent, 'Ensuite, dans les données\u00a0: aucun contrat avec DHS.');
  ok(root.querySelector('.contract')?.textContent?.includes('du 18 sept. 2020 au 17 sept. 2021'), 'dates in French');
  equal(root.querySelector('button.more-details')?.textContent, 'Plus');
});

test('every locale has every English string, with the same substitutions', () => {
  for (const [language, messages] of /** @type {const} */ ([['fr', french]])) {
    for (const [key, { message }] of Object.entries(english)) {
      const translated = /** @type {Record<string, { message: string }>} */ (messages)[key]?.message;
      ok(translated !== undefined, `${language} lacks ${key}`);
      const subs = (/** @type {string} */ m) =>
        [...m.matchAll(/\$\d/g)]
          .map((x) => x[0])
          .sort()
          .join();
      equal(subs(translated), subs(message), `${language} ${key}`);
    }
    equal(Object.keys(messages).length, Object.keys(english).length, `${language} has no string English lacks`);
  }
});

test('the card opens compact with the line that matters most, and "More" opens the rest', () => {
  const statement = { date: '2020-09-24', speaker: 'Acme CEO', text: 'We will not work with ICE.', agencies: ['ICE'], sources: [] };
  const card = cardData([{ agency: 'ICE', description: 'Widgets', sources: [] }], [statement]);
  card.after_statements = [
    {
      date: '2020-09-24',
      departments: ['Department of Homeland Security'],
      awards: 1,
      agencies: ['U.S. Customs and Border Protection'],
      via: ['SENECA STRATEGIC PARTNERS, LLC'],
      first_year: 2024,
      last_year: 2026,
      obligated_usd: 1683292.56,
      award_ids: ['70B06C24C00000048'],
    },
  ];
  let expanded = 0;
  const root = renderCard({ doc: document, w: EN }, card, 'Acme', {
    ...actionsOver(),
    expand() {
      expanded += 1;
    },
  });
  document.body.append(root);
  ok(root.classList.contains('compact'), 'compact first');
  equal(/** @type {HTMLElement} */ (root.querySelector('.details')).hidden, true);
  equal(root.querySelector('.headline .said')?.textContent, 'Acme CEO, Sep 24, 2020: “We will not work with ICE.”');
  equal(
    root.querySelector('.headline .after')?.textContent,
    'After this, in the records: 1 award (U.S. Customs and Border Protection), via SENECA STRATEGIC PARTNERS, LLC, 2024–2026, $1,683,293 obligated.',
  );
  const more = /** @type {HTMLElement} */ (root.querySelector('button.more-details'));
  equal(more.getAttribute('aria-expanded'), 'false');
  more.click();
  equal(expanded, 1);
  ok(!root.classList.contains('compact'), 'expanded');
  equal(/** @type {HTMLElement} */ (root.querySelector('.details')).hidden, false);
  equal(
    root.querySelector('.statement .after')?.textContent,
    root.querySelector('.headline .after')?.textContent,
    'and beside the statement',
  );
  // A company with no later award: said as plainly.
  equal(
    afterLine(EN, { departments: ['Department of Homeland Security'], awards: 0, agencies: [], via: [] }),
    'After this, in the records: no award with Department of Homeland Security.',
  );
  // Opened expanded when the reader asked before on this page.
  const again = renderCard({ doc: document, w: EN }, card, 'Acme', actionsOver(), true);
  ok(!again.classList.contains('compact'), 'remembered');
});

test("a vehicle's orders: the first three under it, the rest fetched on request, none lost", async () => {
  const order = (/** @type {number} */ i) => ({ agency: 'ICE', award_id: `ORDER-${i}`, under_vehicle: true, sources: [] });
  const vehicle = { agency: 'ICE', award_id: 'VEHICLE', vehicle: true, sources: [] };
  // The whole card, as the core keeps it: the vehicle, its 60 orders, another award.
  const all = [vehicle, ...Array.from({ length: 60 }, (_, i) => order(i)), { agency: 'CBP', award_id: 'ALONE', sources: [] }];
  const card = cardData([], []);
  card.entries = [
    { contract: vehicle, orders: all.slice(1, 4), more_orders: { from: 4, to: 61 } },
    { contract: all[61], orders: [], more_orders: null },
  ];
  const actions = actionsOver(all);
  const root = renderCard({ doc: document, w: EN }, card, 'Acme', actions);
  document.body.append(root);
  const ids = () => [...root.querySelectorAll('ul.orders > li.contract')].map((li) => /ORDER-\d+/.exec(li.textContent ?? '')?.[0]);
  deepEqual(ids(), ['ORDER-0', 'ORDER-1', 'ORDER-2']);
  equal(actions.asked.length, 0, 'nothing fetched before the reader asks');
  const more = /** @type {HTMLButtonElement} */ (root.querySelector('ul.orders > li.more-item button'));
  equal(more.textContent, 'Show 50 more of 57');
  more.click();
  ok(more.disabled, 'the button waits while they come');
  more.click();
  await until(() => ids().length === 53);
  deepEqual(actions.asked, [[{ from: 4, to: 54 }]], 'one request for the 50, not one per click');
  equal(more.textContent, 'Show 7 more of 7');
  // A request that fails says so, loses nothing, and can be made again.
  actions.failNext(new Error('the background is gone'));
  more.click();
  await until(() => !more.disabled);
  equal(more.textContent, 'Could not load them. Try again');
  equal(ids().length, 53);
  more.click();
  await until(() => ids().length === 60);
  deepEqual(
    ids(),
    Array.from({ length: 60 }, (_, i) => `ORDER-${i}`),
    'every order, in order',
  );
  ok(/** @type {HTMLElement} */ (more.parentElement).hidden, 'nothing more to show');
  // The award after the vehicle is an entry of its own, not an order.
  ok(
    [...root.querySelectorAll('section.contracts > ul > li.contract')].some((li) => li.textContent?.includes('ALONE')),
    'ALONE listed',
  );
  root.remove();
});

test("a year's awards: summed up at first, fetched when opened, a vehicle's orders shown a few at first", async () => {
  const award = (/** @type {string} */ id, /** @type {Record<string, any>} */ more = {}) => ({
    agency: 'ICE',
    award_id: id,
    sources: [],
    ...more,
  });
  const orders = Array.from({ length: 10 }, (_, i) => award(`ORDER-${i}`, { under_vehicle: true, obligated_usd: 1 }));
  // Entries past the first: two in 2021 (a vehicle with ten orders, an award), one undated.
  const all = [award('FIRST'), award('VEHICLE', { vehicle: true, obligated_usd: 100 }), ...orders, award('OTHER-2021'), award('UNDATED')];
  const card = cardData([all[0]], []);
  card.years = [
    {
      year: '2021',
      awards: 12,
      obligated_usd: 110,
      entries: [
        { from: 1, to: 12 },
        { from: 12, to: 13 },
      ],
    },
    { year: null, awards: 1, obligated_usd: 0, entries: [{ from: 13, to: 14 }] },
  ];
  const actions = actionsOver(all);
  const root = renderCard({ doc: document, w: EN }, card, 'Acme', actions, true);
  document.body.append(root);
  const groups = /** @type {HTMLDetailsElement[]} */ ([...root.querySelectorAll('details.year')]);
  deepEqual(
    groups.map((g) => g.querySelector('summary')?.textContent),
    ['2021 · 12 contracts · $110 obligated', 'Undated · 1 contract'],
  );
  equal(actions.asked.length, 0, 'nothing fetched until a year is opened');
  groups[0].open = true;
  await until(() => groups[0].querySelectorAll('li.contract').length > 0);
  deepEqual(actions.asked, [
    [
      { from: 1, to: 12 },
      { from: 12, to: 13 },
    ],
  ]);
  const listed = [...groups[0].querySelectorAll(':scope > ul > li.contract')].map((li) => li.querySelector('.award')?.textContent);
  deepEqual(listed, ['Award ID VEHICLE', 'Award ID OTHER-2021']);
  equal(groups[0].querySelectorAll('ul.orders > li.contract').length, 3, "the vehicle's first three orders");
  const moreOrders = /** @type {HTMLButtonElement} */ (groups[0].querySelector('ul.orders > li.more-item button'));
  equal(moreOrders.textContent, 'Show 7 more of 7');
  moreOrders.click();
  equal(groups[0].querySelectorAll('ul.orders > li.contract').length, 10, 'already here: shown at once');
  equal(actions.asked.length, 1, 'and not fetched again');
  root.remove();
});
