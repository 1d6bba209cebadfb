//! Answers counted by rating: for tables, charts and the means the views report.

use crate::model::{Answer, Audit, Confidence, Cycle, Framework, Question, Rating, Response};
use std::collections::BTreeMap;

/// Answers counted by rating: how many gave each scale value, and how many "not applicable".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RatingCounts {
    pub by_value: BTreeMap<u32, usize>,
    pub not_applicable: usize,
}

impl RatingCounts {
    pub fn of<'a>(answers: impl IntoIterator<Item = &'a Answer>) -> RatingCounts {
        let mut counts = RatingCounts::default();
        for a in answers {
            match a.rating {
                Rating::Value(v) => *counts.by_value.entry(v).or_default() += 1,
                Rating::NotApplicable => counts.not_applicable += 1,
            }
        }
        counts
    }

    /// Answers giving the scale value `value`.
    pub fn at(&self, value: u32) -> usize {
        self.by_value.get(&value).copied().unwrap_or(0)
    }

    /// Every answer counted, "not applicable" included.
    pub fn total(&self) -> usize {
        self.by_value.values().sum::<usize>() + self.not_applicable
    }
}

/// Every answer a cycle's returns gave to a question in its scope, counted.
pub fn scope_answers(cycle: &Cycle, fw: &Framework) -> RatingCounts {
    let asked: Vec<&str> = cycle.questions(fw).map(|q| q.id.as_str()).collect();
    RatingCounts::of(cycle.responses.iter().flat_map(|r| {
        r.answers
            .iter()
            .filter(|(q, _)| asked.contains(&q.as_str()))
            .map(|(_, a)| a)
    }))
}

/// One return's answers to the questions `asked`, counted.
pub fn return_answers(response: &Response, asked: &[&Question]) -> RatingCounts {
    RatingCounts::of(asked.iter().filter_map(|q| response.answers.get(&q.id)))
}

/// How the agencies taking part in a cycle answered one question, counted: never who said what.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerTally {
    /// Agencies the cycle asked for a return.
    pub agencies: usize,
    /// The ratings given ("not applicable" left out), in the partnership's order of agencies.
    pub ratings: Vec<u32>,
    /// The confidence behind each of those ratings.
    pub confidence: Vec<Confidence>,
    pub not_applicable: usize,
    /// Agencies asked that gave no answer (or no return).
    pub unanswered: usize,
}

impl AnswerTally {
    pub fn of(audit: &Audit, cycle: &Cycle, question: &str) -> AnswerTally {
        let agencies = cycle.agencies(&audit.partnership).count();
        let answers: Vec<&Answer> = cycle
            .agencies(&audit.partnership)
            .filter_map(|a| cycle.response(&a.id).and_then(|r| r.answers.get(question)))
            .collect();
        let rated: Vec<(u32, Confidence)> = answers
            .iter()
            .filter_map(|a| a.rating.value().map(|v| (v, a.confidence)))
            .collect();
        AnswerTally {
            agencies,
            ratings: rated.iter().map(|r| r.0).collect(),
            confidence: rated.iter().map(|r| r.1).collect(),
            not_applicable: answers
                .iter()
                .filter(|a| a.rating == Rating::NotApplicable)
                .count(),
            unanswered: agencies.saturating_sub(answers.len()),
        }
    }

    /// Ratings giving the scale value `value`.
    pub fn at(&self, value: u32) -> usize {
        self.ratings.iter().filter(|&&v| v == value).count()
    }

    /// Ratings given with confidence `c`.
    pub fn with_confidence(&self, c: Confidence) -> usize {
        self.confidence.iter().filter(|&&x| x == c).count()
    }

    /// The lowest and highest rating given.
    pub fn range(&self) -> Option<(u32, u32)> {
        self.ratings
            .iter()
            .min()
            .copied()
            .zip(self.ratings.iter().max().copied())
    }

    /// The plain mean of the ratings given (not the pulled aggregate the score uses).
    pub fn mean(&self) -> Option<f64> {
        (!self.ratings.is_empty()).then(|| {
            self.ratings.iter().map(|&v| f64::from(v)).sum::<f64>() / self.ratings.len() as f64
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testkit::*;
    use crate::analysis::*;

    /// Two themes; council answers both questions, police only q1 ("not applicable").
    fn world() -> (Audit, Cycle) {
        let mut a = audit(
            framework(
                &[1, 2, 3, 4],
                &[("t", 1.0), ("u", 1.0)],
                &[("q1", "t"), ("q2", "u")],
            ),
            &[("council", true), ("police", true), ("health", false)],
        );
        let mut c = cycle("2025-26");
        answer(&mut c, "council", "q1", Rating::Value(2), Confidence::High);
        answer(&mut c, "council", "q2", Rating::Value(4), Confidence::Low);
        answer(
            &mut c,
            "police",
            "q1",
            Rating::NotApplicable,
            Confidence::Medium,
        );
        answer(&mut c, "health", "q1", Rating::Value(3), Confidence::Low);
        a.cycles = vec![c.clone()];
        (a, c)
    }

    #[test]
    fn rating_counts_split_values_from_not_applicable() {
        let (a, c) = world();
        let counts = scope_answers(&c, a.framework("fw"));
        assert_eq!((counts.at(2), counts.at(3), counts.at(4)), (1, 1, 1));
        assert_eq!(counts.at(1), 0);
        assert_eq!(counts.not_applicable, 1);
        assert_eq!(counts.total(), 4);
        let fw = a.framework("fw");
        let asked: Vec<&Question> = c.questions(fw).collect();
        let council = return_answers(c.response("council").unwrap(), &asked);
        assert_eq!((council.at(2), council.at(4), council.total()), (1, 1, 2));
    }

    #[test]
    fn a_tally_counts_one_questions_answers_without_naming_agencies() {
        let (a, c) = world();
        let t = AnswerTally::of(&a, &c, "q1");
        assert_eq!(t.agencies, 3);
        assert_eq!(t.ratings, vec![2, 3]);
        assert_eq!((t.not_applicable, t.unanswered), (1, 0));
        assert_eq!(t.range(), Some((2, 3)));
        assert_eq!(t.mean(), Some(2.5));
        assert_eq!(t.with_confidence(Confidence::Low), 1);
        let t = AnswerTally::of(&a, &c, "q2");
        assert_eq!((t.ratings.len(), t.unanswered), (1, 2));
    }

    #[test]
    fn means_come_from_the_ranked_questions_and_frameworks_must_all_match() {
        let (a, c) = world();
        let x = analyse(&a, &c, c.closed);
        let rated: Vec<f64> = x
            .ranking
            .priorities
            .iter()
            .filter_map(|s| s.rating)
            .collect();
        // To 2 places, so the figure has the same digits on every surface.
        assert_eq!(x.mean_rating(), mean_2dp(&rated));
        assert_eq!(x.theme_mean("u"), Some(4.0));
        assert_eq!(x.theme_mean("nope"), None);
        assert_eq!(shared_framework(&[Some(&x), Some(&x)]), Some("fw"));
        assert_eq!(shared_framework(&[Some(&x), None]), None);
        assert_eq!(shared_framework(&[]), None);
    }

    #[test]
    fn a_rise_or_a_fall_is_a_move_of_at_least_the_threshold() {
        assert_eq!(movement(Some(1.0), Some(0.75), 0.25), Movement::Fell);
        assert_eq!(movement(Some(1.0), Some(0.67), 0.25), Movement::Fell);
        assert_eq!(movement(Some(1.0), Some(0.8), 0.25), Movement::Steady);
        assert_eq!(movement(Some(2.0), Some(2.3), 0.25), Movement::Rose);
        assert_eq!(movement(Some(2.0), Some(2.2), 0.25), Movement::Steady);
        assert_eq!(movement(None, Some(2.0), 0.25), Movement::NotComparable);
        assert_eq!(movement(Some(2.0), Some(2.2), 0.1), Movement::Rose);
    }
}
