import { check, isHandle } from '../../extension/common/messages.js';
import {
  DISMISSAL_DAYS,
  DISMISSALS_PER_PAGE,
  DISMISSED_PAGES,
  enabledFor,
  filtersFromForm,
  liveDismissals,
  pageKey,
  withDismissal,
} from '../../extension/common/settings.js';
import { deepEqual, equal, ok, test, throws } from './harness.js';

test('a handle is an integer the core can index with', () => {
  // Cases: the value, and whether it is a handle (0.5, NaN and 2^32 became 0 at the boundary).
  const cases = [
    [0, true],
    [41, true],
    [2 ** 32 - 1, true],
    [2 ** 32, false],
    [0.5, false],
    [-1, false],
    [Number.NaN, false],
    ['3', false],
    [null, false],
  ];
  for (const [value, expected] of cases) equal(isHandle(value), expected, String(value));
});

test('messages are checked before anything acts on them', () => {
  equal(check({ type: 'card', company: 3, name: 4, filters: {} }, ['card']).company, 3);
  throws(() => check({ type: 'card', company: 0.5, name: 4 }, ['card']), /malformed card/);
  throws(() => check({ type: 'card', company: 1, name: 1 }, ['scan']), /unexpected message "card"/);
  throws(() => check('card', ['card']), /unexpected message/);
  throws(() => check({ type: 'scan', blocks: [1], options: { dismissed: [] } }, ['scan']), /malformed scan/);
  throws(() => check({ type: 'stats' }, ['scan', 'card']), /unexpected message "stats"/);
});

test('a site switch covers its subdomains and falls back to the global switch', () => {
  const sites = { 'example.org': false, 'news.example.org': true };
  // Cases: hostname, global switch, and whether pages there are annotated.
  /** @type {[string, boolean, boolean][]} */
  const cases = [
    ['example.org', true, false],
    ['www.example.org', true, false],
    ['news.example.org', false, true],
    ['a.news.example.org', false, true],
    ['example.com', true, true],
    ['example.com', false, false],
    ['localhost', true, true],
  ];
  for (const [host, enabled, expected] of cases) equal(enabledFor(host, { enabled, sites }), expected, `${host} ${enabled}`);
});

test("the options form's values become checked filters", () => {
  deepEqual(filtersFromForm({ contracts: true, statements: false, hiddenAgencies: ['ICE'], minAmountUsd: '-5' }), {
    hideContracts: false,
    hideStatements: true,
    hiddenAgencies: ['ICE'],
    minAmountUsd: 0,
  });
  equal(filtersFromForm({ contracts: true, statements: true, hiddenAgencies: [], minAmountUsd: 'lots' }).minAmountUsd, 0);
  equal(filtersFromForm({ contracts: true, statements: true, hiddenAgencies: [], minAmountUsd: '1e6' }).minAmountUsd, 1e6);
});

test('dismissals are kept by origin and path, capped per page and in all, and expire', () => {
  equal(pageKey(new URL('https://news.example/story?utm=1&x=2#top')), 'https://news.example/story');
  const day = 24 * 3600 * 1000;
  const now = 400 * day;
  /** @type {Record<string, import('../../extension/common/settings.js').Dismissal>} */
  let dismissed = {};
  for (let i = 0; i < DISMISSALS_PER_PAGE + 5; i += 1)
    dismissed = withDismissal(dismissed, 'https://a.example/', { id: `c${i}`, name: `C${i}` }, now);
  equal(dismissed['https://a.example/'].companies.length, DISMISSALS_PER_PAGE);
  equal(dismissed['https://a.example/'].companies.at(-1)?.id, `c${DISMISSALS_PER_PAGE + 4}`, 'the newest kept');
  for (let i = 0; i < DISMISSED_PAGES + 10; i += 1)
    dismissed = withDismissal(dismissed, `https://p${i}.example/`, { id: 'x', name: 'X' }, now + i);
  equal(Object.keys(dismissed).length, DISMISSED_PAGES);
  ok(!('https://a.example/' in dismissed), 'the oldest page went first');
  const later = now + (DISMISSAL_DAYS + 1) * day;
  deepEqual(liveDismissals(dismissed, later), {}, 'a year later, all forgotten');
  // What an older version stored (arrays of handles) or a page forged is dropped, not trusted.
  deepEqual(liveDismissals({ 'https://b.example/x': [1, 2], bad: { companies: [{ id: 3 }], at: now } }, now), {});
});
