//! Practitioner surveys: per item, how many answered and the share at each point of the scale;
//! the agreement share; and each practice question's reading on the framework's scale.
//!
//! **Agreement** is the share of an item's answers in the upper half of its scale: the top two
//! points of a five-point scale, the top two of four, the top three of seven. The middle point
//! of an odd scale ("neither agree nor disagree") is neither.
//!
//! **The rule for a question.** A question's agreement pools every answer to the items that
//! name it, across the cycle's surveys: agreeing answers ÷ answers. It is mapped onto the
//! framework's scale linearly, `bottom + agreement × (top − bottom)`, and reported at the
//! nearest level, a tie going to the lower level (assurance is not assumed). On the bundled
//! four-level scale (0 to 3): under 17% agreeing reads as "no assurance", 17% to 50% as
//! "limited", over 50% to 83% as "reasonable", over 83% as "substantial". More disagreement
//! never raises the reading, and the triangulation only lets a lower deep-dive reading raise
//! a self-assessment's score, so more disagreement never lowers a score.

use crate::model::{Cycle, Framework, Survey};
use std::collections::BTreeMap;

/// The first point of a scale of `points` that counts as agreeing.
pub fn agree_from(points: usize) -> usize {
    points - points / 2
}

/// The middle point of an odd scale, which is neither agreeing nor disagreeing.
pub fn neutral(points: usize) -> Option<usize> {
    (points % 2 == 1).then_some(points / 2)
}

/// Answers counted on one scale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    /// Count at each point, lowest first.
    pub counts: Vec<usize>,
}

impl Tally {
    pub fn new(points: usize) -> Tally {
        Tally {
            counts: vec![0; points],
        }
    }

    pub fn responses(&self) -> usize {
        self.counts.iter().sum()
    }

    pub fn agreeing(&self) -> usize {
        self.counts[agree_from(self.counts.len())..].iter().sum()
    }

    pub fn disagreeing(&self) -> usize {
        self.counts[..self.counts.len() / 2].iter().sum()
    }

    /// The share at each point (0 to 1); all zero with no answers.
    pub fn shares(&self) -> Vec<f64> {
        let n = self.responses();
        self.counts
            .iter()
            .map(|&c| if n == 0 { 0.0 } else { c as f64 / n as f64 })
            .collect()
    }

    /// The share agreeing; None with no answers.
    pub fn agreement(&self) -> Option<f64> {
        let n = self.responses();
        (n > 0).then(|| self.agreeing() as f64 / n as f64)
    }
}

/// One item's results, overall and by `group_by` value (groups sorted by name).
#[derive(Debug, Clone)]
pub struct ItemResult {
    pub column: String,
    pub questions: Vec<String>,
    pub scale: Vec<String>,
    pub all: Tally,
    pub groups: Vec<(String, Tally)>,
}

pub fn item_results(survey: &Survey) -> Vec<ItemResult> {
    survey
        .items
        .iter()
        .map(|item| {
            let mut all = Tally::new(item.scale.len());
            let mut groups: BTreeMap<String, Tally> = BTreeMap::new();
            for a in &item.answers {
                all.counts[a.point] += 1;
                let g = a.group.clone().unwrap_or_else(|| "Not given".to_string());
                groups
                    .entry(g)
                    .or_insert_with(|| Tally::new(item.scale.len()))
                    .counts[a.point] += 1;
            }
            ItemResult {
                column: item.column.clone(),
                questions: item.questions.clone(),
                scale: item.scale.clone(),
                all,
                groups: groups.into_iter().collect(),
            }
        })
        .collect()
}

/// What a cycle's surveys say on one practice question.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub question: String,
    /// Answers to the items naming the question, pooled.
    pub answers: usize,
    pub agreeing: usize,
    /// The items that name it.
    pub items: usize,
    /// The fewest answers any of those items had: what small-number rules judge.
    pub fewest: usize,
    pub agreement: f64,
    /// The agreement on the framework's scale, at the nearest level.
    pub rating: f64,
}

/// Each question the cycle's surveys bear on, with at least one answer.
pub fn readings(cycle: &Cycle, fw: &Framework) -> BTreeMap<String, Reading> {
    let mut out: BTreeMap<String, Reading> = BTreeMap::new();
    for survey in &cycle.surveys {
        for r in item_results(survey) {
            let n = r.all.responses();
            if n == 0 {
                continue;
            }
            for q in &r.questions {
                let e = out.entry(q.clone()).or_insert_with(|| Reading {
                    question: q.clone(),
                    answers: 0,
                    agreeing: 0,
                    items: 0,
                    fewest: usize::MAX,
                    agreement: 0.0,
                    rating: 0.0,
                });
                e.answers += n;
                e.agreeing += r.all.agreeing();
                e.items += 1;
                e.fewest = e.fewest.min(n);
            }
        }
    }
    for e in out.values_mut() {
        e.agreement = e.agreeing as f64 / e.answers as f64;
        e.rating = on_scale(e.agreement, fw);
    }
    out
}

/// An agreement share (0 to 1) on the framework's scale: linearly from bottom to top, at the
/// nearest level, a tie going to the lower.
pub fn on_scale(agreement: f64, fw: &Framework) -> f64 {
    let (lo, hi) = (f64::from(fw.bottom()), f64::from(fw.top()));
    let at = lo + agreement.clamp(0.0, 1.0) * (hi - lo);
    let mut best: Option<f64> = None;
    for l in &fw.scale {
        let v = f64::from(l.value);
        let better = match best {
            None => true,
            Some(b) => (v - at).abs() < (b - at).abs() - 1e-9,
        };
        if better {
            best = Some(v);
        }
    }
    best.unwrap_or(lo)
}

/// "72% of 48", as pages and the evidence basis write an agreement share.
pub fn percent(share: f64) -> String {
    format!("{}%", (share * 100.0).round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testkit::*;
    use crate::model::*;
    use proptest::prelude::*;

    #[test]
    fn agreement_is_the_upper_half() {
        assert_eq!(agree_from(5), 3);
        assert_eq!(agree_from(4), 2);
        assert_eq!(agree_from(7), 4);
        assert_eq!(neutral(5), Some(2));
        assert_eq!(neutral(4), None);
        let t = Tally {
            counts: vec![1, 2, 3, 4, 10],
        };
        assert_eq!(t.agreeing(), 14);
        assert_eq!(t.disagreeing(), 3);
        assert_eq!(t.agreement(), Some(0.7));
    }

    #[test]
    fn the_rule_maps_linearly_to_the_nearest_level_ties_down() {
        let fw = framework(&[0, 1, 2, 3], &[("t", 1.0)], &[("t-p-01", "t")]);
        assert_eq!(on_scale(0.0, &fw), 0.0);
        assert_eq!(on_scale(0.16, &fw), 0.0);
        assert_eq!(on_scale(0.5, &fw), 1.0);
        assert_eq!(on_scale(0.51, &fw), 2.0);
        assert_eq!(on_scale(0.75, &fw), 2.0);
        assert_eq!(on_scale(0.84, &fw), 3.0);
        assert_eq!(on_scale(1.0, &fw), 3.0);
    }

    /// A self-assessment rating `q` at `agency_rating` and a later survey cycle with one item
    /// on `q` answered `points` (0 to 4 on the default five-point scale).
    fn programme(agency_rating: u32, points: &[usize]) -> (Audit, Cycle) {
        let fw = framework(&[0, 1, 2, 3], &[("t", 1.0)], &[("t-p-01", "t")]);
        let mut a = audit(fw, &[("police", true)]);
        let mut sa = cycle("2025-26");
        answer(
            &mut sa,
            "police",
            "t-p-01",
            Rating::Value(agency_rating),
            Confidence::High,
        );
        let mut sv = cycle("2026-q2");
        sv.method = Method::Survey;
        sv.surveys = vec![Survey {
            name: "s".into(),
            title: "S".into(),
            loc: Default::default(),
            group_by: None,
            respondents: points.len(),
            items: vec![SurveyItem {
                column: "I ask".into(),
                loc: Default::default(),
                questions: vec!["t-p-01".into()],
                scale: ["SD", "D", "N", "A", "SA"].map(String::from).to_vec(),
                scale_loc: Default::default(),
                answers: points
                    .iter()
                    .map(|&point| SurveyAnswer { point, group: None })
                    .collect(),
            }],
        }];
        a.cycles = vec![sa.clone(), sv];
        (a, sa)
    }

    fn score(agency_rating: u32, points: &[usize]) -> (f64, bool) {
        let (a, sa) = programme(agency_rating, points);
        let an = crate::analysis::analyse(&a, &sa, sa.closed);
        let s = &an.ranking.priorities[0];
        (
            s.score,
            s.flags
                .contains(&crate::analysis::score::Flag::EvidenceConflict),
        )
    }

    #[test]
    fn survey_disagreement_raises_a_conflict_with_the_agencies() {
        // Agencies say substantial (3); 3 of 12 practitioners agree: 25%, limited (1).
        let points = [0, 1, 1, 1, 2, 2, 2, 1, 0, 3, 4, 3];
        let (with_survey, conflict) = score(3, &points);
        assert!(conflict);
        let (without, _) = score(3, &[]);
        assert!(with_survey > without);
    }

    proptest! {
        #[test]
        fn more_disagreement_never_lowers_a_score(
            rating in 0u32..4,
            points in prop::collection::vec(0usize..5, 1..40),
            which in 0usize..40,
        ) {
            let i = which % points.len();
            prop_assume!(points[i] > 0);
            let mut worse = points.clone();
            worse[i] -= 1;
            let (before, _) = score(rating, &points);
            let (after, _) = score(rating, &worse);
            prop_assert!(after >= before - 1e-9, "{before} -> {after}");
        }
    }
}
