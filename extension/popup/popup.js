// The toolbar popup: the global switch, this site's switch, and the companies on this page.
// Opened in a tab of its own (from the options page, or by tests), it acts on the tab the reader
// came from: the most recently used other tab of the window.
import * as Message from '../common/messages.js';
import { byId, localize, t, words } from '../common/page.js';
import { DEFAULTS, extensionApi } from '../common/settings.js';

const api = extensionApi();
// After the reader allows a site: how long the popup waits for the page's first scan, polling.
const ALLOWED_WAIT_MS = 10_000;
const ALLOWED_POLL_MS = 100;

/** @typedef {{ hostname: string, enabled: boolean, siteEnabled: boolean, companies: import('../content/annotator.js').MarkedCompany[], outside: number, failure: string | null }} PageInfo */

async function targetTab() {
  const self = await api.tabs.getCurrent?.();
  const tabs = await api.tabs.query({ currentWindow: true });
  const others = tabs.filter((tab) => tab.id !== self?.id);
  if (!self) return others.find((tab) => tab.active);
  return others.sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0))[0];
}

/** @param {number} tabId @returns {Promise<PageInfo | null>} */
async function pageInfo(tabId) {
  try {
    return await api.tabs.sendMessage(tabId, Message.page());
  } catch {
    return null; // No content script there: a browser page, the store, a PDF...
  }
}

/** @param {number} tabId @param {PageInfo} info */
function showPage(tabId, info) {
  const site = /** @type {HTMLInputElement} */ (byId('site'));
  byId('site-row').hidden = false;
  byId('site-label').textContent = t('popupSiteToggle', info.hostname);
  site.checked = info.siteEnabled;
  site.addEventListener('change', async () => {
    /** @type {{ sites?: Record<string, boolean> }} */
    const { sites: current = {} } = await api.storage.local.get('sites');
    await api.storage.local.set({ sites: { ...current, [info.hostname]: site.checked } });
  });
  const total = info.companies.reduce((n, c) => n + c.count, 0);
  // A failure is said, never shown as "nothing on this page".
  if (info.failure) byId('status').textContent = t('popupFailed', info.failure);
  else
    byId('status').textContent = total
      ? t('popupFound', words.count(total, 'countMention'), words.count(info.companies.length, 'countCompany'))
      : t('popupNone');
  if (info.outside) byId('outside').textContent = words.count(info.outside, 'popupOutside');
  for (const company of info.companies) {
    const button = document.createElement('button');
    button.type = 'button';
    const name = document.createElement('span');
    name.textContent = company.name;
    const count = document.createElement('span');
    count.className = 'count';
    count.textContent = String(company.count);
    button.append(name, count);
    button.addEventListener('click', async () => {
      await api.tabs.update(tabId, { active: true });
      await api.tabs.sendMessage(tabId, Message.reveal(company.company));
      if (!(await api.tabs.getCurrent?.())) window.close();
    });
    const item = document.createElement('li');
    item.append(button);
    byId('companies').append(item);
  }
}

/** The match pattern of a page's site, or null for pages no extension may annotate. @param {string | undefined} url */
function sitePattern(url) {
  const parsed = url ? URL.parse(url) : null;
  return parsed && (parsed.protocol === 'http:' || parsed.protocol === 'https:') ? `${parsed.protocol}//${parsed.hostname}/*` : null;
}

/**
 * The browser withholds this site (Firefox: the add-on's site access switched off; Chrome: site
 * access "on click"), so no content script ran: say so, and offer to allow it. Once allowed, the
 * background annotates the open tab (background.js) and the popup shows what it found.
 * @param {number} tabId
 * @param {string} pattern
 */
function offerAccess(tabId, pattern) {
  const host = new URL(pattern.replace('/*', '/')).hostname;
  byId('status').textContent = t('popupNoAccess', host);
  const allow = byId('allow');
  allow.textContent = t('popupAllow', host);
  byId('access').hidden = false;
  allow.addEventListener('click', async () => {
    // Asked from the reader's click: browsers only show the request then.
    const granted = await api.permissions.request({ origins: [pattern] });
    if (!granted) {
      byId('status').textContent = t('popupAllowRefused', host);
      return;
    }
    byId('access').hidden = true;
    byId('status').textContent = t('popupAllowed', host);
    // The content script answers once its first scan is done; it starts in a moment.
    for (let waited = 0; waited < ALLOWED_WAIT_MS; waited += ALLOWED_POLL_MS) {
      const info = await pageInfo(tabId);
      if (info) return showPage(tabId, info);
      await new Promise((resolve) => setTimeout(resolve, ALLOWED_POLL_MS));
    }
    byId('status').textContent = t('popupUnavailable');
  });
}

async function main() {
  localize();
  const toggle = /** @type {HTMLInputElement} */ (byId('enabled'));
  /** @type {{ enabled?: boolean }} */
  const { enabled = DEFAULTS.enabled } = await api.storage.local.get('enabled');
  toggle.checked = enabled;
  toggle.addEventListener('change', () => api.storage.local.set({ enabled: toggle.checked }));
  const tab = await targetTab();
  const info = tab?.id !== undefined ? await pageInfo(tab.id) : null;
  const pattern = sitePattern(tab?.url);
  if (tab?.id !== undefined && info) showPage(tab.id, info);
  else if (tab?.id !== undefined && pattern && !(await api.permissions.contains({ origins: [pattern] }))) offerAccess(tab.id, pattern);
  else byId('status').textContent = t('popupUnavailable');
  // Marks the popup as showing the stored state (styles and tests key on it).
  document.body.dataset.ready = 'true';
}

main();
