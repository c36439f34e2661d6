//! Validates `data/` and compiles it into the compact form the core embeds. Bad data fails the
//! build with `file:line: reason`, so it never ships.

#[allow(dead_code)]
#[path = "src/dataset.rs"]
mod dataset;

use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let data = root.join("data");
    println!("cargo:rerun-if-changed={}", data.display());
    println!(
        "cargo:rerun-if-changed={}",
        data.join("companies").display()
    );
    for entry in std::fs::read_dir(data.join("companies"))
        .into_iter()
        .flatten()
        .flatten()
    {
        println!("cargo:rerun-if-changed={}", entry.path().display());
    }
    println!(
        "cargo:rerun-if-changed={}",
        data.join("dataset.toml").display()
    );

    match dataset::load_dir(&data) {
        Ok(dataset) => {
            let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
            // Deflated: the text of thousands of awards shrinks about tenfold, and inflating it
            // takes milliseconds.
            let compressed = miniz_oxide::deflate::compress_to_vec(&dataset.to_bytes(), 9);
            std::fs::write(out.join("dataset.bin"), compressed).expect("OUT_DIR is writable");
        }
        Err(errors) => {
            for e in &errors.0 {
                // Relative paths read better and are what an editor jumps to.
                let rel = e.file.strip_prefix(&root).unwrap_or(&e.file);
                eprintln!("{}:{}: {}", rel.display(), e.line, e.reason);
            }
            eprintln!(
                "data/ has {} problem(s); the build stops here.",
                errors.0.len()
            );
            std::process::exit(1);
        }
    }
}
