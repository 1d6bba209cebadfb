//! `panelaudit import`: completed return workbooks into `cycles/<id>/responses/<agency>.toml`.
//!
//! All or nothing: every workbook is read and checked first (which agency, cycle and framework
//! it is for, every rating and confidence against the scale), and only when none has an error
//! is anything written, each file through a temporary file and a rename. Errors name the
//! workbook, sheet and cell: `police.xlsx: Return!F14: rating "3 - good" is not on the scale`.

use super::{EXIT_INVALID, EXIT_OK};
use crate::diag::{Code, Diagnostics};
use crate::fsx;
use crate::load::Pending;
use crate::model::Audit;
use crate::model::ChangeAction;
use crate::response_file;
use crate::signoff::{CHANGES_FILE, NewChange, append_changes};
use crate::source::display_path;
use crate::workspace;
use crate::xlsx::returns::{Return, about_cell, read_return, workbook_cycle};
use crate::xlsx::{Field, ReturnData};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub fn run(dir: &Path, cycle: Option<&str>, force: bool, files: &[PathBuf]) -> u8 {
    // Case audit records (from `panelaudit pack`) say so on their About sheet.
    if let Some(code) = super::import_cases::run_if_cases(dir, cycle, force, files) {
        return code;
    }
    let Some((audit, cycle_id)) = workbooks_target(dir, cycle, files) else {
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
    let mut returns: Vec<Return> = Vec::new();
    for path in files {
        if let Some(r) = read_return(path, &audit, cycle, fw, scanner, &mut diags) {
            returns.push(r);
        }
    }
    // An untouched form is not a return: written, it would look like one that came back.
    let mut skipped = 0;
    returns.retain(|r| {
        if !r.data.answers.is_empty() {
            return true;
        }
        skipped += 1;
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
    carried_over(&audit, cycle, fw, &returns, &mut diags);
    let mut first: BTreeMap<&str, &str> = BTreeMap::new();
    for r in &returns {
        if let Some(other) = first.insert(&r.data.agency, &r.file) {
            diags
                .path_error(
                    Code::DuplicateId,
                    format!("{}: {}", r.file, about_cell(Field::AgencyId)),
                    format!(
                        "a second workbook for `{}` (the first is {other})",
                        r.data.agency
                    ),
                )
                .with_help("import one return per agency: choose the right workbook");
            first.insert(&r.data.agency, other);
        }
    }
    if diags.has_errors() {
        print(&diags);
        eprintln!(
            "error: nothing was imported: fix the problems above, then import again (no response file was changed)"
        );
        return EXIT_INVALID;
    }

    let responses_dir = audit.dir.join("cycles").join(&cycle.id).join("responses");
    let mut plans: Vec<Plan> = Vec::new();
    let mut changes: Vec<(String, String, Vec<String>)> = Vec::new();
    for r in returns {
        let target = responses_dir.join(format!("{}.toml", r.data.agency));
        let text = response_file::render(&r.data, &r.file, &audit, cycle, fw);
        let before = std::fs::read_to_string(&target)
            .ok()
            .and_then(|old| response_file::read_response_file(&old));
        let status = match std::fs::read_to_string(&target) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Status::New,
            Err(e) => {
                diags.path_error(
                    Code::Unreadable,
                    display_path(&target),
                    format!("cannot read the existing return: {e}"),
                );
                Status::Changed
            }
            Ok(old) if response_file::read_response_file(&old).as_ref() == Some(&r.data) => {
                Status::Unchanged
            }
            Ok(old) if force => {
                changes.push((
                    display_path(&target),
                    r.file.clone(),
                    describe_changes(response_file::read_response_file(&old).as_ref(), &r.data),
                ));
                Status::Changed
            }
            Ok(old) => {
                let what =
                    describe_changes(response_file::read_response_file(&old).as_ref(), &r.data);
                diags
                    .path_error(Code::DuplicateId,
                        display_path(&target),
                        format!(
                            "already holds a different return for `{}` than {}; the workbook would change: {}",
                            r.data.agency, r.file, what.join("; ")
                        ),
                    )
                    .with_help("check the changes with the agency; to replace the file with the workbook's answers, import again with --force");
                Status::Changed
            }
        };
        plans.push(Plan {
            r,
            target,
            text,
            status,
            before,
        });
    }
    let record = signed_off_record(&audit, cycle, force, return_changes(&plans), &mut diags);
    if diags.has_errors() {
        print(&diags);
        eprintln!("error: nothing was imported (no response file was changed)");
        return EXIT_INVALID;
    }
    let pending: Vec<(PathBuf, String, String)> = plans
        .iter()
        .filter(|p| !matches!(p.status, Status::Unchanged))
        .map(|p| (p.target.clone(), p.text.clone(), p.r.file.clone()))
        .collect();
    if !refuse_what_check_would(&audit, &cycle.id, Pending::Response, &pending, &diags) {
        return EXIT_INVALID;
    }

    // --force: what is about to be replaced, question by question, before it is.
    for (target, workbook, lines) in &changes {
        println!("{target}: replacing with {workbook}:");
        for l in lines {
            println!("  {l}");
        }
    }
    if let Err(e) = write_all(&responses_dir, &plans, record.clone()) {
        print(&diags);
        eprintln!("error: {e}");
        return EXIT_INVALID;
    }
    print(&diags);
    let (mut written, mut replaced, mut unchanged) = (0, 0, 0);
    for p in &plans {
        let what = match p.status {
            Status::New => {
                written += 1;
                "written"
            }
            Status::Changed => {
                replaced += 1;
                "replaced"
            }
            Status::Unchanged => {
                unchanged += 1;
                "unchanged"
            }
        };
        println!(
            "{} -> {}: {what} ({} answer(s), {} unanswered)",
            p.r.file,
            display_path(&p.target),
            p.r.data.answers.len(),
            p.r.unanswered
        );
    }
    let skipped = if skipped > 0 {
        format!(", {skipped} skipped (no answers)")
    } else {
        String::new()
    };
    println!(
        "cycle {}: {written} written, {replaced} replaced, {unchanged} unchanged{skipped}",
        cycle.id
    );
    if let Some((path, _)) = &record {
        println!(
            "cycle {} was signed off: the change is recorded in {}",
            cycle.id,
            display_path(path)
        );
    }
    EXIT_OK
}

/// What importing `plans` changes, as entries of a signed-off cycle's change log.
fn return_changes(plans: &[Plan]) -> Vec<NewChange> {
    plans
        .iter()
        .filter_map(|p| {
            let (action, questions) = match p.status {
                Status::Unchanged => return None,
                Status::New => (
                    ChangeAction::Added,
                    p.r.data.answers.keys().cloned().collect(),
                ),
                Status::Changed => (
                    ChangeAction::Replaced,
                    changed_questions(p.before.as_ref(), &p.r.data),
                ),
            };
            Some(NewChange {
                field: "agency",
                subject: p.r.data.agency.clone(),
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
    let ids: std::collections::BTreeSet<&String> =
        old.answers.keys().chain(new.answers.keys()).collect();
    ids.into_iter()
        .filter(|q| old.answers.get(*q) != new.answers.get(*q))
        .cloned()
        .collect()
}

/// A signed-off cycle's evidence is fixed: without --force, whatever would change it is refused
/// (reported in `diags`); with --force, the change log with `changes` appended, to be written
/// with the imported files. None when the cycle is open or nothing changes.
pub(super) fn signed_off_record(
    audit: &Audit,
    cycle: &crate::model::Cycle,
    force: bool,
    changes: Vec<NewChange>,
    diags: &mut Diagnostics,
) -> Option<(PathBuf, Vec<u8>)> {
    let on = cycle.signed_off?;
    if changes.is_empty() {
        return None;
    }
    let log = audit.dir.join("cycles").join(&cycle.id).join(CHANGES_FILE);
    if !force {
        let what: Vec<String> = changes
            .iter()
            .map(|c| format!("{} {} ({})", c.field, c.subject, c.action))
            .collect();
        diags
            .path_error(
                Code::ReturnConflict,
                display_path(&audit.dir.join("cycles").join(&cycle.id).join("cycle.toml")),
                format!(
                    "cycle {} was signed off on {on}: its evidence is final, and this import would change it ({})",
                    cycle.id,
                    what.join(", ")
                ),
            )
            .with_help(format!(
                "if the change must be made, import again with --force: it is recorded in {} (what changed and when) and shown on the cycle's page",
                display_path(&log)
            ));
        return None;
    }
    let existing = std::fs::read_to_string(&log).ok();
    let text = append_changes(existing.as_deref(), crate::model::Date::today(), &changes);
    Some((log, text.into_bytes()))
}

/// The one cycle the workbooks' About sheets name, if any names one. Workbooks for different
/// cycles cannot be imported in one go: each cycle is a folder of its own.
/// The partnership and the cycle workbooks are imported into: `--cycle`, else the one their
/// About sheets name (else the latest); None when that cannot be, having said why.
pub(super) fn workbooks_target(
    dir: &Path,
    cycle: Option<&str>,
    files: &[PathBuf],
) -> Option<(Audit, String)> {
    let from_workbooks = match cycle {
        Some(_) => None,
        None => match cycle_of_workbooks(files) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("error: {e}");
                return None;
            }
        },
    };
    let found = partnership_and_cycle(dir, "import", cycle.or(from_workbooks.as_deref()));
    if found.is_none()
        && let Some(c) = &from_workbooks
    {
        eprintln!(
            "note: without --cycle, the workbooks are imported into the cycle their About sheet names ({c})"
        );
    }
    found
}

pub(super) fn cycle_of_workbooks(files: &[PathBuf]) -> Result<Option<String>, String> {
    let mut by_cycle: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in files {
        if let Some(c) = workbook_cycle(f) {
            by_cycle.entry(c).or_default().push(display_path(f));
        }
    }
    if by_cycle.len() > 1 {
        let each: Vec<String> = by_cycle
            .iter()
            .map(|(c, files)| format!("{c}: {}", files.join(", ")))
            .collect();
        return Err(format!(
            "the workbooks are for different cycles ({}); import each cycle's workbooks on their own, with --cycle ID",
            each.join("; ")
        ));
    }
    Ok(by_cycle.into_keys().next())
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
        let show = |d: Option<crate::model::Date>| d.map_or("none".to_string(), |d| d.to_string());
        out.push(format!(
            "submitted {} -> {}",
            show(old.submitted),
            show(new.submitted)
        ));
    }
    let questions: std::collections::BTreeSet<&String> =
        old.answers.keys().chain(new.answers.keys()).collect();
    for q in questions {
        match (old.answers.get(q), new.answers.get(q)) {
            (Some(o), None) => out.push(format!("{q}: rating {} -> unanswered", o.rating)),
            (None, Some(n)) => out.push(format!("{q}: unanswered -> rating {}", n.rating)),
            (Some(o), Some(n)) if o != n => {
                let mut parts = Vec::new();
                if o.rating != n.rating {
                    parts.push(format!("rating {} -> {}", o.rating, n.rating));
                }
                if o.confidence != n.confidence {
                    let show = |c: Option<crate::model::Confidence>| {
                        c.map_or("none".to_string(), |c| c.to_string())
                    };
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
                out.push(format!("{q}: {}", parts.join("; ")));
            }
            _ => {}
        }
    }
    if out.is_empty() {
        out.push("only the file's layout differs".to_string());
    }
    out
}

/// Whether `check` would accept the partnership with `pending` (target, text, workbook) written;
/// when it would not, prints `before` and the errors, and says nothing was imported. The same
/// limits and rules as `check` (a file's size, control characters such as `_x001B_`, Markdown
/// nested too deep, every rule on a return or case record), applied before anything is written.
pub(super) fn refuse_what_check_would(
    audit: &Audit,
    cycle: &str,
    kind: Pending,
    pending: &[(PathBuf, String, String)],
    before: &Diagnostics,
) -> bool {
    let files: Vec<(PathBuf, String)> = pending
        .iter()
        .map(|(p, t, _)| (p.clone(), t.clone()))
        .collect();
    let Some(problems) = workspace::check_pending(audit, cycle, kind, &files) else {
        return true;
    };
    print(before);
    for d in problems.sorted().into_iter().filter(|d| d.is_error()) {
        eprint!("{}", problems.render_one(d));
    }
    let from: Vec<&str> = pending.iter().map(|(_, _, w)| w.as_str()).collect();
    eprintln!(
        "error: nothing was imported: `check` would refuse what {} would become (above, at the places the new files would have); fix the workbook and import again",
        from.join(", ")
    );
    false
}

/// Prints problems in the order they were found: workbook by workbook, top to bottom.
pub(super) fn print(diags: &Diagnostics) {
    for d in diags.iter() {
        eprint!("{}", diags.render_one(d));
    }
}

/// DIR as one valid partnership and the cycle meant, printing why not.
pub(super) fn partnership_and_cycle(
    dir: &Path,
    command: &str,
    cycle: Option<&str>,
) -> Option<(Audit, String)> {
    let audit = workspace::load_one(dir, command)
        .map_err(|e| eprintln!("{e}"))
        .ok()?;
    // Forms and returns belong to the round being collected: by default the latest cycle,
    // whatever its method (the site's main cycle may be an earlier self-assessment).
    let latest = audit.latest_cycle().map(|c| c.id.clone());
    let id = workspace::pick_cycle(&audit, cycle.or(latest.as_deref()))
        .map_err(|e| eprintln!("error: {e}"))
        .ok()?
        .id
        .clone();
    Some((audit, id))
}

enum Status {
    New,
    Changed,
    Unchanged,
}

struct Plan {
    r: Return,
    target: PathBuf,
    text: String,
    status: Status,
    /// The return on file before, when there is one.
    before: Option<ReturnData>,
}

/// Writes every new or changed response (and a signed-off cycle's change log): all to
/// temporary files first, then each renamed into place, so a failure part-way leaves the old
/// files as they were.
fn write_all(
    responses_dir: &Path,
    plans: &[Plan],
    record: Option<(PathBuf, Vec<u8>)>,
) -> Result<(), String> {
    let todo: Vec<(PathBuf, Vec<u8>)> = plans
        .iter()
        .filter(|p| !matches!(p.status, Status::Unchanged))
        .map(|p| (p.target.clone(), p.text.clone().into_bytes()))
        .chain(record)
        .collect();
    if todo.is_empty() {
        return Ok(());
    }
    std::fs::create_dir_all(responses_dir).map_err(|e| {
        format!(
            "{}: cannot create the folder: {e}",
            display_path(responses_dir)
        )
    })?;
    fsx::write_all_or_nothing(&todo).map_err(|e| format!("cannot write {e}; nothing was imported"))
}

/// Warns (`PA0408`) about each workbook that gives back the agency's answers of the comparable
/// cycle before, untouched and undated: it is imported, but counted as carried over
/// unchanged, not as returned, so the agency is still chased.
fn carried_over(
    audit: &Audit,
    cycle: &crate::model::Cycle,
    fw: &crate::model::Framework,
    returns: &[Return],
    diags: &mut Diagnostics,
) {
    let Some(previous) = audit.comparable_cycle(cycle) else {
        return;
    };
    let asked: Vec<&str> = cycle.questions(fw).map(|q| q.id.as_str()).collect();
    for r in returns {
        let Some(before) = response_file::on_file(audit, previous, &r.data.agency) else {
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
