//! What `panelaudit check` finds in a partnership or collection: every problem as
//! diagnostics (the files' own, a template override a build would stop at, moderated summaries
//! a deep dive contradicts, and with `--public` what the public site would publish), and the
//! lines that say where each audit stands. The command prints them.

use crate::analysis::Ledger;
use crate::build::BuildError;
use crate::diag::{Code, Diagnostics, Location};
use crate::model::{Audit, Cycle, Date};
use crate::workspace::{self, Loaded, WorkspaceError};
use rayon::prelude::*;
use std::path::Path;

/// What `check` found.
#[derive(Debug)]
pub struct Checked {
    /// Every problem, errors and warnings.
    pub diags: Diagnostics,
    /// A cycle asked for that a partnership lacks, one for each partnership: an error of its
    /// own, as no file is at fault.
    pub unknown_cycles: Vec<WorkspaceError>,
    /// Where each audit stands, then what the publication scan found: lines for stdout.
    pub summaries: Vec<String>,
}

impl Checked {
    fn new(diags: Diagnostics) -> Checked {
        Checked {
            diags,
            unknown_cycles: Vec::new(),
            summaries: Vec::new(),
        }
    }

    /// Whether `check` fails.
    pub fn failed(&self) -> bool {
        self.diags.has_errors() || !self.unknown_cycles.is_empty()
    }
}

/// Why `check` could not check at all: DIR cannot be read, or the public site cannot be made
/// in memory for its scan.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error(transparent)]
    Build(#[from] BuildError),
}

/// Loads and checks DIR; `public` adds the publication scan of the site a build would make,
/// `cycle` names the cycle to summarise.
pub fn check(dir: &Path, public: bool, cycle: Option<&str>) -> Result<Checked, CheckError> {
    let mut diags = Diagnostics::new();
    if !public {
        // Nothing needs a partnership once it is checked: each is checked as soon as it is
        // loaded and then dropped, so memory stays flat however large the collection (holding
        // a national collection of 300 whole took 270 MB, and a quarter of check's time went
        // on the kernel handing out that memory).
        let members = workspace::load_each(dir, &mut diags, |l| checked_member(&l, cycle))?;
        return Ok(gather(diags, members, None));
    }
    let ws = workspace::load(dir, &mut diags)?;
    let scanned = if !ws.any_invalid() && !diags.has_errors() {
        publication_scan(dir, &ws, cycle, &mut diags)?
    } else {
        "publication scan: not run, the audit files have errors".to_string()
    };
    let members: Vec<Checked> = ws
        .members
        .par_iter()
        .map(|l| checked_member(l, cycle))
        .collect();
    // A national collection's audits are millions of small allocations: freed in parallel too.
    ws.members.into_par_iter().for_each(drop);
    Ok(gather(diags, members, Some(scanned)))
}

/// The load's problems, then what each partnership's check found (in folder order, as if
/// checked one by one), then the publication scan's line.
fn gather(diags: Diagnostics, members: Vec<Checked>, scanned: Option<String>) -> Checked {
    let mut checked = Checked::new(diags);
    for own in members {
        checked.diags.extend(own.diags);
        checked.unknown_cycles.extend(own.unknown_cycles);
        checked.summaries.extend(own.summaries);
    }
    checked.summaries.extend(scanned);
    checked
}

/// [`check_member`] with a `Checked` of its own, so partnerships are checked in parallel.
fn checked_member(l: &Loaded, cycle: Option<&str>) -> Checked {
    let mut own = Checked::new(Diagnostics::new());
    check_member(l, cycle, &mut own);
    own
}

/// Scans the public site a build would make (rendered in memory, nothing written) for personal
/// data, adding what it finds to `diags`; the line that says what it found.
fn publication_scan(
    dir: &Path,
    ws: &workspace::Workspace,
    cycle: Option<&str>,
    diags: &mut Diagnostics,
) -> Result<String, BuildError> {
    let audits: Vec<Audit> = ws.audits().cloned().collect();
    let names: Vec<String> = audits
        .iter()
        .map(|a| a.partnership.short_name.clone())
        .collect();
    let problems = crate::build::public_scan(
        dir,
        &audits,
        ws.collection,
        cycle,
        Date::today(),
        "(public site)",
    )?;
    let found = match problems.error_count() {
        0 => "nothing personal found in what the public site would publish".to_string(),
        n => format!("{n} item(s) of personal data would be published"),
    };
    diags.extend(problems);
    Ok(format!("{}: publication scan: {found}", names.join(", ")))
}

/// One partnership: its template overrides and moderated summaries checked, and its summary.
/// The summary names the cycle asked for; an unknown one is an error of its own. Both it and
/// the warnings on moderated summaries read the evidence ledger, as every surface does.
fn check_member(l: &Loaded, cycle: Option<&str>, checked: &mut Checked) {
    let Some(a) = &l.audit else {
        checked
            .summaries
            .push(format!("{}: not valid", l.display_dir));
        return;
    };
    let chosen = match cycle.map(|id| workspace::pick_cycle(a, Some(id))) {
        Some(Err(e)) => {
            checked.unknown_cycles.push(e.of(&a.dir));
            return;
        }
        Some(Ok(c)) => Some(c),
        None => a.main_cycle(),
    };
    if !a.templates.is_empty() {
        template_overrides(a, &l.display_dir, chosen, &mut checked.diags);
    }
    let ledger = Ledger::build(a, Date::today());
    if let Some(c) = chosen {
        stale_summaries(a, &ledger, c, &mut checked.diags);
    }
    let summaries = &mut checked.summaries;
    summaries.extend(summary_lines(a, &ledger, &l.display_dir, chosen));
    if cycle.is_none() {
        // Each deep dive since the main cycle, on a line of its own.
        for later in a
            .cycles
            .iter()
            .filter(|c| chosen.is_some_and(|m| c.id > m.id))
        {
            summaries.push(format!("  since then, {}", cycle_line(a, &ledger, later)));
        }
    }
    summaries.extend(open_cycles(a, &l.display_dir, Date::today()));
}

/// An error (`PA0111`) when the partnership's own templates do not compile or render: its
/// internal site is rendered in memory, as a build would, so `check` refuses what `build` would.
fn template_overrides(a: &Audit, dir: &str, chosen: Option<&Cycle>, diags: &mut Diagnostics) {
    let Err(e) = crate::build::dry_render(a, chosen.map(|c| c.id.as_str()), Date::today()) else {
        return;
    };
    let place = e.template_place();
    let path = format!(
        "{dir}/templates/{}",
        place.map_or("", |p| p.template.as_str())
    );
    let at = match place {
        Some(p) => Location::position(path, p.line, p.column),
        None => Location::File { path },
    };
    diags
        .error_at(Code::TemplateOverride, at, e.to_string())
        .with_help(
            "a build would stop here: mend the template, or remove it to use the built-in one",
        );
}

/// The warnings `check` adds once the evidence is weighed (`PA0407`, below), for each valid
/// partnership's cycle (`cycle`, or its main one): for a command that says how many warnings
/// `check` would list, so that the two counts agree.
pub fn ledger_warnings(ws: &workspace::Workspace, cycle: Option<&str>, diags: &mut Diagnostics) {
    for a in ws.audits() {
        let chosen = match cycle {
            Some(id) => workspace::pick_cycle(a, Some(id)).ok(),
            None => a.main_cycle(),
        };
        if let Some(c) = chosen {
            stale_summaries(a, &Ledger::build(a, Date::today()), c, diags);
        }
    }
}

/// A warning (`PA0407`) for each moderated public summary that a deep dive since contradicts.
fn stale_summaries(a: &Audit, ledger: &Ledger, c: &Cycle, diags: &mut Diagnostics) {
    let fw = a.framework(&c.framework);
    for stale in ledger.stale_summaries(a, &c.id) {
        diags
            .warning_at(Code::StaleSummary, &stale.loc, stale.message(a, fw))
            .with_help(
                "a public summary must not say more than the evidence shows; the question's internal page sets the two side by side",
            );
    }
}

/// How `check` names a cycle in its summary.
fn which(a: &Audit, c: &Cycle) -> &'static str {
    if a.main_cycle().is_some_and(|m| m.id == c.id) {
        "main"
    } else {
        "cycle"
    }
}

/// "main 2025-26: 10 agencies asked: 9 returned, ...", or for a cycle without returns what its
/// cases or survey rest on, then how many questions its evidence rated at each level.
fn cycle_line(a: &Audit, ledger: &Ledger, c: &Cycle) -> String {
    let fw = a.framework(&c.framework);
    let asked = c.questions(fw).count();
    let Some(record) = ledger.cycle(&c.id) else {
        return format!("{} {}", which(a, c), c.id);
    };
    let e = &record.evidence;
    let mut parts: Vec<String> = Vec::new();
    if let Some(round) = &e.returns {
        let agencies = round.agencies.len();
        parts.push(format!(
            "{agencies} agencies asked: {}; {} of {} answers given ({} n/a)",
            round.summary(),
            e.answers.total(),
            asked * agencies,
            e.answers.not_applicable
        ));
    }
    if let Some(cases) = &e.cases {
        let judged = cases
            .results
            .iter()
            .filter(|r| r.counts.judged() > 0)
            .count();
        parts.push(format!(
            "{} case(s) audited, judging {judged} question(s)",
            cases.cases
        ));
    }
    if !e.surveys.is_empty() {
        let respondents: usize = e.surveys.iter().map(|v| v.respondents).sum();
        parts.push(format!(
            "{} survey(s), {respondents} response(s)",
            e.surveys.len()
        ));
    }
    let rated: Vec<f64> = record
        .analysis
        .ranking
        .priorities
        .iter()
        .filter_map(|s| s.rating)
        .collect();
    let levels: Vec<String> = fw
        .scale
        .iter()
        .filter_map(|l| {
            let n = rated
                .iter()
                .filter(|r| fw.level_at(**r).value == l.value)
                .count();
            (n > 0).then(|| format!("{n} {}", l.label.to_lowercase()))
        })
        .collect();
    let unrated = record.analysis.ranking.priorities.len() - rated.len();
    let mut assessed = format!("{asked} question(s) in scope");
    if !levels.is_empty() {
        assessed.push_str(&format!(", assessed: {}", levels.join(", ")));
    }
    if unrated > 0 {
        let sep = if levels.is_empty() { ": " } else { ", " };
        assessed.push_str(&format!("{sep}{unrated} without evidence"));
    }
    parts.push(assessed);
    format!(
        "{} {} ({}): {}",
        which(a, c),
        c.id,
        c.method.words(),
        parts.join("; ")
    )
}

/// "NSCP (...): 5 cycle(s); main 2025-26 (self-assessment): ...", then who to chase and how to
/// resend the form.
fn summary_lines(a: &Audit, ledger: &Ledger, dir: &str, cycle: Option<&Cycle>) -> Vec<String> {
    let name = format!("{} ({})", a.partnership.short_name, a.partnership.name);
    let Some(c) = cycle else {
        return vec![format!("{name}: no audit cycles yet")];
    };
    let mut lines = vec![format!(
        "{name}: {} cycle(s); {}",
        a.cycles.len(),
        cycle_line(a, ledger, c)
    )];
    let round = ledger
        .cycle(&c.id)
        .and_then(|r| r.evidence.returns.as_ref());
    let chase = round.map(|r| r.to_chase()).unwrap_or_default();
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

/// Which cycles are still open (not signed off), and how to sign off one that has closed: a
/// round that is never signed off can still change under the board's feet.
fn open_cycles(a: &Audit, dir: &str, today: Date) -> Option<String> {
    if a.cycles.is_empty() {
        return None;
    }
    let open: Vec<&Cycle> = a.cycles.iter().filter(|c| c.signed_off.is_none()).collect();
    if open.is_empty() {
        return Some(format!("  signed off: all {} cycle(s)", a.cycles.len()));
    }
    let each: Vec<String> = open
        .iter()
        .map(|c| {
            let when = if c.closed < today { "closed" } else { "closes" };
            format!("{} ({}, {when} {})", c.id, c.method.words(), c.closed)
        })
        .collect();
    let mut line = format!("  open (not signed off): {}", each.join(", "));
    if let Some(c) = open.iter().find(|c| c.closed < today) {
        line.push_str(&format!(
            "; sign a round off once its evidence is in: `panelaudit signoff {} --cycle {}`",
            shell_word(dir),
            c.id
        ));
    }
    Some(line)
}
