//! Analysis: everything the partnership's evidence says, computed once, that every surface
//! reads (pages, `rank`, `brief`, the data files, `check`'s summary). No view computes a
//! domain figure: it reads [`Ledger`].
//!
//! - `evidence`: one cycle's own readings of each question (agencies, moderation, cases,
//!   surveys), with dates and what each rests on.
//! - `triangulate`: the rule that weighs deep dives on a self-assessment (the assessed rating).
//! - `score`: each question's score from its assessed rating, coverage, confidence, metrics and
//!   theme weight.
//! - `prioritise`: the ranking and its ties.
//! - `plan`: the action plan ordered by the risk each action newly covers, over the programme.
//! - `change`: which way a theme or question moved between comparable cycles.
//! - `ledger`: all of the above for every cycle, in one structure.
//! - `counts`, `returns`, `cases`, `survey`: the counting each kind of evidence needs.
//! - `report`: the `rank --format json` and CSV shapes, shared by `rank` and the site.

mod agency_ratings;
pub(crate) mod cases;
mod change;
mod counts;
pub(crate) mod evidence;
pub(crate) mod impact;
mod ledger;
pub(crate) mod metrics;
pub(crate) mod plan;
pub(crate) mod prioritise;
#[cfg(test)]
mod properties;
mod report;
pub(crate) mod returns;
pub(crate) mod score;
pub(crate) mod survey;
#[cfg(test)]
pub(crate) mod testkit;
pub(crate) mod triangulate;

pub use change::*;
pub use counts::*;
pub use ledger::*;
pub use report::*;

use crate::model::Method;
#[cfg(test)]
use crate::model::{Audit, Cycle, Date};
use plan::Plan;
use prioritise::Ranking;
use serde::Serialize;
use std::collections::BTreeMap;

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
    pub method: Method,
    pub framework: String,
    /// The comparable cycle (the previous one of the same method, or `compare_with`), when
    /// there is one.
    pub previous_cycle: Option<String>,
    /// Like-for-like change since the comparable cycle, over the questions both asked.
    pub comparison: Option<Comparison>,
    /// Each theme's average across the cycles of this framework and method, like for like.
    pub trend: Option<Trend>,
    /// The deep dives whose evidence weighed on this cycle's scores (self-assessments only).
    pub deep_dives: Vec<String>,
    /// The partnership's `priority.change_threshold`: the move that counts as a rise or a fall.
    pub change_threshold: f64,
    pub ranking: Ranking,
    /// The latest score of every question this cycle did not ask, from the latest cycle that
    /// asked it, ranked after this cycle's questions: the rest of the programme's risk.
    pub elsewhere: Vec<score::QuestionScore>,
    pub plan: Plan,
    /// The text of every question the cycle asked, and of those in `elsewhere`, by id.
    pub question_text: BTreeMap<String, String>,
    /// The framework's rating scale: its ends and their labels.
    pub scale: ScaleBounds,
    /// Every metric of the partnership read at the cycle's period.
    pub metrics: Vec<metrics::MetricReading>,
}

/// The two ends of a framework's rating scale, with their labels.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScaleBounds {
    pub bottom: u32,
    pub bottom_label: String,
    pub top: u32,
    pub top_label: String,
}

/// Scores, ranks and plans one cycle, for tests: surfaces read the [`Ledger`].
#[cfg(test)]
pub fn analyse(audit: &Audit, cycle: &Cycle, as_of: Date) -> Analysis {
    let ledger = Ledger::build(audit, as_of);
    ledger
        .cycle(&cycle.id)
        .map(|r| r.analysis.clone())
        .expect("the ledger holds every cycle of the audit")
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
        mean_2dp(&rated)
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
