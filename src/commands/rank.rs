//! `panelaudit rank`: not built yet.

use crate::cli::Format;
use std::path::Path;

pub fn run(
    dir: &Path,
    cycle: Option<&str>,
    top: Option<usize>,
    format: Format,
    as_of: Option<&str>,
) -> u8 {
    let _ = (dir, cycle, top, format, as_of);
    eprintln!("error: `panelaudit rank` is not built yet");
    super::EXIT_INVALID
}
