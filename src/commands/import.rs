//! `panelaudit import`: completed workbooks into the partnership: agencies' returns into
//! `cycles/<id>/responses/<agency>.toml`, case audit records into `cycles/<id>/cases/<ref>.toml`.
//! `intake` reads, checks and writes them, all or nothing; this prints what it found and did.

use super::{EXIT_INVALID, EXIT_OK};
use crate::diag::Diagnostics;
use crate::intake::{self, Kind, Refused, cases, returns};
use crate::model::Cycle;
use crate::source::display_path;
use std::path::{Path, PathBuf};

pub fn run(dir: &Path, cycle: Option<&str>, force: bool, files: &[PathBuf]) -> u8 {
    let kind = match intake::kind_of(files) {
        Ok(kind) => kind,
        Err(e) => return super::fail(&e),
    };
    let (audit, cycle_id) = match intake::target(dir, cycle, files) {
        Ok(found) => found,
        Err(e) => return super::fail(&e),
    };
    let Some(cycle) = audit.cycle(&cycle_id) else {
        return EXIT_INVALID;
    };
    let done = match kind {
        Kind::Returns => {
            returns::plan(&audit, cycle, force, files).map(|p| import_returns(&p, cycle))
        }
        Kind::Cases => {
            cases::plan(&audit, cycle, force, files).map(|p| import_cases(&p, cycle, dir))
        }
    };
    match done {
        Ok(code) => code,
        Err(refused) => {
            print_refused(&refused);
            EXIT_INVALID
        }
    }
}

/// Writes the returns planned and says what became of each.
fn import_returns(plan: &returns::Plan, cycle: &Cycle) -> u8 {
    // --force: what is about to be replaced, question by question, before it is.
    for (target, workbook, lines) in &plan.replacing {
        println!("{target}: replacing with {workbook}:");
        for l in lines {
            println!("  {l}");
        }
    }
    if let Err(e) = plan.write() {
        print(&plan.found);
        return super::fail(&e);
    }
    print(&plan.found);
    for p in &plan.returns {
        println!(
            "{} -> {}: {} ({} answer(s), {} unanswered)",
            p.workbook,
            display_path(&p.target),
            p.status.words(),
            p.answers,
            p.unanswered
        );
    }
    let count = |s: intake::Status| plan.returns.iter().filter(|p| p.status == s).count();
    let skipped = match plan.skipped {
        0 => String::new(),
        n => format!(", {n} skipped (no answers)"),
    };
    println!(
        "cycle {}: {} written, {} replaced, {} unchanged{skipped}",
        cycle.id,
        count(intake::Status::New),
        count(intake::Status::Changed),
        count(intake::Status::Unchanged)
    );
    if let Some((path, _)) = &plan.change_log {
        print_signed_off(cycle, path);
    }
    EXIT_OK
}

/// Writes the case records planned and says what became of each.
fn import_cases(plan: &cases::Plan, cycle: &Cycle, dir: &Path) -> u8 {
    if let Err(e) = plan.write() {
        return super::fail(&e);
    }
    print(&plan.found);
    for c in &plan.cases {
        println!(
            "{} -> {}: {} ({} judgement(s))",
            c.workbook,
            display_path(&c.target),
            c.status.words(),
            c.judgements
        );
    }
    println!(
        "cycle {}: {} case record(s) imported; run `panelaudit check {}`",
        cycle.id,
        plan.cases.len(),
        display_path(dir)
    );
    if let Some(path) = &plan.change_log {
        print_signed_off(cycle, path);
    }
    EXIT_OK
}

fn print_signed_off(cycle: &Cycle, log: &Path) {
    println!(
        "cycle {} was signed off: the change is recorded in {}",
        cycle.id,
        display_path(log)
    );
}

/// Why nothing was imported: what was found, what `check` would refuse, and the closing line.
fn print_refused(refused: &Refused) {
    print(&refused.found);
    if let Some(problems) = &refused.check {
        for d in problems.sorted().into_iter().filter(|d| d.is_error()) {
            eprint!("{}", problems.render_one(d));
        }
    }
    eprintln!("error: {}", refused.reason);
}

/// Prints problems in the order they were found: workbook by workbook, top to bottom.
fn print(diags: &Diagnostics) {
    for d in diags.iter() {
        eprint!("{}", diags.render_one(d));
    }
}
