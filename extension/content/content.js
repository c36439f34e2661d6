// The extension's glue around the shared annotator: the core runs in the background (see
// background.js for why), settings live in storage.local, and a change of setting takes effect
// in every open tab at once.
(function () {
  'use strict';
  const api = globalThis.browser ?? globalThis.chrome;
  // The demo page runs the same annotator itself; two annotators on one page would fight.
  if (document.querySelector('meta[name="contract-lens-demo"]')) return;

  async function send(message) {
    const reply = await api.runtime.sendMessage(message);
    if (!reply || reply.error) throw new Error(reply?.error ?? 'no reply from the core');
    return reply;
  }

  const annotator = globalThis.ContractLensAnnotator.create({
    document,
    backend: {
      scan: async (blocks) => (await send({ type: 'scan', blocks })).mentions,
      card: async (company, name) => send({ type: 'card', company, name }),
    },
  });

  let applying = Promise.resolve();

  async function apply() {
    const { enabled = true } = await api.storage.local.get('enabled');
    annotator.clear();
    if (enabled && document.body) await annotator.annotate(document.body);
  }

  function applyLogged() {
    // Settings changes queue behind each other; an error is the extension's, never the page's.
    applying = applying.then(apply).catch((error) => console.debug('Contract Lens:', error));
    return applying;
  }

  api.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && 'enabled' in changes) applyLogged();
  });
  applyLogged();
})();
