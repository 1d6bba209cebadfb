//! Stage 1: find the files of a partnership folder (or a collection of them) and parse each
//! one, keeping its text so every later problem can point at a line and column.

pub(crate) mod deny;
pub(crate) mod links;
pub(crate) mod metrics_csv;
pub mod raw;
mod recover;
mod salvage;
pub(crate) mod survey;

use crate::bundled;
use crate::diag::{Code, Diagnostics, Location};
use crate::limits;
use crate::source::{self, SourceFile};
use raw::{
    ActionsFile, BriefingFrontMatter, CaseFile, ChangesFile, CollectionFile, CycleFile,
    FindingsFile, FrameworkFile, MetricsFile, ModerationFile, PartnershipFile, ResponseFile, S,
};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The change log's file name, in the cycle's folder (`signoff` and `import` write it).
pub const CHANGES_FILE: &str = "changes.toml";

/// A parsed file together with its text.
#[derive(Debug, Clone)]
pub struct Parsed<T> {
    pub file: Arc<SourceFile>,
    pub value: T,
}

#[derive(Debug)]
pub struct RawCycle {
    /// The folder name, which is the cycle id.
    pub id: String,
    pub display_dir: String,
    pub cycle: Option<Parsed<CycleFile>>,
    /// (file stem, parsed file), sorted by file name.
    pub responses: Vec<(String, Parsed<ResponseFile>)>,
    /// File stems of returns that exist but could not be read or parsed (already reported).
    pub unreadable: Vec<String>,
    /// Returns the decoder stopped in (already reported), with the rest of each read field
    /// by field: validated for their other mistakes, never used.
    pub partial: Vec<(String, Parsed<ResponseFile>)>,
    pub moderation: Option<Parsed<ModerationFile>>,
    pub findings: Option<Parsed<FindingsFile>>,
    /// What `import --force` changed after sign-off.
    pub changes: Option<Parsed<ChangesFile>>,
    /// `surveys/<name>.toml` with their exports, sorted by file name.
    pub surveys: Vec<survey::RawSurvey>,
    /// (file stem, parsed case record), sorted by file name.
    pub cases: Vec<(String, Parsed<CaseFile>)>,
}

#[derive(Debug)]
pub struct RawBriefing {
    pub slug: String,
    pub file: Arc<SourceFile>,
    pub front: Option<BriefingFrontMatter>,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
}

/// Everything found in one partnership folder, parsed but not yet cross-checked.
#[derive(Debug)]
pub struct RawAudit {
    pub dir: PathBuf,
    pub display_dir: String,
    pub folder: String,
    pub partnership: Option<Parsed<PartnershipFile>>,
    pub bundled_frameworks: Vec<Parsed<FrameworkFile>>,
    pub local_frameworks: Vec<Parsed<FrameworkFile>>,
    pub library: Option<Parsed<MetricsFile>>,
    pub metrics: Option<Parsed<MetricsFile>>,
    /// metrics.csv and its records as read (None when its header is not `metric,period,value`).
    pub metrics_csv: Option<Parsed<Option<Vec<metrics_csv::CsvRecord>>>>,
    pub actions: Option<Parsed<ActionsFile>>,
    pub cycles: Vec<RawCycle>,
    pub briefings: Vec<RawBriefing>,
    pub deny: Option<Arc<SourceFile>>,
    /// The partnership's own templates (`templates/*.html`, and `templates/static/style.css`
    /// under the name `static/style.css`), read here so that no later stage opens a file.
    pub templates: Vec<(String, Arc<SourceFile>)>,
}

impl RawAudit {
    /// Every file of the partnership's own that was read (not the bundled banks), so later
    /// stages can place a value in its file without reading it again.
    pub fn sources(&self) -> Vec<Arc<SourceFile>> {
        let mut out: Vec<Arc<SourceFile>> = Vec::new();
        out.extend(self.partnership.iter().map(|p| p.file.clone()));
        out.extend(self.local_frameworks.iter().map(|p| p.file.clone()));
        out.extend(self.metrics.iter().map(|p| p.file.clone()));
        out.extend(self.metrics_csv.iter().map(|p| p.file.clone()));
        out.extend(self.actions.iter().map(|p| p.file.clone()));
        for c in &self.cycles {
            out.extend(c.cycle.iter().map(|p| p.file.clone()));
            out.extend(c.responses.iter().map(|(_, p)| p.file.clone()));
            out.extend(c.moderation.iter().map(|p| p.file.clone()));
            out.extend(c.findings.iter().map(|p| p.file.clone()));
            out.extend(c.changes.iter().map(|p| p.file.clone()));
            for s in &c.surveys {
                out.push(s.file.file.clone());
                if let Some(survey::Export::Csv { file, .. }) = &s.export {
                    out.push(file.clone());
                }
            }
            out.extend(c.cases.iter().map(|(_, p)| p.file.clone()));
        }
        out.extend(self.briefings.iter().map(|b| b.file.clone()));
        out.extend(self.deny.iter().cloned());
        out
    }
}

/// Entries of a folder sorted by name, hidden ones (starting with '.') left out.
pub fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                !p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.'))
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

/// Reports a folder holding more than `max` entries (files, or cycle folders): far beyond
/// any real partnership, so none of them is read. True when it does.
fn too_many_entries(
    dir: &Path,
    entries: &[PathBuf],
    max: usize,
    what: &str,
    diags: &mut Diagnostics,
) -> bool {
    if entries.len() <= max {
        return false;
    }
    diags
        .path_error(
            Code::TooLarge,
            source::display_path(dir),
            format!(
                "this folder holds {} entries; at most {max} {what} are read, so none was",
                entries.len()
            ),
        )
        .with_help("this is far beyond any real partnership; is this the right folder?");
    true
}

fn files_with_ext(
    dir: &Path,
    ext: &str,
    max: usize,
    what: &str,
    diags: &mut Diagnostics,
) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let entries = sorted_entries(dir);
    if too_many_entries(dir, &entries, max, what, diags) {
        return out;
    }
    for p in entries {
        if p.extension().is_some_and(|e| e == ext) {
            // A folder or broken link with the right name is an error, not something to skip.
            out.push(p);
        } else if !p.is_dir() {
            diags.path_warning(
                Code::IgnoredEntry,
                source::display_path(&p),
                format!("ignored: only .{ext} files are read in this folder"),
            );
        }
    }
    out
}

/// Reads a file into a SourceFile, reporting unreadable or non-UTF-8 files.
pub fn read_source(path: &Path, diags: &mut Diagnostics) -> Option<Arc<SourceFile>> {
    let shown = source::display_path(path);
    if let Some(problem) = not_a_file(path) {
        diags.path_error(Code::Unreadable, shown, problem);
        return None;
    }
    match source::read_text(path) {
        Ok(text) => {
            let file = Arc::new(SourceFile::new(shown, text));
            control_characters(&file, diags);
            Some(file)
        }
        Err(e) => {
            let at = match e {
                source::ReadError::NotUtf8 { line, col } => Location::position(shown, line, col),
                _ => Location::File { path: shown },
            };
            diags.error_at(Code::Unreadable, at, e.to_string());
            None
        }
    }
}

/// Reports control characters (other than tab and line endings), written raw or as a TOML
/// `\u` escape: they show as nothing or garble a page, and in a terminal an escape sequence
/// can clear the screen. One report per file is enough to find them.
fn control_characters(file: &Arc<SourceFile>, diags: &mut Diagnostics) {
    let text = &file.text;
    let raw = first_raw_control(text.as_bytes());
    let escaped = memchr::memmem::find_iter(text.as_bytes(), b"\\u00").find_map(|i| {
        let code = u32::from_str_radix(text.get(i + 2..i + 6)?, 16).ok()?;
        let control = code < 0x20 && !matches!(code, 0x09 | 0x0a | 0x0d) || code == 0x7f;
        (control && !text[..i].ends_with('\\')).then_some((i, 6, code))
    });
    let first = match (raw, escaped) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    };
    if let Some((at, len, code)) = first {
        diags
            .error(
                Code::ControlCharacter,
                file,
                at..at + len,
                format!("control character U+{code:04X} is not allowed in text"),
            )
            .with_help("remove it; it may have come from copying out of another program");
    }
}

/// The first control character written raw (Unicode's Cc: U+0000 to U+001F but tab and line
/// endings, U+007F, and U+0080 to U+009F, which UTF-8 writes as 0xC2 and a second byte), as
/// (byte offset, length, code point): read a byte at a time, not decoded a character at a
/// time, as `check` reads every input file whole.
fn first_raw_control(bytes: &[u8]) -> Option<(usize, usize, u32)> {
    let is_control = |i: usize, b: u8| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            || b == 0x7f
            || (b == 0xc2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)))
    };
    // Whole blocks of ordinary bytes are passed over at once (a test the compiler can do
    // for many bytes together); a block with a byte that might start one is read byte by byte.
    const BLOCK: usize = 32;
    let may_hold = |block: &[u8]| {
        block.iter().fold(false, |any, &b| {
            any | (b < 0x20) | (b == 0x7f) | (b == 0xc2)
        })
    };
    let at = bytes
        .chunks(BLOCK)
        .enumerate()
        .filter(|(_, block)| may_hold(block))
        .find_map(|(n, block)| {
            let base = n * BLOCK;
            (0..block.len())
                .map(|k| base + k)
                .find(|&i| is_control(i, bytes[i]))
        })?;
    Some(match bytes[at] {
        0xc2 => (at, 2, u32::from(bytes[at + 1])),
        b => (at, 1, u32::from(b)),
    })
}

/// Why something at `path` cannot be read as a file, when it exists in some form: a folder
/// where a file belongs, a link to nowhere or to itself, a device. None for a regular file
/// (through links) and for nothing at all.
pub fn not_a_file(path: &Path) -> Option<&'static str> {
    let link = std::fs::symlink_metadata(path).ok()?;
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => None,
        Ok(m) if m.is_dir() => Some("this is a folder, but a file belongs here"),
        Ok(_) => {
            Some("this is not a regular file (a device or pipe?); only ordinary files are read")
        }
        Err(_) if link.file_type().is_symlink() => {
            Some("this is a link to nothing (or to itself); point it at a file or remove it")
        }
        Err(_) => Some("cannot read what is here"),
    }
}

/// Whether anything at all is at `path` (a file, a folder, a broken link).
pub fn present(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// Parses TOML text into `T`, reporting a syntax or shape error at its place.
pub fn parse_toml<T: DeserializeOwned>(
    file: &Arc<SourceFile>,
    diags: &mut Diagnostics,
) -> Option<T> {
    match toml::from_str::<T>(&file.text) {
        Ok(v) => Some(v),
        Err(e) => {
            report_toml_error(file, &e, diags);
            None
        }
    }
}

/// Reports a decoding error at its place; a duplicate key also points at its first definition.
fn report_toml_error(file: &Arc<SourceFile>, e: &toml::de::Error, diags: &mut Diagnostics) {
    let span = e.span().unwrap_or(0..0);
    let message = e.message().trim().to_string();
    let first = message
        .starts_with("duplicate key")
        .then(|| recover::first_definition(&file.text, &span))
        .flatten();
    let shown = match first {
        Some(_) => format!(
            "duplicate key `{}`",
            file.text.get(span.clone()).unwrap_or_default().trim()
        ),
        None => tidy_toml_message(&message),
    };
    let d = diags.error(toml_code(&message), file, span, shown);
    if message.starts_with("missing field") {
        d.with_help("see the file formats in the user guide (docs/src/files/overview.md)");
    }
    if let Some(first) = first {
        d.with_related(file, first, "first defined here")
            .with_help("give each key once; delete or merge the second");
    }
}

/// A response file: decoded whole, or, when the decoder stops at a mistake, the rest of it
/// checked field by field so that every mistake in it is reported in one run. The bool says
/// whether it was decoded whole.
fn read_response(
    root: &Path,
    path: &Path,
    stem: &str,
    diags: &mut Diagnostics,
) -> Option<(Parsed<ResponseFile>, bool)> {
    let file = read_inside(root, path, diags)?;
    parse_response(file, stem, diags)
}

/// [`read_response`] of a file already read.
fn parse_response(
    file: Arc<SourceFile>,
    stem: &str,
    diags: &mut Diagnostics,
) -> Option<(Parsed<ResponseFile>, bool)> {
    match toml::from_str::<ResponseFile>(&file.text) {
        Ok(value) => Some((Parsed { file, value }, true)),
        Err(e) => {
            report_toml_error(&file, &e, diags);
            let value = recover::response(&file, stem, &e, diags)?;
            Some((Parsed { file, value }, false))
        }
    }
}

/// What `import` is about to write into a cycle, read as `check` will read it from disk.
#[derive(Debug, Clone, Copy)]
pub enum Pending {
    /// `responses/<stem>.toml`
    Response,
    /// `cases/<stem>.toml`
    Case,
}

/// Puts `text`, which `import` is about to write at `path` (a return or a case record of
/// cycle `cycle`), in place of what was read from disk, read as `check` reads a file: its
/// size, its characters, then its TOML. Validating `raw` afterwards then says whether `check`
/// would accept the partnership with the file written, before anything is.
pub fn put_pending(
    raw: &mut RawAudit,
    cycle: &str,
    kind: Pending,
    path: &Path,
    text: String,
    diags: &mut Diagnostics,
) {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some(rc) = raw.cycles.iter_mut().find(|c| c.id == cycle) else {
        return;
    };
    rc.responses.retain(|(s, _)| *s != stem);
    rc.partial.retain(|(s, _)| *s != stem);
    rc.unreadable.retain(|s| *s != stem);
    rc.cases.retain(|(s, _)| *s != stem);
    let shown = source::display_path(path);
    if text.len() as u64 > source::MAX_FILE_BYTES {
        let size = source::ReadError::TooLarge(text.len() as u64);
        diags.path_error(Code::Unreadable, shown, size.to_string());
        rc.unreadable.push(stem);
        return;
    }
    let file = Arc::new(SourceFile::new(shown, text));
    control_characters(&file, diags);
    match kind {
        Pending::Response => match parse_response(file, &stem, diags) {
            Some((parsed, true)) => rc.responses.push((stem, parsed)),
            Some((parsed, false)) => {
                rc.unreadable.push(stem.clone());
                rc.partial.push((stem, parsed));
            }
            None => rc.unreadable.push(stem),
        },
        Pending::Case => {
            if let Some(value) = parse_toml(&file, diags) {
                rc.cases.push((stem, Parsed { file, value }));
            }
        }
    }
    rc.responses.sort_by(|a, b| a.0.cmp(&b.0));
    rc.cases.sort_by(|a, b| a.0.cmp(&b.0));
}

/// The code of a TOML decoding problem, from the decoder's message.
fn toml_code(message: &str) -> Code {
    let message = message.trim();
    if message.starts_with("missing field") {
        Code::MissingField
    } else if message.starts_with("unknown field") {
        Code::UnknownField
    } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
        Code::WrongType
    } else if message.contains("date") || message.contains("time") {
        Code::BadDate
    } else if message.starts_with("duplicate key") {
        Code::DuplicateId
    } else {
        Code::TomlSyntax
    }
}

/// The toml crate's messages name Rust types (`i64`, `f64`); say it in the user's terms.
fn tidy_toml_message(message: &str) -> String {
    if message.contains("as i128") {
        return "this number is too large".to_string();
    }
    message
        .replace("expected f64", "expected a number")
        .replace("expected i64", "expected a whole number")
        .replace("expected u32", "expected a whole number")
        .replace("expected a boolean", "expected true or false")
        .replace("expected a sequence", "expected a list [ ... ]")
        .replace("invalid type: sequence", "invalid type: a list")
        .replace("invalid type: map", "invalid type: a table")
        .replace("expected a map", "expected a table")
        .replace(
            "expected a TOML datetime",
            "expected a date such as 2025-11-28 (no quotes)",
        )
}

/// Reports `path` when it leads outside the partnership folder `root` (a symbolic link, or a
/// path through one, to anywhere else): such a file or folder is never read, and nothing of
/// what it points at is shown. True when it does.
pub fn outside(root: &Path, path: &Path, diags: &mut Diagnostics) -> bool {
    if !source::leads_outside(root, path) {
        return false;
    }
    diags
        .path_error(
            Code::OutsideFolder,
            source::display_path(path),
            "this is a symbolic link (or lies behind one) leading outside the partnership folder; it is not read",
        )
        .with_help("copy what it points at into the partnership folder, or remove the link");
    true
}

/// [`read_source`] for a file of the partnership folder `root`: one that leads outside it is
/// reported and not read.
pub(crate) fn read_inside(
    root: &Path,
    path: &Path,
    diags: &mut Diagnostics,
) -> Option<Arc<SourceFile>> {
    if outside(root, path, diags) {
        return None;
    }
    read_source(path, diags)
}

pub(crate) fn read_toml<T: DeserializeOwned>(
    root: &Path,
    path: &Path,
    diags: &mut Diagnostics,
) -> Option<Parsed<T>> {
    let file = read_inside(root, path, diags)?;
    let value = parse_toml(&file, diags)?;
    Some(Parsed { file, value })
}

/// [`read_toml`] for a file whose every mistake is reported in one run: when the decoder
/// stops at one, the rest of the file is decoded around it (`salvage`) and goes on to be
/// validated, so a date in quotes no longer hides an unknown status two lines down.
pub(crate) fn read_toml_whole<T: DeserializeOwned>(
    root: &Path,
    path: &Path,
    diags: &mut Diagnostics,
) -> Option<Parsed<T>> {
    let file = read_inside(root, path, diags)?;
    match toml::from_str::<T>(&file.text) {
        Ok(value) => Some(Parsed { file, value }),
        Err(e) => {
            report_toml_error(&file, &e, diags);
            let value = salvage::decode(&file, &e, diags)?;
            Some(Parsed { file, value })
        }
    }
}

/// [`read_toml_whole`] for a file that may be absent.
fn read_optional<T: DeserializeOwned>(
    root: &Path,
    path: &Path,
    diags: &mut Diagnostics,
) -> Option<Parsed<T>> {
    if present(path) {
        read_toml_whole(root, path, diags)
    } else {
        None
    }
}

/// Parses the frameworks and the metric library shipped in the binary.
pub fn bundled(
    diags: &mut Diagnostics,
) -> (Vec<Parsed<FrameworkFile>>, Option<Parsed<MetricsFile>>) {
    type Bundled = (
        Vec<Parsed<FrameworkFile>>,
        Option<Parsed<MetricsFile>>,
        Diagnostics,
    );
    // Parsed once a process: a national collection would otherwise parse the same banks again
    // for every partnership. Each caller gets its own copy, and any problems in them.
    static PARSED: std::sync::OnceLock<Bundled> = std::sync::OnceLock::new();
    let (frameworks, library, problems) = PARSED.get_or_init(|| {
        let mut problems = Diagnostics::new();
        let frameworks = bundled::FRAMEWORKS
            .iter()
            .filter_map(|(name, text)| {
                let file = Arc::new(SourceFile::new(
                    format!("<bundled>/frameworks/{name}"),
                    text.to_string(),
                ));
                let value = parse_toml(&file, &mut problems)?;
                Some(Parsed { file, value })
            })
            .collect();
        let file = Arc::new(SourceFile::new(
            "<bundled>/metrics/library.toml",
            bundled::METRIC_LIBRARY.to_string(),
        ));
        let library = parse_toml(&file, &mut problems).map(|value| Parsed { file, value });
        (frameworks, library, problems)
    });
    diags.extend(problems.clone());
    (frameworks.clone(), library.clone())
}

/// Loads every file of one partnership folder.
pub fn load_partnership(dir: &Path, diags: &mut Diagnostics) -> RawAudit {
    let display_dir = source::display_path(dir);
    let folder = dir
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| display_dir.clone());
    // Every file read must lie inside this folder, links resolved: a link out of it would
    // publish whatever it points at.
    let root = source::canonical_root(dir);
    let root = root.as_path();
    let (bundled_frameworks, library) = bundled(diags);
    let partnership_path = dir.join("partnership.toml");
    let partnership = if present(&partnership_path) {
        read_toml(root, &partnership_path, diags)
    } else {
        diags.path_error(
            Code::MissingFile,
            source::display_path(&partnership_path),
            "missing: every partnership folder needs a partnership.toml",
        );
        None
    };
    let local_frameworks = load_local_frameworks(root, &dir.join("frameworks"), diags);
    let metrics = read_optional(root, &dir.join("metrics.toml"), diags);
    let csv_path = dir.join("metrics.csv");
    let metrics_csv = if present(&csv_path) {
        read_inside(root, &csv_path, diags).map(|file| Parsed {
            value: metrics_csv::read(&file),
            file,
        })
    } else {
        None
    };
    let actions = read_optional(root, &dir.join("actions.toml"), diags);
    let cycles = load_cycles(root, &dir.join("cycles"), diags);
    let briefings = load_briefings(root, &dir.join("briefings"), diags);
    let deny = load_deny_list(root, &dir.join("publication"), diags);
    let templates = load_templates(root, &dir.join("templates"), diags);
    RawAudit {
        dir: dir.to_path_buf(),
        display_dir,
        folder,
        partnership,
        bundled_frameworks,
        local_frameworks,
        library,
        metrics,
        metrics_csv,
        actions,
        cycles,
        briefings,
        deny,
        templates,
    }
}

/// The partnership's own question banks, `frameworks/*.toml`.
fn load_local_frameworks(
    root: &Path,
    frameworks_dir: &Path,
    diags: &mut Diagnostics,
) -> Vec<Parsed<FrameworkFile>> {
    if !frameworks_dir.is_dir() || outside(root, frameworks_dir, diags) {
        return Vec::new();
    }
    files_with_ext(
        frameworks_dir,
        "toml",
        limits::MAX_FRAMEWORK_FILES,
        "question banks",
        diags,
    )
    .iter()
    .filter_map(|p| read_toml(root, p, diags))
    .collect()
}

/// Every cycle folder in `cycles/`, in order; anything else there is warned about and ignored.
fn load_cycles(root: &Path, cycles_dir: &Path, diags: &mut Diagnostics) -> Vec<RawCycle> {
    if outside(root, cycles_dir, diags) {
        return Vec::new();
    }
    let entries = sorted_entries(cycles_dir);
    if too_many_entries(cycles_dir, &entries, limits::MAX_CYCLES, "cycles", diags) {
        return Vec::new();
    }
    let mut cycles = Vec::new();
    for cdir in entries {
        if outside(root, &cdir, diags) {
            continue;
        }
        if !cdir.is_dir() {
            diags.path_warning(
                Code::IgnoredEntry,
                source::display_path(&cdir),
                "ignored: only cycle folders belong in cycles/",
            );
            continue;
        }
        cycles.push(load_cycle(root, &cdir, diags));
    }
    cycles
}

/// The briefings, `briefings/*.md`.
fn load_briefings(root: &Path, bdir: &Path, diags: &mut Diagnostics) -> Vec<RawBriefing> {
    if !bdir.is_dir() || outside(root, bdir, diags) {
        return Vec::new();
    }
    files_with_ext(bdir, "md", limits::MAX_BRIEFINGS, "briefings", diags)
        .iter()
        .filter_map(|p| load_briefing(root, p, diags))
        .collect()
}

/// The partnership's template overrides, by name: every `.html` file of `templates/` and
/// `templates/static/style.css`. One that leads outside the partnership folder is reported
/// (`PA0110`) and not read.
fn load_templates(
    root: &Path,
    dir: &Path,
    diags: &mut Diagnostics,
) -> Vec<(String, Arc<SourceFile>)> {
    let mut out = Vec::new();
    if !dir.is_dir() || outside(root, dir, diags) {
        return out;
    }
    for p in sorted_entries(dir) {
        let Some(name) = p.file_name().and_then(|n| n.to_str()).map(str::to_string) else {
            continue;
        };
        if name.ends_with(".html") {
            if let Some(f) = read_inside(root, &p, diags) {
                out.push((name, f));
            }
        } else if name == "static" && !outside(root, &p, diags) {
            let css = p.join("style.css");
            if css.is_file()
                && let Some(f) = read_inside(root, &css, diags)
            {
                out.push(("static/style.css".to_string(), f));
            }
        }
    }
    out
}

fn load_cycle(root: &Path, cdir: &Path, diags: &mut Diagnostics) -> RawCycle {
    let id = cdir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let display_dir = source::display_path(cdir);
    let cycle_path = cdir.join("cycle.toml");
    let cycle = if present(&cycle_path) {
        read_toml_whole(root, &cycle_path, diags)
    } else {
        diags.path_error(
            Code::MissingFile,
            source::display_path(&cycle_path),
            "missing: every cycle folder needs a cycle.toml",
        );
        None
    };
    let mut responses = Vec::new();
    let mut unreadable = Vec::new();
    let mut partial = Vec::new();
    let rdir = cdir.join("responses");
    if rdir.is_dir() && !outside(root, &rdir, diags) {
        for p in files_with_ext(&rdir, "toml", limits::MAX_RESPONSES, "returns", diags) {
            let stem = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            match read_response(root, &p, &stem, diags) {
                Some((parsed, true)) => responses.push((stem, parsed)),
                Some((parsed, false)) => {
                    unreadable.push(stem.clone());
                    partial.push((stem, parsed));
                }
                None => unreadable.push(stem),
            }
        }
    }
    let moderation = read_optional(root, &cdir.join("moderation.toml"), diags);
    let findings = read_optional(root, &cdir.join("findings.toml"), diags);
    let changes = read_optional(root, &cdir.join(CHANGES_FILE), diags);
    let surveys = survey::load_surveys(root, cdir, diags);
    let mut cases = Vec::new();
    let kdir = cdir.join("cases");
    if kdir.is_dir() && !outside(root, &kdir, diags) {
        for p in files_with_ext(&kdir, "toml", limits::MAX_RESPONSES, "case records", diags) {
            let stem = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if let Some(parsed) = read_toml_whole(root, &p, diags) {
                cases.push((stem, parsed));
            }
        }
    }
    RawCycle {
        id,
        display_dir,
        cycle,
        responses,
        unreadable,
        partial,
        moderation,
        findings,
        changes,
        surveys,
        cases,
    }
}

/// Reads `publication/deny.txt`. The deny list keeps names out of the public site, so a list
/// that silently fails to load would publish them: anything else in the folder (`Deny.txt`,
/// `deny.txt.txt`, `names.txt`) is an error, as is a deny.txt that cannot be read.
fn load_deny_list(root: &Path, folder: &Path, diags: &mut Diagnostics) -> Option<Arc<SourceFile>> {
    if !present(folder) || outside(root, folder, diags) {
        return None;
    }
    if let Some(problem) = not_a_file(folder).filter(|_| !folder.is_dir()) {
        diags.path_error(Code::Unreadable, source::display_path(folder), problem);
        return None;
    }
    for p in sorted_entries(folder) {
        if p.file_name().is_some_and(|n| n != "deny.txt") {
            diags
                .path_error(Code::IgnoredEntry, source::display_path(&p), "not read: the only file read in publication/ is deny.txt")
                .with_help("put every name the public site must never carry in publication/deny.txt, one a line");
        }
    }
    let path = folder.join("deny.txt");
    if present(&path) {
        read_inside(root, &path, diags)
    } else {
        None
    }
}

/// Splits `+++`-fenced TOML front matter from a Markdown body: (front matter span, body start).
pub fn split_front_matter(text: &str) -> Option<(std::ops::Range<usize>, usize)> {
    let first_end = text.find('\n')?;
    if text[..first_end].trim_end() != "+++" {
        return None;
    }
    let start = first_end + 1;
    let mut pos = start;
    while pos <= text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..end].trim_end() == "+++" {
            let body = (end + 1).min(text.len());
            return Some((start..pos, body));
        }
        if end >= text.len() {
            break;
        }
        pos = end + 1;
    }
    None
}

fn load_briefing(root: &Path, path: &Path, diags: &mut Diagnostics) -> Option<RawBriefing> {
    let file = read_inside(root, path, diags)?;
    let slug = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some((front_span, body_start)) = split_front_matter(&file.text) else {
        diags
            .error(
                Code::NoFrontMatter,
                &file,
                0..0,
                "a briefing starts with TOML front matter between `+++` lines",
            )
            .with_help("begin the file with +++, then title, date, audience and summary, then +++");
        return None;
    };
    // Parse the front matter in place so error spans point into the whole file.
    let front_text = &file.text[front_span.clone()];
    let front = match toml::from_str::<BriefingFrontMatter>(front_text) {
        Ok(f) => Some(shift_front(f, front_span.start)),
        Err(e) => {
            let span = e.span().map_or(front_span.start..front_span.start, |s| {
                s.start + front_span.start..s.end + front_span.start
            });
            diags.error(
                toml_code(e.message()),
                &file,
                span,
                tidy_toml_message(e.message().trim()),
            );
            None
        }
    };
    Some(RawBriefing {
        slug,
        file,
        front,
        body_start,
    })
}

/// Moves spans from front-matter-relative to file-relative offsets.
fn shift_front(f: BriefingFrontMatter, by: usize) -> BriefingFrontMatter {
    fn shift<T>(s: S<T>, by: usize) -> S<T> {
        let span = s.span();
        S::new(span.start + by..span.end + by, s.into_inner())
    }
    BriefingFrontMatter {
        title: shift(f.title, by),
        date: shift(f.date, by),
        audience: shift(f.audience, by),
        summary: shift(f.summary, by),
        cycle: f.cycle.map(|c| shift(c, by)),
        draft: f.draft.map(|d| shift(d, by)),
    }
}

/// What a collection's pages call it: the `name` in its optional `collection.toml` ("North
/// West region"), else "Partnerships in <folder>". A broken file is reported and the fallback
/// used, so every problem is listed in one run.
pub fn collection_name(dir: &Path, diags: &mut Diagnostics) -> String {
    let path = dir.join("collection.toml");
    let root = source::canonical_root(dir);
    let given = read_optional::<CollectionFile>(&root, &path, diags).and_then(|p| {
        let name = p.value.name.get_ref().trim().to_string();
        if name.is_empty() {
            diags
                .error(
                    Code::EmptyText,
                    &p.file,
                    p.value.name.span(),
                    "the collection's `name` is empty",
                )
                .with_help("write the name its pages should carry, e.g. \"North West region\"");
            return None;
        }
        Some(name)
    });
    given.unwrap_or_else(|| {
        let folder = root.file_name().map(|n| n.to_string_lossy().into_owned());
        folder.map_or_else(|| "Partnerships".into(), |n| format!("Partnerships in {n}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_control_characters_are_found_as_char_is_control_finds_them() {
        let by_char = |text: &str| {
            text.char_indices()
                .find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
                .map(|(i, c)| (i, c.len_utf8(), c as u32))
        };
        let mut texts: Vec<String> = ["", "plain\ttext\r\n", "Zoë ½ – “x” \u{a0}\u{ff}€"]
            .iter()
            .map(|t| t.to_string())
            .collect();
        for c in (0u32..0x20).chain(0x7f..=0xa0).filter_map(char::from_u32) {
            texts.push(format!("a é{c}b"));
        }
        // Past and across the blocks the scan passes over whole: U+0085 is written 0xC2 0x85,
        // so at an odd offset it straddles two blocks; Â (0xC3) and é (0xC3 0xA9) are not
        // controls however they fall.
        for pad in 0..70 {
            for c in ['\u{85}', '\u{9f}', '\u{1b}', '\u{7f}', '\u{a0}'] {
                texts.push(format!("{}{c}tail", "x".repeat(pad)));
                texts.push(format!("{}é{c}", "é".repeat(pad)));
            }
        }
        for text in &texts {
            assert_eq!(
                first_raw_control(text.as_bytes()),
                by_char(text),
                "{text:?}"
            );
        }
    }

    /// A partnership folder with a `templates/` folder, and a secret file beside it (outside).
    fn partnership_with_templates() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let secret = tmp.path().join("secret.txt");
        std::fs::write(&secret, "SECRET-CONTENT-7Q").unwrap();
        let root = tmp.path().join("p");
        let templates = root.join("templates");
        std::fs::create_dir_all(&templates).unwrap();
        (tmp, root, templates, secret)
    }

    fn templates_read(root: &Path, dir: &Path) -> (Vec<(String, String)>, String) {
        let mut diags = Diagnostics::new();
        let read = load_templates(root, dir, &mut diags)
            .into_iter()
            .map(|(n, f)| (n, f.text.clone()))
            .collect();
        (read, diags.render())
    }

    #[cfg(unix)]
    #[test]
    fn a_template_linking_outside_the_partnership_folder_is_refused_unread() {
        let (_tmp, root, templates, secret) = partnership_with_templates();
        std::os::unix::fs::symlink(&secret, templates.join("index.html")).unwrap();
        let (read, report) = templates_read(&root, &templates);
        assert!(read.is_empty());
        assert!(report.contains("index.html"), "{report}");
        assert!(
            report.contains("outside the partnership folder"),
            "{report}"
        );
        assert!(!report.contains("SECRET-CONTENT"), "{report}");

        // The stylesheet too, and a templates folder that is itself a link out.
        let (_tmp, root, templates, secret) = partnership_with_templates();
        std::fs::create_dir(templates.join("static")).unwrap();
        std::os::unix::fs::symlink(&secret, templates.join("static/style.css")).unwrap();
        let (read, report) = templates_read(&root, &templates);
        assert!(read.is_empty());
        assert!(
            report.contains("style.css") && !report.contains("SECRET-CONTENT"),
            "{report}"
        );

        let (tmp, root, templates, _) = partnership_with_templates();
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("extra.html"), "SECRET-CONTENT-7Q").unwrap();
        std::fs::remove_dir(&templates).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &templates).unwrap();
        let (read, report) = templates_read(&root, &templates);
        assert!(read.is_empty());
        assert!(
            report.contains("outside the partnership folder"),
            "{report}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_template_link_that_stays_inside_the_partnership_folder_is_read() {
        let (_tmp, root, templates, _) = partnership_with_templates();
        let own = root.join("shared.html");
        std::fs::write(&own, "<p>ours</p>").unwrap();
        std::os::unix::fs::symlink(&own, templates.join("extra.html")).unwrap();
        let (read, report) = templates_read(&root, &templates);
        assert_eq!(
            read,
            vec![("extra.html".to_string(), "<p>ours</p>".to_string())]
        );
        assert!(report.is_empty(), "{report}");
    }

    #[test]
    fn front_matter_is_split_with_crlf_too() {
        let t = "+++\ntitle = \"x\"\n+++\nBody\n";
        let (fm, body) = split_front_matter(t).unwrap();
        assert_eq!(&t[fm], "title = \"x\"\n");
        assert_eq!(&t[body..], "Body\n");
        let t = "+++\r\ntitle = \"x\"\r\n+++\r\nBody";
        let (_, body) = split_front_matter(t).unwrap();
        assert_eq!(&t[body..], "Body");
        assert!(split_front_matter("no front matter\n").is_none());
        assert!(split_front_matter("+++\nunclosed = 1\n").is_none());
    }
}
