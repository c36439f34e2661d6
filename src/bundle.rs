//! The dataset as the core embeds it, made for a fast start: the head (companies' ids and names,
//! agencies, spending sources) is decoded at start-up, and each company's full record (its
//! contracts, awards and statements) only when a scan or a card first asks for it. A background
//! that the browser wakes for one page thus decodes the few companies on that page, not the
//! thousands of awards of the whole dataset.

use crate::dataset::{Agency, BundleHead, Company, Dataset, Facts, SpendingSource};
use std::borrow::Cow;
use std::sync::OnceLock;

/// The embedded dataset; see the module's documentation.
#[derive(Debug)]
pub struct Bundle {
    head: BundleHead,
    blob: Cow<'static, [u8]>,
    /// Each company's record once decoded; `None` if its bytes do not decode.
    decoded: Vec<OnceLock<Option<Company>>>,
}

/// Bytes that are not a bundle.
#[derive(Debug)]
pub struct BundleError(String);

impl std::fmt::Display for BundleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not a bundle: {}", self.0)
    }
}

impl std::error::Error for BundleError {}

impl Bundle {
    /// A bundle from [`Dataset::to_bundle`]'s head and records blob.
    pub fn from_parts(head: &[u8], blob: Cow<'static, [u8]>) -> Result<Bundle, BundleError> {
        let head: BundleHead =
            postcard::from_bytes(head).map_err(|e| BundleError(e.to_string()))?;
        let fits = head.records.len() == head.companies.len()
            && head
                .records
                .iter()
                .all(|&(chunk, start, end)| (chunk as usize) < head.chunks.len() && start <= end)
            && head
                .chunks
                .iter()
                .all(|&(start, end)| start <= end && end as usize <= blob.len());
        if !fits {
            return Err(BundleError("its records do not fit its blob".into()));
        }
        let decoded = (0..head.companies.len()).map(|_| OnceLock::new()).collect();
        Ok(Bundle {
            head,
            blob,
            decoded,
        })
    }

    /// A bundle of `dataset`, as the build makes it (tests, and dictionaries of one's own).
    pub fn of(dataset: &Dataset) -> Bundle {
        let (head, blob) = dataset.to_bundle();
        Bundle::from_parts(&head, Cow::Owned(blob)).expect("to_bundle makes bundles")
    }

    pub fn company_count(&self) -> usize {
        self.head.companies.len()
    }

    /// Company `index`'s id and display name, without decoding its record.
    pub fn company_head(&self, index: usize) -> Option<(&str, &str)> {
        let (id, name) = self.head.companies.get(index)?;
        Some((id, name))
    }

    /// The position of the company with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.head.companies.iter().position(|(i, _)| i == id)
    }

    /// Every company with its position, each record decoded as it comes.
    pub fn companies(&self) -> impl Iterator<Item = (usize, &Company)> {
        (0..self.company_count()).filter_map(|i| Some((i, self.company_at(i)?)))
    }

    /// How many company records are decoded so far (the rest cost nothing yet).
    pub fn decoded_count(&self) -> usize {
        self.decoded.iter().filter(|d| d.get().is_some()).count()
    }

    /// The whole dataset, every record decoded (the CLI, tests).
    pub fn to_dataset(&self) -> Dataset {
        Dataset {
            data_as_of: self.head.data_as_of.clone(),
            agencies: self.head.agencies.clone(),
            spending_sources: self.head.spending_sources.clone(),
            companies: self.decode_all(),
        }
    }

    /// Every record, each chunk inflated once, none kept.
    fn decode_all(&self) -> Vec<Company> {
        let mut inflated: Option<(u32, Vec<u8>)> = None;
        let mut companies = Vec::with_capacity(self.company_count());
        for &(chunk, start, end) in &self.head.records {
            if inflated.as_ref().map(|(c, _)| *c) != Some(chunk) {
                let (from, to) = self.head.chunks[chunk as usize];
                let bytes =
                    miniz_oxide::inflate::decompress_to_vec(&self.blob[from as usize..to as usize])
                        .expect("the build deflated every chunk");
                inflated = Some((chunk, bytes));
            }
            let bytes = &inflated.as_ref().expect("just inflated").1;
            companies.push(
                postcard::from_bytes(&bytes[start as usize..end as usize])
                    .expect("the build wrote every record"),
            );
        }
        companies
    }

    /// Decodes the chunk of company `index`: every record in it, since inflating the chunk is
    /// most of the cost and its neighbours are as likely to be asked for next.
    fn decode_chunk_of(&self, index: usize) {
        let chunk = self.head.records[index].0;
        let (from, to) = self.head.chunks[chunk as usize];
        let bytes =
            miniz_oxide::inflate::decompress_to_vec(&self.blob[from as usize..to as usize]).ok();
        let first = self.head.records[..index]
            .iter()
            .rposition(|r| r.0 != chunk)
            .map_or(0, |i| i + 1);
        for (i, &(c, start, end)) in self.head.records.iter().enumerate().skip(first) {
            if c != chunk {
                break;
            }
            let record = bytes
                .as_deref()
                .and_then(|b| b.get(start as usize..end as usize))
                .and_then(|b| postcard::from_bytes(b).ok());
            // A record another thread decoded meanwhile is the same record.
            let _ = self.decoded[i].set(record);
        }
    }
}

impl Facts for Bundle {
    fn company_at(&self, index: usize) -> Option<&Company> {
        let cell = self.decoded.get(index)?;
        if cell.get().is_none() {
            self.decode_chunk_of(index);
        }
        cell.get()?.as_ref()
    }

    fn company_name(&self, id: &str) -> Option<&str> {
        self.head
            .companies
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, name)| name.as_str())
    }

    fn agency_by_code(&self, code: &str) -> Option<&Agency> {
        self.head.agencies.iter().find(|a| a.code == code)
    }

    fn checked_on(&self) -> &str {
        &self.head.data_as_of
    }

    fn spending_sources(&self) -> &[SpendingSource] {
        &self.head.spending_sources
    }
}
