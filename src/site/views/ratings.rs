//! The partnership's lines of `data/ratings.csv`: each cycle's assessed rating of each question
//! it ranked, read from the ledger, with what it rests on.

use super::Ctx;
use crate::analysis::disclosure::{self, Shown};
use crate::analysis::score::QuestionScore;
use crate::model::{Level, Method};
use serde::Serialize;

/// One line of `data/ratings.csv`: the partnership's rating for a question in a cycle.
#[derive(Debug, Clone, Serialize)]
pub struct RatingRow {
    pub cycle: String,
    pub method: Method,
    pub question: String,
    pub theme: String,
    pub level: Level,
    /// The assessed rating, to 2 places: the figure every page shows for this cycle.
    pub rating: Option<f64>,
    pub label: String,
    /// What the rating rests on (see `views::rating_source`).
    pub source: String,
    pub moderated: bool,
    /// Agencies' answers counted, small counts hidden (the file is published); None for a
    /// cycle that collected no returns.
    pub rated: Option<Shown>,
    pub not_applicable: Option<Shown>,
    pub unanswered: Option<Shown>,
    pub score: f64,
    pub rank: usize,
}

pub(super) fn rating_rows(ctx: &Ctx<'_>) -> Vec<RatingRow> {
    let min = ctx.audit.partnership.disclosure.min_agencies;
    let mut rows = Vec::new();
    for record in &ctx.ledger.cycles {
        let a = &record.analysis;
        let Some(fw) = ctx.audit.frameworks.get(&a.framework) else {
            continue;
        };
        let returns = record.evidence.returns.is_some();
        let mut scores: Vec<&QuestionScore> = a.ranking.priorities.iter().collect();
        scores.sort_by(|x, y| x.question.cmp(&y.question));
        for s in scores {
            let count = |n: usize| returns.then(|| disclosure::shown(n, min));
            rows.push(RatingRow {
                cycle: a.cycle.clone(),
                method: a.method,
                question: s.question.clone(),
                theme: s.theme.clone(),
                level: s.level,
                rating: s.rating,
                label: s
                    .rating
                    .map_or("No rating".into(), |r| fw.level_at(r).label.clone()),
                source: super::rating_source(s),
                moderated: s.moderated,
                rated: count(s.answered),
                not_applicable: count(s.not_applicable),
                unanswered: count(s.unanswered),
                score: crate::analysis::round(s.score, 2),
                rank: s.rank,
            });
        }
    }
    rows
}
