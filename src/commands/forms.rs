//! `panelaudit forms`: not built yet.

use std::path::Path;

pub fn run(dir: &Path, cycle: Option<&str>, out: &Path) -> u8 {
    let _ = (dir, cycle, out);
    eprintln!("error: `panelaudit forms` is not built yet");
    super::EXIT_INVALID
}
