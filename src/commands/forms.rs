//! `panelaudit forms`: one `.xlsx` return form per agency for a cycle, pre-filled with the
//! agency's answers when it has already returned. A form already in the output folder is
//! replaced only when it is identical (re-running is harmless); one that differs may hold an
//! agency's answers, so it is never overwritten.

use super::import::partnership_and_cycle;
use super::{EXIT_INVALID, EXIT_OK};
use crate::fsx;
use crate::model::Method;
use crate::response_file::on_file;
use crate::source::display_path;
use crate::xlsx::form::{self, FormInput};
use std::path::{Path, PathBuf};

pub fn run(dir: &Path, cycle: Option<&str>, out: &Path) -> u8 {
    let Some((audit, cycle_id)) = partnership_and_cycle(dir, "forms", cycle) else {
        return EXIT_INVALID;
    };
    let Some(cycle) = audit.cycle(&cycle_id) else {
        return EXIT_INVALID;
    };
    if !crate::model::Audit::collects_returns(cycle) {
        eprintln!("error: {}", no_returns(&audit, cycle, dir));
        return EXIT_INVALID;
    }
    if let Err(e) = check_out(dir, out) {
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

/// Refuses an output folder that is the partnership folder or lies inside it: the forms would
/// become part of the audit, and `panelaudit check` would warn about every one of them.
pub(super) fn check_out(dir: &Path, out: &Path) -> Result<(), String> {
    let (Ok(real_dir), Ok(real_out)) = (fsx::real_path(dir), fsx::real_path(out)) else {
        // Without a working folder nothing can be compared; writing will report the problem.
        return Ok(());
    };
    if !real_out.starts_with(&real_dir) {
        return Ok(());
    }
    let shown_dir = display_path(dir);
    let what = if real_out == real_dir {
        format!("is the partnership folder {shown_dir}")
    } else {
        format!("is inside the partnership folder {shown_dir}")
    };
    let example = real_dir
        .parent()
        .zip(real_dir.file_name())
        .map(|(parent, name)| {
            let sibling = parent.join(format!("{}-forms", name.to_string_lossy()));
            format!(", such as --out {}", display_path(&sibling))
        })
        .unwrap_or_default();
    Err(format!(
        "--out {}: {what}; the forms would be read as part of the audit (and `panelaudit check` would warn about each one), so choose a folder outside it{example}",
        display_path(out)
    ))
}

/// Why a cycle that collects no returns gets no forms, and what its evidence comes from.
pub(super) fn no_returns(
    audit: &crate::model::Audit,
    cycle: &crate::model::Cycle,
    dir: &Path,
) -> String {
    let shown = display_path(dir);
    let id = &cycle.id;
    let route = match cycle.method {
        Method::Tabletop | Method::CaseAudit => format!(
            "its evidence is the table's judgements on each case: make the facilitator's pack and recording workbook with `panelaudit pack {shown} --cycle {id} --out pack`, and import the workbook after the session"
        ),
        Method::Survey => format!(
            "its evidence is the practitioners' answers: save the survey's export (the .xlsx Microsoft Forms downloads, or a CSV) in cycles/{id}/surveys/ with a survey file naming it (see the README, surveys)"
        ),
        _ => format!("its evidence is what it found: write it in cycles/{id}/findings.toml"),
    };
    let sa = audit
        .cycles
        .iter()
        .rfind(|c| c.method == Method::SelfAssessment)
        .map(|c| format!("; the forms for the latest self-assessment are `panelaudit forms {shown} --cycle {} --out FOLDER`", c.id))
        .unwrap_or_default();
    format!(
        "cycle {id} is a {}, which asks agencies for no return forms: {route}{sa}",
        cycle.method.words()
    )
}

/// One agency's form for a cycle, as .xlsx bytes, and what it is pre-filled from: the agency's
/// return in this cycle when there is one, else (a self-assessment) its answers in the last
/// self-assessment, for it to review and update, with the dates left for this round.
pub(super) fn form_for(
    audit: &crate::model::Audit,
    cycle: &crate::model::Cycle,
    agency: &crate::model::Agency,
) -> Result<(Vec<u8>, Option<String>), String> {
    let fw = audit.framework(&cycle.framework);
    let previous = (cycle.method == Method::SelfAssessment)
        .then(|| audit.comparable_cycle(cycle))
        .flatten();
    let written = |c: &crate::model::Cycle| on_file(audit, c, &agency.id);
    let (prefill, from) = match written(cycle) {
        Some(d) => (Some(d), Some("pre-filled from its return".to_string())),
        None => match previous.and_then(|p| written(p).map(|d| (p, d))) {
            Some((p, mut d)) => {
                d.answers
                    .retain(|q, _| cycle.questions(fw).any(|x| &x.id == q));
                d.submitted = None;
                (
                    Some(d),
                    Some(format!("starting from its {} answers, to review", p.id)),
                )
            }
            None => (None, None),
        },
    };
    let input = FormInput {
        partnership: &audit.partnership,
        agency,
        cycle,
        framework: fw,
        prefill: prefill.as_ref(),
    };
    form::build(&input).map(|bytes| (bytes, from))
}
