//! Whether a "completed by" looks like a person's name rather than a role.
//!
//! A return records who completed it as a role ("Head of Public Protection"): returns are read
//! across every agency of the partnership, and a role still means something when the person
//! has moved on. A name is two or three capitalised words (after an optional title such as
//! "Dr") with no word that names a role, a team or a service.

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
];

const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sir",
];

/// A word written like a name: a capital, then lowercase letters (O'Neil, Smith-Jones too).
fn name_word(w: &str) -> bool {
    let pieces: Vec<&str> = w.split(['\'', '’', '-']).collect();
    pieces.iter().all(|p| {
        let mut chars = p.chars();
        chars.next().is_some_and(char::is_uppercase) && chars.all(char::is_lowercase)
    }) && pieces.iter().any(|p| p.chars().count() >= 2)
}

/// One comma- or bracket-separated part: "Sarah Okafor" or "Dr A Patel" is a name.
fn part_is_name(part: &str) -> bool {
    let words: Vec<&str> = part
        .split_whitespace()
        .map(|w| w.trim_end_matches('.'))
        .collect();
    if words
        .iter()
        .any(|w| ROLE_WORDS.contains(&w.to_lowercase().as_str()))
    {
        return false;
    }
    let (title, rest) = match words.split_first() {
        Some((t, rest)) if TITLES.contains(&t.to_lowercase().as_str()) => (true, rest),
        _ => (false, words.as_slice()),
    };
    let initial = |w: &&str| w.chars().count() == 1 && w.chars().all(char::is_uppercase);
    let enough = if title { 1..=3 } else { 2..=3 };
    enough.contains(&rest.len())
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
        ] {
            assert!(!looks_like_a_name(role), "{role}");
        }
    }
}
