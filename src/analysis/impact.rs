//! Impact: what followed each completed action, in the audits and in the data.
//!
//! For an action completed on day D, each question it addresses is compared like for like: for
//! every method of cycle that asked it, its assessed rating in the last cycle of that method that
//! closed on or before D against the first that opened on or after D (a cycle running over D is
//! neither). Each metric it expects to move (its `metrics`, else those tied to its questions) is
//! compared the same way: its last value for a period that ended on or before D against its first
//! for a period that began on or after D, read in the metric's direction. The verdict:
//!
//! - **not yet re-tested**: nothing was measured since (no later cycle asked its questions, no
//!   metric has a later value);
//! - **improved**: something rose (a rating by at least the change threshold, a metric in its
//!   better direction) and nothing fell;
//! - **worse**: something fell and nothing rose;
//! - **mixed**: some rose and some fell;
//! - **no change**: everything measured since held.
//!
//! The words say "followed by", never "caused": a partnership's data cannot attribute a change to
//! one action.
//!
//! A question whose addressing actions are all complete, while its rating in a cycle after the
//! last of them is no better than before, carries `actions-complete-no-change` and weighs more
//! ([`NO_CHANGE_WEIGHT`]): the plan says it is dealt with, and the evidence says otherwise.

use super::score::QuestionScore;
use super::{Movement, movement};
use crate::model::{Action, ActionStatus, Audit, Better, Cycle, Date, Method, Metric, period_span};
use serde::Serialize;
use std::collections::BTreeMap;

/// The factor on a question's score when every action on it is complete and the evidence
/// since is no better.
pub use super::score::NO_CHANGE_WEIGHT;

/// What followed a completed action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Improved,
    NoChange,
    Worse,
    Mixed,
    NotYetRetested,
}

impl Verdict {
    /// In a reader's words.
    pub fn words(self) -> &'static str {
        match self {
            Verdict::Improved => "followed by improvement",
            Verdict::NoChange => "followed by no change",
            Verdict::Worse => "followed by a fall",
            Verdict::Mixed => "followed by mixed results",
            Verdict::NotYetRetested => "not yet re-tested",
        }
    }
}

/// Which way one measure moved after completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    Better,
    Same,
    Worse,
}

/// A question's rating before and after, in cycles of one method.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionImpact {
    pub question: String,
    pub theme: String,
    pub method: Method,
    /// (cycle, rating) in the last cycle of the method before completion, and the first after.
    pub before: Option<(String, Option<f64>)>,
    pub after: Option<(String, Option<f64>)>,
    /// None until both sides are rated.
    pub direction: Option<Direction>,
}

/// A metric's value before and after.
#[derive(Debug, Clone, Serialize)]
pub struct MetricImpact {
    pub metric: String,
    pub title: String,
    pub unit: String,
    pub better: Better,
    pub target: Option<f64>,
    pub before: Option<(String, f64)>,
    pub after: Option<(String, f64)>,
    pub direction: Option<Direction>,
    /// The value after meets the target (None without a target or a value after).
    pub on_target_after: Option<bool>,
}

/// Everything that followed one completed action, and the verdict.
#[derive(Debug, Clone, Serialize)]
pub struct ActionImpact {
    pub action: String,
    pub title: String,
    pub owner: String,
    pub completed: Date,
    pub questions: Vec<QuestionImpact>,
    pub metrics: Vec<MetricImpact>,
    pub verdict: Verdict,
}

impl ActionImpact {
    /// The themes its questions belong to, each once, in order.
    pub fn themes(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for q in &self.questions {
            if !out.contains(&q.theme.as_str()) {
                out.push(&q.theme);
            }
        }
        out
    }
}

/// Each cycle's scores, by cycle id, as the ledger holds them.
pub type Scores<'a> = BTreeMap<&'a str, &'a [QuestionScore]>;

/// What followed every completed action, in the action plan's order.
pub fn impacts(audit: &Audit, scores: &Scores<'_>, threshold: f64) -> Vec<ActionImpact> {
    audit
        .actions
        .iter()
        .filter(|a| a.status == ActionStatus::Complete)
        .filter_map(|a| {
            let completed = a.completed?;
            let questions = question_impacts(audit, a, completed, scores, threshold);
            let metrics = metric_impacts(audit, a, completed);
            let verdict = verdict(
                questions
                    .iter()
                    .filter_map(|q| q.direction)
                    .chain(metrics.iter().filter_map(|m| m.direction)),
                questions.iter().any(|q| q.after.is_some())
                    || metrics.iter().any(|m| m.after.is_some()),
            );
            Some(ActionImpact {
                action: a.id.clone(),
                title: a.title.clone(),
                owner: a.owner.clone(),
                completed,
                questions,
                metrics,
                verdict,
            })
        })
        .collect()
}

/// The verdict from the directions measured (`measured`: something has a value since).
pub fn verdict(directions: impl Iterator<Item = Direction>, measured: bool) -> Verdict {
    let (mut better, mut worse, mut any) = (false, false, false);
    for d in directions {
        any = true;
        better |= d == Direction::Better;
        worse |= d == Direction::Worse;
    }
    match (any && measured, better, worse) {
        (false, _, _) => Verdict::NotYetRetested,
        (true, true, true) => Verdict::Mixed,
        (true, true, false) => Verdict::Improved,
        (true, false, true) => Verdict::Worse,
        (true, false, false) => Verdict::NoChange,
    }
}

/// The cycles that asked `question`, each with its score there.
fn asked<'a>(
    audit: &'a Audit,
    scores: &Scores<'a>,
    question: &str,
) -> Vec<(&'a Cycle, Option<&'a QuestionScore>)> {
    audit
        .cycles
        .iter()
        .filter(|c| {
            audit
                .frameworks
                .get(&c.framework)
                .is_some_and(|fw| c.questions(fw).any(|q| q.id == question))
        })
        .map(|c| {
            let s = scores
                .get(c.id.as_str())
                .and_then(|list| list.iter().find(|s| s.question == question));
            (c, s)
        })
        .collect()
}

fn question_impacts(
    audit: &Audit,
    a: &Action,
    completed: Date,
    scores: &Scores<'_>,
    threshold: f64,
) -> Vec<QuestionImpact> {
    let mut out = Vec::new();
    for q in &a.addresses {
        let cycles = asked(audit, scores, q);
        let theme = cycles
            .iter()
            .find_map(|(c, _)| audit.frameworks.get(&c.framework)?.question(q))
            .map_or_else(String::new, |x| x.theme.clone());
        let mut methods: Vec<Method> = cycles.iter().map(|(c, _)| c.method).collect();
        methods.sort();
        methods.dedup();
        for method in methods {
            let of: Vec<&(&Cycle, Option<&QuestionScore>)> =
                cycles.iter().filter(|(c, _)| c.method == method).collect();
            let point = |x: &&(&Cycle, Option<&QuestionScore>)| {
                (x.0.id.clone(), x.1.and_then(|s| s.rating))
            };
            let before = of.iter().rfind(|(c, _)| c.closed <= completed).map(point);
            let after = of.iter().find(|(c, _)| c.opened >= completed).map(point);
            let direction = match (&before, &after) {
                (Some((_, Some(b))), Some((_, Some(n)))) => {
                    Some(match movement(Some(*b), Some(*n), threshold) {
                        Movement::Rose => Direction::Better,
                        Movement::Fell => Direction::Worse,
                        _ => Direction::Same,
                    })
                }
                _ => None,
            };
            out.push(QuestionImpact {
                question: q.clone(),
                theme: theme.clone(),
                method,
                before,
                after,
                direction,
            });
        }
    }
    out
}

/// The metrics an action expects to move: those it names, else those tied to its questions.
fn expected<'a>(audit: &'a Audit, a: &Action) -> Vec<&'a Metric> {
    if let Some(ids) = &a.metrics {
        return ids.iter().filter_map(|id| audit.metric(id)).collect();
    }
    audit
        .metrics
        .iter()
        .filter(|m| {
            a.addresses.iter().any(|q| {
                m.questions.contains(q)
                    || audit.frameworks.values().any(|fw| {
                        fw.question(q).is_some_and(|x| {
                            x.metrics.contains(&m.id) || m.themes.contains(&x.theme)
                        })
                    })
            })
        })
        .collect()
}

fn metric_impacts(audit: &Audit, a: &Action, completed: Date) -> Vec<MetricImpact> {
    expected(audit, a)
        .into_iter()
        .filter(|m| m.better != Better::Neither)
        .map(|m| {
            let spans: Vec<(&String, f64, Date, Date)> = m
                .values
                .iter()
                .filter_map(|(p, v)| period_span(p).map(|(s, e)| (p, *v, s, e)))
                .collect();
            let before = spans
                .iter()
                .rfind(|(_, _, _, end)| *end <= completed)
                .map(|(p, v, _, _)| ((*p).clone(), *v));
            let after = spans
                .iter()
                .find(|(_, _, start, _)| *start >= completed)
                .map(|(p, v, _, _)| ((*p).clone(), *v));
            let direction = before.as_ref().zip(after.as_ref()).map(|((_, b), (_, n))| {
                if m.worse(*n, *b) {
                    Direction::Worse
                } else if m.worse(*b, *n) {
                    Direction::Better
                } else {
                    Direction::Same
                }
            });
            MetricImpact {
                metric: m.id.clone(),
                title: m.title.clone(),
                unit: m.unit.clone(),
                better: m.better,
                target: m.target,
                on_target_after: m
                    .target
                    .zip(after.as_ref())
                    .map(|(t, (_, v))| !m.worse(*v, t)),
                before,
                after,
                direction,
            }
        })
        .collect()
}

/// Whether `s` (a question in `cycle`) carries `actions-complete-no-change`: every action
/// addressing it (dropped ones aside) is complete before the cycle opened, and its assessed
/// rating is no higher than in the last cycle of the same method before the last of them.
pub fn complete_but_unchanged(
    audit: &Audit,
    cycle: &Cycle,
    s: &QuestionScore,
    earlier: &Scores<'_>,
    threshold: f64,
) -> bool {
    let actions: Vec<&Action> = audit
        .actions
        .iter()
        .filter(|a| a.status != ActionStatus::Dropped && a.addresses.contains(&s.question))
        .collect();
    let Some(last) = actions.iter().map(|a| a.completed).max().flatten() else {
        return false;
    };
    let all_done = actions
        .iter()
        .all(|a| a.status == ActionStatus::Complete && a.completed.is_some());
    if actions.is_empty() || !all_done || last > cycle.opened {
        return false;
    }
    let before = audit
        .cycles
        .iter()
        .filter(|c| c.method == cycle.method && c.closed <= last && c.id < cycle.id)
        .filter_map(|c| {
            earlier
                .get(c.id.as_str())?
                .iter()
                .find(|x| x.question == s.question)
        })
        .next_back();
    before.is_some_and(|b| {
        b.rating.is_some()
            && s.rating.is_some()
            && movement(b.rating, s.rating, threshold) != Movement::Rose
    })
}

#[cfg(test)]
mod tests;
