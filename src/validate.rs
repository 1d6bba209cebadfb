//! Stage 2: cross-check everything loaded and build the validated `Audit`. Every problem is
//! collected with its place; nothing stops at the first.

use crate::diag::{Diagnostics, suggest};
use crate::load::raw::*;
use crate::load::{Parsed, RawAudit, RawBriefing, RawCycle};
use crate::model::*;
use crate::source::SourceFile;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

type F = Arc<SourceFile>;

/// Lowercase letters, digits and single hyphens: safe as a file name and a URL segment.
pub fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Action ids may use capitals (`A01`) but are otherwise as safe as other ids.
fn is_valid_action_id(s: &str) -> bool {
    is_valid_id(&s.to_ascii_lowercase())
}

fn check_id(file: &F, id: &S<String>, what: &str, diags: &mut Diagnostics) -> bool {
    let ok = is_valid_id(id.get_ref());
    if !ok {
        diags
            .error(
                file,
                id.span(),
                format!("{what} id `{}` is not valid", id.get_ref()),
            )
            .with_help(
                "ids use lowercase letters, digits and single hyphens, e.g. `extra-familial-harm`",
            );
    }
    ok
}

fn text_enum<E: TextEnum>(
    file: &F,
    value: &S<String>,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<E> {
    let parsed = E::parse_text(value.get_ref());
    if parsed.is_none() {
        diags
            .error(
                file,
                value.span(),
                format!("unknown {what} `{}`", value.get_ref()),
            )
            .with_help(format!("expected one of {}", E::expected_text()));
    }
    parsed
}

fn date(file: &F, value: &S<toml::value::Datetime>, diags: &mut Diagnostics) -> Option<Date> {
    let dt = value.get_ref();
    match (dt.date, dt.time, dt.offset) {
        (Some(d), None, None) => Some(Date {
            year: d.year,
            month: d.month,
            day: d.day,
        }),
        _ => {
            diags
                .error(
                    file,
                    value.span(),
                    format!("expected a date without a time, found `{dt}`"),
                )
                .with_help("write dates as 2025-11-28");
            None
        }
    }
}

fn non_empty(file: &F, value: &S<String>, what: &str, diags: &mut Diagnostics) -> String {
    if value.get_ref().trim().is_empty() {
        diags.error(file, value.span(), format!("{what} is empty"));
    }
    value.get_ref().trim().to_string()
}

fn text(value: &Option<S<String>>) -> Option<String> {
    value
        .as_ref()
        .map(|v| v.get_ref().trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Reports repeated ids among `items`, pointing at the second and later uses.
fn duplicates<'a>(
    file: &F,
    items: impl IntoIterator<Item = &'a S<String>>,
    what: &str,
    diags: &mut Diagnostics,
) -> BTreeSet<String> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut dups = BTreeSet::new();
    for id in items {
        if let Some(first) = seen.get(id.get_ref().as_str()) {
            let (line, _) = file.line_col(*first);
            diags
                .error(
                    file,
                    id.span(),
                    format!("duplicate {what} id `{}`", id.get_ref()),
                )
                .with_help(format!("it is first used on line {line}"));
            dups.insert(id.get_ref().clone());
        } else {
            seen.insert(id.get_ref(), id.span().start);
        }
    }
    dups
}

/// A framework, checked on its own (ids, scale, themes, questions).
fn framework(
    parsed: &Parsed<FrameworkFile>,
    bundled: bool,
    diags: &mut Diagnostics,
) -> Option<Framework> {
    let file = &parsed.file;
    let raw = &parsed.value;
    let errors_before = diags.error_count();
    check_id(file, &raw.id, "framework", diags);
    let mut scale = Vec::new();
    let mut last: Option<i64> = None;
    for level in raw.scale.get_ref() {
        let l = level.get_ref();
        let v = *l.value.get_ref();
        if !(0..=100).contains(&v) {
            diags.error(
                file,
                l.value.span(),
                format!("scale value {v} is out of range: use whole numbers from 0 to 100"),
            );
        } else if last.is_some_and(|p| v <= p) {
            diags
                .error(file, l.value.span(), format!("scale value {v} does not rise: list levels lowest first, each higher than the last"));
        }
        last = Some(v);
        let rag = text_enum::<Rag>(file, &l.rag, "rag colour", diags);
        scale.push(ScaleLevel {
            value: v.clamp(0, 100) as u32,
            label: non_empty(file, &l.label, "scale label", diags),
            rag: rag.unwrap_or(Rag::Amber),
            descriptor: text(&l.descriptor).unwrap_or_default(),
        });
    }
    if scale.len() < 2 {
        diags.error(
            file,
            raw.scale.span(),
            "a rating scale needs at least two levels",
        );
    }
    let themes_raw = raw.themes.get_ref();
    duplicates(
        file,
        themes_raw.iter().map(|t| &t.get_ref().id),
        "theme",
        diags,
    );
    let mut themes = Vec::new();
    for t in themes_raw {
        let t = t.get_ref();
        check_id(file, &t.id, "theme", diags);
        let weight = t.weight.as_ref().map_or(1.0, |w| *w.get_ref());
        if let Some(w) = &t.weight
            && !(w.get_ref().is_finite() && *w.get_ref() > 0.0 && *w.get_ref() <= 10.0)
        {
            diags.error(
                file,
                w.span(),
                "a theme weight must be a number above 0 and at most 10",
            );
        }
        themes.push(Theme {
            id: t.id.get_ref().clone(),
            title: non_empty(file, &t.title, "theme title", diags),
            summary: text(&t.summary).unwrap_or_default(),
            weight,
            loc: file.loc(
                t.summary
                    .as_ref()
                    .map_or(t.title.span().start, |s| s.span().start),
            ),
        });
    }
    if themes.is_empty() {
        diags.error(
            file,
            raw.themes.span(),
            "a framework needs at least one theme",
        );
    }
    let qs = raw.questions.get_ref();
    duplicates(file, qs.iter().map(|q| &q.get_ref().id), "question", diags);
    let theme_ids: Vec<&str> = themes.iter().map(|t| t.id.as_str()).collect();
    let mut questions = Vec::new();
    for q in qs {
        let q = q.get_ref();
        check_id(file, &q.id, "question", diags);
        if !theme_ids.contains(&q.theme.get_ref().as_str()) {
            let d = diags.error(
                file,
                q.theme.span(),
                format!("unknown theme `{}`", q.theme.get_ref()),
            );
            if let Some(s) = suggest(q.theme.get_ref(), theme_ids.iter().copied()) {
                d.with_help(s);
            }
        }
        let level = text_enum::<Level>(file, &q.level, "level", diags);
        questions.push(Question {
            id: q.id.get_ref().clone(),
            theme: q.theme.get_ref().clone(),
            level: level.unwrap_or(Level::Strategic),
            text: non_empty(file, &q.text, "question text", diags),
            prompts: q
                .prompts
                .iter()
                .map(|p| p.get_ref().trim().to_string())
                .collect(),
            metrics: q.metrics.iter().map(|m| m.get_ref().clone()).collect(),
            loc: file.loc(q.text.span().start),
        });
    }
    if questions.is_empty() {
        diags.error(
            file,
            raw.questions.span(),
            "a framework needs at least one question",
        );
    }
    let s = &raw.source;
    let fw = Framework {
        id: raw.id.get_ref().clone(),
        title: non_empty(file, &raw.title, "title", diags),
        summary: text(&raw.summary).unwrap_or_default(),
        source: FrameworkSource {
            publisher: s.publisher.get_ref().clone(),
            publication: s.publication.get_ref().clone(),
            year: s.year,
            url: s.url.get_ref().clone(),
            licence: s.licence.get_ref().clone(),
            note: text(&s.note).unwrap_or_default(),
        },
        scale,
        themes,
        questions,
        bundled,
        loc: file.loc(raw.title.span().start),
    };
    (diags.error_count() == errors_before).then_some(fw)
}

/// Checks a metric's question and theme ids against the frameworks in use.
struct Known<'a> {
    frameworks: &'a BTreeMap<String, Framework>,
}

impl Known<'_> {
    fn question_ids(&self) -> impl Iterator<Item = &str> {
        self.frameworks
            .values()
            .flat_map(|f| f.questions.iter().map(|q| q.id.as_str()))
    }
    fn theme_ids(&self) -> impl Iterator<Item = &str> {
        self.frameworks
            .values()
            .flat_map(|f| f.themes.iter().map(|t| t.id.as_str()))
    }
    fn has_question(&self, id: &str) -> bool {
        self.question_ids().any(|q| q == id)
    }
    fn has_theme(&self, id: &str) -> bool {
        self.theme_ids().any(|t| t == id)
    }
    fn check_question(&self, file: &F, id: &S<String>, diags: &mut Diagnostics) {
        if !self.has_question(id.get_ref()) {
            let d = diags.error(
                file,
                id.span(),
                format!("unknown question `{}`", id.get_ref()),
            );
            if let Some(s) = suggest(id.get_ref(), self.question_ids()) {
                d.with_help(s);
            } else {
                d.with_help("questions come from the frameworks listed in partnership.toml");
            }
        }
    }
    fn check_theme(&self, file: &F, id: &S<String>, diags: &mut Diagnostics) {
        if !self.has_theme(id.get_ref()) {
            let d = diags.error(file, id.span(), format!("unknown theme `{}`", id.get_ref()));
            if let Some(s) = suggest(id.get_ref(), self.theme_ids()) {
                d.with_help(s);
            }
        }
    }
}

/// Validates a loaded partnership folder. Returns the audit only when there were no errors.
pub fn validate(raw: &RawAudit, diags: &mut Diagnostics) -> Option<Audit> {
    let errors_before = diags.error_count();

    // Frameworks: bundled, then the partnership's own.
    let mut all_frameworks: BTreeMap<String, (Framework, F)> = BTreeMap::new();
    // Ids of local banks that have errors of their own: not reported again as unknown.
    let mut broken: BTreeSet<String> = BTreeSet::new();
    for p in &raw.bundled_frameworks {
        if let Some(fw) = framework(p, true, diags) {
            all_frameworks.insert(fw.id.clone(), (fw, p.file.clone()));
        }
    }
    for p in &raw.local_frameworks {
        let id = p.value.id.get_ref();
        if let Some((existing, _)) = all_frameworks.get(id) {
            let whose = if existing.bundled {
                "a bundled question bank"
            } else {
                "another file in frameworks/"
            };
            diags
                .error(
                    &p.file,
                    p.value.id.span(),
                    format!("framework id `{id}` is already used by {whose}"),
                )
                .with_help("give your copy its own id, e.g. `northmoor-learning`");
            continue;
        }
        match framework(p, false, diags) {
            Some(fw) => {
                all_frameworks.insert(fw.id.clone(), (fw, p.file.clone()));
            }
            None => {
                broken.insert(id.clone());
            }
        }
    }

    let partnership = raw
        .partnership
        .as_ref()
        .and_then(|p| partnership(p, &all_frameworks, &broken, diags));
    let Some(partnership) = partnership else {
        // Every other file names agencies and banks that partnership.toml defines.
        if !raw.cycles.is_empty() || raw.actions.is_some() || raw.metrics.is_some() {
            diags.path_warning(
                format!("{}/partnership.toml", raw.display_dir),
                "the other files were read but not cross-checked: they are checked against partnership.toml once it can be read",
            );
        }
        return None;
    };

    // The frameworks this audit uses: those listed, and those its cycles name.
    let mut used: BTreeSet<String> = partnership.frameworks.iter().cloned().collect();
    for c in &raw.cycles {
        if let Some(cf) = &c.cycle {
            let id = cf.value.framework.get_ref();
            if all_frameworks.contains_key(id) {
                used.insert(id.clone());
            }
        }
    }
    let frameworks: BTreeMap<String, Framework> = used
        .iter()
        .filter_map(|id| all_frameworks.get(id).map(|(f, _)| (id.clone(), f.clone())))
        .collect();
    let known = Known {
        frameworks: &frameworks,
    };

    if let Some(p) = &raw.partnership {
        for (theme, w) in p.value.priority.iter().flat_map(|s| s.theme_weights.iter()) {
            known.check_theme(&p.file, theme, diags);
            if !(w.get_ref().is_finite() && *w.get_ref() > 0.0 && *w.get_ref() <= 10.0) {
                diags.error(
                    &p.file,
                    w.span(),
                    "a theme weight must be a number above 0 and at most 10",
                );
            }
        }
    }

    // Question banks may name metrics the partnership does not track: a warning, not an error.
    let library = raw.library.as_ref();
    let metrics = metrics(raw, library, &known, diags);
    for (id, (fw, file)) in &all_frameworks {
        if !used.contains(id) {
            continue;
        }
        for q in &fw.questions {
            for m in &q.metrics {
                let in_library = library.is_some_and(|l| {
                    l.value
                        .metrics
                        .iter()
                        .any(|e| e.get_ref().id.get_ref() == m)
                });
                if !metrics.iter().any(|x| &x.id == m) && !fw.bundled {
                    let at = file.text.find(&format!("\"{m}\"")).unwrap_or(0);
                    let msg = if in_library {
                        format!(
                            "question `{}` names metric `{m}`, which this partnership does not track in metrics.toml",
                            q.id
                        )
                    } else {
                        format!(
                            "question `{}` names metric `{m}`, which is neither in the metric library nor in metrics.toml",
                            q.id
                        )
                    };
                    diags.warning(file, at..at + m.len() + 2, msg);
                }
            }
        }
    }

    let actions = actions(raw, &known, diags);
    let cycles = cycles(
        raw,
        &partnership,
        &frameworks,
        &all_frameworks,
        &broken,
        diags,
    );
    let briefings = briefings(&raw.briefings, diags);
    let deny = raw
        .deny
        .as_ref()
        .map(|f| crate::publish::scan::parse_deny_list(&f.text))
        .unwrap_or_default();

    if diags.error_count() > errors_before {
        return None;
    }
    Some(Audit {
        dir: raw.dir.clone(),
        folder: raw.folder.clone(),
        partnership,
        frameworks,
        metrics,
        actions,
        cycles,
        briefings,
        deny,
        templates: raw.templates.clone(),
    })
}

fn partnership(
    p: &Parsed<PartnershipFile>,
    all: &BTreeMap<String, (Framework, F)>,
    broken: &BTreeSet<String>,
    diags: &mut Diagnostics,
) -> Option<Partnership> {
    let file = &p.file;
    let raw = &p.value;
    let mut frameworks = Vec::new();
    if raw.frameworks.get_ref().is_empty() {
        diags
            .error(file, raw.frameworks.span(), "list at least one framework")
            .with_help("`panelaudit frameworks` lists the bundled question banks");
    }
    for f in raw.frameworks.get_ref() {
        if all.contains_key(f.get_ref()) {
            if frameworks.contains(f.get_ref()) {
                diags.error(
                    file,
                    f.span(),
                    format!("framework `{}` is listed twice", f.get_ref()),
                );
            }
            frameworks.push(f.get_ref().clone());
        } else if broken.contains(f.get_ref()) {
            // Its own errors are already reported; the rest is still checked against the
            // other banks, so every problem shows at once.
        } else {
            let d = diags.error(
                file,
                f.span(),
                format!("unknown framework `{}`", f.get_ref()),
            );
            match suggest(f.get_ref(), all.keys().map(String::as_str)) {
                Some(s) => d.with_help(s),
                None => d.with_help(
                    "use a bundled id (`panelaudit frameworks`) or the id of a file in frameworks/",
                ),
            };
        }
    }
    duplicates(
        file,
        raw.agencies.iter().map(|a| &a.get_ref().id),
        "agency",
        diags,
    );
    let mut agencies = Vec::new();
    for a in &raw.agencies {
        let a = a.get_ref();
        check_id(file, &a.id, "agency", diags);
        let sector = text_enum::<Sector>(file, &a.sector, "sector", diags);
        agencies.push(Agency {
            id: a.id.get_ref().clone(),
            name: non_empty(file, &a.name, "agency name", diags),
            sector: sector.unwrap_or(Sector::Other),
            statutory: a.statutory,
            role: a
                .role
                .as_ref()
                .and_then(|r| text_enum::<AgencyRole>(file, r, "agency role", diags)),
        });
    }
    if agencies.is_empty() {
        diags
            .error(
                file,
                0..0,
                "no agencies: add at least one [[agencies]] table",
            )
            .with_help("each agency has an id, name, sector and statutory = true|false");
    }
    let publication = raw.publication.as_ref();
    let p = Partnership {
        name: non_empty(file, &raw.name, "name", diags),
        short_name: non_empty(file, &raw.short_name, "short_name", diags),
        area: raw
            .area
            .as_ref()
            .map(|a| a.get_ref().trim().to_string())
            .unwrap_or_default(),
        frameworks,
        agencies,
        theme_weights: raw
            .priority
            .iter()
            .flat_map(|s| s.theme_weights.iter())
            .map(|(k, v)| (k.get_ref().clone(), *v.get_ref()))
            .collect(),
        allow: publication
            .map(|s| s.allow.iter().map(|a| a.get_ref().clone()).collect())
            .unwrap_or_default(),
        contact: publication.and_then(|s| text(&s.contact)),
        loc: file.loc(0),
    };
    // Even with errors here, the other files are checked against what could be read (the
    // audit as a whole is refused at the end): one mistake must not hide the rest.
    Some(p)
}

fn library_entry<'a>(
    library: Option<&'a Parsed<MetricsFile>>,
    id: &str,
) -> Option<&'a MetricEntry> {
    library?
        .value
        .metrics
        .iter()
        .map(|m| m.get_ref())
        .find(|m| m.id.get_ref() == id)
}

/// Metrics from metrics.toml (inheriting from the library) plus values from metrics.csv.
fn metrics(
    raw: &RawAudit,
    library: Option<&Parsed<MetricsFile>>,
    known: &Known<'_>,
    diags: &mut Diagnostics,
) -> Vec<Metric> {
    let mut out: Vec<Metric> = Vec::new();
    if let Some(p) = &raw.metrics {
        let file = &p.file;
        duplicates(
            file,
            p.value.metrics.iter().map(|m| &m.get_ref().id),
            "metric",
            diags,
        );
        for entry in &p.value.metrics {
            let span = entry.span();
            let m = entry.get_ref();
            if !check_id(file, &m.id, "metric", diags) {
                continue;
            }
            let lib = library_entry(library, m.id.get_ref());
            let pick = |own: &Option<S<String>>, inherited: Option<&Option<S<String>>>| {
                text(own).or_else(|| inherited.and_then(text))
            };
            let title = pick(&m.title, lib.map(|l| &l.title));
            let unit = pick(&m.unit, lib.map(|l| &l.unit));
            let better_text = m.better.as_ref().or(lib.and_then(|l| l.better.as_ref()));
            let missing: Vec<&str> = [
                ("title", title.is_none()),
                ("unit", unit.is_none()),
                ("better", better_text.is_none()),
            ]
            .iter()
            .filter(|(_, miss)| *miss)
            .map(|(n, _)| *n)
            .collect();
            if !missing.is_empty() {
                let d = diags.error(
                    file,
                    m.id.span(),
                    format!(
                        "metric `{}` is not in the metric library, so it needs {}",
                        m.id.get_ref(),
                        missing.join(", ")
                    ),
                );
                let lib_ids = library.iter().flat_map(|l| {
                    l.value
                        .metrics
                        .iter()
                        .map(|x| x.get_ref().id.get_ref().as_str())
                });
                if let Some(s) = suggest(m.id.get_ref(), lib_ids) {
                    d.with_help(s);
                }
                continue;
            }
            // `better` from the partnership is checked in its file; the library's in its own.
            let better = match &m.better {
                Some(b) => text_enum::<Better>(file, b, "direction `better`", diags),
                None => better_text.and_then(|b| Better::parse(b.get_ref())),
            };
            for t in &m.themes {
                known.check_theme(file, t, diags);
            }
            for q in &m.questions {
                known.check_question(file, q, diags);
            }
            let mut values = BTreeMap::new();
            for (period, v) in &m.values {
                check_period(file, period, diags);
                if !plausible(*v.get_ref()) {
                    diags.error(file, v.span(), IMPLAUSIBLE);
                }
                values.insert(period.get_ref().clone(), *v.get_ref());
            }
            if let Some(t) = &m.target
                && !t.get_ref().is_finite()
            {
                diags.error(file, t.span(), "a target must be a finite number");
            }
            let comparator = m
                .comparator
                .as_ref()
                .map(|c| c.get_ref())
                .or_else(|| lib.and_then(|l| l.comparator.as_ref().map(|c| c.get_ref())))
                .map(|c| Comparator {
                    label: c.label.get_ref().clone(),
                    value: *c.value.get_ref(),
                    source: text(&c.source),
                    url: text(&c.url),
                });
            let target = m
                .target
                .as_ref()
                .map(|t| *t.get_ref())
                .or_else(|| lib.and_then(|l| l.target.as_ref().map(|t| *t.get_ref())));
            let themes: Vec<String> = if m.themes.is_empty() {
                lib.map(|l| l.themes.iter().map(|t| t.get_ref().clone()).collect())
                    .unwrap_or_default()
            } else {
                m.themes.iter().map(|t| t.get_ref().clone()).collect()
            };
            out.push(Metric {
                id: m.id.get_ref().clone(),
                title: title.unwrap_or_default(),
                definition: text(&m.definition).or_else(|| lib.and_then(|l| text(&l.definition))),
                unit: unit.unwrap_or_default(),
                better: better.unwrap_or(Better::Neither),
                target,
                comparator,
                themes,
                questions: m.questions.iter().map(|q| q.get_ref().clone()).collect(),
                values,
                loc: file.loc(span.start),
            });
        }
    }
    if let Some(file) = &raw.metrics_csv {
        metrics_csv(file, &mut out, diags);
    }
    out
}

/// No local metric (a rate, a count of children, weeks waited) comes near a trillion: a larger
/// value is a typing or export mistake, and would print as a wall of digits.
fn plausible(v: f64) -> bool {
    v.is_finite() && v.abs() < 1e12
}

const IMPLAUSIBLE: &str =
    "a metric value must be a number below a trillion in size (a typing or export mistake?)";

/// Periods are `2024-25`, `2025-26` or `2025-q3`-like labels that sort in time order.
fn check_period(file: &F, period: &S<String>, diags: &mut Diagnostics) {
    let p = period.get_ref();
    let ok = p.len() >= 4
        && p[..4].bytes().all(|b| b.is_ascii_digit())
        && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !ok {
        diags
            .error(
                file,
                period.span(),
                format!("period `{p}` should start with a four-digit year, e.g. `2024-25`"),
            )
            .with_help("periods sort as text, so they must start with the year");
    }
}

fn metrics_csv(file: &F, metrics: &mut [Metric], diags: &mut Diagnostics) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(file.text.as_bytes());
    let header_ok = reader
        .headers()
        .map(|h| h.iter().map(str::trim).collect::<Vec<_>>() == ["metric", "period", "value"])
        .unwrap_or(false);
    if !header_ok {
        diags.error(
            file,
            0..file.line_text(1).len(),
            "metrics.csv must start with the header `metric,period,value`",
        );
        return;
    }
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let at = e.position().map_or(0, |p| p.byte() as usize);
                diags.error(file, at..at, format!("this row cannot be read as CSV: {e}"));
                continue;
            }
        };
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let row_span = start
            ..start
                + file.text[start..]
                    .find(['\r', '\n'])
                    .unwrap_or(file.text.len() - start);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() != 3 {
            diags.error(
                file,
                row_span,
                format!(
                    "expected 3 fields (metric,period,value), found {}",
                    record.len()
                ),
            );
            continue;
        }
        let (id, period, value) = (record[0].trim(), record[1].trim(), record[2].trim());
        let field_span = |n: usize| {
            let mut off = start;
            for (i, f) in record.iter().enumerate() {
                let pos = file.text[off..].find(f).map_or(off, |p| off + p);
                if i == n {
                    return pos..pos + f.len().max(1);
                }
                off = pos + f.len();
            }
            row_span.clone()
        };
        let Some(metric) = metrics.iter_mut().find(|m| m.id == id) else {
            let d = diags.error(
                file,
                field_span(0),
                format!("unknown metric `{id}`: declare it in metrics.toml first"),
            );
            if let Some(s) = suggest(id, metrics.iter().map(|m| m.id.as_str())) {
                d.with_help(s);
            }
            continue;
        };
        check_period(file, &S::new(field_span(1), period.to_string()), diags);
        let Ok(v) = value.parse::<f64>().map_err(|_| ()) else {
            diags.error(file, field_span(2), format!("`{value}` is not a number"));
            continue;
        };
        if !plausible(v) {
            diags.error(file, field_span(2), IMPLAUSIBLE);
            continue;
        }
        let key = (id.to_string(), period.to_string());
        if let Some(line) = seen.get(&key) {
            diags.error(
                file,
                row_span,
                format!("metric `{id}` has a second value for {period} (first on line {line})"),
            );
            continue;
        }
        seen.insert(key, file.line_col(start).0);
        if metric.values.contains_key(period) {
            diags
                .error(
                    file,
                    row_span,
                    format!("metric `{id}` already has a value for {period} in metrics.toml"),
                )
                .with_help("keep each value in one place");
            continue;
        }
        metric.values.insert(period.to_string(), v);
    }
}

fn actions(raw: &RawAudit, known: &Known<'_>, diags: &mut Diagnostics) -> Vec<Action> {
    let Some(p) = &raw.actions else {
        return Vec::new();
    };
    let file = &p.file;
    duplicates(
        file,
        p.value.actions.iter().map(|a| &a.get_ref().id),
        "action",
        diags,
    );
    let mut out = Vec::new();
    for entry in &p.value.actions {
        let a = entry.get_ref();
        if !is_valid_action_id(a.id.get_ref()) {
            diags
                .error(
                    file,
                    a.id.span(),
                    format!("action id `{}` is not valid", a.id.get_ref()),
                )
                .with_help("use letters, digits and single hyphens, e.g. `A01`");
        }
        for q in &a.addresses {
            known.check_question(file, q, diags);
        }
        let status = text_enum::<ActionStatus>(file, &a.status, "status", diags);
        let effort = a
            .effort
            .as_ref()
            .and_then(|e| text_enum::<Effort>(file, e, "effort", diags));
        let due = date(file, &a.due, diags);
        if let (Some(status), Some(due)) = (status, due) {
            out.push(Action {
                id: a.id.get_ref().clone(),
                title: non_empty(file, &a.title, "action title", diags),
                owner: non_empty(file, &a.owner, "owner", diags),
                due,
                status,
                addresses: a.addresses.iter().map(|q| q.get_ref().clone()).collect(),
                effort,
                progress: text(&a.progress),
                loc: file.loc(entry.span().start),
            });
        }
    }
    out
}

fn rating(
    file: &F,
    value: &S<toml::Value>,
    fw: &Framework,
    diags: &mut Diagnostics,
) -> Option<Rating> {
    let scale = || {
        format!(
            "use a value from the scale ({}) or \"n/a\"",
            fw.scale
                .iter()
                .map(|s| format!("{} {}", s.value, s.label))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    match value.get_ref() {
        toml::Value::Integer(v) => {
            if fw.scale.iter().any(|s| i64::from(s.value) == *v) {
                Some(Rating::Value(*v as u32))
            } else {
                diags
                    .error(
                        file,
                        value.span(),
                        format!(
                            "rating {v} is not on the scale of `{}` ({} to {})",
                            fw.id,
                            fw.bottom(),
                            fw.top()
                        ),
                    )
                    .with_help(scale());
                None
            }
        }
        toml::Value::String(s) if s.trim().eq_ignore_ascii_case("n/a") => {
            Some(Rating::NotApplicable)
        }
        other => {
            diags
                .error(
                    file,
                    value.span(),
                    format!(
                        "rating must be a whole number on the scale or \"n/a\", found {}",
                        describe(other)
                    ),
                )
                .with_help(scale());
            None
        }
    }
}

fn describe(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("the text \"{s}\""),
        toml::Value::Float(f) => format!("the number {f}"),
        other => format!("a {}", other.type_str()),
    }
}

fn cycles(
    raw: &RawAudit,
    partnership: &Partnership,
    frameworks: &BTreeMap<String, Framework>,
    all: &BTreeMap<String, (Framework, F)>,
    broken: &BTreeSet<String>,
    diags: &mut Diagnostics,
) -> Vec<Cycle> {
    let mut out: Vec<Cycle> = Vec::new();
    for rc in &raw.cycles {
        if !is_valid_id(&rc.id) {
            diags
                .path_error(
                    &rc.display_dir,
                    format!("cycle folder name `{}` is not a valid id", rc.id),
                )
                .with_help(
                    "name cycle folders so they sort in time order, e.g. `2025-26` or `2025-q3`",
                );
            continue;
        }
        if let Some(c) = cycle(rc, partnership, frameworks, all, broken, diags) {
            out.push(c);
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    // Cycle ids must sort in time order: the latest cycle is the default everywhere.
    for pair in out.windows(2) {
        if pair[1].opened < pair[0].opened
            && let Some(rc) = raw.cycles.iter().find(|c| c.id == pair[1].id)
            && let Some(cf) = &rc.cycle
        {
            diags
                .error(
                    &cf.file,
                    cf.value.opened.span(),
                    format!(
                        "cycle `{}` sorts after `{}` but opened before it ({} < {})",
                        pair[1].id, pair[0].id, pair[1].opened, pair[0].opened
                    ),
                )
                .with_help("cycle folder names must sort in time order, e.g. `2024-25`, `2025-26`");
        }
    }
    out
}

fn cycle(
    rc: &RawCycle,
    partnership: &Partnership,
    frameworks: &BTreeMap<String, Framework>,
    all: &BTreeMap<String, (Framework, F)>,
    broken: &BTreeSet<String>,
    diags: &mut Diagnostics,
) -> Option<Cycle> {
    let cf = rc.cycle.as_ref()?;
    let file = &cf.file;
    let c = &cf.value;
    let before = diags.error_count();
    let method = text_enum::<Method>(file, &c.method, "method", diags);
    let opened = date(file, &c.opened, diags);
    let closed = date(file, &c.closed, diags);
    if let (Some(o), Some(cl)) = (opened, closed)
        && cl < o
    {
        diags.error(
            file,
            c.closed.span(),
            format!("the cycle closes ({cl}) before it opens ({o})"),
        );
    }
    check_period(file, &c.period, diags);
    let fw_id = c.framework.get_ref();
    let Some(fw) = frameworks.get(fw_id) else {
        if broken.contains(fw_id) {
            // The bank's own errors are reported; its cycles cannot be checked until it is fixed.
            return None;
        }
        let d = diags.error(
            file,
            c.framework.span(),
            format!("unknown framework `{fw_id}`"),
        );
        match suggest(fw_id, all.keys().map(String::as_str)) {
            Some(s) => d.with_help(s),
            None => d.with_help(
                "use a bundled id (`panelaudit frameworks`) or the id of a file in frameworks/",
            ),
        };
        return None;
    };
    if !partnership.frameworks.contains(fw_id) {
        diags
            .warning(
                file,
                c.framework.span(),
                format!("framework `{fw_id}` is not listed in partnership.toml `frameworks`"),
            )
            .with_help("add it there so ranking and the site know the partnership uses it");
    }
    let mut scope_themes = Vec::new();
    let mut scope_levels = Vec::new();
    let mut scope_agencies: Vec<String> = Vec::new();
    let before_scope = diags.error_count();
    if let Some(scope) = &c.scope {
        for t in &scope.themes {
            if fw.theme(t.get_ref()).is_none() {
                let d = diags.error(
                    file,
                    t.span(),
                    format!("framework `{fw_id}` has no theme `{}`", t.get_ref()),
                );
                if let Some(s) = suggest(t.get_ref(), fw.themes.iter().map(|t| t.id.as_str())) {
                    d.with_help(s);
                }
            }
            scope_themes.push(t.get_ref().clone());
        }
        for a in &scope.agencies {
            if partnership.agencies.iter().all(|x| &x.id != a.get_ref()) {
                let d = diags.error(file, a.span(), format!("unknown agency `{}`", a.get_ref()));
                match suggest(
                    a.get_ref(),
                    partnership.agencies.iter().map(|x| x.id.as_str()),
                ) {
                    Some(s) => d.with_help(s),
                    None => d.with_help("agencies are listed in partnership.toml"),
                };
            }
            scope_agencies.push(a.get_ref().clone());
        }
        for l in &scope.levels {
            if let Some(level) = text_enum::<Level>(file, l, "level", diags) {
                scope_levels.push(level);
            }
        }
    }
    let scope_ok = diags.error_count() == before_scope;

    let mut responses: Vec<Response> = Vec::new();
    let mut seen_agencies: BTreeMap<String, String> = BTreeMap::new();
    for (stem, rf) in &rc.responses {
        let rfile = &rf.file;
        let r = &rf.value;
        let agency = r.agency.get_ref();
        if partnership.agencies.iter().all(|a| &a.id != agency) {
            let d = diags.error(rfile, r.agency.span(), format!("unknown agency `{agency}`"));
            match suggest(agency, partnership.agencies.iter().map(|a| a.id.as_str())) {
                Some(s) => d.with_help(s),
                None => d.with_help("agencies are listed in partnership.toml"),
            };
            continue;
        }
        if !scope_agencies.is_empty() && !scope_agencies.contains(agency) {
            diags
                .warning(rfile, r.agency.span(), format!("`{agency}` is not among this cycle's agencies ([scope] agencies); its return is ignored"))
                .with_help("add it to `agencies` under [scope] in cycle.toml, or remove the file");
            continue;
        }
        if stem != agency {
            diags
                .error(
                    rfile,
                    r.agency.span(),
                    format!("this return is for `{agency}` but the file is named `{stem}.toml`"),
                )
                .with_help(format!(
                    "name the file `{agency}.toml`, or correct the agency"
                ));
        }
        if let Some(other) = seen_agencies.insert(agency.clone(), rfile.display.clone()) {
            diags.error(
                rfile,
                r.agency.span(),
                format!("a second return for `{agency}` (the first is {other})"),
            );
            continue;
        }
        let submitted = r.submitted.as_ref().and_then(|s| date(rfile, s, diags));
        if let (Some(s), Some(o), Some(cl), Some(raw_s)) = (submitted, opened, closed, &r.submitted)
            && (s < o || s > cl)
        {
            diags.warning(
                rfile,
                raw_s.span(),
                format!("submitted {s}, outside the cycle's window ({o} to {cl})"),
            );
        }
        let mut answers = BTreeMap::new();
        // Answers to questions outside the scope: one warning a file, not one an answer.
        let mut outside: Vec<&S<String>> = Vec::new();
        for (qid, entry) in &r.answers {
            let Some(q) = fw.question(qid.get_ref()) else {
                let d = diags.error(
                    rfile,
                    qid.span(),
                    format!("framework `{fw_id}` has no question `{}`", qid.get_ref()),
                );
                if let Some(s) = suggest(qid.get_ref(), fw.questions.iter().map(|q| q.id.as_str()))
                {
                    d.with_help(s);
                }
                continue;
            };
            if !(scope_themes.is_empty() || scope_themes.contains(&q.theme))
                || !(scope_levels.is_empty() || scope_levels.contains(&q.level))
            {
                outside.push(qid);
                continue;
            }
            let a = entry.get_ref();
            let rating = rating(rfile, &a.rating, fw, diags);
            let confidence = match &a.confidence {
                Some(c) => text_enum::<Confidence>(rfile, c, "confidence", diags),
                None => {
                    if matches!(rating, Some(Rating::Value(_))) {
                        diags
                            .warning(
                                rfile,
                                entry.span().start..entry.span().start,
                                format!("answer to `{}` gives no confidence; counted as low", q.id),
                            )
                            .with_help("add confidence = \"low\" | \"medium\" | \"high\"");
                    }
                    Some(Confidence::Low)
                }
            };
            let evidence = text(&a.evidence).unwrap_or_default();
            if evidence.is_empty() && matches!(rating, Some(Rating::Value(v)) if v > fw.bottom()) {
                diags.warning(
                    rfile,
                    a.rating.span(),
                    format!(
                        "`{}` is rated above the lowest level with no evidence",
                        q.id
                    ),
                );
            }
            if let (Some(rating), Some(confidence)) = (rating, confidence) {
                answers.insert(
                    q.id.clone(),
                    Answer {
                        rating,
                        confidence,
                        evidence,
                        gaps: text(&a.gaps),
                        internal: text(&a.internal),
                        loc: rfile.loc(qid.span().start),
                    },
                );
            }
        }
        // Skipped when the scope itself is wrong: its own error says what to fix.
        if let Some(first) = outside.first()
            && scope_ok
        {
            let ids: Vec<&str> = outside.iter().map(|q| q.get_ref().as_str()).collect();
            let shown = if ids.len() > 8 {
                format!("{} and {} more", ids[..8].join(", "), ids.len() - 8)
            } else {
                ids.join(", ")
            };
            diags.warning(
                rfile,
                first.span(),
                format!(
                    "{} answer(s) to questions outside this cycle's scope are ignored: {shown}",
                    ids.len()
                ),
            );
        }
        // Unanswered questions in scope are reported, never silently skipped.
        let missing: Vec<&str> = fw
            .questions
            .iter()
            .filter(|q| {
                (scope_themes.is_empty() || scope_themes.contains(&q.theme))
                    && (scope_levels.is_empty() || scope_levels.contains(&q.level))
                    && !r.answers.keys().any(|k| k.get_ref() == &q.id)
            })
            .map(|q| q.id.as_str())
            .collect();
        if !missing.is_empty() {
            let shown = if missing.len() > 8 {
                format!("{} and {} more", missing[..8].join(", "), missing.len() - 8)
            } else {
                missing.join(", ")
            };
            diags
                .warning(rfile, r.agency.span(), format!("{} question(s) in scope unanswered: {shown}", missing.len()))
                .with_help("unanswered questions count as no evidence of assurance; answer them or rate them \"n/a\"");
        }
        responses.push(Response {
            agency: agency.clone(),
            completed_by: r
                .completed_by
                .as_ref()
                .map(|c| c.get_ref().trim().to_string())
                .unwrap_or_default(),
            submitted,
            answers,
            loc: rfile.loc(0),
        });
    }
    responses.sort_by(|a, b| a.agency.cmp(&b.agency));
    for a in &partnership.agencies {
        let asked = scope_agencies.is_empty() || scope_agencies.contains(&a.id);
        // A return that exists but could not be read has its own error already.
        let asked = asked && !rc.unreadable.contains(&a.id);
        if asked
            && !responses.iter().any(|r| r.agency == a.id)
            && !seen_agencies.contains_key(&a.id)
        {
            diags
                .path_warning(
                    format!("{}/responses", rc.display_dir),
                    format!("no return from `{}` ({})", a.id, a.name),
                )
                .with_help("its questions count as unanswered");
        }
    }

    let moderation = rc
        .moderation
        .as_ref()
        .map(|m| moderation(m, fw, &scope_themes, &scope_levels, scope_ok, diags));
    if diags.error_count() > before {
        return None;
    }
    Some(Cycle {
        id: rc.id.clone(),
        title: non_empty(file, &c.title, "title", diags),
        period: c.period.get_ref().clone(),
        method: method?,
        framework: fw_id.clone(),
        opened: opened?,
        closed: closed?,
        scope_themes,
        scope_levels,
        scope_agencies,
        responses,
        moderation,
        loc: file.loc(c.title.span().start),
    })
}

fn moderation(
    m: &Parsed<ModerationFile>,
    fw: &Framework,
    themes: &[String],
    levels: &[Level],
    scope_ok: bool,
    diags: &mut Diagnostics,
) -> Moderation {
    let file = &m.file;
    let mut questions = BTreeMap::new();
    for (qid, entry) in &m.value.questions {
        let Some(q) = fw.question(qid.get_ref()) else {
            let d = diags.error(
                file,
                qid.span(),
                format!("framework `{}` has no question `{}`", fw.id, qid.get_ref()),
            );
            if let Some(s) = suggest(qid.get_ref(), fw.questions.iter().map(|q| q.id.as_str())) {
                d.with_help(s);
            }
            continue;
        };
        if !(themes.is_empty() || themes.contains(&q.theme))
            || !(levels.is_empty() || levels.contains(&q.level))
        {
            if scope_ok {
                diags.warning(
                    file,
                    qid.span(),
                    format!(
                        "question `{}` is outside this cycle's scope; its moderation is ignored",
                        q.id
                    ),
                );
            }
            continue;
        }
        let e = entry.get_ref();
        let rating = e.rating.as_ref().and_then(|r| rating(file, r, fw, diags));
        questions.insert(
            q.id.clone(),
            ModeratedQuestion {
                rating,
                note: text(&e.note),
                public_summary: text(&e.public_summary),
                loc: file.loc(qid.span().start),
            },
        );
    }
    Moderation {
        moderated_on: m
            .value
            .moderated_on
            .as_ref()
            .and_then(|d| date(file, d, diags)),
        questions,
    }
}

fn briefings(raw: &[RawBriefing], diags: &mut Diagnostics) -> Vec<Briefing> {
    let mut out = Vec::new();
    for b in raw {
        let file = &b.file;
        if !is_valid_id(&b.slug) {
            diags
                .path_error(&file.display, format!("briefing file name `{}` cannot be used in a web address", b.slug))
                .with_help("name briefings with lowercase letters, digits and hyphens, e.g. `learning-from-2025-26.md`");
            continue;
        }
        let Some(front) = &b.front else { continue };
        let date = date(file, &front.date, diags);
        let audience = text_enum::<Audience>(file, &front.audience, "audience", diags);
        if let (Some(date), Some(audience)) = (date, audience) {
            out.push(Briefing {
                slug: b.slug.clone(),
                title: non_empty(file, &front.title, "title", diags),
                date,
                audience,
                summary: front.summary.get_ref().trim().to_string(),
                body: file.text[b.body_start..].to_string(),
                loc: file.loc(0),
                body_line: file.line_col(b.body_start).0,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_lowercase_words_joined_by_single_hyphens() {
        assert!(is_valid_id("extra-familial-harm"));
        assert!(is_valid_id("cmh-s-01"));
        assert!(!is_valid_id("Police"));
        assert!(!is_valid_id("a--b"));
        assert!(!is_valid_id("-a"));
        assert!(!is_valid_id("a b"));
        assert!(!is_valid_id(""));
        assert!(is_valid_action_id("A01"));
        assert!(!is_valid_action_id("A 01"));
    }
}
