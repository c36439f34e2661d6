//! The columnar import gives the small path's output, to the byte, on the real records and
//! on generated ones large enough to spill.

use contract_lens::dataset::Dataset;
use contract_lens::import::{import, to_toml, Imported, SourceConfig};
use contract_lens::load::{load_curated, spending_sources};
use contract_lens_columnar::{generate, Options};
use std::path::{Path, PathBuf};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../data")
}

fn curated() -> Dataset {
    load_curated(&data()).unwrap_or_else(|e| panic!("{e}"))
}

fn sources() -> Vec<SourceConfig> {
    spending_sources(&data()).unwrap()
}

/// A folder of this test's own under the target directory.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn assert_same(small: &Imported, columnar: &Imported) {
    assert_eq!(small.sources, columnar.sources);
    assert_eq!(
        (small.rows, small.duplicates),
        (columnar.rows, columnar.duplicates)
    );
    assert_eq!(small.company_of, columnar.company_of);
    assert_eq!(small.companies.len(), columnar.companies.len());
    for (a, b) in small.companies.iter().zip(&columnar.companies) {
        assert_eq!(to_toml(a), to_toml(b), "company {}", a.id);
    }
    assert_eq!(small, columnar);
}

#[test]
fn the_real_records_import_the_same_as_the_small_path() {
    let dataset = curated();
    let small = import(&dataset, &sources()).unwrap();
    let options = Options::new(256 << 20, scratch("real"));
    let (columnar, report) =
        contract_lens_columnar::import(&dataset, &sources(), &options).unwrap();
    assert_same(&small, &columnar);
    assert!(small.rows > 60_000, "{} rows", small.rows);
    let awards: usize = small.companies.iter().map(|c| c.awards.len()).sum();
    assert_eq!(report.awards, awards);
}

#[test]
fn a_sort_larger_than_its_budget_spills_and_gives_the_same_output() {
    let dir = scratch("spill");
    let file = dir.join("transactions.csv");
    generate::write(&file, &generate::Shape::of(60_000)).unwrap();
    let sources = vec![generate::source(&file)];
    let dataset = curated();
    let small = import(&dataset, &sources).unwrap();
    // The rows take tens of megabytes as Arrow batches: a 20 MB budget cannot hold them.
    let mut options = Options::new(20 << 20, dir.join("spill"));
    options.batch_rows = 1024;
    let (columnar, report) = contract_lens_columnar::import(&dataset, &sources, &options).unwrap();
    assert!(report.spilled_bytes > 0, "{report:?}");
    assert!(small.duplicates > 0, "the generator repeats some rows");
    assert!(
        small
            .companies
            .iter()
            .any(|c| c.id == "hootsuite" && !c.via.is_empty()),
        "a generated resale is found"
    );
    assert_same(&small, &columnar);
}

#[test]
fn a_bad_row_fails_with_its_file_and_line() {
    let dir = scratch("bad");
    let file = dir.join("transactions.csv");
    generate::write(&file, &generate::Shape::of(50)).unwrap();
    let mut text = std::fs::read_to_string(&file).unwrap();
    // The obligation of the 31st row (line 32) is not a number.
    let lines: Vec<&str> = text.lines().collect();
    let mut fields: Vec<String> = lines[31].split(',').map(str::to_string).collect();
    fields[6] = "twelve".into();
    let bad = fields.join(",");
    text = text.replacen(lines[31], &bad, 1);
    std::fs::write(&file, text).unwrap();
    let options = Options::new(64 << 20, dir.join("spill"));
    let error = contract_lens_columnar::import(&curated(), &[generate::source(&file)], &options)
        .unwrap_err();
    assert_eq!(error.file, file);
    assert_eq!(error.line, 32);
    assert!(
        error.reason.contains("\"twelve\" is not a number"),
        "{error}"
    );
}

#[test]
fn an_unknown_agency_fails_with_its_file_and_line() {
    let dir = scratch("agency");
    let file = dir.join("transactions.csv");
    generate::write(&file, &generate::Shape::of(50)).unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replace("U.S. Customs and Border Protection", "Bureau of Nowhere");
    std::fs::write(&file, &text).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("Bureau of Nowhere"))
        .unwrap() as u64
        + 1;
    let options = Options::new(64 << 20, dir.join("spill"));
    let error = contract_lens_columnar::import(&curated(), &[generate::source(&file)], &options)
        .unwrap_err();
    // As the small path names it: the file's published name.
    assert!(error.file.ends_with("transactions.csv"), "{error}");
    assert!(
        error
            .reason
            .contains("unknown agency \"Bureau of Nowhere\""),
        "{error}"
    );
    // Any row of the award names it; the small path reports the same row.
    let small = import(&curated(), &[generate::source(&file)]).unwrap_err();
    assert_eq!(small, error);
    assert!(error.line >= line);
}
