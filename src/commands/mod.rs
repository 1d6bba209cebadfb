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
