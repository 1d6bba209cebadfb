//! What `import` is given: which kind of workbook (returns or case records, never both at
//! once), and which partnership and cycle they go into.

use crate::model::Audit;
use crate::source::display_path;
use crate::workspace;
use crate::xlsx::cases::is_case_workbook;
use crate::xlsx::returns::workbook_cycle;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Which kind of workbook an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Agencies' return forms (from `panelaudit forms`).
    Returns,
    /// Case audit records (the workbook `panelaudit pack` makes), which say so on their About
    /// sheet.
    Cases,
}

/// The kind of all of `files`; an error (to follow `error: `) when they mix the two.
pub fn kind_of(files: &[PathBuf]) -> Result<Kind, String> {
    let kinds: Vec<bool> = files.iter().map(|f| is_case_workbook(f)).collect();
    if !kinds.iter().any(|k| *k) {
        return Ok(Kind::Returns);
    }
    if kinds.iter().all(|k| *k) {
        return Ok(Kind::Cases);
    }
    let (c, r): (Vec<_>, Vec<_>) = files.iter().zip(&kinds).partition(|(_, k)| **k);
    let names = |v: &[(&PathBuf, &bool)]| {
        v.iter()
            .map(|(f, _)| display_path(f))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Err(format!(
        "case audit records ({}) and returns ({}) cannot be imported together; import each kind on its own",
        names(&c),
        names(&r)
    ))
}

/// The partnership and the cycle workbooks are imported into: `--cycle`, else the one their
/// About sheets name (else the latest). Workbooks for different cycles cannot be imported in
/// one go: each cycle is a folder of its own. The error is ready to print.
pub fn target(
    dir: &Path,
    cycle: Option<&str>,
    files: &[PathBuf],
) -> Result<(Audit, String), String> {
    let from_workbooks = match cycle {
        Some(_) => None,
        None => cycle_of_workbooks(files).map_err(|e| format!("error: {e}"))?,
    };
    workspace::load_one_cycle(dir, "import", cycle.or(from_workbooks.as_deref())).map_err(|e| {
        match &from_workbooks {
            Some(c) => format!(
                "{e}\nnote: without --cycle, the workbooks are imported into the cycle their About sheet names ({c})"
            ),
            None => e,
        }
    })
}

/// The one cycle the workbooks' About sheets name, if any names one.
fn cycle_of_workbooks(files: &[PathBuf]) -> Result<Option<String>, String> {
    let mut by_cycle: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in files {
        if let Some(c) = workbook_cycle(f) {
            by_cycle.entry(c).or_default().push(display_path(f));
        }
    }
    if by_cycle.len() > 1 {
        let each: Vec<String> = by_cycle
            .iter()
            .map(|(c, files)| format!("{c}: {}", files.join(", ")))
            .collect();
        return Err(format!(
            "the workbooks are for different cycles ({}); import each cycle's workbooks on their own, with --cycle ID",
            each.join("; ")
        ));
    }
    Ok(by_cycle.into_keys().next())
}
