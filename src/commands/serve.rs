//! `panelaudit serve`: the internal site on 127.0.0.1, rebuilt when a file changes (see
//! `crate::serve`). A build's problems are shown on the page as well as in the terminal.

use super::{EXIT_INVALID, EXIT_USAGE};
use crate::diag::Diagnostics;
use crate::model::{Audience, Date};
use crate::source::display_path;
use crate::write::OutFile;
use crate::{serve, workspace};
use std::path::{Path, PathBuf};

pub fn run(dir: &Path, port: u16, address: &str) -> u8 {
    if let Err(e) = serve::loopback(address) {
        eprintln!("error: {e}");
        return EXIT_USAGE;
    }
    if let Err(e) = workspace::discover(dir) {
        eprintln!("error: {e}");
        return EXIT_INVALID;
    }
    let owned: PathBuf = dir.to_path_buf();
    let shown = display_path(dir);
    let result = serve::serve(
        dir,
        port,
        move || {
            let r = build(&owned);
            if let Err(e) = &r {
                eprintln!("{e}");
            }
            r
        },
        |url| {
            println!(
                "serving the internal site of {shown} at {url} (127.0.0.1 only); it rebuilds when a file changes; press Ctrl-C to stop"
            );
        },
    );
    match result {
        Ok(()) => {
            println!("stopped; nothing was written");
            super::EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_INVALID
        }
    }
}

/// The internal site, in memory, or every problem that stopped it.
fn build(dir: &Path) -> Result<Vec<OutFile>, String> {
    let mut diags = Diagnostics::new();
    let ws = workspace::load(dir, &mut diags).map_err(|e| format!("error: {e}"))?;
    if diags.has_errors() || ws.any_invalid() {
        return Err(format!(
            "{}\n{} error(s) in the audit files",
            diags.render(),
            diags.error_count().max(1)
        ));
    }
    let collection = ws.collection;
    let audits = ws.into_audits();
    super::build::render(
        dir,
        audits,
        collection,
        Audience::Internal,
        None,
        Date::today(),
    )
    .map(|b| b.files)
}
