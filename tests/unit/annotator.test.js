import { Annotator } from '../../extension/content/annotator.js';
import { deepEqual, equal, fixture, test } from './harness.js';

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
    async scan(/** @type {string[]} */ blocks, /** @type {number[]} */ dismissed) {
      scans.push(blocks);
      this.during?.();
      const mentions = [];
      const companies = new Map();
      for (const [block, text] of blocks.entries()) {
        for (const [name, company] of Object.entries(names)) {
          if (dismissed.includes(company)) continue;
          for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
            mentions.push(block, at, at + name.length, company, company);
            companies.set(company, { company, name, statements: company === 1 });
          }
        }
      }
      return { mentions, companies: [...companies.values()] };
    },
    async card() {
      return { card: null, name: '' };
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
  const styles = [...root.querySelectorAll('contract-lens-mark[aria-haspopup]')].map((m) => m.getAttribute('style')?.includes('dashed'));
  deepEqual(styles, [true, true, false], 'dashed for a company with statements');
  annotator.clear();
  equal(root.innerHTML, before);
});

test('a block the page changed while the core worked is left alone', async () => {
  const root = fixture('<p id="a">Hootsuite here.</p><p id="b">Hootsuite there.</p>');
  const backend = fakeBackend({ Hootsuite: 1 });
  backend.during = () => {
    const text = /** @type {Text} */ (root.querySelector('#b')?.firstChild);
    text.data = 'Now about something else.';
  };
  const annotator = new Annotator({ backend, document });
  equal(await annotator.annotate(root), 1);
  equal(root.querySelectorAll('#a contract-lens-mark').length, 1);
  equal(root.querySelectorAll('#b contract-lens-mark').length, 0);
  equal(root.querySelector('#b')?.textContent, 'Now about something else.');
});

test('switching off while the core works drops its answer', async () => {
  const root = fixture('<p>Hootsuite here.</p>');
  const backend = fakeBackend({ Hootsuite: 1 });
  const annotator = new Annotator({ backend, document });
  backend.during = () => annotator.clear();
  equal(await annotator.annotate(root), 0);
  equal(root.querySelectorAll('contract-lens-mark').length, 0);
});

test('"Not this company" unwraps its marks, reports it, and keeps it off the next scans', async () => {
  const root = fixture('<p>Hootsuite and Palantir.</p>');
  /** @type {number[]} */
  const reported = [];
  const backend = fakeBackend({ Hootsuite: 1, Palantir: 2 });
  const annotator = new Annotator({ backend, document, onDismiss: (c) => reported.push(c) });
  await annotator.annotate(root);
  annotator.dismiss(2);
  deepEqual(reported, [2]);
  deepEqual(
    [...root.querySelectorAll('contract-lens-mark')].map((m) => m.textContent),
    ['Hootsuite'],
  );
  const more = fixture('<p>Palantir again.</p>');
  equal(await annotator.annotate(more), 0);
});
