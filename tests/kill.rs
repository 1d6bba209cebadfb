//! "Never without a site": `--out` holds one complete site at every instant, even while builds
//! are killed at random moments, the next build cleans what killed ones left, and two builds
//! racing for one `--out` both end with an honest message.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The files whose absence means `--out` is not a complete site.
const MUST_EXIST: &[&str] = &["index.html", ".panelaudit-site"];

fn build_command(out: &Path) -> Command {
    let mut c = Command::new(bin());
    c.env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .current_dir(repo())
        .args(["build", "audits/example", "--out"])
        .arg(out);
    c
}

/// Staging folders (of this target) left beside `out`.
fn staging_left(out: &Path) -> Vec<String> {
    let prefix = format!(
        ".{}.panelaudit-staging-",
        out.file_name().unwrap().to_string_lossy()
    );
    std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&prefix))
        .collect()
}

/// A small xorshift generator: the kill moments vary from run to run, and the seed is printed
/// so a failure can be replayed with PANELAUDIT_KILL_SEED.
struct Rng(u64);

impl Rng {
    fn new() -> (Rng, u64) {
        let seed = std::env::var("PANELAUDIT_KILL_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        (Rng(seed), seed)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Polls `out` about every millisecond until told to stop, recording every instant at which a
/// file of [`MUST_EXIST`] was missing.
struct Watcher {
    stop: Arc<AtomicBool>,
    polls: Arc<AtomicUsize>,
    missing: Arc<Mutex<Vec<String>>>,
    thread: std::thread::JoinHandle<()>,
}

impl Watcher {
    fn start(out: PathBuf) -> Watcher {
        let stop = Arc::new(AtomicBool::new(false));
        let polls = Arc::new(AtomicUsize::new(0));
        let missing = Arc::new(Mutex::new(Vec::new()));
        let (s, p, m) = (stop.clone(), polls.clone(), missing.clone());
        let started = Instant::now();
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                for f in MUST_EXIST {
                    if !out.join(f).exists() {
                        m.lock()
                            .unwrap()
                            .push(format!("{f} missing at {:?}", started.elapsed()));
                    }
                }
                p.fetch_add(1, Ordering::Relaxed);
                std::thread::sleep(Duration::from_micros(500));
            }
        });
        Watcher {
            stop,
            polls,
            missing,
            thread,
        }
    }

    /// (polls made, moments the site was incomplete).
    fn finish(self) -> (usize, Vec<String>) {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap();
        let missing = self.missing.lock().unwrap().clone();
        (self.polls.load(Ordering::Relaxed), missing)
    }
}

#[test]
fn builds_killed_at_random_moments_never_leave_out_without_a_complete_site() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let first = build_command(&out).output().unwrap();
    assert_ok(&first);

    let (mut rng, seed) = Rng::new();
    eprintln!("kill moments from seed {seed} (PANELAUDIT_KILL_SEED={seed} replays them)");
    let watcher = Watcher::start(out.clone());
    let (mut killed, mut finished, mut left_staging) = (0, 0, 0);
    for _ in 0..25 {
        let mut child = build_command(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.below(151)));
        if child.try_wait().unwrap().is_some() {
            finished += 1;
        } else {
            child.kill().unwrap(); // SIGKILL on Unix: no chance to tidy up
            killed += 1;
        }
        child.wait().unwrap();
        if !staging_left(&out).is_empty() {
            left_staging += 1;
        }
    }
    let (polls, missing) = watcher.finish();
    eprintln!(
        "{killed} builds killed, {finished} finished first, {left_staging} left a staging folder; {polls} polls"
    );
    assert!(killed > 0, "no build was killed: the test proves nothing");
    assert!(polls > 100, "the watcher hardly ran ({polls} polls)");
    assert!(
        missing.is_empty(),
        "the watcher saw --out incomplete (seed {seed}):\n{}",
        missing.join("\n")
    );

    // The next build succeeds, cleans every leftover, and the site is whole.
    let last = build_command(&out).output().unwrap();
    assert_ok(&last);
    assert_eq!(staging_left(&out), Vec::<String>::new());
    for f in MUST_EXIST {
        assert!(out.join(f).is_file(), "{f}");
    }
    assert_eq!(
        files(&out),
        files(&{
            let again = tmp.path().join("again");
            assert_ok(&build_command(&again).output().unwrap());
            again
        }),
        "the site after the kills is exactly a fresh build's"
    );
}

#[test]
fn two_builds_racing_for_one_out_both_end_with_an_honest_message() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let mut busy = 0;
    for round in 0..6 {
        let a = build_command(&out)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        let b = build_command(&out)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        let outcomes = [
            a.unwrap().wait_with_output().unwrap(),
            b.unwrap().wait_with_output().unwrap(),
        ];
        let mut ok = 0;
        for o in &outcomes {
            let err = stderr(o);
            assert!(!err.contains("panicked"), "round {round}: {err}");
            match o.status.code() {
                Some(0) => {
                    ok += 1;
                    assert!(
                        stdout(o).contains("built the internal site"),
                        "{}",
                        stdout(o)
                    );
                }
                code => {
                    assert!(
                        err.contains("another panelaudit build is writing to"),
                        "round {round}: exit {code:?} without saying why honestly:\n{err}"
                    );
                    busy += 1;
                }
            }
        }
        assert!(ok >= 1, "round {round}: neither build succeeded");
        for f in MUST_EXIST {
            assert!(out.join(f).is_file(), "round {round}: {f} missing");
        }
        assert_eq!(staging_left(&out), Vec::<String>::new(), "round {round}");
    }
    eprintln!("{busy} of 12 builds were told another build was writing");
}
