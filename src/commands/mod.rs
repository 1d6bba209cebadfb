//! What each command does, from loaded input to printed output and exit code.

use crate::cli::{Cli, Command};
use crate::diag::Diagnostics;
use crate::load::{self, Target};
use crate::model::{Audit, Rating};
use crate::validate;
use std::path::Path;

mod build;
mod forms;
mod import;
mod init;
mod rank;

pub const EXIT_OK: u8 = 0;
pub const EXIT_INVALID: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check { dir, public } => check(&dir, public),
        Command::Frameworks => frameworks(),
        Command::Rank {
            dir,
            cycle,
            top,
            format,
            as_of,
        } => rank::run(&dir, cycle.as_deref(), top, format, as_of.as_deref()),
        Command::Build { dir, out, audience } => build::run(&dir, &out, audience),
        Command::Init {
            dir,
            name,
            framework,
        } => init::run(&dir, &name, &framework),
        Command::Forms { dir, cycle, out } => forms::run(&dir, cycle.as_deref(), &out),
        Command::Import {
            dir,
            cycle,
            force,
            files,
        } => import::run(&dir, cycle.as_deref(), force, &files),
    }
}

/// One loaded partnership: its folder and, when valid, the audit.
pub struct Loaded {
    pub display_dir: String,
    pub audit: Option<Audit>,
}

/// Loads and validates DIR (a partnership or a collection), collecting every problem.
pub fn load_all(dir: &Path, diags: &mut Diagnostics) -> Result<Vec<Loaded>, String> {
    let dirs = match load::discover(dir)? {
        Target::Partnership(p) => vec![p],
        Target::Collection(v) => v,
    };
    Ok(dirs
        .iter()
        .map(|d| {
            // A file that failed to parse leaves a gap validation cannot see: any error makes
            // the partnership invalid, wherever it was found.
            let errors_before = diags.error_count();
            let raw = load::load_partnership(d, diags);
            let audit =
                validate::validate(&raw, diags).filter(|_| diags.error_count() == errors_before);
            Loaded {
                display_dir: raw.display_dir.clone(),
                audit,
            }
        })
        .collect())
}

fn check(dir: &Path, public: bool) -> u8 {
    let mut diags = Diagnostics::new();
    let loaded = match load_all(dir, &mut diags) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_INVALID;
        }
    };
    // The publication scan reads the public view, so it runs only on valid partnerships.
    let mut scanned = Vec::new();
    if public {
        for l in &loaded {
            if let Some(a) = &l.audit {
                let hits = crate::publish::scan_audit(a);
                crate::publish::report(&hits, &mut diags);
                scanned.push(format!(
                    "{}: publication scan: {}",
                    a.partnership.short_name,
                    match hits.len() {
                        0 => "nothing personal found in what the public site would publish"
                            .to_string(),
                        n => format!("{n} item(s) of personal data would be published"),
                    }
                ));
            }
        }
    }
    let rendered = diags.render();
    if !rendered.is_empty() {
        eprintln!("{rendered}");
    }
    for l in &loaded {
        match &l.audit {
            Some(a) => println!("{}", summary_line(a)),
            None => println!("{}: not valid", l.display_dir),
        }
    }
    for line in &scanned {
        println!("{line}");
    }
    println!(
        "{} error(s), {} warning(s)",
        diags.error_count(),
        diags.warning_count()
    );
    if diags.has_errors() {
        EXIT_INVALID
    } else {
        EXIT_OK
    }
}

/// "NSCP (audits/example): cycle 2025-26: 10 of 10 agencies returned, 477 of 480 answers".
pub fn summary_line(a: &Audit) -> String {
    let mut s = format!("{} ({})", a.partnership.short_name, a.partnership.name);
    match a.latest_cycle() {
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
                ": {} cycle(s); latest {}: {} of {agencies} agencies returned, {answered} of {} answers given ({na} n/a), {} question(s) in scope",
                a.cycles.len(),
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

fn frameworks() -> u8 {
    let mut diags = Diagnostics::new();
    let (parsed, _) = load::bundled(&mut diags);
    println!("{:<16} {:>6} {:>9}", "ID", "THEMES", "QUESTIONS");
    for p in &parsed {
        let f = &p.value;
        let strategic = f
            .questions
            .get_ref()
            .iter()
            .filter(|q| q.get_ref().level.get_ref() == "strategic")
            .count();
        let total = f.questions.get_ref().len();
        println!(
            "{:<16} {:>6} {:>9}",
            f.id.get_ref(),
            f.themes.get_ref().len(),
            total
        );
        // Details on indented lines, each short enough for an 80-column terminal.
        let source = &f.source;
        for line in [
            f.title.get_ref().clone(),
            format!(
                "{strategic} strategic and {} practitioner questions",
                total - strategic
            ),
            format!("from: {}", source.publication.get_ref()),
            format!("by: {}", source.publisher.get_ref()),
            format!("licence: {}", source.licence.get_ref()),
        ] {
            println!("{:18}{line}", "");
        }
    }
    if diags.has_errors() {
        eprintln!("{}", diags.render());
        return EXIT_INVALID;
    }
    EXIT_OK
}
