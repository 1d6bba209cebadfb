//! The impact page: what followed each completed action (`analysis::impact`), and the
//! overview's few lines on it. The internal edition shows every action with its evidence before
//! and after, a small chart and the verdict; the public edition says it in plain words, theme by
//! theme, with ratings in words. The words always say "followed by", never "caused".

use super::{Chart, Ctx, Publisher, Ref, Tag};
use crate::analysis::impact::{ActionImpact, Direction, MetricImpact, QuestionImpact, Verdict};
use crate::format::with_unit;
use crate::model::Framework;
use crate::site::charts::{self, Label, Line};
use crate::site::routes;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct ImpactPage {
    /// Completed actions, by verdict: the page's summary line.
    pub counts: Vec<(Tag, usize)>,
    pub completed: usize,
    /// Internal: every completed action in full. Public: the same actions, evidence in words.
    pub actions: Vec<ActionView>,
    /// Public edition: each theme's completed actions in a sentence.
    pub themes: Vec<ThemeImpact>,
}

#[derive(Debug, Serialize)]
pub struct ActionView {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub completed: String,
    pub verdict: Tag,
    /// Why the verdict, in a sentence.
    pub why: String,
    pub questions: Vec<QuestionRow>,
    pub metrics: Vec<MetricRow>,
    pub chart: Option<Chart>,
}

#[derive(Debug, Serialize)]
pub struct QuestionRow {
    pub question: Ref,
    pub method: String,
    pub before: String,
    pub after: String,
    pub change: Tag,
}

#[derive(Debug, Serialize)]
pub struct MetricRow {
    pub metric: Ref,
    pub before: String,
    pub after: String,
    pub change: Tag,
    pub target: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ThemeImpact {
    pub theme: Ref,
    pub sentence: String,
}

/// The overview's lines on impact.
#[derive(Debug, Clone, Serialize)]
pub struct ImpactBrief {
    pub completed: usize,
    pub improved: usize,
    /// Completed actions not followed by improvement, with their verdicts.
    pub others: Vec<(Ref, Tag)>,
}

pub fn verdict_tag(v: Verdict) -> Tag {
    let class = match v {
        Verdict::Improved => "green",
        Verdict::NoChange => "grey",
        Verdict::Worse => "red",
        Verdict::Mixed => "orange",
        Verdict::NotYetRetested => "blue",
    };
    let mut words = v.words().to_string();
    if let Some(first) = words.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    Tag::new(words, class)
}

fn change_tag(d: Option<Direction>, measured: bool) -> Tag {
    match (d, measured) {
        (Some(Direction::Better), _) => Tag::new("Better", "green"),
        (Some(Direction::Worse), _) => Tag::new("Worse", "red"),
        (Some(Direction::Same), _) => Tag::new("No change", "grey"),
        (None, true) => Tag::new("No earlier figure", "grey"),
        (None, false) => Tag::new("Not yet re-tested", "blue"),
    }
}

pub(super) fn impact_page(ctx: &Ctx<'_>, p: &mut Publisher) -> ImpactPage {
    let impact = &ctx.ledger.impact;
    let counts = [
        Verdict::Improved,
        Verdict::Mixed,
        Verdict::NoChange,
        Verdict::Worse,
        Verdict::NotYetRetested,
    ]
    .iter()
    .map(|v| {
        (
            verdict_tag(*v),
            impact.iter().filter(|i| i.verdict == *v).count(),
        )
    })
    .collect();
    ImpactPage {
        counts,
        completed: impact.len(),
        actions: impact.iter().map(|i| action_view(ctx, i, p)).collect(),
        themes: if ctx.public {
            theme_sentences(ctx, impact, p)
        } else {
            Vec::new()
        },
    }
}

/// The overview's summary: how many completed actions were followed by improvement, and the
/// others by name.
pub(super) fn impact_brief(ctx: &Ctx<'_>, p: &mut Publisher) -> Option<ImpactBrief> {
    let impact = &ctx.ledger.impact;
    if impact.is_empty() {
        return None;
    }
    Some(ImpactBrief {
        completed: impact.len(),
        improved: impact
            .iter()
            .filter(|i| i.verdict == Verdict::Improved)
            .count(),
        others: impact
            .iter()
            .filter(|i| i.verdict != Verdict::Improved)
            .map(|i| (action_ref(ctx, i, p), verdict_tag(i.verdict)))
            .collect(),
    })
}

fn action_ref(ctx: &Ctx<'_>, i: &ActionImpact, p: &mut Publisher) -> Ref {
    let title = match ctx.audit.actions.iter().find(|a| a.id == i.action) {
        Some(a) => p.text(&a.loc, &a.title),
        None => i.title.clone(),
    };
    Ref {
        id: i.action.clone(),
        text: title,
        href: Some(format!("{}#impact-{}", routes::IMPACT, i.action)),
    }
}

/// The framework a question is asked from, for its rating's words.
fn framework_of<'a>(ctx: &Ctx<'a>, q: &QuestionImpact) -> Option<&'a Framework> {
    ctx.audit
        .cycles
        .iter()
        .filter(|c| c.method == q.method)
        .filter_map(|c| ctx.audit.frameworks.get(&c.framework))
        .find(|fw| fw.question(&q.question).is_some())
}

fn action_view(ctx: &Ctx<'_>, i: &ActionImpact, p: &mut Publisher) -> ActionView {
    let a = ctx.audit.actions.iter().find(|a| a.id == i.action);
    let text = |p: &mut Publisher, s: &str| match a {
        Some(a) => p.text(&a.loc, s),
        None => s.to_string(),
    };
    // The public edition says what followed in words, theme by theme: no measure-by-measure
    // figures (and no chart, whose heights would be exact ratings).
    let questions: Vec<QuestionRow> = if ctx.public {
        Vec::new()
    } else {
        i.questions
            .iter()
            .map(|q| question_row(ctx, q, p))
            .collect()
    };
    let metrics: Vec<MetricRow> = if ctx.public {
        Vec::new()
    } else {
        i.metrics.iter().map(|m| metric_row(ctx, m, p)).collect()
    };
    ActionView {
        id: i.action.clone(),
        title: text(p, &i.title),
        owner: text(p, &i.owner),
        completed: i.completed.long(),
        verdict: verdict_tag(i.verdict),
        why: why(i),
        chart: (!ctx.public).then(|| chart(ctx, i, &questions)).flatten(),
        questions,
        metrics,
    }
}

fn rating_words(
    ctx: &Ctx<'_>,
    fw: Option<&Framework>,
    point: &Option<(String, Option<f64>)>,
) -> String {
    match (point, fw) {
        (Some((cycle, Some(r))), Some(fw)) => {
            format!("{} ({cycle})", ctx.rating_tag(fw, Some(*r)).text)
        }
        (Some((cycle, None)), _) => format!("no rating ({cycle})"),
        _ => "–".to_string(),
    }
}

fn question_row(ctx: &Ctx<'_>, q: &QuestionImpact, p: &mut Publisher) -> QuestionRow {
    let fw = framework_of(ctx, q);
    QuestionRow {
        question: ctx.question_ref(&q.question, p),
        method: super::method_word(q.method),
        before: rating_words(ctx, fw, &q.before),
        after: rating_words(ctx, fw, &q.after),
        change: change_tag(q.direction, q.after.is_some()),
    }
}

fn metric_row(ctx: &Ctx<'_>, m: &MetricImpact, p: &mut Publisher) -> MetricRow {
    let value = |x: &Option<(String, f64)>| {
        x.as_ref().map_or("–".to_string(), |(per, v)| {
            format!("{} ({per})", with_unit(*v, &m.unit))
        })
    };
    MetricRow {
        metric: match ctx.audit.metric(&m.metric) {
            Some(met) => ctx.metric_ref(met, p),
            None => Ref {
                id: m.metric.clone(),
                text: m.title.clone(),
                href: None,
            },
        },
        before: value(&m.before),
        after: value(&m.after),
        change: change_tag(m.direction, m.after.is_some()),
        target: m.target.map(|t| {
            let met = match m.on_target_after {
                Some(true) => ", met since",
                Some(false) => ", not met since",
                None => "",
            };
            format!("{}{met}", with_unit(t, &m.unit))
        }),
    }
}

/// Why the verdict, in a sentence that says "followed by", never "caused".
fn why(i: &ActionImpact) -> String {
    let count = |d: Direction| {
        i.questions
            .iter()
            .filter(|q| q.direction == Some(d))
            .count()
            + i.metrics.iter().filter(|m| m.direction == Some(d)).count()
    };
    let (better, same, worse) = (
        count(Direction::Better),
        count(Direction::Same),
        count(Direction::Worse),
    );
    match i.verdict {
        Verdict::NotYetRetested => format!(
            "Nothing has measured it since it was completed on {}: no later audit has asked its questions, and its data has no later figure.",
            i.completed.long()
        ),
        _ => format!(
            "Since it was completed on {}, {better} measure{} improved, {same} held and {worse} got worse. This is what followed the action, not proof of what it caused: other things changed too.",
            i.completed.long(),
            if better == 1 { "" } else { "s" },
        ),
    }
}

/// A small before-and-after chart of the action's questions (ratings on their scale).
fn chart(ctx: &Ctx<'_>, i: &ActionImpact, rows: &[QuestionRow]) -> Option<Chart> {
    let pairs: Vec<(&QuestionImpact, &QuestionRow, f64, f64)> = i
        .questions
        .iter()
        .zip(rows)
        .filter_map(|(q, row)| Some((q, row, q.before.as_ref()?.1?, q.after.as_ref()?.1?)))
        .collect();
    let fw = pairs.first().and_then(|(q, ..)| framework_of(ctx, q))?;
    let lines: Vec<Line> = pairs
        .iter()
        .map(|(q, _, b, a)| Line {
            label: format!("{} ({})", q.question, q.method.words()),
            values: vec![Some(*b), Some(*a)],
        })
        .collect();
    let ticks: Vec<(f64, String)> = fw
        .scale
        .iter()
        .map(|l| (f64::from(l.value), l.value.to_string()))
        .collect();
    let desc = pairs
        .iter()
        .map(|(q, row, _, _)| format!("{}: {} before, {} after", q.question, row.before, row.after))
        .collect::<Vec<_>>()
        .join("; ");
    let id = format!("chart-impact-{}", i.action);
    let label = Label {
        id: id.clone(),
        title: format!("{}: ratings before and after", i.action),
        desc: format!(
            "A line per question, from its rating before the action to its rating after. {desc}."
        ),
    };
    let svg = charts::lines(
        &label,
        &["Before".to_string(), "After".to_string()],
        (f64::from(fw.bottom()), f64::from(fw.top())),
        &ticks,
        &lines,
        &[],
        false,
    )
    .ok()?;
    Some(Chart {
        id,
        caption: "Ratings before and after (the table gives them)".into(),
        svg,
    })
}

/// Public edition: each theme's completed actions and what followed them, in a sentence.
fn theme_sentences(ctx: &Ctx<'_>, impact: &[ActionImpact], p: &mut Publisher) -> Vec<ThemeImpact> {
    let mut themes: Vec<&str> = Vec::new();
    for i in impact {
        for t in i.themes() {
            if !themes.contains(&t) {
                themes.push(t);
            }
        }
    }
    themes
        .into_iter()
        .map(|t| {
            let on: Vec<&ActionImpact> =
                impact.iter().filter(|i| i.themes().contains(&t)).collect();
            let parts: Vec<String> = [
                Verdict::Improved,
                Verdict::Mixed,
                Verdict::NoChange,
                Verdict::Worse,
                Verdict::NotYetRetested,
            ]
            .iter()
            .filter_map(|v| {
                let n = on.iter().filter(|i| i.verdict == *v).count();
                (n > 0).then(|| format!("{n} {}", v.words()))
            })
            .collect();
            ThemeImpact {
                theme: ctx.theme_ref(t, p),
                sentence: format!(
                    "{} completed action{}: {}.",
                    on.len(),
                    if on.len() == 1 { "" } else { "s" },
                    parts.join(", ")
                ),
            }
        })
        .collect()
}
