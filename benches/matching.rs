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
//! Prints, per dictionary size, the matcher's build time, its size as bytes and its load time
//! from them (what a woken background pays), and scan throughput; then the bundled core's start
//! beside the baseline of decoding everything and building the matcher at start.

use contract_lens::html::visible_blocks;
use contract_lens::matcher::{Matcher, MatcherBuilder};
use contract_lens::{bundled_dataset, Core, BUNDLED_HEAD, BUNDLED_MATCHER, BUNDLED_RECORDS};
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
        .bundle
        .companies()
        .flat_map(|(_, c)| c.names().map(String::from).collect::<Vec<_>>());
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

    // The bundled matcher's names, which the browser half matches with a RegExp too.
    let today = Matcher::dataset_names(&bundled_dataset());
    write_json(&out.join("names-today.json"), &serde_json::json!(today));
    let real = real_recipient_names();
    println!(
        "inputs: {} pages, {:.2} MB of visible text; {} real recipient names",
        texts.len(),
        bytes as f64 / 1e6,
        real.len()
    );
    println!("native core, one call per page:");
    let mut at_1k = None;
    let mut rows = Vec::new();
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
        let bytes_of_matcher = matcher.to_bytes();
        // Loading copies and checks every part; the embedded matcher is read where it lies.
        let load_time = measure(|| {
            std::hint::black_box(Matcher::from_bytes(&bytes_of_matcher).unwrap());
        });
        let embedded: &'static [u8] = Box::leak(bytes_of_matcher.clone().into_boxed_slice());
        let in_place_time = measure(|| {
            std::hint::black_box(Matcher::from_static_bytes(embedded).unwrap());
        });
        let mut found = 0;
        let scan_time = measure(|| {
            found = texts
                .iter()
                .map(|blocks| matcher.find_in_blocks(blocks).len())
                .sum::<usize>();
        });
        let throughput = bytes as f64 / scan_time.as_secs_f64() / 1e6;
        let base = *at_1k.get_or_insert(throughput);
        rows.push(serde_json::json!({
            "names": size,
            "build_ms": build_time.as_secs_f64() * 1e3,
            "matcher_bytes": bytes_of_matcher.len(),
            "load_ms": load_time.as_secs_f64() * 1e3,
            "load_in_place_ms": in_place_time.as_secs_f64() * 1e3,
            "scan_mb_per_s": throughput,
            "mentions": found,
        }));
        println!(
            "  {size:>6} names: build {:>8.2} ms, as bytes {:>5.1} MB loading in {:>6.2} ms ({:.3} ms in place), scan {:>7.1} MB/s ({:>4.0}% of 1k), {found} mentions",
            build_time.as_secs_f64() * 1e3,
            bytes_of_matcher.len() as f64 / 1e6,
            load_time.as_secs_f64() * 1e3,
            in_place_time.as_secs_f64() * 1e3,
            throughput,
            throughput / base * 100.0
        );
    }

    // A woken background's start: the core as it starts now, beside the baseline of decoding
    // the whole dataset and building the matcher (how it started before), in the same run.
    let start = measure(|| {
        std::hint::black_box(Core::bundled());
    });
    let everything = measure(|| {
        let dataset = bundled_dataset();
        std::hint::black_box(Matcher::from_dataset(&dataset));
        std::hint::black_box(dataset);
    });
    let core = Core::bundled();
    let hootsuite = core
        .bundle
        .index_of("hootsuite")
        .expect("a curated company");
    // The first card of a company decodes its record: timed on fresh cores, best of 20.
    let first_card = (0..20)
        .map(|_| {
            let fresh = Core::bundled();
            let t = Instant::now();
            std::hint::black_box(contract_lens::card::Card::of(&fresh.bundle, hootsuite));
            t.elapsed()
        })
        .min()
        .expect("20 runs");
    println!(
        "bundled core: {:.2} MB of company records (deflated in chunks), {:.2} MB head, {:.2} MB matcher",
        BUNDLED_RECORDS.len() as f64 / 1e6,
        BUNDLED_HEAD.len() as f64 / 1e6,
        BUNDLED_MATCHER.len() as f64 / 1e6
    );
    println!(
        "  start {:.2} ms (decode everything and build the matcher: {:.2} ms, {:.0}x); first card after it {:.2} ms; {} companies",
        start.as_secs_f64() * 1e3,
        everything.as_secs_f64() * 1e3,
        everything.as_secs_f64() / start.as_secs_f64(),
        first_card.as_secs_f64() * 1e3,
        core.bundle.company_count()
    );
    // A copy of the figures, to compare two runs.
    write_json(
        &out.join("native.json"),
        &serde_json::json!({
            "matching": rows,
            "records_bytes": BUNDLED_RECORDS.len(),
            "head_bytes": BUNDLED_HEAD.len(),
            "matcher_bytes": BUNDLED_MATCHER.len(),
            "start_ms": start.as_secs_f64() * 1e3,
            "decode_everything_and_build_ms": everything.as_secs_f64() * 1e3,
            "first_card_ms": first_card.as_secs_f64() * 1e3,
        }),
    );
}

fn write_json(path: &Path, value: &serde_json::Value) {
    std::fs::write(path, value.to_string()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}
