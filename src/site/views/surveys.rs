//! A cycle's practitioner surveys as pages show them: each item's responses, the share at
//! each point and the agreement share, as a diverging stacked bar chart with the same figures
//! in a table; each question's reading. Public pages leave out items under
//! `publication.min_responses` responses; the breakdown by `group_by` is built for internal
//! pages only. Names, emails, timestamps and free text never reach here: the model does not
//! hold them.

use super::{Chart, Ctx, Publisher, Ref, Tag};
use crate::analysis::evidence::{Basis, Reading, Source};
use crate::analysis::survey::{ItemResult, Tally, percent};
use crate::model::{Cycle, Framework, Survey};
use crate::site::charts::{self, DivergingRow, Label};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct SurveyView {
    pub name: String,
    pub title: String,
    pub respondents: String,
    pub scale: Vec<String>,
    /// Set when every item shares one scale: then one chart shows them all.
    pub chart: Option<Chart>,
    pub items: Vec<ItemView>,
    /// The `group_by` header (internal pages only).
    pub group_by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    pub column: String,
    pub questions: Vec<Ref>,
    pub responses: String,
    /// False when too few answered to publish: then only `note` is shown.
    pub shown: bool,
    pub note: Option<String>,
    /// (point label, share "45%", count) for each point, lowest first.
    pub points: Vec<(String, String, usize)>,
    pub agreement: String,
    /// Its own chart, when the survey's items do not share one scale.
    pub chart: Option<Chart>,
    /// By `group_by` value (internal pages only).
    pub groups: Vec<GroupView>,
    pub groups_chart: Option<Chart>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    pub group: String,
    pub responses: usize,
    pub shares: Vec<String>,
    pub agreement: String,
}

/// One question's survey reading, for a survey cycle's page.
#[derive(Debug, Clone, Serialize)]
pub struct ReadingRow {
    pub question: Ref,
    pub figure: String,
    pub rating: Tag,
}

fn suppressed_note(min: usize) -> String {
    format!("fewer than {min} responses: not shown")
}

/// The surveys of `cycle`. `internal`: every item and the breakdown by group; otherwise
/// items under the minimum are left out of the chart and table.
pub(super) fn survey_views(
    ctx: &Ctx<'_>,
    cycle: &Cycle,
    internal: bool,
    p: &mut Publisher,
) -> Vec<SurveyView> {
    let min = ctx.audit.partnership.disclosure.min_responses;
    // The ledger holds a survey's figures only where they may be shown (a public build: once
    // its round is signed off).
    let Some(record) = ctx.record(&cycle.id) else {
        return Vec::new();
    };
    cycle
        .surveys
        .iter()
        .filter(|s| record.evidence.surveys.iter().any(|e| e.name == s.name))
        .map(|s| survey_view(ctx, cycle, s, internal, min, p))
        .collect()
}

/// How a survey is read for this audience.
#[derive(Clone, Copy)]
struct Showing {
    internal: bool,
    /// The fewest responses a public page shows a statement's figures for.
    min: usize,
    /// Whether every statement has the same scale (then one chart shows them all).
    same_scale: bool,
}

fn survey_view(
    ctx: &Ctx<'_>,
    cycle: &Cycle,
    s: &Survey,
    internal: bool,
    min: usize,
    p: &mut Publisher,
) -> SurveyView {
    let results: Vec<ItemResult> = ctx
        .record(&cycle.id)
        .and_then(|r| r.evidence.surveys.iter().find(|e| e.name == s.name))
        .map(|e| e.items.clone())
        .unwrap_or_default();
    let title = p.text(&s.loc, &s.title);
    let how = Showing {
        internal,
        min,
        same_scale: results.windows(2).all(|w| w[0].scale == w[1].scale),
    };
    let items: Vec<ItemView> = results
        .iter()
        .zip(&s.items)
        .enumerate()
        .map(|(k, (r, item))| {
            let id = format!("survey-{}-{}-{k}", cycle.id, s.name);
            item_view(ctx, p, s, &id, (r, item), how)
        })
        .collect();
    let id = format!("survey-{}-{}", cycle.id, s.name);
    let chart = survey_chart(&results, &items, &id, &title, how);
    let scale: Vec<String> = results.first().map(|r| r.scale.clone()).unwrap_or_default();
    let respondents = if internal {
        s.respondents.to_string()
    } else {
        crate::disclosure::shown(s.respondents, min).to_string()
    };
    SurveyView {
        name: s.name.clone(),
        title,
        respondents,
        scale: if how.same_scale {
            scale.iter().map(|l| p.text(&s.loc, l)).collect()
        } else {
            Vec::new()
        },
        chart,
        items,
        group_by: if internal { s.group_by.clone() } else { None },
    }
}

/// One statement: its answers level by level (public pages only when enough answered), its
/// own chart when the statements' scales differ, and (internal pages) its answers by group.
fn item_view(
    ctx: &Ctx<'_>,
    p: &mut Publisher,
    s: &Survey,
    id: &str,
    (r, item): (&ItemResult, &crate::model::SurveyItem),
    how: Showing,
) -> ItemView {
    let column = p.text(&item.loc, &r.column);
    let scale: Vec<String> = r.scale.iter().map(|l| p.text(&item.scale_loc, l)).collect();
    let n = r.all.responses();
    let shown = how.internal || n >= how.min;
    let points = if shown {
        scale
            .iter()
            .zip(r.all.shares())
            .zip(&r.all.counts)
            .map(|((l, sh), &c)| (l.clone(), percent(sh), c))
            .collect()
    } else {
        Vec::new()
    };
    let (groups, groups_chart) = if how.internal && s.group_by.is_some() {
        by_group(r, s, id, &column, &scale, how.min)
    } else {
        (Vec::new(), None)
    };
    let chart = (shown && !how.same_scale).then(|| Chart {
        id: id.to_string(),
        caption: column.clone(),
        svg: charts::diverging_bars(
            &Label {
                id: id.to_string(),
                title: column.clone(),
                desc: desc(),
            },
            &scale,
            &[DivergingRow {
                label: format!("{column} ({n} responses)"),
                shares: r.all.shares(),
            }],
        ),
    });
    ItemView {
        questions: r.questions.iter().map(|q| ctx.question_ref(q, p)).collect(),
        responses: if shown {
            n.to_string()
        } else {
            format!("fewer than {}", how.min)
        },
        shown,
        note: (!shown).then(|| suppressed_note(how.min)),
        points,
        agreement: if shown {
            r.all.agreement().map_or("no answers".into(), percent)
        } else {
            String::new()
        },
        column,
        chart,
        groups,
        groups_chart,
    }
}

/// A statement's answers by the survey's `group_by` column (internal pages), small groups
/// merged, with their chart.
fn by_group(
    r: &ItemResult,
    s: &Survey,
    id: &str,
    column: &str,
    scale: &[String],
    min: usize,
) -> (Vec<GroupView>, Option<Chart>) {
    let merged = merged_groups(&r.groups, min);
    let groups: Vec<GroupView> = merged.iter().map(|(g, t)| group_view(g, t)).collect();
    let rows: Vec<DivergingRow> = merged
        .iter()
        .map(|(g, t)| DivergingRow {
            label: format!("{g} ({} responses)", t.responses()),
            shares: t.shares(),
        })
        .collect();
    let chart = Chart {
        id: format!("{id}-groups"),
        caption: format!("{column}: by {}", s.group_by.clone().unwrap_or_default()),
        svg: charts::diverging_bars(
            &Label {
                id: format!("{id}-groups"),
                title: format!("{column}, by group"),
                desc: "Each group's answers: disagreeing to the left of the centre line, agreeing to the right. The table below gives the figures.".into(),
            },
            scale,
            &rows,
        ),
    };
    (groups, Some(chart))
}

/// One chart of every shown statement, when they share a scale.
fn survey_chart(
    results: &[ItemResult],
    items: &[ItemView],
    id: &str,
    title: &str,
    how: Showing,
) -> Option<Chart> {
    let scale: Vec<String> = results.first().map(|r| r.scale.clone()).unwrap_or_default();
    let rows: Vec<DivergingRow> = results
        .iter()
        .zip(items)
        .filter(|(_, v)| v.shown)
        .map(|(r, v)| DivergingRow {
            label: format!("{} ({} responses)", v.column, r.all.responses()),
            shares: r.all.shares(),
        })
        .collect();
    (how.same_scale && !rows.is_empty()).then(|| Chart {
        id: id.to_string(),
        caption: "Answers to each statement (the table below gives the figures)".into(),
        svg: charts::diverging_bars(
            &Label {
                id: id.to_string(),
                title: format!("{title}: answers to each statement"),
                desc: desc(),
            },
            &scale,
            &rows,
        ),
    })
}

fn desc() -> String {
    "Each statement's answers as shares of those who answered it: disagreeing to the left of the centre line, agreeing to the right, the middle answer across it. The table below gives the same figures.".into()
}

/// A breakdown by group with every group of fewer than `min` answers merged into "other
/// groups" (see `crate::disclosure::merge_small`): even inside the partnership, practitioners
/// answered on the promise that no one could tell their answer.
fn merged_groups(groups: &[(String, Tally)], min: usize) -> Vec<(String, Tally)> {
    let sized: Vec<(String, usize, Tally)> = groups
        .iter()
        .map(|(g, t)| (g.clone(), t.responses(), t.clone()))
        .collect();
    crate::disclosure::merge_small(&sized, min, |a, b| Tally {
        counts: a.counts.iter().zip(&b.counts).map(|(x, y)| x + y).collect(),
    })
    .into_iter()
    .map(|(g, _, t)| (g, t))
    .collect()
}

fn group_view(g: &str, t: &Tally) -> GroupView {
    GroupView {
        group: g.to_string(),
        responses: t.responses(),
        shares: t.shares().into_iter().map(percent).collect(),
        agreement: t.agreement().map_or("no answers".into(), percent),
    }
}

/// Each question the cycle's surveys bear on, with its agreement and reading; under the
/// minimum, "not shown".
pub(super) fn reading_rows(
    ctx: &Ctx<'_>,
    cycle: &Cycle,
    fw: &Framework,
    p: &mut Publisher,
) -> Vec<ReadingRow> {
    let min = ctx.audit.partnership.disclosure.min_responses;
    let Some(record) = ctx.record(&cycle.id) else {
        return Vec::new();
    };
    record
        .evidence
        .readings
        .values()
        .flatten()
        .filter(|r| r.source == Source::Survey)
        .map(|r| {
            let (figure, rating) = reading_figure(ctx, fw, r, min);
            ReadingRow {
                question: ctx.question_ref(&r.question, p),
                figure,
                rating,
            }
        })
        .collect()
}

/// "72% of 96 answers agreed, on 2 items", and the reading as a tag; under the minimum,
/// neither. `r` is a survey reading.
pub(super) fn reading_figure(
    ctx: &Ctx<'_>,
    fw: &Framework,
    r: &Reading,
    min: usize,
) -> (String, Tag) {
    let Basis::Survey {
        answers,
        agreeing,
        items,
        fewest,
    } = r.basis
    else {
        return (String::new(), Tag::new("Not shown", "grey"));
    };
    if fewest < min {
        return (suppressed_note(min), Tag::new("Not shown", "grey"));
    }
    let agreement = agreeing as f64 / answers.max(1) as f64;
    (
        format!(
            "{} of {answers} answers agreed, on {items} survey item{}",
            percent(agreement),
            if items == 1 { "" } else { "s" }
        ),
        ctx.rating_tag(fw, r.rating),
    )
}
