//! The public edition in plain words, read as a member of the public reads it: no question
//! ids, no method jargon, no rating as a figure, one sentence on who wrote the questions on
//! every page; and levels of concern that tell questions apart.

use crate::common::*;
use std::collections::BTreeMap;

/// The text a reader sees on a page (and what a screen reader announces of `aria-label`s):
/// tags dropped, entities of the common kind decoded, white space collapsed. The `<title>`
/// and `<desc>` of charts are left out here (they restate the figures of the table).
pub fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut hidden = 0usize;
    while let Some(lt) = rest.find('<') {
        if hidden == 0 {
            out.push_str(&rest[..lt]);
        }
        let Some(gt) = rest[lt..].find('>') else {
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if ["head", "title", "desc", "style", "script"].contains(&name.as_str()) {
            if tag.starts_with('/') {
                hidden = hidden.saturating_sub(1);
            } else {
                hidden += 1;
            }
        }
        if let Some(at) = tag.find("aria-label=\"") {
            let v = &tag[at + 12..];
            out.push(' ');
            out.push_str(&v[..v.find('"').unwrap_or(v.len())]);
        }
        out.push(' ');
        rest = &rest[lt + gt + 1..];
    }
    out.push_str(rest);
    let out = out
        .replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn build(audience: &str) -> (tempfile::TempDir, BTreeMap<String, String>) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = run_in(
        &repo(),
        &[
            "build",
            "audits/example",
            "--out",
            out.to_str().unwrap(),
            "--audience",
            audience,
        ],
    );
    assert_ok(&o);
    let pages = files(&out)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, text(&b)))
        .collect();
    (tmp, pages)
}

/// A question id of the bundled banks: letters, `-s-` or `-p-`, two digits.
fn question_ids(text: &str) -> Vec<String> {
    let re = regex::Regex::new(r"\b[a-z]{2,4}-[sp]-\d{2}\b").unwrap();
    re.find_iter(text).map(|m| m.as_str().to_string()).collect()
}

#[test]
fn the_public_edition_names_no_question_by_id_and_uses_no_method_jargon() {
    let (_tmp, pages) = build("public");
    let decimal = regex::Regex::new(r"(^|[^\d.])\d\.\d{1,2}($|[^\d%])").unwrap();
    // Figures that are not ratings: theme weights, measures with their units, and standards'
    // version numbers (names, not figures).
    let not_ratings = regex::Regex::new(
        r"[Tt]heme weight \d+(\.\d+)?|a weight of \d+(\.\d+)?|WCAG \d\.\d|version \d\.\d|\d+(\.\d+)?( ?%| weeks| cases| days)",
    )
    .unwrap();
    for (path, html) in &pages {
        let text = visible_text(html);
        let ids = question_ids(&text);
        assert!(ids.is_empty(), "{path} shows question ids: {ids:?}");
        for jargon in [
            "deep dive",
            "0 to 3 ",
            "statutory partner rated",
            "on a scale of",
        ] {
            assert!(
                !text.to_lowercase().contains(jargon),
                "{path}: “{jargon}” in the public edition"
            );
        }
        // Ratings and averages are in words. Metric values (the metrics page, a question's
        // metrics), the method's formula and theme weights are figures by nature.
        if !(path.starts_with("metrics/") || path.starts_with("method/")) {
            let without_weights = not_ratings.replace_all(&text, "");
            let hit = decimal
                .find(&without_weights)
                .map(|m| m.as_str().to_string());
            assert!(hit.is_none(), "{path}: a figure {hit:?} where words belong");
        }
    }
}

#[test]
fn every_page_says_who_wrote_the_questions_in_the_same_sentence() {
    for audience in ["public", "internal"] {
        let (_tmp, pages) = build(audience);
        let sentence = |html: &str| {
            let at = html.find("app-questions-by\">")? + 18;
            Some(html[at..at + html[at..].find("</p>")?].to_string())
        };
        let first = sentence(&pages["index.html"]).expect("the overview says it");
        assert!(first.contains("written by"), "{first}");
        assert!(
            first.contains("not the Panel&#39;s own questions"),
            "{first}"
        );
        for (path, html) in &pages {
            assert_eq!(sentence(html).as_deref(), Some(first.as_str()), "{path}");
        }
        if audience == "public" {
            // The overview's account of what we checked says the same.
            assert_eq!(pages["index.html"].matches(&first).count(), 2);
        }
    }
}

/// Each ranked question's rating, concern and flags, from the priorities page.
fn entries(html: &str) -> Vec<(String, String, String)> {
    html.split("<li class=\"app-priority\"")
        .skip(1)
        .map(|e| {
            let tags: Vec<String> = e
                .split("class=\"app-tag ")
                .skip(1)
                .map(|t| {
                    let t = &t[t.find('>').unwrap() + 1..];
                    t[..t.find('<').unwrap()].to_string()
                })
                .collect();
            let details = e.split("<details").nth(1).unwrap_or("");
            (tags[0].clone(), tags[1].clone(), details.to_string())
        })
        .collect()
}

#[test]
fn levels_of_concern_tell_questions_apart_and_spare_sound_ones() {
    let (_tmp, pages) = build("internal");
    let rows = entries(&pages["priorities/index.html"]);
    assert!(rows.len() >= 40, "{}", rows.len());
    let mut by_level: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, concern, _) in &rows {
        *by_level.entry(concern.as_str()).or_default() += 1;
    }
    assert!(by_level.len() >= 3, "{by_level:?}");
    for (level, n) in &by_level {
        assert!(
            *n * 10 <= rows.len() * 6,
            "{level} is given to {n} of {} questions: it tells a reader nothing",
            rows.len()
        );
    }
    let adverse = [
        "Not every agency answered",
        "A metric is worse than target",
        "A metric is worse than the comparator",
        "A metric is getting worse",
        "Rating fell",
        "A case audit or survey found less",
        "Actions complete",
    ];
    let mut sound = 0;
    for (rating, concern, details) in &rows {
        let green = rating.starts_with("Reasonable") || rating.starts_with("Substantial");
        if green && !adverse.iter().any(|a| details.contains(a)) {
            sound += 1;
            assert!(
                concern == "Low concern" || concern == "Some concern",
                "{rating} with nothing adverse is {concern}"
            );
        }
    }
    assert!(sound > 0, "the example has sound questions to test this on");
}
