//! `panelaudit rank`: the priority ranking and the action plan's coverage, as a table for a
//! terminal, JSON (design.md's contract) or CSV.

use super::{CommandError, EXIT_INVALID, EXIT_OK};
use crate::analysis::impact::ActionImpact;
use crate::analysis::{Analysis, Ledger, RankReport};
use crate::cli::Format;
use crate::diag::Diagnostics;
use crate::model::Date;
use crate::workspace::{self, Workspace};
use std::path::Path;

/// A partnership's analysis of the cycle ranked, with the impact of its actions.
type Ranked = (Analysis, Vec<ActionImpact>);

pub fn run(
    dir: &Path,
    cycle: Option<&str>,
    top: Option<usize>,
    format: Format,
    as_of: Option<Date>,
) -> u8 {
    let as_of = as_of.unwrap_or_else(Date::today);
    let Some(ws) = load_valid(dir, cycle) else {
        return EXIT_INVALID;
    };
    let Some(analyses) = analyses(&ws, cycle, as_of) else {
        return EXIT_INVALID;
    };
    match render(format, &analyses, top, ws.collection) {
        Ok(out) => {
            print!("{out}");
            EXIT_OK
        }
        Err(e) => super::fail(&e),
    }
}

/// DIR loaded, when it has no errors; else None, having printed them.
fn load_valid(dir: &Path, cycle: Option<&str>) -> Option<Workspace> {
    let mut diags = Diagnostics::new();
    let ws = match workspace::load(dir, &mut diags) {
        Ok(ws) => ws,
        Err(e) => {
            eprintln!("error: {e}");
            return None;
        }
    };
    if diags.has_errors() || ws.any_invalid() {
        eprintln!("{}", diags.render());
        eprintln!(
            "{} error(s), {} warning(s): nothing ranked",
            diags.error_count(),
            diags.warning_count()
        );
        return None;
    }
    crate::check::ledger_warnings(&ws, cycle, &mut diags);
    if diags.warning_count() > 0 {
        eprintln!(
            "note: {} warning(s); `panelaudit check {}` lists them",
            diags.warning_count(),
            dir.display()
        );
    }
    Some(ws)
}

/// Every partnership's cycle resolved and analysed before anything is printed, so an error
/// leaves no half-written output; None when one lacks the cycle asked for (a collection
/// without --cycle skips a member with no cycle, and says so).
fn analyses(ws: &Workspace, cycle: Option<&str>, as_of: Date) -> Option<Vec<Ranked>> {
    let mut analyses: Vec<Ranked> = Vec::new();
    let mut failed = false;
    for l in &ws.members {
        let Some(audit) = &l.audit else { continue };
        match workspace::pick_cycle(audit, cycle) {
            Ok(c) => {
                // The whole ledger: a cycle's plan and risk read the programme's evidence.
                let ledger = Ledger::build(audit, as_of);
                let impact = ledger.impact.clone();
                if let Some(r) = ledger.cycles.into_iter().find(|r| r.analysis.cycle == c.id) {
                    analyses.push((r.analysis, impact));
                }
            }
            Err(msg) if ws.collection && cycle.is_none() => {
                eprintln!("note: {}: {msg}; skipped", l.display_dir)
            }
            Err(msg) => {
                eprintln!("error: {}: {msg}", l.display_dir);
                failed = true;
            }
        }
    }
    (!failed).then_some(analyses)
}

/// The ranking as a terminal table, JSON or CSV; the error follows `error: `.
fn render(
    format: Format,
    analyses: &[Ranked],
    top: Option<usize>,
    collection: bool,
) -> Result<String, CommandError> {
    let reports = || -> Vec<RankReport> {
        analyses
            .iter()
            .map(|(a, i)| RankReport::of(a, top).with_impact(i))
            .collect()
    };
    match format {
        Format::Table => Ok(analyses
            .iter()
            .map(|(a, _)| crate::reports::rank_table::table(a, top))
            .collect::<Vec<_>>()
            .join("\n")),
        Format::Json => {
            let reports = reports();
            let json = if collection {
                serde_json::to_string_pretty(&reports)
            } else {
                serde_json::to_string_pretty(&reports.first())
            };
            json.map(|s| s + "\n").map_err(CommandError::Json)
        }
        Format::Csv => crate::analysis::priorities_csv(&reports())
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .map_err(CommandError::Csv),
    }
}
