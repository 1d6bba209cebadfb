//! Which way a theme or a question moved between two cycles: one definition of "rose" and
//! "fell" (a move of at least `priority.change_threshold` scale points), applied like for
//! like, over the questions both cycles asked.

use super::Analysis;
use super::prioritise::Ranking;
use super::score::QuestionScore;
use crate::model::{Audit, Cycle, Method};
use serde::Serialize;
use std::collections::BTreeMap;

/// Whether a rating rose, fell or held between two comparable cycles. The one definition the
/// site, `rank` and the data files share: a move of at least the partnership's
/// `priority.change_threshold` scale points (default 0.25).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Movement {
    Rose,
    Fell,
    Steady,
    /// One of the two has no rating.
    NotComparable,
}

pub fn movement(before: Option<f64>, now: Option<f64>, threshold: f64) -> Movement {
    match (before, now) {
        // A hair's tolerance so that 1.00 → 0.75 at a 0.25 threshold counts, whatever the
        // floating point says.
        (Some(b), Some(n)) if n - b >= threshold - 1e-9 => Movement::Rose,
        (Some(b), Some(n)) if b - n >= threshold - 1e-9 => Movement::Fell,
        (Some(_), Some(_)) => Movement::Steady,
        _ => Movement::NotComparable,
    }
}

/// Like-for-like change between a cycle and its comparable cycle (the previous one of the same
/// method, or the one `compare_with` names), over the questions both asked and rated.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// The comparable cycle's id, and its method.
    pub cycle: String,
    pub method: Method,
    /// The move that counts as a rise or a fall, in scale points.
    pub threshold: f64,
    /// Questions ranked in this cycle, in the comparable one, and in both (with a rating in
    /// both): only the last are compared.
    pub asked_now: usize,
    pub asked_then: usize,
    pub shared: usize,
    /// Questions that rose or fell by the threshold or more, biggest move first.
    pub rose: Vec<QuestionMove>,
    pub fell: Vec<QuestionMove>,
    /// Shared questions that moved less than the threshold.
    pub steady: usize,
    /// Each theme's average over its shared questions only, in framework order.
    pub themes: Vec<ThemeMove>,
}

impl Comparison {
    /// The two cycles did not ask the same questions, so the comparison covers only some.
    pub fn scope_differs(&self) -> bool {
        self.asked_now != self.shared || self.asked_then != self.shared
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionMove {
    pub question: String,
    pub theme: String,
    pub before: f64,
    pub now: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThemeMove {
    pub theme: String,
    /// Shared questions the averages are over.
    pub questions: usize,
    pub before: Option<f64>,
    pub now: Option<f64>,
    pub movement: Movement,
}

/// Compares `cycle`'s ranking with `then`'s scores, like for like.
pub fn compare(
    audit: &Audit,
    cycle: &Cycle,
    then: &Cycle,
    ranking: &Ranking,
    base: &BTreeMap<String, (Vec<QuestionScore>, Vec<String>)>,
) -> Option<Comparison> {
    let (then_scores, _) = base.get(&then.id)?;
    let threshold = audit.partnership.change_threshold;
    let before: BTreeMap<&str, f64> = then_scores
        .iter()
        .filter_map(|s| s.rating.map(|r| (s.question.as_str(), r)))
        .collect();
    let pairs: Vec<(&QuestionScore, f64, f64)> = ranking
        .priorities
        .iter()
        .filter_map(|s| Some((s, *before.get(s.question.as_str())?, s.rating?)))
        .collect();
    let mut rose = Vec::new();
    let mut fell = Vec::new();
    let mut steady = 0;
    for (s, b, n) in &pairs {
        let m = QuestionMove {
            question: s.question.clone(),
            theme: s.theme.clone(),
            before: *b,
            now: *n,
        };
        match movement(Some(*b), Some(*n), threshold) {
            Movement::Rose => rose.push(m),
            Movement::Fell => fell.push(m),
            _ => steady += 1,
        }
    }
    let size = |m: &QuestionMove| (m.now - m.before).abs();
    rose.sort_by(|x, y| {
        size(y)
            .total_cmp(&size(x))
            .then(x.question.cmp(&y.question))
    });
    fell.sort_by(|x, y| {
        size(y)
            .total_cmp(&size(x))
            .then(x.question.cmp(&y.question))
    });
    let mean = |v: &[f64]| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
    let themes = ranking
        .themes
        .iter()
        .map(|t| {
            let shared: Vec<&(&QuestionScore, f64, f64)> = pairs
                .iter()
                .filter(|(s, _, _)| s.theme == t.theme)
                .collect();
            let b: Vec<f64> = shared.iter().map(|p| p.1).collect();
            let n: Vec<f64> = shared.iter().map(|p| p.2).collect();
            let (before, now) = (mean(&b), mean(&n));
            ThemeMove {
                theme: t.theme.clone(),
                questions: shared.len(),
                before,
                now,
                movement: movement(before, now, threshold),
            }
        })
        .collect();
    let _ = cycle;
    Some(Comparison {
        cycle: then.id.clone(),
        method: then.method,
        threshold,
        asked_now: ranking.priorities.len(),
        asked_then: then_scores.len(),
        shared: pairs.len(),
        rose,
        fell,
        steady,
        themes,
    })
}

/// The framework every partnership's latest cycle used, when they all used the same one: only
/// then are their themes comparable. None when any partnership has no cycle.
pub fn shared_framework<'a>(latest: &[Option<&'a Analysis>]) -> Option<&'a str> {
    let frameworks: Vec<Option<&str>> = latest
        .iter()
        .map(|a| a.map(|a| a.framework.as_str()))
        .collect();
    match frameworks.first() {
        Some(Some(first)) if frameworks.iter().all(|f| f == &Some(*first)) => Some(*first),
        _ => None,
    }
}
