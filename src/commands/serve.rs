//! `panelaudit serve`: the internal site on 127.0.0.1, rebuilt when a file changes (see
//! `crate::serve`). A build's problems are shown on the page as well as in the terminal.

use super::EXIT_USAGE;
use crate::model::Date;
use crate::serve::preview::Preview;
use crate::source::display_path;
use crate::{serve, workspace};
use std::path::Path;

/// `as_of`: the day overdue actions are judged on, the same on every rebuild.
pub fn run(dir: &Path, port: u16, address: &str, as_of: Date) -> u8 {
    if let Err(e) = serve::loopback(address) {
        super::fail(&e);
        return EXIT_USAGE;
    }
    if let Err(e) = workspace::discover(dir) {
        return super::fail(&e);
    }
    let preview = match Preview::new(dir, as_of) {
        Ok(p) => p,
        Err(e) => return super::fail(&e),
    };
    let shown = display_path(dir);
    let result = serve::serve(dir, port, preview, |url| {
        println!(
            "serving the internal site of {shown} at {url} (127.0.0.1 only); it rebuilds when a file changes; press Ctrl-C to stop"
        );
    });
    match result {
        Ok(()) => {
            println!("stopped; nothing was written");
            super::EXIT_OK
        }
        Err(e) => super::fail(&e),
    }
}
