//! The command line, run as a user would run it.

use std::path::Path;
use std::process::Command;

fn cli(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_contract-lens"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn data_check_passes_on_the_shipped_data() {
    let (ok, out, err) = cli(&["data", "check"]);
    assert!(ok, "{err}");
    assert!(out.contains("companies (43 curated, "), "{out}");
    assert!(out.contains("from spending records only)"), "{out}");
}

#[test]
fn data_stats_gives_each_spending_sources_dates() {
    let (ok, out, err) = cli(&["data", "stats"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("spending source torn-apart-ice: 2012-10-10 to 2018-06-30"),
        "{out}"
    );
    assert!(
        out.contains("spending source usaspending-cbp-ice-2021: 2020-10-01 to 2026-08-20"),
        "{out}"
    );
}

#[test]
fn help_and_flags_behave_as_documented() {
    // Before: `--help` exited 1 and `text FILE --json` was refused.
    let (ok, out, _) = cli(&["--help"]);
    assert!(ok && out.contains("scan"), "{out}");
    let file = std::env::temp_dir().join(format!("contract-lens-text-{}.txt", std::process::id()));
    std::fs::write(&file, "Palantir").unwrap();
    let (ok, out, err) = cli(&["text", file.to_str().unwrap(), "--json"]);
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "[\"Palantir\"]");
    let (ok, _, err) = cli(&["scan"]);
    assert!(!ok && err.contains("Usage"), "{err}");
}

#[test]
fn data_check_fails_with_file_line_reason() {
    let dir = std::env::temp_dir().join(format!("contract-lens-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("companies")).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/dataset.toml"),
        dir.join("dataset.toml"),
    )
    .unwrap();
    std::fs::write(
        dir.join("companies/acme.toml"),
        "id = \"acme\"\nname = \"Acme\"\n\n[[statements]]\nspeaker = \"Acme\"\ntext = \"Hi\"\n\n[[statements.sources]]\nurl = \"ftp://example.org\"\n",
    )
    .unwrap();
    let (ok, _, err) = cli(&["data", "check", dir.to_str().unwrap()]);
    assert!(!ok);
    let want = format!(
        "{}:9: source \"ftp://example.org\" is not an https address",
        dir.join("companies/acme.toml").display()
    );
    assert!(err.contains(&want), "{err}");
}

#[test]
fn scan_prints_one_json_line_per_file_with_utf16_offsets() {
    let file = std::env::temp_dir().join(format!("contract-lens-scan-{}.txt", std::process::id()));
    std::fs::write(&file, "😀 Microsoft-owned GitHub").unwrap();
    let (ok, out, err) = cli(&["scan", "--json", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    let line: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let mentions = line["mentions"].as_array().unwrap();
    assert_eq!(mentions.len(), 2);
    assert_eq!(mentions[0]["start"], 3);
    assert_eq!(mentions[0]["end"], 12);
    assert_eq!(mentions[0]["company"], "Microsoft");
    assert_eq!(mentions[1]["id"], "github");
    assert_eq!(mentions[1]["alias"], "GitHub");
    assert_eq!(mentions[1]["text"], "GitHub");
}

#[test]
fn data_show_prints_the_card() {
    let (ok, out, err) = cli(&["data", "show", "Hootsuite"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("awarded to: FCN, Inc. (Rockville, Md.)"),
        "{out}"
    );
    assert!(out.contains("term: 1 year(s) + 2 option year(s)"), "{out}");
    let (ok, _, err) = cli(&["data", "show", "No Such Company"]);
    assert!(!ok && err.contains("no company named"));
}
