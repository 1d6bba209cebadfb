//! `panelaudit rank`: the priority ranking and the action plan's coverage, as a table for a
//! terminal, JSON (design.md's contract) or CSV.

use super::{EXIT_INVALID, EXIT_OK};
use crate::analysis::{Analysis, Ledger, RankReport};
use crate::cli::Format;
use crate::diag::Diagnostics;
use crate::model::Date;
use crate::workspace;
use std::path::Path;

pub fn run(
    dir: &Path,
    cycle: Option<&str>,
    top: Option<usize>,
    format: Format,
    as_of: Option<Date>,
) -> u8 {
    let as_of = as_of.unwrap_or_else(Date::today);
    let mut diags = Diagnostics::new();
    let ws = match workspace::load(dir, &mut diags) {
        Ok(ws) => ws,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_INVALID;
        }
    };
    if diags.has_errors() || ws.any_invalid() {
        eprintln!("{}", diags.render());
        eprintln!(
            "{} error(s), {} warning(s): nothing ranked",
            diags.error_count(),
            diags.warning_count()
        );
        return EXIT_INVALID;
    }
    if diags.warning_count() > 0 {
        eprintln!(
            "note: {} warning(s); `panelaudit check {}` lists them",
            diags.warning_count(),
            dir.display()
        );
    }
    let collection = ws.collection;

    // Resolve every partnership's cycle before printing anything, so an error leaves no
    // half-written output.
    let mut analyses: Vec<(Analysis, Vec<crate::analysis::impact::ActionImpact>)> = Vec::new();
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
            Err(msg) if collection && cycle.is_none() => {
                eprintln!("note: {}: {msg}; skipped", l.display_dir)
            }
            Err(msg) => {
                eprintln!("error: {}: {msg}", l.display_dir);
                failed = true;
            }
        }
    }
    if failed {
        return EXIT_INVALID;
    }

    let out = match format {
        Format::Table => analyses
            .iter()
            .map(|(a, _)| crate::rank_table::table(a, top))
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Json => {
            let reports: Vec<RankReport> = analyses
                .iter()
                .map(|(a, i)| RankReport::of(a, top).with_impact(i))
                .collect();
            let json = if collection {
                serde_json::to_string_pretty(&reports)
            } else {
                serde_json::to_string_pretty(&reports.first())
            };
            match json {
                Ok(s) => s + "\n",
                Err(e) => {
                    eprintln!("error: could not write JSON: {e}");
                    return EXIT_INVALID;
                }
            }
        }
        Format::Csv => {
            let reports: Vec<RankReport> = analyses
                .iter()
                .map(|(a, i)| RankReport::of(a, top).with_impact(i))
                .collect();
            match crate::analysis::priorities_csv(&reports) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(e) => {
                    eprintln!("error: could not write CSV: {e}");
                    return EXIT_INVALID;
                }
            }
        }
    };
    print!("{out}");
    EXIT_OK
}
