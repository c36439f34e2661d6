//! What the reader's card shows for a company: the record with agency codes resolved to names,
//! the parent's display name, and a one-line summary. Formatting stays in the UI; the facts and
//! their arithmetic live here, where they are tested.

use crate::dataset::{Company, Contract, Facts, Source, SpendingSource, Statement};
use crate::matcher::Mention;
use crate::names::{is_same_company, SameCompany};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

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
        self.keeps_from(
            &contract.agency,
            &contract.sub_agency,
            contract.largest_usd(),
        )
    }

    /// Whether a contract of this agency and sub-agency, with this largest amount, is shown:
    /// the one rule for cards ([`Filters::keeps`]) and marks ([`Profile::of`]).
    fn keeps_from(
        &self,
        agency: &Option<String>,
        sub_agency: &Option<String>,
        largest_usd: Option<f64>,
    ) -> bool {
        if self.hide_contracts {
            return false;
        }
        let hidden = |code: &Option<String>| {
            code.as_ref()
                .is_some_and(|c| self.hidden_agencies.iter().any(|h| h == c))
        };
        if hidden(agency) || hidden(sub_agency) {
            return false;
        }
        self.min_amount_usd <= 0.0 || largest_usd.is_some_and(|v| v >= self.min_amount_usd)
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
    /// For each statement, in the same order: what the records show after it about the
    /// agencies it concerns, when it is dated and says which.
    pub after_statements: Vec<Option<AfterStatement>>,
    pub timeline: Vec<TimelineEvent>,
    /// When the curated facts were last checked.
    pub data_as_of: String,
    /// The spending records the card draws on, each with the dates it covers and its gaps.
    pub spending_sources: Vec<SpendingSource>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub contracts: usize,
    pub statements: usize,
    /// Agency names, sub-agency where known, each once.
    pub agencies: Vec<String>,
    /// The net of the obligations of the company's own contracts (awards via resellers apart).
    pub obligated_usd: f64,
    /// Potential values, a vehicle's ceiling counted once and never added to its orders'.
    pub potential_usd: f64,
    /// Awards to others (resellers) whose records name the company or its product.
    pub via_awards: usize,
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
    pub deobligated_usd: Option<f64>,
    /// First and last action in the spending records.
    pub first_action: Option<String>,
    pub last_action: Option<String>,
    pub actions: Option<u32>,
    pub latest_modification: Option<String>,
    /// The vehicle this is an order under, and whether this is a vehicle.
    pub parent_award_id: Option<String>,
    pub vehicle: bool,
    /// An order listed right after its vehicle, which is on the same card.
    pub under_vehicle: bool,
    /// For an award to a reseller: the record's words naming this company or its product.
    pub via_evidence: Option<String>,
    /// The potential value is below the amount obligated: one of them is out of date.
    pub potential_below_obligated: bool,
    /// True when the relationship is known from USAspending rows alone.
    pub from_spending_data: bool,
    pub note: Option<String>,
    /// How the figures were taken from the records: for maintainers (`data show`); the
    /// extension's cards leave it out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    pub sources: Vec<Source>,
}

impl Card {
    /// The card of company `index` in `dataset`, or `None` past the end. Curated contracts come
    /// first, in the data's order; imported awards follow, newest first, each merged into the
    /// curated contract with the same award id when there is one.
    pub fn of(dataset: &dyn Facts, index: usize) -> Option<Card> {
        Card::filtered(dataset, index, &Filters::default())
    }

    /// The card with only what `filters` keep.
    pub fn filtered(dataset: &dyn Facts, index: usize, filters: &Filters) -> Option<Card> {
        // Owned: its contracts move into the card rather than being copied, hundreds for a
        // reseller.
        let mut company = dataset.company_at(index)?.into_owned();
        let statements: Vec<Statement> = if filters.hide_statements {
            Vec::new()
        } else {
            company.statements.clone()
        };
        let after_statements: Vec<Option<AfterStatement>> = statements
            .iter()
            .map(|st| AfterStatement::of(dataset, &company, filters, st))
            .collect();
        let names: Vec<String> = company.names().map(str::to_string).collect();
        let agency_name = |code: &Option<String>| {
            code.as_ref().map(|c| {
                dataset
                    .agency_by_code(c)
                    .map_or_else(|| c.clone(), |a| a.name.clone())
            })
        };
        let mut same_company = SameCompany::new(names.iter().map(String::as_str));
        let mut view = |k: Contract, from_spending_data: bool| ContractView {
            agency: agency_name(&k.agency),
            sub_agency: agency_name(&k.sub_agency),
            recipient: k.recipient.filter(|r| !same_company.is(r)),
            potential_below_obligated: below(k.potential_usd, k.obligated_usd),
            description: k.description,
            obligated_usd: k.obligated_usd,
            potential_usd: k.potential_usd,
            reported_usd: k.reported_usd,
            start: k.start,
            end: k.end,
            potential_end: k.potential_end,
            base_years: k.base_years,
            option_years: k.option_years,
            award_id: k.award_id,
            award_url: k.award_url,
            product_or_service: k.product_or_service,
            deobligated_usd: k.deobligated_usd,
            first_action: k.first_action,
            last_action: k.last_action,
            actions: k.actions,
            latest_modification: k.latest_modification,
            parent_award_id: k.parent_award_id,
            vehicle: k.vehicle,
            under_vehicle: false,
            via_evidence: k.via_evidence,
            from_spending_data,
            note: k.note,
            // Maintainers read it natively; it is no use to the extension's cards.
            method: k.method.filter(|_| !cfg!(target_arch = "wasm32")),
            sources: k.sources,
        };
        let mut contracts: Vec<ContractView> = std::mem::take(&mut company.contracts)
            .into_iter()
            .filter(|k| filters.keeps(k))
            .map(|k| view(k, false))
            .collect();
        let mut awards: Vec<Contract> = std::mem::take(&mut company.awards);
        awards.retain(|k| filters.keeps(k));
        // Newest first, by the start or, where the records lack it, the first action. Sorted
        // by index: a contract is large to move.
        fn began(k: &Contract) -> Option<&String> {
            k.start.as_ref().or(k.first_action.as_ref())
        }
        let mut order: Vec<usize> = (0..awards.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&awards[a], &awards[b]);
            (began(b), &b.award_id).cmp(&(began(a), &a.award_id))
        });
        let mut awards: Vec<Option<Contract>> = awards.into_iter().map(Some).collect();
        let awards = order.into_iter().filter_map(|i| awards[i].take());
        // Where each award id is on the card: a reseller has hundreds of awards, and a search
        // of the list for each one made building its card quadratic.
        let mut by_award_id: HashMap<String, usize> = contracts
            .iter()
            .enumerate()
            .filter_map(|(i, k)| Some((k.award_id.clone()?, i)))
            .rev()
            .collect();
        for award in awards {
            match award.award_id.as_ref().and_then(|id| by_award_id.get(id)) {
                Some(&i) => merge(&mut contracts[i], &award),
                None => {
                    if let Some(id) = &award.award_id {
                        by_award_id.insert(id.clone(), contracts.len());
                    }
                    contracts.push(view(award, true));
                }
            }
        }
        let contracts = orders_under_vehicles(contracts);
        let mut agencies = Vec::new();
        for k in &contracts {
            if let Some(name) = k.sub_agency.clone().or_else(|| k.agency.clone()) {
                if !agencies.contains(&name) {
                    agencies.push(name);
                }
            }
        }
        let own = || contracts.iter().filter(|k| k.via_evidence.is_none());
        let sum = |f: fn(&ContractView) -> Option<f64>| own().filter_map(f).sum::<f64>();
        // A vehicle's ceiling already holds its orders' values.
        let vehicles: Vec<&String> = own()
            .filter(|k| k.vehicle)
            .filter_map(|k| k.award_id.as_ref())
            .collect();
        let potential_usd = own()
            .filter(|k| {
                !k.parent_award_id
                    .as_ref()
                    .is_some_and(|p| vehicles.contains(&p))
            })
            .filter_map(|k| k.potential_usd)
            .sum();
        let years = contracts
            .iter()
            .flat_map(|k| [&k.start, &k.first_action, &k.end, &k.last_action])
            .chain(statements.iter().map(|s| &s.date))
            .flatten()
            .filter_map(|d| d.get(..4)?.parse::<u16>().ok());
        let first_year = years.clone().min();
        let last_year = years.max();
        let parent = company
            .parent
            .as_ref()
            .and_then(|id| dataset.company_name(id))
            .map(str::to_string)
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
                obligated_usd: dollars(sum(|k| k.obligated_usd)),
                potential_usd: dollars(potential_usd),
                via_awards: contracts.len() - own().count(),
                reported_usd: sum(|k| k.reported_usd),
                first_year,
                last_year,
            },
            after_statements,
            timeline: timeline(&contracts, &statements),
            contracts,
            statements,
            data_as_of: dataset.checked_on().to_string(),
            spending_sources: dataset.spending_sources().to_vec(),
        })
    }

    /// Whether anything is left to show: a company with an empty card is not marked.
    pub fn is_empty(&self) -> bool {
        self.contracts.is_empty() && self.statements.is_empty()
    }

    /// The card as it opens: everything but the awards past its first entries, which are
    /// summarised by year and fetched with [`Card::contracts_in`] when the reader opens them.
    /// A reseller's card holds hundreds of awards (0.8 MB as JSON); this is what lets it open
    /// as fast as a small one.
    pub fn opening(&self) -> OpeningCard {
        let spans = self.entry_spans();
        let entries = spans
            .iter()
            .take(FIRST_ENTRIES)
            .map(|entry| {
                let orders_end = entry.to.min(entry.from + 1 + FIRST_ORDERS);
                Entry {
                    contract: self.contracts[entry.from].clone(),
                    orders: self.contracts[entry.from + 1..orders_end].to_vec(),
                    more_orders: (orders_end < entry.to).then_some(Slice {
                        from: orders_end,
                        to: entry.to,
                    }),
                }
            })
            .collect();
        let mut years: Vec<YearGroup> = Vec::new();
        for entry in spans.into_iter().skip(FIRST_ENTRIES) {
            let first = &self.contracts[entry.from];
            let year = [&first.start, &first.first_action, &first.end]
                .into_iter()
                .flatten()
                .next()
                .and_then(|d| d.get(..4))
                .map(str::to_string);
            let group = match years.iter_mut().position(|g| g.year == year) {
                Some(i) => &mut years[i],
                None => {
                    years.push(YearGroup {
                        year,
                        awards: 0,
                        obligated_usd: 0.0,
                        entries: Vec::new(),
                    });
                    years.last_mut().expect("just pushed")
                }
            };
            group.awards += entry.to - entry.from;
            group.obligated_usd += self.contracts[entry.from..entry.to]
                .iter()
                .filter_map(|k| k.obligated_usd)
                .sum::<f64>();
            group.entries.push(entry);
        }
        for group in &mut years {
            group.obligated_usd = dollars(group.obligated_usd);
        }
        OpeningCard {
            id: self.id.clone(),
            name: self.name.clone(),
            parent: self.parent.clone(),
            website: self.website.clone(),
            curated: self.curated,
            summary: self.summary.clone(),
            entries,
            years,
            statements: self.statements.clone(),
            after_statements: self.after_statements.clone(),
            timeline: self.timeline.clone(),
            data_as_of: self.data_as_of.clone(),
            spending_sources: self.spending_sources.clone(),
        }
    }

    /// The contracts of `slice` (from an [`OpeningCard`] of this card), or `None` when the
    /// slice is not within the card.
    pub fn contracts_in(&self, slice: Slice) -> Option<&[ContractView]> {
        self.contracts.get(slice.from..slice.to)
    }

    /// Where each entry lies in `contracts`: an award, and the orders listed under it when it
    /// is a vehicle.
    fn entry_spans(&self) -> Vec<Slice> {
        let mut spans: Vec<Slice> = Vec::new();
        for (i, k) in self.contracts.iter().enumerate() {
            match spans.last_mut() {
                Some(last) if k.under_vehicle => last.to = i + 1,
                _ => spans.push(Slice { from: i, to: i + 1 }),
            }
        }
        spans
    }
}

/// The entries a card opens with; the rest are grouped by year.
pub const FIRST_ENTRIES: usize = 8;
/// The orders shown under a vehicle at first: one reseller vehicle has 288.
pub const FIRST_ORDERS: usize = 3;

/// Contracts `from..to` of a card's full list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Slice {
    pub from: usize,
    pub to: usize,
}

/// A card as it opens ([`Card::opening`]): a [`Card`] whose contracts past the first entries
/// are left as slices to fetch, summarised by year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpeningCard {
    pub id: String,
    pub name: String,
    pub parent: Option<String>,
    pub website: Option<String>,
    pub curated: bool,
    pub summary: Summary,
    /// The first entries, in the card's order.
    pub entries: Vec<Entry>,
    /// The other entries by year of their first award, in the card's order (newest first
    /// after the curated ones).
    pub years: Vec<YearGroup>,
    pub statements: Vec<Statement>,
    pub after_statements: Vec<Option<AfterStatement>>,
    pub timeline: Vec<TimelineEvent>,
    pub data_as_of: String,
    pub spending_sources: Vec<SpendingSource>,
}

/// An award as a card opens with it, and when it is a vehicle, the first orders under it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub contract: ContractView,
    pub orders: Vec<ContractView>,
    /// The vehicle's other orders, to fetch.
    pub more_orders: Option<Slice>,
}

/// The entries whose first award began in one year (none when undated), summed up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearGroup {
    pub year: Option<String>,
    /// Awards, orders included.
    pub awards: usize,
    /// The net obligations of those awards, resellers' included.
    pub obligated_usd: f64,
    /// Each entry's award and orders.
    pub entries: Vec<Slice>,
}

/// The awards in the records, with the agencies a statement concerns or their department, that
/// began or had an action after the statement's date: stated as facts, side by side with it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AfterStatement {
    /// The statement's date.
    pub date: String,
    /// The departments looked at (a statement about ICE looks at all of DHS), by name.
    pub departments: Vec<String>,
    pub awards: usize,
    /// The awards' sub-agencies (else agencies), by name, each once.
    pub agencies: Vec<String>,
    /// Who the awards went to when not the company itself (resellers), each once.
    pub via: Vec<String>,
    pub first_year: Option<u16>,
    pub last_year: Option<u16>,
    /// The net obligations of those awards in the records.
    pub obligated_usd: f64,
    /// Their award ids, each once.
    pub award_ids: Vec<String>,
}

impl AfterStatement {
    /// `None` for a statement without a date or without the agencies it concerns.
    pub fn of(
        dataset: &dyn Facts,
        company: &Company,
        filters: &Filters,
        statement: &Statement,
    ) -> Option<AfterStatement> {
        let date = statement.date.as_ref()?;
        if statement.agencies.is_empty() {
            return None;
        }
        let department = |code: &str| {
            dataset
                .agency_by_code(code)
                .and_then(|a| a.parent.clone())
                .unwrap_or_else(|| code.to_string())
        };
        let departments: BTreeSet<String> =
            statement.agencies.iter().map(|c| department(c)).collect();
        let in_scope = |k: &Contract| {
            [&k.agency, &k.sub_agency]
                .into_iter()
                .flatten()
                .any(|c| departments.contains(&department(c)))
        };
        let after = |k: &Contract| {
            [&k.start, &k.first_action, &k.last_action]
                .into_iter()
                .flatten()
                .any(|d| d.as_str() > date.as_str())
        };
        let mut seen_ids = BTreeSet::new();
        let mut result = AfterStatement {
            date: date.clone(),
            departments: departments
                .iter()
                .map(|c| {
                    dataset
                        .agency_by_code(c)
                        .map_or_else(|| c.clone(), |a| a.name.clone())
                })
                .collect(),
            awards: 0,
            agencies: Vec::new(),
            via: Vec::new(),
            first_year: None,
            last_year: None,
            obligated_usd: 0.0,
            award_ids: Vec::new(),
        };
        let name_of = |code: &String| {
            dataset
                .agency_by_code(code)
                .map_or_else(|| code.clone(), |a| a.name.clone())
        };
        // Curated contracts first: an imported award with the same id is the same award.
        for k in company.contracts.iter().chain(&company.awards) {
            if !filters.keeps(k) || !in_scope(k) || !after(k) {
                continue;
            }
            if let Some(id) = &k.award_id {
                if !seen_ids.insert(id.clone()) {
                    // The same award: its figures come from the records.
                    result.obligated_usd += k.obligated_usd.unwrap_or(0.0);
                    extend_years(&mut result, k);
                    continue;
                }
                result.award_ids.push(id.clone());
            }
            result.awards += 1;
            result.obligated_usd += k.obligated_usd.unwrap_or(0.0);
            extend_years(&mut result, k);
            if let Some(name) = k.sub_agency.as_ref().or(k.agency.as_ref()).map(name_of) {
                if !result.agencies.contains(&name) {
                    result.agencies.push(name);
                }
            }
            if let Some(r) = k
                .recipient
                .as_ref()
                .filter(|r| !is_same_company(r, company.names()))
            {
                if !result
                    .via
                    .iter()
                    .any(|v| is_same_company(v, std::iter::once(r.as_str())))
                {
                    result.via.push(r.clone());
                }
            }
        }
        result.obligated_usd = dollars(result.obligated_usd);
        Some(result)
    }
}

fn extend_years(result: &mut AfterStatement, k: &Contract) {
    for d in [&k.start, &k.first_action, &k.last_action, &k.end]
        .into_iter()
        .flatten()
    {
        if let Some(year) = d.get(..4).and_then(|y| y.parse::<u16>().ok()) {
            result.first_year = Some(result.first_year.map_or(year, |f| f.min(year)));
            result.last_year = Some(result.last_year.map_or(year, |l| l.max(year)));
        }
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
    pub fn of(dataset: &dyn Facts, index: usize, filters: &Filters) -> Option<Profile> {
        let (_, name) = dataset.company_head(index)?;
        let facts = dataset.mark_facts(index)?;
        let statements = !filters.hide_statements && facts.statements;
        let contracts = facts
            .buyers
            .iter()
            .any(|b| filters.keeps_from(&b.agency, &b.sub_agency, b.largest_usd));
        Some(Profile {
            name: name.to_string(),
            statements,
            shown: statements || contracts,
        })
    }
}

/// What the reader asked of the marks (the options page and "Not this company"): the card
/// filters, one mark per company per block, and the companies dismissed on this page, by id
/// (ids, unlike handles, stay the same when the data is updated).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ScanOptions {
    pub filters: Filters,
    pub first_per_block: bool,
    pub dismissed: Vec<String>,
}

/// A page's scan as the marks need it, in one answer: the mentions to mark, and for each
/// company among them what its mark says.
#[derive(Debug, Clone, PartialEq)]
pub struct PageScan {
    pub mentions: Vec<Mention>,
    /// The companies of `mentions`, each once, in order of first mention.
    pub companies: Vec<MarkedCompany>,
}

/// A company with marks on the page: its handle, its id (dismissals keep it), its name (the
/// popup lists it) and whether it made public statements (its marks say so).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MarkedCompany {
    pub company: usize,
    pub id: String,
    pub name: String,
    pub statements: bool,
}

impl PageScan {
    /// Keeps the mentions of `mentions` that `options` let through: companies with something
    /// left to show and not dismissed, and with `first_per_block`, each company's first
    /// mention in a block.
    pub fn of(dataset: &dyn Facts, mentions: Vec<Mention>, options: &ScanOptions) -> PageScan {
        let mut profiles: BTreeMap<usize, Option<Profile>> = BTreeMap::new();
        let mut companies = Vec::new();
        let mut marked_in_block: BTreeSet<(usize, usize)> = BTreeSet::new();
        let mut kept = Vec::new();
        for mention in mentions {
            let profile = profiles.entry(mention.company).or_insert_with(|| {
                let profile = Profile::of(dataset, mention.company, &options.filters)?;
                let (id, _) = dataset.company_head(mention.company)?;
                let keep = profile.shown && !options.dismissed.iter().any(|d| d == id);
                if keep {
                    companies.push(MarkedCompany {
                        company: mention.company,
                        id: id.to_string(),
                        name: profile.name.clone(),
                        statements: profile.statements,
                    });
                }
                keep.then_some(profile)
            });
            if profile.is_none() {
                continue;
            }
            if options.first_per_block && !marked_in_block.insert((mention.block, mention.company))
            {
                continue;
            }
            kept.push(mention);
        }
        PageScan {
            mentions: kept,
            companies,
        }
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
    /// What the timeline says of an award: an opening card does not carry every contract the
    /// timeline may name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub award: Option<AwardBrief>,
}

/// An award in one line: who bought, who was paid when not the company, what.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AwardBrief {
    /// The sub-agency, else the agency, by name.
    pub agency: Option<String>,
    pub recipient: Option<String>,
    pub description: Option<String>,
}

/// How many events the timeline shows: every curated contract and statement, then the largest
/// imported awards up to this many in all.
const TIMELINE_EVENTS: usize = 16;

/// Awards (by start date) and statements on one axis, oldest first, so a sequence such as "award
/// on 18 Sept, 'not entering into a deal' on 23 Sept" reads at a glance.
fn timeline(contracts: &[ContractView], statements: &[Statement]) -> Vec<TimelineEvent> {
    // Chosen by reference and cloned once kept: a reseller's card has hundreds of awards and
    // the timeline keeps a few.
    struct Candidate<'a> {
        curated: bool,
        size: f64,
        date: &'a String,
        kind: &'static str,
        index: usize,
    }
    let awards = contracts.iter().enumerate().filter_map(|(index, k)| {
        let date = k.start.as_ref().or(k.first_action.as_ref())?;
        let size = [k.obligated_usd, k.potential_usd, k.reported_usd]
            .into_iter()
            .flatten()
            .fold(0.0, f64::max);
        Some(Candidate {
            curated: !k.from_spending_data,
            size,
            date,
            kind: "award",
            index,
        })
    });
    let said = statements.iter().enumerate().filter_map(|(index, s)| {
        Some(Candidate {
            curated: true,
            size: 0.0,
            date: s.date.as_ref()?,
            kind: "statement",
            index,
        })
    });
    let mut events: Vec<Candidate> = awards.chain(said).collect();
    // Curated first, then the largest; keep that many; show them in date order.
    events.sort_by(|a, b| b.curated.cmp(&a.curated).then(b.size.total_cmp(&a.size)));
    events.truncate(TIMELINE_EVENTS.max(events.iter().filter(|e| e.curated).count()));
    events.sort_by(|a, b| (a.date, a.kind, a.index).cmp(&(b.date, b.kind, b.index)));
    events
        .into_iter()
        .map(|e| TimelineEvent {
            date: e.date.clone(),
            kind: e.kind,
            index: e.index,
            award: (e.kind == "award").then(|| {
                let k = &contracts[e.index];
                AwardBrief {
                    agency: k.sub_agency.clone().or_else(|| k.agency.clone()),
                    recipient: k.recipient.clone(),
                    description: k.description.clone(),
                }
            }),
        })
        .collect()
}

/// Adds to a curated contract what the records of the award with the same id say. The
/// curated start and end stay as the curator left them, blank included (a blank there means
/// the sources disagree); the records' own dates are shown as their first and last actions,
/// and their potential end (the end with every option) where the curator gave none.
fn merge(k: &mut ContractView, award: &Contract) {
    k.obligated_usd = k.obligated_usd.or(award.obligated_usd);
    k.deobligated_usd = k.deobligated_usd.or(award.deobligated_usd);
    k.potential_usd = k.potential_usd.or(award.potential_usd);
    k.potential_below_obligated = below(k.potential_usd, k.obligated_usd);
    k.first_action = k
        .first_action
        .clone()
        .or_else(|| award.first_action.clone());
    k.last_action = k.last_action.clone().or_else(|| award.last_action.clone());
    k.potential_end = k
        .potential_end
        .clone()
        .or_else(|| award.potential_end.clone());
    k.actions = k.actions.or(award.actions);
    k.vehicle |= award.vehicle;
    k.parent_award_id = k
        .parent_award_id
        .clone()
        .or_else(|| award.parent_award_id.clone());
    k.latest_modification = k
        .latest_modification
        .clone()
        .or_else(|| award.latest_modification.clone());
    k.product_or_service = k
        .product_or_service
        .clone()
        .or_else(|| award.product_or_service.clone());
    k.award_url = k.award_url.clone().or_else(|| award.award_url.clone());
    k.via_evidence = k
        .via_evidence
        .clone()
        .or_else(|| award.via_evidence.clone());
    for source in &award.sources {
        if !k.sources.iter().any(|s| s.url == source.url) {
            k.sources.push(source.clone());
        }
    }
}

/// The contracts with each vehicle's orders moved right after it (`under_vehicle`), in their
/// own order; everything else keeps its place.
fn orders_under_vehicles(contracts: Vec<ContractView>) -> Vec<ContractView> {
    let vehicles: BTreeSet<String> = contracts
        .iter()
        .filter(|k| k.vehicle && k.via_evidence.is_none())
        .filter_map(|k| k.award_id.clone())
        .collect();
    let mut orders: BTreeMap<String, Vec<ContractView>> = BTreeMap::new();
    let mut rest = Vec::with_capacity(contracts.len());
    for k in contracts {
        match k
            .parent_award_id
            .as_ref()
            .filter(|p| !k.vehicle && vehicles.contains(*p))
            .cloned()
        {
            Some(parent) => orders.entry(parent).or_default().push(ContractView {
                under_vehicle: true,
                ..k
            }),
            None => rest.push(k),
        }
    }
    let mut out = Vec::with_capacity(rest.len());
    for k in rest {
        let nested = k
            .vehicle
            .then(|| k.award_id.as_ref().and_then(|id| orders.remove(id)))
            .flatten();
        out.push(k);
        out.extend(nested.into_iter().flatten());
    }
    out
}

/// A total in whole cents, and never "-0" (a net of opposite rows).
fn dollars(total: f64) -> f64 {
    (total * 100.0).round() / 100.0 + 0.0
}

/// A potential value below what is already obligated.
fn below(potential: Option<f64>, obligated: Option<f64>) -> bool {
    matches!((potential, obligated), (Some(p), Some(o)) if p + 0.005 < o)
}
