//! `panelaudit check`: every problem in a partnership (or collection), as text or JSON lines.

use super::{EXIT_INVALID, EXIT_OK};
use crate::analysis::returns::return_round;
use crate::cli::CheckFormat;
use crate::diag::Diagnostics;
use crate::model::{Audit, Cycle, Date, Rating};
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
        match crate::build::public_scan(
            dir,
            &audits,
            collection,
            cycle,
            Date::today(),
            "(public site)",
        ) {
            Ok(problems) => {
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
                Some(Ok(c)) => summaries.extend(summary_lines(a, &l.display_dir, Some(c))),
                None => {
                    // The main cycle's return round, then a line for each deep dive since.
                    let main = a.main_cycle();
                    summaries.extend(summary_lines(a, &l.display_dir, main));
                    for later in a
                        .cycles
                        .iter()
                        .filter(|c| main.is_some_and(|m| c.id > m.id))
                    {
                        let line = summary_lines(a, &l.display_dir, Some(later))
                            .into_iter()
                            .next()
                            .unwrap_or_default();
                        // Only the part after the partnership's name and cycle count.
                        let part = line.split_once("; ").map_or(line.as_str(), |(_, r)| r);
                        summaries.push(format!("  since then, {part}"));
                    }
                }
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

/// The latest cycle that asks agencies for returns (a survey asks practitioners instead),
/// else the latest cycle: the return round the summary reports by default.
/// How `check` names a cycle in its summary.
fn which(a: &Audit, c: &Cycle) -> &'static str {
    if a.main_cycle().is_some_and(|m| m.id == c.id) {
        "main"
    } else {
        "cycle"
    }
}

/// "NSCP (...): 3 cycle(s); latest 2025-26: 7 returned, 2 partly answered (31 of 48, 12 of 48),
/// 1 empty, 0 not received; 477 of 480 answers", then who to chase and how to resend the form.
fn summary_lines(a: &Audit, dir: &str, cycle: Option<&Cycle>) -> Vec<String> {
    let mut s = format!("{} ({})", a.partnership.short_name, a.partnership.name);
    let Some(c) = cycle else {
        s.push_str(": no audit cycles yet");
        return vec![s];
    };
    let fw = a.framework(&c.framework);
    let asked = c.questions(fw).count();
    if !c.cases.is_empty() {
        let judgements: usize = c.cases.iter().map(|k| k.findings.len()).sum();
        s.push_str(&format!(
            ": {} cycle(s); {} {} ({}): {} case(s) recorded, {judgements} judgement(s) over {asked} question(s) in scope",
            a.cycles.len(),
            which(a, c),
            c.id,
            c.method.words(),
            c.cases.len(),
        ));
        return vec![s];
    }
    if !c.surveys.is_empty() && c.responses.is_empty() {
        let respondents: usize = c.surveys.iter().map(|v| v.respondents).sum();
        s.push_str(&format!(
            ": {} cycle(s); {} {} ({}): {} survey(s), {respondents} response(s), {asked} question(s) in scope",
            a.cycles.len(),
            which(a, c),
            c.id,
            c.method.words(),
            c.surveys.len(),
        ));
        return vec![s];
    }
    let agencies = c.agencies(&a.partnership).count();
    let answered: usize = c.responses.iter().map(|r| r.answers.len()).sum();
    let na: usize = c
        .responses
        .iter()
        .flat_map(|r| r.answers.values())
        .filter(|x| x.rating == Rating::NotApplicable)
        .count();
    let round = return_round(a, c);
    s.push_str(&format!(
        ": {} cycle(s); {} {}: {agencies} agencies asked: {}; {answered} of {} answers given ({na} n/a), {} question(s) in scope",
        a.cycles.len(),
        which(a, c),
        c.id,
        round.summary(),
        asked * agencies,
        asked
    ));
    let mut lines = vec![s];
    let chase = round.to_chase();
    if !chase.is_empty() {
        let who: Vec<String> = chase
            .iter()
            .map(|r| format!("{} ({})", r.agency, r.status.describe()))
            .collect();
        lines.push(format!(
            "  to chase for {}: {}; make their forms with `panelaudit forms {} --cycle {} --out FOLDER`",
            c.id,
            who.join(", "),
            shell_word(dir),
            c.id
        ));
    }
    lines
}

/// A path as one shell word: quoted when it holds anything a shell would split or expand.
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
