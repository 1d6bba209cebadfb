//! A dot (strip) plot: one dot per partnership on a scale, for the comparison pages.

use super::*;

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
/// words, and the marked partnership as a diamond with its name beside it. Drawn by hand (no
/// plotters): a few hundred shapes, in the order given, so the bytes never vary.
pub fn strip(
    label: &Label,
    points: &[StripPoint],
    lo: f64,
    hi: f64,
    reference: Option<(&str, f64)>,
) -> String {
    const LEFT: f64 = 24.0;
    const RIGHT: f64 = 24.0;
    const DOT: f64 = 4.0;
    let width = f64::from(WIDTH);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let x_of = |v: f64| LEFT + (v.clamp(lo, hi) - lo) / span * (width - LEFT - RIGHT);
    // Stack dots that fall within one dot's width of each other.
    let mut columns: BTreeMap<i64, usize> = BTreeMap::new();
    let mut placed: Vec<(f64, usize)> = Vec::with_capacity(points.len());
    for p in points {
        let x = x_of(p.value);
        let key = (x / (DOT * 2.0)).round() as i64;
        let n = columns.entry(key).or_insert(0);
        placed.push((key as f64 * DOT * 2.0, *n));
        *n += 1;
    }
    let tallest = columns.values().copied().max().unwrap_or(1).max(1);
    let plot_h = (tallest as f64 * DOT * 2.0 + 8.0).max(24.0);
    let top = 28.0;
    let base = top + plot_h;
    let height = base + 36.0;
    let mut out = String::with_capacity(256 + points.len() * 72);
    let _ = writeln!(
        out,
        "<svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\">",
        w = WIDTH,
        h = trim_number(height)
    );
    // Axis and ticks at every whole number of the scale (or five steps of a metric's range).
    let _ = writeln!(
        out,
        "<line x1=\"{l}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\" stroke=\"#505a5f\"/>",
        l = trim_number(LEFT),
        r = trim_number(width - RIGHT),
        b = trim_number(base)
    );
    let ticks: Vec<f64> = if (hi - lo) <= 10.0 && lo.fract() == 0.0 && hi.fract() == 0.0 {
        (0..=((hi - lo) as i64)).map(|i| lo + i as f64).collect()
    } else {
        (0..=4).map(|i| lo + span * f64::from(i) / 4.0).collect()
    };
    for t in ticks {
        let x = trim_number(x_of(t));
        let _ = writeln!(
            out,
            "<line x1=\"{x}\" y1=\"{b}\" x2=\"{x}\" y2=\"{b2}\" stroke=\"#505a5f\"/><text x=\"{x}\" y=\"{ty}\" font-family=\"{FONT}\" font-size=\"13\" text-anchor=\"middle\" fill=\"#0b0c0c\">{v}</text>",
            b = trim_number(base),
            b2 = trim_number(base + 5.0),
            ty = trim_number(base + 20.0),
            v = escape(&trim_number(t)),
        );
    }
    if let Some((name, v)) = reference {
        let x = trim_number(x_of(v));
        let _ = writeln!(
            out,
            "<line x1=\"{x}\" y1=\"{t}\" x2=\"{x}\" y2=\"{b}\" stroke=\"#0b0c0c\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/><text x=\"{x}\" y=\"{ly}\" font-family=\"{FONT}\" font-size=\"13\" text-anchor=\"middle\" fill=\"#0b0c0c\">{n} {v}</text>",
            t = trim_number(top - 4.0),
            b = trim_number(base),
            ly = trim_number(top - 10.0),
            n = escape(name),
            v = escape(&trim_number(v)),
        );
    }
    let mut marked = None;
    // One group carries the dots' fill: a national plot has hundreds of dots, and the table
    // beside the chart names each one's partnership and figure.
    out.push_str("<g fill=\"#1d70b8\" fill-opacity=\"0.6\">\n");
    for (p, (x, level)) in points.iter().zip(&placed) {
        let cx = x.clamp(LEFT, width - RIGHT);
        let cy = base - DOT - 2.0 - *level as f64 * DOT * 2.0;
        if p.marked {
            marked = Some((p, cx, cy));
            continue;
        }
        let _ = writeln!(
            out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"3.5\"/>",
            trim_number(cx),
            trim_number(cy),
        );
    }
    out.push_str("</g>\n");
    // The marked partnership last, on top: a diamond twice the size, outlined, named in text.
    if let Some((p, cx, cy)) = marked {
        let d = DOT * 2.0;
        let _ = writeln!(
            out,
            "<path d=\"M{x} {t} L{r} {y} L{x} {b} L{l} {y} Z\" fill=\"#d4351c\" stroke=\"#0b0c0c\" stroke-width=\"2\"><title>{n}</title></path><text x=\"{x}\" y=\"{ly}\" font-family=\"{FONT}\" font-size=\"13\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#0b0c0c\">{n}</text>",
            x = trim_number(cx),
            y = trim_number(cy),
            t = trim_number(cy - d),
            b = trim_number(cy + d),
            l = trim_number(cx - d),
            r = trim_number(cx + d),
            ly = trim_number((cy - d - 6.0).max(12.0)),
            n = escape(&p.name),
        );
    }
    out.push_str("</svg>\n");
    finish(out, label)
}
