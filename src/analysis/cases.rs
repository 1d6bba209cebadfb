//! A case audit's results: for each question, how many audited cases met the standard, partly
//! met it, did not meet it, or were not applicable, and a rating on the framework's scale.
//!
//! **The rating rule.** Over the cases that judged a question (met, partly or not met; "n/a"
//! left out), share = (met + ½ × partly) ÷ judged. The share is laid linearly over the scale
//! (0 is its lowest value, 1 its highest) and reported at the nearest level; exactly half way
//! between two levels goes to the lower one, so a rounding never flatters. On a 0 to 3 scale,
//! 6 of 8 cases met and 2 not met is a share of 0.75, 2.25 on the scale: level 2.

use crate::model::{Cycle, Framework, Judgement};
use serde::Serialize;

/// Cases counted by judgement for one question.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CaseCounts {
    pub met: usize,
    pub partly: usize,
    pub not_met: usize,
    pub not_applicable: usize,
}

impl CaseCounts {
    pub fn add(&mut self, j: Judgement) {
        match j {
            Judgement::Met => self.met += 1,
            Judgement::Partly => self.partly += 1,
            Judgement::NotMet => self.not_met += 1,
            Judgement::NotApplicable => self.not_applicable += 1,
        }
    }

    /// Cases that judged the question (n/a left out).
    pub fn judged(&self) -> usize {
        self.met + self.partly + self.not_met
    }

    /// (met + ½ × partly) ÷ judged; None when no case judged it.
    pub fn share(&self) -> Option<f64> {
        let judged = self.judged();
        (judged > 0).then(|| (self.met as f64 + 0.5 * self.partly as f64) / judged as f64)
    }
}

/// One question's case results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionCases {
    pub question: String,
    pub counts: CaseCounts,
    /// The rating by the rule above; None when no case judged the question.
    pub rating: Option<u32>,
}

/// The level of `fw`'s scale a share (0 to 1) is reported at.
pub fn rating_of_share(share: f64, fw: &Framework) -> Option<u32> {
    let (lo, hi) = (f64::from(fw.bottom()), f64::from(fw.top()));
    let point = lo + share.clamp(0.0, 1.0) * (hi - lo);
    let mut best: Option<(f64, u32)> = None;
    for l in &fw.scale {
        let d = (f64::from(l.value) - point).abs();
        // Levels rise, so on a tie the lower level (seen first) stays.
        if best.is_none_or(|(bd, _)| d < bd - 1e-9) {
            best = Some((d, l.value));
        }
    }
    best.map(|(_, v)| v)
}

/// Each question the cycle asks that at least one case judged, in framework order.
pub fn results(cycle: &Cycle, fw: &Framework) -> Vec<QuestionCases> {
    if cycle.cases.is_empty() {
        return Vec::new();
    }
    cycle
        .questions(fw)
        .filter_map(|q| {
            let mut counts = CaseCounts::default();
            for c in &cycle.cases {
                if let Some(f) = c.findings.get(&q.id) {
                    counts.add(f.judgement);
                }
            }
            let any = counts.judged() + counts.not_applicable > 0;
            any.then(|| QuestionCases {
                question: q.id.clone(),
                rating: counts.share().and_then(|s| rating_of_share(s, fw)),
                counts,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testkit;

    fn fw(scale: &[u32]) -> Framework {
        testkit::framework(scale, &[("t", 1.0)], &[("q-s-01", "t")])
    }

    #[test]
    fn the_rating_rule_lays_the_share_over_the_scale() {
        let f = fw(&[0, 1, 2, 3]);
        // 6 met, 2 not met: 0.75 → 2.25 → 2.
        assert_eq!(rating_of_share(0.75, &f), Some(2));
        // Half met, half not: 1.5, half way, goes to the lower level.
        assert_eq!(rating_of_share(0.5, &f), Some(1));
        assert_eq!(rating_of_share(1.0, &f), Some(3));
        assert_eq!(rating_of_share(0.0, &f), Some(0));
        // A 1 to 5 scale: 0.5 → 3.
        assert_eq!(rating_of_share(0.5, &fw(&[1, 2, 3, 4, 5])), Some(3));
        let c = CaseCounts {
            met: 2,
            partly: 4,
            not_met: 2,
            not_applicable: 3,
        };
        assert_eq!(c.judged(), 8);
        assert_eq!(c.share(), Some(0.5));
    }

    #[test]
    fn reasonable_assurance_with_half_the_cases_not_met_is_a_conflict() {
        use crate::analysis::score::Flag;
        use crate::model::{Confidence, Method, Rating};
        let mut audit = testkit::audit(fw(&[0, 1, 2, 3]), &[("a", true), ("b", true)]);
        let mut main = testkit::cycle("2025-26");
        for a in ["a", "b"] {
            testkit::answer(&mut main, a, "q-s-01", Rating::Value(2), Confidence::High);
        }
        let mut dive = testkit::cycle("2026-q1");
        dive.method = Method::Tabletop;
        for i in 0..8 {
            let j = if i % 2 == 0 {
                Judgement::Met
            } else {
                Judgement::NotMet
            };
            testkit::judge(&mut dive, &format!("C{i:02}"), "q-s-01", j);
        }
        audit.cycles = vec![main.clone()];
        let alone = crate::analysis::analyse(&audit, &main, main.closed);
        audit.cycles.push(dive);
        let a = crate::analysis::analyse(&audit, &main, main.closed);
        let s = &a.ranking.priorities[0];
        assert!(s.flags.contains(&Flag::EvidenceConflict), "{:?}", s.flags);
        let d = s.lowered_by.as_ref().expect("the cases set the rating");
        assert_eq!(d.rating, Some(1.0));
        assert_eq!(d.rests_on(), 8);
        assert_eq!(s.rating, Some(1.0), "the assessed rating is the cases'");
        assert!(s.score > alone.ranking.priorities[0].score);
    }
}
