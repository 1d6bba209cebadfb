//! How numbers are written on the site's pages, in its data files and in the terminal: the
//! one place a figure becomes text.

/// A number with at most `places` decimals and no trailing zeros, rounded half away from zero
/// as the data files round it (`analysis::round`): 1.125 shows as 1.13 on the page and in the
/// JSON alike, where `{:.2}` on the float would give 1.12.
pub fn num(v: f64, places: usize) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    num_by_integers(v, places).unwrap_or_else(|| num_by_formatter(v, places))
}

/// [`num`] for the figures pages show (fewer than 10^13 units of the last place), by integer
/// arithmetic: the same digits as the formatter's, without its exact mode, which was most of
/// the time spent drawing a national collection's dot plots. None for any other figure.
fn num_by_integers(v: f64, places: usize) -> Option<String> {
    let places_i32 = i32::try_from(places).ok().filter(|p| *p <= 9)?;
    // The integer `analysis::round` divides by the scale; `{:.places$}` of that quotient
    // shows exactly these digits while the quotient is this far from a float's precision.
    let units = (v * 10f64.powi(places_i32)).round();
    if units.abs() >= 1e13 {
        return None;
    }
    let units = units as i64;
    let unit = 10u64.pow(places_i32.unsigned_abs());
    let magnitude = units.unsigned_abs();
    let (whole, part) = (magnitude / unit, magnitude % unit);
    let sign = if units < 0 { "-" } else { "" };
    if part == 0 {
        return Some(format!("{sign}{whole}"));
    }
    let part = format!("{part:0places$}");
    Some(format!("{sign}{whole}.{}", part.trim_end_matches('0')))
}

/// [`num`] by the standard formatter, for any finite figure.
fn num_by_formatter(v: f64, places: usize) -> String {
    let rounded = crate::analysis::round(v, i32::try_from(places).unwrap_or(i32::MAX));
    // Beyond about 1e306 the rounding overflows; such a figure has no decimals to round.
    let v = if rounded.is_finite() { rounded } else { v };
    let s = format!("{v:.places$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".to_string() } else { s }
}

/// A rating or an average of ratings, as every page, table, chart and briefing writes it: two
/// decimals, always (1.20, never 1.2 on one page and 1.20 on another).
pub fn rating(v: f64) -> String {
    fixed(v, 2)
}

/// A figure to exactly `places` decimals (trailing zeros kept: a score of 70 shows as `70.0`),
/// rounded half away from zero as the data files round it.
pub fn fixed(v: f64, places: usize) -> String {
    let rounded = crate::analysis::round(v, i32::try_from(places).unwrap_or(i32::MAX));
    format!("{rounded:.places$}")
}

/// A value with its unit: `25.3%`, `12 weeks`, `1,250 children`. A unit of `count` or
/// `number` adds nothing a reader needs, so it is left off.
pub fn with_unit(v: f64, unit: &str) -> String {
    let n = grouped(&num(v, 2));
    match unit.trim() {
        "" | "count" | "number" => n,
        "%" => format!("{n}%"),
        u => format!("{n} {u}"),
    }
}

/// Thousands separated by commas, as the GOV.UK style guide writes numbers over 999.
pub fn grouped(n: &str) -> String {
    let (sign, rest) = n.strip_prefix('-').map_or(("", n), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    if int.len() <= 3 || !int.bytes().all(|b| b.is_ascii_digit()) {
        return n.to_string();
    }
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn integer_figures_read_as_the_formatter_writes_them(
            v in prop_oneof![
                -1e4f64..1e4,
                -1e12f64..1e12,
                (-100_000i64..100_000).prop_map(|n| n as f64 / 1000.0),
                (-100_000i64..100_000).prop_map(|n| n as f64 / 1000.0 + 0.0005),
            ],
            places in 0usize..=4,
        ) {
            if let Some(fast) = num_by_integers(v, places) {
                prop_assert_eq!(fast, num_by_formatter(v, places));
            }
        }
    }

    #[test]
    fn numbers_are_fixed_and_tidy() {
        assert_eq!(num(71.456, 1), "71.5");
        assert_eq!(num(2.0, 2), "2");
        assert_eq!(num(-0.0001, 2), "0");
        assert_eq!(num(f64::NAN, 2), "–");
        // Exactly on a half: rounded away from zero, as the JSON and CSV round it.
        assert_eq!(num(1.125, 2), "1.13");
        assert_eq!(num(-1.125, 2), "-1.13");
        assert_eq!(num(0.25, 1), "0.3");
        assert_eq!(num(2.5, 0), "3");
        assert_eq!(fixed(70.0, 1), "70.0");
        assert_eq!(fixed(71.25, 1), "71.3");
        assert_eq!(with_unit(25.3, "%"), "25.3%");
        assert_eq!(with_unit(12.0, "weeks"), "12 weeks");
        assert_eq!(with_unit(518.0, "count"), "518");
        assert_eq!(with_unit(61500.0, "children"), "61,500 children");
        assert_eq!(with_unit(-1234567.5, ""), "-1,234,567.5");
    }
}
