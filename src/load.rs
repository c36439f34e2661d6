//! Reading and validating `data/`: native only (the build and the CLI); the model that ships
//! is in `dataset.rs`.
//!
//! Maintainers edit `data/dataset.toml` and `data/companies/*.toml`; [`load_dir`] reads them,
//! imports the spending records `dataset.toml` lists (see `import`), and validates the whole,
//! reporting every problem as `file:line: reason`.
//!
//! This file is also compiled into `build.rs` (by `#[path]`), with `dataset.rs`, `names.rs`,
//! `matcher.rs` and `import/`.

use crate::dataset::{Agency, Company, Contract, Dataset, Source, Statement};
use crate::import::{import, ImportError, Imported, SourceConfig};
use crate::matcher::MOST_NAMES_OF_A_PATTERN;
use crate::names::Lexicon;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// A problem in a data file, located to its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    pub file: PathBuf,
    /// 1-based; 0 when the problem is the file as a whole.
    pub line: usize,
    pub reason: String,
}

impl From<ImportError> for DataError {
    fn from(e: ImportError) -> DataError {
        DataError {
            file: e.file,
            line: e.line as usize,
            reason: e.reason,
        }
    }
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

/// One data file's text and its parse with spans, kept to point errors at lines.
struct SourceFile {
    path: PathBuf,
    text: String,
    document: Option<toml_edit::ImDocument<String>>,
}

impl SourceFile {
    fn error(&self, line: usize, reason: impl Into<String>) -> DataError {
        DataError {
            file: self.path.clone(),
            line,
            reason: reason.into(),
        }
    }

    /// The line of `key = ...` inside the `nth` `[[table]]` (or at top level when `tables` is
    /// empty), nested tables given as `(name, index)` pairs: the parser's own spans. A key that
    /// is missing gives the line of its table's header; a file that does not parse, line 1.
    fn line_of(&self, tables: &[(&str, usize)], key: &str) -> usize {
        let Some(doc) = &self.document else {
            return 1;
        };
        let at = |span: Option<std::ops::Range<usize>>, fallback: usize| {
            span.map_or(fallback, |s| line_at(&self.text, s.start))
        };
        let mut table = doc.as_table();
        let mut line = 1;
        for (name, index) in tables {
            let Some(next) = table
                .get(name)
                .and_then(|item| item.as_array_of_tables())
                .and_then(|array| array.get(*index))
            else {
                return line;
            };
            line = at(next.span(), line);
            table = next;
        }
        match table.get_key_value(key) {
            Some((k, _)) if !key.is_empty() => at(k.span(), line),
            _ => line,
        }
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
        document: toml_edit::ImDocument::parse(text.clone()).ok(),
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
/// compiled form is deterministic), imports the spending records `dataset.toml` lists, and
/// validates the whole.
pub fn load_dir(dir: &Path) -> Result<Dataset, DataErrors> {
    let (mut dataset, settings) = load_curated_with_sources(dir)?;
    let sources = settings.spending_sources;
    let settings_file = read(&dir.join("dataset.toml")).map_err(|e| DataErrors(vec![e]))?;
    let mut errors = check_sources_config(&dataset, &settings_file, &sources, dir);
    if !errors.is_empty() {
        return Err(DataErrors(errors));
    }
    let configs: Vec<SourceConfig> = sources.iter().map(|s| s.under(dir)).collect();
    let imported = import(&dataset, &configs).map_err(|e| DataErrors(vec![e.into()]))?;
    let lexicon = read_lexicon(dir, &settings.words).map_err(|e| DataErrors(vec![e.into()]))?;
    errors.extend(add_imported(
        &mut dataset,
        imported,
        &settings_file,
        &lexicon,
    ));
    if errors.is_empty() {
        Ok(dataset)
    } else {
        Err(DataErrors(errors))
    }
}

/// The curated data alone, without the spending records: what an import starts from.
pub fn load_curated(dir: &Path) -> Result<Dataset, DataErrors> {
    load_curated_with_sources(dir).map(|(dataset, _)| dataset)
}

/// The spending sources `dir/dataset.toml` lists, their paths under `dir`: ready to import.
pub fn spending_sources(dir: &Path) -> Result<Vec<SourceConfig>, DataErrors> {
    load_curated_with_sources(dir).map(|(_, settings)| {
        settings
            .spending_sources
            .iter()
            .map(|s| s.under(dir))
            .collect()
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    data_as_of: String,
    #[serde(default)]
    agencies: Vec<Agency>,
    #[serde(default)]
    spending_sources: Vec<SourceConfig>,
    /// Word lists for the naming rule of uncurated companies (`names::uncurated_names`).
    #[serde(default)]
    words: Words,
}

/// The word lists' files, one lower-case entry a line.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Words {
    ordinary: Option<PathBuf>,
    given_names: Option<PathBuf>,
    surnames: Option<PathBuf>,
    places: Option<PathBuf>,
}

fn read_lexicon(dir: &Path, words: &Words) -> Result<Lexicon, ImportError> {
    let read = |path: &Option<PathBuf>| -> Result<BTreeSet<String>, ImportError> {
        Ok(match path {
            Some(path) => crate::import::rows::read_text(&dir.join(path))?
                .lines()
                .map(str::to_string)
                .collect(),
            None => BTreeSet::new(),
        })
    };
    Ok(Lexicon {
        ordinary: read(&words.ordinary)?,
        given_names: read(&words.given_names)?,
        surnames: read(&words.surnames)?,
        places: read(&words.places)?,
    })
}

fn load_curated_with_sources(dir: &Path) -> Result<(Dataset, Settings), DataErrors> {
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
    let dataset = Dataset {
        data_as_of: settings.data_as_of.clone(),
        agencies: settings.agencies.clone(),
        spending_sources: Vec::new(),
        companies,
    };
    errors.extend(validate_files(&dataset, &settings_file, &files));
    if errors.is_empty() {
        Ok((dataset, settings))
    } else {
        Err(DataErrors(errors))
    }
}

/// Problems with the `[[spending_sources]]` of `dataset.toml` that the import would meet
/// later and less clearly: duplicate ids, unknown agencies, missing files.
fn check_sources_config(
    dataset: &Dataset,
    settings: &SourceFile,
    sources: &[SourceConfig],
    dir: &Path,
) -> Vec<DataError> {
    let mut errors = Vec::new();
    let mut ids = BTreeSet::new();
    for (i, source) in sources.iter().enumerate() {
        let at = |key: &str| settings.line_of(&[("spending_sources", i)], key);
        if !ids.insert(source.id.as_str()) {
            errors.push(settings.error(
                at("id"),
                format!("duplicate spending source {:?}", source.id),
            ));
        }
        for code in &source.agencies {
            if dataset.agency(code).is_none() {
                errors.push(settings.error(at("agencies"), format!("unknown agency {code:?}")));
            }
        }
        if !source.url.starts_with("https://") {
            errors.push(settings.error(at("url"), format!("url {:?} is not https", source.url)));
        }
        let paths = source
            .files
            .iter()
            .map(|f| ("files", f))
            .chain(source.dictionary.iter().map(|f| ("dictionary", f)))
            .chain(source.manifest.iter().map(|f| ("manifest", f)))
            .chain(
                source
                    .recipient_names
                    .iter()
                    .map(|f| ("recipient_names", f)),
            );
        for (key, path) in paths {
            if !dir.join(path).is_file() {
                errors.push(settings.error(at(key), format!("no file {}", path.display())));
            }
        }
    }
    errors
}

/// Adds the import to `dataset`: awards of curated companies join their records; other
/// recipients become uncurated companies. Every award is checked as curated contracts are.
fn add_imported(
    dataset: &mut Dataset,
    imported: Imported,
    settings: &SourceFile,
    lexicon: &Lexicon,
) -> Vec<DataError> {
    let mut errors = Vec::new();
    let agency_codes: BTreeSet<String> = dataset.agencies.iter().map(|a| a.code.clone()).collect();
    let agency_codes: BTreeSet<&str> = agency_codes.iter().map(String::as_str).collect();
    let line = settings.line_of(&[("spending_sources", 0)], "");
    for company in &imported.companies {
        for award in company.awards.iter().chain(&company.via) {
            for (_, reason) in contract_problems(award, &agency_codes, true) {
                errors.push(settings.error(
                    line,
                    format!(
                        "imported award {} of {}: {reason}",
                        award.award_id.as_deref().unwrap_or("?"),
                        company.id
                    ),
                ));
            }
        }
    }
    dataset.spending_sources = imported.sources;
    let mut uncurated = Vec::new();
    for company in imported.companies {
        let awards = company.awards.into_iter().chain(company.via);
        match dataset.companies.iter_mut().find(|c| c.id == company.id) {
            Some(curated) => {
                curated.awards.extend(awards);
                for r in company.recipients {
                    if !curated.recipients.contains(&r) {
                        curated.recipients.push(r);
                    }
                }
            }
            None => {
                let name = company.name.unwrap_or_default();
                let names = crate::names::uncurated_names(&name, lexicon);
                uncurated.push(Company {
                    id: company.id,
                    name,
                    aliases: names.names,
                    ambiguous: names.ambiguous,
                    exclude: Vec::new(),
                    shared: Vec::new(),
                    evidence: Vec::new(),
                    parent: None,
                    parent_name: company.parent_name,
                    website: None,
                    recipients: company.recipients,
                    products: Vec::new(),
                    contracts: Vec::new(),
                    statements: Vec::new(),
                    awards: awards.collect(),
                    uncurated: true,
                })
            }
        }
    }
    dataset.companies.extend(uncurated);
    errors
}

/// A calendar date written `YYYY-MM-DD`, between 1900 and 2100.
fn is_date(s: &str) -> bool {
    time::Date::parse(s, crate::import::rows::ISO_DATE)
        .is_ok_and(|d| (1900..=2100).contains(&d.year()))
}

/// The key of a company's file that gives `name`: the name, or else one of its aliases.
fn name_key(company: &Company, name: &str) -> &'static str {
    if name == company.name {
        "name"
    } else {
        "aliases"
    }
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
    // How many names (companies named alike, in their letter cases) each pattern the matcher
    // will hold has: it holds at most MOST_NAMES_OF_A_PATTERN.
    let mut names_of_pattern: BTreeMap<String, usize> = BTreeMap::new();
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
            // A shared name marks nothing (an exclusion): it joins no pattern.
            if !company.shared.iter().any(|n| n == name) {
                let pattern = crate::matcher::pattern_of_name(name);
                let count = names_of_pattern.entry(pattern.clone()).or_default();
                *count += 1;
                if *count == MOST_NAMES_OF_A_PATTERN + 1 {
                    errors.push(file.error(
                        at(&[], name_key(company, name)),
                        format!(
                            "name {name:?} is the {}th name written as {pattern:?} in some letter case: at most {MOST_NAMES_OF_A_PATTERN} may be",
                            *count
                        ),
                    ));
                }
            }
            let Some(other) = claimed.insert(name.to_string(), company) else {
                continue;
            };
            let shared = |c: &Company| c.shared.iter().any(|n| n == name);
            if !(shared(company) && shared(other)) {
                let other = &other.id;
                errors.push(file.error(
                    at(&[], name_key(company, name)),
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
                "awards and uncurated companies come from the spending records (data/sources/), not data/companies/",
            ));
        }
        for (pi, product) in company.products.iter().enumerate() {
            let t = [("products", pi)];
            if product.name.trim().is_empty() {
                errors.push(file.error(at(&t, "name"), "empty product name"));
            }
            check_sources(&mut errors, file, &t, "products", &product.sources);
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
            for code in &statement.agencies {
                if let Some(reason) = agency_unnamed(dataset, statement, code) {
                    errors.push(file.error(at(&t, "agencies"), reason));
                }
            }
            check_sources(&mut errors, file, &t, "statements", &statement.sources);
        }
    }
    errors
}

/// Why `statement` cannot be said to concern agency `code`, if it cannot: an unknown code, or
/// neither its words nor its sources' quotes name the agency (by code, by name, or by the last
/// two words of its name, as in "Immigrations and Customs Enforcement").
fn agency_unnamed(dataset: &Dataset, statement: &Statement, code: &str) -> Option<String> {
    let Some(agency) = dataset.agencies.iter().find(|a| a.code == code) else {
        return Some(format!("unknown agency {code:?}"));
    };
    let words: Vec<&str> = agency.name.split_whitespace().collect();
    let tail = words[words.len().saturating_sub(2)..]
        .join(" ")
        .to_lowercase();
    let texts = std::iter::once(statement.text.as_str())
        .chain(statement.sources.iter().filter_map(|s| s.quote.as_deref()));
    let names_it = |text: &str| {
        let lower = text.to_lowercase();
        text.split(|c: char| !c.is_alphanumeric())
            .any(|w| w == code)
            || lower.contains(&agency.name.to_lowercase())
            || lower.contains(&tail)
    };
    if texts.clone().any(names_it) {
        None
    } else {
        Some(format!(
            "the statement and its sources never name {code} ({}): a source must say what it is about",
            agency.name
        ))
    }
}

/// What is wrong with a contract, as `(key, reason)` pairs. Imported awards may net to a
/// de-obligation; curated figures are never negative.
fn contract_problems(
    contract: &Contract,
    agency_codes: &BTreeSet<&str>,
    imported: bool,
) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    for (key, code) in [
        ("agency", &contract.agency),
        ("sub_agency", &contract.sub_agency),
    ] {
        if let Some(code) = code {
            if !agency_codes.contains(code.as_str()) {
                problems.push((key, format!("unknown agency {code:?}")));
            }
        }
    }
    for (key, date) in [
        ("start", &contract.start),
        ("end", &contract.end),
        ("potential_end", &contract.potential_end),
        ("first_action", &contract.first_action),
        ("last_action", &contract.last_action),
    ] {
        if let Some(date) = date {
            if !is_date(date) {
                problems.push((key, format!("{key} {date:?} is not a date (YYYY-MM-DD)")));
            }
        }
    }
    if let (Some(start), Some(end)) = (&contract.start, &contract.end) {
        if is_date(start) && is_date(end) && end < start {
            problems.push(("end", format!("end {end} is before start {start}")));
        }
    }
    for (key, amount, may_be_negative) in [
        ("obligated_usd", contract.obligated_usd, imported),
        ("deobligated_usd", contract.deobligated_usd, false),
        ("potential_usd", contract.potential_usd, false),
        ("reported_usd", contract.reported_usd, false),
    ] {
        if let Some(amount) = amount {
            if !amount.is_finite() || (amount < 0.0 && !may_be_negative) {
                problems.push((key, format!("{key} {amount} is negative")));
            }
        }
    }
    if let Some(url) = &contract.award_url {
        if !url.starts_with("https://") {
            problems.push(("award_url", format!("award_url {url:?} is not https")));
        }
    }
    if contract.sources.is_empty() {
        problems.push(("", "a fact has no source".to_string()));
    }
    for source in &contract.sources {
        if !is_https(&source.url) {
            problems.push((
                "",
                format!("source {:?} is not an https address", source.url),
            ));
        }
    }
    problems
}

fn is_https(url: &str) -> bool {
    url.starts_with("https://") && url.len() > "https://".len()
}

fn check_contract(
    errors: &mut Vec<DataError>,
    file: &SourceFile,
    table: (&str, usize),
    contract: &Contract,
    agency_codes: &BTreeSet<&str>,
) {
    let t = [table];
    for (key, reason) in contract_problems(contract, agency_codes, false) {
        // Sources are reported below, each at its own line.
        if key.is_empty() {
            continue;
        }
        errors.push(file.error(file.line_of(&t, key), reason));
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
        if !is_https(&source.url) {
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
