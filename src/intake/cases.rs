//! An import of case audit records (the workbook `panelaudit pack` makes) into
//! `cycles/<id>/cases/<ref>.toml`, under the same rules as returns: every workbook read and
//! checked, a case file that holds something different replaced only with `--force`, the
//! partnership checked as `check` would, and only then anything written.

use super::{PendingFile, Refused, Status, as_check_would, signed_off_record, write_files};
use crate::authoring::signoff::NewChange;
use crate::diag::{Code, Diagnostics};
use crate::load::Pending;
use crate::model::{Audit, ChangeAction, Cycle};
use crate::source::display_path;
use crate::xlsx::cases::{self, CaseData};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// An import of case records that nothing refuses, ready to be written.
#[derive(Debug)]
pub struct Plan {
    /// Warnings found on the way.
    pub found: Diagnostics,
    /// Each case, in the order of the workbooks and their rows.
    pub cases: Vec<Planned>,
    /// Where a signed-off cycle's change log is written, when this import changes one.
    pub change_log: Option<PathBuf>,
    cases_dir: PathBuf,
    /// The new and changed files, the change log among them.
    todo: Vec<(PathBuf, Vec<u8>)>,
}

/// What the import does with one case.
#[derive(Debug)]
pub struct Planned {
    /// The workbook, as shown in messages.
    pub workbook: String,
    /// The case file it becomes.
    pub target: PathBuf,
    pub status: Status,
    /// How many judgements it records.
    pub judgements: usize,
}

/// Reads `files` as case records for `cycle` and plans their import; refused when any
/// workbook has an error, a case would change a record on file without `force`, or `check`
/// would refuse what the partnership would become.
pub fn plan(
    audit: &Audit,
    cycle: &Cycle,
    force: bool,
    files: &[PathBuf],
) -> Result<Plan, Box<Refused>> {
    let mut diags = Diagnostics::new();
    // Nothing printed echoes what the partnership's scan flags (its deny list included).
    diags.mask_with(std::sync::Arc::new(audit.scanner().clone()));
    let all = read_all(audit, cycle, files, &mut diags);
    if diags.has_errors() {
        return Err(Refused::new(
            diags,
            "nothing was imported: fix the problems above, then import again (no case file was changed)",
        ));
    }
    let cases_dir = audit.dir.join("cycles").join(&cycle.id).join("cases");
    let mut planned = Vec::new();
    let mut pending = Vec::new();
    let mut changes = Vec::new();
    for (file, c) in &all {
        let target = cases_dir.join(format!("{}.toml", c.reference));
        let text = cases::render(c, file);
        let Some(status) = compare_with_file(c, file, &target, &text, force, &mut diags) else {
            continue;
        };
        if status != Status::Unchanged {
            changes.push(case_change(&target, c, &text));
            pending.push(PendingFile {
                target: target.clone(),
                text,
                workbook: file.clone(),
            });
        }
        planned.push(Planned {
            workbook: file.clone(),
            target,
            status,
            judgements: c.findings.len(),
        });
    }
    let record = signed_off_record(audit, cycle, force, changes, &mut diags);
    if diags.has_errors() {
        return Err(Refused::new(
            diags,
            "nothing was imported (no case file was changed)",
        ));
    }
    let found = as_check_would(audit, &cycle.id, Pending::Case, &pending, diags)?;
    let change_log = record.as_ref().map(|(path, _)| path.clone());
    let todo = pending
        .into_iter()
        .map(|p| (p.target, p.text.into_bytes()))
        .chain(record)
        .collect();
    Ok(Plan {
        found,
        cases: planned,
        change_log,
        cases_dir,
        todo,
    })
}

impl Plan {
    /// Writes every new or changed case record (and a signed-off cycle's change log) all or
    /// nothing.
    pub fn write(&self) -> Result<(), super::IntakeError> {
        write_files(&self.cases_dir, &self.todo)
    }
}

/// Every case in `files`, with the workbook it is in: a case in two workbooks is an error, and
/// no case at all a warning.
fn read_all(
    audit: &Audit,
    cycle: &Cycle,
    files: &[PathBuf],
    diags: &mut Diagnostics,
) -> Vec<(String, CaseData)> {
    let fw = audit.framework(&cycle.framework);
    let mut all: Vec<(String, CaseData)> = Vec::new();
    for path in files {
        if let Some(found) = cases::read_cases(path, audit, cycle, fw, audit.scanner(), diags) {
            all.extend(found.into_iter().map(|c| (display_path(path), c)));
        }
    }
    let mut first: BTreeMap<String, String> = BTreeMap::new();
    for (file, c) in &all {
        if let Some(other) = first.insert(c.reference.clone(), file.clone()) {
            diags
                .path_error(
                    Code::DuplicateId,
                    file,
                    format!("case {} is in two workbooks (also {other})", c.reference),
                )
                .with_help("import each case once");
        }
    }
    if all.is_empty() && !diags.has_errors() {
        diags
            .path_warning(
                Code::EmptyReturn,
                files.first().map(|f| display_path(f)).unwrap_or_default(),
                "no case has a judgement: nothing to import",
            )
            .with_help(
                "is this the untouched workbook? fill in a judgement per case and question first",
            );
    }
    all
}

/// What writing `text` to `target` would do, given what is there (the same record, whatever
/// its layout, is unchanged); None, having said why in `diags`, when it cannot be done.
fn compare_with_file(
    c: &CaseData,
    file: &str,
    target: &Path,
    text: &str,
    force: bool,
    diags: &mut Diagnostics,
) -> Option<Status> {
    let same = |old: &str| {
        let a: Option<toml::Table> = toml::from_str(old).ok();
        let b: Option<toml::Table> = toml::from_str(text).ok();
        a.is_some() && a == b
    };
    match std::fs::read_to_string(target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(Status::New),
        Err(e) => {
            diags.path_error(
                Code::Unreadable,
                display_path(target),
                format!("cannot read the existing case record: {e}"),
            );
            None
        }
        Ok(old) if same(&old) => Some(Status::Unchanged),
        Ok(_) if force => Some(Status::Changed),
        Ok(_) => {
            diags
                .path_error(
                    Code::ReturnConflict,
                    display_path(target),
                    format!(
                        "already holds a different record of case {} than {file}",
                        c.reference
                    ),
                )
                .with_help("check the differences; to replace the file with the workbook's, import again with --force");
            None
        }
    }
}

/// A case record written (`target` did not exist) or replaced, as an entry of a signed-off
/// cycle's change log: the questions whose judgement or notes differ from the file on disk.
fn case_change(target: &Path, c: &CaseData, text: &str) -> NewChange {
    let findings = |t: &str| -> toml::Table {
        toml::from_str::<toml::Table>(t)
            .ok()
            .and_then(|t| t.get("findings").and_then(|f| f.as_table()).cloned())
            .unwrap_or_default()
    };
    let (action, questions) = match std::fs::read_to_string(target) {
        Ok(old) => {
            let (before, after) = (findings(&old), findings(text));
            let ids: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
            let changed = ids
                .into_iter()
                .filter(|q| before.get(*q) != after.get(*q))
                .cloned()
                .collect();
            (ChangeAction::Replaced, changed)
        }
        Err(_) => (ChangeAction::Added, c.findings.keys().cloned().collect()),
    };
    NewChange {
        field: "case",
        subject: c.reference.clone(),
        action,
        questions,
    }
}
