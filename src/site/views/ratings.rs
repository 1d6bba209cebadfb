//! The partnership's lines of `data/ratings.csv`: each cycle's assessed rating of each question
//! it ranked, read from the ledger, with what it rests on.

use super::Ctx;
use crate::analysis::RankReport;
use crate::analysis::evidence::Source;
use crate::analysis::score::QuestionScore;
use crate::disclosure::Shown;
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
    /// None in a public file where an exact figure could give away a hidden count.
    pub score: Option<f64>,
    pub rank: usize,
}

pub(super) fn rating_rows(ctx: &Ctx<'_>) -> Vec<RatingRow> {
    let mut rows = Vec::new();
    for record in &ctx.ledger.cycles {
        let a = &record.analysis;
        let (Some(cycle), Some(fw)) = (
            ctx.audit.cycle(&a.cycle),
            ctx.audit.frameworks.get(&a.framework),
        ) else {
            continue;
        };
        let returns = record.evidence.returns.is_some() && ctx.agency_figures(cycle);
        let mut scores: Vec<&QuestionScore> = a.ranking.priorities.iter().collect();
        scores.sort_by(|x, y| x.question.cmp(&y.question));
        for s in scores {
            let d = ctx.disclosure(cycle, fw, &s.question);
            let exact = |n: usize| (!ctx.public).then_some(Shown::Exact(n));
            rows.push(RatingRow {
                cycle: a.cycle.clone(),
                method: a.method,
                question: s.question.clone(),
                theme: s.theme.clone(),
                level: s.level,
                rating: s.rating.filter(|_| d.exact || !from_agencies(s)),
                label: s.label.clone(),
                source: super::rating_source(s),
                moderated: s.moderated,
                rated: returns.then_some(d.rated),
                not_applicable: exact(s.not_applicable).filter(|_| returns),
                unanswered: exact(s.unanswered).filter(|_| returns),
                score: d.exact.then(|| crate::analysis::round(s.score, 2)),
                rank: s.rank,
            });
        }
    }
    rows
}

/// `data/priorities.json` and `.csv` as a public site publishes them: each row passes
/// disclosure control (`crate::disclosure`). Where the agencies' answers to a question hide a
/// count, the row gives its rating in words only: no exact rating, score, components, spread,
/// previous figures or flags drawn from single answers. The plan's risk sums are left out.
pub(super) fn public_report(ctx: &Ctx<'_>, mut report: RankReport) -> RankReport {
    if !ctx.public {
        return report;
    }
    for row in report
        .priorities
        .iter_mut()
        .chain(report.other_cycles.iter_mut())
    {
        let Some(cycle) = ctx.audit.cycle(&row.cycle) else {
            continue;
        };
        let Some(fw) = ctx.audit.frameworks.get(&cycle.framework) else {
            continue;
        };
        let d = ctx.disclosure(cycle, fw, &row.question);
        row.answered = ctx.agency_figures(cycle).then_some(d.rated);
        row.not_applicable = None;
        row.unanswered = None;
        if !d.exact {
            if row.assessed_from.is_none() && !row.moderated {
                row.rating = None;
            }
            row.score = None;
            row.components = None;
            row.spread = None;
            if row.own_source == Some(Source::Agencies) {
                row.own_rating = None;
            }
            row.flags.retain(|f| !f.is_drawn_from_single_answers());
            if let Some(p) = &mut row.previous {
                p.rating = None;
                p.score = None;
            }
        }
    }
    for a in &mut report.actions {
        a.risk_covered = None;
    }
    report
}

/// The rating is the agencies' combined figure (not the panel's, not a case audit's or survey's
/// level): a figure between levels that, beside a hidden count, could give it away.
fn from_agencies(s: &QuestionScore) -> bool {
    s.lowered_by.is_none() && s.own_source == Some(Source::Agencies)
}
