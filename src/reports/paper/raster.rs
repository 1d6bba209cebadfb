//! A chart's SVG drawn as a PNG for the board paper, by resvg, with the DejaVu Sans font the
//! binary carries: no system fonts, no network, the same pixels on every machine.
//!
//! The site's charts are fluid (`width="100%"`, see `site::charts::fluid`): here they are given
//! a fixed width, the paper's text width in CSS pixels, and drawn at twice that for print.

use super::PaperError;
use resvg::{tiny_skia, usvg};
use std::sync::{Arc, LazyLock};

/// The width a chart is laid out at: about the 170 mm text width of an A4 page.
pub const CHART_WIDTH: u32 = 640;
/// Pixels per CSS pixel in the PNG: sharp when printed.
const SCALE: f32 = 2.0;

/// The fonts: DejaVu Sans, regular and bold, standing for every sans-serif.
static FONTS: LazyLock<Arc<usvg::fontdb::Database>> = LazyLock::new(|| {
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(dejavu::sans::regular().to_vec());
    db.load_font_data(dejavu::sans::bold().to_vec());
    db.set_sans_serif_family("DejaVu Sans");
    Arc::new(db)
});

/// The PNG of `svg` laid out `CHART_WIDTH` pixels wide, with its size in CSS pixels.
pub fn png(svg: &str) -> Result<(Vec<u8>, u32, u32), PaperError> {
    let svg = svg.replacen("width=\"100%\"", &format!("width=\"{CHART_WIDTH}\""), 1);
    let options = usvg::Options {
        fontdb: Arc::clone(&FONTS),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(&svg, &options).map_err(|e| PaperError::Chart(e.into()))?;
    let size = tree.size().to_int_size();
    let (w, h) = (size.width(), size.height());
    let scaled = |v: u32| (v as f32 * SCALE).ceil() as u32;
    let mut pixmap = tiny_skia::Pixmap::new(scaled(w), scaled(h)).ok_or(PaperError::ChartSize)?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(SCALE, SCALE),
        &mut pixmap.as_mut(),
    );
    let png = pixmap.encode_png().map_err(|e| PaperError::Png(e.into()))?;
    Ok((png, w, h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fluid_chart_is_drawn_at_the_papers_width_with_its_text() {
        let label = crate::site::charts::Label {
            id: "c".into(),
            title: "t".into(),
            desc: "d".into(),
        };
        let svg =
            crate::site::charts::bars(&label, &[("A long label".into(), 3.0, "3".into())]).unwrap();
        let (png, w, h) = png(&svg).unwrap();
        assert_eq!(w, CHART_WIDTH);
        assert!(h > 20);
        assert!(png.starts_with(&[0x89, b'P', b'N', b'G']));
        // The same chart, the same bytes; and text drawn (a chart without its label differs).
        assert_eq!(png, super::png(&svg).unwrap().0);
        let unlabelled =
            crate::site::charts::bars(&label, &[(String::new(), 3.0, String::new())]).unwrap();
        assert_ne!(png, super::png(&unlabelled).unwrap().0);
    }
}
