//! Reading spending records: one [`Row`] per transaction, from any of three schemas, told
//! apart by their first line.
//!
//! - USAspending downloads in the current schema: a header row naming `award_id_piid`, ...
//! - USAspending downloads in the 2018 schema without a header row (the Torn Apart files): the
//!   column names come from a dictionary of `letter,name` lines.
//! - Transactions from USAspending's `spending_by_transaction` API: a header row of ten
//!   columns (`Agency`, `Award ID`, `Recipient Name`, ...), the agency given by its code.
//!
//! Files may be gzip-compressed (`.gz`). Rows are deserialised by column name, so the order
//! of columns never matters.

use super::{ImportError, SourceConfig};
use serde::Deserialize;
use std::io::Read;
use std::path::Path;

/// One transaction (a base award or a modification), reduced to what the import uses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// Index of the spending source in the import's list.
    pub source: usize,
    /// The file's name as published (without `.gz`) and the row's line in it.
    pub file: String,
    pub line: u64,
    pub piid: String,
    pub parent_piid: String,
    /// "0" for the base award; empty in award summaries, which have no transactions.
    pub modification: String,
    pub obligation: Option<f64>,
    /// An award summary's total (current-schema award downloads).
    pub total_obligated: Option<f64>,
    pub potential: Option<f64>,
    pub action_date: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub potential_end: Option<String>,
    /// The agency as the file names it: a full name, or (API rows) a sub-agency code.
    pub agency: String,
    pub sub_agency: String,
    /// True when `sub_agency` is a code rather than a name.
    pub sub_agency_is_code: bool,
    pub recipient: String,
    pub recipient_parent: String,
    pub duns: String,
    pub parent_duns: String,
    /// The award's own description (the base transaction's), where the file has one.
    pub award_description: String,
    /// This transaction's description.
    pub description: String,
    pub product_or_service: String,
    /// A contract vehicle (IDV) rather than an award.
    pub vehicle: bool,
    /// USAspending's key for the award (`CONT_AWD_<PIID>_<agency>_<parent PIID>_<agency>`).
    pub award_key: String,
    /// Where a reader can see this row: its usaspending.gov permalink or its published file.
    pub link: String,
}

impl Row {
    /// The row's fields that identify it, as its file writes them: the quote of its source.
    pub fn quote(&self) -> String {
        let date = self.action_date.as_deref().unwrap_or("");
        if self.sub_agency_is_code {
            format!(
                "Award ID: {}; Modification: {}; Action Date: {date}; Recipient Name: {}",
                self.piid, self.modification, self.recipient
            )
        } else {
            format!(
                "award_id_piid: {}; modification_number: {}; recipient_name: {}",
                self.piid, self.modification, self.recipient
            )
        }
    }
}

pub fn error(file: &Path, line: u64, reason: impl std::fmt::Display) -> ImportError {
    ImportError {
        file: file.to_path_buf(),
        line,
        reason: reason.to_string(),
    }
}

/// The file's text, inflated when its name ends in `.gz`.
pub fn read_text(path: &Path) -> Result<String, ImportError> {
    let bytes = std::fs::read(path).map_err(|e| error(path, 0, e))?;
    if path.extension().is_some_and(|x| x == "gz") {
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .map_err(|e| error(path, 0, format!("not gzip-compressed UTF-8: {e}")))?;
        Ok(text)
    } else {
        String::from_utf8(bytes).map_err(|e| error(path, 0, format!("not UTF-8: {e}")))
    }
}

/// Column names for a headerless file, from `letter,name` lines.
pub fn read_dictionary(path: &Path) -> Result<Vec<String>, ImportError> {
    let text = read_text(path)?;
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

/// Dates as the dataset writes them.
pub const ISO_DATE: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// `2018-06-22`, `2018-06-22 00:00:00`, `22/06/2018` and `22/06/18 00:00` as `2018-06-22`;
/// `None` for anything that is not a calendar date.
pub fn parse_date(value: &str) -> Option<String> {
    let day = value.split_whitespace().next()?;
    let date = if day.len() >= 10 && day.as_bytes()[4] == b'-' {
        time::Date::parse(&day[..10], ISO_DATE).ok()?
    } else {
        let mut parts = day.split('/');
        let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
        let year: i32 = match y.len() {
            4 => y.parse().ok()?,
            // Two-digit years of the 2018 exports: 70-99 are 19xx.
            2 => y
                .parse::<i32>()
                .ok()
                .map(|yy| if yy >= 70 { 1900 + yy } else { 2000 + yy })?,
            _ => return None,
        };
        let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
        time::Date::from_calendar_date(year, month, d.parse().ok()?).ok()?
    };
    date.format(ISO_DATE).ok()
}

fn parse_amount(value: &str) -> Result<Option<f64>, String> {
    let value = value.trim().replace([',', '$'], "");
    if value.is_empty() {
        return Ok(None);
    }
    value
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(Some)
        .ok_or_else(|| format!("amount {value:?} is not a number"))
}

/// A row of a USAspending download, by its column names (current and 2018 schemas).
#[derive(Deserialize, Default)]
#[serde(default)]
struct UsaspendingRecord {
    award_id_piid: String,
    parent_award_id_piid: String,
    parent_award_id: String,
    modification_number: String,
    federal_action_obligation: String,
    total_obligated_amount: String,
    potential_total_value_of_award: String,
    action_date: String,
    period_of_performance_start_date: String,
    period_of_performance_current_end_date: String,
    period_of_performance_potential_end_date: String,
    awarding_agency_name: String,
    awarding_sub_agency_name: String,
    awarding_sub_agency_code: String,
    parent_award_agency_id: String,
    recipient_name: String,
    recipient_parent_name: String,
    recipient_duns: String,
    recipient_parent_duns: String,
    prime_award_base_transaction_description: String,
    award_description: String,
    transaction_description: String,
    product_or_service_code_description: String,
    award_or_idv_flag: String,
    usaspending_permalink: String,
    contract_award_unique_key: String,
}

/// A row of USAspending's `spending_by_transaction` API, as its ten columns name it.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ApiTransactionRecord {
    #[serde(rename = "Agency")]
    agency: String,
    #[serde(rename = "Award ID")]
    award_id: String,
    #[serde(rename = "Recipient Name")]
    recipient_name: String,
    #[serde(rename = "Federal Action Obligation")]
    federal_action_obligation: String,
    #[serde(rename = "Action Date")]
    action_date: String,
    #[serde(rename = "Modification")]
    modification: String,
    #[serde(rename = "Product/Service Description")]
    product_or_service: String,
    #[serde(rename = "Transaction Description")]
    transaction_description: String,
    #[serde(rename = "Generated Award ID")]
    generated_award_id: String,
}

enum Schema {
    Usaspending,
    ApiTransactions,
}

/// Where a row of `file` links to, when the source publishes its files at an address.
pub enum RowLinks<'a> {
    /// `{base}/{file}#L{line}`.
    Base(&'a str),
    /// The row's own `usaspending_permalink`, or usaspending.gov's page of its award.
    Permalink,
    /// The file each row was taken from, by fiscal year and agency: `{base}/{commit}/{path}`.
    Manifest {
        base: &'a str,
        files: &'a super::Manifest,
    },
}

/// The file, inflated when its name ends in `.gz`, as a stream: files too big to hold are
/// read a buffer at a time.
fn open(path: &Path) -> Result<Box<dyn Read>, ImportError> {
    let file = std::fs::File::open(path).map_err(|e| error(path, 0, e))?;
    let file = std::io::BufReader::with_capacity(1 << 16, file);
    Ok(if path.extension().is_some_and(|x| x == "gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    })
}

/// Reads one file of a source row by row, handing each to `each`; `source` is the source's
/// index.
pub fn for_each_row(
    path: &Path,
    source: usize,
    config: &SourceConfig,
    links: &RowLinks,
    mut each: impl FnMut(Row) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(open(path)?);
    let mut records = reader.records();
    let Some(first) = records.next() else {
        return Ok(());
    };
    let first = first.map_err(|e| error(path, 1, e))?;
    let (schema, headers, first_row) = if first.iter().any(|f| f == "award_id_piid") {
        (Schema::Usaspending, first, None)
    } else if first.iter().any(|f| f == "Award ID") {
        (Schema::ApiTransactions, first, None)
    } else {
        let Some(dictionary) = &config.dictionary else {
            return Err(error(
                path,
                1,
                "no header row; give the source its column dictionary (`dictionary`)",
            ));
        };
        let names = read_dictionary(dictionary)?;
        (
            Schema::Usaspending,
            csv::StringRecord::from(names),
            Some(first),
        )
    };
    let required: &[&str] = match schema {
        Schema::Usaspending => &[
            "award_id_piid",
            "recipient_name",
            "awarding_agency_name",
            "awarding_sub_agency_name",
        ],
        Schema::ApiTransactions => &["Agency", "Award ID", "Recipient Name", "Action Date"],
    };
    for name in required {
        if !headers.iter().any(|h| h == *name) {
            return Err(error(
                path,
                1,
                format!("no column {name:?}: not a USAspending contract download"),
            ));
        }
    }
    if matches!(schema, Schema::Usaspending)
        && matches!(links, RowLinks::Permalink)
        && !headers.iter().any(|h| h == "usaspending_permalink")
    {
        return Err(error(
            path,
            1,
            "no usaspending_permalink column: give the source a `row_links` address",
        ));
    }
    let file = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .trim_end_matches(".gz")
        .to_string();
    for record in first_row.into_iter().map(Ok).chain(records) {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            error(path, line, e)
        })?;
        let line = record.position().map_or(1, |p| p.line());
        let at = |e: String| error(path, line, e);
        let mut row = match schema {
            Schema::Usaspending => {
                let r: UsaspendingRecord = record
                    .deserialize(Some(&headers))
                    .map_err(|e| at(e.to_string()))?;
                // A stray header line inside a file (fy13.csv has one) is not a row.
                if r.award_id_piid == "award_id_piid" {
                    continue;
                }
                usaspending_row(r).map_err(at)?
            }
            Schema::ApiTransactions => {
                let r: ApiTransactionRecord = record
                    .deserialize(Some(&headers))
                    .map_err(|e| at(e.to_string()))?;
                api_row(r).map_err(at)?
            }
        };
        if row.piid.is_empty() {
            continue;
        }
        row.source = source;
        row.file = file.clone();
        row.line = line;
        row.link = match links {
            RowLinks::Base(base) => format!("{}/{file}#L{line}", base.trim_end_matches('/')),
            RowLinks::Permalink => row.link.clone(),
            RowLinks::Manifest { base, files } => {
                let year = row.action_date.as_deref().and_then(fiscal_year);
                match year.and_then(|y| files.get(&(y, row.sub_agency.clone()))) {
                    Some((commit, file_path)) => {
                        format!("{}/{commit}/{file_path}", base.trim_end_matches('/'))
                    }
                    None => {
                        return Err(at(format!(
                            "no file in the manifest for fiscal year {year:?} and agency {:?}",
                            row.sub_agency
                        )))
                    }
                }
            }
        };
        each(row)?;
    }
    Ok(())
}

/// The US federal fiscal year of an ISO date: it starts on 1 October.
pub fn fiscal_year(date: &str) -> Option<u32> {
    let year: u32 = date.get(..4)?.parse().ok()?;
    let month: u32 = date.get(5..7)?.parse().ok()?;
    Some(if month >= 10 { year + 1 } else { year })
}

fn trimmed(s: String) -> String {
    let t = s.trim();
    if t.len() == s.len() {
        s
    } else {
        t.to_string()
    }
}

fn usaspending_row(r: UsaspendingRecord) -> Result<Row, String> {
    let parent_piid = [&r.parent_award_id_piid, &r.parent_award_id]
        .into_iter()
        .map(|p| p.trim())
        .find(|p| !p.is_empty())
        .unwrap_or("")
        .to_string();
    let award_key = if !r.contract_award_unique_key.trim().is_empty() {
        r.contract_award_unique_key.trim().to_string()
    } else if !r.awarding_sub_agency_code.trim().is_empty() {
        // The key USAspending derives for a contract award; "-NONE-" where a part is missing.
        let or_none = |s: &str| {
            if s.is_empty() {
                "-NONE-".to_string()
            } else {
                s.to_string()
            }
        };
        format!(
            "CONT_AWD_{}_{}_{}_{}",
            r.award_id_piid.trim(),
            r.awarding_sub_agency_code.trim(),
            or_none(&parent_piid),
            or_none(r.parent_award_agency_id.trim())
        )
    } else {
        String::new()
    };
    Ok(Row {
        piid: trimmed(r.award_id_piid),
        parent_piid,
        modification: trimmed(r.modification_number),
        obligation: parse_amount(&r.federal_action_obligation)?,
        total_obligated: parse_amount(&r.total_obligated_amount)?,
        potential: parse_amount(&r.potential_total_value_of_award)?,
        action_date: parse_date(&r.action_date),
        start: parse_date(&r.period_of_performance_start_date),
        end: parse_date(&r.period_of_performance_current_end_date),
        potential_end: parse_date(&r.period_of_performance_potential_end_date),
        agency: trimmed(r.awarding_agency_name),
        sub_agency: trimmed(r.awarding_sub_agency_name),
        sub_agency_is_code: false,
        recipient: trimmed(r.recipient_name),
        recipient_parent: trimmed(r.recipient_parent_name),
        duns: trimmed(r.recipient_duns),
        parent_duns: trimmed(r.recipient_parent_duns),
        award_description: [
            r.prime_award_base_transaction_description,
            r.award_description,
        ]
        .into_iter()
        .map(trimmed)
        .find(|d| !d.is_empty())
        .unwrap_or_default(),
        description: trimmed(r.transaction_description),
        product_or_service: trimmed(r.product_or_service_code_description),
        vehicle: r.award_or_idv_flag.trim() == "IDV",
        award_key,
        link: trimmed(r.usaspending_permalink),
        ..Row::default()
    })
}

fn api_row(r: ApiTransactionRecord) -> Result<Row, String> {
    let key = r.generated_award_id.trim().to_string();
    // "CONT_AWD_<PIID>_<agency>_<parent PIID>_<parent agency>": the parent is the third part
    // after the PIID's own.
    let parent_piid = key
        .strip_prefix(&format!("CONT_AWD_{}_", r.award_id.trim()))
        .and_then(|rest| rest.split('_').nth(1))
        .filter(|p| *p != "-NONE-")
        .unwrap_or("")
        .to_string();
    let link = if key.is_empty() {
        String::new()
    } else {
        format!("https://www.usaspending.gov/award/{key}/")
    };
    Ok(Row {
        piid: trimmed(r.award_id),
        parent_piid,
        modification: trimmed(r.modification),
        obligation: parse_amount(&r.federal_action_obligation)?,
        action_date: parse_date(&r.action_date),
        sub_agency: trimmed(r.agency),
        sub_agency_is_code: true,
        recipient: trimmed(r.recipient_name),
        description: trimmed(r.transaction_description),
        product_or_service: trimmed(r.product_or_service),
        award_key: key,
        link,
        ..Row::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_fiscal_years() {
        assert_eq!(parse_date("22/06/18 00:00").as_deref(), Some("2018-06-22"));
        assert_eq!(
            parse_date("2018-06-22 00:00:00").as_deref(),
            Some("2018-06-22")
        );
        assert_eq!(fiscal_year("2024-09-30"), Some(2024));
        assert_eq!(fiscal_year("2024-10-01"), Some(2025));
    }

    #[test]
    fn an_api_award_key_gives_the_parent_award() {
        let row = api_row(ApiTransactionRecord {
            award_id: "70B01C24F00000236".into(),
            generated_award_id: "CONT_AWD_70B01C24F00000236_7014_70B01C23D00000009_7014".into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(row.parent_piid, "70B01C23D00000009");
        let row = api_row(ApiTransactionRecord {
            award_id: "70B06C24C00000048".into(),
            generated_award_id: "CONT_AWD_70B06C24C00000048_7014_-NONE-_-NONE-".into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(row.parent_piid, "");
    }
}
