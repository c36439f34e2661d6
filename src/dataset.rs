//! The dataset: companies, their government contracts and their public statements, each fact
//! with its sources.
//!
//! This is the model that ships: the build (`build.rs`, through `load.rs`) reads `data/`,
//! validates it, imports the spending records, and compiles the result into a bundle
//! ([`Dataset::to_bundle`]) that ships with the core, so the extension never fetches data from
//! anywhere and bad data never ships.
//!
//! This file is also compiled into `build.rs` (by `#[path]`), so it depends only on `serde`,
//! `postcard` and `miniz_oxide`.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeSet;

/// All facts the extension knows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    /// When the curated facts were last checked against their sources (YYYY-MM-DD).
    pub data_as_of: String,
    #[serde(default)]
    pub agencies: Vec<Agency>,
    /// The spending records imported, each with the dates it covers.
    #[serde(default)]
    pub spending_sources: Vec<SpendingSource>,
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
    /// The company's products, by the names spending records use ("Taser" for Axon): an award
    /// to someone else whose description names one is shown on this company's card, "via" the
    /// recipient.
    #[serde(default)]
    pub products: Vec<Product>,
    #[serde(default)]
    pub contracts: Vec<Contract>,
    #[serde(default)]
    pub statements: Vec<Statement>,
    /// Awards imported from the spending records (`data/sources/`), filled in by the build:
    /// the company's own, and those to resellers whose records name it (`via_evidence`).
    #[serde(default)]
    pub awards: Vec<Contract>,
    /// True for a recipient known only from USAspending data, with no curated record.
    #[serde(default)]
    pub uncurated: bool,
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
    /// Dollars obligated (spent or committed) so far; for imported awards, the net of the
    /// records' obligations and de-obligations, which can be negative.
    #[serde(default)]
    pub obligated_usd: Option<f64>,
    /// Dollars de-obligated by the records' negative actions, as a positive figure.
    #[serde(default)]
    pub deobligated_usd: Option<f64>,
    /// Potential value (ceiling) if every option is exercised.
    #[serde(default)]
    pub potential_usd: Option<f64>,
    /// A value a news source gives without saying which of the two it is.
    #[serde(default)]
    pub reported_usd: Option<f64>,
    /// The award's start: its base award's date; never a modification's.
    #[serde(default)]
    pub start: Option<String>,
    /// The current end date, as the latest action in the records gives it.
    #[serde(default)]
    pub end: Option<String>,
    /// The first and last action dates in the spending records ("first action in these
    /// records" when the base award is not among them).
    #[serde(default)]
    pub first_action: Option<String>,
    #[serde(default)]
    pub last_action: Option<String>,
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
    /// How many transactions (base award and modifications) the records hold.
    #[serde(default)]
    pub actions: Option<u32>,
    /// The highest modification number in the records ("P00034"): the award has had at least
    /// that many, whatever number of them the records hold.
    #[serde(default)]
    pub latest_modification: Option<String>,
    /// The contract vehicle (IDV) this award is an order under.
    #[serde(default)]
    pub parent_award_id: Option<String>,
    /// A contract vehicle (IDV): its potential value is a ceiling its orders draw on, never to be
    /// added to theirs.
    #[serde(default)]
    pub vehicle: bool,
    /// Ids of the spending sources whose rows make up this award.
    #[serde(default)]
    pub spending_sources: Vec<String>,
    /// For an award to another company (a reseller) that names this company or its product: the
    /// record's words that do.
    #[serde(default)]
    pub via_evidence: Option<String>,
    /// What the reader is told about the figures, in plain words.
    #[serde(default)]
    pub note: Option<String>,
    /// How the figures were taken from the records, for maintainers (`data show`), never on a
    /// card.
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
}

impl Contract {
    /// The largest of its amounts (obligated, potential, reported), if it gives any: what the
    /// reader's "at least" filter compares.
    pub fn largest_usd(&self) -> Option<f64> {
        [self.obligated_usd, self.potential_usd, self.reported_usd]
            .into_iter()
            .flatten()
            .reduce(f64::max)
    }
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
    /// The agencies the statement is about, by code. The statement's words or its sources'
    /// quotes name each one (the loader checks), so the field has a source too.
    #[serde(default)]
    pub agencies: Vec<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
}

/// A product a company sells under its own name, as spending records write it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub name: String,
    #[serde(default)]
    pub sources: Vec<Source>,
}

/// One set of imported spending records and what it covers, so a reader never reads a gap in
/// the records as "no contracts".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpendingSource {
    pub id: String,
    /// What the records are, for a reader ("ICE contract transactions from USAspending").
    pub name: String,
    /// Sub-agency codes the records cover.
    pub agencies: Vec<String>,
    /// The first and last action dates in the records (the last is their "data as of").
    pub first_action: String,
    pub last_action: String,
    /// What the records leave out, for a reader.
    pub gaps: String,
    /// Where the records come from.
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub url: String,
    /// The passage of the source that supports the fact.
    #[serde(default)]
    pub quote: Option<String>,
}

impl Dataset {
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

/// What a card is made from: the whole [`Dataset`] (the build, the CLI, tests), or the core's
/// bundle, which decodes a company each time it is asked for and keeps none (`bundle.rs`).
pub trait Facts {
    /// Company `index`, or `None` past the end (or, in a bundle, if its record does not decode).
    fn company_at(&self, index: usize) -> Option<Cow<'_, Company>>;
    /// Company `index`'s id and display name, without decoding its record.
    fn company_head(&self, index: usize) -> Option<(&str, &str)>;
    /// What company `index`'s marks need to know, without decoding its record.
    fn mark_facts(&self, index: usize) -> Option<Cow<'_, MarkFacts>>;
    /// The display name of the company with this id.
    fn company_name(&self, id: &str) -> Option<&str>;
    fn agency_by_code(&self, code: &str) -> Option<&Agency>;
    fn checked_on(&self) -> &str;
    fn spending_sources(&self) -> &[SpendingSource];
}

impl Facts for Dataset {
    fn company_at(&self, index: usize) -> Option<Cow<'_, Company>> {
        self.companies.get(index).map(Cow::Borrowed)
    }
    fn company_head(&self, index: usize) -> Option<(&str, &str)> {
        self.companies
            .get(index)
            .map(|c| (c.id.as_str(), c.name.as_str()))
    }
    fn mark_facts(&self, index: usize) -> Option<Cow<'_, MarkFacts>> {
        self.companies
            .get(index)
            .map(|c| Cow::Owned(MarkFacts::of(c)))
    }
    fn company_name(&self, id: &str) -> Option<&str> {
        self.company(id).map(|c| c.name.as_str())
    }
    fn agency_by_code(&self, code: &str) -> Option<&Agency> {
        self.agency(code)
    }
    fn checked_on(&self) -> &str {
        &self.data_as_of
    }
    fn spending_sources(&self) -> &[SpendingSource] {
        &self.spending_sources
    }
}

/// What a company's marks need to know under any of the reader's filters, kept in the bundle's
/// head so that a scan decodes no record: whether the company made public statements, and
/// who bought from it (each agency and sub-agency pair of its contracts and awards once, with
/// the largest amount among them).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MarkFacts {
    pub statements: bool,
    pub buyers: Vec<Buyer>,
}

/// An agency and sub-agency pair that bought from a company, and the largest amount of any of
/// those contracts (`None`: none gives one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Buyer {
    pub agency: Option<String>,
    pub sub_agency: Option<String>,
    pub largest_usd: Option<f64>,
}

impl MarkFacts {
    pub fn of(company: &Company) -> MarkFacts {
        let mut buyers: Vec<Buyer> = Vec::new();
        for contract in company.contracts.iter().chain(&company.awards) {
            let largest = contract.largest_usd();
            match buyers
                .iter_mut()
                .find(|b| b.agency == contract.agency && b.sub_agency == contract.sub_agency)
            {
                Some(buyer) => {
                    buyer.largest_usd = match (buyer.largest_usd, largest) {
                        (Some(a), Some(b)) => Some(a.max(b)),
                        (a, b) => a.or(b),
                    }
                }
                None => buyers.push(Buyer {
                    agency: contract.agency.clone(),
                    sub_agency: contract.sub_agency.clone(),
                    largest_usd: largest,
                }),
            }
        }
        MarkFacts {
            statements: !company.statements.is_empty(),
            buyers,
        }
    }
}

/// [`MarkFacts`] as the bundle's head keeps them: agency codes as positions in its `codes`
/// ([`NO_CODE`]: none).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackedMarkFacts {
    pub statements: bool,
    pub buyers: Vec<(u16, u16, Option<f64>)>,
}

pub const NO_CODE: u16 = u16::MAX;

impl PackedMarkFacts {
    /// The facts, or `None` if a code is not in `codes` (a damaged head).
    pub fn unpack(&self, codes: &[String]) -> Option<MarkFacts> {
        let code = |at: u16| -> Option<Option<String>> {
            if at == NO_CODE {
                Some(None)
            } else {
                codes.get(at as usize).cloned().map(Some)
            }
        };
        let buyers = self
            .buyers
            .iter()
            .map(|&(agency, sub_agency, largest_usd)| {
                Some(Buyer {
                    agency: code(agency)?,
                    sub_agency: code(sub_agency)?,
                    largest_usd,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(MarkFacts {
            statements: self.statements,
            buyers,
        })
    }
}

/// The bundle's head: what start-up decodes. Company records are apart, in deflated chunks of
/// about [`CHUNK_BYTES`] (a big company's record is a chunk of its own), decoded when a card
/// asks for one: record `i` is bytes `records[i].1..records[i].2` of chunk `records[i].0`
/// inflated, and chunk `c` is bytes `chunks[c]` of the records blob.
///
/// Read from the bytes embedded in the program, the companies' ids and names and their packed
/// [`MarkFacts`] are borrowed, not copied: some 16,000 allocations at every start of the core
/// were most of its time. A company's mark facts are decoded when a scan marks it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BundleHead<'a> {
    pub data_as_of: String,
    pub agencies: Vec<Agency>,
    pub spending_sources: Vec<SpendingSource>,
    /// Each company's id and display name, in dataset order.
    #[serde(borrow)]
    pub companies: Vec<CompanyHead<'a>>,
    /// Each company's [`PackedMarkFacts`] as bytes, in dataset order, with agency codes as
    /// positions in `codes`: thousands of short strings decoded at every start cost more than
    /// the lookups.
    #[serde(borrow)]
    pub mark_facts: Vec<PackedMarkFactsBytes<'a>>,
    pub codes: Vec<String>,
    pub records: Vec<(u32, u32, u32)>,
    pub chunks: Vec<(u32, u32)>,
    /// The records blob's length and [`records_checksum`].
    pub records_bytes: u64,
    pub records_checksum: u64,
}

/// A company's id and display name in the bundle's head.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompanyHead<'a> {
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    #[serde(borrow)]
    pub name: Cow<'a, str>,
}

/// A company's [`PackedMarkFacts`], serialized.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackedMarkFactsBytes<'a>(#[serde(borrow)] pub Cow<'a, [u8]>);

impl PackedMarkFactsBytes<'_> {
    /// The facts, or `None` if the bytes or a code are damaged.
    pub fn unpack(&self, codes: &[String]) -> Option<MarkFacts> {
        postcard::from_bytes::<PackedMarkFacts>(&self.0)
            .ok()?
            .unpack(codes)
    }
}

impl BundleHead<'_> {
    /// The head owning all it holds (from bytes that do not live as long as the program).
    pub fn into_owned(self) -> BundleHead<'static> {
        BundleHead {
            data_as_of: self.data_as_of,
            agencies: self.agencies,
            spending_sources: self.spending_sources,
            companies: self
                .companies
                .into_iter()
                .map(|c| CompanyHead {
                    id: Cow::Owned(c.id.into_owned()),
                    name: Cow::Owned(c.name.into_owned()),
                })
                .collect(),
            mark_facts: self
                .mark_facts
                .into_iter()
                .map(|f| PackedMarkFactsBytes(Cow::Owned(f.0.into_owned())))
                .collect(),
            codes: self.codes,
            records: self.records,
            chunks: self.chunks,
            records_bytes: self.records_bytes,
            records_checksum: self.records_checksum,
        }
    }
}

/// FNV-1a over a records blob, eight bytes at a time (a byte at a time, it took a woken
/// background's first card several ms): enough to tell the blob a head was built with from
/// another build's (the extension ships the two as separate files).
pub fn records_checksum(blob: &[u8]) -> u64 {
    let step = |hash: u64, word: u64| (hash ^ word).wrapping_mul(0x0100_0000_01b3);
    let words = blob.chunks_exact(8);
    let rest = words.remainder();
    let hash = words.fold(0xcbf2_9ce4_8422_2325, |hash, word| {
        step(
            hash,
            u64::from_le_bytes(word.try_into().expect("eight bytes")),
        )
    });
    rest.iter()
        .fold(hash, |hash, &byte| step(hash, u64::from(byte)))
}

/// Records are deflated together up to about this many bytes: deflating each on its own
/// compresses far worse, and one chunk inflates in well under a millisecond.
pub const CHUNK_BYTES: usize = 64 * 1024;

impl Dataset {
    /// The head and the records blob of the bundle the core embeds.
    pub fn to_bundle(&self) -> (Vec<u8>, Vec<u8>) {
        let mut blob = Vec::new();
        let mut chunks = Vec::new();
        let mut records = Vec::with_capacity(self.companies.len());
        let mut chunk: Vec<u8> = Vec::new();
        fn flush(chunk: &mut Vec<u8>, blob: &mut Vec<u8>, chunks: &mut Vec<(u32, u32)>) {
            let start = blob.len() as u32;
            blob.extend(miniz_oxide::deflate::compress_to_vec(chunk, 9));
            chunks.push((start, blob.len() as u32));
            chunk.clear();
        }
        for company in &self.companies {
            let bytes = postcard::to_allocvec(company).expect("a company always serializes");
            if !chunk.is_empty() && chunk.len() + bytes.len() > CHUNK_BYTES {
                flush(&mut chunk, &mut blob, &mut chunks);
            }
            let start = chunk.len() as u32;
            chunk.extend(&bytes);
            records.push((chunks.len() as u32, start, chunk.len() as u32));
        }
        if !chunk.is_empty() {
            flush(&mut chunk, &mut blob, &mut chunks);
        }
        let mut codes: Vec<String> = Vec::new();
        let mut code_of = |code: &Option<String>| match code {
            None => NO_CODE,
            Some(c) => {
                let at = codes.iter().position(|k| k == c).unwrap_or_else(|| {
                    codes.push(c.clone());
                    codes.len() - 1
                });
                u16::try_from(at)
                    .ok()
                    .filter(|&at| at != NO_CODE)
                    .expect("fewer agency codes than fit a u16")
            }
        };
        let mark_facts = self
            .companies
            .iter()
            .map(|c| {
                let facts = MarkFacts::of(c);
                let packed = PackedMarkFacts {
                    statements: facts.statements,
                    buyers: facts
                        .buyers
                        .iter()
                        .map(|b| (code_of(&b.agency), code_of(&b.sub_agency), b.largest_usd))
                        .collect(),
                };
                PackedMarkFactsBytes(Cow::Owned(
                    postcard::to_allocvec(&packed).expect("mark facts always serialize"),
                ))
            })
            .collect();
        let head = BundleHead {
            data_as_of: self.data_as_of.clone(),
            agencies: self.agencies.clone(),
            spending_sources: self.spending_sources.clone(),
            companies: self
                .companies
                .iter()
                .map(|c| CompanyHead {
                    id: Cow::Borrowed(c.id.as_str()),
                    name: Cow::Borrowed(c.name.as_str()),
                })
                .collect(),
            mark_facts,
            codes,
            records,
            chunks,
            records_bytes: blob.len() as u64,
            records_checksum: records_checksum(&blob),
        };
        let head = postcard::to_allocvec(&head).expect("a bundle head always serializes");
        (head, blob)
    }
}
