//! How the latest cycle compares with earlier ones: the change since the previous cycle and the
//! trend of each theme's average rating across cycles of the same framework.

use super::{Chart, Ctx, Publisher, Ref, Tag};
use crate::analysis::{self, Analysis, Movement};
use crate::format::num;
use crate::model::Framework;
use crate::site::charts::{self, Label, Line};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct ChangeView {
    pub previous: String,
    pub previous_title: String,
    pub themes: Vec<ThemeChange>,
    /// Questions whose effective rating rose, fell, or held (moved less than the threshold).
    pub improved: usize,
    pub declined: usize,
    pub unchanged: usize,
    /// Questions whose effective rating fell by the threshold or more, biggest fall first.
    pub declines: Vec<QuestionChange>,
    /// Questions whose effective rating rose by the threshold or more, biggest rise first.
    pub improvements: Vec<QuestionChange>,
    /// The move that counts as a rise or a fall, in scale points.
    pub threshold: String,
    /// Said when the two cycles asked different questions.
    pub scope_note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThemeChange {
    pub theme: Ref,
    pub before: String,
    pub now: String,
    pub direction: Tag,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionChange {
    pub question: Ref,
    pub before: Tag,
    pub now: Tag,
}

#[derive(Debug, Serialize)]
pub struct TrendView {
    pub chart: Chart,
    pub cycles: Vec<String>,
    pub rows: Vec<TrendRow>,
    /// What the averages are over: the questions every cycle asked and rated.
    pub basis: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrendRow {
    pub theme: Ref,
    pub values: Vec<String>,
}

/// An average rating as a page shows it: the figure internally, the level in words on public
/// pages (an exact average could give away a rating disclosure control hides).
fn average(ctx: &Ctx<'_>, fw: &Framework, v: f64) -> String {
    if ctx.public {
        fw.level_at(v).label.clone()
    } else {
        crate::format::rating(v)
    }
}

pub(super) fn change_view(
    ctx: &Ctx<'_>,
    a: &Analysis,
    fw: &Framework,
    p: &mut Publisher,
) -> Option<ChangeView> {
    let cmp = a.comparison.as_ref()?;
    let prev_cycle = ctx.audit.cycle(&cmp.cycle)?;
    let themes = cmp
        .themes
        .iter()
        .map(|t| ThemeChange {
            theme: ctx.theme_ref(&t.theme, p),
            before: t.before.map_or("–".into(), |v| average(ctx, fw, v)),
            now: t.now.map_or("–".into(), |v| average(ctx, fw, v)),
            direction: match t.movement {
                Movement::Rose => Tag::new("Improved", "green"),
                Movement::Fell => Tag::new("Declined", "red"),
                Movement::Steady => Tag::new("No change", "grey"),
                Movement::NotComparable => Tag::new("Not comparable", "grey"),
            },
        })
        .collect();
    let moves = |list: &[analysis::QuestionMove], p: &mut Publisher| -> Vec<QuestionChange> {
        list.iter()
            .map(|m| QuestionChange {
                question: ctx.question_ref(&m.question, p),
                before: ctx.rating_tag(fw, Some(m.before)),
                now: ctx.rating_tag(fw, Some(m.now)),
            })
            .collect()
    };
    let declines = moves(&cmp.fell, p);
    let improvements = moves(&cmp.rose, p);
    let scope_note = (cmp.scope_differs() || cmp.unrated() > 0).then(|| {
        let why = if cmp.scope_differs() {
            format!(
                "The two cycles did not ask the same questions ({} now, {} then)",
                cmp.asked_now, cmp.asked_then
            )
        } else {
            format!(
                "{} of the questions both cycles asked have no rating in one of them",
                cmp.unrated()
            )
        };
        format!(
            "{why}: this compares only the {} both asked and rated, and each theme's averages are over those questions alone.",
            cmp.shared
        )
    });
    Some(ChangeView {
        previous: cmp.cycle.clone(),
        previous_title: p.text(&prev_cycle.loc, &prev_cycle.title),
        themes,
        improved: improvements.len(),
        declined: declines.len(),
        unchanged: cmp.steady,
        declines,
        improvements,
        threshold: num(cmp.threshold, 2),
        scope_note,
    })
}

/// The trend of each theme's average (`analysis::Trend`), like for like: over the questions
/// every cycle of the line asked and rated, so its last two points are the change table's.
pub(super) fn trend_view(
    ctx: &Ctx<'_>,
    a: &Analysis,
    fw: &Framework,
    p: &mut Publisher,
) -> Option<TrendView> {
    let trend = a.trend.as_ref()?;
    // A line's height is an exact average: public pages draw it only when every rating it
    // averages is published exactly.
    if ctx.public && !trend_exact(ctx, a, fw) {
        return None;
    }
    let rows = trend_rows(ctx, trend, p);
    if rows.is_empty() {
        return None;
    }
    let basis = format!(
        "Each average is over the {} question{} every one of these cycles asked and rated, so a line moves only when ratings move.",
        trend.questions,
        if trend.questions == 1 { "" } else { "s" }
    );
    let chart = trend_chart(fw, &trend.cycles, &rows, &basis)?;
    Some(TrendView {
        chart,
        cycles: trend.cycles.clone(),
        rows: rows.into_iter().map(|(r, _)| r).collect(),
        basis,
    })
}

/// Each theme the trend follows: its row of averages in words, and the averages themselves.
fn trend_rows(
    ctx: &Ctx<'_>,
    trend: &analysis::Trend,
    p: &mut Publisher,
) -> Vec<(TrendRow, Vec<Option<f64>>)> {
    trend
        .themes
        .iter()
        .filter(|t| t.questions > 0)
        .map(|t| {
            (
                TrendRow {
                    theme: ctx.theme_ref(&t.theme, p),
                    values: t
                        .means
                        .iter()
                        .map(|v| v.map_or("–".into(), crate::format::rating))
                        .collect(),
                },
                t.means.clone(),
            )
        })
        .collect()
}

/// The trend as lines, a theme each, on the framework's scale, with its description.
fn trend_chart(
    fw: &Framework,
    cycles: &[String],
    rows: &[(TrendRow, Vec<Option<f64>>)],
    basis: &str,
) -> Option<Chart> {
    let lines: Vec<Line> = rows
        .iter()
        .map(|(r, v)| Line {
            label: r.theme.text.clone(),
            values: v.clone(),
        })
        .collect();
    let ticks: Vec<(f64, String)> = fw
        .scale
        .iter()
        .map(|l| (f64::from(l.value), l.value.to_string()))
        .collect();
    let desc = rows
        .iter()
        .map(|(r, _)| format!("{}: {}", r.theme.text, r.values.join(", then ")))
        .collect::<Vec<_>>()
        .join(". ");
    let (bottom, top) = (
        fw.scale.first().map_or("", |l| l.label.as_str()),
        fw.scale.last().map_or("", |l| l.label.as_str()),
    );
    let label = Label {
        id: "chart-trend".into(),
        title: "Average rating by theme across audit cycles".into(),
        desc: format!(
            "Lines, one per theme, over cycles {}. Scale {} ({bottom}) to {} ({top}). {basis} {desc}.",
            cycles.join(", "),
            fw.bottom(),
            fw.top(),
        ),
    };
    let svg = charts::lines(
        &label,
        cycles,
        (f64::from(fw.bottom()), f64::from(fw.top())),
        &ticks,
        &lines,
        &[],
        false,
    )
    .ok()?;
    Some(Chart {
        id: label.id,
        caption: format!(
            "Average rating by theme, cycle by cycle ({} = {bottom}, {} = {top})",
            fw.bottom(),
            fw.top(),
        ),
        svg,
    })
}

/// Whether every question the trend averages is published exactly in every cycle of it.
fn trend_exact(ctx: &Ctx<'_>, a: &Analysis, fw: &Framework) -> bool {
    let Some(trend) = &a.trend else { return true };
    trend.cycles.iter().all(|id| {
        let (Some(cycle), Some(record)) = (ctx.audit.cycle(id), ctx.record(id)) else {
            return false;
        };
        record
            .analysis
            .ranking
            .priorities
            .iter()
            .all(|s| ctx.disclosure(cycle, fw, &s.question).exact)
    })
}
