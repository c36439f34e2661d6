//! Awards to resellers, shown on the maker's card too.
//!
//! The seed story is a reseller award: FCN, Inc. sold Hootsuite licences to ICE. The records
//! say so only in words ("SOCIAL MEDIA MANAGEMENT PLATFORM HOOTSUITE AND SUPPORT SERVICES"),
//! so an award's descriptions are searched for curated companies' names and products with the
//! core's own matcher and its rules: whole words, letter case, and evidence for names that are
//! also ordinary words, so that a word that merely looks like a name attributes nothing.

use crate::dataset::Dataset;
use crate::matcher::{Matcher, MatcherBuilder};

pub struct Finder<'a> {
    dataset: &'a Dataset,
    matcher: Matcher,
}

impl<'a> Finder<'a> {
    pub fn new(dataset: &'a Dataset) -> Finder<'a> {
        let mut builder = MatcherBuilder::new();
        for (index, company) in dataset.companies.iter().enumerate() {
            if company.uncurated {
                continue;
            }
            builder.company(company, index);
            for product in &company.products {
                builder.name(&product.name, index, false);
            }
        }
        Finder {
            dataset,
            matcher: builder.build(),
        }
    }

    /// The curated companies the descriptions name, other than the recipient's own company
    /// (`recipient_id`) and its parent or children, each with the first description naming it.
    pub fn makers(&self, descriptions: &[String], recipient_id: &str) -> Vec<(String, String)> {
        let related = |id: &str| {
            let company = |id: &str| self.dataset.company(id);
            id == recipient_id
                || company(id).and_then(|c| c.parent.as_deref()) == Some(recipient_id)
                || company(recipient_id).and_then(|c| c.parent.as_deref()) == Some(id)
        };
        let mut makers: Vec<(String, String)> = Vec::new();
        for description in descriptions {
            for mention in self.matcher.find(description) {
                let id = &self.dataset.companies[mention.company].id;
                if !related(id) && !makers.iter().any(|(m, _)| m == id) {
                    makers.push((id.clone(), description.clone()));
                }
            }
        }
        makers
    }
}
