//! A collection: several partnerships side by side.

use super::{PublicView, Ref, Tag, rating_tag};
use crate::analysis::{self, Analysis};
use crate::format::num;
use crate::model::Audit;
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

#[derive(Debug, Serialize)]
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

impl CollectionView {
    /// `members` pairs each partnership's audit with its latest analysis (if it has a cycle)
    /// and its public view.
    pub fn build(members: &[(&Audit, Option<&Analysis>, &PublicView)]) -> CollectionView {
        let partnerships = members
            .iter()
            .map(|(audit, analysis, view)| {
                let fw = analysis.and_then(|a| audit.frameworks.get(&a.framework));
                let mean = analysis.and_then(Analysis::mean_rating);
                CollectionRow {
                    name: view.partnership.name.clone(),
                    short_name: view.partnership.short_name.clone(),
                    folder: audit.folder.clone(),
                    href: routes::in_member(&audit.folder, routes::OVERVIEW),
                    cycle: view.cycle.as_ref().map_or("No cycles yet".into(), |c| {
                        format!("{} ({})", c.title, c.id)
                    }),
                    questions: view.cycle.as_ref().map_or(0, |c| c.questions_in_scope),
                    returns: view.cycle.as_ref().map_or("–".into(), |c| {
                        format!("{} of {}", c.returns_received, c.agencies)
                    }),
                    mean: match fw {
                        Some(fw) => rating_tag(fw, mean),
                        None => Tag::new("No rating", "grey"),
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
            })
            .collect();
        let latest: Vec<Option<&Analysis>> = members.iter().map(|(_, a, _)| *a).collect();
        let shared = analysis::shared_framework(&latest);
        let (themes, scale) = match shared.and_then(|id| {
            members
                .first()
                .and_then(|(audit, _, _)| audit.frameworks.get(id))
        }) {
            Some(fw) => (
                fw.themes
                    .iter()
                    .filter_map(|t| {
                        let values: Vec<Option<f64>> = members
                            .iter()
                            .map(|(_, a, _)| a.and_then(|a| a.theme_mean(&t.id)))
                            .collect();
                        values.iter().any(Option::is_some).then(|| CollectionTheme {
                            title: members
                                .first()
                                .and_then(|(_, _, v)| {
                                    v.themes
                                        .iter()
                                        .find(|x| x.id == t.id)
                                        .map(|x| x.title.clone())
                                })
                                .unwrap_or_else(|| t.title.clone()),
                            values: values
                                .iter()
                                .map(|v| v.map_or("–".into(), |v| num(v, 2)))
                                .collect(),
                        })
                    })
                    .collect(),
                format!(
                    "{} = {} to {} = {}",
                    fw.bottom(),
                    fw.scale.first().map_or("", |l| l.label.as_str()),
                    fw.top(),
                    fw.scale.last().map_or("", |l| l.label.as_str())
                ),
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
