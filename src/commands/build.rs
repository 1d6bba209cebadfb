//! `panelaudit build`: load and check everything, score every cycle once, build the views for
//! the audience, render every page in memory, and only then replace the output folder.
//! Any failure (invalid input, a template error, a publication-scan hit, a disk error) leaves
//! the previous site exactly as it was and exits 1.

use super::{EXIT_INVALID, EXIT_OK};
use crate::analysis::{self, Analysis};
use crate::diag::Diagnostics;
use crate::model::{Audience, Audit, Date};
use crate::site::templates::{self, Templates};
use crate::site::views::{CollectionView, PartnershipView, PublishedText, build_views};
use crate::site::{self, Placement};
use crate::source::display_path;
use crate::workspace;
use crate::write::{self, OutFile};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Folder names a collection's partnerships may not use: the collection's own pages sit there.
const RESERVED: &[&str] = &["assets", "accessibility", "index.html"];

pub fn run(dir: &Path, out: &Path, audience: Audience, as_of: Date) -> u8 {
    match build(dir, out, audience, as_of) {
        Ok(summary) => {
            println!("{summary}");
            EXIT_OK
        }
        Err(message) => {
            eprintln!("{message}");
            eprintln!(
                "error: the build stopped; {} was left as it was",
                display_path(out)
            );
            EXIT_INVALID
        }
    }
}

/// One partnership, loaded, analysed and viewed.
struct Member {
    audit: Audit,
    analyses: Vec<Analysis>,
    view: PartnershipView,
}

fn build(dir: &Path, out: &Path, audience: Audience, as_of: Date) -> Result<String, String> {
    let mut diags = Diagnostics::new();
    let ws = workspace::load(dir, &mut diags).map_err(|e| format!("error: {e}"))?;
    let rendered = diags.render();
    if !rendered.is_empty() {
        eprintln!("{rendered}");
    }
    if diags.has_errors() || ws.any_invalid() {
        return Err(format!(
            "error: {} problem(s) in the audit files; `panelaudit check {}` lists them",
            diags.error_count().max(1),
            display_path(dir)
        ));
    }
    let is_collection = ws.collection;
    let audits: Vec<Audit> = ws.into_audits();

    // Check the output folder before any work, so a refused --out costs nothing.
    let mut inputs: Vec<PathBuf> = vec![dir.to_path_buf()];
    inputs.extend(audits.iter().map(|a| a.dir.clone()));
    let input_refs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    let label = audience.as_str();
    let target = write::check_target(out, &input_refs, label).map_err(|e| format!("error: {e}"))?;
    if is_collection {
        for a in &audits {
            if RESERVED.contains(&a.folder.as_str()) {
                return Err(format!(
                    "error: {}: a partnership in a collection cannot be called `{}`: the collection's own pages use that name",
                    display_path(&a.dir),
                    a.folder
                ));
            }
        }
    }

    // Parse and score once; build each partnership's views for the audience.
    let members: Vec<Member> = audits
        .into_iter()
        .map(|audit| {
            let analyses = analysis::analyse_all(&audit, as_of);
            let view = build_views(audience, &audit, &analyses);
            Member {
                audit,
                analyses,
                view,
            }
        })
        .collect();

    if audience == Audience::Public {
        let mut hits = Vec::new();
        for m in &members {
            hits.extend(publication_scan(&m.audit, &m.view.public.published));
        }
        if !hits.is_empty() {
            return Err(hits.join("\n"));
        }
    }

    // Compile templates once per distinct override folder.
    let mut compiled: BTreeMap<Option<PathBuf>, Templates> = BTreeMap::new();
    for m in &members {
        let key = m.audit.templates.clone();
        if let std::collections::btree_map::Entry::Vacant(slot) = compiled.entry(key) {
            let t = templates::load(slot.key().as_deref()).map_err(|e| format!("error: {e}"))?;
            slot.insert(t);
        }
    }
    if is_collection && let std::collections::btree_map::Entry::Vacant(slot) = compiled.entry(None)
    {
        slot.insert(templates::load(None).map_err(|e| format!("error: {e}"))?);
    }
    let template_for = |m: &Member| -> Result<&Templates, String> {
        compiled
            .get(&m.audit.templates)
            .ok_or_else(|| "error: templates were not loaded".to_string())
    };

    let mut files: Vec<OutFile> = Vec::new();
    let collection_name = collection_name(dir);
    for m in &members {
        let place = if is_collection {
            Placement {
                prefix: format!("{}/", m.audit.folder),
                collection: Some(collection_name.clone()),
            }
        } else {
            Placement::alone()
        };
        files.extend(
            site::render_partnership(template_for(m)?, &m.view, &place)
                .map_err(|e| format!("error: {e}"))?,
        );
    }
    if is_collection {
        let rows: Vec<(&Audit, Option<&Analysis>, &crate::site::views::PublicView)> = members
            .iter()
            .map(|m| (&m.audit, m.analyses.last(), &m.view.public))
            .collect();
        let view = CollectionView::build(&rows);
        let builtin = compiled
            .get(&None)
            .ok_or_else(|| "error: templates were not loaded".to_string())?;
        files.extend(
            site::render_collection(
                builtin,
                &collection_name,
                &view,
                audience == Audience::Internal,
            )
            .map_err(|e| format!("error: {e}"))?,
        );
    }

    let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
    write::write_site(&target, &files).map_err(|e| format!("error: {e}"))?;
    let shown = display_path(out);
    let who = if members.len() == 1 {
        members[0].audit.partnership.short_name.clone()
    } else {
        format!("{} partnerships", members.len())
    };
    Ok(format!(
        "built the {} site of {who}: {pages} pages and {} other files in {shown}/; open {shown}/index.html",
        audience.as_str(),
        files.len() - pages
    ))
}

fn collection_name(dir: &Path) -> String {
    dir.canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .map_or_else(
            || "Partnerships".to_string(),
            |n| format!("Partnerships in {n}"),
        )
}

/// The seam for the personal-data scan (`src/publish/scan.rs`): it receives every text from
/// the partnership's files that the public build is about to publish, with its source location,
/// and returns one `error: FILE:LINE:COL: …` message per hit. Any message fails the build before
/// anything is written. Until the scan is wired in, nothing is reported.
/// Every personal datum in what the public view publishes, rendered as located errors.
fn publication_scan(audit: &Audit, texts: &[PublishedText]) -> Vec<String> {
    let hits = crate::publish::scan_published(audit, texts);
    let mut diags = Diagnostics::new();
    crate::publish::report(&hits, &mut diags);
    diags.sorted().iter().map(|d| d.render()).collect()
}
