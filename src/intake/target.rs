//! What `import` is given: which kind of workbook (returns or case records, never both at
//! once), and which partnership and cycle they go into.

use super::IntakeError;
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

/// The kind of all of `files`; an error when they mix the two.
pub fn kind_of(files: &[PathBuf]) -> Result<Kind, IntakeError> {
    let kinds: Vec<bool> = files.iter().map(|f| is_case_workbook(f)).collect();
    if !kinds.iter().any(|k| *k) {
        return Ok(Kind::Returns);
    }
    if kinds.iter().all(|k| *k) {
        return Ok(Kind::Cases);
    }
    let (cases, returns): (Vec<_>, Vec<_>) = files.iter().zip(&kinds).partition(|(_, k)| **k);
    let paths = |v: Vec<(&PathBuf, &bool)>| v.into_iter().map(|(f, _)| f.clone()).collect();
    Err(IntakeError::MixedKinds {
        cases: paths(cases),
        returns: paths(returns),
    })
}

/// The partnership and the cycle workbooks are imported into: `--cycle`, else the one their
/// About sheets name (else the latest). Workbooks for different cycles cannot be imported in
/// one go: each cycle is a folder of its own.
pub fn target(
    dir: &Path,
    cycle: Option<&str>,
    files: &[PathBuf],
) -> Result<(Audit, String), IntakeError> {
    let from_workbooks = match cycle {
        Some(_) => None,
        None => cycle_of_workbooks(files)?,
    };
    workspace::load_one_cycle(dir, "import", cycle.or(from_workbooks.as_deref())).map_err(|e| {
        match from_workbooks {
            Some(cycle) => IntakeError::InCycleOfWorkbooks { cycle, source: e },
            None => IntakeError::Workspace(e),
        }
    })
}

/// The one cycle the workbooks' About sheets name, if any names one.
fn cycle_of_workbooks(files: &[PathBuf]) -> Result<Option<String>, IntakeError> {
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
        return Err(IntakeError::CyclesDiffer(each.join("; ")));
    }
    Ok(by_cycle.into_keys().next())
}
