//! The internal site `serve` keeps in memory between rebuilds, brought up to date by redoing
//! only what a change touched.
//!
//! Each partnership folder has a fingerprint (every file's path, size and modification time).
//! A change inside one partnership's folder reloads, checks, scores and renders that
//! partnership alone; the others keep their pages. A change anywhere else in a collection (its
//! `collection.toml`, a shared file, a partnership added or removed) rebuilds everything. The
//! collection's own pages (the comparison pages, which read every partnership's summary) are
//! made again only when a summary changed, and then after the changed partnership's pages are
//! already shown, so a saved file shows on its own page first. The templates are compiled once,
//! when the preview starts.
//!
//! The result is the site `build` would make of the same files, byte for byte (tested).

use crate::build::{self, BuildError, Done, Job};
use crate::diag::Diagnostics;
use crate::model::{Audience, Date};
use crate::site::templates::{self, TemplateError, Templates};
use crate::site::views::MemberSummary;
use crate::workspace;
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// A built site: each file's path and bytes, the bytes shared between versions of the site
/// when the file did not change.
pub type Site = HashMap<String, Arc<[u8]>>;

/// Each new state of the site: its files, or why it could not be built (shared: the same
/// failure is shown again until the partnership changes).
pub type Shown = Result<Site, Arc<BuildError>>;

/// The files of one partnership (or of the collection's own pages).
type Files = Vec<(String, Arc<[u8]>)>;

/// Whether a folder is a collection, its partnership folders (itself when it is one) and the
/// fingerprint of everything else in it.
type Shape = (bool, Vec<PathBuf>, u64);

/// One partnership folder as last built.
struct Member {
    stamp: u64,
    /// Its problems from loading and checking (warnings are kept to print again).
    diags: Diagnostics,
    /// Its summary and pages; `None` when it is invalid; `Err` when rendering failed.
    built: Option<Result<(Done, Files), Arc<BuildError>>>,
}

/// The preview of one partnership or collection: see the module's documentation.
pub struct Preview {
    dir: PathBuf,
    as_of: Date,
    builtin: Templates,
    /// The shape last built: when it differs, everything is rebuilt.
    shape: Option<Shape>,
    /// The shape and every partnership's fingerprint at the last refresh (or the folder's
    /// fingerprint when it could not be read as a partnership or collection).
    seen: Option<(Option<Shape>, Vec<u64>)>,
    members: Vec<Member>,
    collection_pages: Files,
}

/// What a refresh found.
pub enum Refreshed {
    /// Nothing changed since the last refresh.
    Unchanged,
    /// The site changed (or now fails, or works again).
    Changed,
}

impl Preview {
    /// A preview of `dir`'s internal site, judged as of `as_of`; nothing is built until
    /// [`Preview::refresh`].
    pub fn new(dir: &Path, as_of: Date) -> Result<Preview, TemplateError> {
        let builtin = templates::load(&[])?;
        Ok(Preview {
            dir: dir.to_path_buf(),
            as_of,
            builtin,
            shape: None,
            seen: None,
            members: Vec::new(),
            collection_pages: Vec::new(),
        })
    }

    /// Brings the site up to date with the files on disk. `show` is given each new state of
    /// the site: in a collection, first with the changed partnership's pages (the
    /// collection's pages as they were), then whole.
    pub fn refresh(&mut self, show: &mut dyn FnMut(Shown)) -> Refreshed {
        let found = build::partnership_dirs(&self.dir).map(|(collection, dirs)| {
            let rest = if collection {
                fingerprint_outside(&self.dir, &dirs)
            } else {
                0
            };
            (collection, dirs, rest)
        });
        let stamps: Vec<u64> = match &found {
            Ok((_, dirs, _)) => dirs.iter().map(|d| fingerprint(d)).collect(),
            Err(_) => vec![fingerprint(&self.dir)],
        };
        let seen = (found.as_ref().ok().cloned(), stamps.clone());
        if self.seen.as_ref() == Some(&seen) {
            return Refreshed::Unchanged;
        }
        self.seen = Some(seen);
        match found {
            Ok(shape) => self.rebuild(shape, &stamps, show),
            Err(e) => {
                self.forget();
                show(Err(Arc::new(e.into())));
            }
        }
        Refreshed::Changed
    }

    /// Rebuilds the partnerships whose fingerprint changed (all of them when the collection's
    /// shape or its other files changed), then the collection's pages.
    fn rebuild(&mut self, shape: Shape, stamps: &[u64], show: &mut dyn FnMut(Shown)) {
        if self.shape.as_ref() != Some(&shape) {
            self.forget();
        }
        let job = match Job::new(
            &self.dir,
            shape.0,
            Audience::Internal,
            None,
            self.as_of,
            &self.builtin,
            "(site)",
        ) {
            Ok(job) => job,
            Err(e) => {
                self.forget();
                show(Err(Arc::new(e)));
                return;
            }
        };
        let stale: Vec<usize> = (0..shape.1.len())
            .filter(|&i| self.members.get(i).is_none_or(|m| m.stamp != stamps[i]))
            .collect();
        let fresh: Vec<Member> = stale
            .par_iter()
            .map(|&i| Member::build(&job, &self.dir, &shape.1[i], stamps[i]))
            .collect();
        self.members.resize_with(shape.1.len(), Member::placeholder);
        // The collection's pages read only each partnership's summary: when no summary
        // changed (a briefing or a return's wording, say), they stay as they are.
        let same_summaries = !self.collection_pages.is_empty()
            && stale
                .iter()
                .zip(&fresh)
                .all(|(&i, m)| self.members[i].summary() == m.summary() && m.summary().is_some());
        for (i, m) in stale.into_iter().zip(fresh) {
            for line in m.warnings() {
                eprintln!("{line}");
            }
            self.members[i] = m;
        }
        self.shape = Some(shape);
        if let Some(e) = self.problems() {
            self.collection_pages.clear();
            show(Err(e));
            return;
        }
        if same_summaries {
            show(Ok(self.site()));
            return;
        }
        if !self.collection_pages.is_empty() {
            // The changed partnership's pages first; the comparison pages follow.
            show(Ok(self.site()));
        }
        match self.collection_files(&job) {
            Ok(files) => {
                self.collection_pages = files;
                show(Ok(self.site()));
            }
            Err(e) => {
                self.collection_pages.clear();
                show(Err(Arc::new(e)));
            }
        }
    }

    /// Drops everything built, so the next refresh rebuilds it all.
    fn forget(&mut self) {
        self.shape = None;
        self.members.clear();
        self.collection_pages.clear();
    }

    /// Every problem that stops the site, as `build` reports them, or `None`.
    fn problems(&self) -> Option<Arc<BuildError>> {
        let mut diags = Diagnostics::new();
        for m in &self.members {
            diags.extend(m.diags.clone());
        }
        let invalid = self.members.iter().any(|m| m.built.is_none());
        if diags.has_errors() || invalid {
            return Some(Arc::new(BuildError::invalid(
                &self.dir,
                "the audit files",
                &diags,
            )));
        }
        self.members.iter().find_map(|m| match &m.built {
            Some(Err(e)) => Some(Arc::clone(e)),
            _ => None,
        })
    }

    /// The collection's own pages, made from every partnership's summary (none for a
    /// partnership on its own).
    fn collection_files(&self, job: &Job<'_>) -> Result<Files, BuildError> {
        let done: Vec<Done> = self
            .members
            .iter()
            .filter_map(|m| match &m.built {
                Some(Ok((done, _))) => Some(done.clone()),
                _ => None,
            })
            .collect();
        collecting(|sink| build::finish(job, done, sink)).map(|(_, files)| files)
    }

    /// The whole site as it now stands.
    fn site(&self) -> Site {
        let members = self.members.iter().filter_map(|m| match &m.built {
            Some(Ok((_, files))) => Some(files),
            _ => None,
        });
        members
            .chain(std::iter::once(&self.collection_pages))
            .flatten()
            .map(|(path, bytes)| (path.clone(), Arc::clone(bytes)))
            .collect()
    }
}

impl Member {
    /// Loads, checks and renders one partnership folder.
    fn build(job: &Job<'_>, root: &Path, dir: &Path, stamp: u64) -> Member {
        let within = job.collection.as_ref().map(|_| root);
        let (loaded, diags) = workspace::load_member(dir, within);
        let built = loaded
            .audit
            .map(|audit| collecting(|sink| build::member(job, &audit, sink)).map_err(Arc::new));
        Member {
            stamp,
            diags,
            built,
        }
    }

    /// A folder that could not even be listed: the whole site fails with `e`.
    fn failed(e: BuildError) -> Member {
        Member {
            stamp: 0,
            diags: Diagnostics::new(),
            built: Some(Err(Arc::new(e))),
        }
    }

    /// What the collection's pages read of it, when it was built.
    fn summary(&self) -> Option<(&MemberSummary, &Option<String>, &Option<String>)> {
        match &self.built {
            Some(Ok((done, _))) => Some((&done.summary, &done.as_at, &done.contact)),
            _ => None,
        }
    }

    /// A slot to be filled by the build that follows at once.
    fn placeholder() -> Member {
        Member::failed(BuildError::Thread)
    }

    /// Its warnings, as `build` prints them, when it has no errors.
    fn warnings(&self) -> Vec<String> {
        if self.diags.has_errors() {
            return Vec::new();
        }
        let rendered = self.diags.render();
        if rendered.is_empty() {
            Vec::new()
        } else {
            vec![rendered]
        }
    }
}

/// Runs a build step with a sink that keeps every file it hands over: what it returned, and
/// the files.
fn collecting<T>(
    step: impl FnOnce(&build::Sink<'_>) -> Result<T, BuildError>,
) -> Result<(T, Files), BuildError> {
    let kept = std::sync::Mutex::new(Vec::new());
    let sink = |files: &[crate::write::OutFile]| -> Result<(), BuildError> {
        kept.lock()
            .map_err(|_| BuildError::Thread)?
            .extend(shared(files));
        Ok(())
    };
    let done = step(&sink)?;
    let files = kept.into_inner().map_err(|_| BuildError::Thread)?;
    Ok((done, files))
}

/// Built files with their bytes put behind shared pointers.
fn shared(files: &[crate::write::OutFile]) -> impl Iterator<Item = (String, Arc<[u8]>)> + '_ {
    files
        .iter()
        .map(|f| (f.path.clone(), Arc::from(f.bytes.as_slice())))
}

/// Every file and folder below `dir` with its size and modification time, hashed: it changes
/// when a file is added, removed, renamed or saved. A symbolic link counts by what it points
/// at, so a partnership that links to a shared file sees that file change.
pub fn fingerprint(dir: &Path) -> u64 {
    fingerprint_skipping(dir, &[])
}

/// The fingerprint of everything below a collection's `dir` outside its partnership folders.
fn fingerprint_outside(dir: &Path, members: &[PathBuf]) -> u64 {
    fingerprint_skipping(dir, members)
}

fn fingerprint_skipping(dir: &Path, skip: &[PathBuf]) -> u64 {
    let mut entries: Vec<(PathBuf, Option<SystemTime>, u64)> = Vec::new();
    let mut stack: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(listing) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in listing.flatten() {
            let path = entry.path();
            if skip.contains(&path) {
                continue;
            }
            let Ok(own) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            // Folders are walked, not followed through links (no loops); a linked file
            // counts by its target.
            let meta = if own.file_type().is_symlink() {
                std::fs::metadata(&path).unwrap_or(own)
            } else {
                if own.is_dir() {
                    stack.push(path.clone());
                }
                own
            };
            entries.push((path, meta.modified().ok(), meta.len()));
        }
    }
    entries.sort();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    entries.hash(&mut h);
    h.finish()
}
