//! The patterns that begin at one place in a text: a byte trie walked from that place only.
//!
//! A name is marked only where a word begins, and a page's words mostly begin with a letter no
//! name of that case begins with; so the matcher tries the places that can begin a name and
//! walks this trie from each, instead of running an automaton over every byte. The walk yields
//! every pattern that starts there, shortest first: the longest is tried first, then the ones
//! it extends ("Amazon Web Services", then "Amazon").
//!
//! One array of little-endian `u32` words, nodes in depth-first order, so that a walk down a
//! name reads memory forwards. A node is: a header, the length of its label, whether a pattern
//! ends at it and how its children are kept; that pattern, if one does; its label, the bytes
//! that must follow the byte that led to it, four to a word (a run of bytes with no branch and
//! no pattern ending in it is one node, not one per byte: most of a name's bytes, past where it
//! parts from the others, are labels); then its children as (byte, where the child is) pairs
//! in one word each, sorted by byte: searched in a node with few; found through a bitmap of the
//! bytes in a node with many; and, in the root and its children, read for most words of a
//! page, in a slot for every byte. The walk folds the text to ASCII lower case as it reads, as
//! the patterns are. It is read in place from its bytes, at any alignment, building and copying
//! nothing; every read is checked, so damaged bytes give wrong answers or none, never a panic.

/// A header's low bits hold the number of children (or [`ALL_BYTES`], [`BITMAP`]); the next
/// bit says a pattern ends at the node; the rest is the label's length.
const CHILDREN_BITS: u32 = 9;
const CHILDREN_MASK: u32 = (1 << CHILDREN_BITS) - 1;
const HAS_PATTERN: u32 = 1 << CHILDREN_BITS;
const LABEL_SHIFT: u32 = CHILDREN_BITS + 1;
/// A node with more children than this finds them through a bitmap of the bytes that have one.
const MOST_SEARCHED: usize = 12;
/// Children in a slot for each of the 256 bytes: the root's and its children's, read for most
/// words of a page.
const ALL_BYTES: u32 = 256;
/// Children found through a bitmap: eight words with a bit for each byte that has a child,
/// two words with, for each of those eight, how many children the words before it hold (one
/// byte each), then the children in byte order. A slot per byte took a kilobyte per node, a
/// fifth of the trie at 100k names.
const BITMAP: u32 = 257;
const BITMAP_WORDS: usize = 8 + 2;
/// A child's pair is `where << 8 | byte`: a trie is at most 2^24 words (64 MB; the benchmark's
/// 100k names take 0.7 million).
const MAX_WORDS: usize = 1 << 24;

/// A trie of `patterns` (in ASCII lower case), each identified by its index, as the bytes
/// [`Trie::new`] reads. Patterns must be distinct; empty ones are left out. Panics if the trie
/// would pass 2^24 words, or a pattern 4 MB.
pub fn build<P: AsRef<[u8]>>(patterns: &[P]) -> Vec<u8> {
    let bytes = |p: u32| patterns[p as usize].as_ref();
    let mut order: Vec<u32> = (0..patterns.len() as u32)
        .filter(|&p| !bytes(p).is_empty())
        .collect();
    order.sort_unstable_by(|&a, &b| bytes(a).cmp(bytes(b)));

    // Each node is a run of the sorted patterns sharing its first `depth` bytes; its children
    // are that run split by the next byte. Depth first, without recursion (a pattern may be
    // long): each node is written, then its children, and its slot for each child filled in
    // when the child is written.
    let mut words: Vec<u32> = Vec::new();
    // (run of `order`, depth, the slot in `words` that points to this node, its byte)
    let mut stack = vec![(0, order.len(), 0, None)];
    while let Some((mut lo, hi, mut depth, slot)) = stack.pop() {
        let at = words.len();
        assert!(at < MAX_WORDS, "too many names for one trie");
        if let Some((slot, byte)) = slot {
            words[slot] = (at as u32) << 8 | u32::from(byte);
        }
        // The root's children are read for most words of a page: they keep a slot per byte.
        let root_child = depth == 1;
        // The label: while every pattern of the run goes on with the same byte. The root has
        // none, so that its slots give a word's first byte.
        let mut label = Vec::new();
        while at != 0
            && bytes(order[lo]).len() > depth
            && bytes(order[lo])[depth] == bytes(order[hi - 1])[depth]
        {
            label.push(bytes(order[lo])[depth]);
            depth += 1;
        }
        assert!(
            label.len() >> (32 - LABEL_SHIFT) == 0,
            "a name of 4 MB or more"
        );
        let mut ends_here = None;
        if lo < hi && bytes(order[lo]).len() == depth {
            ends_here = Some(order[lo]);
            lo += 1;
        }
        let mut children = Vec::new();
        while lo < hi {
            let byte = bytes(order[lo])[depth];
            let run = lo + order[lo..hi].partition_point(|&p| bytes(p)[depth] == byte);
            children.push((byte, lo, run));
            lo = run;
        }
        let form = if at == 0 || (root_child && children.len() > MOST_SEARCHED) {
            ALL_BYTES
        } else if children.len() > MOST_SEARCHED {
            BITMAP
        } else {
            children.len() as u32
        };
        let has_pattern = if ends_here.is_some() { HAS_PATTERN } else { 0 };
        words.push((label.len() as u32) << LABEL_SHIFT | has_pattern | form);
        words.extend(ends_here);
        words.extend(label.chunks(4).map(|four| {
            let mut word = [0; 4];
            word[..four.len()].copy_from_slice(four);
            u32::from_le_bytes(word)
        }));
        let first_slot = words.len();
        let slot_of: Vec<usize> = match form {
            ALL_BYTES => {
                words.resize(first_slot + ALL_BYTES as usize, 0);
                children
                    .iter()
                    .map(|&(b, ..)| first_slot + b as usize)
                    .collect()
            }
            BITMAP => {
                let mut bitmap = [0u32; 8];
                for &(b, ..) in &children {
                    bitmap[b as usize / 32] |= 1 << (b % 32);
                }
                let mut before = [0u8; 8];
                for i in 1..8 {
                    before[i] = before[i - 1] + bitmap[i - 1].count_ones() as u8;
                }
                words.extend(bitmap);
                words.extend(
                    before
                        .chunks(4)
                        .map(|four| u32::from_le_bytes(four.try_into().expect("four bytes"))),
                );
                let pairs = words.len();
                words.extend(children.iter().map(|&(byte, ..)| u32::from(byte)));
                (pairs..pairs + children.len()).collect()
            }
            _ => {
                words.extend(children.iter().map(|&(byte, ..)| u32::from(byte)));
                (first_slot..first_slot + children.len()).collect()
            }
        };
        // Pushed last-first, so that the first child is written right after this node.
        for (&(byte, lo, hi), slot) in children.iter().zip(slot_of).rev() {
            stack.push((lo, hi, depth + 1, Some((slot, byte))));
        }
    }
    let mut bytes = Vec::with_capacity(4 * words.len());
    bytes.extend(words.iter().flat_map(|w| w.to_le_bytes()));
    bytes
}

/// A trie read in place from the bytes [`build`] made (little-endian words, at any alignment),
/// such as those embedded in the program: loading one copies and decodes nothing.
#[derive(Debug, Clone, Copy)]
pub struct Trie<'a> {
    bytes: &'a [u8],
}

impl<'a> Trie<'a> {
    pub fn new(bytes: &'a [u8]) -> Trie<'a> {
        Trie { bytes }
    }

    /// Word `at`, if the bytes hold it. (Word numbers come from 24-bit pointers plus a
    /// node's length: never near overflowing.)
    #[inline]
    fn word(&self, at: usize) -> Option<u32> {
        self.words(at, 1)
            .map(|four| u32::from_le_bytes(four[..4].try_into().unwrap_or_default()))
    }

    /// Words `at..at + count` as bytes, if the bytes hold them: one check for a run.
    #[inline]
    fn words(&self, at: usize, count: usize) -> Option<&'a [u8]> {
        self.bytes.get(at * 4..(at + count) * 4)
    }

    /// Calls `found(pattern, end)` for every pattern that `text[start..]` begins with (in any
    /// ASCII case), shortest first; `end` is where it ends in `text`.
    #[inline]
    pub fn prefixes_at(&self, text: &[u8], start: usize, mut found: impl FnMut(usize, usize)) {
        let mut node = 0;
        let mut at = start;
        loop {
            let Some(header) = self.word(node) else {
                return;
            };
            let mut next = node + 1;
            let pattern = if header & HAS_PATTERN != 0 {
                next += 1;
                self.word(node + 1)
            } else {
                None
            };
            let label_len = (header >> LABEL_SHIFT) as usize;
            if label_len > 0 {
                let Some(read) = text.get(at..at + label_len) else {
                    return;
                };
                if !self.folds_to(read, next) {
                    return;
                }
                at += label_len;
                next += label_len.div_ceil(4);
            }
            if let Some(pattern) = pattern {
                found(pattern as usize, at);
            }
            let Some(&byte) = text.get(at) else { return };
            match self.child(next, header, byte.to_ascii_lowercase()) {
                Some(child) => node = child,
                None => return,
            }
            at += 1;
        }
    }

    /// Whether some pattern begins with `byte`.
    pub fn starts_with(&self, byte: u8) -> bool {
        self.word(0)
            .is_some_and(|header| self.child(1, header, byte).is_some())
    }

    /// The child for `byte` of the node whose children begin at word `children`.
    #[inline]
    fn child(&self, children: usize, header: u32, byte: u8) -> Option<usize> {
        let pair = match header & CHILDREN_MASK {
            ALL_BYTES => self.word(children + byte as usize)?,
            BITMAP => {
                let bits = self.word(children + byte as usize / 32)?;
                let bit = 1u32 << (byte % 32);
                if bits & bit == 0 {
                    return None;
                }
                let before = self.word(children + 8 + byte as usize / 128)?;
                let before = (before >> (8 * (byte as usize / 32 % 4))) & 0xff;
                let rank = before + (bits & (bit - 1)).count_ones();
                self.word(children + BITMAP_WORDS + rank as usize)?
            }
            count => self
                .words(children, count as usize)?
                .chunks_exact(4)
                .find(|pair| pair[0] == byte)
                .map(|pair| u32::from_le_bytes(pair.try_into().unwrap_or_default()))?,
        };
        // The root is no one's child: 0 in a slot is no child.
        let child = (pair >> 8) as usize;
        (child != 0 && pair as u8 == byte).then_some(child)
    }

    /// Whether `text` folded to ASCII lower case is the label packed from word `label` on
    /// (four bytes a word, the last word's unused bytes zero).
    #[inline]
    fn folds_to(&self, text: &[u8], label: usize) -> bool {
        let Some(packed) = self.words(label, text.len().div_ceil(4)) else {
            return false;
        };
        text.chunks(4)
            .zip(packed.chunks_exact(4))
            .all(|(four, word)| {
                let mut read = [0; 4];
                read[..four.len()].copy_from_slice(four);
                lower_case_ascii(u32::from_le_bytes(read))
                    == u32::from_le_bytes(word.try_into().unwrap_or_default())
            })
    }
}

/// Each byte of `word` in ASCII lower case, four at once: a byte from b'A' to b'Z' gains 0x20.
#[inline]
fn lower_case_ascii(word: u32) -> u32 {
    const LOW7: u32 = 0x7f7f_7f7f;
    let low = word & LOW7;
    // 0x80 in each byte whose low seven bits are at least b'A', then in each past b'Z'; a
    // byte with its high bit set is not ASCII and stays as it is.
    let at_least_a = low.wrapping_add(0x3f3f_3f3f);
    let past_z = low.wrapping_add(0x2525_2525);
    let upper = at_least_a & !past_z & !word & 0x8080_8080;
    word | (upper >> 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefixes(trie: &[u8], text: &str, start: usize) -> Vec<(usize, usize)> {
        let trie = Trie::new(trie);
        let mut found = Vec::new();
        trie.prefixes_at(text.as_bytes(), start, |p, end| found.push((p, end)));
        found
    }

    #[test]
    fn every_pattern_that_begins_at_a_place_shortest_first() {
        let trie = &build(&["amazon web services", "amazon", "am", "b", "", "amazing"]);
        let text = "x amazon web services";
        assert_eq!(prefixes(trie, text, 2), vec![(2, 4), (1, 8), (0, 21)]);
        // Only from that place: nothing begins at "mazon".
        assert_eq!(prefixes(trie, text, 3), vec![]);
        // Past the end of the text, and the text ending inside a pattern.
        assert_eq!(prefixes(trie, text, 99), vec![]);
        assert_eq!(prefixes(trie, "amazo", 0), vec![(2, 2)]);
        let walk = Trie::new(trie);
        assert!(walk.starts_with(b'a') && walk.starts_with(b'b') && !walk.starts_with(b'x'));
        assert_eq!(prefixes(&build::<&str>(&[]), text, 2), vec![]);
    }

    #[test]
    fn the_text_is_read_in_any_ascii_case() {
        let trie = &build(&["amazon", "é"]);
        assert_eq!(prefixes(trie, "AmAZON", 0), vec![(0, 6)]);
        assert_eq!(prefixes(trie, "É", 0), vec![]);
        assert_eq!(prefixes(trie, "é", 0), vec![(1, 2)]);
    }

    #[test]
    fn a_node_with_many_children_reads_them_as_one_with_few() {
        // "q" has a child for two bytes in three, from every quarter of the byte range, so
        // that its bitmap's eight words and the counts before each are all read; "z" has 3
        // children, searched. Fails if a child's rank in the bitmap is off by one anywhere.
        let has_child = |b: u8| !b.is_ascii_uppercase() && b % 3 != 0;
        let mut patterns: Vec<Vec<u8>> = (0..=255u8)
            .filter(|&b| has_child(b))
            .map(|b| vec![b'q', b, b'!'])
            .collect();
        patterns.extend([&b"za"[..], b"zb", b"zbc"].map(<[u8]>::to_vec));
        let trie = &build(&patterns);
        let walk = Trie::new(trie);
        for (i, p) in patterns.iter().enumerate() {
            let mut found = Vec::new();
            walk.prefixes_at(p, 0, |p, end| found.push((p, end)));
            assert_eq!(found.last(), Some(&(i, p.len())), "{p:?}");
        }
        // Every byte after "q", as the text is read (in lower case).
        for b in 0..=255u8 {
            let mut found = 0;
            walk.prefixes_at(&[b'q', b, b'!'], 0, |_, _| found += 1);
            assert_eq!(
                found,
                usize::from(has_child(b.to_ascii_lowercase())),
                "q{b:#x}!"
            );
        }
        assert_eq!(prefixes(trie, "zc", 0), vec![]);
        let zb = patterns.len() - 2;
        assert_eq!(prefixes(trie, "ZBC", 0), vec![(zb, 2), (zb + 1, 3)]);
    }

    #[test]
    fn labels_read_as_one_node_per_byte_would() {
        // Generated patterns and texts from bytes at the edges of ASCII's letters ('@' and '['
        // around 'A'..'Z', '`' and '{' around 'a'..'z') and a two-byte character, so that
        // labels (runs of bytes without a branch) are long, share prefixes and part anywhere,
        // and the four-at-a-time folding meets every edge; each walk is compared with a plain
        // reading of every pattern. Fails if a label's last word, or its folding, is misread.
        const ALPHABET: &[&[u8]] = &[
            b"a",
            b"b",
            b"z",
            b"A",
            b"Z",
            b"@",
            b"[",
            b"`",
            b"{",
            b" ",
            "\u{e9}".as_bytes(),
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |below: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % below as u64) as usize
        };
        let mut compared = 0;
        for round in 0..300 {
            let mut patterns: Vec<Vec<u8>> = Vec::new();
            let stem: Vec<u8> = (0..next(12))
                .flat_map(|_| ALPHABET[next(ALPHABET.len())].to_vec())
                .collect();
            for _ in 0..1 + next(8) {
                let mut p = stem[..next(stem.len() + 1)].to_vec();
                p.extend((0..next(10)).flat_map(|_| ALPHABET[next(ALPHABET.len())].to_vec()));
                let p = p.to_ascii_lowercase();
                if !patterns.contains(&p) {
                    patterns.push(p);
                }
            }
            let bytes = build(&patterns);
            let trie = Trie::new(&bytes);
            for _ in 0..20 {
                let mut text = patterns[next(patterns.len())].clone();
                text.truncate(next(text.len() + 1));
                text.extend((0..next(6)).flat_map(|_| ALPHABET[next(ALPHABET.len())].to_vec()));
                if next(2) == 0 {
                    text.make_ascii_uppercase();
                }
                let mut found = Vec::new();
                trie.prefixes_at(&text, 0, |p, end| found.push((p, end)));
                let mut expected: Vec<(usize, usize)> = patterns
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| !p.is_empty() && text.len() >= p.len())
                    .filter(|(_, p)| text[..p.len()].to_ascii_lowercase() == **p)
                    .map(|(i, p)| (i, p.len()))
                    .collect();
                expected.sort_by_key(|&(_, end)| end);
                compared += expected.len();
                assert_eq!(found, expected, "round {round}: {patterns:?} in {text:?}");
            }
        }
        assert!(
            compared > 1000,
            "the texts hold patterns to find ({compared})"
        );
    }

    #[test]
    fn damaged_or_cut_bytes_give_no_panic() {
        // Enough patterns for every form of node: the root's slots, a bitmap, a few searched
        // children, labels.
        let mut patterns: Vec<String> = (b'a'..=b'z').map(|c| format!("b{}", c as char)).collect();
        patterns.extend(["acme", "acme widgets", "bolt"].map(String::from));
        let bytes = build(&patterns);
        let text = "ACME WIDGETS, bolt, Bq";
        for cut in 0..bytes.len() {
            for start in [0, 14, 20] {
                prefixes(&bytes[..cut], text, start);
            }
        }
        for at in 0..bytes.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut damaged = bytes.clone();
                damaged[at] ^= flip;
                for start in [0, 14, 20] {
                    prefixes(&damaged, text, start);
                }
                Trie::new(&damaged).starts_with(b'a');
            }
        }
    }
}
