//! `panelaudit paper`: the board paper as a Word document. It opens in LibreOffice and prints
//! on at most 6 pages, is marked and numbered on every page, carries its charts with their text
//! alternatives and real tables, never overwrites a file, and a public paper shows exactly what
//! the public site shows: nothing the site hides, and every figure as the site words it.

use crate::common::*;
use crate::plain::visible_text;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The parts of a .docx by name.
fn parts(docx: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let file = std::fs::File::open(docx).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().unwrap().to_string(), bytes)
        })
        .collect()
}

fn part(docx: &Path, name: &str) -> String {
    text(&parts(docx)[name])
}

/// The words of the document's body, as a reader sees them.
fn words(docx: &Path) -> String {
    visible_text(&part(docx, "word/document.xml"))
}

fn paper(dir: &Path, audience: &str, out: &Path) {
    let o = run_in(
        &repo(),
        &[
            "paper",
            dir.to_str().unwrap(),
            "--audience",
            audience,
            "--as-of",
            "2026-01-15",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_ok(&o);
}

fn site(dir: &Path, audience: &str, out: &Path) -> String {
    let o = run_in(
        &repo(),
        &[
            "build",
            dir.to_str().unwrap(),
            "--audience",
            audience,
            "--as-of",
            "2026-01-15",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_ok(&o);
    std::fs::read_to_string(out.join("index.html")).unwrap()
}

fn example() -> PathBuf {
    repo().join("audits/example")
}

#[test]
fn the_paper_is_marked_numbered_and_carries_charts_with_alt_text_and_real_tables() {
    let tmp = tempfile::tempdir().unwrap();
    for audience in ["internal", "public"] {
        let out = tmp.path().join(format!("{audience}.docx"));
        paper(&example(), audience, &out);
        let header = visible_text(&part(&out, "word/header1.xml"));
        let marked = if audience == "internal" {
            "INTERNAL, not for publication"
        } else {
            "public edition"
        };
        assert!(header.contains(marked), "{header}");
        let document = part(&out, "word/document.xml");
        assert!(
            document.contains("w:headerReference"),
            "the header is on every page"
        );
        let footer = part(&out, "word/footer1.xml");
        assert!(
            footer.contains(" PAGE ") && footer.contains(" NUMPAGES "),
            "{footer}"
        );
        // Charts: a PNG each, described for screen readers.
        let all = parts(&out);
        assert!(
            all.keys()
                .any(|k| k.starts_with("word/media/") && k.ends_with(".png"))
        );
        let descr = document.split("<wp:docPr ").nth(1).expect("a chart");
        let alt = &descr[descr.find("descr=\"").unwrap() + 7..];
        assert!(alt.starts_with("Stacked bars, one per theme"), "{alt}");
        assert!(
            document.matches("<w:tbl>").count() >= 4,
            "tables are Word tables"
        );
        assert!(document.contains("<w:tblHeader/>"));
        let w = words(&out);
        for heading in [
            "Where assurance is weakest",
            "What matters most now",
            "Overdue actions as of 15 January 2026",
            "Metrics off target or getting worse",
            "What followed completed actions",
            "Where practice fell short of what agencies reported",
        ] {
            assert!(w.contains(heading), "{audience}: no “{heading}”");
        }
        // The same input, the same bytes.
        let again = tmp.path().join(format!("{audience}-again.docx"));
        paper(&example(), audience, &again);
        assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&again).unwrap());
    }
}

#[test]
fn the_paper_never_overwrites_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("paper.docx");
    std::fs::write(&out, "the last meeting's paper").unwrap();
    let o = run_in(
        &repo(),
        &["paper", "audits/example", "--out", out.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("never overwrites"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "the last meeting's paper"
    );
}

#[test]
fn the_paper_opens_in_libreoffice_and_prints_on_at_most_six_pages() {
    let soffice = ["soffice", "libreoffice"].into_iter().find(|s| {
        std::process::Command::new(s)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let Some(soffice) = soffice else {
        skip_unless_ci(
            "LibreOffice is not installed (scripts/test.sh installs libreoffice-writer)",
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let page_marks = regex::Regex::new(r"/Type\s*/Page[^s]").unwrap();
    for audience in ["internal", "public"] {
        let out = tmp.path().join(format!("{audience}.docx"));
        paper(&example(), audience, &out);
        let profile = format!("-env:UserInstallation=file://{}/lo", tmp.path().display());
        let o = std::process::Command::new(soffice)
            .args([&profile, "--headless", "--convert-to", "pdf", "--outdir"])
            .arg(tmp.path())
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", text(&o.stderr));
        let pdf = std::fs::read(tmp.path().join(format!("{audience}.pdf"))).unwrap();
        let pdf = String::from_utf8_lossy(&pdf);
        let pages = page_marks.find_iter(&pdf).count();
        assert!((1..=6).contains(&pages), "{audience}: {pages} pages");
    }
}

/// The example with a case audit not yet signed off (its findings are internal until it is)
/// and markers in every field that is never published.
fn planted(tmp: &Path) -> PathBuf {
    let p = tmp.join("northmoor");
    copy_tree(&example(), &p);
    let edit = |file: &str, from: &str, to: &str| {
        let path = p.join(file);
        let s = std::fs::read_to_string(&path).unwrap();
        assert!(s.contains(from), "{file} lacks {from}");
        std::fs::write(&path, s.replacen(from, to, 1)).unwrap();
    };
    edit(
        "cycles/2026-q1/cycle.toml",
        "signed_off = 2026-03-13",
        "# not signed off yet",
    );
    edit(
        "cycles/2025-26/responses/police.toml",
        "evidence = \"",
        "internal = \"MARKERINTERNAL\"\nevidence = \"MARKEREVIDENCE ",
    );
    edit(
        "cycles/2025-26/responses/police.toml",
        "gaps = \"",
        "gaps = \"MARKERGAPS ",
    );
    edit(
        "cycles/2025-26/moderation.toml",
        "note = \"",
        "note = \"MARKERNOTE ",
    );
    edit(
        "cycles/2026-q1/cases/C01.toml",
        "learning = \"",
        "learning = \"MARKERCASE ",
    );
    p
}

#[test]
fn a_public_paper_shows_nothing_the_public_site_hides() {
    let tmp = tempfile::tempdir().unwrap();
    let p = planted(tmp.path());
    let (internal, public) = (tmp.path().join("i.docx"), tmp.path().join("p.docx"));
    paper(&p, "internal", &internal);
    paper(&p, "public", &public);
    let (i, w) = (words(&internal), words(&public));
    for marker in [
        "MARKERINTERNAL",
        "MARKEREVIDENCE",
        "MARKERGAPS",
        "MARKERNOTE",
        "MARKERCASE",
    ] {
        assert!(!w.contains(marker) && !i.contains(marker), "{marker}");
    }
    // The unsigned case audit's finding is the board's to see, not yet the public's.
    let unsigned = "multi-agency tabletop audit (February 2026)";
    assert!(
        i.contains(unsigned),
        "the internal paper reports the case audit"
    );
    assert!(
        !w.contains(unsigned),
        "the public paper does not, until it is signed off"
    );
    let public_site = visible_text(&site(&p, "public", &tmp.path().join("site")));
    assert!(!public_site.contains(unsigned), "nor does the public site");
    // Scores and ratings as figures are internal.
    assert!(i.contains("risk score"));
    assert!(!w.contains("risk score"));
    let figure = regex::Regex::new(r"\(\d\.\d\d\)").unwrap();
    assert!(figure.is_match(&i) && !figure.is_match(&w), "{w}");
}

/// The rows of the site's "Where assurance is weakest" table, as text.
fn weakest_rows(index: &str) -> Vec<String> {
    let at = index.find("id=\"weakest\"").unwrap();
    let body = &index[at..];
    let body = &body[body.find("<tbody>").unwrap() + 7..body.find("</tbody>").unwrap()];
    body.split("</tr>")
        .map(visible_text)
        .filter(|r| !r.is_empty())
        .collect()
}

#[test]
fn a_figure_reads_the_same_in_the_paper_and_on_the_site() {
    let tmp = tempfile::tempdir().unwrap();
    let overdue_on_site =
        regex::Regex::new(r"(\d+) overdue actions? as of 15 January 2026").unwrap();
    for audience in ["public", "internal"] {
        let out = tmp.path().join(format!("{audience}.docx"));
        paper(&example(), audience, &out);
        let w = words(&out);
        let index = site(&example(), audience, &tmp.path().join(audience));
        let page = visible_text(&index);
        // Each theme's average rating and its change, weakest first, word for word.
        let rows = weakest_rows(&index);
        assert_eq!(rows.len(), 4);
        let mut from = 0;
        for r in &rows {
            let at = w[from..]
                .find(r.as_str())
                .unwrap_or_else(|| panic!("{audience}: the paper lacks “{r}” (in order)"));
            from += at + r.len();
        }
        // The impact line, and the count of overdue actions as of the same day.
        let impact = page
            .split("Of ")
            .find(|s| s.contains("completed actions"))
            .map(|s| format!("Of {}", &s[..s.find("improvement").unwrap() + 11]))
            .unwrap();
        assert!(w.contains(&impact), "{audience}: “{impact}”");
        let overdue = overdue_on_site.captures(&page).unwrap()[1].to_string();
        assert!(
            w.contains(&format!("{overdue} open actions past their due date")),
            "{audience}: {overdue} overdue on the site"
        );
    }
}
