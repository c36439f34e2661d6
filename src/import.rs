//! `contract-lens data import-usaspending`: USAspending contract downloads into `data/usaspending/`.
//!
//! Reads downloads in the current schema (a header row naming the columns) and in the 2018 schema
//! (with a header, or headerless like the Torn Apart files, named by their column dictionary).
//! Transactions are aggregated into awards, one per award id (PIID, under its parent award):
//! obligations summed, the latest potential value, the first start and the latest end, the number
//! of modifications. Each recipient goes to a company: a curated one when its name is one of the
//! company's `recipients`, names or aliases, or when its parent (`recipient_parent_name`) is;
//! otherwise a new, uncurated company named after it. The output is deterministic: the same files
//! give the same bytes.

use crate::dataset::{Contract, Dataset, ImportedCompany, Source};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Where each row's source link points.
#[derive(Debug, Clone)]
pub enum SourceLinks {
    /// `{base}/{file name}#L{line}`: the file as published (say, in a repository).
    Base(String),
    /// The row's own `usaspending_permalink` column (current-schema downloads).
    Permalink,
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub files: Vec<PathBuf>,
    /// Column dictionary (`letter,name` per line) for headerless 2018-schema files; by default
    /// `follow_the_money_data_dictionary.csv` next to the file.
    pub dictionary: Option<PathBuf>,
    pub links: SourceLinks,
}

/// What an import produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// One entry per company with awards, in id order.
    pub companies: Vec<ImportedCompany>,
    pub rows: usize,
    pub recipients: usize,
}

/// One transaction row, reduced to what the import uses.
#[derive(Debug, Clone, Default)]
struct Row {
    file: String,
    line: u64,
    piid: String,
    parent_piid: String,
    modification: String,
    obligation: Option<f64>,
    total_obligated: Option<f64>,
    potential: Option<f64>,
    action_date: Option<String>,
    start: Option<String>,
    end: Option<String>,
    potential_end: Option<String>,
    agency: String,
    sub_agency: String,
    recipient: String,
    recipient_parent: String,
    description: String,
    product_or_service: String,
    permalink: String,
    /// USAspending's key for the award ("CONT_AWD_<PIID>_<agency>_<parent PIID>_<parent agency>").
    unique_key: String,
}

fn error(file: &Path, line: u64, reason: impl std::fmt::Display) -> String {
    format!("{}:{line}: {reason}", file.display())
}

/// Column names for a headerless file, from `letter,name` lines.
fn read_dictionary(path: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| error(path, 0, e))?;
    let mut names = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some((letters, name)) = line.split_once(',') else {
            return Err(error(path, i as u64 + 1, "expected `letter,name`"));
        };
        // Spreadsheet letters: A..Z, AA..: the position is implied; check it all the same.
        let position = letters
            .bytes()
            .try_fold(0usize, |n, b| {
                b.is_ascii_uppercase()
                    .then(|| n * 26 + (b - b'A' + 1) as usize)
            })
            .ok_or_else(|| error(path, i as u64 + 1, format!("bad column letter {letters:?}")))?;
        if position != names.len() + 1 {
            return Err(error(
                path,
                i as u64 + 1,
                format!("column {letters} out of order"),
            ));
        }
        names.push(name.trim().to_string());
    }
    Ok(names)
}

/// `2018-06-22`, `2018-06-22 00:00:00`, `22/06/2018` and `22/06/18 00:00` as `2018-06-22`.
fn parse_date(value: &str) -> Option<String> {
    let value = value.trim();
    let day = value.split_whitespace().next()?;
    if day.len() >= 10 && day.as_bytes()[4] == b'-' {
        return Some(day[..10].to_string());
    }
    let mut parts = day.split('/');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    let year: u32 = match y.len() {
        4 => y.parse().ok()?,
        2 => {
            let yy: u32 = y.parse().ok()?;
            if yy >= 70 {
                1900 + yy
            } else {
                2000 + yy
            }
        }
        _ => return None,
    };
    Some(format!(
        "{year:04}-{:02}-{:02}",
        m.parse::<u32>().ok()?,
        d.parse::<u32>().ok()?
    ))
}

fn parse_amount(value: &str) -> Option<f64> {
    let value = value.trim().replace([',', '$'], "");
    (!value.is_empty()).then(|| value.parse().ok()).flatten()
}

fn read_rows(path: &Path, options: &ImportOptions) -> Result<Vec<Row>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .map_err(|e| error(path, 0, e))?;
    let mut records = reader.records();
    let first = match records.next() {
        Some(record) => record.map_err(|e| error(path, 1, e))?,
        None => return Ok(Vec::new()),
    };
    let has_header = first.iter().any(|f| f == "award_id_piid");
    let columns: Vec<String> = if has_header {
        first.iter().map(str::to_string).collect()
    } else {
        let dictionary = options
            .dictionary
            .clone()
            .unwrap_or_else(|| path.with_file_name("follow_the_money_data_dictionary.csv"));
        read_dictionary(&dictionary).map_err(|e| {
            format!(
                "{e}\n{}: no header row; give its column dictionary with --dictionary",
                path.display()
            )
        })?
    };
    let index = |name: &str| columns.iter().position(|c| c == name);
    let required = |name: &str| {
        index(name).ok_or_else(|| {
            error(
                path,
                1,
                format!("no column {name:?}: not a USAspending contract download"),
            )
        })
    };
    let piid = required("award_id_piid")?;
    let recipient = required("recipient_name")?;
    let agency = required("awarding_agency_name")?;
    let sub_agency = required("awarding_sub_agency_name")?;
    let optional = [
        "parent_award_id_piid",
        "parent_award_id",
        "modification_number",
        "federal_action_obligation",
        "total_obligated_amount",
        "potential_total_value_of_award",
        "action_date",
        "period_of_performance_start_date",
        "period_of_performance_current_end_date",
        "period_of_performance_potential_end_date",
        "recipient_parent_name",
        "prime_award_base_transaction_description",
        "award_description",
        "transaction_description",
        "product_or_service_code_description",
        "usaspending_permalink",
        "contract_award_unique_key",
        "awarding_sub_agency_code",
        "parent_award_agency_id",
    ]
    .map(index);
    let [parent_piid, parent_id, modification, obligation, total_obligated, potential, action_date, start, end, potential_end, parent, base_description, award_description, transaction_description, psc, permalink, unique_key, sub_agency_code, parent_agency_id] =
        optional;
    if matches!(options.links, SourceLinks::Permalink) && permalink.is_none() {
        return Err(error(
            path,
            1,
            "no usaspending_permalink column: give --source-base URL",
        ));
    }
    let file = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_string();
    let mut rows = Vec::new();
    let mut first = Some(Ok(first)).filter(|_| !has_header);
    loop {
        let record = match first.take() {
            Some(record) => record,
            None => match records.next() {
                Some(record) => record,
                None => break,
            },
        };
        let record = record.map_err(|e| error(path, 0, e))?;
        let line = record.position().map_or(1, |p| p.line());
        let get = |i: Option<usize>| {
            i.and_then(|i| record.get(i))
                .unwrap_or("")
                .trim()
                .to_string()
        };
        let piid_value = get(Some(piid));
        // A stray header line inside a file (fy13.csv has one) is not a row.
        if piid_value == "award_id_piid" || piid_value.is_empty() {
            continue;
        }
        let description = [base_description, award_description, transaction_description]
            .into_iter()
            .map(get)
            .find(|d| !d.is_empty())
            .unwrap_or_default();
        rows.push(Row {
            file: file.clone(),
            line,
            piid: piid_value,
            parent_piid: [parent_piid, parent_id]
                .into_iter()
                .map(get)
                .find(|p| !p.is_empty())
                .unwrap_or_default(),
            modification: get(modification),
            obligation: parse_amount(&get(obligation)),
            total_obligated: parse_amount(&get(total_obligated)),
            potential: parse_amount(&get(potential)),
            action_date: parse_date(&get(action_date)),
            start: parse_date(&get(start)),
            end: parse_date(&get(end)),
            potential_end: parse_date(&get(potential_end)),
            agency: get(Some(agency)),
            sub_agency: get(Some(sub_agency)),
            recipient: get(Some(recipient)),
            recipient_parent: get(parent),
            description,
            product_or_service: get(psc),
            permalink: get(permalink),
            unique_key: {
                let given = get(unique_key);
                let code = get(sub_agency_code);
                if !given.is_empty() {
                    given
                } else if !code.is_empty() {
                    // The key USAspending derives for a contract award; "-NONE-" where a part is
                    // missing (an award with no parent).
                    let or_none = |s: String| {
                        if s.is_empty() {
                            "-NONE-".to_string()
                        } else {
                            s
                        }
                    };
                    let parent = [parent_piid, parent_id]
                        .into_iter()
                        .map(get)
                        .find(|p| !p.is_empty())
                        .unwrap_or_default();
                    format!(
                        "CONT_AWD_{}_{}_{}_{}",
                        get(Some(piid)),
                        code,
                        or_none(parent),
                        or_none(get(parent_agency_id))
                    )
                } else {
                    String::new()
                }
            },
        });
    }
    Ok(rows)
}

const LEGAL_SUFFIXES: &[&str] = &[
    "INC",
    "INCORPORATED",
    "LLC",
    "L L C",
    "LLP",
    "LP",
    "L P",
    "CORP",
    "CORPORATION",
    "CO",
    "LTD",
    "LIMITED",
    "PLC",
    "PC",
    "PLLC",
    "THE",
    "COMPANY",
];

/// A recipient name reduced for comparison: upper case, "&" as AND, no punctuation, no
/// parenthesised codes ("3M COMPANY (7775)"), no legal suffixes or "THE".
pub fn name_key(name: &str) -> String {
    let mut cleaned = String::new();
    let mut depth = 0;
    for c in name.to_uppercase().chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = (depth - 1).max(0),
            _ if depth > 0 => {}
            '&' => cleaned.push_str(" AND "),
            '.' | '\'' | '’' => {}
            c if c.is_alphanumeric() => cleaned.push(c),
            _ => cleaned.push(' '),
        }
    }
    let mut words: Vec<&str> = cleaned.split_whitespace().collect();
    // Suffixes come last ("ACME SYSTEMS, INC."), "THE" first or, inverted, last.
    while words.len() > 1 && LEGAL_SUFFIXES.contains(words.last().expect("not empty")) {
        words.pop();
    }
    if words.len() > 1 && words[0] == "THE" {
        words.remove(0);
    }
    words.join(" ")
}

const SMALL_WORDS: &[&str] = &["of", "and", "the", "for", "in", "on", "at", "to", "de", "a"];
const UPPER_WORDS: &[&str] = &[
    "LLC", "LLP", "LP", "PLLC", "PC", "USA", "US", "II", "III", "IV", "IT", "HR", "AV", "NW",
];

/// "TRAILBOSS ENTERPRISES, INC." as "Trailboss Enterprises, Inc.": words capitalised,
/// acronyms and initials kept, small words lowercase, parenthesised codes dropped, and the
/// inverted "GEO GROUP, INC., THE" put right.
pub fn display_name(raw: &str) -> String {
    let mut name = String::new();
    let mut depth = 0;
    for c in raw.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = (depth - 1).max(0),
            _ if depth > 0 => {}
            c => name.push(c),
        }
    }
    let mut name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    name = name.trim_end_matches([',', ' ']).to_string();
    if let Some(rest) = name.strip_suffix(", THE") {
        name = format!("THE {rest}");
    }
    let words: Vec<String> = name
        .split(' ')
        .enumerate()
        .map(|(i, word)| {
            let bare: String = word.chars().filter(|c| c.is_alphanumeric()).collect();
            let vowels = bare.chars().any(|c| "AEIOUYaeiouy".contains(c));
            if UPPER_WORDS.contains(&bare.as_str())
                || bare.len() == 1
                || (word.contains('&') && word.len() > 1)
                || word.contains('.') && bare.len() <= 3 && bare != "INC" && bare != "CO"
                || (!vowels && bare.chars().any(char::is_alphabetic))
                || bare.chars().any(|c| c.is_ascii_digit())
            {
                return word.to_string();
            }
            let lower = word.to_lowercase();
            if i > 0 && SMALL_WORDS.contains(&lower.trim_end_matches(',')) {
                return lower;
            }
            // Capitalise after each hyphen or slash too ("A-1 Freeman", "Tri-State").
            let mut out = String::new();
            let mut upper = true;
            for c in lower.chars() {
                out.extend(if upper {
                    c.to_uppercase().collect::<Vec<_>>()
                } else {
                    vec![c]
                });
                upper = c == '-' || c == '/';
            }
            out
        })
        .collect();
    words.join(" ")
}

fn slug(key: &str) -> String {
    let mut out = String::new();
    for c in key.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Which curated company a recipient name (or parent name) belongs to, by name key.
fn curated_index(dataset: &Dataset) -> BTreeMap<String, String> {
    let mut index = BTreeMap::new();
    for company in dataset.companies.iter().filter(|c| !c.uncurated) {
        for name in company
            .names()
            .chain(company.recipients.iter().map(String::as_str))
        {
            index
                .entry(name_key(name))
                .or_insert_with(|| company.id.clone());
        }
    }
    index
}

fn agency_code(dataset: &Dataset, name: &str) -> Option<String> {
    dataset
        .agencies
        .iter()
        .find(|a| {
            a.usaspending_names
                .iter()
                .any(|n| n.eq_ignore_ascii_case(name))
                || a.name.eq_ignore_ascii_case(name)
        })
        .map(|a| a.code.clone())
}

/// Reads the files and builds every company's imported record. `dataset` supplies the curated
/// companies and the agencies (data/ as it is, before the import).
pub fn import(dataset: &Dataset, options: &ImportOptions) -> Result<Imported, String> {
    let mut rows = Vec::new();
    for file in &options.files {
        rows.extend(read_rows(file, options)?);
    }
    let curated = curated_index(dataset);
    let curated_ids: BTreeSet<&str> = dataset.companies.iter().map(|c| c.id.as_str()).collect();

    // Awards: rows grouped by (PIID, parent PIID), in file and line order.
    let mut awards: BTreeMap<(String, String), Vec<&Row>> = BTreeMap::new();
    for row in &rows {
        awards
            .entry((row.piid.clone(), row.parent_piid.clone()))
            .or_default()
            .push(row);
    }

    // Recipients to companies.
    let mut company_of: BTreeMap<String, String> = BTreeMap::new();
    let mut uncurated_names: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut uncurated_parent: BTreeMap<String, String> = BTreeMap::new();
    for row in &rows {
        if company_of.contains_key(&row.recipient) {
            continue;
        }
        let key = name_key(&row.recipient);
        let id = curated
            .get(&key)
            .or_else(|| {
                curated
                    .get(&name_key(&row.recipient_parent))
                    .filter(|_| !row.recipient_parent.is_empty())
            })
            .cloned()
            .unwrap_or_else(|| {
                let id = slug(&key);
                // A new id never takes a curated one.
                if curated_ids.contains(id.as_str()) {
                    format!("{id}-usaspending")
                } else {
                    id
                }
            });
        company_of.insert(row.recipient.clone(), id);
    }
    for row in &rows {
        let id = &company_of[&row.recipient];
        if curated_ids.contains(id.as_str()) {
            continue;
        }
        *uncurated_names
            .entry(id.clone())
            .or_default()
            .entry(row.recipient.clone())
            .or_default() += 1;
        if !row.recipient_parent.is_empty()
            && name_key(&row.recipient_parent) != name_key(&row.recipient)
        {
            uncurated_parent
                .entry(id.clone())
                .or_insert_with(|| display_name(&row.recipient_parent));
        }
    }

    let mut out: BTreeMap<String, ImportedCompany> = BTreeMap::new();
    for ((piid, _), rows) in &awards {
        // The latest row by action date, then by position in the files.
        let latest = rows
            .iter()
            .enumerate()
            .max_by(|(i, a), (j, b)| (&a.action_date, i).cmp(&(&b.action_date, j)))
            .map(|(_, r)| *r)
            .expect("an award has rows");
        let base = rows
            .iter()
            .find(|r| r.modification == "0")
            .copied()
            .unwrap_or(rows[0]);
        let code = |name: &str, row: &Row| {
            agency_code(dataset, name).ok_or_else(|| {
                error(
                    Path::new(&row.file),
                    row.line,
                    format!(
                        "unknown agency {name:?}: add it to data/dataset.toml (usaspending_names)"
                    ),
                )
            })
        };
        let agency = code(&latest.agency, latest)?;
        let sub_agency = code(&latest.sub_agency, latest)?;
        let transactions = rows.iter().any(|r| !r.modification.is_empty());
        let obligated = if transactions {
            rows.iter().filter_map(|r| r.obligation).sum::<f64>()
        } else {
            latest.total_obligated.unwrap_or(0.0)
        };
        let obligated = (obligated * 100.0).round() / 100.0;
        let mut note = None;
        let obligated_usd = if obligated >= 0.0 {
            Some(obligated)
        } else {
            // Rows of modifications alone can net to a deobligation; a card shows no negative
            // spending, so it is said in words.
            note = Some(format!(
                "These rows net to a deobligation of ${:.2}.",
                -obligated
            ));
            None
        };
        let modifications =
            transactions.then(|| rows.iter().filter(|r| r.modification != "0").count() as u32);
        let sources = [base, latest]
            .iter()
            .enumerate()
            .filter(|(i, r)| *i == 0 || r.line != base.line || r.file != base.file)
            .map(|(_, r)| match &options.links {
                SourceLinks::Base(url) => Source {
                    url: format!("{}/{}#L{}", url.trim_end_matches('/'), r.file, r.line),
                    quote: Some(format!(
                        "award_id_piid: {}; modification_number: {}; recipient_name: {}",
                        r.piid, r.modification, r.recipient
                    )),
                },
                SourceLinks::Permalink => Source {
                    url: r.permalink.clone(),
                    quote: None,
                },
            })
            .collect();
        let nonempty = |s: &str| (!s.is_empty()).then(|| s.to_string());
        let award = Contract {
            agency: Some(agency),
            sub_agency: Some(sub_agency),
            recipient: Some(latest.recipient.clone()),
            description: nonempty(&base.description).or_else(|| nonempty(&latest.description)),
            obligated_usd,
            potential_usd: latest.potential,
            reported_usd: None,
            start: rows.iter().filter_map(|r| r.start.clone()).min(),
            end: rows.iter().filter_map(|r| r.end.clone()).max(),
            potential_end: rows.iter().filter_map(|r| r.potential_end.clone()).max(),
            base_years: None,
            option_years: None,
            award_id: Some(piid.clone()),
            award_url: (!latest.unique_key.is_empty()
                && latest
                    .unique_key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .then(|| format!("https://www.usaspending.gov/award/{}/", latest.unique_key)),
            product_or_service: nonempty(&latest.product_or_service),
            modifications,
            note,
            sources,
        };
        // The rows can give an end before the start; say so rather than show a contradiction.
        let award = match (&award.start, &award.end) {
            (Some(s), Some(e)) if e < s => Contract {
                note: Some(format!(
                    "The rows give an end date ({e}) before the start ({s})."
                )),
                end: None,
                ..award
            },
            _ => award,
        };
        let id = company_of[&latest.recipient].clone();
        let entry = out.entry(id.clone()).or_insert_with(|| ImportedCompany {
            id: id.clone(),
            name: None,
            recipients: Vec::new(),
            parent_name: None,
            awards: Vec::new(),
        });
        entry.awards.push(award);
        // Every name the award's rows give, so a recipient renamed mid-award is found too.
        for row in rows {
            if !entry.recipients.contains(&row.recipient) {
                entry.recipients.push(row.recipient.clone());
            }
        }
    }
    for (id, entry) in out.iter_mut() {
        entry.recipients.sort();
        if !curated_ids.contains(id.as_str()) {
            // The name written most often; on a tie, the first in order.
            let names = &uncurated_names[id];
            let most = names
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .expect("a name");
            entry.name = Some(display_name(most.0));
            entry.parent_name = uncurated_parent.get(id).cloned();
        }
    }
    Ok(Imported {
        companies: out.into_values().collect(),
        rows: rows.len(),
        recipients: company_of.len(),
    })
}

/// The TOML file for one company, deterministic to the byte.
pub fn to_toml(company: &ImportedCompany) -> String {
    let mut out = String::from(
        "# Written by `contract-lens data import-usaspending`; change data/companies/ or the\n\
         # downloads and import again rather than editing this file.\n",
    );
    out.push_str(&toml::to_string(company).expect("imported companies serialize"));
    out
}

/// Replaces `dir` (data/usaspending/) with the imported companies.
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
    let uncurated = imported
        .companies
        .iter()
        .filter(|c| c.name.is_some())
        .count();
    format!(
        "{} rows, {} recipients, {awards} awards, {} companies ({uncurated} uncurated)",
        imported.rows,
        imported.recipients,
        imported.companies.len()
    )
}
