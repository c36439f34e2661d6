//! Recipients to companies.
//!
//! The records spell one registrant many ways ("DELL MARKETING L.P.", "DELL MARKETING
//! LIMITED PARTNERSHIP"), cut names off at 30 characters ("SYSTEMS RESEARCH AND APPLICATI"),
//! and rename companies ("MOTOROLA INCORPORATED" under the DUNS of Motorola Solutions). So
//! recipient names are joined into one company when they share a DUNS, a name key, or one is
//! the other cut off; a group goes to a curated company when one of its names is that
//! company's, when its parent is, or when it shares its parent's DUNS with a recipient of that
//! company ("DELL MARKETING" and "DELL FEDERAL SYSTEMS", both owned by DUNS 601839660).
//! Anything else becomes an uncurated company, named after its most frequent spelling.

use super::rows::{error, read_text, Row};
use super::ImportError;
use crate::dataset::Dataset;
use crate::names::{display_name, is_truncation_of, name_key, slug, TRUNCATED_WIDTH};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A company made from recipients with no curated record.
#[derive(Debug, Clone, PartialEq)]
pub struct Uncurated {
    pub name: String,
    pub parent_name: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Assignment {
    /// Each recipient name as the records write it, to its company's id.
    pub company_of: BTreeMap<String, String>,
    /// The uncurated companies, by id.
    pub uncurated: BTreeMap<String, Uncurated>,
}

/// `duns -> readable name` from a file with a header row naming `duns` and `cleanName`.
pub fn read_recipient_names(path: &Path) -> Result<BTreeMap<String, String>, ImportError> {
    let text = read_text(path)?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| error(path, 1, e))?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| error(path, 1, format!("no column {name:?}")))
    };
    let (duns, clean) = (column("duns")?, column("cleanName")?);
    let mut names = BTreeMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| error(path, 0, e))?;
        let (d, n) = (&record[duns], record[clean].trim());
        if !n.is_empty() {
            names.insert(normal_duns(d), n.to_string());
        }
    }
    Ok(names)
}

/// DUNS numbers are written with and without leading zeros.
fn normal_duns(duns: &str) -> String {
    duns.trim().trim_start_matches('0').to_string()
}

#[derive(Default)]
struct Recipient {
    rows: usize,
    duns: BTreeSet<String>,
    parent_duns: BTreeSet<String>,
    parents: BTreeMap<String, usize>,
}

/// Union-find over recipient indices; the smaller index is the root, so groups are stable.
struct Groups(Vec<usize>);

impl Groups {
    fn root(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }
    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.root(a), self.root(b));
        let (low, high) = (a.min(b), a.max(b));
        self.0[high] = low;
    }
}

/// What the import knows of each recipient name, gathered row by row.
#[derive(Default)]
pub struct Recipients(BTreeMap<String, Recipient>);

impl Recipients {
    pub fn add(&mut self, row: &Row) {
        if !self.0.contains_key(&row.recipient) {
            self.0.insert(row.recipient.clone(), Recipient::default());
        }
        let r = self.0.get_mut(&row.recipient).expect("inserted above");
        r.rows += 1;
        let duns = normal_duns(&row.duns);
        if !duns.is_empty() {
            r.duns.insert(duns);
        }
        let parent_duns = normal_duns(&row.parent_duns);
        if !parent_duns.is_empty() {
            r.parent_duns.insert(parent_duns);
        }
        if !row.recipient_parent.is_empty() {
            let parent = row
                .recipient_parent
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            *r.parents.entry(parent).or_default() += 1;
        }
    }
}

pub fn assign(
    dataset: &Dataset,
    rows: &[Row],
    decorations: &BTreeMap<String, String>,
) -> Assignment {
    let mut recipients = Recipients::default();
    for row in rows {
        recipients.add(row);
    }
    assign_recipients(dataset, &recipients, decorations)
}

pub fn assign_recipients(
    dataset: &Dataset,
    recipients: &Recipients,
    decorations: &BTreeMap<String, String>,
) -> Assignment {
    let recipients = &recipients.0;
    let names: Vec<&str> = recipients.keys().map(String::as_str).collect();
    let info: Vec<&Recipient> = recipients.values().collect();
    let keys: Vec<String> = names.iter().map(|n| name_key(n)).collect();

    let mut groups = Groups((0..names.len()).collect());
    let mut first_of: BTreeMap<String, usize> = BTreeMap::new();
    for (i, key) in keys.iter().enumerate() {
        if let Some(&j) = first_of.get(key) {
            groups.join(i, j);
        } else {
            first_of.insert(key.clone(), i);
        }
        for duns in &info[i].duns {
            if let Some(&j) = first_of.get(&format!("#duns {duns}")) {
                groups.join(i, j);
            } else {
                first_of.insert(format!("#duns {duns}"), i);
            }
        }
    }
    // A name cut off at the export's width joins the one full name it starts.
    for (i, name) in names.iter().enumerate() {
        if name.chars().count() != TRUNCATED_WIDTH {
            continue;
        }
        let longer: Vec<usize> = (i + 1..names.len())
            .take_while(|&j| is_truncation_of(name, names[j]))
            .collect();
        if let [j] = longer[..] {
            groups.join(i, j);
        }
    }

    let curated = curated_index(dataset);
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..names.len() {
        let root = groups.root(i);
        members.entry(root).or_default().push(i);
    }

    // Curated by a name, or else by a parent's name; the company with most rows wins.
    let mut company_of_group: BTreeMap<usize, String> = BTreeMap::new();
    let mut by_own_name: BTreeSet<usize> = BTreeSet::new();
    for (&root, group) in &members {
        let mut votes: BTreeMap<&str, usize> = BTreeMap::new();
        for &i in group {
            if let Some(id) = curated.get(&keys[i]) {
                *votes.entry(id).or_default() += info[i].rows;
            }
        }
        if votes.is_empty() {
            for &i in group {
                for (parent, n) in &info[i].parents {
                    if let Some(id) = curated.get(&name_key(parent)) {
                        *votes.entry(id).or_default() += n;
                    }
                }
            }
        } else {
            by_own_name.insert(root);
        }
        if let Some((id, _)) = votes.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) {
            company_of_group.insert(root, id.to_string());
        }
    }
    // Recipients owned by the same parent DUNS as a curated company's recipient join it, when
    // that parent points at one curated company alone.
    let mut curated_of_parent_duns: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (&root, id) in &company_of_group {
        if by_own_name.contains(&root) {
            for &i in &members[&root] {
                for duns in &info[i].parent_duns {
                    curated_of_parent_duns.entry(duns).or_default().insert(id);
                }
            }
        }
    }
    let mut joined = Vec::new();
    for (&root, group) in &members {
        if company_of_group.contains_key(&root) {
            continue;
        }
        let ids: BTreeSet<&str> = group
            .iter()
            .flat_map(|&i| &info[i].parent_duns)
            .filter_map(|d| curated_of_parent_duns.get(d.as_str()))
            .flatten()
            .copied()
            .collect();
        if let [id] = ids.into_iter().collect::<Vec<_>>()[..] {
            joined.push((root, id.to_string()));
        }
    }
    company_of_group.extend(joined);

    let curated_ids: BTreeSet<&str> = dataset.companies.iter().map(|c| c.id.as_str()).collect();
    let mut assignment = Assignment::default();
    for (&root, group) in &members {
        let id = match company_of_group.get(&root) {
            Some(id) => id.clone(),
            None => {
                let (id, company) = uncurated(group, &names, &keys, &info, decorations);
                // A new id never takes a curated one.
                let id = if curated_ids.contains(id.as_str()) {
                    format!("{id}-usaspending")
                } else {
                    id
                };
                assignment.uncurated.insert(id.clone(), company);
                id
            }
        };
        for &i in group {
            assignment
                .company_of
                .insert(names[i].to_string(), id.clone());
        }
    }
    assignment
}

/// Names, aliases and listed recipients of curated companies, by name key.
fn curated_index(dataset: &Dataset) -> BTreeMap<String, String> {
    let mut index = BTreeMap::new();
    for company in dataset.companies.iter().filter(|c| !c.uncurated) {
        for name in company
            .names()
            .chain(company.recipients.iter().map(String::as_str))
        {
            index
                .entry(name_key(name))
                .or_insert_with(|| company.id.clone());
        }
    }
    index
}

/// The id and names of a group with no curated company.
fn uncurated(
    group: &[usize],
    names: &[&str],
    keys: &[String],
    info: &[&Recipient],
    decorations: &BTreeMap<String, String>,
) -> (String, Uncurated) {
    // The spelling written most often, a name cut off never before a whole one; on a tie, the
    // first in order.
    let cut = |i: usize| group.iter().any(|&j| is_truncation_of(names[i], names[j]));
    let chosen = *group
        .iter()
        .max_by(|&&a, &&b| {
            (!cut(a), info[a].rows)
                .cmp(&(!cut(b), info[b].rows))
                .then(b.cmp(&a))
        })
        .expect("a group has members");
    let mut name = display_name(names[chosen]);
    if let Some(readable) = group
        .iter()
        .flat_map(|&i| &info[i].duns)
        .find_map(|d| decorations.get(d))
    {
        name = keep_capitals(&name, readable);
    }
    // The parent named most often, unless it is a spelling of the company itself.
    let is_self = |parent: &str| {
        let key = name_key(parent);
        group.iter().any(|&i| {
            keys[i] == key
                || key.starts_with(&format!("{} ", keys[i]))
                || (names[i].chars().count() == TRUNCATED_WIDTH && key.starts_with(&keys[i]))
        })
    };
    let mut parents: BTreeMap<&str, usize> = BTreeMap::new();
    for &i in group {
        for (parent, n) in &info[i].parents {
            *parents.entry(parent).or_default() += n;
        }
    }
    let parent_name = parents
        .iter()
        .filter(|(p, _)| !is_self(p))
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(p, _)| display_name(p));
    (slug(&keys[chosen]), Uncurated { name, parent_name })
}

/// `name` with the capitals of the same words in `readable` ("Abm Industries Incorporated"
/// and "ABM Industries" give "ABM Industries Incorporated").
fn keep_capitals(name: &str, readable: &str) -> String {
    let readable: Vec<&str> = readable.split_whitespace().collect();
    name.split(' ')
        .map(|word| {
            let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
            match readable
                .iter()
                .map(|r| r.trim_matches(|c: char| !c.is_alphanumeric()))
                .find(|r| r.eq_ignore_ascii_case(bare) && *r != bare)
            {
                Some(r) if !bare.is_empty() => word.replacen(bare, r, 1),
                _ => word.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_names_keep_their_capitals() {
        assert_eq!(
            keep_capitals("Abm Industries Incorporated", "ABM Industries"),
            "ABM Industries Incorporated"
        );
        assert_eq!(
            keep_capitals("Caci-Iss, Inc.", "CACI-ISS"),
            "CACI-ISS, Inc."
        );
    }
}
