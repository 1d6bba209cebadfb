//! Question banks: scale, themes, questions, and their sources.

use super::common::{F, check_id, duplicates, non_empty, text, text_enum};
use crate::diag::{Code, Diagnostics, suggest};
use crate::load::Parsed;
use crate::load::raw::FrameworkFile;
use crate::model::{Framework, FrameworkSource, Level, Question, Rag, ScaleLevel, Theme};

/// A framework, checked on its own (ids, scale, themes, questions).
pub(super) fn framework(
    parsed: &Parsed<FrameworkFile>,
    bundled: bool,
    diags: &mut Diagnostics,
) -> Option<Framework> {
    let file = &parsed.file;
    let raw = &parsed.value;
    let errors_before = diags.error_count();
    check_id(file, &raw.id, "framework", diags);
    let scale = scale(file, raw, diags);
    let themes = themes(file, raw, diags);
    let questions = questions(file, raw, &themes, diags);
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

/// The rating scale: at least two levels, lowest first, values whole numbers from 0 to 100
/// each higher than the last.
fn scale(file: &F, raw: &FrameworkFile, diags: &mut Diagnostics) -> Vec<ScaleLevel> {
    let mut scale = Vec::new();
    let mut last: Option<i64> = None;
    for level in raw.scale.get_ref() {
        let l = level.get_ref();
        let v = *l.value.get_ref();
        if !(0..=100).contains(&v) {
            diags.error(
                Code::OffScale,
                file,
                l.value.span(),
                format!("scale value {v} is out of range: use whole numbers from 0 to 100"),
            );
        } else if last.is_some_and(|p| v <= p) {
            diags
                .error(Code::OffScale, file, l.value.span(), format!("scale value {v} does not rise: list levels lowest first, each higher than the last"));
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
            Code::OffScale,
            file,
            raw.scale.span(),
            "a rating scale needs at least two levels",
        );
    }
    scale
}

/// The themes: at least one, each id valid and once, each weight above 0 and at most 10.
fn themes(file: &F, raw: &FrameworkFile, diags: &mut Diagnostics) -> Vec<Theme> {
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
                Code::OutOfRange,
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
            Code::BadStructure,
            file,
            raw.themes.span(),
            "a framework needs at least one theme",
        );
    }
    themes
}

/// The questions: at least one, each id valid and once, each of one of `themes`, at a level.
fn questions(
    file: &F,
    raw: &FrameworkFile,
    themes: &[Theme],
    diags: &mut Diagnostics,
) -> Vec<Question> {
    let qs = raw.questions.get_ref();
    duplicates(file, qs.iter().map(|q| &q.get_ref().id), "question", diags);
    let theme_ids: Vec<&str> = themes.iter().map(|t| t.id.as_str()).collect();
    let mut questions = Vec::new();
    for q in qs {
        let q = q.get_ref();
        check_id(file, &q.id, "question", diags);
        if !theme_ids.contains(&q.theme.get_ref().as_str()) {
            let d = diags.error(
                Code::UnknownReference,
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
            Code::BadStructure,
            file,
            raw.questions.span(),
            "a framework needs at least one question",
        );
    }
    questions
}
