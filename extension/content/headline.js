// The line that matters most on a card: a company's latest dated statement about an agency,
// next to what the records show after it (src/card.rs, AfterStatement).
import { el } from './dom.js';

/** @typedef {import('../common/strings.js').Words} Words */
/** @typedef {Record<string, any>} CardData a card, as src/card.rs writes it */

/**
 * The line that matters most: the company's latest dated statement about an agency, next to
 * what the records show after it. Null when there is none.
 * @param {{ doc: Document, w: Words }} view
 * @param {CardData} card
 */
export function headlineOf({ doc, w }, card) {
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
    el(doc, 'div', { class: 'said', text: w.t('cardSaid', s.speaker, w.date(s.date), text) }),
    el(doc, 'div', { class: 'after', text: afterLine(w, card.after_statements[latest]) }),
  );
}

/**
 * What the records show after a statement, as facts: the awards, their agencies, who they went
 * to, when, and the amount obligated.
 * @param {Words} w
 * @param {Record<string, any>} after src/card.rs AfterStatement
 */
export function afterLine(w, after) {
  const { t } = w;
  if (!after.awards) return t('cardAfterStatementNone', after.departments.join(', '));
  const parts = [
    `${w.count(after.awards, 'countAward')} (${after.agencies.join(', ')})`,
    after.via.length ? t('cardAwardsVia', after.via.slice(0, 3).join(', ') + (after.via.length > 3 ? ', …' : '')) : '',
    after.first_year ? w.years(after.first_year, after.last_year) : '',
    after.obligated_usd > 0 ? t('totalObligated', w.money(after.obligated_usd)) : '',
  ].filter(Boolean);
  return t('cardAfterStatement', parts.join(', '));
}
