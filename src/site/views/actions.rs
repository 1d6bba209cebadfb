//! The action plan page: every action in plan order, with what it covers and how it stands.

use super::priorities::PriorityRow;
use super::{Ctx, Publisher, Ref, StatusCount, Tag, status_tag};
use crate::format::num;
use crate::model::ActionStatus;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct ActionsPage {
    pub as_of: Option<String>,
    /// How many actions have a progress note.
    pub with_progress: usize,
    pub actions: Vec<ActionView>,
    pub uncovered: Vec<PriorityRow>,
    pub status: Vec<StatusCount>,
    pub overdue: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionView {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub due: String,
    pub due_iso: String,
    pub status: Tag,
    pub overdue: bool,
    pub effort: Option<&'static str>,
    pub plan_rank: Option<usize>,
    pub risk_covered: Option<String>,
    pub addresses: Vec<Ref>,
    pub covers: Vec<Ref>,
    pub progress_html: Option<String>,
}

pub(super) fn actions_page(
    ctx: &Ctx<'_>,
    priorities: &[PriorityRow],
    p: &mut Publisher,
) -> ActionsPage {
    let audit = ctx.audit;
    let plan = ctx.latest.map(|(_, a, _)| &a.plan);
    let mut actions: Vec<ActionView> = audit
        .actions
        .iter()
        .map(|x| {
            let planned = plan.and_then(|pl| pl.actions.iter().find(|pa| pa.action == x.id));
            ActionView {
                id: x.id.clone(),
                title: p.text(&x.loc, &x.title),
                owner: p.text(&x.loc, &x.owner),
                due: x.due.long(),
                due_iso: x.due.to_string(),
                status: status_tag(x.status),
                overdue: planned.is_some_and(|pa| pa.overdue),
                effort: x.effort.map(|e| match e {
                    crate::model::Effort::Small => "Small",
                    crate::model::Effort::Medium => "Medium",
                    crate::model::Effort::Large => "Large",
                }),
                plan_rank: planned.map(|pa| pa.rank),
                risk_covered: planned.map(|pa| num(pa.risk_covered, 1)),
                addresses: x.addresses.iter().map(|q| ctx.question_ref(q, p)).collect(),
                covers: planned
                    .map(|pa| pa.covers.iter().map(|q| ctx.question_ref(q, p)).collect())
                    .unwrap_or_default(),
                progress_html: x.progress.as_ref().map(|s| p.markdown(&x.loc, s, 4)),
            }
        })
        .collect();
    // Plan order first (open actions by the risk they cover), then the rest by id.
    actions.sort_by(|a, b| {
        (a.plan_rank.is_none(), a.plan_rank, &a.id).cmp(&(
            b.plan_rank.is_none(),
            b.plan_rank,
            &b.id,
        ))
    });
    let status = ActionStatus::ALL
        .iter()
        .map(|s| StatusCount {
            status: status_tag(*s),
            count: audit.actions.iter().filter(|a| a.status == *s).count(),
        })
        .collect();
    let uncovered = plan
        .map(|pl| {
            pl.uncovered
                .iter()
                .filter_map(|q| priorities.iter().find(|r| &r.question.id == q).cloned())
                .collect()
        })
        .unwrap_or_default();
    ActionsPage {
        as_of: plan.map(|pl| pl.as_of.long()),
        with_progress: actions.iter().filter(|a| a.progress_html.is_some()).count(),
        overdue: actions.iter().filter(|a| a.overdue).count(),
        actions,
        uncovered,
        status,
    }
}
