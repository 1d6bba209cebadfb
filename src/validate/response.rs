//! cycles/<id>/responses/<agency>.toml: one agency's return.

use super::common::{F, date, personal_data_in, question_of, text, text_enum};
use super::scope::{Scope, rating};
use crate::diag::{Code, Diagnostics, Location, suggest};
use crate::load::Parsed;
use crate::load::raw::{AnswerEntry, ResponseFile, S};
use crate::model::{Answer, Confidence, Date, Framework, Partnership, Question, Rating, Response};
use crate::scan::Scanner;
use std::collections::BTreeMap;

/// Checks one return against the partnership, the cycle's bank and scope. `seen` maps each
/// agency to the file of its first return, so a second one is caught.
#[allow(clippy::too_many_arguments)]
pub(super) fn response(
    stem: &str,
    rf: &Parsed<ResponseFile>,
    partnership: &Partnership,
    fw: &Framework,
    scope: &Scope,
    window: (Option<Date>, Option<Date>),
    seen: &mut BTreeMap<String, String>,
    scanner: &Scanner,
    diags: &mut Diagnostics,
) -> Option<Response> {
    let rfile = &rf.file;
    let r = &rf.value;
    if !agency_counts(stem, rf, partnership, scope, seen, diags) {
        return None;
    }
    let submitted = r.submitted.as_ref().and_then(|s| date(rfile, s, diags));
    let (opened, closed) = window;
    if let (Some(s), Some(o), Some(cl), Some(raw_s)) = (submitted, opened, closed, &r.submitted)
        && (s < o || s > cl)
    {
        diags.warning(
            Code::DateOrder,
            rfile,
            raw_s.span(),
            format!("submitted {s}, outside the cycle's window ({o} to {cl})"),
        );
    }
    let answers = answers(rfile, r, fw, scope, scanner, diags);
    check_completed_by(rfile, r, scanner, diags);
    report_unanswered(rfile, r, fw, scope, diags);
    Some(Response {
        agency: r.agency.get_ref().clone(),
        completed_by: r
            .completed_by
            .as_ref()
            .map(|c| c.get_ref().trim().to_string())
            .unwrap_or_default(),
        submitted,
        answers,
        loc: rfile.loc(0),
    })
}

/// Whether the return's agency is one of the partnership's, in the cycle's scope, and not
/// returned already (false, reported: the return is not read further). A file named for
/// another agency is reported and read on.
fn agency_counts(
    stem: &str,
    rf: &Parsed<ResponseFile>,
    partnership: &Partnership,
    scope: &Scope,
    seen: &mut BTreeMap<String, String>,
    diags: &mut Diagnostics,
) -> bool {
    let rfile = &rf.file;
    let r = &rf.value;
    let agency = r.agency.get_ref();
    if partnership.agencies.iter().all(|a| &a.id != agency) {
        let d = diags.error(
            Code::UnknownReference,
            rfile,
            r.agency.span(),
            format!("unknown agency `{agency}`"),
        );
        match suggest(agency, partnership.agencies.iter().map(|a| a.id.as_str())) {
            Some(s) => d.with_help(s),
            None => d.with_help("agencies are listed in partnership.toml"),
        };
        return false;
    }
    if !scope.includes(agency) {
        diags
            .warning(Code::NotInScope, rfile, r.agency.span(), format!("`{agency}` is not among this cycle's agencies ([scope] agencies); its return is ignored"))
            .with_help("add it to `agencies` under [scope] in cycle.toml, or remove the file");
        return false;
    }
    if stem != agency {
        diags
            .error(
                Code::NameMismatch,
                rfile,
                r.agency.span(),
                format!("this return is for `{agency}` but the file is named `{stem}.toml`"),
            )
            .with_help(format!(
                "name the file `{agency}.toml`, or correct the agency"
            ));
    }
    if let Some(other) = seen.insert(agency.clone(), rfile.display.clone()) {
        diags.error(
            Code::DuplicateId,
            rfile,
            r.agency.span(),
            format!("a second return for `{agency}` (the first is {other})"),
        );
        return false;
    }
    true
}

/// The return's answers to questions in scope, each checked; answers to questions outside the
/// scope are left out with one warning a file, not one an answer.
fn answers(
    rfile: &F,
    r: &ResponseFile,
    fw: &Framework,
    scope: &Scope,
    scanner: &Scanner,
    diags: &mut Diagnostics,
) -> BTreeMap<String, Answer> {
    let mut answers = BTreeMap::new();
    let mut outside: Vec<&S<String>> = Vec::new();
    for (qid, entry) in &r.answers {
        let Some(q) = question_of(fw, rfile, qid, diags) else {
            continue;
        };
        if !scope.asks(q) {
            outside.push(qid);
            continue;
        }
        if let Some(answer) = answer(rfile, q, qid, entry, fw, scanner, diags) {
            answers.insert(q.id.clone(), answer);
        }
    }
    // Skipped when the scope itself is wrong: its own error says what to fix.
    if let Some(first) = outside.first()
        && scope.valid
    {
        let ids: Vec<&str> = outside.iter().map(|q| q.get_ref().as_str()).collect();
        diags.warning(
            Code::NotInScope,
            rfile,
            first.span(),
            format!(
                "{} answer(s) to questions outside this cycle's scope are ignored: {}",
                ids.len(),
                first_eight(&ids)
            ),
        );
    }
    answers
}

/// One answer to question `q` of the scope: its rating and confidence (None, reported, when
/// either cannot be read), its text scanned for personal data, its evidence weighed.
#[allow(clippy::too_many_arguments)]
fn answer(
    rfile: &F,
    q: &Question,
    qid: &S<String>,
    entry: &S<AnswerEntry>,
    fw: &Framework,
    scanner: &Scanner,
    diags: &mut Diagnostics,
) -> Option<Answer> {
    let a = entry.get_ref();
    let rating = rating(rfile, &a.rating, fw, diags);
    let confidence = match &a.confidence {
        Some(c) => text_enum::<Confidence>(rfile, c, "confidence", diags),
        None => {
            if matches!(rating, Some(Rating::Value(_))) {
                diags
                    .warning(
                        Code::WeakAnswer,
                        rfile,
                        entry.span().start..entry.span().start,
                        format!("answer to `{}` gives no confidence; counted as low", q.id),
                    )
                    .with_help("add confidence = \"low\" | \"medium\" | \"high\"");
            }
            Some(Confidence::Low)
        }
    };
    for (field, value) in [
        ("evidence", &a.evidence),
        ("gaps", &a.gaps),
        ("internal", &a.internal),
    ] {
        if let Some(value) = value {
            personal_data(rfile, &q.id, field, value, scanner, diags);
        }
    }
    let evidence = text(&a.evidence).unwrap_or_default();
    if evidence.is_empty() && matches!(rating, Some(Rating::Value(v)) if v > fw.bottom()) {
        diags.warning(
            Code::WeakAnswer,
            rfile,
            a.rating.span(),
            format!(
                "`{}` is rated above the lowest level with no evidence",
                q.id
            ),
        );
    }
    Some(Answer {
        rating: rating?,
        confidence: confidence?,
        evidence,
        gaps: text(&a.gaps),
        internal: text(&a.internal),
        loc: rfile.loc(qid.span().start),
    })
}

/// `completed_by` names a role, not a person.
fn check_completed_by(rfile: &F, r: &ResponseFile, scanner: &Scanner, diags: &mut Diagnostics) {
    if let Some(c) = &r.completed_by
        && let Some(why) = scanner.role_problem(c.get_ref())
    {
        let at = rfile.loc(c.span().start);
        diags
            .warning_at(
                Code::PersonalDataInReturn,
                at,
                format!("completed_by {why}; it should be a role"),
            )
            .with_help("write the role, e.g. \"Head of Public Protection\" or \"Designated Nurse\": returns are read across agencies, and a role still means something when the person has moved on");
    }
}

/// Unanswered questions in scope are reported, never silently skipped; a return that answers
/// nothing is empty, and never counts as returned.
fn report_unanswered(
    rfile: &F,
    r: &ResponseFile,
    fw: &Framework,
    scope: &Scope,
    diags: &mut Diagnostics,
) {
    let answers_in_scope = r
        .answers
        .keys()
        .any(|k| fw.question(k.get_ref()).is_some_and(|q| scope.asks(q)));
    let missing: Vec<&str> = fw
        .questions
        .iter()
        .filter(|q| scope.asks(q) && !r.answers.keys().any(|k| k.get_ref() == &q.id))
        .map(|q| q.id.as_str())
        .collect();
    if !answers_in_scope && !missing.is_empty() {
        diags
            .warning(
                Code::EmptyReturn,
                rfile,
                r.agency.span(),
                format!(
                    "this return answers none of the {} question(s) in scope: it counts as empty, not returned",
                    missing.len()
                ),
            )
            .with_help("send the agency its form again (`panelaudit forms`), or remove the file until the answers come back");
    } else if !missing.is_empty() {
        diags
            .warning(Code::Unanswered, rfile, r.agency.span(), format!("{} question(s) in scope unanswered: {}", missing.len(), first_eight(&missing)))
            .with_help("unanswered questions count as no evidence of assurance; answer them or rate them \"n/a\"");
    }
}

/// Ids for a message: the first eight, then how many more.
fn first_eight(ids: &[&str]) -> String {
    if ids.len() > 8 {
        format!("{} and {} more", ids[..8].join(", "), ids.len() - 8)
    } else {
        ids.join(", ")
    }
}

/// Warns, without echoing it, about personal data in a return's text: returns are read
/// across every agency of the partnership and should carry no child's identifiers. The
/// warning points at the line and column but shows no source line, which would echo it.
fn personal_data(
    rfile: &F,
    question: &str,
    field: &str,
    value: &S<String>,
    scanner: &Scanner,
    diags: &mut Diagnostics,
) {
    for hit in personal_data_in(rfile, value, scanner) {
        diags
            .warning_at(
                Code::PersonalDataInReturn,
                Location::position(rfile.display.clone(), hit.line, hit.col),
                format!(
                    "{field} of `{question}` holds what looks like {} ({}): returns are read across every agency and should carry no child's identifiers",
                    hit.kind, hit.masked
                ),
            )
            .with_help("remove it, or refer to the case by its audit reference; if it is safe to share (the partnership's own contact), add it to `allow` under [publication] in partnership.toml");
    }
}
