//! actions.toml: the action plan.

use super::Known;
use super::common::{F, date, duplicates, is_valid_action_id, non_empty, text, text_enum};
use crate::diag::{Code, Diagnostics};
use crate::load::RawAudit;
use crate::load::raw::{ActionEntry, S};
use crate::model::{Action, ActionStatus, Date, Effort};

pub(super) fn actions(
    raw: &RawAudit,
    known: &Known<'_>,
    metrics: &[&str],
    diags: &mut Diagnostics,
) -> Vec<Action> {
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
    p.value
        .actions
        .iter()
        .filter_map(|entry| action(file, entry, known, metrics, diags))
        .collect()
}

/// One action: a valid id, the questions it addresses, a status and due date (None, reported,
/// without either), its effort, completion and the metrics it expects to move.
fn action(
    file: &F,
    entry: &S<ActionEntry>,
    known: &Known<'_>,
    metrics: &[&str],
    diags: &mut Diagnostics,
) -> Option<Action> {
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
    let addresses = addresses(file, a, known, diags);
    let status = text_enum::<ActionStatus>(file, &a.status, "status", diags);
    let effort = a
        .effort
        .as_ref()
        .and_then(|e| text_enum::<Effort>(file, e, "effort", diags));
    let due = date(file, &a.due, diags);
    let completed = completion(file, a, status, diags);
    let expects = a.metrics.as_ref().map(|list| {
        list.iter()
            .filter(|m| known_metric(file, m, metrics, diags))
            .map(|m| m.get_ref().clone())
            .collect()
    });
    let (status, due) = (status?, due?);
    Some(Action {
        id: a.id.get_ref().clone(),
        title: non_empty(file, &a.title, "action title", diags),
        owner: non_empty(file, &a.owner, "owner", diags),
        due,
        status,
        addresses,
        effort,
        progress: text(&a.progress),
        completed,
        metrics: expects,
        loc: file.loc(entry.span().start),
    })
}

/// The questions an action addresses, each known and counted once (a repeat is warned of).
fn addresses(file: &F, a: &ActionEntry, known: &Known<'_>, diags: &mut Diagnostics) -> Vec<String> {
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
    addresses
}

/// `completed = DATE`: required once an action is complete (what follows it is judged from
/// that day), and meaningless before.
fn completion(
    file: &F,
    a: &ActionEntry,
    status: Option<ActionStatus>,
    diags: &mut Diagnostics,
) -> Option<Date> {
    let completed = a.completed.as_ref().and_then(|d| date(file, d, diags));
    match (status, &a.completed) {
        (Some(ActionStatus::Complete), None) => {
            diags
                .error(
                    Code::MissingField,
                    file,
                    a.status.span(),
                    format!(
                        "action `{}` is complete but says not when: add `completed = YYYY-MM-DD`",
                        a.id.get_ref()
                    ),
                )
                .with_help(
                    "the impact page compares the evidence before and after the day it was completed",
                );
        }
        (Some(s), Some(c)) if s != ActionStatus::Complete => {
            diags
                .warning(
                    Code::UnknownWord,
                    file,
                    c.span(),
                    format!(
                        "action `{}` has a `completed` date but its status is `{s}`: the date is ignored",
                        a.id.get_ref()
                    ),
                )
                .with_help("set `status = \"complete\"`, or remove the date");
            return None;
        }
        _ => {}
    }
    completed
}

/// A metric an action names must be one the partnership tracks.
fn known_metric(
    file: &F,
    m: &toml::Spanned<String>,
    metrics: &[&str],
    diags: &mut Diagnostics,
) -> bool {
    if metrics.contains(&m.get_ref().as_str()) {
        return true;
    }
    let d = diags.error(
        Code::UnknownReference,
        file,
        m.span(),
        format!("the partnership tracks no metric `{}`", m.get_ref()),
    );
    if let Some(s) = crate::diag::suggest(m.get_ref(), metrics.iter().copied()) {
        d.with_help(s);
    }
    false
}
