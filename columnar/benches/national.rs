//! The import at national scale: the small path and the columnar path side by side on a
//! generated file both can hold, then the columnar path alone on one the small path cannot.
//!
//! Each import runs in a process of its own, so that its peak resident memory is its own.
//! Figures print as a table and land in `target/bench/columnar.json`.
//!
//! `CONTRACT_LENS_BENCH_ROWS` sets the large file's rows (default 10,000,000) and
//! `CONTRACT_LENS_BENCH_BASELINE_ROWS` the shared one's (default 1,000,000).

use contract_lens::dataset::Dataset;
use contract_lens::import::{import, Placement};
use contract_lens::load::load_curated;
use contract_lens_columnar::{generate, import_into, Options};
use std::collections::BTreeSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The columnar path's engine budget: 512 MiB, or `CONTRACT_LENS_BENCH_MEMORY_MIB`.
fn memory_limit() -> usize {
    rows_from_env("CONTRACT_LENS_BENCH_MEMORY_MIB", 512) << 20
}

fn root() -> PathBuf {
    let up = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    up.canonicalize().unwrap_or(up)
}

fn curated() -> Dataset {
    load_curated(&root().join("data")).unwrap_or_else(|e| panic!("{e}"))
}

fn rows_from_env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .map(|v| v.replace('_', "").parse().expect("a number of rows"))
        .unwrap_or(default)
}

/// Peak resident memory of this process, in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// An order-free digest of what an import places: the sum of each placement's hash, and of
/// each (company, recipient) pair once.
#[derive(Default)]
struct Digest {
    sum: u64,
    recipients: BTreeSet<(String, String)>,
}

impl Digest {
    fn add(&mut self, kind: &str, company: &str, award: &contract_lens::dataset::Contract) {
        let mut h = DefaultHasher::new();
        (kind, company).hash(&mut h);
        postcard::to_stdvec(award).expect("serialises").hash(&mut h);
        self.sum = self.sum.wrapping_add(h.finish());
    }
    fn finish(self) -> u64 {
        let mut h = DefaultHasher::new();
        (self.sum, self.recipients).hash(&mut h);
        h.finish()
    }
}

/// One import in this process; prints its figures as one JSON line.
fn run_case(case: &str, file: &Path, spill: &Path) {
    let dataset = curated();
    let sources = vec![generate::source(file)];
    let started = Instant::now();
    let mut digest = Digest::default();
    let (rows, awards, spilled_bytes, spill_files) = match case {
        "small" => {
            let imported = import(&dataset, &sources).unwrap_or_else(|e| panic!("{e}"));
            let mut awards = 0;
            for company in &imported.companies {
                for award in &company.awards {
                    digest.add("award", &company.id, award);
                    awards += 1;
                }
                for award in &company.via {
                    digest.add("via", &company.id, award);
                }
                for name in &company.recipients {
                    digest.recipients.insert((company.id.clone(), name.clone()));
                }
            }
            (imported.rows, awards, 0, 0)
        }
        "columnar" => {
            let mut options = Options::new(memory_limit(), spill);
            if let Ok(rows) = std::env::var("CONTRACT_LENS_BENCH_BATCH_ROWS") {
                options.batch_rows = rows.parse().expect("a number of rows");
            }
            // Placements are digested as they come, not held: the output could be written
            // out the same way.
            let done = import_into(
                &dataset,
                &sources,
                &options,
                |_, placement| match placement {
                    Placement::Award {
                        company,
                        award,
                        recipients,
                    } => {
                        digest.add("award", company, &award);
                        for name in recipients {
                            digest.recipients.insert((company.to_string(), name));
                        }
                    }
                    Placement::Via { company, award } => digest.add("via", company, &award),
                },
            )
            .unwrap_or_else(|e| panic!("{e}"));
            let r = done.report;
            (r.rows, r.awards, r.spilled_bytes, r.spill_files)
        }
        other => panic!("no case {other:?}"),
    };
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{{\"case\":\"{case}\",\"seconds\":{seconds:.3},\"peak_rss\":{},\"rows\":{rows},\
         \"awards\":{awards},\"spilled_bytes\":{spilled_bytes},\"spill_files\":{spill_files},\
         \"digest\":\"{:016x}\"}}",
        peak_rss(),
        digest.finish()
    );
}

/// A generated file of `rows` transactions, made once and kept between runs.
fn generated(dir: &Path, rows: usize) -> (PathBuf, Option<f64>) {
    let path = dir.join(format!("transactions-{rows}.csv"));
    if path.exists() {
        return (path, None);
    }
    let started = Instant::now();
    let partial = path.with_extension("partial");
    generate::write(&partial, &generate::Shape::of(rows)).expect("generated file written");
    std::fs::rename(&partial, &path).expect("generated file in place");
    (path, Some(started.elapsed().as_secs_f64()))
}

struct Figures {
    line: String,
    seconds: f64,
    peak_rss: f64,
    rows: f64,
    digest: String,
}

fn field<'a>(line: &'a str, name: &str) -> &'a str {
    let start = line.find(&format!("\"{name}\":")).expect("field printed") + name.len() + 3;
    let rest = &line[start..];
    rest[..rest.find([',', '}']).expect("field ends")].trim_matches('"')
}

fn measure(case: &str, file: &Path, spill: &Path) -> Figures {
    let output = Command::new(std::env::current_exe().expect("own path"))
        .args(["--case", case])
        .arg(file)
        .arg(spill)
        .output()
        .expect("bench process runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let Some(line) = stdout.lines().find(|l| l.starts_with('{')) else {
        panic!(
            "{case} on {} failed:\n{}",
            file.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    };
    let number = |name: &str| field(line, name).parse::<f64>().expect("a number");
    Figures {
        line: line.to_string(),
        seconds: number("seconds"),
        peak_rss: number("peak_rss"),
        rows: number("rows"),
        digest: field(line, "digest").to_string(),
    }
}

fn mib(bytes: f64) -> f64 {
    bytes / (1 << 20) as f64
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--case") {
        run_case(
            &args[at + 1],
            Path::new(&args[at + 2]),
            Path::new(&args[at + 3]),
        );
        return;
    }
    let large = rows_from_env("CONTRACT_LENS_BENCH_ROWS", 10_000_000);
    let baseline = rows_from_env("CONTRACT_LENS_BENCH_BASELINE_ROWS", 1_000_000);
    let dir = root().join("target/bench/columnar");
    std::fs::create_dir_all(&dir).expect("bench folder");
    let spill = dir.join("spill");

    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "Import at national scale ({cpus} cores; engine budget {} MiB)",
        memory_limit() >> 20
    );
    let mut json = Vec::new();
    let mut table = vec![format!(
        "{:<10} {:>11} {:>9} {:>12} {:>10} {:>12}  {}",
        "path", "rows", "seconds", "rows/s", "peak MiB", "spilled MiB", "output"
    )];
    for (rows, cases) in [
        (baseline, &["small", "columnar"][..]),
        (large, &["columnar"][..]),
    ] {
        let (file, made) = generated(&dir, rows);
        let bytes = std::fs::metadata(&file).map_or(0, |m| m.len());
        println!(
            "{}: {:.0} MiB{}",
            file.display(),
            mib(bytes as f64),
            made.map_or(String::new(), |s| format!(", generated in {s:.1} s"))
        );
        let mut digests = Vec::new();
        for case in cases {
            let f = measure(case, &file, &spill);
            let spilled = field(&f.line, "spilled_bytes")
                .parse::<f64>()
                .unwrap_or(0.0);
            digests.push(f.digest.clone());
            table.push(format!(
                "{:<10} {:>11} {:>9.1} {:>12.0} {:>10.0} {:>12.0}  {}",
                case,
                rows,
                f.seconds,
                f.rows / f.seconds,
                mib(f.peak_rss),
                mib(spilled),
                if digests.len() > 1 {
                    if digests[0] == f.digest {
                        "same as small"
                    } else {
                        "DIFFERS from small"
                    }
                } else {
                    ""
                }
            ));
            json.push(format!(
                "{{\"generated_rows\":{rows},\"file_bytes\":{bytes},\"figures\":{}}}",
                f.line
            ));
        }
        if cases.len() > 1 {
            assert_eq!(
                digests[0], digests[1],
                "the two paths placed different awards"
            );
        }
    }
    println!("{}", table.join("\n"));
    println!(
        "small: every row and award in memory; columnar: one award id's rows, the recipients \
         and the engine's budget (peak includes the process and the dataset)."
    );
    let out = root().join("target/bench/columnar.json");
    std::fs::write(
        &out,
        format!(
            "{{\"cores\":{cpus},\"memory_limit\":{},\"runs\":[{}]}}\n",
            memory_limit(),
            json.join(",")
        ),
    )
    .expect("bench figures written");
    println!("figures: {}", out.display());
}
