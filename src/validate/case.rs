//! cycles/<id>/cases/<ref>.toml: one audited case. A case reference is a short code (`C03`),
//! never something that could identify a child: a name, a date (of birth or otherwise) or a
//! record number is refused. Judgements, agencies and questions are checked against the
//! cycle's scope; the audit date against the cycle's dates.

use super::common::{F, date, personal_data_in, text, text_enum};
use super::scope::Scope;
use crate::diag::{Code, Diagnostics, Location, suggest};
use crate::load::Parsed;
use crate::load::raw::{CaseFile, CaseFindingEntry, S};
use crate::model::{AgeBand, CaseFinding, CaseRecord, Date, Framework, Judgement, Partnership};
use regex::Regex;
use std::collections::BTreeMap;
use std::ops::Range;
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
    let audit = CaseAudit {
        partnership,
        fw,
        scope,
        dates,
        scanner,
    };
    let mut seen: BTreeMap<String, (F, Range<usize>)> = BTreeMap::new();
    let mut out: Vec<CaseRecord> = raw
        .iter()
        .filter_map(|(stem, parsed)| audit.case(stem, parsed, &mut seen, diags))
        .collect();
    out.sort_by(|a, b| a.reference.cmp(&b.reference));
    out
}

/// What each case of a cycle is checked against.
struct CaseAudit<'a> {
    partnership: &'a Partnership,
    fw: &'a Framework,
    scope: &'a Scope,
    /// The cycle's opening and closing dates.
    dates: (Option<Date>, Option<Date>),
    scanner: &'a crate::scan::Scanner,
}

impl CaseAudit<'_> {
    /// One case file, checked; None when it has errors. `seen` holds each reference met so far
    /// (lowercased), so a case recorded twice is caught.
    fn case(
        &self,
        stem: &str,
        parsed: &Parsed<CaseFile>,
        seen: &mut BTreeMap<String, (F, Range<usize>)>,
        diags: &mut Diagnostics,
    ) -> Option<CaseRecord> {
        let file = &parsed.file;
        let c = &parsed.value;
        let before = diags.error_count();
        let reference = c.reference.get_ref().trim().to_string();
        check_reference(stem, parsed, &reference, seen, diags);
        let age_band = c
            .age_band
            .as_ref()
            .and_then(|a| text_enum::<AgeBand>(file, a, "age band", diags));
        let mut agencies = Vec::new();
        for a in &c.agencies {
            agency_in_scope(file, a, self.partnership, self.scope, diags);
            agencies.push(a.get_ref().clone());
        }
        let audited_on = self.audited_on(file, c, diags);
        let mut findings = BTreeMap::new();
        for (q, entry) in &c.findings {
            if let Some(finding) = self.finding(file, c, q, entry, diags) {
                findings.insert(q.get_ref().clone(), finding);
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
            return None;
        }
        Some(CaseRecord {
            reference,
            age_band,
            agencies,
            audited_on: audited_on?,
            findings,
            loc: file.loc(c.reference.span().start),
        })
    }

    /// `audited_on`: a calendar date within the cycle's dates, give or take
    /// [`AUDIT_DATE_SLACK_DAYS`].
    fn audited_on(&self, file: &F, c: &CaseFile, diags: &mut Diagnostics) -> Option<Date> {
        let audited_on = date(file, &c.audited_on, diags);
        if let (Some(d), (Some(o), Some(cl))) = (audited_on, self.dates)
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
        audited_on
    }

    /// The case's finding on question `q`: its judgement (None, reported, when it cannot be
    /// read), the agencies whose practice differed, its notes scanned for personal data.
    fn finding(
        &self,
        file: &F,
        c: &CaseFile,
        q: &S<String>,
        entry: &S<CaseFindingEntry>,
        diags: &mut Diagnostics,
    ) -> Option<CaseFinding> {
        let qid = q.get_ref();
        self.check_question(file, q, diags);
        let e = entry.get_ref();
        let judgement = text_enum::<Judgement>(file, &e.judgement, "judgement", diags);
        let mut by_agency = BTreeMap::new();
        for (a, j) in &e.by_agency {
            if agency_in_scope(file, a, self.partnership, self.scope, diags) {
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
            personal_data(file, qid, field, t, self.scanner, diags);
        }
        Some(CaseFinding {
            judgement: judgement?,
            by_agency,
            good_practice: text(&e.good_practice),
            learning: text(&e.learning),
            internal: text(&e.internal),
            loc: file.loc(q.span().start),
        })
    }

    /// A finding's question is one of the bank's, and (when the scope is sound) one the cycle
    /// asks.
    fn check_question(&self, file: &F, q: &S<String>, diags: &mut Diagnostics) {
        let qid = q.get_ref();
        let fw = self.fw;
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
            Some(question) if self.scope.valid && !self.scope.asks(question) => {
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
    }
}

/// The case reference: never echoed when it could identify a child; otherwise it matches the
/// file name and no other case's (`seen`, lowercased).
fn check_reference(
    stem: &str,
    parsed: &Parsed<CaseFile>,
    reference: &str,
    seen: &mut BTreeMap<String, (F, Range<usize>)>,
    diags: &mut Diagnostics,
) {
    let file = &parsed.file;
    let span = parsed.value.reference.span();
    if diags.is_poisoned(file, &span) {
        // A stand-in for a reference the decoder refused: that is reported already.
        return;
    }
    if let Some(problem) = reference_problem(reference) {
        // The value is never echoed, nor its line shown: it may be exactly what must not be
        // written down.
        let at = file.loc(span.start);
        diags
            .error_at(
                Code::CaseReference,
                at,
                format!("the case reference {problem}"),
            )
            .with_help("use a short code that means nothing outside the audit, e.g. `C03`; keep the key to which child it is in the agency's own records");
        return;
    }
    if reference != stem {
        diags
            .error(
                Code::NameMismatch,
                file,
                span.clone(),
                format!("ref `{reference}` does not match the file name `{stem}.toml`"),
            )
            .with_help(format!(
                "rename the file to `{reference}.toml`, or correct the ref"
            ));
    }
    let key = reference.to_lowercase();
    if let Some((first, first_span)) = seen.get(&key) {
        diags
            .error(
                Code::DuplicateId,
                file,
                span,
                format!("case `{reference}` is recorded twice"),
            )
            .with_related(first, first_span.clone(), "first defined here")
            .with_help("give each case its own reference");
    } else {
        seen.insert(key, (file.clone(), span));
    }
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
            .warning_at(
                Code::PersonalDataInReturn,
                Location::position(file.display.clone(), hit.line, hit.col),
                format!(
                    "{field} of `{question}` holds what looks like {} ({}): case records are read across the agencies and should carry no child's identifiers",
                    hit.kind, hit.masked
                ),
            )
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
