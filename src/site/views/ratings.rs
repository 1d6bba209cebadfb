//! The partnership's lines of `data/ratings.csv`.

use crate::analysis::Analysis;
use crate::analysis::score::QuestionScore;
use crate::model::{Audit, Level};
use serde::Serialize;

/// One line of `data/ratings.csv`: the partnership's rating for a question in a cycle.
#[derive(Debug, Clone, Serialize)]
pub struct RatingRow {
    pub cycle: String,
    pub question: String,
    pub theme: String,
    pub level: Level,
    pub rating: Option<f64>,
    pub label: String,
    pub moderated: bool,
    pub rated: usize,
    pub not_applicable: usize,
    pub unanswered: usize,
    pub score: Option<f64>,
    pub rank: Option<usize>,
}

pub(super) fn rating_rows(audit: &Audit, analyses: &[Analysis]) -> Vec<RatingRow> {
    let mut rows = Vec::new();
    for a in analyses {
        let Some(fw) = audit.frameworks.get(&a.framework) else {
            continue;
        };
        let mut scores: Vec<&QuestionScore> = a.ranking.priorities.iter().collect();
        scores.sort_by(|x, y| x.question.cmp(&y.question));
        for s in scores {
            rows.push(RatingRow {
                cycle: a.cycle.clone(),
                question: s.question.clone(),
                theme: s.theme.clone(),
                level: s.level,
                rating: s.rating.map(|r| crate::analysis::round(r, 2)),
                label: s
                    .rating
                    .map_or("No rating".into(), |r| fw.level_at(r).label.clone()),
                moderated: s.moderated,
                rated: s.answered,
                not_applicable: s.not_applicable,
                unanswered: s.unanswered,
                score: Some(crate::analysis::round(s.score, 2)),
                rank: Some(s.rank),
            });
        }
    }
    rows
}
