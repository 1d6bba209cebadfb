//! `panelaudit import`: not built yet.

use std::path::Path;

pub fn run(dir: &Path, cycle: Option<&str>, force: bool, files: &[std::path::PathBuf]) -> u8 {
    let _ = (dir, cycle, force, files);
    eprintln!("error: `panelaudit import` is not built yet");
    super::EXIT_INVALID
}
