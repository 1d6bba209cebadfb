//! `panelaudit build`, run as a user runs it, on the fixture in tests/fixtures/site/northdale:
//! the pages the contract promises, nothing internal in a public build, no user text turned
//! into markup, links that resolve, identical bytes from identical input, and a failed build
//! that leaves the previous site alone.

use crate::common::{copy_tree, files, repo, run_in, text};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const FIXTURE: &str = "tests/fixtures/site/northdale";

/// Texts in the fixture that only an internal build may contain.
const INTERNAL_MARKERS: &[&str] = &[
    "INTERNAL-EVIDENCE-MARKER",
    "INTERNAL-GAPS-MARKER",
    "INTERNAL-NOTE-MARKER",
    "MODERATION-NOTE-MARKER",
    "INTERNAL-BRIEFING-MARKER",
    "INTERNAL-BRIEFING-TITLE-MARKER",
    // Agencies' own evidence lines, which carry no marker of their own.
    "council evidence for",
    "Head of Public Protection",
];

/// Builds `dir` into `out` for `audience`, asserting success.
fn build(dir: &Path, out: &Path, audience: &str) {
    let o = run_in(
        &repo(),
        &[
            "build",
            dir.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--audience",
            audience,
        ],
    );
    assert!(
        o.status.success(),
        "build failed:\n{}\n{}",
        text(&o.stdout),
        text(&o.stderr)
    );
}

fn build_fixture(audience: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build(&repo().join(FIXTURE), &out, audience);
    (tmp, out)
}

/// Every HTML page under `root`, by path relative to it (with `/`), as text.
fn pages(root: &Path) -> BTreeMap<String, String> {
    files(root)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8(b).expect("pages are UTF-8")))
        .collect()
}

/// A start tag of the output: its name and attributes (names lowercased, values unescaped
/// only as far as quotes). Every `<` the site writes outside a tag is escaped as `&lt;`, so
/// each literal `<` starts markup.
#[derive(Debug)]
struct StartTag {
    name: String,
    attrs: Vec<(String, String)>,
}

fn start_tags(html: &str) -> Vec<StartTag> {
    let mut tags = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off + 1;
        i = start;
        if html[start..].starts_with('/') || html[start..].starts_with('!') {
            continue;
        }
        let mut j = start;
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'-') {
            j += 1;
        }
        let name = html[start..j].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' || bytes[j] == b'/' {
                break;
            }
            let a = j;
            while j < bytes.len() && !b" =>\t\n/".contains(&bytes[j]) {
                j += 1;
            }
            let attr = html[a..j].to_ascii_lowercase();
            let mut value = String::new();
            if j < bytes.len() && bytes[j] == b'=' {
                j += 1;
                if j < bytes.len() && (bytes[j] == b'"' || bytes[j] == b'\'') {
                    let q = bytes[j];
                    let v = j + 1;
                    let end = html[v..].find(char::from(q)).map_or(html.len(), |e| v + e);
                    value = html[v..end].to_string();
                    j = (end + 1).min(bytes.len());
                } else {
                    let v = j;
                    while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                        j += 1;
                    }
                    value = html[v..j].to_string();
                }
            }
            if attr.is_empty() {
                j += 1;
            } else {
                attrs.push((attr, value));
            }
        }
        tags.push(StartTag { name, attrs });
    }
    tags
}

#[test]
fn every_contract_page_exists_for_both_audiences() {
    let common_pages = [
        "index.html",
        "priorities/index.html",
        "actions/index.html",
        "metrics/index.html",
        "method/index.html",
        "accessibility/index.html",
        "briefings/index.html",
        "briefings/learning-2025-26/index.html",
        "data/priorities.csv",
        "data/priorities.json",
        "data/ratings.csv",
        "assets/style.css",
    ];
    let themes = ["mental-health", "outside-home", "safer-sleep"];
    let questions = [
        "mh-s-01", "mh-p-01", "oh-s-01", "oh-p-01", "ss-s-01", "ss-p-01",
    ];
    let agencies = ["council", "police", "icb", "schools"];
    for audience in ["internal", "public"] {
        let (_tmp, out) = build_fixture(audience);
        let all = files(&out);
        let mut expected: Vec<String> = common_pages.iter().map(|s| s.to_string()).collect();
        expected.extend(themes.iter().map(|t| format!("themes/{t}/index.html")));
        expected.extend(
            questions
                .iter()
                .map(|q| format!("questions/{q}/index.html")),
        );
        for page in &expected {
            assert!(all.contains_key(page), "{audience}: missing {page}");
        }
        for a in agencies {
            let page = format!("agencies/{a}/index.html");
            assert_eq!(
                all.contains_key(&page),
                audience == "internal",
                "{audience}: agency page {page}"
            );
        }
        assert_eq!(
            all.contains_key("briefings/board-debrief/index.html"),
            audience == "internal",
            "{audience}: the internal briefing"
        );
    }
}

#[test]
fn internal_text_reaches_the_internal_build_and_no_byte_of_the_public_one() {
    let (_t1, internal) = build_fixture("internal");
    let (_t2, public) = build_fixture("public");
    let internal_files = files(&internal);
    for marker in INTERNAL_MARKERS {
        assert!(
            internal_files.values().any(|b| text(b).contains(marker)),
            "the internal build should show {marker}"
        );
    }
    for (path, bytes) in files(&public) {
        let body = text(&bytes);
        for marker in INTERNAL_MARKERS {
            assert!(!body.contains(marker), "public {path} contains {marker}");
        }
        assert!(
            !body.contains("agencies/"),
            "public {path} links an agency page"
        );
    }
    // The public question page shows the moderation panel's public summary and the counts.
    let q = std::fs::read_to_string(public.join("questions/oh-s-01/index.html")).unwrap();
    assert!(
        q.contains("the map is not yet shared with schools on time"),
        "{q}"
    );
    assert!(q.contains("How the agencies answered"), "{q}");
}

#[test]
fn public_data_files_hold_aggregates_only() {
    let (_t1, internal) = build_fixture("internal");
    let (_t2, public) = build_fixture("public");
    let read = |root: &Path| std::fs::read_to_string(root.join("data/ratings.csv")).unwrap();
    let by_column = |csv: &str| -> Vec<String> {
        csv.lines()
            .skip(1)
            .map(|l| l.split(',').nth(5).unwrap_or_default().to_string())
            .collect()
    };
    let public_by = by_column(&read(&public));
    assert!(!public_by.is_empty());
    assert!(
        public_by.iter().all(|b| b == "partnership"),
        "{public_by:?}"
    );
    let internal_by = by_column(&read(&internal));
    assert!(
        internal_by.iter().any(|b| b == "police"),
        "internal rows per agency"
    );
    let json = std::fs::read_to_string(public.join("data/priorities.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["cycle"], "2025-26");
    assert_eq!(v["priorities"][0]["rank"], 1);
    assert!(
        !json.contains("\"agencies\""),
        "no agency ratings in the JSON"
    );
    let csv = std::fs::read_to_string(public.join("data/priorities.csv")).unwrap();
    assert!(
        csv.starts_with("partnership,cycle,rank,question,theme,level,rating,score"),
        "{csv}"
    );
    // Questions fewer than three agencies rated are withheld from the public ranking.
    let ranked = csv.lines().count() - 1;
    assert!((1..6).contains(&ranked), "{csv}");
}

#[test]
fn markdown_and_titles_never_become_markup() {
    for audience in ["internal", "public"] {
        let (_tmp, out) = build_fixture(audience);
        for (path, html) in pages(&out) {
            for tag in start_tags(&html) {
                assert!(
                    ![
                        "script", "img", "iframe", "object", "embed", "style", "link"
                    ]
                    .contains(&tag.name.as_str())
                        || (tag.name == "link"
                            && tag
                                .attrs
                                .iter()
                                .any(|(k, v)| k == "rel" && v == "stylesheet")),
                    "{audience} {path}: <{}> in the output",
                    tag.name
                );
                for (k, v) in &tag.attrs {
                    assert!(
                        !k.starts_with("on"),
                        "{audience} {path}: {k}= on <{}>",
                        tag.name
                    );
                    if k == "href" || k == "src" {
                        let lower = v.to_ascii_lowercase();
                        for scheme in ["javascript:", "data:", "vbscript:"] {
                            assert!(!lower.starts_with(scheme), "{audience} {path}: {k}={v}");
                        }
                    }
                }
            }
        }
        // The text survives, escaped, and template syntax stays literal.
        let theme = std::fs::read_to_string(out.join("themes/mental-health/index.html")).unwrap();
        assert!(
            theme.contains("{{ site.name }} is data, not a template"),
            "{theme}"
        );
        assert!(theme.contains("a link that must die"));
        let actions = std::fs::read_to_string(out.join("actions/index.html")).unwrap();
        assert!(actions.contains("&lt;script&gt;alert("), "{actions}");
        assert!(actions.contains("<a href=\"https://www.gov.uk/guidance\">the guidance</a>"));
        let q = std::fs::read_to_string(out.join("questions/oh-s-01/index.html")).unwrap();
        assert!(
            q.contains("{{ site.name }} {% if true %}x{% endif %}"),
            "{q}"
        );
        assert!(q.contains("tracking pixel") && !q.contains("tracker.example"));
    }
}

/// Resolves a relative URL against the page's folder and checks the file (and id) exists.
fn check_links(root: &Path) -> usize {
    let all = pages(root);
    let mut checked = 0;
    for (path, html) in &all {
        let dir = Path::new(path).parent().unwrap_or(Path::new(""));
        for tag in start_tags(html) {
            for (k, v) in &tag.attrs {
                if k != "href" && k != "src" {
                    continue;
                }
                if v.contains("://") || v.starts_with("mailto:") {
                    continue;
                }
                assert!(!v.starts_with('/'), "{path}: root-relative link {v}");
                checked += 1;
                let (file, fragment) = match v.split_once('#') {
                    Some((f, frag)) => (f, Some(frag)),
                    None => (v.as_str(), None),
                };
                let target = if file.is_empty() {
                    PathBuf::from(path)
                } else {
                    let mut t = dir.to_path_buf();
                    for part in file.split('/') {
                        match part {
                            ".." => {
                                assert!(t.pop(), "{path}: {v} leaves the site");
                            }
                            "." | "" => {}
                            p => t.push(p),
                        }
                    }
                    t
                };
                let target_str = target.to_string_lossy().replace('\\', "/");
                assert!(
                    root.join(&target).is_file(),
                    "{path}: {k}={v} -> missing {target_str}"
                );
                assert!(
                    file.is_empty() || file.ends_with(".html") || file.contains('.'),
                    "{path}: {v} should name a file (index.html), not a folder"
                );
                if let Some(id) = fragment {
                    let target_html = all
                        .get(&target_str)
                        .unwrap_or_else(|| panic!("{path}: {v}: fragment on a non-page"));
                    assert!(
                        target_html.contains(&format!("id=\"{id}\"")),
                        "{path}: {v}: no id {id} in {target_str}"
                    );
                }
            }
        }
    }
    checked
}

#[test]
fn every_relative_link_and_fragment_resolves() {
    for audience in ["internal", "public"] {
        let (_tmp, out) = build_fixture(audience);
        let checked = check_links(&out);
        assert!(checked > 200, "{audience}: only {checked} links checked");
    }
}

#[test]
fn every_page_has_the_landmarks_a_reader_relies_on() {
    let (_tmp, out) = build_fixture("internal");
    for (path, html) in pages(&out) {
        assert!(
            html.starts_with("<!DOCTYPE html>\n<html lang=\"en-GB\" data-audience=\"internal\">"),
            "{path}"
        );
        assert_eq!(html.matches("<h1").count(), 1, "{path}: one h1");
        assert!(
            html.contains("<main class=\"app-main\" id=\"main-content\">"),
            "{path}"
        );
        assert!(
            html.contains("href=\"#main-content\" class=\"app-skip-link\""),
            "{path}"
        );
        assert!(
            html.contains("accessibility/index.html\">Accessibility statement"),
            "{path}"
        );
        assert!(
            html.contains("method/index.html\">How we score and rank"),
            "{path}"
        );
        assert!(
            !html.contains("<script"),
            "{path}: the site needs no JavaScript"
        );
        for svg in html.split("<svg ").skip(1) {
            let open = &svg[..svg.find('>').unwrap()];
            assert!(open.contains("role=\"img\""), "{path}: chart without role");
            assert!(
                open.contains("aria-labelledby="),
                "{path}: chart without a name"
            );
            assert!(svg.contains("<title id="), "{path}: chart without a title");
        }
    }
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    for id in ["chart-assurance", "chart-top", "chart-trend"] {
        let at = index
            .find(&format!("id=\"{id}-title\""))
            .unwrap_or_else(|| panic!("{id}"));
        let figure_end = at + index[at..].find("</figure>").unwrap();
        assert!(
            index[at..figure_end].contains("<table"),
            "{id}: the chart's figures are in a table beside it"
        );
    }
}

#[test]
fn metrics_with_no_better_direction_are_never_judged() {
    let (_tmp, out) = build_fixture("public");
    let html = std::fs::read_to_string(out.join("metrics/index.html")).unwrap();
    let section = |id: &str| -> String {
        let at = html.find(&format!("id=\"metric-{id}\"")).unwrap();
        html[at..at + html[at..].find("</section>").unwrap()].to_string()
    };
    let context = section("child-population");
    assert!(context.contains("Context only"), "{context}");
    for judged in [
        "On target",
        "Worse than target",
        "Meets target",
        "app-tag--red",
        "app-tag--green",
    ] {
        assert!(!context.contains(judged), "a context metric shows {judged}");
    }
    let wait = section("camhs-wait-weeks");
    assert!(wait.contains("Worse than target") && wait.contains("England 2023-24"));
    assert!(wait.contains("chart-metric-camhs-wait-weeks-title"));
}

#[test]
fn the_same_input_builds_the_same_bytes() {
    for audience in ["internal", "public"] {
        let (_t1, a) = build_fixture(audience);
        let (_t2, b) = build_fixture(audience);
        let (fa, fb) = (files(&a), files(&b));
        assert_eq!(
            fa.keys().collect::<Vec<_>>(),
            fb.keys().collect::<Vec<_>>(),
            "{audience}: same files"
        );
        for (path, bytes) in &fa {
            assert!(
                bytes == &fb[path],
                "{audience}: {path} differs between builds"
            );
        }
    }
}

#[test]
fn a_failed_build_leaves_the_previous_site_exactly_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let audit = tmp.path().join("northdale");
    copy_tree(&repo().join(FIXTURE), &audit);
    let out = tmp.path().join("site");
    build(&audit, &out, "internal");
    let before = files(&out);

    let fail = |why: &str| {
        let o = run_in(
            tmp.path(),
            &[
                "build",
                "northdale",
                "--out",
                "site",
                "--audience",
                "internal",
            ],
        );
        assert_eq!(o.status.code(), Some(1), "{why}: exit 1");
        assert!(
            text(&o.stderr).contains("site was left as it was"),
            "{why}: {}",
            text(&o.stderr)
        );
        assert!(files(&out) == before, "{why}: the previous site changed");
        let strays: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("panelaudit") && !n.ends_with(".panelaudit-lock"))
            .collect();
        assert!(strays.is_empty(), "{why}: left {strays:?}");
    };

    // Invalid input.
    let actions = audit.join("actions.toml");
    let good = std::fs::read_to_string(&actions).unwrap();
    std::fs::write(
        &actions,
        good.replace("status = \"complete\"", "status = \"finished\""),
    )
    .unwrap();
    fail("an invalid action status");
    std::fs::write(&actions, &good).unwrap();

    // A template override that does not compile.
    std::fs::create_dir(audit.join("templates")).unwrap();
    std::fs::write(audit.join("templates/index.html"), "{% if %}").unwrap();
    fail("a broken template");
    // One that compiles but fails when rendered.
    std::fs::write(
        audit.join("templates/index.html"),
        "{% extends \"base.html\" %}{% block content %}{{ no_such_value.field }}{% endblock content %}",
    )
    .unwrap();
    fail("a template naming an unknown value");
    std::fs::remove_dir_all(audit.join("templates")).unwrap();

    // A public build is never written over the internal report (nor the other way round).
    let o = run_in(
        tmp.path(),
        &[
            "build",
            "northdale",
            "--out",
            "site",
            "--audience",
            "public",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("it holds the internal site and this is the public one"));
    assert!(
        files(&out) == before,
        "the refused public build changed the site"
    );

    // And a good build still replaces it.
    build(&audit, &out, "internal");
    assert!(out.join("agencies").is_dir());
}

#[test]
fn refuses_to_write_over_the_audit_or_the_file_system_root() {
    let tmp = tempfile::tempdir().unwrap();
    let audit = tmp.path().join("northdale");
    copy_tree(&repo().join(FIXTURE), &audit);
    let before = files(tmp.path());
    for out in ["northdale", ".", "/", "northdale/.."] {
        let o = run_in(tmp.path(), &["build", "northdale", "--out", out]);
        assert_eq!(o.status.code(), Some(1), "--out {out}");
        assert!(
            text(&o.stderr).contains("refusing"),
            "--out {out}: {}",
            text(&o.stderr)
        );
    }
    std::fs::create_dir(tmp.path().join("letters")).unwrap();
    std::fs::write(tmp.path().join("letters/note.txt"), "keep me").unwrap();
    let o = run_in(tmp.path(), &["build", "northdale", "--out", "letters"]);
    assert_eq!(o.status.code(), Some(1), "a folder that is not a site");
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("letters/note.txt")).unwrap(),
        "keep me"
    );
    std::fs::remove_dir_all(tmp.path().join("letters")).unwrap();
    assert!(files(tmp.path()) == before, "nothing changed");
}

#[test]
fn an_audit_template_replaces_the_built_in_one_of_the_same_name() {
    let tmp = tempfile::tempdir().unwrap();
    let audit = tmp.path().join("northdale");
    copy_tree(&repo().join(FIXTURE), &audit);
    std::fs::create_dir_all(audit.join("templates/static")).unwrap();
    std::fs::write(
        audit.join("templates/accessibility.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Our own statement</h1>{% endblock content %}",
    )
    .unwrap();
    std::fs::write(
        audit.join("templates/static/style.css"),
        "body { color: #000; }\n",
    )
    .unwrap();
    let out = tmp.path().join("site");
    build(&audit, &out, "public");
    let page = std::fs::read_to_string(out.join("accessibility/index.html")).unwrap();
    assert!(page.contains("<h1>Our own statement</h1>"), "{page}");
    assert!(
        page.contains("Northdale Safeguarding Children Partnership"),
        "the layout stays"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("assets/style.css")).unwrap(),
        "body { color: #000; }\n"
    );
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        index.contains("Self-assessment: overview"),
        "other pages keep the built-in templates"
    );
}

#[test]
fn a_collection_gets_a_comparison_index_and_a_folder_per_partnership() {
    let tmp = tempfile::tempdir().unwrap();
    let region = tmp.path().join("region");
    copy_tree(&repo().join(FIXTURE), &region.join("northdale"));
    copy_tree(&repo().join(FIXTURE), &region.join("southdale"));
    let p = region.join("southdale/partnership.toml");
    let s = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        s.replace("Northdale Safeguarding", "Southdale Safeguarding"),
    )
    .unwrap();
    let out = tmp.path().join("site");
    build(&region, &out, "public");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("Partnerships compared"), "{index}");
    assert!(index.contains("href=\"northdale/index.html\""));
    assert!(index.contains("href=\"southdale/index.html\""));
    assert!(index.contains("Southdale Safeguarding Children Partnership"));
    for folder in ["northdale", "southdale"] {
        for page in [
            "index.html",
            "priorities/index.html",
            "questions/mh-s-01/index.html",
        ] {
            assert!(out.join(folder).join(page).is_file(), "{folder}/{page}");
        }
    }
    let q = std::fs::read_to_string(out.join("southdale/questions/mh-s-01/index.html")).unwrap();
    assert!(
        q.contains("href=\"../../../index.html\">Partnerships in region</a>"),
        "{q}"
    );
    check_links(&out);
}

#[test]
fn the_public_view_lists_every_user_text_it_publishes_with_its_source() {
    use panelaudit::model::Audience;
    use panelaudit::site::views::build_views;
    let mut diags = panelaudit::diag::Diagnostics::new();
    let ws = panelaudit::workspace::load(&repo().join(FIXTURE), &mut diags).unwrap();
    let audit = ws.audits().next().expect("the fixture is valid");
    let ledger = panelaudit::analysis::Ledger::build(audit, panelaudit::model::Date::today());
    let view = build_views(Audience::Public, audit, &ledger, None);
    assert!(
        view.internal.is_none(),
        "a public build has no internal view"
    );
    let published = &view.public.published;
    let find = |needle: &str| {
        published
            .iter()
            .find(|t| t.text.contains(needle))
            .unwrap_or_else(|| panic!("{needle} is published but not listed for the scan"))
    };
    let summary = find("the map is not yet shared with schools");
    assert!(
        summary.loc.file.ends_with("cycles/2025-26/moderation.toml"),
        "{:?}",
        summary.loc
    );
    assert!(summary.loc.line > 1, "{:?}", summary.loc);
    assert!(
        find("Draft shared in October")
            .loc
            .file
            .ends_with("actions.toml")
    );
    let body = find("Partners know how long children wait, but waits are rising");
    assert!(
        body.loc.file.ends_with("briefings/learning-2025-26.md"),
        "{:?}",
        body.loc
    );
    find("Median wait for a first CAMHS appointment");
    find("Northdale Safeguarding Children Partnership");
    find("Exploitation subgroup");
    for t in published {
        for marker in INTERNAL_MARKERS {
            assert!(!t.text.contains(marker), "{marker} listed for publication");
        }
    }
}

#[test]
fn the_published_priorities_csv_is_what_rank_prints_passed_through_disclosure_control() {
    let (_tmp, public) = build_fixture("public");
    let out = run_in(&repo(), &["rank", FIXTURE, "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let rows = |t: &str| -> Vec<std::collections::BTreeMap<String, String>> {
        let mut r = csv::Reader::from_reader(t.as_bytes());
        let h = r.headers().unwrap().clone();
        r.records()
            .map(|x| {
                h.iter()
                    .zip(x.unwrap().iter())
                    .map(|(a, b)| (a.to_string(), b.to_string()))
                    .collect()
            })
            .collect()
    };
    let published = rows(&text(
        &std::fs::read(public.join("data/priorities.csv")).unwrap(),
    ));
    let ranked = rows(&text(&out.stdout));
    assert!(
        !published.is_empty() && published.len() < ranked.len(),
        "questions too few agencies rated are withheld"
    );
    let mut protected = 0;
    for p in &published {
        let r = ranked
            .iter()
            .find(|r| r["question"] == p["question"])
            .expect("a published question is ranked");
        // n/a and unanswered counts are not published; `answered` only from the minimum up.
        assert_eq!(
            (p["not_applicable"].as_str(), p["unanswered"].as_str()),
            ("", "")
        );
        let answered: usize = r["answered"].parse().unwrap();
        assert!(answered >= 3, "{:?}", p["question"]);
        assert_eq!(p["answered"], r["answered"]);
        if p["score"].is_empty() {
            // A hidden count beside it: no exact figure at all.
            protected += 1;
            for k in [
                "gap",
                "coverage",
                "confidence",
                "metrics",
                "deterioration",
                "theme_weight",
            ] {
                assert_eq!(p[k], "", "{k}");
            }
            assert!(
                p["rating"].is_empty() || !p["rating"].contains('.'),
                "{:?}",
                p["rating"]
            );
        } else {
            for k in ["rating", "score", "gap", "confidence"] {
                assert_eq!(p[k], r[k], "{k}");
            }
        }
    }
    assert!(
        protected > 0,
        "the fixture has small counts, and their figures are withheld"
    );
}

/// Builds the worked example for `audience`.
fn build_example(audience: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build(&repo().join("audits/example"), &out, audience);
    (tmp, out)
}

/// The text of the overview's first section, "At a glance", tags stripped.
fn at_a_glance(html: &str) -> String {
    let start = html
        .find("id=\"at-a-glance\"")
        .expect("an at-a-glance section");
    let end = html[start..].find("aria-labelledby=\"assurance\"").unwrap() + start;
    let mut out = String::new();
    let mut in_tag = false;
    for c in html[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn the_overview_opens_with_weakest_themes_first_and_priorities_named_by_their_text() {
    let (_tmp, out) = build_example("internal");
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    let first = at_a_glance(&html);
    // Themes worst first (the example's averages: 1.11, 1.19, 1.26, 1.49).
    let order = [
        "Harm outside the family home",
        "Pre-school children whose parents have mental health needs",
        "Children with mental health needs",
        "Partnership foundations",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|t| first.find(t).unwrap_or_else(|| panic!("{t} missing")))
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "not worst first: {at:?}"
    );
    // Priorities by their text, each with its action or "No action".
    assert!(first.contains("Does the partnership bring together police intelligence"));
    assert!(
        !first.contains("efh-s-01"),
        "question ids on the first screen"
    );
    assert!(first.contains("No action"));
    assert!(first.contains("Action: ") && first.contains("One joint exploitation profile"));
    // What is late, and what a score means.
    assert!(first.contains("overdue actions"));
    assert!(
        first.contains("10 is the floor") && first.contains("130 is a question no agency answered")
    );
    // The metadata comes after the first screen.
    assert!(html.find("id=\"about\"").unwrap() > html.find("id=\"assurance\"").unwrap());
}

#[test]
fn public_pages_carry_no_internal_scoring_vocabulary() {
    let (_tmp, out) = build_example("public");
    let score_figure = |s: &str| {
        s.match_indices("score ").any(|(i, m)| {
            s[i + m.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
        })
    };
    for (path, html) in pages(&out) {
        if path.starts_with("method/") {
            continue; // the method page explains the scoring
        }
        for word in [
            "confidence factor",
            "metrics factor",
            "×",
            "components",
            "Score: 100",
        ] {
            assert!(!html.contains(word), "{path} contains {word:?}");
        }
        assert!(!score_figure(&html), "{path} shows a score figure");
    }
    let priorities = std::fs::read_to_string(out.join("priorities/index.html")).unwrap();
    assert!(priorities.contains("Level of concern"));
    assert!(priorities.contains("Very high concern"));
}

/// A theme weight is the partnership's ordering, not evidence: the public theme page says in
/// words which way it moves the theme's questions, and that the level of concern is the
/// evidence's alone (as the method page says), with no bare "Theme weight 1.2".
#[test]
fn public_theme_pages_say_what_a_theme_weight_does_in_words() {
    let (_tmp, out) = build_example("public");
    let weighted =
        std::fs::read_to_string(out.join("themes/extra-familial-harm/index.html")).unwrap();
    assert!(
        weighted.contains("moves this theme&#x27;s questions up its list of priorities")
            || weighted.contains("moves this theme's questions up its list of priorities"),
        "{weighted}"
    );
    assert!(weighted.contains("does not change the level of concern the evidence shows"));
    for (path, html) in pages(&out)
        .into_iter()
        .filter(|(p, _)| !p.starts_with("method/"))
    {
        assert!(
            !html.contains("Theme weight"),
            "{path} names the theme weight bare"
        );
        assert!(!html.contains("raises or lowers the concern"), "{path}");
    }
    let others = pages(&out)
        .into_iter()
        .filter(|(p, h)| p.starts_with("themes/") && h.contains("Ranked on the evidence alone"))
        .count();
    assert!(
        others > 0,
        "an unweighted theme says it is ranked on its evidence alone"
    );
}

#[test]
fn the_public_overview_gives_the_approval_date_the_contact_and_a_plain_opening() {
    let (_tmp, out) = build_example("public");
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    for s in [
        "This report in brief",
        "Who we are",
        "What we checked",
        "What we found",
        "What we are doing",
        "What it means for children and families",
        "Approved by the partnership",
        "12 December 2025",
        "mailto:nscp@northmoor.example",
    ] {
        assert!(html.contains(s), "public overview lacks {s:?}");
    }
    let internal = build_example("internal");
    let ihtml = std::fs::read_to_string(internal.1.join("index.html")).unwrap();
    assert!(!ihtml.contains("This report in brief"));
}

#[test]
fn the_metrics_page_opens_with_a_summary_table_and_names_worsening_without_a_target() {
    let (_tmp, out) = build_example("public");
    let html = std::fs::read_to_string(out.join("metrics/index.html")).unwrap();
    let table = html
        .find("id=\"metrics-summary\"")
        .expect("a summary table");
    let first_metric = html.find("<section").unwrap();
    assert!(table < first_metric, "the summary table comes first");
    let end = html[table..].find("</table>").unwrap() + table;
    let summary = &html[table..end];
    assert!(
        summary.contains("Re-referrals to children&#x27;s social care")
            || summary.contains("Re-referrals to children")
    );
    assert!(summary.contains("No target; getting worse"));
    assert!(summary.contains("Worse than target"));
}
