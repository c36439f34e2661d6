// The reader's settings: what they are, their defaults, and how they are read. One module for
// the content script, the background, the popup and the options page; they live in
// storage.local, and every open tab applies a change at once (content scripts watch storage).

/**
 * @typedef {object} Filters what cards show (src/card.rs `Filters`)
 * @property {boolean} hideContracts
 * @property {boolean} hideStatements
 * @property {string[]} hiddenAgencies agency codes
 * @property {number} minAmountUsd
 */

/**
 * @typedef {object} Settings
 * @property {boolean} enabled the global switch
 * @property {Record<string, boolean>} sites hostname -> on/off, overriding `enabled` for it and its subdomains
 * @property {Filters} filters
 * @property {boolean} firstPerBlock mark only a company's first mention in each paragraph
 * @property {boolean} markEverywhere mark navigation, footers and the rest too, not only the article
 * @property {Record<string, Dismissal>} dismissed page key -> the companies the reader said are wrong there
 */

/**
 * @typedef {object} Dismissal "Not this company" on one page
 * @property {{ id: string, name: string }[]} companies by company id (stable across data updates)
 * @property {number} at when the last was added (ms since the epoch)
 */

// A page cannot fill the reader's storage: so many companies per page and pages in all are
// kept (the oldest go first), and a dismissal older than a year is forgotten.
export const DISMISSALS_PER_PAGE = 20;
export const DISMISSED_PAGES = 200;
export const DISMISSAL_DAYS = 365;

/** @type {Readonly<Settings>} */
export const DEFAULTS = Object.freeze({
  enabled: true,
  sites: {},
  filters: { hideContracts: false, hideStatements: false, hiddenAgencies: [], minAmountUsd: 0 },
  firstPerBlock: false,
  markEverywhere: false,
  dismissed: {},
});

/** @typedef {typeof globalThis.chrome} Api */

/** The extension API of this browser (Firefox's `browser`, Chrome's `chrome`). @returns {Api} */
export function extensionApi() {
  return /** @type {any} */ (globalThis).browser ?? globalThis.chrome;
}

/**
 * Every setting, stored values over defaults.
 * @param {Api} api
 * @returns {Promise<Settings>}
 */
export async function loadSettings(api) {
  const stored = await api.storage.local.get(Object.keys(DEFAULTS));
  const settings = { ...structuredClone(DEFAULTS), ...stored };
  return { ...settings, dismissed: liveDismissals(settings.dismissed, Date.now()) };
}

// The settings content/wake.js reads as the page starts loading, kept in the extension's
// world of the page (shared by its content scripts, never seen by the page) for main.js.
const EARLY = 'contractLensEarlySettings';

/**
 * Starts reading the settings now, at document_start, and keeps the read for
 * `settingsReadEarly`: the content script at document_idle then finds them read, and its first
 * mark does not wait for a storage round trip. A change stored meanwhile is noticed.
 * @param {Api} api
 * @returns {Promise<Settings>}
 */
export function readSettingsEarly(api) {
  const early = {
    settings: loadSettings(api),
    changed: false,
    /** @param {unknown} _changes @param {string} area */
    listener: (_changes, area) => {
      if (area === 'local') early.changed = true;
    },
  };
  api.storage.onChanged.addListener(early.listener);
  /** @type {any} */ (globalThis)[EARLY] = early;
  return early.settings;
}

/**
 * The settings `readSettingsEarly` read on this page, if nothing changed since and the read
 * worked; else read now. The early read is handed out once.
 * @param {Api} api
 * @returns {Promise<Settings>}
 */
export function settingsReadEarly(api) {
  const world = /** @type {any} */ (globalThis);
  const early = world[EARLY];
  delete world[EARLY];
  if (!early) return loadSettings(api);
  api.storage.onChanged.removeListener(early.listener);
  return early.changed ? loadSettings(api) : early.settings.catch(() => loadSettings(api));
}

/**
 * Whether pages on `hostname` are annotated: the site's own setting, else its parent domain's,
 * ..., else the global switch.
 * @param {string} hostname
 * @param {Pick<Settings, 'enabled' | 'sites'>} settings
 */
export function enabledFor(hostname, { enabled, sites }) {
  for (let host = hostname; host; host = host.slice(host.indexOf('.') + 1)) {
    if (Object.hasOwn(sites, host)) return sites[host];
    if (!host.includes('.')) break;
  }
  return enabled;
}

/**
 * The key a page's dismissals are kept under: its origin and path, without the query string
 * (which a page can vary at will) or the fragment.
 * @param {Location | URL} location
 */
export function pageKey(location) {
  return `${location.origin}${location.pathname}`.slice(0, 500);
}

/**
 * The dismissals worth keeping at `now`: well-formed, at most a year old, at most
 * DISMISSED_PAGES pages (the newest).
 * @param {unknown} dismissed as stored (anything: storage may hold an older format)
 * @param {number} now
 * @returns {Record<string, Dismissal>}
 */
export function liveDismissals(dismissed, now) {
  const oldest = now - DISMISSAL_DAYS * 24 * 3600 * 1000;
  /** @type {[string, Dismissal][]} */
  const kept = [];
  for (const [key, value] of Object.entries(typeof dismissed === 'object' && dismissed !== null ? dismissed : {})) {
    const companies = Array.isArray(value?.companies)
      ? value.companies.filter((/** @type {any} */ c) => typeof c?.id === 'string' && typeof c?.name === 'string')
      : [];
    if (companies.length && Number.isFinite(value.at) && value.at >= oldest) kept.push([key, { companies, at: value.at }]);
  }
  kept.sort((a, b) => b[1].at - a[1].at);
  return Object.fromEntries(kept.slice(0, DISMISSED_PAGES));
}

/**
 * `dismissed` with `company` added for the page `key` at `now`, within the limits.
 * @param {unknown} dismissed
 * @param {string} key
 * @param {{ id: string, name: string }} company
 * @param {number} now
 */
export function withDismissal(dismissed, key, company, now) {
  const live = liveDismissals(dismissed, now);
  const companies = (live[key]?.companies ?? []).filter((c) => c.id !== company.id);
  companies.push({ id: company.id, name: company.name.slice(0, 200) });
  return liveDismissals({ ...live, [key]: { companies: companies.slice(-DISMISSALS_PER_PAGE), at: now } }, now);
}

/**
 * Records that the reader dismissed `company` on the page `key`.
 * @param {Api} api
 * @param {string} key
 * @param {{ id: string, name: string }} company
 */
export async function addDismissal(api, key, company) {
  const { dismissed } = await api.storage.local.get('dismissed');
  await api.storage.local.set({ dismissed: withDismissal(dismissed, key, company, Date.now()) });
}

/**
 * The reader's filters from the options form's values, checked.
 * @param {{ contracts: boolean, statements: boolean, hiddenAgencies: string[], minAmountUsd: string }} form
 * @returns {Filters}
 */
export function filtersFromForm({ contracts, statements, hiddenAgencies, minAmountUsd }) {
  return {
    hideContracts: !contracts,
    hideStatements: !statements,
    hiddenAgencies,
    minAmountUsd: Math.max(0, Number(minAmountUsd) || 0),
  };
}
