//! `panelaudit forms`: one `.xlsx` return form per agency for a cycle, pre-filled with the
//! agency's answers when it has already returned. A form already in the output folder is
//! replaced only when it is identical (re-running is harmless); one that differs may hold an
//! agency's answers, so it is never overwritten.

use super::{EXIT_INVALID, EXIT_OK};
use crate::fsx;
use crate::intake::forms::{form_for, no_returns};
use crate::source::display_path;
use crate::workspace::{check_out, load_one_cycle};
use std::path::{Path, PathBuf};

pub fn run(dir: &Path, cycle: Option<&str>, out: &Path) -> u8 {
    let (audit, cycle_id) = match load_one_cycle(dir, "forms", cycle) {
        Ok(found) => found,
        Err(e) => {
            eprintln!("{e}");
            return EXIT_INVALID;
        }
    };
    let Some(cycle) = audit.cycle(&cycle_id) else {
        return EXIT_INVALID;
    };
    if !crate::model::Audit::collects_returns(cycle) {
        eprintln!("error: {}", no_returns(&audit, cycle, dir));
        return EXIT_INVALID;
    }
    if let Err(e) = check_out(dir, out, "the forms") {
        eprintln!("error: {e}");
        return EXIT_INVALID;
    }
    let fw = audit.framework(&cycle.framework);
    let asked = cycle.questions(fw).count();
    if asked == 0 {
        eprintln!(
            "error: cycle {} asks no questions: its [scope] leaves none of framework `{}`",
            cycle.id, fw.id
        );
        return EXIT_INVALID;
    }

    // Build every form in memory first: nothing is written unless all of them can be.
    let mut forms: Vec<(PathBuf, Vec<u8>, Option<String>)> = Vec::new();
    for agency in cycle.agencies(&audit.partnership) {
        match form_for(&audit, cycle, agency) {
            Ok((bytes, from)) => forms.push((out.join(format!("{}.xlsx", agency.id)), bytes, from)),
            Err(e) => {
                eprintln!("error: the form for `{}`: {e}", agency.id);
                return EXIT_INVALID;
            }
        }
    }

    if out.exists() && !out.is_dir() {
        eprintln!("error: {}: exists and is not a folder", display_path(out));
        return EXIT_INVALID;
    }
    let mut conflicts = Vec::new();
    let mut unchanged = vec![false; forms.len()];
    for (i, (path, bytes, _)) in forms.iter().enumerate() {
        match std::fs::read(path) {
            Ok(old) if &old == bytes => unchanged[i] = true,
            Ok(_) => conflicts.push(display_path(path)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                eprintln!("error: {}: {e}", display_path(path));
                return EXIT_INVALID;
            }
        }
    }
    if !conflicts.is_empty() {
        eprintln!(
            "error: {}: already there and different from the new form (it may hold an agency's answers); nothing was written",
            conflicts.join(", ")
        );
        eprintln!(
            "  = help: import completed returns first (`panelaudit import`), then move the old files away or choose another --out folder"
        );
        return EXIT_INVALID;
    }

    if let Err(e) = std::fs::create_dir_all(out) {
        eprintln!(
            "error: {}: cannot create the folder: {e}",
            display_path(out)
        );
        return EXIT_INVALID;
    }
    for (i, (path, bytes, _)) in forms.iter().enumerate() {
        if unchanged[i] {
            continue;
        }
        if let Err(e) = fsx::write_atomic(path, bytes) {
            eprintln!("error: cannot write the form: {e}");
            return EXIT_INVALID;
        }
    }
    for (i, (path, _, from)) in forms.iter().enumerate() {
        let state = if unchanged[i] { "unchanged" } else { "written" };
        let note = from.as_ref().map(|f| format!(", {f}")).unwrap_or_default();
        println!(
            "{}: {state} ({asked} question(s){note})",
            display_path(path)
        );
    }
    println!(
        "{} form(s) for cycle {} ({}); send each agency its own file, then `panelaudit import {}` the completed ones",
        forms.len(),
        cycle.id,
        cycle.title,
        display_path(dir)
    );
    EXIT_OK
}
