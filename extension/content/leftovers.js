// Firefox only, in the page's own world (the manifest patch in tools/build-extension.mjs adds it).
//
// When Firefox switches the extension off or reloads it, it destroys the content script
// without letting it run again: the marks would stay in the page, inert, a tab stop each. It
// does remove the extension's stylesheet (marks.css), which turns the marks' underline
// transparent; each mark's 1 ms colour transition then fires `transitionrun`, and this
// listener, which belongs to the page and so outlives the extension, removes every mark whose
// ink is gone, and the card if one was open. It reads nothing and sends nothing; while the
// extension runs, every mark has its ink and the listener does nothing.
import { INK, LEFTOVER_SELECTOR, removeLeftover } from './marks.js';

document.addEventListener(
  'transitionrun',
  (event) => {
    const target = event.target;
    if (!(target instanceof Element) || !target.matches(LEFTOVER_SELECTOR)) return;
    const inkless = (/** @type {Element} */ mark) => getComputedStyle(mark).getPropertyValue(INK) === '';
    if (!inkless(target)) return;
    // In document order: each mark rejoins the text before it.
    for (const mark of document.querySelectorAll(LEFTOVER_SELECTOR)) if (inkless(mark)) removeLeftover(mark);
    for (const host of document.querySelectorAll('[data-contract-lens=card]')) host.remove();
  },
  true,
);
