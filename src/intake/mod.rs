//! Intake: a cycle's evidence collected through workbooks. The forms sent out to agencies
//! (pre-filled from what came back), and the completed workbooks read back in (agencies'
//! returns, the case audit records of a tabletop session) and written into the partnership.
//!
//! Importing is all or nothing: every workbook is read and checked first (which agency, cycle
//! and framework it is for, every rating against the scale), then compared with what is on
//! file, then the partnership as it would be is checked as `check` would; only when none of
//! that finds an error is anything written, each file through a temporary file and a rename.
//! Errors name the workbook, sheet and cell: `police.xlsx: Return!F14: rating "3 - good" is
//! not on the scale`. Nothing here prints: the `import`, `forms` and `chase` commands do.
//!
//! - `target`: which kind of workbook, and which partnership and cycle they are for.
//! - `returns`, `cases`: an import of each kind, planned, then written.
//! - `response_file`: the response file as import writes it and `forms` reads it back.
//! - `forms`: one agency's form, and why a cycle has none.

pub mod cases;
pub mod forms;
pub mod response_file;
pub mod returns;
mod target;

pub use target::{Kind, kind_of, target};

use crate::authoring::signoff::{CHANGES_FILE, NewChange, append_changes};
use crate::diag::{Code, Diagnostics};
use crate::fsx;
use crate::load::Pending;
use crate::model::{Audit, Cycle, Date};
use crate::source::display_path;
use crate::workspace;
use std::path::{Path, PathBuf};

/// Why workbooks could not be imported, when it is not their content (that is [`Refused`]).
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    #[error(
        "case audit records ({}) and returns ({}) cannot be imported together; import each kind on its own",
        crate::source::display_paths(.cases),
        crate::source::display_paths(.returns)
    )]
    MixedKinds {
        cases: Vec<PathBuf>,
        returns: Vec<PathBuf>,
    },
    /// The About sheets name different cycles (each with its workbooks, as shown).
    #[error(
        "the workbooks are for different cycles ({0}); import each cycle's workbooks on their own, with --cycle ID"
    )]
    CyclesDiffer(String),
    #[error(transparent)]
    Workspace(#[from] crate::workspace::WorkspaceError),
    /// The partnership or cycle the workbooks' About sheets named could not be used.
    #[error(
        "{source}\nnote: without --cycle, the workbooks are imported into the cycle their About sheet names ({cycle})"
    )]
    InCycleOfWorkbooks {
        cycle: String,
        #[source]
        source: crate::workspace::WorkspaceError,
    },
    #[error("{}: cannot create the folder: {source}", display_path(.dir))]
    CreateDir {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {0}; nothing was imported")]
    Write(#[source] fsx::FsxError),
}

/// Why nothing was imported.
#[derive(Debug)]
pub struct Refused {
    /// The problems found, in the order they were found (workbook by workbook, top to bottom),
    /// warnings among them.
    pub found: Diagnostics,
    /// What `check` would refuse in the partnership as the import would leave it (its errors),
    /// when that is why.
    pub check: Option<Diagnostics>,
    /// The closing line, after `error: `: that nothing was imported, and why.
    pub reason: String,
}

impl Refused {
    fn new(found: Diagnostics, reason: impl Into<String>) -> Box<Refused> {
        Box::new(Refused {
            found,
            check: None,
            reason: reason.into(),
        })
    }
}

/// What an import does to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// There was no file: it is written.
    New,
    /// The file held something else: it is replaced.
    Changed,
    /// The file already says exactly this: it is left alone.
    Unchanged,
}

impl Status {
    /// How the import's report names it.
    pub fn words(self) -> &'static str {
        match self {
            Status::New => "written",
            Status::Changed => "replaced",
            Status::Unchanged => "unchanged",
        }
    }
}

/// A file an import is about to write: where, its text, and the workbook it comes from.
struct PendingFile {
    target: PathBuf,
    text: String,
    workbook: String,
}

/// A signed-off cycle's evidence is fixed: without --force, whatever would change it is refused
/// (reported in `diags`); with --force, the change log with `changes` appended, to be written
/// with the imported files. None when the cycle is open or nothing changes.
fn signed_off_record(
    audit: &Audit,
    cycle: &Cycle,
    force: bool,
    changes: Vec<NewChange>,
    diags: &mut Diagnostics,
) -> Option<(PathBuf, Vec<u8>)> {
    let on = cycle.signed_off?;
    if changes.is_empty() {
        return None;
    }
    let log = audit.dir.join("cycles").join(&cycle.id).join(CHANGES_FILE);
    if !force {
        let what: Vec<String> = changes
            .iter()
            .map(|c| format!("{} {} ({})", c.field, c.subject, c.action))
            .collect();
        diags
            .path_error(
                Code::ReturnConflict,
                display_path(&audit.dir.join("cycles").join(&cycle.id).join("cycle.toml")),
                format!(
                    "cycle {} was signed off on {on}: its evidence is final, and this import would change it ({})",
                    cycle.id,
                    what.join(", ")
                ),
            )
            .with_help(format!(
                "if the change must be made, import again with --force: it is recorded in {} (what changed and when) and shown on the cycle's page",
                display_path(&log)
            ));
        return None;
    }
    let existing = std::fs::read_to_string(&log).ok();
    let text = append_changes(existing.as_deref(), Date::today(), &changes);
    Some((log, text.into_bytes()))
}

/// Hands `found` back when `check` would accept the partnership with `pending` written; refuses
/// the import when it would not. The same limits and rules as `check` (a file's size, control
/// characters such as `_x001B_`, Markdown nested too deep, every rule on a return or case
/// record), applied before anything is written.
fn as_check_would(
    audit: &Audit,
    cycle: &str,
    kind: Pending,
    pending: &[PendingFile],
    found: Diagnostics,
) -> Result<Diagnostics, Box<Refused>> {
    let files: Vec<(PathBuf, String)> = pending
        .iter()
        .map(|p| (p.target.clone(), p.text.clone()))
        .collect();
    let Some(problems) = workspace::check_pending(audit, cycle, kind, &files) else {
        return Ok(found);
    };
    let from: Vec<&str> = pending.iter().map(|p| p.workbook.as_str()).collect();
    Err(Box::new(Refused {
        found,
        check: Some(problems),
        reason: format!(
            "nothing was imported: `check` would refuse what {} would become (above, at the places the new files would have); fix the workbook and import again",
            from.join(", ")
        ),
    }))
}

/// Writes `todo` into `dir` (created if need be) all or nothing: every file to a temporary file
/// first, then each renamed into place, so a failure part-way leaves the old files as they
/// were.
fn write_files(dir: &Path, todo: &[(PathBuf, Vec<u8>)]) -> Result<(), IntakeError> {
    if todo.is_empty() {
        return Ok(());
    }
    std::fs::create_dir_all(dir).map_err(|source| IntakeError::CreateDir {
        dir: dir.to_path_buf(),
        source,
    })?;
    fsx::write_all_or_nothing(todo).map_err(IntakeError::Write)
}
