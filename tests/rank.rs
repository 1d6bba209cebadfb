//! `panelaudit rank` end to end: the real binary on tests/fixtures/rank.
//!
//! The fixture is a collection `region/` of two partnerships: `fenmoor` (0..3 scale, two
//! cycles, metrics, moderation, actions; the user guide works its `exp-s-01` by hand, in
//! docs/src/method/worked-example.md) and
//! `lowdale` (its own 1..5 scale, one cycle, no actions).

use crate::common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn region() -> PathBuf {
    repo().join("tests/fixtures/rank/region")
}

fn fenmoor() -> PathBuf {
    region().join("fenmoor")
}

fn rank(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["rank", dir.to_str().expect("a UTF-8 path")];
    args.extend_from_slice(extra);
    run_in(&repo(), &args)
}

fn json(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let out = rank(dir, &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("rank prints JSON")
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_str().expect("a string"))
        .collect()
}

/// The keys and types of design.md's `rank --format json` example, for one partnership.
fn assert_contract_shape(report: &Value) {
    assert!(report["partnership"].is_string());
    assert!(report["cycle"].is_string());
    for p in report["priorities"].as_array().expect("priorities") {
        assert!(p["rank"].is_u64(), "{p}");
        for key in ["question", "theme", "level"] {
            assert!(p[key].is_string(), "{key} in {p}");
        }
        assert!(p["score"].is_f64(), "{p}");
        assert!(p["rating"].is_f64() || p["rating"].is_null(), "{p}");
        for key in ["gap", "confidence", "metrics", "theme_weight"] {
            assert!(p["components"][key].is_number(), "{key} in {p}");
        }
        for f in p["flags"].as_array().expect("flags") {
            assert!(f.is_string());
        }
    }
    for a in report["actions"].as_array().expect("actions") {
        assert!(a["rank"].is_u64());
        assert!(a["action"].is_string());
        strings(&a["covers"]);
        assert!(a["risk_covered"].is_number());
    }
    strings(&report["uncovered"]);
}

/// The documented formula, from the JSON's rounded components.
fn score_from(components: &Value) -> f64 {
    let c = |k: &str| components[k].as_f64().expect("a number");
    let shortfall = 1.0 - c("coverage") * (1.0 - c("gap"));
    100.0
        * (0.1 + 0.9 * shortfall)
        * c("confidence")
        * c("metrics")
        * c("deterioration")
        * c("theme_weight")
}

#[test]
fn json_has_the_contract_shape_and_the_documented_ranking() {
    let r = json(&fenmoor(), &[]);
    assert_contract_shape(&r);
    assert_eq!(
        r["partnership"],
        "Fenmoor Safeguarding Children Partnership"
    );
    assert_eq!(r["cycle"], "2025-26");
    let order: Vec<&str> = r["priorities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["question"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        ["exp-p-01", "inf-p-01", "exp-s-01", "exp-s-02", "inf-s-01"]
    );
    // Moderation rated inf-p-02 "n/a": listed apart, never silently dropped.
    assert_eq!(strings(&r["not_applicable"]), ["inf-p-02"]);

    // The user guide's worked example (docs/src/method/worked-example.md).
    let p = &r["priorities"][2];
    assert_eq!(p["question"], "exp-s-01");
    assert_eq!(p["rating"], 1.5);
    assert_eq!(p["score"], 124.38);
    let c = &p["components"];
    assert_eq!(
        [
            &c["gap"],
            &c["coverage"],
            &c["confidence"],
            &c["metrics"],
            &c["deterioration"],
            &c["theme_weight"]
        ],
        [0.5, 0.8, 1.15, 1.3, 1.0833, 1.2]
    );
    assert_eq!(
        strings(&p["flags"]),
        [
            "unanswered",
            "agencies-disagree",
            "statutory-low",
            "metric-off-target",
            "worse-than-comparator",
            "metric-worsening",
            "deteriorated"
        ]
    );
    assert_eq!(p["previous"]["cycle"], "2024-25");
    assert_eq!(p["previous"]["rating"], 2.0);

    // Moderation overrides: the agencies said 3, 2, 2; the panel said 1.
    let moderated = &r["priorities"][3];
    assert_eq!(moderated["question"], "exp-s-02");
    assert_eq!(moderated["rating"], 1.0);
    assert!(strings(&moderated["flags"]).contains(&"moderated"));
}

#[test]
fn every_score_is_reproducible_from_its_rounded_components() {
    for report in json(&region(), &[]).as_array().unwrap() {
        for p in report["priorities"].as_array().unwrap() {
            let score = p["score"].as_f64().unwrap();
            let again = score_from(&p["components"]);
            // 4-place components, 2-place score: see analysis::reproduction_tolerance.
            assert!(
                (again - score).abs() <= 0.0012 * score + 0.006,
                "{}: {again} vs {score}",
                p["question"]
            );
        }
    }
}

#[test]
fn the_plan_is_greedy_with_ties_by_id_and_lists_uncovered_high_risk() {
    let r = json(&fenmoor(), &[]);
    let plan: Vec<(&str, f64, bool)> = r["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["action"].as_str().unwrap(),
                a["risk_covered"].as_f64().unwrap(),
                a["overdue"].as_bool().unwrap(),
            )
        })
        .collect();
    // A01 covers exp-p-01 + exp-s-01 = 180.52 + 124.38 (exp-p-01 is rated 0.33: ratings are
    // kept to 2 places, so its score follows from the printed rating). A02 and A06 then both
    // add exp-s-02 (107.80): A02 by id; A06 adds nothing. A04 (inf-s-01, rated 2.17) was due
    // 2025-10-31, before the close.
    assert_eq!(
        plan,
        [
            ("A01", 304.91, false),
            ("A02", 107.8, false),
            ("A04", 64.48, true),
            ("A06", 0.0, false)
        ]
    );
    assert_eq!(
        strings(&r["actions"][0]["covers"]),
        ["exp-p-01", "exp-s-01"]
    );
    // inf-p-01 is rated 1 of 3 but only a complete and a dropped action address it.
    assert_eq!(strings(&r["uncovered"]), ["inf-p-01"]);
}

#[test]
fn as_of_moves_the_overdue_date_and_a_bad_date_is_a_usage_error() {
    let r = json(&fenmoor(), &["--as-of", "2026-01-15"]);
    let overdue: Vec<&str> = r["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["overdue"] == true)
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert_eq!(overdue, ["A04", "A06"]);

    for bad in ["2026-02-30", "15/01/2026", "2026-1-5", "soon"] {
        let out = rank(&fenmoor(), &["--as-of", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = text(&out.stderr);
        assert!(
            err.contains("--as-of") && err.contains("YYYY-MM-DD"),
            "{err}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn top_limits_the_priorities_but_not_the_plan() {
    let r = json(&fenmoor(), &["--top", "2"]);
    assert_eq!(r["priorities"].as_array().unwrap().len(), 2);
    assert_eq!(r["priorities"][1]["rank"], 2);
    assert_eq!(r["actions"].as_array().unwrap().len(), 4);

    let out = rank(&fenmoor(), &["--top", "1"]);
    let table = text(&out.stdout);
    assert!(table.contains("Priorities: 1 of 5 ranked"), "{table}");
    assert!(!table.contains("inf-s-01  "), "{table}");
}

#[test]
fn cycle_picks_an_earlier_cycle_and_an_unknown_one_names_the_known() {
    let r = json(&fenmoor(), &["--cycle", "2024-25"]);
    assert_eq!(r["cycle"], "2024-25");
    assert!(r["previous_cycle"].is_null());
    // 2024-25 asked the strategic questions only.
    let levels: Vec<&str> = r["priorities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["strategic"; 3]);

    let out = rank(&fenmoor(), &["--cycle", "2023-24"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("no cycle `2023-24`") && err.contains("the cycles are: 2024-25, 2025-26"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn the_table_fits_80_columns_and_shows_plan_uncovered_and_change() {
    let out = rank(&fenmoor(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    for line in table.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line:?}");
    }
    let first = table
        .lines()
        .find(|l| l.trim_start().starts_with("1  "))
        .expect("a first row");
    for cell in ["exp-p-01", "exploitation", "pract", "0.33", "180.5"] {
        assert!(first.contains(cell), "{first}");
    }
    assert!(
        table.contains("statutory-low, metric-off-target"),
        "{table}"
    );
    assert!(table.contains("2025-10-31 OVERDUE  inf-s-01"), "{table}");
    assert!(table.contains("(nothing new)"), "{table}");
    assert!(table.contains("High-risk questions no open action addresses: inf-p-01"));
    assert!(table.contains("Not ranked (rated n/a): inf-p-02"));
    let change = table
        .lines()
        .find(|l| l.starts_with("exp-s-01 "))
        .expect("a change row for exp-s-01");
    // The change is said to be the rating's, beside the ratings, not left beside the scores.
    assert!(
        table.contains("QUESTION  RATING THEN     NOW  CHANGE       SCORE THEN     NOW"),
        "{table}"
    );
    assert!(
        change.contains("2.00    1.50  rating fell        68.0   124.4"),
        "{change}"
    );
}

/// A copy of fenmoor in which `inf-s-01` rates exactly 1.125: council 1, ICB 2, police 1 and
/// schools 1 give a mean of 1.25, pulled half way to the lowest statutory rating (1).
fn fenmoor_on_a_half(root: &Path) -> PathBuf {
    let dir = root.join("fenmoor");
    copy_tree(&fenmoor(), &dir);
    let responses = dir.join("cycles/2025-26/responses");
    for (agency, from, to) in [
        ("council", "rating = 2", "rating = 1"),
        ("icb", "rating = 3", "rating = 2"),
        ("police", "rating = 2", "rating = 1"),
        (
            "schools",
            "rating = \"n/a\"",
            "rating = 1\nconfidence = \"high\"",
        ),
    ] {
        let path = responses.join(format!("{agency}.toml"));
        let text = std::fs::read_to_string(&path).unwrap();
        let at = text.find("[answers.inf-s-01]").expect("an inf-s-01 answer");
        let (head, tail) = text.split_at(at);
        assert!(tail.contains(from), "{agency}: {tail}");
        std::fs::write(&path, format!("{head}{}", tail.replacen(from, to, 1))).unwrap();
    }
    dir
}

#[test]
fn a_rating_on_a_half_reads_the_same_in_the_table_json_csv_and_site() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fenmoor_on_a_half(tmp.path());

    let r = json(&dir, &[]);
    let p = r["priorities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["question"] == "inf-s-01")
        .unwrap();
    assert_eq!(p["rating"], 1.13, "1.125 rounds half away from zero");

    let table = text(&rank(&dir, &[]).stdout);
    let row = table
        .lines()
        .find(|l| l.contains(" inf-s-01 "))
        .expect("a row for inf-s-01");
    assert!(row.contains("strat    1.13"), "{row}");
    let change = table
        .lines()
        .find(|l| l.starts_with("inf-s-01 "))
        .expect("a change row for inf-s-01");
    assert!(change.contains("1.13  rating fell"), "{change}");
    assert!(!table.contains("1.12"), "{table}");

    let out = rank(&dir, &["--format", "csv"]);
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let rating = reader.headers().unwrap().iter().position(|h| h == "rating");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let csv_row = rows.iter().find(|r| &r[3] == "inf-s-01").unwrap();
    assert_eq!(&csv_row[rating.unwrap()], "1.13");

    let site = tmp.path().join("site");
    let out = run_in(
        tmp.path(),
        &["build", "fenmoor", "--out", site.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for page in [
        "index.html",
        "priorities/index.html",
        "questions/inf-s-01/index.html",
    ] {
        let html = std::fs::read_to_string(site.join(page)).unwrap();
        assert!(
            html.contains("1.13"),
            "{page} shows the rating as the data does"
        );
        assert!(!html.contains("1.12"), "{page} rounds 1.125 down");
    }
}

/// Every field of a CSV that starts as a spreadsheet formula would must be a plain number.
fn assert_no_formula_cells(csv_bytes: &[u8], what: &str) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv_bytes);
    for record in reader.records() {
        for field in record.unwrap().iter() {
            if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                assert!(field.parse::<f64>().is_ok(), "{what}: {field:?} would run");
            }
        }
    }
}

#[test]
fn csv_text_a_spreadsheet_would_run_as_a_formula_is_quoted() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fenmoor_on_a_half(tmp.path());
    let name = "=HYPERLINK(\"http://evil.example\",\"Fenmoor\")";
    let partnership = dir.join("partnership.toml");
    let text_before = std::fs::read_to_string(&partnership).unwrap();
    std::fs::write(
        &partnership,
        text_before.replace(
            "name = \"Fenmoor Safeguarding Children Partnership\"",
            &format!("name = {}", toml::Value::from(name)),
        ),
    )
    .unwrap();
    let bank = dir.join("frameworks/fen-learning.toml");
    let text_before = std::fs::read_to_string(&bank).unwrap();
    std::fs::write(
        &bank,
        text_before
            .replace("\"Limited assurance\"", "\"@Limited assurance\"")
            .replace("\"No assurance\"", "\"-No assurance\""),
    )
    .unwrap();

    let out = rank(&dir, &["--format", "csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_no_formula_cells(&out.stdout, "rank --format csv");
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let first = reader.records().next().unwrap().unwrap();
    assert_eq!(&first[0], format!("'{name}"), "shown as text, not run");

    let site = tmp.path().join("site");
    let out = run_in(
        tmp.path(),
        &["build", "fenmoor", "--out", site.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut quoted = 0;
    for file in ["data/priorities.csv", "data/ratings.csv"] {
        let bytes = std::fs::read(site.join(file)).unwrap();
        assert_no_formula_cells(&bytes, file);
        quoted += String::from_utf8_lossy(&bytes)
            .matches("'@Limited assurance")
            .count();
    }
    assert!(quoted > 0, "the label beginning with @ reached a data file");
}

#[test]
fn csv_has_a_header_and_one_row_per_priority() {
    let out = rank(&region(), &["--format", "csv"]);
    assert_eq!(out.status.code(), Some(0));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    for col in [
        "partnership",
        "rank",
        "question",
        "rating",
        "score",
        "flags",
    ] {
        assert!(header.iter().any(|h| h == col), "{col} in {header:?}");
    }
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5 + 3);
    assert_eq!(&rows[0][0], "Fenmoor Safeguarding Children Partnership");
    assert_eq!(&rows[5][0], "Lowdale Safeguarding Children Partnership");
    let score = header.iter().position(|h| h == "score").unwrap();
    assert_eq!(&rows[2][score], "124.38");
}

#[test]
fn a_collection_ranks_each_partnership_in_turn() {
    let all = json(&region(), &[]);
    let reports = all.as_array().expect("an array for a collection");
    assert_eq!(reports.len(), 2);
    for r in reports {
        assert_contract_shape(r);
    }
    // Lowdale rates 1..5: lead-s-02 at 2.25 is below the middle (3), so high risk.
    assert_eq!(
        reports[1]["partnership"],
        "Lowdale Safeguarding Children Partnership"
    );
    assert_eq!(
        strings(&reports[1]["uncovered"]),
        ["lead-p-01", "lead-s-02"]
    );

    let table = text(&rank(&region(), &[]).stdout);
    let fen = table.find("Fenmoor Safeguarding Children Partnership (FSCP)");
    let low = table.find("Lowdale Safeguarding Children Partnership (LSCP)");
    assert!(fen.is_some() && low.is_some() && fen < low, "{table}");
}

#[test]
fn nobody_answering_gives_a_null_rating_flagged_unanswered() {
    let dir = tempfile::tempdir().unwrap();
    let lowdale = dir.path().join("lowdale");
    copy_tree(&region().join("lowdale"), &lowdale);
    std::fs::remove_file(lowdale.join("cycles/2025-26/responses/police.toml")).unwrap();
    let r = json(&lowdale, &[]);
    assert_contract_shape(&r);
    let p = &r["priorities"][0];
    assert_eq!(p["question"], "lead-p-01");
    assert!(p["rating"].is_null());
    assert_eq!(strings(&p["flags"]), ["unanswered"]);
}

#[test]
fn invalid_input_prints_the_diagnostics_and_ranks_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let lowdale = dir.path().join("lowdale");
    copy_tree(&region().join("lowdale"), &lowdale);
    let police = lowdale.join("cycles/2025-26/responses/police.toml");
    let broken = std::fs::read_to_string(&police)
        .unwrap()
        .replacen("rating = 5", "rating = 9", 1);
    std::fs::write(&police, broken).unwrap();
    let out = run_in(dir.path(), &["rank", "lowdale", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains(
            "error[PA0303]: lowdale/cycles/2025-26/responses/police.toml:5:10: rating 9 is not on the scale"
        ),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    for format in ["table", "json", "csv"] {
        let a = rank(&region(), &["--format", format]);
        let b = rank(&region(), &["--format", format]);
        assert_eq!(a.stdout, b.stdout, "{format}");
    }
}

#[test]
fn the_guides_worked_example_shows_the_figures_rank_prints() {
    let page = std::fs::read_to_string(repo().join("docs/src/method/worked-example.md"))
        .expect("the guide's worked example is readable");
    let table = page
        .split_once("## The figures as `rank` prints them")
        .expect("the page has its table of figures")
        .1;
    let r = json(&fenmoor(), &[]);
    let p = r["priorities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["question"] == "exp-s-01")
        .expect("exp-s-01 is ranked");
    let mut compared = 0;
    for row in table.lines().filter(|l| l.starts_with("| ")) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let (name, shown) = (cells[1], cells[2]);
        let Ok(shown) = shown.parse::<f64>() else {
            continue; // the header row
        };
        let printed = match name {
            "rating" | "score" | "rank" => &p[name],
            _ => &p["components"][name],
        };
        assert_eq!(printed.as_f64(), Some(shown), "{name} on the guide's page");
        compared += 1;
    }
    assert_eq!(compared, 10, "every figure of the page's table is compared");
}
