import { Annotator, MAX_MARKS } from '../../extension/content/annotator.js';
import { DRAWN_PAGE_BLOCKS } from '../../extension/content/drawn.js';
import { deepEqual, equal, fixture, ok, test, until } from './harness.js';

/**
 * A backend that finds `names` (name -> company) in each block the simple way; the real one
 * is the core, tested in Rust. Records every scan.
 * @param {Record<string, number>} names
 */
function fakeBackend(names) {
  /** @type {string[][]} */
  const scans = [];
  return {
    scans,
    /** @type {(() => void) | null} runs while the "core" works, before the reply */
    during: /** @type {(() => void) | null} */ (null),
    async scan(/** @type {string[]} */ blocks, /** @type {string[]} */ dismissed) {
      scans.push(blocks);
      this.during?.();
      const mentions = [];
      const companies = new Map();
      for (const [block, text] of blocks.entries()) {
        for (const [name, company] of Object.entries(names)) {
          if (dismissed.includes(name.toLowerCase())) continue;
          for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
            mentions.push(block, at, at + name.length, company, company);
            companies.set(company, { company, id: name.toLowerCase(), name, statements: company === 1 });
          }
        }
      }
      return { mentions, companies: [...companies.values()] };
    },
    async card() {
      return { card: /** @type {Record<string, any> | null} */ (null), name: '' };
    },
    async contracts() {
      return /** @type {Record<string, any>[][]} */ ([]);
    },
  };
}

test('annotate marks what the backend finds and clear restores the DOM exactly', async () => {
  const root = fixture('<p>Hootsuite sold <b>Hoot</b>suite licences; Palantir too.</p><pre>Hootsuite</pre>');
  const before = root.innerHTML;
  const backend = fakeBackend({ Hootsuite: 1, Palantir: 2 });
  const annotator = new Annotator({ backend, document });
  equal(await annotator.annotate(root), 3);
  deepEqual(backend.scans, [['Hootsuite sold Hootsuite licences; Palantir too.']], 'code is not sent');
  deepEqual(annotator.companies(), [
    { company: 1, name: 'Hootsuite', count: 2 },
    { company: 2, name: 'Palantir', count: 1 },
  ]);
  const styles = [...root.querySelectorAll('contractlensmark[aria-haspopup]')].map((m) => m.getAttribute('style')?.includes('dashed'));
  deepEqual(styles, [true, true, false], 'dashed for a company with statements');
  annotator.clear();
  equal(root.innerHTML, before);
});

test('the first scan holds only the top of the page; the rest follows, each block once, in order', async () => {
  // 300 paragraphs, about 60,000 characters: one message's worth for later slices.
  const paragraphs = Array.from({ length: 300 }, (_, i) => `Paragraph ${i} names Hootsuite. ${'Filler text. '.repeat(13)}`);
  const root = fixture(paragraphs.map((p) => `<p>${p}</p>`).join(''));
  const backend = fakeBackend({ Hootsuite: 1 });
  const annotator = new Annotator({ backend, document });
  equal(await annotator.annotate(root), 300);
  const first = backend.scans[0].reduce((n, block) => n + block.length, 0);
  ok(first <= 20_000 + paragraphs[0].length, `the first scan held ${first} characters`);
  deepEqual(backend.scans.flat(), paragraphs);
  annotator.clear();
});

// Watched, the annotator looks for the page's changes node by node only when the watcher saw one.
for (const watched of [false, true]) {
  test(`a block the page changed while the core worked is left alone${watched ? ', the page watched' : ''}`, async () => {
    const root = fixture('<p id="a">Hootsuite here.</p><p id="b">Hootsuite there.</p>');
    const backend = fakeBackend({ Hootsuite: 1 });
    backend.during = () => {
      const text = /** @type {Text} */ (root.querySelector('#b')?.firstChild);
      text.data = 'Now about something else.';
    };
    const annotator = new Annotator({ backend, document });
    if (watched) annotator.observe(root);
    equal(await annotator.annotate(root), 1);
    equal(root.querySelectorAll('#a contractlensmark').length, 1);
    equal(root.querySelectorAll('#b contractlensmark').length, 0);
    equal(root.querySelector('#b')?.textContent, 'Now about something else.');
    annotator.watcher.stop();
  });
}

test('switching off while the core works drops its answer', async () => {
  const root = fixture('<p>Hootsuite here.</p>');
  const backend = fakeBackend({ Hootsuite: 1 });
  const annotator = new Annotator({ backend, document });
  backend.during = () => annotator.clear();
  equal(await annotator.annotate(root), 0);
  equal(root.querySelectorAll('contractlensmark').length, 0);
});

test('"Not this company" unwraps its marks, reports it, and keeps it off the next scans', async () => {
  const root = fixture('<p>Hootsuite and Palantir.</p>');
  /** @type {{ id: string, name: string }[]} */
  const reported = [];
  const backend = fakeBackend({ Hootsuite: 1, Palantir: 2 });
  const annotator = new Annotator({ backend, document, onDismiss: (c) => reported.push(c) });
  await annotator.annotate(root);
  annotator.dismiss(2);
  deepEqual(reported, [{ id: 'palantir', name: 'Palantir' }]);
  deepEqual(
    [...root.querySelectorAll('contractlensmark')].map((m) => m.textContent),
    ['Hootsuite'],
  );
  const more = fixture('<p>Palantir again.</p>');
  equal(await annotator.annotate(more), 0);
});

/** Waits for the page's mutation records to be delivered. */
const records = () => new Promise((resolve) => setTimeout(resolve, 0));

test('a framework rewriting its text sees no stale mark and no duplicated text, before the next paint', async () => {
  const root = fixture('<p id="p"></p>');
  const p = /** @type {Element} */ (root.querySelector('p'));
  // As React renders "{company} won": two text nodes it keeps and updates.
  const company = document.createTextNode('Palantir');
  p.append(company, document.createTextNode(' won.'));
  const annotator = new Annotator({ backend: fakeBackend({ Palantir: 2 }), document });
  annotator.observe(root);
  equal(await annotator.annotate(root), 1);
  company.data = 'A small firm';
  await records();
  equal(p.textContent, 'A small firm won.');
  equal(p.querySelectorAll('contractlensmark').length, 0);
  equal(company.parentNode, p, 'the node is where the framework left it');
  company.remove();
  await records();
  equal(p.textContent, ' won.');
  annotator.clear();
});

test('a page that keeps removing its marks is left alone after the second time', async () => {
  const root = fixture('<p id="p">Hootsuite said.</p>');
  const backend = fakeBackend({ Hootsuite: 1 });
  const annotator = new Annotator({ backend, document });
  annotator.observe(root);
  const p = /** @type {Element} */ (root.querySelector('p'));
  const unwrapAll = () => {
    for (const mark of p.querySelectorAll('contractlensmark')) mark.replaceWith(...mark.childNodes);
  };
  equal(await annotator.annotate(root), 1);
  unwrapAll();
  // The first time, the watcher marks the paragraph again.
  await until(() => p.querySelector('contractlensmark'));
  unwrapAll();
  await records();
  const scans = backend.scans.length;
  equal(await annotator.annotate(root), 0, 'no longer marked');
  equal(backend.scans.length, scans, 'not even scanned');
  annotator.clear();
});

test('content that becomes editable loses its marks; hidden text and flex items are not marked', async () => {
  const root = fixture(
    '<div id="doc"><p>Hootsuite draft.</p></div><p hidden>Hootsuite hidden.</p>' +
      '<p style="visibility: hidden">Hootsuite invisible.</p><div style="display: flex">Hootsuite item</div>',
  );
  const annotator = new Annotator({ backend: fakeBackend({ Hootsuite: 1 }), document });
  annotator.observe(root);
  equal(await annotator.annotate(root), 1, 'only the visible paragraph');
  const editor = /** @type {HTMLElement} */ (root.querySelector('#doc'));
  editor.contentEditable = 'true';
  await records();
  equal(editor.innerHTML, '<p>Hootsuite draft.</p>', 'an editor saves no element of ours');
  annotator.clear();
});

test('overlapping scans never nest a mark inside a mark', async () => {
  const root = fixture('<p>Hootsuite and Palantir.</p>');
  const annotator = new Annotator({ backend: fakeBackend({ Hootsuite: 1, Palantir: 2 }), document });
  const counts = await Promise.all([annotator.annotate(root), annotator.annotate(root), annotator.annotate(root)]);
  deepEqual(counts, [2, 0, 0]);
  equal(root.querySelectorAll('contractlensmark contractlensmark').length, 0);
  deepEqual(
    annotator.companies().map((c) => c.count),
    [1, 1],
  );
});

test('the page cannot read the card or open it with synthetic events', async () => {
  const root = fixture('<p>Hootsuite said.</p>');
  const backend = fakeBackend({ Hootsuite: 1 });
  backend.card = async () => ({ card: cardFor('Hootsuite'), name: 'Hootsuite' });
  const annotator = new Annotator({ backend, document });
  await annotator.annotate(root);
  const mark = /** @type {HTMLElement} */ (root.querySelector('contractlensmark'));
  mark.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
  await new Promise((resolve) => setTimeout(resolve, 400));
  equal(document.querySelector('[data-contract-lens=card]'), null, 'a synthetic hover opens nothing');
  await annotator.card.open(mark);
  const host = /** @type {HTMLElement} */ (document.querySelector('[data-contract-lens=card]'));
  equal(host.shadowRoot, null, 'the shadow root is closed');
  // A synthetic click on "Not this company" writes nothing.
  const notThis = /** @type {HTMLElement} */ (annotator.card.shadow?.querySelector('button.not-this'));
  notThis.click();
  equal(root.querySelectorAll('contractlensmark').length, 1);
  annotator.clear();
});

/** The smallest card src/card.rs could send. @param {string} name */
function cardFor(name) {
  const summary = { contracts: 0, statements: 0, agencies: [], obligated_usd: 0, potential_usd: 0, reported_usd: 0, via_awards: 0 };
  return {
    name,
    curated: true,
    summary,
    timeline: [],
    entries: [],
    years: [],
    statements: [],
    after_statements: [],
    data_as_of: '2026-08-20',
    spending_sources: [],
  };
}

test('a block of thousands of inline nodes gets the first MAX_MARKS mentions marked, in page order', async () => {
  const root = fixture('<p id="p"></p>');
  const p = /** @type {Element} */ (root.querySelector('p'));
  for (let i = 0; i < 5000; i += 1) p.append(Object.assign(document.createElement('b'), { textContent: 'Hootsuite' }), ' and ');
  const annotator = new Annotator({ backend: fakeBackend({ Hootsuite: 1 }), document });
  equal(await annotator.annotate(root), MAX_MARKS);
  equal(annotator.drawn.size, MAX_MARKS, 'drawn');
  equal(annotator.drawn.all()[0].range.startContainer, p.querySelector('b')?.firstChild, 'the first ones, in page order');
  annotator.clear();
});

test('where highlights cannot be drawn, a long block is wrapped: the first MAX_MARKS mentions, in page order', async () => {
  const root = fixture('<p id="p"></p>');
  const p = /** @type {Element} */ (root.querySelector('p'));
  for (let i = 0; i < 5000; i += 1) p.append(Object.assign(document.createElement('b'), { textContent: 'Hootsuite' }), ' and ');
  const annotator = new Annotator({ backend: fakeBackend({ Hootsuite: 1 }), document });
  annotator.drawn.available = false;
  const marked = await annotator.annotate(root);
  equal(marked, MAX_MARKS);
  equal(p.querySelectorAll('contractlensmark').length, MAX_MARKS);
  equal(p.querySelector('b contractlensmark')?.textContent, 'Hootsuite', 'the first ones, in page order');
  annotator.clear();
  equal(p.querySelectorAll('contractlensmark').length, 0);
});

test('a lifted mark limit reads the whole page (what the benchmark compares matchers on)', async () => {
  const root = fixture('<p id="p"></p>');
  const p = /** @type {Element} */ (root.querySelector('p'));
  for (let i = 0; i < MAX_MARKS + 300; i += 1) p.append(Object.assign(document.createElement('b'), { textContent: 'Hootsuite' }), ' and ');
  const annotator = new Annotator({ backend: fakeBackend({ Hootsuite: 1 }), document, maxMarks: Number.POSITIVE_INFINITY });
  equal(await annotator.annotate(root), MAX_MARKS + 300);
  equal(annotator.drawn.size, MAX_MARKS + 300);
  annotator.clear();
});

test('marks and splits of content the page removed are forgotten: nothing grows for ever', async () => {
  const root = fixture('<div id="feed"></div>');
  const feed = /** @type {Element} */ (root.querySelector('#feed'));
  const annotator = new Annotator({ backend: fakeBackend({ Hootsuite: 1 }), document });
  annotator.observe(root);
  for (let round = 0; round < 5; round += 1) {
    feed.replaceChildren(
      ...Array.from({ length: 20 }, () => Object.assign(document.createElement('p'), { textContent: 'Hootsuite said.' })),
    );
    await annotator.annotate(feed);
  }
  await records();
  await annotator.annotate(feed);
  equal(annotator.marks.all.length, 20, 'only the marks on the page');
  equal(annotator.marks.splits.size, 20, 'only the splits on the page');
  annotator.clear();
});

test('article-only marking marks the article and counts what it leaves outside', async () => {
  const long = 'Hootsuite sold licences through a reseller to the agency. '.repeat(3);
  const root = fixture(
    `<nav>Share on Hootsuite</nav><article><p>${long}</p><footer>Hootsuite jobs</footer></article><p>Hootsuite elsewhere</p>`,
  );
  const annotator = new Annotator({ backend: fakeBackend({ Hootsuite: 1 }), document, articleOnly: true });
  equal(await annotator.annotate(root), 3);
  equal(root.querySelectorAll('article p contractlensmark').length, 3);
  equal(annotator.outside, 3, 'nav, footer and the paragraph outside');
  annotator.clear();
  const everywhere = new Annotator({ backend: fakeBackend({ Hootsuite: 1 }), document });
  equal(await everywhere.annotate(root), 6);
  everywhere.clear();
});

test('article-only marking scans the article first, then the rest of the page, each block once', async () => {
  // A navigation longer than the first scan holds, before the article: read in page order,
  // the article's first mark waited for the scans of the navigation.
  const items = Array.from({ length: 400 }, (_, i) => `<li>Section ${i} of the site, with its links and its pages.</li>`);
  items[200] = '<li>Our Hootsuite page</li>';
  const story = 'Hootsuite sold licences through a reseller to the agency.';
  const root = fixture(`<nav><ul>${items.join('')}</ul></nav><article><h1>The story</h1><p>${story}</p></article><p>After it</p>`);
  const backend = fakeBackend({ Hootsuite: 1 });
  const annotator = new Annotator({ backend, document, articleOnly: true });
  equal(await annotator.annotate(root), 1);
  deepEqual(backend.scans[0].slice(0, 2), ['The story', story], 'the article opens the first scan');
  equal(root.querySelectorAll('article contractlensmark').length, 1);
  equal(annotator.outside, 1, 'the navigation is scanned after the article, its mention counted');
  annotator.clear();
  // The same blocks as a walk of the whole page in its order reads, none twice.
  const everywhere = fakeBackend({ Hootsuite: 1 });
  const inPageOrder = new Annotator({ backend: everywhere, document });
  await inPageOrder.annotate(root);
  deepEqual(backend.scans.flat().sort(), everywhere.scans.flat().sort());
  equal(everywhere.scans[0][0], 'Section 0 of the site, with its links and its pages.');
  inPageOrder.clear();
});

test('a block of 50,000 inline elements is read in slices: the page runs before the core is asked', async () => {
  const root = fixture(`<p>${'<b>x</b> '.repeat(50_000)}Hootsuite</p>`);
  /** @type {string[]} */
  const order = [];
  const backend = fakeBackend({ Hootsuite: 1 });
  const scan = backend.scan.bind(backend);
  backend.scan = async (blocks, dismissed) => {
    order.push('scan');
    return scan(blocks, dismissed);
  };
  const annotator = new Annotator({ backend, document });
  // The page's own work, queued before the annotator starts: it runs at the annotator's first
  // pause, not after the whole block was read.
  const page = new MessageChannel();
  page.port1.onmessage = () => order.push('page');
  page.port2.postMessage(null);
  equal(await annotator.annotate(root), 1);
  deepEqual(order, ['page', 'scan']);
  equal(annotator.drawn.all()[0]?.range.toString(), 'Hootsuite');
  page.port1.close();
  annotator.clear();
});

/** A paragraph of `count` inline elements, each naming Hootsuite: long enough to be drawn. @param {number} count */
const longParagraph = (count) => `<p id="long">${Array.from({ length: count }, (_, i) => `<span>Hootsuite ${i}</span> and `).join('')}</p>`;
/** The text nodes under `root`, in order. @param {Node} root */
const textNodes = (root) => {
  const nodes = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) nodes.push(walker.currentNode);
  return nodes;
};

test('a block too long to lay out again is drawn, not wrapped: its DOM untouched, its mentions ranges', async () => {
  const root = fixture(`${longParagraph(600)}<p>Palantir and <b>Hoot</b>suite.</p>`);
  const before = root.innerHTML;
  const nodes = textNodes(root);
  const annotator = new Annotator({ backend: fakeBackend({ Hootsuite: 1, Palantir: 2 }), document });
  equal(await annotator.annotate(root), 602);
  equal(root.querySelectorAll('#long contractlensmark').length, 0, 'nothing wrapped in the long block');
  equal(root.querySelectorAll('contractlensmark[aria-haspopup]').length, 2, 'the short block is wrapped as before');
  equal(annotator.drawn.size, 600);
  const drawn = CSS.highlights.get('contract-lens-statements');
  equal(drawn?.size, 600, 'Hootsuite (statements) is drawn as such');
  const first = annotator.drawn.ofCompany(1)[0];
  equal(first.range.toString(), 'Hootsuite');
  equal(first.found, 'Hootsuite', 'what the card asks its name by');
  deepEqual(annotator.companies(), [
    { company: 1, name: 'Hootsuite', count: 601 },
    { company: 2, name: 'Palantir', count: 1 },
  ]);
  annotator.clear();
  equal(root.innerHTML, before);
  deepEqual(textNodes(root), nodes, 'the same text nodes');
  equal(CSS.highlights.has('contract-lens-statements'), false, 'our highlights are unregistered');
});

test('on a page of DRAWN_PAGE_BLOCKS blocks a short block is drawn too; on a smaller one, or one of as many inline elements, wrapped', async () => {
  const inline = fixture(`<div hidden>${'<i></i>'.repeat(DRAWN_PAGE_BLOCKS)}</div><p>Hootsuite said.</p>`);
  const cheap = new Annotator({ backend: fakeBackend({ Hootsuite: 1 }), document });
  equal(await cheap.annotate(inline), 1);
  equal(cheap.drawn.size, 0, 'inline elements do not count');
  cheap.clear();
  const tags = ['p', 'div', 'li'];
  const filler = Array.from({ length: DRAWN_PAGE_BLOCKS }, (_, i) => `<${tags[i % 3]}></${tags[i % 3]}>`).join('');
  const root = fixture(`<div id="filler" hidden>${filler}</div><p id="short">Hootsuite said.</p>`);
  const short = /** @type {Element} */ (root.querySelector('#short'));
  const annotator = new Annotator({ backend: fakeBackend({ Hootsuite: 1 }), document });
  equal(await annotator.annotate(root), 1);
  equal(annotator.drawn.size, 1);
  equal(root.querySelectorAll('contractlensmark').length, 0, 'no element added to a page this large');
  root.querySelector('#filler')?.remove();
  equal(await annotator.annotate(short), 1);
  equal(annotator.drawn.size, 0, 'the page no longer that large: wrapped, drawn no more');
  equal(short.querySelectorAll('contractlensmark[aria-haspopup]').length, 1);
  annotator.clear();
});

test('a long block is drawn at most 64 ranges at a time (a look at the clock between), in page order', async () => {
  const root = fixture(longParagraph(3000));
  const annotator = new Annotator({ backend: fakeBackend({ Hootsuite: 1 }), document, maxMarks: 3000 });
  /** @type {number[]} */
  const slices = [];
  const drawBlock = annotator.drawn.drawBlock.bind(annotator.drawn);
  annotator.drawn.drawBlock = (block, starts, mentions) => {
    slices.push(mentions.length);
    drawBlock(block, starts, mentions);
  };
  equal(await annotator.annotate(root), 3000);
  equal(Math.max(...slices), 64, 'at most 64 ranges between two looks at the clock');
  const starts = annotator.drawn.all().map((one) => one.range.startContainer);
  deepEqual(
    starts,
    textNodes(root).filter((node) => node.textContent?.startsWith('Hootsuite')),
  );
  annotator.clear();
});

test('a drawn block scanned again with nothing left to mark is drawn no more', async () => {
  const root = fixture(longParagraph(600));
  /** @type {Record<string, number>} */
  const names = { Hootsuite: 1 };
  const annotator = new Annotator({ backend: fakeBackend(names), document });
  equal(await annotator.annotate(root), 600);
  delete names.Hootsuite;
  equal(await annotator.annotate(/** @type {Element} */ (root.querySelector('#long'))), 0);
  equal(annotator.drawn.size, 0);
  equal(CSS.highlights.get('contract-lens-statements')?.size, 0);
  annotator.clear();
});

test("a flex container's own text is drawn when its block is long, and left alone when it would be wrapped", async () => {
  // Wrapping would split a flex item's text and add layout items; drawing splits nothing.
  const pieces = Array.from({ length: 600 }, () => 'Hootsuite <span>x</span> ').join('');
  const root = fixture(
    `<div id="long" style="display: flex; flex-wrap: wrap">${pieces}</div><div id="short" style="display: flex">Hootsuite <span>x</span></div>`,
  );
  const annotator = new Annotator({ backend: fakeBackend({ Hootsuite: 1 }), document });
  equal(await annotator.annotate(root), 600);
  equal(annotator.drawn.size, 600);
  equal(root.querySelectorAll('contractlensmark').length, 0);
  annotator.clear();
});

test('at the mark limit, content the page adds is not even looked at', async () => {
  const root = fixture('<p>Hootsuite and Hootsuite.</p><div id="later"></div>');
  const backend = fakeBackend({ Hootsuite: 1 });
  const annotator = new Annotator({ backend, document, maxMarks: 2 });
  equal(await annotator.annotate(root), 2);
  let looked = 0;
  const givenUp = annotator.givenUp.bind(annotator);
  annotator.givenUp = (node) => {
    looked += 1;
    return givenUp(node);
  };
  const later = /** @type {Element} */ (root.querySelector('#later'));
  const added = Array.from({ length: 50 }, () => Object.assign(document.createElement('p'), { textContent: 'Hootsuite again.' }));
  later.append(...added);
  equal(await annotator.annotate(added), 0);
  equal(looked, 0);
  equal(backend.scans.length, 1);
  // With room again, the same content is looked at and marked.
  annotator.maxMarks = 4;
  equal(await annotator.annotate(added), 2);
  equal(looked > 0, true);
  annotator.clear();
});

test('a long block scanned again replaces its drawn mentions; the mark limit counts them', async () => {
  const root = fixture(longParagraph(700));
  const annotator = new Annotator({ backend: fakeBackend({ Hootsuite: 1 }), document, maxMarks: 1000 });
  equal(await annotator.annotate(root), 700);
  const again = /** @type {Element} */ (root.querySelector('#long'));
  equal(await annotator.annotate(again), 300, 'room for 300 more: the limit was counted before the rescan');
  equal(annotator.drawn.size, 300, "the rescan replaced the block's mentions");
  annotator.clear();
  const capped = new Annotator({ backend: fakeBackend({ Hootsuite: 1 }), document, maxMarks: 500 });
  equal(await capped.annotate(root), 500);
  equal(capped.drawn.size, 500);
  capped.clear();
});

test('a drawn mention is found under the pointer, and only on its own text', async () => {
  const root = fixture(longParagraph(550));
  const annotator = new Annotator({ backend: fakeBackend({ Hootsuite: 1 }), document });
  await annotator.annotate(root);
  const one = annotator.drawn.ofCompany(1)[3];
  one.range.startContainer.parentElement?.scrollIntoView({ block: 'center' });
  const rect = one.range.getBoundingClientRect();
  equal(annotator.drawn.at(rect.left + rect.width / 2, rect.top + rect.height / 2), one);
  // The number after the name ("Hootsuite 3"), in the same text node, is not the mention.
  const node = /** @type {Text} */ (one.range.startContainer);
  const after = document.createRange();
  after.setStart(node, node.data.length - 1);
  after.setEnd(node, node.data.length);
  const digit = after.getBoundingClientRect();
  equal(annotator.drawn.at(digit.left + digit.width / 2, digit.top + digit.height / 2), null);
  annotator.dismiss(1);
  equal(annotator.drawn.size, 0, '"Not this company" stops drawing it');
  equal(annotator.drawn.at(rect.left + rect.width / 2, rect.top + rect.height / 2), null);
  annotator.clear();
});

test('the popup\'s "reveal" opens a drawn mention\'s card, its element after the long block', async () => {
  const root = fixture(longParagraph(600));
  const backend = fakeBackend({ Hootsuite: 1 });
  backend.card = async () => ({ card: cardFor('Hootsuite'), name: 'Hootsuite' });
  const annotator = new Annotator({ backend, document });
  await annotator.annotate(root);
  equal(await annotator.reveal(1), true);
  equal(annotator.card.mark, annotator.drawn.ofCompany(1)[0], 'its first mention');
  const host = document.querySelector('[data-contract-lens=card]');
  equal(host?.previousElementSibling, root.querySelector('#long'), 'outside the block: nothing in it is laid out again');
  annotator.clear();
  equal(document.querySelector('[data-contract-lens=card]'), null);
});

test('text the page removes from a drawn block is forgotten; shorter, the block is wrapped when scanned again', async () => {
  const root = fixture(longParagraph(520));
  const annotator = new Annotator({ backend: fakeBackend({ Hootsuite: 1 }), document });
  annotator.observe(root);
  await annotator.annotate(root);
  const long = /** @type {Element} */ (root.querySelector('#long'));
  // 30 mentions and the text after each: 980 text nodes left.
  for (const span of [...long.querySelectorAll('span')].slice(0, 30)) {
    span.nextSibling?.remove();
    span.remove();
  }
  await records();
  await until(() => annotator.drawn.size === 490, 5000);
  equal(
    annotator.drawn.all().every((one) => one.isConnected),
    true,
  );
  // Now under 1,000 text nodes: scanned again, the block is wrapped, and no longer drawn.
  equal(await annotator.annotate(long), 490);
  equal(annotator.drawn.size, 0);
  equal(long.querySelectorAll('contractlensmark[aria-haspopup]').length, 490);
  annotator.clear();
});
