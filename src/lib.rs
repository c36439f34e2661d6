//! Contract Lens core: the dataset of companies with US government contracts and their public
//! statements, and the matcher that finds those companies in page text.
//!
//! Start with [`Core::bundled`]: it loads the dataset compiled into the crate and builds the
//! matcher. [`matcher::Matcher::find_in_blocks`] finds mentions (UTF-16 spans) in a document's
//! blocks of text; [`card::Card::of`] gives what the reader's card shows for a company.
//!
//! Everything here is pure and runs natively; `wasm.rs` is the only binding to JavaScript.

pub mod card;
pub mod dataset;
#[cfg(not(target_arch = "wasm32"))]
pub mod html;
#[cfg(not(target_arch = "wasm32"))]
pub mod import;
#[cfg(not(target_arch = "wasm32"))]
pub mod load;
pub mod matcher;
pub mod names;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

use dataset::Dataset;
use matcher::Matcher;

/// The dataset compiled from `data/` by `build.rs`, deflated.
pub static BUNDLED_DATASET: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/dataset.bin"));

/// The bundled dataset, inflated and decoded.
pub fn bundled_dataset() -> Dataset {
    let bytes = miniz_oxide::inflate::decompress_to_vec(BUNDLED_DATASET)
        .expect("build.rs deflated this dataset");
    Dataset::from_bytes(&bytes).expect("build.rs wrote this dataset and validated it")
}

/// The dataset and a matcher built from it.
#[derive(Debug, Clone)]
pub struct Core {
    pub dataset: Dataset,
    pub matcher: Matcher,
}

impl Core {
    /// The core over the bundled dataset.
    pub fn bundled() -> Core {
        Core::new(bundled_dataset())
    }

    pub fn new(dataset: Dataset) -> Core {
        let matcher = Matcher::from_dataset(&dataset);
        Core { dataset, matcher }
    }

    /// Scans a page's blocks and applies the reader's options: everything the marks need, in
    /// one call.
    pub fn scan_page<S: AsRef<str>>(
        &self,
        blocks: &[S],
        options: &card::ScanOptions,
    ) -> card::PageScan {
        card::PageScan::of(&self.dataset, self.matcher.find_in_blocks(blocks), options)
    }
}
