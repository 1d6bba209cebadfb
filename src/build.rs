//! The build of a site: each partnership is loaded, checked, scored, viewed, rendered, scanned
//! (public builds) and written into the staging folder on its own, several at once (rayon),
//! then dropped: memory holds a few partnerships' work, never the whole collection's. What the
//! collection's pages need of each is kept as a small [`MemberSummary`]; those pages are made
//! last. The staging folder replaces the output folder only when every partnership and page
//! succeeded. Any failure (invalid input, a template error, a publication-scan hit, a disk
//! error) discards it, leaves the previous site exactly as it was and exits 1.
//!
//! Output does not depend on the order the partnerships finish in: each writes only its own
//! folder, and everything gathered across them is kept in folder order.

use crate::analysis;
use crate::diag::Diagnostics;
use crate::error::Problems;
use crate::model::{Audience, Audit, Date};
use crate::publish::{self, Hit, ScanScope};
use crate::site::templates::{self, Templates};
use crate::site::views::{
    CollectionView, DisclosureError, MemberSummary, build_views, compare_index, member_compare,
};
use crate::site::{self, Placement, RenderError};
use crate::source::display_path;
use crate::workspace::{self, Target, WorkspaceError};
use crate::write::{self, OutFile, WriteError};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Why a build stopped (the previous site stays as it was).
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    /// Problems in the audit files (`files` says which); `problems` are all of them, rendered.
    #[error(
        "{count} problem(s) in {files}; `panelaudit check {}` lists them",
        display_path(.dir)
    )]
    Invalid {
        dir: PathBuf,
        files: &'static str,
        count: usize,
        #[source]
        problems: Problems,
    },
    /// Refused for what the problems say (a publication scan's findings, a draft briefing):
    /// they are the whole message.
    #[error("{0}")]
    Refused(#[source] Problems),
    /// A public build whose tables would let a hidden count be worked out.
    #[error("{}: the public build is refused: {source}", display_path(.dir))]
    Disclosure {
        dir: PathBuf,
        #[source]
        source: DisclosureError,
    },
    #[error(transparent)]
    Templates(#[from] templates::TemplateError),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Write(#[from] WriteError),
    /// A thread of the build panicked while holding the files it kept.
    #[error("a build thread failed")]
    Thread,
}

impl BuildError {
    /// The template, line and column a template's failure points at, when it does.
    pub(crate) fn template_place(&self) -> Option<&templates::TemplatePlace> {
        match self {
            BuildError::Templates(e) => e.place.as_ref(),
            BuildError::Render(e) => e.place.as_ref(),
            _ => None,
        }
    }

    /// The problems in `diags` (`files` names where) as the error that stops a build.
    pub(crate) fn invalid(dir: &Path, files: &'static str, diags: &Diagnostics) -> BuildError {
        BuildError::Invalid {
            dir: dir.to_path_buf(),
            files,
            count: diags.error_count().max(1),
            problems: Problems::new(format!("{}\n", diags.render())),
        }
    }
}

/// What one build asks of every partnership.
pub(crate) struct Job<'a> {
    audience: Audience,
    cycle: Option<&'a str>,
    as_of: Date,
    /// The collection's name, when DIR is a collection.
    pub(crate) collection: Option<String>,
    builtin: &'a Templates,
    /// The output folder as messages name it.
    site: String,
}

impl<'a> Job<'a> {
    /// A build's job; for a collection, its name is read here (a broken `collection.toml`
    /// stops the build with its problems).
    pub(crate) fn new(
        dir: &Path,
        collection: bool,
        audience: Audience,
        cycle: Option<&'a str>,
        as_of: Date,
        builtin: &'a Templates,
        site: &str,
    ) -> Result<Job<'a>, BuildError> {
        let mut diags = Diagnostics::new();
        let collection = collection.then(|| crate::load::collection_name(dir, &mut diags));
        if diags.has_errors() {
            return Err(BuildError::invalid(dir, "the collection's files", &diags));
        }
        Ok(Job {
            audience,
            cycle,
            as_of,
            collection,
            builtin,
            site: site.to_string(),
        })
    }
}

/// Whether DIR is a collection, and its partnership folders (itself when it is one).
pub(crate) fn partnership_dirs(dir: &Path) -> Result<(bool, Vec<PathBuf>), WorkspaceError> {
    Ok(match workspace::discover(dir)? {
        Target::Partnership(p) => (false, vec![p]),
        Target::Collection(v) => (true, v),
    })
}

/// Where a build's files go: the staging folder, or nowhere (`check --public` only scans).
pub(crate) type Sink<'a> = dyn Fn(&[OutFile]) -> Result<(), BuildError> + Sync + 'a;

/// One partnership done: what the collection's pages need of it, and what its files held.
#[derive(Clone)]
pub(crate) struct Done {
    pub(crate) summary: MemberSummary,
    pub(crate) as_at: Option<String>,
    pub(crate) contact: Option<String>,
    hits: Vec<Hit>,
    pages: usize,
    files: usize,
}

/// What a whole build produced.
#[derive(Default)]
pub(crate) struct Outcome {
    pages: usize,
    files: usize,
    hits: Vec<Hit>,
    members: Vec<MemberSummary>,
}

pub fn build(
    dir: &Path,
    out: &Path,
    audience: Audience,
    cycle: Option<&str>,
    as_of: Date,
) -> Result<String, BuildError> {
    let (collection, dirs) = partnership_dirs(dir)?;
    // Check the output folder before any work, so a refused --out costs nothing.
    let mut inputs: Vec<PathBuf> = vec![dir.to_path_buf()];
    inputs.extend(dirs.iter().cloned());
    let input_refs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    let target = write::check_target(out, &input_refs, audience.as_str())?;
    let builtin = templates::load(&[])?;
    let job = Job::new(
        dir,
        collection,
        audience,
        cycle,
        as_of,
        &builtin,
        &display_path(out),
    )?;

    let mut outcome = Outcome::default();
    write::write_site_streaming(&target, |stage| -> Result<(), BuildError> {
        let sink = |files: &[OutFile]| Ok(stage.put(files)?);
        outcome = build_all(&job, &dirs, &sink, dir)?;
        Ok(())
    })?;

    let shown = display_path(out);
    let who = if outcome.members.len() == 1 {
        outcome.members[0].row.short_name.clone()
    } else {
        format!("{} partnerships", outcome.members.len())
    };
    Ok(format!(
        "built the {} site of {who}: {} pages and {} other files in {shown}/; open {shown}/index.html",
        audience.as_str(),
        outcome.pages,
        outcome.files - outcome.pages
    ))
}

/// Loads, checks and builds every partnership of `dirs` (in parallel), then the collection's
/// pages; every file goes to `sink`. Problems in the audit files are printed, in folder
/// order, as `check` prints them; any problem, error or publication hit stops the build.
fn build_all(
    job: &Job<'_>,
    dirs: &[PathBuf],
    sink: &Sink<'_>,
    dir: &Path,
) -> Result<Outcome, BuildError> {
    // Set at the first invalid partnership or error: the others are still loaded and checked
    // (every problem is reported at once) but no longer rendered.
    let stop = AtomicBool::new(false);
    let results: Vec<(Diagnostics, Option<Result<Done, BuildError>>)> = dirs
        .par_iter()
        .map(|d| {
            let (loaded, diags) = workspace::load_member(d, job.collection.as_ref().map(|_| dir));
            let Some(audit) = loaded.audit else {
                stop.store(true, Ordering::Relaxed);
                return (diags, None);
            };
            if stop.load(Ordering::Relaxed) {
                return (diags, None);
            }
            let done = member(job, &audit, sink);
            if done.is_err() {
                stop.store(true, Ordering::Relaxed);
            }
            (diags, Some(done))
        })
        .collect();
    let mut diags = Diagnostics::new();
    let mut done = Vec::with_capacity(results.len());
    let mut first_error = None;
    for (d, r) in results {
        diags.extend(d);
        match r {
            Some(Ok(m)) => done.push(m),
            Some(Err(e)) => {
                first_error.get_or_insert(e);
            }
            None => {}
        }
    }
    let rendered = diags.render();
    if diags.has_errors() || done.len() + usize::from(first_error.is_some()) < dirs.len() {
        // The problems go with the error, so `serve` can show them on the page.
        return Err(BuildError::invalid(dir, "the audit files", &diags));
    }
    if !rendered.is_empty() {
        eprintln!("{rendered}");
    }
    if let Some(e) = first_error {
        return Err(e);
    }
    let outcome = finish(job, done, sink)?;
    if !outcome.hits.is_empty() {
        let mut diags = Diagnostics::new();
        publish::report(&outcome.hits, &mut diags);
        return Err(BuildError::Refused(Problems::new(diags.render())));
    }
    Ok(outcome)
}

/// The collection's own pages (comparison index and pages, each partnership's comparison
/// page), scanned and written last (not written when the build has any publication hit); and
/// the publication hits of the whole build.
pub(crate) fn finish(
    job: &Job<'_>,
    done: Vec<Done>,
    sink: &Sink<'_>,
) -> Result<Outcome, BuildError> {
    let mut outcome = Outcome::default();
    let mut extras = Vec::with_capacity(done.len());
    for d in done {
        outcome.pages += d.pages;
        outcome.files += d.files;
        outcome.hits.extend(d.hits);
        outcome.members.push(d.summary);
        extras.push((d.as_at, d.contact));
    }
    let Some(name) = &job.collection else {
        return Ok(outcome);
    };
    let members = &outcome.members;
    let internal = job.audience == Audience::Internal;
    let public = job.audience == Audience::Public;
    let prefixes: Vec<String> = members
        .iter()
        .map(|m| format!("{}/", m.row.folder))
        .collect();
    let scopes: Vec<ScanScope<'_>> = members
        .iter()
        .zip(&prefixes)
        .map(|(m, prefix)| ScanScope {
            prefix,
            allow: &m.allow,
            deny: &m.deny,
            scanner: None,
        })
        .collect();
    let view = CollectionView::build(members);
    let compare = compare_index(members);
    let files = site::render_collection(job.builtin, name, &view, &compare, internal)?;
    let mut hits = Vec::new();
    if public {
        hits = publish::scan_site_in(&job.site, &scopes, &[], &files);
    }
    if hits.is_empty() && outcome.hits.is_empty() {
        sink(&files)?;
    }
    outcome.pages += files.iter().filter(|f| f.path.ends_with(".html")).count();
    outcome.files += files.len();
    // Each partnership's comparison page, written as soon as it is made (each one draws every
    // partnership, so holding them all would grow with the square of the collection).
    let own: Vec<Result<Vec<Hit>, BuildError>> = (0..members.len())
        .into_par_iter()
        .map(|i| {
            let place = Placement {
                prefix: prefixes[i].clone(),
                collection: Some(name.clone()),
            };
            let view = member_compare(members, &compare, i);
            let file = site::render_member_compare(
                job.builtin,
                &view,
                extras[i].0.as_deref(),
                extras[i].1.as_deref(),
                internal,
                &place,
            )?;
            let file = [file];
            let hits = if public {
                publish::scan_site_in(&job.site, &scopes[i..=i], &[], &file)
            } else {
                Vec::new()
            };
            if hits.is_empty() {
                sink(&file)?;
            }
            Ok(hits)
        })
        .collect();
    outcome.hits.extend(hits);
    for h in own {
        outcome.hits.extend(h?);
    }
    outcome.pages += members.len();
    outcome.files += members.len();
    Ok(outcome)
}

/// One valid partnership: scores every cycle once, builds its views for the audience, renders
/// its pages and, when a public build's scans find nothing, hands them to `sink`.
pub(crate) fn member(job: &Job<'_>, audit: &Audit, sink: &Sink<'_>) -> Result<Done, BuildError> {
    // The cycle its site reports: `--cycle`, else its main cycle.
    let main = match (job.cycle, workspace::pick_cycle(audit, job.cycle)) {
        (_, Ok(c)) => Some(c.id.clone()),
        (None, Err(_)) => None,
        (Some(_), Err(e)) => return Err(e.of(&audit.dir).into()),
    };
    if job.audience == Audience::Public {
        // A draft briefing is never published: approval removes `draft = true`.
        let drafts = crate::reports::brief::drafts_refused(audit);
        if !drafts.is_empty() {
            return Err(BuildError::Refused(Problems::new(drafts.join("\n"))));
        }
    }
    // A public build reads only evidence that may be published (see `Ledger::public`).
    let ledger = match job.audience {
        Audience::Public => analysis::Ledger::public(audit, job.as_of),
        Audience::Internal => analysis::Ledger::build(audit, job.as_of),
    };
    let view = build_views(job.audience, audit, &ledger, main.as_deref());
    if job.audience == Audience::Public {
        // Disclosure control's audit: no table may let a hidden count be worked out.
        view.public
            .audit()
            .map_err(|source| BuildError::Disclosure {
                dir: audit.dir.clone(),
                source,
            })?;
    }
    let own_templates = if audit.templates.is_empty() {
        None
    } else {
        Some(templates::load(&audit.templates)?)
    };
    let t = own_templates.as_ref().unwrap_or(job.builtin);
    let place = match &job.collection {
        Some(name) => Placement {
            prefix: format!("{}/", audit.folder),
            collection: Some(name.clone()),
        },
        None => Placement::alone(),
    };
    let files = site::render_partnership(t, &view, &place)?;
    let mut hits = Vec::new();
    if job.audience == Audience::Public {
        // First every text the public view took from the audit files (precise places), and
        // only when those are clean, every file about to be written, whole (the last gate:
        // ids, names, links, template output).
        hits = publish::scan_published(audit, &view.public.published);
        if hits.is_empty() {
            hits = publish::scan_site(&job.site, &[(place.prefix.as_str(), audit)], &files);
        }
    }
    if hits.is_empty() {
        sink(&files)?;
    }
    let latest = ledger.analyses().find(|a| Some(&a.cycle) == main.as_ref());
    Ok(Done {
        summary: MemberSummary::of(
            audit,
            latest,
            &view.public,
            job.audience == Audience::Public,
        ),
        as_at: view.public.partnership.as_at.clone(),
        contact: view.public.partnership.contact.clone(),
        hits,
        pages: files.iter().filter(|f| f.path.ends_with(".html")).count(),
        files: files.len(),
    })
}

/// A whole site in memory, for `serve`: built as `build` builds it, nothing written.
pub fn in_memory(
    dir: &Path,
    audience: Audience,
    cycle: Option<&str>,
    as_of: Date,
) -> Result<Vec<OutFile>, BuildError> {
    let (collection, dirs) = partnership_dirs(dir)?;
    let builtin = templates::load(&[])?;
    let job = Job::new(dir, collection, audience, cycle, as_of, &builtin, "(site)")?;
    let kept = std::sync::Mutex::new(Vec::new());
    let sink = |files: &[OutFile]| -> Result<(), BuildError> {
        kept.lock()
            .map_err(|_| BuildError::Thread)?
            .extend_from_slice(files);
        Ok(())
    };
    build_all(&job, &dirs, &sink, dir)?;
    let mut files = kept.into_inner().map_err(|_| BuildError::Thread)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// `check --public`: renders the public site of valid, loaded partnerships without writing
/// anything, and returns the publication scans' problems (`site` names the site in messages).
pub fn public_scan(
    dir: &Path,
    audits: &[Audit],
    collection: bool,
    cycle: Option<&str>,
    as_of: Date,
    site: &str,
) -> Result<Diagnostics, BuildError> {
    let builtin = templates::load(&[])?;
    let job = Job::new(
        dir,
        collection,
        Audience::Public,
        cycle,
        as_of,
        &builtin,
        site,
    )?;
    let discard = |_: &[OutFile]| Ok(());
    let done: Vec<Result<Done, BuildError>> = audits
        .par_iter()
        .map(|a| member(&job, a, &discard))
        .collect();
    let done: Vec<Done> = done.into_iter().collect::<Result<_, _>>()?;
    let outcome = finish(&job, done, &discard)?;
    let mut diags = Diagnostics::new();
    publish::report(&outcome.hits, &mut diags);
    Ok(diags)
}

/// `check` of a partnership with its own templates: renders its internal site in memory, as a
/// build would, so that an override that does not compile or render is refused by `check`
/// and never first by `build`. The error a build would give, per partnership.
pub fn dry_render(audit: &Audit, cycle: Option<&str>, as_of: Date) -> Result<(), BuildError> {
    let builtin = templates::load(&[])?;
    let dir = audit.dir.as_path();
    let job = Job::new(
        dir,
        false,
        Audience::Internal,
        cycle,
        as_of,
        &builtin,
        "(site)",
    )?;
    let discard = |_: &[OutFile]| Ok(());
    member(&job, audit, &discard).map(|_| ())
}
