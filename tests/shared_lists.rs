//! Lists that two languages must share, kept in agreement: the JavaScript copy is read from its
//! file and compared with the Rust one, so a change to either fails here until both agree.

use contract_lens::html::{INLINE, SKIP};
use std::collections::BTreeSet;
use std::path::Path;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The quoted strings between `opening` and the next `closing` in `source`.
fn quoted_after(source: &str, opening: &str, closing: &str) -> Vec<String> {
    let start = source
        .find(opening)
        .unwrap_or_else(|| panic!("no {opening:?}"))
        + opening.len();
    let body = &source[start..start + source[start..].find(closing).unwrap()];
    body.split('\'')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn lower(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|t| t.to_lowercase()).collect()
}

#[test]
fn the_tags_the_content_script_skips_and_flows_across_are_the_html_readers() {
    let annotator = read("extension/content/blocks.js");
    let skip: BTreeSet<String> = quoted_after(&annotator, "const SKIP_TAGS = new Set([", "]);")
        .iter()
        .map(|t| t.to_lowercase())
        .collect();
    assert_eq!(skip, lower(SKIP));
    let inline: BTreeSet<String> = quoted_after(&annotator, "const INLINE_TAGS = new Set([", "]);")
        .iter()
        .map(|t| t.to_lowercase())
        .collect();
    assert_eq!(inline, lower(INLINE));
}

#[test]
fn the_options_page_lists_the_datasets_sub_agencies() {
    let options = read("extension/options/options.js");
    let listed = quoted_after(&options, "const AGENCIES = [", "];");
    let pairs: Vec<(String, String)> = listed
        .chunks(2)
        .map(|p| (p[0].clone(), p[1].clone()))
        .collect();
    let dataset = contract_lens::bundled_dataset();
    let sub_agencies: Vec<(String, String)> = dataset
        .agencies
        .iter()
        .filter(|a| a.parent.is_some())
        .map(|a| (a.code.clone(), a.name.clone()))
        .collect();
    assert_eq!(pairs, sub_agencies);
}
