//! partnership.toml: the partnership, its agencies, banks and settings.

use super::common::{F, check_id, date, duplicates, non_empty, text, text_enum};
use crate::diag::{Code, Diagnostics, suggest};
use crate::load::Parsed;
use crate::load::raw::{PartnershipFile, PrioritySection, PublicationSection, S};
use crate::model::{Agency, AgencyRole, Disclosure, Framework, Partnership, Sector};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn partnership(
    p: &Parsed<PartnershipFile>,
    all: &BTreeMap<String, (Framework, F)>,
    broken: &BTreeSet<String>,
    diags: &mut Diagnostics,
) -> Option<Partnership> {
    let file = &p.file;
    let raw = &p.value;
    let frameworks = frameworks(file, raw, all, broken, diags);
    let agencies = agencies(file, raw, diags);
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
        approved: publication
            .and_then(|s| s.approved.as_ref())
            .and_then(|d| date(file, d, diags)),
        disclosure: disclosure(file, publication, diags),
        change_threshold: change_threshold(file, raw.priority.as_ref(), diags),
        evidence_window: evidence_window(file, raw.priority.as_ref(), diags),
        loc: file.loc(0),
    };
    // Even with errors here, the other files are checked against what could be read (the
    // audit as a whole is refused at the end): one mistake must not hide the rest.
    Some(p)
}

/// `frameworks = [...]`: at least one, each a known bank listed once. A bank with errors of
/// its own (`broken`) is left out without a second report.
fn frameworks(
    file: &F,
    raw: &PartnershipFile,
    all: &BTreeMap<String, (Framework, F)>,
    broken: &BTreeSet<String>,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let mut frameworks = Vec::new();
    if raw.frameworks.get_ref().is_empty() {
        diags
            .error(
                Code::BadStructure,
                file,
                raw.frameworks.span(),
                "list at least one framework",
            )
            .with_help("`panelaudit frameworks` lists the bundled question banks");
    }
    for f in raw.frameworks.get_ref() {
        if all.contains_key(f.get_ref()) {
            if frameworks.contains(f.get_ref()) {
                diags.error(
                    Code::DuplicateId,
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
                Code::UnknownReference,
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
    frameworks
}

/// `[[agencies]]`: at least one, each id valid and once, with a name and a sector.
fn agencies(file: &F, raw: &PartnershipFile, diags: &mut Diagnostics) -> Vec<Agency> {
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
            contact: a.contact.as_ref().and_then(|c| contact(file, c, diags)),
        });
    }
    if agencies.is_empty() {
        diags
            .error(
                Code::BadStructure,
                file,
                0..0,
                "no agencies: add at least one [[agencies]] table",
            )
            .with_help("each agency has an id, name, sector and statutory = true|false");
    }
    agencies
}

/// The smallest counts public pages may show: whole numbers from 1 to 100, defaults where
/// not given.
fn disclosure(
    file: &F,
    publication: Option<&PublicationSection>,
    diags: &mut Diagnostics,
) -> Disclosure {
    let mut d = Disclosure::default();
    let Some(p) = publication else { return d };
    use crate::disclosure::{FLOOR_AGENCIES, FLOOR_CASES, FLOOR_RESPONSES};
    for (value, slot, what, floor) in [
        (
            &p.min_agencies,
            &mut d.min_agencies,
            "min_agencies",
            FLOOR_AGENCIES,
        ),
        (&p.min_cases, &mut d.min_cases, "min_cases", FLOOR_CASES),
        (
            &p.min_responses,
            &mut d.min_responses,
            "min_responses",
            FLOOR_RESPONSES,
        ),
    ] {
        let help = format!(
            "it is the smallest count a public page may show; {floor} is the floor: a partnership may raise it, never lower it"
        );
        if let Some(n) = value
            .as_ref()
            .and_then(|v| whole_number(file, v, floor..=100, what, &help, diags))
        {
            *slot = n;
        }
    }
    d
}

/// A setting that is a whole number in `range`; an error naming it otherwise.
fn whole_number(
    file: &F,
    v: &S<i64>,
    range: std::ops::RangeInclusive<usize>,
    what: &str,
    help: &str,
    diags: &mut Diagnostics,
) -> Option<usize> {
    match usize::try_from(*v.get_ref()) {
        Ok(n) if range.contains(&n) => Some(n),
        _ => {
            diags
                .error(
                    Code::OutOfRange,
                    file,
                    v.span(),
                    format!(
                        "{what} must be a whole number from {} to {}",
                        range.start(),
                        range.end()
                    ),
                )
                .with_help(help);
            None
        }
    }
}

/// `[priority] change_threshold`: the smallest move, in scale points, that counts as a rise or
/// a fall: above 0 and at most 10 (default 0.25).
fn change_threshold(file: &F, priority: Option<&PrioritySection>, diags: &mut Diagnostics) -> f64 {
    const DEFAULT: f64 = 0.25;
    let Some(v) = priority.and_then(|p| p.change_threshold.as_ref()) else {
        return DEFAULT;
    };
    let x = *v.get_ref();
    if x.is_finite() && x > 0.0 && x <= 10.0 {
        x
    } else {
        diags
            .error(
                Code::OutOfRange,
                file,
                v.span(),
                "change_threshold must be a number of scale points above 0 and at most 10",
            )
            .with_help("0.25 means a quarter of a level on the rating scale");
        DEFAULT
    }
}

/// `[priority] evidence_window`: how many of the latest deep dives weigh on a self-assessment,
/// 0 to 20 (default 2).
fn evidence_window(file: &F, priority: Option<&PrioritySection>, diags: &mut Diagnostics) -> usize {
    const DEFAULT: usize = 2;
    let Some(v) = priority.and_then(|p| p.evidence_window.as_ref()) else {
        return DEFAULT;
    };
    whole_number(
        file,
        v,
        0..=20,
        "evidence_window",
        "0 leaves deep dives out of the main cycle's scores",
        diags,
    )
    .unwrap_or(DEFAULT)
}

/// An agency's `contact`: one email address, bare (`safeguarding@police.example`) or with a
/// display name (`Safeguarding Hub <safeguarding@police.example>`), as a mail program writes
/// it. `chase` puts it in the To line of the agency's email.
fn contact(file: &F, c: &S<String>, diags: &mut Diagnostics) -> Option<String> {
    let text = c.get_ref().trim();
    if email_address(text).is_some() {
        return Some(text.to_string());
    }
    diags
        .error(
            Code::BadContact,
            file,
            c.span(),
            "`contact` is not an email address",
        )
        .with_help("write the agency's role mailbox, e.g. contact = \"safeguarding@police.example\" or \"Safeguarding Hub <safeguarding@police.example>\"; one address");
    None
}

/// The address in a contact (`a@b.example`, or the part in angle brackets), when it is one.
pub fn email_address(contact: &str) -> Option<&str> {
    let contact = contact.trim();
    let addr = match (contact.rfind('<'), contact.strip_suffix('>')) {
        (Some(open), Some(rest)) => {
            let name = &contact[..open];
            if name.contains(['<', '>', '"', '\n', '\r', ',', ';']) {
                return None;
            }
            &rest[open + 1..]
        }
        _ => contact,
    };
    let (local, domain) = addr.split_once('@')?;
    let plain = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|ch| ch.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(ch))
            && !s.starts_with('.')
            && !s.ends_with('.')
            && !s.contains("..")
    };
    (plain(local) && plain(domain) && domain.contains('.') && !domain.contains(['/', '=']))
        .then_some(addr)
}

#[cfg(test)]
mod contact_tests {
    use super::email_address;

    #[test]
    fn a_contact_is_one_address_bare_or_with_a_name() {
        assert_eq!(
            email_address("safeguarding@police.example"),
            Some("safeguarding@police.example")
        );
        assert_eq!(
            email_address("Safeguarding Hub <hub@council.example>"),
            Some("hub@council.example")
        );
        for bad in [
            "",
            "Safeguarding team",
            "hub@council",
            "a@b.example, c@d.example",
            "hub @council.example",
            "<hub@council.example",
            "Hub <x> <hub@council.example>",
            "hub@council.example\nBcc: x@y.example",
        ] {
            assert_eq!(email_address(bad), None, "{bad}");
        }
    }
}
