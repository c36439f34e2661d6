// The reader's language: words from _locales/, and numbers, amounts, dates and plurals with
// Intl. The extension passes the browser's i18n.getMessage, which picks the _locales/ folder;
// where none is given (the demo page) a bundled set of messages is used, English by default.
import english from '../_locales/en/messages.json';

/** @typedef {(key: string, ...subs: (string | number)[]) => string} Translate */
/** @typedef {Record<string, { message: string }>} Messages a _locales/xx/messages.json */
/**
 * What every sentence of a card is made with.
 * @typedef {object} Words
 * @property {Translate} t a string of _locales/, `$1`, `$2`... substituted
 * @property {(n: number, key: string) => string} count `key` + the plural form `n` takes
 *   ("countContractOne": "$1 contract"); a form the language lacks falls back to "Other"
 * @property {(usd: number) => string} money US dollars, whole, as the reader writes amounts
 * @property {(iso: string) => string} date a `YYYY-MM-DD` date as the reader writes dates
 * @property {(first: number, last: number) => string} years "2024–2026", or "2024"
 * @property {string} locale the BCP 47 tag every format follows
 * @property {() => void} prepare makes the formats now: the first Intl format in a page takes
 *   13 to 20 ms, which a card should not wait for
 */

/**
 * The locale the formats follow: the reader's own where it is a variant of the strings'
 * language (fr-CA for a Canadian reader of the French strings; one with a region first), else
 * the strings' language, so a sentence never mixes two languages' conventions.
 * @param {string} messagesLanguage the language of the strings in use ("en", "fr")
 * @param {readonly string[]} preferred the reader's languages, most preferred first
 */
export function formatLocale(messagesLanguage, preferred) {
  const language = messagesLanguage.toLowerCase();
  const same = preferred.map((p) => p.replace(/_/g, '-')).filter((p) => p.toLowerCase().split('-')[0] === language);
  // A browser in French may say "fr" for its interface and "fr-CA" for the pages it asks for:
  // the region says how the reader writes numbers and dates.
  const tag = same.find((p) => p.includes('-')) ?? same[0] ?? language;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? 'en';
  } catch {
    return language || 'en';
  }
}

/**
 * @param {((key: string, subs: string[]) => string | undefined) | undefined} translate the
 *   browser's i18n (a string it lacks comes back empty and falls back to `messages`, then English)
 * @param {string} locale from formatLocale
 * @param {Messages} [messages] the bundled strings, when there is no browser i18n
 * @returns {Words}
 */
export function words(translate, locale, messages = english) {
  /** @type {Messages} */
  const fallback = english;
  /** @param {string} key */
  const known = (key) => !!(translate?.(key, []) || messages[key] || fallback[key]);
  /** @type {Translate} */
  const t = (key, ...subs) => {
    const strings = subs.map(String);
    // A translation comes with its substitutions made; the bundled one gets them here (by
    // function, so a "$" in a substitution, as in "$508,832", stays literal).
    const translated = translate?.(key, strings);
    if (translated) return translated;
    const message = messages[key]?.message ?? fallback[key]?.message ?? key;
    return message.replace(/\$(\d)/g, (whole, n) => strings[n - 1] ?? whole);
  };
  // Made on first use: the content script runs on every page, and most never show a card.
  /** @type {{ amounts: Intl.NumberFormat, dates: Intl.DateTimeFormat, plurals: Intl.PluralRules, numbers: Intl.NumberFormat } | null} */
  let made = null;
  const formats = () =>
    (made ??= {
      amounts: new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }),
      dates: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }),
      plurals: new Intl.PluralRules(locale),
      numbers: new Intl.NumberFormat(locale),
    });
  return {
    t,
    locale,
    count(n, key) {
      const form = formats().plurals.select(n);
      const specific = `${key}${form[0].toUpperCase()}${form.slice(1)}`;
      return t(known(specific) ? specific : `${key}Other`, formats().numbers.format(n));
    },
    money: (usd) => formats().amounts.format(usd),
    date(iso) {
      const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
      const when = parts ? new Date(Date.UTC(+parts[1], +parts[2] - 1, +parts[3])) : null;
      // Anything but a whole date is shown as the data gives it.
      return when && !Number.isNaN(when.getTime()) ? formats().dates.format(when) : iso;
    },
    years: (first, last) => (first === last ? `${first}` : `${first}–${last}`),
    prepare: () => {
      formats();
    },
  };
}

/**
 * The reader's words in an extension context: the browser's _locales/ folder, and the formats
 * of its language ("locale" names it in each folder).
 * @param {{ getMessage: (key: string, subs?: string[]) => string, getUILanguage: () => string }} i18n
 * @param {readonly string[]} languages the browser's accepted languages (navigator.languages)
 */
export function browserWords(i18n, languages) {
  const locale = formatLocale(i18n.getMessage('locale') || 'en', [i18n.getUILanguage(), ...languages]);
  return words((key, subs) => i18n.getMessage(key, subs), locale);
}
