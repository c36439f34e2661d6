// What the extension's own pages (popup, options) share: their strings and their elements.
import { extensionApi } from './settings.js';
import { browserWords } from './strings.js';

const api = extensionApi();

/** The reader's words: strings of _locales/, plurals, amounts and dates in their language. */
export const words = browserWords(api.i18n, navigator.languages);
export const { t } = words;

/** Puts the reader's language into every element marked `data-i18n` (the HTML holds English). */
export function localize() {
  document.documentElement.lang = words.locale;
  for (const node of document.querySelectorAll('[data-i18n]')) {
    const text = api.i18n.getMessage(/** @type {HTMLElement} */ (node).dataset.i18n ?? '');
    if (text) node.textContent = text;
  }
}

/**
 * The page's element `id`, which the page's HTML must have.
 * @template {HTMLElement} [E=HTMLElement]
 * @param {string} id
 * @returns {E}
 */
export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return /** @type {E} */ (element);
}
