// How data crosses into the core, as few copies as possible. A document's blocks: joined by
// line feeds into one UTF-8 text, with each block's length in UTF-16 units. One native
// encoding and one copy cross the boundary: one string per block cost as much as the matching
// itself (wasm-bindgen copies each string's ASCII in a JavaScript loop). Spans come back in
// UTF-16 units of each block as given; a lone surrogate is encoded as U+FFFD, one unit either
// way, and the line feeds keep one at a block's end from pairing with one at the next block's
// start. A card's slices: `from, to` pairs in one array.

const encoder = new TextEncoder();
// `encodeInto` a buffer kept between scans, where `encode` made a new one each time: half the
// time in Chromium (the saved pages' text, 4.6 against 9.1 ms, best of 9). A buffer larger than
// this is made for its scan and dropped, so a huge page holds no memory after it.
const KEPT_BUFFER_BYTES = 1 << 20;
let kept = new Uint8Array(64 * 1024);

/**
 * The blocks as the core's `scan` takes them. `text` is a view of a buffer the next call
 * reuses: hand it to the core before encoding again.
 * @param {readonly string[]} blocks
 * @returns {{ text: Uint8Array, lengths: Uint32Array }}
 */
export function encodeBlocks(blocks) {
  const lengths = new Uint32Array(blocks.length);
  for (let i = 0; i < blocks.length; i += 1) lengths[i] = blocks[i].length;
  const joined = blocks.join('\n');
  // A UTF-16 unit takes at most three bytes of UTF-8 (a pair of them four).
  const most = joined.length * 3;
  let buffer = kept;
  if (buffer.length < most) {
    buffer = new Uint8Array(most);
    if (most <= KEPT_BUFFER_BYTES) kept = buffer;
  }
  const { written } = encoder.encodeInto(joined, buffer);
  return { text: buffer.subarray(0, written), lengths };
}

/**
 * Slices of a card's contracts as the core takes them: `from, to` pairs in one array.
 * @param {readonly { from: number, to: number }[]} slices
 */
export function encodeSlices(slices) {
  return Uint32Array.from(slices.flatMap((s) => [s.from, s.to]));
}
