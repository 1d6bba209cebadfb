//! The metrics page: each metric's values up to the latest cycle's period, against its target
//! and comparator, with a chart.

use super::{Chart, Ctx, Publisher, Ref, Tag};
use crate::analysis::metrics::{MetricReading, TargetStatus};
use crate::format::{grouped, num, with_unit};
use crate::model::{Better, Metric};
use crate::site::charts::{self, Label, Line, RefMark, Reference, nice_ticks};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct MetricsPage {
    pub period: Option<String>,
    pub metrics: Vec<MetricView>,
}

#[derive(Debug, Serialize)]
pub struct MetricView {
    pub id: String,
    pub title: String,
    pub definition_html: Option<String>,
    pub unit: String,
    pub direction: &'static str,
    /// False for `better = "neither"`: shown for context, never judged good or bad.
    pub judged: bool,
    pub status: Tag,
    /// The latest value is worse than the target (the overview lists these).
    #[serde(skip)]
    pub off_target: bool,
    /// The latest value is worse than the one before it (judged metrics only).
    pub worsening: bool,
    /// "Up from 24.1% in 2023-24", when there is an earlier value.
    pub trend: Option<String>,
    pub latest: Option<String>,
    pub target: Option<String>,
    pub comparator: Option<String>,
    pub comparator_source: Option<String>,
    pub rows: Vec<MetricRow>,
    pub chart: Option<Chart>,
    pub themes: Vec<Ref>,
    pub questions: Vec<Ref>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MetricRow {
    pub period: String,
    pub value: String,
    pub against_target: String,
}

pub(super) fn metrics_page(ctx: &Ctx<'_>, p: &mut Publisher) -> MetricsPage {
    let period = ctx.latest.map(|(c, _, _)| c.period.clone());
    let readings = match ctx.latest {
        Some((_, a, _)) => &a.metrics,
        None => &ctx.ledger.metrics_latest,
    };
    let metrics = ctx
        .audit
        .metrics
        .iter()
        .zip(readings)
        .map(|(m, r)| metric_view(ctx, m, r, period.as_deref(), p))
        .collect();
    MetricsPage { period, metrics }
}

fn metric_view(
    ctx: &Ctx<'_>,
    m: &Metric,
    r: &MetricReading,
    period: Option<&str>,
    p: &mut Publisher,
) -> MetricView {
    let judged = m.better != Better::Neither;
    let sig = &r.signal;
    let latest = sig.period.as_deref().zip(sig.value);
    let target = r.target;
    let previous = sig.previous_period.as_deref().zip(sig.previous);
    let worsening = sig.worsening;
    let trend = latest
        .zip(previous)
        .map(|((_, v), (per, before))| trend_words(v, per, before, &m.unit));
    let status = status_tag(target, worsening);
    let rows = history_rows(m, r);
    let comparator_label = m.comparator.as_ref().map(|c| p.text(&m.loc, &c.label));
    let title = p.text(&m.loc, &m.title);
    let chart = (!rows.is_empty())
        .then(|| metric_chart(m, &title, comparator_label.as_deref(), period))
        .flatten();
    MetricView {
        id: m.id.clone(),
        title,
        definition_html: m.definition.as_ref().map(|d| p.markdown(&m.loc, d, 4)),
        unit: p.text(&m.loc, &m.unit),
        direction: match m.better {
            Better::Lower => "Lower is better",
            Better::Higher => "Higher is better",
            Better::Neither => "Neither higher nor lower is better: shown for context",
        },
        judged,
        status,
        off_target: target == TargetStatus::WorseThanTarget,
        worsening,
        trend,
        latest: latest.map(|(per, v)| format!("{} ({per})", with_unit(v, &m.unit))),
        target: m.target.map(|t| with_unit(t, &m.unit)),
        comparator: m
            .comparator
            .as_ref()
            .zip(comparator_label.as_ref())
            .map(|(c, l)| format!("{}: {}", l, with_unit(c.value, &m.unit))),
        comparator_source: m
            .comparator
            .as_ref()
            .and_then(|c| c.source.as_ref())
            .map(|s| p.text(&m.loc, s)),
        rows,
        chart,
        themes: m.themes.iter().map(|t| ctx.theme_ref(t, p)).collect(),
        questions: m.questions.iter().map(|q| ctx.question_ref(q, p)).collect(),
    }
}

/// How the latest value moved from the one before, in words.
fn trend_words(v: f64, per: &str, before: f64, unit: &str) -> String {
    let word = if v > before {
        "Up"
    } else if v < before {
        "Down"
    } else {
        "Unchanged"
    };
    let from = if word == "Unchanged" { "at" } else { "from" };
    format!("{word} {from} {} in {per}", with_unit(before, unit))
}

/// Where the metric stands against its target, and whether it is getting worse.
fn status_tag(target: TargetStatus, worsening: bool) -> Tag {
    match (target, worsening) {
        (TargetStatus::ContextOnly, _) => Tag::new("Context only", "grey"),
        (TargetStatus::NoData, _) => Tag::new("No data", "grey"),
        (TargetStatus::WorseThanTarget, true) => {
            Tag::new("Worse than target and getting worse", "red")
        }
        (TargetStatus::WorseThanTarget, false) => Tag::new("Worse than target", "red"),
        (TargetStatus::OnTarget, true) => Tag::new("On target, but getting worse", "orange"),
        (TargetStatus::OnTarget, false) => Tag::new("On target", "green"),
        (TargetStatus::NoTarget, true) => Tag::new("No target; getting worse", "orange"),
        (TargetStatus::NoTarget, false) => Tag::new("No target", "grey"),
    }
}

/// Every period's value and how it stood against the target.
fn history_rows(m: &Metric, r: &MetricReading) -> Vec<MetricRow> {
    r.history
        .iter()
        .map(|(per, v, status)| MetricRow {
            period: per.clone(),
            value: with_unit(*v, &m.unit),
            against_target: match status {
                TargetStatus::ContextOnly => "Context only".into(),
                TargetStatus::NoData | TargetStatus::NoTarget => "–".into(),
                TargetStatus::WorseThanTarget => "Worse than target".into(),
                TargetStatus::OnTarget => "Meets target".into(),
            },
        })
        .collect()
}

fn metric_chart(
    m: &Metric,
    title: &str,
    comparator_label: Option<&str>,
    period: Option<&str>,
) -> Option<Chart> {
    let points: Vec<(&String, f64)> = m
        .values
        .iter()
        .filter(|(per, _)| period.is_none_or(|limit| per.as_str() <= limit))
        .map(|(k, v)| (k, *v))
        .collect();
    let periods: Vec<String> = points.iter().map(|(k, _)| (*k).clone()).collect();
    let refs = references(m, comparator_label, &periods);
    let (lo, hi, ticks) = value_axis(&points, &refs);
    let line = Line {
        label: title.to_string(),
        values: points.iter().map(|p| Some(p.1)).collect(),
    };
    let id = format!("chart-metric-{}", m.id);
    let label = Label {
        id: id.clone(),
        title: format!("{title} over time"),
        desc: chart_desc(m, &points, &periods, &refs),
    };
    let unit = m.unit.trim();
    let y_title = if unit.is_empty() {
        "Value".to_string()
    } else {
        format!("Value ({unit})")
    };
    let svg = charts::lines_with_axis(
        &label,
        &periods,
        (lo, hi),
        &ticks,
        &[line],
        &refs,
        true,
        Some(&y_title),
    )
    .ok()?;
    Some(Chart {
        id,
        caption: format!("{title}, by period"),
        svg,
    })
}

/// The target as a line across the chart, and the comparator at the period its label names.
fn references(m: &Metric, comparator_label: Option<&str>, periods: &[String]) -> Vec<Reference> {
    let mut refs = Vec::new();
    if let Some(t) = m.target {
        refs.push(Reference {
            label: format!("Target: {}", with_unit(t, &m.unit)),
            value: t,
            mark: RefMark::Line,
        });
    }
    if let (Some(c), Some(l)) = (&m.comparator, comparator_label) {
        // A comparator belongs to one period: the one its label names, when on the chart.
        let at = periods
            .iter()
            .enumerate()
            .filter(|(_, per)| l.contains(per.as_str()))
            .map(|(i, _)| i)
            .next_back();
        refs.push(Reference {
            label: format!("{l}: {}", with_unit(c.value, &m.unit)),
            value: c.value,
            mark: at.map_or(RefMark::KeyOnly, RefMark::At),
        });
    }
    refs
}

/// The value axis: from zero (or the lowest value, when below zero) to past the highest, with
/// its ticks labelled.
fn value_axis(points: &[(&String, f64)], refs: &[Reference]) -> (f64, f64, Vec<(f64, String)>) {
    let all: Vec<f64> = points
        .iter()
        .map(|p| p.1)
        .chain(refs.iter().map(|r| r.value))
        .filter(|v| v.is_finite())
        .collect();
    let hi = all.iter().copied().fold(f64::MIN, f64::max);
    let lo = all.iter().copied().fold(f64::MAX, f64::min);
    let lo = if lo >= 0.0 { 0.0 } else { lo };
    let (lo, hi, ticks) = nice_ticks(lo, if hi > lo { hi } else { lo + 1.0 });
    let ticks = ticks
        .into_iter()
        .map(|t| (t, grouped(&num(t, 2))))
        .collect();
    (lo, hi, ticks)
}

/// The chart in words, for a screen reader: every value, then each reference and where it is.
fn chart_desc(
    m: &Metric,
    points: &[(&String, f64)],
    periods: &[String],
    refs: &[Reference],
) -> String {
    format!(
        "Line over {} periods: {}.{}",
        periods.len(),
        points
            .iter()
            .map(|(k, v)| format!("{k} {}", with_unit(*v, &m.unit)))
            .collect::<Vec<_>>()
            .join(", "),
        refs.iter()
            .map(|r| match r.mark {
                RefMark::Line => format!(" Dashed line across every period: {}.", r.label),
                RefMark::At(i) => format!(
                    " Diamond at {}: {}.",
                    periods.get(i).map_or("", String::as_str),
                    r.label
                ),
                RefMark::KeyOnly => format!(" {} (its period is not on the chart).", r.label),
            })
            .collect::<String>()
    )
}
