//! A page per theme: its questions in rank order, its rating levels and the metrics bearing on it.

use super::priorities::PriorityRow;
use super::{Ctx, Publisher, Ref, StatusCount, Tag, rag_class};
use crate::format::num;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct ThemePage {
    pub id: String,
    pub title: String,
    pub summary_html: String,
    pub weight: String,
    pub weighted: bool,
    /// The partnership's weight moves this theme's questions up the ranking (down when false).
    pub raised: bool,
    pub mean: Tag,
    pub questions: Vec<PriorityRow>,
    pub not_applicable: Vec<Ref>,
    pub level_counts: Vec<StatusCount>,
    pub metrics: Vec<Ref>,
}

pub(super) fn theme_pages(
    ctx: &Ctx<'_>,
    priorities: &[PriorityRow],
    p: &mut Publisher,
) -> Vec<ThemePage> {
    let Some((_, a, fw)) = ctx.latest else {
        return Vec::new();
    };
    let fw_loc = fw.loc.clone();
    a.ranking
        .themes
        .iter()
        .filter_map(|t| {
            let theme = fw.theme(&t.theme)?;
            let not_applicable = a
                .ranking
                .not_applicable
                .iter()
                .filter(|q| fw.question(q).is_some_and(|q| q.theme == t.theme))
                .map(|q| ctx.question_ref(q, p))
                .collect();
            let metrics = ctx
                .audit
                .metrics
                .iter()
                .filter(|m| {
                    m.themes.contains(&t.theme)
                        || fw
                            .questions
                            .iter()
                            .filter(|q| q.theme == t.theme)
                            .any(|q| q.metrics.contains(&m.id) || m.questions.contains(&q.id))
                })
                .map(|m| ctx.metric_ref(m, p))
                .collect();
            let swatch_classes: Vec<&'static str> =
                fw.scale.iter().map(|l| rag_class(l.rag)).collect();
            let mut level_counts: Vec<StatusCount> = t
                .levels
                .iter()
                .zip(swatch_classes)
                .map(|(l, class)| StatusCount {
                    status: Tag::new(p.text(&fw_loc, &l.label), class),
                    count: l.count,
                })
                .collect();
            level_counts.push(StatusCount {
                status: Tag::new("No rating", "grey"),
                count: t.unrated,
            });
            Some(ThemePage {
                id: t.theme.clone(),
                title: p.text(&theme.loc, &theme.title),
                summary_html: p.markdown(&theme.loc, &theme.summary, 2),
                weight: num(t.weight, 2),
                weighted: (t.weight - 1.0).abs() > 1e-9,
                raised: t.weight > 1.0,
                mean: ctx.rating_tag(fw, t.mean_rating),
                questions: priorities
                    .iter()
                    .filter(|r| r.theme.id == t.theme)
                    .cloned()
                    .collect(),
                not_applicable,
                level_counts,
                metrics,
            })
        })
        .collect()
}
