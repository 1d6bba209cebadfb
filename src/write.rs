//! The last stage: put a fully rendered site on disk so that readers only ever see a whole
//! site. This module decides where a site may go (never over the audit's own folders or
//! someone's documents) and marks it as a site; `fsx::replace_dir` swaps it into place in one
//! atomic step. A failure at any point leaves the previous site exactly as it was.

use crate::fsx::{self, ReplaceError};
use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

/// The file a build leaves in its output folder, so a later build knows the folder is a site
/// it may replace (and never mistakes someone's documents folder for one).
pub const MARKER: &str = ".panelaudit-site";
const MARKER_TEXT: &str = "This folder was written by `panelaudit build`. The next build replaces it as a whole:\nedit the audit files, not these.\n";

/// One file of the site: a relative path with `/` separators, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> OutFile {
        OutFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// Why a site could not be written (the previous one stays as it was).
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The output folder is one the build must not replace.
    #[error("{0}")]
    Refused(String),
    /// A rendered path that would escape the output folder, or appears twice.
    #[error("refusing to write `{0}`: not a plain relative path, or written twice")]
    BadPath(String),
    #[error("{}: {error}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        error: io::Error,
    },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |error| WriteError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// Where the site will go, checked: absolute, its parent existing, and not a folder the build
/// must never replace.
#[derive(Debug, Clone)]
pub struct Target {
    /// The output folder as absolute path (it may not exist yet).
    pub out: PathBuf,
    /// Recorded in the marker, so a later build for the other audience will not replace it.
    audience: String,
}

/// Folders of a partnership that the loader reads: a site written inside one would be read
/// back as audit files (a site in `cycles/` becomes a cycle without a cycle.toml).
const AUDIT_FOLDERS: &[&str] = &[
    "cycles",
    "frameworks",
    "briefings",
    "publication",
    "templates",
];

/// Checks `out` against the inputs before anything is rendered: refuses the file-system root,
/// an input folder itself or any folder containing one, a file, and a non-empty folder that is
/// not a site panelaudit built (or the bare placeholder a repository keeps for it).
pub fn check_target(out: &Path, inputs: &[&Path], audience: &str) -> Result<Target, WriteError> {
    let shown = out.display().to_string();
    let abs = fsx::absolute(out).map_err(io_err(out))?;
    if abs.file_name().is_none() {
        return Err(WriteError::Refused(format!(
            "refusing to write the site to `{shown}`: give a folder of its own, such as `site`"
        )));
    }
    // Compare real locations, so `./x/..` or a symlink cannot hide an input folder.
    let real_out = fsx::real_path(&abs).map_err(io_err(out))?;
    for input in inputs {
        let real_in = fsx::real_path(input).map_err(io_err(input))?;
        if real_in.starts_with(&real_out) {
            return Err(WriteError::Refused(format!(
                "refusing to write the site to `{shown}`: it is, or contains, the audit folder `{}`, which the build would delete",
                input.display()
            )));
        }
        if let Ok(inside) = real_out.strip_prefix(&real_in)
            && let Some(first) = inside.components().next()
            && AUDIT_FOLDERS.contains(&first.as_os_str().to_string_lossy().as_ref())
        {
            return Err(WriteError::Refused(format!(
                "refusing to write the site to `{shown}`: it is inside the audit's own `{}` folder, where it would be read back as audit files",
                first.as_os_str().to_string_lossy()
            )));
        }
    }
    if abs.exists() {
        if !abs.is_dir() {
            return Err(WriteError::Refused(format!(
                "refusing to write the site to `{shown}`: it is a file, not a folder"
            )));
        }
        if !replaceable(&abs) {
            return Err(WriteError::Refused(format!(
                "refusing to replace `{shown}`: it holds files and is not a site panelaudit built (no {MARKER} file); empty it, or choose another --out"
            )));
        }
        if let Some(previous) = recorded_audience(&abs)
            && previous != audience
        {
            return Err(WriteError::Refused(format!(
                "refusing to replace `{shown}`: it holds the {previous} site and this is the {audience} one; writing one over the other could publish an internal report or replace a board's copy by mistake. Delete the folder first, or choose another --out"
            )));
        }
    }
    Ok(Target {
        out: abs,
        audience: audience.to_string(),
    })
}

/// The audience a previous build recorded in its marker, if it recorded one.
fn recorded_audience(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join(MARKER)).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("audience: "))
        .map(|a| a.trim().to_string())
}

/// An empty folder, a previous build, or a repository's placeholder (a README and nothing else).
fn replaceable(dir: &Path) -> bool {
    if dir.join(MARKER).is_file() {
        return true;
    }
    match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(Result::ok).all(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            (name == "README.md" || name == ".gitkeep") && e.path().is_file()
        }),
        Err(_) => false,
    }
}

/// The staging folder of a build that writes as it goes: [`Stage::put`] may be called from
/// several threads at once, each with its own files.
pub struct Stage<'a> {
    dir: &'a Path,
    seen: std::sync::Mutex<BTreeSet<String>>,
}

impl Stage<'_> {
    /// Writes `files` into the staging folder, refusing a path that is not plain and relative,
    /// the marker's name, or a path already written by this build.
    pub fn put(&self, files: &[OutFile]) -> Result<(), WriteError> {
        {
            let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
            for f in files {
                if !is_plain_relative(&f.path) || f.path == MARKER || !seen.insert(f.path.clone()) {
                    return Err(WriteError::BadPath(f.path.clone()));
                }
            }
        }
        for f in files {
            let path = self.dir.join(&f.path);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(io_err(dir))?;
            }
            std::fs::write(&path, &f.bytes).map_err(io_err(&path))?;
        }
        Ok(())
    }
}

/// Writes a site for a build that renders and writes as it goes: `fill` puts files into
/// the staging folder through the [`Stage`] (from any thread), and the site replaces the old
/// one only when `fill` returns Ok. When it fails, the staging folder is removed and the old
/// site stays exactly as it was.
pub fn write_site_streaming<E: From<WriteError>>(
    target: &Target,
    fill: impl FnOnce(&Stage) -> Result<(), E>,
) -> Result<(), E> {
    let r = fsx::replace_dir(&target.out, |staging| {
        let marker = staging.join(MARKER);
        std::fs::write(
            &marker,
            format!("{MARKER_TEXT}audience: {}\n", target.audience),
        )
        .map_err(io_err(&marker))
        .map_err(E::from)?;
        fill(&Stage {
            dir: staging,
            seen: std::sync::Mutex::new(BTreeSet::new()),
        })
    });
    r.map_err(|e| match e {
        ReplaceError::Busy(p) => E::from(busy(&p)),
        ReplaceError::Io(e) => E::from(WriteError::Io {
            path: e.path,
            error: e.error,
        }),
        ReplaceError::Fill(e) => e,
    })
}

fn busy(p: &Path) -> WriteError {
    WriteError::Refused(format!(
        "another panelaudit build is writing to `{}` right now; nothing was written: run this one again when it has finished",
        p.display()
    ))
}

fn is_plain_relative(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && !p.contains('\\')
        && p.split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A whole site written at once, through the one path builds take.
    fn write_site(target: &Target, files: &[OutFile]) -> Result<(), WriteError> {
        write_site_streaming(target, |stage| stage.put(files))
    }

    fn files(n: &str) -> Vec<OutFile> {
        vec![
            OutFile::new("index.html", format!("home {n}")),
            OutFile::new("themes/a/index.html", format!("theme {n}")),
        ]
    }

    #[test]
    fn writes_then_replaces_a_previous_build_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let t = check_target(&out, &[], "internal").unwrap();
        write_site(&t, &files("1")).unwrap();
        std::fs::write(out.join("stale.html"), "old").unwrap();
        let t = check_target(&out, &[], "internal").unwrap();
        write_site(&t, &files("2")).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "home 2"
        );
        assert!(
            !out.join("stale.html").exists(),
            "old files go with the old site"
        );
        // The site and the hidden lock file that keeps two builds from racing; nothing else.
        let mut left: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [".site.panelaudit-lock", "site"],
            "no temporary folders left behind"
        );
    }

    #[test]
    fn a_bad_path_leaves_the_old_site_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let t = check_target(&out, &[], "internal").unwrap();
        write_site(&t, &files("1")).unwrap();
        let mut bad = files("2");
        bad.push(OutFile::new("../escape.html", "x"));
        assert!(matches!(write_site(&t, &bad), Err(WriteError::BadPath(_))));
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "home 1"
        );
        assert!(!tmp.path().join("escape.html").exists());
    }

    #[test]
    fn refuses_root_inputs_files_and_foreign_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let audit = tmp.path().join("audits").join("north");
        std::fs::create_dir_all(&audit).unwrap();
        assert!(check_target(Path::new("/"), &[&audit], "internal").is_err());
        assert!(check_target(&audit, &[&audit], "internal").is_err());
        assert!(check_target(&tmp.path().join("audits"), &[&audit], "internal").is_err());
        assert!(check_target(&audit.join("..").join("."), &[&audit], "internal").is_err());
        let file = tmp.path().join("f.txt");
        std::fs::write(&file, "x").unwrap();
        assert!(check_target(&file, &[&audit], "internal").is_err());
        let docs = tmp.path().join("docs");
        std::fs::create_dir(&docs).unwrap();
        std::fs::write(docs.join("letter.docx"), "x").unwrap();
        assert!(check_target(&docs, &[&audit], "internal").is_err());
        let placeholder = tmp.path().join("site");
        std::fs::create_dir(&placeholder).unwrap();
        std::fs::write(placeholder.join("README.md"), "x").unwrap();
        assert!(check_target(&placeholder, &[&audit], "internal").is_ok());
        assert!(check_target(&audit.join("site"), &[&audit], "internal").is_ok());
        // Inside a folder the loader reads, a site would come back as audit files.
        assert!(
            check_target(&audit.join("cycles").join("2099-zz"), &[&audit], "internal").is_err()
        );
        assert!(
            check_target(&audit.join("briefings").join("site"), &[&audit], "internal").is_err()
        );
    }

    #[test]
    fn a_site_for_one_audience_is_never_replaced_by_the_other() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let t = check_target(&out, &[], "public").unwrap();
        write_site(&t, &files("1")).unwrap();
        let Err(refused) = check_target(&out, &[], "internal") else {
            panic!("an internal build over a public site was allowed")
        };
        assert!(
            refused
                .to_string()
                .contains("it holds the public site and this is the internal one"),
            "{refused}"
        );
        assert!(check_target(&out, &[], "public").is_ok());
    }
}
