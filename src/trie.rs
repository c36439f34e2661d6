//! The patterns that begin at one place in a text: a byte trie walked from that place only.
//!
//! A name is marked only where a word begins, and a page's words mostly begin with a letter no
//! name of that case begins with; so the matcher tries the places that can begin a name and
//! walks this trie from each, instead of running an automaton over every byte. The walk yields
//! every pattern that starts there, shortest first: the longest is tried first, then the ones
//! it extends ("Amazon Web Services", then "Amazon").
//!
//! One array of `u32`, nodes in depth-first order, so that a walk down a name reads memory
//! forwards. A node is: its pattern (or none); a header, the length of its label and its number
//! of children; its label, the bytes that must follow the byte that led to it, four to a word
//! (a run of bytes with no branch and no pattern ending in it is one node, not one per byte:
//! most of a name's bytes, past where it parts from the others, are labels); then its children
//! as (byte, where the child is) pairs in one word each, sorted by byte, or, in a node with many
//! children (the root, the first letters), a slot for every byte, read without a search. The
//! walk folds the text to ASCII lower case as it reads, as the patterns are. It turns into
//! bytes and back without building anything; every read is checked, so damaged bytes give
//! wrong answers or none, never a panic.

/// No pattern ends at this node.
const NONE: u32 = u32::MAX;
/// A node with more children than this has a slot for each of the 256 bytes.
const MOST_SEARCHED: usize = 12;
/// The number of children that says a node has a slot per byte.
const ALL_BYTES: u32 = 256;
/// A header's low bits hold the number of children (up to [`ALL_BYTES`]), the rest the
/// label's length.
const CHILDREN_BITS: u32 = 9;
/// A child's pair is `where << 8 | byte`: a trie is at most 2^24 words (64 MB; the benchmark's
/// 100k names take 1.8 million).
const MAX_WORDS: usize = 1 << 24;

#[derive(Debug, Clone, Default)]
pub struct Trie {
    words: Vec<u32>,
}

impl Trie {
    /// A trie of `patterns` (in ASCII lower case), each identified by its index. Patterns must
    /// be distinct; empty ones are left out. Panics if the trie would pass 2^24 words.
    pub fn new<P: AsRef<[u8]>>(patterns: &[P]) -> Trie {
        let bytes = |p: u32| patterns[p as usize].as_ref();
        let mut order: Vec<u32> = (0..patterns.len() as u32)
            .filter(|&p| !bytes(p).is_empty())
            .collect();
        order.sort_unstable_by(|&a, &b| bytes(a).cmp(bytes(b)));

        // Each node is a run of the sorted patterns sharing its first `depth` bytes; its
        // children are that run split by the next byte. Depth first, without recursion (a
        // pattern may be long): each node is written, then its children, and its slot for
        // each child filled in when the child is written.
        let mut words = Vec::new();
        // (run of `order`, depth, the slot in `words` that points to this node, its byte)
        let mut stack = vec![(0, order.len(), 0, None)];
        while let Some((mut lo, hi, mut depth, slot)) = stack.pop() {
            let at = words.len();
            assert!(at < MAX_WORDS, "too many names for one trie");
            if let Some((slot, byte)) = slot {
                words[slot] = (at as u32) << 8 | u32::from(byte);
            }
            // The label: while every pattern of the run goes on with the same byte. The root
            // has none, so that its slots give a word's first byte.
            let mut label = Vec::new();
            while at != 0
                && bytes(order[lo]).len() > depth
                && bytes(order[lo])[depth] == bytes(order[hi - 1])[depth]
            {
                label.push(bytes(order[lo])[depth]);
                depth += 1;
            }
            let mut ends_here = NONE;
            if lo < hi && bytes(order[lo]).len() == depth {
                ends_here = order[lo];
                lo += 1;
            }
            let mut children = Vec::new();
            while lo < hi {
                let byte = bytes(order[lo])[depth];
                let run = lo + order[lo..hi].partition_point(|&p| bytes(p)[depth] == byte);
                children.push((byte, lo, run));
                lo = run;
            }
            let dense = at == 0 || children.len() > MOST_SEARCHED;
            let count = if dense {
                ALL_BYTES
            } else {
                children.len() as u32
            };
            words.extend([ends_here, (label.len() as u32) << CHILDREN_BITS | count]);
            words.extend(label.chunks(4).map(|four| {
                let mut word = [0; 4];
                word[..four.len()].copy_from_slice(four);
                u32::from_le_bytes(word)
            }));
            let first_slot = words.len();
            let slot_of: Vec<usize> = if dense {
                words.resize(first_slot + ALL_BYTES as usize, 0);
                children
                    .iter()
                    .map(|&(b, ..)| first_slot + b as usize)
                    .collect()
            } else {
                words.extend(children.iter().map(|&(byte, ..)| u32::from(byte)));
                (first_slot..first_slot + children.len()).collect()
            };
            // Pushed last-first, so that the first child is written right after this node.
            for (&(byte, lo, hi), slot) in children.iter().zip(slot_of).rev() {
                stack.push((lo, hi, depth + 1, Some((slot, byte))));
            }
        }
        Trie { words }
    }

    /// Calls `found(pattern, end)` for every pattern that `text[start..]` begins with (in any
    /// ASCII case), shortest first; `end` is where it ends in `text`.
    #[inline]
    pub fn prefixes_at(&self, text: &[u8], start: usize, mut found: impl FnMut(usize, usize)) {
        let mut node = 0;
        let mut at = start;
        loop {
            let Some(&[pattern, header]) = self.words.get(node..node + 2) else {
                return;
            };
            let label_len = (header >> CHILDREN_BITS) as usize;
            let label_words = label_len.div_ceil(4);
            if label_len > 0 {
                let (Some(label), Some(read)) = (
                    self.words.get(node + 2..node + 2 + label_words),
                    text.get(at..at + label_len),
                ) else {
                    return;
                };
                if !folds_to(read, label) {
                    return;
                }
                at += label_len;
            }
            if pattern != NONE {
                found(pattern as usize, at);
            }
            let Some(&byte) = text.get(at) else { return };
            match self.child(node + 2 + label_words, header, byte.to_ascii_lowercase()) {
                Some(child) => node = child,
                None => return,
            }
            at += 1;
        }
    }

    /// Whether some pattern begins with `byte`.
    pub fn starts_with(&self, byte: u8) -> bool {
        self.words
            .get(1)
            .is_some_and(|&header| self.child(2, header, byte).is_some())
    }

    /// The child for `byte` of the node whose children begin at `children` in `words`.
    #[inline]
    fn child(&self, children: usize, header: u32, byte: u8) -> Option<usize> {
        let count = header & ((1 << CHILDREN_BITS) - 1);
        let pair = if count == ALL_BYTES {
            *self.words.get(children + byte as usize)?
        } else {
            let pairs = self.words.get(children..children + count as usize)?;
            *pairs.iter().find(|&&pair| pair as u8 == byte)?
        };
        // The root is no one's child: 0 in a slot is no child.
        let child = (pair >> 8) as usize;
        (child != 0 && pair as u8 == byte).then_some(child)
    }

    /// The trie as bytes, for [`Trie::from_bytes`].
    pub fn to_bytes(&self) -> Vec<u8> {
        self.words.iter().flat_map(|w| w.to_le_bytes()).collect()
    }

    /// A trie from [`Trie::to_bytes`]; `None` if they cannot be one.
    pub fn from_bytes(bytes: &[u8]) -> Option<Trie> {
        if bytes.len() % 4 != 0 {
            return None;
        }
        let words = bytes
            .chunks_exact(4)
            .map(|w| u32::from_le_bytes(w.try_into().expect("four bytes")))
            .collect();
        Some(Trie { words })
    }

    pub fn heap_bytes(&self) -> usize {
        4 * self.words.len()
    }
}

/// Whether `text` folded to ASCII lower case is the label packed in `label` (four bytes a word,
/// the last word's unused bytes zero).
#[inline]
fn folds_to(text: &[u8], label: &[u32]) -> bool {
    text.chunks(4).zip(label).all(|(four, &word)| {
        let mut read = [0; 4];
        read[..four.len()].copy_from_slice(four);
        lower_case_ascii(u32::from_le_bytes(read)) == word
    })
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

    fn prefixes(trie: &Trie, text: &str, start: usize) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        trie.prefixes_at(text.as_bytes(), start, |p, end| found.push((p, end)));
        found
    }

    #[test]
    fn every_pattern_that_begins_at_a_place_shortest_first() {
        let trie = Trie::new(&["amazon web services", "amazon", "am", "b", "", "amazing"]);
        let text = "x amazon web services";
        assert_eq!(prefixes(&trie, text, 2), vec![(2, 4), (1, 8), (0, 21)]);
        // Only from that place: nothing begins at "mazon".
        assert_eq!(prefixes(&trie, text, 3), vec![]);
        // Past the end of the text, and the text ending inside a pattern.
        assert_eq!(prefixes(&trie, text, 99), vec![]);
        assert_eq!(prefixes(&trie, "amazo", 0), vec![(2, 2)]);
        assert!(trie.starts_with(b'a') && trie.starts_with(b'b') && !trie.starts_with(b'x'));
        assert_eq!(prefixes(&Trie::new::<&str>(&[]), text, 2), vec![]);
    }

    #[test]
    fn the_text_is_read_in_any_ascii_case() {
        let trie = Trie::new(&["amazon", "é"]);
        assert_eq!(prefixes(&trie, "AmAZON", 0), vec![(0, 6)]);
        assert_eq!(prefixes(&trie, "É", 0), vec![]);
        assert_eq!(prefixes(&trie, "é", 0), vec![(1, 2)]);
    }

    #[test]
    fn a_node_with_many_children_reads_them_as_one_with_few() {
        // 26 children of "q" (a slot per byte), 3 of "z" (searched).
        let mut patterns: Vec<String> = (b'a'..=b'z').map(|c| format!("q{}", c as char)).collect();
        patterns.extend(["za", "zb", "zbc"].map(String::from));
        let trie = Trie::new(&patterns);
        for (i, p) in patterns.iter().enumerate() {
            assert_eq!(prefixes(&trie, p, 0).last(), Some(&(i, p.len())), "{p}");
        }
        assert_eq!(prefixes(&trie, "q!", 0), vec![]);
        assert_eq!(prefixes(&trie, "zc", 0), vec![]);
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
            let trie = Trie::new(&patterns);
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
    fn bytes_give_the_same_trie_and_damaged_ones_no_panic() {
        let patterns = ["acme", "acme widgets", "bolt"];
        let trie = Trie::new(&patterns);
        let again = Trie::from_bytes(&trie.to_bytes()).expect("its own bytes");
        assert_eq!(again.words, trie.words);
        assert!(Trie::from_bytes(&[1, 2, 3]).is_none());
        let bytes = trie.to_bytes();
        for at in 0..bytes.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut damaged = bytes.clone();
                damaged[at] ^= flip;
                let damaged = Trie::from_bytes(&damaged).expect("whole words");
                prefixes(&damaged, "ACME WIDGETS, bolt", 0);
                prefixes(&damaged, "ACME WIDGETS, bolt", 14);
            }
        }
    }
}
