//! Issue #11's limits on input: nothing is read from outside the partnership folder (a
//! symbolic link out of it is an error that never shows what it points at), and inputs far
//! beyond any real partnership (Markdown nested thousands deep, 100,000 agencies) are refused
//! with a message, quickly, instead of aborting or exhausting memory.

use crate::common::*;
use std::path::{Path, PathBuf};

const VALID: &str = "tests/fixtures/valid";

/// Text put in every file a link points at outside the partnership folder: it must never
/// reach the terminal or a page.
const OUTSIDE_MARKER: &str = "OUTSIDE-CONTENT-4417";

/// A copy of the valid fixture as `p` in a fresh temporary folder.
fn fixture() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("p");
    copy_tree(&repo().join(VALID), &p);
    (tmp, p)
}

/// Appends the marker to every file below `path` (or to `path`), in a form its format keeps.
#[cfg(unix)]
fn mark(path: &Path) {
    if path.is_dir() {
        for e in std::fs::read_dir(path).unwrap() {
            mark(&e.unwrap().path());
        }
        return;
    }
    let comment = match path.extension().and_then(|e| e.to_str()) {
        Some("toml") | Some("txt") => format!("\n# {OUTSIDE_MARKER}\n"),
        Some("csv") => String::new(),
        _ => format!("\n{OUTSIDE_MARKER}\n"),
    };
    let mut text = std::fs::read_to_string(path).unwrap();
    text.push_str(&comment);
    std::fs::write(path, text).unwrap();
}

/// Moves `p/rel` out of the partnership folder and leaves a symbolic link to it in its place
/// (absolute, or relative like `../../outside/x`).
#[cfg(unix)]
fn link_out(tmp: &Path, p: &Path, rel: &str, relative: bool) {
    let outside = tmp.join("outside").join(rel.replace('/', "_"));
    std::fs::create_dir_all(outside.parent().unwrap()).unwrap();
    std::fs::rename(p.join(rel), &outside).unwrap();
    mark(&outside);
    let target = if relative {
        let depth = rel.matches('/').count() + 1;
        let up = "../".repeat(depth);
        PathBuf::from(format!("{up}outside/{}", rel.replace('/', "_")))
    } else {
        outside
    };
    std::os::unix::fs::symlink(&target, p.join(rel)).unwrap();
    assert!(p.join(rel).exists(), "{rel}: the link resolves");
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_partnership_folder_is_refused_by_name_and_never_read() {
    let places = [
        "partnership.toml",
        "frameworks",
        "frameworks/mini.toml",
        "metrics.toml",
        "metrics.csv",
        "actions.toml",
        "cycles",
        "cycles/2025-26",
        "cycles/2025-26/cycle.toml",
        "cycles/2025-26/responses",
        "cycles/2025-26/responses/police.toml",
        "cycles/2025-26/moderation.toml",
        "briefings",
        "briefings/panel-notes.md",
        "publication",
        "publication/deny.txt",
        "templates",
        "templates/index.html",
        "templates/static",
        "templates/static/style.css",
    ];
    let mut failures = Vec::new();
    for (i, rel) in places.iter().enumerate() {
        let (tmp, p) = fixture();
        if rel.starts_with("templates") {
            std::fs::create_dir_all(p.join("templates/static")).unwrap();
            std::fs::write(
                p.join("templates/index.html"),
                "{% extends \"base.html\" %}",
            )
            .unwrap();
            std::fs::write(p.join("templates/static/style.css"), "body{}").unwrap();
        }
        link_out(tmp.path(), &p, rel, i % 2 == 1);
        let check = run_in(tmp.path(), &["check", "p"]);
        let json = run_in(tmp.path(), &["check", "p", "--format", "json"]);
        let build = run_in(tmp.path(), &["build", "p", "--out", "site"]);
        let said = format!(
            "{}{}{}{}{}",
            stdout(&check),
            stderr(&check),
            stdout(&json),
            stdout(&build),
            stderr(&build)
        );
        let expected = format!("error[PA0110]: p/{rel}: ");
        let mut problems = Vec::new();
        if check.status.code() != Some(1) || build.status.code() != Some(1) {
            problems.push(format!(
                "exit {:?} (check), {:?} (build)",
                check.status.code(),
                build.status.code()
            ));
        }
        if !stderr(&check).contains(&expected) {
            problems.push(format!("check lacks {expected:?}"));
        }
        if !stdout(&json).contains(&format!("\"file\":\"p/{rel}\"")) {
            problems.push("the JSON lacks the link's path".to_string());
        }
        if said.contains(OUTSIDE_MARKER) {
            problems.push("the output shows what the link points at".to_string());
        }
        if said.contains("panicked") {
            problems.push("panicked".to_string());
        }
        if tmp.path().join("site").exists() {
            problems.push("a site was written".to_string());
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{rel}: {}\n{}",
                problems.join("; "),
                stderr(&check)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[cfg(unix)]
#[test]
fn a_link_that_stays_inside_the_partnership_folder_is_read() {
    let (tmp, p) = fixture();
    std::fs::create_dir(p.join("drafts")).unwrap();
    std::fs::rename(
        p.join("briefings/panel-notes.md"),
        p.join("drafts/panel-notes.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        "../drafts/panel-notes.md",
        p.join("briefings/panel-notes.md"),
    )
    .unwrap();
    std::fs::rename(p.join("cycles/2024-25"), p.join("drafts/2024-25")).unwrap();
    std::os::unix::fs::symlink(p.join("drafts/2024-25"), p.join("cycles/2024-25")).unwrap();
    let check = run_in(tmp.path(), &["check", "p"]);
    assert_ok(&check);
    assert!(!stderr(&check).contains("PA0110"), "{}", stderr(&check));
    let build = run_in(tmp.path(), &["build", "p", "--out", "site"]);
    assert_ok(&build);
    let page = std::fs::read_to_string(tmp.path().join("site/briefings/panel-notes/index.html"))
        .expect("the linked briefing has its page");
    assert!(page.contains("Moderation panel notes"), "{page}");
}
