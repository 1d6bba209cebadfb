//! `panelaudit check` on the example and on a valid fixture (the broken-input corpus in
//! `tests/corpus/` has its own test target, `tests/corpus.rs`, a test a case).

use crate::common::*;

#[test]
fn the_valid_fixture_passes_and_says_what_was_returned() {
    let out = run_in(&repo(), &["check", "tests/fixtures/valid"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.contains("TSCP (Testvale Safeguarding Children Partnership)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("main 2025-26 (self-assessment): 2 agencies asked: 1 returned, 1 partly answered (3 of 4), 0 empty, 0 not received; 7 of 8 answers given (1 n/a)"),
        "{stdout}"
    );
    // The one deliberately unanswered question is reported, never silently skipped.
    assert!(
        stderr.contains("warning[PA0401]: tests/fixtures/valid/cycles/2025-26/responses/police.toml:1:10: 1 question(s) in scope unanswered: oh-p-01"),
        "{stderr}"
    );
    assert!(stdout.contains("0 error(s), 1 warning(s)"), "{stdout}");
}

#[test]
fn the_worked_example_passes_check() {
    let out = run_in(&repo(), &["check", "audits/example"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stderr}\n{stdout}");
    assert!(
        stdout.contains("NSCP (Northmoor Safeguarding Children Partnership)"),
        "{stdout}"
    );
    assert!(stdout.contains("0 error(s)"), "{stdout}");
}

#[test]
fn absolute_paths_inside_the_working_folder_print_relative() {
    let abs = repo().join("tests/corpus/unknown-sector");
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("p");
    copy_tree(&repo().join("tests/fixtures/valid"), &p);
    std::fs::copy(abs.join("partnership.toml"), p.join("partnership.toml")).unwrap();
    let out = run_in(tmp.path(), &["check", p.to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("error[PA0204]: p/partnership.toml:16:10: unknown sector"),
        "{stderr}"
    );
}

#[test]
fn a_folder_that_is_not_a_partnership_is_refused_clearly() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("notes")).unwrap();
    std::fs::write(tmp.path().join("notes/readme.txt"), "hello").unwrap();
    let out = run_in(tmp.path(), &["check", "notes"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("error: notes: not a partnership folder (it has no partnership.toml)"),
        "{stderr}"
    );
    let out = run_in(tmp.path(), &["check", "missing"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("error: missing: no such folder"));
    let out = run_in(tmp.path(), &["check", "notes/readme.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("not a folder"));
}

#[test]
fn a_huge_file_is_refused_without_reading_it_into_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("p");
    copy_tree(&repo().join("tests/fixtures/valid"), &p);
    let f = std::fs::File::create(p.join("cycles/2025-26/responses/police.toml")).unwrap();
    f.set_len(9 * 1024 * 1024).unwrap();
    let out = run_in(tmp.path(), &["check", "p"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("error[PA0101]: p/cycles/2025-26/responses/police.toml: the file is 9437184 bytes; files over 8388608 bytes are refused"),
        "{stderr}"
    );
}

#[test]
fn a_large_but_legal_return_is_checked_quickly_and_fully() {
    // 20,000 answers to unknown questions: every one reported, nothing skipped, no panic.
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("p");
    copy_tree(&repo().join("tests/fixtures/valid"), &p);
    let mut body = String::from("agency = \"police\"\n");
    for i in 0..20_000 {
        body.push_str(&format!(
            "[answers.x-{i}]\nrating = 1\nconfidence = \"low\"\nevidence = \"e\"\n"
        ));
    }
    std::fs::write(p.join("cycles/2025-26/responses/police.toml"), body).unwrap();
    let out = run_in(tmp.path(), &["check", "p"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("20000 error(s)"), "{stdout}");
}

#[test]
fn a_collection_checks_every_partnership_in_it() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(
        &repo().join("tests/fixtures/valid"),
        &tmp.path().join("region/testvale"),
    );
    copy_tree(
        &repo().join("tests/fixtures/valid"),
        &tmp.path().join("region/otherdale"),
    );
    std::fs::write(
        tmp.path().join("region/otherdale/actions.toml"),
        "[[actions]]\nid = \"A01\"\n",
    )
    .unwrap();
    let out = run_in(tmp.path(), &["check", "region"]);
    assert_eq!(out.status.code(), Some(1));
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(
        stderr.contains("]: region/otherdale/actions.toml:1:1:"),
        "{stderr}"
    );
    assert!(stderr.contains("missing field `title`"), "{stderr}");
    assert!(stdout.contains("region/otherdale: not valid"), "{stdout}");
    assert!(
        stdout.contains("TSCP (Testvale Safeguarding Children Partnership)"),
        "{stdout}"
    );
}

#[test]
fn usage_errors_exit_with_two() {
    let out = run_in(&repo(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run_in(
        &repo(),
        &["rank", "tests/fixtures/valid", "--format", "xml"],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn frameworks_lists_every_bundled_bank_with_counts_in_80_columns() {
    let out = run_in(&repo(), &["frameworks"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    for (id, themes, questions) in [
        ("panel-2023-24", 4, 55),
        ("panel-2022-23", 6, 38),
        ("local-learning", 7, 33),
        ("csa-family-2024", 3, 13),
        ("race-racism-2025", 3, 14),
        ("disabled-residential-2023", 3, 12),
        ("cce-2020", 3, 15),
        ("section-11", 4, 22),
        ("reforms-2026", 4, 16),
        ("arrangements-2023", 4, 16),
        ("cp-england-2022", 4, 16),
        ("ehe-2024", 3, 12),
    ] {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("{id} missing:\n{stdout}"));
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(fields[1], themes.to_string(), "{line}");
        assert_eq!(fields[2], questions.to_string(), "{line}");
    }
    assert!(stdout.contains("Open Government Licence v3.0"));
    let long: Vec<&str> = stdout.lines().filter(|l| l.chars().count() > 80).collect();
    assert!(long.is_empty(), "wider than 80 columns: {long:?}");
}

#[test]
fn frameworks_id_shows_the_scale_and_every_question_under_its_theme() {
    let out = run_in(&repo(), &["frameworks", "panel-2023-24"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("0 No assurance (red)"), "{stdout}");
    assert!(stdout.contains("Theme children-mental-health:"), "{stdout}");
    // Every question id of the bank appears once, at the start of its entry.
    let ids = stdout
        .lines()
        .filter(|l| {
            l.starts_with("  ") && (l.contains(" (strategic) ") || l.contains(" (practitioner) "))
        })
        .count();
    assert_eq!(ids, 55, "{stdout}");

    let out = run_in(&repo(), &["frameworks", "panel-2023"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("did you mean `panel-2023-24`?"));
}

#[test]
fn metrics_lists_the_library_with_direction_and_comparator() {
    let out = run_in(&repo(), &["metrics"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    let block = stdout
        .split("\nre-referrals-12m\n")
        .nth(1)
        .or_else(|| stdout.strip_prefix("re-referrals-12m\n"))
        .expect("re-referrals-12m is listed");
    let block: Vec<&str> = block.lines().take_while(|l| l.starts_with(' ')).collect();
    assert!(block.iter().any(|l| l.contains("[%]")), "{block:?}");
    assert!(
        block.iter().any(|l| l.contains("lower is better")),
        "{block:?}"
    );
    assert!(
        block.iter().any(|l| l.contains("comparator: England")),
        "{block:?}"
    );
    assert!(stdout.contains("missing-episodes\n"), "{stdout}");
    assert!(stdout.contains("context only"), "{stdout}");
}

#[test]
fn a_cycle_can_ask_only_some_agencies_and_the_others_are_not_counted_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("p");
    copy_tree(&repo().join("tests/fixtures/valid"), &p);
    let cycle = p.join("cycles/2025-26/cycle.toml");
    let mut cycle_toml = std::fs::read_to_string(&cycle).unwrap();
    cycle_toml.push_str("[scope]\nagencies = [\"council\"]\n");
    std::fs::write(&cycle, cycle_toml).unwrap();
    std::fs::remove_file(p.join("cycles/2025-26/responses/police.toml")).unwrap();
    let out = run_in(tmp.path(), &["check", "p"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.contains(
            "main 2025-26 (self-assessment): 1 agencies asked: 1 returned, 0 partly answered, 0 empty, 0 not received; 4 of 4 answers given"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("to chase"), "{stdout}");
    assert!(!stderr.contains("no return from `police`"), "{stderr}");
    // Ranking agrees: no question is unanswered, because police were not asked.
    let out = run_in(tmp.path(), &["rank", "p", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let flags: Vec<String> = json["priorities"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| {
            p["flags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap().to_string())
        })
        .collect();
    assert!(!flags.iter().any(|f| f == "unanswered"), "{flags:?}");
}

#[test]
fn a_reader_that_stops_early_ends_the_program_quietly_not_with_a_panic() {
    // `panelaudit rank DIR | head -1`: the pipe closes while the program is still writing.
    for args in [
        &["rank", "audits/example"][..],
        &["check", "audits/example"][..],
        &["frameworks"][..],
    ] {
        let mut child = std::process::Command::new(bin())
            .current_dir(repo())
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = text(&out.stderr);
        assert!(
            !stderr.contains("panicked") && !stderr.contains("failed printing"),
            "{args:?}: {stderr}"
        );
        assert_ne!(out.status.code(), Some(101), "{args:?}");
    }
}

#[test]
fn a_folder_or_broken_link_where_a_file_belongs_is_an_error_never_skipped() {
    // (file to replace, how, the words expected after its path)
    let cases: &[(&str, &str, &str)] = &[
        (
            "cycles/2025-26/moderation.toml",
            "dir",
            "this is a folder, but a file belongs here",
        ),
        (
            "actions.toml",
            "dir",
            "this is a folder, but a file belongs here",
        ),
        ("metrics.csv", "dangling", "this is a link to nothing"),
        (
            "cycles/2025-26/responses/police.toml",
            "dir",
            "this is a folder, but a file belongs here",
        ),
        (
            "briefings/panel-notes.md",
            "loop",
            "this is a link to nothing (or to itself)",
        ),
        (
            "publication/deny.txt",
            "dir",
            "this is a folder, but a file belongs here",
        ),
        (
            "partnership.toml",
            "dir",
            "this is a folder, but a file belongs here",
        ),
    ];
    for (file, how, words) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("p");
        copy_tree(&repo().join("tests/fixtures/valid"), &p);
        let target = p.join(file);
        std::fs::remove_file(&target).unwrap();
        match *how {
            "dir" => std::fs::create_dir(&target).unwrap(),
            "dangling" => std::os::unix::fs::symlink("nowhere.csv", &target).unwrap(),
            _ => std::os::unix::fs::symlink(target.file_name().unwrap(), &target).unwrap(),
        }
        let out = run_in(tmp.path(), &["check", "p"]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{file} as {how}:\n{stderr}");
        assert!(
            stderr.contains(&format!("error[PA0101]: p/{file}: {words}")),
            "{file} as {how}:\n{stderr}"
        );
        // The unreadable return is not also reported as missing.
        assert!(!stderr.contains("no return from `police`"), "{stderr}");
    }
}

#[test]
fn a_misnamed_deny_list_is_an_error_because_its_names_would_be_published() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("p");
    copy_tree(&repo().join("tests/fixtures/valid"), &p);
    std::fs::rename(
        p.join("publication/deny.txt"),
        p.join("publication/Deny.txt"),
    )
    .unwrap();
    let out = run_in(tmp.path(), &["check", "p", "--public"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error[PA0107]: p/publication/Deny.txt: not read: the only file read in publication/ is deny.txt"),
        "{stderr}"
    );
}

#[test]
fn a_mistake_in_partnership_toml_does_not_hide_mistakes_elsewhere() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("p");
    copy_tree(&repo().join("tests/fixtures/valid"), &p);
    let edit = |file: &str, from: &str, to: &str| {
        let path = p.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "partnership.toml",
        "sector = \"police\"",
        "sector = \"constabulary\"",
    );
    edit(
        "cycles/2025-26/responses/council.toml",
        "rating = 3",
        "rating = 4",
    );
    edit("actions.toml", "id = \"A02\"", "id = \"A01\"");
    edit("metrics.csv", "missing-episodes,", "missing-episode,");
    let out = run_in(tmp.path(), &["check", "p"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    for expected in [
        "error[PA0204]: p/partnership.toml:16:10: unknown sector `constabulary`",
        "error[PA0303]: p/cycles/2025-26/responses/council.toml:18:10: rating 4 is not on the scale",
        "error[PA0202]: p/actions.toml:12:6: duplicate action id `A01`",
        "error[PA0203]: p/metrics.csv:2:1: unknown metric `missing-episode`",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in:\n{stderr}"
        );
    }
}

/// A copy of the valid fixture in a scratch folder, as `root/p`.
fn scratch_fixture() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("p");
    copy_tree(&repo().join("tests/fixtures/valid"), &p);
    (tmp, p)
}

#[test]
fn the_summary_says_who_returned_who_did_not_and_how_to_chase_them() {
    let (tmp, p) = scratch_fixture();
    let responses = p.join("cycles/2025-26/responses");
    // An untouched form imported by an older version: a return with no answers at all.
    std::fs::write(
        responses.join("council.toml"),
        "agency = \"council\"\ncompleted_by = \"Head of Service\"\n",
    )
    .unwrap();
    let out = run_in(tmp.path(), &["check", "p"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.contains(
            "2 agencies asked: 0 returned, 1 partly answered (3 of 4), 1 empty, 0 not received"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("to chase for 2025-26: council (empty), police (3 of 4 answered); make their forms with `panelaudit forms p --cycle 2025-26 --out FOLDER`"),
        "{stdout}"
    );
    assert!(
        stderr.contains("warning[PA0406]: p/cycles/2025-26/responses/council.toml:1:10: this return answers none of the 4 question(s) in scope: it counts as empty, not returned"),
        "{stderr}"
    );

    std::fs::remove_file(responses.join("council.toml")).unwrap();
    let out = run_in(tmp.path(), &["check", "p", "--cycle", "2025-26"]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("0 returned, 1 partly answered (3 of 4), 0 empty, 1 not received"),
        "{stdout}"
    );
    assert!(
        stdout.contains("council (not received), police (3 of 4 answered)"),
        "{stdout}"
    );
}

#[test]
fn personal_data_in_a_return_is_a_warning_naming_the_place_without_echoing_it() {
    let (tmp, p) = scratch_fixture();
    let police = p.join("cycles/2025-26/responses/police.toml");
    let text_before = std::fs::read_to_string(&police).unwrap();
    let edited = text_before
        .replace(
            "completed_by = \"Head of Public Protection\"",
            "completed_by = \"Sarah Okafor, Designated Nurse\"",
        )
        .replace(
            "evidence = \"Officers unsure who holds risk.\"",
            "evidence = \"Officers unsure who holds risk.\"\ngaps = \"Child born 14/03/2019, NHS 943 476 5919; ask tscp@testvale.example\"\ninternal = \"Seen with Child Zed.\"",
        );
    assert_ne!(edited, text_before);
    std::fs::write(&police, &edited).unwrap();
    let out = run_in(tmp.path(), &["check", "p"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    // Warnings: the return is still valid, but the QA officer is told where to look.
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let line = |needle: &str| edited.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let gaps = line("gaps =");
    for (kind, col) in [("a date of birth", 20), ("an NHS number", 36)] {
        let want = format!(
            "warning[PA0602]: p/cycles/2025-26/responses/police.toml:{gaps}:{col}: gaps of `mh-p-01` holds what looks like {kind}"
        );
        assert!(stderr.contains(&want), "{want}\n{stderr}");
    }
    assert!(
        stderr.contains(&format!(
            "police.toml:{}:23: internal of `mh-p-01` holds what looks like a name on the deny list",
            line("internal =")
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "police.toml:{}:16: completed_by looks like a person's name",
            line("completed_by")
        )),
        "{stderr}"
    );
    assert!(stderr.contains("it should be a role"), "{stderr}");
    // Never echoed, not even in a source snippet; the partnership's allowed address passes.
    for secret in ["943 476 5919", "14/03/2019", "Okafor", "Child Zed"] {
        assert!(!stderr.contains(secret), "{secret} echoed:\n{stderr}");
        assert!(!stdout.contains(secret), "{secret} echoed:\n{stdout}");
    }
    assert!(!stderr.contains("an email address"), "{stderr}");
    let json = run_in(tmp.path(), &["check", "p", "--format", "json"]);
    let json = text(&json.stdout);
    assert!(json.contains("\"code\":\"PA0602\""), "{json}");
    assert!(!json.contains("5919"), "{json}");
}
