//! Charts drawn to the page's width: horizontal bars (plain, stacked, diverging) and the dot
//! plot of the comparison pages.
//!
//! A fluid chart has no `viewBox`: the `<svg>` is `width="100%"` and a fixed height, bars and
//! positions along the value axis are given in percent, and everything else in CSS pixels. So
//! the bars stretch with the page while the text keeps its size: 16 px on a phone, which is the
//! body size there (the stylesheet raises it with the body on wider screens). A chart scaled as
//! a picture shrank its 14 px labels to 7 px on a 390 px screen.
//!
//! What follows from that, after the Government Analysis Function's chart guidance: labels sit
//! above their bar in full, wrapped at a width a phone can show ([`LABEL_CHARS`]), never cut
//! short; the key is a list above the chart in the order of the bars; numbers on bars are in a
//! colour that contrasts with the fill, on a band of plain fill across the hatching (no halo),
//! and only where they fit at a phone's width (the table beside every chart has every figure).
//! Hatchings are SVG patterns in pixels, so they tile at any width.

use super::*;

/// Characters of a label line: what fits across a 390 px screen at 16 px.
pub const LABEL_CHARS: usize = 40;
/// The narrowest plot the charts are laid out for (a 390 px screen less the page's margins).
const NARROWEST: f64 = 330.0;
/// A dot plot's dot, across, in pixels.
const DOT: f64 = 10.0;
/// Text size in CSS pixels: a phone's body text.
const TEXT: f64 = 16.0;
/// Baseline to baseline, roomy enough for the 19 px the stylesheet gives wider screens.
const LINE: f64 = 24.0;
/// Height of a stacked or diverging bar, and of the plain band a number sits on inside it.
const BAR: f64 = 36.0;
const BAND: f64 = 24.0;
/// How far across the longest stacked bar reaches, in percent: room beyond it for a number
/// too big for the bar's last part.
const STACK_SPAN: f64 = 92.0;

fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// A percentage along the value axis, to two places.
pub(super) fn pct(x: f64) -> String {
    format!("{}%", trim_number(x.clamp(0.0, 100.0)))
}

/// A text element: `x` is a length (`"12"` or `"40%"`).
pub(super) fn label_text(
    x: &str,
    y: f64,
    anchor: &str,
    bold: bool,
    fill: RGBColor,
    s: &str,
) -> String {
    format!(
        "<text x=\"{x}\" y=\"{}\" font-family=\"{FONT}\" font-size=\"{}\"{} text-anchor=\"{anchor}\" fill=\"{}\">{}</text>\n",
        trim_number(y),
        trim_number(TEXT),
        if bold { " font-weight=\"bold\"" } else { "" },
        hex(fill),
        escape(s)
    )
}

/// Whether a number of `chars` characters fits inside a bar `share` (0 to 1) of the plot wide
/// at the narrowest width the charts are laid out for.
fn fits(share: f64, chars: usize) -> bool {
    share * NARROWEST >= 8.0 + 9.0 * chars as f64
}

/// The opening of a fluid chart, with its hatching patterns (ids prefixed by the chart's id).
pub(super) fn open(id: &str, height: f64) -> String {
    let id = escape(id);
    let mut out = format!(
        "<svg width=\"100%\" height=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">\n<defs>\n",
        trim_number(height.ceil())
    );
    for (name, path) in [
        ("diagonal", "M-3 3 L3 -3 M0 12 L12 0 M9 15 L15 9"),
        (
            "cross",
            "M-2 2 L2 -2 M0 8 L8 0 M6 10 L10 6 M-2 6 L2 10 M0 0 L8 8 M6 -2 L10 2",
        ),
    ] {
        let size = if name == "cross" { 8 } else { 12 };
        let _ = writeln!(
            out,
            "<pattern id=\"{id}-{name}\" width=\"{size}\" height=\"{size}\" patternUnits=\"userSpaceOnUse\"><path d=\"{path}\" stroke=\"#ffffff\" stroke-width=\"2\"/></pattern>"
        );
    }
    out.push_str("</defs>\n");
    out
}

/// A filled part of a bar from `x0` to `x1` percent, hatched as its swatch says.
fn swatch_bar(id: &str, (x0, x1): (f64, f64), y: f64, h: f64, swatch: Swatch) -> String {
    let (x, w) = (pct(x0), pct(x1 - x0));
    let mut out = format!(
        "<rect x=\"{x}\" y=\"{}\" width=\"{w}\" height=\"{}\" fill=\"{}\"/>\n",
        trim_number(y),
        trim_number(h),
        hex(swatch.fill)
    );
    let pattern = match swatch.hatch {
        Hatch::None => None,
        Hatch::Diagonal => Some("diagonal"),
        Hatch::Cross => Some("cross"),
    };
    if let Some(p) = pattern {
        let _ = writeln!(
            out,
            "<rect x=\"{x}\" y=\"{}\" width=\"{w}\" height=\"{}\" fill=\"url(#{}-{p})\"/>",
            trim_number(y),
            trim_number(h),
            escape(id)
        );
    }
    out
}

/// A number centred on a bar's part, on a band of the part's plain fill, in its ink.
fn number_on(
    mid: f64,
    y: f64,
    (x0, x1): (f64, f64),
    fill: RGBColor,
    ink: RGBColor,
    s: &str,
) -> String {
    let band_y = y + (BAR - BAND) / 2.0;
    format!(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>\n{}",
        pct(x0 + 0.4),
        trim_number(band_y),
        pct((x1 - x0 - 0.8).max(0.0)),
        trim_number(BAND),
        hex(fill),
        label_text(&pct(mid), band_y + 17.0, "middle", false, ink, s)
    )
}

/// A figure just beyond the end of a bar at `end` percent, in bold ink.
fn beside(end: f64, baseline: f64, s: &str) -> String {
    label_text(&pct(end), baseline, "start", true, INK, s).replacen("<text ", "<text dx=\"6\" ", 1)
}

/// The key: one entry a line, in the order of the bars' parts.
fn key(id: &str, entries: &[(String, Swatch)]) -> (String, f64) {
    let mut out = String::new();
    let mut y = 4.0;
    for (name, swatch) in entries {
        let rect =
            swatch_bar(id, (0.0, 0.0), y, 20.0, *swatch).replace("width=\"0%\"", "width=\"28\"");
        out.push_str(&rect);
        let _ = writeln!(
            out,
            "<rect x=\"0\" y=\"{}\" width=\"28\" height=\"20\" fill=\"none\" stroke=\"{}\"/>",
            trim_number(y),
            hex(INK)
        );
        out.push_str(&label_text("38", y + 16.0, "start", false, INK, name));
        y += 28.0;
    }
    (out, y + 8.0)
}

/// A row's label, wrapped, from `y`; returns where the bar goes.
fn row_label(out: &mut String, text: &str, y: f64) -> f64 {
    let lines = wrap(text, LABEL_CHARS);
    for (k, line) in lines.iter().enumerate() {
        out.push_str(&label_text(
            "0",
            y + 17.0 + k as f64 * LINE,
            "start",
            false,
            INK,
            line,
        ));
    }
    y + lines.len() as f64 * LINE + 4.0
}

/// Horizontal stacked bars, one per row, each row's label in full above its bar, each part's
/// count written on it where it fits, and the key above the chart.
pub fn stacked_bars(
    label: &Label,
    segments: &[Segment],
    rows: &[StackedRow],
) -> Result<String, ChartError> {
    let entries: Vec<(String, Swatch)> = segments
        .iter()
        .map(|s| (s.label.clone(), s.swatch))
        .collect();
    let (key, mut y) = key(&label.id, &entries);
    let max_total = rows
        .iter()
        .map(|r| r.counts.iter().sum::<u32>())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut body = key;
    for row in rows {
        y = row_label(&mut body, &row.label, y);
        let mut acc = 0u32;
        for (seg, &n) in segments.iter().zip(&row.counts) {
            if n == 0 {
                continue;
            }
            let x0 = f64::from(acc) / f64::from(max_total) * STACK_SPAN;
            acc += n;
            let x1 = f64::from(acc) / f64::from(max_total) * STACK_SPAN;
            body.push_str(&swatch_bar(&label.id, (x0, x1), y, BAR, seg.swatch));
            // A white gap keeps adjacent parts apart.
            let _ = writeln!(
                body,
                "<line x1=\"{e}\" y1=\"{}\" x2=\"{e}\" y2=\"{}\" stroke=\"#ffffff\" stroke-width=\"2\"/>",
                trim_number(y),
                trim_number(y + BAR),
                e = pct(x1)
            );
            let s = n.to_string();
            if fits((x1 - x0) / 100.0, s.len()) {
                let (fill, ink) = (seg.swatch.fill, seg.swatch.ink);
                body.push_str(&number_on((x0 + x1) / 2.0, y, (x0, x1), fill, ink, &s));
            } else if acc == row.counts.iter().sum::<u32>() {
                // The last part, too narrow for its number: the number goes beside the bar.
                body.push_str(&beside(x1, y + BAR / 2.0 + 6.0, &s));
            }
        }
        if acc == 0 {
            body.push_str(&label_text("0", y + 24.0, "start", false, INK, "none"));
        }
        y += BAR + 20.0;
    }
    Ok(finish(open(&label.id, y) + &body + "</svg>\n", label))
}

/// Horizontal bars, each row's label in full above its bar and the value written at its end.
/// Bars reach at most 85% of the width, leaving room for the value.
pub fn bars(label: &Label, rows: &[(String, f64, String)]) -> Result<String, ChartError> {
    let max = rows
        .iter()
        .map(|r| r.1)
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    let max = if max > 0.0 { max } else { 1.0 };
    let mut body = String::new();
    let mut y = 4.0;
    for (name, value, shown) in rows {
        y = row_label(&mut body, name, y);
        let v = if value.is_finite() {
            value.max(0.0)
        } else {
            0.0
        };
        let end = v / max * 85.0;
        if end > 0.0 {
            let _ = writeln!(
                body,
                "<rect x=\"0\" y=\"{}\" width=\"{}\" height=\"24\" fill=\"{}\"/>",
                trim_number(y),
                pct(end),
                hex(DARK_BLUE)
            );
        }
        body.push_str(&beside(end, y + 18.0, shown));
        y += 24.0 + 16.0;
    }
    let _ = writeln!(
        body,
        "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"{}\" stroke=\"{}\"/>",
        trim_number(y - 12.0),
        hex(AXIS)
    );
    Ok(finish(open(&label.id, y) + &body + "</svg>\n", label))
}

/// One bar of a diverging chart: the share (0 to 1) at each point of an agreement scale,
/// lowest first.
#[derive(Debug, Clone)]
pub struct DivergingRow {
    pub label: String,
    pub shares: Vec<f64>,
}

/// The swatches of an agreement scale's points, lowest first: pinks for disagreeing, a grey
/// middle, blues for agreeing, darkest at the ends.
fn agreement_swatches(points: usize) -> Vec<Swatch> {
    const GREY: RGBColor = RGBColor(0xb1, 0xb4, 0xb6);
    let plain = |fill, ink| Swatch {
        fill,
        ink,
        hatch: Hatch::None,
    };
    let disagree = [
        plain(DARK_PINK, WHITE),
        plain(ORANGE, INK),
        plain(RGBColor(0xf9, 0xb7, 0x95), INK),
    ];
    let agree = [
        plain(DARK_BLUE, WHITE),
        plain(TURQUOISE, INK),
        plain(RGBColor(0x9f, 0xd8, 0xd2), INK),
    ];
    let half = points / 2;
    let mut out = Vec::with_capacity(points);
    for i in 0..half {
        // Counted from the outside in: the strongest disagreement darkest.
        out.push(disagree[i.min(2)]);
    }
    if points % 2 == 1 {
        out.push(plain(GREY, INK));
    }
    for i in 0..half {
        out.push(agree[(half - 1 - i).min(2)]);
    }
    out
}

/// A diverging stacked bar chart, the convention for agreement scales: one bar per row,
/// disagreeing points to the left of a centre line, agreeing points to the right, the middle
/// point of an odd scale straddling the centre. Each part wide enough carries its percentage;
/// the key names every point; the axis runs from 100% disagreeing to 100% agreeing.
pub fn diverging_bars(label: &Label, scale: &[String], rows: &[DivergingRow]) -> String {
    let points = scale.len();
    let swatches = agreement_swatches(points);
    let entries: Vec<(String, Swatch)> = scale.iter().cloned().zip(swatches.clone()).collect();
    let (mut body, mut y) = key(&label.id, &entries);
    let neutral = crate::analysis::survey::neutral(points);
    for row in rows {
        y = row_label(&mut body, &row.label, y);
        let _ = writeln!(
            body,
            "<line x1=\"50%\" y1=\"{}\" x2=\"50%\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2\"/>",
            trim_number(y - 4.0),
            trim_number(y + BAR + 4.0),
            hex(INK)
        );
        // Where the bar starts: the disagreeing shares and half the middle, left of centre.
        let left: f64 = row.shares.iter().take(points / 2).sum::<f64>()
            + neutral.map_or(0.0, |m| row.shares.get(m).copied().unwrap_or(0.0) / 2.0);
        let mut x = 50.0 - left * 50.0;
        for (&share, swatch) in row.shares.iter().zip(&swatches) {
            let w = share * 50.0;
            if w <= 0.0 {
                continue;
            }
            body.push_str(&swatch_bar(&label.id, (x, x + w), y, BAR, *swatch));
            let s = format!("{}%", (share * 100.0).round() as i64);
            if fits(share / 2.0, s.len()) {
                body.push_str(&number_on(
                    x + w / 2.0,
                    y,
                    (x, x + w),
                    swatch.fill,
                    swatch.ink,
                    &s,
                ));
            }
            x += w;
        }
        y += BAR + 20.0;
    }
    let axis = hex(AXIS);
    let _ = writeln!(
        body,
        "<line x1=\"0\" y1=\"{a}\" x2=\"100%\" y2=\"{a}\" stroke=\"{axis}\"/>",
        a = trim_number(y)
    );
    for (at, anchor, words) in [
        (0.0, "start", "100%"),
        (25.0, "middle", "50%"),
        (50.0, "middle", "0"),
        (75.0, "middle", "50%"),
        (100.0, "end", "100%"),
    ] {
        let _ = writeln!(
            body,
            "<line x1=\"{x}\" y1=\"{a}\" x2=\"{x}\" y2=\"{b}\" stroke=\"{axis}\"/>",
            x = pct(at),
            a = trim_number(y),
            b = trim_number(y + 5.0)
        );
        body.push_str(&label_text(&pct(at), y + 22.0, anchor, false, INK, words));
    }
    body.push_str(&label_text(
        "0",
        y + 46.0,
        "start",
        false,
        INK,
        "\u{2190} disagree",
    ));
    body.push_str(&label_text(
        "100%",
        y + 46.0,
        "end",
        false,
        INK,
        "agree \u{2192}",
    ));
    finish(open(&label.id, y + 56.0) + &body + "</svg>\n", label)
}

/// One dot of a [`strip`] plot: a partnership's figure.
#[derive(Debug, Clone)]
pub struct StripPoint {
    pub value: f64,
    /// Named only on the marked dot (the table beside the chart names every one).
    pub name: String,
    /// The partnership whose page this is: drawn as a larger outlined diamond, not only a colour.
    pub marked: bool,
}

/// A strip (dot) plot: one dot per partnership along one axis from `lo` to `hi`, dots of the
/// same figure stacked, an optional reference line (England) drawn dashed and labelled in
/// words, and the marked partnership as a diamond with its name beside it. Dots are dark blue
/// (over 9:1 on white) and 10 px across; drawn in the order given, so the bytes never vary.
pub fn strip(
    label: &Label,
    points: &[StripPoint],
    lo: f64,
    hi: f64,
    reference: Option<(&str, f64)>,
) -> String {
    strip_drawn(label, points, (lo, hi), reference, None)
}

/// A strip plot of ratings for a page that gives ratings in words (the public edition): the
/// axis names its two ends by the scale's words (`ends`, lowest first) instead of figures.
pub fn strip_in_words(
    label: &Label,
    points: &[StripPoint],
    lo: f64,
    hi: f64,
    ends: (&str, &str),
) -> String {
    strip_drawn(label, points, (lo, hi), None, Some(ends))
}

fn strip_drawn(
    label: &Label,
    points: &[StripPoint],
    (lo, hi): (f64, f64),
    reference: Option<(&str, f64)>,
    ends: Option<(&str, &str)>,
) -> String {
    let span = if hi > lo { hi - lo } else { 1.0 };
    let frac = |v: f64| (v.clamp(lo, hi) - lo) / span;
    let x_of = |f: f64| 3.0 + f * 94.0;
    let (placed, tallest) = stack_dots(points, &frac);
    let top = 52.0;
    let base = top + (tallest as f64 * DOT + 8.0).max(24.0);
    let id = escape(&label.id);
    // Words at the ends that cannot share a line at the narrowest width take two.
    let stacked = ends.is_some_and(|(a, b)| {
        (a.chars().count() + b.chars().count()) as f64 * 9.0 > NARROWEST - 20.0
    });
    let mut body = open(&label.id, base + if stacked { 52.0 } else { 34.0 }).replace(
        "</defs>",
        &format!(
            "<path id=\"{id}-diamond\" d=\"M0 -9 L9 0 L0 9 L-9 0 Z\" fill=\"#d4351c\" stroke=\"#0b0c0c\" stroke-width=\"2\"/>\n</defs>"
        ),
    );
    strip_axis(
        &mut body,
        base,
        (lo, hi),
        &|v| x_of(frac(v)),
        ends.is_none(),
    );
    if let Some((low, high)) = ends {
        // The figures under the ticks give way to the scale's words at the two ends.
        body.push_str(&label_text(
            &pct(x_of(0.0)),
            base + 24.0,
            "start",
            false,
            INK,
            low,
        ));
        let y = base + if stacked { 42.0 } else { 24.0 };
        body.push_str(&label_text(&pct(x_of(1.0)), y, "end", false, INK, high));
    }
    if let Some((name, v)) = reference {
        let x = pct(x_of(frac(v)));
        let _ = writeln!(
            body,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#0b0c0c\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>",
            trim_number(top - 4.0),
            trim_number(base)
        );
        let words = format!("{name} {}", trim_number(v));
        let (at, anchor) = label_place(x_of(frac(v)), &words, false);
        body.push_str(&label_text(&pct(at), 18.0, anchor, false, INK, &words));
    }
    strip_dots(&mut body, points, &placed, base, &id, &x_of);
    body.push_str("</svg>\n");
    finish(body, label)
}

/// Dots stack when they fall in the same bin (bins as wide as a dot at the narrowest width):
/// each point's place along the axis (0 to 1) and its height in its stack, and the tallest
/// stack.
fn stack_dots(points: &[StripPoint], frac: &dyn Fn(f64) -> f64) -> (Vec<(f64, usize)>, usize) {
    let bins = (NARROWEST / DOT).floor();
    let mut columns: BTreeMap<i64, usize> = BTreeMap::new();
    let placed = points
        .iter()
        .map(|p| {
            let bin = (frac(p.value) * bins).round() as i64;
            let n = columns.entry(bin).or_insert(0);
            *n += 1;
            (bin as f64 / bins, *n - 1)
        })
        .collect();
    (placed, columns.values().copied().max().unwrap_or(1).max(1))
}

/// The dots in the order given, then the marked partnership on top of them.
fn strip_dots(
    body: &mut String,
    points: &[StripPoint],
    placed: &[(f64, usize)],
    base: f64,
    id: &str,
    x_of: &dyn Fn(f64) -> f64,
) {
    let mut marked = None;
    body.push_str("<g fill=\"#12436d\" stroke=\"#ffffff\" stroke-width=\"1\">\n");
    for (p, (f, level)) in points.iter().zip(placed) {
        let cy = base - DOT / 2.0 - 2.0 - *level as f64 * DOT;
        if p.marked {
            marked = Some((p, *f, cy));
            continue;
        }
        let _ = writeln!(
            body,
            "<circle cx=\"{}\" cy=\"{}\" r=\"5\"/>",
            pct(x_of(*f)),
            trim_number(cy)
        );
    }
    body.push_str("</g>\n");
    // The marked partnership last, on top: a larger outlined diamond, named in words.
    if let Some((p, f, cy)) = marked {
        let x = pct(x_of(f));
        let _ = writeln!(
            body,
            "<use href=\"#{id}-diamond\" x=\"{x}\" y=\"{}\"/>",
            trim_number(cy)
        );
        let (at, anchor) = label_place(x_of(f), &p.name, true);
        body.push_str(&label_text(&pct(at), 40.0, anchor, true, INK, &p.name));
    }
}

/// Where a label of `words` for a point at `x` (percent of the chart's width) is drawn, and
/// how anchored, so that it stays whole on the chart at the narrowest width: centred on its
/// point when it fits both ways, else starting or ending there when one side has the room,
/// else centred as near the point as the chart's edges allow.
pub(super) fn label_place(x: f64, words: &str, bold: bool) -> (f64, &'static str) {
    // A generous estimate of the text's width: bold sans-serif runs wider.
    let width = words.chars().count() as f64 * if bold { 10.0 } else { 9.0 };
    let left = x / 100.0 * NARROWEST;
    let right = NARROWEST - left;
    if width / 2.0 <= left.min(right) {
        (x, "middle")
    } else if width <= right {
        (x, "start")
    } else if width <= left {
        (x, "end")
    } else {
        let half = (width / 2.0 / NARROWEST * 100.0).min(50.0);
        (x.clamp(half, 100.0 - half), "middle")
    }
}

/// Text near the left end starts at its point, near the right end ends there.
pub(super) fn anchor_at(frac: f64) -> &'static str {
    if frac < 0.2 {
        "start"
    } else if frac > 0.8 {
        "end"
    } else {
        "middle"
    }
}

/// The dot plot's axis: ticks at every whole number of a short scale, else five steps, each
/// with its figure unless `figures` is false.
fn strip_axis(
    out: &mut String,
    base: f64,
    (lo, hi): (f64, f64),
    x_of: &dyn Fn(f64) -> f64,
    figures: bool,
) {
    let _ = writeln!(
        out,
        "<line x1=\"{}\" y1=\"{b}\" x2=\"{}\" y2=\"{b}\" stroke=\"#505a5f\"/>",
        pct(x_of(lo)),
        pct(x_of(hi)),
        b = trim_number(base)
    );
    let span = if hi > lo { hi - lo } else { 1.0 };
    let ticks: Vec<f64> = if (hi - lo) <= 10.0 && lo.fract() == 0.0 && hi.fract() == 0.0 {
        (0..=((hi - lo) as i64)).map(|i| lo + i as f64).collect()
    } else {
        (0..=4).map(|i| lo + span * f64::from(i) / 4.0).collect()
    };
    let last = ticks.len().saturating_sub(1);
    for (i, t) in ticks.into_iter().enumerate() {
        let x = pct(x_of(t));
        let words = trim_number(t);
        // The end labels stay on the chart when they are wider than a digit.
        let anchor = match i {
            _ if words.chars().count() < 2 => "middle",
            0 => "start",
            i if i == last => "end",
            _ => "middle",
        };
        let _ = writeln!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#505a5f\"/>",
            trim_number(base),
            trim_number(base + 5.0)
        );
        if figures {
            out.push_str(&label_text(&x, base + 24.0, anchor, false, INK, &words));
        }
    }
}
