//! The partnership's lines of `data/ratings.csv`.

use crate::analysis::Analysis;
use crate::analysis::disclosure::{self, Shown};
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
    /// Small counts hidden: the file is published.
    pub rated: Shown,
    pub not_applicable: Shown,
    pub unanswered: Shown,
    pub score: Option<f64>,
    pub rank: Option<usize>,
}

pub(super) fn rating_rows(audit: &Audit, analyses: &[Analysis]) -> Vec<RatingRow> {
    let min = audit.partnership.disclosure.min_agencies;
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
                rated: disclosure::shown(s.answered, min),
                not_applicable: disclosure::shown(s.not_applicable, min),
                unanswered: disclosure::shown(s.unanswered, min),
                score: Some(crate::analysis::round(s.score, 2)),
                rank: Some(s.rank),
            });
        }
    }
    rows
}
