//! `panelaudit check`: every problem in a partnership (or collection), as text or JSON lines,
//! and where each audit stands (`crate::check` finds them; this prints them).

use super::{EXIT_INVALID, EXIT_OK};
use crate::cli::CheckFormat;
use std::path::Path;

pub fn run(dir: &Path, public: bool, cycle: Option<&str>, format: CheckFormat) -> u8 {
    let checked = match crate::check::check(dir, public, cycle) {
        Ok(checked) => checked,
        Err(e) => return super::fail(&e),
    };
    for e in &checked.unknown_cycles {
        eprintln!("{}", crate::error::report(e));
    }
    let diags = &checked.diags;
    match format {
        // Machines read stdout: JSON lines only, nothing else on it.
        CheckFormat::Json => print!("{}", diags.render_json()),
        CheckFormat::Text => {
            let rendered = diags.render();
            if !rendered.is_empty() {
                eprintln!("{rendered}");
            }
            for line in &checked.summaries {
                println!("{line}");
            }
            println!(
                "{} error(s), {} warning(s)",
                diags.error_count(),
                diags.warning_count()
            );
        }
    }
    if checked.failed() {
        EXIT_INVALID
    } else {
        EXIT_OK
    }
}
