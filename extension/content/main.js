// The extension's content script: the shared annotator (annotator.js has the diagram) with the
// core in the background (background.js says why), the reader's settings applied in every open
// tab at once, and the popup's questions answered.
import * as Message from '../shared/messages.js';
import { addDismissal, enabledFor, extensionApi, loadSettings, pageKey } from '../shared/settings.js';
import { Annotator } from './annotator.js';

(() => {
  const api = extensionApi();
  // The demo page runs the same annotator itself; two annotators on one page would fight.
  if (document.querySelector('meta[name="contract-lens-demo"]')) return;

  const key = pageKey(location);
  /** @type {import('../shared/settings.js').Settings | null} */
  let settings = null;
  /** @type {Annotator | null} */
  let annotator = null;

  /** @param {object} message */
  async function send(message) {
    const reply = await api.runtime.sendMessage(message);
    if (!reply || reply.error) throw new Error(reply?.error ?? 'no reply from the core');
    return reply;
  }

  /** @param {import('../shared/settings.js').Settings} current */
  function makeAnnotator(current) {
    return new Annotator({
      document,
      translate: (id, subs) => api.i18n.getMessage(id, subs),
      dismissed: (current.dismissed[key]?.companies ?? []).map((c) => c.id),
      backend: {
        scan: (blocks, dismissed) =>
          send(Message.scan(blocks, { filters: current.filters, firstPerBlock: current.firstPerBlock, dismissed })),
        card: (company, name) => send(Message.card(company, name, current.filters)),
      },
      onChange: (companies) => {
        const count = companies.reduce((n, c) => n + c.count, 0);
        send(Message.badge(count)).catch(() => {});
      },
      onDismiss: (company) => addDismissal(api, key, company),
    });
  }

  async function apply() {
    settings = await loadSettings(api);
    annotator?.clear();
    annotator = makeAnnotator(settings);
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
    const keys = Object.keys(changes);
    if (keys.every((k) => k === 'dismissed')) return;
    if (keys.some((k) => k in (settings ?? {}))) applyLogged();
  });

  api.runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (sender.id !== api.runtime.id) return false;
    let checked;
    try {
      checked = Message.check(message, ['page', 'reveal']);
    } catch {
      return false;
    }
    if (checked.type === 'page') {
      applying.then(() =>
        sendResponse({
          hostname: location.hostname,
          enabled: settings?.enabled ?? true,
          siteEnabled: settings ? enabledFor(location.hostname, settings) : true,
          companies: annotator?.companies() ?? [],
        }),
      );
      return true;
    }
    applying.then(() => annotator?.reveal(checked.company)).then((ok) => sendResponse({ ok: !!ok }));
    return true;
  });

  applyLogged();
})();
