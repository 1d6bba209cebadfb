//! Line charts drawn to the page's width (see `fluid.rs`): categories (cycles or periods) are
//! placed in percent across the width, values in pixels down a fixed height, so the text keeps
//! its size on a phone. The value axis is labelled on its gridlines at the left edge, the key
//! (a line sample and marker per series, then the references) is a list above the plot.

use super::fluid::{LABEL_CHARS, anchor_at, label_text, pct};
use super::*;

/// Height of the plot area in CSS pixels.
const PLOT_H: f64 = 200.0;

fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// The marker shapes, one per series (the same order as the colours), drawn at the origin so
/// that a `<use>` places them anywhere, in percent or pixels.
fn marker_defs(id: &str) -> String {
    let mut out = String::new();
    for (k, colour) in SERIES.iter().enumerate() {
        let c = hex(*colour);
        let shape = match k {
            0 => format!("<circle r=\"6\" fill=\"{c}\"/>"),
            1 => format!("<rect x=\"-6\" y=\"-6\" width=\"12\" height=\"12\" fill=\"{c}\"/>"),
            2 => format!("<path d=\"M0 -7 L7 6 L-7 6 Z\" fill=\"{c}\"/>"),
            3 => format!("<path d=\"M0 -7 L7 0 L0 7 L-7 0 Z\" fill=\"{c}\"/>"),
            4 => format!("<circle r=\"5\" fill=\"#ffffff\" stroke=\"{c}\" stroke-width=\"3\"/>"),
            _ => format!(
                "<rect x=\"-5\" y=\"-5\" width=\"10\" height=\"10\" fill=\"#ffffff\" stroke=\"{c}\" stroke-width=\"3\"/>"
            ),
        };
        let _ = writeln!(out, "<g id=\"{id}-m{k}\">{shape}</g>");
    }
    let _ = writeln!(
        out,
        "<path id=\"{id}-ref\" d=\"M0 -7 L7 0 L0 7 L-7 0 Z\" fill=\"#ffffff\" stroke=\"{}\" stroke-width=\"2\"/>",
        hex(INK)
    );
    out
}

fn place(id: &str, what: &str, x: &str, y: f64) -> String {
    format!(
        "<use href=\"#{id}-{what}\" x=\"{x}\" y=\"{}\"/>\n",
        trim_number(y)
    )
}

fn line(x1: &str, y1: f64, x2: &str, y2: f64, stroke: &str, extra: &str) -> String {
    format!(
        "<line x1=\"{x1}\" y1=\"{}\" x2=\"{x2}\" y2=\"{}\" stroke=\"{stroke}\"{extra}/>\n",
        trim_number(y1),
        trim_number(y2)
    )
}

/// The key: each series (line sample and its marker) and each reference, one a line.
fn key(id: &str, series: &[Line], references: &[Reference]) -> (String, f64) {
    let mut out = String::new();
    let mut y = 14.0;
    if series.len() < 2 && references.is_empty() {
        return (out, 0.0);
    }
    for (k, s) in series.iter().enumerate() {
        let c = hex(SERIES[k % SERIES.len()]);
        out.push_str(&line("0", y, "36", y, &c, " stroke-width=\"3\""));
        out.push_str(&place(id, &format!("m{}", k % 6), "18", y));
        y = key_words(&mut out, y, &s.label);
    }
    for r in references {
        let ink = hex(INK);
        let dash = match r.mark {
            RefMark::Line => " stroke-width=\"2\" stroke-dasharray=\"8 5\"",
            _ => " stroke-width=\"2\" stroke-dasharray=\"2 3\"",
        };
        out.push_str(&line("0", y, "36", y, &ink, dash));
        if r.mark != RefMark::Line {
            out.push_str(&place(id, "ref", "18", y));
        }
        let words = if r.mark == RefMark::KeyOnly {
            format!("{} (its period is not on the chart)", r.label)
        } else {
            r.label.clone()
        };
        y = key_words(&mut out, y, &words);
    }
    (out, y)
}

/// A key entry's words beside its sample at `y`, wrapped to a phone's width; returns where
/// the next entry goes.
fn key_words(out: &mut String, y: f64, words: &str) -> f64 {
    let lines = wrap(words, LABEL_CHARS - 6);
    for (k, l) in lines.iter().enumerate() {
        out.push_str(&label_text(
            "46",
            y + 6.0 + k as f64 * 24.0,
            "start",
            false,
            INK,
            l,
        ));
    }
    y + 28.0 + (lines.len() - 1) as f64 * 24.0
}

/// Lines across categories (cycles or periods), with a key of marker shapes above the plot.
/// `y_ticks` are the gridlines with their labels. `references` are a target (a dashed line
/// across the plot) or a comparator (a hollow diamond at its period).
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

/// The vertical extent of a line chart: where the plot starts and how values map to pixels.
struct Plot {
    top: f64,
    lo: f64,
    hi: f64,
    n: usize,
}

impl Plot {
    fn y(&self, v: f64) -> f64 {
        self.top + (self.hi - v.clamp(self.lo, self.hi)) / (self.hi - self.lo) * PLOT_H
    }

    /// A category's centre, in percent of the width.
    fn x(&self, i: usize) -> f64 {
        (i as f64 + 0.5) / self.n as f64 * 100.0
    }

    fn bottom(&self) -> f64 {
        self.top + PLOT_H
    }
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
    let id = escape(&label.id);
    let (mut lo, mut hi) = y_range;
    if !lo.is_finite() {
        lo = 0.0;
    }
    // Also catches NaN bounds.
    if !hi.is_finite() || hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
        hi = lo + 1.0;
    }
    let (mut body, mut y) = key(&id, series, references);
    if let Some(t) = y_title {
        body.push_str(&label_text("0", y + 18.0, "start", false, INK, t));
        y += 24.0;
    }
    // Room for a value label over the highest point.
    let plot = Plot {
        top: y + 30.0,
        lo,
        hi,
        n: x_labels.len().max(1),
    };
    axes(&mut body, &plot, y_ticks, x_labels);
    let taken = draw_references(&mut body, &id, &plot, references);
    for (k, s) in series.iter().enumerate() {
        draw_series(&mut body, &id, &plot, k, s, point_labels, &taken);
    }
    let height = plot.bottom() + 40.0;
    let open = super::fluid::open(&label.id, height)
        .replace("</defs>", &format!("{}</defs>", marker_defs(&id)));
    Ok(finish(open + &body + "</svg>\n", label))
}

/// Gridlines labelled at the left edge, the baseline, and the categories beneath it.
fn axes(out: &mut String, plot: &Plot, y_ticks: &[(f64, String)], x_labels: &[String]) {
    for (v, tick) in y_ticks {
        if !v.is_finite() {
            continue;
        }
        let py = plot.y(*v);
        out.push_str(&line("0", py, "100%", py, &hex(GRID), ""));
        out.push_str(&label_text("0", py - 5.0, "start", false, INK, tick));
    }
    let base = plot.bottom();
    out.push_str(&line("0", base, "100%", base, &hex(AXIS), ""));
    for (i, x) in x_labels.iter().enumerate() {
        let px = pct(plot.x(i));
        out.push_str(&line(&px, base, &px, base + 5.0, &hex(AXIS), ""));
        out.push_str(&label_text(&px, base + 24.0, "middle", false, INK, x));
    }
}

/// Draws the references (the key names them: a label on the plot would crowd the values on a
/// phone); returns where they sit (category, pixel height, at one category), so that value
/// labels keep clear of them.
fn draw_references(
    out: &mut String,
    id: &str,
    plot: &Plot,
    references: &[Reference],
) -> Vec<(usize, f64, bool)> {
    let ink = hex(INK);
    let mut taken = Vec::new();
    for r in references.iter().filter(|r| r.value.is_finite()) {
        let py = plot.y(r.value);
        match r.mark {
            RefMark::Line => {
                let dash = " stroke-width=\"2\" stroke-dasharray=\"8 5\"";
                out.push_str(&line("0", py, "100%", py, &ink, dash));
                taken.extend((0..plot.n).map(|i| (i, py, false)));
            }
            RefMark::At(i) if i < plot.n => {
                let half = 30.0 / plot.n as f64;
                let (x0, x1) = (pct(plot.x(i) - half), pct(plot.x(i) + half));
                let dots = " stroke-width=\"2\" stroke-dasharray=\"2 3\"";
                out.push_str(&line(&x0, py, &x1, py, &ink, dots));
                out.push_str(&place(id, "ref", &pct(plot.x(i)), py));
                taken.push((i, py, true));
            }
            _ => {}
        }
    }
    taken
}

/// One series: its line (broken at a gap), its markers and, when asked, its values.
fn draw_series(
    out: &mut String,
    id: &str,
    plot: &Plot,
    k: usize,
    s: &Line,
    point_labels: bool,
    taken: &[(usize, f64, bool)],
) {
    let colour = hex(SERIES[k % SERIES.len()]);
    let points: Vec<Option<(usize, f64)>> = s
        .values
        .iter()
        .enumerate()
        .map(|(i, v)| v.filter(|v| v.is_finite()).map(|v| (i, plot.y(v))))
        .collect();
    for pair in points.windows(2) {
        if let [Some((i, y1)), Some((j, y2))] = pair {
            let (a, b) = (pct(plot.x(*i)), pct(plot.x(*j)));
            out.push_str(&line(&a, *y1, &b, *y2, &colour, " stroke-width=\"3\""));
        }
    }
    for ((i, py), v) in points
        .iter()
        .flatten()
        .zip(s.values.iter().flatten().filter(|v| v.is_finite()))
    {
        let x = pct(plot.x(*i));
        out.push_str(&place(id, &format!("m{}", k % 6), &x, *py));
        if point_labels {
            // Above the point, unless a reference sits just above it.
            let below = taken.iter().any(|&(ri, ry, at_one)| {
                let reach = if at_one { 36.0 } else { 30.0 };
                ri == *i && ry < py - 2.0 && ry > py - reach
            });
            let y = if below { py + 26.0 } else { py - 12.0 };
            let frac = plot.x(*i) / 100.0;
            out.push_str(&label_text(
                &x,
                y,
                anchor_at(frac),
                false,
                INK,
                &trim_number(*v),
            ));
        }
    }
}
