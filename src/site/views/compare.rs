//! A collection's comparison pages: each theme's ratings across the partnerships as a
//! distribution (a dot plot and the same figures as a table), and the spread of metrics that
//! have an England comparator. Partnerships are always listed by name (folder order): these
//! pages show where a partnership sits, never a league table or a rank.
//!
//! Built from [`MemberSummary`]s only, so a public build compares public figures: each
//! partnership's effective rating per theme (as its own public theme page shows it) and the
//! metric values its public metrics page shows. No count of agencies appears here.

use super::collection::{MemberSummary, rating_text, scale_tag, scale_words, shared_framework};
use super::{Chart, Tag};
use crate::format::with_unit;
use crate::model::Better;
use crate::site::charts::{self, Label, StripPoint};
use crate::site::routes;
use serde::Serialize;

/// `compare/index.html`.
#[derive(Debug, Serialize)]
pub struct CompareIndex {
    pub count: usize,
    /// False when the partnerships' reported cycles used different frameworks.
    pub comparable: bool,
    pub scale: String,
    pub themes: Vec<ThemeSpread>,
    pub metrics: Vec<MetricSpread>,
}

/// One theme across the partnerships (`compare/<theme>/index.html`).
#[derive(Debug, Serialize)]
pub struct ThemeSpread {
    pub id: String,
    pub title: String,
    /// From the collection's root.
    pub href: String,
    pub scale: String,
    pub count: usize,
    pub rated: usize,
    pub lowest: String,
    pub median: String,
    pub highest: String,
    pub chart: Chart,
    pub rows: Vec<SpreadRow>,
}

/// One metric across the partnerships (`compare/metrics/<id>/index.html`).
#[derive(Debug, Serialize)]
pub struct MetricSpread {
    pub id: String,
    pub title: String,
    pub href: String,
    pub unit: String,
    pub england_label: String,
    pub england: String,
    pub england_source: Option<String>,
    pub judged: bool,
    pub direction: &'static str,
    pub reporting: usize,
    pub lowest: String,
    pub median: String,
    pub highest: String,
    pub better: usize,
    pub same: usize,
    pub worse: usize,
    pub chart: Chart,
    pub rows: Vec<SpreadRow>,
}

/// A partnership's line in a spread's table.
#[derive(Debug, Clone, Serialize)]
pub struct SpreadRow {
    /// The row's id, so a partnership's own pages can link to its line.
    pub anchor: String,
    pub name: String,
    /// Its own page for this theme or metric, from the collection's root.
    pub href: Option<String>,
    pub value: String,
    /// Words, never colour alone: a rating's scale label, or a metric against England.
    pub tag: Tag,
    pub period: String,
}

/// `<folder>/compare/index.html`: one partnership against the spread, itself marked.
#[derive(Debug, Serialize)]
pub struct MemberCompare {
    pub name: String,
    pub short_name: String,
    pub count: usize,
    pub scale: String,
    pub themes: Vec<MemberSpread>,
    pub metrics: Vec<MemberSpread>,
}

#[derive(Debug, Serialize)]
pub struct MemberSpread {
    pub title: String,
    /// The collection's page for this theme or metric, at this partnership's line.
    pub href: String,
    pub own: String,
    pub tag: Tag,
    pub reported: usize,
    pub lowest: String,
    pub median: String,
    pub highest: String,
    pub england: Option<String>,
    pub chart: Chart,
}

/// An id for a partnership's row: its folder with anything but letters, digits, `-` and `_`
/// replaced, so it is a valid HTML id.
pub fn anchor(folder: &str) -> String {
    let safe: String = folder
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("p-{safe}")
}

fn stats(values: &[f64]) -> Option<(f64, f64, f64)> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    };
    Some((v[0], median, v[n - 1]))
}

fn fmt3(s: Option<(f64, f64, f64)>, f: impl Fn(f64) -> String) -> (String, String, String) {
    match s {
        Some((a, b, c)) => (f(a), f(b), f(c)),
        None => ("–".into(), "–".into(), "–".into()),
    }
}

fn against(better: Better, value: f64, england: f64, label: &str) -> Tag {
    if better == Better::Neither {
        return Tag::new("Context only", "grey");
    }
    if (value - england).abs() < 1e-9 {
        return Tag::new(format!("Same as {label}"), "grey");
    }
    let worse = match better {
        Better::Lower => value > england,
        Better::Higher => value < england,
        Better::Neither => false,
    };
    if worse {
        Tag::new(format!("Worse than {label}"), "red")
    } else {
        Tag::new(format!("Better than {label}"), "green")
    }
}

/// The range a metric's dot plot spans: every value and England's, with a little room.
fn metric_range(values: &[f64], england: f64) -> (f64, f64) {
    let lo = values.iter().copied().fold(england, f64::min);
    let hi = values.iter().copied().fold(england, f64::max);
    if hi - lo < 1e-9 {
        (lo - 1.0, hi + 1.0)
    } else {
        let pad = (hi - lo) * 0.05;
        ((lo - pad).floor(), (hi + pad).ceil())
    }
}

/// The metrics that at least one partnership reports against an England comparator, in the
/// order first met: (id, title, unit, better, England label, England value, source).
fn metric_ids(members: &[MemberSummary]) -> Vec<&super::collection::MetricPoint> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for m in members {
        for p in &m.metrics {
            if seen.insert(p.id.as_str()) {
                out.push(p);
            }
        }
    }
    out
}

/// Builds the index, each theme's and each metric's spread. `marked` is the folder of the
/// partnership to mark in the charts (None on the collection's own pages).
pub fn compare_index(members: &[MemberSummary]) -> CompareIndex {
    let shared = shared_framework(members);
    let scale = shared.map_or_else(String::new, |f| scale_words(&f.scale, f.public));
    let themes = shared
        .map(|first| {
            first
                .themes
                .iter()
                .enumerate()
                .map(|(i, t)| theme_spread(members, i, &t.id, &t.title, &scale, first))
                .collect()
        })
        .unwrap_or_default();
    let metrics = metric_ids(members)
        .into_iter()
        .map(|p| metric_spread(members, p))
        .collect();
    CompareIndex {
        count: members.len(),
        comparable: shared.is_some(),
        scale,
        themes,
        metrics,
    }
}

fn theme_spread(
    members: &[MemberSummary],
    i: usize,
    id: &str,
    title: &str,
    scale: &str,
    first: &MemberSummary,
) -> ThemeSpread {
    let values: Vec<Option<f64>> = members
        .iter()
        .map(|m| m.themes.get(i).and_then(|t| t.mean))
        .collect();
    let rated: Vec<f64> = values.iter().flatten().copied().collect();
    let s = stats(&rated);
    let words = |r: f64| rating_text(&first.scale, r, first.public);
    let (lowest, median, highest) = fmt3(s, words);
    let rows = members
        .iter()
        .zip(&values)
        .map(|(m, v)| SpreadRow {
            anchor: anchor(&m.row.folder),
            name: m.row.name.clone(),
            href: m
                .themes
                .get(i)
                .and_then(|t| t.href.as_ref())
                .map(|h| routes::in_member(&m.row.folder, h)),
            value: v.map_or("–".into(), words),
            tag: scale_tag(&m.scale, *v),
            period: String::new(),
        })
        .collect();
    let points: Vec<StripPoint> = members
        .iter()
        .zip(&values)
        .filter_map(|(m, v)| {
            v.map(|value| StripPoint {
                value,
                name: format!("{}: {}", m.row.short_name, words(value)),
                marked: false,
            })
        })
        .collect();
    let chart = Chart {
        id: format!("spread-{id}"),
        caption: format!("Average rating in {title}, one dot per partnership"),
        svg: rating_strip(
            &Label {
                id: format!("spread-{id}"),
                title: format!("{title}: average rating of each partnership"),
                desc: format!(
                    "Dot plot of {} partnerships' average ratings on the scale {scale}: lowest {lowest}, median {median}, highest {highest}. The table gives each partnership's figure.",
                    rated.len()
                ),
            },
            &points,
            first,
        ),
    };
    ThemeSpread {
        id: id.to_string(),
        title: title.to_string(),
        href: routes::compare_theme_href(id),
        scale: scale.to_string(),
        count: members.len(),
        rated: rated.len(),
        lowest,
        median,
        highest,
        chart,
        rows,
    }
}

/// A dot plot of ratings on `first`'s scale: its axis in figures inside the partnership, and
/// named by the scale's words at its ends in public, where every rating is given in words.
fn rating_strip(label: &Label, points: &[StripPoint], first: &MemberSummary) -> String {
    let (lo, hi) = scale_bounds(first);
    match (first.public, first.scale.first(), first.scale.last()) {
        (true, Some(low), Some(high)) => {
            charts::strip_in_words(label, points, lo, hi, (&low.label, &high.label))
        }
        _ => charts::strip(label, points, lo, hi, None),
    }
}

fn scale_bounds(m: &MemberSummary) -> (f64, f64) {
    match (m.scale.first(), m.scale.last()) {
        (Some(a), Some(b)) => (f64::from(a.value), f64::from(b.value)),
        _ => (0.0, 1.0),
    }
}

fn metric_spread(members: &[MemberSummary], p: &super::collection::MetricPoint) -> MetricSpread {
    let values: Vec<Option<&super::collection::MetricPoint>> = members
        .iter()
        .map(|m| m.metrics.iter().find(|x| x.id == p.id))
        .collect();
    let reported: Vec<f64> = values.iter().flatten().map(|x| x.value).collect();
    let fmt = |v: f64| with_unit(v, &p.unit);
    let (lowest, median, highest) = fmt3(stats(&reported), fmt);
    let (mut better, mut same, mut worse) = (0, 0, 0);
    let rows: Vec<SpreadRow> = members
        .iter()
        .zip(&values)
        .map(|(m, v)| {
            let tag = match v {
                Some(x) => against(x.better, x.value, x.england, &x.england_label),
                None => Tag::new("No value", "grey"),
            };
            if let Some(x) = v
                && x.better != Better::Neither
            {
                match tag.class {
                    "green" => better += 1,
                    "red" => worse += 1,
                    _ => same += 1,
                }
            }
            SpreadRow {
                anchor: anchor(&m.row.folder),
                name: m.row.name.clone(),
                href: v.map(|x| routes::in_member(&m.row.folder, &routes::metric_href(&x.id))),
                value: v.map_or("–".into(), |x| with_unit(x.value, &x.unit)),
                tag,
                period: v.map_or(String::new(), |x| x.period.clone()),
            }
        })
        .collect();
    let chart = metric_chart(p, &values, members, None, "", &lowest, &median, &highest);
    MetricSpread {
        id: p.id.clone(),
        title: p.title.clone(),
        href: routes::compare_metric_href(&p.id),
        unit: p.unit.clone(),
        england_label: p.england_label.clone(),
        england: with_unit(p.england, &p.unit),
        england_source: p.england_source.clone(),
        judged: p.better != Better::Neither,
        direction: match p.better {
            Better::Lower => "Lower is better",
            Better::Higher => "Higher is better",
            Better::Neither => "Context only: neither higher nor lower is better",
        },
        reporting: reported.len(),
        lowest,
        median,
        highest,
        better,
        same,
        worse,
        chart,
        rows,
    }
}

#[allow(clippy::too_many_arguments)]
fn metric_chart(
    p: &super::collection::MetricPoint,
    values: &[Option<&super::collection::MetricPoint>],
    members: &[MemberSummary],
    marked: Option<usize>,
    id_prefix: &str,
    lowest: &str,
    median: &str,
    highest: &str,
) -> Chart {
    let reported: Vec<f64> = values.iter().flatten().map(|x| x.value).collect();
    let (lo, hi) = metric_range(&reported, p.england);
    let points: Vec<StripPoint> = members
        .iter()
        .zip(values)
        .enumerate()
        .filter_map(|(i, (m, v))| {
            v.map(|x| StripPoint {
                value: x.value,
                name: if marked == Some(i) {
                    format!("{}: {}", m.row.short_name, with_unit(x.value, &x.unit))
                } else {
                    String::new()
                },
                marked: marked == Some(i),
            })
        })
        .collect();
    let id = format!("{id_prefix}metric-{}", p.id);
    let own = marked
        .and_then(|i| values.get(i).copied().flatten().map(|x| (i, x)))
        .map(|(i, x)| {
            format!(
                " {} is marked with a diamond: {}.",
                members[i].row.short_name,
                with_unit(x.value, &x.unit)
            )
        })
        .unwrap_or_default();
    Chart {
        id: id.clone(),
        caption: format!(
            "{}, one dot per partnership; the dashed line is {}",
            p.title, p.england_label
        ),
        svg: charts::strip(
            &Label {
                id,
                title: format!("{}: each partnership's latest value", p.title),
                desc: format!(
                    "Dot plot of {} partnerships' values: lowest {lowest}, median {median}, highest {highest}; {} {}.{own}",
                    reported.len(),
                    p.england_label,
                    with_unit(p.england, &p.unit)
                ),
            },
            &points,
            lo,
            hi,
            Some((&p.england_label, p.england)),
        ),
    }
}

/// One partnership against every theme's and metric's spread, itself marked in each chart.
pub fn member_compare(members: &[MemberSummary], index: &CompareIndex, i: usize) -> MemberCompare {
    let me = &members[i];
    let themes = match shared_framework(members) {
        Some(first) => first
            .themes
            .iter()
            .enumerate()
            .zip(&index.themes)
            .map(|((t, theme), spread)| member_theme(members, index, i, (first, t, theme), spread))
            .collect(),
        None => Vec::new(),
    };
    let metrics = metric_ids(members)
        .into_iter()
        .zip(&index.metrics)
        .filter_map(|(p, spread)| member_metric(members, i, p, spread))
        .collect();
    MemberCompare {
        name: me.row.name.clone(),
        short_name: me.row.short_name.clone(),
        count: members.len(),
        scale: index.scale.clone(),
        themes,
        metrics,
    }
}

/// Partnership `i` on one theme's spread: its average among everyone's (the theme is the
/// `t`th of the framework `first`, which every partnership shares).
fn member_theme(
    members: &[MemberSummary],
    index: &CompareIndex,
    i: usize,
    (first, t, theme): (&MemberSummary, usize, &super::collection::ThemePoint),
    spread: &ThemeSpread,
) -> MemberSpread {
    let me = &members[i];
    let own = me.themes.get(t).and_then(|x| x.mean);
    let words = |r: f64| rating_text(&first.scale, r, first.public);
    let points: Vec<StripPoint> = members
        .iter()
        .enumerate()
        .filter_map(|(j, m)| {
            m.themes
                .get(t)
                .and_then(|x| x.mean)
                .map(|value| StripPoint {
                    value,
                    // Only the marked dot is named: every partnership's page draws every
                    // partnership, so naming them all grows with the square.
                    name: if j == i {
                        format!("{}: {}", m.row.short_name, words(value))
                    } else {
                        String::new()
                    },
                    marked: j == i,
                })
        })
        .collect();
    let id = format!("own-{}", theme.id);
    let label = Label {
        id: id.clone(),
        title: format!(
            "{}: {} among the partnerships",
            theme.title, me.row.short_name
        ),
        desc: format!(
            "Dot plot of {} partnerships' average ratings on the scale {}: lowest {}, median {}, highest {}. {} is marked with a diamond: {}.",
            spread.rated,
            index.scale,
            spread.lowest,
            spread.median,
            spread.highest,
            me.row.short_name,
            own.map_or("no rating".into(), words)
        ),
    };
    MemberSpread {
        title: theme.title.clone(),
        href: format!("{}#{}", spread.href, anchor(&me.row.folder)),
        own: own.map_or("–".into(), words),
        tag: scale_tag(&me.scale, own),
        reported: spread.rated,
        lowest: spread.lowest.clone(),
        median: spread.median.clone(),
        highest: spread.highest.clone(),
        england: None,
        chart: Chart {
            id,
            caption: format!(
                "{}: {} (diamond) among {} partnerships",
                theme.title, me.row.short_name, spread.rated
            ),
            svg: rating_strip(&label, &points, first),
        },
    }
}

/// Partnership `i` on one metric's spread, when it reports the metric.
fn member_metric(
    members: &[MemberSummary],
    i: usize,
    p: &super::collection::MetricPoint,
    spread: &MetricSpread,
) -> Option<MemberSpread> {
    let me = &members[i];
    let own = me.metrics.iter().find(|x| x.id == p.id)?;
    let values: Vec<Option<&super::collection::MetricPoint>> = members
        .iter()
        .map(|m| m.metrics.iter().find(|x| x.id == p.id))
        .collect();
    let chart = metric_chart(
        p,
        &values,
        members,
        Some(i),
        "own-",
        &spread.lowest,
        &spread.median,
        &spread.highest,
    );
    Some(MemberSpread {
        title: p.title.clone(),
        href: format!("{}#{}", spread.href, anchor(&me.row.folder)),
        own: with_unit(own.value, &own.unit),
        tag: against(own.better, own.value, own.england, &own.england_label),
        reported: spread.reporting,
        lowest: spread.lowest.clone(),
        median: spread.median.clone(),
        highest: spread.highest.clone(),
        england: Some(spread.england.clone()),
        chart,
    })
}
