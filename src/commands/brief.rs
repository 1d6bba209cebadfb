//! `panelaudit brief`: drafts a public learning briefing from a cycle (see `crate::reports::brief`) and
//! writes it to a new file; an existing file is never overwritten.

use super::{CommandError, EXIT_OK};
use crate::analysis::Ledger;
use crate::model::Date;
use crate::reports::brief::{Facts, write};
use crate::source::display_path;
use crate::{fsx, workspace};
use std::path::Path;

pub fn run(dir: &Path, cycle: Option<&str>, out: &Path) -> u8 {
    match brief(dir, cycle, out) {
        Ok(msg) => {
            println!("{msg}");
            EXIT_OK
        }
        Err(e) => super::fail(&e),
    }
}

fn brief(dir: &Path, cycle: Option<&str>, out: &Path) -> Result<String, CommandError> {
    let shown = display_path(out);
    if out.exists() || out.symlink_metadata().is_ok() {
        return Err(CommandError::Exists {
            out: out.to_path_buf(),
            command: "brief",
        });
    }
    let audit = workspace::load_one(dir, "brief")?;
    let c = workspace::pick_cycle(&audit, cycle).map_err(|e| e.of(dir))?;
    let today = Date::today();
    // A public draft reads only what may be published (see `Ledger::public`).
    let ledger = Ledger::public(&audit, today);
    let record = ledger
        .cycle(&c.id)
        .ok_or_else(|| CommandError::NotAnalysed(c.id.clone()))?;
    let text = write(&Facts::gather(&audit, c, record, &ledger.impact), today);
    fsx::create_new_files(&[(out.to_path_buf(), text.into_bytes())])?;
    Ok(format!(
        "drafted a briefing on {} ({}) in {shown}: edit it, move it into {}/briefings/, and remove `draft = true` when it is approved; `panelaudit serve {}` previews it",
        c.title,
        c.id,
        display_path(dir),
        display_path(dir)
    ))
}
