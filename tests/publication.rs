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

/// Builds the fixture's public site after `plant` changed it, and checks that the build failed
/// with the kind of data named, the value never echoed, and no site written.
fn refused(plant: impl FnOnce(&Path), kind: &str, value: &str) -> String {
    let (tmp, p) = fixture();
    plant(&p);
    let out = run_in(
        tmp.path(),
        &["build", "p", "--out", "site", "--audience", "public"],
    );
    let stderr = text(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{kind}: the build passed\n{stderr}"
    );
    assert!(stderr.contains(kind), "{kind} not named:\n{stderr}");
    assert!(!stderr.contains(value), "{value:?} echoed:\n{stderr}");
    assert!(
        !tmp.path().join("site").exists(),
        "{kind}: a site was written"
    );
    let check = run_in(tmp.path(), &["check", "p", "--public"]);
    assert_eq!(check.status.code(), Some(1), "check --public missed {kind}");
    stderr
}

#[test]
fn link_destinations_and_titles_are_read_after_their_entities_are_decoded() {
    let plant = |p: &Path| {
        replace(
            &p.join("briefings/learning-2025-26.md"),
            "## What we found",
            "## What we found\n\nPlease [write to us](mailto:ruth.ames&#64;fenbury.example \"or ring 07700&#32;900&#32;517\").",
        );
    };
    let stderr = refused(plant, "an email address", "ruth.ames");
    assert!(
        stderr.contains("p/briefings/learning-2025-26.md:"),
        "{stderr}"
    );
    refused(plant, "a phone number", "900 517");
}

#[test]
fn identifiers_file_names_and_periods_are_scanned_too() {
    // An action id that is a National Insurance number reaches ids and anchors of pages.
    let stderr = refused(
        |p| {
            replace(
                &p.join("actions.toml"),
                "id = \"A01\"",
                "id = \"JT654321B\"",
            )
        },
        "a National Insurance number",
        "654321",
    );
    assert!(
        stderr.contains("p/actions.toml:2:"),
        "placed in its file:\n{stderr}"
    );
    // A briefing named after an NHS number becomes a folder of the site.
    let stderr = refused(
        |p| {
            std::fs::rename(
                p.join("briefings/learning-2025-26.md"),
                p.join("briefings/612-345-6784.md"),
            )
            .unwrap();
        },
        "an NHS number",
        "345-6784",
    );
    assert!(stderr.contains("file's name"), "{stderr}");
    // A metric period carrying a postcode never gets as far as a page: periods have one form.
    let (tmp, p) = fixture();
    let csv = p.join("metrics.csv");
    let mut rows = std::fs::read_to_string(&csv).unwrap();
    rows.push_str("missing-episodes,2025 LS6 3QN,150\n");
    std::fs::write(csv, rows).unwrap();
    let out = run_in(
        tmp.path(),
        &["build", "p", "--out", "site", "--audience", "public"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("error[PA0305]: p/metrics.csv:3:"),
        "{}",
        text(&out.stderr)
    );
    assert!(!tmp.path().join("site").exists());
}

#[test]
fn invisible_separators_full_width_digits_and_mixed_separators_cannot_hide_a_number() {
    for hidden in [
        "700\u{2063}100\u{2063}2003",
        "７００ １００ ２００３",
        "700 100-2003",
        "700.100/2003",
        "&#55;00 100 2003",
    ] {
        refused(
            |p| {
                replace(
                    &p.join("briefings/learning-2025-26.md"),
                    "## What we found",
                    &format!("## What we found\n\nThe pilot child's number is {hidden}."),
                );
            },
            "an NHS number",
            hidden,
        );
    }
}

#[test]
fn scale_labels_of_an_older_cycles_bank_are_scanned() {
    let stderr = refused(
        |p| {
            let mini = std::fs::read_to_string(p.join("frameworks/mini.toml")).unwrap();
            let old = mini
                .replacen("id = \"mini\"", "id = \"mini-old\"", 1)
                .replacen(
                    "label = \"Limited assurance\"",
                    "label = \"Limited assurance (ask 0113 496 0017)\"",
                    1,
                );
            std::fs::write(p.join("frameworks/old.toml"), old).unwrap();
            replace(
                &p.join("cycles/2024-25/cycle.toml"),
                "framework = \"mini\"",
                "framework = \"mini-old\"",
            );
            replace(
                &p.join("partnership.toml"),
                "frameworks = [\"mini\"]",
                "frameworks = [\"mini\", \"mini-old\"]",
            );
            // Two agencies are too few to publish their rating: the panel's rating is published.
            std::fs::write(
                p.join("cycles/2024-25/moderation.toml"),
                "moderated_on = 2024-12-06\n\n[questions.oh-s-01]\nrating = 1\n",
            )
            .unwrap();
        },
        "a phone number",
        "496 0017",
    );
    assert!(
        stderr.contains("p/frameworks/old.toml:"),
        "placed in the bank:\n{stderr}"
    );
}

#[test]
fn a_cycle_fewer_agencies_than_the_minimum_took_part_in_publishes_none_of_their_figures() {
    let (tmp, p) = fixture();
    let out = run_in(
        tmp.path(),
        &["build", "p", "--out", "site", "--audience", "public"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // The fixture has two agencies: not how many rated, not how, not who returned.
    let site = files(&tmp.path().join("site"));
    let questions: Vec<&String> = site
        .keys()
        .filter(|k| k.starts_with("questions/"))
        .collect();
    assert!(!questions.is_empty());
    for q in questions {
        let page = String::from_utf8_lossy(&site[q]);
        for leak in [
            "All ratings were",
            "Agencies' ratings at each level",
            "gave a rating",
            "How the agencies answered",
        ] {
            assert!(!page.contains(leak), "{q} shows {leak:?}");
        }
    }
    let cycle = String::from_utf8_lossy(&site["cycles/2025-26/index.html"]);
    assert!(!cycle.contains("Returns by agency"), "{cycle}");
    assert!(cycle.contains("nothing about a single agency"), "{cycle}");
    // A partnership may raise the minimum, never lower it below the floor.
    replace(
        &p.join("partnership.toml"),
        "[publication]",
        "[publication]\nmin_agencies = 1",
    );
    let out = run_in(tmp.path(), &["check", "p"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("min_agencies must be a whole number from 3 to 100"),
        "{}",
        text(&out.stderr)
    );
}

mod planted {
    //! Personal data, written in every disguise, planted in every place that reaches the public
    //! site: the public build must refuse every one, name its kind at its own place, and write
    //! nothing. Every datum × disguise × place (7 × 6 × 8 = 336 plantings), a build per place.

    use super::*;

    /// (kind as messages name it, the datum as a person would write it)
    const DATA: &[(&str, &str)] = &[
        ("an NHS number", "401 023 2137"),
        ("an NHS number", "485 777 3457"),
        ("a National Insurance number", "JG 10 37 59 A"),
        ("an email address", "ruth.ames@fenbury.example"),
        ("a phone number", "07700 900 517"),
        ("a phone number", "0113 496 0017"),
        ("a postcode", "LS6 3QN"),
    ];
    const DISGUISES: usize = 6;
    const PLACES: usize = 8;

    /// Ways people (or tools) hide a datum from a naive search.
    fn disguise(datum: &str, how: usize) -> String {
        match how {
            0 => datum.to_string(),
            // Full-width letters and digits.
            1 => datum
                .chars()
                .map(|c| match c {
                    '0'..='9' | 'A'..='Z' | 'a'..='z' => {
                        char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap()
                    }
                    c => c,
                })
                .collect(),
            // An invisible separator after every character.
            2 => datum.chars().flat_map(|c| [c, '\u{2063}']).collect(),
            // The first character as an HTML entity.
            3 => {
                let mut cs = datum.chars();
                let first = cs.next().unwrap();
                format!("&#{};{}", first as u32, cs.as_str())
            }
            // Spaces made no-break, and `@` spelt as an entity.
            4 => datum.replace(' ', "\u{a0}").replace('@', "&commat;"),
            // Spaces made zero-width spaces.
            _ => datum.replace(' ', "\u{200b}"),
        }
    }

    /// Plants each of `texts` in place `at` of the fixture at `p` (in a Markdown body, one
    /// paragraph or link each; in a one-line field, one after another); returns the file.
    fn plant(p: &Path, at: usize, texts: &[String]) -> &'static str {
        let inline = texts.join(", then ");
        let (file, from, to) = match at {
            0 => (
                "briefings/learning-2025-26.md",
                "## What we found",
                texts
                    .iter()
                    .fold("## What we found\n".to_string(), |acc, t| {
                        acc + &format!("\nWe spoke to {t} about it.\n")
                    }),
            ),
            1 => (
                "briefings/learning-2025-26.md",
                "## What we found",
                texts
                    .iter()
                    .fold("## What we found\n".to_string(), |acc, t| {
                        acc + &format!(
                            "\n[Contact](https://example.org/?who={} \"{t}\")\n",
                            t.replace(' ', "%20")
                        )
                    }),
            ),
            2 => (
                "briefings/learning-2025-26.md",
                "summary = \"What the self-audit found.\"",
                format!("summary = \"What the self-audit found ({inline}).\""),
            ),
            3 => (
                "actions.toml",
                "progress = \"Draft offer agreed in principle.\"",
                format!("progress = \"Draft offer agreed in principle with {inline}.\""),
            ),
            4 => (
                "actions.toml",
                "title = \"Refresh exploitation mapping\"",
                format!("title = \"Refresh exploitation mapping ({inline})\""),
            ),
            5 => (
                "cycles/2025-26/moderation.toml",
                "the map is not yet shared on time.",
                format!("the map is not yet shared on time ({inline})."),
            ),
            6 => (
                "frameworks/mini.toml",
                "title = \"Children's mental health\"",
                format!("title = \"Children's mental health ({inline})\""),
            ),
            _ => (
                "metrics.toml",
                "Exploitation cases reviewed at panel within 10 days",
                format!("Exploitation cases reviewed at panel within 10 days {inline}"),
            ),
        };
        replace(&p.join(file), from, &to);
        file
    }

    #[test]
    fn every_disguise_of_every_datum_in_every_public_place_is_refused_at_its_place() {
        let planted: Vec<(&str, &str, String)> = DATA
            .iter()
            .flat_map(|&(kind, value)| {
                (0..DISGUISES).map(move |how| (kind, value, disguise(value, how)))
            })
            .collect();
        let texts: Vec<String> = planted.iter().map(|(_, _, t)| t.clone()).collect();
        let mut failures = Vec::new();
        for at in 0..PLACES {
            let (tmp, p) = fixture();
            let file = plant(&p, at, &texts);
            let out = run_in(
                tmp.path(),
                &["build", "p", "--out", "site", "--audience", "public"],
            );
            let stderr = text(&out.stderr);
            if out.status.code() != Some(1) || tmp.path().join("site").exists() {
                failures.push(format!("place {at}: published ({:?})", out.status.code()));
                continue;
            }
            // The problems at this place, in the order they stand in the file: one a planting.
            let here = format!("p/{file}:");
            let named: Vec<&str> = stderr
                .lines()
                .filter(|l| l.starts_with("error[PA0601]: ") && l.contains(&here))
                .filter_map(|l| {
                    DATA.iter()
                        .map(|(k, _)| *k)
                        .find(|k| l.contains(&format!(": {k} (")))
                })
                .collect();
            // A link carries its planting twice, in its address and in its title.
            let each = if at == 1 { 2 } else { 1 };
            let expected: Vec<&str> = planted
                .iter()
                .flat_map(|(k, _, _)| std::iter::repeat_n(*k, each))
                .collect();
            if named != expected {
                failures.push(format!(
                    "place {at} ({file}): named {named:?}, planted {expected:?}\n{stderr}"
                ));
            }
            for (_, value, _) in &planted {
                if stderr.contains(value) {
                    failures.push(format!("place {at}: {value} echoed"));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    }
}
