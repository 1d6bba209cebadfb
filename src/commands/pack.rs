//! `panelaudit pack DIR --cycle ID --out FOLDER`: a tabletop or case audit's facilitator pack,
//! `<cycle>-pack.html` (print it on A4) and `<cycle>-cases.xlsx` (the recording workbook that
//! `panelaudit import` reads back into `cases/`). Files already in FOLDER are replaced only
//! when identical; one that differs may hold the table's judgements, so nothing is written.

use super::{EXIT_INVALID, EXIT_OK};
use crate::fsx;
use crate::model::Method;
use crate::source::display_path;
use crate::workspace::{check_out, load_one_cycle};
use crate::xlsx::cases;
use std::path::{Path, PathBuf};

pub fn run(dir: &Path, cycle: &str, out: &Path, blank: Option<usize>) -> u8 {
    let (audit, cycle_id) = match load_one_cycle(dir, "pack", Some(cycle)) {
        Ok(found) => found,
        Err(e) => {
            eprintln!("{e}");
            return EXIT_INVALID;
        }
    };
    let Some(cycle) = audit.cycle(&cycle_id) else {
        return EXIT_INVALID;
    };
    if !matches!(cycle.method, Method::Tabletop | Method::CaseAudit) {
        eprintln!(
            "error: cycle {} is a {}; a pack is for a tabletop or case audit (method = \"tabletop\" or \"case-audit\" in its cycle.toml)",
            cycle.id,
            cycle.method.words()
        );
        eprintln!("  = help: for agencies' returns, make their forms with `panelaudit forms`");
        return EXIT_INVALID;
    }
    if let Err(e) = check_out(dir, out, "the pack") {
        eprintln!("error: {e}");
        return EXIT_INVALID;
    }
    if blank.is_some_and(|n| n == 0 || n > cases::MAX_CASES) {
        eprintln!(
            "error: --cases takes a number from 1 to {}",
            cases::MAX_CASES
        );
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
    let refs = cases::pack_refs(cycle, blank);
    let html = crate::pack::html(&audit, cycle, fw, &refs);
    let xlsx = match cases::workbook(&audit, cycle, fw, &refs) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_INVALID;
        }
    };
    let files: Vec<(PathBuf, Vec<u8>)> = vec![
        (
            out.join(format!("{}-pack.html", cycle.id)),
            html.into_bytes(),
        ),
        (out.join(format!("{}-cases.xlsx", cycle.id)), xlsx),
    ];
    if out.exists() && !out.is_dir() {
        eprintln!("error: {}: exists and is not a folder", display_path(out));
        return EXIT_INVALID;
    }
    let mut todo = Vec::new();
    let mut conflicts = Vec::new();
    let mut unchanged = Vec::new();
    for (path, bytes) in files {
        match std::fs::read(&path) {
            Ok(old) if old == bytes => unchanged.push(path),
            Ok(_) => conflicts.push(display_path(&path)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => todo.push((path, bytes)),
            Err(e) => {
                eprintln!("error: {}: {e}", display_path(&path));
                return EXIT_INVALID;
            }
        }
    }
    if !conflicts.is_empty() {
        eprintln!(
            "error: {}: already there and different from the new pack (it may hold the table's judgements); nothing was written",
            conflicts.join(", ")
        );
        eprintln!(
            "  = help: import a completed workbook first (`panelaudit import`), then move the old files away or choose another --out folder"
        );
        return EXIT_INVALID;
    }
    if let Err(e) = fsx::create_new_files(&todo) {
        eprintln!("error: cannot write the pack: {e}");
        return EXIT_INVALID;
    }
    for (p, _) in &todo {
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
    println!(
        "pack for cycle {} ({}): {} case grid(s), {existing}, over {asked} question(s); print the HTML on A4, record the judgements in the workbook, then `panelaudit import {} FILE.xlsx`",
        cycle.id,
        cycle.title,
        refs.len(),
        display_path(dir)
    );
    EXIT_OK
}
