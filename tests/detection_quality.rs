//! Precision and recall of detection over the labelled fixtures (tests/fixtures/detection/):
//! paragraphs written for the tests (exact spans) and the real saved pages in tests/fixtures/pages/
//! (counts per company). Prints the figures; fails below precision 0.99 or recall 0.97.

use contract_lens::html::visible_blocks;
use contract_lens::Core;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const MIN_PRECISION: f64 = 0.99;
const MIN_RECALL: f64 = 0.97;

#[derive(Default, Debug, Clone, Copy)]
struct Tally {
    true_positives: usize,
    false_positives: usize,
    false_negatives: usize,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.true_positives += other.true_positives;
        self.false_positives += other.false_positives;
        self.false_negatives += other.false_negatives;
    }
    fn precision(&self) -> f64 {
        self.true_positives as f64 / (self.true_positives + self.false_positives).max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.true_positives as f64 / (self.true_positives + self.false_negatives).max(1) as f64
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/detection")
}

/// Strips `[[text|id]]` markup: the plain text and the expected `(start, end, id)` in UTF-16.
fn parse_markup(marked: &str) -> (String, Vec<(usize, usize, String)>) {
    let mut plain = String::new();
    let mut expected = Vec::new();
    let mut rest = marked;
    while let Some(open) = rest.find("[[") {
        plain.push_str(&rest[..open]);
        let close = rest[open..].find("]]").expect("unclosed [[") + open;
        let (text, id) = rest[open + 2..close].split_once('|').expect("[[text|id]]");
        let start = plain.encode_utf16().count();
        plain.push_str(text);
        expected.push((start, plain.encode_utf16().count(), id.to_string()));
        rest = &rest[close + 2..];
    }
    plain.push_str(rest);
    (plain, expected)
}

fn score_paragraphs(core: &Core, report: &mut Vec<String>) -> Tally {
    let mut total = Tally::default();
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures().join("paragraphs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 30, "the paragraph fixtures are missing");
    for file in files {
        let (plain, expected) = parse_markup(&std::fs::read_to_string(&file).unwrap());
        let found: Vec<(usize, usize, String)> = core
            .matcher
            .find(&plain)
            .into_iter()
            .map(|m| {
                let id = core.bundle.company_head(m.company).unwrap().0.to_string();
                (m.span.start, m.span.end, id)
            })
            .collect();
        let tp = found.iter().filter(|f| expected.contains(f)).count();
        let tally = Tally {
            true_positives: tp,
            false_positives: found.len() - tp,
            false_negatives: expected.len() - tp,
        };
        if tally.false_positives + tally.false_negatives > 0 {
            let utf16: Vec<u16> = plain.encode_utf16().collect();
            let show = |v: &[(usize, usize, String)]| -> Vec<String> {
                v.iter()
                    .map(|(s, e, id)| format!("{}={id}", String::from_utf16_lossy(&utf16[*s..*e])))
                    .collect()
            };
            let extra: Vec<_> = found
                .iter()
                .filter(|f| !expected.contains(f))
                .cloned()
                .collect();
            let missed: Vec<_> = expected
                .iter()
                .filter(|e| !found.contains(e))
                .cloned()
                .collect();
            report.push(format!(
                "{}: wrong {:?}, missed {:?}",
                file.file_name().unwrap().to_string_lossy(),
                show(&extra),
                show(&missed)
            ));
        }
        total.add(tally);
    }
    total
}

fn score_pages(core: &Core, report: &mut Vec<String>) -> Tally {
    let pages_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages");
    let labels: BTreeMap<String, BTreeMap<String, usize>> =
        serde_json::from_str(&std::fs::read_to_string(fixtures().join("pages.json")).unwrap())
            .unwrap();
    assert_eq!(labels.len(), 98, "every saved page is labelled");
    let mut total = Tally::default();
    for (page, expected) in &labels {
        let mut html = String::new();
        std::fs::File::open(pages_dir.join(format!("{page}.gz")))
            .map(flate2::read::GzDecoder::new)
            .and_then(|mut gz| std::io::Read::read_to_string(&mut gz, &mut html))
            .unwrap_or_else(|e| {
                panic!("{page}: {e} (the saved pages are tests/fixtures/pages/*.gz)")
            });
        let mut found: BTreeMap<String, usize> = BTreeMap::new();
        for m in core.matcher.find_in_blocks(&visible_blocks(&html)) {
            *found
                .entry(core.bundle.company_head(m.company).unwrap().0.to_string())
                .or_default() += 1;
        }
        let ids: std::collections::BTreeSet<&String> =
            expected.keys().chain(found.keys()).collect();
        for id in ids {
            let want = expected.get(id).copied().unwrap_or(0);
            let got = found.get(id).copied().unwrap_or(0);
            let tally = Tally {
                true_positives: want.min(got),
                false_positives: got.saturating_sub(want),
                false_negatives: want.saturating_sub(got),
            };
            if want != got {
                report.push(format!("{page}: {id} expected {want}, found {got}"));
            }
            total.add(tally);
        }
    }
    total
}

#[test]
fn precision_and_recall_on_labelled_text() {
    let core = Core::bundled();
    let mut report = Vec::new();
    let paragraphs = score_paragraphs(&core, &mut report);
    let pages = score_pages(&core, &mut report);
    let mut all = paragraphs;
    all.add(pages);
    for (label, t) in [
        ("paragraphs", paragraphs),
        ("real pages", pages),
        ("all", all),
    ] {
        println!(
            "detection on {label}: precision {:.4}, recall {:.4} ({} right, {} wrong, {} missed)",
            t.precision(),
            t.recall(),
            t.true_positives,
            t.false_positives,
            t.false_negatives
        );
    }
    for line in &report {
        println!("  {line}");
    }
    assert!(
        all.precision() >= MIN_PRECISION && all.recall() >= MIN_RECALL,
        "precision {:.4} (min {MIN_PRECISION}), recall {:.4} (min {MIN_RECALL})",
        all.precision(),
        all.recall()
    );
    // Each set on its own must pass too: neither may hide behind the other.
    for t in [paragraphs, pages] {
        assert!(
            t.precision() >= MIN_PRECISION && t.recall() >= MIN_RECALL,
            "{t:?}"
        );
    }
}
