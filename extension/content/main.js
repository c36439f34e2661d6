// The extension's content script: the shared annotator (annotator.js has the diagram) with the
// core in the background (background.js says why), the reader's settings applied in every open
// tab at once, and the popup's questions answered.
import * as Message from '../common/messages.js';
import { addDismissal, enabledFor, extensionApi, loadSettings, pageKey, settingsReadEarly } from '../common/settings.js';
import { browserWords } from '../common/strings.js';
import { Annotator } from './annotator.js';
import { LEFTOVER_SELECTOR, removeLeftover } from './marks.js';

// A first scan that fails (the core starting, a busy browser) is tried again, so many times,
// after 1 s, 2 s, 4 s: past the background's first pauses after a failed start.
const RETRIES = 3;
const RETRY_MS = 1000;
const ORPHAN_CHECK_MS = 3000;

(() => {
  const api = extensionApi();
  // The demo page runs the same annotator itself; two annotators on one page would fight.
  if (document.querySelector('meta[name="contract-lens-demo"]')) return;

  const key = pageKey(location);
  const readerWords = browserWords(api.i18n, navigator.languages);
  /** @type {import('../common/settings.js').Settings | null} */
  let settings = null;
  /** @type {Annotator | null} */
  let annotator = null;
  /** @type {string | null} why the page could not be annotated, for the popup */
  let failure = null;
  let orphaned = false;

  /** The extension was updated, reloaded or switched off under this script: leave the page as it was. */
  function leave() {
    orphaned = true;
    clearInterval(orphanCheck);
    annotator?.clear();
    annotator = null;
  }
  // Chrome keeps a cut-off script running but takes its runtime.id: a look every few seconds
  // (no message, nothing woken) notices on a page that never changes and is never hovered.
  // (Firefox stops the script itself; content/leftovers.js removes its marks.)
  const orphanCheck = setInterval(() => {
    if (!api.runtime?.id) leave();
  }, ORPHAN_CHECK_MS);

  /** @param {object} message */
  async function send(message) {
    if (orphaned) throw new Error('the extension is gone');
    let reply;
    try {
      reply = await api.runtime.sendMessage(message);
    } catch (error) {
      // Chrome says "Extension context invalidated" and drops runtime.id.
      if (!api.runtime?.id) leave();
      throw error;
    }
    if (!reply || reply.error) throw new Error(reply?.error ?? 'no reply from the core');
    return reply;
  }

  // A copy already running in this world (the background injects one when the reader allows a
  // site, which a browser may do itself too) hands the page over to this one.
  const world = /** @type {{ contractLensLeave?: () => void }} */ (globalThis);
  world.contractLensLeave?.();
  world.contractLensLeave = leave;

  // What an earlier copy of this script left when the extension was reloaded under it (in
  // document order: each mark rejoins the text before it).
  for (const mark of document.querySelectorAll(LEFTOVER_SELECTOR)) removeLeftover(mark);
  for (const host of document.querySelectorAll('[data-contract-lens=card]')) host.remove();

  /** @param {import('../common/settings.js').Settings} current */
  function makeAnnotator(current) {
    return new Annotator({
      document,
      words: readerWords,
      dismissed: (current.dismissed[key]?.companies ?? []).map((c) => c.id),
      articleOnly: !current.markEverywhere,
      backend: {
        scan: (blocks, dismissed) =>
          send(Message.scan(blocks, { filters: current.filters, firstPerBlock: current.firstPerBlock, dismissed })),
        prepare: (companies) => send(Message.prepare(companies, current.filters)),
        card: (company, name, found) => send(Message.card(company, name, found, current.filters)).then(Message.cardOf),
        // The card's own filters: an annotator lives as long as the settings it was made with.
        contracts: (company, slices) => send(Message.contracts(company, slices, current.filters)).then(Message.contractsOf),
      },
      onChange: (companies) => {
        const count = companies.reduce((n, c) => n + c.count, 0);
        send(Message.badge(count)).catch(() => {});
      },
      onDismiss: (company) => addDismissal(api, key, company),
    });
  }

  // The first apply takes what content/wake.js read at document_start; later ones read anew.
  /** @type {Promise<import('../common/settings.js').Settings> | null} */
  let firstSettings = settingsReadEarly(api);

  async function apply() {
    const reading = firstSettings ?? loadSettings(api);
    firstSettings = null;
    settings = await reading;
    annotator?.clear();
    if (orphaned) return;
    annotator = makeAnnotator(settings);
    failure = null;
    if (!enabledFor(location.hostname, settings) || !document.body) return;
    // Watch first: what the page adds while the first scan runs is caught too.
    annotator.observe(document.body);
    for (let attempt = 0; ; attempt += 1) {
      try {
        await annotator.annotate(document.body);
        failure = null;
        return;
      } catch (error) {
        failure = String(/** @type {Error} */ (error)?.message ?? error);
        if (orphaned || attempt >= RETRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS * 2 ** attempt));
      }
    }
  }

  let applying = Promise.resolve();
  function applyLogged() {
    // Changes queue behind each other; an error is the extension's, never the page's: the
    // popup reports it.
    applying = applying.then(apply).catch((error) => {
      failure ??= String(error?.message ?? error);
      console.debug('Contract Lens:', error);
    });
    return applying;
  }

  api.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local' || orphaned) return;
    // A dismissal made here is already applied; one made elsewhere is for another page.
    const keys = Object.keys(changes);
    if (keys.every((k) => k === 'dismissed')) return;
    if (keys.some((k) => k in (settings ?? {}))) applyLogged();
  });

  api.runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (sender.id !== api.runtime.id || orphaned) return false;
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
          outside: annotator?.outside ?? 0,
          failure,
        }),
      );
      return true;
    }
    applying.then(() => annotator?.reveal(checked.company)).then((ok) => sendResponse({ ok: !!ok }));
    return true;
  });

  applyLogged();
})();
