//! How a failure reaches the user. Problems in the user's own files are diagnostics (a code, a
//! place, help: `diag`), collected and rendered as `check` renders them. Everything else that
//! stops a command (a folder that cannot be written, a workbook that cannot be opened, a cycle
//! that does not exist) is a typed error of the stage it happened in: one enum per stage,
//! deriving `std::error::Error` (thiserror), carrying paths and causes rather than text.
//!
//! An error's `Display` is one sentence for the user that already names its cause (an I/O
//! error's own words, say); `source()` keeps the cause for code that needs it. The `error: `
//! prefix is added by whoever prints ([`report`]), never by the error. An error refusing
//! invalid input carries the input's [`Problems`] as its source: they are printed first, as
//! `check` prints them, then the error's own line.

use std::error::Error;

/// The problems found in the user's files, rendered as `check` renders them (each ends its
/// lines), which made a stage refuse its input.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{rendered}")]
pub struct Problems {
    pub rendered: String,
}

impl Problems {
    pub fn new(rendered: impl Into<String>) -> Problems {
        Problems {
            rendered: rendered.into(),
        }
    }
}

/// `e` and every cause below it.
pub fn chain<'a>(e: &'a (dyn Error + 'static)) -> impl Iterator<Item = &'a (dyn Error + 'static)> {
    std::iter::successors(Some(e), |&e| e.source())
}

/// An error as a command prints it: the input's problems first, when a cause carries them,
/// then `error: ` and the error's sentence. An error that is nothing but the problems (a
/// publication scan's findings, say) prints them alone.
pub fn report(e: &(dyn Error + 'static)) -> String {
    let line = e.to_string();
    match chain(e).find_map(|c| c.downcast_ref::<Problems>()) {
        Some(p) if p.rendered == line => line,
        Some(p) => format!("{}error: {line}", p.rendered),
        None => format!("error: {line}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    enum StageError {
        #[error("2 problem(s) in the audit files")]
        Invalid(#[source] Problems),
        #[error("{0}")]
        Refused(#[source] Problems),
        #[error("out: {0}")]
        Io(#[source] std::io::Error),
    }

    #[derive(Debug, thiserror::Error)]
    enum CommandError {
        #[error(transparent)]
        Stage(#[from] StageError),
    }

    #[test]
    fn problems_come_before_the_line_that_sums_them_up() {
        let p = || Problems::new("error[PA0101]: a.toml: bad\n");
        let wrapped = CommandError::from(StageError::Invalid(p()));
        assert_eq!(
            report(&wrapped),
            "error[PA0101]: a.toml: bad\nerror: 2 problem(s) in the audit files"
        );
        assert_eq!(
            report(&StageError::Refused(p())),
            "error[PA0101]: a.toml: bad\n"
        );
        let io = StageError::Io(std::io::Error::other("disk full"));
        assert_eq!(report(&io), "error: out: disk full");
        assert_eq!(chain(&io).count(), 2, "the cause is kept");
    }
}
