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
    let decorations = read_sources(sources, |row| {
        all_rows.push(row);
        Ok(())
    })?;
    let read = all_rows.len();
    let rows = drop_duplicates(all_rows);
    let duplicates = read - rows.len();

    let mut dates = vec![SourceDates::default(); sources.len()];
    for row in &rows {
        dates[row.source].add(row);
    }
    let spending_sources = spending_sources(sources, &dates)?;

    let assignment = companies::assign(dataset, &rows, &decorations);
    let source_ids: Vec<&str> = sources.iter().map(|s| s.id.as_str()).collect();
    let awards = awards::aggregate(dataset, &rows, &source_ids)?;

    let mut assembly = Assembly::new(dataset, &assignment);
    for award in awards {
        assembly.add(award);
    }
    Ok(Imported {
        companies: assembly.finish(),
        sources: spending_sources,
        rows: rows.len(),
        duplicates,
        company_of: assignment.company_of,
    })
}

/// Reads every file of every source, in order, handing each row to `each`; gives the
/// sources' readable recipient names by DUNS.
pub fn read_sources(
    sources: &[SourceConfig],
    mut each: impl FnMut(rows::Row) -> Result<(), ImportError>,
) -> Result<BTreeMap<String, String>, ImportError> {
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
            rows::for_each_row(file, index, source, &links, &mut each)?;
        }
        if let Some(path) = &source.recipient_names {
            decorations.extend(companies::read_recipient_names(path)?);
        }
    }
    Ok(decorations)
}

/// The dates one source's rows cover, gathered row by row.
#[derive(Debug, Clone, Default)]
pub struct SourceDates {
    first_action: Option<String>,
    last_action: Option<String>,
    first_start: Option<String>,
    last_end: Option<String>,
}

impl SourceDates {
    pub fn add(&mut self, row: &rows::Row) {
        fn widen(bound: &mut Option<String>, date: &Option<String>, wider: std::cmp::Ordering) {
            if let Some(date) = date {
                if bound.as_ref().map_or(true, |b| date.cmp(b) == wider) {
                    *bound = Some(date.clone());
                }
            }
        }
        use std::cmp::Ordering::{Greater, Less};
        widen(&mut self.first_action, &row.action_date, Less);
        widen(&mut self.last_action, &row.action_date, Greater);
        widen(&mut self.first_start, &row.start, Less);
        widen(&mut self.last_end, &row.end, Greater);
    }
}

/// Each source with the dates its rows cover; `dates` in the order of `sources`.
pub fn spending_sources(
    sources: &[SourceConfig],
    dates: &[SourceDates],
) -> Result<Vec<SpendingSource>, ImportError> {
    sources
        .iter()
        .zip(dates)
        .map(|(source, dates)| {
            // Award summaries have no action dates; their periods of performance stand in.
            let first = dates.first_action.clone().or(dates.first_start.clone());
            let last = dates.last_action.clone().or(dates.last_end.clone());
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
        .collect()
}

/// Where an award is shown: on its recipient's company, and on the card of each maker its
/// descriptions name.
pub enum Placement<'p> {
    /// `award` goes to `company`, whose recipients include `recipients`.
    Award {
        company: &'p str,
        award: Contract,
        recipients: Vec<String>,
    },
    /// `award` is shown on `company`'s card too, sold by a reseller.
    Via { company: &'p str, award: Contract },
}

/// Finds where each award goes, once the recipients are assigned to companies.
pub struct Placer<'a> {
    assignment: &'a companies::Assignment,
    resale: resellers::Finder<'a>,
}

impl<'a> Placer<'a> {
    pub fn new(dataset: &'a Dataset, assignment: &'a companies::Assignment) -> Placer<'a> {
        Placer {
            assignment,
            resale: resellers::Finder::new(dataset),
        }
    }

    /// Hands `put` where `award` goes: each maker's "via" first, then the recipient's own.
    pub fn place(&self, award: awards::Award, mut put: impl FnMut(Placement<'_>)) {
        let id = &self.assignment.company_of[&award.recipient];
        // A maker named only in others' awards is curated, with no recipients of its own here.
        for (maker, evidence) in self.resale.makers(&award.descriptions, id) {
            put(Placement::Via {
                company: &maker,
                award: Contract {
                    via_evidence: Some(evidence),
                    ..award.contract.clone()
                },
            });
        }
        put(Placement::Award {
            company: id,
            award: award.contract,
            // Every name the award's rows give, so a recipient renamed mid-award is found too.
            recipients: award.recipients,
        });
    }

    /// What the import says of an uncurated company.
    pub fn uncurated(&self, id: &str) -> Option<&companies::Uncurated> {
        self.assignment.uncurated.get(id)
    }
}

/// Companies built from placed awards, in memory.
pub struct Assembly<'a> {
    placer: Placer<'a>,
    out: BTreeMap<String, ImportedCompany>,
}

impl<'a> Assembly<'a> {
    pub fn new(dataset: &'a Dataset, assignment: &'a companies::Assignment) -> Assembly<'a> {
        Assembly {
            placer: Placer::new(dataset, assignment),
            out: BTreeMap::new(),
        }
    }

    pub fn add(&mut self, award: awards::Award) {
        let Assembly { placer, out } = self;
        placer.place(award, |placement| add_placement(out, placer, placement));
    }

    pub fn finish(self) -> Vec<ImportedCompany> {
        placed_companies(self.out)
    }
}

/// One entry per company with awards, in id order, from what [`add_placement`] put in `out`.
pub fn placed_companies(out: BTreeMap<String, ImportedCompany>) -> Vec<ImportedCompany> {
    let mut companies: Vec<ImportedCompany> = out.into_values().collect();
    for company in &mut companies {
        company.recipients.sort();
    }
    companies
}

/// Puts one placement into `out`, making the company's entry on first use.
pub fn add_placement(
    out: &mut BTreeMap<String, ImportedCompany>,
    placer: &Placer,
    placement: Placement,
) {
    fn entry<'o>(
        out: &'o mut BTreeMap<String, ImportedCompany>,
        placer: &Placer,
        id: &str,
    ) -> &'o mut ImportedCompany {
        if !out.contains_key(id) {
            let info = placer.uncurated(id);
            out.insert(
                id.to_string(),
                ImportedCompany {
                    id: id.to_string(),
                    name: info.map(|i| i.name.clone()),
                    recipients: Vec::new(),
                    parent_name: info.and_then(|i| i.parent_name.clone()),
                    awards: Vec::new(),
                    via: Vec::new(),
                },
            );
        }
        out.get_mut(id).expect("inserted above")
    }
    match placement {
        Placement::Via { company, award } => entry(out, placer, company).via.push(award),
        Placement::Award {
            company,
            award,
            recipients,
        } => {
            let company = entry(out, placer, company);
            company.awards.push(award);
            for name in recipients {
                if !company.recipients.contains(&name) {
                    company.recipients.push(name);
                }
            }
        }
    }
}

/// The rows without exact copies: same agency, award, modification, date, amount, recipient
/// and description. The first copy is kept.
pub fn drop_duplicates(rows: Vec<rows::Row>) -> Vec<rows::Row> {
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
