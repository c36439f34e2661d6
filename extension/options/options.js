// The options page: what cards show, which agencies, the smallest amount, how many marks, and
// the per-site switches set from the popup. Every change is saved at once and applies to open
// tabs at once (content scripts watch storage).
const api = globalThis.browser ?? globalThis.chrome;
const t = (key, ...subs) => api.i18n.getMessage(key, subs.map(String)) || key;

// The agencies in the bundled data, by code (data/dataset.toml).
const AGENCIES = [
  ['ICE', 'U.S. Immigration and Customs Enforcement'],
  ['CBP', 'U.S. Customs and Border Protection'],
  ['USCIS', 'U.S. Citizenship and Immigration Services'],
  ['OBIM', 'Office of Biometric Identity Management'],
];

for (const node of document.querySelectorAll('[data-i18n]')) {
  const text = api.i18n.getMessage(node.dataset.i18n);
  if (text) node.textContent = text;
}

const form = document.getElementById('options');
const saved = document.getElementById('saved');

async function load() {
  const { filters = {}, firstPerBlock = false, sites = {} } = await api.storage.local.get(['filters', 'firstPerBlock', 'sites']);
  form.contracts.checked = !filters.hideContracts;
  form.statements.checked = !filters.hideStatements;
  form.minAmountUsd.value = String(filters.minAmountUsd ?? 0);
  form.marks.value = firstPerBlock ? 'first' : 'every';
  const agencies = document.getElementById('agencies');
  for (const [code, name] of AGENCIES) {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.name = 'agency';
    box.value = code;
    box.checked = !(filters.hiddenAgencies ?? []).includes(code);
    label.append(box, ` ${name}`);
    agencies.append(label);
  }
  renderSites(sites);
}

function renderSites(sites) {
  const list = document.getElementById('sites');
  list.replaceChildren();
  const hosts = Object.keys(sites).sort();
  if (!hosts.length) {
    const empty = document.createElement('li');
    empty.className = 'muted';
    empty.textContent = t('optionsNoSites');
    list.append(empty);
  }
  for (const host of hosts) {
    const item = document.createElement('li');
    const label = document.createElement('span');
    label.textContent = `${host}: ${t(sites[host] ? 'optionsSiteOn' : 'optionsSiteOff')}`;
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = t('optionsForget');
    remove.addEventListener('click', async () => {
      const { sites: current = {} } = await api.storage.local.get('sites');
      delete current[host];
      await api.storage.local.set({ sites: current });
      renderSites(current);
    });
    item.append(label, remove);
    list.append(item);
  }
}

form.addEventListener('change', async () => {
  const filters = {
    hideContracts: !form.contracts.checked,
    hideStatements: !form.statements.checked,
    hiddenAgencies: [...form.querySelectorAll('input[name=agency]')].filter((b) => !b.checked).map((b) => b.value),
    minAmountUsd: Math.max(0, Number(form.minAmountUsd.value) || 0),
  };
  await api.storage.local.set({ filters, firstPerBlock: form.marks.value === 'first' });
  saved.textContent = t('optionsSaved');
});
form.addEventListener('submit', (e) => e.preventDefault());

load().then(() => { document.body.dataset.ready = 'true'; });
