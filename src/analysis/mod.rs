//! One entry point for score → prioritise → plan: everything `rank` prints and the site
//! renders about one cycle, computed once, and every domain decision a page reports (change
//! between cycles, answer counts, the `rank --format json` view).
//!
//! - `score`: each question's score from its answers, confidence, metrics and theme weight.
//! - `prioritise`: the ranking and its ties.
//! - `plan`: the action plan ordered by the risk each action newly covers.
//! - `change`: which way a theme or question moved between cycles.
//! - `counts`: answers counted by rating, for tables and charts.
//! - `report`: the `rank --format json` and CSV shapes, shared by `rank` and the site.
//! - `returns`: which agencies sent their return, partly answered, empty or not at all.

mod change;
mod counts;
pub mod plan;
pub mod prioritise;
#[cfg(test)]
mod properties;
mod report;
pub mod returns;
pub mod score;
#[cfg(test)]
pub(crate) mod testkit;

pub use change::*;
pub use counts::*;
pub use report::*;

use crate::model::{Audit, Cycle, Date};
use plan::Plan;
use prioritise::Ranking;
use serde::Serialize;

/// A cycle's finished analysis.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    /// The partnership's full name, and its short name.
    pub partnership: String,
    pub short_name: String,
    /// The partnership's folder name (its path segment inside a collection).
    pub folder: String,
    pub cycle: String,
    pub cycle_title: String,
    pub period: String,
    pub framework: String,
    /// The previous cycle with the same framework, when there is one.
    pub previous_cycle: Option<String>,
    pub ranking: Ranking,
    pub plan: Plan,
}

/// Scores, ranks and plans one cycle. `as_of` is the day "overdue" is judged on: today, or
/// the date a user gives (`--as-of`), never a cycle's closing date.
pub fn analyse(audit: &Audit, cycle: &Cycle, as_of: Date) -> Analysis {
    let (scores, not_applicable) = score::score_cycle(audit, cycle);
    let ranking = prioritise::prioritise(audit, cycle, scores, not_applicable);
    let plan = plan::plan(&audit.actions, &ranking, as_of);
    Analysis {
        partnership: audit.partnership.name.clone(),
        short_name: audit.partnership.short_name.clone(),
        folder: audit.folder.clone(),
        cycle: cycle.id.clone(),
        cycle_title: cycle.title.clone(),
        period: cycle.period.clone(),
        framework: cycle.framework.clone(),
        previous_cycle: audit.previous_cycle(cycle).map(|c| c.id.clone()),
        ranking,
        plan,
    }
}

/// Every cycle of the audit, oldest first (for trends across cycles).
pub fn analyse_all(audit: &Audit, as_of: Date) -> Vec<Analysis> {
    audit
        .cycles
        .iter()
        .map(|c| analyse(audit, c, as_of))
        .collect()
}

impl Analysis {
    /// The average of the partnership's ratings over the ranked questions that have one: the
    /// figure a collection compares partnerships by.
    pub fn mean_rating(&self) -> Option<f64> {
        let rated: Vec<f64> = self
            .ranking
            .priorities
            .iter()
            .filter_map(|s| s.rating)
            .collect();
        (!rated.is_empty()).then(|| rated.iter().sum::<f64>() / rated.len() as f64)
    }

    /// A theme's average rating in this cycle; None when the theme was not ranked or none of
    /// its questions has a rating.
    pub fn theme_mean(&self, theme: &str) -> Option<f64> {
        self.ranking
            .themes
            .iter()
            .find(|s| s.theme == theme)
            .and_then(|s| s.mean_rating)
    }
}
