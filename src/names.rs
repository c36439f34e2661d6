//! Company names: the one home of legal suffixes, name keys (how two spellings of one company
//! compare equal) and readable display names of the upper-case names spending records use.
//!
//! The importer, the matcher and the card all compare names through this module, so
//! "PALANTIR TECHNOLOGIES INC.", "Palantir Technologies" and "Palantir Technologies, Inc." are
//! one company everywhere.

use std::collections::BTreeSet;

/// Legal suffixes a company name may end with, upper case without dots ("INC", "L L C").
pub const LEGAL_SUFFIXES: &[&str] = &[
    "INC",
    "INCORPORATED",
    "LLC",
    "L L C",
    "LLP",
    "LP",
    "L P",
    "CORP",
    "CORPORATION",
    "CO",
    "LTD",
    "LIMITED",
    "PLC",
    "PC",
    "PLLC",
    "COMPANY",
    "LIMITED LIABILITY COMPANY",
    "LIMITED PARTNERSHIP",
];

/// Whether `words` (any case, dots allowed: "Inc.", "L.L.C.", "Limited Liability Company")
/// are one legal suffix.
pub fn is_legal_suffix(words: &[&str]) -> bool {
    let bare: Vec<String> = words
        .iter()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_uppercase)
                .collect()
        })
        .collect();
    let joined = bare.join(" ");
    !joined.is_empty()
        && LEGAL_SUFFIXES
            .iter()
            .any(|s| *s == joined || (bare.len() == 1 && s.replace(' ', "") == joined))
}

/// How many words a legal suffix has at most.
const LONGEST_SUFFIX: usize = 3;

/// `name` without its trailing legal suffixes and the commas before them ("Trailboss
/// Enterprises, Inc." gives "Trailboss Enterprises"); a one-word name is kept whole.
pub fn strip_legal_suffix(name: &str) -> &str {
    let mut rest = name.trim_end_matches([',', ' ']);
    'strip: loop {
        let starts: Vec<usize> = rest.match_indices(' ').map(|(at, _)| at).collect();
        for k in (1..=LONGEST_SUFFIX.min(starts.len())).rev() {
            let at = starts[starts.len() - k];
            let words: Vec<&str> = rest[at + 1..].split(' ').collect();
            if is_legal_suffix(&words) {
                rest = rest[..at].trim_end_matches([',', ' ']);
                continue 'strip;
            }
        }
        return rest;
    }
}

/// A name reduced for comparison: upper case, "&" as AND, no punctuation, no parenthesised
/// codes ("3M COMPANY (7775)"), no legal suffixes, no leading or inverted trailing "THE".
pub fn name_key(name: &str) -> String {
    let mut cleaned = String::new();
    let mut depth = 0;
    for c in name.to_uppercase().chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = (depth - 1).max(0),
            _ if depth > 0 => {}
            '&' => cleaned.push_str(" AND "),
            '.' | '\'' | '’' => {}
            c if c.is_alphanumeric() => cleaned.push(c),
            _ => cleaned.push(' '),
        }
    }
    let mut words: Vec<&str> = cleaned.split_whitespace().collect();
    loop {
        let before = words.len();
        // Suffixes come last ("ACME SYSTEMS, INC."), and so does an inverted "THE".
        if words.len() > 1 && words.last() == Some(&"THE") {
            words.pop();
        }
        for k in (1..=LONGEST_SUFFIX).rev() {
            if words.len() > k
                && LEGAL_SUFFIXES.contains(&words[words.len() - k..].join(" ").as_str())
            {
                words.truncate(words.len() - k);
                break;
            }
        }
        if words.len() == before {
            break;
        }
    }
    if words.len() > 1 && words[0] == "THE" {
        words.remove(0);
    }
    words.join(" ")
}

/// USAspending's 2018 exports cut names at this many characters.
pub const TRUNCATED_WIDTH: usize = 30;

/// Whether `short` is `long` cut off at the exports' width ("SYSTEMS RESEARCH AND APPLICATI").
pub fn is_truncation_of(short: &str, long: &str) -> bool {
    short.chars().count() == TRUNCATED_WIDTH && long.len() > short.len() && long.starts_with(short)
}

const SMALL_WORDS: &[&str] = &["of", "and", "the", "for", "in", "on", "at", "to", "de", "a"];
const UPPER_WORDS: &[&str] = &[
    "LLC", "LLP", "LP", "PLLC", "PC", "USA", "US", "II", "III", "IV", "IT", "HR", "AV", "NW",
];

/// "TRAILBOSS ENTERPRISES, INC." as "Trailboss Enterprises, Inc.": words capitalised,
/// acronyms and initials kept, small words lowercase, parenthesised codes dropped, and the
/// inverted "GEO GROUP, INC., THE" put right.
pub fn display_name(raw: &str) -> String {
    let mut name = String::new();
    let mut depth = 0;
    for c in raw.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = (depth - 1).max(0),
            _ if depth > 0 => {}
            c => name.push(c),
        }
    }
    let mut name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    name = name.trim_end_matches([',', ' ']).to_string();
    if let Some(rest) = name.strip_suffix(", THE") {
        name = format!("THE {rest}");
    }
    let words: Vec<String> = name
        .split(' ')
        .enumerate()
        .map(|(i, word)| {
            let bare: String = word.chars().filter(|c| c.is_alphanumeric()).collect();
            let vowels = bare.chars().any(|c| "AEIOUYaeiouy".contains(c));
            if UPPER_WORDS.contains(&bare.as_str())
                || bare.len() == 1
                || (word.contains('&') && word.len() > 1)
                || word.contains('.') && bare.len() <= 3 && bare != "INC" && bare != "CO"
                || (!vowels && bare.chars().any(char::is_alphabetic))
                || bare.chars().any(|c| c.is_ascii_digit())
            {
                return word.to_string();
            }
            let lower = word.to_lowercase();
            if i > 0 && SMALL_WORDS.contains(&lower.trim_end_matches(',')) {
                return lower;
            }
            // Capitalise after each hyphen or slash too ("A-1 Freeman", "Tri-State").
            let mut out = String::new();
            let mut upper = true;
            for c in lower.chars() {
                out.extend(if upper {
                    c.to_uppercase().collect::<Vec<_>>()
                } else {
                    vec![c]
                });
                // And after the apostrophe of "O'Reilly", not of "Dunkin's".
                upper = c == '-' || c == '/' || (c == '\'' && out.chars().count() == 2);
            }
            out
        })
        .collect();
    words.join(" ")
}

/// A file-name-safe id from a name key: "TRAILBOSS ENTERPRISES" gives "trailboss-enterprises".
pub fn slug(key: &str) -> String {
    let mut out = String::new();
    for c in key.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Whether `recipient` is the company with one of `names` itself, not a reseller: the same name
/// key, or that key followed by more words ("PALANTIR TECHNOLOGIES INC." for "Palantir").
pub fn is_same_company<'a>(recipient: &str, names: impl Iterator<Item = &'a str>) -> bool {
    SameCompany::new(names).is(recipient)
}

/// [`is_same_company`] for many recipients of one company: its names' keys made once, and each
/// recipient judged once (a reseller's card asks of hundreds of awards, most to the same few
/// recipients; a key is a dozen allocations).
#[derive(Debug, Default)]
pub struct SameCompany {
    keys: Vec<String>,
    judged: std::collections::HashMap<String, bool>,
}

impl SameCompany {
    pub fn new<'a>(names: impl Iterator<Item = &'a str>) -> SameCompany {
        let keys = names
            .map(name_key)
            .filter(|k| !k.is_empty())
            .map(|k| k + " ")
            .collect();
        SameCompany {
            keys,
            judged: Default::default(),
        }
    }

    /// Whether `recipient` is the company itself.
    pub fn is(&mut self, recipient: &str) -> bool {
        if let Some(&same) = self.judged.get(recipient) {
            return same;
        }
        // Each key ends in a space: the same key, or it followed by more words.
        let r = name_key(recipient) + " ";
        let same = self.keys.iter().any(|k| r.starts_with(k.as_str()));
        self.judged.insert(recipient.to_string(), same);
        same
    }
}

/// Words too common in company names to tell one from another ("American Security Services"):
/// a short name made of these alone is never marked.
#[rustfmt::skip]
const COMMON_WORDS: &[&str] = &[
    "a", "an", "and", "the", "of", "for", "in", "on", "at", "to", "by", "&", "services", "service",
    "solutions", "solution", "group", "systems", "system", "technologies", "technology", "tech",
    "international", "global", "american", "america", "national", "federal", "security",
    "management", "consulting", "consultants", "associates", "enterprises", "enterprise",
    "industries", "industry", "partners", "resources", "communications", "data", "information",
    "health", "healthcare", "medical", "supply", "supplies", "products", "engineering",
    "construction", "government", "general", "united", "states", "us", "usa", "north", "south",
    "east", "west", "new", "first", "best", "premier", "advanced", "integrated", "professional",
    "network", "networks", "corporate", "office", "equipment", "business", "training",
    "transportation", "logistics", "defense", "protection", "support", "applied", "strategic",
    "innovative", "innovations", "design", "development", "research", "analytics", "software",
    "digital", "media", "marketing", "financial", "capital", "energy", "environmental", "air",
    "aviation", "travel", "legal", "language", "translation", "interpreting", "facilities",
    "facility", "maintenance", "operations", "sales", "distribution", "trading", "world",
    "worldwide", "pacific", "atlantic", "southern", "northern", "eastern", "western", "central",
    "county", "city", "state", "community", "care", "center", "centers", "house", "home",
    "quality", "total", "star", "one", "inc", "llc", "co", "corp", "company", "companies",
];

/// Word lists the naming rule of uncurated companies reads (`data/sources/words/`), all lower
/// case.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// Ordinary English words ("source", "code", "axon").
    pub ordinary: BTreeSet<String>,
    pub given_names: BTreeSet<String>,
    pub surnames: BTreeSet<String>,
    /// Cities, states and countries, whole ("san diego") as well as one word ("tucson").
    pub places: BTreeSet<String>,
}

/// How a name reads on its own in a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Coined or specific: it names the company ("Chainalysis", "Trailboss Enterprises").
    Distinctive,
    /// Also a word, a person or a place ("Axon", "Garret P Demott", "Tucson Security"), or too
    /// short to tell from an acronym ("3M"): marked only with the company's own evidence.
    NeedsEvidence,
    /// Words every company uses ("Global Services"): never on its own.
    Generic,
}

impl Lexicon {
    fn is_person_or_place(&self, word: &str) -> bool {
        self.given_names.contains(word)
            || self.surnames.contains(word)
            || self.places.contains(word)
    }

    fn reading(&self, phrase: &str) -> Reading {
        let words: Vec<String> = phrase
            .split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .filter(|w| !w.is_empty())
            .collect();
        let letters = phrase.chars().filter(|c| c.is_alphabetic()).count();
        // Company words, and one- or two-letter words and initials ("P", "of"; not "3M").
        let common = |w: &String| {
            COMMON_WORDS.contains(&w.as_str())
                || (w.chars().count() <= 2 && w.chars().all(char::is_alphabetic))
        };
        if words.is_empty() || words.iter().all(common) {
            return Reading::Generic;
        }
        let coined =
            |w: &&String| !common(w) && !self.ordinary.contains(*w) && !self.is_person_or_place(w);
        // A person's name: a given name, then names or initials ("Garret P Demott").
        let person = words.len() <= 3
            && self.given_names.contains(&words[0])
            && words[1..]
                .iter()
                .all(|w| w.chars().count() == 1 || !COMMON_WORDS.contains(&w.as_str()));
        let place = self.places.contains(&words.join(" "));
        // One word needs five letters to be told from an acronym or a code ("3M", "ICF");
        // several need eight in all.
        let long_enough = if words.len() == 1 {
            letters >= 5
        } else {
            letters >= 8
        };
        if !person && !place && long_enough && words.iter().any(|w| coined(&w)) {
            Reading::Distinctive
        } else {
            Reading::NeedsEvidence
        }
    }
}

/// The names that mark an uncurated recipient, and those of them that need evidence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UncuratedNames {
    pub names: Vec<String>,
    pub ambiguous: Vec<String>,
}

impl UncuratedNames {
    fn add(&mut self, name: &str, reading: Reading) {
        if reading == Reading::Generic || self.names.iter().any(|n| n == name) {
            return;
        }
        self.names.push(name.to_string());
        if reading == Reading::NeedsEvidence {
            self.ambiguous.push(name.to_string());
        }
    }
}

/// The names an uncurated recipient is marked by, decided once at build time:
/// - its full legal name with its suffix ("Trailboss Enterprises, Inc."): specific enough;
/// - the name without its suffix ("Trailboss Enterprises", "Chainalysis"), the way news names
///   vendors: on its own when coined (a word that is no ordinary English word, given name,
///   surname or place; five letters or more for one word, eight for several); only with the
///   company's own evidence in the page when it is also a word, a person or a place
///   ("Pinnacle", "Garret P Demott"), as the ambiguous names of curated companies are; never
///   when made of company words alone ("Global Services").
///
/// A brand shorter than the name ("Boeing" of "Boeing Digital Solutions") is not derived: in
/// news it names the parent more often than the recipient.
pub fn uncurated_names(name: &str, lexicon: &Lexicon) -> UncuratedNames {
    let mut out = UncuratedNames::default();
    let stripped = strip_legal_suffix(name);
    if stripped != name {
        out.add(name, Reading::Distinctive);
    }
    out.add(stripped, lexicon.reading(stripped));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_strip_from_the_end_only() {
        for (name, stripped) in [
            ("Trailboss Enterprises, Inc.", "Trailboss Enterprises"),
            ("Acme Co. LLC", "Acme"),
            ("Pinnacle, Inc.", "Pinnacle"),
            ("Inc", "Inc"),
            ("Company Town Holdings", "Company Town Holdings"),
            ("Clearavenue Limited Liability Company", "Clearavenue"),
        ] {
            assert_eq!(strip_legal_suffix(name), stripped, "{name}");
        }
    }

    #[test]
    fn keys_and_sameness() {
        assert_eq!(
            name_key("CLEARAVENUE LIMITED LIABILITY COMPANY"),
            "CLEARAVENUE"
        );
        assert_eq!(
            name_key("DELL MARKETING LIMITED PARTNERSHIP"),
            "DELL MARKETING"
        );
        assert_eq!(name_key("DELL MARKETING L.P."), "DELL MARKETING");
        assert_eq!(name_key("MEDALCRAFT MINT INC., THE"), "MEDALCRAFT MINT");
        assert_eq!(display_name("O'REILLY MEDIA, INC."), "O'Reilly Media, Inc.");
        assert!(is_truncation_of(
            "SYSTEMS RESEARCH AND APPLICATI",
            "SYSTEMS RESEARCH AND APPLICATIONS CORPORATION"
        ));
        let names = ["Palantir Technologies", "Palantir"];
        assert!(is_same_company(
            "PALANTIR TECHNOLOGIES INC.",
            names.into_iter()
        ));
        assert!(!is_same_company(
            "FCN, Inc. (Rockville, Md.)",
            ["Hootsuite"].into_iter()
        ));
        // A longer word that starts like the name is another company.
        assert!(!is_same_company("Palantirx LLC", names.into_iter()));
    }
}
