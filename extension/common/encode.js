// How data crosses into the core, as few copies as possible. A document's blocks: joined by
// line feeds into one UTF-8 text, with each block's length in UTF-16 units. One native
// encoding and one copy cross the boundary: one string per block cost as much as the matching
// itself (wasm-bindgen copies each string's ASCII in a JavaScript loop). Spans come back in
// UTF-16 units of each block as given; a lone surrogate is encoded as U+FFFD, one unit either
// way, and the line feeds keep one at a block's end from pairing with one at the next block's
// start. A card's slices: `from, to` pairs in one array.

const encoder = new TextEncoder();

/**
 * @param {readonly string[]} blocks
 * @returns {{ text: Uint8Array, lengths: Uint32Array }}
 */
export function encodeBlocks(blocks) {
  const lengths = new Uint32Array(blocks.length);
  for (let i = 0; i < blocks.length; i += 1) lengths[i] = blocks[i].length;
  return { text: encoder.encode(blocks.join('\n')), lengths };
}

/**
 * Slices of a card's contracts as the core takes them: `from, to` pairs in one array.
 * @param {readonly { from: number, to: number }[]} slices
 */
export function encodeSlices(slices) {
  return Uint32Array.from(slices.flatMap((s) => [s.from, s.to]));
}
