import { renderCard } from '../../extension/content/card-view.js';
import { safeHttpsUrl } from '../../extension/content/dom.js';
import { afterLine } from '../../extension/content/headline.js';
import { translator } from '../../extension/content/strings.js';
import { deepEqual, equal, ok, test } from './harness.js';

const hostile = '<img src=x onerror="globalThis.injected = true">';

/** A card as src/card.rs writes it, with the given contracts and statements. */
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
    contracts,
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
  const root = renderCard({ doc: document, t: translator(undefined) }, card, hostile, { close() {}, dismiss() {}, expand() {} });
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
  const t = translator(undefined);
  equal(t('cardAwardedTo', 'FCN, Inc.'), 'Awarded to FCN, Inc.');
  equal(t('totalReported', '$508,832'), '$508,832 reported');
  equal(t('countContractOther', 3), '3 contracts');
  const browser = translator((key, subs) => (key === 'cardClose' ? `Fermer ${subs.length}` : ''));
  equal(browser('cardClose'), 'Fermer 0');
  equal(browser('cardTimeline'), 'Timeline', 'a string the browser lacks falls back to English');
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
  const root = renderCard({ doc: document, t: translator(undefined) }, card, 'Acme', {
    close() {},
    dismiss() {},
    expand() {
      expanded += 1;
    },
  });
  document.body.append(root);
  ok(root.classList.contains('compact'), 'compact first');
  equal(/** @type {HTMLElement} */ (root.querySelector('.details')).hidden, true);
  equal(root.querySelector('.headline .said')?.textContent, 'Acme CEO, 2020-09-24: “We will not work with ICE.”');
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
    afterLine(translator(undefined), { departments: ['Department of Homeland Security'], awards: 0, agencies: [], via: [] }),
    'After this, in the records: no award with Department of Homeland Security.',
  );
  // Opened expanded when the reader asked before on this page.
  const again = renderCard({ doc: document, t: translator(undefined) }, card, 'Acme', { close() {}, dismiss() {}, expand() {} }, true);
  ok(!again.classList.contains('compact'), 'remembered');
});
