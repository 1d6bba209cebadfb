//! Whether a "completed by" looks like a person's name rather than a role.
//!
//! A return records who completed it as a role ("Head of Public Protection"): returns are read
//! across every agency of the partnership, and a role still means something when the person
//! has moved on. A name is two or three capitalised words with no word that names a role, a
//! team or a service; or, in any case, one to three words after a title or a rank, written
//! out or abbreviated ("Dr Patel", "DS Joanne Pritchard", "detective sergeant j pritchard",
//! "Prof. A. Smith"), where the words are not a role ("Detective Sergeant, Public
//! Protection" is a role).

/// Words that make a phrase a role, a team or a service rather than a person.
const ROLE_WORDS: &[&str] = &[
    "adviser",
    "advisor",
    "analyst",
    "assistant",
    "assurance",
    "board",
    "care",
    "chair",
    "chief",
    "children",
    "children's",
    "clinical",
    "commissioner",
    "consultant",
    "coordinator",
    "co-ordinator",
    "council",
    "deputy",
    "department",
    "designate",
    "designated",
    "detective",
    "director",
    "doctor",
    "early",
    "education",
    "executive",
    "governor",
    "group",
    "head",
    "headteacher",
    "health",
    "help",
    "hub",
    "inspector",
    "justice",
    "lead",
    "manager",
    "mental",
    "named",
    "nurse",
    "office",
    "officer",
    "operations",
    "paediatrician",
    "panel",
    "partnership",
    "police",
    "policy",
    "practice",
    "practitioner",
    "principal",
    "probation",
    "protection",
    "public",
    "quality",
    "school",
    "secretary",
    "safeguarding",
    "senior",
    "sergeant",
    "service",
    "services",
    "social",
    "specialist",
    "strategic",
    "subgroup",
    "superintendent",
    "teacher",
    "team",
    "trust",
    "unit",
    "worker",
    "youth",
    // Teams and services known by their initials, and words that are never part of a name.
    "mash",
    "camhs",
    "dsl",
    "lado",
    "marac",
    "mappa",
    "cid",
    "ppu",
    "teams",
    "of",
    "in",
    "for",
    "and",
    "the",
    "to",
    "at",
    "on",
];

/// Titles and ranks that come before a person's name: courtesy and professional titles, and
/// the ranks of the police, written out or abbreviated (compared in lower case, without dots).
pub(super) const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "master",
    "dr",
    "doctor",
    "prof",
    "professor",
    "sir",
    "dame",
    "lady",
    "lord",
    "rev",
    "revd",
    "reverend",
    "cllr",
    "councillor",
    "pc",
    "dc",
    "ps",
    "ds",
    "sgt",
    "sergeant",
    "insp",
    "inspector",
    "di",
    "dci",
    "ci",
    "chinsp",
    "supt",
    "superintendent",
    "dsupt",
    "chsupt",
    "dcs",
    "acc",
    "dcc",
    "cc",
    "constable",
    "pcso",
    "cmdr",
    "commander",
    "det",
    "detective",
    "chief",
    "assistant",
    "deputy",
];

/// A word written like a name: a capital, then lowercase letters (O'Neil, Smith-Jones too).
fn name_word(w: &str) -> bool {
    let pieces: Vec<&str> = w.split(['\'', '’', '-']).collect();
    pieces.iter().all(|p| {
        let mut chars = p.chars();
        chars.next().is_some_and(char::is_uppercase) && chars.all(char::is_lowercase)
    }) && pieces.iter().any(|p| p.chars().count() >= 2)
}

/// One comma- or bracket-separated part: "Sarah Okafor", "Dr A Patel" or "DS Joanne
/// Pritchard" is a name.
fn part_is_name(part: &str) -> bool {
    let words: Vec<&str> = part
        .split_whitespace()
        .map(|w| w.trim_end_matches('.'))
        .filter(|w| !w.is_empty())
        .collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let titled = lower
        .iter()
        .take_while(|w| TITLES.contains(&w.as_str()))
        .count();
    let rest = &words[titled..];
    if lower[titled..]
        .iter()
        .any(|w| ROLE_WORDS.contains(&w.as_str()))
    {
        return false;
    }
    let initial = |w: &&str| w.chars().count() == 1 && w.chars().all(char::is_alphabetic);
    if titled > 0 {
        // After a title any case will do: "ds joanne pritchard" names her as plainly.
        let any_case = |w: &&str| {
            w.split(['\'', '’', '-'])
                .all(|p| !p.is_empty() && p.chars().all(char::is_alphabetic))
        };
        return (1..=3).contains(&rest.len()) && rest.iter().all(any_case);
    }
    (2..=3).contains(&rest.len())
        && rest.iter().all(|w| name_word(w) || initial(w))
        && rest.iter().any(|w| name_word(w))
}

/// Whether `completed_by` holds what looks like a person's name (alone or beside a role).
pub fn looks_like_a_name(completed_by: &str) -> bool {
    completed_by
        .split([',', '(', ')', ';', '/', '–', '—'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .any(part_is_name)
}

#[cfg(test)]
mod tests {
    use super::looks_like_a_name;

    #[test]
    fn names_are_told_from_roles() {
        for name in [
            "Sarah Okafor",
            "Sarah Okafor, Designated Nurse",
            "Designated Nurse (Sarah Okafor)",
            "Mary Anne O'Neil",
            "Dr Patel",
            "Dr A Patel",
            "Jo Smith-Jones",
            "DS Joanne Pritchard",
            "ds joanne pritchard",
            "DS JOANNE PRITCHARD",
            "Detective Sergeant Joanne Pritchard",
            "Det. Sgt. J. Pritchard",
            "Chief Inspector Hale",
            "PC Rowan Tilsey",
            "Insp. Tilsey",
            "Supt Hale, Public Protection",
            "Mrs Okafor",
            "MISS okafor",
            "Prof. A. Smith",
            "Doctor Patel",
            "Head of Safeguarding (Mr J O'Neil)",
        ] {
            assert!(looks_like_a_name(name), "{name}");
        }
        for role in [
            "Head of Public Protection",
            "Designated Nurse",
            "Named Doctor",
            "Safeguarding Lead",
            "DSL",
            "CAMHS Team Manager",
            "Director of Children's Services",
            "Service Manager, MASH",
            "",
            "Panel Chair",
            "head of service",
            "Detective Sergeant",
            "Detective Sergeant, Public Protection",
            "Chief Inspector",
            "Chief Superintendent Public Protection",
            "Deputy Designated Nurse",
            "Chief Executive",
            "Dr",
            "DI MASH",
            "Deputy Head of Service",
        ] {
            assert!(!looks_like_a_name(role), "{role}");
        }
    }
}
