//! Property test: whatever Markdown a return or briefing holds, the rendered HTML carries no
//! element, attribute or link that could run script, and rendering never panics.

use panelaudit::site::markdown::{to_html, to_text};
use proptest::prelude::*;

/// Pieces that attack an HTML sanitiser, mixed with ordinary Markdown structure.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<script>alert(1)</script>".to_string()),
        Just("<SCRIPT SRC=//x.example/a.js>".to_string()),
        Just("<img src=x onerror=alert(1)>".to_string()),
        Just("<a href=\"javascript:alert(1)\">x</a>".to_string()),
        Just("[click](javascript:alert(1))".to_string()),
        Just("[click](JaVaScRiPt:alert(1))".to_string()),
        Just("[click]( javascript:alert(1) )".to_string()),
        Just("[x](java&#115;cript:alert(1))".to_string()),
        Just("[x](data:text/html;base64,PHNjcmlwdD4=)".to_string()),
        Just("[x](vbscript:msgbox)".to_string()),
        Just("![alt](https://tracker.example/p.png)".to_string()),
        Just("<svg onload=alert(1)>".to_string()),
        Just("<iframe src=x></iframe>".to_string()),
        Just("<div style=\"background:url(javascript:x)\">".to_string()),
        Just("{{ config }}{% raw %}".to_string()),
        Just("<!-- comment -->".to_string()),
        Just("\n\n".to_string()),
        Just("\n- ".to_string()),
        Just("\n# ".to_string()),
        Just("`".to_string()),
        Just("```\n".to_string()),
        Just("| a | b |\n|---|---|\n".to_string()),
        Just("[ref]: javascript:alert(1)\n[ref]".to_string()),
        Just("<".to_string()),
        Just(">".to_string()),
        Just("\"".to_string()),
        ".{0,16}",
    ]
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..12).prop_map(|v| v.concat())
}

/// True when the HTML holds something a browser could execute or fetch.
fn dangerous(html: &str) -> Option<&'static str> {
    let lower = html.to_ascii_lowercase();
    let tags = [
        "<script", "<img", "<svg", "<iframe", "<object", "<embed", "<style", "<div", "<!--",
    ];
    if let Some(t) = tags.iter().find(|t| lower.contains(**t)) {
        return Some(t);
    }
    // Event-handler attributes can only appear inside a tag: look at each tag's inside.
    for tag in lower.split('<').skip(1) {
        let inside = tag.split('>').next().unwrap_or("");
        if inside.contains(" on") && inside.contains('=') {
            return Some("an event handler attribute");
        }
        if inside.contains(" style=") {
            return Some("a style attribute");
        }
        if let Some(href) = inside.split("href=\"").nth(1) {
            let url = href.split('"').next().unwrap_or("");
            if !(url.starts_with("http://")
                || url.starts_with("https://")
                || url.starts_with("mailto:"))
            {
                return Some("a link that is not http, https or mailto");
            }
        }
        if inside.contains("src=") {
            return Some("a src attribute");
        }
    }
    None
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, .. ProptestConfig::default() })]

    #[test]
    fn rendered_markdown_never_carries_script(doc in document(), top in 1u8..7) {
        let html = to_html(&doc, top);
        prop_assert!(dangerous(&html).is_none(), "{:?} in {html:?} from {doc:?}", dangerous(&html));
        let _ = to_text(&doc);
    }

    #[test]
    fn arbitrary_text_never_panics(doc in "\\PC{0,300}", top in 0u8..=255) {
        let html = to_html(&doc, top);
        prop_assert!(dangerous(&html).is_none(), "{:?} in {html:?}", dangerous(&html));
    }
}

#[test]
fn the_checker_itself_catches_what_it_looks_for() {
    // So the property above can fail: each of these must be recognised as dangerous.
    for bad in [
        "<script>x</script>",
        "<p><img src=x onerror=y></p>",
        "<a href=\"javascript:x\">a</a>",
        "<a href=\"data:text/html,x\">a</a>",
        "<p style=\"x\">a</p>",
    ] {
        assert!(dangerous(bad).is_some(), "{bad}");
    }
    assert!(dangerous("<p><a href=\"https://example.org\">ok</a> &lt;script&gt;</p>").is_none());
}
