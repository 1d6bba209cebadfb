//! actions.toml: the action plan.

use super::Known;
use super::common::*;
use crate::diag::{Code, Diagnostics};
use crate::load::RawAudit;
use crate::model::*;

pub(super) fn actions(raw: &RawAudit, known: &Known<'_>, diags: &mut Diagnostics) -> Vec<Action> {
    let Some(p) = &raw.actions else {
        return Vec::new();
    };
    let file = &p.file;
    duplicates(
        file,
        p.value.actions.iter().map(|a| &a.get_ref().id),
        "action",
        diags,
    );
    let mut out = Vec::new();
    for entry in &p.value.actions {
        let a = entry.get_ref();
        if !is_valid_action_id(a.id.get_ref()) {
            diags
                .error(
                    Code::InvalidId,
                    file,
                    a.id.span(),
                    format!("action id `{}` is not valid", a.id.get_ref()),
                )
                .with_help("use letters, digits and single hyphens, e.g. `A01`");
        }
        let mut addresses: Vec<String> = Vec::new();
        for (i, q) in a.addresses.iter().enumerate() {
            known.check_question(file, q, diags);
            if let Some(first) = a.addresses[..i].iter().find(|f| f.get_ref() == q.get_ref()) {
                diags
                    .warning(
                        Code::DuplicateId,
                        file,
                        q.span(),
                        format!(
                            "action `{}` lists question `{}` twice in `addresses`",
                            a.id.get_ref(),
                            q.get_ref()
                        ),
                    )
                    .with_related(file, first.span(), "first listed here")
                    .with_help("list each question once; it is counted once");
            } else {
                addresses.push(q.get_ref().clone());
            }
        }
        let status = text_enum::<ActionStatus>(file, &a.status, "status", diags);
        let effort = a
            .effort
            .as_ref()
            .and_then(|e| text_enum::<Effort>(file, e, "effort", diags));
        let due = date(file, &a.due, diags);
        if let (Some(status), Some(due)) = (status, due) {
            out.push(Action {
                id: a.id.get_ref().clone(),
                title: non_empty(file, &a.title, "action title", diags),
                owner: non_empty(file, &a.owner, "owner", diags),
                due,
                status,
                addresses,
                effort,
                progress: text(&a.progress),
                loc: file.loc(entry.span().start),
            });
        }
    }
    out
}
