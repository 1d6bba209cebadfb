//! Deep-dive evidence: what a cycle's own method found on each question it asked, as a rating
//! on the framework's scale, so that a self-assessment can be weighed against it.
//!
//! A question the cycle's case records judged takes the case rating (`cases`: what the case
//! files show); any other question the deep dive's effective rating from its own returns and
//! moderation (a tabletop audit's agencies rating together).

use super::cases;
use super::score::{DeepDive, QuestionScore};
use crate::model::{Audit, Cycle};
use std::collections::BTreeMap;

/// Each question a deep-dive cycle rated, with its rating and what it rests on.
pub fn of_cycle(
    audit: &Audit,
    cycle: &Cycle,
    scores: &[QuestionScore],
) -> BTreeMap<String, DeepDive> {
    let mut out: BTreeMap<String, DeepDive> = scores
        .iter()
        .filter_map(|s| {
            let rating = s.rating?;
            Some((
                s.question.clone(),
                DeepDive {
                    cycle: cycle.id.clone(),
                    method: cycle.method,
                    rating,
                    basis: format!("the agencies' ratings in the {}", cycle.method.words()),
                },
            ))
        })
        .collect();
    if let Some(fw) = audit.frameworks.get(&cycle.framework) {
        // A survey's reading of a question speaks for the cycle (see `analysis::survey`).
        out.extend(super::survey::evidence(cycle, fw));
        // What the case files show outweighs the table's own ratings (see `analysis::cases`).
        let min = audit.partnership.disclosure.min_cases;
        for r in cases::results(cycle, fw) {
            let Some(rating) = r.rating else { continue };
            out.insert(
                r.question.clone(),
                DeepDive {
                    cycle: cycle.id.clone(),
                    method: cycle.method,
                    rating: f64::from(rating),
                    basis: cases::basis(&r.counts, min, cycle.method.words()),
                },
            );
        }
    }
    out
}
