// What a JavaScript-only extension would match with: one RegExp alternation of every name,
// longest first (so "Amazon Web Services" wins over "Amazon"), whole words, any case. Shared by
// the Node benchmark (wasm-vs-regexp.mjs) and the in-browser one (annotate-page.js).

const escapeRegExp = (/** @type {string} */ s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** @param {string[]} names */
export function regexpFor(names) {
  const sorted = [...names].sort((a, b) => b.length - a.length);
  return new RegExp(`\\b(?:${sorted.map(escapeRegExp).join('|')})\\b`, 'gi');
}

/**
 * A scan as the annotator's backend returns it (five numbers per mention: block, start, end,
 * company, name; UTF-16 offsets), with the RegExp: the name is looked up by its lowered text.
 * @param {RegExp} regexp from regexpFor(names)
 * @param {Map<string, number>} byLowered lowered name -> its index in names
 * @param {string[]} blocks
 */
export function scanWithRegExp(regexp, byLowered, blocks) {
  /** @type {number[]} */
  const mentions = [];
  blocks.forEach((block, index) => {
    regexp.lastIndex = 0;
    for (let m = regexp.exec(block); m !== null; m = regexp.exec(block)) {
      const name = byLowered.get(m[0].toLowerCase()) ?? 0;
      mentions.push(index, m.index, m.index + m[0].length, name, name);
    }
  });
  return mentions;
}
