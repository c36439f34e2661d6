//! What the reader's card shows for a company: the record with agency codes resolved to names,
//! the parent's display name, and a one-line summary. Formatting stays in the UI; the facts and
//! their arithmetic live here, where they are tested.

use crate::dataset::{Contract, Dataset, Source, Statement};
use serde::{Deserialize, Serialize};

/// What the reader chose to see (the options page): relationships, agencies, a minimum amount.
/// A company with nothing left to show is not marked.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Filters {
    pub hide_contracts: bool,
    pub hide_statements: bool,
    /// Agency codes whose contracts are not shown (by agency or sub-agency).
    pub hidden_agencies: Vec<String>,
    /// Contracts whose largest known amount is below this are not shown; contracts with no
    /// amount at all are shown only when this is zero.
    pub min_amount_usd: f64,
}

impl Filters {
    fn keeps(&self, contract: &Contract) -> bool {
        if self.hide_contracts {
            return false;
        }
        let hidden = |code: &Option<String>| {
            code.as_ref()
                .is_some_and(|c| self.hidden_agencies.iter().any(|h| h == c))
        };
        if hidden(&contract.agency) || hidden(&contract.sub_agency) {
            return false;
        }
        if self.min_amount_usd > 0.0 {
            let largest = [
                contract.obligated_usd,
                contract.potential_usd,
                contract.reported_usd,
            ]
            .into_iter()
            .flatten()
            .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))));
            return largest.is_some_and(|v| v >= self.min_amount_usd);
        }
        true
    }
}

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
    pub timeline: Vec<TimelineEvent>,
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
    /// The award's page on usaspending.gov, when its id is known.
    pub award_url: Option<String>,
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
        Card::filtered(dataset, index, &Filters::default())
    }

    /// The card with only what `filters` keep.
    pub fn filtered(dataset: &Dataset, index: usize, filters: &Filters) -> Option<Card> {
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
            award_url: k.award_url.clone(),
            product_or_service: k.product_or_service.clone(),
            modifications: k.modifications,
            from_spending_data,
            note: k.note.clone(),
            sources: k.sources.clone(),
        };
        let mut contracts: Vec<ContractView> = company
            .contracts
            .iter()
            .filter(|k| filters.keeps(k))
            .map(|k| view(k, false))
            .collect();
        let mut awards: Vec<&Contract> =
            company.awards.iter().filter(|k| filters.keeps(k)).collect();
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
        let statements: Vec<Statement> = if filters.hide_statements {
            Vec::new()
        } else {
            company.statements.clone()
        };
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
            .chain(statements.iter().map(|s| &s.date))
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
                statements: statements.len(),
                agencies,
                obligated_usd: sum(|k| k.obligated_usd),
                potential_usd: sum(|k| k.potential_usd),
                reported_usd: sum(|k| k.reported_usd),
                first_year,
                last_year,
            },
            timeline: timeline(&contracts, &statements),
            contracts,
            statements,
            data_as_of: dataset.data_as_of.clone(),
        })
    }

    /// Whether anything is left to show: a company with an empty card is not marked.
    pub fn is_empty(&self) -> bool {
        self.contracts.is_empty() && self.statements.is_empty()
    }
}

/// What a mark needs to know of its company, without building the card: its name, whether
/// it made public statements (the mark says so), and whether `filters` leave anything to show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    pub name: String,
    pub statements: bool,
    pub shown: bool,
}

impl Profile {
    /// The profile of company `index`, or `None` past the end. Agrees with
    /// [`Card::filtered`]: `shown` is false exactly when that card is empty.
    pub fn of(dataset: &Dataset, index: usize, filters: &Filters) -> Option<Profile> {
        let company = dataset.companies.get(index)?;
        let statements = !filters.hide_statements && !company.statements.is_empty();
        let contracts = company
            .contracts
            .iter()
            .chain(&company.awards)
            .any(|k| filters.keeps(k));
        Some(Profile {
            name: company.name.clone(),
            statements,
            shown: statements || contracts,
        })
    }
}

/// One dated event on the card's timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineEvent {
    pub date: String,
    /// "award" or "statement".
    pub kind: &'static str,
    /// Index into the card's contracts or statements.
    pub index: usize,
}

/// How many events the timeline shows: every curated contract and statement, then the largest
/// imported awards up to this many in all.
const TIMELINE_EVENTS: usize = 16;

/// Awards (by start date) and statements on one axis, oldest first, so a sequence such as "award
/// on 18 Sept, 'not entering into a deal' on 23 Sept" reads at a glance.
fn timeline(contracts: &[ContractView], statements: &[Statement]) -> Vec<TimelineEvent> {
    let mut events: Vec<(bool, f64, TimelineEvent)> = Vec::new();
    for (index, k) in contracts.iter().enumerate() {
        if let Some(date) = &k.start {
            let size = [k.obligated_usd, k.potential_usd, k.reported_usd]
                .into_iter()
                .flatten()
                .fold(0.0, f64::max);
            let event = TimelineEvent {
                date: date.clone(),
                kind: "award",
                index,
            };
            events.push((!k.from_spending_data, size, event));
        }
    }
    for (index, s) in statements.iter().enumerate() {
        if let Some(date) = &s.date {
            let event = TimelineEvent {
                date: date.clone(),
                kind: "statement",
                index,
            };
            events.push((true, 0.0, event));
        }
    }
    // Curated first, then the largest; keep that many; show them in date order.
    events.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)));
    events.truncate(TIMELINE_EVENTS.max(events.iter().filter(|e| e.0).count()));
    let mut kept: Vec<TimelineEvent> = events.into_iter().map(|e| e.2).collect();
    kept.sort_by(|a, b| (&a.date, a.kind, a.index).cmp(&(&b.date, b.kind, b.index)));
    kept
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
    k.award_url = k.award_url.clone().or_else(|| award.award_url.clone());
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
