//! Deep-dive evidence: what a cycle's own method found on each question it asked, as a rating
//! on the framework's scale, so that a self-assessment can be weighed against it.
//!
//! Today a deep dive's evidence is its effective rating from its own returns and moderation
//! (a tabletop audit's agencies rating together). Case records and surveys add their own
//! readings here, each with the basis a page states.

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
    // A survey's reading of a question speaks for the cycle (see `analysis::survey`).
    if let Some(fw) = audit.frameworks.get(&cycle.framework) {
        out.extend(super::survey::evidence(cycle, fw));
    }
    out
}
