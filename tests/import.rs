//! The USAspending importer, on the real ICE rows in ../shared/data/torn_apart_ice_contracts
//! (2018 schema, headerless) and on a download in the current schema.

use contract_lens::dataset::{load_curated, Dataset};
use contract_lens::import::{
    display_name, import, name_key, to_toml, ImportOptions, Imported, SourceLinks,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const TORN_APART: &str =
    "https://github.com/xpmethod/torn-apart/blob/28e0bd960d881d7217cf5f518afde10f63de3437/data/districts";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn ice_files() -> Vec<PathBuf> {
    (13..=18)
        .map(|y| root().join(format!("../shared/data/torn_apart_ice_contracts/fy{y}.csv")))
        .collect()
}

fn curated() -> Dataset {
    load_curated(&root().join("data")).unwrap_or_else(|e| panic!("{e}"))
}

fn import_ice() -> Imported {
    let options = ImportOptions {
        files: ice_files(),
        dictionary: None,
        links: SourceLinks::Base(TORN_APART.to_string()),
    };
    import(&curated(), &options).unwrap()
}

/// The real rows read independently of the importer: column letter positions from the
/// dictionary, stray header lines skipped.
fn raw_rows() -> Vec<csv::StringRecord> {
    let mut rows = Vec::new();
    for file in ice_files() {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_path(&file)
            .unwrap();
        for record in reader.records() {
            let record = record.unwrap();
            if &record[0] != "award_id_piid" {
                rows.push(record);
            }
        }
    }
    rows
}

#[test]
fn every_recipient_of_the_real_rows_gets_its_awards() {
    let imported = import_ice();
    let rows = raw_rows();
    assert_eq!(imported.rows, rows.len());
    assert_eq!(rows.len(), 5672);
    // Column AI is recipient_name, column A award_id_piid.
    let recipients: BTreeSet<&str> = rows.iter().map(|r| &r[34]).collect();
    assert_eq!(imported.recipients, recipients.len());
    assert_eq!(
        recipients.len(),
        1133,
        "1,134 with the stray header line of fy13.csv"
    );
    // Each recipient's every row is in an award of a company that lists the recipient.
    for row in &rows {
        let (piid, recipient) = (&row[0], &row[34]);
        let found = imported.companies.iter().any(|c| {
            c.recipients.iter().any(|r| r == recipient)
                && c.awards.iter().any(|a| a.award_id.as_deref() == Some(piid))
        });
        assert!(
            found,
            "{recipient}: award {piid} is not under a company that lists it"
        );
    }
    let awards: BTreeSet<(&str, &str)> = rows.iter().map(|r| (&r[0], &r[5])).collect();
    let imported_awards: usize = imported.companies.iter().map(|c| c.awards.len()).sum();
    assert_eq!(imported_awards, awards.len());
}

#[test]
fn transactions_aggregate_into_awards() {
    let imported = import_ice();
    let rows = raw_rows();
    // Every award with more than one transaction, checked against sums made here.
    let mut by_award: BTreeMap<(&str, &str), Vec<&csv::StringRecord>> = BTreeMap::new();
    for r in &rows {
        by_award.entry((&r[0], &r[5])).or_default().push(r);
    }
    let amount = |s: &str| s.trim().parse::<f64>().unwrap_or(0.0);
    let mut checked = 0;
    for ((piid, _), group) in by_award.iter().filter(|(_, g)| g.len() > 1) {
        let award = imported
            .companies
            .iter()
            .flat_map(|c| &c.awards)
            .find(|a| a.award_id.as_deref() == Some(*piid))
            .unwrap();
        let obligated: f64 = group.iter().map(|r| amount(&r[7])).sum();
        let obligated = (obligated * 100.0).round() / 100.0;
        if obligated >= 0.0 {
            assert_eq!(award.obligated_usd, Some(obligated), "{piid}");
        } else {
            assert_eq!(award.obligated_usd, None, "{piid}");
        }
        let mods = group.iter().filter(|r| r[1].trim() != "0").count() as u32;
        assert_eq!(award.modifications, Some(mods), "{piid}");
        checked += 1;
    }
    assert!(
        checked > 500,
        "only {checked} awards with several transactions"
    );

    let palantir = imported
        .companies
        .iter()
        .find(|c| c.id == "palantir-technologies")
        .unwrap();
    assert!(
        palantir.name.is_none(),
        "a curated company keeps its curated name"
    );
    assert!(palantir
        .awards
        .iter()
        .any(|a| a.award_id.as_deref() == Some("HSCETC14C00002")));
    // Parent names file a subsidiary's awards under the curated parent ("GEO CARE LLC").
    let geo = imported
        .companies
        .iter()
        .find(|c| c.id == "the-geo-group")
        .unwrap();
    assert!(
        geo.recipients.iter().any(|r| r == "GEO CARE LLC"),
        "{:?}",
        geo.recipients
    );
}

#[test]
fn the_shipped_import_is_this_import_to_the_byte() {
    let first = import_ice();
    let second = import_ice();
    assert_eq!(first, second, "the same input gives the same output");
    let dir = root().join("data/usaspending");
    let shipped: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let expected: BTreeSet<String> = first
        .companies
        .iter()
        .map(|c| format!("{}.toml", c.id))
        .collect();
    assert_eq!(
        shipped, expected,
        "data/usaspending/ is stale: re-run the import (data/README.md)"
    );
    for company in &first.companies {
        let text = std::fs::read_to_string(dir.join(format!("{}.toml", company.id))).unwrap();
        assert!(
            text == to_toml(company),
            "{}: differs from a fresh import",
            company.id
        );
    }
}

#[test]
fn names_are_keyed_and_displayed_as_a_reader_expects() {
    let cases = [
        ("GEO GROUP, INC., THE", "GEO GROUP", "The Geo Group, Inc."),
        (
            "TRAILBOSS ENTERPRISES, INC.",
            "TRAILBOSS ENTERPRISES",
            "Trailboss Enterprises, Inc.",
        ),
        ("3M COMPANY (7775)", "3M", "3M Company"),
        (
            "M A FEDERAL INCORPORATED",
            "M A FEDERAL",
            "M A Federal Incorporated",
        ),
        (
            "DELOITTE & TOUCHE L.L.P.",
            "DELOITTE AND TOUCHE",
            "Deloitte & Touche L.L.P.",
        ),
        (
            "A-1 FREEMAN RELOCATION SERVICES, INC.",
            "A 1 FREEMAN RELOCATION SERVICES",
            "A-1 Freeman Relocation Services, Inc.",
        ),
    ];
    for (raw, key, display) in cases {
        assert_eq!(name_key(raw), key, "{raw}");
        assert_eq!(display_name(raw), display, "{raw}");
    }
}

/// A download in the current schema: the real column list, rows written here.
fn current_schema_file(dir: &Path, rows: &[BTreeMap<&str, &str>]) -> PathBuf {
    let columns: Vec<String> = std::fs::read_to_string(root().join(
        "../shared/data/usaspending_schema/contracts_prime_award_summaries_columns_current.txt",
    ))
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
    let file = current_schema_file(&dir, &[palantir, newcomer.clone()]);
    let options = ImportOptions {
        files: vec![file.clone()],
        dictionary: None,
        links: SourceLinks::Permalink,
    };
    let imported = import(&curated(), &options).unwrap();
    assert_eq!((imported.rows, imported.recipients), (2, 2));

    let palantir = imported
        .companies
        .iter()
        .find(|c| c.id == "palantir-technologies")
        .unwrap();
    let award = &palantir.awards[0];
    assert_eq!(award.obligated_usd, Some(95_000_000.5));
    assert_eq!(award.potential_usd, Some(150_703_825.0));
    assert_eq!(award.start.as_deref(), Some("2022-09-26"));
    assert_eq!(award.potential_end.as_deref(), Some("2027-09-25"));
    assert_eq!(
        award.modifications, None,
        "an award summary does not count modifications"
    );
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
    let error = import(
        &curated(),
        &ImportOptions {
            files: vec![file.clone()],
            dictionary: None,
            links: SourceLinks::Permalink,
        },
    )
    .unwrap_err();
    assert!(
        error.starts_with("current.csv:2: unknown agency \"Bureau of Imaginary Affairs\""),
        "{error}"
    );
}
