//! The import of spending records, on the real rows in data/sources/ (ICE FY2013-2018 in the
//! headerless 2018 schema; CBP and ICE FY2021-2026 from the USAspending API) and on a download
//! in the current schema. Each figure rule is checked against the raw rows, read here without
//! the importer; each test names the defect it guards against.

use contract_lens::card::Card;
use contract_lens::dataset::Dataset;
use contract_lens::import::{import, to_toml, Imported, ImportedCompany, SourceConfig};
use contract_lens::load::{load_curated, spending_sources};
use contract_lens::names::name_key;
use contract_lens::Core;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn data() -> PathBuf {
    root().join("data")
}

fn curated() -> Dataset {
    load_curated(&data()).unwrap_or_else(|e| panic!("{e}"))
}

fn sources() -> Vec<SourceConfig> {
    spending_sources(&data()).unwrap()
}

/// The shipped import, made once for all tests.
fn imported() -> &'static Imported {
    static IMPORTED: OnceLock<Imported> = OnceLock::new();
    IMPORTED.get_or_init(|| import(&curated(), &sources()).unwrap())
}

/// The bundled core, decoded once for all tests.
fn core() -> &'static Core {
    static CORE: OnceLock<Core> = OnceLock::new();
    CORE.get_or_init(Core::bundled)
}

/// The card of company `id` in the bundled data.
fn card(id: &str) -> Card {
    let index = core()
        .bundle
        .index_of(id)
        .unwrap_or_else(|| panic!("no company {id}"));
    Card::of(&core().bundle, index).unwrap()
}

fn gunzip(path: &Path) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// A transaction as the raw files write it, read without the importer.
#[derive(Debug, Clone)]
struct Raw {
    piid: String,
    modification: String,
    obligation: f64,
    action_date: String,
    recipient: String,
    duns: String,
    /// The 2018 rows' current end date, as written (DD/MM/YY).
    end: String,
}

fn raw_rows() -> &'static Vec<Raw> {
    static ROWS: OnceLock<Vec<Raw>> = OnceLock::new();
    ROWS.get_or_init(|| {
        let mut rows = Vec::new();
        for year in 13..=18 {
            let text = gunzip(&data().join(format!("sources/torn-apart-ice/fy{year}.csv.gz")));
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            for r in reader.records() {
                let r = r.unwrap();
                // Columns A, B, H, M, O, AH, AI of the dictionary; a stray header line is no row.
                if &r[0] == "award_id_piid" {
                    continue;
                }
                let (d, m, y) = {
                    let mut p = r[12].split('/');
                    (p.next().unwrap(), p.next().unwrap(), p.next().unwrap())
                };
                rows.push(Raw {
                    piid: r[0].to_string(),
                    modification: r[1].to_string(),
                    obligation: r[7].trim().parse().unwrap_or(0.0),
                    action_date: format!("{y}-{m}-{d}"),
                    recipient: r[34].to_string(),
                    duns: r[33].trim_start_matches('0').to_string(),
                    end: r[14].to_string(),
                });
            }
        }
        let mut seen = BTreeSet::new();
        for year in 2021..=2026 {
            let text = gunzip(&data().join(format!("sources/cbp-ice-fy2021-2026/fy{year}.csv.gz")));
            let mut reader = csv::Reader::from_reader(text.as_bytes());
            for r in reader.records() {
                let r = r.unwrap();
                // Exact copies are dropped (NOTE.md: the API's paging repeats 148 rows).
                if !seen.insert(r.iter().map(str::to_string).collect::<Vec<_>>()) {
                    continue;
                }
                rows.push(Raw {
                    piid: r[1].to_string(),
                    modification: r[5].to_string(),
                    obligation: r[3].parse().unwrap(),
                    action_date: r[4].to_string(),
                    recipient: r[2].to_string(),
                    duns: String::new(),
                    end: String::new(),
                });
            }
        }
        rows
    })
}

fn by_award() -> BTreeMap<&'static str, Vec<&'static Raw>> {
    let mut awards: BTreeMap<&str, Vec<&Raw>> = BTreeMap::new();
    for r in raw_rows() {
        awards.entry(&r.piid).or_default().push(r);
    }
    awards
}

fn awards() -> impl Iterator<Item = &'static contract_lens::dataset::Contract> {
    imported().companies.iter().flat_map(|c| &c.awards)
}

fn award(piid: &str) -> &'static contract_lens::dataset::Contract {
    static BY_ID: OnceLock<BTreeMap<&str, &contract_lens::dataset::Contract>> = OnceLock::new();
    BY_ID
        .get_or_init(|| {
            awards()
                .filter_map(|a| Some((a.award_id.as_deref()?, a)))
                .collect()
        })
        .get(piid)
        .unwrap_or_else(|| panic!("no award {piid}"))
}

fn company(id: &str) -> &'static ImportedCompany {
    imported()
        .companies
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no company {id}"))
}

fn company_of(recipient: &str) -> &'static str {
    imported()
        .company_of
        .get(recipient)
        .unwrap_or_else(|| panic!("no company for {recipient}"))
}

fn cents(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[test]
fn every_row_of_both_sources_lands_in_an_award_of_its_recipients_company() {
    let imported = imported();
    assert_eq!(imported.rows, raw_rows().len());
    assert_eq!(imported.rows, 5672 + 63095 - 148);
    assert_eq!(imported.duplicates, 148, "exact copies dropped (NOTE.md)");
    assert_eq!(awards().count(), by_award().len(), "one award per award id");
    for r in raw_rows() {
        let found = imported.companies.iter().any(|c| {
            c.recipients.contains(&r.recipient)
                && c.awards
                    .iter()
                    .any(|a| a.award_id.as_deref() == Some(r.piid.as_str()))
        });
        assert!(
            found,
            "{}: award {} is not under its company",
            r.recipient, r.piid
        );
    }
    // Awards that run across both sources are one award on one card.
    let both = awards().filter(|a| a.spending_sources.len() == 2).count();
    assert!(both > 1000, "{both} awards with rows in both sources");
}

#[test]
fn only_a_base_award_gives_a_start() {
    // Before: the earliest modification's period start was shown as the start (1,509 awards).
    let mut without_base = 0;
    for (piid, rows) in by_award() {
        let a = award(piid);
        let has_base = rows.iter().any(|r| r.modification == "0");
        assert_eq!(a.start.is_some(), has_base, "{piid}");
        let first = rows.iter().map(|r| &r.action_date).min().unwrap();
        assert_eq!(a.first_action.as_ref(), Some(first), "{piid}");
        without_base += usize::from(!has_base);
    }
    assert!(without_base > 1500, "{without_base}");
    // A curated blank stays blank: CoreCivic's note says "start left null".
    let corecivic = card("corecivic");
    let k = corecivic
        .contracts
        .iter()
        .find(|k| k.award_id.as_deref() == Some("HSCEDM09D00007"))
        .unwrap();
    assert_eq!(k.start, None);
    assert!(k.first_action.is_some());
}

#[test]
fn obligations_are_the_net_of_the_rows_with_deobligations_apart() {
    let mut none = 0;
    for (piid, rows) in by_award() {
        let a = award(piid);
        let net = cents(rows.iter().map(|r| r.obligation).sum());
        let negative = cents(-rows.iter().map(|r| r.obligation.min(0.0)).sum::<f64>());
        if rows.iter().all(|r| r.obligation == 0.0) {
            // Before: "$0.00 obligated" (837 awards); now: no obligations in these records.
            assert_eq!(a.obligated_usd, None, "{piid}");
            none += 1;
        } else {
            // Before: a net de-obligation showed no figure, and company totals skipped it.
            assert_eq!(a.obligated_usd, Some(net), "{piid}");
        }
        assert_eq!(
            a.deobligated_usd,
            (negative > 0.0).then_some(negative),
            "{piid}"
        );
    }
    assert!(none > 800, "{none}");
    // Company totals are the net of their rows ($31.2M overstated before).
    let core = core();
    let net_of: BTreeMap<&str, f64> = by_award()
        .into_iter()
        .map(|(piid, rows)| (piid, rows.iter().map(|r| r.obligation).sum()))
        .collect();
    for (index, c) in core.bundle.companies().filter(|(_, c)| c.uncurated) {
        let rows: f64 = c
            .awards
            .iter()
            .filter_map(|a| net_of.get(a.award_id.as_deref()?))
            .sum();
        let card = Card::of(&core.bundle, index).unwrap();
        assert!(
            (card.summary.obligated_usd - rows).abs() < 0.02,
            "{}: {} vs {rows}",
            c.id,
            card.summary.obligated_usd
        );
    }
    // Notes are kept beside de-obligations (HSCEMD09J00240 lost its note before).
    let a = award("HSCEMD09J00240");
    assert!(a.deobligated_usd.is_some());
}

#[test]
fn modifications_are_never_fewer_than_the_highest_seen() {
    for (piid, rows) in by_award() {
        let a = award(piid);
        assert_eq!(a.actions, Some(rows.len() as u32), "{piid}");
        let number = |m: &str| -> u64 {
            m.chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .unwrap_or(0)
        };
        let highest = rows.iter().map(|r| number(&r.modification)).max().unwrap();
        let shown = a.latest_modification.as_deref().map_or(0, number);
        assert_eq!(shown, highest, "{piid}");
    }
}

#[test]
fn the_end_is_the_latest_actions_end() {
    // Before: the latest end ever given (83 awards differ).
    let mut differ = 0;
    for (piid, rows) in by_award() {
        let dated: Vec<&&Raw> = rows.iter().filter(|r| !r.end.is_empty()).collect();
        let Some(latest) = dated.iter().max_by_key(|r| &r.action_date) else {
            continue;
        };
        if dated
            .iter()
            .filter(|r| r.action_date == latest.action_date)
            .count()
            > 1
        {
            continue; // Two actions on the latest day: the file order decides.
        }
        let (d, m, y) = {
            let day = latest.end.split(' ').next().unwrap();
            let mut p = day.split('/');
            (p.next().unwrap(), p.next().unwrap(), p.next().unwrap())
        };
        let expected = format!("20{y}-{m}-{d}");
        let a = award(piid);
        if a.note.is_none() {
            assert_eq!(a.end.as_deref(), Some(expected.as_str()), "{piid}");
        }
        let max_end = dated
            .iter()
            .map(|r| {
                let day = r.end.split(' ').next().unwrap();
                let p: Vec<&str> = day.split('/').collect();
                format!("20{}-{}-{}", p[2], p[1], p[0])
            })
            .max()
            .unwrap();
        differ += usize::from(max_end != expected);
    }
    assert!(differ >= 80, "{differ}");
}

#[test]
fn a_vehicles_ceiling_is_never_added_to_its_orders() {
    let core = core();
    let mut checked = 0;
    for (index, company) in core.bundle.companies() {
        let vehicles: BTreeSet<&str> = company
            .awards
            .iter()
            .filter(|a| a.vehicle && a.via_evidence.is_none())
            .filter_map(|a| a.award_id.as_deref())
            .collect();
        let orders = company
            .awards
            .iter()
            .filter(|a| {
                a.parent_award_id
                    .as_deref()
                    .is_some_and(|p| vehicles.contains(p))
            })
            .count();
        if orders == 0 {
            continue;
        }
        let card = Card::of(&core.bundle, index).unwrap();
        let expected: f64 = card
            .contracts
            .iter()
            .filter(|k| k.via_evidence.is_none())
            .filter(|k| {
                !k.parent_award_id
                    .as_deref()
                    .is_some_and(|p| vehicles.contains(p))
            })
            .filter_map(|k| k.potential_usd)
            .sum();
        // Shown under their vehicle: each order right after it or after another of its orders.
        for (i, k) in card.contracts.iter().enumerate() {
            let parent = k
                .parent_award_id
                .as_deref()
                .filter(|p| vehicles.contains(p));
            assert_eq!(
                k.under_vehicle,
                parent.is_some() && !k.vehicle,
                "{}",
                company.id
            );
            if let Some(parent) = parent.filter(|_| k.under_vehicle) {
                let head = card.contracts[..i]
                    .iter()
                    .rev()
                    .find(|h| !h.under_vehicle)
                    .unwrap();
                assert_eq!(head.award_id.as_deref(), Some(parent), "{}", company.id);
            }
        }
        assert!(
            (card.summary.potential_usd - expected).abs() < 0.01,
            "{}",
            company.id
        );
        checked += 1;
    }
    assert!(
        checked >= 10,
        "{checked} companies with orders under their own vehicles"
    );
}

#[test]
fn one_company_one_card_across_spellings_duns_and_parents() {
    for (recipient, id) in [
        ("DELL MARKETING LIMITED PARTNERSHIP", "dell"),
        ("DELL MARKETING L.P.", "dell"),
        ("MOTOROLA INCORPORATED", "motorola-solutions"),
        (
            "BOOZ ALLEN HAMILTON ENGINEERING SERVICES LLC",
            "booz-allen-hamilton",
        ),
    ] {
        assert_eq!(company_of(recipient), id, "{recipient}");
    }
    assert_eq!(
        company_of("SYSTEMS RESEARCH AND APPLICATI"),
        company_of("SYSTEMS RESEARCH AND APPLICATIONS CORPORATION")
    );
    // No two companies share a DUNS.
    let mut company_of_duns: BTreeMap<&str, &str> = BTreeMap::new();
    for r in raw_rows().iter().filter(|r| !r.duns.is_empty()) {
        let id = company_of(&r.recipient);
        let other = company_of_duns.entry(&r.duns).or_insert(id);
        assert_eq!(*other, id, "DUNS {}", r.duns);
    }
    // Readable names keep acronyms, and a company is never owned by a spelling of itself.
    for c in imported().companies.iter().filter(|c| c.name.is_some()) {
        if let Some(parent) = &c.parent_name {
            assert!(
                !c.recipients.iter().any(|r| name_key(r) == name_key(parent)),
                "{} owned by {parent}",
                c.id
            );
        }
    }
    let abm = company(company_of("ABM INDUSTRIES INCORPORATED"));
    let name = abm.name.as_deref().unwrap();
    assert!(name.starts_with("ABM Industries"), "{name}");
}

#[test]
fn each_source_has_its_own_dates() {
    let dates: Vec<(&str, &str, &str)> = imported()
        .sources
        .iter()
        .map(|s| {
            (
                s.id.as_str(),
                s.first_action.as_str(),
                s.last_action.as_str(),
            )
        })
        .collect();
    assert_eq!(
        dates,
        [
            ("torn-apart-ice", "2012-10-10", "2018-06-30"),
            ("usaspending-cbp-ice-2021", "2020-10-01", "2026-08-20"),
        ]
    );
}

#[test]
fn the_hootsuite_resale_to_cbp_is_on_hootsuites_card_and_senecas() {
    let seneca = company_of("SENECA STRATEGIC PARTNERS, LLC");
    assert_eq!(seneca, "seneca-strategic-partners");
    let resale = company("hootsuite")
        .via
        .iter()
        .find(|a| a.award_id.as_deref() == Some("70B06C24C00000048"))
        .expect("the CBP award via Seneca");
    assert_eq!(
        resale.recipient.as_deref(),
        Some("SENECA STRATEGIC PARTNERS, LLC")
    );
    assert_eq!(resale.start.as_deref(), Some("2024-07-30"));
    assert_eq!(resale.last_action.as_deref(), Some("2026-08-13"));
    assert_eq!(resale.latest_modification.as_deref(), Some("P00003"));
    assert_eq!(resale.obligated_usd, Some(1_683_292.56));
    assert!(resale
        .via_evidence
        .as_deref()
        .unwrap()
        .contains("HOOTSUITE"));
    assert_eq!(
        resale.award_url.as_deref(),
        Some("https://www.usaspending.gov/award/CONT_AWD_70B06C24C00000048_7014_-NONE-_-NONE-/")
    );
    assert!(company(seneca)
        .awards
        .iter()
        .any(|a| a.award_id.as_deref() == Some("70B06C24C00000048")));
    // On the card, on one timeline with the 2020 statements and the 2020 FCN award.
    let card = card("hootsuite");
    let dates: Vec<&str> = card.timeline.iter().map(|e| e.date.as_str()).collect();
    assert!(
        dates.contains(&"2020-09-18") && dates.contains(&"2020-09-24"),
        "{dates:?}"
    );
    let cbp = card
        .contracts
        .iter()
        .find(|k| k.award_id.as_deref() == Some("70B06C24C00000048"))
        .unwrap();
    assert!(cbp.via_evidence.is_some() && cbp.last_action.as_deref() == Some("2026-08-13"));
    assert_eq!(card.summary.via_awards, 1);
}

#[test]
fn a_word_that_merely_looks_like_a_name_attributes_nothing() {
    // "Amazon" is ambiguous: a record of "AMAZON" without a sign of the company is not
    // attributed, and nothing bought from a company is attributed to itself.
    for c in &imported().companies {
        for a in &c.via {
            assert_ne!(company_of(a.recipient.as_deref().unwrap()), c.id);
        }
    }
    let dataset = curated();
    let finder = contract_lens::import::resellers::Finder::new(&dataset);
    assert!(finder
        .makers(&["AMAZON BASIN FIELD KIT".to_string()], "someone")
        .is_empty());
    assert!(finder
        .makers(&["HOOTSUITE LICENSES".to_string()], "someone")
        .iter()
        .any(|(id, _)| id == "hootsuite"));
    // A product named in the record, with its source in the company's data, attributes too.
    let azure = company("microsoft")
        .via
        .iter()
        .find(|a| a.award_id.as_deref() == Some("70CTD019FC0000076"))
        .expect("AZURE CLOUD SOFTWARE via Dell Federal Systems");
    assert_eq!(azure.via_evidence.as_deref(), Some("AZURE CLOUD SOFTWARE"));
    // Named, but sold by the company itself: no "via".
    assert!(finder
        .makers(&["HOOTSUITE LICENSES".to_string()], "hootsuite")
        .is_empty());
}

#[test]
fn the_import_is_deterministic_to_the_byte() {
    let again = import(&curated(), &sources()).unwrap();
    assert_eq!(&again, imported());
    for (a, b) in again.companies.iter().zip(&imported().companies) {
        assert_eq!(to_toml(a), to_toml(b));
    }
}

/// A download in the current schema: the real column list, rows written here.
fn current_schema_file(dir: &Path, rows: &[BTreeMap<&str, &str>]) -> PathBuf {
    let columns: Vec<String> = std::fs::read_to_string(
        data()
            .join("sources/usaspending-schema/contracts_prime_award_summaries_columns_current.txt"),
    )
    .unwrap()
    .lines()
    // The discriminator is stripped when USAspending writes the file.
    .map(|c| c.replace("<NAMING_CONFLICT_DISCRIMINATOR>", ""))
    .collect();
    assert_eq!(columns.len(), 286);
    let path = dir.join("current.csv");
    let mut writer = csv::Writer::from_path(&path).unwrap();
    writer.write_record(&columns).unwrap();
    for row in rows {
        writer
            .write_record(
                columns
                    .iter()
                    .map(|c| row.get(c.as_str()).copied().unwrap_or("")),
            )
            .unwrap();
    }
    writer.flush().unwrap();
    path
}

fn given(files: Vec<PathBuf>) -> Vec<SourceConfig> {
    vec![SourceConfig {
        id: "given".into(),
        name: "given".into(),
        agencies: vec![],
        gaps: String::new(),
        url: String::new(),
        files,
        dictionary: None,
        row_links: None,
        manifest: None,
        recipient_names: None,
    }]
}

#[test]
fn a_current_schema_download_imports_with_permalinks() {
    let dir = std::env::temp_dir().join(format!("contract-lens-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let palantir = BTreeMap::from([
        ("award_id_piid", "70CTD022FR0000170"),
        ("parent_award_id_piid", "GS35F0086U"),
        ("total_obligated_amount", "95000000.50"),
        ("potential_total_value_of_award", "150703825"),
        ("period_of_performance_start_date", "2022-09-26"),
        ("period_of_performance_current_end_date", "2026-05-04"),
        ("period_of_performance_potential_end_date", "2027-09-25"),
        ("awarding_agency_name", "Department of Homeland Security"),
        (
            "awarding_sub_agency_name",
            "U.S. Immigration and Customs Enforcement",
        ),
        ("recipient_name", "PALANTIR TECHNOLOGIES INC."),
        ("recipient_parent_name", "PALANTIR TECHNOLOGIES INC."),
        (
            "prime_award_base_transaction_description",
            "INVESTIGATIVE CASE MANAGEMENT",
        ),
        ("product_or_service_code_description", "IT AND TELECOM"),
        (
            "usaspending_permalink",
            "https://www.usaspending.gov/award/CONT_AWD_70CTD022FR0000170_7012_GS35F0086U_4730/",
        ),
    ]);
    let newcomer = BTreeMap::from([
        ("award_id_piid", "70B03C24F00000001"),
        ("total_obligated_amount", "1200.00"),
        ("potential_total_value_of_award", "5000.00"),
        ("period_of_performance_start_date", "2024-01-15"),
        ("period_of_performance_current_end_date", "2025-01-14"),
        ("awarding_agency_name", "Department of Homeland Security"),
        (
            "awarding_sub_agency_name",
            "U.S. Customs and Border Protection",
        ),
        ("recipient_name", "NORTHWIND ANALYTICS LLC"),
        ("recipient_parent_name", "CONTOSO HOLDINGS INC"),
        (
            "usaspending_permalink",
            "https://www.usaspending.gov/award/CONT_AWD_70B03C24F00000001_7014_-NONE-_-NONE-/",
        ),
    ]);
    let mut dataset = curated();
    // The settings name CBP by its code; a download names it in full.
    for a in dataset.agencies.iter_mut() {
        if a.code == "DHS" {
            a.usaspending_names
                .push("Department of Homeland Security".into());
        }
    }
    let file = current_schema_file(&dir, &[palantir, newcomer.clone()]);
    let imported = import(&dataset, &given(vec![file])).unwrap();
    assert_eq!((imported.rows, imported.company_of.len()), (2, 2));

    let palantir = imported
        .companies
        .iter()
        .find(|c| c.id == "palantir-technologies")
        .unwrap();
    let award = &palantir.awards[0];
    assert_eq!(award.obligated_usd, Some(95_000_000.5));
    assert_eq!(award.potential_usd, Some(150_703_825.0));
    assert_eq!(award.parent_award_id.as_deref(), Some("GS35F0086U"));
    assert_eq!(award.potential_end.as_deref(), Some("2027-09-25"));
    assert_eq!(award.actions, None, "an award summary counts no actions");
    assert_eq!(
        award.sources[0].url,
        "https://www.usaspending.gov/award/CONT_AWD_70CTD022FR0000170_7012_GS35F0086U_4730/"
    );
    let newcomer_company = imported
        .companies
        .iter()
        .find(|c| c.id == "northwind-analytics")
        .unwrap();
    assert_eq!(
        newcomer_company.name.as_deref(),
        Some("Northwind Analytics LLC")
    );
    assert_eq!(
        newcomer_company.parent_name.as_deref(),
        Some("Contoso Holdings Inc")
    );
    assert_eq!(
        newcomer_company.awards[0].sub_agency.as_deref(),
        Some("CBP")
    );

    // An agency the data does not know stops the import at its row.
    let mut stranger = newcomer;
    stranger.insert("awarding_sub_agency_name", "Bureau of Imaginary Affairs");
    let file = current_schema_file(&dir, &[stranger]);
    let error = import(&dataset, &given(vec![file]))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("current.csv:2: unknown agency \"Bureau of Imaginary Affairs\""),
        "{error}"
    );
}
