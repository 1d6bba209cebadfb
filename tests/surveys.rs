//! Practitioner surveys: the three survey tools' CSV exports read, broken exports located,
//! names, emails, times and free text never published (nor written anywhere), and items under
//! `publication.min_responses` left out of public pages.

use crate::common::*;
use std::path::{Path, PathBuf};

/// The valid fixture with the survey cycle `tests/fixtures/surveys/2026-q1` added.
fn with_surveys(tmp: &Path) -> PathBuf {
    let p = tmp.join("p");
    copy_tree(&repo().join("tests/fixtures/valid"), &p);
    copy_tree(
        &repo().join("tests/fixtures/surveys/2026-q1"),
        &p.join("cycles/2026-q1"),
    );
    p
}

fn build(tmp: &Path, audience: &str) -> PathBuf {
    let out = tmp.join(format!("site-{audience}"));
    let o = run_in(
        tmp,
        &[
            "build",
            "p",
            "--out",
            out.to_str().unwrap(),
            "--audience",
            audience,
        ],
    );
    assert_ok(&o);
    out
}

fn page(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join(rel)).unwrap()
}

/// The words of a page without tags, white space made single spaces.
fn words(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#39;", "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn surveys_exports_of_the_three_tools_are_read() {
    let tmp = tempfile::tempdir().unwrap();
    with_surveys(tmp.path());
    let o = run_in(tmp.path(), &["check", "p"]);
    assert_ok(&o);
    // No agency is chased for a survey: the summary reports the latest return round.
    assert!(stdout(&o).contains("main 2025-26"), "{}", stdout(&o));
    assert!(!stderr(&o).contains("PA0402"), "{}", stderr(&o));
    let site = build(tmp.path(), "internal");
    let text = words(&page(&site, "cycles/2026-q1/index.html"));
    // Microsoft Forms (BOM, CRLF, a comment with a line break): item 1 is 1, 2, 3, 4, 2 of 12.
    assert!(
        text.contains("I ask who else lives in or visits the home 12 8% (1) 17% (2) 25% (3) 33% (4) 17% (2) 50%"),
        "{text}"
    );
    // Item 2 has a blank answer: 11 responses, no strongly disagree.
    assert!(
        text.contains("I know where to refer a young person at risk outside the home 11 0% (0) 9% (1) 18% (2) 45% (5) 27% (3) 73%"),
        "{text}"
    );
    // SmartSurvey (every field quoted, a label in capitals) reads the same answers.
    let smart = text
        .split("SmartSurvey export: the share")
        .nth(1)
        .expect("the SmartSurvey table");
    assert!(
        smart.contains("12 8% (1) 17% (2) 25% (3) 33% (4) 17% (2) 50%"),
        "{smart}"
    );
    // Google Forms (no BOM, LF, a header matched without case or extra spaces), four points.
    let google = text
        .split("Google Forms export: the share")
        .nth(1)
        .expect("the Google Forms table");
    assert!(
        google.contains("12 17% (2) 25% (3) 33% (4) 25% (3) 58%"),
        "{google}"
    );
    // The breakdown by group, internal only.
    assert!(
        text.contains("Internal: the breakdown by group is never published"),
        "{text}"
    );
    // Every group had fewer than 10 answers: they are merged into one, so that no
    // practitioner's answer can be told even inside the partnership.
    assert!(text.contains("Other groups 12"), "{text}");
    assert!(!text.contains("Health 4"), "{text}");
    // The diverging chart names itself and has its table.
    let html = page(&site, "cycles/2026-q1/index.html");
    assert!(html.contains("role=\"img\""));
    assert!(html.contains("disagree</text>"));
}

/// The Microsoft Forms export as the workbook Forms downloads ("Open results in Excel"): the
/// same rows as `msforms.csv`, on a sheet named Sheet1, numbers as numbers and times as dates.
fn msforms_workbook(csv_path: &Path, out: &Path, edit: impl Fn(usize, usize, &str) -> String) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(csv_path)
        .unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Sheet1").unwrap();
    let when = rust_xlsxwriter::Format::new().set_num_format("m/d/yy h:mm:ss");
    for (r, record) in reader.records().enumerate() {
        for (c, field) in record.unwrap().iter().enumerate() {
            let field = edit(r, c, field.trim_start_matches('\u{feff}'));
            let (row, col) = (r as u32, c as u16);
            if r > 0 && c == 0 {
                ws.write_number(row, col, field.parse::<f64>().unwrap())
                    .unwrap();
            } else if r > 0 && (c == 1 || c == 2) {
                let t = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 1, 7).unwrap();
                ws.write_datetime_with_format(row, col, &t, &when).unwrap();
            } else if !field.is_empty() {
                ws.write_string(row, col, &field).unwrap();
            }
        }
    }
    wb.save(out).unwrap();
}

/// Microsoft Forms downloads its responses as an .xlsx workbook: a survey may name it
/// directly, with the same results as the CSV, and an answer off the scale is placed by cell.
#[test]
fn surveys_read_the_workbook_microsoft_forms_downloads() {
    let tmp = tempfile::tempdir().unwrap();
    let p = with_surveys(tmp.path());
    let dir = p.join("cycles/2026-q1/surveys");
    msforms_workbook(
        &dir.join("msforms.csv"),
        &dir.join("msforms.xlsx"),
        |_, _, f| f.to_string(),
    );
    std::fs::remove_file(dir.join("msforms.csv")).unwrap();
    let toml = std::fs::read_to_string(dir.join("msforms.toml")).unwrap();
    std::fs::write(
        dir.join("msforms.toml"),
        toml.replace("msforms.csv", "msforms.xlsx"),
    )
    .unwrap();
    let o = run_in(tmp.path(), &["check", "p"]);
    assert_ok(&o);
    assert!(!stderr(&o).contains("PA0107"), "{}", stderr(&o));
    let site = build(tmp.path(), "internal");
    let html = page(&site, "cycles/2026-q1/index.html");
    let text = words(&html);
    assert!(
        text.contains("I ask who else lives in or visits the home 12 8% (1) 17% (2) 25% (3) 33% (4) 17% (2) 50%"),
        "{text}"
    );
    // Names, emails and free text in the workbook are never read into the site.
    for planted in ["Zqxname", "zqx.ms0", "ZQXFREETEXT"] {
        assert!(!html.contains(planted), "{planted}");
    }
    // An answer off the scale: named by the workbook's sheet and cell.
    let fixture = repo().join("tests/fixtures/surveys/2026-q1/surveys/msforms.csv");
    msforms_workbook(&fixture, &dir.join("msforms.xlsx"), |r, c, f| {
        if (r, c) == (2, 6) {
            "Sort of".to_string()
        } else {
            f.to_string()
        }
    });
    let o = run_in(tmp.path(), &["check", "p"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("error[PA0503]: p/cycles/2026-q1/surveys/msforms.xlsx: Sheet1!G3: row 3, column G (`I ask who else lives in or visits the home`): `Sort of` is not on the item's scale"),
        "{}",
        stderr(&o)
    );
    // For an editor, the workbook is the file, and the sheet and cell are fields of their own.
    let o = run_in(tmp.path(), &["check", "p", "--format", "json"]);
    let json = stdout(&o);
    let problem: serde_json::Value = json
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|p| p["code"] == "PA0503")
        .unwrap_or_else(|| panic!("no PA0503 in {json}"));
    assert_eq!(problem["file"], "p/cycles/2026-q1/surveys/msforms.xlsx");
    assert_eq!(
        (&problem["sheet"], &problem["cell"]),
        (&"Sheet1".into(), &"G3".into())
    );
}

#[test]
fn surveys_feed_the_question_pages_and_the_scores() {
    let tmp = tempfile::tempdir().unwrap();
    with_surveys(tmp.path());
    let site = build(tmp.path(), "public");
    let q = words(&page(&site, "questions/mh-p-01/index.html"));
    assert!(q.contains("Practitioner survey"), "{q}");
    assert!(q.contains("answers agreed, on 3 survey items"), "{q}");
    let o = run_in(tmp.path(), &["rank", "p", "--format", "json"]);
    assert_ok(&o);
    assert!(stdout(&o).contains("\"2026-q1\""), "{}", stdout(&o));
}

#[test]
fn surveys_never_publish_names_emails_times_or_free_text() {
    let tmp = tempfile::tempdir().unwrap();
    let p = with_surveys(tmp.path());
    // The scan passes: what would be personal data is never read into the site.
    let o = run_in(tmp.path(), &["check", "p", "--public"]);
    assert_ok(&o);
    let planted = [
        "Zqxname",
        "zqx.",
        "respondent.example",
        "ZQXFREETEXT",
        "203.0.113",
        "9:13:1",
        "09:20",
        "Completion time",
        "Email Address",
        "IP Address",
    ];
    for audience in ["public", "internal"] {
        let site = build(tmp.path(), audience);
        for (path, bytes) in files(&site) {
            let t = text(&bytes);
            for m in planted {
                assert!(!t.contains(m), "{audience} {path} carries {m:?}");
            }
        }
        // The group_by column's header and values stay off public pages.
        if audience == "public" {
            for (path, bytes) in files(&site) {
                let t = text(&bytes);
                assert!(!t.contains("Which agency do you work for"), "{path}");
            }
        }
    }
    // rank's outputs carry none of it either.
    for format in ["json", "csv", "table"] {
        let o = run_in(tmp.path(), &["rank", "p", "--format", format]);
        for m in planted {
            assert!(!stdout(&o).contains(m), "rank {format} carries {m:?}");
        }
    }
    // The markers are in the exports: the test is not vacuous.
    let ms = std::fs::read_to_string(p.join("cycles/2026-q1/surveys/msforms.csv")).unwrap();
    assert!(ms.contains("Zqxname") && ms.contains("ZQXFREETEXT") && ms.contains("zqx."));
}

#[test]
fn surveys_items_under_min_responses_are_not_shown_on_public_pages() {
    let tmp = tempfile::tempdir().unwrap();
    with_surveys(tmp.path());
    let public = build(tmp.path(), "public");
    let text = words(&page(&public, "cycles/2026-q1/index.html"));
    let small = text
        .split_once("A small pilot")
        .expect("the small survey")
        .1;
    let small = small.split("SmartSurvey export").next().unwrap_or_default();
    assert!(
        small.contains("fewer than 10 practitioners responded"),
        "{small}"
    );
    assert!(
        small.contains("fewer than 10 responses: not shown"),
        "{small}"
    );
    assert!(!small.contains("(3)"), "{small}");
    let internal = build(tmp.path(), "internal");
    let text = words(&page(&internal, "cycles/2026-q1/index.html"));
    let small = text
        .split_once("A small pilot")
        .expect("the small survey")
        .1;
    assert!(small.contains("6 practitioners responded"), "{small}");
}

#[test]
fn surveys_the_worked_example_has_one_of_at_least_40_responses_on_its_question_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("p");
    copy_tree(&repo().join("audits/example"), &p);
    let site = build(tmp.path(), "public");
    let cycle = words(&page(&site, "cycles/2026-q2/index.html"));
    assert!(cycle.contains("48 practitioners responded"), "{cycle}");
    let q = words(&page(&site, "questions/pmh-p-02/index.html"));
    assert!(
        q.contains("Practitioner survey Limited assurance 21% of 48 answers agreed"),
        "{q}"
    );
    // The overview still reports the self-assessment.
    let index = words(&page(&site, "index.html"));
    assert!(index.contains("2025-26"), "{index}");
    let o = run_in(tmp.path(), &["check", "p", "--public"]);
    assert_ok(&o);
}
