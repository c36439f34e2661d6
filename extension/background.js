// The extension's matcher lives here, not in the content script: Chrome refuses WebAssembly in
// content scripts on pages whose CSP forbids it, while the extension's own context always allows
// it (manifest CSP: 'wasm-unsafe-eval'). Content scripts send text here and get spans back. No
// message ever leaves the browser.
import init, { Core } from './core/contract_lens.js';

const api = globalThis.browser ?? globalThis.chrome;
let corePromise = null;
// How much work pages asked for: the end-to-end tests read it to check that a busy page gets
// bounded work. It stays in the browser like everything else.
const stats = { scans: 0 };

function core() {
  if (!corePromise) {
    corePromise = init({ module_or_path: api.runtime.getURL('core/contract_lens_bg.wasm') })
      .then(() => new Core());
    // A failed start is retried on the next request rather than cached forever.
    corePromise.catch(() => { corePromise = null; });
  }
  return corePromise;
}

async function handle(message, sender) {
  switch (message?.type) {
    case 'scan': {
      stats.scans += 1;
      const c = await core();
      return { mentions: Array.from(c.scan(message.blocks.map(String))) };
    }
    case 'profiles': {
      const c = await core();
      return { profiles: c.profiles(Uint32Array.from(message.companies), message.filters ?? undefined) };
    }
    case 'card': {
      const c = await core();
      return { card: c.card(message.company, message.filters ?? undefined) ?? null, name: c.nameText(message.name) ?? '' };
    }
    case 'badge': {
      const tabId = sender.tab?.id;
      if (tabId !== undefined) {
        await api.action.setBadgeText({ tabId, text: message.count ? String(message.count) : '' });
      }
      return { ok: true };
    }
    case 'stats':
      return { ...stats };
    default:
      throw new Error(`unknown message ${message?.type}`);
  }
}

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  // Only our own content scripts and pages talk to us.
  if (sender.id !== api.runtime.id) return false;
  handle(message, sender).then(sendResponse, (error) => {
    // A trap in the core (a Rust panic) leaves the instance unusable: start afresh next time.
    if (error instanceof WebAssembly.RuntimeError) corePromise = null;
    sendResponse({ error: String(error?.message ?? error) });
  });
  return true;
});

// The keyboard shortcut (manifest "commands") flips the global switch.
api.commands?.onCommand.addListener(async (command) => {
  if (command !== 'toggle-annotations') return;
  const { enabled = true } = await api.storage.local.get('enabled');
  await api.storage.local.set({ enabled: !enabled });
});

api.action.setBadgeBackgroundColor?.({ color: '#0b5cad' });
