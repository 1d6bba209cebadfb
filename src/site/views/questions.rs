//! A page per question in scope: the partnership's rating, the agencies' answers counted (never
//! who said what), the metrics bearing on it and the actions addressing it.

use super::actions::ActionsPage;
use super::priorities::PriorityRow;
use super::{Ctx, Publisher, Ref, Tag, confidence_word, level_word, rag_class, rating_tag};
use crate::analysis::AnswerTally;
use crate::analysis::disclosure;
use crate::analysis::score::MetricSignal;
use crate::format::{num, with_unit};
use crate::model::{Better, Confidence, Cycle, Framework};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct QuestionPage {
    pub id: String,
    pub text: String,
    pub theme: Ref,
    pub level: &'static str,
    pub prompts: Vec<String>,
    /// None when every answer was "not applicable" (not ranked).
    pub priority: Option<PriorityRow>,
    pub rating: Tag,
    pub moderated: bool,
    pub public_summary_html: Option<String>,
    pub aggregate: Aggregate,
    pub previous: Option<String>,
    pub metrics: Vec<SignalView>,
    pub actions: Vec<ActionRef>,
    /// The cycle whose results the page shows (the main cycle, or for a question only a deep
    /// dive asked, the latest cycle that asked it).
    pub from_cycle: Ref,
    /// The main cycle did not ask this question.
    pub outside_main: bool,
    /// What every cycle that asked it found, oldest first, each with its method and date.
    pub evidence: Vec<EvidenceRow>,
}

/// One cycle's reading of a question.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceRow {
    pub cycle: Ref,
    pub method: String,
    pub date: String,
    pub rating: Tag,
    pub main: bool,
    /// For a cycle with surveys: what practitioners' answers say on the question.
    pub survey: Option<String>,
    /// What a case audit's rating rests on ("6 of 8 cases met the standard..."), public-safe.
    pub basis: Option<String>,
}

/// How the agencies answered, counted: never who said what.
#[derive(Debug, Clone, Serialize)]
pub struct Aggregate {
    pub agencies: String,
    pub rated: String,
    pub not_applicable: String,
    pub any_not_applicable: bool,
    pub unanswered: String,
    pub any_unanswered: bool,
    /// Too few agencies rated the question to show how they rated without singling one out:
    /// the tables, range and mean are left out.
    pub too_few: bool,
    /// Ratings per level of the scale, lowest first, small counts hidden.
    pub levels: Vec<LevelCount>,
    pub confidence: Vec<(String, String)>,
    pub range: Option<String>,
    pub agencies_mean: Option<String>,
    /// Why some counts say "fewer than N", when some do.
    pub suppression_note: Option<String>,
}

/// How many agencies rated at one level, as a public page may show it.
#[derive(Debug, Clone, Serialize)]
pub struct LevelCount {
    pub status: Tag,
    pub count: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SignalView {
    pub metric: Ref,
    pub latest: String,
    pub reading: Vec<String>,
    pub status: Tag,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionRef {
    pub id: String,
    pub title: String,
    pub status: Tag,
    pub due: String,
    pub overdue: bool,
}

pub(super) fn question_pages(
    ctx: &Ctx<'_>,
    priorities: &[PriorityRow],
    actions: &ActionsPage,
    p: &mut Publisher,
) -> Vec<QuestionPage> {
    let Some((main_cycle, _, _)) = ctx.latest else {
        return Vec::new();
    };
    let mut ids: Vec<&str> = ctx.pages.keys().copied().collect();
    // The main cycle's questions in its framework order, then the others by id.
    let main_order: Vec<&str> = ctx
        .latest
        .map(|(c, _, fw)| c.questions(fw).map(|q| q.id.as_str()).collect())
        .unwrap_or_default();
    ids.sort_by_key(|id| {
        (
            main_order
                .iter()
                .position(|m| m == id)
                .unwrap_or(usize::MAX),
            *id,
        )
    });
    ids.into_iter()
        .filter_map(|id| {
            // The main cycle for its questions; else the latest cycle that asked it.
            let (c, a, fw) = if main_order.contains(&id) {
                ctx.latest?
            } else {
                let c = ctx.audit.cycles.iter().rev().find(|c| {
                    ctx.audit
                        .frameworks
                        .get(&c.framework)
                        .is_some_and(|fw| c.questions(fw).any(|q| q.id == id))
                })?;
                let a = ctx.analyses.iter().find(|a| a.cycle == c.id)?;
                (c, a, ctx.audit.frameworks.get(&c.framework)?)
            };
            let q = fw.question(id)?;
            Some((c, a, fw, q))
        })
        .map(|(c, a, fw, q)| {
            let score = a.ranking.priorities.iter().find(|s| s.question == q.id);
            let moderation = c.moderated(&q.id);
            let public_summary_html = moderation
                .and_then(|m| m.public_summary.as_ref().map(|s| (m, s)))
                .map(|(m, s)| p.markdown(&m.loc, s, 3));
            let aggregate = aggregate(ctx, c, fw, &q.id);
            let signals = match score {
                Some(s) => s.metrics.iter().map(|m| signal_view(ctx, m, p)).collect(),
                None => Vec::new(),
            };
            QuestionPage {
                id: q.id.clone(),
                text: p.text(&q.loc, &q.text),
                theme: ctx.theme_ref(&q.theme, p),
                level: level_word(q.level),
                prompts: q.prompts.iter().map(|s| p.text(&q.loc, s)).collect(),
                priority: (c.id == main_cycle.id)
                    .then(|| priorities.iter().find(|r| r.question.id == q.id).cloned())
                    .flatten(),
                rating: match score {
                    Some(s) => rating_tag(fw, s.rating),
                    None => Tag::new("Not applicable", "grey"),
                },
                moderated: score.is_some_and(|s| s.moderated),
                public_summary_html,
                aggregate,
                previous: score.and_then(|s| s.previous.as_ref()).map(|pr| {
                    format!(
                        "In {} it was rated {}.",
                        pr.cycle,
                        rating_tag(fw, pr.rating).text
                    )
                }),
                metrics: signals,
                actions: actions
                    .actions
                    .iter()
                    .filter(|x| x.addresses.iter().any(|r| r.id == q.id))
                    .map(|x| ActionRef {
                        id: x.id.clone(),
                        title: x.title.clone(),
                        status: x.status.clone(),
                        due: x.due.clone(),
                        overdue: x.overdue,
                    })
                    .collect(),
                from_cycle: Ref {
                    id: c.id.clone(),
                    text: p.text(&c.loc, &c.title),
                    href: Some(crate::site::routes::cycle_href(&c.id)),
                },
                outside_main: c.id != main_cycle.id,
                evidence: evidence_rows(ctx, &q.id, main_cycle, p),
            }
        })
        .collect()
}

/// Counts of the agencies' answers to one question: no agency named.
fn aggregate(ctx: &Ctx<'_>, c: &Cycle, fw: &Framework, question: &str) -> Aggregate {
    let tally = AnswerTally::of(ctx.audit, c, question);
    let min = ctx.audit.partnership.disclosure.min_agencies;
    let rated = tally.ratings.len();
    let too_few = rated < min;
    let level_counts: Vec<usize> = fw.scale.iter().map(|l| tally.at(l.value)).collect();
    let levels: Vec<LevelCount> = fw
        .scale
        .iter()
        .zip(disclosure::group(&level_counts, min))
        .map(|(l, shown)| LevelCount {
            status: Tag::new(l.label.clone(), rag_class(l.rag)),
            count: shown.to_string(),
        })
        .collect();
    let confidences: Vec<Confidence> = Confidence::ALL.iter().rev().copied().collect();
    let confidence_counts: Vec<usize> = confidences
        .iter()
        .map(|c| tally.with_confidence(*c))
        .collect();
    let confidence: Vec<(String, String)> = confidences
        .iter()
        .zip(disclosure::group(&confidence_counts, min))
        .map(|(c, shown)| (confidence_word(*c).to_string(), shown.to_string()))
        .collect();
    let suppressed = !too_few
        && (levels
            .iter()
            .any(|l| !l.count.chars().all(|c| c.is_ascii_digit()))
            || confidence
                .iter()
                .any(|(_, n)| !n.chars().all(|c| c.is_ascii_digit())));
    Aggregate {
        agencies: tally.agencies.to_string(),
        rated: disclosure::shown(rated, min).to_string(),
        not_applicable: disclosure::shown(tally.not_applicable, min).to_string(),
        any_not_applicable: tally.not_applicable > 0,
        unanswered: disclosure::shown(tally.unanswered, min).to_string(),
        any_unanswered: tally.unanswered > 0,
        too_few,
        levels,
        confidence,
        range: tally.range().filter(|_| !too_few).map(|(lo, hi)| {
            if lo == hi {
                format!("All ratings were {lo}")
            } else {
                format!("From {lo} to {hi}")
            }
        }),
        agencies_mean: tally.mean().filter(|_| !too_few).map(|m| num(m, 2)),
        suppression_note: (suppressed || too_few).then(|| {
            format!(
                "Counts below {min} are shown as “fewer than {min}”, and one more count is not shown where it could be worked out from the others, so that no agency's answer can be singled out."
            )
        }),
    }
}

fn signal_view(ctx: &Ctx<'_>, m: &MetricSignal, p: &mut Publisher) -> SignalView {
    let metric = match ctx.audit.metric(&m.metric) {
        Some(met) => ctx.metric_ref(met, p),
        None => Ref {
            id: m.metric.clone(),
            text: m.title.clone(),
            href: None,
        },
    };
    let mut reading = Vec::new();
    if let Some(t) = m.target {
        reading.push(format!("Target {}", with_unit(t, &m.unit)));
    }
    if let (Some(v), Some(l)) = (m.comparator, &m.comparator_label) {
        let label = ctx
            .audit
            .metric(&m.metric)
            .map_or(l.clone(), |met| p.text(&met.loc, l));
        reading.push(format!("{label}: {}", with_unit(v, &m.unit)));
    }
    if let (Some(v), Some(per)) = (m.previous, &m.previous_period) {
        reading.push(format!("{per}: {}", with_unit(v, &m.unit)));
    }
    SignalView {
        metric,
        latest: match (m.value, &m.period) {
            (Some(v), Some(per)) => format!("{} ({per})", with_unit(v, &m.unit)),
            _ => "No value yet".into(),
        },
        reading,
        status: signal_tag(m),
    }
}

fn signal_tag(m: &MetricSignal) -> Tag {
    if m.better == Better::Neither {
        Tag::new("Context only", "grey")
    } else if m.value.is_none() {
        Tag::new("No data", "grey")
    } else if m.off_target {
        Tag::new("Worse than target", "red")
    } else if m.worse_than_comparator {
        Tag::new("Worse than comparator", "orange")
    } else if m.worsening {
        Tag::new("Getting worse", "orange")
    } else if m.target.is_some() {
        Tag::new("On target", "green")
    } else {
        Tag::new("No target", "grey")
    }
}

/// Every cycle that asked `question`, oldest first, with its rating there.
fn evidence_rows(
    ctx: &Ctx<'_>,
    question: &str,
    main: &Cycle,
    p: &mut Publisher,
) -> Vec<EvidenceRow> {
    ctx.audit
        .cycles
        .iter()
        .filter_map(|c| {
            let fw = ctx.audit.frameworks.get(&c.framework)?;
            c.questions(fw).find(|q| q.id == question)?;
            let a = ctx.analyses.iter().find(|a| a.cycle == c.id)?;
            let s = a.ranking.priorities.iter().find(|s| s.question == question);
            let min = ctx.audit.partnership.disclosure.min_responses;
            let reading = crate::analysis::survey::readings(c, fw)
                .remove(question)
                .map(|r| super::surveys::reading_figure(fw, &r, min));
            // A case audit's reading is its case results, not its (absent) returns.
            let min_cases = ctx.audit.partnership.disclosure.min_cases;
            let case = crate::analysis::cases::results(c, fw)
                .into_iter()
                .find(|r| r.question == question && r.rating.is_some());
            Some(EvidenceRow {
                cycle: Ref {
                    id: c.id.clone(),
                    text: p.text(&c.loc, &c.title),
                    href: Some(crate::site::routes::cycle_href(&c.id)),
                },
                method: super::method_word(c.method),
                date: c.closed.long(),
                rating: match (&case, &reading, s) {
                    (Some(r), _, _) => rating_tag(fw, r.rating.map(f64::from)),
                    (None, Some((_, tag)), _) if c.responses.is_empty() => tag.clone(),
                    (None, _, Some(s)) => rating_tag(fw, s.rating),
                    (None, _, None) => Tag::new("Not applicable", "grey"),
                },
                main: c.id == main.id,
                survey: reading.map(|(figure, _)| format!("Practitioner survey: {figure}")),
                basis: case
                    .map(|r| crate::analysis::cases::basis(&r.counts, min_cases, c.method.words())),
            })
        })
        .collect()
}
