//! The site's templates and stylesheet, compiled into the binary. An audit's own `templates/`
//! folder overrides them file by file: a file there with the same name as a built-in one
//! replaces it, and further `.html` files there are added (for an override to include).

use crate::source;
use std::fmt;
use std::path::Path;

/// (name, text) of every built-in template.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "components.html",
        include_str!("../../templates/components.html"),
    ),
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    (
        "priorities.html",
        include_str!("../../templates/priorities.html"),
    ),
    ("theme.html", include_str!("../../templates/theme.html")),
    ("cycle.html", include_str!("../../templates/cycle.html")),
    (
        "question.html",
        include_str!("../../templates/question.html"),
    ),
    ("agency.html", include_str!("../../templates/agency.html")),
    ("actions.html", include_str!("../../templates/actions.html")),
    ("metrics.html", include_str!("../../templates/metrics.html")),
    ("impact.html", include_str!("../../templates/impact.html")),
    (
        "briefings.html",
        include_str!("../../templates/briefings.html"),
    ),
    (
        "briefing.html",
        include_str!("../../templates/briefing.html"),
    ),
    ("method.html", include_str!("../../templates/method.html")),
    (
        "accessibility.html",
        include_str!("../../templates/accessibility.html"),
    ),
    (
        "collection.html",
        include_str!("../../templates/collection.html"),
    ),
    ("compare.html", include_str!("../../templates/compare.html")),
    (
        "compare-theme.html",
        include_str!("../../templates/compare-theme.html"),
    ),
    (
        "compare-metric.html",
        include_str!("../../templates/compare-metric.html"),
    ),
    (
        "compare-member.html",
        include_str!("../../templates/compare-member.html"),
    ),
];

pub const STYLESHEET: &str = include_str!("../../templates/static/style.css");
const STYLESHEET_NAME: &str = "static/style.css";

#[derive(Debug)]
pub struct TemplateError(pub String);

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The compiled templates and the stylesheet one build uses.
pub struct Templates {
    pub tera: tera::Tera,
    pub stylesheet: String,
}

impl fmt::Debug for Templates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Templates").finish_non_exhaustive()
    }
}

/// Compiles the built-in templates, with the files of `overrides` (an audit's `templates/`
/// folder) taking the place of built-ins of the same name.
///
/// Tera only ever sees the templates given here, by name: `{% include %}`, `{% extends %}`
/// and `{% import %}` look names up among them and never open a file, so an override can
/// reach nothing but the built-ins and its siblings. An override that is a symbolic link out
/// of the partnership folder (the folder holding `templates/`) is refused unread.
pub fn load(overrides: Option<&Path>) -> Result<Templates, TemplateError> {
    let mut chosen: Vec<(String, String)> = BUILTIN
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    let mut stylesheet = STYLESHEET.to_string();
    if let Some(dir) = overrides {
        let root = source::canonical_root(dir.parent().unwrap_or(dir));
        let inside = |path: &Path| {
            if source::leads_outside(&root, path) {
                Err(TemplateError(format!(
                    "{}: this template override is a symbolic link (or lies behind one) leading outside the partnership folder; it is not read",
                    source::display_path(path)
                )))
            } else {
                Ok(())
            }
        };
        inside(dir)?;
        for path in crate::load::sorted_entries(dir) {
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if !path.is_file() || !name.ends_with(".html") {
                continue;
            }
            inside(&path)?;
            let text = read(&path)?;
            match chosen.iter_mut().find(|(n, _)| n == name) {
                Some(slot) => slot.1 = text,
                None => chosen.push((name.to_string(), text)),
            }
        }
        let css = dir.join(STYLESHEET_NAME);
        if css.is_file() {
            inside(&css)?;
            stylesheet = read(&css)?;
        }
    }
    let mut tera = tera::Tera::new();
    tera.autoescape_on([".html"]);
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(chosen.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| {
            TemplateError(format!(
                "a template does not compile{}:\n{e}",
                overrides.map_or(String::new(), |d| format!(
                    " (built-in templates, overridden by those in {})",
                    source::display_path(d)
                ))
            ))
        })?;
    Ok(Templates { tera, stylesheet })
}

/// HTML-escapes `input` as the template engine's own escaper does (`&`, `<`, `>`, `"` and `'`,
/// the same entities), but a run of plain text at a time: the engine's writes one byte at a
/// call, which was a tenth of a national build's time.
pub fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut plain_from = 0;
    for (i, b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[plain_from..i])?;
        out.write_all(entity)?;
        plain_from = i + 1;
    }
    out.write_all(&bytes[plain_from..])
}

fn read(path: &Path) -> Result<String, TemplateError> {
    source::read_text(path)
        .map_err(|e| TemplateError(format!("{}: {e}", source::display_path(path))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_matches_the_engines_own() {
        for text in [
            "",
            "plain",
            "<script>alert('x')</script> & \"quoted\"",
            "Kai’s <b>ünïcödé</b> & more &amp;",
            "&&<<>>\"\"''",
        ] {
            let (mut ours, mut engines) = (Vec::new(), Vec::new());
            escape_html(text, &mut ours).unwrap();
            tera::escape_html(text, &mut engines).unwrap();
            assert_eq!(ours, engines, "{text}");
        }
    }

    #[test]
    fn built_in_templates_compile() {
        let t = load(None).unwrap();
        assert!(t.stylesheet.contains(".app-tag"));
        for (name, _) in BUILTIN {
            assert!(t.tera.get_template_names().any(|n| n == *name), "{name}");
        }
    }

    #[test]
    fn an_audit_folder_overrides_by_file_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("accessibility.html"),
            "{% extends \"base.html\" %}{% block content %}<h1>Ours</h1>{% endblock content %}",
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("static")).unwrap();
        std::fs::write(dir.path().join("static/style.css"), "body{}").unwrap();
        let t = load(Some(dir.path())).unwrap();
        assert_eq!(t.stylesheet, "body{}");
        let names: Vec<&str> = t.tera.get_template_names().collect();
        assert!(names.contains(&"index.html"));
    }

    /// A partnership folder with a `templates/` folder, and a secret file beside it (outside).
    fn partnership_with_templates() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let secret = tmp.path().join("secret.txt");
        std::fs::write(&secret, "SECRET-CONTENT-7Q").unwrap();
        let templates = tmp.path().join("p/templates");
        std::fs::create_dir_all(&templates).unwrap();
        (tmp, templates, secret)
    }

    #[cfg(unix)]
    #[test]
    fn an_override_linking_outside_the_partnership_folder_is_refused_unread() {
        let (_tmp, templates, secret) = partnership_with_templates();
        std::os::unix::fs::symlink(&secret, templates.join("index.html")).unwrap();
        let e = load(Some(&templates)).unwrap_err();
        assert!(e.0.contains("index.html"), "{e}");
        assert!(e.0.contains("outside the partnership folder"), "{e}");
        assert!(!e.0.contains("SECRET-CONTENT"), "{e}");

        // The stylesheet too, and a templates folder that is itself a link out.
        let (_tmp, templates, secret) = partnership_with_templates();
        std::fs::create_dir(templates.join("static")).unwrap();
        std::os::unix::fs::symlink(&secret, templates.join("static/style.css")).unwrap();
        let e = load(Some(&templates)).unwrap_err();
        assert!(
            e.0.contains("style.css") && !e.0.contains("SECRET-CONTENT"),
            "{e}"
        );

        let (tmp, templates, _) = partnership_with_templates();
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("extra.html"), "SECRET-CONTENT-7Q").unwrap();
        std::fs::remove_dir(&templates).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &templates).unwrap();
        let e = load(Some(&templates)).unwrap_err();
        assert!(e.0.contains("outside the partnership folder"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_that_stays_inside_the_partnership_folder_is_read() {
        let (_tmp, templates, _) = partnership_with_templates();
        let own = templates.parent().unwrap().join("shared.html");
        std::fs::write(&own, "<p>ours</p>").unwrap();
        std::os::unix::fs::symlink(&own, templates.join("extra.html")).unwrap();
        let t = load(Some(&templates)).unwrap();
        let html = t.tera.render("extra.html", &tera::Context::new()).unwrap();
        assert_eq!(html, "<p>ours</p>");
    }

    #[test]
    fn an_override_cannot_include_a_file_by_path() {
        let (tmp, templates, secret) = partnership_with_templates();
        let relative = "../../secret.txt";
        assert!(templates.join(relative).is_file());
        for name in [relative.to_string(), secret.display().to_string()] {
            for tag in ["include", "extends", "import"] {
                let body = if tag == "import" {
                    format!("{{% import \"{name}\" as m %}}x")
                } else {
                    format!("{{% {tag} \"{name}\" %}}")
                };
                std::fs::write(templates.join("index.html"), &body).unwrap();
                let rendered = load(Some(&templates)).and_then(|t| {
                    t.tera
                        .render("index.html", &tera::Context::new())
                        .map_err(|e| TemplateError(format!("{e:?}")))
                });
                match rendered {
                    Ok(html) => panic!("{body} rendered: {html}"),
                    Err(e) => assert!(!e.0.contains("SECRET-CONTENT"), "{body}: {e}"),
                }
            }
        }
        drop(tmp);
    }

    #[test]
    fn a_broken_override_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "{% if %}").unwrap();
        let e = load(Some(dir.path())).unwrap_err();
        assert!(e.0.contains("does not compile"), "{e}");
    }
}
