//! What DIR is (one partnership folder, or a collection of them), loading and validating it
//! whole, which cycle a command means, and whether an output folder lies outside it. Every
//! command asks here, so the answers agree.

use crate::diag::{Code, Diagnostics, suggest};
use crate::error::Problems;
use crate::fsx;
use crate::load::{self, present, sorted_entries};
use crate::model::{Audit, Cycle};
use crate::source::{self, display_path};
use crate::validate;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// What a DIR argument turned out to be.
#[derive(Debug)]
pub enum Target {
    Partnership(PathBuf),
    /// A folder of partnership folders, sorted by folder name.
    Collection(Vec<PathBuf>),
}

/// Why DIR, or the cycle asked for, cannot be worked on.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("{}: no such folder", display_path(.0))]
    NoSuchFolder(PathBuf),
    #[error("{}: not a folder; give a partnership folder or a collection", display_path(.0))]
    NotAFolder(PathBuf),
    #[error(
        "{shown}: not a partnership folder (it has no partnership.toml) nor a collection (no subfolder has one); `panelaudit init {shown} --name NAME --framework ID` starts one",
        shown = display_path(.0)
    )]
    NothingToAudit(PathBuf),
    /// A collection given to a command that works on one partnership.
    #[error(
        "{} is a collection of {} partnerships; `panelaudit {command}` works on one partnership folder, e.g. {}",
        display_path(.dir),
        .members.len(),
        .members.first().map(|m| display_path(m)).unwrap_or_default()
    )]
    Collection {
        dir: PathBuf,
        command: &'static str,
        members: Vec<PathBuf>,
    },
    /// The partnership has errors; `problems` are the errors, rendered.
    #[error(
        "{shown} has {count} problem(s) to fix first (`panelaudit check {shown}` lists them with warnings)",
        shown = display_path(.dir)
    )]
    Invalid {
        dir: PathBuf,
        count: usize,
        #[source]
        problems: Problems,
    },
    /// `--cycle` names no cycle of the partnership (`cycles` are the ids there are).
    #[error("{}", no_cycle(.id, .cycles))]
    NoSuchCycle { id: String, cycles: Vec<String> },
    #[error(
        "{} has no audit cycles yet: add cycles/<cycle-id>/cycle.toml (see `panelaudit init`)",
        display_path(.0)
    )]
    NoCycles(PathBuf),
    /// An error about one partnership of several, named by its folder.
    #[error("{}: {source}", display_path(.dir))]
    Of {
        dir: PathBuf,
        #[source]
        source: Box<WorkspaceError>,
    },
    /// `--out` is the partnership folder or inside it (`what` is what would be written).
    #[error("{}", out_inside(.dir, .out, .what, *.same, .beside.as_deref()))]
    OutInside {
        dir: PathBuf,
        out: PathBuf,
        what: &'static str,
        /// Whether `out` is the partnership folder itself.
        same: bool,
        /// A folder beside the partnership's to suggest instead.
        beside: Option<PathBuf>,
    },
}

impl WorkspaceError {
    /// This error, said of the partnership in `dir`.
    pub fn of(self, dir: &Path) -> WorkspaceError {
        WorkspaceError::Of {
            dir: dir.to_path_buf(),
            source: Box::new(self),
        }
    }
}

/// Decides whether `dir` is a partnership folder or a collection of them.
pub fn discover(dir: &Path) -> Result<Target, WorkspaceError> {
    if !dir.exists() {
        return Err(WorkspaceError::NoSuchFolder(dir.to_path_buf()));
    }
    if !dir.is_dir() {
        return Err(WorkspaceError::NotAFolder(dir.to_path_buf()));
    }
    // Anything named partnership.toml (even a folder or a broken link) makes this a
    // partnership folder, so the problem with it is reported rather than "not found".
    if present(&dir.join("partnership.toml")) {
        return Ok(Target::Partnership(dir.to_path_buf()));
    }
    let members: Vec<PathBuf> = sorted_entries(dir)
        .into_iter()
        .filter(|p| p.is_dir() && present(&p.join("partnership.toml")))
        .collect();
    if members.is_empty() {
        Err(WorkspaceError::NothingToAudit(dir.to_path_buf()))
    } else {
        Ok(Target::Collection(members))
    }
}

/// One loaded partnership: its folder and, when valid, the audit.
pub struct Loaded {
    pub display_dir: String,
    pub audit: Option<Audit>,
}

/// Everything DIR holds, loaded and validated.
pub struct Workspace {
    pub collection: bool,
    /// A collection's name (its `collection.toml`, else from its folder); None for one
    /// partnership.
    pub name: Option<String>,
    pub members: Vec<Loaded>,
}

impl Workspace {
    /// The valid audits, in folder order.
    pub fn audits(&self) -> impl Iterator<Item = &Audit> {
        self.members.iter().filter_map(|l| l.audit.as_ref())
    }

    pub fn into_audits(self) -> Vec<Audit> {
        self.members.into_iter().filter_map(|l| l.audit).collect()
    }

    /// Whether any partnership failed to load or validate.
    pub fn any_invalid(&self) -> bool {
        self.members.iter().any(|l| l.audit.is_none())
    }
}

/// Loads and validates DIR (a partnership or a collection), collecting every problem. The
/// partnerships of a collection are loaded in parallel; their problems are reported in folder
/// order, as if loaded one by one.
pub fn load(dir: &Path, diags: &mut Diagnostics) -> Result<Workspace, WorkspaceError> {
    let (collection, name, members) = load_with(dir, diags, |l| l)?;
    Ok(Workspace {
        collection,
        name,
        members,
    })
}

/// [`load`], handing each partnership to `each` as soon as it is loaded (on the thread that
/// loaded it) instead of holding them all: what `each` returns is kept, in folder order.
pub fn load_each<T: Send>(
    dir: &Path,
    diags: &mut Diagnostics,
    each: impl Fn(Loaded) -> T + Sync,
) -> Result<Vec<T>, WorkspaceError> {
    Ok(load_with(dir, diags, each)?.2)
}

/// Whether DIR is a collection, its name, and what `each` made of each partnership.
fn load_with<T: Send>(
    dir: &Path,
    diags: &mut Diagnostics,
    each: impl Fn(Loaded) -> T + Sync,
) -> Result<(bool, Option<String>, Vec<T>), WorkspaceError> {
    let (collection, dirs) = match discover(dir)? {
        Target::Partnership(p) => (false, vec![p]),
        Target::Collection(v) => (true, v),
    };
    let name = collection.then(|| load::collection_name(dir, diags));
    let within = collection.then_some(dir);
    let loaded: Vec<(T, Diagnostics)> = dirs
        .par_iter()
        .map(|d| {
            let (l, own) = load_member(d, within);
            (each(l), own)
        })
        .collect();
    let mut members = Vec::with_capacity(loaded.len());
    for (member, own) in loaded {
        diags.extend(own);
        members.push(member);
    }
    Ok((collection, name, members))
}

/// Loads and validates one partnership folder, with its own problems. Any error (even in a
/// file that failed to parse, which leaves a gap validation cannot see) makes it invalid.
/// A member of the collection `within` is held to the rule of a partnership's own folders: a
/// link that leads out of the collection is reported and never read.
pub fn load_member(dir: &Path, within: Option<&Path>) -> (Loaded, Diagnostics) {
    if let Some(collection) = within
        && source::leads_outside(&source::canonical_root(collection), dir)
    {
        return outside_member(dir);
    }
    let mut diags = Diagnostics::new();
    if within.is_some() {
        refuse_reserved_folder(dir, &mut diags);
    }
    let raw = load::load_partnership(dir, &mut diags);
    let audit = validate::validate(&raw, &mut diags).filter(|_| !diags.has_errors());
    (
        Loaded {
            display_dir: raw.display_dir.clone(),
            audit,
        },
        diags,
    )
}

/// A collection's partnership in a folder whose name the collection's own pages use
/// (`compare`, `assets`, …: `site::routes` says which) is refused by name (`PA0202`, a name
/// given twice) before any of its pages could overwrite the collection's.
fn refuse_reserved_folder(dir: &Path, diags: &mut Diagnostics) {
    let Some(folder) = dir.file_name().map(|n| n.to_string_lossy()) else {
        return;
    };
    if !crate::site::routes::is_reserved(&folder) {
        return;
    }
    diags
        .path_error(
            Code::ReservedFolder,
            display_path(dir),
            format!(
                "a partnership in a collection cannot be in a folder called `{folder}`: the collection's own pages use that name (reserved: {})",
                crate::site::routes::reserved_folders().join(", ")
            ),
        )
        .with_help("rename the partnership's folder; its name in partnership.toml can stay");
}

/// A collection member that is a symbolic link leading outside the collection: refused by
/// name (`PA0110`), with nothing of what it points at read or shown.
fn outside_member(dir: &Path) -> (Loaded, Diagnostics) {
    let mut diags = Diagnostics::new();
    diags
        .path_error(
            Code::OutsideFolder,
            display_path(dir),
            "this partnership folder is a symbolic link (or lies behind one) leading outside the collection; it is not read",
        )
        .with_help("copy the partnership folder into the collection, or remove the link");
    (
        Loaded {
            display_dir: display_path(dir),
            audit: None,
        },
        diags,
    )
}

/// Whether `check` would accept `audit`'s folder once `pending` (paths and texts of returns or
/// case records of `cycle`) were written: the folder is read again, the pending files put in
/// place of what is on disk, and the whole validated. The problems, when it would not (only
/// errors: the folder was valid before, so they come from the pending files).
pub fn check_pending(
    audit: &Audit,
    cycle: &str,
    kind: load::Pending,
    pending: &[(PathBuf, String)],
) -> Option<Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut raw = load::load_partnership(&audit.dir, &mut diags);
    for (path, text) in pending {
        load::put_pending(&mut raw, cycle, kind, path, text.clone(), &mut diags);
    }
    validate::validate(&raw, &mut diags);
    diags.has_errors().then_some(diags)
}

/// Loads DIR as one valid partnership, for commands that work on one (forms, import, pack).
/// The error says why not, with the problems to fix first.
pub fn load_one(dir: &Path, command: &'static str) -> Result<Audit, WorkspaceError> {
    if let Target::Collection(members) = discover(dir)? {
        return Err(WorkspaceError::Collection {
            dir: dir.to_path_buf(),
            command,
            members,
        });
    }
    let mut diags = Diagnostics::new();
    let ws = load(dir, &mut diags)?;
    let audit = ws.into_audits().into_iter().next();
    match audit {
        Some(a) if !diags.has_errors() => Ok(a),
        _ => {
            let mut rendered = String::new();
            for d in diags.iter().filter(|d| d.is_error()) {
                rendered.push_str(&diags.render_one(d));
            }
            Err(WorkspaceError::Invalid {
                dir: dir.to_path_buf(),
                count: diags.error_count(),
                problems: Problems::new(rendered),
            })
        }
    }
}

/// The cycle `--cycle` names, or by default the main cycle (the latest self-assessment, or the
/// latest cycle of any method when there is none); the error names the cycles there are.
pub fn pick_cycle<'a>(audit: &'a Audit, wanted: Option<&str>) -> Result<&'a Cycle, WorkspaceError> {
    match wanted {
        Some(id) => audit.cycle(id).ok_or_else(|| WorkspaceError::NoSuchCycle {
            id: id.to_string(),
            cycles: audit.cycles.iter().map(|c| c.id.clone()).collect(),
        }),
        None => audit
            .main_cycle()
            .ok_or_else(|| WorkspaceError::NoCycles(audit.dir.clone())),
    }
}

/// Says that there is no cycle `id`, with the nearest of `cycles` and all of them.
fn no_cycle(id: &str, cycles: &[String]) -> String {
    if cycles.is_empty() {
        return format!("no cycle `{id}`: this partnership has no audit cycles yet");
    }
    let hint = suggest(id, cycles.iter().map(String::as_str))
        .map(|s| format!(" ({s})"))
        .unwrap_or_default();
    format!(
        "no cycle `{id}`{hint}; the cycles are: {}",
        cycles.join(", ")
    )
}

/// DIR as one valid partnership and the cycle meant, for the commands that collect a round's
/// evidence (forms, import, pack, signoff): `wanted`, else by default the latest cycle, whatever
/// its method (the site's main cycle may be an earlier self-assessment).
pub fn load_one_cycle(
    dir: &Path,
    command: &'static str,
    wanted: Option<&str>,
) -> Result<(Audit, String), WorkspaceError> {
    let audit = load_one(dir, command)?;
    let latest = audit.latest_cycle().map(|c| c.id.clone());
    let id = pick_cycle(&audit, wanted.or(latest.as_deref()))?.id.clone();
    Ok((audit, id))
}

/// Refuses an output folder that is the partnership folder or lies inside it: what is written
/// there (`what`, such as "the forms") would become part of the audit, and `panelaudit check`
/// would warn about every file.
pub fn check_out(dir: &Path, out: &Path, what: &'static str) -> Result<(), WorkspaceError> {
    let (Ok(real_dir), Ok(real_out)) = (fsx::real_path(dir), fsx::real_path(out)) else {
        // Without a working folder nothing can be compared; writing will report the problem.
        return Ok(());
    };
    if !real_out.starts_with(&real_dir) {
        return Ok(());
    }
    let beside = real_dir
        .parent()
        .zip(real_dir.file_name())
        .map(|(parent, name)| parent.join(format!("{}-forms", name.to_string_lossy())));
    Err(WorkspaceError::OutInside {
        dir: dir.to_path_buf(),
        out: out.to_path_buf(),
        what,
        same: real_out == real_dir,
        beside,
    })
}

/// Says why `--out` is refused, with a folder beside the partnership's as an example.
fn out_inside(dir: &Path, out: &Path, what: &str, same: bool, beside: Option<&Path>) -> String {
    let shown_dir = display_path(dir);
    let place = if same {
        format!("is the partnership folder {shown_dir}")
    } else {
        format!("is inside the partnership folder {shown_dir}")
    };
    let example = beside
        .map(|b| format!(", such as --out {}", display_path(b)))
        .unwrap_or_default();
    format!(
        "--out {}: {place}; {what} would be read as part of the audit (and `panelaudit check` would warn about each one), so choose a folder outside it{example}",
        display_path(out)
    )
}
