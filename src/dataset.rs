//! The dataset: companies, their government contracts and their public statements, each fact
//! with its sources.
//!
//! Maintainers edit `data/dataset.toml` and `data/companies/*.toml`; [`load_dir`] reads and
//! [`validate`]s them, reporting every problem as `file:line: reason`. The build compiles the
//! validated data into a compact binary ([`Dataset::to_bytes`]) that the core embeds, so the
//! extension never fetches data and bad data never ships.
//!
//! This file is also compiled into `build.rs` (by `#[path]`), so it depends only on `serde`,
//! `toml` and `postcard`.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// All facts the extension knows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    /// When the sources were last collected (YYYY-MM-DD); the card shows it.
    pub data_as_of: String,
    #[serde(default)]
    pub agencies: Vec<Agency>,
    #[serde(default)]
    pub companies: Vec<Company>,
}

/// A government agency or sub-agency, referred to by `code` from contracts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub parent: Option<String>,
    /// The agency's names as USAspending downloads write them, for the importer.
    #[serde(default)]
    pub usaspending_names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Company {
    /// Stable identifier, also the file name (`companies/<id>.toml`).
    pub id: String,
    /// Display name; also matched in text.
    pub name: String,
    /// Other names matched in text.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Those of `name` and `aliases` that are also ordinary words, places or other things: they
    /// are marked only with evidence that the text means the company.
    #[serde(default)]
    pub ambiguous: Vec<String>,
    /// Phrases that contain one of the names but mean something else ("Amazon rainforest",
    /// "Michael Dell"): text inside them is never marked.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Names another company claims too (both must list them): never marked, since a page
    /// cannot say which of the two it means.
    #[serde(default)]
    pub shared: Vec<String>,
    /// Phrases that, anywhere in a page, say its ambiguous names mean this company ("Whole
    /// Foods" for Amazon, "Puppet" for Chef). Matched in any letter case, in URLs too.
    #[serde(default)]
    pub evidence: Vec<String>,
    /// Id of the parent company when it is in the dataset.
    #[serde(default)]
    pub parent: Option<String>,
    /// Name of a parent company that is not in the dataset.
    #[serde(default)]
    pub parent_name: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
    /// Recipient names in USAspending data that are this company; the importer files their
    /// awards here.
    #[serde(default)]
    pub recipients: Vec<String>,
    #[serde(default)]
    pub contracts: Vec<Contract>,
    #[serde(default)]
    pub statements: Vec<Statement>,
    /// Awards imported from USAspending data (`data/usaspending/`), filled in by the loader.
    #[serde(default)]
    pub awards: Vec<Contract>,
    /// True for a recipient known only from USAspending data, with no curated record.
    #[serde(default)]
    pub uncurated: bool,
}

/// What `contract-lens data import-usaspending` writes for one company, as
/// `data/usaspending/<id>.toml`: the awards of its recipients, aggregated from transactions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportedCompany {
    /// A curated company's id, or a new id for a recipient with no curated record.
    pub id: String,
    /// Display name, for a recipient with no curated record.
    #[serde(default)]
    pub name: Option<String>,
    /// The recipient names as USAspending writes them.
    pub recipients: Vec<String>,
    /// The ultimate parent USAspending names, when it is not the company itself.
    #[serde(default)]
    pub parent_name: Option<String>,
    #[serde(default)]
    pub awards: Vec<Contract>,
}

/// One contract relationship: an award, an order, or a reported deal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contract {
    /// Agency code (see [`Agency`]).
    #[serde(default)]
    pub agency: Option<String>,
    #[serde(default)]
    pub sub_agency: Option<String>,
    /// Who the award went to, when that is not the company itself (a reseller, say).
    #[serde(default)]
    pub recipient: Option<String>,
    /// What was bought.
    #[serde(default)]
    pub description: Option<String>,
    /// Dollars obligated (spent or committed) so far.
    #[serde(default)]
    pub obligated_usd: Option<f64>,
    /// Potential value (ceiling) if every option is exercised.
    #[serde(default)]
    pub potential_usd: Option<f64>,
    /// A value a news source gives without saying which of the two it is.
    #[serde(default)]
    pub reported_usd: Option<f64>,
    #[serde(default)]
    pub start: Option<String>,
    #[serde(default)]
    pub end: Option<String>,
    /// The end date if every option is exercised.
    #[serde(default)]
    pub potential_end: Option<String>,
    #[serde(default)]
    pub base_years: Option<u32>,
    #[serde(default)]
    pub option_years: Option<u32>,
    /// USAspending award id (PIID) when known.
    #[serde(default)]
    pub award_id: Option<String>,
    /// The award's page on usaspending.gov.
    #[serde(default)]
    pub award_url: Option<String>,
    /// Product or service code description, from USAspending.
    #[serde(default)]
    pub product_or_service: Option<String>,
    /// How many modifications the award has had, from USAspending transactions.
    #[serde(default)]
    pub modifications: Option<u32>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
}

/// Something the company (or someone speaking for it) said in public.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    #[serde(default)]
    pub date: Option<String>,
    pub speaker: String,
    /// The words as the source quotes them.
    pub text: String,
    #[serde(default)]
    pub medium: Option<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub url: String,
    /// The passage of the source that supports the fact.
    #[serde(default)]
    pub quote: Option<String>,
}

/// A problem in a data file, located to its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    pub file: PathBuf,
    /// 1-based; 0 when the problem is the file as a whole.
    pub line: usize,
    pub reason: String,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.reason)
    }
}

impl std::error::Error for DataError {}

/// Every problem found, so a maintainer fixes them all in one pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataErrors(pub Vec<DataError>);

impl fmt::Display for DataErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DataErrors {}

impl Dataset {
    /// The compact form embedded in the core.
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(self).expect("a dataset always serializes")
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Dataset, postcard::Error> {
        postcard::from_bytes(bytes)
    }

    pub fn agency(&self, code: &str) -> Option<&Agency> {
        self.agencies.iter().find(|a| a.code == code)
    }

    pub fn company(&self, id: &str) -> Option<&Company> {
        self.companies.iter().find(|c| c.id == id)
    }
}

impl Company {
    /// The name and every alias, each once, in that order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        let mut seen = BTreeSet::new();
        std::iter::once(self.name.as_str())
            .chain(self.aliases.iter().map(String::as_str))
            .filter(move |n| seen.insert(*n))
    }

    pub fn is_ambiguous(&self, name: &str) -> bool {
        self.ambiguous.iter().any(|a| a == name)
    }
}

/// One data file's text, kept to point errors at lines.
struct SourceFile {
    path: PathBuf,
    text: String,
}

impl SourceFile {
    fn error(&self, line: usize, reason: impl Into<String>) -> DataError {
        DataError {
            file: self.path.clone(),
            line,
            reason: reason.into(),
        }
    }

    /// The line of `key = ...` inside the `nth` `[[table]]` (or at top level when `table` is
    /// empty), nested sub-tables given as `(name, index)` pairs. The files are flat TOML written
    /// one key per line, so this finds the exact line the value is on.
    fn line_of(&self, tables: &[(&str, usize)], key: &str) -> usize {
        let lines: Vec<&str> = self.text.lines().collect();
        let mut from = 0;
        let mut to = lines.len();
        let mut prefix = String::new();
        for (name, index) in tables {
            if !prefix.is_empty() {
                prefix.push('.');
            }
            prefix.push_str(name);
            let header = format!("[[{prefix}]]");
            let starts: Vec<usize> = (from..to).filter(|&i| lines[i].trim() == header).collect();
            let Some(&start) = starts.get(*index) else {
                return from + 1;
            };
            // The table ends at the next header of the same or a shallower table.
            let depth = prefix.matches('.').count();
            let end = (start + 1..to)
                .find(|&i| {
                    let t = lines[i].trim();
                    t.starts_with('[') && t.trim_matches(['[', ']']).matches('.').count() <= depth
                })
                .unwrap_or(to);
            from = start;
            to = end;
        }
        if key.is_empty() {
            return from + 1;
        }
        let mut i = if tables.is_empty() { 0 } else { from + 1 };
        while i < to {
            let t = lines[i].trim_start();
            if tables.is_empty() && t.starts_with('[') {
                break;
            }
            if let Some(rest) = t.strip_prefix(key) {
                if rest.trim_start().starts_with('=') {
                    return i + 1;
                }
            }
            i += 1;
        }
        from + 1
    }
}

fn read(path: &Path) -> Result<SourceFile, DataError> {
    let text = std::fs::read_to_string(path).map_err(|e| DataError {
        file: path.to_path_buf(),
        line: 0,
        reason: format!("cannot read: {e}"),
    })?;
    Ok(SourceFile {
        path: path.to_path_buf(),
        text,
    })
}

/// The 1-based line of byte `offset`.
fn line_at(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn parse<T: serde::de::DeserializeOwned>(file: &SourceFile) -> Result<T, DataError> {
    toml::from_str(&file.text).map_err(|e| {
        let line = e.span().map(|s| line_at(&file.text, s.start)).unwrap_or(0);
        // toml's message repeats the source excerpt; the first line is the reason.
        let reason = e
            .message()
            .lines()
            .next()
            .unwrap_or("invalid TOML")
            .to_string();
        file.error(line, reason)
    })
}

/// Reads `dir/dataset.toml` and every `dir/companies/*.toml` (in file-name order, so the
/// compiled form is deterministic) and validates the whole.
pub fn load_dir(dir: &Path) -> Result<Dataset, DataErrors> {
    load(dir, true)
}

/// The curated data alone, without `data/usaspending/`: what an import starts from.
pub fn load_curated(dir: &Path) -> Result<Dataset, DataErrors> {
    load(dir, false)
}

fn load(dir: &Path, with_imported: bool) -> Result<Dataset, DataErrors> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Settings {
        data_as_of: String,
        #[serde(default)]
        agencies: Vec<Agency>,
    }
    let settings_file = read(&dir.join("dataset.toml")).map_err(|e| DataErrors(vec![e]))?;
    let settings: Settings = parse(&settings_file).map_err(|e| DataErrors(vec![e]))?;

    let companies_dir = dir.join("companies");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&companies_dir)
        .map_err(|e| {
            DataErrors(vec![DataError {
                file: companies_dir.clone(),
                line: 0,
                reason: format!("cannot read directory: {e}"),
            }])
        })?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();

    let mut errors = Vec::new();
    let mut files = Vec::new();
    let mut companies = Vec::new();
    for path in paths {
        match read(&path).and_then(|f| parse::<Company>(&f).map(|c| (f, c))) {
            Ok((file, company)) => {
                files.push(file);
                companies.push(company);
            }
            Err(e) => errors.push(e),
        }
    }
    let mut dataset = Dataset {
        data_as_of: settings.data_as_of,
        agencies: settings.agencies,
        companies,
    };
    errors.extend(validate_files(&dataset, &settings_file, &files));
    if with_imported {
        errors.extend(load_imported(&dir.join("usaspending"), &mut dataset));
    }
    if errors.is_empty() {
        Ok(dataset)
    } else {
        Err(DataErrors(errors))
    }
}

/// Reads `data/usaspending/*.toml` (written by the importer) into `dataset`: awards of curated
/// companies join their records; other recipients become uncurated companies.
fn load_imported(dir: &Path, dataset: &mut Dataset) -> Vec<DataError> {
    let mut errors = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return errors; // No import yet: nothing to add.
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let agency_codes: BTreeSet<String> = dataset.agencies.iter().map(|a| a.code.clone()).collect();
    let agency_codes: BTreeSet<&str> = agency_codes.iter().map(String::as_str).collect();
    let mut uncurated = Vec::new();
    for path in paths {
        let file = match read(&path) {
            Ok(file) => file,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let imported: ImportedCompany = match parse(&file) {
            Ok(imported) => imported,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let at = |key: &str| file.line_of(&[], key);
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if stem != imported.id {
            errors.push(file.error(
                at("id"),
                format!("id {:?} differs from the file name {stem:?}", imported.id),
            ));
        }
        if imported.recipients.is_empty() {
            errors.push(file.error(at("recipients"), "no recipient names"));
        }
        let before = errors.len();
        for (index, award) in imported.awards.iter().enumerate() {
            check_contract(&mut errors, &file, ("awards", index), award, &agency_codes);
        }
        let curated = dataset.companies.iter_mut().find(|c| c.id == imported.id);
        match (curated, &imported.name) {
            (Some(_), Some(_)) => errors.push(file.error(
                at("name"),
                "a curated company's name comes from data/companies/, not from the import",
            )),
            (None, None) => errors.push(file.error(
                at("id"),
                format!(
                    "{:?} is no curated company, so it needs a name",
                    imported.id
                ),
            )),
            _ if errors.len() > before => {}
            (Some(company), None) => {
                company.awards.extend(imported.awards);
                for r in imported.recipients {
                    if !company.recipients.contains(&r) {
                        company.recipients.push(r);
                    }
                }
            }
            (None, Some(name)) => uncurated.push(Company {
                id: imported.id,
                name: name.clone(),
                aliases: Vec::new(),
                ambiguous: Vec::new(),
                exclude: Vec::new(),
                shared: Vec::new(),
                evidence: Vec::new(),
                parent: None,
                parent_name: imported.parent_name,
                website: None,
                recipients: imported.recipients,
                contracts: Vec::new(),
                statements: Vec::new(),
                awards: imported.awards,
                uncurated: true,
            }),
        }
    }
    dataset.companies.extend(uncurated);
    errors
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &s[r];
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2100).contains(&y) && d >= 1 && d <= days
}

fn validate_files(
    dataset: &Dataset,
    settings: &SourceFile,
    files: &[SourceFile],
) -> Vec<DataError> {
    let mut errors = Vec::new();
    if !is_date(&dataset.data_as_of) {
        errors.push(settings.error(
            settings.line_of(&[], "data_as_of"),
            format!(
                "data_as_of {:?} is not a date (YYYY-MM-DD)",
                dataset.data_as_of
            ),
        ));
    }
    let mut agency_codes = BTreeSet::new();
    for (i, agency) in dataset.agencies.iter().enumerate() {
        if !agency_codes.insert(agency.code.as_str()) {
            errors.push(settings.error(
                settings.line_of(&[("agencies", i)], "code"),
                format!("duplicate agency code {:?}", agency.code),
            ));
        }
    }
    for (i, agency) in dataset.agencies.iter().enumerate() {
        if let Some(parent) = &agency.parent {
            if !agency_codes.contains(parent.as_str()) {
                errors.push(settings.error(
                    settings.line_of(&[("agencies", i)], "parent"),
                    format!("unknown parent agency {parent:?}"),
                ));
            }
        }
    }

    let ids: BTreeSet<&str> = dataset.companies.iter().map(|c| c.id.as_str()).collect();
    let mut seen_ids = BTreeSet::new();
    // Which company claims each name, to catch one name pointing at two companies.
    let mut claimed: BTreeMap<String, &Company> = BTreeMap::new();
    for (company, file) in dataset.companies.iter().zip(files) {
        let at = |tables: &[(&str, usize)], key: &str| file.line_of(tables, key);
        if !seen_ids.insert(company.id.as_str()) {
            errors.push(file.error(
                at(&[], "id"),
                format!("duplicate company id {:?}", company.id),
            ));
        }
        if company.id.is_empty()
            || !company
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            errors.push(file.error(
                at(&[], "id"),
                format!(
                    "id {:?} must be lowercase letters, digits and '-'",
                    company.id
                ),
            ));
        }
        let stem = file.path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if !file.text.is_empty() && stem != company.id {
            errors.push(file.error(
                at(&[], "id"),
                format!("id {:?} differs from the file name {stem:?}", company.id),
            ));
        }
        if company.name.trim().is_empty() {
            errors.push(file.error(at(&[], "name"), "empty name"));
        }
        for name in company.names() {
            if name.trim().is_empty() {
                errors.push(file.error(at(&[], "aliases"), "empty alias"));
                continue;
            }
            let Some(other) = claimed.insert(name.to_string(), company) else {
                continue;
            };
            let shared = |c: &Company| c.shared.iter().any(|n| n == name);
            if !(shared(company) && shared(other)) {
                let other = &other.id;
                errors.push(file.error(
                    at(
                        &[],
                        if name == company.name {
                            "name"
                        } else {
                            "aliases"
                        },
                    ),
                    format!("name {name:?} is also claimed by company {other:?}"),
                ));
            }
        }
        for name in &company.shared {
            if !company.names().any(|n| n == name) {
                errors.push(file.error(
                    at(&[], "shared"),
                    format!("shared {name:?} is neither the name nor an alias"),
                ));
            }
        }
        for name in &company.ambiguous {
            if !company.names().any(|n| n == name) {
                errors.push(file.error(
                    at(&[], "ambiguous"),
                    format!("ambiguous {name:?} is neither the name nor an alias"),
                ));
            }
        }
        for phrase in &company.exclude {
            if !company.names().any(|n| phrase.contains(n)) {
                errors.push(file.error(
                    at(&[], "exclude"),
                    format!("exclude {phrase:?} contains none of the company's names"),
                ));
            }
        }
        if !company.evidence.is_empty() && company.ambiguous.is_empty() {
            errors.push(file.error(
                at(&[], "evidence"),
                "evidence is for companies with ambiguous names; this one has none",
            ));
        }
        if let Some(parent) = &company.parent {
            if !ids.contains(parent.as_str()) {
                errors.push(file.error(
                    at(&[], "parent"),
                    format!("parent {parent:?} is not a company id in the dataset"),
                ));
            } else if parent == &company.id {
                errors.push(file.error(at(&[], "parent"), "a company cannot be its own parent"));
            }
        }
        if company.parent.is_some() && company.parent_name.is_some() {
            errors.push(file.error(
                at(&[], "parent_name"),
                "give parent or parent_name, not both",
            ));
        }
        if let Some(site) = &company.website {
            if !site.starts_with("https://") {
                errors
                    .push(file.error(at(&[], "website"), format!("website {site:?} is not https")));
            }
        }
        if company.contracts.is_empty() && company.statements.is_empty() {
            errors.push(file.error(1, "a company needs at least one contract or statement"));
        }

        for (index, contract) in company.contracts.iter().enumerate() {
            check_contract(
                &mut errors,
                file,
                ("contracts", index),
                contract,
                &agency_codes,
            );
        }
        if !company.awards.is_empty() || company.uncurated {
            errors.push(file.error(
                at(
                    &[],
                    if company.uncurated {
                        "uncurated"
                    } else {
                        "awards"
                    },
                ),
                "awards and uncurated companies come from data/usaspending/ (re-run the import)",
            ));
        }
        for (si, statement) in company.statements.iter().enumerate() {
            let t = [("statements", si)];
            if let Some(date) = &statement.date {
                if !is_date(date) {
                    errors.push(file.error(
                        at(&t, "date"),
                        format!("date {date:?} is not a date (YYYY-MM-DD)"),
                    ));
                }
            }
            if statement.text.trim().is_empty() {
                errors.push(file.error(at(&t, "text"), "empty statement text"));
            }
            check_sources(&mut errors, file, &t, "statements", &statement.sources);
        }
    }
    errors
}

fn check_contract(
    errors: &mut Vec<DataError>,
    file: &SourceFile,
    table: (&str, usize),
    contract: &Contract,
    agency_codes: &BTreeSet<&str>,
) {
    let t = [table];
    let at = |key: &str| file.line_of(&t, key);
    for (key, code) in [
        ("agency", &contract.agency),
        ("sub_agency", &contract.sub_agency),
    ] {
        if let Some(code) = code {
            if !agency_codes.contains(code.as_str()) {
                errors.push(file.error(at(key), format!("unknown agency {code:?}")));
            }
        }
    }
    for (key, date) in [
        ("start", &contract.start),
        ("end", &contract.end),
        ("potential_end", &contract.potential_end),
    ] {
        if let Some(date) = date {
            if !is_date(date) {
                errors.push(file.error(
                    at(key),
                    format!("{key} {date:?} is not a date (YYYY-MM-DD)"),
                ));
            }
        }
    }
    if let (Some(start), Some(end)) = (&contract.start, &contract.end) {
        if is_date(start) && is_date(end) && end < start {
            errors.push(file.error(at("end"), format!("end {end} is before start {start}")));
        }
    }
    for (key, amount) in [
        ("obligated_usd", contract.obligated_usd),
        ("potential_usd", contract.potential_usd),
        ("reported_usd", contract.reported_usd),
    ] {
        if let Some(amount) = amount {
            if !amount.is_finite() || amount < 0.0 {
                errors.push(file.error(at(key), format!("{key} {amount} is negative")));
            }
        }
    }
    if let Some(url) = &contract.award_url {
        if !url.starts_with("https://") {
            errors.push(file.error(at("award_url"), format!("award_url {url:?} is not https")));
        }
    }
    check_sources(errors, file, &t, table.0, &contract.sources);
}

fn check_sources(
    errors: &mut Vec<DataError>,
    file: &SourceFile,
    fact: &[(&str, usize); 1],
    table: &str,
    sources: &[Source],
) {
    if sources.is_empty() {
        errors.push(file.error(
            file.line_of(fact, ""),
            format!("a fact in {table} has no source"),
        ));
    }
    for (i, source) in sources.iter().enumerate() {
        if !source.url.starts_with("https://") || source.url.len() <= "https://".len() {
            let line = file.line_of(&[fact[0], ("sources", i)], "url");
            errors.push(file.error(
                line,
                format!("source {:?} is not an https address", source.url),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        for ok in ["2020-09-18", "2024-02-29", "2000-02-29"] {
            assert!(is_date(ok), "{ok}");
        }
        for bad in [
            "2020-9-18",
            "2023-02-29",
            "1900-02-29",
            "2020-13-01",
            "2020-00-10",
            "18/09/2020",
            "2020-09-31",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }
}
