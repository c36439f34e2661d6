// The options page: what cards show, which agencies, the smallest amount, how many marks, and
// the per-site switches set from the popup. Every change is saved at once and applies to open
// tabs at once (content scripts watch storage).
import { byId, localize, t } from '../common/page.js';
import { extensionApi, filtersFromForm, liveDismissals, loadSettings } from '../common/settings.js';

const api = extensionApi();

// The agencies in the bundled data, by code (data/dataset.toml; tests/shared_lists.rs keeps
// this list equal to the dataset's sub-agencies).
const AGENCIES = [
  ['ICE', 'U.S. Immigration and Customs Enforcement'],
  ['CBP', 'U.S. Customs and Border Protection'],
  ['USCIS', 'U.S. Citizenship and Immigration Services'],
  ['OBIM', 'Office of Biometric Identity Management'],
];

/**
 * The form's fields, by name.
 * @typedef {HTMLFormElement & { contracts: HTMLInputElement, statements: HTMLInputElement, minAmountUsd: HTMLInputElement, marks: RadioNodeList, everywhere: HTMLInputElement }} OptionsForm
 */
const form = /** @type {OptionsForm} */ (byId('options'));

async function load() {
  const { filters, firstPerBlock, markEverywhere, sites, dismissed } = await loadSettings(api);
  form.contracts.checked = !filters.hideContracts;
  form.statements.checked = !filters.hideStatements;
  form.minAmountUsd.value = String(filters.minAmountUsd);
  form.marks.value = firstPerBlock ? 'first' : 'every';
  form.everywhere.checked = markEverywhere;
  for (const [code, name] of AGENCIES) {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.name = 'agency';
    box.value = code;
    box.checked = !filters.hiddenAgencies.includes(code);
    label.append(box, ` ${name}`);
    byId('agencies').append(label);
  }
  renderSites(sites);
  renderDismissed(dismissed);
}

/** @param {Record<string, boolean>} sites */
function renderSites(sites) {
  const list = byId('sites');
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
      /** @type {{ sites?: Record<string, boolean> }} */
      const { sites: current = {} } = await api.storage.local.get('sites');
      delete current[host];
      await api.storage.local.set({ sites: current });
      renderSites(current);
    });
    item.append(label, remove);
    list.append(item);
  }
}

/**
 * The pages where the reader said "Not this company", newest first, each with a way to forget.
 * @param {Record<string, import('../common/settings.js').Dismissal>} dismissed
 */
function renderDismissed(dismissed) {
  const list = byId('dismissed');
  list.replaceChildren();
  const pages = Object.entries(dismissed).sort((a, b) => b[1].at - a[1].at);
  const forgetAll = byId('forget-all-dismissed');
  forgetAll.hidden = !pages.length;
  if (!pages.length) {
    const empty = document.createElement('li');
    empty.className = 'muted';
    empty.textContent = t('optionsNoDismissed');
    list.append(empty);
  }
  for (const [page, { companies }] of pages) {
    const item = document.createElement('li');
    const label = document.createElement('span');
    label.textContent = t('optionsDismissedOn', page, companies.map((c) => c.name).join(', '));
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = t('optionsForget');
    remove.addEventListener('click', async () => {
      const { dismissed: current } = await api.storage.local.get('dismissed');
      const live = liveDismissals(current, Date.now());
      delete live[page];
      await api.storage.local.set({ dismissed: live });
      renderDismissed(live);
    });
    item.append(label, remove);
    list.append(item);
  }
}

byId('forget-all-dismissed').addEventListener('click', async () => {
  await api.storage.local.set({ dismissed: {} });
  renderDismissed({});
});

form.addEventListener('change', async () => {
  /** @type {HTMLInputElement[]} */
  const agencyBoxes = [...form.querySelectorAll('input[name=agency]')].map((b) => /** @type {HTMLInputElement} */ (b));
  const filters = filtersFromForm({
    contracts: form.contracts.checked,
    statements: form.statements.checked,
    hiddenAgencies: agencyBoxes.filter((b) => !b.checked).map((b) => b.value),
    minAmountUsd: form.minAmountUsd.value,
  });
  await api.storage.local.set({ filters, firstPerBlock: form.marks.value === 'first', markEverywhere: form.everywhere.checked });
  byId('saved').textContent = t('optionsSaved');
});
form.addEventListener('submit', (e) => e.preventDefault());

localize();
load().then(() => {
  document.body.dataset.ready = 'true';
});
