//! The patterns that begin at one place in a text: a byte trie walked from that place only.
//!
//! A name is marked only where a word begins, and a page's words mostly begin with a letter no
//! name of that case begins with; so the matcher tries the places that can begin a name and
//! walks this trie from each, instead of running an automaton over every byte. The walk yields
//! every pattern that starts there, shortest first: the longest is tried first, then the ones
//! it extends ("Amazon Web Services", then "Amazon").
//!
//! One array of `u32`, nodes in depth-first order, so that a walk down a name reads memory
//! forwards: each node is its pattern (or none), its number of children, then its children
//! as (byte, where the child is) pairs sorted by byte; a node with many children (the root, the
//! first letters) has instead a slot for every byte, read without a search. The walk folds the
//! text to ASCII lower case as it reads, as the patterns are. It turns into bytes and back
//! without building anything; every read is checked, so damaged bytes give wrong answers or
//! none, never a panic.

/// No pattern ends at this node.
const NONE: u32 = u32::MAX;
/// A node with more children than this has a slot for each of the 256 bytes.
const MOST_SEARCHED: usize = 12;
/// The number of children that says a node has a slot per byte.
const ALL_BYTES: u32 = 256;

#[derive(Debug, Clone, Default)]
pub struct Trie {
    words: Vec<u32>,
}

impl Trie {
    /// A trie of `patterns` (in ASCII lower case), each identified by its index. Patterns must
    /// be distinct; empty ones are left out.
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
        // (run of `order`, depth, the slot in `words` that points to this node)
        let mut stack = vec![(0, order.len(), 0, None)];
        while let Some((mut lo, hi, depth, slot)) = stack.pop() {
            let at = words.len() as u32;
            if let Some(slot) = slot {
                words[slot] = at;
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
            words.push(ends_here);
            let dense = at == 0 || children.len() > MOST_SEARCHED;
            let first_slot = words.len() + 1;
            let slot_of: Vec<usize> = if dense {
                words.push(ALL_BYTES);
                words.resize(first_slot + ALL_BYTES as usize, 0);
                children
                    .iter()
                    .map(|&(b, ..)| first_slot + b as usize)
                    .collect()
            } else {
                words.push(children.len() as u32);
                for &(byte, ..) in &children {
                    words.extend([u32::from(byte), 0]);
                }
                (0..children.len())
                    .map(|i| first_slot + 2 * i + 1)
                    .collect()
            };
            // Pushed last-first, so that the first child is written right after this node.
            for (&(_, lo, hi), slot) in children.iter().zip(slot_of).rev() {
                stack.push((lo, hi, depth + 1, Some(slot)));
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
        while let Some(&byte) = text.get(at) {
            match self.child(node, byte.to_ascii_lowercase()) {
                Some(child) => node = child,
                None => return,
            }
            at += 1;
            match self.words.get(node) {
                Some(&p) if p != NONE => found(p as usize, at),
                Some(_) => {}
                None => return,
            }
        }
    }

    /// Whether some pattern begins with `byte`.
    pub fn starts_with(&self, byte: u8) -> bool {
        self.child(0, byte).is_some()
    }

    #[inline]
    fn child(&self, node: usize, byte: u8) -> Option<usize> {
        let children = *self.words.get(node + 1)?;
        let child = if children == ALL_BYTES {
            *self.words.get(node + 2 + byte as usize)?
        } else {
            let end = (children as usize).checked_mul(2)?.checked_add(node + 2)?;
            let pairs = self.words.get(node + 2..end)?;
            let i = pairs
                .chunks_exact(2)
                .position(|p| p[0] == u32::from(byte))?;
            pairs[2 * i + 1]
        };
        // The root is no one's child: 0 in a slot is no child.
        (child != 0).then_some(child as usize)
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
