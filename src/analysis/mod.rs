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
//! - `disclosure`: which counts a public page may show (small numbers).
//! - `returns`: which agencies sent their return, partly answered, empty or not at all.
//! - `survey`: practitioner surveys counted per item, and their reading of each question.

pub mod cases;
mod change;
mod counts;
pub mod disclosure;
pub mod evidence;
pub mod plan;
pub mod prioritise;
#[cfg(test)]
mod properties;
mod report;
pub mod returns;
pub mod score;
pub mod survey;
#[cfg(test)]
pub(crate) mod testkit;

pub use change::*;
pub use counts::*;
pub use report::*;

use crate::model::{Audit, Cycle, Date, Method};
use plan::Plan;
use prioritise::Ranking;
use score::QuestionScore;
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
    /// The deep dives whose evidence weighed on this cycle's scores (self-assessments only).
    pub deep_dives: Vec<String>,
    /// The partnership's `priority.change_threshold`: the move that counts as a rise or a fall.
    pub change_threshold: f64,
    pub ranking: Ranking,
    pub plan: Plan,
    /// The text of every question the cycle asked, by id.
    pub question_text: BTreeMap<String, String>,
    /// The framework's rating scale: its ends and their labels.
    pub scale: ScaleBounds,
}

/// The two ends of a framework's rating scale, with their labels.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScaleBounds {
    pub bottom: u32,
    pub bottom_label: String,
    pub top: u32,
    pub top_label: String,
}

/// Scores, ranks and plans one cycle. `as_of` is the day "overdue" is judged on: today, or
/// the date a user gives (`--as-of`), never a cycle's closing date.
pub fn analyse(audit: &Audit, cycle: &Cycle, as_of: Date) -> Analysis {
    finish(audit, cycle, &base_scores(audit), as_of)
}

/// Every cycle of the audit, oldest first (for trends across cycles).
pub fn analyse_all(audit: &Audit, as_of: Date) -> Vec<Analysis> {
    let base = base_scores(audit);
    audit
        .cycles
        .iter()
        .map(|c| finish(audit, c, &base, as_of))
        .collect()
}

/// Each cycle scored on its own evidence, with its change since its comparable cycle: what
/// the programme-wide steps (deep-dive evidence, action coverage) read.
type Base = BTreeMap<String, (Vec<QuestionScore>, Vec<String>)>;

fn base_scores(audit: &Audit) -> Base {
    audit
        .cycles
        .iter()
        .map(|c| (c.id.clone(), score::score_cycle(audit, c)))
        .collect()
}

fn finish(audit: &Audit, cycle: &Cycle, base: &Base, as_of: Date) -> Analysis {
    let (mut scores, not_applicable) = base.get(&cycle.id).cloned().unwrap_or_default();
    // Deep-dive evidence, the latest dive's reading of each question winning.
    let dives = audit.deep_dives_for(cycle);
    let mut found = BTreeMap::new();
    for d in &dives {
        if let Some((s, _)) = base.get(&d.id) {
            found.extend(evidence::of_cycle(audit, d, s));
        }
    }
    score::triangulate(audit, cycle, &mut scores, &found);
    let ranking = prioritise::prioritise(audit, cycle, scores, not_applicable);
    let elsewhere = programme_scores(audit, cycle, &ranking, base);
    let plan = plan::plan(&audit.actions, &ranking, &elsewhere, as_of);
    let comparison = audit
        .comparable_cycle(cycle)
        .and_then(|p| change::compare(audit, cycle, p, &ranking, base));
    let fw = audit.frameworks.get(&cycle.framework);
    let question_text = fw
        .map(|fw| {
            cycle
                .questions(fw)
                .map(|q| (q.id.clone(), q.text.clone()))
                .collect()
        })
        .unwrap_or_default();
    let scale = fw.map_or_else(ScaleBounds::default, |fw| ScaleBounds {
        bottom: fw.bottom(),
        bottom_label: fw.scale.first().map_or(String::new(), |l| l.label.clone()),
        top: fw.top(),
        top_label: fw.scale.last().map_or(String::new(), |l| l.label.clone()),
    });
    Analysis {
        partnership: audit.partnership.name.clone(),
        short_name: audit.partnership.short_name.clone(),
        folder: audit.folder.clone(),
        cycle: cycle.id.clone(),
        cycle_title: cycle.title.clone(),
        period: cycle.period.clone(),
        method: cycle.method,
        framework: cycle.framework.clone(),
        previous_cycle: audit.comparable_cycle(cycle).map(|c| c.id.clone()),
        comparison,
        deep_dives: dives.iter().map(|d| d.id.clone()).collect(),
        change_threshold: audit.partnership.change_threshold,
        ranking,
        plan,
        question_text,
        scale,
    }
}

/// The latest score of every question this cycle did not ask, from whichever cycle asked it
/// last: an action's risk is that of its questions in their latest evidence, so an action on a
/// question only a deep dive asked still carries that question's risk.
fn programme_scores(
    audit: &Audit,
    cycle: &Cycle,
    ranking: &Ranking,
    base: &Base,
) -> Vec<QuestionScore> {
    let mut seen: std::collections::BTreeSet<&str> = ranking
        .priorities
        .iter()
        .map(|s| s.question.as_str())
        .chain(ranking.not_applicable.iter().map(String::as_str))
        .collect();
    let mut out: Vec<QuestionScore> = Vec::new();
    for other in audit.cycles.iter().rev().filter(|c| c.id != cycle.id) {
        let Some((scores, _)) = base.get(&other.id) else {
            continue;
        };
        for s in scores {
            if seen.insert(s.question.as_str()) {
                out.push(s.clone());
            }
        }
    }
    // After the ranked questions, highest risk first.
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.question.cmp(&b.question))
    });
    let ranked = ranking.priorities.len();
    for (i, s) in out.iter_mut().enumerate() {
        s.rank = ranked + i + 1;
    }
    out
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
