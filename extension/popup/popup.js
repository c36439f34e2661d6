// The toolbar popup: the global on/off switch. Content scripts watch storage and follow.
const api = globalThis.browser ?? globalThis.chrome;

for (const node of document.querySelectorAll('[data-i18n]')) {
  const text = api.i18n.getMessage(node.dataset.i18n);
  if (text) node.textContent = text;
}

const toggle = document.getElementById('enabled');
api.storage.local.get('enabled').then(({ enabled = true }) => {
  toggle.checked = enabled;
  // Marks the popup as showing the stored state (styles and tests key on it).
  document.body.dataset.ready = 'true';
});
toggle.addEventListener('change', () => {
  api.storage.local.set({ enabled: toggle.checked });
});
