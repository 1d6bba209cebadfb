//! The site's templates and stylesheet, compiled into the binary. An audit's own `templates/`
//! folder overrides them file by file: a file there with the same name as a built-in one
//! replaces it, and further `.html` files there are added (for an override to include).

use std::fmt;

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

/// Why the templates could not be compiled: Tera's explanation, named by template, and the
/// place it points at.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct TemplateError {
    pub message: String,
    pub place: Option<TemplatePlace>,
}

/// The template, line and column (both from 1) an engine error points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplatePlace {
    pub template: String,
    pub line: usize,
    pub column: usize,
}

/// Where `e` (or an error it wraps) points, when the engine says: a syntax error while
/// compiling, or a rendering error, each carries its template and span as data.
pub fn place_of(e: &tera::Error) -> Option<TemplatePlace> {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = next {
        if let Some(t) = err.downcast_ref::<tera::Error>()
            && let tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) = t.kind()
        {
            return Some(TemplatePlace {
                template: r.filename().to_string(),
                line: r.span().start_line,
                // Stored from 0; the engine's own report counts from 1, as editors do.
                column: r.span().start_col + 1,
            });
        }
        next = err.source();
    }
    None
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

/// Compiles the built-in templates, with `overrides` (an audit's own templates, by name, as
/// `load` read them) taking the place of built-ins of the same name; `static/style.css`
/// replaces the stylesheet.
///
/// Tera only ever sees the templates given here, by name: `{% include %}`, `{% extends %}`
/// and `{% import %}` look names up among them and never open a file, so an override can
/// reach nothing but the built-ins and its siblings. Nothing here reads the disk: `load` did.
pub fn load(overrides: &[(String, String)]) -> Result<Templates, TemplateError> {
    let mut chosen: Vec<(String, String)> = BUILTIN
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    let mut stylesheet = STYLESHEET.to_string();
    for (name, text) in overrides {
        if name == STYLESHEET_NAME {
            stylesheet = text.clone();
            continue;
        }
        match chosen.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = text.clone(),
            None => chosen.push((name.clone(), text.clone())),
        }
    }
    let mut tera = tera::Tera::new();
    // Before the templates: they may call it.
    tera.register_function("url", super::routes::url_function);
    tera.autoescape_on([".html"]);
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(chosen.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| {
            let which = if overrides.is_empty() {
                String::new()
            } else {
                " (the built-in templates with the partnership's own in templates/)".to_string()
            };
            TemplateError {
                message: format!("a template does not compile{which}:\n{e}"),
                place: place_of(&e),
            }
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

/// `input` HTML-escaped into a new string, by [`escape_html`]: for text put into markup
/// outside the templates (chart labels, `serve`'s error page, the board paper's XML).
pub fn escaped(input: &str) -> String {
    let mut out = Vec::with_capacity(input.len());
    // Writing to a Vec cannot fail, and escaping keeps valid UTF-8 valid.
    let _ = escape_html(input, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The place an error carries as data is the one its text shows (`--> NAME:LINE:COLUMN`),
    /// for a template that does not compile and for one that fails as it renders.
    #[test]
    fn an_engine_error_gives_its_template_line_and_column_as_data() {
        let shown = |text: &str| {
            let at = text
                .lines()
                .find_map(|l| l.trim_start().strip_prefix("--> "));
            at.map(str::to_string)
        };
        let broken = [("extra.html".to_string(), "<p>\n  {{ oops\n".to_string())];
        let Err(e) = load(&broken) else {
            panic!("a template that does not compile was accepted");
        };
        let place = e.place.clone().expect("a syntax error has a place");
        assert_eq!(place.template, "extra.html");
        assert_eq!(place.line, 2);
        let text = format!("{}:{}:{}", place.template, place.line, place.column);
        assert_eq!(shown(&e.message).as_deref(), Some(text.as_str()));

        let failing = [(
            "extra.html".to_string(),
            "a\nb {{ missing.field }}".to_string(),
        )];
        let t = load(&failing).expect("compiles");
        let e = t
            .tera
            .render("extra.html", &tera::Context::new())
            .unwrap_err();
        let place = place_of(&e).expect("a rendering error has a place");
        assert_eq!((place.template.as_str(), place.line), ("extra.html", 2));
        let text = format!("{}:{}:{}", place.template, place.line, place.column);
        assert_eq!(shown(&format!("{e}")).as_deref(), Some(text.as_str()));
    }

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
        let t = load(&[]).unwrap();
        assert!(t.stylesheet.contains(".app-tag"));
        for (name, _) in BUILTIN {
            assert!(t.tera.get_template_names().any(|n| n == *name), "{name}");
        }
    }

    #[test]
    fn an_override_replaces_by_name_and_adds_siblings() {
        let overrides = vec![
            (
                "accessibility.html".to_string(),
                "{% extends \"base.html\" %}{% block content %}<h1>Ours</h1>{% endblock content %}"
                    .to_string(),
            ),
            ("static/style.css".to_string(), "body{}".to_string()),
            ("extra.html".to_string(), "<p>ours</p>".to_string()),
        ];
        let t = load(&overrides).unwrap();
        assert_eq!(t.stylesheet, "body{}");
        let names: Vec<&str> = t.tera.get_template_names().collect();
        assert!(names.contains(&"index.html"));
        let html = t.tera.render("extra.html", &tera::Context::new()).unwrap();
        assert_eq!(html, "<p>ours</p>");
    }

    fn render(t: &Templates, text: &str, root: &str) -> Result<String, tera::Error> {
        let mut ctx = tera::Context::new();
        ctx.insert("site", &serde_json::json!({ "root": root }));
        let mut tera = t.tera.clone();
        tera.add_raw_template("probe.html", text)?;
        tera.render("probe.html", &ctx)
    }

    #[test]
    fn url_links_a_page_from_where_the_template_is_rendered() {
        let t = load(&[]).unwrap();
        let html = render(&t, r#"{{ url(page="priorities") }}#rank-1"#, "../../").unwrap();
        assert_eq!(html, "../../priorities/index.html#rank-1");
        let html = render(&t, r#"{{ url(page="theme", id="safety") }}"#, "").unwrap();
        assert_eq!(html, "themes/safety/index.html");
        let html = render(&t, r#"{{ url(page="compare", root="../") }}"#, "").unwrap();
        assert_eq!(html, "../compare/index.html");
    }

    #[test]
    fn url_names_the_pages_when_given_one_the_site_does_not_have() {
        let t = load(&[]).unwrap();
        let e = render(&t, r#"{{ url(page="prorities") }}"#, "").unwrap_err();
        let shown = format!("{e:?}");
        assert!(
            shown.contains("`prorities`") && shown.contains("priorities"),
            "{shown}"
        );
    }

    #[test]
    fn an_override_that_does_not_compile_is_an_error_naming_the_folder() {
        let e = load(&[("index.html".to_string(), "{% if %}".to_string())]).unwrap_err();
        assert!(e.message.contains("templates/"), "{e}");
    }
}
