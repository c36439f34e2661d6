// The same spans natively and in WebAssembly: the command line (the core built natively) and
// the core as the extension runs it (dist/pkg, WebAssembly in Node), on the visible text of the
// saved real pages and on generated hard text (surrogate pairs, combining marks, right-to-left
// text, odd spaces and apostrophes around the dataset's own names).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { encodeBlocks } from '../extension/common/encode.js';
import { ROOT } from './e2e/common.mjs';

const { initSync, Core } = await import(join(ROOT, 'dist', 'pkg', 'contract_lens.js'));
initSync({ module: readFileSync(join(ROOT, 'dist', 'pkg', 'contract_lens_bg.wasm')) });
const core = new Core();
const work = mkdtempSync(join(tmpdir(), 'contract-lens-spans-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The native command line's output, one JSON value per line. */
function cli(...args) {
  const out = execFileSync('cargo', ['run', '-q', '--locked', '--bin', 'contract-lens', '--', ...args], {
    cwd: ROOT,
    maxBuffer: 1 << 28,
    encoding: 'utf8',
  });
  return out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

/** The WebAssembly core's mentions of `blocks`, as offsets into the blocks joined by "\n". */
function wasmMentions(blocks) {
  const { text, lengths } = encodeBlocks(blocks);
  const flat = core.scan(text, lengths, undefined).mentions;
  const starts = [];
  let at = 0;
  for (const block of blocks) {
    starts.push(at);
    at += block.length + 1;
  }
  const mentions = [];
  for (let i = 0; i < flat.length; i += 5) {
    const [block, start, end, company] = flat.slice(i, i + 4);
    mentions.push([starts[block] + start, starts[block] + end, core.companyName(company)]);
  }
  return mentions;
}

const native = (result) => result.mentions.map((m) => [m.start, m.end, m.company]);

test('the saved real pages: the same spans natively and in WebAssembly', () => {
  const pagesDir = join(ROOT, 'tests', 'fixtures', 'pages');
  const files = readdirSync(pagesDir)
    .filter((f) => f.endsWith('.html.gz'))
    .map((f) => {
      const path = join(work, f.replace(/\.gz$/, ''));
      writeFileSync(path, gunzipSync(readFileSync(join(pagesDir, f))));
      return path;
    });
  const scans = cli('scan', ...files);
  let mentions = 0;
  files.forEach((file, i) => {
    const [blocks] = cli('text', '--json', file);
    const expected = native(scans[i]);
    assert.deepEqual(wasmMentions(blocks), expected, file);
    mentions += expected.length;
  });
  assert.ok(mentions > 100, `the pages hold mentions to compare (${mentions})`);
});

test('generated hard text: the same spans natively and in WebAssembly', () => {
  // A seeded generator, so a failure can be replayed.
  let seed = 0x2545f491;
  const next = (n) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const pick = (xs) => xs[next(xs.length)];
  const names = ['Hootsuite', 'HOOTSUITE', 'Palantir Technologies', 'FCN Inc.', 'Microsoft', 'Amazon', 'Chef', 'GitHub', 'Axon'];
  const pieces = [
    ...names,
    '😀',
    '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
    'e\u0301',
    '\u0301',
    'שלום עולם',
    'مرحبا',
    '\u200f',
    '\u00a0',
    '\u2009',
    '’s',
    "'s",
    ' ',
    ' ',
    ', ',
    '. ',
    'the company',
    'said',
    'https://example.org/',
    '@',
    '-',
    '\t',
  ];
  const texts = [];
  for (let i = 0; i < 60; i += 1) {
    let text = '';
    const length = 5 + next(60);
    for (let j = 0; j < length; j += 1) text += pick(pieces);
    texts.push(text);
  }
  const files = texts.map((text, i) => {
    const path = join(work, `hard-${i}.txt`);
    writeFileSync(path, text);
    return path;
  });
  const scans = cli('scan', ...files);
  let mentions = 0;
  texts.forEach((text, i) => {
    const expected = native(scans[i]);
    assert.deepEqual(wasmMentions([text]), expected, JSON.stringify(text));
    mentions += expected.length;
  });
  assert.ok(mentions > 60, `the text holds mentions to compare (${mentions})`);
});
