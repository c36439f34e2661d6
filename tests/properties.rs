//! Property tests of what pages feed the core: any text (surrogate pairs, combining marks,
//! right-to-left scripts, control characters, huge single lines) and any HTML. The core must
//! not panic, and every span it returns must lie inside its block, on character boundaries.

use contract_lens::card::ScanOptions;
use contract_lens::html::visible_blocks;
use contract_lens::Core;
use proptest::prelude::*;
use std::sync::OnceLock;

fn core() -> &'static Core {
    static CORE: OnceLock<Core> = OnceLock::new();
    CORE.get_or_init(Core::bundled)
}

/// Text that mixes names from the dataset with what makes offsets hard.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Palantir Technologies".to_string()),
        Just("Hootsuite".to_string()),
        Just("FCN Inc.".to_string()),
        Just("GitHub".to_string()),
        Just("😀".to_string()),               // a surrogate pair in UTF-16
        Just("e\u{301}".to_string()),         // a combining mark
        Just("שלום עולם".to_string()),        // right-to-left
        Just("\u{200f}\u{202e}".to_string()), // direction marks and overrides
        Just("\u{feff}\u{200b}\u{0}".to_string()),
        Just(" ".to_string()),
        Just(", ".to_string()),
        "\\PC{0,12}", // any printable characters
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

/// Every span inside its block and on UTF-16 character boundaries.
fn check_spans(blocks: &[String]) -> Result<(), TestCaseError> {
    let page = core().scan_page(blocks, &ScanOptions::default());
    for m in &page.mentions {
        let units: Vec<u16> = blocks[m.block].encode_utf16().collect();
        prop_assert!(
            m.span.start < m.span.end && m.span.end <= units.len(),
            "{m:?} in {:?}",
            blocks[m.block]
        );
        let piece = &units[m.span.start..m.span.end];
        prop_assert!(
            String::from_utf16(piece).is_ok(),
            "{m:?} cuts a surrogate pair in {:?}",
            blocks[m.block]
        );
        prop_assert!(page.companies.iter().any(|c| c.company == m.company));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_text_gives_spans_inside_blocks_on_character_boundaries(
        blocks in prop::collection::vec(hostile_text(), 0..6)
    ) {
        check_spans(&blocks)?;
    }

    #[test]
    fn a_name_in_any_surroundings_is_found_where_it_is(
        before in "[ \\PC]{0,20}", after in "[ \\PC]{0,20}"
    ) {
        let block = format!("{before} Palantir Technologies. {after}");
        let blocks = vec![block.clone()];
        check_spans(&blocks)?;
        // Whatever surrounds it, the name is found, at its own offset.
        let start = before.encode_utf16().count() + 1;
        let page = core().scan_page(&blocks, &ScanOptions::default());
        prop_assert!(
            page.mentions.iter().any(|m| m.span.start == start && m.span.end == start + 21),
            "{block:?}: {:?}",
            page.mentions
        );
    }

    #[test]
    fn blocks_come_apart_as_javascript_joined_them(blocks in prop::collection::vec(hostile_text(), 0..6)) {
        // As extension/common/encode.js sends them: joined by line feeds, each block's length
        // in UTF-16 units.
        let text = blocks.join("\n");
        let lengths: Vec<u32> = blocks.iter().map(|b| b.encode_utf16().count() as u32).collect();
        let split = contract_lens::split_blocks(text.as_bytes(), &lengths);
        prop_assert_eq!(split, Ok(blocks.iter().map(String::as_str).collect::<Vec<_>>()));
        // A block one unit longer than it is: an error, or blocks of the lengths given (never
        // a cut inside a character).
        if let Some(i) = lengths.iter().position(|&l| l > 0) {
            let mut longer = lengths.clone();
            longer[i] += 1;
            if let Ok(split) = contract_lens::split_blocks(text.as_bytes(), &longer) {
                let units: Vec<u32> = split.iter().map(|b| b.encode_utf16().count() as u32).collect();
                prop_assert_eq!(units, longer);
            }
        }
    }

    #[test]
    fn any_html_is_read_without_panic(html in "(<[a-z]{1,8}( [a-z]+=\"[^\"]{0,8}\")?>|</[a-z]{1,8}>|[^<]{0,20}|&[a-z#0-9]{0,6};?){0,30}") {
        let blocks = visible_blocks(&html);
        check_spans(&blocks)?;
    }
}

#[test]
fn a_ten_megabyte_single_line_is_scanned() {
    let line = "Palantir Technologies and 😀 e\u{301} שלום ".repeat(250_000);
    assert!(line.len() > 10_000_000);
    let blocks = vec![line];
    let page = core().scan_page(&blocks, &ScanOptions::default());
    assert_eq!(page.mentions.len(), 250_000);
    let units: Vec<u16> = blocks[0].encode_utf16().collect();
    let last = page.mentions.last().unwrap();
    assert_eq!(
        String::from_utf16(&units[last.span.start..last.span.end]).unwrap(),
        "Palantir Technologies"
    );
}
