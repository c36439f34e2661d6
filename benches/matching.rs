//! Matching benchmark, native half (`./run bench` runs this, then the WASM and JS RegExp half in
//! `tests/bench/wasm-vs-regexp.mjs`, on the same inputs).
//!
//! Inputs, written to target/bench/ for the second half:
//! - texts: the visible text of the 98 real pages in tests/fixtures/pages, in blocks, as the extension
//!   sends them (one call per page);
//! - dictionaries of 1k, 10k and 100k names: the dataset's names, the real recipient names of the
//!   spending records bundled in the core, then generated company-like
//!   names.
//!
//! Prints build time and throughput per dictionary size, and the bundled dataset's load time.

use contract_lens::html::visible_blocks;
use contract_lens::matcher::{Matcher, MatcherBuilder};
use contract_lens::{bundled_dataset, Core, BUNDLED_DATASET};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];
/// Repeat each measurement until it has run this long, then take the best of three.
const MIN_RUN: Duration = Duration::from_millis(600);

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every recipient name of the bundled spending records (both sources), each once.
fn real_recipient_names() -> Vec<String> {
    let dataset = contract_lens::bundled_dataset();
    let names: BTreeSet<String> = dataset
        .companies
        .iter()
        .flat_map(|c| c.recipients.iter().cloned())
        .collect();
    names.into_iter().collect()
}

/// Deterministic company-like names ("Varnoxi Data Systems LLC").
fn generated_names(count: usize, seed: u64) -> Vec<String> {
    const SYLLABLES: &[&str] = &[
        "var", "nox", "tel", "bri", "qua", "lor", "men", "tas", "gen", "vik", "sol", "dra", "pex",
        "ul", "ora", "zen", "kay", "rho", "tur", "cas", "mi", "bel", "for", "ix",
    ];
    const WORDS: &[&str] = &[
        "Data",
        "Systems",
        "Logistics",
        "Federal",
        "Solutions",
        "Analytics",
        "Security",
        "Services",
        "Technologies",
        "Partners",
        "Group",
        "Consulting",
        "Aviation",
        "Health",
    ];
    const SUFFIXES: &[&str] = &["", " LLC", " Inc.", " Corp.", " Corporation", " L.P."];
    let mut state = seed;
    let mut next = move || {
        // xorshift64*: fixed seed, same names every run.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    };
    (0..count)
        .map(|_| {
            let mut name = String::new();
            for _ in 0..2 + next() % 2 {
                name.push_str(SYLLABLES[(next() % SYLLABLES.len() as u64) as usize]);
            }
            let mut name = capitalize(&name);
            for _ in 0..next() % 3 {
                name.push(' ');
                name.push_str(WORDS[(next() % WORDS.len() as u64) as usize]);
            }
            name.push_str(SUFFIXES[(next() % SUFFIXES.len() as u64) as usize]);
            name
        })
        .collect()
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `size` names: the dataset's own (so there is something to find), the real recipients, then
/// generated ones.
fn dictionary(size: usize, real: &[String]) -> Vec<String> {
    let core = Core::bundled();
    let own = core
        .dataset
        .companies
        .iter()
        .flat_map(|c| c.names().map(String::from));
    let mut names: Vec<String> = own.chain(real.iter().cloned()).take(size).collect();
    let mut seen: BTreeSet<String> = names.iter().cloned().collect();
    let mut seed = 0x9e37_79b9_7f4a_7c15;
    while names.len() < size {
        for name in generated_names(size, seed) {
            if names.len() < size && seen.insert(name.clone()) {
                names.push(name);
            }
        }
        seed += 1;
    }
    names
}

fn build(names: &[String]) -> Matcher {
    let mut builder = MatcherBuilder::new();
    for (i, name) in names.iter().enumerate() {
        builder.name(name, i, false);
    }
    builder.build()
}

/// Best time of three runs of `f`, each repeated to at least MIN_RUN; time per call.
fn measure(mut f: impl FnMut()) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            let mut calls = 0u32;
            while start.elapsed() < MIN_RUN || calls == 0 {
                f();
                calls += 1;
            }
            start.elapsed() / calls
        })
        .min()
        .expect("three runs")
}

fn main() {
    let out = root().join("target/bench");
    std::fs::create_dir_all(&out).expect("target/ is writable");

    let pages_dir = root().join("tests/fixtures/pages");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&pages_dir)
        .unwrap_or_else(|e| panic!("{}: {e}", pages_dir.display()))
        .map(|e| e.expect("readable directory").path())
        .filter(|p| p.to_string_lossy().ends_with(".html.gz"))
        .collect();
    pages.sort();
    let texts: Vec<Vec<String>> = pages
        .iter()
        .map(|p| {
            let mut html = String::new();
            let file = std::fs::File::open(p).expect("readable page");
            std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(file), &mut html)
                .expect("gzip-compressed UTF-8");
            visible_blocks(&html)
        })
        .collect();
    let bytes: usize = texts.iter().flatten().map(String::len).sum();
    write_json(&out.join("pages.json"), &serde_json::json!(texts));

    let real = real_recipient_names();
    println!(
        "inputs: {} pages, {:.2} MB of visible text; {} real recipient names",
        texts.len(),
        bytes as f64 / 1e6,
        real.len()
    );
    println!("native core (aho-corasick), one call per page:");
    let mut at_1k = None;
    for size in SIZES {
        let names = dictionary(size, &real);
        write_json(
            &out.join(format!("dict-{size}.json")),
            &serde_json::json!(names),
        );
        let build_time = measure(|| {
            std::hint::black_box(build(&names));
        });
        let matcher = build(&names);
        let mut found = 0;
        let scan_time = measure(|| {
            found = texts
                .iter()
                .map(|blocks| matcher.find_in_blocks(blocks).len())
                .sum::<usize>();
        });
        let throughput = bytes as f64 / scan_time.as_secs_f64() / 1e6;
        let base = *at_1k.get_or_insert(throughput);
        println!(
            "  {size:>6} names: build {:>8.2} ms, scan {:>7.1} MB/s ({:>4.0}% of 1k), {found} mentions",
            build_time.as_secs_f64() * 1e3,
            throughput,
            throughput / base * 100.0
        );
    }

    let load = measure(|| {
        std::hint::black_box(Core::new(bundled_dataset()));
    });
    println!(
        "bundled dataset: {} bytes compiled (deflated), inflate, load and build {:.2} ms natively",
        BUNDLED_DATASET.len(),
        load.as_secs_f64() * 1e3
    );
}

fn write_json(path: &Path, value: &serde_json::Value) {
    std::fs::write(path, value.to_string()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}
