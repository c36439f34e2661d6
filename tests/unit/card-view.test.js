import { renderCard } from '../../extension/content/card-view.js';
import { safeHttpsUrl } from '../../extension/content/dom.js';
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
  const root = renderCard({ doc: document, t: translator(undefined) }, card, hostile, { close() {}, dismiss() {} });
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
