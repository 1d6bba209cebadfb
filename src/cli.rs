//! The command line: argument definitions only; each command lives in `commands`.

use crate::model::{Audience, Date, Method};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "panelaudit",
    version,
    about = "Audit a Safeguarding Children Partnership against practice questions based on the national Panel's learning, rank the risk, and publish the site",
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
        /// A partnership folder, or a collection of them.
        dir: PathBuf,
        /// Also run the publication scan that a public build runs, without building.
        #[arg(long)]
        public: bool,
        /// The cycle the summary reports on (default: the latest); every cycle is checked.
        #[arg(long)]
        cycle: Option<String>,
        /// How to print problems: text for people, or one JSON object a line for editors and CI.
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Rank questions by risk and order the action plan by the risk each action covers.
    Rank {
        /// A partnership folder, or a collection of them.
        dir: PathBuf,
        /// Cycle id (default: the latest cycle).
        #[arg(long)]
        cycle: Option<String>,
        /// Show only this many of the highest priorities (the action plan is always shown in full).
        #[arg(long)]
        top: Option<usize>,
        /// How to print the ranking: a table, JSON or CSV.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// The day "overdue" is judged on (YYYY-MM-DD); default today, or SOURCE_DATE_EPOCH's day.
        #[arg(long, value_name = "DATE", value_parser = as_of_date)]
        as_of: Option<Date>,
    },
    /// Render the static site.
    Build {
        /// A partnership folder, or a collection of them.
        dir: PathBuf,
        /// The folder to write the site to (replaced only when the whole build succeeds).
        #[arg(long, default_value = "site")]
        out: PathBuf,
        /// Who the site is for: the partnership's own people, or the public (aggregates only).
        #[arg(long, value_enum, default_value_t = Audience::Internal)]
        audience: Audience,
        /// The cycle the site reports (default: the latest self-assessment); every cycle has a page.
        #[arg(long)]
        cycle: Option<String>,
        /// The day "overdue" and "as at" are judged on (YYYY-MM-DD); default today, or
        /// SOURCE_DATE_EPOCH's day when that is set (reproducible builds).
        #[arg(long, value_name = "DATE", value_parser = as_of_date)]
        as_of: Option<Date>,
    },
    /// Write the board paper as an editable Word document (never overwrites a file).
    Paper {
        /// A partnership folder.
        dir: PathBuf,
        /// The new .docx file to write (it must not exist yet).
        #[arg(long)]
        out: PathBuf,
        /// Who the paper is for: the board (internal), or the public (what the public site shows).
        #[arg(long, value_enum, default_value_t = Audience::Internal)]
        audience: Audience,
        /// The cycle the paper reports (default: the latest self-assessment).
        #[arg(long)]
        cycle: Option<String>,
        /// The day "overdue" is judged on (YYYY-MM-DD); default today, or SOURCE_DATE_EPOCH's
        /// day when that is set.
        #[arg(long, value_name = "DATE", value_parser = as_of_date)]
        as_of: Option<Date>,
    },
    /// Draft a public learning briefing from a cycle (never overwrites a file).
    Brief {
        /// A partnership folder.
        dir: PathBuf,
        /// The cycle to report (default: the main cycle, the latest self-assessment).
        #[arg(long)]
        cycle: Option<String>,
        /// The new Markdown file to write (it must not exist yet).
        #[arg(long)]
        out: PathBuf,
    },
    /// Build the internal site and serve it on 127.0.0.1, rebuilding when a file changes.
    Serve {
        /// A partnership folder, or a collection of them.
        dir: PathBuf,
        /// The port to listen on (0: any free port, printed when serving).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// The address to listen on: only the loopback address is accepted.
        #[arg(long, default_value = "127.0.0.1")]
        address: String,
        /// The day overdue actions are judged on (default: today, or SOURCE_DATE_EPOCH's day).
        #[arg(long, value_name = "DATE", value_parser = as_of_date)]
        as_of: Option<Date>,
    },
    /// List the bundled question banks, or show one bank's themes and questions.
    Frameworks {
        /// A bank's id, to show its scale, themes and questions.
        id: Option<String>,
    },
    /// List the bundled metric library: ids, titles, units, direction and England comparators.
    Metrics,
    /// Start a new partnership folder (never overwrites an existing file).
    Init {
        /// The new partnership folder (created if it does not exist), or with --cycle an
        /// existing one.
        dir: PathBuf,
        /// The partnership's full name, e.g. "Northmoor Safeguarding Children Partnership".
        #[arg(long, required_unless_present = "cycle")]
        name: Option<String>,
        /// The question bank to audit against (`panelaudit frameworks` lists them).
        #[arg(long)]
        framework: Option<String>,
        /// Start a new cycle in an existing partnership folder, e.g. 2026-27 or 2026-q1.
        #[arg(long, conflicts_with = "name")]
        cycle: Option<String>,
        /// The new cycle's method (with --cycle).
        #[arg(long, value_enum, requires = "cycle", default_value_t = Method::SelfAssessment)]
        method: Method,
        /// The day the new cycle opens (default: after the previous cycle of its method).
        #[arg(long, value_name = "DATE", value_parser = as_of_date, requires = "cycle")]
        opened: Option<Date>,
        /// The day the new cycle closes: returns or the deep dive's work are due by then.
        #[arg(long, value_name = "DATE", value_parser = as_of_date, requires = "cycle")]
        closed: Option<Date>,
    },
    /// Write one .xlsx return form per agency for a cycle.
    Forms {
        /// A partnership folder.
        dir: PathBuf,
        /// Cycle id (default: the latest cycle).
        #[arg(long)]
        cycle: Option<String>,
        /// The folder to write the forms to, outside the partnership folder.
        #[arg(long)]
        out: PathBuf,
    },
    /// A tabletop or case audit's facilitator pack: printable HTML and a recording workbook.
    Pack {
        /// A partnership folder.
        dir: PathBuf,
        /// The tabletop or case audit cycle.
        #[arg(long)]
        cycle: String,
        /// The folder to write the pack to, outside the partnership folder.
        #[arg(long)]
        out: PathBuf,
        /// Blank recording grids to make (default: one per case record, else 8).
        #[arg(long)]
        cases: Option<usize>,
    },
    /// Write a ready-to-send email (.eml, the form attached) to each agency that has not returned.
    Chase {
        /// A partnership folder.
        dir: PathBuf,
        /// The cycle to chase (default: the latest that asks agencies for returns).
        #[arg(long)]
        cycle: Option<String>,
        /// The folder to write the emails and summary.csv to, outside the partnership folder.
        #[arg(long)]
        out: PathBuf,
    },
    /// Sign a cycle off: its evidence is final, later imports need --force and are recorded.
    Signoff {
        /// A partnership folder.
        dir: PathBuf,
        /// The cycle to sign off.
        #[arg(long)]
        cycle: String,
        /// The day it was signed off (YYYY-MM-DD); default today, or SOURCE_DATE_EPOCH's day.
        #[arg(long, value_name = "DATE", value_parser = as_of_date)]
        date: Option<Date>,
    },
    /// Import completed returns (.xlsx or .ods) into responses/*.toml (all or nothing).
    Import {
        /// A partnership folder.
        dir: PathBuf,
        /// Cycle id (default: the latest cycle).
        #[arg(long)]
        cycle: Option<String>,
        /// Overwrite a response file that differs from the workbook.
        #[arg(long)]
        force: bool,
        /// Completed .xlsx return forms (one per agency) or case audit records from `pack`.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for the terminal, 80 columns wide.
    Table,
    /// The ranking as data, with each score's components.
    Json,
    /// One row per question, for a spreadsheet.
    Csv,
}

/// `--method` takes the model's `Method`.
impl ValueEnum for Method {
    fn value_variants<'a>() -> &'a [Self] {
        Method::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.as_str()).help(self.words()))
    }
}

/// `--audience` takes the model's one `Audience` (briefings have the same two).
impl ValueEnum for Audience {
    fn value_variants<'a>() -> &'a [Self] {
        &[Audience::Internal, Audience::Public]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let help = match self {
            Audience::Internal => {
                "For the board and quality assurance team: agency returns, notes and internal briefings."
            }
            Audience::Public => {
                "For anyone: aggregates, moderated summaries and public briefings only."
            }
        };
        Some(clap::builder::PossibleValue::new(self.as_str()).help(help))
    }
}

/// A date argument not written as a calendar date `YYYY-MM-DD` (clap shows it after the
/// argument's name).
#[derive(Debug, thiserror::Error)]
#[error("expected a date as YYYY-MM-DD, e.g. 2026-03-31")]
pub struct NotADate;

/// `--as-of`: a strict `YYYY-MM-DD` (`2026-3-1` is refused rather than guessed at).
fn as_of_date(s: &str) -> Result<Date, NotADate> {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    shaped.then(|| Date::parse(s)).flatten().ok_or(NotADate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn as_of_dates_must_be_written_in_full() {
        assert_eq!(as_of_date("2026-01-15").ok(), Date::parse("2026-01-15"));
        for bad in ["2026-1-15", "2026-02-30", "20260115", "2026-01-15x", ""] {
            assert!(as_of_date(bad).is_err(), "{bad}");
        }
    }

    /// `--help` explains every argument of every command in one line.
    #[test]
    fn every_argument_has_a_one_line_description() {
        let cli = Cli::command();
        let mut checked = 0;
        for sub in cli.get_subcommands() {
            assert!(
                sub.get_about().is_some(),
                "{} has no description",
                sub.get_name()
            );
            for arg in sub.get_arguments() {
                let id = arg.get_id().as_str();
                if id == "help" {
                    continue;
                }
                let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
                assert!(
                    !help.trim().is_empty() && !help.contains('\n'),
                    "`panelaudit {} --help` has no one-line description for {id}",
                    sub.get_name()
                );
                checked += 1;
            }
        }
        assert!(checked >= 20, "only {checked} arguments checked");
        let help = Cli::command()
            .find_subcommand_mut("rank")
            .unwrap()
            .render_long_help()
            .to_string();
        assert!(
            help.contains("A partnership folder, or a collection of them"),
            "{help}"
        );
        assert!(help.contains("[default: table]"), "{help}");
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}
