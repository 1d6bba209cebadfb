//! `panelaudit pack DIR --cycle ID --out FOLDER`: a tabletop or case audit's facilitator pack,
//! `<cycle>-pack.html` (print it on A4) and `<cycle>-cases.xlsx` (the recording workbook that
//! `panelaudit import` reads back into `cases/`). Files already in FOLDER are replaced only
//! when identical; one that differs may hold the table's judgements, so nothing is written.

use super::{CommandError, EXIT_INVALID, EXIT_OK};
use crate::fsx::{self, OnDisk};
use crate::model::Method;
use crate::model::{Audit, Cycle};
use crate::source::display_path;
use crate::workspace::{check_out, load_one_cycle};
use crate::xlsx::cases;
use std::path::{Path, PathBuf};

pub fn run(dir: &Path, cycle: &str, out: &Path, blank: Option<usize>) -> u8 {
    let (audit, cycle_id) = match load_one_cycle(dir, "pack", Some(cycle)) {
        Ok(found) => found,
        Err(e) => return super::fail(&e),
    };
    let Some(cycle) = audit.cycle(&cycle_id) else {
        return EXIT_INVALID;
    };
    let refs = cases::pack_refs(cycle, blank);
    let written = check_request(cycle, dir, out, blank)
        .and_then(|()| pack_files(&audit, cycle, out, &refs))
        .and_then(|files| write_pack(out, files));
    let (todo, unchanged) = match written {
        Ok(done) => done,
        Err(e) => return super::fail(&e),
    };
    for p in &todo {
        println!("{}: written", display_path(p));
    }
    for p in &unchanged {
        println!("{}: unchanged", display_path(p));
    }
    let existing = if cycle.cases.is_empty() || blank.is_some() {
        "blank"
    } else {
        "pre-filled from the case records"
    };
    let asked = cycle.questions(audit.framework(&cycle.framework)).count();
    println!(
        "pack for cycle {} ({}): {} case grid(s), {existing}, over {asked} question(s); print the HTML on A4, record the judgements in the workbook, then `panelaudit import {} FILE.xlsx`",
        cycle.id,
        cycle.title,
        refs.len(),
        display_path(dir)
    );
    EXIT_OK
}

/// Whether a pack can be made as asked: a tabletop or case audit, an --out folder outside the
/// partnership, a number of blank cases within the workbook's limit. The error follows `error: `.
fn check_request(
    cycle: &Cycle,
    dir: &Path,
    out: &Path,
    blank: Option<usize>,
) -> Result<(), CommandError> {
    if !matches!(cycle.method, Method::Tabletop | Method::CaseAudit) {
        return Err(CommandError::NotForPack {
            cycle: cycle.id.clone(),
            method: cycle.method,
        });
    }
    check_out(dir, out, "the pack")?;
    if blank.is_some_and(|n| n == 0 || n > cases::MAX_CASES) {
        return Err(CommandError::CasesOutOfRange);
    }
    Ok(())
}

/// The pack's two files in memory: the printable HTML and the recording workbook.
fn pack_files(
    audit: &Audit,
    cycle: &Cycle,
    out: &Path,
    refs: &[String],
) -> Result<Vec<(PathBuf, Vec<u8>)>, CommandError> {
    let fw = audit.framework(&cycle.framework);
    if cycle.questions(fw).count() == 0 {
        return Err(CommandError::NoQuestions {
            cycle: cycle.id.clone(),
            framework: fw.id.clone(),
        });
    }
    let html = crate::reports::pack::html(audit, cycle, fw, refs);
    let xlsx = cases::workbook(audit, cycle, fw, refs)?;
    Ok(vec![
        (
            out.join(format!("{}-pack.html", cycle.id)),
            html.into_bytes(),
        ),
        (out.join(format!("{}-cases.xlsx", cycle.id)), xlsx),
    ])
}

/// Writes the pack's new files into `out`, refusing (nothing written) when a file there
/// differs: it may hold the table's judgements. The files written, and those already there.
fn write_pack(
    out: &Path,
    files: Vec<(PathBuf, Vec<u8>)>,
) -> Result<(Vec<PathBuf>, Vec<PathBuf>), CommandError> {
    let found = fsx::may_write_into(
        out,
        &files,
        (
            "the new pack",
            "it may hold the table's judgements",
            "import a completed workbook first (`panelaudit import`), then move the old files away or choose another --out folder",
        ),
    )?;
    let (todo, unchanged): (Vec<_>, Vec<_>) = files
        .into_iter()
        .zip(found)
        .partition(|(_, d)| *d == OnDisk::Absent);
    let todo: Vec<(PathBuf, Vec<u8>)> = todo.into_iter().map(|(f, _)| f).collect();
    fsx::create_new_files(&todo).map_err(|source| CommandError::Written {
        what: "the pack",
        source,
    })?;
    Ok((
        todo.into_iter().map(|(p, _)| p).collect(),
        unchanged.into_iter().map(|((p, _), _)| p).collect(),
    ))
}
