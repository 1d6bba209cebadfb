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
    (
        "question.html",
        include_str!("../../templates/question.html"),
    ),
    ("agency.html", include_str!("../../templates/agency.html")),
    ("actions.html", include_str!("../../templates/actions.html")),
    ("metrics.html", include_str!("../../templates/metrics.html")),
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
pub fn load(overrides: Option<&Path>) -> Result<Templates, TemplateError> {
    let mut chosen: Vec<(String, String)> = BUILTIN
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    let mut stylesheet = STYLESHEET.to_string();
    if let Some(dir) = overrides {
        for path in crate::load::sorted_entries(dir) {
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if !path.is_file() || !name.ends_with(".html") {
                continue;
            }
            let text = read(&path)?;
            match chosen.iter_mut().find(|(n, _)| n == name) {
                Some(slot) => slot.1 = text,
                None => chosen.push((name.to_string(), text)),
            }
        }
        let css = dir.join(STYLESHEET_NAME);
        if css.is_file() {
            stylesheet = read(&css)?;
        }
    }
    let mut tera = tera::Tera::new();
    tera.autoescape_on([".html"]);
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

fn read(path: &Path) -> Result<String, TemplateError> {
    source::read_text(path)
        .map_err(|e| TemplateError(format!("{}: {e}", source::display_path(path))))
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn a_broken_override_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "{% if %}").unwrap();
        let e = load(Some(dir.path())).unwrap_err();
        assert!(e.0.contains("does not compile"), "{e}");
    }
}
