//! The overview page: assurance by theme, the top priorities, the action plan's state, metrics
//! worse than target and the change since the last cycle.

use super::actions::ActionsPage;
use super::change::{ChangeView, TrendView, change_view, trend_view};
use super::metrics::MetricsPage;
use super::priorities::PriorityRow;
use super::{Chart, Ctx, Publisher, Ref, StatusCount, Tag, swatches};
use crate::analysis::{Analysis, Movement};
use crate::model::Framework;
use crate::site::charts::{self, Label, Segment, StackedRow, Swatch};
use crate::site::routes;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Overview {
    /// The first screen: where assurance is weakest, what matters most, what is late.
    pub summary: Summary,
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

/// The board's first screen.
#[derive(Debug, Serialize)]
pub struct Summary {
    /// Themes, weakest first (lowest average rating; unrated first).
    pub weakest: Vec<WeakTheme>,
    /// The title and id of the comparable cycle the changes are against, if any.
    pub compared_with: Option<String>,
    /// The five highest priorities, each with the open action that covers it.
    pub top: Vec<TopPriority>,
    /// Open actions past their due date.
    pub late_actions: Vec<LateAction>,
    /// Metrics worse than target or getting worse.
    pub watch_metrics: Vec<WatchMetric>,
    /// Questions where a case audit or survey found less than the agencies reported and the
    /// moderation panel has not yet weighed it (`evidence-conflict`), highest risk first.
    pub practice_conflicts: Vec<PracticeConflict>,
    /// The day overdue is judged on, in words.
    pub as_of: Option<String>,
    /// What followed the completed actions, when any are complete.
    pub impact: Option<super::impact::ImpactBrief>,
}

/// A question where evidence of practice contradicts the self-assessment.
#[derive(Debug, Clone, Serialize)]
pub struct PracticeConflict {
    pub question: Ref,
    /// What the agencies (or the moderation panel) said, and what practice showed.
    pub reported: Tag,
    pub found: Tag,
    /// Where it was found: "case files, multi-agency tabletop audit (February 2026)".
    pub by: String,
    pub rank: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct WeakTheme {
    pub theme: Ref,
    pub mean: Tag,
    pub questions: usize,
    /// Like-for-like change since the comparable cycle; None when there is none.
    pub change: Option<Tag>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopPriority {
    pub rank: usize,
    pub question: Ref,
    pub theme: Ref,
    pub rating: Tag,
    pub score: String,
    pub concern: Tag,
    /// The open actions addressing it (empty: "no action").
    pub actions: Vec<ActionBrief>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionBrief {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub due: String,
    pub status: Tag,
    pub overdue: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct LateAction {
    pub action: ActionBrief,
    pub addresses: Vec<Ref>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WatchMetric {
    pub metric: Ref,
    pub latest: String,
    pub status: Tag,
    pub trend: Option<String>,
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
                        format!("{}. {}", r.rank, r.question.text),
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
                        .map(|r| format!("{}. {} scores {}", r.rank, r.question.text, r.score))
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
        Some((_, a, fw)) => (
            assurance_by_theme(ctx, a, fw, p),
            change_view(ctx, a, fw, p),
            trend_view(ctx, a, fw, p),
        ),
        None => (None, None, None),
    };
    let mut summary = summary(ctx, assurance.as_ref(), &top, actions, metrics);
    summary.practice_conflicts = practice_conflicts(ctx, p);
    summary.as_of = actions.as_of.clone();
    summary.impact = super::impact::impact_brief(ctx, p);
    Overview {
        summary,
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
                mean: ctx.rating_tag(fw, t.mean_rating),
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

fn summary(
    ctx: &Ctx<'_>,
    assurance: Option<&AssuranceByTheme>,
    top: &[PriorityRow],
    actions: &ActionsPage,
    metrics: &MetricsPage,
) -> Summary {
    let comparison = ctx.latest.and_then(|(_, a, _)| a.comparison.as_ref());
    let late_actions = actions
        .actions
        .iter()
        .filter(|a| a.overdue)
        .map(|a| LateAction {
            action: action_brief(a),
            addresses: a.addresses.clone(),
        })
        .collect();
    Summary {
        weakest: weakest_themes(ctx, assurance),
        compared_with: comparison.and_then(|c| {
            ctx.audit
                .cycle(&c.cycle)
                .map(|pc| format!("{} ({})", pc.title, c.cycle))
        }),
        top: top_priorities(ctx, top, actions),
        late_actions,
        watch_metrics: watch_metrics(metrics),
        practice_conflicts: Vec::new(),
        as_of: None,
        impact: None,
    }
}

/// The themes, unrated first (no evidence of assurance), then the lowest average first, each
/// with how it moved since the last comparable cycle.
fn weakest_themes(ctx: &Ctx<'_>, assurance: Option<&AssuranceByTheme>) -> Vec<WeakTheme> {
    let (Some((_, a, _)), Some(assurance)) = (ctx.latest, assurance) else {
        return Vec::new();
    };
    let comparison = a.comparison.as_ref();
    let mut weakest: Vec<(Option<f64>, WeakTheme)> = Vec::new();
    for row in &assurance.rows {
        let mean = a
            .ranking
            .themes
            .iter()
            .find(|t| t.theme == row.theme.id)
            .and_then(|t| t.mean_rating);
        let change = comparison.map(|c| {
            match c
                .themes
                .iter()
                .find(|t| t.theme == row.theme.id)
                .map(|t| t.movement)
            {
                Some(Movement::Rose) => Tag::new("Improved", "green"),
                Some(Movement::Fell) => Tag::new("Declined", "red"),
                Some(Movement::Steady) => Tag::new("No change", "grey"),
                _ => Tag::new("Not comparable", "grey"),
            }
        });
        weakest.push((
            mean,
            WeakTheme {
                theme: row.theme.clone(),
                mean: row.mean.clone(),
                questions: row.questions,
                change,
            },
        ));
    }
    // Stable: themes of the same average keep their order.
    weakest.sort_by(|(a, _), (b, _)| match (a, b) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) => x.total_cmp(y),
    });
    weakest.into_iter().map(|(_, w)| w).collect()
}

fn action_brief(a: &super::actions::ActionView) -> ActionBrief {
    ActionBrief {
        id: a.id.clone(),
        title: a.title.clone(),
        owner: a.owner.clone(),
        due: a.due.clone(),
        status: a.status.clone(),
        overdue: a.overdue,
    }
}

/// The five highest priorities, each with the open actions that address it.
fn top_priorities(ctx: &Ctx<'_>, top: &[PriorityRow], actions: &ActionsPage) -> Vec<TopPriority> {
    let open = |a: &&super::actions::ActionView| {
        ctx.audit
            .actions
            .iter()
            .find(|x| x.id == a.id)
            .is_some_and(|x| x.status.is_open())
    };
    top.iter()
        .take(5)
        .map(|r| TopPriority {
            rank: r.rank,
            question: r.question.clone(),
            theme: r.theme.clone(),
            rating: r.rating.clone(),
            score: r.score.clone(),
            concern: r.concern.clone(),
            actions: actions
                .actions
                .iter()
                .filter(open)
                .filter(|a| a.addresses.iter().any(|q| q.id == r.question.id))
                .map(action_brief)
                .collect(),
        })
        .collect()
}

/// The metrics off target or getting worse.
fn watch_metrics(metrics: &MetricsPage) -> Vec<WatchMetric> {
    metrics
        .metrics
        .iter()
        .filter(|m| m.off_target || m.worsening)
        .map(|m| WatchMetric {
            metric: Ref {
                id: m.id.clone(),
                text: m.title.clone(),
                href: Some(routes::metric_href(&m.id)),
            },
            latest: m.latest.clone().unwrap_or_default(),
            status: m.status.clone(),
            trend: m.trend.clone(),
        })
        .collect()
}

/// Every ranked question whose assessed rating a case audit or survey set, highest risk first.
fn practice_conflicts(ctx: &Ctx<'_>, p: &mut Publisher) -> Vec<PracticeConflict> {
    let Some((_, a, fw)) = ctx.latest else {
        return Vec::new();
    };
    a.ranking
        .priorities
        .iter()
        .filter_map(|s| {
            let r = s.lowered_by.as_ref()?;
            let month = r.closed.long();
            let month = month.split_once(' ').map_or(month.as_str(), |(_, m)| m);
            Some(PracticeConflict {
                question: ctx.question_ref(&s.question, p),
                reported: ctx.rating_tag(fw, s.own_rating),
                found: ctx.rating_tag(fw, r.rating),
                by: format!("{}, {} ({month})", r.source.words(), r.method.words()),
                rank: s.rank,
            })
        })
        .collect()
}
