// What the browser tests share: paths, the fixture's expected mentions, and in-page probes
// (plain functions run inside the page by each browser's driver).

import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = join(ROOT, 'tests', 'e2e', 'fixtures');
export const ARTIFACTS = join(ROOT, 'tests', 'e2e', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

// The fixture article's mentions, in document order, as the reader sees them: each entry is the
// text of one mention (a mention split across elements gives one entry, joined).
export const EXPECTED_MENTIONS = ['Hootsuite', 'Hootsuite', 'FCN Inc.', 'Hootsuite', 'Palantir Technologies', 'Microsoft', 'GitHub'];

// Runs in the page: the mentions marked, joined across the pieces of a split mention.
export function markedMentionsInPage() {
  const marks = [...document.querySelectorAll('contractlensmark')];
  const mentions = [];
  for (const mark of marks) {
    // A piece continues the previous mention unless it is a first piece (those open a card).
    if (mark.hasAttribute('aria-haspopup') || !mentions.length) mentions.push(mark.textContent);
    else mentions[mentions.length - 1] += mark.textContent;
  }
  return mentions.map((m) => m.replace(/\s+/g, ' ').trim());
}

// Runs in the page: what the open card shows, or null.
export function openCardInPage() {
  const host = document.querySelector('[data-contract-lens=card]');
  const card = host?.shadowRoot?.querySelector('.card');
  if (!card || !host.isConnected) return null;
  return {
    title: card.querySelector('h2')?.textContent,
    role: card.getAttribute('role'),
    text: card.textContent,
    links: [...card.querySelectorAll('a')].map((a) => a.href),
  };
}

export function markCountInPage() {
  return document.querySelectorAll('contractlensmark').length;
}

export function pageHtml() {
  return document.documentElement.outerHTML;
}

// What fixtures/wasm-probe.js, the page's own script, found: 'allowed', 'blocked' or undefined.
export function pageWasmInPage() {
  return document.documentElement.dataset.pageWasm ?? null;
}

/** Resolves once `probe()` resolves to a value `accept` takes, polling; rejects after `ms`. */
export async function eventually(probe, accept, { ms = 10000, what = 'condition' } = {}) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    last = await probe();
    if (accept(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

// Runs in the page: adds a paragraph, the way a single-page app or infinite scroll does.
export function appendParagraphInPage({ id, text }) {
  const p = document.createElement('p');
  p.id = id;
  p.textContent = text;
  document.getElementById('feed').append(p);
}

// Runs in the page: a storm of mutations for `ms` milliseconds (a ticker gone wild), then one
// paragraph naming a company. Resolves with how many times the page's own loop ran.
export function mutationStormInPage(ms) {
  return new Promise((resolve) => {
    const feed = document.getElementById('feed');
    const end = Date.now() + ms;
    let ticks = 0;
    const tick = () => {
      for (let i = 0; i < 20; i += 1) {
        const span = document.createElement('span');
        span.textContent = ` tick ${ticks}.${i}`;
        feed.append(span);
      }
      feed.firstChild && feed.childNodes.length > 400 && feed.firstChild.remove();
      ticks += 1;
      if (Date.now() < end) {
        setTimeout(tick, 0);
      } else {
        const p = document.createElement('p');
        p.id = 'after-storm';
        p.textContent = 'After the storm, Palantir Technologies was named.';
        feed.append(p);
        resolve(ticks);
      }
    };
    tick();
  });
}

/** axe-core's source, to run inside a page or the popup. */
export function axeSource() {
  return readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
}

// Runs in the page once axe is loaded: violations inside `selector` (a card's shadow root
// included), as `id: targets`.
export function axeViolationsInPage(selector) {
  const context = selector ? { include: [{ fromShadowDom: [selector, '.card'] }] } : document;
  return globalThis.axe
    .run(context, { resultTypes: ['violations'] })
    .then((r) => r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`));
}
