//! The dataset as the core embeds it, made for a fast start and a flat footprint: the head
//! (companies' ids and names, what their marks need to know, agencies, spending sources) is
//! read at start-up (the embedded one in place: its names and a company's mark facts are
//! borrowed from it, the facts decoded when a scan marks the company), and a company's full
//! record (its contracts, awards and statements) each time a card asks for it, from its
//! deflated chunk. A scan decodes no record at all, and a long session holds no more than the
//! last few chunks it inflated: decoded records are not kept (kept, every record decoded took
//! 31 MB more of WebAssembly memory, which never shrinks).

use crate::dataset::{Agency, BundleHead, Company, Dataset, Facts, MarkFacts, SpendingSource};
use std::borrow::Cow;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// Inflated chunks kept, most recent first: a page's companies and the card the reader opens
/// next are mostly in these.
const CHUNKS_KEPT: usize = 4;

/// A chunk's number and its bytes inflated (`None`: they do not inflate).
type InflatedChunk = (u32, Option<Arc<Vec<u8>>>);

/// The embedded dataset; see the module's documentation.
#[derive(Debug)]
pub struct Bundle {
    head: BundleHead<'static>,
    /// The records blob, once attached: the extension ships it beside the `.wasm` and attaches
    /// it after the first scan that marks something (or on the first card), so that a woken
    /// background's first reply neither fetches nor compiles it.
    blob: OnceLock<Cow<'static, [u8]>>,
    /// The last chunks inflated, most recent first.
    inflated: Mutex<Vec<InflatedChunk>>,
    inflations: AtomicUsize,
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
        let bundle = Bundle::from_head(head)?;
        bundle.attach_records(blob)?;
        Ok(bundle)
    }

    /// A bundle of [`Dataset::to_bundle`]'s head alone: names, marks and scans work at once;
    /// cards once [`Bundle::attach_records`] has given it the records.
    pub fn from_head(head: &[u8]) -> Result<Bundle, BundleError> {
        let head: BundleHead =
            postcard::from_bytes(head).map_err(|e| BundleError(e.to_string()))?;
        Bundle::of_head(head.into_owned())
    }

    /// As [`Bundle::from_head`], the head's names and mark facts borrowed from `head` instead
    /// of copied: for the head embedded in the program, read at every start of the core.
    pub fn from_static_head(head: &'static [u8]) -> Result<Bundle, BundleError> {
        Bundle::of_head(postcard::from_bytes(head).map_err(|e| BundleError(e.to_string()))?)
    }

    fn of_head(head: BundleHead<'static>) -> Result<Bundle, BundleError> {
        let fits = head.records.len() == head.companies.len()
            && head.mark_facts.len() == head.companies.len()
            && head
                .records
                .iter()
                .all(|&(chunk, start, end)| (chunk as usize) < head.chunks.len() && start <= end)
            && head.chunks.iter().all(|&(start, end)| start <= end);
        if !fits {
            return Err(BundleError("its records do not fit its chunks".into()));
        }
        Ok(Bundle {
            head,
            blob: OnceLock::new(),
            inflated: Mutex::new(Vec::with_capacity(CHUNKS_KEPT)),
            inflations: AtomicUsize::new(0),
        })
    }

    /// Gives the bundle its records blob: the one its head was built with (same length and
    /// checksum), or an error that leaves the bundle as it was. A second attach is a no-op.
    pub fn attach_records(&self, blob: Cow<'static, [u8]>) -> Result<(), BundleError> {
        if self.blob.get().is_some() {
            return Ok(());
        }
        if blob.len() as u64 != self.head.records_bytes
            || crate::dataset::records_checksum(&blob) != self.head.records_checksum
        {
            return Err(BundleError(format!(
                "these {} bytes of records are not the ones its head was built with ({} bytes)",
                blob.len(),
                self.head.records_bytes
            )));
        }
        let _ = self.blob.set(blob);
        Ok(())
    }

    /// Whether the records are attached (cards need them; scans do not).
    pub fn has_records(&self) -> bool {
        self.blob.get().is_some()
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
        let company = self.head.companies.get(index)?;
        Some((&company.id, &company.name))
    }

    /// The position of the company with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.head.companies.iter().position(|c| c.id == id)
    }

    /// Every company with its position, each record decoded as it comes.
    pub fn companies(&self) -> impl Iterator<Item = (usize, Company)> + '_ {
        (0..self.company_count()).filter_map(|i| Some((i, self.company_at(i)?.into_owned())))
    }

    /// How many times a chunk was inflated so far (start-up inflates none).
    pub fn inflations(&self) -> usize {
        self.inflations.load(Ordering::Relaxed)
    }

    /// How many inflated chunks are held now: never more than a few, however much was asked.
    pub fn chunks_held(&self) -> usize {
        self.inflated.lock().map_or(0, |kept| kept.len())
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
        let blob = self
            .blob
            .get()
            .expect("to_dataset needs the records attached");
        let mut inflated: Option<(u32, Vec<u8>)> = None;
        let mut companies = Vec::with_capacity(self.company_count());
        for &(chunk, start, end) in &self.head.records {
            if inflated.as_ref().map(|(c, _)| *c) != Some(chunk) {
                let (from, to) = self.head.chunks[chunk as usize];
                let bytes =
                    miniz_oxide::inflate::decompress_to_vec(&blob[from as usize..to as usize])
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

    /// Chunk `chunk` inflated: from those kept, or inflated now and kept in place of the
    /// least recently used.
    fn inflated_chunk(&self, chunk: u32) -> Option<Arc<Vec<u8>>> {
        let mut kept = self
            .inflated
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(at) = kept.iter().position(|(c, _)| *c == chunk) {
            let entry = kept.remove(at);
            kept.insert(0, entry);
            return kept[0].1.clone();
        }
        let (from, to) = *self.head.chunks.get(chunk as usize)?;
        let deflated = self.blob.get()?.get(from as usize..to as usize)?;
        let bytes = miniz_oxide::inflate::decompress_to_vec(deflated)
            .ok()
            .map(Arc::new);
        self.inflations.fetch_add(1, Ordering::Relaxed);
        kept.truncate(CHUNKS_KEPT - 1);
        kept.insert(0, (chunk, bytes.clone()));
        bytes
    }
}

impl Facts for Bundle {
    fn company_at(&self, index: usize) -> Option<Cow<'_, Company>> {
        let &(chunk, start, end) = self.head.records.get(index)?;
        let bytes = self.inflated_chunk(chunk)?;
        let record = bytes.get(start as usize..end as usize)?;
        postcard::from_bytes(record).ok().map(Cow::Owned)
    }

    fn company_head(&self, index: usize) -> Option<(&str, &str)> {
        Bundle::company_head(self, index)
    }

    fn mark_facts(&self, index: usize) -> Option<Cow<'_, MarkFacts>> {
        let packed = self.head.mark_facts.get(index)?;
        packed.unpack(&self.head.codes).map(Cow::Owned)
    }

    fn company_name(&self, id: &str) -> Option<&str> {
        self.head
            .companies
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.as_ref())
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
