//! The data files: the shipped data is valid, and every kind of bad data is refused with the file,
//! the line and the reason.

use contract_lens::card::Card;
use contract_lens::dataset::Facts;
use contract_lens::load::load_dir;
use contract_lens::Core;
use std::path::{Path, PathBuf};

const SETTINGS: &str = r#"data_as_of = "2026-05-20"

[[agencies]]
code = "DHS"
name = "Department of Homeland Security"

[[agencies]]
code = "ICE"
name = "U.S. Immigration and Customs Enforcement"
parent = "DHS"
"#;

const GOOD: &str = r#"id = "acme"
name = "Acme"
aliases = ["Acme Corp"]

[[contracts]]
agency = "DHS"
sub_agency = "ICE"
reported_usd = 1000
start = "2020-01-01"
end = "2021-01-01"

[[contracts.sources]]
url = "https://example.org/acme"
quote = "Acme won."

[[statements]]
date = "2020-02-02"
speaker = "Acme"
text = "We are proud."

[[statements.sources]]
url = "https://example.org/acme-said"
"#;

/// A fresh data directory holding `companies` (file stem, contents).
fn data_dir(name: &str, companies: &[(&str, &str)]) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("contract-lens-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("companies")).unwrap();
    std::fs::write(dir.join("dataset.toml"), SETTINGS).unwrap();
    for (stem, text) in companies {
        std::fs::write(dir.join("companies").join(format!("{stem}.toml")), text).unwrap();
    }
    dir
}

/// The position of company `id` in the bundled dataset.
fn index_of(core: &Core, id: &str) -> usize {
    core.bundle.index_of(id).unwrap()
}

fn errors(dir: &Path) -> Vec<String> {
    match load_dir(dir) {
        Ok(_) => vec![],
        Err(e) => {
            e.0.iter()
                .map(|e| {
                    let rel = e.file.strip_prefix(dir).unwrap_or(&e.file);
                    format!("{}:{}: {}", rel.display(), e.line, e.reason)
                })
                .collect()
        }
    }
}

#[test]
fn the_shipped_data_is_valid() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let dataset = load_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        dataset.companies.iter().filter(|c| !c.uncurated).count(),
        43
    );
    assert!(dataset.companies.iter().filter(|c| c.uncurated).count() > 1000);
    // The compiled form (the bundle's head and records) round-trips.
    assert_eq!(
        contract_lens::bundle::Bundle::of(&dataset).to_dataset(),
        dataset
    );
}

#[test]
fn a_good_file_loads() {
    let dir = data_dir("good", &[("acme", GOOD)]);
    assert_eq!(errors(&dir), Vec::<String>::new());
}

/// One row per kind of bad data: a change to the good file, and the error it must give.
#[test]
fn each_kind_of_bad_data_is_refused_with_file_line_and_reason() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "source without https",
            "url = \"https://example.org/acme\"",
            "url = \"http://example.org/acme\"",
            "companies/acme.toml:13: source \"http://example.org/acme\" is not an https address",
        ),
        (
            "bad date",
            "start = \"2020-01-01\"",
            "start = \"2020-02-30\"",
            "companies/acme.toml:9: start \"2020-02-30\" is not a date (YYYY-MM-DD)",
        ),
        (
            "end before start",
            "end = \"2021-01-01\"",
            "end = \"2019-01-01\"",
            "companies/acme.toml:10: end 2019-01-01 is before start 2020-01-01",
        ),
        (
            "negative amount",
            "reported_usd = 1000",
            "reported_usd = -5",
            "companies/acme.toml:8: reported_usd -5 is negative",
        ),
        (
            "unknown agency",
            "sub_agency = \"ICE\"",
            "sub_agency = \"XYZ\"",
            "companies/acme.toml:7: unknown agency \"XYZ\"",
        ),
        (
            "parent that does not exist",
            "aliases = [\"Acme Corp\"]",
            "aliases = [\"Acme Corp\"]\nparent = \"nobody\"",
            "companies/acme.toml:4: parent \"nobody\" is not a company id in the dataset",
        ),
        (
            "fact without a source",
            "[[statements.sources]]\nurl = \"https://example.org/acme-said\"\n",
            "",
            "companies/acme.toml:16: a fact in statements has no source",
        ),
        (
            "statement date",
            "date = \"2020-02-02\"",
            "date = \"02/02/2020\"",
            "companies/acme.toml:17: date \"02/02/2020\" is not a date (YYYY-MM-DD)",
        ),
        (
            "malformed TOML",
            "name = \"Acme\"",
            "name = \"Acme",
            "companies/acme.toml:2: invalid basic string",
        ),
        (
            "unknown field (a typo)",
            "reported_usd = 1000",
            "reportd_usd = 1000",
            "companies/acme.toml:8: unknown field `reportd_usd`",
        ),
        (
            "id differs from file name",
            "id = \"acme\"",
            "id = \"acme-two\"",
            "companies/acme.toml:1: id \"acme-two\" differs from the file name \"acme\"",
        ),
        (
            "ambiguous name that is no name",
            "aliases = [\"Acme Corp\"]",
            "aliases = [\"Acme Corp\"]\nambiguous = [\"Roadrunner\"]",
            "companies/acme.toml:4: ambiguous \"Roadrunner\" is neither the name nor an alias",
        ),
    ];
    for (what, from, to, want) in cases {
        assert!(GOOD.contains(from), "{what}: the good file has no {from:?}");
        let bad = GOOD.replacen(from, to, 1);
        let dir = data_dir(&what.replace(' ', "-"), &[("acme", &bad)]);
        let got = errors(&dir);
        assert!(
            got.iter().any(|e| e.starts_with(want)),
            "{what}: want an error starting {want:?}, got {got:?}"
        );
    }
}

#[test]
fn duplicate_ids_and_names_claimed_twice_are_refused() {
    let other = GOOD.replace("id = \"acme\"", "id = \"acme2\"");
    let dir = data_dir("dupes", &[("acme", GOOD), ("acme2", &other)]);
    let got = errors(&dir);
    assert!(
        got.contains(
            &"companies/acme2.toml:2: name \"Acme\" is also claimed by company \"acme\""
                .to_string()
        ),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|e| e.contains("\"Acme Corp\" is also claimed")),
        "{got:?}"
    );

    let same_id = GOOD.to_string();
    let dir = data_dir("same-id", &[("acme", GOOD)]);
    // Two files cannot share a stem, so a duplicate id shows as a mismatch with the file name.
    std::fs::write(dir.join("companies/zz.toml"), same_id).unwrap();
    let got = errors(&dir);
    assert!(
        got.iter()
            .any(|e| e.starts_with("companies/zz.toml:1: duplicate company id \"acme\"")),
        "{got:?}"
    );
}

#[test]
fn more_names_of_one_text_than_the_matcher_holds_are_refused_with_file_and_line() {
    // Each a different letter case of one text: the matcher holds them as one pattern, and
    // at most MOST_NAMES_OF_A_PATTERN names of one pattern (the build stopped with a panic
    // naming neither file nor line).
    let most = contract_lens::matcher::MOST_NAMES_OF_A_PATTERN;
    let cases = |count: usize| -> Vec<String> {
        (0..count)
            .map(|bits| {
                "quizzically"
                    .chars()
                    .enumerate()
                    .map(|(i, c)| {
                        if bits >> i & 1 == 1 {
                            c.to_ascii_uppercase()
                        } else {
                            c
                        }
                    })
                    .collect()
            })
            .collect()
    };
    let with_aliases = |count: usize| {
        let aliases: Vec<String> = cases(count).iter().map(|c| format!("{c:?}")).collect();
        GOOD.replace(
            "aliases = [\"Acme Corp\"]",
            &format!("aliases = [{}]", aliases.join(", ")),
        )
    };

    let dir = data_dir("most-names", &[("acme", &with_aliases(most))]);
    assert_eq!(errors(&dir), Vec::<String>::new());
    let matcher = contract_lens::matcher::Matcher::from_dataset(&load_dir(&dir).unwrap());
    assert_eq!(matcher.find("Quizzically won.").len(), 1);

    let dir = data_dir("too-many-names", &[("acme", &with_aliases(most + 1))]);
    let last = &cases(most + 1)[most];
    assert_eq!(
        errors(&dir),
        vec![format!(
            "companies/acme.toml:3: name {last:?} is the {}th name written as \"quizzically\" in some letter case: at most {most} may be",
            most + 1
        )]
    );
}

#[test]
fn hootsuite_card_shows_the_reseller_award_and_the_statements() {
    let core = Core::bundled();
    let index = index_of(&core, "hootsuite");
    let card = Card::of(&core.bundle, index).unwrap();
    let award = card
        .contracts
        .iter()
        .find(|k| k.reported_usd == Some(508_832.0))
        .expect("the DHS award of $508,832");
    assert_eq!(
        award.agency.as_deref(),
        Some("Department of Homeland Security")
    );
    assert_eq!(
        award.sub_agency.as_deref(),
        Some("U.S. Immigration and Customs Enforcement")
    );
    assert_eq!(
        award.recipient.as_deref(),
        Some("FCN, Inc. (Rockville, Md.)")
    );
    assert_eq!(award.start.as_deref(), Some("2020-09-18"));
    assert_eq!((award.base_years, award.option_years), (Some(1), Some(2)));
    assert!(award.sources.iter().all(|s| s.url.starts_with("https://")));
    let dates: Vec<&str> = card
        .statements
        .iter()
        .filter_map(|s| s.date.as_deref())
        .collect();
    assert!(
        dates.contains(&"2020-09-23") && dates.contains(&"2020-09-24"),
        "{dates:?}"
    );
    assert!(card
        .statements
        .iter()
        .any(|s| s.text.contains("decided not to")));
}

#[test]
fn a_recipient_that_is_the_company_itself_is_not_shown_as_a_reseller() {
    let core = Core::bundled();
    let index = index_of(&core, "palantir-technologies");
    let card = Card::of(&core.bundle, index).unwrap();
    assert!(card.contracts.iter().all(|k| k
        .recipient
        .as_deref()
        .is_none_or(|r| !r.to_uppercase().starts_with("PALANTIR"))));
    let github = index_of(&core, "github");
    assert_eq!(
        Card::of(&core.bundle, github).unwrap().parent.as_deref(),
        Some("Microsoft")
    );
}

#[test]
fn bad_spending_records_are_refused_with_file_line_and_reason() {
    let dir = data_dir("imported", &[("acme", GOOD)]);
    let header = "Agency,Award ID,Recipient Name,Federal Action Obligation,Action Date,Modification,Product/Service Description,NAICS Description,Transaction Description,Generated Award ID\n";
    let source = |rows: &str| {
        std::fs::write(dir.join("rows.csv"), format!("{header}{rows}")).unwrap();
        let settings = format!(
            "{SETTINGS}\n[[spending_sources]]\nid = \"rows\"\nname = \"Rows\"\nagencies = [\"ICE\"]\ngaps = \"none\"\nurl = \"https://example.org/rows\"\nfiles = [\"rows.csv\"]\nrow_links = \"https://example.org/rows\"\n"
        );
        std::fs::write(dir.join("dataset.toml"), settings).unwrap();
        errors(&dir)
    };
    let good = "ICE,X1,ACME CORP,100.0,2021-01-05,0,,,ACME WIDGETS,\n";
    assert_eq!(source(good), Vec::<String>::new());
    let cases = [
        (
            "ICE,X1,ACME CORP,lots,2021-01-05,0,,,ACME WIDGETS,\n",
            "rows.csv:2: amount \"lots\" is not a number",
        ),
        (
            "CBP,X1,ACME CORP,1.0,2021-01-05,0,,,ACME WIDGETS,\n",
            "rows.csv:2: unknown agency \"CBP\": add it to data/dataset.toml (usaspending_names)",
        ),
    ];
    for (row, expected) in cases {
        let got = source(row);
        assert!(got.iter().any(|e| e == expected), "{row}: {got:?}");
    }
    // A file the settings name must exist, and is reported at its line.
    std::fs::remove_file(dir.join("rows.csv")).unwrap();
    let settings = std::fs::read_to_string(dir.join("dataset.toml")).unwrap();
    let line = settings
        .lines()
        .position(|l| l.starts_with("files"))
        .unwrap()
        + 1;
    assert_eq!(
        errors(&dir),
        vec![format!("dataset.toml:{line}: no file rows.csv")]
    );
    // Awards come from the records, never from a curated file.
    let dir = data_dir(
        "awards-in-curated",
        &[(
            "acme",
            &GOOD.replace(
                "aliases = [\"Acme Corp\"]",
                "aliases = [\"Acme Corp\"]\nuncurated = true",
            ),
        )],
    );
    assert!(errors(&dir).iter().any(|e| e.starts_with(
        "companies/acme.toml:4: awards and uncurated companies come from the spending records"
    )));
}

#[test]
fn a_name_two_companies_share_must_be_marked_shared_by_both() {
    let other = GOOD
        .replace("id = \"acme\"", "id = \"acme2\"")
        .replace("name = \"Acme\"", "name = \"Acme Two\"");
    let dir = data_dir("shared-unmarked", &[("acme", GOOD), ("acme2", &other)]);
    assert!(errors(&dir)
        .iter()
        .any(|e| e.contains("\"Acme Corp\" is also claimed")));
    let mark = |text: &str| {
        text.replace(
            "aliases = [\"Acme Corp\"]",
            "aliases = [\"Acme Corp\"]\nshared = [\"Acme Corp\"]",
        )
    };
    let dir = data_dir(
        "shared-marked",
        &[("acme", &mark(GOOD)), ("acme2", &mark(&other))],
    );
    assert_eq!(errors(&dir), Vec::<String>::new());
    // A shared name marks neither company.
    let dataset = load_dir(&dir).unwrap();
    let matcher = contract_lens::matcher::Matcher::from_dataset(&dataset);
    assert!(matcher.find("Acme Corp won.").is_empty());
    assert_eq!(matcher.find("Acme Two won.").len(), 1);
}

#[test]
fn filters_keep_only_what_the_reader_chose() {
    use contract_lens::card::{Filters, Profile};
    let core = Core::bundled();
    let hootsuite = index_of(&core, "hootsuite");
    let all = Card::of(&core.bundle, hootsuite).unwrap();
    let cases = [
        // What the reader chose, and how many contracts and statements are left.
        (
            Filters::default(),
            all.contracts.len(),
            all.statements.len(),
        ),
        (
            Filters {
                hide_statements: true,
                ..Filters::default()
            },
            all.contracts.len(),
            0,
        ),
        (
            Filters {
                hide_contracts: true,
                ..Filters::default()
            },
            0,
            all.statements.len(),
        ),
        // The CBP contract goes with CBP; the two ICE ones stay.
        (
            Filters {
                hidden_agencies: vec!["CBP".into()],
                ..Filters::default()
            },
            2,
            all.statements.len(),
        ),
        // $508,832 and $95,000 are reported, and the records give the CBP award through Seneca
        // $1.68M obligated; at $100,000 the first and the last pass.
        (
            Filters {
                min_amount_usd: 100_000.0,
                ..Filters::default()
            },
            2,
            all.statements.len(),
        ),
    ];
    for (filters, contracts, statements) in cases {
        let card = Card::filtered(&core.bundle, hootsuite, &filters).unwrap();
        assert_eq!(
            (card.contracts.len(), card.statements.len()),
            (contracts, statements),
            "{filters:?}"
        );
        assert_eq!(card.summary.contracts, contracts);
    }
    // The cheap profile the marks use says what the card would: for every company, every case.
    let filters = [
        Filters::default(),
        Filters {
            hide_statements: true,
            ..Filters::default()
        },
        Filters {
            hide_contracts: true,
            ..Filters::default()
        },
        Filters {
            hidden_agencies: vec!["ICE".into()],
            ..Filters::default()
        },
        Filters {
            min_amount_usd: 1_000_000.0,
            ..Filters::default()
        },
    ];
    for f in &filters {
        for index in 0..core.bundle.company_count() {
            let card = Card::filtered(&core.bundle, index, f).unwrap();
            let profile = Profile::of(&core.bundle, index, f).unwrap();
            assert_eq!(profile.shown, !card.is_empty(), "{} {f:?}", card.id);
            assert_eq!(
                profile.statements,
                !card.statements.is_empty(),
                "{} {f:?}",
                card.id
            );
            assert_eq!(profile.name, card.name);
        }
    }
    let nothing = Filters {
        hide_contracts: true,
        hide_statements: true,
        ..Filters::default()
    };
    assert!(Card::filtered(&core.bundle, hootsuite, &nothing)
        .unwrap()
        .is_empty());
}

#[test]
fn the_timeline_puts_the_award_before_the_statements() {
    let core = Core::bundled();
    let hootsuite = index_of(&core, "hootsuite");
    let card = Card::of(&core.bundle, hootsuite).unwrap();
    let events: Vec<(&str, &str)> = card
        .timeline
        .iter()
        .map(|e| (e.date.as_str(), e.kind))
        .collect();
    assert_eq!(
        &events[..4],
        &[
            ("2020-09-18", "award"),
            ("2020-09-23", "statement"),
            ("2020-09-23", "statement"),
            ("2020-09-24", "statement")
        ]
    );
    // Dates only ever go forward.
    assert!(card.timeline.windows(2).all(|w| w[0].date <= w[1].date));
    // A big contractor's timeline stays short.
    let dell = index_of(&core, "dell");
    assert!(Card::of(&core.bundle, dell).unwrap().timeline.len() <= 16);
}

/// Every contract of a card is on its opening card exactly once, shown or behind a slice, in
/// the card's order; each year's sums are its awards'.
#[test]
fn an_opening_card_covers_every_contract_once() {
    use contract_lens::card::{FIRST_ENTRIES, FIRST_ORDERS};
    let core = Core::bundled();
    for id in ["fcn-inc", "dell", "hootsuite"] {
        let card = Card::of(&core.bundle, index_of(&core, id)).unwrap();
        let opening = card.opening();
        assert_eq!(opening.summary, card.summary);
        let mut seen = Vec::new();
        for entry in &opening.entries {
            let at = seen.len();
            assert_eq!(entry.contract, card.contracts[at], "{id}");
            assert!(!entry.contract.under_vehicle);
            seen.push(at);
            assert!(entry.orders.len() <= FIRST_ORDERS);
            for order in &entry.orders {
                assert!(order.under_vehicle);
                assert_eq!(*order, card.contracts[seen.len()], "{id}");
                seen.push(seen.len());
            }
            if let Some(more) = entry.more_orders {
                assert_eq!(entry.orders.len(), FIRST_ORDERS);
                assert_eq!(more.from, seen.len());
                let orders = card.contracts_in(more).unwrap();
                assert!(orders.iter().all(|k| k.under_vehicle));
                seen.extend(more.from..more.to);
            }
        }
        assert!(opening.entries.len() <= FIRST_ENTRIES);
        for group in &opening.years {
            let mut obligated = 0.0;
            let mut awards = 0;
            for slice in &group.entries {
                let contracts = card.contracts_in(*slice).unwrap();
                assert!(!contracts[0].under_vehicle);
                assert!(contracts[1..].iter().all(|k| k.under_vehicle));
                let first = &contracts[0];
                let began = first.start.as_ref().or(first.first_action.as_ref());
                let began = began.or(first.end.as_ref()).map(|d| d[..4].to_string());
                assert_eq!(began, group.year, "{id}");
                awards += contracts.len();
                obligated += contracts
                    .iter()
                    .filter_map(|k| k.obligated_usd)
                    .sum::<f64>();
                seen.extend(slice.from..slice.to);
            }
            assert_eq!(group.awards, awards);
            assert!((group.obligated_usd - obligated).abs() < 0.01, "{id}");
        }
        seen.sort_unstable();
        assert_eq!(seen, (0..card.contracts.len()).collect::<Vec<_>>(), "{id}");
        // Each year appears once.
        let years: std::collections::BTreeSet<_> = opening.years.iter().map(|g| &g.year).collect();
        assert_eq!(years.len(), opening.years.len());
    }
    let fcn = Card::of(&core.bundle, index_of(&core, "fcn-inc")).unwrap();
    assert!(fcn.opening().years.len() > 1, "FCN's awards span years");
    let small = serde_json::to_string(&fcn.opening()).unwrap().len();
    let whole = serde_json::to_string(&fcn).unwrap().len();
    assert!(small * 10 < whole, "opening {small} bytes, whole {whole}");
    assert!(fcn
        .contracts_in(contract_lens::card::Slice {
            from: 0,
            to: fcn.contracts.len() + 1
        })
        .is_none());
}

/// The timeline names its awards itself: an opening card lacks most of the contracts.
#[test]
fn the_timeline_says_what_each_award_is() {
    let core = Core::bundled();
    let card = Card::of(&core.bundle, index_of(&core, "fcn-inc")).unwrap();
    let awards: Vec<_> = card.timeline.iter().filter(|e| e.kind == "award").collect();
    assert!(!awards.is_empty());
    for event in awards {
        let k = &card.contracts[event.index];
        let brief = event.award.as_ref().unwrap();
        assert_eq!(brief.agency, k.sub_agency.clone().or(k.agency.clone()));
        assert_eq!(brief.recipient, k.recipient);
        assert_eq!(brief.description, k.description);
    }
    assert!(card
        .timeline
        .iter()
        .filter(|e| e.kind == "statement")
        .all(|e| e.award.is_none()));
}

#[test]
fn the_committed_sources_match_their_checksums() {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let sources = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sources");
    let mut checked = 0;
    for dir in std::fs::read_dir(&sources).unwrap() {
        let dir = dir.unwrap().path();
        let Ok(sums) = std::fs::read_to_string(dir.join("SHA256SUMS")) else {
            continue;
        };
        for line in sums.lines() {
            let (sum, name) = line.split_once("  ").unwrap();
            // Each file is kept gzip-compressed unless it is small; the sum is of its text.
            let gz = dir.join(format!("{name}.gz"));
            let mut bytes = Vec::new();
            if gz.exists() {
                flate2::read::GzDecoder::new(std::fs::File::open(&gz).unwrap())
                    .read_to_end(&mut bytes)
                    .unwrap();
            } else {
                bytes = std::fs::read(dir.join(name)).unwrap();
            }
            let got: String = Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(got, sum, "{}", dir.join(name).display());
            checked += 1;
        }
    }
    assert!(checked >= 19, "{checked} files checked");
}

#[test]
fn a_page_scan_applies_the_readers_options_in_one_call() {
    use contract_lens::card::{Filters, ScanOptions};
    let core = Core::bundled();
    let hootsuite = index_of(&core, "hootsuite");
    let palantir = index_of(&core, "palantir-technologies");
    let blocks = [
        "Hootsuite and Palantir Technologies. Hootsuite again.",
        "Hootsuite in a second block.",
    ];
    let companies_of = |options: &ScanOptions| {
        let page = core.scan_page(&blocks, options);
        let mentioned: Vec<usize> = page.mentions.iter().map(|m| m.company).collect();
        let listed: Vec<usize> = page.companies.iter().map(|c| c.company).collect();
        (mentioned, listed)
    };
    // Cases: the options, the companies of the mentions kept, the companies listed.
    let cases = [
        (
            ScanOptions::default(),
            vec![hootsuite, palantir, hootsuite, hootsuite],
            vec![hootsuite, palantir],
        ),
        (
            ScanOptions {
                first_per_block: true,
                ..ScanOptions::default()
            },
            vec![hootsuite, palantir, hootsuite],
            vec![hootsuite, palantir],
        ),
        (
            ScanOptions {
                dismissed: vec!["hootsuite".into()],
                ..ScanOptions::default()
            },
            vec![palantir],
            vec![palantir],
        ),
        // Nothing left to show: no contracts shown, and Palantir's statements hidden too.
        (
            ScanOptions {
                filters: Filters {
                    hide_contracts: true,
                    hide_statements: true,
                    ..Filters::default()
                },
                ..ScanOptions::default()
            },
            vec![],
            vec![],
        ),
    ];
    for (options, mentioned, listed) in cases {
        assert_eq!(companies_of(&options), (mentioned, listed), "{options:?}");
    }
    let page = core.scan_page(&blocks, &ScanOptions::default());
    let first = &page.companies[0];
    assert_eq!(first.name, "Hootsuite");
    assert_eq!(first.id, "hootsuite");
    assert!(first.statements, "Hootsuite's marks say it made statements");
}

#[test]
fn a_statement_about_an_agency_must_be_backed_by_its_words_or_sources() {
    let with = |agencies: &str, text: &str| {
        GOOD.replace(
            "text = \"We are proud.\"",
            &format!("text = \"{text}\"\nagencies = {agencies}"),
        )
    };
    // Cases: the statement's agencies and words, and the error (none: it is backed).
    let cases = [
        ("[\"ICE\"]", "We will not work with ICE.", None),
        (
            "[\"ICE\"]",
            "Not with Immigrations and Customs Enforcement.",
            None,
        ),
        ("[\"DHS\"]", "Homeland Security is a client.", None),
        ("[\"ICE\"]", "We are proud.", Some("never name ICE")),
        ("[\"XYZ\"]", "XYZ.", Some("unknown agency \"XYZ\"")),
    ];
    for (agencies, text, expected) in cases {
        let dir = data_dir("statement-agencies", &[("acme", &with(agencies, text))]);
        let got = errors(&dir);
        match expected {
            None => assert_eq!(got, Vec::<String>::new(), "{text}"),
            Some(reason) => assert!(
                got.iter()
                    .any(|e| e.starts_with("companies/acme.toml:") && e.contains(reason)),
                "{text}: {got:?}"
            ),
        }
    }
}

#[test]
fn after_a_statement_the_card_puts_the_later_awards_of_its_department() {
    let core = Core::bundled();
    // Hootsuite said in September 2020 it would not do business with ICE; the records show one
    // later DHS award for Hootsuite, to CBP via Seneca Strategic Partners, 2024 to 2026.
    let card = Card::of(&core.bundle, index_of(&core, "hootsuite")).unwrap();
    let about_ice: Vec<_> = card
        .statements
        .iter()
        .zip(&card.after_statements)
        .filter(|(s, _)| s.agencies == ["ICE"])
        .collect();
    assert_eq!(about_ice.len(), 4);
    for (statement, after) in about_ice {
        let after = after.as_ref().expect("dated and about ICE");
        assert_eq!(after.date, statement.date.clone().unwrap());
        assert_eq!(after.departments, ["Department of Homeland Security"]);
        assert_eq!(after.awards, 1);
        assert_eq!(after.award_ids, ["70B06C24C00000048"]);
        assert_eq!(after.agencies, ["U.S. Customs and Border Protection"]);
        assert_eq!(after.via, ["SENECA STRATEGIC PARTNERS, LLC"]);
        assert_eq!(
            (after.first_year, after.last_year),
            (Some(2024), Some(2026))
        );
        assert!(after.obligated_usd > 1_000_000.0);
    }
    // The FCN order began on 2020-09-18, before the statements: not after them.
    assert!(card
        .contracts
        .iter()
        .any(|k| k.start.as_deref() == Some("2020-09-18")));
    // Undated statements, and those about no agency, get no line.
    for (statement, after) in card.statements.iter().zip(&card.after_statements) {
        if statement.date.is_none() || statement.agencies.is_empty() {
            assert!(after.is_none());
        }
    }
    // A statement after every award: the line says there is none.
    let late = GOOD
        .replace(
            "text = \"We are proud.\"",
            "text = \"No more work with ICE.\"\nagencies = [\"ICE\"]",
        )
        .replace("date = \"2020-02-02\"", "date = \"2022-02-02\"");
    let dataset = load_dir(&data_dir("after-none", &[("acme", &late)])).unwrap();
    let card = Card::of(&dataset, 0).unwrap();
    let after = card.after_statements[0].as_ref().unwrap();
    assert_eq!((after.awards, after.award_ids.len()), (0, 0));
    // A statement made before the award began: the award is after it.
    let early = late.replace("date = \"2022-02-02\"", "date = \"2019-12-31\"");
    let dataset = load_dir(&data_dir("after-one", &[("acme", &early)])).unwrap();
    let card = Card::of(&dataset, 0).unwrap();
    assert_eq!(card.after_statements[0].as_ref().unwrap().awards, 1);
}

#[test]
fn every_note_on_a_card_is_written_for_a_reader() {
    let core = Core::bundled();
    // An importer's vocabulary: column names, assignments, row counts.
    let is_method = |note: &str| {
        note.contains(" = ")
            || note.contains("transaction row(s)")
            || note.contains("PIID in FY")
            || note
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|w| w.contains('_') && w.chars().any(char::is_lowercase))
    };
    let mut methods = 0;
    for index in 0..core.bundle.company_count() {
        let card = Card::of(&core.bundle, index).unwrap();
        for k in &card.contracts {
            if let Some(note) = &k.note {
                assert!(!is_method(note), "{}: {note}", card.id);
            }
            methods += usize::from(k.method.is_some());
        }
    }
    // The method is kept, for maintainers (`data show`).
    assert!(methods >= 50, "{methods} contracts keep their method");
}

#[test]
fn the_core_starts_and_scans_without_decoding_a_record_and_cards_decode_only_theirs() {
    use contract_lens::card::{Card, Filters};
    let core = Core::bundled();
    assert_eq!(
        core.bundle.inflations(),
        0,
        "start-up decodes the head only"
    );
    let scan = core.scan_page(
        &["Hootsuite sold licences to ICE through FCN Inc., a reseller."],
        &Default::default(),
    );
    let named: std::collections::BTreeSet<usize> =
        scan.mentions.iter().map(|m| m.company).collect();
    assert_eq!(named.len(), 2);
    // Marks are answered from the head: no record was decoded.
    assert_eq!(core.bundle.inflations(), 0, "a scan decodes no record");
    // A card decodes its company's chunk, once: the next card of the same chunk is held.
    let hootsuite = *named.iter().next().unwrap();
    assert!(Card::filtered(&core.bundle, hootsuite, &Filters::default()).is_some());
    assert_eq!(core.bundle.inflations(), 1);
    assert!(Card::of(&core.bundle, hootsuite).is_some());
    assert_eq!(core.bundle.inflations(), 1);
    // Every card of the dataset asked for: what is held stays a few chunks.
    for index in 0..core.bundle.company_count() {
        assert!(Card::of(&core.bundle, index).is_some(), "company {index}");
    }
    assert!(
        core.bundle.chunks_held() <= 4,
        "{} held",
        core.bundle.chunks_held()
    );
    // Every record decodes to what the build bundled: the bundle holds the dataset whole.
    let dataset = core.bundle.to_dataset();
    assert_eq!(dataset.companies.len(), core.bundle.company_count());
    assert_eq!(
        contract_lens::bundle::Bundle::of(&dataset).to_dataset(),
        dataset
    );
}

#[test]
fn bytes_that_are_not_a_bundle_are_an_error_not_a_panic() {
    use contract_lens::bundle::Bundle;
    use std::borrow::Cow;
    let head = contract_lens::BUNDLED_HEAD;
    let records = contract_lens::BUNDLED_RECORDS;
    assert!(Bundle::from_parts(&head[..head.len() / 2], Cow::Borrowed(records)).is_err());
    // Records cut short: the head's chunks no longer fit.
    assert!(Bundle::from_parts(head, Cow::Borrowed(&records[..records.len() / 2])).is_err());
    // Records of another build (bytes differ, or one byte, first, in the middle or among
    // the last few, which the checksum reads apart from the eight-byte words): refused, with
    // the reason.
    let mut other = records.to_vec();
    other[..64].fill(0xff);
    let error = Bundle::from_parts(head, Cow::Owned(other)).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("not the ones its head was built with"),
        "{error}"
    );
    for at in [0, records.len() / 2, records.len() - 1] {
        let mut other = records.to_vec();
        other[at] ^= 0x01;
        assert!(
            Bundle::from_parts(head, Cow::Owned(other)).is_err(),
            "a byte changed at {at} of {}",
            records.len()
        );
    }
    // A head alone: scans work, cards wait for the records, and a refused attach changes
    // nothing.
    let bundle = Bundle::from_head(head).unwrap();
    assert!(bundle.company_at(0).is_none());
    assert!(contract_lens::card::Card::of(&bundle, 0).is_none());
    assert!(bundle.attach_records(Cow::Borrowed(&records[1..])).is_err());
    assert!(!bundle.has_records());
    bundle.attach_records(Cow::Borrowed(records)).unwrap();
    assert!(bundle.company_at(bundle.company_count() - 1).is_some());
}

#[test]
fn the_embedded_head_read_in_place_is_the_head_copied() {
    use contract_lens::bundle::Bundle;
    use contract_lens::dataset::Facts;
    let in_place = Bundle::from_static_head(contract_lens::BUNDLED_HEAD).unwrap();
    // from_head copies what it reads, whatever the bytes.
    let copied = Bundle::from_head(contract_lens::BUNDLED_HEAD).unwrap();
    assert_eq!(in_place.company_count(), copied.company_count());
    assert!(in_place.company_count() > 5000);
    for company in 0..in_place.company_count() {
        assert_eq!(in_place.company_head(company), copied.company_head(company));
        let facts = in_place.mark_facts(company);
        assert!(facts.is_some(), "company {company}'s mark facts");
        assert_eq!(facts, copied.mark_facts(company));
    }
    let (id, name) = in_place.company_head(0).unwrap();
    assert_eq!(in_place.company_name(id), Some(name));
    assert_eq!(in_place.index_of(id), Some(0));
}

#[test]
fn damaged_mark_facts_in_a_head_are_none_not_a_panic() {
    use contract_lens::bundle::Bundle;
    use contract_lens::dataset::{BundleHead, Facts, PackedMarkFactsBytes};
    use std::borrow::Cow;
    let mut head: BundleHead = postcard::from_bytes(contract_lens::BUNDLED_HEAD).unwrap();
    // Past the end of its bytes, then an agency code that is not in the head's codes.
    head.mark_facts[0] = PackedMarkFactsBytes(Cow::Owned(vec![0x01, 0x05]));
    head.mark_facts[1] = PackedMarkFactsBytes(Cow::Owned(vec![0x00, 0x01, 0xfe, 0x7f, 0x00, 0x00]));
    let bytes = postcard::to_allocvec(&head).unwrap();
    let bundle = Bundle::from_head(&bytes).unwrap();
    assert_eq!(bundle.mark_facts(0), None);
    assert_eq!(bundle.mark_facts(1), None);
    assert!(bundle.mark_facts(2).is_some());
}
