//! briefings/*.md: front matter of learning briefings.

use super::common::{F, date, is_valid_id, non_empty, text_enum};
use crate::diag::{Code, Diagnostics};
use crate::load::RawBriefing;
use crate::model::{Audience, Briefing, Cycle, Framework};

pub(super) fn briefings(
    raw: &[RawBriefing],
    cycles: &[Cycle],
    diags: &mut Diagnostics,
) -> Vec<Briefing> {
    let mut out = Vec::new();
    for b in raw {
        let file = &b.file;
        if !is_valid_id(&b.slug) {
            diags
                .path_error(Code::InvalidId, &file.display, format!("briefing file name `{}` cannot be used in a web address", b.slug))
                .with_help("name briefings with lowercase letters, digits and hyphens, e.g. `learning-from-2025-26.md`");
            continue;
        }
        let Some(front) = &b.front else { continue };
        let date = date(file, &front.date, diags);
        if let Some(c) = &front.cycle
            && !cycles.iter().any(|x| &x.id == c.get_ref())
        {
            let d = diags.error(
                Code::UnknownReference,
                file,
                c.span(),
                format!("unknown cycle `{}`", c.get_ref()),
            );
            match crate::diag::suggest(c.get_ref(), cycles.iter().map(|x| x.id.as_str())) {
                Some(s) => d.with_help(s),
                None => d.with_help("`cycle` names a folder of cycles/, e.g. `2025-26`"),
            };
        }
        let audience = text_enum::<Audience>(file, &front.audience, "audience", diags);
        let draft = draft_flag(file, front.draft.as_ref(), diags);
        if let (Some(date), Some(audience)) = (date, audience) {
            out.push(Briefing {
                slug: b.slug.clone(),
                title: non_empty(file, &front.title, "title", diags),
                date,
                audience,
                summary: front.summary.get_ref().trim().to_string(),
                body: file.text[b.body_start..].to_string(),
                cycle: front.cycle.as_ref().map(|c| c.get_ref().clone()),
                draft,
                loc: file.loc(0),
                body_line: file.line_col(b.body_start).0,
            });
        }
    }
    out
}

/// Warns about a link in a briefing (`question:ID`, `../../themes/ID/`, see `load::links`)
/// to a question, theme, cycle or briefing that does not exist: the page would show its text
/// without a link.
pub(super) fn links(
    raw: &[RawBriefing],
    briefings: &[Briefing],
    cycles: &[Cycle],
    frameworks: &std::collections::BTreeMap<String, Framework>,
    diags: &mut Diagnostics,
) {
    use crate::load::links::{Target, located};
    for b in raw {
        let body = &b.file.text[b.body_start..];
        for (t, range) in located(body) {
            let exists = match t {
                Target::Question(id) => frameworks.values().any(|f| f.question(id).is_some()),
                Target::Theme(id) => frameworks.values().any(|f| f.theme(id).is_some()),
                Target::Cycle(id) => cycles.iter().any(|c| c.id == id),
                Target::Briefing(slug) => briefings.iter().any(|x| x.slug == slug),
            };
            if !exists {
                diags
                    .warning(
                        Code::BriefingLink,
                        &b.file,
                        b.body_start + range.start..b.body_start + range.end,
                        format!("a link to {}, which the site does not have: the page shows its text without a link", t.describe()),
                    )
                    .with_help("link with `question:ID`, `theme:ID`, `cycle:ID` or `briefing:FILE-NAME`, naming one that exists");
            }
        }
    }
}

/// Reads `draft = true` from a briefing's front matter; a draft is a warning in `check`.
fn draft_flag(file: &F, draft: Option<&toml::Spanned<bool>>, diags: &mut Diagnostics) -> bool {
    let Some(d) = draft else { return false };
    if *d.get_ref() {
        diags
            .warning(
                Code::DraftBriefing,
                file,
                d.span(),
                "this briefing is a draft: the internal site shows it marked as a draft, and a public build refuses it",
            )
            .with_help("remove `draft = true` when the briefing is approved for publication");
    }
    *d.get_ref()
}

/// Warns about a briefing dated before the close of a cycle it reports on (`cycle = ...`) or
/// links to (`cycle:ID`): it cannot rest on evidence gathered after it was written, and a
/// reader would take it to.
pub(super) fn dated_before_evidence(
    raw: &[RawBriefing],
    briefings: &[Briefing],
    cycles: &[Cycle],
    diags: &mut Diagnostics,
) {
    use crate::load::links::{Target, located};
    for b in raw {
        let Some(briefing) = briefings.iter().find(|x| x.slug == b.slug) else {
            continue;
        };
        let after = |id: &str| {
            cycles
                .iter()
                .find(|c| c.id == id && c.closed > briefing.date)
        };
        let mut places: Vec<(std::ops::Range<usize>, &Cycle)> = Vec::new();
        if let Some(c) = b.front.as_ref().and_then(|f| f.cycle.as_ref())
            && let Some(cycle) = after(c.get_ref())
        {
            places.push((c.span(), cycle));
        }
        let body = &b.file.text[b.body_start..];
        for (t, range) in located(body) {
            if let Target::Cycle(id) = t
                && let Some(cycle) = after(id)
            {
                places.push((b.body_start + range.start..b.body_start + range.end, cycle));
            }
        }
        for (span, cycle) in places {
            diags
                .warning(
                    Code::BriefingBeforeEvidence,
                    &b.file,
                    span,
                    format!(
                        "this briefing is dated {}, before cycle `{}` closed on {}: it cannot rest on that cycle's evidence",
                        briefing.date, cycle.id, cycle.closed
                    ),
                )
                .with_help("date the briefing on or after the cycle closed, or remove what it says about that cycle");
        }
    }
}
