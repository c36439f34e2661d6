// The demo runs the core in the page itself (the extension runs it in its background, where a
// page's CSP cannot block it); the annotator is the extension's own, bundled with this file.
import english from '../extension/_locales/en/messages.json';
import french from '../extension/_locales/fr/messages.json';
import { encodeBlocks, encodeSlices } from '../extension/common/encode.js';
import { cardOf, contractsOf } from '../extension/common/messages.js';
import { formatLocale, words } from '../extension/common/strings.js';
import { Annotator } from '../extension/content/annotator.js';
import init, { Core } from './core/contract_lens.js';

const status = /** @type {HTMLElement} */ (document.getElementById('status'));

// The card in the reader's language, as the extension shows it (?lang=fr asks for one).
/** @type {Record<string, import('../extension/common/strings.js').Messages>} */
const BUNDLED = { en: english, fr: french };
const asked = new URLSearchParams(location.search).get('lang');
const preferred = asked ? [asked] : [...navigator.languages];
const language = preferred.map((tag) => tag.toLowerCase().split('-')[0]).find((l) => l in BUNDLED) ?? 'en';
const demoWords = words(undefined, formatLocale(language, preferred), BUNDLED[language]);

async function main() {
  await init({ module_or_path: new URL('./core/contract_lens_bg.wasm', import.meta.url) });
  const core = new Core();
  // The company records ship beside the .wasm; cards need them, marks do not.
  const records = fetch(new URL('./core/contract_lens_records.bin', import.meta.url))
    .then((response) => response.arrayBuffer())
    .then((bytes) => core.attachRecords(new Uint8Array(bytes)));
  // A failure shows when a card asks for them.
  records.catch(() => {});
  const annotator = new Annotator({
    document,
    words: demoWords,
    backend: {
      scan: async (blocks, dismissed) => {
        const { text, lengths } = encodeBlocks(blocks);
        return core.scan(text, lengths, { dismissed });
      },
      card: async (company, name, found) => {
        await records;
        return cardOf({ card: core.card(company, undefined) ?? null, name: core.nameText(name, found) ?? '' });
      },
      contracts: async (company, slices) => contractsOf({ contracts: core.contracts(company, undefined, encodeSlices(slices)) }),
    },
  });
  const article = /** @type {HTMLElement} */ (document.querySelector('article'));
  const toggle = /** @type {HTMLInputElement} */ (document.getElementById('enabled'));
  async function apply() {
    annotator.clear();
    if (toggle.checked) {
      annotator.observe(article);
      const marked = await annotator.annotate(article);
      status.textContent = demoWords.t('demoMarked', demoWords.count(marked, 'countMention'), demoWords.date(core.dataAsOf));
    } else {
      status.textContent = demoWords.t('demoOff');
    }
  }
  toggle.addEventListener('change', apply);
  await apply();
}

main().catch((error) => {
  status.textContent = demoWords.t('demoFailed', error.message);
});
