//! Publication safety end to end: personal data planted in published fields fails a public
//! build (and `check --public`) with file and line, never echoing the value, and leaves the
//! previous site as it was; the same data in internal-only fields does not reach the scan.

use crate::common::*;
use std::path::Path;

/// Appends `extra` to a fixture file (or replaces `from` with `to` in it).
fn replace(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// The 1-based line of the first line containing `needle`.
fn line_of(path: &Path, needle: &str) -> usize {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in {}", path.display()))
        + 1
}

fn fixture() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("p");
    copy_tree(&repo().join("tests/fixtures/valid"), &p);
    (tmp, p)
}

/// (file, text to replace, replacement, kind the message must name, value never echoed)
const PLANTS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "cycles/2025-26/moderation.toml",
        "the map is not yet shared on time.",
        "the map is not yet shared on time. Ring the lead on 07700 900123.",
        "a phone number",
        "07700 900123",
    ),
    (
        "briefings/learning-2025-26.md",
        "Partners know how long children wait.",
        "Partners know how long children wait.\nA boy, born 12/03/2019, waited longest.",
        "a date of birth",
        "12/03/2019",
    ),
    (
        "briefings/learning-2025-26.md",
        "## What we found",
        "## What we found\n\nThe review of Child Zed showed this.",
        "a name on the deny list",
        "Child Zed",
    ),
    (
        "actions.toml",
        "Draft offer agreed in principle.",
        "Draft offer agreed in principle; pilot child's NHS number 943 476 5919.",
        "an NHS number",
        "943 476 5919",
    ),
    (
        "actions.toml",
        "title = \"Refresh exploitation mapping\"",
        "title = \"Refresh exploitation mapping with AB 12 34 56 C\"",
        "a National Insurance number",
        "AB 12 34 56 C",
    ),
    (
        "metrics.toml",
        "Exploitation cases reviewed at panel within 10 days",
        "Exploitation cases reviewed at panel within 10 days (ask panel.lead@testvale.example)",
        "an email address",
        "panel.lead@testvale.example",
    ),
    (
        "partnership.toml",
        "area = \"Testvale\"",
        "area = \"Testvale, TV1 2AB\"",
        "a postcode",
        "TV1 2AB",
    ),
];

#[test]
fn every_planted_personal_datum_in_published_text_fails_the_public_build_by_file_and_line() {
    let (tmp, p) = fixture();
    // A previous public site, which a failed build must leave exactly as it was.
    let out = run_in(
        tmp.path(),
        &["build", "p", "--out", "site", "--audience", "public"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let before = std::fs::read(tmp.path().join("site/index.html")).unwrap();

    for (file, from, to, _, _) in PLANTS {
        replace(&p.join(file), from, to);
    }
    for args in [
        &["build", "p", "--out", "site", "--audience", "public"][..],
        &["check", "p", "--public"][..],
    ] {
        let out = run_in(tmp.path(), args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}\n{stderr}");
        for (file, _, to, kind, value) in PLANTS {
            let needle = to.lines().last().unwrap().split(value).next().unwrap();
            let line = line_of(&p.join(file), &format!("{needle}{value}"));
            let at = format!("error[PA0601]: p/{file}:{line}:");
            assert!(
                stderr
                    .lines()
                    .any(|l| l.starts_with(&at) && l.contains(kind)),
                "{args:?}: no `{at} … {kind}` in:\n{stderr}"
            );
            assert!(
                !stderr.contains(value),
                "{args:?} echoed {value:?}:\n{stderr}"
            );
        }
        assert_eq!(
            stderr
                .matches("would be published on the public site")
                .count(),
            PLANTS.len(),
            "{args:?}: each planted datum once, nothing else:\n{stderr}"
        );
    }
    assert_eq!(
        std::fs::read(tmp.path().join("site/index.html")).unwrap(),
        before
    );
}

#[test]
fn personal_data_in_internal_only_fields_never_reaches_the_scan_or_the_public_site() {
    let (tmp, p) = fixture();
    replace(
        &p.join("cycles/2025-26/responses/council.toml"),
        "Figures not yet agreed with health.",
        "Figures not yet agreed with health; call the named nurse on 07700 900456.",
    );
    replace(
        &p.join("cycles/2025-26/moderation.toml"),
        "panel settled on 2",
        "panel settled on 2 (minute taker: minutes@testvale.example)",
    );
    let out = run_in(
        tmp.path(),
        &["build", "p", "--out", "public", "--audience", "public"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = run_in(tmp.path(), &["build", "p", "--out", "internal"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let public = files(&tmp.path().join("public"));
    let internal = files(&tmp.path().join("internal"));
    for marker in ["07700 900456", "minutes@testvale.example", "Child Zed"] {
        assert!(
            !contains(&public, marker),
            "{marker} leaked into the public site"
        );
    }
    // The internal build carries them, so the test above could fail.
    assert!(contains(&internal, "07700 900456"));
    assert!(contains(&internal, "minutes@testvale.example"));
}

#[test]
fn the_partnerships_own_contact_is_let_through_by_the_allow_list() {
    let (tmp, p) = fixture();
    // The public briefing already names tscp@testvale.example, which partnership.toml allows.
    let out = run_in(tmp.path(), &["check", "p", "--public"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    replace(
        &p.join("partnership.toml"),
        "allow = [\"tscp@testvale.example\"]",
        "allow = []",
    );
    let out = run_in(tmp.path(), &["check", "p", "--public"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("an email address"));
}

#[test]
fn the_worked_example_raises_no_false_alarm() {
    let out = run_in(&repo(), &["check", "audits/example", "--public"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.contains("NSCP: publication scan: nothing personal found"),
        "{stdout}"
    );
}

fn contains(site: &std::collections::BTreeMap<String, Vec<u8>>, marker: &str) -> bool {
    site.values()
        .any(|bytes| bytes.windows(marker.len()).any(|w| w == marker.as_bytes()))
}
