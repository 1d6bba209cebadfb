//! Tabletop and case audits: the facilitator pack, its recording workbook filled in and
//! imported back into `cases/`, the results on the cycle page, and case text kept off the
//! public site.

use crate::common::*;
use calamine::{Data, Reader, Xlsx, open_workbook};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::{Path, PathBuf};

/// The valid fixture with a tabletop cycle (2026-q1) on its mental-health questions, with
/// both agencies taking part and no case records yet.
fn tabletop() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("p");
    copy_tree(&repo().join("tests/fixtures/valid"), &p);
    let c = p.join("cycles/2026-q1");
    std::fs::create_dir_all(&c).unwrap();
    std::fs::write(
        c.join("cycle.toml"),
        "title = \"Tabletop audit 2026\"\nperiod = \"2026-q1\"\nmethod = \"tabletop\"\nframework = \"mini\"\nopened = 2026-01-12\nclosed = 2026-02-27\npurpose = \"To test practice with parents' mental health.\"\n[scope]\nthemes = [\"mental-health\"]\nagencies = [\"council\", \"police\"]\n",
    )
    .unwrap();
    (tmp, p)
}

/// Every cell of a sheet as text, by (row, column).
fn sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|d| match d {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

const MARK_GOOD: &str = "MARKGOODPRACTICE";
const MARK_LEARN: &str = "MARKLEARNINGNOTE";
const MARK_INTERNAL: &str = "MARKINTERNALNOTE";

/// The pack's workbook as the table fills it in: About copied, every case audited on 10
/// February 2026, judgements from `judge(case index, question id)`, and a marker in every note
/// column of the first case, with the police's practice differing.
fn fill(pack: &Path, out: &Path, judge: impl Fn(usize, &str) -> &'static str) {
    fill_with(pack, out, judge, &[]);
}

/// As `fill`, then each (row, column header, text) of `edits` written over what is there.
fn fill_with(
    pack: &Path,
    out: &Path,
    judge: impl Fn(usize, &str) -> &'static str,
    edits: &[(u32, &str, &str)],
) {
    let about = sheet(pack, "About");
    let cases = sheet(pack, "Cases");
    let header = &cases[0];
    let col = |h: &str| header.iter().position(|x| x == h).unwrap() as u16;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("About").unwrap();
    for (r, row) in about.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, v).unwrap();
        }
    }
    let ws = wb.add_worksheet();
    ws.set_name("Cases").unwrap();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    let refs: Vec<&String> = {
        let mut v: Vec<&String> = cases[1..].iter().map(|r| &r[0]).collect();
        v.dedup();
        v
    };
    for (i, row) in cases[1..].iter().enumerate() {
        let r = i as u32 + 1;
        let case = refs.iter().position(|x| **x == row[0]).unwrap();
        let q = &row[col("Question id") as usize];
        ws.write_string(r, col("Case ref"), &row[0]).unwrap();
        ws.write_string(r, col("Question id"), q).unwrap();
        ws.write_string(r, col("Question"), &row[col("Question") as usize])
            .unwrap();
        ws.write_string(r, col("Judgement"), judge(case, q))
            .unwrap();
        ws.write_datetime_with_format(
            r,
            col("Audited on"),
            ExcelDateTime::from_ymd(2026, 2, 10).unwrap(),
            &Format::new().set_num_format("dd/mm/yyyy"),
        )
        .unwrap();
        ws.write_string(r, col("Age band"), "under-1").unwrap();
        ws.write_string(r, col("Agencies involved"), "council, police")
            .unwrap();
        if case == 0 {
            ws.write_string(r, col("Good practice"), format!("{MARK_GOOD} {q}"))
                .unwrap();
            ws.write_string(r, col("Learning"), format!("{MARK_LEARN} {q}"))
                .unwrap();
            ws.write_string(r, col("Internal note"), format!("{MARK_INTERNAL} {q}"))
                .unwrap();
            ws.write_string(
                r,
                col("Agencies whose practice differed"),
                "police: not-met",
            )
            .unwrap();
        }
    }
    for (r, h, text) in edits {
        ws.write_string(*r, col(h), *text).unwrap();
    }
    wb.save(out).unwrap();
}

#[test]
fn the_pack_round_trips_through_the_workbook_into_valid_case_records() {
    let (tmp, p) = tabletop();
    let out = run_in(
        tmp.path(),
        &[
            "pack", "p", "--cycle", "2026-q1", "--out", "pack", "--cases", "6",
        ],
    );
    assert_ok(&out);
    let html = std::fs::read_to_string(tmp.path().join("pack/2026-q1-pack.html")).unwrap();
    // The facilitator's pack: ground rules, the questions in scope only, a grid per case.
    assert!(html.contains("Ground rules: confidentiality"));
    assert!(html.contains("mh-s-01") && html.contains("mh-p-01"));
    assert!(!html.contains("oh-s-01"), "a question outside the scope");
    assert_eq!(html.matches("Recording grid: case").count(), 6);
    assert!(!html.contains("http://") && !html.contains("https://"));
    let book = tmp.path().join("pack/2026-q1-cases.xlsx");
    let rows = sheet(&book, "Cases");
    assert_eq!(rows.len(), 1 + 6 * 2, "one row per case and question");

    // Running it again changes nothing; a pack file that differs is never overwritten.
    assert_ok(&run_in(
        tmp.path(),
        &[
            "pack", "p", "--cycle", "2026-q1", "--out", "pack", "--cases", "6",
        ],
    ));
    std::fs::write(tmp.path().join("pack/2026-q1-pack.html"), "my notes").unwrap();
    let again = run_in(
        tmp.path(),
        &[
            "pack", "p", "--cycle", "2026-q1", "--out", "pack", "--cases", "6",
        ],
    );
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("pack/2026-q1-pack.html")).unwrap(),
        "my notes"
    );

    // The table's judgements: the first three cases met mh-s-01, the rest did not; mh-p-01
    // was partly met throughout.
    let filled = tmp.path().join("filled.xlsx");
    fill(&book, &filled, |case, q| match (q, case) {
        ("mh-s-01", 0..=2) => "met",
        ("mh-s-01", _) => "not-met",
        _ => "partly",
    });
    let out = run_in(tmp.path(), &["import", "p", "filled.xlsx"]);
    assert_ok(&out);
    assert!(
        stdout(&out).contains("6 case record(s) imported"),
        "{}",
        stdout(&out)
    );
    let c01 = std::fs::read_to_string(p.join("cycles/2026-q1/cases/C01.toml")).unwrap();
    assert!(c01.contains("ref = \"C01\""), "{c01}");
    assert!(
        c01.contains("[findings.mh-s-01]\njudgement = \"met\""),
        "{c01}"
    );
    assert!(
        c01.contains("by_agency = { police = \"not-met\" }"),
        "{c01}"
    );
    let c06 = std::fs::read_to_string(p.join("cycles/2026-q1/cases/C06.toml")).unwrap();
    assert!(
        c06.contains("[findings.mh-s-01]\njudgement = \"not-met\""),
        "{c06}"
    );
    assert!(
        c06.contains("[findings.mh-p-01]\njudgement = \"partly\""),
        "{c06}"
    );
    let check = run_in(tmp.path(), &["check", "p"]);
    assert_ok(&check);
    assert!(
        stdout(&check).contains("6 case(s) audited, judging 2 question(s)"),
        "{}",
        stdout(&check)
    );

    // Importing the same workbook again is harmless; a changed one needs --force.
    let same = run_in(tmp.path(), &["import", "p", "filled.xlsx"]);
    assert_ok(&same);
    assert!(stdout(&same).contains("unchanged"));
    let changed = tmp.path().join("changed.xlsx");
    fill(&book, &changed, |_, _| "met");
    let refused = run_in(tmp.path(), &["import", "p", "changed.xlsx"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));
    let c06_after = std::fs::read_to_string(p.join("cycles/2026-q1/cases/C06.toml")).unwrap();
    assert_eq!(c06, c06_after, "nothing was written");

    // Signed off, the round takes the changed records only with --force, and records which
    // case changed on which questions.
    // 2 March 2026, after the cycle closed.
    const LATER: &str = "1772409600";
    assert_ok(&run_on(
        LATER,
        tmp.path(),
        &["signoff", "p", "--cycle", "2026-q1"],
    ));
    assert_ok(&run_on(
        LATER,
        tmp.path(),
        &["import", "p", "--force", "changed.xlsx"],
    ));
    let log = std::fs::read_to_string(p.join("cycles/2026-q1/changes.toml")).unwrap();
    assert!(
        log.contains(
            "date = 2026-03-02\ncase = \"C01\"\nchange = \"replaced\"\nquestions = [\"mh-p-01\"]"
        ),
        "{log}"
    );
    assert!(
        log.contains(
            "case = \"C04\"\nchange = \"replaced\"\nquestions = [\"mh-p-01\", \"mh-s-01\"]"
        ),
        "{log}"
    );
    let check = run_on(LATER, tmp.path(), &["check", "p"]);
    assert_ok(&check);
    assert!(
        !stderr(&check).contains("changes.toml"),
        "{}",
        stderr(&check)
    );
}

#[test]
fn a_mistake_in_the_workbook_names_its_cell_and_imports_nothing() {
    let (tmp, p) = tabletop();
    assert_ok(&run_in(
        tmp.path(),
        &[
            "pack", "p", "--cycle", "2026-q1", "--out", "pack", "--cases", "5",
        ],
    ));
    let filled = tmp.path().join("filled.xlsx");
    fill(
        &tmp.path().join("pack/2026-q1-cases.xlsx"),
        &filled,
        |case, q| {
            if case == 2 && q == "mh-p-01" {
                "sort of"
            } else {
                "met"
            }
        },
    );
    let out = run_in(tmp.path(), &["import", "p", "filled.xlsx"]);
    assert_eq!(out.status.code(), Some(1));
    // Case 3's mh-p-01 is on row 7 (header, then two rows per case); Judgement is column G.
    assert!(
        stderr(&out).contains(
            "filled.xlsx: Cases!G7: judgement \"sort-of\" is not one of met, partly, not-met, n/a"
        ),
        "{}",
        stderr(&out)
    );
    assert!(!p.join("cycles/2026-q1/cases").exists(), "nothing imported");
    // A self-assessment has no pack: its agencies get return forms.
    let wrong = run_in(
        tmp.path(),
        &["pack", "p", "--cycle", "2025-26", "--out", "pack2"],
    );
    assert_eq!(wrong.status.code(), Some(1));
    assert!(
        stderr(&wrong).contains("panelaudit forms"),
        "{}",
        stderr(&wrong)
    );
    assert!(!tmp.path().join("pack2").exists());
}

#[test]
fn a_case_workbook_whose_records_check_would_refuse_imports_nothing() {
    let (tmp, p) = tabletop();
    assert_ok(&run_in(
        tmp.path(),
        &[
            "pack", "p", "--cycle", "2026-q1", "--out", "pack", "--cases", "5",
        ],
    ));
    let filled = tmp.path().join("filled.xlsx");
    fill(
        &tmp.path().join("pack/2026-q1-cases.xlsx"),
        &filled,
        |_, _| "met",
    );
    // An escape sequence in a note, as a spreadsheet file writes it.
    replace_shared_string(&filled, MARK_GOOD, "Good_x001B_[2J practice");
    let out = run_in(tmp.path(), &["import", "p", "filled.xlsx"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error[PA0106]: p/cycles/2026-q1/cases/"),
        "{err}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
    assert!(!err.contains('\u{1b}'), "{err}");
    assert!(!p.join("cycles/2026-q1/cases").exists(), "nothing imported");
}

/// One wrong row of a case is the row named, never the rows of the same case that agree with
/// each other; an agency id is shown as it is (a name typed in its place is masked); and an
/// agency whose practice "differed" must be one the case says was involved.
#[test]
fn a_wrong_row_is_named_and_agencies_are_checked_against_the_case() {
    let (tmp, p) = tabletop();
    // Every question of the bank: four rows a case (C01 rows 2-5, C02 6-9, C03 10-13).
    let cycle = p.join("cycles/2026-q1/cycle.toml");
    let text = std::fs::read_to_string(&cycle).unwrap();
    std::fs::write(&cycle, text.replace("themes = [\"mental-health\"]\n", "")).unwrap();
    assert_ok(&run_in(
        tmp.path(),
        &[
            "pack", "p", "--cycle", "2026-q1", "--out", "pack", "--cases", "3",
        ],
    ));
    let filled = tmp.path().join("filled.xlsx");
    let agencies = "Agencies involved";
    fill_with(
        &tmp.path().join("pack/2026-q1-cases.xlsx"),
        &filled,
        |_, _| "met",
        &[
            // C01 involved the council only, yet the police's practice "differed" (fill).
            (1, agencies, "council"),
            (2, agencies, "council"),
            (3, agencies, "council"),
            (4, agencies, "council"),
            // C02: row 6 differs from rows 7 to 9, which agree.
            (5, agencies, "council"),
            // C03: a misspelt agency on every row, and a name where an agency belongs.
            (9, agencies, "council, polise"),
            (10, agencies, "council, polise"),
            (11, agencies, "council, polise"),
            (12, agencies, "council, polise"),
            (
                9,
                "Agencies whose practice differed",
                "Joanne Pritchard: not-met",
            ),
            // C03's date, read month first by a spreadsheet: far outside the cycle.
            (9, "Audited on", "2027-12-01"),
            (10, "Audited on", "2027-12-01"),
            (11, "Audited on", "2027-12-01"),
            (12, "Audited on", "2027-12-01"),
        ],
    );
    let out = run_in(tmp.path(), &["import", "p", "filled.xlsx"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("filled.xlsx: Cases!C6: case C02: \"Agencies involved\" here differs from rows 7 to 9 of the same case"),
        "{err}"
    );
    for row in 7..=9 {
        assert!(
            !err.contains(&format!("Cases!C{row}:")),
            "row {row} is right: {err}"
        );
    }
    // The misspelt agency: said once, by its id, with the nearest agency.
    assert!(
        err.contains("filled.xlsx: Cases!C10: `polise` is listed as involved in case C03, but is not an agency taking part in this cycle"),
        "{err}"
    );
    assert!(err.contains("did you mean `police`?"), "{err}");
    assert_eq!(err.matches("`polise`").count(), 1, "{err}");
    // The police's practice cannot have differed in a case it was not involved in.
    assert!(
        err.contains("Cases!H2: `police` is named as practice that differed, but is not among the agencies involved in case C01"),
        "{err}"
    );
    assert!(
        err.contains("filled.xlsx: Cases!D10: case C03: audited on 2027-12-01, far outside the cycle (2026-01-12 to 2026-02-27)"),
        "{err}"
    );
    // A name typed where an agency belongs is masked.
    assert!(err.contains("Cases!H10: \"Jo"), "{err}");
    assert!(!err.contains("Pritchard"), "{err}");
    assert!(!p.join("cycles/2026-q1/cases").exists(), "nothing imported");
}

/// Case results: half the cases not meeting the standard pulls a question the agencies rated
/// reasonable down, and the cycle page shows the figures only over enough cases.
#[test]
fn case_text_never_reaches_the_public_site_and_figures_only_over_enough_cases() {
    let (tmp, _) = tabletop();
    assert_ok(&run_in(
        tmp.path(),
        &[
            "pack", "p", "--cycle", "2026-q1", "--out", "pack", "--cases", "6",
        ],
    ));
    let filled = tmp.path().join("filled.xlsx");
    fill(
        &tmp.path().join("pack/2026-q1-cases.xlsx"),
        &filled,
        |case, q| {
            match (q, case) {
                ("mh-s-01", 0..=2) => "met",
                ("mh-s-01", _) => "not-met",
                // Only four cases judged mh-p-01: fewer than the minimum of five.
                (_, 0..=3) => "partly",
                _ => "n/a",
            }
        },
    );
    assert_ok(&run_in(tmp.path(), &["import", "p", "filled.xlsx"]));
    // Before the round is signed off, the public site carries none of its case figures (they
    // could still change, and two builds set side by side would give a case away).
    assert_ok(&run_in(
        tmp.path(),
        &["build", "p", "--out", "unsigned", "--audience", "public"],
    ));
    let unsigned =
        std::fs::read_to_string(tmp.path().join("unsigned/cycles/2026-q1/index.html")).unwrap();
    assert!(
        unsigned.contains("has not been signed off yet"),
        "{unsigned}"
    );
    assert!(
        !unsigned.contains("What the case files showed"),
        "{unsigned}"
    );
    let cycle = tmp.path().join("p/cycles/2026-q1/cycle.toml");
    let signed = std::fs::read_to_string(&cycle).unwrap().replace(
        "closed = 2026-02-27\n",
        "closed = 2026-02-27\nsigned_off = 2026-03-06\n",
    );
    std::fs::write(&cycle, signed).unwrap();
    for (audience, dir) in [("internal", "site-i"), ("public", "site-p")] {
        assert_ok(&run_in(
            tmp.path(),
            &["build", "p", "--out", dir, "--audience", audience],
        ));
    }
    let internal = files(&tmp.path().join("site-i"));
    let public = files(&tmp.path().join("site-p"));
    let has = |site: &std::collections::BTreeMap<String, Vec<u8>>, s: &str| {
        site.values().any(|b| text(b).contains(s))
    };
    for marker in [
        MARK_GOOD,
        MARK_LEARN,
        MARK_INTERNAL,
        "Differed: ",
        "Case C01",
        "Case by case",
    ] {
        assert!(has(&internal, marker), "the internal site lacks {marker}");
        assert!(!has(&public, marker), "the public site carries {marker}");
    }
    let page = text(&public["cycles/2026-q1/index.html"]);
    assert!(page.contains("What the case files showed"));
    assert!(page.contains("<svg"), "a chart");
    // mh-s-01: 3 met, 3 not met over 6 cases: a share of 0.5 on 0 to 3 is 1.5, level 1.
    assert!(page.contains("<td class=\"app-numeric\">3</td><td class=\"app-numeric\">0</td><td class=\"app-numeric\">3</td>"), "{page}");
    // mh-p-01: only four cases judged it, so its figures are withheld.
    assert!(page.contains("so those figures are not shown"), "{page}");
    let withheld = page
        .split("Fewer than 5 cases were judged against")
        .nth(1)
        .unwrap();
    assert!(withheld.contains("mh-p-01"));
}

/// The worked example's later tabletop audit is a deep dive: the site still reports the
/// 2025-26 self-assessment, and the tabletop's case evidence weighs on it.
#[test]
fn the_example_tabletop_weighs_on_the_self_assessment_it_follows() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_in(
        &repo(),
        &[
            "build",
            "audits/example",
            "--out",
            tmp.path().join("s").to_str().unwrap(),
            "--audience",
            "public",
        ],
    );
    assert_ok(&out);
    let site = tmp.path().join("s");
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(
        index.contains("app-caption\">Annual self-audit 2025-26"),
        "the overview reports the self-assessment"
    );
    let cycle = std::fs::read_to_string(site.join("cycles/2026-q1/index.html")).unwrap();
    assert!(cycle.contains("What the case files showed") && cycle.contains("8 cases were audited"));
    assert!(!cycle.contains("Case C0"), "no case on its own");
    // pmh-p-03: agencies' moderated rating 2, but 4 of 8 cases not met: the methods disagree.
    let json = run_in(&repo(), &["rank", "audits/example", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    let p = v["priorities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["question"] == "pmh-p-03")
        .unwrap();
    assert!(
        p["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "evidence-conflict"),
        "{p}"
    );
    let q = std::fs::read_to_string(site.join("questions/pmh-p-03/index.html")).unwrap();
    assert!(
        q.contains("the multi-agency tabletop audit&#39;s judgements of 8 cases</td>"),
        "the basis names no count below 5"
    );
}
