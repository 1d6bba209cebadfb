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
    // A reviewer reads the page's words and structure; each chart's drawing (coordinates no
    // one reviews) is checked here by its properties and stands in the snapshot as its title
    // and description, which is what a screen reader says of it.
    let svg = regex::Regex::new(r"(?s)<svg\b([^>]*)>(.*?)</svg>").unwrap();
    let title = regex::Regex::new(r#"(?s)<title id="([^"]+)">(.*?)</title>"#).unwrap();
    let desc = regex::Regex::new(r#"(?s)<desc id="([^"]+)">(.*?)</desc>"#).unwrap();
    let mut charts = 0;
    let readable = svg.replace_all(&main, |c: &regex::Captures<'_>| {
        charts += 1;
        let (attrs, body) = (&c[1], &c[2]);
        let t = title.captures(body).expect("every chart has a <title>");
        let d = desc.captures(body).expect("every chart has a <desc>");
        assert!(attrs.contains(r#"role="img""#), "{attrs}");
        assert!(
            attrs.contains(&format!(r#"aria-labelledby="{} {}""#, &t[1], &d[1])),
            "a chart is labelled by its own title and description: {attrs}"
        );
        assert!(
            !body.contains("<script") && !body.contains("href=\"http"),
            "{body}"
        );
        format!("<svg role=\"img\">[chart] {} — {}</svg>", &t[2], &d[2])
    });
    assert!(
        charts >= 1,
        "the overview draws its chart of ratings by theme"
    );
    insta::assert_snapshot!("public-overview-main", readable);
}
