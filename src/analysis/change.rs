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
    /// Questions each cycle asked, and both asked.
    pub asked_now: usize,
    pub asked_then: usize,
    pub asked_both: usize,
    /// Questions both asked with a rating in both: only these are compared.
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
        self.asked_now != self.asked_both || self.asked_then != self.asked_both
    }

    /// Questions both asked that one of them left without a rating (left out of the change).
    pub fn unrated(&self) -> usize {
        self.asked_both - self.shared
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

/// Compares a cycle's ranking with `then`'s scores, like for like: assessed ratings over the
/// questions both asked and rated, each theme's average over those questions alone.
pub fn compare(
    audit: &Audit,
    then: &Cycle,
    ranking: &Ranking,
    base: &BTreeMap<String, (Vec<QuestionScore>, Vec<String>)>,
) -> Option<Comparison> {
    let (then_scores, then_na) = base.get(&then.id)?;
    let asked_then: std::collections::BTreeSet<&str> = then_scores
        .iter()
        .map(|s| s.question.as_str())
        .chain(then_na.iter().map(String::as_str))
        .collect();
    let asked_now: std::collections::BTreeSet<&str> = ranking
        .priorities
        .iter()
        .map(|s| s.question.as_str())
        .chain(ranking.not_applicable.iter().map(String::as_str))
        .collect();
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
    let (rose, fell, steady) = question_moves(&pairs, threshold);
    let themes = theme_moves(ranking, &pairs, threshold);
    let asked_both = asked_now.intersection(&asked_then).count();
    if asked_both == 0 {
        // Nothing in common (another bank, another theme): there is no like for like.
        return None;
    }
    Some(Comparison {
        cycle: then.id.clone(),
        method: then.method,
        threshold,
        asked_now: asked_now.len(),
        asked_then: asked_then.len(),
        asked_both,
        shared: pairs.len(),
        rose,
        fell,
        steady,
        themes,
    })
}

/// The questions both cycles rated, as (score, rating then, rating now): those that rose
/// and fell, largest move first (then by id), and how many held.
fn question_moves(
    pairs: &[(&QuestionScore, f64, f64)],
    threshold: f64,
) -> (Vec<QuestionMove>, Vec<QuestionMove>, usize) {
    let mut rose = Vec::new();
    let mut fell = Vec::new();
    let mut steady = 0;
    for (s, b, n) in pairs {
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
    for moves in [&mut rose, &mut fell] {
        moves.sort_by(|x, y| {
            size(y)
                .total_cmp(&size(x))
                .then(x.question.cmp(&y.question))
        });
    }
    (rose, fell, steady)
}

/// Each theme's average before and now over its questions both cycles rated, and its move.
fn theme_moves(
    ranking: &Ranking,
    pairs: &[(&QuestionScore, f64, f64)],
    threshold: f64,
) -> Vec<ThemeMove> {
    ranking
        .themes
        .iter()
        .map(|t| {
            let shared: Vec<&(&QuestionScore, f64, f64)> = pairs
                .iter()
                .filter(|(s, _, _)| s.theme == t.theme)
                .collect();
            let b: Vec<f64> = shared.iter().map(|p| p.1).collect();
            let n: Vec<f64> = shared.iter().map(|p| p.2).collect();
            let (before, now) = (super::mean_2dp(&b), super::mean_2dp(&n));
            ThemeMove {
                theme: t.theme.clone(),
                questions: shared.len(),
                before,
                now,
                movement: movement(before, now, threshold),
            }
        })
        .collect()
}

/// Each theme's average rating across the cycles of one framework and method, up to a cycle:
/// like for like, every average is over the questions **every** cycle of the trend asked and
/// rated, so a line never moves because the question set changed.
#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    /// The cycles, oldest first (at least two).
    pub cycles: Vec<String>,
    /// Questions every cycle of the trend asked and rated.
    pub questions: usize,
    pub themes: Vec<ThemeTrend>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThemeTrend {
    pub theme: String,
    /// The theme's questions among those every cycle rated.
    pub questions: usize,
    /// Its average in each cycle, to 2 places (None: none of its questions is common).
    pub means: Vec<Option<f64>>,
}

/// The trend up to `cycle`, over its framework and method; None with fewer than two cycles.
pub fn trend(
    audit: &Audit,
    cycle: &Cycle,
    ranking: &Ranking,
    base: &BTreeMap<String, (Vec<QuestionScore>, Vec<String>)>,
) -> Option<Trend> {
    let same: Vec<&Vec<QuestionScore>> = audit
        .cycles
        .iter()
        .filter(|c| c.id <= cycle.id && c.framework == cycle.framework && c.method == cycle.method)
        .filter_map(|c| base.get(&c.id).map(|(s, _)| s))
        .collect();
    if same.len() < 2 {
        return None;
    }
    let rated = |scores: &Vec<QuestionScore>, q: &str| {
        scores
            .iter()
            .find(|s| s.question == q)
            .and_then(|s| s.rating)
    };
    let common: Vec<&QuestionScore> = ranking
        .priorities
        .iter()
        .filter(|s| {
            same.iter()
                .all(|scores| rated(scores, &s.question).is_some())
        })
        .collect();
    let themes = ranking
        .themes
        .iter()
        .map(|t| {
            let qs: Vec<&str> = common
                .iter()
                .filter(|s| s.theme == t.theme)
                .map(|s| s.question.as_str())
                .collect();
            let means = same
                .iter()
                .map(|scores| {
                    let v: Vec<f64> = qs.iter().filter_map(|q| rated(scores, q)).collect();
                    super::mean_2dp(&v)
                })
                .collect();
            ThemeTrend {
                theme: t.theme.clone(),
                questions: qs.len(),
                means,
            }
        })
        .collect();
    let ids = audit
        .cycles
        .iter()
        .filter(|c| c.id <= cycle.id && c.framework == cycle.framework && c.method == cycle.method)
        .filter(|c| base.contains_key(&c.id))
        .map(|c| c.id.clone())
        .collect();
    Some(Trend {
        cycles: ids,
        questions: common.len(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyse;
    use crate::analysis::testkit::*;
    use crate::model::{Confidence, Rating};

    /// A bank of four questions in one theme; the earlier cycle asks two, the later all four.
    fn growing() -> (Audit, Cycle) {
        let fw = framework(
            &[0, 1, 2, 3],
            &[("t", 1.0)],
            &[("q-1", "t"), ("q-2", "t"), ("q-3", "t"), ("q-4", "t")],
        );
        let mut a = audit(fw, &[("council", true)]);
        // The earlier cycle has ratings for q-1 and q-2 only; the later one for all four.
        let mut then = cycle("2024-25");
        for q in ["q-1", "q-2"] {
            answer(&mut then, "council", q, Rating::Value(1), Confidence::High);
        }
        let mut now = cycle("2025-26");
        for q in ["q-1", "q-2"] {
            answer(&mut now, "council", q, Rating::Value(1), Confidence::High);
        }
        for q in ["q-3", "q-4"] {
            answer(&mut now, "council", q, Rating::Value(3), Confidence::High);
        }
        a.cycles = vec![then, now.clone()];
        (a, now)
    }

    #[test]
    fn a_question_set_that_grows_does_not_turn_flat_into_improved() {
        let (a, now) = growing();
        let an = analyse(&a, &now, now.closed);
        let c = an.comparison.expect("a comparison with 2024-25");
        // Both asked all four, but only q-1 and q-2 have a rating in both: only they compare.
        assert_eq!((c.asked_now, c.asked_both, c.shared), (4, 4, 2), "{c:?}");
        assert!(!c.scope_differs());
        assert_eq!(c.unrated(), 2);
        assert!(c.rose.is_empty() && c.fell.is_empty(), "{c:?}");
        assert_eq!(c.themes[0].movement, Movement::Steady, "{c:?}");
        assert_eq!(c.themes[0].questions, 2);
        // Averaging every question of each cycle would have said "improved": 1.0 → 2.0.
        assert_eq!(c.themes[0].before, Some(1.0));
        assert_eq!(c.themes[0].now, Some(1.0));
    }

    #[test]
    fn a_fall_of_a_third_of_a_level_is_a_fall_and_a_fifth_is_not() {
        let fw = framework(&[0, 1, 2, 3], &[("t", 1.0)], &[("q-1", "t"), ("q-2", "t")]);
        let mut a = audit(fw, &[("council", true), ("police", true), ("icb", true)]);
        let mut then = cycle("2024-25");
        let mut now = cycle("2025-26");
        for agency in ["council", "police", "icb"] {
            for q in ["q-1", "q-2"] {
                answer(&mut then, agency, q, Rating::Value(1), Confidence::High);
            }
        }
        // q-1: one agency of three drops to 0: the aggregate falls from 1.00 to below 0.75.
        answer(
            &mut now,
            "council",
            "q-1",
            Rating::Value(0),
            Confidence::High,
        );
        answer(
            &mut now,
            "police",
            "q-1",
            Rating::Value(1),
            Confidence::High,
        );
        answer(&mut now, "icb", "q-1", Rating::Value(1), Confidence::High);
        for agency in ["council", "police", "icb"] {
            answer(&mut now, agency, "q-2", Rating::Value(1), Confidence::High);
        }
        a.cycles = vec![then, now.clone()];
        let c = analyse(&a, &now, now.closed).comparison.unwrap();
        assert_eq!(c.fell.len(), 1, "{c:?}");
        assert_eq!(c.fell[0].question, "q-1");
        assert!(c.fell[0].before - c.fell[0].now >= 0.25);
        assert_eq!(c.steady, 1);
    }
}
