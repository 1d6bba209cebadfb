//! cycles/<id>/: the cycle, its scope, the agencies' returns and moderation.

use super::common::{
    F, date, is_valid_id, non_empty, personal_data_in, question_of, text, text_enum,
};
use super::metrics::check_period;
use super::scope::Scope;
use crate::diag::{Code, Diagnostics, Location, suggest};
use crate::load::raw::{CycleFile, FindingsFile, ResponseFile, S};
use crate::load::{Parsed, RawAudit, RawCycle};
use crate::model::{
    CaseRecord, Cycle, Date, Finding, FindingKind, Framework, Level, Method, Moderation,
    Partnership, Response, Survey,
};
use crate::scan::Scanner;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn cycles(
    raw: &RawAudit,
    partnership: &Partnership,
    frameworks: &BTreeMap<String, Framework>,
    all: &BTreeMap<String, (Framework, F)>,
    broken: &BTreeSet<String>,
    scanner: &Scanner,
    diags: &mut Diagnostics,
) -> Vec<Cycle> {
    let mut out: Vec<Cycle> = Vec::new();
    for rc in &raw.cycles {
        if !is_valid_id(&rc.id) {
            diags
                .path_error(
                    Code::InvalidId,
                    &rc.display_dir,
                    format!("cycle folder name `{}` is not a valid id", rc.id),
                )
                .with_help(
                    "name cycle folders so they sort in time order, e.g. `2025-26` or `2025-q3`",
                );
            continue;
        }
        if let Some(c) = cycle(rc, partnership, frameworks, all, broken, scanner, diags) {
            out.push(c);
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    for c in &out {
        check_compare_with(raw, c, &out, diags);
    }
    for rc in &raw.cycles {
        considered(rc, &out, diags);
    }
    carried_over(&out, frameworks, diags);
    overlapping(raw, &out, diags);
    check_time_order(raw, &out, diags);
    out
}

/// The cycle.toml of cycle `id`, as read, when it could be parsed.
fn cycle_file<'a>(raw: &'a RawAudit, id: &str) -> Option<&'a Parsed<CycleFile>> {
    raw.cycles
        .iter()
        .find(|r| r.id == id)
        .and_then(|r| r.cycle.as_ref())
}

/// `compare_with` names an earlier cycle.
fn check_compare_with(raw: &RawAudit, c: &Cycle, cycles: &[Cycle], diags: &mut Diagnostics) {
    let Some(target) = &c.compare_with else {
        return;
    };
    let Some(cf) = cycle_file(raw, &c.id) else {
        return;
    };
    let Some(span) = cf.value.compare_with.as_ref().map(|s| s.span()) else {
        return;
    };
    if cycles.iter().any(|o| &o.id == target && o.id < c.id) {
        return;
    }
    let ids: Vec<&str> = cycles
        .iter()
        .filter(|o| o.id < c.id)
        .map(|o| o.id.as_str())
        .collect();
    let d = diags.error(
        Code::UnknownReference,
        &cf.file,
        span,
        format!("`compare_with` names `{target}`, which is not an earlier cycle"),
    );
    match suggest(target, ids.iter().copied()) {
        Some(s) => d.with_help(s),
        None => d.with_help(if ids.is_empty() {
            "there is no earlier cycle to compare with: leave compare_with out".to_string()
        } else {
            format!("earlier cycles: {}", ids.join(", "))
        }),
    };
}

/// Cycle ids must sort in time order: the latest cycle is the default everywhere.
fn check_time_order(raw: &RawAudit, cycles: &[Cycle], diags: &mut Diagnostics) {
    for pair in cycles.windows(2) {
        if pair[1].opened < pair[0].opened
            && let Some(rc) = raw.cycles.iter().find(|c| c.id == pair[1].id)
            && let Some(cf) = &rc.cycle
        {
            diags
                .error(
                    Code::DateOrder,
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
}

/// `considered = [...]` in a moderation names deep dives the panel weighed: each must be a
/// cycle of another method than the one moderated, and the moderation must be dated on or
/// after it closed, or it cannot have weighed it (then it resolves nothing: a warning).
fn considered(rc: &RawCycle, cycles: &[Cycle], diags: &mut Diagnostics) {
    let (Some(m), Some(own)) = (&rc.moderation, cycles.iter().find(|c| c.id == rc.id)) else {
        return;
    };
    let file = &m.file;
    let moderated_on = own.moderation.as_ref().and_then(|x| x.moderated_on);
    for entry in m.value.questions.values() {
        for named in &entry.get_ref().considered {
            let id = named.get_ref();
            let Some(dive) = cycles.iter().find(|c| &c.id == id) else {
                let d = diags.error(
                    Code::UnknownReference,
                    file,
                    named.span(),
                    format!("`considered` names `{id}`, which is not a cycle"),
                );
                if let Some(s) = suggest(id, cycles.iter().map(|c| c.id.as_str())) {
                    d.with_help(s);
                }
                continue;
            };
            if dive.method == own.method {
                diags
                    .error(
                        Code::UnknownReference,
                        file,
                        named.span(),
                        format!(
                            "`considered` names `{id}`, another {}: only a case audit, tabletop audit, survey or learning review is weighed against it",
                            own.method.words()
                        ),
                    )
                    .with_help("list the deep dives whose findings the panel weighed");
                continue;
            }
            match moderated_on {
                None => {
                    diags
                        .warning(
                            Code::BadDate,
                            file,
                            named.span(),
                            format!("`considered` names `{id}`, but the moderation has no `moderated_on` date, so it cannot show the panel weighed it after it closed"),
                        )
                        .with_help("add `moderated_on = YYYY-MM-DD` at the top of moderation.toml");
                }
                Some(on) if on < dive.closed => {
                    diags
                        .warning(
                            Code::DateOrder,
                            file,
                            named.span(),
                            format!(
                                "`considered` names `{id}`, which closed on {}, after this moderation ({on}): it cannot have weighed it, and the conflict stands",
                                dive.closed
                            ),
                        )
                        .with_help("moderate again after the deep dive, and date the moderation then");
                }
                Some(_) => {}
            }
        }
    }
}

/// `signed_off = DATE`: a calendar date, not before the cycle closed (a warning: the round is
/// signed off, but its evidence may still have been coming in).
fn signed_off(
    file: &F,
    c: &CycleFile,
    closed: Option<Date>,
    diags: &mut Diagnostics,
) -> Option<Date> {
    let v = c.signed_off.as_ref()?;
    let d = date(file, v, diags)?;
    if let Some(cl) = closed.filter(|cl| d < *cl) {
        diags
            .warning(
                Code::DateOrder,
                file,
                v.span(),
                format!("the cycle is signed off ({d}) before it closes ({cl})"),
            )
            .with_help("sign a round off once its evidence is all in, on or after `closed`");
    }
    Some(d)
}

pub(super) fn cycle(
    rc: &RawCycle,
    partnership: &Partnership,
    frameworks: &BTreeMap<String, Framework>,
    all: &BTreeMap<String, (Framework, F)>,
    broken: &BTreeSet<String>,
    scanner: &Scanner,
    diags: &mut Diagnostics,
) -> Option<Cycle> {
    let cf = rc.cycle.as_ref()?;
    let file = &cf.file;
    let c = &cf.value;
    let before = diags.error_count();
    let method = text_enum::<Method>(file, &c.method, "method", diags);
    let (opened, closed) = window(file, c, diags);
    check_period(file, &c.period, diags);
    let fw = framework(file, c, partnership, frameworks, all, broken, diags)?;
    let scope = scope(file, c, fw, partnership, diags);
    let evidence = Evidence {
        rc,
        partnership,
        fw,
        scope: &scope,
        window: (opened, closed),
        scanner,
    };
    let responses = evidence.returns(method, diags);
    let (cases, moderation, surveys) = evidence.deep_dives(diags);
    let signed = signed_off(file, c, closed, diags);
    let changes = rc
        .changes
        .as_ref()
        .map(|f| super::changes::changes(f, partnership, fw, signed, diags))
        .unwrap_or_default();
    if diags.error_count() > before {
        return None;
    }
    Some(Cycle {
        id: rc.id.clone(),
        title: non_empty(file, &c.title, "title", diags),
        period: c.period.get_ref().clone(),
        method: method?,
        framework: c.framework.get_ref().clone(),
        opened: opened?,
        closed: closed?,
        scope_themes: scope.themes,
        scope_levels: scope.levels,
        scope_agencies: scope.agencies,
        purpose: text(&c.purpose),
        activities: c
            .activities
            .iter()
            .map(|a| a.get_ref().trim().to_string())
            .filter(|a| !a.is_empty())
            .collect(),
        compare_with: c.compare_with.as_ref().map(|x| x.get_ref().clone()),
        signed_off: signed,
        findings: rc
            .findings
            .as_ref()
            .map(|f| findings(f, fw, scanner, diags))
            .unwrap_or_default(),
        cases,
        responses,
        moderation,
        surveys,
        changes,
        loc: file.loc(c.title.span().start),
    })
}

/// `opened` and `closed`: calendar dates, the cycle closing on or after it opens.
fn window(file: &F, c: &CycleFile, diags: &mut Diagnostics) -> (Option<Date>, Option<Date>) {
    let opened = date(file, &c.opened, diags);
    let closed = date(file, &c.closed, diags);
    if let (Some(o), Some(cl)) = (opened, closed)
        && cl < o
    {
        diags.error(
            Code::DateOrder,
            file,
            c.closed.span(),
            format!("the cycle closes ({cl}) before it opens ({o})"),
        );
    }
    (opened, closed)
}

/// The question bank the cycle names: None when it names none known (reported), or one whose
/// own errors are reported already. A bank the partnership does not list is warned of.
fn framework<'a>(
    file: &F,
    c: &CycleFile,
    partnership: &Partnership,
    frameworks: &'a BTreeMap<String, Framework>,
    all: &BTreeMap<String, (Framework, F)>,
    broken: &BTreeSet<String>,
    diags: &mut Diagnostics,
) -> Option<&'a Framework> {
    let fw_id = c.framework.get_ref();
    let Some(fw) = frameworks.get(fw_id) else {
        if broken.contains(fw_id) {
            // The bank's own errors are reported; its cycles cannot be checked until it is fixed.
            return None;
        }
        let d = diags.error(
            Code::UnknownReference,
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
                Code::UnknownReference,
                file,
                c.framework.span(),
                format!("framework `{fw_id}` is not listed in partnership.toml `frameworks`"),
            )
            .with_help("add it there so ranking and the site know the partnership uses it");
    }
    Some(fw)
}

/// `[scope]`: themes of the bank, agencies of the partnership, levels. The scope is valid when
/// none of it is in error.
fn scope(
    file: &F,
    c: &CycleFile,
    fw: &Framework,
    partnership: &Partnership,
    diags: &mut Diagnostics,
) -> Scope {
    let mut scope = Scope {
        themes: Vec::new(),
        levels: Vec::new(),
        agencies: Vec::new(),
        valid: true,
    };
    let before = diags.error_count();
    let Some(raw) = &c.scope else {
        return scope;
    };
    for t in &raw.themes {
        if fw.theme(t.get_ref()).is_none() {
            let d = diags.error(
                Code::UnknownReference,
                file,
                t.span(),
                format!("framework `{}` has no theme `{}`", fw.id, t.get_ref()),
            );
            if let Some(s) = suggest(t.get_ref(), fw.themes.iter().map(|t| t.id.as_str())) {
                d.with_help(s);
            }
        }
        scope.themes.push(t.get_ref().clone());
    }
    for a in &raw.agencies {
        if partnership.agencies.iter().all(|x| &x.id != a.get_ref()) {
            let d = diags.error(
                Code::UnknownReference,
                file,
                a.span(),
                format!("unknown agency `{}`", a.get_ref()),
            );
            match suggest(
                a.get_ref(),
                partnership.agencies.iter().map(|x| x.id.as_str()),
            ) {
                Some(s) => d.with_help(s),
                None => d.with_help("agencies are listed in partnership.toml"),
            };
        }
        scope.agencies.push(a.get_ref().clone());
    }
    for l in &raw.levels {
        if let Some(level) = text_enum::<Level>(file, l, "level", diags) {
            scope.levels.push(level);
        }
    }
    scope.valid = diags.error_count() == before;
    scope
}

/// What the cycle's evidence (returns, case audits, moderation, surveys) is checked against.
struct Evidence<'a> {
    rc: &'a RawCycle,
    partnership: &'a Partnership,
    fw: &'a Framework,
    scope: &'a Scope,
    window: (Option<Date>, Option<Date>),
    scanner: &'a Scanner,
}

impl Evidence<'_> {
    /// The cycle's returns, by agency, each checked; returns the decoder stopped in checked
    /// for their other mistakes too; missing returns warned of.
    fn returns(&self, method: Option<Method>, diags: &mut Diagnostics) -> Vec<Response> {
        let mut responses: Vec<Response> = Vec::new();
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for (stem, rf) in &self.rc.responses {
            if let Some(r) = self.check(stem, rf, &mut seen, diags) {
                responses.push(r);
            }
        }
        // Returns the decoder stopped in: checked for their other mistakes, then left out
        // (their first mistake is an error already, so the cycle is not used).
        for (stem, rf) in &self.rc.partial {
            self.check(stem, rf, &mut seen.clone(), diags);
        }
        responses.sort_by(|a, b| a.agency.cmp(&b.agency));
        self.report_missing(method, &responses, &seen, diags);
        responses
    }

    /// The cycle's case audits, moderation and surveys, each checked against the same bank,
    /// scope and window as the returns.
    fn deep_dives(
        &self,
        diags: &mut Diagnostics,
    ) -> (Vec<CaseRecord>, Option<Moderation>, Vec<Survey>) {
        let rc = self.rc;
        let cases = super::case::cases(
            &rc.cases,
            self.partnership,
            self.fw,
            self.scope,
            self.window,
            self.scanner,
            diags,
        );
        let moderation = rc
            .moderation
            .as_ref()
            .map(|m| super::moderation::moderation(m, self.fw, self.scope, diags));
        let surveys = super::survey::surveys(&rc.surveys, self.fw, self.scope, diags);
        (cases, moderation, surveys)
    }

    fn check(
        &self,
        stem: &str,
        rf: &crate::load::Parsed<ResponseFile>,
        seen: &mut BTreeMap<String, String>,
        diags: &mut Diagnostics,
    ) -> Option<Response> {
        super::response::response(
            stem,
            rf,
            self.partnership,
            self.fw,
            self.scope,
            self.window,
            seen,
            self.scanner,
            diags,
        )
    }

    /// Warns of each agency in scope with no return, where the cycle collects returns.
    fn report_missing(
        &self,
        method: Option<Method>,
        responses: &[Response],
        seen: &BTreeMap<String, String>,
        diags: &mut Diagnostics,
    ) {
        let rc = self.rc;
        // A deep dive collects returns only when some were sent to it (a tabletop where the
        // agencies rated together); a case audit, survey or learning review without any is
        // read from its own evidence, and no return is missing from it.
        let collects = method == Some(Method::SelfAssessment)
            || !rc.responses.is_empty()
            || !rc.unreadable.is_empty();
        for a in &self.partnership.agencies {
            // A return that exists but could not be read has its own error already.
            let asked = self.scope.includes(&a.id) && !rc.unreadable.contains(&a.id);
            if asked
                && collects
                && !responses.iter().any(|r| r.agency == a.id)
                && !seen.contains_key(&a.id)
            {
                diags
                    .path_warning(
                        Code::MissingReturn,
                        format!("{}/responses", rc.display_dir),
                        format!("no return from `{}` ({})", a.id, a.name),
                    )
                    .with_help("its questions count as unanswered");
            }
        }
    }
}

/// findings.toml: each finding's kind, a title and text to publish, and the questions of the
/// cycle's bank it bears on.
fn findings(
    f: &crate::load::Parsed<FindingsFile>,
    fw: &Framework,
    scanner: &Scanner,
    diags: &mut Diagnostics,
) -> Vec<Finding> {
    let file = &f.file;
    let mut out = Vec::new();
    for entry in &f.value.findings {
        let e = entry.get_ref();
        let kind = text_enum::<FindingKind>(file, &e.kind, "finding kind", diags);
        for q in &e.questions {
            question_of(fw, file, q, diags);
        }
        let title = non_empty(file, &e.title, "finding title", diags);
        let text = non_empty(file, &e.text, "finding text", diags);
        for (field, value) in [("title", &e.title), ("text", &e.text)] {
            published_personal_data(file, field, value, scanner, diags);
        }
        if let Some(kind) = kind {
            out.push(Finding {
                kind,
                title,
                text,
                questions: e.questions.iter().map(|q| q.get_ref().clone()).collect(),
                loc: file.loc(e.title.span().start),
                text_loc: file.loc(e.text.span().start),
            });
        }
    }
    out
}

/// Warns, without echoing it, about personal data in a finding: findings are written to be
/// published, so a public build would refuse it; `check` says so before anyone builds.
fn published_personal_data(
    file: &F,
    field: &str,
    value: &S<String>,
    scanner: &Scanner,
    diags: &mut Diagnostics,
) {
    for hit in personal_data_in(file, value, scanner) {
        diags
            .warning_at(
                Code::PersonalData,
                Location::position(file.display.clone(), hit.line, hit.col),
                format!(
                    "the {field} of a finding holds what looks like {} ({}): findings are published, and a public build refuses it",
                    hit.kind, hit.masked
                ),
            )
            .with_help("write the finding without anything that identifies a child, a family or a practitioner; if it is safe to publish (the partnership's own contact), add it to `allow` under [publication] in partnership.toml");
    }
}

/// Warns (`PA0408`) about each return that repeats the agency's return in the comparable cycle
/// before (the one `compare_with` names, else the previous of the same method) word for word,
/// with no submitted date of its own: a pre-filled form sent back untouched. It counts as
/// carried over unchanged, not as returned.
fn carried_over(
    cycles: &[Cycle],
    frameworks: &BTreeMap<String, Framework>,
    diags: &mut Diagnostics,
) {
    for c in cycles {
        let previous = match &c.compare_with {
            Some(id) => cycles.iter().find(|p| &p.id == id),
            None => cycles.iter().rfind(|p| p.id < c.id && p.method == c.method),
        };
        let (Some(previous), Some(fw)) = (previous, frameworks.get(&c.framework)) else {
            continue;
        };
        let asked: Vec<&str> = c.questions(fw).map(|q| q.id.as_str()).collect();
        for r in &c.responses {
            if previous
                .response(&r.agency)
                .is_some_and(|p| r.carried_over_from(p, &asked))
            {
                diags
                    .warning_at(
                        Code::CarriedOver,
                        &r.loc,
                        format!(
                            "this return repeats `{}`'s {} return word for word and has no submitted date of its own: it is counted as carried over unchanged, not as returned",
                            r.agency, previous.id
                        ),
                    )
                    .with_help("ask the agency to review its answers for this round and send the form back with the date it did; import that");
            }
        }
    }
}

/// Warns when a cycle's window overlaps an earlier cycle of the same method: two annual
/// self-assessments open at once, or two tabletops over the same weeks, are almost always a
/// copied cycle.toml whose dates were never changed.
fn overlapping(raw: &RawAudit, cycles: &[Cycle], diags: &mut Diagnostics) {
    for (i, c) in cycles.iter().enumerate() {
        let Some(earlier) = cycles[..i]
            .iter()
            .rev()
            .find(|e| e.method == c.method && e.opened <= c.closed && c.opened <= e.closed)
        else {
            continue;
        };
        let Some(cf) = cycle_file(raw, &c.id) else {
            continue;
        };
        diags
            .warning(
                Code::DateOrder,
                &cf.file,
                cf.value.opened.span(),
                format!(
                    "cycle `{}` ({} to {}) overlaps `{}` ({} to {}), another {}",
                    c.id,
                    c.opened,
                    c.closed,
                    earlier.id,
                    earlier.opened,
                    earlier.closed,
                    c.method.words()
                ),
            )
            .with_help(format!(
                "give each round its own window: this one should open after {} closed (`panelaudit init --cycle` sets the next window for you)",
                earlier.id
            ));
    }
}
