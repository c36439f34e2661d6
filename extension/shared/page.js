// What the extension's own pages (popup, options) share: their strings and their elements.
import { extensionApi } from './settings.js';

const api = extensionApi();

/** A string of _locales/ in the reader's language. @param {string} key @param {...(string | number)} subs */
export const t = (key, ...subs) => api.i18n.getMessage(key, subs.map(String)) || key;

/** Puts the reader's language into every element marked `data-i18n` (the HTML holds English). */
export function localize() {
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
