//! `panelaudit build`: the whole site is made by `crate::build`; this prints what was built, or
//! why nothing was and that the old site stands.

use super::{EXIT_INVALID, EXIT_OK};
use crate::build::build;
use crate::model::{Audience, Date};
use crate::source::display_path;
use std::path::Path;

pub fn run(dir: &Path, out: &Path, audience: Audience, cycle: Option<&str>, as_of: Date) -> u8 {
    match build(dir, out, audience, cycle, as_of) {
        Ok(summary) => {
            println!("{summary}");
            EXIT_OK
        }
        Err(e) => {
            eprintln!("{}", crate::error::report(&e));
            eprintln!(
                "error: the build stopped; {} was left as it was",
                display_path(out)
            );
            EXIT_INVALID
        }
    }
}
