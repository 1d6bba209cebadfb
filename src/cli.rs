//! The command line: argument definitions only; each command lives in `commands`.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "panelaudit",
    version,
    about = "Audit a Safeguarding Children Partnership against the national Panel's practice questions, rank the risk, and publish the site",
    after_help = "Exit codes: 0 success, 1 invalid input or failed build, 2 usage error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load and validate a partnership folder (or a collection of them) and report every problem.
    Check {
        /// A partnership folder or a collection of partnership folders.
        dir: PathBuf,
        /// Also run the publication scan that a public build runs, without building.
        #[arg(long)]
        public: bool,
    },
    /// Rank questions by risk and order the action plan by the risk each action covers.
    Rank {
        dir: PathBuf,
        /// Cycle id (default: the latest cycle).
        #[arg(long)]
        cycle: Option<String>,
        /// Show only the top N priorities.
        #[arg(long)]
        top: Option<usize>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Judge overdue actions against this date (YYYY-MM-DD) instead of the cycle's close.
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
    },
    /// Render the static site.
    Build {
        dir: PathBuf,
        /// Output folder (replaced only when the whole build succeeds).
        #[arg(long, default_value = "site")]
        out: PathBuf,
        #[arg(long, value_enum, default_value_t = AudienceArg::Internal)]
        audience: AudienceArg,
    },
    /// List the bundled question banks.
    Frameworks,
    /// Start a new partnership folder (never overwrites an existing file).
    Init {
        dir: PathBuf,
        #[arg(long)]
        name: String,
        #[arg(long)]
        framework: String,
    },
    /// Write one .xlsx return form per agency for a cycle.
    Forms {
        dir: PathBuf,
        #[arg(long)]
        cycle: Option<String>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Import completed .xlsx returns into responses/*.toml (all or nothing).
    Import {
        dir: PathBuf,
        #[arg(long)]
        cycle: Option<String>,
        /// Overwrite a response file that differs from the workbook.
        #[arg(long)]
        force: bool,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AudienceArg {
    Internal,
    Public,
}
