//! A Word document (.docx, Office Open XML) written from a few kinds of block: headings,
//! paragraphs, bulleted lists, tables and pictures. Only what a board paper needs,
//! written directly as WordprocessingML and zipped with fixed timestamps, so the same paper is
//! the same bytes.
//!
//! Written by hand rather than with docx-rs: that crate writes every picture's `docPr` with the
//! fixed name "Figure" and no description, so a chart could carry no text alternative, and it
//! numbers pictures from a counter shared by the whole process. What is here is what Word and
//! LibreOffice need: real headings (Heading 1 to 3, for the navigation pane and screen
//! readers), tables with a repeating header row and a title (`tblCaption`), pictures with
//! `descr` (alt text), a header marking every page and a footer numbering it.

use super::PaperError;
use std::fmt::Write as _;
use std::io::Write as _;

/// A run of text in a paragraph.
#[derive(Debug, Clone)]
pub struct Run {
    pub text: String,
    pub bold: bool,
}

impl Run {
    pub fn plain(text: impl Into<String>) -> Run {
        Run {
            text: text.into(),
            bold: false,
        }
    }

    pub fn bold(text: impl Into<String>) -> Run {
        Run {
            text: text.into(),
            bold: true,
        }
    }
}

/// One block of the document body, in reading order.
#[derive(Debug, Clone)]
pub enum Block {
    /// A heading of level 1 to 3.
    Heading(u8, String),
    Para(Vec<Run>),
    /// A small paragraph (notes under a table or chart).
    Note(String),
    Bullets(Vec<Vec<Run>>),
    Table(Table),
    Picture(Picture),
}

/// A table: its caption (shown above it and given as its title), a header row and rows of
/// cells, each a list of lines. `widths` are the columns' shares of the text width, in percent.
#[derive(Debug, Clone)]
pub struct Table {
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Vec<Run>>>,
    pub widths: Vec<u32>,
}

/// A PNG picture with its text alternative.
#[derive(Debug, Clone)]
pub struct Picture {
    pub png: Vec<u8>,
    /// Its size in CSS pixels (the PNG may hold more, for print).
    pub width: u32,
    pub height: u32,
    pub title: String,
    pub alt: String,
}

/// A whole document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The document's title (its properties, and what a screen reader announces first).
    pub title: String,
    /// Printed at the top of every page: what the paper is and who may read it.
    pub header: String,
    /// Printed at the foot of every page, before "Page N of M".
    pub footer: String,
    pub blocks: Vec<Block>,
}

/// The widest a picture is drawn: four fifths of the 170 mm text width of an A4 page with
/// 2 cm margins, in EMU (English metric units), so a chart's 16 px text prints at about 10 pt.
const TEXT_WIDTH_EMU: u64 = 4_896_000;
/// EMU per CSS pixel at 96 pixels an inch.
const EMU_PER_PX: u64 = 9525;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL_TYPE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// Text for XML content and attribute values.
fn esc(s: &str) -> String {
    // Validation refuses control characters; none reaches a document, and XML forbids them.
    let allowed: String = s
        .chars()
        .filter(|&c| !c.is_control() || c == '\n' || c == '\t')
        .collect();
    // The site's escaper writes entities XML knows too (`&#39;` for an apostrophe).
    crate::site::templates::escaped(&allowed)
}

fn runs(rs: &[Run]) -> String {
    let mut out = String::new();
    for r in rs {
        let props = if r.bold { "<w:rPr><w:b/></w:rPr>" } else { "" };
        let _ = write!(
            out,
            "<w:r>{props}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
            esc(&r.text)
        );
    }
    out
}

fn para(style: Option<&str>, extra: &str, body: &str) -> String {
    let style = style.map_or(String::new(), |s| format!("<w:pStyle w:val=\"{s}\"/>"));
    format!("<w:p><w:pPr>{style}{extra}</w:pPr>{body}</w:p>")
}

fn bullets(items: &[Vec<Run>]) -> String {
    items
        .iter()
        .map(|item| {
            para(
                Some("ListParagraph"),
                "<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr>",
                &runs(item),
            )
        })
        .collect()
}

fn table(t: &Table) -> String {
    let mut out = para(
        Some("Caption"),
        "<w:keepNext/>",
        &runs(&[Run::plain(&t.caption)]),
    );
    let _ = write!(
        out,
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"PaperTable\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblLayout w:type=\"fixed\"/><w:tblCaption w:val=\"{}\"/></w:tblPr><w:tblGrid>",
        esc(&t.caption)
    );
    // Column widths in twentieths of a point, from the shares of 170 mm (9638 twips).
    let twips: Vec<u64> = t
        .widths
        .iter()
        .map(|w| 9638 * u64::from(*w) / 100)
        .collect();
    for w in &twips {
        let _ = write!(out, "<w:gridCol w:w=\"{w}\"/>");
    }
    out.push_str("</w:tblGrid>");
    let cell = |w: u64, content: &str| {
        format!("<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/></w:tcPr>{content}</w:tc>")
    };
    // A table of label and value pairs has no header row.
    if t.header.iter().any(|h| !h.is_empty()) {
        out.push_str("<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>");
        for (h, w) in t.header.iter().zip(&twips) {
            let text = runs(&[Run::bold(h)]);
            out.push_str(&cell(*w, &para(Some("TableText"), "<w:keepNext/>", &text)));
        }
        out.push_str("</w:tr>");
    }
    for row in &t.rows {
        out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for (c, w) in row.iter().zip(&twips) {
            let content = if c.is_empty() {
                para(Some("TableText"), "", "")
            } else {
                para(Some("TableText"), "", &runs(c))
            };
            out.push_str(&cell(*w, &content));
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    out
}

/// A picture inline in its own paragraph, scaled to the text width at most.
fn picture(p: &Picture, n: usize) -> String {
    let (w, h) = (u64::from(p.width.max(1)), u64::from(p.height.max(1)));
    let cx = (w * EMU_PER_PX).min(TEXT_WIDTH_EMU);
    let cy = h * cx / w;
    let drawing = format!(
        "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:docPr id=\"{n}\" name=\"Chart {n}\" descr=\"{alt}\" title=\"{title}\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic><pic:nvPicPr><pic:cNvPr id=\"{n}\" name=\"chart{n}.png\" descr=\"{alt}\" title=\"{title}\"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed=\"rIdImage{n}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>",
        alt = esc(&p.alt),
        title = esc(&p.title),
    );
    para(Some("Figure"), "", &drawing)
}

fn body(doc: &Document) -> String {
    let mut out = String::new();
    let mut pictures = 0;
    for b in &doc.blocks {
        match b {
            Block::Heading(level, text) => {
                let style = format!("Heading{}", level.clamp(&1, &3));
                out.push_str(&para(Some(&style), "", &runs(&[Run::plain(text)])));
            }
            Block::Para(rs) => out.push_str(&para(None, "", &runs(rs))),
            Block::Note(text) => out.push_str(&para(Some("Note"), "", &runs(&[Run::plain(text)]))),
            Block::Bullets(items) => out.push_str(&bullets(items)),
            Block::Table(t) => out.push_str(&table(t)),
            Block::Picture(p) => {
                pictures += 1;
                out.push_str(&picture(p, pictures));
            }
        }
    }
    out
}

const NAMESPACES: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"";

fn document_xml(doc: &Document) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document {NAMESPACES}><w:body>{}<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1134\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>",
        body(doc)
    )
}

fn header_xml(text: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:hdr xmlns:w=\"{W}\" xmlns:r=\"{R}\">{}</w:hdr>",
        para(Some("Header"), "", &runs(&[Run::bold(text)]))
    )
}

fn footer_xml(text: &str) -> String {
    let field = |code: &str| {
        format!(
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> {code} </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
        )
    };
    let numbers = format!(
        "{}<w:r><w:tab/></w:r>{}{}{}{}",
        runs(&[Run::plain(text)]),
        runs(&[Run::plain("Page ")]),
        field("PAGE"),
        runs(&[Run::plain(" of ")]),
        field("NUMPAGES")
    );
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr xmlns:w=\"{W}\" xmlns:r=\"{R}\">{}</w:ftr>",
        para(
            Some("Footer"),
            "<w:tabs><w:tab w:val=\"right\" w:pos=\"9638\"/></w:tabs>",
            &numbers
        )
    )
}

/// The styles the body uses: Arial throughout, headings with outline levels.
fn styles_xml() -> String {
    let heading = |n: u8, size: u32, before: u32| {
        format!(
            "<w:style w:type=\"paragraph\" w:styleId=\"Heading{n}\"><w:name w:val=\"heading {n}\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"{before}\" w:after=\"80\"/><w:outlineLvl w:val=\"{}\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"{size}\"/></w:rPr></w:style>",
            n - 1
        )
    };
    let simple = |id: &str, name: &str, ppr: &str, rpr: &str| {
        format!(
            "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/><w:basedOn w:val=\"Normal\"/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
        )
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles xmlns:w=\"{W}\"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:cs=\"Arial\" w:eastAsia=\"Arial\"/><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/><w:lang w:val=\"en-GB\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"100\" w:line=\"264\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>{}{}{}{}{}{}{}{}{}{}{}<w:style w:type=\"table\" w:styleId=\"PaperTable\"><w:name w:val=\"Paper table\"/><w:tblPr><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:color=\"B1B4B6\"/><w:bottom w:val=\"single\" w:sz=\"4\" w:color=\"B1B4B6\"/><w:insideH w:val=\"single\" w:sz=\"4\" w:color=\"B1B4B6\"/></w:tblBorders><w:tblCellMar><w:top w:w=\"40\" w:type=\"dxa\"/><w:left w:w=\"60\" w:type=\"dxa\"/><w:bottom w:w=\"40\" w:type=\"dxa\"/><w:right w:w=\"60\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style></w:styles>",
        simple(
            "Title",
            "Title",
            "<w:spacing w:after=\"120\"/>",
            "<w:b/><w:sz w:val=\"40\"/>"
        ),
        simple(
            "Subtitle",
            "Subtitle",
            "<w:spacing w:after=\"200\"/>",
            "<w:sz w:val=\"28\"/>"
        ),
        heading(1, 30, 240),
        heading(2, 24, 200),
        heading(3, 21, 160),
        simple(
            "Caption",
            "caption",
            "<w:keepNext/><w:spacing w:before=\"120\" w:after=\"60\"/>",
            "<w:b/><w:sz w:val=\"19\"/>"
        ),
        simple(
            "TableText",
            "Table text",
            "<w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>",
            "<w:sz w:val=\"18\"/>"
        ),
        simple(
            "ListParagraph",
            "List Paragraph",
            "<w:spacing w:after=\"60\"/><w:ind w:left=\"360\" w:hanging=\"360\"/>",
            ""
        ),
        simple(
            "Note",
            "Note",
            "<w:spacing w:after=\"120\"/>",
            "<w:color w:val=\"484949\"/><w:sz w:val=\"17\"/>"
        ),
        simple("Figure", "Figure", "<w:spacing w:after=\"60\"/>", ""),
        simple(
            "Header",
            "header",
            "<w:spacing w:after=\"0\"/>",
            "<w:sz w:val=\"17\"/>"
        ) + &simple(
            "Footer",
            "footer",
            "<w:spacing w:after=\"0\"/>",
            "<w:sz w:val=\"17\"/>"
        ),
    )
}

/// The one list style a paper uses: bullets (numId 1).
fn numbering_xml() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:numbering xmlns:w=\"{W}\"><w:abstractNum w:abstractNumId=\"1\"><w:multiLevelType w:val=\"singleLevel\"/><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"\u{2022}\"/><w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"360\" w:hanging=\"360\"/></w:pPr></w:lvl></w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"1\"/></w:num></w:numbering>"
    )
}

fn relationships(doc: &Document) -> String {
    let mut rels = format!(
        "<Relationship Id=\"rIdStyles\" Type=\"{REL_TYPE}/styles\" Target=\"styles.xml\"/><Relationship Id=\"rIdNumbering\" Type=\"{REL_TYPE}/numbering\" Target=\"numbering.xml\"/><Relationship Id=\"rIdHeader\" Type=\"{REL_TYPE}/header\" Target=\"header1.xml\"/><Relationship Id=\"rIdFooter\" Type=\"{REL_TYPE}/footer\" Target=\"footer1.xml\"/>"
    );
    for n in 1..=pictures(doc).count() {
        let _ = write!(
            rels,
            "<Relationship Id=\"rIdImage{n}\" Type=\"{REL_TYPE}/image\" Target=\"media/chart{n}.png\"/>"
        );
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{rels}</Relationships>"
    )
}

fn pictures(doc: &Document) -> impl Iterator<Item = &Picture> {
    doc.blocks.iter().filter_map(|b| match b {
        Block::Picture(p) => Some(p),
        _ => None,
    })
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"png\" ContentType=\"image/png\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/><Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/><Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/><Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/><Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/><Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/><Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/></Types>";

fn package_rels() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{REL_TYPE}/officeDocument\" Target=\"word/document.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/><Relationship Id=\"rId3\" Type=\"{REL_TYPE}/extended-properties\" Target=\"docProps/app.xml\"/></Relationships>"
    )
}

fn core_xml(title: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\"><dc:title>{}</dc:title><dc:language>en-GB</dc:language><dc:creator>panelaudit</dc:creator></cp:coreProperties>",
        esc(title)
    )
}

const APP_XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>panelaudit</Application></Properties>";

/// The XML parts of the document, by their name in the package (pictures apart): what the
/// publication scan reads before a public paper is written.
pub fn parts(doc: &Document) -> Vec<(String, String)> {
    vec![
        ("[Content_Types].xml".into(), CONTENT_TYPES.into()),
        ("_rels/.rels".into(), package_rels()),
        ("docProps/core.xml".into(), core_xml(&doc.title)),
        ("docProps/app.xml".into(), APP_XML.into()),
        ("word/document.xml".into(), document_xml(doc)),
        ("word/_rels/document.xml.rels".into(), relationships(doc)),
        ("word/styles.xml".into(), styles_xml()),
        ("word/numbering.xml".into(), numbering_xml()),
        ("word/header1.xml".into(), header_xml(&doc.header)),
        ("word/footer1.xml".into(), footer_xml(&doc.footer)),
    ]
}

/// The .docx package's bytes.
pub fn write(doc: &Document) -> Result<Vec<u8>, PaperError> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let err = PaperError::Document;
    let mut add = |name: &str, bytes: &[u8]| -> Result<(), PaperError> {
        zip.start_file(name, options).map_err(err)?;
        zip.write_all(bytes).map_err(|e| err(e.into()))
    };
    for (name, xml) in parts(doc) {
        add(&name, xml.as_bytes())?;
    }
    for (n, p) in pictures(doc).enumerate() {
        add(&format!("word/media/chart{}.png", n + 1), &p.png)?;
    }
    let cursor = zip.finish().map_err(err)?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Document {
        Document {
            title: "Board paper <test>".into(),
            header: "INTERNAL".into(),
            footer: "Northmoor".into(),
            blocks: vec![
                Block::Heading(1, "Where & why".into()),
                Block::Table(Table {
                    caption: "Themes".into(),
                    header: vec!["Theme".into(), "Rating".into()],
                    rows: vec![vec![vec![Run::plain("A")], vec![Run::bold("Limited")]]],
                    widths: vec![60, 40],
                }),
                Block::Picture(Picture {
                    png: vec![1, 2, 3],
                    width: 2000,
                    height: 1000,
                    title: "Chart".into(),
                    alt: "Bars \"quoted\"".into(),
                }),
            ],
        }
    }

    #[test]
    fn the_same_document_is_the_same_bytes() {
        assert_eq!(write(&doc()).unwrap(), write(&doc()).unwrap());
    }

    #[test]
    fn text_is_escaped_and_pictures_carry_their_alternative_and_fit_the_page() {
        let xml = document_xml(&doc());
        assert!(xml.contains("Where &amp; why"));
        assert!(xml.contains("descr=\"Bars &quot;quoted&quot;\""), "{xml}");
        assert!(xml.contains("<w:tblHeader/>"), "the header row repeats");
        assert!(xml.contains("<w:tblCaption w:val=\"Themes\"/>"));
        // 2000 px would be 19 million EMU: scaled to the widest a picture is drawn, its shape kept.
        assert!(xml.contains("cx=\"4896000\" cy=\"2448000\""), "{xml}");
        assert!(core_xml("a<b").contains("a&lt;b"));
    }
}
