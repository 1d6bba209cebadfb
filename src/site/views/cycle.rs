//! The latest cycle in brief: its scope, who was asked, who returned, and the cycles before it.

use super::{Ctx, Publisher, Ref, Tag, level_word, method_word};
use crate::analysis;
use crate::model::{Cycle, Framework, Level};
use crate::site::routes;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct CycleView {
    pub id: String,
    pub title: String,
    pub period: String,
    pub method: String,
    pub framework: String,
    pub framework_title: String,
    pub opened: String,
    pub closed: String,
    pub moderated_on: Option<String>,
    pub scope_themes: String,
    pub scope_levels: String,
    pub questions_in_scope: usize,
    /// Agencies asked for a return in this cycle.
    pub agencies: usize,
    /// Set when the cycle asked only some of the partnership's agencies.
    pub scope_agencies: Option<String>,
    pub returns_received: usize,
    pub answers_expected: usize,
    pub answers_given: usize,
    pub answers_not_applicable: usize,
    pub returns: Vec<ReturnRow>,
    /// Other cycles of the audit, oldest first.
    pub history: Vec<CycleSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReturnRow {
    pub agency: Ref,
    pub sector: String,
    pub statutory: bool,
    pub returned: Tag,
}

#[derive(Debug, Clone, Serialize)]
pub struct CycleSummary {
    pub id: String,
    pub title: String,
    pub period: String,
    pub method: String,
    pub framework: String,
    pub closed: String,
    pub returns: usize,
}

pub(super) fn cycle_view(ctx: &Ctx<'_>, c: &Cycle, fw: &Framework, p: &mut Publisher) -> CycleView {
    let audit = ctx.audit;
    let loc = c.loc.clone();
    let fw_loc = fw.loc.clone();
    let asked: Vec<&crate::model::Question> = c.questions(fw).collect();
    let scope_themes = if c.scope_themes.is_empty() {
        "All themes".to_string()
    } else {
        c.scope_themes
            .iter()
            .map(|t| fw.theme(t).map_or(t.as_str(), |t| t.title.as_str()))
            .map(|t| p.text(&fw_loc, t))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let scope_levels = if c.scope_levels.is_empty() || c.scope_levels.len() == Level::ALL.len() {
        "Strategic and practitioner questions".to_string()
    } else {
        c.scope_levels
            .iter()
            .map(|l| format!("{} questions", level_word(*l)))
            .collect::<Vec<_>>()
            .join(" and ")
    };
    let answers = analysis::scope_answers(c, fw);
    let taking_part = c.agencies(&audit.partnership).count();
    let returns = c
        .agencies(&audit.partnership)
        .map(|a| ReturnRow {
            agency: Ref {
                id: a.id.clone(),
                text: p.text(&audit.partnership.loc, &a.name),
                href: Some(routes::agency_href(&a.id)),
            },
            sector: a.sector.as_str().replace('-', " "),
            statutory: a.statutory,
            returned: if c.response(&a.id).is_some() {
                Tag::new("Returned", "green")
            } else {
                Tag::new("Not returned", "red")
            },
        })
        .collect();
    let history = audit
        .cycles
        .iter()
        .map(|h| CycleSummary {
            id: h.id.clone(),
            title: p.text(&h.loc, &h.title),
            period: h.period.clone(),
            method: method_word(h.method),
            framework: audit
                .frameworks
                .get(&h.framework)
                .map_or(h.framework.clone(), |f| p.text(&f.loc, &f.title)),
            closed: h.closed.long(),
            returns: h.responses.len(),
        })
        .collect();
    CycleView {
        id: c.id.clone(),
        title: p.text(&loc, &c.title),
        period: p.text(&loc, &c.period),
        method: method_word(c.method),
        framework: fw.id.clone(),
        framework_title: p.text(&fw_loc, &fw.title),
        opened: c.opened.long(),
        closed: c.closed.long(),
        moderated_on: c
            .moderation
            .as_ref()
            .and_then(|m| m.moderated_on)
            .map(|d| d.long()),
        scope_themes,
        scope_levels,
        questions_in_scope: asked.len(),
        agencies: taking_part,
        scope_agencies: (taking_part < audit.partnership.agencies.len()).then(|| {
            format!(
                "{taking_part} of the partnership's {} agencies were asked to take part",
                audit.partnership.agencies.len()
            )
        }),
        returns_received: c.responses.len(),
        answers_expected: asked.len() * taking_part,
        answers_given: answers.total(),
        answers_not_applicable: answers.not_applicable,
        returns,
        history,
    }
}
