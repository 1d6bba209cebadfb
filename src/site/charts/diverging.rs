//! Diverging stacked bars: the convention for agreement scales (disagree left of a centre line,
//! agree right, the middle answer across it), for practitioner surveys.

use super::*;

/// One bar of a diverging chart: the share (0 to 1) at each point of an agreement scale,
/// lowest first.
#[derive(Debug, Clone)]
pub struct DivergingRow {
    pub label: String,
    pub shares: Vec<f64>,
}

/// The fills of an agreement scale's points, lowest first: pinks for disagreeing, a grey
/// middle, blues for agreeing, darkest at the ends.
fn agreement_fills(points: usize) -> Vec<(RGBColor, RGBColor)> {
    const GREY: RGBColor = RGBColor(0xb1, 0xb4, 0xb6);
    let disagree = [
        (DARK_PINK, WHITE),
        (ORANGE, INK),
        (RGBColor(0xf9, 0xb7, 0x95), INK),
    ];
    let agree = [
        (DARK_BLUE, WHITE),
        (TURQUOISE, INK),
        (RGBColor(0x9f, 0xd8, 0xd2), INK),
    ];
    let half = points / 2;
    let mut out = Vec::with_capacity(points);
    for i in 0..half {
        // Counted from the outside in: the strongest disagreement darkest.
        out.push(disagree[i.min(2)]);
    }
    if points % 2 == 1 {
        out.push((GREY, INK));
    }
    for i in 0..half {
        out.push(agree[(half - 1 - i).min(2)]);
    }
    out
}

/// A diverging stacked bar chart, the convention for agreement scales: one bar per row,
/// disagreeing points to the left of a centre line, agreeing points to the right, the middle
/// point of an odd scale straddling the centre. Each segment large enough carries its
/// percentage; the key names every point; the axis runs from 100% disagreeing to 100% agreeing.
pub fn diverging_bars(label: &Label, scale: &[String], rows: &[DivergingRow]) -> String {
    let points = scale.len();
    let fills = agreement_fills(points);
    let (x0, x1) = (8.0_f64, f64::from(WIDTH) - 16.0);
    let centre = (x0 + x1) / 2.0;
    let half_w = (x1 - x0) / 2.0;
    let key_cols = 3usize;
    let key_rows = points.div_ceil(key_cols).max(1);
    let top = 12.0 + key_rows as f64 * 26.0 + 8.0;
    let lines: Vec<Vec<String>> = rows.iter().map(|r| wrap(&r.label, 84)).collect();
    let mut y = top;
    let mut body = String::new();
    let mut row_tops = Vec::new();
    for l in &lines {
        row_tops.push(y);
        y += l.len() as f64 * 19.0 + 8.0 + 28.0 + 14.0;
    }
    let axis_y = y;
    let height = axis_y + 46.0;
    let _ = writeln!(
        body,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{h}\" viewBox=\"0 0 {WIDTH} {h}\">\n<rect x=\"0\" y=\"0\" width=\"{WIDTH}\" height=\"{h}\" fill=\"#ffffff\"/>",
        h = height as i64
    );
    let font = |size: u32, anchor: &str, fill: &str| {
        format!(
            "font-family=\"{FONT}\" font-size=\"{size}\" text-anchor=\"{anchor}\" fill=\"{fill}\""
        )
    };
    let hex = |c: RGBColor| format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2);
    for (i, point) in scale.iter().enumerate() {
        let kx = x0 + (i % key_cols) as f64 * 236.0;
        let ky = 12.0 + (i / key_cols) as f64 * 26.0;
        let _ = writeln!(
            body,
            "<rect x=\"{kx}\" y=\"{ky}\" width=\"28\" height=\"18\" fill=\"{}\" stroke=\"{}\"/>\n<text x=\"{}\" y=\"{}\" {}>{}</text>",
            hex(fills[i].0),
            hex(INK),
            kx + 36.0,
            ky + 14.0,
            font(14, "start", &hex(INK)),
            escape(point)
        );
    }
    let neutral = (points % 2 == 1).then_some(points / 2);
    for ((row, l), &ry) in rows.iter().zip(&lines).zip(&row_tops) {
        for (k, line) in l.iter().enumerate() {
            let _ = writeln!(
                body,
                "<text x=\"{x0}\" y=\"{}\" {}>{}</text>",
                ry + 15.0 + k as f64 * 19.0,
                font(15, "start", &hex(INK)),
                escape(line)
            );
        }
        let by = ry + l.len() as f64 * 19.0 + 8.0;
        // The centre line, behind the bar and just beyond it, clear of the label.
        let _ = writeln!(
            body,
            "<line x1=\"{centre}\" y1=\"{}\" x2=\"{centre}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2\"/>",
            by - 5.0,
            by + 33.0,
            hex(INK)
        );
        // Where the bar starts: the disagreeing shares and half the middle, left of centre.
        let left: f64 = row.shares[..points / 2].iter().sum::<f64>()
            + neutral.map_or(0.0, |m| row.shares[m] / 2.0);
        let mut x = centre - left * half_w;
        for (i, &share) in row.shares.iter().enumerate() {
            let w = share * half_w;
            if w <= 0.0 {
                continue;
            }
            let (fill, ink) = fills[i];
            let _ = writeln!(
                body,
                "<rect x=\"{:.1}\" y=\"{by}\" width=\"{:.1}\" height=\"28\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"1\"/>",
                x,
                w,
                hex(fill)
            );
            if w >= 34.0 {
                let _ = writeln!(
                    body,
                    "<text x=\"{:.1}\" y=\"{}\" {}>{}%</text>",
                    x + w / 2.0,
                    by + 19.0,
                    font(13, "middle", &hex(ink)),
                    (share * 100.0).round() as i64
                );
            }
            x += w;
        }
    }
    // The centre line and the axis.
    let axis = hex(AXIS);
    let _ = writeln!(
        body,
        "<line x1=\"{x0}\" y1=\"{axis_y}\" x2=\"{x1}\" y2=\"{axis_y}\" stroke=\"{axis}\"/>"
    );
    for (v, anchor) in [
        (-1.0, "start"),
        (-0.5, "middle"),
        (0.0, "middle"),
        (0.5, "middle"),
        (1.0, "end"),
    ] {
        let x = centre + v * half_w;
        let _ = writeln!(
            body,
            "<line x1=\"{x}\" y1=\"{axis_y}\" x2=\"{x}\" y2=\"{}\" stroke=\"{axis}\"/>\n<text x=\"{x}\" y=\"{}\" {}>{}</text>",
            axis_y + 5.0,
            axis_y + 20.0,
            font(13, anchor, &hex(INK)),
            if v == 0.0 {
                "0".to_string()
            } else {
                format!("{}%", v.abs() * 100.0)
            }
        );
    }
    let _ = writeln!(
        body,
        "<text x=\"{x0}\" y=\"{}\" {}>\u{2190} disagree</text>\n<text x=\"{x1}\" y=\"{}\" {}>agree \u{2192}</text>\n</svg>",
        axis_y + 38.0,
        font(13, "start", &hex(INK)),
        axis_y + 38.0,
        font(13, "end", &hex(INK))
    );
    finish(body, label)
}

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
