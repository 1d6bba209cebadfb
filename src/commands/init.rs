//! `panelaudit init`: not built yet.

use std::path::Path;

pub fn run(dir: &Path, name: &str, framework: &str) -> u8 {
    let _ = (dir, name, framework);
    eprintln!("error: `panelaudit init` is not built yet");
    super::EXIT_INVALID
}
