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

/// Runs `check` and `build` on `p` (in `cwd`), asserting both refuse with exit 1, a `PA0307`
/// message containing `says`, a short output (one message, not one per item), no site, no
/// panic, and that each took under `seconds`.
fn assert_refused(cwd: &Path, says: &str, seconds: u64) {
    for args in [
        &["check", "p"][..],
        &["check", "p", "--format", "json"][..],
        &["build", "p", "--out", "site"][..],
    ] {
        let started = std::time::Instant::now();
        let out = run_in(cwd, args);
        let took = started.elapsed();
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert_eq!(out.status.code(), Some(1), "{args:?}: {all}");
        assert!(all.contains("PA0307"), "{args:?}: {all}");
        assert!(all.contains(says), "{args:?} lacks {says:?}: {all}");
        assert!(!all.contains("panicked"), "{args:?}: {all}");
        assert!(all.len() < 4_000, "{args:?} printed {} bytes", all.len());
        assert!(
            took < std::time::Duration::from_secs(seconds),
            "{args:?} took {took:?}"
        );
        assert!(!cwd.join("site").exists(), "{args:?} wrote a site");
    }
}

/// partnership.toml of the valid fixture with `n` agencies instead of its own.
fn with_agencies(p: &Path, n: usize) {
    let path = p.join("partnership.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let (head, rest) = text.split_once("[[agencies]]").unwrap();
    let tail = &rest[rest.find("[priority]").unwrap()..];
    let mut agencies = String::from("agencies = [\n");
    for i in 0..n {
        agencies.push_str(&format!(
            "  {{ id = \"agency-{i}\", name = \"Agency {i}\", sector = \"voluntary\" }},\n"
        ));
    }
    agencies.push_str("]\n");
    std::fs::write(&path, format!("{head}{agencies}{tail}")).unwrap();
}

#[test]
fn a_hundred_thousand_agencies_are_refused_quickly_in_one_message() {
    let (tmp, p) = fixture();
    with_agencies(&p, 100_000);
    let size = std::fs::metadata(p.join("partnership.toml")).unwrap().len();
    assert!(
        size < 8 * 1024 * 1024,
        "the file stays under the size limit"
    );
    assert_refused(tmp.path(), "100000 agencies; at most 500 are accepted", 20);
}

#[test]
fn five_hundred_agencies_are_still_a_partnership() {
    let (tmp, p) = fixture();
    with_agencies(&p, 500);
    // The fixture's returns name `council` and `police`: keep them among the 500.
    let path = p.join("partnership.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("\"agency-0\"", "\"council\"")
        .replace("\"agency-1\"", "\"police\"");
    std::fs::write(&path, text).unwrap();
    let out = run_in(tmp.path(), &["check", "p"]);
    assert!(!stderr(&out).contains("PA0307"), "{}", stderr(&out));
}

#[test]
fn too_many_actions_briefings_or_metric_values_are_refused() {
    // 10,001 actions.
    let (tmp, p) = fixture();
    let mut actions = String::new();
    for i in 0..10_001 {
        actions.push_str(&format!(
            "[[actions]]\nid = \"X{i}\"\ntitle = \"t\"\nowner = \"o\"\ndue = 2026-01-01\nstatus = \"not-started\"\n\n"
        ));
    }
    std::fs::write(p.join("actions.toml"), actions).unwrap();
    assert_refused(tmp.path(), "10001 actions; at most 10000", 20);

    // 5,001 briefing files: refused as a folder, none read (so not 5,001 messages).
    let (tmp, p) = fixture();
    for i in 0..5_001 {
        std::fs::write(p.join(format!("briefings/b-{i}.md")), "no front matter").unwrap();
    }
    assert_refused(tmp.path(), "at most 5000 briefings are read", 20);

    // 1,001 values of one metric.
    let (tmp, p) = fixture();
    let values: Vec<String> = (0..1_001)
        .map(|i| format!("\"{}-{:02}\" = 1", 1000 + i, (i + 1) % 100))
        .collect();
    std::fs::write(
        p.join("metrics.toml"),
        format!(
            "[[metrics]]\nid = \"many\"\ntitle = \"Many\"\nunit = \"count\"\nbetter = \"neither\"\nvalues = {{ {} }}\n",
            values.join(", ")
        ),
    )
    .unwrap();
    std::fs::remove_file(p.join("metrics.csv")).unwrap();
    assert_refused(tmp.path(), "1001 values for one metric; at most 1000", 20);
}

#[test]
fn a_briefing_of_nested_list_markers_is_refused_at_its_line_not_parsed() {
    // An 8 MiB file of this aborted the build on allocation failure; 1 MiB shows the same
    // refusal, and the time limit shows nothing parsed it.
    let (tmp, p) = fixture();
    let front = "+++\ntitle = \"Deep\"\ndate = 2025-12-01\naudience = \"public\"\nsummary = \"Deep.\"\n+++\nIntro.\n\n";
    for (name, line) in [
        ("lists.md", "- ".repeat(512 * 1024) + "x"),
        ("quotes.md", "> ".repeat(512 * 1024) + "x"),
    ] {
        std::fs::write(p.join("briefings").join(name), format!("{front}{line}\n")).unwrap();
    }
    assert_refused(
        tmp.path(),
        "this line opens 524288 lists and block quotes",
        20,
    );
    let out = run_in(tmp.path(), &["check", "p"]);
    for name in ["lists.md", "quotes.md"] {
        let at = format!("error[PA0307]: p/briefings/{name}:9:1: this line opens 524288");
        assert!(stderr(&out).contains(&at), "{}", stderr(&out));
    }
}

#[test]
fn markup_past_the_mark_limit_is_refused_at_its_line_in_a_briefing_and_a_return() {
    // Within the nesting limit but heavy with markup: these took a build past a gigabyte.
    let (tmp, p) = fixture();
    let front = "+++\ntitle = \"Marks\"\ndate = 2025-12-01\naudience = \"public\"\nsummary = \"Marks.\"\n+++\nIntro.\n\n";
    for (name, body) in [
        ("emphasis.md", "*a".repeat(1_100_000)),
        ("brackets.md", "[".repeat(1_100_000)),
        ("nested.md", ("- ".repeat(32) + "x\n").repeat(40_000)),
    ] {
        std::fs::write(p.join("briefings").join(name), format!("{front}{body}\n")).unwrap();
    }
    assert_refused(tmp.path(), "Markdown marks", 20);
    let out = run_in(tmp.path(), &["check", "p"]);
    for at in [
        "error[PA0307]: p/briefings/emphasis.md:9:1: by this line the text has over 1000000 Markdown marks",
        "error[PA0307]: p/briefings/brackets.md:9:1:",
        "error[PA0307]: p/briefings/nested.md:",
    ] {
        assert!(stderr(&out).contains(at), "{at}\n{}", stderr(&out));
    }

    // The same in a return's internal note, which only the internal site shows.
    let (tmp, p) = fixture();
    let path = p.join("cycles/2025-26/responses/police.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        format!(
            "{text}\n[answers.extra-note]\nrating = 1\ninternal = \"{}\"\n",
            "<".repeat(1_100_000)
        ),
    )
    .unwrap();
    assert_refused(tmp.path(), "in the internal note, line 1: by this line", 20);
}

#[test]
fn a_deny_list_past_its_limit_is_refused_quickly_at_its_first_term_too_many() {
    let (tmp, p) = fixture();
    std::fs::create_dir_all(p.join("publication")).unwrap();
    let names: String = (0..240_000)
        .map(|i| format!("Given{i} Family{i}\n"))
        .collect();
    std::fs::write(p.join("publication/deny.txt"), names).unwrap();
    assert_refused(
        tmp.path(),
        "240000 terms in the deny list; at most 20000 are accepted",
        20,
    );
    let out = run_in(tmp.path(), &["check", "p"]);
    assert!(
        stderr(&out).contains("p/publication/deny.txt:20001:1:"),
        "{}",
        stderr(&out)
    );
}
