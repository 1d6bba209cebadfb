//! Disclosure control, attacked from outside: the public build of the worked example and of
//! partnerships with one, two and three agencies is read as an attacker would read it, with
//! every arithmetic route the issue names (totals, shown counts, averages, ranges, exact
//! ratings and scores in the data files, age bands, survey items, two builds side by side),
//! and nothing hidden may come out.

use crate::common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn public_build(cwd: &Path, dir: &str, out: &str) -> PathBuf {
    assert_ok(&run_in(
        cwd,
        &["build", dir, "--out", out, "--audience", "public"],
    ));
    cwd.join(out)
}

/// Text with tags stripped and entities for apostrophes decoded, spaces collapsed.
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
        .replace("&#x27;", "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The cells of the table whose caption is `caption`: Some(n) shown, None hidden.
fn table_cells(html: &str, caption: &str) -> Option<Vec<Option<usize>>> {
    let start = html.find(caption)?;
    let rest = &html[start..];
    let body = &rest[..rest.find("</table>")?];
    Some(
        body.split("<td class=\"app-numeric\">")
            .skip(1)
            .filter_map(|c| c.split('<').next())
            .map(|c| c.trim().parse().ok())
            .collect(),
    )
}

/// What an attacker can narrow each hidden cell to, by trying every filling that agrees with
/// the shown cells and the total (hidden cells are never zero: zeros are shown).
fn narrowest(cells: &[Option<usize>], total: usize) -> Option<usize> {
    let shown: usize = cells.iter().flatten().sum();
    let hidden = cells.iter().filter(|c| c.is_none()).count();
    if hidden == 0 {
        return None;
    }
    let rest = total.checked_sub(shown)?;
    let mut lo = vec![usize::MAX; hidden];
    let mut hi = vec![0; hidden];
    fn fill(k: usize, left: usize, v: &mut Vec<usize>, lo: &mut [usize], hi: &mut [usize]) {
        if k + 1 == v.len() {
            if left >= 1 {
                v[k] = left;
                for (j, x) in v.iter().enumerate() {
                    lo[j] = lo[j].min(*x);
                    hi[j] = hi[j].max(*x);
                }
            }
            return;
        }
        for x in 1..=left {
            v[k] = x;
            fill(k + 1, left - x, v, lo, hi);
        }
    }
    let mut v = vec![0; hidden];
    fill(0, rest, &mut v, &mut lo, &mut hi);
    lo.iter().zip(&hi).map(|(l, h)| h.saturating_sub(*l)).min()
}

/// The attack on one public build: every question page's tables, their neighbours and the
/// data files. Returns how many protected tables it tried.
fn attack(site: &Path, min: usize) -> usize {
    let mut tried = 0;
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("data/priorities.json")).unwrap())
            .unwrap();
    let rows: BTreeMap<String, &Value> = json["priorities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["question"].as_str().unwrap().to_string(), p))
        .collect();
    for (path, bytes) in files(site) {
        if !(path.starts_with("questions/") && path.ends_with("index.html")) {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let text = words(&html);
        let q = path.split('/').nth(1).unwrap().to_string();
        // "9 of the 10 agencies asked gave a rating": the number before " of the ".
        let rated: Option<usize> = text
            .find(" agencies asked gave a rating")
            .and_then(|i| text[..i].rsplit_once(" of the "))
            .and_then(|(before, _)| before.rsplit(' ').next())
            .and_then(|n| n.parse().ok());
        let mut hides = false;
        for caption in [
            "Agencies' ratings at each level",
            "Strength of the evidence",
        ] {
            let Some(cells) = table_cells(&html, caption) else {
                continue;
            };
            if cells.iter().any(Option::is_none) {
                hides = true;
                tried += 1;
                let total = rated.expect("a protected table has its total");
                let width = narrowest(&cells, total).unwrap_or(usize::MAX);
                assert!(
                    width >= min,
                    "{path}: {caption}: a hidden count narrows to {width}"
                );
            }
        }
        if hides {
            for leak in ["the plain average is", "From ", "All ratings were"] {
                assert!(
                    !text.contains(leak),
                    "{path}: {leak:?} beside a hidden count"
                );
            }
            if let Some(row) = rows.get(&q) {
                for k in ["score", "components", "spread"] {
                    assert!(row[k].is_null(), "priorities.json gives {q}'s {k}: {row}");
                }
                let r = row["rating"].as_f64().unwrap_or(0.0);
                assert_eq!(
                    r.fract(),
                    0.0,
                    "priorities.json gives {q} an exact rating {r}"
                );
            }
        }
        // A rating is published only over at least the minimum number of agencies.
        if let Some(n) = rated {
            assert!(n >= min, "{path}: {n} agencies' rating published");
        }
        assert!(!text.contains("did not answer") && !text.contains("does not apply to them"));
    }
    tried
}

#[test]
fn an_attack_on_the_worked_examples_public_build_recovers_no_hidden_count() {
    let tmp = tempfile::tempdir().unwrap();
    let site = public_build(
        &repo(),
        "audits/example",
        tmp.path().join("s").to_str().unwrap(),
    );
    let tried = attack(&site, 3);
    assert!(
        tried > 10,
        "the example has protected tables to attack: {tried}"
    );
    // Age bands: either the counts add up to the cases audited, or no counts are shown.
    let cycle = words(&std::fs::read_to_string(site.join("cycles/2026-q1/index.html")).unwrap());
    if let Some(ages) = cycle.split("Ages of the children: ").nth(1) {
        let ages = ages.split('.').next().unwrap();
        let counts: Vec<usize> = ages
            .split(": ")
            .skip(1)
            .filter_map(|t| t.split(' ').next()?.parse().ok())
            .collect();
        for n in &counts {
            assert!(*n >= 5, "an age band of {n}: {ages}");
        }
        if !counts.is_empty() {
            assert_eq!(counts.iter().sum::<usize>(), 8, "{ages}");
        }
    }
    // Survey items: none under ten answers anywhere, with its shares or in a question's reading.
    for (path, bytes) in files(&site) {
        let text = words(&String::from_utf8_lossy(&bytes));
        for n in 1..10 {
            assert!(
                !text.contains(&format!("({n} responses)"))
                    && !text.contains(&format!("of {n} answers agreed")),
                "{path}: an item of {n} answers"
            );
        }
    }
}

/// The fixture partnership with `n` agencies (1 to 3), every one answering every question.
fn partnership_of(n: usize) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("p");
    copy_tree(&repo().join("tests/fixtures/valid"), &p);
    let ptoml = p.join("partnership.toml");
    let mut text = std::fs::read_to_string(&ptoml).unwrap();
    match n {
        1 => {
            let police = text.find("[[agencies]]\nid = \"police\"").unwrap();
            let end = text[police..]
                .find("\n\n")
                .map_or(text.len(), |e| police + e + 2);
            text.replace_range(police..end, "");
            std::fs::remove_file(p.join("cycles/2025-26/responses/police.toml")).unwrap();
            std::fs::remove_file(p.join("cycles/2024-25/responses/police.toml")).ok();
            std::fs::remove_file(p.join("cycles/2025-26/moderation.toml")).ok();
        }
        3 => {
            text = text.replace(
                "[priority]",
                "[[agencies]]\nid = \"icb\"\nname = \"Testvale ICB\"\nsector = \"health\"\nstatutory = true\n\n[priority]",
            );
            let council =
                std::fs::read_to_string(p.join("cycles/2025-26/responses/council.toml")).unwrap();
            std::fs::write(
                p.join("cycles/2025-26/responses/icb.toml"),
                council.replace("agency = \"council\"", "agency = \"icb\""),
            )
            .unwrap();
        }
        _ => {}
    }
    std::fs::write(&ptoml, text).unwrap();
    (tmp, p)
}

#[test]
fn partnerships_of_one_and_two_agencies_publish_no_agency_figure_and_of_three_a_protected_one() {
    for n in [1, 2, 3] {
        let (tmp, _) = partnership_of(n);
        let check = run_in(tmp.path(), &["check", "p"]);
        assert_eq!(check.status.code(), Some(0), "{n}: {}", stderr(&check));
        let site = public_build(tmp.path(), "p", "site");
        attack(&site, 3);
        let json: Value = serde_json::from_str(
            &std::fs::read_to_string(site.join("data/priorities.json")).unwrap(),
        )
        .unwrap();
        let cycle =
            words(&std::fs::read_to_string(site.join("cycles/2025-26/index.html")).unwrap());
        let ratings = std::fs::read_to_string(site.join("data/ratings.csv")).unwrap();
        if n < 3 {
            assert!(!cycle.contains("Returns by agency"), "{n}: {cycle}");
            assert!(cycle.contains("nothing about a single agency"), "{n}");
            for p in json["priorities"].as_array().unwrap() {
                assert!(p["answered"].is_null(), "{n}: {p}");
                // Only the panel's rating can be published: it is the partnership's.
                assert!(
                    p["moderated"] == true,
                    "{n}: an agencies' rating is published: {p}"
                );
            }
            for line in ratings.lines().skip(1) {
                let cells: Vec<&str> = line.split(',').collect();
                assert_eq!(
                    cells[11], "",
                    "{n}: a count of agencies in ratings.csv: {line}"
                );
            }
            let priorities =
                words(&std::fs::read_to_string(site.join("priorities/index.html")).unwrap());
            assert!(priorities.contains("too few agencies rated them"), "{n}");
            let out = tmp.path().join("b.md");
            assert_ok(&run_in(
                tmp.path(),
                &["brief", "p", "--out", out.to_str().unwrap()],
            ));
            let brief = std::fs::read_to_string(out).unwrap();
            assert!(!brief.contains("sent their full return"), "{n}: {brief}");
        } else {
            let q =
                words(&std::fs::read_to_string(site.join("questions/mh-s-01/index.html")).unwrap());
            assert!(q.contains("3 of the 3 agencies asked gave a rating"), "{q}");
        }
    }
}

#[test]
fn two_public_builds_either_side_of_one_more_case_are_the_same_until_the_round_is_signed_off() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("p");
    copy_tree(&repo().join("audits/example"), &p);
    let cycle = p.join("cycles/2026-q1/cycle.toml");
    let text = std::fs::read_to_string(&cycle).unwrap();
    let unsigned: String = text
        .lines()
        .filter(|l| !l.starts_with("signed_off"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(unsigned, text, "the example's tabletop is signed off");
    std::fs::write(&cycle, &unsigned).unwrap();
    let before = files(&public_build(tmp.path(), "p", "before"));
    let c08 = std::fs::read_to_string(p.join("cycles/2026-q1/cases/C08.toml")).unwrap();
    std::fs::write(
        p.join("cycles/2026-q1/cases/C09.toml"),
        c08.replace("ref = \"C08\"", "ref = \"C09\"")
            .replace("\"met\"", "\"not-met\""),
    )
    .unwrap();
    let after = files(&public_build(tmp.path(), "p", "after"));
    assert_eq!(before.len(), after.len());
    for (path, bytes) in &before {
        assert!(
            after.get(path) == Some(bytes),
            "{path} changed with an unsigned case"
        );
    }
    let page = words(&String::from_utf8_lossy(
        &before["cycles/2026-q1/index.html"],
    ));
    assert!(page.contains("has not been signed off yet"), "{page}");
}
