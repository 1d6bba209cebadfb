//! A collection: several partnerships side by side. Each partnership is built, written and
//! dropped in turn; what the collection's pages need of it is kept in a [`MemberSummary`],
//! taken from its public view and its main analysis only.

use super::{PublicView, Ref, Tag, rag_class};
use crate::analysis::Analysis;
use crate::model::{Audit, Better, ScaleLevel};
use crate::site::routes;
use serde::Serialize;

/// The comparison index of a collection, built from each partnership's public view only.
#[derive(Debug, Serialize)]
pub struct CollectionView {
    pub partnerships: Vec<CollectionRow>,
    /// Average rating per theme and partnership, when every partnership's latest cycle used the
    /// same framework (otherwise the themes are not comparable and this is empty).
    pub themes: Vec<CollectionTheme>,
    pub scale: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CollectionRow {
    pub name: String,
    pub short_name: String,
    pub folder: String,
    /// `<folder>/index.html`.
    pub href: String,
    pub cycle: String,
    pub questions: usize,
    pub returns: String,
    pub mean: Tag,
    /// The highest priority, its href relative to the collection's root.
    pub top: Option<Ref>,
    pub overdue: usize,
}

#[derive(Debug, Serialize)]
pub struct CollectionTheme {
    pub title: String,
    pub values: Vec<String>,
}

/// What a collection's pages keep of one partnership once its own pages are written: public
/// figures only (the partnership's effective ratings, its metrics' latest values), never an
/// agency's return.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberSummary {
    pub row: CollectionRow,
    /// The framework of the cycle its site reports, with that framework's scale.
    pub framework: Option<String>,
    pub scale: Vec<ScaleLevel>,
    /// Every theme of that framework, in the framework's order: (id, title, average rating).
    pub themes: Vec<ThemePoint>,
    /// Metrics with an England comparator and a value, in the partnership's order.
    pub metrics: Vec<MetricPoint>,
    /// The partnership's publication allow and deny lists: the collection's pages answer to them.
    pub allow: Vec<String>,
    pub deny: Vec<String>,
    /// A public build: its ratings are read out as the scale's words, never as figures.
    pub public: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ThemePoint {
    pub id: String,
    pub title: String,
    pub mean: Option<f64>,
    /// The partnership's own theme page, from its root, when it has one.
    pub href: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MetricPoint {
    pub id: String,
    pub title: String,
    pub unit: String,
    pub better: Better,
    pub value: f64,
    pub period: String,
    pub england_label: String,
    pub england: f64,
    pub england_source: Option<String>,
}

impl MemberSummary {
    /// `analysis` is the cycle the partnership's site reports (None before its first cycle).
    /// `public`: averages are compared at their level of the scale, never as exact figures
    /// (an exact average could give away a rating disclosure control hides).
    pub fn of(
        audit: &Audit,
        analysis: Option<&Analysis>,
        view: &PublicView,
        public: bool,
    ) -> MemberSummary {
        let fw = analysis.and_then(|a| audit.frameworks.get(&a.framework));
        let coarse = |m: Option<f64>| match (public, fw) {
            (true, Some(fw)) => m.map(|r| f64::from(fw.level_at(r).value)),
            _ => m,
        };
        let mean = coarse(analysis.and_then(Analysis::mean_rating));
        let scale = fw.map(|f| f.scale.clone()).unwrap_or_default();
        let row = collection_row(audit, view, fw.is_some(), &scale, mean);
        let themes = match (fw, analysis) {
            (Some(fw), Some(a)) => fw
                .themes
                .iter()
                .map(|t| ThemePoint {
                    id: t.id.clone(),
                    title: view
                        .themes
                        .iter()
                        .find(|x| x.id == t.id)
                        .map_or_else(|| t.title.clone(), |x| x.title.clone()),
                    mean: coarse(a.theme_mean(&t.id)),
                    href: view
                        .themes
                        .iter()
                        .any(|x| x.id == t.id)
                        .then(|| routes::theme_href(&t.id)),
                })
                .collect(),
            _ => Vec::new(),
        };
        let metrics = metric_points(audit, view);
        MemberSummary {
            row,
            framework: analysis.map(|a| a.framework.clone()),
            scale,
            themes,
            metrics,
            allow: audit.partnership.allow.clone(),
            deny: audit.deny.clone(),
            public,
        }
    }
}

/// A partnership's line in the collection's table.
fn collection_row(
    audit: &Audit,
    view: &PublicView,
    rated: bool,
    scale: &[ScaleLevel],
    mean: Option<f64>,
) -> CollectionRow {
    CollectionRow {
        name: view.partnership.name.clone(),
        short_name: view.partnership.short_name.clone(),
        folder: audit.folder.clone(),
        href: routes::in_member(&audit.folder, routes::OVERVIEW),
        cycle: view.cycle.as_ref().map_or("No cycles yet".into(), |c| {
            format!("{} ({})", c.title, c.id)
        }),
        questions: view.cycle.as_ref().map_or(0, |c| c.questions_in_scope),
        returns: view
            .cycle
            .as_ref()
            .filter(|c| c.agency_figures && c.collects_returns)
            .map_or("–".into(), |c| {
                format!("{} of {}", c.returns_received, c.agencies)
            }),
        mean: if rated {
            scale_tag(scale, mean)
        } else {
            Tag::new("No rating", "grey")
        },
        top: view.priorities.first().map(|p| Ref {
            id: p.question.id.clone(),
            text: p.question.text.clone(),
            href: p
                .question
                .href
                .as_ref()
                .map(|h| routes::in_member(&audit.folder, h)),
        }),
        overdue: view.actions.overdue,
    }
}

/// The metrics the partnership reports that have a comparator for England, at the period
/// its metrics page shows (else the latest).
fn metric_points(audit: &Audit, view: &PublicView) -> Vec<MetricPoint> {
    let period = view.metrics.period.as_deref();
    audit
        .metrics
        .iter()
        .filter_map(|m| {
            let c = m.comparator.as_ref()?;
            let (per, value) = match period {
                Some(p) => m.value_at(p)?,
                None => m.values.iter().next_back().map(|(k, v)| (k.as_str(), *v))?,
            };
            Some(MetricPoint {
                id: m.id.clone(),
                title: m.title.clone(),
                unit: m.unit.clone(),
                better: m.better,
                value,
                period: per.to_string(),
                england_label: c.label.clone(),
                england: c.value,
                england_source: c.source.clone(),
            })
        })
        .collect()
}

/// The scale level nearest a rating, as words on a tag (like a partnership's own pages).
pub(super) fn scale_tag(scale: &[ScaleLevel], rating: Option<f64>) -> Tag {
    let (Some(r), Some(first)) = (rating, scale.first()) else {
        return Tag::new("No rating", "grey");
    };
    let mut best = first;
    for level in scale {
        if (f64::from(level.value) - r).abs() < (f64::from(best.value) - r).abs() - 1e-9 {
            best = level;
        }
    }
    let text = if (r - f64::from(best.value)).abs() < 1e-9 {
        best.label.clone()
    } else {
        format!("{} ({})", best.label, crate::format::rating(r))
    };
    Tag::new(text, rag_class(best.rag))
}

/// The framework every member's reported cycle used, when they all used the same one: only
/// then are their themes comparable.
pub(super) fn shared_framework(members: &[MemberSummary]) -> Option<&MemberSummary> {
    let first = members.first()?;
    let id = first.framework.as_ref()?;
    members
        .iter()
        .all(|m| m.framework.as_ref() == Some(id))
        .then_some(first)
}

/// "0 = No assurance to 3 = Substantial assurance" (public: "No assurance to Substantial
/// assurance", the words without the figures).
pub(super) fn scale_words(scale: &[ScaleLevel], public: bool) -> String {
    match (scale.first(), scale.last()) {
        (Some(a), Some(b)) if public => format!("{} to {}", a.label, b.label),
        (Some(a), Some(b)) => format!("{} = {} to {} = {}", a.value, a.label, b.value, b.label),
        _ => String::new(),
    }
}

/// A rating as the page shows it: the figure inside the partnership ("1.33"), the scale's
/// words in public ("Limited assurance"; a median halfway between two levels reads "between
/// Limited and Reasonable assurance"). Public ratings here are already levels of the scale.
pub(super) fn rating_text(scale: &[ScaleLevel], rating: f64, public: bool) -> String {
    if !public || scale.is_empty() {
        return crate::format::rating(rating);
    }
    let below = scale
        .iter()
        .rev()
        .find(|l| f64::from(l.value) <= rating + 1e-9)
        .unwrap_or(&scale[0]);
    match scale.iter().find(|l| f64::from(l.value) > rating + 1e-9) {
        Some(above) if rating - f64::from(below.value) > 1e-9 => {
            format!("between {} and {}", below.label, above.label)
        }
        _ => below.label.clone(),
    }
}

impl CollectionView {
    /// The comparison index of the partnerships, in folder order.
    pub fn build(members: &[MemberSummary]) -> CollectionView {
        let partnerships = members.iter().map(|m| m.row.clone()).collect();
        let (themes, scale) = match shared_framework(members) {
            Some(first) => (
                first
                    .themes
                    .iter()
                    .enumerate()
                    .filter_map(|(i, t)| {
                        let values: Vec<Option<f64>> = members
                            .iter()
                            .map(|m| m.themes.get(i).and_then(|x| x.mean))
                            .collect();
                        values.iter().any(Option::is_some).then(|| CollectionTheme {
                            title: t.title.clone(),
                            values: values
                                .iter()
                                .map(|v| {
                                    v.map_or("–".into(), |r| {
                                        rating_text(&first.scale, r, first.public)
                                    })
                                })
                                .collect(),
                        })
                    })
                    .collect(),
                scale_words(&first.scale, first.public),
            ),
            None => (Vec::new(), String::new()),
        };
        CollectionView {
            partnerships,
            themes,
            scale,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::rating_text;
    use crate::model::{Rag, ScaleLevel};

    fn scale() -> Vec<ScaleLevel> {
        ["No assurance", "Limited assurance", "Reasonable assurance"]
            .iter()
            .zip(0..)
            .map(|(label, value)| ScaleLevel {
                value,
                label: label.to_string(),
                rag: Rag::Amber,
                descriptor: String::new(),
            })
            .collect()
    }

    #[test]
    fn a_public_rating_is_read_out_in_the_scales_words() {
        let s = scale();
        assert_eq!(rating_text(&s, 1.0, true), "Limited assurance");
        assert_eq!(
            rating_text(&s, 1.5, true),
            "between Limited assurance and Reasonable assurance"
        );
        assert_eq!(rating_text(&s, 2.0, true), "Reasonable assurance");
        assert_eq!(rating_text(&s, 1.5, false), "1.50");
    }
}
