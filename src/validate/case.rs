//! cycles/<id>/cases/<ref>.toml: one audited case. A case reference is a short code (`C03`),
//! never something that could identify a child: a name, a date (of birth or otherwise) or a
//! record number is refused. Judgements, agencies and questions are checked against the
//! cycle's scope; the audit date against the cycle's dates.

use super::common::*;
use super::scope::Scope;
use crate::diag::{Code, Diagnostics, suggest};
use crate::load::Parsed;
use crate::load::raw::*;
use crate::model::*;
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// How far before the cycle opens or after it closes a case may be audited: preparation and
/// a reconvened table happen around the cycle's dates.
pub const AUDIT_DATE_SLACK_DAYS: i64 = 60;

/// Why a string cannot be a case reference, or None when it can.
pub fn reference_problem(r: &str) -> Option<&'static str> {
    static DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\d{1,4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,4}|\d{8}|(?i)\b\d{1,2}\s*(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)").expect("valid regex")
    });
    static NHS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\d{3}[\s-]?\d{3}[\s-]?\d{4}").expect("valid regex"));
    static LONG_DIGITS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\d{5,}").expect("valid regex"));
    static NAME: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b\p{Lu}\p{Ll}+[\s._-]+\p{Lu}\p{Ll}+").expect("valid regex"));
    static SHAPE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[A-Za-z]{1,6}-?[0-9]{1,4}$").expect("valid regex"));
    let r = r.trim();
    if r.is_empty() {
        Some("is empty")
    } else if NAME.is_match(r) {
        Some("looks like a person's name")
    } else if NHS.is_match(r) {
        Some("looks like a record number (an NHS number or a case file number)")
    } else if DATE.is_match(r) {
        Some("looks like a date, such as a date of birth")
    } else if LONG_DIGITS.is_match(r) {
        Some("looks like a record number (an NHS number or a case file number)")
    } else if !SHAPE.is_match(r) {
        Some("is not a short case reference")
    } else {
        None
    }
}

pub(super) fn cases(
    raw: &[(String, Parsed<CaseFile>)],
    partnership: &Partnership,
    fw: &Framework,
    scope: &Scope,
    dates: (Option<Date>, Option<Date>),
    scanner: &crate::scan::Scanner,
    diags: &mut Diagnostics,
) -> Vec<CaseRecord> {
    let mut out: Vec<CaseRecord> = Vec::new();
    let mut seen: BTreeMap<String, (F, std::ops::Range<usize>)> = BTreeMap::new();
    for (stem, parsed) in raw {
        let file = &parsed.file;
        let c = &parsed.value;
        let before = diags.error_count();
        let reference = c.reference.get_ref().trim().to_string();
        if diags.is_poisoned(file, &c.reference.span()) {
            // A stand-in for a reference the decoder refused: that is reported already.
        } else if let Some(problem) = reference_problem(&reference) {
            // The value is never echoed, nor its line shown: it may be exactly what must not be
            // written down.
            let at = file.loc(c.reference.span().start);
            diags
                .path_error(
                    Code::CaseReference,
                    file.display.clone(),
                    format!("the case reference {problem}"),
                )
                .at(at.line, at.col)
                .with_help("use a short code that means nothing outside the audit, e.g. `C03`; keep the key to which child it is in the agency's own records");
        } else {
            if &reference != stem {
                diags
                    .error(
                        Code::NameMismatch,
                        file,
                        c.reference.span(),
                        format!("ref `{reference}` does not match the file name `{stem}.toml`"),
                    )
                    .with_help(format!(
                        "rename the file to `{reference}.toml`, or correct the ref"
                    ));
            }
            let key = reference.to_lowercase();
            if let Some((first, span)) = seen.get(&key) {
                diags
                    .error(
                        Code::DuplicateId,
                        file,
                        c.reference.span(),
                        format!("case `{reference}` is recorded twice"),
                    )
                    .with_related(first, span.clone(), "first defined here")
                    .with_help("give each case its own reference");
            } else {
                seen.insert(key, (file.clone(), c.reference.span()));
            }
        }
        let age_band = c
            .age_band
            .as_ref()
            .and_then(|a| text_enum::<AgeBand>(file, a, "age band", diags));
        let mut agencies = Vec::new();
        for a in &c.agencies {
            agency_in_scope(file, a, partnership, scope, diags);
            agencies.push(a.get_ref().clone());
        }
        let audited_on = date(file, &c.audited_on, diags);
        if let (Some(d), (Some(o), Some(cl))) = (audited_on, dates)
            && (d < o.add_days(-AUDIT_DATE_SLACK_DAYS) || d > cl.add_days(AUDIT_DATE_SLACK_DAYS))
        {
            diags
                .error(
                    Code::DateOrder,
                    file,
                    c.audited_on.span(),
                    format!("audited on {d}, far outside the cycle ({o} to {cl})"),
                )
                .with_help(format!(
                    "a case is audited within the cycle's dates (or up to {AUDIT_DATE_SLACK_DAYS} days either side); is it in the right cycle folder?"
                ));
        }
        let mut findings = BTreeMap::new();
        for (q, entry) in &c.findings {
            let qid = q.get_ref();
            match fw.question(qid) {
                None => {
                    let d = diags.error(
                        Code::UnknownReference,
                        file,
                        q.span(),
                        format!("framework `{}` has no question `{qid}`", fw.id),
                    );
                    if let Some(s) = suggest(qid, fw.questions.iter().map(|q| q.id.as_str())) {
                        d.with_help(s);
                    }
                }
                Some(question) if scope.valid && !scope.asks(question) => {
                    diags
                        .error(
                            Code::NotInScope,
                            file,
                            q.span(),
                            format!("question `{qid}` is not in this cycle's scope"),
                        )
                        .with_help(
                            "judge only the questions the cycle asks (its [scope] in cycle.toml)",
                        );
                }
                Some(_) => {}
            }
            let e = entry.get_ref();
            let judgement = text_enum::<Judgement>(file, &e.judgement, "judgement", diags);
            let mut by_agency = BTreeMap::new();
            for (a, j) in &e.by_agency {
                if agency_in_scope(file, a, partnership, scope, diags) {
                    involved(file, a, &c.agencies, diags);
                }
                if let Some(j) = text_enum::<Judgement>(file, j, "judgement", diags) {
                    by_agency.insert(a.get_ref().clone(), j);
                }
            }
            for (field, t) in [
                ("good_practice", &e.good_practice),
                ("learning", &e.learning),
                ("internal", &e.internal),
            ] {
                let Some(t) = t else { continue };
                if t.get_ref().trim().is_empty() {
                    diags
                        .warning(Code::EmptyText, file, t.span(), "an empty note")
                        .with_help("write the note, or leave the field out");
                }
                personal_data(file, qid, field, t, scanner, diags);
            }
            if let Some(judgement) = judgement {
                findings.insert(
                    qid.clone(),
                    CaseFinding {
                        judgement,
                        by_agency,
                        good_practice: text(&e.good_practice),
                        learning: text(&e.learning),
                        internal: text(&e.internal),
                        loc: file.loc(q.span().start),
                    },
                );
            }
        }
        if findings.is_empty() && c.findings.is_empty() {
            diags
                .warning(
                    Code::EmptyReturn,
                    file,
                    c.reference.span(),
                    "the case has no judgement: it counts in no question's results",
                )
                .with_help("add a [findings.<question>] table with the table's judgement");
        }
        if diags.error_count() > before {
            continue;
        }
        let Some(audited_on) = audited_on else {
            continue;
        };
        out.push(CaseRecord {
            reference,
            age_band,
            agencies,
            audited_on,
            findings,
            loc: file.loc(c.reference.span().start),
        });
    }
    out.sort_by(|a, b| a.reference.cmp(&b.reference));
    out
}

/// An agency named under `by_agency` (its practice differed from the table's judgement) must
/// be one of the agencies the case says were involved with the child.
fn involved(file: &F, a: &S<String>, agencies: &[S<String>], diags: &mut Diagnostics) {
    let id = a.get_ref();
    if agencies.iter().any(|x| x.get_ref() == id) {
        return;
    }
    let listed: Vec<&str> = agencies.iter().map(|x| x.get_ref().as_str()).collect();
    diags
        .error(
            Code::UnknownReference,
            file,
            a.span(),
            format!("agency `{id}` is named as practice that differed, but is not among the agencies involved in this case"),
        )
        .with_help(if listed.is_empty() {
            format!("list the agencies involved with the child (`agencies = [\"{id}\", ...]`), or take `{id}` out of by_agency")
        } else {
            format!("the case's agencies are {}: add `{id}` there if it was involved, or take it out of by_agency", listed.join(", "))
        });
}

/// Warns, without echoing it, about personal data in a case note: case records are read
/// across the agencies at the table, and refer to the child only by the case reference.
fn personal_data(
    file: &F,
    question: &str,
    field: &str,
    value: &S<String>,
    scanner: &crate::scan::Scanner,
    diags: &mut Diagnostics,
) {
    for hit in personal_data_in(file, value, scanner) {
        diags
            .path_warning(
                Code::PersonalDataInReturn,
                file.display.clone(),
                format!(
                    "{field} of `{question}` holds what looks like {} ({}): case records are read across the agencies and should carry no child's identifiers",
                    hit.kind, hit.masked
                ),
            )
            .at(hit.line, hit.col)
            .with_help("describe the practice, not the child: refer to the case by its reference only");
    }
}

/// Whether `a` is an agency of the partnership taking part in the cycle (reported when not).
fn agency_in_scope(
    file: &F,
    a: &S<String>,
    partnership: &Partnership,
    scope: &Scope,
    diags: &mut Diagnostics,
) -> bool {
    let id = a.get_ref();
    if partnership.agencies.iter().all(|x| &x.id != id) {
        let d = diags.error(
            Code::UnknownReference,
            file,
            a.span(),
            format!("unknown agency `{id}`"),
        );
        match suggest(id, partnership.agencies.iter().map(|x| x.id.as_str())) {
            Some(s) => d.with_help(s),
            None => d.with_help("agencies are listed in partnership.toml"),
        };
        false
    } else if scope.valid && !scope.includes(id) {
        diags
            .error(
                Code::NotInScope,
                file,
                a.span(),
                format!("agency `{id}` does not take part in this cycle"),
            )
            .with_help("add it to the cycle's [scope] agencies, or leave it out of the case");
        false
    } else {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::reference_problem;

    #[test]
    fn short_codes_pass_and_identifying_references_do_not() {
        for ok in ["C01", "C3", "TT-12", "case7", "A0001"] {
            assert_eq!(reference_problem(ok), None, "{ok}");
        }
        for (bad, why) in [
            ("Jane Smith", "name"),
            ("Smith_Jane", "name"),
            ("2019-04-03", "date"),
            ("03/04/2019", "date"),
            ("C-03.04.19", "date"),
            ("12 March", "date"),
            ("4857773456", "record"),
            ("485 777 3456", "record"),
            ("CF123456", "record"),
            ("", "empty"),
            ("case three", "short"),
        ] {
            let p = reference_problem(bad).unwrap_or("none");
            assert!(p.contains(why), "{bad}: {p}");
        }
    }
}
