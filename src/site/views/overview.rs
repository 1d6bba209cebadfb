//! The overview page: assurance by theme, the top priorities, the action plan's state, metrics
//! worse than target and the change since the last cycle.

use super::actions::ActionsPage;
use super::change::{ChangeView, TrendView, change_view, trend_view};
use super::metrics::MetricsPage;
use super::priorities::PriorityRow;
use super::{Chart, Ctx, Publisher, Ref, StatusCount, Tag, rating_tag, swatches};
use crate::analysis::Analysis;
use crate::model::Framework;
use crate::site::charts::{self, Label, Segment, StackedRow, Swatch};
use crate::site::routes;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Overview {
    pub assurance: Option<AssuranceByTheme>,
    /// The first ten priorities.
    pub top: Vec<PriorityRow>,
    pub top_chart: Option<Chart>,
    pub action_status: Vec<StatusCount>,
    pub actions_total: usize,
    pub actions_overdue: usize,
    pub uncovered: usize,
    pub metrics_off_target: Vec<MetricBrief>,
    pub change: Option<ChangeView>,
    pub trend: Option<TrendView>,
}

#[derive(Debug, Serialize)]
pub struct AssuranceByTheme {
    pub chart: Chart,
    /// Column headings: the scale's labels, lowest first, then "No rating".
    pub levels: Vec<String>,
    pub rows: Vec<ThemeAssuranceRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThemeAssuranceRow {
    pub theme: Ref,
    /// Questions per level, in the order of `levels` (the last is "No rating").
    pub counts: Vec<usize>,
    pub questions: usize,
    pub mean: Tag,
}

#[derive(Debug, Clone, Serialize)]
pub struct MetricBrief {
    pub metric: Ref,
    pub latest: String,
    pub period: String,
    pub target: String,
    pub comparator: String,
}

pub(super) fn overview(
    ctx: &Ctx<'_>,
    analyses: &[Analysis],
    priorities: &[PriorityRow],
    actions: &ActionsPage,
    metrics: &MetricsPage,
    p: &mut Publisher,
) -> Overview {
    let top: Vec<PriorityRow> = priorities.iter().take(10).cloned().collect();
    let top_chart = (!top.is_empty())
        .then(|| {
            let rows: Vec<(String, f64, String)> = top
                .iter()
                .map(|r| {
                    (
                        format!("{}. {}", r.rank, r.question.id),
                        r.score_value,
                        r.score.clone(),
                    )
                })
                .collect();
            let label = Label {
                id: "chart-top".into(),
                title: "Risk scores of the top priorities".into(),
                desc: format!(
                    "Horizontal bars, highest risk first: {}.",
                    top.iter()
                        .map(|r| format!("{} scores {}", r.question.id, r.score))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            };
            charts::bars(&label, &rows).ok().map(|svg| Chart {
                id: label.id,
                caption: "Risk score of the ten highest priorities".into(),
                svg,
            })
        })
        .flatten();
    let metrics_off_target = metrics
        .metrics
        .iter()
        .filter(|m| m.off_target)
        .map(|m| MetricBrief {
            metric: Ref {
                id: m.id.clone(),
                text: m.title.clone(),
                href: Some(routes::metric_href(&m.id)),
            },
            latest: m.latest.clone().unwrap_or_default(),
            period: m.rows.last().map(|r| r.period.clone()).unwrap_or_default(),
            target: m.target.clone().unwrap_or_else(|| "–".into()),
            comparator: m.comparator.clone().unwrap_or_else(|| "–".into()),
        })
        .collect();
    let (assurance, change, trend) = match ctx.latest {
        Some((c, a, fw)) => (
            assurance_by_theme(ctx, a, fw, p),
            change_view(ctx, c, a, analyses, fw, p),
            trend_view(ctx, a, analyses, fw, p),
        ),
        None => (None, None, None),
    };
    Overview {
        assurance,
        top,
        top_chart,
        action_status: actions.status.clone(),
        actions_total: actions.actions.len(),
        actions_overdue: actions.overdue,
        uncovered: actions.uncovered.len(),
        metrics_off_target,
        change,
        trend,
    }
}

fn assurance_by_theme(
    ctx: &Ctx<'_>,
    a: &Analysis,
    fw: &Framework,
    p: &mut Publisher,
) -> Option<AssuranceByTheme> {
    if a.ranking.themes.is_empty() {
        return None;
    }
    let fw_loc = fw.loc.clone();
    let mut levels: Vec<String> = fw.scale.iter().map(|l| p.text(&fw_loc, &l.label)).collect();
    levels.push("No rating".into());
    let mut segments: Vec<Segment> = fw
        .scale
        .iter()
        .zip(swatches(&fw.scale))
        .map(|(l, swatch)| Segment {
            label: l.label.clone(),
            swatch,
        })
        .collect();
    segments.push(Segment {
        label: "No rating".into(),
        swatch: Swatch::unrated(),
    });
    let rows: Vec<ThemeAssuranceRow> = a
        .ranking
        .themes
        .iter()
        .map(|t| {
            let mut counts: Vec<usize> = t.levels.iter().map(|l| l.count).collect();
            counts.push(t.unrated);
            ThemeAssuranceRow {
                theme: ctx.theme_ref(&t.theme, p),
                counts,
                questions: t.questions,
                mean: rating_tag(fw, t.mean_rating),
            }
        })
        .collect();
    let stacked: Vec<StackedRow> = rows
        .iter()
        .map(|r| StackedRow {
            label: r.theme.text.clone(),
            counts: r.counts.iter().map(|&c| c as u32).collect(),
        })
        .collect();
    let desc = rows
        .iter()
        .map(|r| {
            let parts: Vec<String> = levels
                .iter()
                .zip(&r.counts)
                .filter(|(_, n)| **n > 0)
                .map(|(l, n)| format!("{n} {l}"))
                .collect();
            format!("{}: {}", r.theme.text, parts.join(", "))
        })
        .collect::<Vec<_>>()
        .join(". ");
    let label = Label {
        id: "chart-assurance".into(),
        title: "Assurance by theme: questions at each rating level".into(),
        desc: format!("Stacked bars, one per theme, lowest level on the left. {desc}."),
    };
    let svg = charts::stacked_bars(&label, &segments, &stacked).ok()?;
    Some(AssuranceByTheme {
        chart: Chart {
            id: label.id,
            caption: "Questions at each rating level, by theme".into(),
            svg,
        },
        levels,
        rows,
    })
}
