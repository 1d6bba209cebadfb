//! `panelaudit import`: completed return workbooks into `cycles/<id>/responses/<agency>.toml`.
//!
//! All or nothing: every workbook is read and checked first (which agency, cycle and framework
//! it is for, every rating and confidence against the scale), and only when none has an error
//! is anything written, each file through a temporary file and a rename. Errors name the
//! workbook, sheet and cell: `police.xlsx: Return!F14: rating "3 - good" is not on the scale`.

use super::{EXIT_INVALID, EXIT_OK};
use crate::diag::{Code, Diagnostics};
use crate::fsx;
use crate::model::Audit;
use crate::response_file;
use crate::source::display_path;
use crate::workspace;
use crate::xlsx::Field;
use crate::xlsx::returns::{Return, about_cell, read_return};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub fn run(dir: &Path, cycle: Option<&str>, force: bool, files: &[PathBuf]) -> u8 {
    let Some((audit, cycle_id)) = partnership_and_cycle(dir, "import", cycle) else {
        return EXIT_INVALID;
    };
    let Some(cycle) = audit.cycle(&cycle_id) else {
        return EXIT_INVALID;
    };
    let fw = audit.framework(&cycle.framework);

    let mut diags = Diagnostics::new();
    let mut returns: Vec<Return> = Vec::new();
    for path in files {
        if let Some(r) = read_return(path, &audit, cycle, fw, &mut diags) {
            returns.push(r);
        }
    }
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
    for r in returns {
        let target = responses_dir.join(format!("{}.toml", r.data.agency));
        let text = response_file::render(&r.data, &r.file, &audit, cycle, fw);
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
            Ok(_) if force => Status::Changed,
            Ok(_) => {
                diags
                    .path_error(Code::DuplicateId,
                        display_path(&target),
                        format!(
                            "already holds a different return for `{}` than {}",
                            r.data.agency, r.file
                        ),
                    )
                    .with_help("compare the two; to replace the file with the workbook's answers, import again with --force");
                Status::Changed
            }
        };
        plans.push(Plan {
            r,
            target,
            text,
            status,
        });
    }
    if diags.has_errors() {
        print(&diags);
        eprintln!("error: nothing was imported (no response file was changed)");
        return EXIT_INVALID;
    }

    if let Err(e) = write_all(&responses_dir, &plans) {
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
    println!(
        "cycle {}: {written} written, {replaced} replaced, {unchanged} unchanged",
        cycle.id
    );
    EXIT_OK
}

/// Prints problems in the order they were found: workbook by workbook, top to bottom.
fn print(diags: &Diagnostics) {
    for d in diags.iter() {
        eprint!("{}", d.render());
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
}

/// Writes every new or changed response: all to temporary files first, then each renamed into
/// place, so a failure part-way leaves the old files as they were.
fn write_all(responses_dir: &Path, plans: &[Plan]) -> Result<(), String> {
    let todo: Vec<(PathBuf, Vec<u8>)> = plans
        .iter()
        .filter(|p| !matches!(p.status, Status::Unchanged))
        .map(|p| (p.target.clone(), p.text.clone().into_bytes()))
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
