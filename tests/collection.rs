//! A collection built as the nation's would be: partnerships built in parallel and written as
//! they go, the same bytes every run, the comparison pages (theme by theme, metrics against
//! England, each partnership marked on its own comparison page, never a rank), public
//! comparisons from public figures only, and one partnership's publication hit stopping the
//! whole build with nothing written.

use crate::common::{copy_tree, files, repo, run_in, text};
use std::path::{Path, PathBuf};

const FIXTURE: &str = "tests/fixtures/site/northdale";
const FOLDERS: &[(&str, &str)] = &[
    ("northdale", "Northdale"),
    ("southdale", "Southdale"),
    ("westdale", "Westdale"),
];

/// A region of three partnerships made from the site fixture, each with its own name and a
/// different moderated rating for one question of "Harm outside the home".
fn region() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let region = tmp.path().join("region");
    for (i, (folder, name)) in FOLDERS.iter().enumerate() {
        let dir = region.join(folder);
        copy_tree(&repo().join(FIXTURE), &dir);
        let p = dir.join("partnership.toml");
        let s = std::fs::read_to_string(&p).unwrap();
        let short = format!("{}SCP", &name[..2].to_uppercase());
        std::fs::write(
            &p,
            s.replace("Northdale Safeguarding", &format!("{name} Safeguarding"))
                .replace(
                    "short_name = \"NDSCP\"",
                    &format!("short_name = \"{short}\""),
                ),
        )
        .unwrap();
        let m = dir.join("cycles/2025-26/moderation.toml");
        let s = std::fs::read_to_string(&m).unwrap();
        std::fs::write(
            &m,
            s.replacen("rating = 1", &format!("rating = {}", i % 4), 1),
        )
        .unwrap();
    }
    (tmp, region)
}

fn build(dir: &Path, out: &Path, audience: &str) -> std::process::Output {
    run_in(
        &repo(),
        &[
            "build",
            dir.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--audience",
            audience,
        ],
    )
}

fn built(dir: &Path, out: &Path, audience: &str) {
    let o = build(dir, out, audience);
    assert!(
        o.status.success(),
        "build failed:\n{}\n{}",
        text(&o.stdout),
        text(&o.stderr)
    );
}

fn page(out: &Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn a_parallel_collection_build_gives_the_same_bytes_every_time() {
    let (tmp, region) = region();
    for audience in ["internal", "public"] {
        let a = tmp.path().join(format!("a-{audience}"));
        let b = tmp.path().join(format!("b-{audience}"));
        built(&region, &a, audience);
        built(&region, &b, audience);
        let (fa, fb) = (files(&a), files(&b));
        assert!(fa.len() > 50, "{}", fa.len());
        assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
        for (path, bytes) in &fa {
            assert!(
                fb[path] == *bytes,
                "{audience}: {path} differs between two builds"
            );
        }
    }
}

#[test]
fn comparison_pages_show_every_partnership_by_name_and_never_a_rank() {
    let (tmp, region) = region();
    let out = tmp.path().join("site");
    built(&region, &out, "internal");
    let index = page(&out, "index.html");
    assert!(index.contains("href=\"compare/index.html\""), "{index}");
    let compare = page(&out, "compare/index.html");
    assert!(compare.contains("Compared theme by theme"));
    assert!(compare.contains("Metrics against England"));
    assert!(
        compare.contains("href=\"../compare/outside-home/index.html\""),
        "{compare}"
    );
    assert!(
        compare.contains("href=\"../compare/metrics/camhs-wait-weeks/index.html\""),
        "a metric with an England comparator: {compare}"
    );
    let theme = page(&out, "compare/outside-home/index.html");
    // Every partnership, in name order, each with its figure and words for its level.
    let mut at = 0;
    for (folder, name) in FOLDERS {
        let row = format!("id=\"p-{folder}\"");
        let found = theme[at..]
            .find(&row)
            .unwrap_or_else(|| panic!("{folder} missing or out of name order:\n{theme}"));
        at += found;
        assert!(theme.contains(&format!("{name} Safeguarding Children Partnership")));
        assert!(theme.contains(&format!(
            "href=\"../../{folder}/themes/outside-home/index.html\""
        )));
    }
    assert!(
        theme.contains("role=\"img\""),
        "a dot plot that names itself"
    );
    assert!(theme.contains("<caption"), "and its table");
    assert!(theme.contains("scope=\"row\""));
    let metric = page(&out, "compare/metrics/camhs-wait-weeks/index.html");
    assert!(metric.contains("stroke-dasharray"), "England's line");
    assert!(metric.contains("than England 2023-24"), "{metric}");
    for (path, html) in files(&out) {
        if !path.contains("compare/") {
            continue;
        }
        let html = String::from_utf8(html).unwrap().to_lowercase();
        // The page's own content (the footer of a partnership's page links "How we score and
        // rank", which ranks questions, not partnerships).
        let html = html
            .split("<main")
            .nth(1)
            .and_then(|m| m.split("</main>").next())
            .unwrap()
            .to_string();
        for word in [
            "1st",
            "2nd",
            "3rd",
            "rank",
            "league",
            "top performer",
            "bottom",
        ] {
            assert!(!html.contains(word), "{path} says `{word}`");
        }
    }
    // Each partnership's own comparison page marks it, in words as well as shape.
    for (folder, _) in FOLDERS {
        let own = page(&out, &format!("{folder}/compare/index.html"));
        let short = own
            .split("Where ")
            .nth(1)
            .and_then(|s| s.split(" sits among").next())
            .unwrap()
            .to_string();
        assert!(
            own.contains(&format!("{short} is marked with a diamond")),
            "{own}"
        );
        // One marked diamond in every chart.
        assert_eq!(
            own.matches("-diamond\" x=").count(),
            own.matches("<figure").count()
        );
        assert!(own.contains(&format!(
            "href=\"../../compare/outside-home/index.html#p-{folder}\""
        )));
        let overview = page(&out, &format!("{folder}/index.html"));
        assert!(
            overview.contains("href=\"compare/index.html\">Compared</a>"),
            "the partnership's navigation links its comparison"
        );
    }
}

#[test]
fn the_public_comparison_holds_no_internal_text_and_no_agency_counts() {
    let (tmp, region) = region();
    let internal = tmp.path().join("internal");
    let public = tmp.path().join("public");
    built(&region, &internal, "internal");
    built(&region, &public, "public");
    for (path, bytes) in files(&public) {
        if !(path.starts_with("compare/") || path.ends_with("compare/index.html")) {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for marker in [
            "INTERNAL-EVIDENCE-MARKER",
            "INTERNAL-GAPS-MARKER",
            "INTERNAL-NOTE-MARKER",
            "MODERATION-NOTE-MARKER",
            "council evidence for",
            "Head of Public Protection",
            "agencies",
            "Internal",
        ] {
            assert!(!html.contains(marker), "{path} holds `{marker}`");
        }
    }
    // The public comparison places each partnership at its level of the scale, in words, never
    // at an exact average, which could give away a rating disclosure control hides; the
    // internal one gives the figures.
    let public_page = page(&public, "compare/outside-home/index.html");
    let text_only = regex::Regex::new(r"(?s)<svg.*?</svg>|<[^>]*>")
        .unwrap()
        .replace_all(&public_page, " ")
        .into_owned();
    let figure = regex::Regex::new(r"\b\d+\.\d+\b").unwrap();
    assert!(
        !figure.is_match(&text_only),
        "a figure on a public comparison page: {:?}",
        figure.find(&text_only)
    );
    let rows = public_page.matches("class=\"app-spread-row\"").count();
    assert_eq!(rows, 3, "{public_page}");
    assert!(
        text_only.contains("lowest ") && text_only.contains(" assurance"),
        "{text_only}"
    );
    let internal_text = regex::Regex::new(r"(?s)<svg.*?</svg>|<[^>]*>")
        .unwrap()
        .replace_all(&page(&internal, "compare/outside-home/index.html"), " ")
        .into_owned();
    assert!(
        figure.is_match(&internal_text),
        "the internal page gives the figures"
    );
    let internal_page = page(&internal, "compare/outside-home/index.html");
    for name in ["Northdale", "Southdale", "Westdale"] {
        assert!(public_page.contains(name) && internal_page.contains(name));
    }
}

#[test]
fn a_publication_hit_in_one_partnership_fails_the_whole_collection_with_nothing_written() {
    let (tmp, region) = region();
    let out = tmp.path().join("site");
    built(&region, &out, "public");
    let before = files(&out);
    let m = region.join("westdale/cycles/2025-26/moderation.toml");
    let s = std::fs::read_to_string(&m).unwrap();
    std::fs::write(
        &m,
        s.replace(
            "not yet shared with schools on time.",
            "not yet shared with schools on time. Ring the lead on 07700 900123.",
        ),
    )
    .unwrap();
    let o = build(&region, &out, "public");
    assert!(!o.status.success(), "{}", text(&o.stdout));
    let err = text(&o.stderr);
    assert!(err.contains("a phone number"), "{err}");
    assert!(err.contains("westdale"), "{err}");
    assert!(
        !err.contains("07700 900123"),
        "the value is never echoed: {err}"
    );
    assert!(err.contains("was left as it was"), "{err}");
    assert_eq!(files(&out), before, "the previous site is untouched");
    let left: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(left.is_empty(), "staging folders left: {left:?}");
}

#[cfg(unix)]
#[test]
fn a_member_linked_from_outside_the_collection_is_refused_by_name_and_never_read() {
    let (tmp, region) = region();
    // Move one partnership out of the collection and leave a link to it in its place.
    let outside = tmp.path().join("elsewhere");
    std::fs::rename(region.join("westdale"), &outside).unwrap();
    let p = outside.join("partnership.toml");
    let s = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        s.replace("Westdale Safeguarding", "Hidden Outside Safeguarding"),
    )
    .unwrap();
    std::os::unix::fs::symlink(&outside, region.join("westdale")).unwrap();
    let out = tmp.path().join("site");
    for args in [
        vec!["check", "region"],
        vec!["check", "region", "--format", "json"],
        vec!["rank", "region"],
        vec!["build", "region", "--out", out.to_str().unwrap()],
    ] {
        let o = run_in(tmp.path(), &args);
        let said = format!("{}{}", text(&o.stdout), text(&o.stderr));
        assert_eq!(o.status.code(), Some(1), "{args:?}: {said}");
        assert!(
            said.contains("PA0110") && said.contains("region/westdale"),
            "{args:?}: {said}"
        );
        assert!(
            !said.contains("Hidden Outside"),
            "{args:?}: what the link points at is never read: {said}"
        );
    }
    assert!(!out.exists(), "nothing was built");
}

#[test]
fn a_collection_carries_the_name_its_collection_toml_gives_it() {
    let (tmp, region) = region();
    let out = tmp.path().join("site");
    built(&region, &out, "public");
    let index = page(&out, "index.html");
    assert!(
        index.contains("Partnerships in region"),
        "without a name, the folder's"
    );
    std::fs::write(
        region.join("collection.toml"),
        "name = \"North West region\"\n",
    )
    .unwrap();
    let out = tmp.path().join("named");
    built(&region, &out, "public");
    // Named by a path relative to where the command runs, as a user types it: the file is
    // inside the collection, never mistaken for a link leading out of it.
    for args in [
        vec!["check", "region"],
        vec!["build", "region", "--out", "rel"],
    ] {
        let o = run_in(tmp.path(), &args);
        let said = format!("{}{}", text(&o.stdout), text(&o.stderr));
        assert_eq!(o.status.code(), Some(0), "{args:?}: {said}");
        assert!(!said.contains("PA0110"), "{args:?}: {said}");
    }
    assert!(page(&tmp.path().join("rel"), "index.html").contains("North West region"));
    for path in ["index.html", "compare/index.html"] {
        let html = page(&out, path);
        assert!(html.contains("North West region"), "{path}");
        assert!(!html.contains("Partnerships in region"), "{path}");
    }
    // A misspelt field or an empty name is an error naming the place, for check and build.
    std::fs::write(region.join("collection.toml"), "nmae = \"North West\"\n").unwrap();
    let o = build(&region, &tmp.path().join("bad"), "public");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("collection.toml:1:1"),
        "{}",
        text(&o.stderr)
    );
    std::fs::write(region.join("collection.toml"), "name = \"  \"\n").unwrap();
    let o = run_in(&repo(), &["check", region.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stdout).contains("error[PA0205]") || text(&o.stderr).contains("error[PA0205]"),
        "{}",
        text(&o.stderr)
    );
}

/// A site's files, in path order.
type Files = Vec<(String, Vec<u8>)>;

/// Every state the preview shows while it brings itself up to date.
fn refresh(preview: &mut panelaudit::serve::preview::Preview) -> Vec<Result<Files, String>> {
    let mut shown = Vec::new();
    preview.refresh(&mut |site| {
        shown.push(
            site.map(|files| {
                let mut files: Files = files.into_iter().map(|(p, b)| (p, b.to_vec())).collect();
                files.sort();
                files
            })
            .map_err(|e| panelaudit::error::report(&*e)),
        )
    });
    shown
}

/// The site `build` makes of the same files, in memory.
fn whole(region: &Path, as_of: panelaudit::model::Date) -> Files {
    panelaudit::build::in_memory(region, panelaudit::model::Audience::Internal, None, as_of)
        .expect("the region builds")
        .into_iter()
        .map(|f| (f.path, f.bytes))
        .collect()
}

fn page_of<'a>(site: &'a [(String, Vec<u8>)], path: &str) -> &'a str {
    let (_, bytes) = site
        .iter()
        .find(|(p, _)| p == path)
        .unwrap_or_else(|| panic!("no {path}"));
    std::str::from_utf8(bytes).unwrap()
}

#[test]
fn the_preview_rebuilds_only_what_changed_and_always_matches_a_whole_build() {
    let (_tmp, region) = region();
    let as_of = panelaudit::model::Date::parse("2026-06-01").unwrap();
    let mut preview = panelaudit::serve::preview::Preview::new(&region, as_of).unwrap();
    let first = refresh(&mut preview);
    assert_eq!(first.len(), 1, "the first build shows the site once, whole");
    assert_eq!(first[0].as_ref().unwrap(), &whole(&region, as_of));
    assert!(
        refresh(&mut preview).is_empty(),
        "nothing changed, nothing is shown again"
    );

    // A briefing saved in one partnership: its page shows first, then the whole site, and the
    // result is what a whole build gives.
    let briefing = region.join("southdale/briefings/learning-2025-26.md");
    let text = std::fs::read_to_string(&briefing).unwrap();
    std::fs::write(
        &briefing,
        text.replacen("Partners know", "Marker-7741: partners know", 1),
    )
    .unwrap();
    let shown = refresh(&mut preview);
    assert_eq!(
        shown.len(),
        1,
        "a briefing changes no figure the comparison pages read: they are kept"
    );
    let html = shown[0]
        .as_ref()
        .unwrap()
        .iter()
        .filter(|(p, _)| p.starts_with("southdale/briefings/"))
        .any(|(_, b)| String::from_utf8_lossy(b).contains("Marker-7741"));
    assert!(html, "the saved briefing is served");
    assert_eq!(shown[0].as_ref().unwrap(), &whole(&region, as_of));

    // A moderated rating changed: the partnership's pages are served first, then the
    // comparison pages follow.
    let moderation = region.join("westdale/cycles/2025-26/moderation.toml");
    let text = std::fs::read_to_string(&moderation).unwrap();
    let before = page_of(
        shown[0].as_ref().unwrap(),
        "compare/outside-home/index.html",
    )
    .to_string();
    std::fs::write(&moderation, text.replacen("rating = 2", "rating = 0", 1)).unwrap();
    let shown = refresh(&mut preview);
    assert_eq!(
        shown.len(),
        2,
        "the partnership's pages, then the comparison pages"
    );
    assert_eq!(
        page_of(
            shown[0].as_ref().unwrap(),
            "compare/outside-home/index.html"
        ),
        before
    );
    let last = shown[1].as_ref().unwrap();
    assert_ne!(page_of(last, "compare/outside-home/index.html"), before);
    assert_eq!(last, &whole(&region, as_of));

    // A broken file: the problem is shown, located; mended, the site comes back whole.
    let partnership = region.join("northdale/partnership.toml");
    let good = std::fs::read_to_string(&partnership).unwrap();
    std::fs::write(&partnership, format!("{good}\n[broken\n")).unwrap();
    let shown = refresh(&mut preview);
    let problem = shown.last().unwrap().as_ref().unwrap_err();
    assert!(problem.contains("partnership.toml:"), "{problem}");
    std::fs::write(&partnership, &good).unwrap();
    let shown = refresh(&mut preview);
    assert_eq!(
        shown.last().unwrap().as_ref().unwrap(),
        &whole(&region, as_of)
    );

    // The collection's own file: everything is rebuilt under the new name.
    std::fs::write(
        region.join("collection.toml"),
        "name = \"Marker Region 55\"\n",
    )
    .unwrap();
    let shown = refresh(&mut preview);
    let last = shown.last().unwrap().as_ref().unwrap();
    assert!(page_of(last, "northdale/index.html").contains("Marker Region 55"));
    assert_eq!(last, &whole(&region, as_of));
}

#[test]
fn a_partnership_folder_named_like_the_collections_own_pages_is_refused_by_name() {
    let (tmp, region) = region();
    std::fs::rename(region.join("westdale"), region.join("compare")).unwrap();
    let out = tmp.path().join("site");
    for args in [
        vec!["check", "region"],
        vec!["build", "region", "--out", out.to_str().unwrap()],
    ] {
        let o = run_in(tmp.path(), &args);
        let said = format!("{}{}", text(&o.stdout), text(&o.stderr));
        assert_eq!(o.status.code(), Some(1), "{args:?}: {said}");
        assert!(
            said.contains("error[PA0210]: region/compare: ")
                && said.contains("cannot be in a folder called `compare`")
                && said.contains("rename the partnership's folder"),
            "{args:?}: {said}"
        );
        assert!(!said.contains("written twice"), "{args:?}: {said}");
    }
    assert!(!out.exists(), "nothing was written");
}
