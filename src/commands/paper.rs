//! `panelaudit paper`: the board paper as a Word document (see `crate::reports::paper`), written to a
//! new file; an existing file is never overwritten. A public paper passes the publication
//! scans a public build passes.

use super::{CommandError, EXIT_OK};
use crate::diag::Diagnostics;
use crate::error::Problems;
use crate::model::{Audience, Date};
use crate::publish;
use crate::reports::paper::{Request, paper};
use crate::source::display_path;
use crate::write::OutFile;
use crate::{fsx, workspace};
use std::path::Path;

pub fn run(dir: &Path, out: &Path, audience: Audience, cycle: Option<&str>, as_of: Date) -> u8 {
    match write(dir, out, audience, cycle, as_of) {
        Ok(msg) => {
            println!("{msg}");
            EXIT_OK
        }
        Err(e) => super::fail(&e),
    }
}

fn write(
    dir: &Path,
    out: &Path,
    audience: Audience,
    cycle: Option<&str>,
    as_of: Date,
) -> Result<String, CommandError> {
    let shown = display_path(out);
    if out.symlink_metadata().is_ok() {
        return Err(CommandError::Exists {
            out: out.to_path_buf(),
            command: "paper",
        });
    }
    let audit = workspace::load_one(dir, "paper")?;
    let req = Request {
        audience,
        cycle,
        as_of,
    };
    let made = paper(&audit, &req)?;
    if audience == Audience::Public {
        // The last gate, as for a public site: the document's own text, whole.
        let files: Vec<OutFile> = made
            .parts
            .iter()
            .map(|(name, xml)| OutFile::new(name.clone(), xml.clone()))
            .collect();
        let hits = publish::scan_site(&shown, &[("", &audit)], &files);
        if !hits.is_empty() {
            let mut diags = Diagnostics::new();
            publish::report(&hits, &mut diags);
            return Err(CommandError::PublicPaper(Problems::new(format!(
                "{}\n",
                diags.render()
            ))));
        }
    }
    fsx::create_new_files(&[(out.to_path_buf(), made.bytes)])?;
    Ok(format!(
        "wrote the {} board paper of {} ({}) to {shown}, overdue judged on {}",
        audience.as_str(),
        audit.partnership.short_name,
        made.cycle,
        as_of.long()
    ))
}
