//! Finding company mentions in text.
//!
//! Build a [`Matcher`] once ([`Matcher::from_dataset`], or [`MatcherBuilder`] for a dictionary of
//! your own), then call [`Matcher::find_in_blocks`] with the blocks of text of one document (a
//! page's paragraphs, say). Spans come back in UTF-16 code units, the unit of JavaScript strings,
//! so a caller in a browser can use them as they are.
//!
//! What counts as a mention:
//! - a company's name or alias, whole words only (Unicode-aware: "Chefs" and "Googled" are not
//!   mentions of Chef or Google), the longest one winning where they overlap ("Amazon Web
//!   Services" over "Amazon");
//! - written as in the data, in Title Case, or in ALL CAPS (for names of 4 letters or more, or
//!   names that are capitals already); never in lower case, which is how URLs, handles and
//!   ordinary words are written;
//! - whatever the spacing between words (runs of spaces, line breaks, non-breaking spaces) and
//!   whichever apostrophe ("Hootsuite’s");
//! - not inside a URL or an e-mail address;
//! - for names that are also ordinary words or places (marked `ambiguous` in the data: Amazon,
//!   Chef...), only with evidence that the text means the company: an unambiguous name of the
//!   company (or of a subsidiary) elsewhere in the same document, or a corporate cue next to it
//!   ("Chef's employees", "software company Chef", "Amazon said"), and never in a context such as
//!   "the Amazon rainforest".

use crate::dataset::{Company, Dataset};
use crate::trie::{self, Trie};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

/// A range of UTF-16 code units, `start` inclusive, `end` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// One mention of a company in a block of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Mention {
    /// Index of the block, in the order given to [`Matcher::find_in_blocks`].
    pub block: usize,
    pub span: Span,
    /// Index of the company (its position in the dataset, or the id given to the builder).
    pub company: usize,
    /// Index of the name that matched; [`Matcher::name_as_found`] gives its text.
    pub name: usize,
}

/// A name: as written, its text while a matcher is built, its letter case ([`Case`]) when it
/// is read from the matcher's bytes, where the trie holds its letters.
#[derive(Debug, Clone)]
struct Name<T> {
    written: T,
    company: usize,
    ambiguous: bool,
    /// Uppercase forms are accepted only for names long or distinctive enough.
    caps_ok: bool,
    /// Derived from a spending record's recipient, not curated.
    derived: bool,
    /// One word derived from spending records ("Technica"): not marked as the tail of a longer
    /// proper name ("Ars Technica").
    lone_word: bool,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A name of the company, marked where it is found.
    Name,
    /// A phrase whose text is never marked ("Amazon rainforest").
    Exclude,
    /// A phrase that, anywhere in a document, says the company is meant ("Whole Foods").
    Evidence,
}

/// How many companies a matcher's names can mark: a name's word in its bytes is
/// `company << 8 | flags`.
const MOST_COMPANIES: usize = 1 << 24;

impl<T> Name<T> {
    fn word(&self) -> u32 {
        let kind = match self.kind {
            Kind::Name => 0,
            Kind::Exclude => 1,
            Kind::Evidence => 2,
        };
        (self.company as u32) << 8
            | u32::from(self.ambiguous)
            | u32::from(self.caps_ok) << 1
            | u32::from(self.derived) << 2
            | u32::from(self.lone_word) << 3
            | kind << 4
    }
}

impl<'a> Name<Case<'a>> {
    /// The name whose word is `word`; `None` for a word no name has (damaged bytes).
    fn of_word(word: u32, written: Case<'a>) -> Option<Name<Case<'a>>> {
        // Bits 4 and 5 say its kind, bit 6 whether it is its pattern's last; bit 7 is unused.
        let kind = match word >> 4 & 0b1011 {
            0 => Kind::Name,
            1 => Kind::Exclude,
            2 => Kind::Evidence,
            _ => return None,
        };
        Some(Name {
            written,
            company: (word >> 8) as usize,
            ambiguous: word & 1 != 0,
            caps_ok: word & 2 != 0,
            derived: word & 4 != 0,
            lone_word: word & 8 != 0,
            kind,
        })
    }
}

/// Which ASCII letters of a name are capitals, the first letter the lowest bit: all a matcher
/// keeps of its text, which is the text found (the trie's pattern, in some letter case) with
/// those letters in upper case and its other ASCII letters in lower case. Where a name has
/// at most [`SHORT_CASE_LETTERS`], one word of the matcher's bytes holds them; beyond, that
/// word (its top bit set) says where they begin in the bytes of longer names' cases.
#[derive(Debug, Clone, Copy)]
enum Case<'a> {
    Short(u32),
    /// The bits from where the name's begin to the end of the section.
    Long(&'a [u8]),
}

const SHORT_CASE_LETTERS: usize = 31;
const LONG_CASE: u32 = 1 << 31;

impl Case<'_> {
    /// Whether ASCII letter `letter` of the name (counting from 0) is a capital; letters the
    /// bits do not reach (damaged bytes) are not.
    #[inline]
    fn is_upper(&self, letter: usize) -> bool {
        match *self {
            Case::Short(bits) => letter < SHORT_CASE_LETTERS && bits >> letter & 1 != 0,
            Case::Long(bytes) => bytes
                .get(letter / 8)
                .is_some_and(|b| b >> (letter % 8) & 1 != 0),
        }
    }

    /// The name as written, from `found`, a text its pattern matched.
    fn apply(&self, found: &str) -> String {
        let mut letter = 0;
        let bytes = found
            .bytes()
            .map(|b| {
                if !b.is_ascii_alphabetic() {
                    return b;
                }
                letter += 1;
                if self.is_upper(letter - 1) {
                    b.to_ascii_uppercase()
                } else {
                    b.to_ascii_lowercase()
                }
            })
            .collect();
        // Only ASCII bytes changed, each to an ASCII byte: still UTF-8.
        String::from_utf8(bytes).unwrap_or_default()
    }
}

/// The case bits of `text`, a name as written: one bit per ASCII letter, in bytes.
fn case_bits(text: &str) -> Vec<u8> {
    let mut bits = Vec::new();
    for (letter, b) in text.bytes().filter(u8::is_ascii_alphabetic).enumerate() {
        if letter % 8 == 0 {
            bits.push(0);
        }
        if b.is_ascii_uppercase() {
            *bits.last_mut().expect("pushed") |= 1 << (letter % 8);
        }
    }
    bits
}

/// Collects names, then builds a [`Matcher`].
#[derive(Debug, Clone, Default)]
pub struct MatcherBuilder {
    names: Vec<Name<String>>,
    parents: Vec<(usize, usize)>,
}

impl MatcherBuilder {
    pub fn new() -> MatcherBuilder {
        MatcherBuilder::default()
    }

    /// Adds a name of `company`. An `ambiguous` name needs evidence to be marked.
    pub fn name(&mut self, text: &str, company: usize, ambiguous: bool) -> &mut MatcherBuilder {
        let letters = text.chars().filter(|c| c.is_alphabetic()).count();
        let caps = text.chars().all(|c| !c.is_lowercase());
        self.names.push(Name {
            written: normalize(text).text,
            company,
            ambiguous,
            caps_ok: caps || letters >= 4,
            derived: false,
            lone_word: false,
            kind: Kind::Name,
        });
        self
    }

    /// Adds a name derived from a spending record's recipient (see `names::uncurated_names`):
    /// as [`MatcherBuilder::name`], and, when it is one word, never right after another
    /// capitalised word, where it ends someone else's name ("Ars Technica").
    pub fn derived_name(
        &mut self,
        text: &str,
        company: usize,
        ambiguous: bool,
    ) -> &mut MatcherBuilder {
        self.name(text, company, ambiguous);
        let name = self.names.last_mut().expect("just added");
        name.derived = true;
        name.lone_word = !name.written.contains(' ');
        self
    }

    /// Adds a phrase that contains a name but means something else ("Michael Dell"): no mark
    /// is made inside it, in any letter case.
    pub fn exclude(&mut self, phrase: &str, company: usize) -> &mut MatcherBuilder {
        self.phrase(phrase, company, Kind::Exclude)
    }

    /// Adds a phrase that, found anywhere in a document (in any letter case, in URLs too), is
    /// evidence that the company's ambiguous names mean the company ("Whole Foods" for Amazon).
    pub fn evidence(&mut self, phrase: &str, company: usize) -> &mut MatcherBuilder {
        self.phrase(phrase, company, Kind::Evidence)
    }

    fn phrase(&mut self, phrase: &str, company: usize, kind: Kind) -> &mut MatcherBuilder {
        self.names.push(Name {
            written: normalize(phrase).text,
            company,
            ambiguous: false,
            caps_ok: true,
            derived: false,
            lone_word: false,
            kind,
        });
        self
    }

    /// Adds a curated company's names (ambiguous ones needing evidence, shared ones never
    /// marked), its exclusions and its evidence phrases, as company `index`.
    pub fn company(&mut self, company: &Company, index: usize) -> &mut MatcherBuilder {
        for name in company.names() {
            if company.shared.iter().any(|s| s == name) {
                // A page cannot say which company a shared name means: no mark inside it.
                self.exclude(name, index);
            } else {
                self.name(name, index, company.is_ambiguous(name));
            }
        }
        for phrase in &company.exclude {
            self.exclude(phrase, index);
        }
        for phrase in &company.evidence {
            self.evidence(phrase, index);
        }
        self
    }

    /// Says that `child` belongs to `parent`: a mention of the child is evidence for the parent
    /// ("Amazon Web Services" for "Amazon").
    pub fn parent(&mut self, child: usize, parent: usize) -> &mut MatcherBuilder {
        self.parents.push((child, parent));
        self
    }

    /// The matcher. Panics if a company's index is 2^24 or more.
    pub fn build(&self) -> Matcher {
        // Names are folded to ASCII lower case, and the text as it is read (case is judged
        // afterwards, on the text as written), which keeps the trie small. Names that fold
        // alike ("GEO", "Geo", "amazon.com" and "Amazon.com") share one pattern; each is then
        // judged in turn.
        let mut patterns: Vec<String> = Vec::new();
        let mut names_of_pattern: Vec<Vec<usize>> = Vec::new();
        let mut pattern_of: HashMap<String, usize> = HashMap::new();
        // A name with nothing left after normalizing (a dictionary of one's own may hold one)
        // names nothing: kept last, in no pattern.
        let mut in_no_pattern = Vec::new();
        for (index, name) in self.names.iter().enumerate() {
            assert!(
                name.company < MOST_COMPANIES,
                "company {} is too many",
                name.company
            );
            let folded = name.written.to_ascii_lowercase();
            if folded.is_empty() {
                in_no_pattern.push(index);
                continue;
            }
            let pattern = *pattern_of.entry(folded.clone()).or_insert_with(|| {
                patterns.push(folded);
                names_of_pattern.push(Vec::new());
                patterns.len() - 1
            });
            names_of_pattern[pattern].push(index);
        }
        // Each list dropped once used: a matcher of 100k names built in WebAssembly (the
        // benchmarks') keeps its memory's high-water mark.
        drop(pattern_of);

        // The names in pattern order, so that a pattern's names are a range of them, the last
        // one marked so ([`LAST_OF_PATTERN`]); the tries name a pattern by its first name.
        let mut order = Vec::with_capacity(self.names.len());
        let mut last_of_pattern = Vec::with_capacity(self.names.len());
        let mut first_names = Vec::with_capacity(patterns.len());
        for (pattern, names) in names_of_pattern.iter().enumerate() {
            assert!(
                names.len() <= MOST_NAMES_OF_A_PATTERN,
                "{} names of one text, \"{}\": at most {MOST_NAMES_OF_A_PATTERN}",
                names.len(),
                patterns[pattern],
            );
            first_names.push(order.len());
            order.extend(names);
            last_of_pattern.extend((1..=names.len()).map(|n| n == names.len()));
        }
        order.extend(in_no_pattern);
        last_of_pattern.resize(order.len(), false);
        let lower_case_trie = trie::build(&by_first_name(
            patterns_in_lower_case(&self.names, &patterns, &names_of_pattern),
            &first_names,
            order.len(),
        ));
        let trie = trie::build(&by_first_name(
            patterns.iter().map(String::as_str).collect(),
            &first_names,
            order.len(),
        ));
        let pattern_count = patterns.len();
        drop(patterns);
        drop(names_of_pattern);
        // Each name's letter case, not its text: the text is the one found, in that case.
        let mut long_cases = Vec::new();
        let cases: Vec<u32> = order
            .iter()
            .map(|&n| {
                let text = &self.names[n].written;
                let bits = case_bits(text);
                let letters = text.bytes().filter(u8::is_ascii_alphabetic).count();
                if letters <= SHORT_CASE_LETTERS {
                    bits.iter()
                        .rev()
                        .fold(0, |word, &b| word << 8 | u32::from(b))
                } else {
                    let at = u32::try_from(long_cases.len()).expect("under 2 GB of cases");
                    assert!(at < LONG_CASE, "under 2 GB of cases");
                    long_cases.extend(bits);
                    LONG_CASE | at
                }
            })
            .collect();
        let header = [
            MAGIC as usize,
            order.len(),
            pattern_count,
            self.parents.len(),
            trie.len(),
            lower_case_trie.len(),
            long_cases.len(),
        ];
        let words =
            header
                .into_iter()
                .map(|w| w as u32)
                .chain(order.iter().zip(&last_of_pattern).map(|(&n, &last)| {
                    self.names[n].word() | if last { LAST_OF_PATTERN } else { 0 }
                }))
                .chain(cases)
                .chain(
                    self.parents
                        .iter()
                        .flat_map(|&(child, parent)| [child as u32, parent as u32]),
                );
        let numbers = HEADER_WORDS + 2 * order.len() + 2 * self.parents.len();
        let mut image =
            Vec::with_capacity(4 * numbers + trie.len() + lower_case_trie.len() + long_cases.len());
        image.extend(words.flat_map(u32::to_le_bytes));
        image.extend(trie);
        image.extend(lower_case_trie);
        image.extend(long_cases);
        Matcher::of_image(Cow::Owned(image)).expect("build writes whole matchers")
    }
}

/// Each pattern at its first name's place, for a trie that names it by that name ("" where no
/// pattern begins: a trie leaves those out).
fn by_first_name<'p>(patterns: Vec<&'p str>, first_names: &[usize], names: usize) -> Vec<&'p str> {
    let mut by_name = vec![""; names];
    for (&first, pattern) in first_names.iter().zip(patterns) {
        by_name[first] = pattern;
    }
    by_name
}

/// What begins a matcher's bytes ("CLm4": the fourth form, names kept as their letter case, a
/// pattern named by its first name).
const MAGIC: u32 = u32::from_le_bytes(*b"CLm4");
/// In a name's word: the last name of its pattern.
const LAST_OF_PATTERN: u32 = 1 << 6;
/// The most names one pattern (a text folded to lower case) may have: companies named alike,
/// each in its letter cases. A search looks no further for a pattern's last name, so that
/// bytes read unchecked that lost a pattern's mark cost a short walk, not one over every name.
/// Data validation holds the curated names to it (`load.rs`), naming the file and line.
pub const MOST_NAMES_OF_A_PATTERN: usize = 256;
/// The header: [`MAGIC`], the number of names, of patterns and of parents, then the lengths of
/// the two tries and of the longer names' cases, in bytes.
const HEADER_WORDS: usize = 7;

/// Where each part of a matcher lies in its bytes: after the header, a word per name (its
/// company and flags, [`LAST_OF_PATTERN`] among them: a pattern's names are those from the
/// one the tries give for it to the next so marked), a word per name (its [`Case`]), two words
/// per parent (child, parent), the trie, the lower-case trie, and the cases of names too long
/// for one word. Every number is a little-endian `u32`, read where it lies.
#[derive(Debug, Clone, Copy)]
struct Layout {
    name_count: usize,
    pattern_count: usize,
    parent_count: usize,
    /// Where the sections begin, in bytes.
    names: usize,
    cases: usize,
    parents: usize,
    trie: (usize, usize),
    lower_case_trie: (usize, usize),
    long_cases: (usize, usize),
}

impl Layout {
    /// The layout of `image`, if its header says one that fills it exactly.
    fn of(image: &[u8]) -> Option<Layout> {
        let header: Vec<usize> = (0..HEADER_WORDS)
            .map(|i| word_at(image, 4 * i).map(|w| w as usize))
            .collect::<Option<_>>()?;
        let &[magic, name_count, pattern_count, parent_count, trie, lower_case_trie, long_cases] =
            header.as_slice()
        else {
            return None;
        };
        if magic != MAGIC as usize || trie % 4 != 0 || lower_case_trie % 4 != 0 {
            return None;
        }
        let mut end = 4 * HEADER_WORDS;
        let mut section = |bytes: usize| -> Option<(usize, usize)> {
            let from = end;
            end = end.checked_add(bytes)?;
            Some((from, end))
        };
        let layout = Layout {
            name_count,
            pattern_count,
            parent_count,
            names: section(name_count.checked_mul(4)?)?.0,
            cases: section(name_count.checked_mul(4)?)?.0,
            parents: section(parent_count.checked_mul(8)?)?.0,
            trie: section(trie)?,
            lower_case_trie: section(lower_case_trie)?,
            long_cases: section(long_cases)?,
        };
        (end == image.len()).then_some(layout)
    }
}

/// The little-endian word at byte `at` of `bytes`, if they hold it.
#[inline]
fn word_at(bytes: &[u8], at: usize) -> Option<u32> {
    let four = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes(four.try_into().ok()?))
}

/// Finds company mentions. Cheap to share; build it once, or at compile time: a matcher
/// turns into bytes ([`Matcher::to_bytes`]) that it reads in place, without building or
/// decoding anything.
#[derive(Clone)]
pub struct Matcher {
    /// Everything but `byte_classes`, as [`Layout`] says.
    image: Cow<'static, [u8]>,
    layout: Layout,
    /// What the search needs to know of each byte, as written (see [`byte_classes`]).
    byte_classes: [u8; 256],
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher")
            .field("names", &self.layout.name_count)
            .field("patterns", &self.layout.pattern_count)
            .field("bytes", &self.image.len())
            .finish()
    }
}

/// A matcher's bytes that do not load.
#[derive(Debug)]
pub struct MatcherBytesError(String);

impl std::fmt::Display for MatcherBytesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not a matcher: {}", self.0)
    }
}

impl std::error::Error for MatcherBytesError {}

impl Matcher {
    /// The matcher as bytes, for [`Matcher::from_bytes`] (the build compiles the bundled one).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.image.to_vec()
    }

    /// A matcher from [`Matcher::to_bytes`] (copied), building nothing, every part checked:
    /// that it is whole, that each name is of a known kind with its case in the bytes, and
    /// that each pattern stands for names (at most [`MOST_NAMES_OF_A_PATTERN`]), one pattern's
    /// after another's.
    pub fn from_bytes(bytes: &[u8]) -> Result<Matcher, MatcherBytesError> {
        Matcher::from_owned_bytes(bytes.to_vec())
    }

    /// As [`Matcher::from_bytes`], keeping `bytes` instead of a copy.
    pub fn from_owned_bytes(bytes: Vec<u8>) -> Result<Matcher, MatcherBytesError> {
        let matcher = Matcher::of_image(Cow::Owned(bytes))?;
        if !matcher.parts_agree() {
            return Err(MatcherBytesError("its parts do not agree".into()));
        }
        Ok(matcher)
    }

    /// As [`Matcher::from_bytes`], read where they lie, and checked only to be whole: for the
    /// matcher embedded in the program (which the build checked in full), loaded at every
    /// start of the core. Damaged bytes would give wrong answers, never a panic: every read
    /// is checked.
    pub fn from_static_bytes(bytes: &'static [u8]) -> Result<Matcher, MatcherBytesError> {
        Matcher::of_image(Cow::Borrowed(bytes))
    }

    fn of_image(image: Cow<'static, [u8]>) -> Result<Matcher, MatcherBytesError> {
        let layout = Layout::of(&image)
            .ok_or_else(|| MatcherBytesError("its header does not describe its bytes".into()))?;
        let mut matcher = Matcher {
            image,
            layout,
            byte_classes: [0; 256],
        };
        matcher.byte_classes = byte_classes(&matcher.trie(), &matcher.lower_case_trie());
        Ok(matcher)
    }

    /// Every name readable (its kind known, its case within the bytes), as many names marked
    /// the last of their pattern as there are patterns, and no pattern of more than
    /// [`MOST_NAMES_OF_A_PATTERN`] names. Read in place, as a search reads them.
    fn parts_agree(&self) -> bool {
        let mut lasts = 0;
        // Names since the last one marked the last of its pattern.
        let mut run = 0;
        let readable = (0..self.layout.name_count).all(|n| {
            run += 1;
            if self.is_last_of_pattern(n) {
                lasts += 1;
                if run > MOST_NAMES_OF_A_PATTERN {
                    return false;
                }
                run = 0;
            }
            self.name_at(n).is_some()
        });
        readable && lasts == self.layout.pattern_count
    }

    fn word(&self, at: usize) -> Option<u32> {
        word_at(&self.image, at)
    }

    fn section(&self, (from, to): (usize, usize)) -> &[u8] {
        self.image.get(from..to).unwrap_or_default()
    }

    fn trie(&self) -> Trie<'_> {
        Trie::new(self.section(self.layout.trie))
    }

    fn lower_case_trie(&self) -> Trie<'_> {
        Trie::new(self.section(self.layout.lower_case_trie))
    }

    /// Name `index`, read from the bytes; `None` if they do not hold it.
    fn name_at(&self, index: usize) -> Option<Name<Case<'_>>> {
        if index >= self.layout.name_count {
            return None;
        }
        let word = self.word(self.layout.names + 4 * index)?;
        let case = self.word(self.layout.cases + 4 * index)?;
        let case = if case & LONG_CASE == 0 {
            Case::Short(case)
        } else {
            let at = (case & !LONG_CASE) as usize;
            Case::Long(self.section(self.layout.long_cases).get(at..)?)
        };
        Name::of_word(word, case)
    }

    /// The names of the pattern whose first name is `first` (the tries name a pattern so):
    /// from there to the first name marked the last of its pattern, within
    /// [`MOST_NAMES_OF_A_PATTERN`].
    fn names_of_pattern(&self, first: usize) -> Option<Range<usize>> {
        let end = self
            .layout
            .name_count
            .min(first.saturating_add(MOST_NAMES_OF_A_PATTERN));
        (first..end)
            .find(|&n| self.is_last_of_pattern(n))
            .map(|last| first..last + 1)
    }

    fn is_last_of_pattern(&self, name: usize) -> bool {
        self.word(self.layout.names + 4 * name)
            .is_some_and(|word| word & LAST_OF_PATTERN != 0)
    }

    /// The parents of company `child`.
    fn parents_of(&self, child: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.layout.parent_count).filter_map(move |i| {
            let at = self.layout.parents + 8 * i;
            (self.word(at)? as usize == child).then(|| self.word(at + 4).map(|p| p as usize))?
        })
    }

    /// A matcher for every company in `dataset`; company indices are positions in
    /// `dataset.companies`.
    pub fn from_dataset(dataset: &Dataset) -> Matcher {
        Matcher::builder_of(dataset).build()
    }

    /// As [`Matcher::from_dataset`], with `extra` names (those no company has already) marking
    /// the dataset's first company: a matcher as large as a dataset of that many names, which
    /// the start benchmark embeds and loads as the extension loads its own (build.rs,
    /// `CONTRACT_LENS_EXTRA_NAMES`). Never shipped: the names claim nothing true.
    pub fn from_dataset_with_names(dataset: &Dataset, extra: &[String]) -> Matcher {
        let mut builder = Matcher::builder_of(dataset);
        let known: BTreeSet<String> = builder
            .names
            .iter()
            .map(|n| n.written.to_ascii_lowercase())
            .collect();
        for name in extra {
            if !known.contains(&normalize(name).text.to_ascii_lowercase()) {
                builder.name(name, 0, false);
            }
        }
        builder.build()
    }

    /// The names (and phrases) a matcher of `dataset` holds, as written, in the order added:
    /// the texts a matcher keeps only as their letter case. For the benchmarks, which match
    /// them with a `RegExp` too.
    pub fn dataset_names(dataset: &Dataset) -> Vec<String> {
        Matcher::builder_of(dataset)
            .names
            .into_iter()
            .map(|name| name.written)
            .collect()
    }

    fn builder_of(dataset: &Dataset) -> MatcherBuilder {
        let mut builder = MatcherBuilder::new();
        // Curated names win over names derived from USAspending recipients, and a derived name
        // two recipients share marks neither.
        let curated: BTreeSet<String> = dataset
            .companies
            .iter()
            .filter(|c| !c.uncurated)
            .flat_map(|c| c.names().map(str::to_ascii_lowercase))
            .collect();
        let mut derived: BTreeMap<String, Vec<(usize, String)>> = BTreeMap::new();
        for (index, company) in dataset.companies.iter().enumerate() {
            if company.uncurated {
                // Which names mark an uncurated company was decided at build time (see
                // names::uncurated_names): its aliases; its display name alone is not enough.
                for name in company.aliases.iter().cloned() {
                    let key = name.to_ascii_lowercase();
                    if !curated.contains(&key) {
                        derived.entry(key).or_default().push((index, name));
                    }
                }
                continue;
            }
            builder.company(company, index);
            if let Some(parent) = &company.parent {
                if let Some(p) = dataset.companies.iter().position(|c| &c.id == parent) {
                    builder.parent(index, p);
                }
            }
        }
        for claims in derived.values() {
            let companies: BTreeSet<usize> = claims.iter().map(|(c, _)| *c).collect();
            if companies.len() == 1 {
                let (company, name) = &claims[0];
                // Also a word, a person or a place: marked only with the company's evidence.
                let ambiguous = dataset.companies[*company].is_ambiguous(name);
                builder.derived_name(name, *company, ambiguous);
            }
        }
        builder
    }

    /// Name `index` as written (spacing and apostrophes normalized), given `found`, the text it
    /// was found as: `None` unless `found` is a text that name matches in some letter case.
    /// A matcher keeps no name's text, only its letter case: the trie holds its letters.
    pub fn name_as_found(&self, index: usize, found: &str) -> Option<String> {
        let name = self.name_at(index)?;
        let found = normalize(found).text;
        let mut matches = false;
        self.trie()
            .prefixes_at(found.as_bytes(), 0, |pattern, end| {
                matches |= end == found.len()
                    && self
                        .names_of_pattern(pattern)
                        .is_some_and(|names| names.contains(&index));
            });
        matches.then(|| name.written.apply(&found))
    }

    pub fn name_count(&self) -> usize {
        self.layout.name_count
    }

    /// Mentions in one text taken as a whole document.
    pub fn find(&self, text: &str) -> Vec<Mention> {
        self.find_in_blocks(&[text])
    }

    /// Mentions in the blocks of one document, in block order then text order. Names never span
    /// two blocks; evidence for ambiguous names is taken from the whole document.
    pub fn find_in_blocks<S: AsRef<str>>(&self, blocks: &[S]) -> Vec<Mention> {
        let mut candidates = Vec::new();
        let mut evidenced: BTreeSet<usize> = BTreeSet::new();
        // Normalized text is kept only for blocks with candidates; one scratch buffer serves
        // the rest, which on a real page is almost every block.
        let mut texts: BTreeMap<usize, Normalized> = BTreeMap::new();
        let mut scratch = Normalized::default();
        for (block, text) in blocks.iter().enumerate() {
            normalize_into(&mut scratch, text.as_ref());
            let found_before = candidates.len();
            self.scan_block(block, &scratch, &mut candidates, &mut evidenced);
            if candidates.len() > found_before {
                texts.insert(block, std::mem::take(&mut scratch));
            }
        }
        self.keep_evidenced(&mut candidates, &texts, evidenced);

        // Candidates are already in text order and never overlap: the search resumes after
        // each one it takes.
        candidates
            .into_iter()
            .map(|c| {
                let t = &texts[&c.block];
                Mention {
                    block: c.block,
                    span: Span {
                        start: t.utf16_offset(c.start),
                        end: t.utf16_offset(c.end),
                    },
                    company: c.company,
                    name: c.name,
                }
            })
            .collect()
    }

    /// The candidate names in one normalized block, left to right, and the companies whose
    /// evidence phrases it holds.
    fn scan_block(
        &self,
        block: usize,
        normalized: &Normalized,
        candidates: &mut Vec<Candidate>,
        evidenced: &mut BTreeSet<usize>,
    ) {
        let text = normalized.text.as_str();
        let bytes = text.as_bytes();
        let mut here: Vec<(usize, usize)> = Vec::new();
        let mut at = 0;
        // Whether the character before `at` is part of a word: a name begins only where one
        // does not run on ("Chefs" holds no "Chef" at its end, "AChef" none at its start).
        let mut in_word = false;
        // The loop visits every byte: kept to one look-up there, the rest out of line.
        while let Some(&byte) = bytes.get(at) {
            let class = self.byte_classes[byte as usize];
            if !in_word && class & STARTS != 0 {
                if let Some(end) = self.names_at(block, text, at, &mut here, candidates, evidenced)
                {
                    at = end;
                    in_word = text[..end].chars().next_back().is_some_and(is_word_char);
                    continue;
                }
            }
            if class & NOT_ASCII == 0 {
                in_word = class & WORD != 0;
                at += 1;
            } else {
                let c = text[at..].chars().next().unwrap_or_default();
                in_word = is_word_char(c);
                at += c.len_utf8().max(1);
            }
        }
    }

    /// The names beginning at `start`, from the trie for the case it begins in, taken as
    /// [`Matcher::take_names_at`] does.
    #[inline(never)]
    fn names_at(
        &self,
        block: usize,
        text: &str,
        start: usize,
        here: &mut Vec<(usize, usize)>,
        candidates: &mut Vec<Candidate>,
        evidenced: &mut BTreeSet<usize>,
    ) -> Option<usize> {
        let bytes = text.as_bytes();
        let trie = if bytes[start].is_ascii_lowercase() {
            self.lower_case_trie()
        } else {
            self.trie()
        };
        here.clear();
        trie.prefixes_at(bytes, start, |pattern, end| here.push((pattern, end)));
        self.take_names_at(block, text, start, here, candidates, evidenced)
    }

    /// Takes the longest name beginning at `start` (of the patterns `here`, shortest first)
    /// that passes, or, if it is not taken, the next longest, and so on ("Amazon Web services"
    /// is not the subsidiary, but it may be "Amazon"); notes evidence phrases on the way.
    /// Returns where the search resumes if a name or an excluded phrase took the text.
    fn take_names_at(
        &self,
        block: usize,
        text: &str,
        start: usize,
        here: &[(usize, usize)],
        candidates: &mut Vec<Candidate>,
        evidenced: &mut BTreeSet<usize>,
    ) -> Option<usize> {
        for &(pattern, end) in here.iter().rev() {
            // The trie's answers are checked (a damaged matcher's bytes must not panic here).
            let Some(names) = self.names_of_pattern(pattern) else {
                continue;
            };
            if !text.is_char_boundary(end) {
                continue;
            }
            let whole = is_whole_words(text, start, end);
            for index in names {
                let Some(name) = self.name_at(index) else {
                    continue;
                };
                match name.kind {
                    // An excluded phrase takes its text: the search resumes after it, so no
                    // name inside it is ever a candidate.
                    Kind::Exclude if whole => return Some(end),
                    Kind::Evidence if whole => {
                        evidenced.insert(name.company);
                    }
                    Kind::Name if whole && is_plausible(text, start, end, &name) => {
                        candidates.push(Candidate {
                            block,
                            start,
                            end,
                            name: index,
                            company: name.company,
                            ambiguous: name.ambiguous,
                            derived: name.derived,
                        });
                        return Some(end);
                    }
                    _ => {}
                }
            }
        }
        None
    }

    /// Drops the ambiguous candidates without evidence in the whole document (one sense per
    /// discourse): an unambiguous name of the company or of a subsidiary, an evidence phrase
    /// (already in `evidenced`), or one mention whose own context says it is the company.
    fn keep_evidenced(
        &self,
        candidates: &mut Vec<Candidate>,
        texts: &BTreeMap<usize, Normalized>,
        mut evidenced: BTreeSet<usize>,
    ) {
        let cues: Vec<Cue> = candidates
            .iter()
            .map(|c| {
                if c.ambiguous {
                    // A name derived from spending records may be a person's ("Nick said"):
                    // only cues that name a company count for it.
                    context_cue(&texts[&c.block].text, c.start, c.end, c.derived)
                } else {
                    Cue::None
                }
            })
            .collect();
        for (c, cue) in candidates.iter().zip(&cues) {
            if !c.ambiguous || *cue == Cue::For {
                evidenced.insert(c.company);
            }
            if !c.ambiguous {
                evidenced.extend(self.parents_of(c.company));
            }
        }
        let mut cue_of = cues.into_iter();
        candidates.retain(|c| {
            let cue = cue_of.next().expect("one cue per candidate");
            !c.ambiguous || (cue != Cue::Against && evidenced.contains(&c.company))
        });
    }
}

/// Whether `name`, found at `start..end` of `text`, is plausibly meant: letter case, and not
/// inside a URL or e-mail address.
fn is_plausible(text: &str, start: usize, end: usize, name: &Name<Case<'_>>) -> bool {
    let found = &text[start..end];
    let letters = found.chars().filter(|c| c.is_alphabetic()).count();
    let distinctive = !name.ambiguous && letters >= 5;
    if !case_matches(found, name.written, name.caps_ok, distinctive) {
        return false;
    }
    if name.lone_word && follows_capitalised_word(text, start) {
        return false;
    }
    !in_url_or_email(text, start, end)
}

/// A name that passed where it was found, with what judging it against the whole document
/// needs.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    block: usize,
    start: usize,
    end: usize,
    name: usize,
    company: usize,
    ambiguous: bool,
    derived: bool,
}

/// The patterns as they are where a word begins in lower case, and empty (none) where that
/// word cannot be one of their names: a name in Title Case, as written or in capitals never
/// begins with a lower-case letter it does not have (see `case_matches`). What remains are
/// phrases, which count in any case, and names that begin in lower case ("eBay").
fn patterns_in_lower_case<'a>(
    names: &[Name<String>],
    patterns: &'a [String],
    names_of_pattern: &[Vec<usize>],
) -> Vec<&'a str> {
    patterns
        .iter()
        .zip(names_of_pattern)
        .map(|(pattern, of_pattern)| {
            let found = of_pattern.iter().any(|&n| {
                let name = &names[n];
                name.kind != Kind::Name
                    || name.written.starts_with(|c: char| c.is_ascii_lowercase())
            });
            if found {
                pattern.as_str()
            } else {
                ""
            }
        })
        .collect()
}

/// A byte that is part of a word on its own: an ASCII letter or digit, or '_'.
const WORD: u8 = 1;
/// A byte that begins a pattern of the trie for its case.
const STARTS: u8 = 2;
/// A byte of a character beyond ASCII, which must be decoded to know if it is part of a word.
const NOT_ASCII: u8 = 4;

/// For each byte, as written, its [`WORD`], [`STARTS`] and [`NOT_ASCII`] bits.
fn byte_classes(trie: &Trie<'_>, lower_case_trie: &Trie<'_>) -> [u8; 256] {
    std::array::from_fn(|b| {
        let b = b as u8;
        let starts = if b.is_ascii_lowercase() {
            lower_case_trie.starts_with(b)
        } else {
            trie.starts_with(b.to_ascii_lowercase())
        };
        let word = b.is_ascii_alphanumeric() || b == b'_';
        u8::from(word) * WORD + u8::from(starts) * STARTS + u8::from(!b.is_ascii()) * NOT_ASCII
    })
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// No letter or digit runs on at either end ("Chefs", "Googled" are not "Chef", "Google").
fn is_whole_words(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

/// `found` differs from the name only in ASCII case (the trie's doing), which `case` gives;
/// accept the name as written, in Title Case, or (when `caps_ok`) in ALL CAPS.
fn case_matches(found: &str, case: Case<'_>, caps_ok: bool, distinctive: bool) -> bool {
    let as_written = found
        .bytes()
        .filter(u8::is_ascii_alphabetic)
        .enumerate()
        .all(|(letter, b)| b.is_ascii_uppercase() == case.is_upper(letter));
    if as_written {
        return true;
    }
    if caps_ok && found.chars().all(|c| !c.is_lowercase()) {
        return true;
    }
    // A distinctive name with its inner capitals changed ("CapGemini", "Linkedin") is still the
    // name, as long as it starts with a capital: lower case is how URLs and tags are written.
    if distinctive && found.chars().next().is_some_and(char::is_uppercase) {
        return true;
    }
    // Title Case: each word as in the name, or with its first letter, if an ASCII letter,
    // capitalized (characters beyond ASCII are as in the name: the trie compared them as
    // they are).
    let mut letter = 0;
    let mut word_begins = true;
    found.bytes().all(|b| {
        let fits = !b.is_ascii_alphabetic()
            || b.is_ascii_uppercase() == case.is_upper(letter)
            || (word_begins && b.is_ascii_uppercase());
        letter += usize::from(b.is_ascii_alphabetic());
        word_begins = b == b' ';
        fits
    })
}

/// The word before `start` is capitalised within its sentence ("Ars" before "Technica"), not
/// merely as the sentence's first word ("Then 3M's").
fn follows_capitalised_word(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches(' ');
    if before.len() == start {
        return false; // Joined to the name by something other than a space ("-", "(").
    }
    let word_start = before.rfind(' ').map_or(0, |i| i + 1);
    let word = &before[word_start..];
    let opens_sentence = text[..word_start]
        .trim_end()
        .chars()
        .next_back()
        .map_or(true, |c| matches!(c, '.' | '!' | '?' | ':' | '"' | '“'));
    !opens_sentence
        && word.chars().next().is_some_and(char::is_uppercase)
        && word.chars().last().is_some_and(char::is_alphanumeric)
}

fn in_url_or_email(text: &str, start: usize, end: usize) -> bool {
    let token_start = text[..start].rfind(' ').map_or(0, |i| i + 1);
    let token_end = text[end..].find(' ').map_or(text.len(), |i| end + i);
    let token = &text[token_start..token_end];
    // A leading '@' is a social-media handle, which names the company; '@' inside is an address.
    token.contains("://") || token.contains("www.") || token.trim_start_matches('@').contains('@')
}

#[derive(Debug, PartialEq, Eq)]
enum Cue {
    For,
    Against,
    None,
}

/// Words right after a name that say it is a company ("Chef said", "Amazon employees").
#[rustfmt::skip]
const CUES_AFTER: &[&str] = &[
    "inc", "corp", "corporation", "llc", "ltd", "co", "plc", "company", "ceo", "spokesperson",
    "spokeswoman", "spokesman", "spokespeople", "executive", "executives", "employee", "employees",
    "workers", "staff", "staffers", "founder", "cofounder", "co-founder", "engineers", "board",
    "chief", "president", "said", "says", "told", "announced", "declined", "confirmed", "denied",
    "stated", "responded", "acknowledged", "wrote", "signed", "won", "sold", "provides",
    "provided", "supplies", "supplied", "builds", "built", "agreed", "contract", "contracts",
    "deal", "deals", "shares", "stock", "software", "technology", "technologies", "products",
    "services", "platform", "cloud", "licence", "licences", "license", "licenses", "subsidiary",
    "headquarters", "revenue", "customers", "clients", "management", "leadership", "investors",
    "bought", "buys", "acquired", "acquires", "acquisition", "earns", "earned", "reported",
    "reports", "posts", "posted", "plans", "hired", "hires", "launched", "launches", "opened",
    "sued", "paid", "pays", "employs", "sells", "owns", "operates", "invested", "invests",
    "partnered", "competes", "expands", "expanded", "-owned", "-backed", "-funded", "-made",
    "-built", "-run", "-operated", "earnings", "profit", "profits", "sales", "warehouse",
    "warehouses", "subsidiaries", "lobbyists", "lawyers",
];
/// Nouns after a possessive ("Chef's contract", "Amazon's strategy").
#[rustfmt::skip]
const CUES_POSSESSED: &[&str] = &[
    "ceo", "employees", "employee", "workers", "staff", "executives", "executive", "founder",
    "founders", "contract", "contracts", "deal", "deals", "shares", "stock", "stake", "software",
    "technology", "products", "services", "platform", "cloud", "licence", "licences", "license",
    "licenses", "subsidiary", "headquarters", "revenue", "customers", "clients", "spokesperson",
    "spokeswoman", "spokesman", "statement", "website", "board", "management", "leadership",
    "chief", "president", "decision", "work", "business", "parent", "owner", "strategy",
    "acquisition", "earnings", "profit", "profits", "sales", "warehouse", "warehouses", "lawyers",
    "lobbyists", "offices", "office", "investors",
];
/// Words right before a name ("software company Chef", "tech giant Amazon").
#[rustfmt::skip]
const CUES_BEFORE: &[&str] = &[
    "company", "firm", "giant", "startup", "start-up", "vendor", "contractor", "retailer",
    "maker", "provider", "subsidiary", "corporation", "conglomerate", "supplier", "acquired",
    "acquire", "acquiring", "bought", "buying", "rival", "rivals",
];
/// Words before "at/of/with/from/by/for/on" and a name ("employees at Chef", "contract with
/// Amazon", "available on Amazon").
#[rustfmt::skip]
const CUES_BEFORE_LINKED: &[&str] = &[
    "ceo", "employees", "employee", "workers", "staff", "executives", "executive", "founder",
    "contract", "contracts", "deal", "deals", "shares", "spokesperson", "spokeswoman",
    "spokesman", "engineers", "chief", "president", "agreement", "partnership", "licence",
    "license", "available", "sold", "buy", "bought", "order", "ordered", "listed", "selling",
    "shop", "shopping", "rent", "purchase", "streaming", "acquisition", "stake", "follows",
];
const LINKS: &[&str] = &["at", "of", "with", "from", "by", "for", "on"];
/// Words right after a name that say it is not a company ("the Amazon rainforest").
#[rustfmt::skip]
const AGAINST_AFTER: &[&str] = &[
    "rainforest", "rainforests", "river", "rivers", "basin", "forest", "forests", "jungle",
    "region", "tribe", "tribes", "delta", "warriors", "warrior", "women", "fires",
];

fn words_after(text: &str, end: usize) -> (bool, Vec<String>) {
    let rest = &text[end..];
    let possessive = rest.starts_with("'s ") || rest.starts_with("' ") || rest == "'s";
    let rest = rest
        .strip_prefix("'s")
        .or_else(|| rest.strip_prefix('\''))
        .unwrap_or(rest);
    let words = rest
        .split(|c: char| c.is_whitespace() || c == ',' || c == ':' || c == ';')
        .filter(|w| !w.is_empty())
        .take(2)
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
                .to_lowercase()
        })
        .collect();
    (possessive, words)
}

fn words_before(text: &str, start: usize) -> Vec<String> {
    text[..start]
        .split_whitespace()
        .rev()
        .take(2)
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
                .to_lowercase()
        })
        .collect()
}

/// Words right after a name that only a company takes ("Glock Inc", "Axon-made"): the cues that
/// count for names derived from spending records, which may also be people's ("Nick said").
#[rustfmt::skip]
const COMPANY_ONLY_AFTER: &[&str] = &[
    "inc", "corp", "corporation", "llc", "ltd", "co", "plc", "company", "subsidiary",
    "subsidiaries", "-owned", "-backed", "-made", "-built", "-operated", "shares", "stock",
];
/// Nouns after a possessive that only a company has ("Glock's subsidiary").
#[rustfmt::skip]
const COMPANY_ONLY_POSSESSED: &[&str] = &[
    "ceo", "employees", "subsidiary", "subsidiaries", "headquarters", "shares", "stock",
    "products", "software", "platform", "spokesperson", "spokeswoman", "spokesman", "revenue",
    "customers", "contract", "contracts",
];
/// Nouns that open a list of companies ("companies such as X", "firms including X").
#[rustfmt::skip]
const COMPANY_NOUNS: &[&str] = &[
    "companies", "firms", "vendors", "contractors", "suppliers", "makers", "providers",
    "startups", "corporations", "company", "firm", "vendor", "contractor", "supplier", "maker",
    "provider",
];
const LIST_OPENERS: &[&str] = &["including", "like", "as"];

/// The cue of one mention's context. `strict`: only cues that name a company count.
fn context_cue(text: &str, start: usize, end: usize, strict: bool) -> Cue {
    let (possessive, after) = words_after(text, end);
    let next = after.first().map(String::as_str).unwrap_or("");
    // A sentence break right after the name ends its context.
    let ends_sentence = text[end..]
        .trim_start_matches(['\'', 's'])
        .starts_with(['.', '!', '?']);
    if !possessive && !ends_sentence && AGAINST_AFTER.contains(&next) {
        return Cue::Against;
    }
    let (cues_possessed, cues_after) = if strict {
        (COMPANY_ONLY_POSSESSED, COMPANY_ONLY_AFTER)
    } else {
        (CUES_POSSESSED, CUES_AFTER)
    };
    if !ends_sentence {
        if possessive && cues_possessed.contains(&next) {
            return Cue::For;
        }
        if !possessive && cues_after.contains(&next) {
            return Cue::For;
        }
    }
    if is_appositive_company(&text[end..]) || is_in_company_list(&text[..start]) {
        return Cue::For;
    }
    let before = words_before(text, start);
    let prev = before.first().map(String::as_str).unwrap_or("");
    let prev2 = before.get(1).map(String::as_str).unwrap_or("");
    if CUES_BEFORE.contains(&prev) {
        return Cue::For;
    }
    if !strict && LINKS.contains(&prev) && CUES_BEFORE_LINKED.contains(&prev2) {
        return Cue::For;
    }
    Cue::None
}

/// ", the ... company" right after a name ("Chainalysis, the blockchain analytics firm,").
fn is_appositive_company(after: &str) -> bool {
    let Some(rest) = after
        .strip_prefix(", the ")
        .or_else(|| after.strip_prefix(", a "))
    else {
        return false;
    };
    let clause = rest.split([',', '.', ';']).next().unwrap_or("");
    clause
        .split(' ')
        .take(5)
        .any(|w| COMPANY_NOUNS.contains(&w.to_lowercase().as_str()))
}

/// The name is in a list that a company noun opens, earlier in the same sentence: "companies
/// such as Paragon, Cellebrite and X", "firms including X".
fn is_in_company_list(before: &str) -> bool {
    let sentence = before
        .rsplit(['.', '!', '?', ';'])
        .next()
        .unwrap_or(before)
        .to_lowercase();
    let words: Vec<&str> = sentence
        .split([' ', ','])
        .filter(|w| !w.is_empty())
        .collect();
    // The opener and its noun ("companies such as", "firms including") ...
    let Some(opener) = words.iter().rposition(|w| LIST_OPENERS.contains(w)) else {
        return false;
    };
    let noun_at = if words[opener] == "as" && opener >= 1 && words[opener - 1] == "such" {
        opener.checked_sub(2)
    } else {
        opener.checked_sub(1)
    };
    // ... with at most six words of names, "and" and "or" between it and this one.
    noun_at.is_some_and(|at| COMPANY_NOUNS.contains(&words[at]) && words.len() - opener <= 7)
}

/// Text prepared for matching: whitespace runs folded to one space, curly apostrophes made
/// straight, with what it takes to map byte offsets back to UTF-16 offsets of the original.
#[derive(Default)]
struct Normalized {
    text: String,
    /// `(byte offset in text, UTF-16 offset in the original)` after every place where the two
    /// stop advancing together (a non-ASCII character, a folded space). Between two anchors
    /// both advance by one per byte, so most ASCII text needs none.
    anchors: Vec<(usize, usize)>,
}

impl Normalized {
    fn utf16_offset(&self, byte: usize) -> usize {
        let i = self.anchors.partition_point(|&(b, _)| b <= byte);
        match i.checked_sub(1) {
            Some(i) => {
                let (b, u) = self.anchors[i];
                u + (byte - b)
            }
            None => byte,
        }
    }
}

/// The pattern a name joins: its text normalized and folded to ASCII lower case. Names of one
/// pattern are judged in turn, at most [`MOST_NAMES_OF_A_PATTERN`] of them.
pub fn pattern_of_name(name: &str) -> String {
    normalize(name).text.to_ascii_lowercase()
}

fn normalize(original: &str) -> Normalized {
    let mut normalized = Normalized::default();
    normalize_into(&mut normalized, original);
    normalized
}

/// How many of the first bytes of `bytes` are printable ASCII or single spaces (a space not
/// after another, nor first if `after_space`): what normalizing leaves as it is. Eight bytes at
/// a time; it may stop short of the run's end, where the caller goes on byte by byte.
fn plain_ascii_prefix(bytes: &[u8], after_space: bool) -> usize {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const SPACES: u64 = 0x2020_2020_2020_2020;
    const UP_FROM_SPACE: u64 = 0x6060_6060_6060_6060;
    let mut run = 0;
    let mut previous_space = after_space;
    while let Some(chunk) = bytes.get(run..run + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        // Per byte, exactly (no carry crosses a byte): its top bit set where the byte is a
        // space, and where it is below ' ' (control characters, tabs, line breaks).
        let y = x ^ SPACES;
        let space = !(((y & LOW7) + LOW7) | y) & HIGH;
        let control = !((x & LOW7) + UP_FROM_SPACE) & !x & HIGH;
        let doubled = space & ((space << 8) | u64::from(previous_space) << 7);
        if (x & HIGH) | control | doubled != 0 {
            break;
        }
        previous_space = space >> 63 != 0;
        run += 8;
    }
    run
}

/// Normalizes `original` into `out`, reusing its buffers.
fn normalize_into(out: &mut Normalized, original: &str) {
    out.text.clear();
    out.anchors.clear();
    let Normalized { text, anchors } = out;
    let mut utf16 = 0usize;
    let mut last_was_space = false;
    let mut rest = original;
    while !rest.is_empty() {
        // ASCII runs (single spaces included) take the fast path: one byte in, one byte and
        // one UTF-16 unit out, copied a run at a time.
        let bytes = rest.as_bytes();
        let mut run = plain_ascii_prefix(bytes, last_was_space);
        let mut space = match run {
            0 => last_was_space,
            _ => bytes[run - 1] == b' ',
        };
        while run < bytes.len() {
            let b = bytes[run];
            if !b.is_ascii() || (b.is_ascii_whitespace() && (b != b' ' || space)) {
                break;
            }
            space = b == b' ';
            run += 1;
        }
        if run > 0 {
            text.push_str(&rest[..run]);
            utf16 += run;
            last_was_space = space;
            rest = &rest[run..];
            continue;
        }
        // A run of ASCII white space (indentation, line breaks) folds to one space at once.
        let blank = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
        if blank > 0 {
            let pushed = if last_was_space {
                0
            } else {
                text.push(' ');
                1
            };
            utf16 += blank;
            last_was_space = true;
            rest = &rest[blank..];
            if pushed != blank {
                anchors.push((text.len(), utf16));
            }
            continue;
        }
        let c = rest.chars().next().expect("rest is not empty");
        rest = &rest[c.len_utf8()..];
        let units = c.len_utf16();
        utf16 += units;
        let pushed = if c.is_whitespace() {
            if last_was_space {
                0
            } else {
                text.push(' ');
                1
            }
        } else if c == '\u{2019}' || c == '\u{2018}' {
            text.push('\'');
            1
        } else {
            text.push(c);
            c.len_utf8()
        };
        last_was_space = c.is_whitespace();
        if pushed != 1 || units != 1 {
            anchors.push((text.len(), utf16));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_matcher_is_read_where_it_lies() {
        // A start copies none of it (at 100k names, decoding it took 6 ms natively); what it
        // reads agrees with a copy checked in full.
        let embedded = Matcher::from_static_bytes(crate::BUNDLED_MATCHER).unwrap();
        assert!(matches!(embedded.image, Cow::Borrowed(_)));
        let checked = Matcher::from_bytes(crate::BUNDLED_MATCHER).unwrap();
        assert!(embedded.name_count() > 1000);
        for n in 0..=embedded.name_count() {
            let [a, b] = [&embedded, &checked].map(|m| format!("{:?}", m.name_at(n)));
            assert_eq!(a, b);
        }
        assert!(embedded.name_at(embedded.name_count()).is_none());
    }

    #[test]
    fn every_name_of_the_dataset_is_written_again_from_its_case() {
        // Each of the bundled matcher's names (curated, from spending records, phrases): its
        // text in any letter case, as a page may write it, gives it back as written.
        let dataset = crate::bundled_dataset();
        let names = Matcher::dataset_names(&dataset);
        let matcher = Matcher::from_static_bytes(crate::BUNDLED_MATCHER).unwrap();
        assert_eq!(names.len(), matcher.name_count());
        for text in &names {
            let written = normalize(text).text;
            for found in [written.clone(), written.to_ascii_uppercase()] {
                let mut as_written = Vec::new();
                matcher
                    .trie()
                    .prefixes_at(found.as_bytes(), 0, |pattern, end| {
                        if end == found.len() {
                            as_written.extend(
                                matcher
                                    .names_of_pattern(pattern)
                                    .into_iter()
                                    .flatten()
                                    .filter_map(|n| matcher.name_as_found(n, &found)),
                            );
                        }
                    });
                assert!(as_written.contains(&written), "{found:?}: {as_written:?}");
            }
        }
    }

    #[test]
    fn bytes_whose_parts_disagree_do_not_load_checked() {
        // "Acme" and "ACME" share a pattern; a name of 40 letters keeps its case apart. Each
        // change below is an error when checked: a name of no known kind, a pattern whose
        // names run on into the next, a long case that begins past the bytes of cases. Read
        // in place unchecked, a search over them answers without panicking.
        let mut builder = MatcherBuilder::new();
        let long = "Abcdefghij Klmnopqrst Uvwxyzabcd Efghijklmn";
        builder
            .name("Acme", 0, false)
            .name("ACME", 1, false)
            .name(long, 2, false);
        let bytes = builder.build().to_bytes();
        let layout = Layout::of(&bytes).unwrap();
        assert_eq!(layout.long_cases.1 - layout.long_cases.0, 5, "40 letters");
        let long_case = layout.cases + 4 * 2;
        assert_eq!(word_at(&bytes, long_case), Some(LONG_CASE));
        let acme_last = word_at(&bytes, layout.names + 4).unwrap();
        assert_ne!(acme_last & LAST_OF_PATTERN, 0, "the last of Acme's pattern");
        let changes: [(usize, u32); 3] = [
            (layout.names, 0xf0),
            (layout.names + 4, acme_last & !LAST_OF_PATTERN),
            (long_case, LONG_CASE | 6),
        ];
        for (at, word) in changes {
            let mut changed = bytes.clone();
            changed[at..at + 4].copy_from_slice(&word.to_le_bytes());
            assert!(Matcher::from_bytes(&changed).is_err(), "{word:#x} at {at}");
            let unchecked = Matcher::from_static_bytes(Box::leak(changed.into_boxed_slice()));
            unchecked.unwrap().find(&format!("Acme, ACME and {long}."));
        }
        assert!(Matcher::from_bytes(&bytes).is_ok());
    }

    #[test]
    fn a_pattern_has_at_most_its_share_of_names() {
        // Companies named alike share a pattern, up to MOST_NAMES_OF_A_PATTERN names.
        let mut builder = MatcherBuilder::new();
        for company in 0..MOST_NAMES_OF_A_PATTERN {
            builder.name("Acme", company, false);
        }
        let matcher = builder.build();
        assert_eq!(
            matcher.names_of_pattern(0),
            Some(0..MOST_NAMES_OF_A_PATTERN)
        );
        assert_eq!(matcher.find("Acme sold it.").len(), 1);
    }

    #[test]
    #[should_panic(expected = "257 names of one text, \"acme\": at most 256")]
    fn a_pattern_of_too_many_names_is_not_built() {
        let mut builder = MatcherBuilder::new();
        for company in 0..MOST_NAMES_OF_A_PATTERN {
            builder.name("Acme", company, false);
        }
        builder.name("ACME", 0, false).build();
    }

    #[test]
    fn a_pattern_longer_than_its_share_does_not_load_checked_nor_walk_far_unchecked() {
        // One pattern per name, then as many names that name nothing. The marks of the first
        // patterns' last names are moved onto those: the count of marks still agrees, but the
        // first pattern now runs on past MOST_NAMES_OF_A_PATTERN names.
        let most = MOST_NAMES_OF_A_PATTERN;
        let mut builder = MatcherBuilder::new();
        for n in 0..=most {
            builder.name(&format!("Name {n}"), n, false);
        }
        for n in 0..most {
            builder.name("", n, false);
        }
        let bytes = builder.build().to_bytes();
        assert!(Matcher::from_bytes(&bytes).is_ok());
        let layout = Layout::of(&bytes).unwrap();
        assert_eq!(
            (layout.name_count, layout.pattern_count),
            (2 * most + 1, most + 1)
        );
        let mut changed = bytes.clone();
        let mut flip = |name: usize| {
            let at = layout.names + 4 * name;
            let word = word_at(&changed, at).unwrap() ^ LAST_OF_PATTERN;
            changed[at..at + 4].copy_from_slice(&word.to_le_bytes());
        };
        for name in (0..most).chain(most + 1..2 * most + 1) {
            flip(name);
        }
        assert!(Matcher::from_bytes(&changed).is_err());
        let unchecked = Matcher::from_static_bytes(Box::leak(changed.into_boxed_slice())).unwrap();
        assert_eq!(unchecked.names_of_pattern(0), None, "not past {most} names");
        assert_eq!(unchecked.names_of_pattern(1), Some(1..most + 1));
    }

    /// What `case_matches` decided from the name's text, before a matcher kept only its
    /// case: the reference it must agree with.
    fn case_matches_by_text(found: &str, name: &str, caps_ok: bool, distinctive: bool) -> bool {
        if found == name
            || (caps_ok && found.chars().all(|c| !c.is_lowercase()))
            || (distinctive && found.chars().next().is_some_and(char::is_uppercase))
        {
            return true;
        }
        found.split(' ').zip(name.split(' ')).all(|(f, n)| {
            let mut chars = n.chars();
            f == n
                || chars.next().is_some_and(|first| {
                    let titled: String = first.to_uppercase().chain(chars).collect();
                    f == titled
                })
        })
    }

    #[test]
    fn a_name_kept_as_its_case_is_judged_and_written_as_its_text_was() {
        // Names with up to 31 ASCII letters keep their case in one word, longer ones apart;
        // characters beyond ASCII, digits and marks stay as found.
        let names = [
            "Acme",
            "eBay",
            "GEO Group",
            "O'Reilly Media, Inc.",
            "3M",
            "Société Générale",
            "élan Vital",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcde",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdeF",
            "International Business Machines Corporation of New York, Inc.",
            "the McDonald's Corporation",
        ];
        let mut builder = MatcherBuilder::new();
        for (i, name) in names.iter().enumerate() {
            builder.name(name, i, false);
        }
        let matcher = builder.build();
        for (i, name) in names.iter().enumerate() {
            let mut variants = vec![
                name.to_string(),
                name.to_ascii_lowercase(),
                name.to_ascii_uppercase(),
                name.split(' ')
                    .map(|w| {
                        // In ASCII only: the trie matches other characters as they are.
                        let mut c = w.chars();
                        c.next().map_or(String::new(), |f| {
                            std::iter::once(f.to_ascii_uppercase()).chain(c).collect()
                        })
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
            ];
            // Every other ASCII letter flipped, from the first and from the second.
            for from in 0..2 {
                let mut k = 0;
                variants.push(
                    name.chars()
                        .map(|c| {
                            if !c.is_ascii_alphabetic() {
                                return c;
                            }
                            k += 1;
                            if k % 2 == from {
                                c
                            } else if c.is_ascii_uppercase() {
                                c.to_ascii_lowercase()
                            } else {
                                c.to_ascii_uppercase()
                            }
                        })
                        .collect(),
                );
            }
            let case = matcher.name_at(i).unwrap().written;
            for found in &variants {
                assert_eq!(matcher.name_as_found(i, found).as_deref(), Some(*name));
                for (caps_ok, distinctive) in [(false, false), (true, false), (false, true)] {
                    assert_eq!(
                        case_matches(found, case, caps_ok, distinctive),
                        case_matches_by_text(found, name, caps_ok, distinctive),
                        "{found:?} as {name:?}, caps {caps_ok}, distinctive {distinctive}"
                    );
                }
            }
        }
        // Another name's text, or a name's with more after it, is not the name found.
        assert_eq!(matcher.name_as_found(0, "eBay"), None);
        assert_eq!(matcher.name_as_found(0, "Acme Inc"), None);
        assert_eq!(matcher.name_as_found(names.len(), "Acme"), None);
        // The page's spacing and apostrophes, as the search normalizes them.
        assert_eq!(
            matcher
                .name_as_found(3, "O\u{2019}REILLY  MEDIA,\nINC.")
                .as_deref(),
            Some("O'Reilly Media, Inc.")
        );
    }

    #[test]
    fn a_pattern_names_a_range_of_names_in_the_order_they_were_added() {
        // Names that fold alike share a pattern, whose names are a range of the matcher's,
        // judged in the order they were added; a name that folds to nothing is in none.
        let mut builder = MatcherBuilder::new();
        builder
            .name("ACME", 0, false)
            .name("Bolt", 1, false)
            .name("Acme", 2, false)
            .name("", 3, false)
            .parent(2, 1);
        let matcher = builder.build();
        assert_eq!(matcher.name_count(), 4);
        let acme = matcher.names_of_pattern(0).unwrap();
        let names: Vec<String> = acme
            .filter_map(|n| matcher.name_as_found(n, "acme"))
            .collect();
        assert_eq!(names, ["ACME", "Acme"]);
        let companies: Vec<usize> = matcher
            .find("Acme and ACME")
            .iter()
            .map(|m| m.company)
            .collect();
        assert_eq!(companies, [2, 0]);
        assert_eq!(matcher.parents_of(2).collect::<Vec<_>>(), [1]);
        assert!(matcher.parts_agree());
    }

    /// Normalizing one character at a time, as `normalize_into` does in runs: the reference
    /// its fast paths must agree with.
    fn normalize_slowly(original: &str) -> (String, Vec<usize>) {
        let (mut text, mut utf16_at) = (String::new(), Vec::new());
        let mut utf16 = 0;
        for c in original.chars() {
            let before = text.len();
            if c.is_whitespace() {
                if !text.ends_with(' ') {
                    text.push(' ');
                }
            } else if c == '\u{2019}' || c == '\u{2018}' {
                text.push('\'');
            } else {
                text.push(c);
            }
            utf16_at.extend(std::iter::repeat_n(utf16, text.len() - before));
            utf16 += c.len_utf16();
        }
        utf16_at.push(utf16);
        (text, utf16_at)
    }

    #[test]
    fn normalizing_in_runs_agrees_with_one_character_at_a_time() {
        // Runs of eight bytes or more of each kind, and what breaks them at every offset.
        const PIECES: &[&str] = &[
            "a",
            "Bcdefghij",
            " ",
            "  ",
            "\n",
            "\t \r\n",
            "\u{1}",
            "é",
            "’",
            "\u{a0}",
            "😀",
            "x_9",
            "\u{2003}",
            "\u{7f}",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for case in 0..4000 {
            let mut original = String::new();
            for _ in 0..case % 40 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                original.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
            }
            let (text, utf16_at) = normalize_slowly(&original);
            let n = normalize(&original);
            assert_eq!(n.text, text, "{original:?}");
            for (byte, &utf16) in utf16_at.iter().enumerate() {
                if n.text.is_char_boundary(byte) {
                    assert_eq!(n.utf16_offset(byte), utf16, "{original:?} at {byte}");
                }
            }
        }
    }

    #[test]
    fn utf16_offsets_survive_folding_and_non_ascii() {
        let original = "é  \u{1F600}\u{a0}Hootsuite’s";
        let n = normalize(original);
        assert_eq!(n.text, "é \u{1F600} Hootsuite's");
        let start = n.text.find("Hootsuite").unwrap();
        let utf16: Vec<u16> = original.encode_utf16().collect();
        let s = n.utf16_offset(start);
        let e = n.utf16_offset(start + "Hootsuite".len());
        assert_eq!(String::from_utf16(&utf16[s..e]).unwrap(), "Hootsuite");
    }
}
