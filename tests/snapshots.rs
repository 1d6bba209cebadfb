//! Snapshots of what a user sees from the worked example, for a reviewer to read in
//! `tests/snapshots/`: `check` as text and JSON, `rank`'s table and JSON, and the public
//! overview page. A change to any of them shows up in review as a diff of these files
//! (`cargo insta review`, or `INSTA_UPDATE=always cargo test` then `git diff`).

use crate::common::*;

fn example(args: &[&str]) -> (String, String) {
    let mut all = vec![args[0], "audits/example"];
    all.extend_from_slice(&args[1..]);
    let out = run_in(&repo(), &all);
    assert!(out.status.success(), "{}", text(&out.stderr));
    (text(&out.stdout), text(&out.stderr))
}

#[test]
fn check_of_the_example() {
    let (stdout, stderr) = example(&["check"]);
    insta::assert_snapshot!("check-text", format!("{stderr}---\n{stdout}"));
    let (json, _) = example(&["check", "--format", "json"]);
    insta::assert_snapshot!("check-json", json);
}

#[test]
fn rank_of_the_example() {
    let (table, _) = example(&["rank", "--as-of", "2026-01-31"]);
    insta::assert_snapshot!("rank-table", table);
    let (json, _) = example(&[
        "rank",
        "--as-of",
        "2026-01-31",
        "--format",
        "json",
        "--top",
        "5",
    ]);
    insta::assert_snapshot!("rank-json-top5", json);
}

#[test]
fn public_overview_of_the_example() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = run_in(
        &repo(),
        &[
            "build",
            "audits/example",
            "--audience",
            "public",
            "--as-of",
            "2026-01-31",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let page = std::fs::read_to_string(out.join("index.html")).unwrap();
    let main = page
        .split_once("<main")
        .and_then(|(_, rest)| rest.split_once("</main>"))
        .map(|(m, _)| format!("<main{m}</main>"))
        .expect("the overview has a <main>");
    insta::assert_snapshot!("public-overview-main", main);
}
