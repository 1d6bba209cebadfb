//! Learning briefings: `brief` drafts one from a cycle (its sections, filled from the files,
//! and nothing internal), never overwrites; `draft = true` is refused by a public build and
//! marked in an internal one; briefing pages keep their outline; `serve` answers on loopback.

use crate::common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

const TABLETOP: &str = "2025-03-tabletop";

/// A copy of the worked example, to change freely.
fn example() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("nscp");
    copy_tree(&repo().join("audits/example"), &dir);
    (tmp, dir)
}

/// Puts a marker at the start of every `evidence` and `gaps` text of a cycle's returns, an
/// `internal` note in every answer, and a moderation note beside a public summary.
fn plant_internal_markers(dir: &Path, cycle: &str) {
    let responses = dir.join("cycles").join(cycle).join("responses");
    for entry in std::fs::read_dir(&responses).unwrap() {
        let p = entry.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        let mut out = String::new();
        for line in text.lines() {
            let marked = [
                ("evidence = ", "EVIDENCE-MARKER"),
                ("gaps = ", "GAPS-MARKER"),
            ]
            .iter()
            .find(|(k, _)| line.starts_with(k))
            .map(|(_, m)| {
                if line.contains("\"\"\"") {
                    line.replacen("\"\"\"", &format!("\"\"\"{m} "), 1)
                } else {
                    line.replacen('"', &format!("\"{m} "), 1)
                }
            });
            out.push_str(marked.as_deref().unwrap_or(line));
            out.push('\n');
            if line.starts_with("[answers.") {
                out.push_str("internal = \"INTERNAL-MARKER\"\n");
            }
        }
        std::fs::write(&p, out).unwrap();
    }
    std::fs::write(
        dir.join("cycles").join(cycle).join("moderation.toml"),
        "moderated_on = 2025-03-28\n[questions.nmb-s-01]\nrating = 1\nnote = \"MODERATION-NOTE-MARKER\"\npublic_summary = \"The panel agreed the protocol needs rewriting before it can be relied on.\"\n",
    )
    .unwrap();
}

fn brief(dir: &Path, out: &Path, cycle: Option<&str>) -> std::process::Output {
    let mut args = vec!["brief", dir.to_str().unwrap()];
    if let Some(c) = cycle {
        args.extend(["--cycle", c]);
    }
    args.extend(["--out", out.to_str().unwrap()]);
    run_in(&repo(), &args)
}

#[test]
fn the_draft_has_the_learning_journey_filled_from_the_cycle() {
    let (tmp, dir) = example();
    let out = tmp.path().join("draft.md");
    let o = brief(&dir, &out, Some(TABLETOP));
    assert_ok(&o);
    let md = std::fs::read_to_string(&out).unwrap();
    for front in [
        "audience = \"public\"",
        "cycle = \"2025-03-tabletop\"",
        "draft = true",
        "date = 2025-11-28",
        "title = ",
        "summary = ",
    ] {
        assert!(md.contains(front), "front matter lacks {front}:\n{md}");
    }
    let sections = [
        "## What did we do and how?",
        "## What good practice did we find?",
        "## What else did we find?",
        "## What can we learn?",
        "## The results in figures",
        "## Recommendations: what the partnership will do",
        "## What can you do?",
        "## Reflective questions for supervision and team meetings",
    ];
    let mut at = 0;
    for s in sections {
        let found = md[at..]
            .find(s)
            .unwrap_or_else(|| panic!("{s} missing or out of order:\n{md}"));
        at += found + s.len();
    }
    // Filled from the files: findings by kind, the results worst first, the open actions with
    // owners and dates, the riskiest questions' prompts, and the agencies in counts.
    for filled in [
        "### Health visitors see where babies sleep",
        "### Fathers and male carers were named but not met",
        "### See the sleeping place, not only ask about it",
        "- **Fathers and male carers**: limited assurance, over 5 questions",
        "led by Designated Doctor for Safeguarding Children, by 31 October 2025",
        "- The sleeping place was seen, not only described",
        "6 agencies were asked to take part",
        "6 of the 6 agencies asked sent their full return",
        "Our audit found least assurance here: “Do conference chairs and reviewing officers check",
    ] {
        assert!(md.contains(filled), "the draft lacks {filled}:\n{md}");
    }
    // The main cycle by default, with its like-for-like comparison.
    let main = tmp.path().join("main.md");
    assert_ok(&brief(&dir, &main, None));
    let md = std::fs::read_to_string(&main).unwrap();
    assert!(md.contains("cycle = \"2025-26\""), "{md}");
    assert!(
        md.contains(
            "over the 27 questions both asked and rated: 6 rose, 3 fell and 18 held steady"
        ),
        "{md}"
    );
}

#[test]
fn the_draft_carries_nothing_internal_and_passes_the_public_check_once_approved() {
    let (tmp, dir) = example();
    plant_internal_markers(&dir, TABLETOP);
    let out = dir.join("briefings/tabletop-draft.md");
    assert_ok(&brief(&dir, &out, Some(TABLETOP)));
    let md = std::fs::read_to_string(&out).unwrap();
    for marker in [
        "EVIDENCE-MARKER",
        "GAPS-MARKER",
        "INTERNAL-MARKER",
        "MODERATION-NOTE-MARKER",
    ] {
        assert!(
            !md.contains(marker),
            "{marker} leaked into the draft:\n{md}"
        );
    }
    assert!(
        md.contains("The panel agreed the protocol needs rewriting"),
        "the moderated public summary is used:\n{md}"
    );
    // A draft: the public check refuses it, naming the file.
    let o = run_in(&repo(), &["check", dir.to_str().unwrap(), "--public"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("tabletop-draft.md: a draft is never published"),
        "{}",
        stderr(&o)
    );
    // Approved (the draft line removed), it passes.
    let approved: String = md
        .lines()
        .filter(|l| *l != "draft = true")
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&out, approved).unwrap();
    let o = run_in(&repo(), &["check", dir.to_str().unwrap(), "--public"]);
    assert_ok(&o);
    assert!(
        stdout(&o).contains("nothing personal found"),
        "{}",
        stdout(&o)
    );
    drop(tmp);
}

#[test]
fn brief_never_overwrites_a_file() {
    let (tmp, dir) = example();
    let out = tmp.path().join("exists.md");
    std::fs::write(&out, "mine").unwrap();
    let o = brief(&dir, &out, Some(TABLETOP));
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
    assert!(stderr(&o).contains("never overwrites"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "mine");
}

#[test]
fn a_draft_is_refused_by_a_public_build_and_marked_in_an_internal_one() {
    let (tmp, dir) = example();
    let out = dir.join("briefings/new-draft.md");
    assert_ok(&brief(&dir, &out, Some(TABLETOP)));
    let d = dir.to_str().unwrap();
    // check: a warning, not an error.
    let o = run_in(&repo(), &["check", d]);
    assert_ok(&o);
    assert!(stderr(&o).contains("warning[PA0901]"), "{}", stderr(&o));
    // A public build refuses it and writes nothing.
    let public = tmp.path().join("public");
    let o = run_in(
        &repo(),
        &[
            "build",
            d,
            "--audience",
            "public",
            "--out",
            public.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("new-draft.md"), "{err}");
    assert!(
        err.contains("a draft is never published; remove `draft = true` when it is approved"),
        "{err}"
    );
    assert!(!public.join("index.html").exists());
    // An internal build shows it, marked as a draft, on its page, the list and the overview.
    let internal = tmp.path().join("internal");
    assert_ok(&run_in(
        &repo(),
        &["build", d, "--out", internal.to_str().unwrap()],
    ));
    let page = std::fs::read_to_string(internal.join("briefings/new-draft/index.html")).unwrap();
    assert!(page.contains("Draft: not yet approved"), "{page}");
    let list = std::fs::read_to_string(internal.join("briefings/index.html")).unwrap();
    assert!(list.contains("Draft</strong>"), "{list}");
    let overview = std::fs::read_to_string(internal.join("index.html")).unwrap();
    assert!(
        overview.contains("briefings/new-draft/index.html"),
        "{overview}"
    );
}

/// The heading levels of a page, in order.
fn heading_levels(html: &str) -> Vec<u8> {
    html.match_indices("<h")
        .filter_map(|(i, _)| {
            let b = html.as_bytes().get(i + 2)?;
            let after = html.as_bytes().get(i + 3)?;
            (b.is_ascii_digit() && (*after == b'>' || *after == b' ')).then(|| b - b'0')
        })
        .collect()
}

#[test]
fn briefing_pages_keep_their_outline_and_link_to_the_site() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    assert_ok(&run_in(
        &repo(),
        &[
            "build",
            "audits/example",
            "--audience",
            "public",
            "--out",
            site.to_str().unwrap(),
        ],
    ));
    let mut seen = 0;
    for entry in std::fs::read_dir(site.join("briefings")).unwrap() {
        let p = entry.unwrap().path().join("index.html");
        if !p.exists() {
            continue;
        }
        let html = std::fs::read_to_string(&p).unwrap();
        let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
        let levels = heading_levels(main);
        assert_eq!(levels.first(), Some(&1), "{}: {levels:?}", p.display());
        for w in levels.windows(2) {
            assert!(
                w[1] <= w[0] + 1,
                "{}: a heading skips a level: {levels:?}",
                p.display()
            );
        }
        seen += 1;
    }
    assert!(seen >= 2, "only {seen} briefing pages");
    // The tabletop briefing's shorthand links lead to pages that exist.
    let page = site.join("briefings/learning-from-2025-03-tabletop/index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    for href in [
        "../../questions/fmc-p-02/index.html",
        "../../cycles/2025-03-tabletop/index.html",
        "../../briefings/learning-from-2025-26-self-audit/index.html",
    ] {
        assert!(html.contains(&format!("href=\"{href}\"")), "{href}");
        assert!(
            page.parent().unwrap().join(href).exists(),
            "{href} has no page"
        );
    }
    // Linked from the overview, its cycle's page and the themes it covers.
    let overview = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(overview.contains("briefings/learning-from-2025-03-tabletop/index.html"));
    let cycle = std::fs::read_to_string(site.join("cycles/2025-03-tabletop/index.html")).unwrap();
    assert!(
        cycle.contains("learning-from-2025-03-tabletop"),
        "cycle page"
    );
    let theme =
        std::fs::read_to_string(site.join("themes/children-mental-health/index.html")).unwrap();
    assert!(theme.contains("Briefings on this theme"), "theme page");
    assert!(theme.contains("briefings/learning-from-2025-26-self-audit/index.html"));
}

#[test]
fn serve_answers_on_loopback_with_the_page_and_refuses_other_addresses() {
    let o = run_in(
        &repo(),
        &["serve", "audits/example", "--address", "0.0.0.0"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("127.0.0.1 only"), "{}", stderr(&o));

    let mut child = std::process::Command::new(bin())
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .current_dir(repo())
        .args(["serve", "audits/example", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let line = rx.recv_timeout(Duration::from_secs(60));
    let result = (|| -> Result<String, String> {
        let line = line.map_err(|_| "serve did not start within 60 s".to_string())?;
        let start = line
            .find("http://127.0.0.1:")
            .ok_or(format!("no address in {line}"))?;
        let addr = line[start + 7..].split('/').next().unwrap().to_string();
        let mut s = std::net::TcpStream::connect(&addr).map_err(|e| e.to_string())?;
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(
            s,
            "GET /index.html HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .map_err(|e| e.to_string())?;
        let mut body = String::new();
        s.read_to_string(&mut body).map_err(|e| e.to_string())?;
        Ok(body)
    })();
    // Ctrl-C stops it cleanly (exit 0), within a bounded wait; a kill if it does not.
    #[cfg(unix)]
    let stopped = {
        // SAFETY: sending a signal to our own child process.
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        let mut status = None;
        while status.is_none() && std::time::Instant::now() < deadline {
            status = child.try_wait().unwrap();
            std::thread::sleep(Duration::from_millis(100));
        }
        status
    };
    #[cfg(not(unix))]
    let stopped: Option<std::process::ExitStatus> = None;
    if stopped.is_none() {
        let _ = child.kill();
    }
    let _ = child.wait();
    let body = result.unwrap();
    #[cfg(unix)]
    {
        assert_eq!(
            stopped.and_then(|s| s.code()),
            Some(0),
            "Ctrl-C stops serve cleanly"
        );
        let said: Vec<String> = rx.try_iter().collect();
        assert!(said.iter().any(|l| l.contains("stopped")), "{said:?}");
    }
    assert!(
        body.starts_with("HTTP/1.1 200"),
        "{}",
        &body[..body.len().min(200)]
    );
    assert!(body.contains("Northmoor Safeguarding Children Partnership"));
    assert!(
        body.contains("Internal: not for publication"),
        "the internal site"
    );
    assert!(
        body.contains("<script src=\"/__panelaudit/reload.js\" data-version="),
        "the reload script is served"
    );
}

#[test]
fn built_files_never_carry_the_reload_script() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    assert_ok(&run_in(
        &repo(),
        &["build", "audits/example", "--out", site.to_str().unwrap()],
    ));
    for (path, bytes) in files(&site) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__panelaudit"),
            "{path} carries the reload script"
        );
    }
}

#[test]
fn a_link_to_a_page_the_site_lacks_is_a_warning_and_keeps_only_its_text() {
    let (tmp, dir) = example();
    let file = dir.join("briefings/learning-from-2025-03-tabletop.md");
    let mut md = std::fs::read_to_string(&file).unwrap();
    md.push_str("\nSee [the missing question](question:zz-s-99).\n");
    std::fs::write(&file, md).unwrap();
    let o = run_in(&repo(), &["check", dir.to_str().unwrap()]);
    assert_ok(&o);
    let err = stderr(&o);
    assert!(err.contains("warning[PA0902]"), "{err}");
    assert!(err.contains("question `zz-s-99`"), "{err}");
    let site = tmp.path().join("site");
    assert_ok(&run_in(
        &repo(),
        &[
            "build",
            dir.to_str().unwrap(),
            "--out",
            site.to_str().unwrap(),
        ],
    ));
    let html =
        std::fs::read_to_string(site.join("briefings/learning-from-2025-03-tabletop/index.html"))
            .unwrap();
    assert!(html.contains("See the missing question."), "the text stays");
    assert!(!html.contains("zz-s-99"), "no link to nothing");
}

/// Starts `serve` on `dir` on a free port; the child and its address (`127.0.0.1:PORT`).
fn start_serve(dir: &Path) -> (std::process::Child, String) {
    let mut child = std::process::Command::new(bin())
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .current_dir(repo())
        .args(["serve", dir.to_str().unwrap(), "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(Duration::from_secs(60)).unwrap_or_default();
    let addr = line
        .find("http://127.0.0.1:")
        .map(|at| line[at + 7..].split('/').next().unwrap().to_string());
    match addr {
        Some(a) => (child, a),
        None => {
            let _ = child.kill();
            let _ = child.wait();
            panic!("serve did not say where it listens: {line:?}");
        }
    }
}

/// `GET path` over a plain TCP connection: the whole response, or the error.
fn get(addr: &str, path: &str) -> Result<String, String> {
    get_as(addr, path, addr)
}

/// A GET of `path` from the server at `addr`, naming `host` in the `Host` header.
fn get_as(addr: &str, path: &str, host: &str) -> Result<String, String> {
    let mut s = std::net::TcpStream::connect(addr).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut body = String::new();
    s.read_to_string(&mut body).map_err(|e| e.to_string())?;
    Ok(body)
}

/// Asks for `path` until the answer satisfies `ok`, for at most 30 seconds.
fn wait_for(addr: &str, path: &str, ok: impl Fn(&str) -> bool) -> Result<String, String> {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let body = get(addr, path)?;
        if ok(&body) {
            return Ok(body);
        }
        if std::time::Instant::now() > deadline {
            return Err(format!("gave up waiting; last answer:\n{body}"));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn serve_refuses_a_foreign_host_and_keeps_other_origins_out() {
    let (_tmp, dir) = example();
    let (mut child, addr) = start_serve(&dir);
    let port = addr.rsplit(':').next().unwrap().to_string();
    let result = (|| -> Result<(), String> {
        // A page that rebinds its own name to 127.0.0.1 still sends its own name as Host.
        for host in [
            format!("attacker.example:{port}"),
            format!("localhost.attacker.example:{port}"),
            "localhost:1".to_string(),
        ] {
            for path in [
                "/index.html",
                "/agencies/police/index.html",
                "/__panelaudit/version",
            ] {
                let body = get_as(&addr, path, &host)?;
                if !body.starts_with("HTTP/1.1 421") || body.contains("Northmoor") {
                    return Err(format!("Host {host} {path} was answered:\n{body}"));
                }
            }
        }
        for host in [
            addr.clone(),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
        ] {
            let page = get_as(&addr, "/agencies/police/index.html", &host)?;
            if !page.starts_with("HTTP/1.1 200") {
                return Err(format!("Host {host} was refused:\n{page}"));
            }
        }
        let page = get(&addr, "/index.html")?;
        let head = page[..page.find("\r\n\r\n").unwrap_or(page.len())].to_ascii_lowercase();
        for header in [
            "cross-origin-resource-policy: same-origin",
            "x-content-type-options: nosniff",
            "content-security-policy: default-src 'none'; script-src 'self'",
            "x-frame-options: deny",
        ] {
            if !head.contains(header) {
                return Err(format!("no `{header}` in:\n{head}"));
            }
        }
        // The reload script the policy allows is there, and asks for the version.
        let script = get(&addr, "/__panelaudit/reload.js")?;
        if !script.starts_with("HTTP/1.1 200") || !script.contains("/__panelaudit/version") {
            return Err(format!("the reload script:\n{script}"));
        }
        Ok(())
    })();
    let _ = child.kill();
    let _ = child.wait();
    result.unwrap();
}

#[test]
fn serve_rebuilds_on_a_change_and_shows_a_failed_build_on_the_page() {
    let (_tmp, dir) = example();
    let files_before = files(&dir);
    let (mut child, addr) = start_serve(&dir);
    let actions = dir.join("actions.toml");
    let good = std::fs::read_to_string(&actions).unwrap();
    let result = (|| -> Result<(), String> {
        let before = get(&addr, "/__panelaudit/version")?;
        let version = before
            .rsplit("\r\n\r\n")
            .next()
            .unwrap_or_default()
            .to_string();
        // An open page asks "changed since this version?": held open until the site changes.
        let (tx, held) = std::sync::mpsc::channel();
        let (a, v) = (addr.clone(), version.clone());
        std::thread::spawn(move || {
            let _ = tx.send(get(&a, &format!("/__panelaudit/version?since={v}")));
        });
        std::thread::sleep(Duration::from_millis(500));
        if held.try_recv().is_ok() {
            return Err("the question was answered before anything changed".into());
        }
        // Break a file: every page becomes the error page, the message escaped.
        std::fs::write(&actions, format!("{good}\n<oops> = \n")).unwrap();
        let answer = held
            .recv_timeout(Duration::from_secs(30))
            .map_err(|e| e.to_string())??;
        let moved = answer.rsplit("\r\n\r\n").next().unwrap_or_default();
        if !answer.starts_with("HTTP/1.1 200") || moved == version || moved.is_empty() {
            return Err(format!(
                "the held question was not answered with the new version:\n{answer}"
            ));
        }
        if !answer.contains("Content-Security-Policy") {
            return Err(format!(
                "the held answer lacks the security headers:\n{answer}"
            ));
        }
        let broken = wait_for(&addr, "/index.html", |b| b.contains("could not be built"))?;
        if !broken.contains("actions.toml") || broken.contains("<oops>") {
            return Err(format!(
                "the error page does not name the file, escaped:\n{broken}"
            ));
        }
        if !broken.contains("&lt;oops&gt;") {
            return Err(format!("the source line is shown escaped:\n{broken}"));
        }
        let after = get(&addr, "/__panelaudit/version")?;
        if after == before {
            return Err("the version did not change".into());
        }
        // Fix it: the site comes back by itself.
        std::fs::write(&actions, &good).unwrap();
        wait_for(&addr, "/index.html", |b| b.starts_with("HTTP/1.1 200"))?;
        Ok(())
    })();
    let _ = child.kill();
    let _ = child.wait();
    result.unwrap();
    // Nothing was written into the partnership's folder.
    assert_eq!(files(&dir), files_before);
}
