// The extension's matcher lives here, not in the content script: Chrome refuses WebAssembly in
// content scripts on pages whose CSP forbids it, while the extension's own context always allows
// it (manifest CSP: 'wasm-unsafe-eval'). Content scripts send text here and get spans back. No
// message ever leaves the browser.
import init, { Core } from './core/contract_lens.js';

const api = globalThis.browser ?? globalThis.chrome;
let corePromise = null;

function core() {
  if (!corePromise) {
    corePromise = init({ module_or_path: api.runtime.getURL('core/contract_lens_bg.wasm') })
      .then(() => new Core());
    // A failed start is retried on the next request rather than cached forever.
    corePromise.catch(() => { corePromise = null; });
  }
  return corePromise;
}

async function handle(message) {
  const c = await core();
  switch (message?.type) {
    case 'scan':
      return { mentions: Array.from(c.scan(message.blocks.map(String))) };
    case 'card':
      return { card: c.card(message.company) ?? null, name: c.nameText(message.name) ?? '' };
    default:
      throw new Error(`unknown message ${message?.type}`);
  }
}

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  // Only our own content scripts and pages talk to us.
  if (sender.id !== api.runtime.id) return false;
  handle(message).then(sendResponse, (error) => {
    // A trap in the core (a Rust panic) leaves the instance unusable: start afresh next time.
    corePromise = null;
    sendResponse({ error: String(error?.message ?? error) });
  });
  return true;
});
