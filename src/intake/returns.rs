//! An import of agencies' return workbooks into `cycles/<id>/responses/<agency>.toml`: every
//! workbook read and checked, compared with what is on file, checked as `check` would, and
//! only then written.

use super::response_file::{self, on_file, read_response_file};
use super::{PendingFile, Refused, Status, as_check_would, signed_off_record, write_files};
use crate::authoring::signoff::NewChange;
use crate::diag::{Code, Diagnostics};
use crate::load::Pending;
use crate::model::{Audit, ChangeAction, Confidence, Cycle, Date, Framework};
use crate::source::display_path;
use crate::xlsx::returns::{Return, about_cell, read_return};
use crate::xlsx::{Field, ReturnData};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// An import of returns that nothing refuses, ready to be written.
#[derive(Debug)]
pub struct Plan {
    /// Warnings found on the way (an untouched form, answers carried over unchanged).
    pub found: Diagnostics,
    /// Each return, in the order of the workbooks given.
    pub returns: Vec<Planned>,
    /// Untouched forms (no answers at all), left out.
    pub skipped: usize,
    /// With --force, each response file about to be replaced: the file, the workbook, and
    /// what changes, a line per question.
    pub replacing: Vec<(String, String, Vec<String>)>,
    /// A signed-off cycle's change log, with this import appended (written with the returns).
    pub change_log: Option<(PathBuf, Vec<u8>)>,
    responses_dir: PathBuf,
    texts: Vec<String>,
}

/// What the import does with one agency's return.
#[derive(Debug)]
pub struct Planned {
    /// The workbook, as shown in messages.
    pub workbook: String,
    /// The response file it becomes.
    pub target: PathBuf,
    pub status: Status,
    /// Questions answered, and in scope but not answered.
    pub answers: usize,
    pub unanswered: usize,
}

/// One return on its way to a file: what is on file, and what the file would say.
struct Step {
    r: Return,
    target: PathBuf,
    text: String,
    status: Status,
    /// The return on file before, when there is one.
    before: Option<ReturnData>,
}

/// Reads `files` as returns for `cycle` and plans their import; refused when any workbook has
/// an error, one would change a return on file without `force`, or `check` would refuse what
/// the partnership would become.
pub fn plan(
    audit: &Audit,
    cycle: &Cycle,
    force: bool,
    files: &[PathBuf],
) -> Result<Plan, Box<Refused>> {
    let fw = audit.framework(&cycle.framework);
    let mut diags = Diagnostics::new();
    // Nothing printed echoes what the partnership's scan flags (its deny list included).
    diags.mask_with(std::sync::Arc::new(audit.scanner().clone()));
    let mut returns: Vec<Return> = files
        .iter()
        .filter_map(|path| read_return(path, audit, cycle, fw, audit.scanner(), &mut diags))
        .collect();
    let skipped = drop_untouched(&mut returns, &mut diags);
    carried_over(audit, cycle, fw, &returns, &mut diags);
    one_per_agency(&returns, &mut diags);
    if diags.has_errors() {
        return Err(Refused::new(
            diags,
            "nothing was imported: fix the problems above, then import again (no response file was changed)",
        ));
    }
    let responses_dir = audit.dir.join("cycles").join(&cycle.id).join("responses");
    let mut replacing = Vec::new();
    let steps: Vec<Step> = returns
        .into_iter()
        .map(|r| {
            let target = responses_dir.join(format!("{}.toml", r.data.agency));
            let text = response_file::render(&r.data, &r.file, audit, cycle, fw);
            compare_with_file(r, target, text, force, &mut replacing, &mut diags)
        })
        .collect();
    let change_log = signed_off_record(audit, cycle, force, return_changes(&steps), &mut diags);
    if diags.has_errors() {
        return Err(Refused::new(
            diags,
            "nothing was imported (no response file was changed)",
        ));
    }
    let pending: Vec<PendingFile> = steps
        .iter()
        .filter(|s| s.status != Status::Unchanged)
        .map(|s| PendingFile {
            target: s.target.clone(),
            text: s.text.clone(),
            workbook: s.r.file.clone(),
        })
        .collect();
    let found = as_check_would(audit, &cycle.id, Pending::Response, &pending, diags)?;
    Ok(Plan {
        found,
        skipped,
        replacing,
        change_log,
        responses_dir,
        texts: pending.into_iter().map(|p| p.text).collect(),
        returns: steps.into_iter().map(planned).collect(),
    })
}

impl Plan {
    /// Writes every new or changed response (and a signed-off cycle's change log): all to
    /// temporary files first, then each renamed into place, so a failure part-way leaves the
    /// old files as they were.
    pub fn write(&self) -> Result<(), super::IntakeError> {
        let todo: Vec<(PathBuf, Vec<u8>)> = self
            .returns
            .iter()
            .filter(|p| p.status != Status::Unchanged)
            .zip(&self.texts)
            .map(|(p, text)| (p.target.clone(), text.clone().into_bytes()))
            .chain(self.change_log.clone())
            .collect();
        write_files(&self.responses_dir, &todo)
    }
}

fn planned(s: Step) -> Planned {
    Planned {
        workbook: s.r.file,
        target: s.target,
        status: s.status,
        answers: s.r.data.answers.len(),
        unanswered: s.r.unanswered,
    }
}

/// Leaves out the untouched forms (no question has a rating), with a warning for each: written,
/// one would look like a return that came back. Returns how many.
fn drop_untouched(returns: &mut Vec<Return>, diags: &mut Diagnostics) -> usize {
    let before = returns.len();
    returns.retain(|r| {
        if !r.data.answers.is_empty() {
            return true;
        }
        diags
            .path_warning(
                Code::EmptyReturn,
                &r.file,
                format!(
                    "no answers at all (no question has a rating): not imported, as `{}` has not returned its form",
                    r.data.agency
                ),
            )
            .with_help("is this the untouched form? ask the agency for the completed one, then import that");
        false
    });
    before - returns.len()
}

/// An error for each second workbook from the same agency.
fn one_per_agency(returns: &[Return], diags: &mut Diagnostics) {
    let mut first: BTreeMap<&str, &str> = BTreeMap::new();
    for r in returns {
        if let Some(other) = first.insert(&r.data.agency, &r.file) {
            diags
                .error_at(
                    Code::DuplicateId,
                    about_cell(&r.file, Field::AgencyId),
                    format!(
                        "a second workbook for `{}` (the first is {other})",
                        r.data.agency
                    ),
                )
                .with_help("import one return per agency: choose the right workbook");
            first.insert(&r.data.agency, other);
        }
    }
}

/// What writing `text` to `target` would do, given what is there: a different return on file
/// is an error without `force`, and with it, its changes go to `replacing`.
fn compare_with_file(
    r: Return,
    target: PathBuf,
    text: String,
    force: bool,
    replacing: &mut Vec<(String, String, Vec<String>)>,
    diags: &mut Diagnostics,
) -> Step {
    let on_file = std::fs::read_to_string(&target);
    let before = on_file
        .as_ref()
        .ok()
        .and_then(|old| read_response_file(old));
    let status = match &on_file {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Status::New,
        Err(e) => {
            diags.path_error(
                Code::Unreadable,
                display_path(&target),
                format!("cannot read the existing return: {e}"),
            );
            Status::Changed
        }
        Ok(_) if before.as_ref() == Some(&r.data) => Status::Unchanged,
        Ok(_) if force => {
            replacing.push((
                display_path(&target),
                r.file.clone(),
                describe_changes(before.as_ref(), &r.data),
            ));
            Status::Changed
        }
        Ok(_) => {
            let what = describe_changes(before.as_ref(), &r.data);
            diags
                .path_error(
                    Code::DuplicateId,
                    display_path(&target),
                    format!(
                        "already holds a different return for `{}` than {}; the workbook would change: {}",
                        r.data.agency,
                        r.file,
                        what.join("; ")
                    ),
                )
                .with_help("check the changes with the agency; to replace the file with the workbook's answers, import again with --force");
            Status::Changed
        }
    };
    Step {
        r,
        target,
        text,
        status,
        before,
    }
}

/// What importing `steps` changes, as entries of a signed-off cycle's change log.
fn return_changes(steps: &[Step]) -> Vec<NewChange> {
    steps
        .iter()
        .filter_map(|s| {
            let (action, questions) = match s.status {
                Status::Unchanged => return None,
                Status::New => (
                    ChangeAction::Added,
                    s.r.data.answers.keys().cloned().collect(),
                ),
                Status::Changed => (
                    ChangeAction::Replaced,
                    changed_questions(s.before.as_ref(), &s.r.data),
                ),
            };
            Some(NewChange {
                field: "agency",
                subject: s.r.data.agency.clone(),
                action,
                questions,
            })
        })
        .collect()
}

/// The questions whose answer differs between two returns (given, taken away or changed).
fn changed_questions(old: Option<&ReturnData>, new: &ReturnData) -> Vec<String> {
    let Some(old) = old else {
        return new.answers.keys().cloned().collect();
    };
    let ids: BTreeSet<&String> = old.answers.keys().chain(new.answers.keys()).collect();
    ids.into_iter()
        .filter(|q| old.answers.get(*q) != new.answers.get(*q))
        .cloned()
        .collect()
}

/// What replacing `old` with `new` changes: each question whose rating, confidence or text
/// differs ("cmh-s-01: rating 2 -> 1; evidence, gaps changed"), and the About fields. Text is
/// named, not shown: it may be long, and it is the agency's.
fn describe_changes(old: Option<&ReturnData>, new: &ReturnData) -> Vec<String> {
    let Some(old) = old else {
        return vec!["the existing file could not be read back; it is replaced whole".to_string()];
    };
    let mut out = Vec::new();
    if old.completed_by != new.completed_by {
        out.push("completed_by changed".to_string());
    }
    if old.submitted != new.submitted {
        let show = |d: Option<Date>| d.map_or("none".to_string(), |d| d.to_string());
        out.push(format!(
            "submitted {} -> {}",
            show(old.submitted),
            show(new.submitted)
        ));
    }
    let questions: BTreeSet<&String> = old.answers.keys().chain(new.answers.keys()).collect();
    for q in questions {
        match (old.answers.get(q), new.answers.get(q)) {
            (Some(o), None) => out.push(format!("{q}: rating {} -> unanswered", o.rating)),
            (None, Some(n)) => out.push(format!("{q}: unanswered -> rating {}", n.rating)),
            (Some(o), Some(n)) if o != n => out.push(format!("{q}: {}", answer_changes(o, n))),
            _ => {}
        }
    }
    if out.is_empty() {
        out.push("only the file's layout differs".to_string());
    }
    out
}

/// How one answer changed: its rating and confidence shown, its texts named.
fn answer_changes(o: &crate::xlsx::AnswerData, n: &crate::xlsx::AnswerData) -> String {
    let mut parts = Vec::new();
    if o.rating != n.rating {
        parts.push(format!("rating {} -> {}", o.rating, n.rating));
    }
    if o.confidence != n.confidence {
        let show = |c: Option<Confidence>| c.map_or("none".to_string(), |c| c.to_string());
        parts.push(format!(
            "confidence {} -> {}",
            show(o.confidence),
            show(n.confidence)
        ));
    }
    let texts: Vec<&str> = [
        ("evidence", &o.evidence, &n.evidence),
        ("gaps", &o.gaps, &n.gaps),
        ("internal", &o.internal, &n.internal),
    ]
    .into_iter()
    .filter(|(_, a, b)| a != b)
    .map(|(name, ..)| name)
    .collect();
    if !texts.is_empty() {
        parts.push(format!("{} changed", texts.join(", ")));
    }
    parts.join("; ")
}

/// Warns (`PA0408`) about each workbook that gives back the agency's answers of the comparable
/// cycle before, untouched and undated: it is imported, but counted as carried over
/// unchanged, not as returned, so the agency is still chased.
fn carried_over(
    audit: &Audit,
    cycle: &Cycle,
    fw: &Framework,
    returns: &[Return],
    diags: &mut Diagnostics,
) {
    let Some(previous) = audit.comparable_cycle(cycle) else {
        return;
    };
    let asked: Vec<&str> = cycle.questions(fw).map(|q| q.id.as_str()).collect();
    for r in returns {
        let Some(before) = on_file(audit, previous, &r.data.agency) else {
            continue;
        };
        if response_file::carried_over(&r.data, &before, &asked) {
            diags
                .path_warning(
                    Code::CarriedOver,
                    &r.file,
                    format!(
                        "every answer is `{}`'s {} answer, unchanged, and the form has no new submitted date: imported, but counted as carried over unchanged, not as returned",
                        r.data.agency, previous.id
                    ),
                )
                .with_help("is this the pre-filled form sent back untouched? ask the agency to review each answer for this round and fill in the date it submitted");
        }
    }
}
