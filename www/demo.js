// The demo runs the core in the page itself (the extension runs it in its background, where a
// page's CSP cannot block it); the annotator is the extension's own, bundled with this file.
import { Annotator } from '../extension/content/annotator.js';
import init, { Core } from './core/contract_lens.js';

const status = /** @type {HTMLElement} */ (document.getElementById('status'));

async function main() {
  await init({ module_or_path: new URL('./core/contract_lens_bg.wasm', import.meta.url) });
  const core = new Core();
  const annotator = new Annotator({
    document,
    backend: {
      scan: async (blocks, dismissed) => core.scan(blocks, { dismissed }),
      card: async (company, name) => ({ card: core.card(company, undefined) ?? null, name: core.nameText(name) ?? '' }),
    },
  });
  const article = /** @type {HTMLElement} */ (document.querySelector('article'));
  const toggle = /** @type {HTMLInputElement} */ (document.getElementById('enabled'));
  async function apply() {
    annotator.clear();
    if (toggle.checked) {
      annotator.observe(article);
      const marked = await annotator.annotate(article);
      status.textContent = `${marked} mention${marked === 1 ? '' : 's'} marked; data as of ${core.dataAsOf}.`;
    } else {
      status.textContent = 'Annotations off.';
    }
  }
  toggle.addEventListener('change', apply);
  await apply();
}

main().catch((error) => {
  status.textContent = `The demo could not start: ${error.message}`;
});
