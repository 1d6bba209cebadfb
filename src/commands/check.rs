//! `panelaudit check`: every problem in a partnership (or collection), as text or JSON lines.

use super::{EXIT_INVALID, EXIT_OK};
use crate::cli::CheckFormat;
use crate::diag::Diagnostics;
use crate::model::{Audience, Audit, Cycle, Date, Rating};
use crate::workspace;
use std::path::Path;

pub fn run(dir: &Path, public: bool, cycle: Option<&str>, format: CheckFormat) -> u8 {
    let mut diags = Diagnostics::new();
    let ws = match workspace::load(dir, &mut diags) {
        Ok(ws) => ws,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_INVALID;
        }
    };
    // The publication scans read the public site a build would make, so they run only when
    // every partnership is valid: the site is rendered in memory and nothing is written.
    let mut scanned = Vec::new();
    if public && !ws.any_invalid() && !diags.has_errors() {
        let collection = ws.collection;
        let audits: Vec<Audit> = ws.audits().cloned().collect();
        let names: Vec<String> = audits
            .iter()
            .map(|a| a.partnership.short_name.clone())
            .collect();
        match super::build::render(
            dir,
            audits,
            collection,
            Audience::Public,
            cycle,
            Date::today(),
        ) {
            Ok(built) => {
                let problems = super::build::publication_problems(&built, "(public site)");
                let found = problems.error_count();
                scanned.push(format!(
                    "{}: publication scan: {}",
                    names.join(", "),
                    match found {
                        0 => "nothing personal found in what the public site would publish"
                            .to_string(),
                        n => format!("{n} item(s) of personal data would be published"),
                    }
                ));
                diags.extend(problems);
            }
            Err(e) => {
                eprintln!("{e}");
                return EXIT_INVALID;
            }
        }
    } else if public {
        scanned.push("publication scan: not run, the audit files have errors".to_string());
    }
    // The summary names the cycle asked for; an unknown one is an error of its own.
    let mut summaries = Vec::new();
    let mut unknown_cycle = false;
    for l in &ws.members {
        match &l.audit {
            Some(a) => match cycle.map(|id| workspace::pick_cycle(a, Some(id))) {
                Some(Err(e)) => {
                    eprintln!("error: {}: {e}", l.display_dir);
                    unknown_cycle = true;
                }
                Some(Ok(c)) => summaries.push(summary_line(a, Some(c))),
                None => summaries.push(summary_line(a, a.latest_cycle())),
            },
            None => summaries.push(format!("{}: not valid", l.display_dir)),
        }
    }
    match format {
        // Machines read stdout: JSON lines only, nothing else on it.
        CheckFormat::Json => print!("{}", diags.render_json()),
        CheckFormat::Text => {
            let rendered = diags.render();
            if !rendered.is_empty() {
                eprintln!("{rendered}");
            }
            for line in summaries.iter().chain(&scanned) {
                println!("{line}");
            }
            println!(
                "{} error(s), {} warning(s)",
                diags.error_count(),
                diags.warning_count()
            );
        }
    }
    if diags.has_errors() || unknown_cycle {
        EXIT_INVALID
    } else {
        EXIT_OK
    }
}

/// "NSCP (...): 3 cycle(s); latest 2025-26: 10 of 10 agencies returned, 477 of 480 answers".
fn summary_line(a: &Audit, cycle: Option<&Cycle>) -> String {
    let mut s = format!("{} ({})", a.partnership.short_name, a.partnership.name);
    match cycle {
        Some(c) => {
            let fw = a.framework(&c.framework);
            let asked = c.questions(fw).count();
            let agencies = c.agencies(&a.partnership).count();
            let answered: usize = c.responses.iter().map(|r| r.answers.len()).sum();
            let na: usize = c
                .responses
                .iter()
                .flat_map(|r| r.answers.values())
                .filter(|x| x.rating == Rating::NotApplicable)
                .count();
            s.push_str(&format!(
                ": {} cycle(s); {} {}: {} of {agencies} agencies returned, {answered} of {} answers given ({na} n/a), {} question(s) in scope",
                a.cycles.len(),
                if a.latest_cycle().is_some_and(|l| l.id == c.id) { "latest" } else { "cycle" },
                c.id,
                c.responses.len(),
                asked * agencies,
                asked
            ));
        }
        None => s.push_str(": no audit cycles yet"),
    }
    s
}
