//! The evidence ledger: every surface tells the same story. The same figures are read back
//! from `rank` (JSON and CSV, for every cycle), the site's data files, its question, cycle and
//! overview pages, `brief` and `check`, on the worked example and on generated programmes with
//! cycles of every method; and a deep dive that finds practice falling short moves the question
//! up the ranking until the moderation panel weighs it.

use crate::common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// `rank DIR --format FORMAT [--cycle ID]` in `cwd`, succeeding.
fn rank(cwd: &Path, dir: &str, format: &str, cycle: Option<&str>) -> String {
    let mut args = vec!["rank", dir, "--format", format];
    if let Some(c) = cycle {
        args.extend(["--cycle", c]);
    }
    let o = run_in(cwd, &args);
    assert_ok(&o);
    stdout(&o)
}

fn csv_rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn num(s: &str) -> f64 {
    s.parse().unwrap_or_else(|_| panic!("not a number: {s:?}"))
}

/// The text of every `<strong class="app-tag ...">` after `anchor` in `html`, up to `end`.
fn tags_after(html: &str, anchor: &str, end: &str) -> Vec<String> {
    let Some(i) = html.find(anchor) else {
        return Vec::new();
    };
    let rest = &html[i..];
    let rest = &rest[..rest.find(end).unwrap_or(rest.len())];
    rest.split("<strong class=\"app-tag")
        .skip(1)
        .filter_map(|t| {
            let start = t.find('>')? + 1;
            let stop = t.find("</strong>")?;
            Some(t[start..stop].to_string())
        })
        .collect()
}

/// "Limited assurance (1.25)" for 1.25, "Limited assurance" for 1.0: how a page tags a rating.
fn tag_of(label: &str, rating: f64) -> String {
    if (rating - rating.round()).abs() < 1e-9 {
        label.to_string()
    } else {
        format!("{label} ({rating:.2})")
    }
}

/// Reads the same figures back from every surface of the partnership at `cwd/dir`.
fn every_surface_agrees(cwd: &Path, dir: &str) {
    let json: Value = serde_json::from_str(&rank(cwd, dir, "json", None)).unwrap();
    let main = json["cycle"].as_str().unwrap().to_string();
    let rows = csv_rows(&rank(cwd, dir, "csv", None));
    let priorities = json["priorities"].as_array().unwrap();
    let main_rows: Vec<&BTreeMap<String, String>> =
        rows.iter().filter(|r| r["cycle"] == main).collect();
    assert_eq!(
        main_rows.len(),
        priorities.len(),
        "{dir}: a CSV row per priority"
    );
    for (p, r) in priorities.iter().zip(&main_rows) {
        let q = p["question"].as_str().unwrap();
        assert_eq!(r["question"], q, "{dir}: same order");
        assert_eq!(num(&r["score"]), p["score"].as_f64().unwrap(), "{dir} {q}");
        // Every component is in the CSV, so the row multiplies out to its score.
        let c = |k: &str| num(&r[k]);
        let shortfall = 1.0 - c("coverage") * (1.0 - c("gap"));
        let recomputed = 100.0
            * (0.1 + 0.9 * shortfall)
            * c("confidence")
            * c("metrics")
            * c("deterioration")
            * c("after_actions")
            * c("theme_weight");
        let score = num(&r["score"]);
        assert!(
            (recomputed - score).abs() <= 0.0012 * score + 0.006,
            "{dir} {q}: the CSV row gives {recomputed}, the score is {score}"
        );
    }

    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    assert_ok(&run_in(
        cwd,
        &["build", dir, "--out", site.to_str().unwrap()],
    ));
    let read = |rel: &str| std::fs::read_to_string(site.join(rel)).unwrap();
    let data: Value = serde_json::from_str(&read("data/priorities.json")).unwrap();
    for (a, b) in priorities
        .iter()
        .zip(data["priorities"].as_array().unwrap())
    {
        for k in ["question", "rank", "rating", "score", "components", "flags"] {
            assert_eq!(
                a[k], b[k],
                "{dir}: rank and data/priorities.json differ on {k}"
            );
        }
    }
    let ratings = csv_rows(&read("data/ratings.csv"));
    let by: Vec<&BTreeMap<String, String>> = ratings
        .iter()
        .filter(|r| r["by"] == "partnership")
        .collect();

    // Every cycle: rank --cycle, ratings.csv, its page's results and each question's page.
    let cycles: Vec<String> = {
        let mut v: Vec<String> = by.iter().map(|r| r["cycle"].clone()).collect();
        v.dedup();
        v
    };
    for cycle in &cycles {
        let j: Value = serde_json::from_str(&rank(cwd, dir, "json", Some(cycle))).unwrap();
        let page = read(&format!("cycles/{cycle}/index.html"));
        let results = tags_after(&page, "id=\"results\"", "</table>");
        let mut unrated = 0;
        for p in j["priorities"].as_array().unwrap() {
            let q = p["question"].as_str().unwrap();
            let row = by
                .iter()
                .find(|r| &r["cycle"] == cycle && r["question"] == q)
                .unwrap_or_else(|| panic!("{dir}: ratings.csv lacks {cycle} {q}"));
            assert_eq!(
                num(&row["score"]),
                p["score"].as_f64().unwrap(),
                "{cycle} {q}"
            );
            match p["rating"].as_f64() {
                Some(rating) => {
                    assert_eq!(num(&row["rating"]), rating, "{dir} {cycle} {q}");
                    let tag = tag_of(&row["label"], rating);
                    assert!(
                        results.contains(&tag),
                        "{dir}: the {cycle} page lacks {q}'s {tag}: {results:?}"
                    );
                    if cycle == &main {
                        let qp = read(&format!("questions/{q}/index.html"));
                        let first = tags_after(&qp, "Partnership rating", "</dd>");
                        assert_eq!(first.first(), Some(&tag), "{dir}: {q}'s page");
                    }
                }
                None => {
                    assert_eq!(row["rating"], "", "{cycle} {q}");
                    unrated += 1;
                }
            }
            // A deep dive read from its own evidence never reads as "no returns".
            let flags = p["flags"].to_string();
            if j["method"] != "self-assessment" && p["rating"].is_number() {
                assert!(!flags.contains("unanswered"), "{dir} {cycle} {q}: {flags}");
            }
        }
        let no_rating = results.iter().filter(|t| *t == "No rating").count();
        assert_eq!(no_rating, unrated, "{dir} {cycle}: {results:?}");
        brief_agrees(cwd, dir, cycle, &by);
    }

    // The public edition: its overview's theme levels are the brief's (a public draft, read
    // from the same published evidence), and neither gives an exact average.
    let public = tmp.path().join("public");
    assert_ok(&run_in(
        cwd,
        &[
            "build",
            dir,
            "--out",
            public.to_str().unwrap(),
            "--audience",
            "public",
        ],
    ));
    let overview = std::fs::read_to_string(public.join("index.html")).unwrap();
    let weakest = tags_after(&overview, "id=\"weakest\"", "</table>");
    let brief = draft(cwd, dir, None);
    let results = brief
        .split("## The results in figures")
        .nth(1)
        .and_then(|r| r.split("\n## ").next())
        .unwrap_or_default();
    let levels: Vec<&str> = results
        .lines()
        .filter(|l| l.starts_with("- **"))
        .filter_map(|l| l.split("**: ").nth(1)?.split(',').next())
        .collect();
    for tag in weakest.iter().filter(|t| !t.contains("change")) {
        assert!(
            !tag.contains('('),
            "{dir}: an exact average on the public overview: {tag}"
        );
    }
    for level in &levels {
        assert!(
            weakest.iter().any(|t| t.to_lowercase() == *level),
            "{dir}: the brief says {level}, the public overview {weakest:?}"
        );
    }
}

fn draft(cwd: &Path, dir: &str, cycle: Option<&str>) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("b.md");
    let mut args = vec!["brief", dir, "--out", out.to_str().unwrap()];
    if let Some(c) = cycle {
        args.extend(["--cycle", c]);
    }
    assert_ok(&run_in(cwd, &args));
    std::fs::read_to_string(out).unwrap()
}

/// The brief on `cycle` reports its evidence as it is: never returns where none were asked
/// for, and never an exact average (it is a public draft).
fn brief_agrees(cwd: &Path, dir: &str, cycle: &str, by: &[&BTreeMap<String, String>]) {
    let md = draft(cwd, dir, Some(cycle));
    let ours: Vec<&&BTreeMap<String, String>> = by.iter().filter(|r| r["cycle"] == cycle).collect();
    let collects = ours.iter().any(|r| !r["rated"].is_empty());
    if !collects {
        assert!(
            !md.contains("sent their full return"),
            "{dir} {cycle}:\n{md}"
        );
    }
    assert!(
        !md.contains("average 1") && !md.contains("average 0") && !md.contains("average 2"),
        "{dir} {cycle}:\n{md}"
    );
}

#[test]
fn every_surface_of_the_worked_example_tells_the_same_story() {
    every_surface_agrees(&repo(), "audits/example");
}

#[test]
fn every_surface_of_generated_programmes_tells_the_same_story() {
    let mut conflicts = 0;
    for seed in [1, 7, 42, 99] {
        let tmp = tempfile::tempdir().unwrap();
        programme::write(&tmp.path().join("p"), seed);
        let check = run_in(tmp.path(), &["check", "p"]);
        assert_ok(&check);
        every_surface_agrees(tmp.path(), "p");
        conflicts += rank(tmp.path(), "p", "json", None)
            .matches("\"evidence-conflict\"")
            .count();
    }
    // The programmes exercise the rule: some deep dive reads a question lower somewhere.
    assert!(
        conflicts > 0,
        "no generated programme has an evidence conflict"
    );
}

/// The rank and flags of a question in the example's main cycle.
fn standing(cwd: &Path, q: &str) -> (u64, Vec<String>) {
    let json: Value = serde_json::from_str(&rank(cwd, "p", "json", None)).unwrap();
    let p = json["priorities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["question"] == q)
        .unwrap()
        .clone();
    let flags = p["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect();
    (p["rank"].as_u64().unwrap(), flags)
}

#[test]
fn a_deep_dive_that_finds_practice_falling_short_moves_the_question_up_until_moderation_weighs_it()
{
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("p");
    copy_tree(&repo().join("audits/example"), &p);
    // Without the deep dives, pmh-p-03 (moderated Reasonable) ranks near the bottom.
    let aside = tmp.path().join("aside");
    std::fs::create_dir_all(&aside).unwrap();
    for c in ["2026-q1", "2026-q2"] {
        std::fs::rename(p.join("cycles").join(c), aside.join(c)).unwrap();
    }
    std::fs::remove_file(p.join("briefings/learning-from-2026-q1-tabletop.md")).ok();
    let (alone, flags) = standing(tmp.path(), "pmh-p-03");
    assert!(!flags.contains(&"evidence-conflict".to_string()));
    for c in ["2026-q1", "2026-q2"] {
        std::fs::rename(aside.join(c), p.join("cycles").join(c)).unwrap();
    }
    // The tabletop's case files read it Limited: it moves up, flagged, onto the first screen.
    let (with, flags) = standing(tmp.path(), "pmh-p-03");
    assert!(
        with + 10 < alone,
        "ranked {alone} alone, {with} with the deep dives"
    );
    assert!(
        flags.contains(&"evidence-conflict".to_string()),
        "{flags:?}"
    );
    let check = run_in(tmp.path(), &["check", "p"]);
    assert!(
        stderr(&check).contains("warning[PA0407]") && stderr(&check).contains("`pmh-p-03`"),
        "{}",
        stderr(&check)
    );
    // rank's note counts the warnings check lists, the moderation warning among them.
    let listed = stderr(&check).matches("warning[PA").count();
    let rank = run_in(tmp.path(), &["rank", "p"]);
    assert!(
        stderr(&rank).contains(&format!("note: {listed} warning(s)")),
        "check lists {listed}; rank says: {}",
        stderr(&rank)
    );
    let site = tmp.path().join("site");
    assert_ok(&run_in(tmp.path(), &["build", "p", "--out", "site"]));
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    let first_screen = &index[..index.find("id=\"assurance\"").unwrap()];
    assert!(
        first_screen.contains("Where practice fell short")
            && first_screen.contains("questions/pmh-p-03/index.html"),
        "the board's first screen names it"
    );
    // A moderation before the deep dives, listing them, resolves nothing.
    let moderation = p.join("cycles/2025-26/moderation.toml");
    let text = std::fs::read_to_string(&moderation).unwrap();
    let listed = text.replace(
        "[questions.pmh-p-03]\n",
        "[questions.pmh-p-03]\nconsidered = [\"2026-q1\", \"2026-q2\"]\n",
    );
    std::fs::write(&moderation, &listed).unwrap();
    let check = run_in(tmp.path(), &["check", "p"]);
    assert!(
        stderr(&check).contains("warning[PA0302]"),
        "{}",
        stderr(&check)
    );
    assert!(
        standing(tmp.path(), "pmh-p-03")
            .1
            .contains(&"evidence-conflict".to_string())
    );
    // Moderated again after them: the panel's rating stands, and the page says so.
    let redated = listed.replace("moderated_on = 2025-12-05", "moderated_on = 2026-05-20");
    assert_ne!(redated, listed, "the example's moderation date changed");
    std::fs::write(&moderation, redated).unwrap();
    let check = run_in(tmp.path(), &["check", "p"]);
    assert!(!stderr(&check).contains("PA0407"), "{}", stderr(&check));
    let (resolved, flags) = standing(tmp.path(), "pmh-p-03");
    assert!(
        !flags.contains(&"evidence-conflict".to_string()),
        "{flags:?}"
    );
    assert!(
        resolved > with,
        "back down once weighed: {with} -> {resolved}"
    );
    assert_ok(&run_in(tmp.path(), &["build", "p", "--out", "site2"]));
    let q =
        std::fs::read_to_string(tmp.path().join("site2/questions/pmh-p-03/index.html")).unwrap();
    assert!(
        q.contains("The moderation panel weighed"),
        "the page says so"
    );
}
