//! Property test: the loaders and validators never panic, whatever bytes a user's files hold.
//! Each case mutates one file of the valid fixture (random edits, or wholly arbitrary text)
//! and runs load + validate through the library. Bounded: a fixed number of cases per file.

use crate::common::*;
use panelaudit::diag::Diagnostics;
use proptest::prelude::*;
use std::path::Path;

const FILES: &[&str] = &[
    "partnership.toml",
    "frameworks/mini.toml",
    "metrics.toml",
    "metrics.csv",
    "actions.toml",
    "cycles/2025-26/cycle.toml",
    "cycles/2025-26/responses/council.toml",
    "cycles/2025-26/moderation.toml",
    "briefings/learning-2025-26.md",
    "publication/deny.txt",
];

#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, String),
    Delete(usize, usize),
    Replace(usize, u8),
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let n = bytes.len().max(1);
        match e {
            Edit::Insert(at, s) => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, s.bytes());
            }
            Edit::Delete(at, len) => {
                let at = at % n;
                let end = (at + len).min(bytes.len());
                if at < end {
                    bytes.drain(at..end);
                }
            }
            Edit::Replace(at, b) => {
                if !bytes.is_empty() {
                    let at = at % bytes.len();
                    bytes[at] = *b;
                }
            }
        }
    }
    bytes
}

fn edit() -> impl Strategy<Value = Edit> {
    // Inserted text favours what breaks TOML and Markdown: quotes, brackets, equals, newlines.
    let snippet = prop_oneof![
        Just("\"".to_string()),
        Just("[".to_string()),
        Just("]]".to_string()),
        Just(" = ".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("+++\n".to_string()),
        Just("\"\"\"".to_string()),
        Just("n/a".to_string()),
        Just("-1".to_string()),
        Just("1e999".to_string()),
        Just("2025-02-30".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        ".{0,12}",
    ];
    prop_oneof![
        (any::<usize>(), snippet).prop_map(|(a, s)| Edit::Insert(a, s)),
        (any::<usize>(), 0usize..40).prop_map(|(a, l)| Edit::Delete(a, l)),
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Edit::Replace(a, b)),
    ]
}

fn load_and_validate(dir: &Path) {
    let mut diags = Diagnostics::new();
    let raw = panelaudit::load::load_partnership(dir, &mut diags);
    let _ = panelaudit::validate::validate(&raw, &mut diags);
    // Rendering every diagnostic exercises the span and caret arithmetic too.
    let _ = diags.render();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, failure_persistence: None, .. ProptestConfig::default() })]

    #[test]
    fn edited_files_never_panic(file in 0..FILES.len(), edits in prop::collection::vec(edit(), 1..6)) {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("p");
        copy_tree(&repo().join("tests/fixtures/valid"), &p);
        let path = p.join(FILES[file]);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, apply(bytes, &edits)).unwrap();
        load_and_validate(&p);
    }

    #[test]
    fn arbitrary_bytes_never_panic(file in 0..FILES.len(), bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("p");
        copy_tree(&repo().join("tests/fixtures/valid"), &p);
        std::fs::write(p.join(FILES[file]), bytes).unwrap();
        load_and_validate(&p);
    }
}
