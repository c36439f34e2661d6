// Every message between the extension's parts, in one place: who sends it, what it carries,
// what comes back. Senders build messages with these functions; receivers check them with
// `check`, since a message is data from another context and the core takes only valid ids.
//
//   content script ──wake, scan, prepare, card, contracts, badge──▶ background (the core)
//   popup ─────────────page, reveal─────▶ content script
//   tests ─────────────stats────────────▶ background (test builds only)

/** @typedef {import('./settings.js').Filters} Filters */

/** A company or name handle: an integer the core can index with (the core checks the range). @param {unknown} n */
export const isHandle = (n) => Number.isInteger(n) && /** @type {number} */ (n) >= 0 && /** @type {number} */ (n) < 2 ** 32;

/** Content script, as a page starts loading -> background: start the core now. Reply: `{ ok }`. */
export const wake = () => ({ type: 'wake' });

/**
 * Content script -> background: the blocks of text to scan, with the reader's options.
 * Reply: `{ mentions: number[], companies: { company, id, name, statements }[] }`.
 * @param {string[]} blocks
 * @param {{ filters: Filters, firstPerBlock: boolean, dismissed: string[] }} options the reader's
 *   options; `dismissed` holds company ids
 */
export const scan = (blocks, options) => ({ type: 'scan', blocks, options });

/**
 * Content script -> background: a company's card, filtered. Reply: `{ card, name }` (`card`
 * the card as JSON text, which `cardOf` reads, null for an unknown company; `name` the name
 * that matched as the data writes it, which the core rebuilds from `found`, the mark's text).
 * @param {number} company
 * @param {number} name
 * @param {string} found
 * @param {Filters} filters
 */
export const card = (company, name, found, filters) => ({ type: 'card', company, name, found, filters });

// A mark's text is one of the data's names: far shorter than this, or not a mark's.
const MAX_FOUND = 1000;

/**
 * Content script -> background: contracts a card opened without (a year's awards, a vehicle's
 * other orders), as slices of the card's whole list. Reply: `{ contracts }`, one array per
 * slice, as JSON text (`contractsOf` reads it).
 * @param {number} company
 * @param {{ from: number, to: number }[]} slices
 * @param {Filters} filters the card's
 */
export const contracts = (company, slices, filters) => ({ type: 'contracts', company, slices, filters });

/**
 * Content script, once a page with marks is idle -> background: build the cards of these
 * companies now, so that each comes without waiting for its building when the reader opens it.
 * Reply: `{ prepared }`, how many were built (those already kept are not built again).
 * @param {number[]} companies at most `MAX_PREPARED`
 * @param {Filters} filters the reader's, as the cards will be asked for
 */
export const prepare = (companies, filters) => ({ type: 'prepare', companies, filters });

export const MAX_PREPARED = 16;

// Cards and contracts come as JSON text, which crosses between the extension's processes
// faster than the objects it makes (extension/background.js says by how much).

/** A card reply's card, parsed, and name. @param {{ card: string | null, name: string }} reply */
export const cardOf = (reply) => ({ card: reply.card === null ? null : JSON.parse(reply.card), name: reply.name });

/** A contracts reply's arrays, parsed. @param {{ contracts: string }} reply @returns {Record<string, any>[][]} */
export const contractsOf = (reply) => JSON.parse(reply.contracts);

// A reader's click asks for at most 50 entries.
const MAX_SLICES = 100;

/** Content script -> background: the number of mentions on the page, for the toolbar badge. @param {number} count */
export const badge = (count) => ({ type: 'badge', count });

/** Popup -> content script: what the page has. Reply: `{ hostname, enabled, siteEnabled, companies }`. */
export const page = () => ({ type: 'page' });

/** Popup -> content script: scroll to a company's first mention and open its card. Reply: `{ ok }`. @param {number} company */
export const reveal = (company) => ({ type: 'reveal', company });

// Tests -> background, test builds only: `{ type: 'stats' }`, how much work pages asked for
// (reply: `{ scans, starts, wakes, warmUps, cardsBuilt, prepares, cardsPrepared, started }`);
// `{ type: 'failScans', count }` and `{ type: 'failStarts', count }`, fail the next `count`
// scans or starts of the core.

/** @param {unknown} value */
const isObject = (value) => typeof value === 'object' && value !== null;

/** @type {Record<string, (m: any) => boolean>} */
const checks = {
  scan: (m) =>
    Array.isArray(m.blocks) &&
    m.blocks.every((/** @type {unknown} */ b) => typeof b === 'string') &&
    isObject(m.options) &&
    Array.isArray(m.options.dismissed) &&
    m.options.dismissed.every((/** @type {unknown} */ id) => typeof id === 'string'),
  prepare: (m) => Array.isArray(m.companies) && m.companies.length <= MAX_PREPARED && m.companies.every(isHandle),
  card: (m) => isHandle(m.company) && isHandle(m.name) && typeof m.found === 'string' && m.found.length <= MAX_FOUND,
  contracts: (m) =>
    isHandle(m.company) &&
    Array.isArray(m.slices) &&
    m.slices.length <= MAX_SLICES &&
    m.slices.every((/** @type {any} */ s) => isHandle(s?.from) && isHandle(s?.to) && s.from <= s.to),
  badge: (m) => Number.isInteger(m.count) && m.count >= 0,
  wake: () => true,
  page: () => true,
  reveal: (m) => isHandle(m.company),
  ...(TEST_BUILD
    ? {
        stats: () => true,
        failScans: (m) => Number.isInteger(m.count) && m.count >= 0,
        failStarts: (m) => Number.isInteger(m.count) && m.count >= 0,
      }
    : {}),
};

/**
 * `message` if it is a well-formed message of one of `types`; throws otherwise.
 * @param {unknown} message
 * @param {string[]} types
 * @returns {any}
 */
export function check(message, types) {
  /** @type {any} */
  const m = message;
  const type = m?.type;
  const valid = types.includes(type) ? checks[type] : undefined;
  if (!valid) throw new Error(`unexpected message ${JSON.stringify(type)}`);
  if (!valid(m)) throw new Error(`malformed ${type} message`);
  return m;
}
