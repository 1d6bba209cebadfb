//! Helpers shared by the integration tests: copying fixtures and running the real binary.

pub mod programme;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_panelaudit"))
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a folder tree byte for byte.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// "Today" for every run of the binary in the tests (28 November 2025, the day the example's
/// main cycle closed), so that "overdue" and "as at" never depend on when the tests run.
pub const TODAY_EPOCH: &str = "1764288000";

/// Runs the binary with `args` in `cwd`, with "today" fixed by `SOURCE_DATE_EPOCH`.
pub fn run_in(cwd: &Path, args: &[&str]) -> Output {
    std::process::Command::new(bin())
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("the binary runs")
}

/// As `run_in`, on another day (seconds since 1970, as `SOURCE_DATE_EPOCH` takes them).
pub fn run_on(epoch: &str, cwd: &Path, args: &[&str]) -> Output {
    std::process::Command::new(bin())
        .env("SOURCE_DATE_EPOCH", epoch)
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("the binary runs")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn stdout(o: &Output) -> String {
    text(&o.stdout)
}

pub fn stderr(o: &Output) -> String {
    text(&o.stderr)
}

pub fn assert_ok(o: &Output) {
    assert_eq!(
        o.status.code(),
        Some(0),
        "expected success\nstdout:\n{}\nstderr:\n{}",
        stdout(o),
        stderr(o)
    );
}

/// Every file below `root`, by path relative to it ('/'-separated), with its bytes.
pub fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// Rewrites the workbook at `path` with `marker` in its shared strings replaced by `with`: a
/// crafted file can hold far longer text in a cell than Excel lets anyone type.
pub fn replace_shared_string(path: &Path, marker: &str, with: &str) {
    use std::io::{Read as _, Write as _};
    let bytes = std::fs::read(path).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        if name == "xl/sharedStrings.xml" {
            let text = String::from_utf8(content).unwrap();
            assert!(text.contains(marker), "{text}");
            content = text.replace(marker, with).into_bytes();
        }
        out.start_file(name, options).unwrap();
        out.write_all(&content).unwrap();
    }
    std::fs::write(path, out.finish().unwrap().into_inner()).unwrap();
}

/// A test that needs a tool the machine lacks: on a developer's machine it says so and is
/// skipped; in CI (`CI` set, as `.ci/run` runs there) it fails, since `scripts/test.sh`
/// installs the tool and a skip there would hide a test that never ran.
pub fn skip_unless_ci(why: &str) {
    let in_ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
    assert!(
        !in_ci,
        "{why}: CI must run this test (scripts/test.sh installs what it needs)"
    );
    println!("skipped: {why}");
}
