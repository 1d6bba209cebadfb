//! cycles/<id>/changes.toml: what `import --force` changed after the cycle was signed off,
//! one `[[changes]]` entry each: when, whose return (`agency`) or which case record (`case`),
//! `added` or `replaced`, the questions whose answers changed, and an optional internal `note`.

use super::common::{F, date, question_of, text, text_enum};
use crate::diag::{Code, Diagnostics, suggest};
use crate::load::Parsed;
use crate::load::raw::{ChangeEntry, ChangesFile, S};
use crate::model::{Change, ChangeAction, Changed, Date, Framework, Partnership};

pub(super) fn changes(
    f: &Parsed<ChangesFile>,
    partnership: &Partnership,
    fw: &Framework,
    signed_off: Option<Date>,
    diags: &mut Diagnostics,
) -> Vec<Change> {
    let file = &f.file;
    if signed_off.is_none() && !f.value.changes.is_empty() {
        diags
            .path_warning(
                Code::DateOrder,
                file.display.clone(),
                "changes after sign-off are recorded, but the cycle is not signed off (no `signed_off` in cycle.toml)",
            )
            .with_help("sign the cycle off again (`panelaudit signoff`), or remove this file if the round was reopened on purpose");
    }
    let mut out = Vec::new();
    for entry in &f.value.changes {
        let e = entry.get_ref();
        let date = date(file, &e.date, diags);
        if let (Some(d), Some(s)) = (date, signed_off)
            && d < s
        {
            diags
                .warning(
                    Code::DateOrder,
                    file,
                    e.date.span(),
                    format!("a change dated {d}, before the cycle was signed off ({s})"),
                )
                .with_help("a change before sign-off is part of the round itself: remove the entry, or correct its date");
        }
        let what = changed(file, entry, partnership, diags);
        let action = text_enum::<ChangeAction>(file, &e.change, "change", diags);
        for q in &e.questions {
            question_of(fw, file, q, diags);
        }
        if let (Some(date), Some(what), Some(action)) = (date, what, action) {
            out.push(Change {
                date,
                what,
                action,
                questions: e.questions.iter().map(|q| q.get_ref().clone()).collect(),
                note: text(&e.note),
                loc: file.loc(e.date.span().start),
            });
        }
    }
    out.sort_by_key(|c| c.date);
    out
}

/// Whose evidence the entry changed: exactly one of `agency` (a return) and `case`.
fn changed(
    file: &F,
    entry: &S<ChangeEntry>,
    partnership: &Partnership,
    diags: &mut Diagnostics,
) -> Option<Changed> {
    let e = entry.get_ref();
    match (&e.agency, &e.case) {
        (Some(a), None) => {
            let id = a.get_ref();
            if partnership.agencies.iter().any(|x| &x.id == id) {
                return Some(Changed::Return(id.clone()));
            }
            let d = diags.error(
                Code::UnknownReference,
                file,
                a.span(),
                format!("unknown agency `{id}`"),
            );
            if let Some(s) = suggest(id, partnership.agencies.iter().map(|x| x.id.as_str())) {
                d.with_help(s);
            }
            None
        }
        (None, Some(c)) => {
            let reference = c.get_ref().trim();
            match super::case::reference_problem(reference) {
                None => Some(Changed::Case(reference.to_string())),
                Some(problem) => {
                    let at = file.loc(c.span().start);
                    diags.error_at(
                        Code::CaseReference,
                        at,
                        format!("the case reference {problem}"),
                    );
                    None
                }
            }
        }
        _ => {
            diags
                .error(
                    Code::BadStructure,
                    file,
                    entry.span(),
                    "a change names either the `agency` whose return changed or the `case` whose record changed",
                )
                .with_help("give one of them, e.g. agency = \"police\" or case = \"C03\"");
            None
        }
    }
}
