// Texts kept by key, a bounded few: the most recently used stay when there are too many or
// they hold too much. The background keeps the cards it built here (JSON text, from a few kB
// to some 33 kB for a reseller's card as it opens).

export class RecentTexts {
  /**
   * @param {number} maxEntries
   * @param {number} maxUnits the UTF-16 units of all the texts kept
   */
  constructor(maxEntries, maxUnits) {
    this.maxEntries = maxEntries;
    this.maxUnits = maxUnits;
    this.units = 0;
    // A Map iterates in insertion order: a text used again is inserted again, so the first
    // entry is the least recently used.
    /** @type {Map<string, string>} */
    this.texts = new Map();
  }

  /** @param {string} key */
  has(key) {
    return this.texts.has(key);
  }

  /** The text kept under `key`, now the most recently used; undefined if none. @param {string} key */
  get(key) {
    const text = this.texts.get(key);
    if (text !== undefined) {
      this.texts.delete(key);
      this.texts.set(key, text);
    }
    return text;
  }

  /**
   * Keeps `text` under `key`, dropping the least recently used past either bound. A text larger
   * than all the room is not kept.
   * @param {string} key
   * @param {string} text
   */
  set(key, text) {
    this.delete(key);
    if (text.length > this.maxUnits) return;
    this.texts.set(key, text);
    this.units += text.length;
    for (const oldest of this.texts.keys()) {
      if (this.texts.size <= this.maxEntries && this.units <= this.maxUnits) break;
      this.delete(oldest);
    }
  }

  /** @param {string} key */
  delete(key) {
    const text = this.texts.get(key);
    if (text === undefined) return;
    this.texts.delete(key);
    this.units -= text.length;
  }
}
