//! Inline SVG charts, written as text (no fonts needed: the browser draws the text). Every
//! chart names itself for assistive technology (`role="img"`, `<title>`, `<desc>`); the page
//! puts the same figures in a table beside it. Colours come from the Government Analysis
//! Function palette (all at least 3:1 on white), and no meaning is carried by colour alone:
//! bars carry their numbers, rating levels keep a fixed order and a hatching, and lines carry
//! distinct marker shapes and a key.
//!
//! Every chart is fluid (`fluid.rs`, `fluid_lines.rs`): drawn to the page's width with its text
//! at the body size, so it reads on a phone as on a desk. They were drawn with plotters as
//! pictures 720 pixels wide, whose text shrank to 7 pixels on a phone. Shapes are written in
//! the order given, so the same figures give the same bytes.

use std::collections::BTreeMap;
use std::fmt::Write as _;

pub const DARK_BLUE: RGBColor = RGBColor(0x12, 0x43, 0x6d);
pub const TURQUOISE: RGBColor = RGBColor(0x28, 0xa1, 0x97);
pub const DARK_PINK: RGBColor = RGBColor(0x80, 0x16, 0x50);
pub const ORANGE: RGBColor = RGBColor(0xf4, 0x6a, 0x25);
pub const DARK_GREY: RGBColor = RGBColor(0x3d, 0x3d, 0x3d);
pub const LIGHT_PURPLE: RGBColor = RGBColor(0xa2, 0x85, 0xd1);
const INK: RGBColor = RGBColor(0x0b, 0x0c, 0x0c);
const AXIS: RGBColor = RGBColor(0x59, 0x59, 0x59);
const GRID: RGBColor = RGBColor(0xd9, 0xd9, 0xd9);

/// Colours for lines, in the order the palette recommends.
const SERIES: [RGBColor; 6] = [
    DARK_BLUE,
    ORANGE,
    DARK_PINK,
    TURQUOISE,
    DARK_GREY,
    LIGHT_PURPLE,
];

/// A colour of the palette.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RGBColor(pub u8, pub u8, pub u8);

pub const WHITE: RGBColor = RGBColor(0xff, 0xff, 0xff);
const FONT: &str = "sans-serif";

/// How a chart introduces itself to a screen reader.
#[derive(Debug, Clone)]
pub struct Label {
    /// Unique within the page: used for the `<title>`/`<desc>` ids.
    pub id: String,
    pub title: String,
    pub desc: String,
}

/// The fill used for a rating level: colour plus a hatching, so that levels can be told apart
/// in greyscale print and by readers who do not see the colours.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Swatch {
    pub fill: RGBColor,
    /// Text drawn on the fill (white on dark fills, near-black on light ones).
    pub ink: RGBColor,
    pub hatch: Hatch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hatch {
    None,
    Diagonal,
    Cross,
}

impl Swatch {
    /// The swatch for a level of a rating scale, from its RAG colour; the highest green level
    /// gets the darkest fill so adjacent levels differ in lightness too.
    pub fn for_level(rag: crate::model::Rag, is_top_green: bool) -> Swatch {
        use crate::model::Rag;
        match rag {
            Rag::Red => Swatch {
                fill: DARK_PINK,
                ink: WHITE,
                hatch: Hatch::Cross,
            },
            Rag::Amber => Swatch {
                fill: ORANGE,
                ink: INK,
                hatch: Hatch::Diagonal,
            },
            Rag::Green if is_top_green => Swatch {
                fill: DARK_BLUE,
                ink: WHITE,
                hatch: Hatch::None,
            },
            Rag::Green => Swatch {
                fill: TURQUOISE,
                ink: INK,
                hatch: Hatch::None,
            },
        }
    }

    /// For questions no agency rated.
    pub fn unrated() -> Swatch {
        Swatch {
            fill: DARK_GREY,
            ink: WHITE,
            hatch: Hatch::Diagonal,
        }
    }
}

/// One key entry of a stacked bar chart.
#[derive(Debug, Clone)]
pub struct Segment {
    pub label: String,
    pub swatch: Swatch,
}

/// One bar of a stacked bar chart: counts in the order of the segments.
#[derive(Debug, Clone)]
pub struct StackedRow {
    pub label: String,
    pub counts: Vec<u32>,
}

/// One line of a line chart: a value (or a gap) per x position.
#[derive(Debug, Clone)]
pub struct Line {
    pub label: String,
    pub values: Vec<Option<f64>>,
}

/// A reference on a metric chart: a target (a long-dashed line across every period, labelled
/// at its end) or a comparator (a hollow diamond at the one period it belongs to, with a short
/// dotted bar and its own label), so the two differ without colour.
#[derive(Debug, Clone)]
pub struct Reference {
    pub label: String,
    pub value: f64,
    pub mark: RefMark,
}

/// How a [`Reference`] is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefMark {
    /// A long-dashed line across the whole plot (a target: it holds for every period).
    Line,
    /// A marker at one category (a comparator for one period).
    At(usize),
    /// In the key only (a comparator whose period is not on the chart).
    KeyOnly,
}

#[derive(Debug, thiserror::Error)]
#[error("could not draw a chart: {0}")]
pub struct ChartError(pub String);

/// Round axis bounds and up to six evenly spaced ticks covering `lo..hi`.
pub(crate) fn nice_ticks(lo: f64, hi: f64) -> (f64, f64, Vec<f64>) {
    let span = (hi - lo).abs().max(1e-9);
    if !span.is_finite() || !lo.is_finite() || !hi.is_finite() {
        // Values near the limits of f64: an axis without ticks rather than arithmetic on inf.
        return (0.0, 1.0, Vec::new());
    }
    let raw = span / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| span / s <= 5.0 + 1e-9)
        .unwrap_or(mag * 10.0);
    let start = (lo / step).floor() * step;
    let end = (hi / step).ceil() * step;
    let mut ticks = Vec::new();
    let mut t = start;
    while t <= end + step * 1e-6 && ticks.len() < 12 {
        ticks.push((t / step).round() * step);
        t += step;
    }
    (start, end.max(start + step), ticks)
}

/// A number without trailing zeros: 2, 2.5, 25.3; rounded half away from zero, as the data
/// files round it. Written by [`format::num`](crate::format::num) like every figure on a
/// page; only a value that is not finite keeps Rust's spelling (`NaN`, `inf`) here.
pub fn trim_number(v: f64) -> String {
    if v.is_finite() {
        crate::format::num(v, 2)
    } else {
        format!("{v:.2}")
    }
}

/// Names the chart for assistive technology, tidies plotters' font sizes and lets the chart
/// scale with the page.
fn finish(svg: String, label: &Label) -> String {
    let svg = tidy_font_sizes(&svg);
    let Some(open_end) = svg.find('>') else {
        return svg;
    };
    let (open, rest) = svg.split_at(open_end);
    let rest = &rest[1..];
    let open = open.replacen("<svg ", "<svg class=\"app-chart\" ", 1);
    let mut out = String::with_capacity(svg.len() + 256);
    let _ = write!(
        out,
        "{open} role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" focusable=\"false\">\n<title id=\"{id}-title\">{title}</title>\n<desc id=\"{id}-desc\">{desc}</desc>\n{rest}",
        id = escape(&label.id),
        title = escape(&label.title),
        desc = escape(&label.desc),
    );
    out
}

fn tidy_font_sizes(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    const KEY: &str = "font-size=\"";
    while let Some(i) = rest.find(KEY) {
        out.push_str(&rest[..i + KEY.len()]);
        rest = &rest[i + KEY.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        match rest[..end].parse::<f64>() {
            Ok(v) => out.push_str(&trim_number(v)),
            Err(_) => out.push_str(&rest[..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Text escaped for SVG, by the templates' escaper (the same characters its templates
/// escape), so a chart label and a page agree.
fn escape(s: &str) -> String {
    super::templates::escaped(s)
}

mod fluid;
mod fluid_lines;
pub use fluid::*;
pub use fluid_lines::*;

/// Splits a label into lines of at most about `width` characters, at spaces.
fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests;
