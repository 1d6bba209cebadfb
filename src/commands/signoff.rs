//! `panelaudit signoff DIR --cycle ID [--date DATE]`: closes a round. `signed_off = DATE` is
//! written into the cycle's cycle.toml (nothing else in the file changes), and the command says
//! where the round stands as it closes and what signing off means from now on.

use super::{EXIT_INVALID, EXIT_OK};
use crate::analysis::Ledger;
use crate::authoring::signoff::{CHANGES_FILE, sign_off_file};
use crate::model::{Audit, Cycle, Date};
use crate::source::display_path;
use std::path::Path;

pub fn run(dir: &Path, cycle: &str, date: Date) -> u8 {
    let (audit, id) = match crate::workspace::load_one_cycle(dir, "signoff", Some(cycle)) {
        Ok(found) => found,
        Err(e) => return super::fail(&e),
    };
    let Some(c) = audit.cycle(&id) else {
        return EXIT_INVALID;
    };
    if let Some(on) = c.signed_off {
        if on == date {
            println!("cycle {id} was signed off on {on} already: nothing to do");
            return EXIT_OK;
        }
        eprintln!(
            "error: cycle {id} was signed off on {on} already; nothing was changed (to correct the date, edit `signed_off` in its cycle.toml)"
        );
        return EXIT_INVALID;
    }
    if date < c.opened {
        eprintln!(
            "error: cycle {id} opened on {}: it cannot be signed off before that ({date}); nothing was changed",
            c.opened
        );
        return EXIT_INVALID;
    }
    let path = audit.dir.join("cycles").join(&id).join("cycle.toml");
    if let Err(e) = sign_off_file(&path, date) {
        eprintln!("{}; nothing was changed", crate::error::report(&e));
        return EXIT_INVALID;
    }
    if date < c.closed {
        eprintln!(
            "warning: cycle {id} is signed off ({date}) before it closes ({}): any return still to come will need --force",
            c.closed
        );
    }
    for line in report(&audit, c, date, dir) {
        println!("{line}");
    }
    EXIT_OK
}

/// What the command prints: the round as it closes, and what signing off means from now on.
fn report(audit: &Audit, c: &Cycle, date: Date, dir: &Path) -> Vec<String> {
    let shown = display_path(dir);
    let mut lines = vec![format!(
        "Signed off cycle {} ({}, {}) on {date}: {}",
        c.id,
        c.title,
        c.method.words(),
        display_path(&audit.dir.join("cycles").join(&c.id).join("cycle.toml"))
    )];
    let ledger = Ledger::build(audit, date);
    if let Some(e) = ledger.cycle(&c.id).map(|r| &r.evidence) {
        if let Some(round) = &e.returns {
            lines.push(format!(
                "  returns: {} agencies asked: {}",
                round.agencies.len(),
                round.summary()
            ));
            let missing: Vec<String> = round
                .to_chase()
                .iter()
                .map(|a| format!("{} ({})", a.agency, a.status.describe()))
                .collect();
            if !missing.is_empty() {
                lines.push(format!(
                    "  signed off without a full return from: {}; their unanswered questions count as no evidence of assurance",
                    missing.join(", ")
                ));
            }
        }
        if let Some(cases) = &e.cases {
            lines.push(format!("  case records: {}", cases.cases));
        }
        if !e.surveys.is_empty() {
            let n: usize = e.surveys.iter().map(|s| s.respondents).sum();
            lines.push(format!("  surveys: {}, {n} response(s)", e.surveys.len()));
        }
    }
    lines.push(format!(
        "From now on: `panelaudit import` into {} needs --force, and each forced change is recorded in {} and shown on the cycle's page.",
        c.id,
        display_path(&audit.dir.join("cycles").join(&c.id).join(CHANGES_FILE))
    ));
    if !c.cases.is_empty() || !c.surveys.is_empty() {
        lines.push(
            "A public build now publishes this cycle's case and survey figures (aggregates only)."
                .to_string(),
        );
    }
    let open: Vec<String> = audit
        .cycles
        .iter()
        .filter(|o| o.id != c.id && o.signed_off.is_none())
        .map(|o| o.id.clone())
        .collect();
    lines.push(if open.is_empty() {
        "Every cycle is now signed off.".to_string()
    } else {
        format!(
            "Still open: {} (`panelaudit check {shown}` says where each stands).",
            open.join(", ")
        )
    });
    lines
}
