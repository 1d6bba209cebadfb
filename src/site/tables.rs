//! Data tables that scroll in their own region on a narrow screen, so that no page is wider
//! than a phone: every `app-table` a template writes outside such a region is put in one
//! (`<div class="app-table-wrap" role="region" tabindex="0">`, named by the table's caption),
//! after rendering, so that a user's own templates get the same.

/// `html` with each data table not already in a scrolling region wrapped in one (the page
/// itself, not a copy, when it has no data table).
pub fn wrap_tables(html: String) -> String {
    const OPEN: &str = "<table class=\"app-table";
    const CLOSE: &str = "</table>";
    let opener = memchr::memmem::Finder::new(OPEN);
    if opener.find(html.as_bytes()).is_none() {
        return html;
    }
    let mut out = String::with_capacity(html.len() + 1024);
    let mut rest = html.as_str();
    let mut n = 0;
    while let Some(at) = opener.find(rest.as_bytes()) {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let Some(end) =
            memchr::memmem::find(from.as_bytes(), CLOSE.as_bytes()).map(|e| e + CLOSE.len())
        else {
            rest = from;
            break;
        };
        let (table, after) = from.split_at(end);
        if before.trim_end().ends_with("tabindex=\"0\">") {
            out.push_str(table);
        } else {
            n += 1;
            out.push_str(&wrapped(table, n));
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// One table in its region, named by its caption (given an id when it has none).
fn wrapped(table: &str, n: usize) -> String {
    let caption = memchr::memmem::find(table.as_bytes(), b"<caption").map(|c| c + "<caption".len());
    let (name, table) = match caption {
        Some(c) => {
            let tag_end = table[c..].find('>').map_or(c, |e| c + e);
            match existing_id(&table[c..tag_end]) {
                Some(id) => (format!("aria-labelledby=\"{id}\""), table.to_string()),
                None => {
                    let id = format!("app-table-{n}");
                    let mut t = table.to_string();
                    t.insert_str(c, &format!(" id=\"{id}\""));
                    (format!("aria-labelledby=\"{id}\""), t)
                }
            }
        }
        None => ("aria-label=\"Table\"".to_string(), table.to_string()),
    };
    // A table left out of print takes its region with it.
    let class = if table[..table.find('>').unwrap_or(0)].contains("app-print-hide") {
        "app-table-wrap app-print-hide"
    } else {
        "app-table-wrap"
    };
    format!("<div class=\"{class}\" role=\"region\" {name} tabindex=\"0\">\n{table}\n</div>")
}

/// The value of an `id="..."` attribute among a tag's attributes.
fn existing_id(attrs: &str) -> Option<&str> {
    let at = attrs.find(" id=\"")? + 5;
    let end = attrs[at..].find('"')?;
    Some(&attrs[at..at + end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_table_gets_a_named_region_and_a_wrapped_one_is_left_alone() {
        let html = "<p>x</p><table class=\"app-table\"><caption class=\"c\">Cycles</caption><tr><td>1</td></tr></table>\
            <div class=\"app-table-wrap\" role=\"region\" aria-label=\"R\" tabindex=\"0\">\n<table class=\"app-table\"><caption>R</caption></table></div>";
        let out = wrap_tables(html.to_string());
        assert!(out.contains("<div class=\"app-table-wrap\" role=\"region\" aria-labelledby=\"app-table-1\" tabindex=\"0\">\n<table class=\"app-table\"><caption id=\"app-table-1\" class=\"c\">Cycles</caption>"), "{out}");
        assert_eq!(out.matches("app-table-wrap").count(), 2, "{out}");
        assert_eq!(
            wrap_tables(out.clone()),
            out,
            "wrapping twice changes nothing"
        );
    }

    #[test]
    fn a_caption_with_an_id_keeps_it_and_a_table_without_one_is_still_named() {
        let out = wrap_tables(
            "<table class=\"app-table x\"><caption id=\"own\">A</caption></table><table class=\"app-table\"><tr></tr></table>".to_string(),
        );
        assert!(out.contains("aria-labelledby=\"own\""), "{out}");
        assert!(out.contains("aria-label=\"Table\""), "{out}");
        assert!(!wrap_tables("<p>no table</p>".to_string()).contains("div"));
    }
}
