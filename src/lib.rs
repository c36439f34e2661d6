//! Contract Lens core: the dataset of companies with US government contracts and their public
//! statements, and the matcher that finds those companies in page text.
//!
//! Start with [`Core::bundled`]: it loads the dataset and the matcher compiled into the crate.
//! [`matcher::Matcher::find_in_blocks`] finds mentions (UTF-16 spans) in a document's blocks of
//! text; [`card::Card::of`] gives what the reader's card shows for a company.
//!
//! Everything here is pure and runs natively; `wasm.rs` is the only binding to JavaScript.

pub mod bundle;
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

use bundle::Bundle;
use dataset::Dataset;
use matcher::Matcher;
use std::borrow::Cow;

/// The bundle's head, as `build.rs` compiled it from `data/` (see [`Bundle`]).
pub static BUNDLED_HEAD: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/head.bin"));
/// Every company's record, deflated in chunks. The WebAssembly core does not embed them (its
/// `Core` starts from the head and the matcher; JavaScript attaches the records, shipped
/// beside the `.wasm`, before cards need them): nothing there refers to this static.
pub static BUNDLED_RECORDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/records.bin"));
/// The matcher over the bundled dataset, built at compile time.
pub static BUNDLED_MATCHER: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/matcher.bin"));

/// The bundled dataset, as the core holds it: records decoded on demand.
pub fn bundled() -> Bundle {
    Bundle::from_parts(BUNDLED_HEAD, Cow::Borrowed(BUNDLED_RECORDS))
        .expect("build.rs wrote this bundle")
}

/// The bundled dataset, every record decoded (the CLI, tests).
pub fn bundled_dataset() -> Dataset {
    bundled().to_dataset()
}

/// The dataset and the matcher over it.
#[derive(Debug)]
pub struct Core {
    pub bundle: Bundle,
    pub matcher: Matcher,
}

impl Core {
    /// The core over the bundled dataset: its head decoded and its matcher loaded, nothing
    /// built; a company's record is decoded each time a card asks for it.
    pub fn bundled() -> Core {
        Core {
            bundle: bundled(),
            matcher: Matcher::from_bytes(BUNDLED_MATCHER).expect("build.rs wrote this matcher"),
        }
    }

    /// The bundled core without its records: scans work at once, cards once
    /// [`Bundle::attach_records`] is given them (the WebAssembly core starts so).
    pub fn bundled_without_records() -> Core {
        Core {
            bundle: Bundle::from_head(BUNDLED_HEAD).expect("build.rs wrote this head"),
            matcher: Matcher::from_bytes(BUNDLED_MATCHER).expect("build.rs wrote this matcher"),
        }
    }

    /// The core over a dataset of one's own (its matcher built now).
    pub fn new(dataset: &Dataset) -> Core {
        Core {
            bundle: Bundle::of(dataset),
            matcher: Matcher::from_dataset(dataset),
        }
    }

    /// Scans a page's blocks and applies the reader's options: everything the marks need, in
    /// one call.
    pub fn scan_page<S: AsRef<str>>(
        &self,
        blocks: &[S],
        options: &card::ScanOptions,
    ) -> card::PageScan {
        card::PageScan::of(&self.bundle, self.matcher.find_in_blocks(blocks), options)
    }
}
