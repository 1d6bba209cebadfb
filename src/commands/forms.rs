//! `panelaudit forms`: one `.xlsx` return form per agency for a cycle, pre-filled with the
//! agency's answers when it has already returned. A form already in the output folder is
//! replaced only when it is identical (re-running is harmless); one that differs may hold an
//! agency's answers, so it is never overwritten.

use super::{CommandError, EXIT_INVALID, EXIT_OK};
use crate::fsx::{self, OnDisk};
use crate::intake::forms::{form_for, no_returns};
use crate::model::{Audit, Cycle};
use crate::source::display_path;
use crate::workspace::{check_out, load_one_cycle};
use std::path::{Path, PathBuf};

/// A form: where it goes, its bytes, and what it is pre-filled from.
type Form = (PathBuf, Vec<u8>, Option<String>);

pub fn run(dir: &Path, cycle: Option<&str>, out: &Path) -> u8 {
    let (audit, cycle_id) = match load_one_cycle(dir, "forms", cycle) {
        Ok(found) => found,
        Err(e) => return super::fail(&e),
    };
    let Some(cycle) = audit.cycle(&cycle_id) else {
        return EXIT_INVALID;
    };
    let made = forms_for(&audit, cycle, dir, out).and_then(|forms| {
        let files: Vec<(PathBuf, Vec<u8>)> = forms
            .iter()
            .map(|(p, b, _)| (p.clone(), b.clone()))
            .collect();
        write_forms(out, &files).map(|unchanged| (forms, unchanged))
    });
    let (forms, unchanged) = match made {
        Ok(made) => made,
        Err(e) => return super::fail(&e),
    };
    let asked = cycle.questions(audit.framework(&cycle.framework)).count();
    for ((path, _, from), unchanged) in forms.iter().zip(&unchanged) {
        let state = if *unchanged { "unchanged" } else { "written" };
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

/// Every agency's form for `cycle`, built in memory (nothing is written unless all of them can
/// be): where it goes, its bytes, and what it is pre-filled from. The error follows `error: `.
fn forms_for(
    audit: &Audit,
    cycle: &Cycle,
    dir: &Path,
    out: &Path,
) -> Result<Vec<Form>, CommandError> {
    if !Audit::collects_returns(cycle) {
        return Err(no_returns(audit, cycle, dir).into());
    }
    check_out(dir, out, "the forms")?;
    let fw = audit.framework(&cycle.framework);
    if cycle.questions(fw).count() == 0 {
        return Err(CommandError::NoQuestions {
            cycle: cycle.id.clone(),
            framework: fw.id.clone(),
        });
    }
    cycle
        .agencies(&audit.partnership)
        .map(|agency| {
            form_for(audit, cycle, agency)
                .map(|(bytes, from)| (out.join(format!("{}.xlsx", agency.id)), bytes, from))
                .map_err(|source| CommandError::Form {
                    agency: agency.id.clone(),
                    source,
                })
        })
        .collect()
}

/// Writes the forms into `out`, refusing (nothing written) when a file there differs from its
/// new form: it may hold an agency's answers. Which were already there, unchanged.
fn write_forms(out: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<Vec<bool>, CommandError> {
    let found = fsx::may_write_into(
        out,
        files,
        (
            "the new form",
            "it may hold an agency's answers",
            "import completed returns first (`panelaudit import`), then move the old files away or choose another --out folder",
        ),
    )?;
    std::fs::create_dir_all(out).map_err(|source| CommandError::CreateDir {
        dir: out.to_path_buf(),
        source,
    })?;
    for ((path, bytes), on_disk) in files.iter().zip(&found) {
        if *on_disk != OnDisk::Same {
            fsx::write_atomic(path, bytes).map_err(|source| CommandError::Written {
                what: "the form",
                source,
            })?;
        }
    }
    Ok(found.iter().map(|d| *d == OnDisk::Same).collect())
}
