//! What `check` prints never echoes personal data (CI logs are often public): a value the
//! publication scan would flag is masked in messages, help, file names and source lines, in
//! text and in JSON.

use crate::common::*;
use std::path::{Path, PathBuf};

fn example(tmp: &Path) -> PathBuf {
    let p = tmp.join("p");
    copy_tree(&repo().join("audits/example"), &p);
    p
}

/// `check` in text and in JSON: (exit code, everything printed).
fn check_both(tmp: &Path) -> Vec<(Option<i32>, String)> {
    [vec!["check", "p"], vec!["check", "p", "--format", "json"]]
        .into_iter()
        .map(|args| {
            let o = run_in(tmp, &args);
            (o.status.code(), format!("{}{}", stdout(&o), stderr(&o)))
        })
        .collect()
}

#[test]
fn a_survey_item_naming_the_email_column_never_prints_an_address() {
    let tmp = tempfile::tempdir().unwrap();
    let p = example(tmp.path());
    let survey = p.join("cycles/2026-q2/surveys/parental-mental-health-2026.toml");
    let s = std::fs::read_to_string(&survey).unwrap();
    let first = s.find("column = \"").unwrap();
    let end = first + s[first..].find('\n').unwrap();
    std::fs::write(
        &survey,
        format!("{}column = \"Email\"{}", &s[..first], &s[end..]),
    )
    .unwrap();
    let export = p.join("cycles/2026-q2/surveys/parental-mental-health-2026.csv");
    assert!(
        std::fs::read_to_string(export)
            .unwrap()
            .contains("respondent-01@northmoor-survey.example"),
        "the addresses are in the export: the test is not vacuous"
    );
    for (code, said) in check_both(tmp.path()) {
        assert_eq!(code, Some(1), "{said}");
        assert!(said.contains("PA0503"), "each address is reported: {said}");
        assert!(said.contains('•'), "masked: {said}");
        assert!(!said.contains("northmoor-survey.example"), "{said}");
        assert!(!said.contains("respondent-0"), "{said}");
    }
}

#[test]
fn a_metric_period_holding_an_nhs_number_is_never_echoed() {
    let tmp = tempfile::tempdir().unwrap();
    let p = example(tmp.path());
    let metrics = p.join("metrics.toml");
    let s = std::fs::read_to_string(&metrics).unwrap();
    std::fs::write(
        &metrics,
        s.replacen("\"2022-23\" = 23.8", "\"943 476 5919\" = 23.8", 1),
    )
    .unwrap();
    for (code, said) in check_both(tmp.path()) {
        assert_eq!(code, Some(1), "{said}");
        assert!(said.contains("PA0305"), "the period is reported: {said}");
        assert!(said.contains("metrics.toml"), "{said}");
        assert!(
            !said.contains("5919"),
            "neither message nor source line echoes it: {said}"
        );
    }
}

#[test]
fn a_name_on_the_deny_list_is_masked_in_file_names_and_messages() {
    let tmp = tempfile::tempdir().unwrap();
    let p = example(tmp.path());
    // A briefing named after a child on the deny list, with a mistake in it to report.
    let from = p.join("briefings/learning-from-2025-03-tabletop.md");
    let md = std::fs::read_to_string(&from).unwrap();
    std::fs::remove_file(&from).unwrap();
    std::fs::write(
        p.join("briefings/kestrel-amberley.md"),
        md.replacen("audience = \"public\"", "audience = \"Juniper Hale\"", 1),
    )
    .unwrap();
    for (code, said) in check_both(tmp.path()) {
        assert_eq!(code, Some(1), "{said}");
        assert!(said.contains("PA0204"), "the audience is reported: {said}");
        assert!(
            said.contains("briefings/ke"),
            "the file is still named: {said}"
        );
        let lower = said.to_lowercase();
        assert!(!lower.contains("amberley"), "{said}");
        assert!(!lower.contains("juniper"), "{said}");
    }
}

#[test]
fn a_name_after_a_title_or_rank_in_completed_by_is_flagged_and_never_printed() {
    let tmp = tempfile::tempdir().unwrap();
    let p = example(tmp.path());
    let returns = p.join("cycles/2025-26/responses");
    for (agency, by) in [
        ("police", "DS Joanne Pritchard"),
        ("council", "detective sergeant pritchard"),
        ("icb", "Head of Safeguarding for Mrs Amberley"),
    ] {
        let path = returns.join(format!("{agency}.toml"));
        let s = std::fs::read_to_string(&path).unwrap();
        let start = s.find("completed_by = \"").unwrap();
        let end = start + s[start..].find('\n').unwrap();
        let text = format!("{}completed_by = \"{by}\"{}", &s[..start], &s[end..]);
        std::fs::write(&path, text).unwrap();
    }
    for (code, said) in check_both(tmp.path()) {
        assert_eq!(code, Some(0), "warnings, not errors: {said}");
        for agency in ["police", "council", "icb"] {
            let place = format!("responses/{agency}.toml");
            assert!(
                said.lines().any(|l| l.contains("PA0602")
                    && l.contains(&place)
                    && l.contains("completed_by")),
                "{agency}: {said}"
            );
        }
        let lower = said.to_lowercase();
        for name in ["pritchard", "amberley", "joanne"] {
            assert!(!lower.contains(name), "{name}: {said}");
        }
    }
}

#[test]
fn a_two_word_denied_name_in_a_briefing_s_file_name_is_caught_by_the_public_scan() {
    let tmp = tempfile::tempdir().unwrap();
    let p = example(tmp.path());
    let from = p.join("briefings/learning-from-2025-03-tabletop.md");
    std::fs::rename(&from, p.join("briefings/kestrel-amberley.md")).unwrap();
    let o = run_in(tmp.path(), &["check", "p", "--public"]);
    let said = format!("{}{}", stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(said.contains("PA0601"), "{said}");
    assert!(said.contains("a name on the deny list"), "{said}");
    assert!(!said.to_lowercase().contains("amberley"), "{said}");
    let site = tmp.path().join("site");
    let o = run_in(
        tmp.path(),
        &[
            "build",
            "p",
            "--audience",
            "public",
            "--out",
            site.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!site.exists(), "nothing published");
}
