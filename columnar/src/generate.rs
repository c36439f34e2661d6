//! A generated transaction file in the current USAspending schema, as large as asked: for
//! measuring the import at national scale without the national archive.
//!
//! What makes an import hard is kept: an award's transactions are scattered through the file
//! (a download is ordered by date, not by award), modifications add, some de-obligate, orders
//! sit under vehicles, recipients repeat across thousands of awards, the API's paging repeats
//! an occasional row, and now and then a description names a curated company's product. The
//! generator is deterministic: the same arguments give the same bytes.

use contract_lens::import::SourceConfig;
use std::path::{Path, PathBuf};

/// The columns written, named as a current USAspending transaction download names them.
pub const COLUMNS: &[&str] = &[
    "contract_transaction_unique_key",
    "contract_award_unique_key",
    "award_id_piid",
    "modification_number",
    "parent_award_agency_id",
    "parent_award_id_piid",
    "federal_action_obligation",
    "potential_total_value_of_award",
    "action_date",
    "period_of_performance_start_date",
    "period_of_performance_current_end_date",
    "period_of_performance_potential_end_date",
    "awarding_agency_code",
    "awarding_agency_name",
    "awarding_sub_agency_code",
    "awarding_sub_agency_name",
    "recipient_duns",
    "recipient_name",
    "recipient_parent_duns",
    "recipient_parent_name",
    "prime_award_base_transaction_description",
    "transaction_description",
    "product_or_service_code_description",
    "award_or_idv_flag",
    "usaspending_permalink",
];

/// The shape of a generated file.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub rows: usize,
    /// Awards the rows are spread over (about ten transactions each in USAspending).
    pub awards: usize,
    pub recipients: usize,
    pub seed: u64,
}

impl Shape {
    /// `rows` transactions in USAspending's proportions: ten per award, fifty awards per
    /// recipient.
    pub fn of(rows: usize) -> Shape {
        let awards = (rows / 10).max(1);
        Shape {
            rows,
            awards,
            recipients: (awards / 50).max(1),
            seed: 2026,
        }
    }
}

/// splitmix64: small, fast and the same everywhere.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The same number always gives the same draws: an award's facts come from its number.
fn drawn(seed: u64, n: usize) -> Random {
    let mut r = Random(seed ^ (n as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93));
    r.next();
    r
}

const SUB_AGENCIES: &[(&str, &str)] = &[
    ("7012", "U.S. Immigration and Customs Enforcement"),
    ("7014", "U.S. Customs and Border Protection"),
    ("7003", "U.S. Citizenship and Immigration Services"),
];
const SYLLABLES: &[&str] = &[
    "KA", "VO", "LI", "TER", "AN", "MOR", "SEL", "DU", "RIX", "BEN", "TA", "CO", "NEX", "GAL",
    "PRI", "SO", "VEN", "TRO", "LUM", "AR", "QUIN", "DEL", "MA", "ZEN", "OR", "PAX", "HEL", "IO",
];
const TRADES: &[&str] = &[
    "SYSTEMS",
    "SOLUTIONS",
    "TECHNOLOGIES",
    "GROUP",
    "SERVICES",
    "CONSULTING",
    "LOGISTICS",
    "HEALTH",
];
const FORMS: &[&str] = &["INC", "LLC", "CORPORATION", "INC.", "L.L.C.", "CORP"];
const WORK: &[(&str, &str)] = &[
    (
        "IT AND TELECOM - CLOUD SERVICES",
        "CLOUD HOSTING AND SUPPORT",
    ),
    ("GUARD SERVICES", "DETENTION FACILITY SECURITY"),
    ("MEDICAL SERVICES", "DETAINEE HEALTH CARE SERVICES"),
    ("PASSENGER TRANSPORT", "GROUND TRANSPORTATION SERVICES"),
    (
        "IT AND TELECOM - SOFTWARE",
        "SOFTWARE LICENSES AND MAINTENANCE",
    ),
    ("BUILDINGS AND FACILITIES", "FACILITY MAINTENANCE"),
    ("PROFESSIONAL SUPPORT", "PROGRAM MANAGEMENT SUPPORT"),
];
/// A reseller's description naming a curated product, as the seed story's award did.
const RESALE: &str = "SOCIAL MEDIA MANAGEMENT PLATFORM HOOTSUITE AND SUPPORT SERVICES";

fn word(r: &mut Random) -> String {
    (0..2 + r.below(2))
        .map(|_| SYLLABLES[r.below(SYLLABLES.len())])
        .collect()
}

fn recipient(seed: u64, n: usize) -> (String, String, String, String) {
    let mut r = drawn(seed ^ 0x5EED, n);
    let name = format!(
        "{} {} {} {}",
        word(&mut r),
        word(&mut r),
        TRADES[r.below(TRADES.len())],
        FORMS[r.below(FORMS.len())]
    );
    let duns = format!("{:09}", 100_000_000 + n);
    // One in five belongs to a parent of its own name's first word.
    let (parent, parent_duns) = if r.below(5) == 0 {
        (
            format!("{} HOLDINGS INC", word(&mut r)),
            format!("{:09}", 900_000_000 + n % 997),
        )
    } else {
        (name.clone(), duns.clone())
    };
    (name, duns, parent, parent_duns)
}

/// One award's fixed facts, from its number.
struct AwardFacts {
    piid: String,
    parent: String,
    sub_agency: (&'static str, &'static str),
    recipient: usize,
    work: (&'static str, &'static str),
    resale: bool,
    start_day: u32,
    length_days: u32,
    vehicle: bool,
}

fn award(shape: &Shape, n: usize) -> AwardFacts {
    let mut r = drawn(shape.seed, n);
    let sub_agency = SUB_AGENCIES[r.below(SUB_AGENCIES.len())];
    let vehicle = r.below(50) == 0;
    // A third are orders under one of a few thousand vehicles.
    let parent = if !vehicle && r.below(3) == 0 {
        format!(
            "GS{:02}F{:04}X",
            r.below(100),
            r.below(shape.awards.clamp(1, 5000))
        )
    } else {
        String::new()
    };
    AwardFacts {
        piid: format!(
            "{}{}{:08X}",
            sub_agency.0,
            if vehicle { "D" } else { "C" },
            n
        ),
        parent,
        sub_agency,
        recipient: r.below(shape.recipients),
        work: WORK[r.below(WORK.len())],
        resale: r.below(2000) == 0,
        // FY2013 to FY2026: days since 2012-10-01.
        start_day: r.below(13 * 365) as u32,
        length_days: 90 + r.below(5 * 365) as u32,
        vehicle,
    }
}

/// `2012-10-01` plus `days`, as the download writes dates.
fn date(days: u32) -> String {
    let (mut year, mut day) = (2012u32, days + 274); // 2012-10-01 is day 274 of 2012.
    loop {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let length = if leap { 366 } else { 365 };
        if day < length {
            let months = [
                31,
                if leap { 29 } else { 28 },
                31,
                30,
                31,
                30,
                31,
                31,
                30,
                31,
                30,
                31,
            ];
            let mut month = 0;
            while day >= months[month] {
                day -= months[month];
                month += 1;
            }
            return format!("{year}-{:02}-{:02}", month + 1, day + 1);
        }
        day -= length;
        year += 1;
    }
}

/// Writes `shape.rows` transactions to `path` in the current schema.
pub fn write(path: &Path, shape: &Shape) -> std::io::Result<()> {
    let file = std::fs::File::create(path)?;
    let mut out = csv::Writer::from_writer(std::io::BufWriter::with_capacity(1 << 20, file));
    out.write_record(COLUMNS)?;
    let mut r = Random(shape.seed);
    // Transactions so far per award: the next one is its modification number.
    let mut actions = vec![0u16; shape.awards];
    let mut previous: Option<Vec<String>> = None;
    for t in 0..shape.rows {
        // The API's paging repeats about one row in a thousand.
        if let Some(row) = previous.as_ref().filter(|_| r.below(1000) == 0) {
            out.write_record(row)?;
            continue;
        }
        let n = r.below(shape.awards);
        let facts = award(shape, n);
        let k = actions[n];
        actions[n] = k.saturating_add(1);
        let modification = if k == 0 {
            "0".to_string()
        } else {
            format!("P{k:05}")
        };
        let cents = 1 + r.below(500_000_000);
        let obligation = if k > 0 && r.below(20) == 0 {
            format!("-{}.{:02}", cents / 1000 / 100, cents / 1000 % 100)
        } else {
            format!("{}.{:02}", cents / 100, cents % 100)
        };
        let day = facts.start_day + (k as u32 * 37).min(facts.length_days);
        let (name, duns, parent_name, parent_duns) = recipient(shape.seed, facts.recipient);
        let parent_agency = if facts.parent.is_empty() { "" } else { "4732" };
        let key = format!(
            "CONT_AWD_{}_{}_{}_{}",
            facts.piid,
            facts.sub_agency.0,
            if facts.parent.is_empty() {
                "-NONE-"
            } else {
                &facts.parent
            },
            if parent_agency.is_empty() {
                "-NONE-"
            } else {
                parent_agency
            },
        );
        let description = if facts.resale { RESALE } else { facts.work.1 };
        let row = vec![
            format!("{key}_{modification}_{t}"),
            key.clone(),
            facts.piid.clone(),
            modification,
            parent_agency.to_string(),
            facts.parent.clone(),
            obligation,
            format!("{}.00", 1_000_000 + facts.length_days as u64 * 7_919),
            date(day),
            date(facts.start_day),
            date(facts.start_day + facts.length_days.min(day - facts.start_day + 365)),
            date(facts.start_day + facts.length_days * 2),
            "070".to_string(),
            "Department of Homeland Security".to_string(),
            facts.sub_agency.0.to_string(),
            facts.sub_agency.1.to_string(),
            duns,
            name,
            parent_duns,
            parent_name,
            description.to_string(),
            if k == 0 {
                description.to_string()
            } else {
                format!("MODIFICATION {k}: {}", facts.work.1)
            },
            facts.work.0.to_string(),
            if facts.vehicle { "IDV" } else { "AWARD" }.to_string(),
            format!("https://www.usaspending.gov/award/{key}/"),
        ];
        out.write_record(&row)?;
        previous = Some(row);
    }
    out.flush()
}

/// The generated file as a spending source of the import.
pub fn source(path: &Path) -> SourceConfig {
    SourceConfig {
        id: "generated".into(),
        name: "Generated transactions in the current USAspending schema".into(),
        agencies: SUB_AGENCIES
            .iter()
            .map(|(code, _)| code.to_string())
            .collect(),
        gaps: "Generated, not real.".into(),
        url: "https://www.usaspending.gov/".into(),
        files: vec![PathBuf::from(path)],
        dictionary: None,
        row_links: None,
        manifest: None,
        recipient_names: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_from_the_start_of_fy2013() {
        assert_eq!(date(0), "2012-10-01");
        assert_eq!(date(92), "2013-01-01");
        // 2016 is a leap year: 2015-10-01 is day 1095, and 151 days on is 29 February.
        assert_eq!(date(1246), "2016-02-29");
        assert_eq!(date(1247), "2016-03-01");
    }
}
