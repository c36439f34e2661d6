//! The JavaScript boundary, run as WebAssembly in Node by wasm-bindgen-test-runner
//! (`./run test` does it): what crosses is what the extension relies on.
#![cfg(target_arch = "wasm32")]

use contract_lens::wasm::{NameMatcher, WasmCore};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

fn get(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(key)).unwrap()
}

/// A card's or contracts' JSON text as JavaScript reads it.
fn parsed(json: Option<String>) -> JsValue {
    js_sys::JSON::parse(&json.expect("some JSON text")).unwrap()
}

/// Blocks as extension/common/encode.js hands them to the core: joined by line feeds as UTF-8,
/// and each block's length in UTF-16 units.
fn encode(blocks: &[String]) -> (Vec<u8>, Vec<u32>) {
    let lengths = blocks
        .iter()
        .map(|b| b.encode_utf16().count() as u32)
        .collect();
    (blocks.join("\n").into_bytes(), lengths)
}

/// The flattened mentions of a scan with the default options.
fn scan(core: &WasmCore, blocks: Vec<String>) -> Vec<u32> {
    let (text, lengths) = encode(&blocks);
    let page = core.scan(&text, &lengths, JsValue::UNDEFINED).unwrap();
    js_sys::Uint32Array::new(&get(&page, "mentions")).to_vec()
}

#[wasm_bindgen_test]
fn scan_returns_utf16_spans_per_block() {
    let core = WasmCore::new();
    let blocks = vec![
        "Nothing here.".to_string(),
        "😀 Hootsuite’s deal with FCN Inc., of Rockville".to_string(),
    ];
    let flat = scan(&core, blocks.clone());
    assert_eq!(flat.len() % 5, 0);
    let mentions: Vec<&[u32]> = flat.chunks(5).collect();
    assert_eq!(mentions.len(), 2);
    // JavaScript slices strings in UTF-16 units: check the spans the way it would.
    let utf16: Vec<u16> = blocks[1].encode_utf16().collect();
    let texts: Vec<String> = mentions
        .iter()
        .map(|m| {
            assert_eq!(m[0], 1, "both mentions are in block 1");
            String::from_utf16(&utf16[m[1] as usize..m[2] as usize]).unwrap()
        })
        .collect();
    assert_eq!(texts, vec!["Hootsuite", "FCN Inc."]);
    assert_eq!(
        core.company_name(mentions[0][3]).as_deref(),
        Some("Hootsuite")
    );
    // The name as the data writes it, from the text the mark holds.
    let fcn = mentions[1][4];
    assert_eq!(core.name_text(fcn, "FCN INC.").as_deref(), Some("FCN Inc."));
    assert_eq!(core.name_text(fcn, "Hootsuite"), None);
}

/// The core as the background holds it once a card was asked for: its records attached.
fn core_with_records() -> WasmCore {
    let core = WasmCore::new();
    core.attach_records(contract_lens::BUNDLED_RECORDS.to_vec())
        .expect("the records built with it");
    core
}

#[wasm_bindgen_test]
fn cards_wait_for_the_records_which_must_be_the_ones_built_with_the_core() {
    let core = WasmCore::new();
    let flat = scan(&core, vec!["Hootsuite".to_string()]);
    assert!(!core.has_records());
    assert!(core.card(flat[3], JsValue::UNDEFINED).is_err());
    let mut other = contract_lens::BUNDLED_RECORDS.to_vec();
    other[100] ^= 1;
    assert!(core.attach_records(other).is_err(), "a changed byte");
    assert!(core
        .attach_records(contract_lens::BUNDLED_RECORDS[1..].to_vec())
        .is_err());
    assert!(
        !core.has_records(),
        "a failed attach leaves the core as it was"
    );
    core.attach_records(contract_lens::BUNDLED_RECORDS.to_vec())
        .unwrap();
    assert!(core.card(flat[3], JsValue::UNDEFINED).unwrap().is_some());
}

#[wasm_bindgen_test]
fn card_is_json_text_with_sources() {
    let core = core_with_records();
    let flat = scan(&core, vec!["Hootsuite".to_string()]);
    let card = parsed(core.card(flat[3], JsValue::UNDEFINED).unwrap());
    assert_eq!(get(&card, "name").as_string().as_deref(), Some("Hootsuite"));
    let entries = js_sys::Array::from(&get(&card, "entries"));
    assert!(entries.length() >= 1);
    let first = get(&entries.get(0), "contract");
    assert_eq!(get(&first, "reported_usd").as_f64(), Some(508_832.0));
    let sources = js_sys::Array::from(&get(&first, "sources"));
    let url = get(&sources.get(0), "url").as_string().unwrap();
    assert!(url.starts_with("https://"), "{url}");
    assert!(get(&card, "data_as_of").as_string().is_some());
}

#[wasm_bindgen_test]
fn a_large_card_opens_with_its_first_entries_and_gives_the_rest_by_slice() {
    let core = core_with_records();
    let flat = scan(&core, vec!["FCN Inc.".to_string()]);
    let card = parsed(core.card(flat[3], JsValue::UNDEFINED).unwrap());
    let total = get(&get(&card, "summary"), "contracts").as_f64().unwrap() as u32;
    let years = js_sys::Array::from(&get(&card, "years"));
    let last_year = years.get(years.length() - 1);
    let slices = js_sys::Array::from(&get(&last_year, "entries"));
    let last = slices.get(slices.length() - 1);
    let (from, to) = (
        get(&last, "from").as_f64().unwrap() as u32,
        get(&last, "to").as_f64().unwrap() as u32,
    );
    assert_eq!(to, total, "the last year's last entry ends the card");
    let lists = core
        .contracts(flat[3], JsValue::UNDEFINED, &[from, to, 0, 1])
        .unwrap();
    let lists = js_sys::Array::from(&parsed(Some(lists)));
    assert_eq!(lists.length(), 2);
    assert_eq!(js_sys::Array::from(&lists.get(0)).length(), to - from);
    // Bad slices are errors, not traps.
    for slices in [&[0, total + 1][..], &[2, 1], &[0]] {
        assert!(core.contracts(flat[3], JsValue::UNDEFINED, slices).is_err());
    }
    assert!(core
        .contracts(u32::MAX, JsValue::UNDEFINED, &[0, 0])
        .is_err());
}

#[wasm_bindgen_test]
fn unknown_handles_give_undefined_not_a_trap() {
    let core = core_with_records();
    assert_eq!(core.card(u32::MAX, JsValue::UNDEFINED).unwrap(), None);
    assert_eq!(core.company_name(u32::MAX), None);
    assert_eq!(core.name_text(u32::MAX, "FCN Inc."), None);
    assert!(
        core.company_count() > 1000,
        "curated and imported companies"
    );
}

#[wasm_bindgen_test]
fn hostile_blocks_are_scanned_safely() {
    let core = WasmCore::new();
    let blocks = vec![
        String::new(),
        "\u{0}<script>alert(1)</script> Palantir".to_string(),
        "\u{feff}\u{200b}".repeat(1000),
    ];
    let flat = scan(&core, blocks);
    assert_eq!(flat.len(), 5);
    assert_eq!(
        core.company_name(flat[3]).as_deref(),
        Some("Palantir Technologies")
    );
}

#[wasm_bindgen_test]
fn scan_applies_the_options_given_by_javascript() {
    let core = WasmCore::new();
    let blocks = vec!["Hootsuite, Hootsuite and Palantir Technologies.".to_string()];
    let all = scan(&core, blocks.clone());
    assert_eq!(all.len(), 15);
    assert_eq!(core.company_name(all[3]).as_deref(), Some("Hootsuite"));
    let options = js_sys::JSON::parse(
        r#"{"firstPerBlock": true, "dismissed": ["hootsuite"], "filters": {"minAmountUsd": 0}}"#,
    )
    .unwrap();
    let (text, lengths) = encode(&blocks);
    let page = core.scan(&text, &lengths, options).unwrap();
    let kept = js_sys::Uint32Array::new(&get(&page, "mentions")).to_vec();
    assert_eq!(kept.len(), 5, "Hootsuite dismissed, Palantir once");
    let companies = js_sys::Array::from(&get(&page, "companies"));
    assert_eq!(companies.length(), 1);
    assert_eq!(
        get(&companies.get(0), "name").as_string().as_deref(),
        Some("Palantir Technologies")
    );
    assert_eq!(
        get(&companies.get(0), "id").as_string().as_deref(),
        Some("palantir-technologies")
    );
    // A malformed option is an error, not a silent default.
    let bad = js_sys::JSON::parse(r#"{"firstPerBlock": "yes"}"#).unwrap();
    assert!(core.scan(&[], &[], bad).is_err());
}

#[wasm_bindgen_test]
fn blocks_that_do_not_add_up_are_an_error_not_a_panic() {
    let core = WasmCore::new();
    let (text, _) = encode(&["Palantir 😀".to_string()]);
    // "Palantir 😀" is 11 UTF-16 units: 10 ends inside the emoji.
    for lengths in [&[3, 1][..], &[10], &[100], &[]] {
        assert!(
            core.scan(&text, lengths, JsValue::UNDEFINED).is_err(),
            "{lengths:?}"
        );
    }
    assert!(core.scan(&[0xff], &[1], JsValue::UNDEFINED).is_err());
    // A length past a 32-bit offset after the first block.
    let (two, _) = encode(&["P".to_string(), "x".to_string()]);
    assert!(core.scan(&two, &[1, u32::MAX], JsValue::UNDEFINED).is_err());
    // The core still scans afterwards.
    assert_eq!(scan(&core, vec!["Palantir".to_string()]).len(), 5);
}

/// The property tests' hardest inputs (tests/properties.rs), in WebAssembly: the spans JavaScript
/// gets are inside their block and on UTF-16 character boundaries here too.
#[wasm_bindgen_test]
fn spans_stay_on_character_boundaries_in_webassembly() {
    let core = WasmCore::new();
    let pieces = [
        "Palantir Technologies",
        "😀",
        "e\u{301}",
        "שלום עולם",
        "\u{200f}\u{202e}",
        "\u{feff}\u{200b}\u{0}",
        "Hootsuite",
        " ",
        "GitHub’s",
        "𝐀𝐁",
    ];
    let mut blocks = Vec::new();
    // Every ordered pair and triple of the pieces: what a page could put side by side.
    for a in pieces {
        for b in pieces {
            blocks.push(format!("{a}{b} Palantir Technologies {b}{a}"));
            for c in pieces {
                blocks.push(format!("{a} {b}{c}"));
            }
        }
    }
    let flat = scan(&core, blocks.clone());
    assert!(flat.len() >= 5 * pieces.len() * pieces.len());
    for m in flat.chunks(5) {
        let units: Vec<u16> = blocks[m[0] as usize].encode_utf16().collect();
        let (start, end) = (m[1] as usize, m[2] as usize);
        assert!(start < end && end <= units.len(), "{m:?}");
        assert!(
            String::from_utf16(&units[start..end]).is_ok(),
            "{m:?} cuts a pair"
        );
    }
}

#[wasm_bindgen_test]
fn a_name_matcher_loads_from_its_bytes_and_finds_the_same_spans() {
    let names = vec!["Palantir Technologies".to_string(), "Hootsuite".to_string()];
    let built = NameMatcher::new(names);
    let bytes = built.to_bytes();
    let blocks = vec!["Hootsuite and Palantir Technologies, not palantir.".to_string()];
    let loaded = NameMatcher::from_bytes(bytes.clone()).expect("its own bytes load");
    let (text, lengths) = encode(&blocks);
    assert_eq!(
        loaded.scan(&text, &lengths).unwrap(),
        built.scan(&text, &lengths).unwrap()
    );
    assert!(NameMatcher::from_bytes(bytes[..bytes.len() / 2].to_vec()).is_err());
}
