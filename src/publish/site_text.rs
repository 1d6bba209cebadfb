//! What a reader (or a browser, or a spreadsheet) can read in one built file: its path, and its
//! content as text. For HTML and SVG that is every text node and every attribute value (link
//! destinations, titles, `alt`, `aria-label`, `id`, `class`, `data-*`...), with a paragraph
//! break between blocks and none between inline runs, so `943 <b>476</b> 5919` reads as one
//! number. Attributes that only hold drawing geometry are left out: their numbers are ours.
//! Other text files (CSV, JSON, CSS) are read whole.

use crate::scan::fold::Folded;

/// One readable part of a built file, folded, with the way back to its line and column.
pub struct Piece {
    pub folded: Folded,
    /// The piece is the file's path (its name and its folders' names).
    pub is_name: bool,
    /// Byte offsets where lines start in the file, found when a hit is first placed (most
    /// files have none).
    line_starts: std::cell::OnceCell<Vec<usize>>,
    content: Option<String>,
}

impl Piece {
    /// 1-based line and column in the built file of byte `offset`; (0, 0) for a name.
    pub fn place(&self, offset: usize) -> (usize, usize) {
        let Some(content) = &self.content else {
            return (0, 0);
        };
        let line_starts = self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(content.match_indices('\n').map(|(i, _)| i + 1));
            starts
        });
        let line = line_starts.partition_point(|&s| s <= offset).max(1) - 1;
        let start = line_starts.get(line).copied().unwrap_or(0);
        let end = offset.min(content.len());
        let col = content.get(start..end).map_or(1, |s| s.chars().count() + 1);
        (line + 1, col)
    }
}

/// Attributes whose values are numbers we computed for a drawing, never text.
const GEOMETRY: &[&str] = &[
    "d",
    "points",
    "viewbox",
    "transform",
    "x",
    "y",
    "x1",
    "x2",
    "y1",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "width",
    "height",
    "stroke-width",
    "stroke-dasharray",
    "stroke-dashoffset",
    "font-size",
    "opacity",
    "fill-opacity",
    "stroke-opacity",
    "dx",
    "dy",
    "offset",
    "version",
    "xmlns",
];

/// Elements that do not start a new block: text across them reads as one run.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q",
    "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "tspan",
];

/// The readable pieces of a built file: its path, then its content.
pub fn readable(path: &str, bytes: &[u8]) -> Vec<Piece> {
    let mut name = Folded::default();
    name.push(path, 0);
    let mut pieces = vec![Piece {
        folded: name,
        is_name: true,
        line_starts: std::cell::OnceCell::new(),
        content: None,
    }];
    // Built files are text; anything else could not carry readable text to a page reader,
    // but it is read as text anyway, with unknown bytes replaced. (The standard check of
    // valid UTF-8 is much the faster way to the same text when there is nothing to replace.)
    let content = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    };
    let folded = if path.ends_with(".html") || path.ends_with(".svg") || path.ends_with(".xml") {
        markup_text(&content)
    } else {
        let mut f = Folded::with_capacity(content.len());
        f.push(&content, 0);
        f
    };
    pieces.push(Piece {
        folded,
        is_name: false,
        line_starts: std::cell::OnceCell::new(),
        content: Some(content),
    });
    pieces
}

/// Text nodes and attribute values of HTML or SVG, folded.
fn markup_text(html: &str) -> Folded {
    let mut out = Folded::with_capacity(html.len());
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            let end = memchr::memchr(b'<', &b[i..]).map_or(html.len(), |n| i + n);
            out.push(&html[i..end], i);
            i = end;
            continue;
        }
        if html[i..].starts_with("<!--") {
            i = html[i..].find("-->").map_or(html.len(), |n| i + n + 3);
            continue;
        }
        // A tag: its name, then attributes up to the closing '>'.
        let mut j = i + 1;
        let closing = b.get(j) == Some(&b'/');
        if closing {
            j += 1;
        }
        let name_start = j;
        while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' && b[j] != b'/' {
            j += 1;
        }
        let name = &html[name_start..j];
        let inline = INLINE.iter().any(|n| n.eq_ignore_ascii_case(name));
        if !inline {
            out.push_break(i);
        }
        // Attributes.
        loop {
            while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' {
                break;
            }
            let attr_start = j;
            while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'=' && b[j] != b'>' {
                j += 1;
            }
            let attr = &html[attr_start..j];
            if b.get(j) == Some(&b'=') {
                j += 1;
                let (value_start, value_end, next) = match b.get(j) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let end = html[j + 1..]
                            .find(q as char)
                            .map_or(html.len(), |n| j + 1 + n);
                        (j + 1, end, (end + 1).min(html.len()))
                    }
                    _ => {
                        let end = html[j..]
                            .find(|c: char| c.is_ascii_whitespace() || c == '>')
                            .map_or(html.len(), |n| j + n);
                        (j, end, end)
                    }
                };
                if !GEOMETRY.iter().any(|g| g.eq_ignore_ascii_case(attr)) {
                    out.push_break(value_start);
                    out.push(&html[value_start..value_end], value_start);
                    out.push_break(value_end);
                }
                j = next;
            } else if !attr.is_empty() {
                // A bare attribute (`hidden`): its name is ours.
            }
        }
        i = (j + 1).min(html.len());
        if !closing && (name.eq_ignore_ascii_case("style") || name.eq_ignore_ascii_case("script")) {
            // Their content is code, not text: skip to the end tag, in any case (a CSS file is
            // read whole elsewhere; a page's own style block is ours).
            i = end_tag_at(html, i, name);
        }
        if !inline {
            out.push_break(i.min(html.len()));
        }
    }
    out
}

/// Where the first `</name` (in any case) stands from byte `from` on, or the end of `html`.
fn end_tag_at(html: &str, from: usize, name: &str) -> usize {
    let b = html.as_bytes();
    let mut at = from;
    while let Some(n) = html[at..].find("</") {
        let tag = at + n + 2;
        if b.len() >= tag + name.len()
            && b[tag..tag + name.len()].eq_ignore_ascii_case(name.as_bytes())
        {
            return at + n;
        }
        at = tag;
    }
    html.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(html: &str) -> String {
        markup_text(html).text
    }

    #[test]
    fn inline_runs_join_blocks_break_and_attributes_are_read() {
        let t = text_of(
            "<p>NHS 943 <b>476</b> 5919</p><p>next</p><a href=\"mailto:a%40b.example\" title=\"x &#64; y\">link</a>",
        );
        assert!(t.contains("NHS 943 476 5919"), "{t:?}");
        assert!(t.contains("5919\n\nnext"), "{t:?}");
        assert!(t.contains("mailto:a@b.example"), "{t:?}");
        assert!(t.contains("x @ y"), "{t:?}");
    }

    #[test]
    fn geometry_comments_and_style_blocks_are_not_text() {
        let t = text_of(
            "<svg><path d=\"M 943 476 L 5919 0\"/><!-- 943 476 5919 --><style>.a{width:9434765919px}</style><text x=\"1\">Label</text></svg>",
        );
        assert!(!t.contains("943"), "{t:?}");
        assert!(t.contains("Label"), "{t:?}");
    }

    #[test]
    fn a_script_ends_at_its_end_tag_in_any_case_and_text_after_it_is_read() {
        let t = text_of(
            "<SCRIPT>let n = '9434765919'; // </b> is not the end</ScRiPt><P TITLE=\"Kai 07700 900123\">after</P><style>p{}</STYLE>tail",
        );
        assert!(!t.contains("9434765919"), "{t:?}");
        assert!(t.contains("Kai 07700 900123"), "{t:?}");
        assert!(t.contains("after") && t.contains("tail"), "{t:?}");
        // An end tag that never comes: the rest of the file is code.
        assert_eq!(text_of("<p>seen</p><script>var a = 1;"), "seen\n\n");
    }

    #[test]
    fn a_place_in_the_file_is_its_line_and_column() {
        let pieces = readable("a/index.html", b"<p>one</p>\n<p>two kai</p>\n");
        let page = &pieces[1];
        let at = page.folded.text.find("kai").unwrap();
        let (os, _) = page.folded.original_range(at, at + 3);
        assert_eq!(page.place(os), (2, 8));
        assert!(pieces[0].is_name && pieces[0].folded.text == "a/index.html");
    }
}
