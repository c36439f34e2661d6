// The toolbar popup: the global switch, this site's switch, and the companies on this page.
// Opened in a tab of its own (from the options page, or by tests), it acts on the tab the reader
// came from: the most recently used other tab of the window.
const api = globalThis.browser ?? globalThis.chrome;
const t = (key, ...subs) => api.i18n.getMessage(key, subs.map(String)) || key;

for (const node of document.querySelectorAll('[data-i18n]')) {
  const text = api.i18n.getMessage(node.dataset.i18n);
  if (text) node.textContent = text;
}

async function targetTab() {
  const self = await api.tabs.getCurrent?.();
  const tabs = await api.tabs.query({ currentWindow: true });
  const others = tabs.filter((tab) => tab.id !== self?.id);
  if (!self) return others.find((tab) => tab.active);
  return others.sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0))[0];
}

async function pageInfo(tab) {
  try {
    return await api.tabs.sendMessage(tab.id, { type: 'page' });
  } catch {
    return null; // No content script there: a browser page, the store, a PDF...
  }
}

async function main() {
  const toggle = document.getElementById('enabled');
  const site = document.getElementById('site');
  const status = document.getElementById('status');
  const list = document.getElementById('companies');
  const { enabled = true } = await api.storage.local.get('enabled');
  toggle.checked = enabled;
  toggle.addEventListener('change', () => api.storage.local.set({ enabled: toggle.checked }));

  const tab = await targetTab();
  const info = tab ? await pageInfo(tab) : null;
  if (info) {
    document.getElementById('site-row').hidden = false;
    document.getElementById('site-label').textContent = t('popupSiteToggle', info.hostname);
    site.checked = info.siteEnabled;
    site.addEventListener('change', async () => {
      const { sites: current = {} } = await api.storage.local.get('sites');
      await api.storage.local.set({ sites: { ...current, [info.hostname]: site.checked } });
    });
    const total = info.companies.reduce((n, c) => n + c.count, 0);
    status.textContent = total ? t('popupFound', total, info.companies.length) : t('popupNone');
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
        await api.tabs.update(tab.id, { active: true });
        await api.tabs.sendMessage(tab.id, { type: 'reveal', company: company.company });
        if (!(await api.tabs.getCurrent?.())) window.close();
      });
      const item = document.createElement('li');
      item.append(button);
      list.append(item);
    }
  } else {
    status.textContent = t('popupUnavailable');
  }
  // Marks the popup as showing the stored state (styles and tests key on it).
  document.body.dataset.ready = 'true';
}

main();
