//! How the latest cycle compares with earlier ones: the change since the previous cycle and the
//! trend of each theme's average rating across cycles of the same framework.

use super::{Chart, Ctx, Publisher, Ref, Tag, rating_tag};
use crate::analysis::{self, Analysis, Direction, LevelMove};
use crate::format::num;
use crate::model::{Cycle, Framework};
use crate::site::charts::{self, Label, Line};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct ChangeView {
    pub previous: String,
    pub previous_title: String,
    pub themes: Vec<ThemeChange>,
    /// Questions whose effective rating moved up a level of the scale, down, or stayed in it.
    pub improved: usize,
    pub declined: usize,
    pub unchanged: usize,
    /// Questions whose effective rating fell to a lower level, biggest fall first.
    pub declines: Vec<QuestionChange>,
    /// Questions whose effective rating rose to a higher level, biggest rise first.
    pub improvements: Vec<QuestionChange>,
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
}

#[derive(Debug, Clone, Serialize)]
pub struct TrendRow {
    pub theme: Ref,
    pub values: Vec<String>,
}

pub(super) fn change_view(
    ctx: &Ctx<'_>,
    c: &Cycle,
    a: &Analysis,
    analyses: &[Analysis],
    fw: &Framework,
    p: &mut Publisher,
) -> Option<ChangeView> {
    let prev_id = a.previous_cycle.as_ref()?;
    let prev = analyses.iter().find(|x| &x.cycle == prev_id)?;
    let prev_cycle = ctx.audit.cycle(prev_id)?;
    let themes = a
        .ranking
        .themes
        .iter()
        .map(|t| {
            let before = prev.theme_mean(&t.theme);
            let direction = match analysis::theme_direction(before, t.mean_rating) {
                Direction::Improved => Tag::new("Improved", "green"),
                Direction::Declined => Tag::new("Declined", "red"),
                Direction::Unchanged => Tag::new("No change", "grey"),
                Direction::NotComparable => Tag::new("Not comparable", "grey"),
            };
            ThemeChange {
                theme: ctx.theme_ref(&t.theme, p),
                before: before.map_or("–".into(), |b| num(b, 2)),
                now: t.mean_rating.map_or("–".into(), |n| num(n, 2)),
                direction,
            }
        })
        .collect();
    // Only a move to another level of the scale is listed: small shifts of an aggregate
    // within a level are noise to a board.
    let mut declines = Vec::new();
    let mut improvements = Vec::new();
    let mut unchanged = 0;
    for s in &a.ranking.priorities {
        let Some(pr) = &s.previous else { continue };
        let (Some(now), Some(then)) = (s.rating, pr.rating) else {
            continue;
        };
        let moved = analysis::level_move(fw, then, now);
        if moved == LevelMove::Same {
            unchanged += 1;
            continue;
        }
        let change = QuestionChange {
            question: ctx.question_ref(&s.question, p),
            before: rating_tag(fw, Some(then)),
            now: rating_tag(fw, Some(now)),
        };
        match moved {
            LevelMove::Down(by) => declines.push((by, change)),
            LevelMove::Up(by) => improvements.push((by, change)),
            LevelMove::Same => {}
        }
    }
    // Biggest change first; the ranking order (already by id on ties) breaks ties.
    declines.sort_by(|x, y| y.0.total_cmp(&x.0));
    improvements.sort_by(|x, y| y.0.total_cmp(&x.0));
    Some(ChangeView {
        previous: prev_id.clone(),
        previous_title: p.text(&prev_cycle.loc, &prev_cycle.title),
        themes,
        improved: improvements.len(),
        declined: declines.len(),
        unchanged,
        declines: declines.into_iter().map(|x| x.1).collect(),
        improvements: improvements.into_iter().map(|x| x.1).collect(),
    })
    .filter(|_| c.framework == prev_cycle.framework)
}

pub(super) fn trend_view(
    ctx: &Ctx<'_>,
    a: &Analysis,
    analyses: &[Analysis],
    fw: &Framework,
    p: &mut Publisher,
) -> Option<TrendView> {
    let same: Vec<&Analysis> = analyses
        .iter()
        .filter(|x| x.framework == a.framework)
        .collect();
    if same.len() < 2 {
        return None;
    }
    let cycles: Vec<String> = same.iter().map(|x| x.cycle.clone()).collect();
    let rows: Vec<(TrendRow, Vec<Option<f64>>)> = a
        .ranking
        .themes
        .iter()
        .map(|t| {
            let values: Vec<Option<f64>> = same.iter().map(|x| x.theme_mean(&t.theme)).collect();
            (
                TrendRow {
                    theme: ctx.theme_ref(&t.theme, p),
                    values: values
                        .iter()
                        .map(|v| v.map_or("–".into(), |v| num(v, 2)))
                        .collect(),
                },
                values,
            )
        })
        .collect();
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
    let label = Label {
        id: "chart-trend".into(),
        title: "Average rating by theme across audit cycles".into(),
        desc: format!(
            "Lines, one per theme, over cycles {}. Scale {} ({}) to {} ({}). {desc}.",
            cycles.join(", "),
            fw.bottom(),
            fw.scale.first().map_or("", |l| l.label.as_str()),
            fw.top(),
            fw.scale.last().map_or("", |l| l.label.as_str()),
        ),
    };
    let svg = charts::lines(
        &label,
        &cycles,
        (f64::from(fw.bottom()), f64::from(fw.top())),
        &ticks,
        &lines,
        &[],
        false,
    )
    .ok()?;
    Some(TrendView {
        chart: Chart {
            id: label.id,
            caption: format!(
                "Average rating by theme, cycle by cycle ({} = {}, {} = {})",
                fw.bottom(),
                fw.scale.first().map_or("", |l| l.label.as_str()),
                fw.top(),
                fw.scale.last().map_or("", |l| l.label.as_str())
            ),
            svg,
        },
        cycles,
        rows: rows.into_iter().map(|(r, _)| r).collect(),
    })
}
