// The line that matters most on a card: a company's latest dated statement about an agency,
// next to what the records show after it (src/card.rs, AfterStatement).
import { el } from './dom.js';
import { count } from './strings.js';

/** @typedef {import('./strings.js').Translate} Translate */
/** @typedef {Record<string, any>} CardData a card, as src/card.rs writes it */

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

/**
 * The line that matters most: the company's latest dated statement about an agency, next to
 * what the records show after it. Null when there is none.
 * @param {{ doc: Document, t: Translate }} view
 * @param {CardData} card
 */
export function headlineOf({ doc, t }, card) {
  let latest = -1;
  card.statements.forEach((/** @type {Record<string, any>} */ s, /** @type {number} */ i) => {
    if (card.after_statements[i] && (latest < 0 || s.date >= card.statements[latest].date)) latest = i;
  });
  if (latest < 0) return null;
  const s = card.statements[latest];
  const text = s.text.length > 140 ? `${s.text.slice(0, 137)}…` : s.text;
  return el(
    doc,
    'div',
    { class: 'headline' },
    el(doc, 'div', { class: 'said', text: t('cardSaid', s.speaker, s.date, text) }),
    el(doc, 'div', { class: 'after', text: afterLine(t, card.after_statements[latest]) }),
  );
}

/**
 * What the records show after a statement, as facts: the awards, their agencies, who they went
 * to, when, and the amount obligated.
 * @param {Translate} t
 * @param {Record<string, any>} after src/card.rs AfterStatement
 */
export function afterLine(t, after) {
  if (!after.awards) return t('cardAfterStatementNone', after.departments.join(', '));
  const years = after.first_year === after.last_year ? `${after.first_year}` : `${after.first_year}–${after.last_year}`;
  const parts = [
    `${count(t, after.awards, 'countAward')} (${after.agencies.join(', ')})`,
    after.via.length ? t('cardAwardsVia', after.via.slice(0, 3).join(', ') + (after.via.length > 3 ? ', …' : '')) : '',
    after.first_year ? years : '',
    after.obligated_usd > 0 ? t('totalObligated', money.format(after.obligated_usd)) : '',
  ].filter(Boolean);
  return t('cardAfterStatement', parts.join(', '));
}
