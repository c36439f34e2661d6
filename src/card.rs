//! What the reader's card shows for a company: the record with agency codes resolved to names,
//! the parent's display name, and a one-line summary. Formatting stays in the UI; the facts and
//! their arithmetic live here, where they are tested.

use crate::dataset::{Contract, Dataset, Source, Statement};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Card {
    pub id: String,
    pub name: String,
    /// The parent's display name ("owned by Microsoft").
    pub parent: Option<String>,
    pub website: Option<String>,
    /// False for a recipient known only from USAspending data.
    pub curated: bool,
    pub summary: Summary,
    pub contracts: Vec<ContractView>,
    pub statements: Vec<Statement>,
    pub data_as_of: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub contracts: usize,
    pub statements: usize,
    /// Agency names, sub-agency where known, each once.
    pub agencies: Vec<String>,
    pub obligated_usd: f64,
    pub potential_usd: f64,
    pub reported_usd: f64,
    /// First and last year any contract or statement is dated.
    pub first_year: Option<u16>,
    pub last_year: Option<u16>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContractView {
    pub agency: Option<String>,
    pub sub_agency: Option<String>,
    /// Set only when the award went to someone other than the company (a reseller, say).
    pub recipient: Option<String>,
    pub description: Option<String>,
    pub obligated_usd: Option<f64>,
    pub potential_usd: Option<f64>,
    pub reported_usd: Option<f64>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub potential_end: Option<String>,
    pub base_years: Option<u32>,
    pub option_years: Option<u32>,
    pub award_id: Option<String>,
    pub product_or_service: Option<String>,
    pub modifications: Option<u32>,
    /// True when the relationship is known from USAspending rows alone.
    pub from_spending_data: bool,
    pub note: Option<String>,
    pub sources: Vec<Source>,
}

impl Card {
    /// The card of company `index` in `dataset`, or `None` past the end. Curated contracts come
    /// first, in the data's order; imported awards follow, newest first, each merged into the
    /// curated contract with the same award id when there is one.
    pub fn of(dataset: &Dataset, index: usize) -> Option<Card> {
        let company = dataset.companies.get(index)?;
        let agency_name = |code: &Option<String>| {
            code.as_ref().map(|c| {
                dataset
                    .agency(c)
                    .map_or_else(|| c.clone(), |a| a.name.clone())
            })
        };
        let view = |k: &Contract, from_spending_data: bool| ContractView {
            agency: agency_name(&k.agency),
            sub_agency: agency_name(&k.sub_agency),
            recipient: k
                .recipient
                .clone()
                .filter(|r| !is_same_company(r, company.names())),
            description: k.description.clone(),
            obligated_usd: k.obligated_usd,
            potential_usd: k.potential_usd,
            reported_usd: k.reported_usd,
            start: k.start.clone(),
            end: k.end.clone(),
            potential_end: k.potential_end.clone(),
            base_years: k.base_years,
            option_years: k.option_years,
            award_id: k.award_id.clone(),
            product_or_service: k.product_or_service.clone(),
            modifications: k.modifications,
            from_spending_data,
            note: k.note.clone(),
            sources: k.sources.clone(),
        };
        let mut contracts: Vec<ContractView> =
            company.contracts.iter().map(|k| view(k, false)).collect();
        let mut awards: Vec<&Contract> = company.awards.iter().collect();
        awards.sort_by(|a, b| (&b.start, &b.award_id).cmp(&(&a.start, &a.award_id)));
        for award in awards {
            let curated = contracts
                .iter_mut()
                .find(|k| k.award_id.is_some() && k.award_id == award.award_id);
            match curated {
                Some(k) => merge(k, award),
                None => contracts.push(view(award, true)),
            }
        }
        let mut agencies = Vec::new();
        for k in &contracts {
            if let Some(name) = k.sub_agency.clone().or_else(|| k.agency.clone()) {
                if !agencies.contains(&name) {
                    agencies.push(name);
                }
            }
        }
        let sum = |f: fn(&ContractView) -> Option<f64>| contracts.iter().filter_map(f).sum();
        let years = contracts
            .iter()
            .flat_map(|k| [&k.start, &k.end])
            .chain(company.statements.iter().map(|s| &s.date))
            .flatten()
            .filter_map(|d| d.get(..4)?.parse::<u16>().ok());
        let first_year = years.clone().min();
        let last_year = years.max();
        let parent = company
            .parent
            .as_ref()
            .and_then(|id| dataset.company(id))
            .map(|p| p.name.clone())
            .or_else(|| company.parent_name.clone());
        Some(Card {
            id: company.id.clone(),
            name: company.name.clone(),
            parent,
            website: company.website.clone(),
            curated: !company.uncurated,
            summary: Summary {
                contracts: contracts.len(),
                statements: company.statements.len(),
                agencies,
                obligated_usd: sum(|k| k.obligated_usd),
                potential_usd: sum(|k| k.potential_usd),
                reported_usd: sum(|k| k.reported_usd),
                first_year,
                last_year,
            },
            contracts,
            statements: company.statements.clone(),
            data_as_of: dataset.data_as_of.clone(),
        })
    }
}

/// Fills what a curated contract leaves open from the imported award with the same id, and adds
/// the award's sources.
fn merge(k: &mut ContractView, award: &Contract) {
    k.obligated_usd = k.obligated_usd.or(award.obligated_usd);
    k.potential_usd = k.potential_usd.or(award.potential_usd);
    k.start = k.start.clone().or_else(|| award.start.clone());
    k.end = k.end.clone().or_else(|| award.end.clone());
    k.potential_end = k
        .potential_end
        .clone()
        .or_else(|| award.potential_end.clone());
    k.product_or_service = k
        .product_or_service
        .clone()
        .or_else(|| award.product_or_service.clone());
    k.modifications = k.modifications.or(award.modifications);
    for source in &award.sources {
        if !k.sources.iter().any(|s| s.url == source.url) {
            k.sources.push(source.clone());
        }
    }
}

/// "PALANTIR TECHNOLOGIES INC." is Palantir Technologies itself, not a reseller: compare the
/// recipient's words, case-folded and without punctuation, with each of the company's names.
fn is_same_company<'a>(recipient: &str, mut names: impl Iterator<Item = &'a str>) -> bool {
    let fold = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric() || c.is_whitespace())
            .collect::<String>()
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let r = fold(recipient);
    names.any(|n| {
        let n = fold(n);
        !n.is_empty() && (r == n || r.starts_with(&format!("{n} ")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipient_is_the_company_itself() {
        let names = ["Palantir Technologies", "Palantir"];
        assert!(is_same_company(
            "PALANTIR TECHNOLOGIES INC.",
            names.into_iter()
        ));
        assert!(is_same_company("Palantir Technologies", names.into_iter()));
        assert!(!is_same_company(
            "FCN, Inc. (Rockville, Md.)",
            ["Hootsuite"].into_iter()
        ));
        // A longer word that starts like the name is another company.
        assert!(!is_same_company("Palantirx LLC", names.into_iter()));
    }
}
