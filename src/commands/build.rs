//! `panelaudit build`: not built yet.

use crate::cli::AudienceArg;
use std::path::Path;

pub fn run(dir: &Path, out: &Path, audience: AudienceArg) -> u8 {
    let _ = (dir, out, audience);
    eprintln!("error: `panelaudit build` is not built yet");
    super::EXIT_INVALID
}
