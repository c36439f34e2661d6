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
 * @property {Record<string, number[]>} dismissed page key -> companies the reader said are wrong there
 */

/** @type {Readonly<Settings>} */
export const DEFAULTS = Object.freeze({
  enabled: true,
  sites: {},
  filters: { hideContracts: false, hideStatements: false, hiddenAgencies: [], minAmountUsd: 0 },
  firstPerBlock: false,
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
  return { ...structuredClone(DEFAULTS), ...stored };
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

/** The key a page's dismissals are kept under: its address without the fragment. @param {Location | URL} location */
export function pageKey(location) {
  return location.href.split('#')[0];
}

/**
 * Records that the reader dismissed `company` on the page `key`.
 * @param {Api} api
 * @param {string} key
 * @param {number} company
 */
export async function addDismissal(api, key, company) {
  /** @type {{ dismissed?: Settings['dismissed'] }} */
  const { dismissed = {} } = await api.storage.local.get('dismissed');
  const list = new Set(dismissed[key] ?? []);
  list.add(company);
  await api.storage.local.set({ dismissed: { ...dismissed, [key]: [...list] } });
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
