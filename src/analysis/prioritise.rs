//! Stage 4: rank the scored questions and summarise them by theme.

use crate::analysis::score::QuestionScore;
use crate::model::{Audit, Cycle, Rag};
use serde::Serialize;

/// A cycle's questions ordered by risk.
#[derive(Debug, Clone, Serialize)]
pub struct Ranking {
    pub cycle: String,
    pub framework: String,
    /// Highest score first; ties broken by question id. `rank` is set, from 1.
    pub priorities: Vec<QuestionScore>,
    /// Questions in scope that every agency rated "n/a" (none left them unanswered), or that
    /// moderation rated "n/a": not ranked, listed so that no question drops out of sight.
    pub not_applicable: Vec<String>,
    /// Public builds only: questions whose only rating rests on fewer agencies than the
    /// publication minimum: not ranked in public, listed so that none drops out of sight.
    pub withheld: Vec<String>,
    /// One per theme with a question in scope, in framework order.
    pub themes: Vec<ThemeSummary>,
}

/// Assurance in one theme: what the site's "assurance by theme" shows.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeSummary {
    pub theme: String,
    pub title: String,
    /// The theme's weight for this partnership.
    pub weight: f64,
    /// Mean effective rating of its rated questions; None when none is rated.
    pub mean_rating: Option<f64>,
    /// Mean score of its ranked questions (0 when none is ranked).
    pub mean_score: f64,
    /// Ranked questions in the theme.
    pub questions: usize,
    /// How many ranked questions' effective rating falls in each scale level, lowest level
    /// first (a fractional rating counts in the highest level at or below it).
    pub levels: Vec<LevelCount>,
    /// Ranked questions with no rating at all (nobody answered).
    pub unrated: usize,
    /// Ranked questions with at least one agency's answer missing.
    pub with_unanswered: usize,
    /// Questions of the theme left out of the ranking as not applicable.
    pub not_applicable: usize,
}

/// A count of questions at one level of the scale.
#[derive(Debug, Clone, Serialize)]
pub struct LevelCount {
    pub value: u32,
    pub label: String,
    pub rag: Rag,
    pub count: usize,
}

/// Sorts by score (highest first, ties by question id), sets `rank`, and summarises by theme.
pub fn prioritise(
    audit: &Audit,
    cycle: &Cycle,
    mut scores: Vec<QuestionScore>,
    not_applicable: Vec<String>,
) -> Ranking {
    scores.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.question.cmp(&b.question))
    });
    for (i, s) in scores.iter_mut().enumerate() {
        s.rank = i + 1;
    }
    let fw = audit.framework(&cycle.framework);
    let themes = fw
        .themes
        .iter()
        .filter_map(|t| {
            let of_theme: Vec<&QuestionScore> = scores.iter().filter(|s| s.theme == t.id).collect();
            let na = not_applicable
                .iter()
                .filter(|q| fw.question(q).is_some_and(|q| q.theme == t.id))
                .count();
            if of_theme.is_empty() && na == 0 {
                return None;
            }
            let rated: Vec<f64> = of_theme.iter().filter_map(|s| s.rating).collect();
            Some(ThemeSummary {
                theme: t.id.clone(),
                title: t.title.clone(),
                weight: audit.theme_weight(t),
                mean_rating: mean(&rated),
                mean_score: mean(&of_theme.iter().map(|s| s.score).collect::<Vec<_>>())
                    .unwrap_or(0.0),
                questions: of_theme.len(),
                levels: fw
                    .scale
                    .iter()
                    .map(|level| LevelCount {
                        value: level.value,
                        label: level.label.clone(),
                        rag: level.rag,
                        count: rated
                            .iter()
                            .filter(|&&r| fw.level_at(r).value == level.value)
                            .count(),
                    })
                    .collect(),
                unrated: of_theme.len() - rated.len(),
                with_unanswered: of_theme.iter().filter(|s| s.unanswered > 0).count(),
                not_applicable: na,
            })
        })
        .collect();
    Ranking {
        cycle: cycle.id.clone(),
        framework: fw.id.clone(),
        priorities: scores,
        not_applicable,
        withheld: Vec::new(),
        themes,
    }
}

/// The mean, to 2 places: a theme's average has the same digits on every surface.
fn mean(values: &[f64]) -> Option<f64> {
    super::mean_2dp(values)
}

#[cfg(test)]
mod tests {
    use crate::analysis::testkit::*;
    use crate::model::{Confidence, Rating};

    #[test]
    fn equal_scores_rank_by_question_id_and_themes_are_summarised() {
        let mut a = audit(
            framework(
                &[0, 1, 2, 3],
                &[("t", 1.0), ("u", 1.0)],
                &[
                    ("z-s-01", "t"),
                    ("b-s-01", "t"),
                    ("a-s-01", "u"),
                    ("c-s-01", "u"),
                ],
            ),
            &[("council", true), ("police", true)],
        );
        let mut c = cycle("2025-26");
        // Identical answers to z, b and a; c rated higher.
        for q in ["z-s-01", "b-s-01", "a-s-01"] {
            answer(&mut c, "council", q, Rating::Value(1), Confidence::Medium);
        }
        answer(
            &mut c,
            "council",
            "c-s-01",
            Rating::Value(3),
            Confidence::High,
        );
        answer(
            &mut c,
            "police",
            "c-s-01",
            Rating::Value(2),
            Confidence::High,
        );
        a.cycles = vec![c.clone()];
        let r = crate::analysis::analyse(&a, &c, c.closed).ranking;
        let order: Vec<(&str, usize)> = r
            .priorities
            .iter()
            .map(|s| (s.question.as_str(), s.rank))
            .collect();
        assert_eq!(
            order,
            vec![("a-s-01", 1), ("b-s-01", 2), ("z-s-01", 3), ("c-s-01", 4)]
        );
        // Theme u: a rated 1 (level 1), c rated min(0.75 × 2.5 + 0.25 × 2, 0.5 × 2.5 + 0.5 × 2)
        // = min(2.375, 2.25) = 2.25 (level 2). Mean (1 + 2.25) / 2 = 1.625, 1.63 to 2 places.
        let u = &r.themes[1];
        assert_eq!(u.theme, "u");
        assert_eq!(u.mean_rating, Some(1.63));
        let counts: Vec<usize> = u.levels.iter().map(|l| l.count).collect();
        assert_eq!(counts, vec![0, 1, 1, 0]);
        assert_eq!((u.questions, u.unrated, u.with_unanswered), (2, 0, 1));
    }
}
