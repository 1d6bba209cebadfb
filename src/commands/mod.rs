//! What each command does, from loaded input to printed output and exit code.

use crate::cli::{Cli, Command};
use crate::model::Date;

mod brief;
pub(crate) mod build;
mod chase;
mod check;
mod forms;
mod frameworks;
mod import;
mod init;
mod metrics;
mod pack;
mod paper;
mod rank;
mod serve;
mod signoff;

pub const EXIT_OK: u8 = 0;
pub const EXIT_INVALID: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// Why a command stopped, when the library's stage errors do not say it all.
#[derive(Debug, thiserror::Error)]
enum CommandError {
    #[error(transparent)]
    Workspace(#[from] crate::workspace::WorkspaceError),
    #[error(transparent)]
    Paper(#[from] crate::reports::paper::PaperError),
    #[error(transparent)]
    Write(#[from] crate::fsx::FsxError),
    /// `--out` names a file that exists: `command` never overwrites one.
    #[error(
        "{} already exists; `panelaudit {command}` never overwrites a file: choose another --out, or move the old file away",
        crate::source::display_path(.out)
    )]
    Exists {
        out: std::path::PathBuf,
        command: &'static str,
    },
    #[error("cycle `{0}` was not analysed")]
    NotAnalysed(String),
    /// The publication scan found the problems in a public paper's text.
    #[error("the public paper is refused; nothing was written")]
    PublicPaper(#[source] crate::error::Problems),
    #[error(transparent)]
    NoReturns(#[from] crate::intake::forms::NoReturns),
    #[error("the form for `{agency}`: {source}")]
    Form {
        agency: String,
        #[source]
        source: crate::xlsx::form::FormError,
    },
    /// The pack's recording workbook could not be made.
    #[error(transparent)]
    Workbook(#[from] crate::xlsx::form::FormError),
    #[error("cycle {cycle} asks no questions: its [scope] leaves none of framework `{framework}`")]
    NoQuestions { cycle: String, framework: String },
    #[error(transparent)]
    WriteInto(#[from] crate::fsx::WriteIntoError),
    #[error("{}: cannot create the folder: {source}", crate::source::display_path(.dir))]
    CreateDir {
        dir: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Files (`what`: "the form", "the pack") could not be written.
    #[error("cannot write {what}: {source}")]
    Written {
        what: &'static str,
        #[source]
        source: crate::fsx::FsxError,
    },
    /// A pack asked for a cycle that is not a tabletop or case audit.
    #[error(
        "cycle {cycle} is a {}; a pack is for a tabletop or case audit (method = \"tabletop\" or \"case-audit\" in its cycle.toml)\n  = help: for agencies' returns, make their forms with `panelaudit forms`",
        .method.words()
    )]
    NotForPack {
        cycle: String,
        method: crate::model::Method,
    },
    #[error("--cases takes a number from 1 to {}", crate::xlsx::cases::MAX_CASES)]
    CasesOutOfRange,
    #[error("no cycle asks agencies for returns yet: there is nobody to chase")]
    NobodyToChase,
    #[error("`{0}` is not an agency of the partnership")]
    NotAnAgency(String),
    #[error("the email to `{agency}`: {source}")]
    Email {
        agency: String,
        #[source]
        source: Box<CommandError>,
    },
    /// Emails in `--out` that differ from the new ones (one may have been started).
    #[error(
        "{}: already there and different (an email you may have started to edit); nothing was written: choose a new --out folder, e.g. one named for today",
        crate::source::display_paths(.0)
    )]
    EmailsDiffer(Vec<std::path::PathBuf>),
    #[error("cannot write {0}; nothing was written")]
    Emails(#[source] crate::fsx::FsxError),
    #[error("could not write JSON: {0}")]
    Json(#[source] serde_json::Error),
    #[error("could not write CSV: {0}")]
    Csv(#[source] csv::Error),
}

/// Prints why a command failed as users read it ([`crate::error::report`]: the input's
/// problems first, then `error: ` and the error); the exit code for it.
fn fail(e: &(dyn std::error::Error + 'static)) -> u8 {
    eprintln!("{}", crate::error::report(e));
    EXIT_INVALID
}

pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check {
            dir,
            public,
            cycle,
            format,
        } => check::run(&dir, public, cycle.as_deref(), format),
        Command::Brief { dir, cycle, out } => brief::run(&dir, cycle.as_deref(), &out),
        Command::Paper {
            dir,
            out,
            audience,
            cycle,
            as_of,
        } => paper::run(
            &dir,
            &out,
            audience,
            cycle.as_deref(),
            as_of.unwrap_or_else(Date::today),
        ),
        Command::Serve {
            dir,
            port,
            address,
            as_of,
        } => serve::run(&dir, port, &address, as_of.unwrap_or_else(Date::today)),
        Command::Frameworks { id } => frameworks::run(id.as_deref()),
        Command::Metrics => metrics::run(),
        Command::Rank {
            dir,
            cycle,
            top,
            format,
            as_of,
        } => rank::run(&dir, cycle.as_deref(), top, format, as_of),
        Command::Build {
            dir,
            out,
            audience,
            cycle,
            as_of,
        } => build::run(
            &dir,
            &out,
            audience,
            cycle.as_deref(),
            as_of.unwrap_or_else(Date::today),
        ),
        Command::Init {
            dir,
            name,
            framework,
            cycle,
            method,
            opened,
            closed,
        } => init::dispatch(&dir, name, framework, cycle, method, opened, closed),
        Command::Forms { dir, cycle, out } => forms::run(&dir, cycle.as_deref(), &out),
        Command::Pack {
            dir,
            cycle,
            out,
            cases,
        } => pack::run(&dir, &cycle, &out, cases),
        Command::Import {
            dir,
            cycle,
            force,
            files,
        } => import::run(&dir, cycle.as_deref(), force, &files),
        Command::Chase { dir, cycle, out } => {
            chase::run(&dir, cycle.as_deref(), &out, Date::today())
        }
        Command::Signoff { dir, cycle, date } => {
            signoff::run(&dir, &cycle, date.unwrap_or_else(Date::today))
        }
    }
}
