//! Spending records into awards: the import behind `data/` and `contract-lens data
//! import-usaspending`.
//!
//! The build runs it on the sources `data/dataset.toml` lists (`[[spending_sources]]`, files
//! under `data/sources/`), so what ships is always the import of the committed records. Steps:
//!
//! 1. [`rows`]: read every file of every source into transactions, whatever its schema; drop
//!    exact duplicate rows (the API's paging repeats some).
//! 2. [`companies`]: recipients to companies. Spellings of one registrant (same DUNS, same
//!    name key, a name cut off at 30 characters) are one company; a curated company takes the
//!    recipients its data lists, and those whose parent it is.
//! 3. [`awards`]: transactions grouped by award id across sources and aggregated into
//!    figures that say only what the rows support.
//! 4. [`resellers`]: an award whose description names a curated company or its product is
//!    shown on that company's card too, "via" the recipient.
//!
//! The output is deterministic: the same files give the same bytes.

pub mod awards;
pub mod companies;
pub mod resellers;
pub mod rows;

use crate::dataset::{Contract, Dataset, SpendingSource};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A problem in a records file, located to its line (0: the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub file: PathBuf,
    pub line: u64,
    pub reason: String,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.reason)
    }
}

impl std::error::Error for ImportError {}

/// One source of spending records, as `data/dataset.toml` lists it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    pub id: String,
    /// What the records are, for a reader.
    pub name: String,
    /// Sub-agency codes the records cover.
    pub agencies: Vec<String>,
    /// What the records leave out, for a reader ("no rows for FY2019 and FY2020").
    pub gaps: String,
    /// Where the records come from.
    pub url: String,
    /// The files, relative to `data/`; `.gz` files are inflated.
    pub files: Vec<PathBuf>,
    /// Column dictionary (`letter,name` lines) for files without a header row.
    #[serde(default)]
    pub dictionary: Option<PathBuf>,
    /// Rows link to `{row_links}/{file}#L{line}`; without it, to their usaspending.gov page.
    #[serde(default)]
    pub row_links: Option<String>,
    /// A JSON list of the files the rows were taken from (`fiscal_year`, `agency`, `commit`,
    /// `path`): rows link to `{row_links}/{commit}/{path}`.
    #[serde(default)]
    pub manifest: Option<PathBuf>,
    /// Readable names of recipients by DUNS (`duns,cleanName,...` with a header row).
    #[serde(default)]
    pub recipient_names: Option<PathBuf>,
}

impl SourceConfig {
    /// The same source with its paths made absolute under `dir`.
    pub fn under(&self, dir: &Path) -> SourceConfig {
        let at = |p: &PathBuf| dir.join(p);
        SourceConfig {
            files: self.files.iter().map(at).collect(),
            dictionary: self.dictionary.as_ref().map(at),
            manifest: self.manifest.as_ref().map(at),
            recipient_names: self.recipient_names.as_ref().map(at),
            ..self.clone()
        }
    }
}

/// What the import gives one company: the awards of its recipients.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportedCompany {
    /// A curated company's id, or a new id for a recipient with no curated record.
    pub id: String,
    /// Display name, for a recipient with no curated record.
    #[serde(default)]
    pub name: Option<String>,
    /// The recipient names as the records write them.
    pub recipients: Vec<String>,
    /// The ultimate parent the records name, when it is not the company itself.
    #[serde(default)]
    pub parent_name: Option<String>,
    /// Awards to its recipients.
    #[serde(default)]
    pub awards: Vec<Contract>,
    /// Awards to others whose descriptions name this company or its product.
    #[serde(default)]
    pub via: Vec<Contract>,
}

/// What an import produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// One entry per company with awards, in id order.
    pub companies: Vec<ImportedCompany>,
    /// Each source with the dates its rows cover, in the order given.
    pub sources: Vec<SpendingSource>,
    /// Rows read, and exact duplicates among them dropped.
    pub rows: usize,
    pub duplicates: usize,
    /// Each recipient name as the records write it, to its company's id.
    pub company_of: BTreeMap<String, String>,
}

/// Imports `sources` (paths already absolute) for the curated companies and agencies of
/// `dataset`.
pub fn import(dataset: &Dataset, sources: &[SourceConfig]) -> Result<Imported, ImportError> {
    let mut all_rows = Vec::new();
    let mut decorations = BTreeMap::new();
    for (index, source) in sources.iter().enumerate() {
        let manifest = match &source.manifest {
            Some(path) => read_manifest(path)?,
            None => BTreeMap::new(),
        };
        let links = match (&source.row_links, &source.manifest) {
            (Some(base), Some(_)) => rows::RowLinks::Manifest {
                base,
                files: &manifest,
            },
            (Some(base), None) => rows::RowLinks::Base(base),
            (None, _) => rows::RowLinks::Permalink,
        };
        for file in &source.files {
            all_rows.extend(rows::read_file(file, index, source, &links)?);
        }
        if let Some(path) = &source.recipient_names {
            decorations.extend(companies::read_recipient_names(path)?);
        }
    }
    let read = all_rows.len();
    let rows = drop_duplicates(all_rows);
    let duplicates = read - rows.len();

    let spending_sources = sources
        .iter()
        .enumerate()
        .map(|(index, source)| {
            // Award summaries have no action dates; their periods of performance stand in.
            let rows = || rows.iter().filter(|r| r.source == index);
            let first = rows()
                .filter_map(|r| r.action_date.clone())
                .min()
                .or_else(|| rows().filter_map(|r| r.start.clone()).min());
            let last = rows()
                .filter_map(|r| r.action_date.clone())
                .max()
                .or_else(|| rows().filter_map(|r| r.end.clone()).max());
            match (first, last) {
                (Some(first_action), Some(last_action)) => Ok(SpendingSource {
                    id: source.id.clone(),
                    name: source.name.clone(),
                    agencies: source.agencies.clone(),
                    first_action,
                    last_action,
                    gaps: source.gaps.clone(),
                    url: source.url.clone(),
                }),
                _ => Err(rows::error(
                    source.files.first().map_or(Path::new(""), |f| f.as_path()),
                    0,
                    format!("spending source {:?}: no dated rows", source.id),
                )),
            }
        })
        .collect::<Result<Vec<_>, _>>()?;

    let assignment = companies::assign(dataset, &rows, &decorations);
    let source_ids: Vec<&str> = sources.iter().map(|s| s.id.as_str()).collect();
    let awards = awards::aggregate(dataset, &rows, &source_ids)?;

    let mut out: BTreeMap<String, ImportedCompany> = BTreeMap::new();
    let resale = resellers::Finder::new(dataset);
    for award in awards {
        let id = &assignment.company_of[&award.recipient];
        // A maker named only in others' awards is curated, with no recipients of its own here.
        for (maker, evidence) in resale.makers(&award.descriptions, id) {
            entry(&mut out, &assignment, &maker).via.push(Contract {
                via_evidence: Some(evidence),
                ..award.contract.clone()
            });
        }
        let company = entry(&mut out, &assignment, id);
        company.awards.push(award.contract);
        // Every name the award's rows give, so a recipient renamed mid-award is found too.
        for name in award.recipients {
            if !company.recipients.contains(&name) {
                company.recipients.push(name);
            }
        }
    }
    for company in out.values_mut() {
        company.recipients.sort();
    }
    Ok(Imported {
        companies: out.into_values().collect(),
        sources: spending_sources,
        rows: rows.len(),
        duplicates,
        company_of: assignment.company_of,
    })
}

/// Company `id`'s entry in `out`, made on first use.
fn entry<'a>(
    out: &'a mut BTreeMap<String, ImportedCompany>,
    assignment: &companies::Assignment,
    id: &str,
) -> &'a mut ImportedCompany {
    out.entry(id.to_string()).or_insert_with(|| {
        let info = assignment.uncurated.get(id);
        ImportedCompany {
            id: id.to_string(),
            name: info.map(|i| i.name.clone()),
            recipients: Vec::new(),
            parent_name: info.and_then(|i| i.parent_name.clone()),
            awards: Vec::new(),
            via: Vec::new(),
        }
    })
}

/// The rows without exact copies: same agency, award, modification, date, amount, recipient
/// and description. The first copy is kept.
fn drop_duplicates(rows: Vec<rows::Row>) -> Vec<rows::Row> {
    let mut seen = BTreeSet::new();
    rows.into_iter()
        .filter(|r| {
            seen.insert((
                r.sub_agency.clone(),
                r.piid.clone(),
                r.modification.clone(),
                r.action_date.clone(),
                r.obligation.map(f64::to_bits),
                r.recipient.clone(),
                r.description.clone(),
            ))
        })
        .collect()
}

/// `(fiscal year, agency) -> (commit, path)`: where each slice of a source's rows was taken.
pub type Manifest = BTreeMap<(u32, String), (String, String)>;

/// The manifest of a source, from its JSON file.
fn read_manifest(path: &Path) -> Result<Manifest, ImportError> {
    #[derive(Deserialize)]
    struct Entry {
        fiscal_year: u32,
        agency: String,
        commit: String,
        path: String,
    }
    let text = rows::read_text(path)?;
    let entries: Vec<Entry> =
        serde_json::from_str(&text).map_err(|e| rows::error(path, e.line() as u64, e))?;
    Ok(entries
        .into_iter()
        .map(|e| ((e.fiscal_year, e.agency), (e.commit, e.path)))
        .collect())
}

/// The TOML file for one company, deterministic to the byte: for review
/// (`data import-usaspending --out DIR`).
pub fn to_toml(company: &ImportedCompany) -> String {
    let mut out = String::from(
        "# Written by `contract-lens data import-usaspending` from the records in data/sources/;\n\
         # the build makes the same import. Change the records or data/companies/, not this.\n",
    );
    out.push_str(&toml::to_string(company).expect("imported companies serialize"));
    out
}

/// Writes one TOML file per company into `dir`, replacing the files there.
pub fn write(dir: &Path, imported: &Imported) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|x| x == "toml") {
            std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    for company in &imported.companies {
        let path = dir.join(format!("{}.toml", company.id));
        std::fs::write(&path, to_toml(company)).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// Summary line for the CLI.
pub fn summary(imported: &Imported) -> String {
    let awards: usize = imported.companies.iter().map(|c| c.awards.len()).sum();
    let via: usize = imported.companies.iter().map(|c| c.via.len()).sum();
    let uncurated = imported
        .companies
        .iter()
        .filter(|c| c.name.is_some())
        .count();
    format!(
        "{} rows ({} exact duplicates dropped), {} recipients, {awards} awards, {via} shown via a \
         reseller too, {} companies ({uncurated} uncurated)",
        imported.rows,
        imported.duplicates,
        imported.company_of.len(),
        imported.companies.len()
    )
}
