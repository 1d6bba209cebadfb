//! `panelaudit build`: load and check everything, score every cycle once, build the views for
//! the audience, render every page in memory, and only then replace the output folder.
//! Any failure (invalid input, a template error, a publication-scan hit, a disk error) leaves
//! the previous site exactly as it was and exits 1.

use super::{EXIT_INVALID, EXIT_OK};
use crate::analysis::{self, Analysis};
use crate::diag::Diagnostics;
use crate::model::{Audience, Audit, Date};
use crate::publish;
use crate::site::templates::{self, Templates};
use crate::site::views::{CollectionView, PartnershipView, build_views};
use crate::site::{self, Placement};
use crate::source::display_path;
use crate::workspace;
use crate::write::{self, OutFile};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Folder names a collection's partnerships may not use: the collection's own pages sit there.
const RESERVED: &[&str] = &["assets", "accessibility", "index.html"];

pub fn run(dir: &Path, out: &Path, audience: Audience, cycle: Option<&str>, as_of: Date) -> u8 {
    match build(dir, out, audience, cycle, as_of) {
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
    /// The cycle its site reports.
    main: Option<String>,
}

impl Member {
    fn main_analysis(&self) -> Option<&Analysis> {
        self.analyses
            .iter()
            .find(|a| Some(&a.cycle) == self.main.as_ref())
    }
}

fn build(
    dir: &Path,
    out: &Path,
    audience: Audience,
    cycle: Option<&str>,
    as_of: Date,
) -> Result<String, String> {
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
    let collection = ws.collection;
    let audits: Vec<Audit> = ws.into_audits();

    // Check the output folder before any work, so a refused --out costs nothing.
    let mut inputs: Vec<PathBuf> = vec![dir.to_path_buf()];
    inputs.extend(audits.iter().map(|a| a.dir.clone()));
    let input_refs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    let target = write::check_target(out, &input_refs, audience.as_str())
        .map_err(|e| format!("error: {e}"))?;

    let built = render(dir, audits, collection, audience, cycle, as_of)?;
    if audience == Audience::Public {
        let problems = publication_problems(&built, &display_path(out));
        if problems.has_errors() {
            return Err(problems.render());
        }
    }
    let files = &built.files;
    let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
    write::write_site(&target, files).map_err(|e| format!("error: {e}"))?;
    let shown = display_path(out);
    let who = if built.members.len() == 1 {
        built.members[0].audit.partnership.short_name.clone()
    } else {
        format!("{} partnerships", built.members.len())
    };
    Ok(format!(
        "built the {} site of {who}: {pages} pages and {} other files in {shown}/; open {shown}/index.html",
        audience.as_str(),
        files.len() - pages
    ))
}

/// A site rendered in memory, with the partnerships it was made from.
pub(super) struct Built {
    members: Vec<Member>,
    pub(super) files: Vec<OutFile>,
    collection: bool,
}

impl Built {
    pub(super) fn audits(&self) -> impl Iterator<Item = &Audit> {
        self.members.iter().map(|m| &m.audit)
    }
}

/// Scores every cycle once, builds each partnership's views for the audience, and renders
/// every page in memory. Nothing is written.
pub(super) fn render(
    dir: &Path,
    audits: Vec<Audit>,
    collection: bool,
    audience: Audience,
    cycle: Option<&str>,
    as_of: Date,
) -> Result<Built, String> {
    // The cycle each partnership's site reports: `--cycle`, else its main cycle.
    let mut mains = Vec::new();
    for a in &audits {
        match (cycle, workspace::pick_cycle(a, cycle)) {
            (_, Ok(c)) => mains.push(Some(c.id.clone())),
            (None, Err(_)) => mains.push(None),
            (Some(_), Err(e)) => return Err(format!("error: {}: {e}", display_path(&a.dir))),
        }
    }
    if collection {
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
    if audience == Audience::Public {
        let drafts: Vec<String> = audits
            .iter()
            .flat_map(crate::brief::drafts_refused)
            .collect();
        if !drafts.is_empty() {
            return Err(drafts.join("\n"));
        }
    }
    let members: Vec<Member> = audits
        .into_iter()
        .zip(mains)
        .map(|(audit, main)| {
            let analyses = analysis::analyse_all(&audit, as_of);
            let view = build_views(audience, &audit, &analyses, main.as_deref());
            Member {
                audit,
                analyses,
                view,
                main,
            }
        })
        .collect();

    // Compile templates once per distinct override folder.
    let mut compiled: BTreeMap<Option<PathBuf>, Templates> = BTreeMap::new();
    for m in &members {
        let key = m.audit.templates.clone();
        if let std::collections::btree_map::Entry::Vacant(slot) = compiled.entry(key) {
            let t = templates::load(slot.key().as_deref()).map_err(|e| format!("error: {e}"))?;
            slot.insert(t);
        }
    }
    if collection && let std::collections::btree_map::Entry::Vacant(slot) = compiled.entry(None) {
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
        let place = if collection {
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
    if collection {
        let rows: Vec<(&Audit, Option<&Analysis>, &crate::site::views::PublicView)> = members
            .iter()
            .map(|m| (&m.audit, m.main_analysis(), &m.view.public))
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
    Ok(Built {
        members,
        files,
        collection,
    })
}

/// The publication scans of a public site rendered in memory: first every text the public
/// views took from the audit files (precise places), and only when those are clean, every
/// file about to be written, whole (the last gate: ids, names, links, template output).
/// `site` names the output folder in messages about a built file.
pub(super) fn publication_problems(built: &Built, site: &str) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let mut hits = Vec::new();
    for m in &built.members {
        hits.extend(publish::scan_published(&m.audit, &m.view.public.published));
    }
    if hits.is_empty() {
        let prefixes: Vec<String> = built
            .members
            .iter()
            .map(|m| {
                if built.collection {
                    format!("{}/", m.audit.folder)
                } else {
                    String::new()
                }
            })
            .collect();
        let members: Vec<(&str, &Audit)> = prefixes
            .iter()
            .map(String::as_str)
            .zip(built.audits())
            .collect();
        hits = publish::scan_site(site, &members, &built.files);
    }
    publish::report(&hits, &mut diags);
    diags
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
