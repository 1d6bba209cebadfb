//! `panelaudit chase DIR [--cycle ID] --out FOLDER`: for each agency whose return is not in
//! (not received, empty, partly answered, carried over unchanged), a ready-to-send email as a
//! standard `.eml` file with its form attached (`crate::reports::chase`), and `summary.csv` listing them.
//! Nothing is sent. Like `forms`, it writes all or nothing, outside the partnership folder, and
//! never replaces a file that differs (an email someone has started to edit).

use super::{CommandError, EXIT_OK};
use crate::analysis::Ledger;
use crate::analysis::returns::{AgencyReturn, ReturnStatus};
use crate::intake::forms::{form_for, no_returns};
use crate::model::{Audit, Cycle, Date};
use crate::reports::chase::Letter;
use crate::source::display_path;
use crate::workspace::check_out;
use std::path::{Path, PathBuf};

pub fn run(dir: &Path, cycle: Option<&str>, out: &Path, today: Date) -> u8 {
    let audit = match crate::workspace::load_one(dir, "chase") {
        Ok(a) => a,
        Err(e) => return super::fail(&e),
    };
    let c = match pick(&audit, cycle, dir) {
        Ok(c) => c,
        Err(e) => return super::fail(&e),
    };
    if let Err(e) = check_out(dir, out, "the forms") {
        return super::fail(&e);
    }
    let ledger = Ledger::build(&audit, today);
    let round = ledger
        .cycle(&c.id)
        .and_then(|r| r.evidence.returns.as_ref());
    let chase: Vec<&AgencyReturn> = round.map(|r| r.to_chase()).unwrap_or_default();
    if chase.is_empty() {
        println!(
            "cycle {}: every agency asked has returned in full: nobody to chase, nothing written",
            c.id
        );
        return EXIT_OK;
    }
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut rows = vec!["agency,name,status,missing,to,email".to_string()];
    let mut report = Vec::new();
    for r in chase {
        let letter = match letter(&audit, c, r, today) {
            Ok(l) => l,
            Err(e) => {
                let e = CommandError::Email {
                    agency: r.agency.clone(),
                    source: Box::new(e),
                };
                return super::fail(&e);
            }
        };
        let file = format!("{}.eml", r.agency);
        let to = letter.agency.contact.clone().unwrap_or_default();
        rows.push(csv_row(&[
            &r.agency,
            &r.name,
            &r.status.describe(),
            &letter.missing.len().to_string(),
            &to,
            &file,
        ]));
        report.push(format!(
            "  {file}: {} ({}), {} question(s); to {}",
            r.agency,
            r.status.describe(),
            letter.missing.len(),
            if to.is_empty() {
                "nobody yet: add `contact = \"...\"` to its [[agencies]] in partnership.toml, or fill in To".to_string()
            } else {
                to
            }
        ));
        files.push((out.join(&file), letter.eml().into_bytes()));
    }
    files.push((
        out.join("summary.csv"),
        (rows.join("\n") + "\n").into_bytes(),
    ));
    if let Err(e) = write(out, &files) {
        return super::fail(&e);
    }
    println!(
        "cycle {} ({}), due {}: {} email(s) in {}, with summary.csv; nothing was sent",
        c.id,
        c.title,
        c.closed,
        report.len(),
        display_path(out)
    );
    for line in report {
        println!("{line}");
    }
    println!("Open each .eml in your mail program (it opens as a draft), check it, and send it.");
    EXIT_OK
}

/// The cycle to chase: `--cycle` (which must collect returns), else the latest that does.
fn pick<'a>(audit: &'a Audit, cycle: Option<&str>, dir: &Path) -> Result<&'a Cycle, CommandError> {
    match cycle {
        Some(id) => {
            let c = crate::workspace::pick_cycle(audit, Some(id))?;
            if Audit::collects_returns(c) {
                Ok(c)
            } else {
                Err(no_returns(audit, c, dir).into())
            }
        }
        None => audit
            .cycles
            .iter()
            .rfind(|c| Audit::collects_returns(c))
            .ok_or(CommandError::NobodyToChase),
    }
}

/// The email to one agency, with its form (pre-filled with what it has given) attached.
fn letter<'a>(
    audit: &'a Audit,
    c: &'a Cycle,
    r: &AgencyReturn,
    today: Date,
) -> Result<Letter<'a>, CommandError> {
    let agency = audit
        .agency(&r.agency)
        .ok_or_else(|| CommandError::NotAnAgency(r.agency.clone()))?;
    let fw = audit.framework(&c.framework);
    let answered = |q: &str| {
        c.response(&agency.id)
            .is_some_and(|x| x.answers.contains_key(q))
    };
    let missing = c
        .questions(fw)
        .filter(|q| r.status == ReturnStatus::CarriedOver || !answered(&q.id))
        .collect();
    let (bytes, _) = form_for(audit, c, agency).map_err(CommandError::Workbook)?;
    Ok(Letter {
        audit,
        cycle: c,
        agency,
        status: r.status,
        missing,
        previous: audit.comparable_cycle(c).map(|p| p.id.as_str()),
        form: (format!("{}-{}.xlsx", agency.id, c.id), bytes),
        today,
    })
}

/// One CSV line, fields quoted where needed and never read as a formula by a spreadsheet.
fn csv_row(fields: &[&str]) -> String {
    fields
        .iter()
        .map(|f| {
            let f = if f.starts_with(['=', '+', '-', '@']) {
                format!("'{f}")
            } else {
                f.to_string()
            };
            if f.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Writes every file, or none: a file already there that differs is never replaced.
fn write(out: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<(), CommandError> {
    if out.exists() && !out.is_dir() {
        return Err(crate::fsx::WriteIntoError::NotAFolder(out.to_path_buf()).into());
    }
    let differing: Vec<PathBuf> = files
        .iter()
        .filter(|(p, bytes)| std::fs::read(p).is_ok_and(|old| &old != bytes))
        .map(|(p, _)| p.clone())
        .collect();
    if !differing.is_empty() {
        return Err(CommandError::EmailsDiffer(differing));
    }
    std::fs::create_dir_all(out).map_err(|source| CommandError::CreateDir {
        dir: out.to_path_buf(),
        source,
    })?;
    crate::fsx::write_all_or_nothing(files).map_err(CommandError::Emails)
}
