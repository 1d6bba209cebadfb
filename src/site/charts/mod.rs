//! Inline SVG charts drawn with plotters' SVG backend (no fonts needed: the browser draws the
//! text). Every chart names itself for assistive technology (`role="img"`, `<title>`, `<desc>`);
//! the page puts the same figures in a table beside it. Colours come from the Government
//! Analysis Function palette (all at least 3:1 on white), and no meaning is carried by colour
//! alone: bars carry their numbers, rating levels keep a fixed order and a hatching, and lines
//! carry distinct marker shapes and a key.
//!
//! Bars are plain `Rectangle`s drawn from `Vec`s in order (plotters' `Histogram` orders its
//! bars through a `HashMap`, which would make the output differ from run to run).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
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

const WIDTH: u32 = 720;
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

#[derive(Debug)]
pub struct ChartError(pub String);

impl std::fmt::Display for ChartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "could not draw a chart: {}", self.0)
    }
}

fn err<E: std::fmt::Debug>(e: E) -> ChartError {
    ChartError(format!("{e:?}"))
}

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Font sizes are given in CSS pixels; plotters' SVG backend divides by 1.24.
fn font(px: f64) -> TextStyle<'static> {
    (FONT, px * 1.24).into_font().color(&INK)
}

fn text(area: &Area<'_>, s: &str, at: (i32, i32), style: TextStyle<'_>) -> Result<(), ChartError> {
    area.draw(&Text::new(s.to_string(), at, style)).map_err(err)
}

fn left(px: f64) -> TextStyle<'static> {
    font(px).pos(Pos::new(HPos::Left, VPos::Center))
}

fn right(px: f64) -> TextStyle<'static> {
    font(px).pos(Pos::new(HPos::Right, VPos::Center))
}

fn centre(px: f64) -> TextStyle<'static> {
    font(px).pos(Pos::new(HPos::Center, VPos::Center))
}

/// A filled rectangle with its hatching.
fn swatch_rect(
    area: &Area<'_>,
    (x0, y0): (i32, i32),
    (x1, y1): (i32, i32),
    swatch: Swatch,
) -> Result<(), ChartError> {
    area.draw(&Rectangle::new([(x0, y0), (x1, y1)], swatch.fill.filled()))
        .map_err(err)?;
    let stroke = WHITE.stroke_width(2);
    let mut lines = Vec::new();
    match swatch.hatch {
        Hatch::Diagonal => lines.extend(hatch_lines((x0, y0), (x1, y1), 12, true)),
        Hatch::Cross => lines.extend(hatch_lines((x0, y0), (x1, y1), 8, true)),
        Hatch::None => {}
    }
    if swatch.hatch == Hatch::Cross {
        lines.extend(hatch_lines((x0, y0), (x1, y1), 8, false));
    }
    for [a, b] in lines {
        area.draw(&PathElement::new(vec![a, b], stroke))
            .map_err(err)?;
    }
    Ok(())
}

/// 45° lines `spacing` apart, clipped to the rectangle: rising (`/`) or falling (`\`).
fn hatch_lines(
    (x0, y0): (i32, i32),
    (x1, y1): (i32, i32),
    spacing: i32,
    rising: bool,
) -> Vec<[(i32, i32); 2]> {
    let mut out = Vec::new();
    if x1 - x0 < 2 || y1 - y0 < 2 {
        return out;
    }
    if rising {
        // x + y = k
        let mut k = x0 + y0 + spacing / 2;
        while k < x1 + y1 {
            let xa = x0.max(k - y1);
            let xb = x1.min(k - y0);
            if xb > xa {
                out.push([(xa, k - xa), (xb, k - xb)]);
            }
            k += spacing;
        }
    } else {
        // x - y = k
        let mut k = x0 - y1 + spacing / 2;
        while k < x1 - y0 {
            let xa = x0.max(k + y0);
            let xb = x1.min(k + y1);
            if xb > xa {
                out.push([(xa, xa - k), (xb, xb - k)]);
            }
            k += spacing;
        }
    }
    out
}

/// Horizontal stacked bars, one per row, with the row's label above its bar, each segment's
/// count written on it, and the key above the chart.
pub fn stacked_bars(
    label: &Label,
    segments: &[Segment],
    rows: &[StackedRow],
) -> Result<String, ChartError> {
    let key_rows = segments.len().div_ceil(3).max(1) as i32;
    let top = 12 + key_rows * 26 + 8;
    let row_h = 58;
    let height = (top + rows.len() as i32 * row_h + 12).max(80) as u32;
    let (x0, x1) = (8, WIDTH as i32 - 16);
    let max_total = rows
        .iter()
        .map(|r| r.counts.iter().sum::<u32>())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        for (i, seg) in segments.iter().enumerate() {
            let kx = x0 + (i as i32 % 3) * 236;
            let ky = 12 + (i as i32 / 3) * 26;
            swatch_rect(&root, (kx, ky), (kx + 28, ky + 18), seg.swatch)?;
            root.draw(&Rectangle::new(
                [(kx, ky), (kx + 28, ky + 18)],
                INK.stroke_width(1),
            ))
            .map_err(err)?;
            text(&root, &seg.label, (kx + 36, ky + 9), left(14.0))?;
        }
        let span = f64::from(x1 - x0);
        for (r, row) in rows.iter().enumerate() {
            let y = top + r as i32 * row_h;
            text(&root, &row.label, (x0, y + 10), left(15.0))?;
            let (by0, by1) = (y + 22, y + 50);
            let mut acc = 0u32;
            for (seg, &n) in segments.iter().zip(&row.counts) {
                if n == 0 {
                    continue;
                }
                let sx0 = x0 + (f64::from(acc) / f64::from(max_total) * span).round() as i32;
                acc += n;
                let sx1 = x0 + (f64::from(acc) / f64::from(max_total) * span).round() as i32;
                swatch_rect(&root, (sx0, by0), (sx1, by1), seg.swatch)?;
                // A white gap between segments keeps adjacent fills apart.
                root.draw(&PathElement::new(
                    vec![(sx1, by0), (sx1, by1)],
                    WHITE.stroke_width(2),
                ))
                .map_err(err)?;
                let mid = (sx0 + sx1) / 2;
                // The count sits in a small plain box so it reads over any hatching.
                let w = 10 + 9 * n.to_string().len() as i32;
                if sx1 - sx0 >= w + 2 {
                    let plate = if seg.swatch.ink == WHITE {
                        seg.swatch.fill
                    } else {
                        WHITE
                    };
                    root.draw(&Rectangle::new(
                        [(mid - w / 2, by0 + 5), (mid + w / 2, by1 - 5)],
                        plate.filled(),
                    ))
                    .map_err(err)?;
                    let ink = if plate == WHITE { INK } else { seg.swatch.ink };
                    text(
                        &root,
                        &n.to_string(),
                        (mid, (by0 + by1) / 2),
                        centre(14.0).color(&ink),
                    )?;
                }
            }
            if acc == 0 {
                text(&root, "none", (x0, (by0 + by1) / 2), left(14.0))?;
            }
        }
        root.present().map_err(err)?;
    }
    Ok(finish(buf, label))
}

/// Horizontal bars with the value written at the end of each bar.
pub fn bars(label: &Label, rows: &[(String, f64, String)]) -> Result<String, ChartError> {
    let row_h = 30;
    let label_w = 150;
    let height = (16 + rows.len() as i32 * row_h + 8).max(60) as u32;
    let (x0, x1) = (label_w + 8, WIDTH as i32 - 70);
    let max = rows
        .iter()
        .map(|r| r.1)
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    let max = if max > 0.0 { max } else { 1.0 };
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        for (i, (name, value, shown)) in rows.iter().enumerate() {
            let y = 12 + i as i32 * row_h;
            text(&root, name, (label_w, y + 11), right(14.0))?;
            let v = if value.is_finite() {
                value.max(0.0)
            } else {
                0.0
            };
            let bx1 = x0 + (v / max * f64::from(x1 - x0)).round() as i32;
            if bx1 > x0 {
                root.draw(&Rectangle::new(
                    [(x0, y), (bx1, y + 22)],
                    DARK_BLUE.filled(),
                ))
                .map_err(err)?;
            }
            text(&root, shown, (bx1 + 6, y + 11), left(14.0))?;
        }
        root.draw(&PathElement::new(
            vec![(x0, 6), (x0, height as i32 - 4)],
            AXIS.stroke_width(1),
        ))
        .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(finish(buf, label))
}

/// Lines across categories (cycles or periods), with a key of marker shapes above the plot.
/// `y_ticks` are the gridlines with their labels. `references` are dashed horizontal lines
/// labelled at their right end (a target, a comparator).
pub fn lines(
    label: &Label,
    x_labels: &[String],
    y_range: (f64, f64),
    y_ticks: &[(f64, String)],
    series: &[Line],
    references: &[Reference],
    point_labels: bool,
) -> Result<String, ChartError> {
    lines_with_axis(
        label,
        x_labels,
        y_range,
        y_ticks,
        series,
        references,
        point_labels,
        None,
    )
}

/// [`lines`] with a title over the vertical axis naming its unit.
#[allow(clippy::too_many_arguments)]
pub fn lines_with_axis(
    label: &Label,
    x_labels: &[String],
    y_range: (f64, f64),
    y_ticks: &[(f64, String)],
    series: &[Line],
    references: &[Reference],
    point_labels: bool,
    y_title: Option<&str>,
) -> Result<String, ChartError> {
    let key_h = if series.len() > 1 || !references.is_empty() {
        (series.len() + references.len()) as i32 * 24 + 8
    } else {
        0
    };
    // Room above the plot for the key, the axis title and value labels over the highest points.
    let plot_top = 24 + key_h + if y_title.is_some() { 20 } else { 0 };
    let plot_h = 240;
    let height = (plot_top + plot_h + 44) as u32;
    let (mut y_lo, mut y_hi) = y_range;
    if !y_lo.is_finite() {
        y_lo = 0.0;
    }
    // Also catches NaN bounds.
    if !y_hi.is_finite() || y_hi.partial_cmp(&y_lo) != Some(std::cmp::Ordering::Greater) {
        y_hi = y_lo + 1.0;
    }
    let n = x_labels.len().max(1);
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        // Key: one line per series, marker and line sample then the name.
        let mut ky = 12;
        if key_h > 0 {
            for (i, s) in series.iter().enumerate() {
                let colour = SERIES[i % SERIES.len()];
                root.draw(&PathElement::new(
                    vec![(8, ky + 9), (44, ky + 9)],
                    colour.stroke_width(3),
                ))
                .map_err(err)?;
                marker(&root, i, (26, ky + 9), colour)?;
                text(&root, &s.label, (54, ky + 9), left(14.0))?;
                ky += 24;
            }
            for r in references {
                match r.mark {
                    RefMark::Line => dashed(&root, (8, ky + 9), (44, ky + 9), INK)?,
                    RefMark::At(_) | RefMark::KeyOnly => {
                        dotted(&root, (8, ky + 9), (44, ky + 9), INK)?;
                        diamond(&root, (26, ky + 9), INK)?;
                    }
                }
                let key = if r.mark == RefMark::KeyOnly {
                    format!("{} (its period is not on the chart)", r.label)
                } else {
                    r.label.clone()
                };
                text(&root, &key, (54, ky + 9), left(14.0))?;
                ky += 24;
            }
        }
        if let Some(t) = y_title {
            text(&root, t, (8, ky + 10), left(13.0))?;
        }
        let plot = root.margin(plot_top as u32, 44, 64, 24);
        let mut chart = ChartBuilder::on(&plot)
            .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), y_lo..y_hi)
            .map_err(err)?;
        for (v, tick) in y_ticks {
            let (px0, py) = chart.backend_coord(&(-0.5, *v));
            let (px1, _) = chart.backend_coord(&(n as f64 - 0.5, *v));
            root.draw(&PathElement::new(
                vec![(px0, py), (px1, py)],
                GRID.stroke_width(1),
            ))
            .map_err(err)?;
            text(&root, tick, (px0 - 6, py), right(13.0))?;
        }
        let (ax, ay) = chart.backend_coord(&(-0.5, y_lo));
        let (bx, _) = chart.backend_coord(&(n as f64 - 0.5, y_lo));
        root.draw(&PathElement::new(
            vec![(ax, ay), (bx, ay)],
            AXIS.stroke_width(1),
        ))
        .map_err(err)?;
        for (i, x) in x_labels.iter().enumerate() {
            let (px, _) = chart.backend_coord(&(i as f64, y_lo));
            root.draw(&PathElement::new(
                vec![(px, ay), (px, ay + 5)],
                AXIS.stroke_width(1),
            ))
            .map_err(err)?;
            text(
                &root,
                x,
                (px, ay + 18),
                font(13.0).pos(Pos::new(HPos::Center, VPos::Center)),
            )?;
        }
        // Where references sit, so value labels can keep clear of them.
        let mut taken: Vec<(i32, i32, bool)> = Vec::new();
        for r in references {
            if !r.value.is_finite() {
                continue;
            }
            match r.mark {
                RefMark::Line => {
                    let (px0, py) = chart.backend_coord(&(-0.5, r.value));
                    let (px1, _) = chart.backend_coord(&(n as f64 - 0.5, r.value));
                    dashed(&root, (px0, py), (px1, py), INK)?;
                    let short = r.label.split(':').next().unwrap_or(&r.label);
                    text(&root, short, (px1 - 2, py - 9), right(12.0))?;
                    for i in 0..n {
                        taken.push((chart.backend_coord(&(i as f64, r.value)).0, py, false));
                    }
                }
                RefMark::At(i) if i < n => {
                    let (px0, py) = chart.backend_coord(&(i as f64 - 0.3, r.value));
                    let (px1, _) = chart.backend_coord(&(i as f64 + 0.3, r.value));
                    let (px, _) = chart.backend_coord(&(i as f64, r.value));
                    dotted(&root, (px0, py), (px1, py), INK)?;
                    diamond(&root, (px, py), INK)?;
                    // Label on the side away from the series' point at this period (whose
                    // value label then goes on its own far side).
                    let point_above = series
                        .first()
                        .and_then(|s| s.values.get(i).copied().flatten())
                        .filter(|v| v.is_finite())
                        .is_some_and(|v| chart.backend_coord(&(i as f64, v)).1 < py);
                    let y = if point_above { py + 18 } else { py - 16 };
                    text(&root, &r.label, (px, y), centre(12.0))?;
                    taken.push((px, py, true));
                }
                _ => {}
            }
        }
        for (i, s) in series.iter().enumerate() {
            let colour = SERIES[i % SERIES.len()];
            // A gap in the values breaks the line rather than bridging it.
            let mut run: Vec<(f64, f64)> = Vec::new();
            let mut runs = Vec::new();
            for (x, v) in s.values.iter().enumerate() {
                match v {
                    Some(v) if v.is_finite() => run.push((x as f64, *v)),
                    _ => {
                        if !run.is_empty() {
                            runs.push(std::mem::take(&mut run));
                        }
                    }
                }
            }
            if !run.is_empty() {
                runs.push(run);
            }
            for run in &runs {
                chart
                    .draw_series(LineSeries::new(run.iter().copied(), colour.stroke_width(3)))
                    .map_err(err)?;
            }
            for (x, v) in s.values.iter().enumerate() {
                let Some(v) = v.filter(|v| v.is_finite()) else {
                    continue;
                };
                let at = chart.backend_coord(&(x as f64, v));
                marker(&root, i, at, colour)?;
                if point_labels {
                    // Above the point, unless a reference sits just above it: a target line,
                    // or a comparator's diamond (whose label then sits above the diamond).
                    let below = taken.iter().any(|&(rx, ry, at_one)| {
                        let reach = if at_one { 34 } else { 30 };
                        (rx - at.0).abs() < 40 && (at.1 - reach..at.1 - 2).contains(&ry)
                    });
                    let y = if below { at.1 + 18 } else { at.1 - 16 };
                    text(&root, &trim_number(v), (at.0, y), centre(13.0))?;
                }
            }
        }
        root.present().map_err(err)?;
    }
    Ok(finish(buf, label))
}

/// A long-dashed line (a target).
fn dashed(
    area: &Area<'_>,
    from: (i32, i32),
    to: (i32, i32),
    c: RGBColor,
) -> Result<(), ChartError> {
    patterned(area, from, to, c, (8, 5))
}

/// A dotted line (a comparator), unlike the target's long dashes.
fn dotted(
    area: &Area<'_>,
    from: (i32, i32),
    to: (i32, i32),
    c: RGBColor,
) -> Result<(), ChartError> {
    patterned(area, from, to, c, (2, 3))
}

/// A line drawn in dashes of `(dash, gap)` pixels, two pixels wide.
fn patterned(
    area: &Area<'_>,
    from: (i32, i32),
    to: (i32, i32),
    c: RGBColor,
    (dash, gap): (u32, u32),
) -> Result<(), ChartError> {
    area.draw(&plotters::element::DashedPathElement::new(
        vec![from, to],
        dash,
        gap,
        c.stroke_width(2),
    ))
    .map_err(err)
}

/// A hollow diamond: a comparator's value at its period.
fn diamond(area: &Area<'_>, (x, y): (i32, i32), c: RGBColor) -> Result<(), ChartError> {
    let r = 7;
    let pts = vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)];
    area.draw(&Polygon::new(pts.clone(), WHITE.filled()))
        .map_err(err)?;
    let mut ring = pts;
    ring.push((x, y - r));
    area.draw(&PathElement::new(ring, c.stroke_width(2)))
        .map_err(err)
}

/// Marker shapes differ by series, so lines can be told apart without colour.
fn marker(
    area: &Area<'_>,
    series: usize,
    (x, y): (i32, i32),
    c: RGBColor,
) -> Result<(), ChartError> {
    let r = 6;
    match series % 6 {
        0 => area.draw(&Circle::new((x, y), r, c.filled())).map_err(err),
        1 => area
            .draw(&Rectangle::new(
                [(x - r, y - r), (x + r, y + r)],
                c.filled(),
            ))
            .map_err(err),
        2 => area
            .draw(&Polygon::new(
                vec![(x, y - r - 1), (x + r + 1, y + r), (x - r - 1, y + r)],
                c.filled(),
            ))
            .map_err(err),
        3 => area
            .draw(&Polygon::new(
                vec![
                    (x, y - r - 1),
                    (x + r + 1, y),
                    (x, y + r + 1),
                    (x - r - 1, y),
                ],
                c.filled(),
            ))
            .map_err(err),
        4 => {
            area.draw(&Circle::new((x, y), r, WHITE.filled()))
                .map_err(err)?;
            area.draw(&Circle::new((x, y), r, c.stroke_width(3)))
                .map_err(err)
        }
        _ => {
            area.draw(&Rectangle::new(
                [(x - r, y - r), (x + r, y + r)],
                WHITE.filled(),
            ))
            .map_err(err)?;
            area.draw(&Rectangle::new(
                [(x - r, y - r), (x + r, y + r)],
                c.stroke_width(3),
            ))
            .map_err(err)
        }
    }
}

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
    let mut out = Vec::with_capacity(s.len());
    // Writing to a Vec cannot fail, and escaping keeps valid UTF-8 valid.
    let _ = super::templates::escape_html(s, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

mod diverging;
mod strip;
pub use diverging::*;
pub use strip::*;

#[cfg(test)]
mod tests;
