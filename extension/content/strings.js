// The reader's language. The extension passes the browser's i18n.getMessage over _locales/;
// where none is given (the demo page) the English messages of _locales/en are used, bundled
// from that one file at build time.
import english from '../_locales/en/messages.json';

/** @typedef {(key: string, ...subs: (string | number)[]) => string} Translate */

/**
 * A translator: `t(key, ...subs)` with `$1`, `$2`... substituted.
 * @param {((key: string, subs: string[]) => string | undefined) | undefined} translate
 * @returns {Translate}
 */
export function translator(translate) {
  /** @type {Record<string, { message: string }>} */
  const messages = english;
  return (key, ...subs) => {
    const strings = subs.map(String);
    // A translation comes with its substitutions made; the English fallback gets them here
    // (by function, so a "$" in a substitution, as in "$508,832", stays literal).
    const translated = translate?.(key, strings);
    if (translated) return translated;
    return (messages[key]?.message ?? key).replace(/\$(\d)/g, (whole, n) => strings[n - 1] ?? whole);
  };
}

/** "1 contract", "3 contracts": `key` + "One" or "Other". @param {Translate} t @param {number} n @param {string} key */
export function count(t, n, key) {
  return t(n === 1 ? `${key}One` : `${key}Other`, n);
}
