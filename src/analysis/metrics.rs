//! How each metric reads at a period: its latest value at or before it, the value before that,
//! and how it stands against its target, its comparator and its own trend. One judgement that
//! the score (per question), the metrics page, the overview and the board paper share.

use crate::model::{Audit, Better, Metric};
use serde::Serialize;

/// How one metric reads for the cycle, and which way it points.
#[derive(Debug, Clone, Serialize)]
pub struct MetricSignal {
    pub metric: String,
    pub title: String,
    pub unit: String,
    pub better: Better,
    /// The latest value for a period at or before the cycle's period; None when there is none.
    pub value: Option<f64>,
    /// The period that value is for.
    pub period: Option<String>,
    pub target: Option<f64>,
    /// The comparator's value (e.g. England), and its label.
    pub comparator: Option<f64>,
    pub comparator_label: Option<String>,
    /// The value for the period before `period`.
    pub previous: Option<f64>,
    pub previous_period: Option<String>,
    /// Worse than the target in the metric's direction (never for `better = "neither"`).
    pub off_target: bool,
    pub worse_than_comparator: bool,
    /// Worse than the previous period's value.
    pub worsening: bool,
}

impl MetricSignal {
    /// How many adverse signals this metric gives (0 to 3).
    pub fn adverse(&self) -> usize {
        usize::from(self.off_target)
            + usize::from(self.worse_than_comparator)
            + usize::from(self.worsening)
    }
}

/// How one value of a metric stands against its target: what the metrics page shows for the
/// latest value and for each period. [`MetricSignal::off_target`] is this at the cycle's period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetStatus {
    /// `better = "neither"`: the metric is shown for context and never judged.
    ContextOnly,
    NoData,
    WorseThanTarget,
    OnTarget,
    NoTarget,
}

/// Judges `value` (None when the metric has no value for the period) against `m`'s target.
pub fn target_status(m: &Metric, value: Option<f64>) -> TargetStatus {
    if m.better == Better::Neither {
        return TargetStatus::ContextOnly;
    }
    match (value, m.target) {
        (None, _) => TargetStatus::NoData,
        (Some(v), Some(t)) if m.worse(v, t) => TargetStatus::WorseThanTarget,
        (Some(_), Some(_)) => TargetStatus::OnTarget,
        (Some(_), None) => TargetStatus::NoTarget,
    }
}

/// How `m` reads at `period`.
pub fn signal(m: &Metric, period: &str) -> MetricSignal {
    let current = m.value_at(period);
    let before = m.previous_value(period);
    let value = current.map(|(_, v)| v);
    let worse_than =
        |reference: Option<f64>| value.zip(reference).is_some_and(|(v, r)| m.worse(v, r));
    let comparator = m.comparator.as_ref().map(|c| c.value);
    MetricSignal {
        metric: m.id.clone(),
        title: m.title.clone(),
        unit: m.unit.clone(),
        better: m.better,
        value,
        period: current.map(|(p, _)| p.to_string()),
        target: m.target,
        comparator,
        comparator_label: m.comparator.as_ref().map(|c| c.label.clone()),
        previous: before.map(|(_, v)| v),
        previous_period: before.map(|(p, _)| p.to_string()),
        off_target: target_status(m, value) == TargetStatus::WorseThanTarget,
        worse_than_comparator: worse_than(comparator),
        worsening: worse_than(before.map(|(_, v)| v)),
    }
}

/// A metric at a period, with every value up to it judged against the target.
#[derive(Debug, Clone, Serialize)]
pub struct MetricReading {
    pub signal: MetricSignal,
    /// How the value at the period stands against the target.
    #[serde(skip)]
    pub target: TargetStatus,
    /// Every value up to the period, oldest first, each against the target.
    #[serde(skip)]
    pub history: Vec<(String, f64, TargetStatus)>,
}

/// Every metric of the partnership at `period` (None: at its latest value).
pub fn readings(audit: &Audit, period: Option<&str>) -> Vec<MetricReading> {
    audit
        .metrics
        .iter()
        .map(|m| {
            let at = period
                .map(str::to_string)
                .or_else(|| m.values.keys().next_back().cloned())
                .unwrap_or_default();
            let signal = signal(m, &at);
            MetricReading {
                target: target_status(m, signal.value),
                history: m
                    .values
                    .iter()
                    .filter(|(per, _)| per.as_str() <= at.as_str())
                    .map(|(per, v)| (per.clone(), *v, target_status(m, Some(*v))))
                    .collect(),
                signal,
            }
        })
        .collect()
}
