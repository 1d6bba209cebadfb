//! `panelaudit import` of case audit records (the workbook `panelaudit pack` makes) into
//! `cycles/<id>/cases/<ref>.toml`: the same rules as returns. Every workbook is read and
//! checked first, problems name workbook, sheet and cell, and nothing is written unless none
//! has an error; a case file that already holds something different is replaced only with
//! `--force`, and every file is written through a temporary file and a rename.

use super::import::print;
use super::{EXIT_INVALID, EXIT_OK};
use crate::diag::{Code, Diagnostics};
use crate::fsx;
use crate::load::Pending;
use crate::model::ChangeAction;
use crate::signoff::NewChange;
use crate::source::display_path;
use crate::xlsx::cases::{self, CaseData};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// None when the files are not case records (they are then imported as returns).
pub(super) fn run_if_cases(
    dir: &Path,
    cycle: Option<&str>,
    force: bool,
    files: &[PathBuf],
) -> Option<u8> {
    let kinds: Vec<bool> = files.iter().map(|f| cases::is_case_workbook(f)).collect();
    if !kinds.iter().any(|k| *k) {
        return None;
    }
    if !kinds.iter().all(|k| *k) {
        let (c, r): (Vec<_>, Vec<_>) = files.iter().zip(&kinds).partition(|(_, k)| **k);
        eprintln!(
            "error: case audit records ({}) and returns ({}) cannot be imported together; import each kind on its own",
            c.iter()
                .map(|(f, _)| display_path(f))
                .collect::<Vec<_>>()
                .join(", "),
            r.iter()
                .map(|(f, _)| display_path(f))
                .collect::<Vec<_>>()
                .join(", ")
        );
        return Some(EXIT_INVALID);
    }
    Some(run(dir, cycle, force, files))
}

fn run(dir: &Path, cycle: Option<&str>, force: bool, files: &[PathBuf]) -> u8 {
    let Some((audit, cycle_id)) = super::import::workbooks_target(dir, cycle, files) else {
        return EXIT_INVALID;
    };
    let Some(cycle) = audit.cycle(&cycle_id) else {
        return EXIT_INVALID;
    };
    let fw = audit.framework(&cycle.framework);
    let mut diags = Diagnostics::new();
    // Nothing printed echoes what the partnership's scan flags (its deny list included).
    diags.mask_with(std::sync::Arc::new(audit.scanner().clone()));
    let scanner = audit.scanner();
    let mut all: Vec<(String, CaseData)> = Vec::new();
    for path in files {
        if let Some(found) = cases::read_cases(path, &audit, cycle, fw, scanner, &mut diags) {
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
    if diags.has_errors() {
        print(&diags);
        eprintln!(
            "error: nothing was imported: fix the problems above, then import again (no case file was changed)"
        );
        return EXIT_INVALID;
    }
    let cases_dir = audit.dir.join("cycles").join(&cycle.id).join("cases");
    let mut todo: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut sources: Vec<String> = Vec::new();
    let mut report: Vec<String> = Vec::new();
    let mut changes: Vec<NewChange> = Vec::new();
    for (file, c) in &all {
        let target = cases_dir.join(format!("{}.toml", c.reference));
        let text = cases::render(c, file);
        let same = |old: &str| {
            let a: Option<toml::Table> = toml::from_str(old).ok();
            let b: Option<toml::Table> = toml::from_str(&text).ok();
            a.is_some() && a == b
        };
        let state = match std::fs::read_to_string(&target) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => "written",
            Err(e) => {
                diags.path_error(
                    Code::Unreadable,
                    display_path(&target),
                    format!("cannot read the existing case record: {e}"),
                );
                continue;
            }
            Ok(old) if same(&old) => "unchanged",
            Ok(_) if force => "replaced",
            Ok(_) => {
                diags
                    .path_error(
                        Code::ReturnConflict,
                        display_path(&target),
                        format!("already holds a different record of case {} than {file}", c.reference),
                    )
                    .with_help("check the differences; to replace the file with the workbook's, import again with --force");
                continue;
            }
        };
        report.push(format!(
            "{file} -> {}: {state} ({} judgement(s))",
            display_path(&target),
            c.findings.len()
        ));
        if state != "unchanged" {
            changes.push(case_change(&target, c, &text));
            todo.push((target, text.into_bytes()));
            sources.push(file.clone());
        }
    }
    let record = super::import::signed_off_record(&audit, cycle, force, changes, &mut diags);
    let recorded = record.as_ref().map(|(path, _)| display_path(path));
    todo.extend(record);
    if diags.has_errors() {
        print(&diags);
        eprintln!("error: nothing was imported (no case file was changed)");
        return EXIT_INVALID;
    }
    let pending: Vec<(PathBuf, String, String)> = todo
        .iter()
        .zip(&sources)
        .map(|((p, t), w)| {
            (
                p.clone(),
                String::from_utf8_lossy(t).into_owned(),
                w.clone(),
            )
        })
        .collect();
    if !super::import::refuse_what_check_would(&audit, &cycle.id, Pending::Case, &pending, &diags) {
        return EXIT_INVALID;
    }
    if !todo.is_empty() {
        if let Err(e) = std::fs::create_dir_all(&cases_dir) {
            eprintln!(
                "error: {}: cannot create the folder: {e}",
                display_path(&cases_dir)
            );
            return EXIT_INVALID;
        }
        if let Err(e) = fsx::write_all_or_nothing(&todo) {
            eprintln!("error: cannot write {e}; nothing was imported");
            return EXIT_INVALID;
        }
    }
    print(&diags);
    for l in &report {
        println!("{l}");
    }
    println!(
        "cycle {}: {} case record(s) imported; run `panelaudit check {}`",
        cycle.id,
        all.len(),
        display_path(dir)
    );
    if let Some(log) = recorded {
        println!(
            "cycle {} was signed off: the change is recorded in {log}",
            cycle.id
        );
    }
    EXIT_OK
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
            let ids: std::collections::BTreeSet<&String> =
                before.keys().chain(after.keys()).collect();
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
