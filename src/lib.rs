//! Contract Lens core: the dataset of companies with US government contracts and their public
//! statements, and the matcher that finds those companies in page text.
//!
//! Start with [`Core::bundled`]: it loads the dataset and the matcher compiled into the crate.
//! [`matcher::Matcher::find_in_blocks`] finds mentions (UTF-16 spans) in a document's blocks of
//! text; [`card::Card::of`] gives what the reader's card shows for a company.
//!
//! Everything here is pure and runs natively; `wasm.rs` is the only binding to JavaScript.

pub mod bundle;
pub mod card;
pub mod dataset;
#[cfg(not(target_arch = "wasm32"))]
pub mod html;
#[cfg(not(target_arch = "wasm32"))]
pub mod import;
#[cfg(not(target_arch = "wasm32"))]
pub mod load;
pub mod matcher;
pub mod names;
pub mod trie;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

use bundle::Bundle;
use dataset::Dataset;
use matcher::Matcher;
use std::borrow::Cow;

/// The bundle's head, as `build.rs` compiled it from `data/` (see [`Bundle`]).
pub static BUNDLED_HEAD: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/head.bin"));
/// Every company's record, deflated in chunks. The WebAssembly core does not embed them (its
/// `Core` starts from the head and the matcher; JavaScript attaches the records, shipped
/// beside the `.wasm`, before cards need them): nothing there refers to this static.
pub static BUNDLED_RECORDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/records.bin"));
/// The matcher over the bundled dataset, built at compile time.
pub static BUNDLED_MATCHER: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/matcher.bin"));

/// The bundled dataset, as the core holds it: records decoded on demand.
pub fn bundled() -> Bundle {
    let bundle = Bundle::from_static_head(BUNDLED_HEAD).expect("build.rs wrote this head");
    bundle
        .attach_records(Cow::Borrowed(BUNDLED_RECORDS))
        .expect("build.rs wrote these records");
    bundle
}

/// The bundled dataset, every record decoded (the CLI, tests).
pub fn bundled_dataset() -> Dataset {
    bundled().to_dataset()
}

/// A document's blocks as they cross from JavaScript: joined by line feeds into one UTF-8
/// text, with each block's length in UTF-16 units (what JavaScript knows of a string without
/// reading it). One native encoding and one copy cross the boundary, where one string per block
/// cost as much as the matching itself. The line feeds keep a lone surrogate at the end of one
/// block from pairing with one at the start of the next.
pub fn split_blocks<'a>(text: &'a [u8], lengths: &[u32]) -> Result<Vec<&'a str>, BlocksError> {
    let text = std::str::from_utf8(text).map_err(|_| BlocksError("the text is not UTF-8"))?;
    let mut blocks = Vec::with_capacity(lengths.len());
    let mut at = 0;
    for (i, &units) in lengths.iter().enumerate() {
        if i > 0 {
            if text.as_bytes().get(at) != Some(&b'\n') {
                return Err(BlocksError("the blocks are not joined by line feeds"));
            }
            at += 1;
        }
        let end = utf16_end(text, at, units as usize)
            .ok_or(BlocksError("a block's length does not fit the text"))?;
        blocks.push(&text[at..end]);
        at = end;
    }
    if at != text.len() {
        return Err(BlocksError("the text goes on after the last block"));
    }
    Ok(blocks)
}

/// Where in `text` the `units` UTF-16 units from byte `start` end; `None` past the end or
/// inside a character.
fn utf16_end(text: &str, start: usize, units: usize) -> Option<usize> {
    // Most text is ASCII: one byte per unit. (A length from JavaScript may be anything: no
    // arithmetic here can overflow.)
    let ascii_end = start.checked_add(units)?;
    if text.get(start..ascii_end).is_some_and(|run| run.is_ascii()) {
        return Some(ascii_end);
    }
    // Counted from the bytes without decoding: each byte that begins a character is one unit,
    // two for a four-byte character (a surrogate pair in JavaScript).
    let bytes = text.as_bytes();
    let mut counted = 0;
    let mut at = start;
    while counted < units {
        let byte = *bytes.get(at)?;
        counted += usize::from(byte & 0xc0 != 0x80) + usize::from(byte >= 0xf0);
        at += 1;
    }
    // The rest of the last character; a count past `units` ended inside a surrogate pair.
    while bytes.get(at).is_some_and(|b| b & 0xc0 == 0x80) {
        at += 1;
    }
    (counted == units && text.is_char_boundary(at)).then_some(at)
}

/// Blocks that cannot be told apart in their text.
#[derive(Debug, PartialEq, Eq)]
pub struct BlocksError(&'static str);

impl std::fmt::Display for BlocksError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for BlocksError {}

/// The dataset and the matcher over it.
#[derive(Debug)]
pub struct Core {
    pub bundle: Bundle,
    pub matcher: Matcher,
}

impl Core {
    /// The core over the bundled dataset: its head decoded and its matcher read where it lies,
    /// nothing built; a company's record is decoded each time a card asks for it.
    pub fn bundled() -> Core {
        Core {
            bundle: bundled(),
            matcher: Matcher::from_static_bytes(BUNDLED_MATCHER)
                .expect("build.rs wrote this matcher"),
        }
    }

    /// The bundled core without its records: scans work at once, cards once
    /// [`Bundle::attach_records`] is given them (the WebAssembly core starts so).
    pub fn bundled_without_records() -> Core {
        Core {
            bundle: Bundle::from_static_head(BUNDLED_HEAD).expect("build.rs wrote this head"),
            matcher: Matcher::from_static_bytes(BUNDLED_MATCHER)
                .expect("build.rs wrote this matcher"),
        }
    }

    /// The core over a dataset of one's own (its matcher built now).
    pub fn new(dataset: &Dataset) -> Core {
        Core {
            bundle: Bundle::of(dataset),
            matcher: Matcher::from_dataset(dataset),
        }
    }

    /// Scans a page's blocks and applies the reader's options: everything the marks need, in
    /// one call.
    pub fn scan_page<S: AsRef<str>>(
        &self,
        blocks: &[S],
        options: &card::ScanOptions,
    ) -> card::PageScan {
        card::PageScan::of(&self.bundle, self.matcher.find_in_blocks(blocks), options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_blocks_takes_the_text_apart_where_javascript_said() {
        // "Palantir", "😀Axon" (a surrogate pair: 2 units, 4 bytes), "" and "é" joined by "\n".
        let text = "Palantir\n😀Axon\n\né".as_bytes();
        let not_fit = Err("a block's length does not fit the text");
        type Case<'a> = (&'a [u32], Result<Vec<&'a str>, &'a str>);
        let cases: &[Case] = &[
            (&[8, 6, 0, 1], Ok(vec!["Palantir", "😀Axon", "", "é"])),
            (&[18], Ok(vec!["Palantir\n😀Axon\n\né"])),
            (
                &[7, 7, 0, 1],
                Err("the blocks are not joined by line feeds"),
            ),
            (
                &[8, 5, 0, 1],
                Err("the blocks are not joined by line feeds"),
            ),
            // One unit of a surrogate pair ends inside its character.
            (&[8, 1], not_fit.clone()),
            (&[8, 6, 0, 2], not_fit.clone()),
            (&[19], not_fit.clone()),
            (&[8, u32::MAX], not_fit.clone()),
            (&[8], Err("the text goes on after the last block")),
            (&[], Err("the text goes on after the last block")),
        ];
        for (lengths, expected) in cases {
            let got = split_blocks(text, lengths).map_err(|e| e.to_string());
            let expected = expected.clone().map_err(str::to_string);
            assert_eq!(got, expected, "lengths {lengths:?}");
        }
        assert_eq!(split_blocks(b"", &[]), Ok(vec![]));
        assert_eq!(split_blocks(b"", &[0]), Ok(vec![""]));
        assert_eq!(
            split_blocks(&[b'a', 0xff], &[2]).map_err(|e| e.to_string()),
            Err("the text is not UTF-8".to_string())
        );
    }
}
