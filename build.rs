//! Validates `data/`, imports the spending records it lists, and compiles the result into the
//! compact form the core embeds. Bad data fails the build with `file:line: reason`, so it never
//! ships.

#[allow(dead_code)]
#[path = "src/dataset.rs"]
mod dataset;
#[allow(dead_code)]
#[path = "src/import/mod.rs"]
mod import;
#[allow(dead_code)]
#[path = "src/load.rs"]
mod load;
#[allow(dead_code)]
#[path = "src/matcher.rs"]
mod matcher;
#[allow(dead_code)]
#[path = "src/names.rs"]
mod names;
#[allow(dead_code)]
#[path = "src/trie.rs"]
mod trie;

use std::path::{Path, PathBuf};

/// `path` and, for a directory, every file under it: a change to any of them rebuilds the data.
fn watch(path: &Path) {
    println!("cargo:rerun-if-changed={}", path.display());
    for entry in std::fs::read_dir(path).into_iter().flatten().flatten() {
        watch(&entry.path());
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let data = root.join("data");
    watch(&data);
    for module in [
        "dataset.rs",
        "load.rs",
        "matcher.rs",
        "names.rs",
        "trie.rs",
        "import",
    ] {
        watch(&root.join("src").join(module));
    }

    match load::load_dir(&data) {
        Ok(dataset) => {
            let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
            // The core starts without building or decoding more than it needs: the matcher is
            // built here, and the companies' records are deflated in chunks, one decoded when a
            // card asks for one of its companies (src/bundle.rs).
            let (head, records) = dataset.to_bundle();
            let matcher = match bench_names() {
                None => matcher::Matcher::from_dataset(&dataset),
                Some(names) => matcher::Matcher::from_dataset_with_names(&dataset, &names),
            }
            .to_bytes();
            // The program reads the embedded matcher in place, checking only that it is
            // whole: every part is checked here, once.
            if let Err(e) = matcher::Matcher::from_bytes(&matcher) {
                panic!("the matcher built from data/ does not read back: {e}");
            }
            for (file, bytes) in [
                ("head.bin", head),
                ("records.bin", records),
                ("matcher.bin", matcher),
            ] {
                std::fs::write(out.join(file), bytes).expect("OUT_DIR is writable");
            }
        }
        Err(errors) => {
            for e in &errors.0 {
                // Relative paths read better and are what an editor jumps to.
                let rel = e.file.strip_prefix(&root).unwrap_or(&e.file);
                let located = load::DataError {
                    file: rel.to_path_buf(),
                    ..e.clone()
                };
                eprintln!("{located}");
            }
            eprintln!(
                "data/ has {} problem(s); the build stops here.",
                errors.0.len()
            );
            std::process::exit(1);
        }
    }
}

/// The names `CONTRACT_LENS_EXTRA_NAMES` (a JSON list in a file) adds to the matcher, for the
/// start benchmark's larger builds only (`./run bench`): how a woken background's start grows
/// with the names it embeds.
fn bench_names() -> Option<Vec<String>> {
    println!("cargo:rerun-if-env-changed=CONTRACT_LENS_EXTRA_NAMES");
    let path = std::env::var_os("CONTRACT_LENS_EXTRA_NAMES")?;
    println!("cargo:rerun-if-changed={}", Path::new(&path).display());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!(
            "CONTRACT_LENS_EXTRA_NAMES: {}: {e}",
            Path::new(&path).display()
        );
        std::process::exit(1)
    });
    Some(serde_json::from_str(&text).unwrap_or_else(|e| {
        eprintln!(
            "CONTRACT_LENS_EXTRA_NAMES: {}:{}: {e}",
            Path::new(&path).display(),
            e.line()
        );
        std::process::exit(1)
    }))
}
