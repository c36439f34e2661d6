// The extension's glue around the shared annotator (see annotator.js for the diagram): the core
// runs in the background (see background.js for why); settings live in storage.local and take
// effect in every open tab at once; the popup asks this script what the page mentions.
(function () {
  'use strict';
  const api = globalThis.browser ?? globalThis.chrome;
  // The demo page runs the same annotator itself; two annotators on one page would fight.
  if (document.querySelector('meta[name="contract-lens-demo"]')) return;

  const DEFAULTS = {
    enabled: true,
    sites: {}, // hostname -> true/false, overriding `enabled` for it and its subdomains
    filters: { hideContracts: false, hideStatements: false, hiddenAgencies: [], minAmountUsd: 0 },
    firstPerBlock: false,
    dismissed: {}, // page address (no fragment) -> [company ids] the reader said are wrong
  };
  const pageKey = location.href.split('#')[0];
  let settings = DEFAULTS;

  /** The site's own setting, else its parent domain's, ..., else the global switch. */
  function enabledFor(hostname, { enabled, sites }) {
    for (let host = hostname; host; host = host.slice(host.indexOf('.') + 1)) {
      if (Object.hasOwn(sites, host)) return sites[host];
      if (!host.includes('.')) break;
    }
    return enabled;
  }

  async function send(message) {
    const reply = await api.runtime.sendMessage(message);
    if (!reply || reply.error) throw new Error(reply?.error ?? 'no reply from the core');
    return reply;
  }

  let annotator = null;

  function makeAnnotator() {
    const annotatorFor = globalThis.ContractLensAnnotator.create({
      document,
      t: (key, subs) => api.i18n.getMessage(key, subs.map(String)),
      settings: { firstPerBlock: settings.firstPerBlock },
      backend: {
        scan: async (blocks) => (await send({ type: 'scan', blocks })).mentions,
        profiles: async (companies) => (await send({ type: 'profiles', companies, filters: settings.filters })).profiles,
        card: async (company, name) => send({ type: 'card', company, name, filters: settings.filters }),
      },
      onChange: (companies) => {
        const count = companies.reduce((n, c) => n + c.count, 0);
        send({ type: 'badge', count }).catch(() => {});
      },
      onDismiss: async (company) => {
        const { dismissed = {} } = await api.storage.local.get('dismissed');
        const list = new Set(dismissed[pageKey] ?? []);
        list.add(company);
        await api.storage.local.set({ dismissed: { ...dismissed, [pageKey]: [...list] } });
      },
    });
    for (const company of settings.dismissed[pageKey] ?? []) annotatorFor.dismissed.add(company);
    return annotatorFor;
  }

  async function apply() {
    settings = { ...DEFAULTS, ...(await api.storage.local.get(Object.keys(DEFAULTS))) };
    annotator?.clear();
    annotator = makeAnnotator();
    if (enabledFor(location.hostname, settings) && document.body) {
      // Watch first: what the page adds while the first scan runs is caught too.
      annotator.observe(document.body);
      await annotator.annotate(document.body);
    }
  }

  let applying = Promise.resolve();
  function applyLogged() {
    // Changes queue behind each other; an error is the extension's, never the page's.
    applying = applying.then(apply).catch((error) => console.debug('Contract Lens:', error));
    return applying;
  }

  api.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local') return;
    // A dismissal made here is already applied; one made elsewhere is for another page.
    if (Object.keys(changes).every((k) => k === 'dismissed')) return;
    if (Object.keys(changes).some((k) => k in DEFAULTS)) applyLogged();
  });

  api.runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (sender.id !== api.runtime.id) return false;
    if (message?.type === 'page') {
      applying.then(async () => {
        const companies = annotator?.companies() ?? [];
        const names = companies.length
          ? (await send({ type: 'profiles', companies: companies.map((c) => c.company), filters: settings.filters })).profiles
          : [];
        sendResponse({
          hostname: location.hostname,
          enabled: settings.enabled,
          siteEnabled: enabledFor(location.hostname, settings),
          companies: companies.map((c, i) => ({ ...c, name: names[i]?.name ?? '' })),
        });
      });
      return true;
    }
    if (message?.type === 'reveal') {
      applying.then(() => annotator?.reveal(message.company)).then((ok) => sendResponse({ ok: !!ok }));
      return true;
    }
    return false;
  });

  applyLogged();
})();
