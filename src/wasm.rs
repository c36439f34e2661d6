//! The one binding between the core and JavaScript. Everything here is thin: it converts
//! arguments, calls the pure core, and converts results. Company and name indices are opaque
//! handles to JavaScript.

use crate::card::{Card, Filters, ScanOptions, Slice};
use crate::dataset::Facts;
use crate::Core;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The core over the bundled dataset, as JavaScript holds it.
#[wasm_bindgen(js_name = Core)]
pub struct WasmCore {
    core: Core,
    /// The last card opened, whole: the reader's next requests are for its other awards.
    last_card: RefCell<Option<(u32, Filters, Rc<Card>)>>,
}

#[wasm_bindgen(js_class = Core)]
impl WasmCore {
    /// Loads the bundled dataset's head and its matcher, built at compile time. Scans work at
    /// once; cards once `attachRecords` has given the core its records (shipped beside the
    /// `.wasm` as `contract_lens_records.bin`, so that a woken background neither fetches nor
    /// compiles them).
    #[wasm_bindgen(constructor)]
    pub fn new() -> WasmCore {
        WasmCore {
            core: Core::bundled_without_records(),
            last_card: RefCell::new(None),
        }
    }

    /// Gives the core its records: an error if they are not the ones it was built with.
    #[wasm_bindgen(js_name = attachRecords)]
    pub fn attach_records(&self, records: Vec<u8>) -> Result<(), JsError> {
        self.core
            .bundle
            .attach_records(std::borrow::Cow::Owned(records))
            .map_err(|e| JsError::new(&e.to_string()))
    }

    #[wasm_bindgen(getter, js_name = hasRecords)]
    pub fn has_records(&self) -> bool {
        self.core.bundle.has_records()
    }

    /// A page's scan with the reader's options (`{ filters, firstPerBlock, dismissed }`, or
    /// `undefined`) applied: `{ mentions, companies }`. The blocks come as `encodeBlocks`
    /// (extension/common/encode.js) gives them: joined by line feeds as UTF-8, and each
    /// block's length in UTF-16 units.
    /// `mentions` is flattened for speed, five numbers per mention, `block, start, end,
    /// company, name`, with `start`/`end` in UTF-16 code units; `companies` gives
    /// `{ company, name, statements }` for each company marked.
    pub fn scan(&self, text: &[u8], lengths: &[u32], options: JsValue) -> Result<JsValue, JsError> {
        let blocks = crate::split_blocks(text, lengths)?;
        let options: ScanOptions = if options.is_undefined() || options.is_null() {
            ScanOptions::default()
        } else {
            serde_wasm_bindgen::from_value(options)?
        };
        let page = self.core.scan_page(&blocks, &options);
        let result = js_sys::Object::new();
        let mentions = js_sys::Uint32Array::from(flatten(&page.mentions).as_slice());
        js_sys::Reflect::set(&result, &"mentions".into(), &mentions)
            .map_err(|_| JsError::new("could not build the scan's result"))?;
        js_sys::Reflect::set(
            &result,
            &"companies".into(),
            &serde_wasm_bindgen::to_value(&page.companies)?,
        )
        .map_err(|_| JsError::new("could not build the scan's result"))?;
        Ok(result.into())
    }

    /// The card of a company as it opens (src/card.rs `OpeningCard`), as JSON text, with only
    /// what `filters` (the reader's options, or `undefined`) keep; `undefined` for an unknown
    /// handle. Text, not an object: Firefox's messaging copies one string between processes
    /// far faster than a tree of hundreds of objects (a reseller's card holds 840 awards);
    /// the background decides how it crosses (extension/background.js `forPage`).
    pub fn card(&self, company: u32, filters: JsValue) -> Result<Option<String>, JsError> {
        let filters = parse_filters(filters)?;
        match self.whole_card(company, filters)? {
            Some(card) => Ok(Some(serde_json::to_string(&card.opening())?)),
            None => Ok(None),
        }
    }

    /// Contracts of a card that it opened without: `slices` holds `from, to` pairs from the
    /// opening card (its `entries[].more_orders` and `years[].entries`), and the answer, as
    /// JSON text like the card, one array of contracts per pair. The same `filters` as the
    /// card's, or the slices may name other contracts.
    pub fn contracts(
        &self,
        company: u32,
        filters: JsValue,
        slices: &[u32],
    ) -> Result<String, JsError> {
        let filters = parse_filters(filters)?;
        let card = self
            .whole_card(company, filters)?
            .ok_or_else(|| JsError::new("no such company"))?;
        if slices.len() % 2 != 0 {
            return Err(JsError::new("slices come in pairs"));
        }
        let lists = slices
            .chunks_exact(2)
            .map(|pair| {
                let slice = Slice {
                    from: pair[0] as usize,
                    to: pair[1] as usize,
                };
                card.contracts_in(slice)
                    .ok_or_else(|| JsError::new("a slice past the card's contracts"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(serde_json::to_string(&lists)?)
    }

    /// The whole card, from the last one built when it is the same.
    fn whole_card(&self, company: u32, filters: Filters) -> Result<Option<Rc<Card>>, JsError> {
        if !self.core.bundle.has_records() {
            return Err(JsError::new("the core's records are not attached"));
        }
        if let Some((c, f, card)) = &*self.last_card.borrow() {
            if *c == company && *f == filters {
                return Ok(Some(Rc::clone(card)));
            }
        }
        let Some(card) = Card::filtered(&self.core.bundle, company as usize, &filters) else {
            return Ok(None);
        };
        let card = Rc::new(card);
        *self.last_card.borrow_mut() = Some((company, filters, Rc::clone(&card)));
        Ok(Some(card))
    }

    /// The company's display name, for lists and accessible labels.
    #[wasm_bindgen(js_name = companyName)]
    pub fn company_name(&self, company: u32) -> Option<String> {
        self.core
            .bundle
            .company_head(company as usize)
            .map(|(_, name)| name.to_string())
    }

    /// The name that matched, as the data writes it, from `found`, the page's text the mark
    /// holds: why a mark is there. `undefined` unless that name matches `found`.
    #[wasm_bindgen(js_name = nameText)]
    pub fn name_text(&self, name: u32, found: &str) -> Option<String> {
        self.core.matcher.name_as_found(name as usize, found)
    }

    #[wasm_bindgen(getter, js_name = companyCount)]
    pub fn company_count(&self) -> u32 {
        self.core.bundle.company_count() as u32
    }

    #[wasm_bindgen(getter, js_name = dataAsOf)]
    pub fn data_as_of(&self) -> String {
        self.core.bundle.checked_on().to_string()
    }
}

impl Default for WasmCore {
    fn default() -> WasmCore {
        WasmCore::new()
    }
}

/// A matcher over a dictionary given by JavaScript (names only, none ambiguous): what the
/// benchmark measures against a RegExp of the same names.
#[wasm_bindgen]
pub struct NameMatcher {
    matcher: crate::matcher::Matcher,
}

#[wasm_bindgen]
impl NameMatcher {
    #[wasm_bindgen(constructor)]
    pub fn new(names: Vec<String>) -> NameMatcher {
        let mut builder = crate::matcher::MatcherBuilder::new();
        for (i, name) in names.iter().enumerate() {
            builder.name(name, i, false);
        }
        NameMatcher {
            matcher: builder.build(),
        }
    }

    /// As [`WasmCore::scan`]: the blocks as `encodeBlocks` gives them; five numbers per
    /// mention.
    pub fn scan(&self, text: &[u8], lengths: &[u32]) -> Result<Vec<u32>, JsError> {
        let blocks = crate::split_blocks(text, lengths)?;
        Ok(flatten(&self.matcher.find_in_blocks(&blocks)))
    }

    /// The compiled form build.rs embeds for the bundled matcher; the memory benchmark loads
    /// a 100k-name one with [`NameMatcher::from_bytes`].
    #[wasm_bindgen(js_name = toBytes)]
    pub fn to_bytes(&self) -> Vec<u8> {
        self.matcher.to_bytes()
    }

    /// A matcher from [`NameMatcher::to_bytes`]: copied once into the core's memory, checked
    /// in full, then read where it lies.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: Vec<u8>) -> Result<NameMatcher, JsError> {
        crate::matcher::Matcher::from_owned_bytes(bytes)
            .map(|matcher| NameMatcher { matcher })
            .map_err(|e| JsError::new(&e.to_string()))
    }
}

fn flatten(mentions: &[crate::matcher::Mention]) -> Vec<u32> {
    let mut flat = Vec::with_capacity(mentions.len() * 5);
    for m in mentions {
        flat.extend([m.block, m.span.start, m.span.end, m.company, m.name].map(|n| n as u32));
    }
    flat
}

fn parse_filters(filters: JsValue) -> Result<Filters, JsError> {
    if filters.is_undefined() || filters.is_null() {
        return Ok(Filters::default());
    }
    Ok(serde_wasm_bindgen::from_value(filters)?)
}
