//! Transactions into awards, with figures that say no more than the rows support.
//!
//! - Start: the base award's date alone; when the base row is not in the records the award has
//!   no start, only its first action in these records.
//! - Obligated: the net of the rows' obligations and de-obligations, with the de-obligations
//!   apart; no figure at all when no row obligated anything.
//! - End: the current end date of the latest action, not the latest end ever given.
//! - Modifications: the highest modification number seen, beside the number of actions.
//! - Vehicles (IDVs) are flagged, and orders name their vehicle, so a ceiling is never added to
//!   the values of the orders under it.

use super::rows::{error, Row};
use super::ImportError;
use crate::dataset::{Contract, Dataset, Source};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One award and what the import needs besides its figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Award {
    pub contract: Contract,
    /// The recipient of its latest action.
    pub recipient: String,
    /// Every recipient name its rows give.
    pub recipients: Vec<String>,
    /// Every description its rows give, in date order, each once.
    pub descriptions: Vec<String>,
}

/// The awards of `rows`, in award id order.
pub fn aggregate(
    dataset: &Dataset,
    rows: &[Row],
    source_ids: &[&str],
) -> Result<Vec<Award>, ImportError> {
    let mut by_piid: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for row in rows {
        by_piid.entry(&row.piid).or_default().push(row);
    }
    let mut awards = Vec::with_capacity(by_piid.len());
    for rows in by_piid.values() {
        awards.extend(aggregate_piid(dataset, rows, source_ids)?);
    }
    Ok(awards)
}

/// The awards of one award id, from all its rows in the order they were read: each award is
/// one id under one vehicle, so the rows of one id are all that an award's figures need.
pub fn aggregate_piid(
    dataset: &Dataset,
    rows: &[&Row],
    source_ids: &[&str],
) -> Result<Vec<Award>, ImportError> {
    // A row that does not name its vehicle joins the one award of its id that does, so the
    // sources' rows of one award meet whichever schema they come in.
    let parents: BTreeSet<&str> = rows
        .iter()
        .map(|r| r.parent_piid.as_str())
        .filter(|p| !p.is_empty())
        .collect();
    let only_parent = match parents.into_iter().collect::<Vec<_>>()[..] {
        [only] => only,
        _ => "",
    };
    let mut groups: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for &row in rows {
        let parent = if row.parent_piid.is_empty() {
            only_parent
        } else {
            row.parent_piid.as_str()
        };
        groups.entry(parent).or_default().push(row);
    }
    let mut awards = Vec::with_capacity(groups.len());
    for (parent, mut rows) in groups {
        // Stable: rows of one date, source and line keep the order they were read in.
        rows.sort_by(|a, b| {
            (&a.action_date, a.source, a.line).cmp(&(&b.action_date, b.source, b.line))
        });
        awards.push(award(dataset, &rows[0].piid, parent, &rows, source_ids)?);
    }
    Ok(awards)
}

fn cents(amount: f64) -> f64 {
    (amount * 100.0).round() / 100.0
}

/// "P00034" as (34, "P00034"): modifications compare by number, then by their text.
fn modification_order(modification: &str) -> (u64, &str) {
    let digits: String = modification.chars().filter(char::is_ascii_digit).collect();
    (digits.parse().unwrap_or(0), modification)
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

/// The agency and sub-agency codes a row names.
fn agencies(dataset: &Dataset, row: &Row) -> Result<(String, String), ImportError> {
    let unknown = |name: &str| {
        error(
            Path::new(&row.file),
            row.line,
            format!("unknown agency {name:?}: add it to data/dataset.toml (usaspending_names)"),
        )
    };
    if row.sub_agency_is_code {
        let sub = dataset
            .agency(&row.sub_agency)
            .ok_or_else(|| unknown(&row.sub_agency))?;
        let agency = sub.parent.clone().unwrap_or_else(|| sub.code.clone());
        return Ok((agency, sub.code.clone()));
    }
    let agency = agency_code(dataset, &row.agency).ok_or_else(|| unknown(&row.agency))?;
    let sub = agency_code(dataset, &row.sub_agency).ok_or_else(|| unknown(&row.sub_agency))?;
    Ok((agency, sub))
}

fn award(
    dataset: &Dataset,
    piid: &str,
    parent: &str,
    rows: &[&Row],
    source_ids: &[&str],
) -> Result<Award, ImportError> {
    let latest = *rows.last().expect("an award has rows");
    let base = rows.iter().copied().find(|r| r.modification == "0");
    let (agency, sub_agency) = agencies(dataset, latest)?;

    // Award summaries (no modification column) carry their own total; transactions add up.
    let transactions = rows.iter().any(|r| !r.modification.is_empty());
    let (obligated, deobligated) = if transactions {
        let net: f64 = rows.iter().filter_map(|r| r.obligation).sum();
        let negative: f64 = rows
            .iter()
            .filter_map(|r| r.obligation)
            .filter(|&v| v < 0.0)
            .sum();
        let any = rows.iter().filter_map(|r| r.obligation).any(|v| v != 0.0);
        (
            any.then(|| cents(net)),
            (negative < 0.0).then(|| cents(-negative)),
        )
    } else {
        (latest.total_obligated.map(cents), None)
    };
    let dates: Vec<&String> = rows.iter().filter_map(|r| r.action_date.as_ref()).collect();
    let start = base.and_then(|b| {
        b.start.clone().or_else(|| {
            b.sub_agency_is_code
                .then(|| b.action_date.clone())
                .flatten()
        })
    });
    // The end the latest action gives; an action that gives none leaves the one before.
    let mut end = rows.iter().rev().find_map(|r| r.end.clone());
    let mut note = None;
    if let (Some(s), Some(e)) = (&start, &end) {
        if e < s {
            note = Some(format!(
                "The records give an end date ({e}) before the start ({s})."
            ));
            end = None;
        }
    }
    let latest_modification = rows
        .iter()
        .filter(|r| !r.modification.is_empty() && r.modification != "0")
        .map(|r| r.modification.as_str())
        .max_by_key(|m| modification_order(m))
        .map(str::to_string);

    let mut descriptions: Vec<String> = Vec::new();
    for row in base.into_iter().chain(rows.iter().copied()) {
        for d in [&row.award_description, &row.description] {
            if !d.is_empty() && !descriptions.contains(d) {
                descriptions.push(d.clone());
            }
        }
    }
    let description = base
        .map(|b| {
            if b.award_description.is_empty() {
                &b.description
            } else {
                &b.award_description
            }
        })
        .filter(|d| !d.is_empty())
        .or_else(|| descriptions.first())
        .cloned();

    let mut sources: Vec<Source> = Vec::new();
    for row in [base.unwrap_or(rows[0]), latest] {
        if !row.link.is_empty() && !sources.iter().any(|s| s.url == row.link) {
            sources.push(Source {
                url: row.link.clone(),
                quote: Some(row.quote()),
            });
        }
    }
    // usaspending.gov's own key for the award, from the API rows first.
    let award_key = rows
        .iter()
        .rev()
        .filter(|r| r.sub_agency_is_code)
        .chain(rows.iter().rev())
        .map(|r| r.award_key.as_str())
        .find(|k| {
            !k.is_empty()
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        });
    let spending_sources: Vec<String> = rows
        .iter()
        .map(|r| r.source)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|i| source_ids[i].to_string())
        .collect();
    let nonempty = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let contract = Contract {
        agency: Some(agency),
        sub_agency: Some(sub_agency),
        recipient: Some(latest.recipient.clone()),
        description,
        obligated_usd: obligated,
        deobligated_usd: deobligated,
        potential_usd: latest.potential,
        reported_usd: None,
        start,
        end,
        first_action: dates.first().map(|d| d.to_string()),
        last_action: dates.last().map(|d| d.to_string()),
        potential_end: rows.iter().rev().find_map(|r| r.potential_end.clone()),
        base_years: None,
        option_years: None,
        award_id: Some(piid.to_string()),
        award_url: award_key.map(|k| format!("https://www.usaspending.gov/award/{k}/")),
        product_or_service: nonempty(&latest.product_or_service),
        actions: transactions.then_some(rows.len() as u32),
        latest_modification,
        parent_award_id: nonempty(parent),
        vehicle: rows.iter().any(|r| r.vehicle),
        spending_sources,
        via_evidence: None,
        note,
        method: None,
        sources,
    };
    let mut recipients: Vec<String> = Vec::new();
    for row in rows {
        if !recipients.contains(&row.recipient) {
            recipients.push(row.recipient.clone());
        }
    }
    Ok(Award {
        contract,
        recipient: latest.recipient.clone(),
        recipients,
        descriptions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modifications_compare_by_number() {
        let mut mods = vec!["P00009", "P00034", "A00003", "P00010"];
        mods.sort_by_key(|m| modification_order(m));
        assert_eq!(mods, ["A00003", "P00009", "P00010", "P00034"]);
    }
}
