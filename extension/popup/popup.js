// The toolbar popup: the global switch, this site's switch, and the companies on this page.
// Opened in a tab of its own (from the options page, or by tests), it acts on the tab the reader
// came from: the most recently used other tab of the window.
import * as Message from '../shared/messages.js';
import { byId, localize, t } from '../shared/page.js';
import { DEFAULTS, extensionApi } from '../shared/settings.js';

const api = extensionApi();

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
  else byId('status').textContent = total ? t('popupFound', total, info.companies.length) : t('popupNone');
  if (info.outside) byId('outside').textContent = t(info.outside === 1 ? 'popupOutsideOne' : 'popupOutsideOther', info.outside);
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

async function main() {
  localize();
  const toggle = /** @type {HTMLInputElement} */ (byId('enabled'));
  /** @type {{ enabled?: boolean }} */
  const { enabled = DEFAULTS.enabled } = await api.storage.local.get('enabled');
  toggle.checked = enabled;
  toggle.addEventListener('change', () => api.storage.local.set({ enabled: toggle.checked }));
  const tab = await targetTab();
  const info = tab?.id !== undefined ? await pageInfo(tab.id) : null;
  if (tab?.id !== undefined && info) showPage(tab.id, info);
  else byId('status').textContent = t('popupUnavailable');
  // Marks the popup as showing the stored state (styles and tests key on it).
  document.body.dataset.ready = 'true';
}

main();
