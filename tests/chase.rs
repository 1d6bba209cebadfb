//! `panelaudit chase`: one standard `.eml` a late agency, that Python's `email` module (as any
//! mail program) reads as a message with To, Subject, a plain-text body saying what is missing
//! question by question, and the agency's own form attached; a summary list; nothing sent.

use crate::common::*;
use std::path::{Path, PathBuf};

/// The xlsx fixture partnership, with a role mailbox for the police and a reply address.
fn testshire(tmp: &Path) -> PathBuf {
    let p = tmp.join("testshire");
    copy_tree(&repo().join("tests/fixtures/xlsx/testshire"), &p);
    let toml = std::fs::read_to_string(p.join("partnership.toml")).unwrap();
    let toml = toml.replacen(
        "sector = \"police\"\n",
        "sector = \"police\"\ncontact = \"Public Protection Unit <ppu@police.testshire.example>\"\n",
        1,
    ) + "\n[publication]\ncontact = \"qa@tscp.testshire.example\"\nallow = [\"qa@tscp.testshire.example\"]\n";
    std::fs::write(p.join("partnership.toml"), toml).unwrap();
    p
}

/// Reads an .eml with Python's standard `email` package: the headers, the text and each
/// attachment (saved beside the .eml). The test needs python3, and fails without it.
fn parse(eml: &Path) -> serde_json::Value {
    let script = r#"
import email, json, sys
from email import policy
path = sys.argv[1]
with open(path, 'rb') as f:
    msg = email.message_from_binary_file(f, policy=policy.default)
out = {k: str(msg[k]) for k in ('To', 'Reply-To', 'Subject', 'Date', 'X-Unsent')}
out['defects'] = len(msg.defects)
out['body'] = msg.get_body(preferencelist=('plain',)).get_content()
out['attachments'] = []
for part in msg.iter_attachments():
    data = part.get_payload(decode=True)
    name = part.get_filename()
    with open(path + '.' + name, 'wb') as f:
        f.write(data)
    out['attachments'].append({'name': name, 'type': part.get_content_type(), 'size': len(data)})
print(json.dumps(out))
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(eml)
        .output()
        .expect("python3 is needed to read the emails back (install python3)");
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Text with its line wrapping undone.
fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn chase_writes_a_standard_email_per_late_agency_with_its_form_attached() {
    let tmp = tempfile::tempdir().unwrap();
    let p = testshire(tmp.path());
    let out = run_in(tmp.path(), &["chase", "testshire", "--out", "chase"]);
    assert_ok(&out);
    let said = stdout(&out);
    assert!(
        said.contains("3 email(s) in chase, with summary.csv; nothing was sent"),
        "{said}"
    );
    assert!(said.contains("police.eml: police (not received), 5 question(s); to Public Protection Unit <ppu@police.testshire.example>"), "{said}");
    assert!(said.contains("school-forum.eml: school-forum (not received), 5 question(s); to nobody yet: add `contact"), "{said}");
    let summary = std::fs::read_to_string(tmp.path().join("chase/summary.csv")).unwrap();
    assert_eq!(
        summary.lines().nth(1),
        Some("council,Testshire Council children's services,2 of 5 answered,3,,council.eml")
    );

    let police = parse(&tmp.path().join("chase/police.eml"));
    assert_eq!(police["defects"], 0, "{police}");
    assert_eq!(
        police["To"],
        "Public Protection Unit <ppu@police.testshire.example>"
    );
    assert_eq!(police["Reply-To"], "qa@tscp.testshire.example");
    assert_eq!(police["X-Unsent"], "1");
    assert_eq!(
        police["Subject"],
        "TSCP Annual self-audit 2025-26: your return is awaited (due 28 November 2025)"
    );
    let body = flat(police["body"].as_str().unwrap());
    for want in [
        "Dear colleagues at Testshire Police,",
        "We have not yet received your return.",
        "Please send it by 28 November 2025.",
        "The questions to answer:",
        "fa-s-01",
        "ss-p-02",
        "send it to qa@tscp.testshire.example",
    ] {
        assert!(body.contains(want), "{want}\n{body}");
    }
    let attached = &police["attachments"][0];
    assert_eq!(attached["name"], "police-2025-26.xlsx");
    assert_eq!(
        attached["type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );

    // The council's email lists only what it has not answered, and never another agency's
    // answers; its attachment is its own form, pre-filled, which imports back unchanged.
    let council = parse(&tmp.path().join("chase/council.eml"));
    let body = flat(council["body"].as_str().unwrap());
    assert!(
        body.contains("It answers 2 of the 5 questions; 3 still need an answer"),
        "{body}"
    );
    assert!(!body.contains("fa-s-01 "), "{body}");
    assert!(body.contains("fa-p-01"), "{body}");
    assert!(
        council["To"] == serde_json::Value::String("None".into()),
        "{council}"
    );
    let form = tmp.path().join("chase/council.eml.council-2025-26.xlsx");
    let back = run_in(tmp.path(), &["import", "testshire", form.to_str().unwrap()]);
    assert_ok(&back);
    assert!(stdout(&back).contains("1 unchanged"), "{}", stdout(&back));

    // Run again on the same day: the same bytes, nothing refused. A changed email is never
    // replaced.
    assert_ok(&run_in(
        tmp.path(),
        &["chase", "testshire", "--out", "chase"],
    ));
    std::fs::write(tmp.path().join("chase/police.eml"), "edited").unwrap();
    let again = run_in(tmp.path(), &["chase", "testshire", "--out", "chase"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("already there and different"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("chase/police.eml")).unwrap(),
        "edited"
    );
    // Never into the partnership folder.
    let inside = run_in(
        tmp.path(),
        &["chase", "testshire", "--out", "testshire/chase"],
    );
    assert_eq!(inside.status.code(), Some(1));
    assert!(!p.join("chase").exists());
}
