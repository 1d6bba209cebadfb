//! `panelaudit serve`: a preview of the internal site on the loopback address, rebuilt when a
//! file of the partnership changes, with the open page reloading itself.
//!
//! - The site is built in memory and served from memory: nothing is written anywhere, least of
//!   all into the partnership's folder, so stopping the server (Ctrl-C) leaves nothing behind.
//! - It listens on 127.0.0.1 only: an internal site holds agencies' returns, and a preview must
//!   never be reachable from another machine. [`loopback`] refuses any other address.
//! - It answers only requests addressed to it by a loopback name and its port (`Host:
//!   127.0.0.1:PORT`, `localhost:PORT` or `[::1]:PORT`): a web page the user visits could
//!   otherwise point its own name at 127.0.0.1 (DNS rebinding) and read the preview from the
//!   user's browser. Anything else gets `421 Misdirected Request` ([`host_allowed`]).
//! - Every answer carries headers that keep other origins out: a content security policy
//!   allowing only the site's own files (no inline script), `Cross-Origin-Resource-Policy:
//!   same-origin`, no framing, no MIME sniffing, no referrer ([`SECURITY_HEADERS`]).
//! - Changes are found by polling the folder's modification times and sizes twice a second (one
//!   thread, no platform watcher back-ends).
//! - Served pages get a small script (`/__panelaudit/reload.js`, a file of its own so that the
//!   security policy can forbid inline script) that asks `/__panelaudit/version` every second
//!   and reloads when the site was rebuilt. It is added as a page is sent, never to a built
//!   file.
//! - A build that fails serves an error page listing the problems (HTML-escaped) for every
//!   page, with the same reload script, so fixing the file brings the site back by itself.

use crate::write::OutFile;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// The only address `serve` listens on.
pub const ADDRESS: &str = "127.0.0.1";
/// Where a served page asks whether the site was rebuilt.
pub const VERSION_PATH: &str = "/__panelaudit/version";
/// The reload script every served page loads.
pub const RELOAD_PATH: &str = "/__panelaudit/reload.js";
/// Headers sent with every answer, so that no other origin can read or frame the preview:
/// only the site's own files may load (the reload script is one, never inline), nothing may be
/// fetched elsewhere, and a browser must not guess a type or send the address on.
pub const SECURITY_HEADERS: &[(&str, &str)] = &[
    (
        "Content-Security-Policy",
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-store"),
];
/// How often the folder is looked at for changes.
const POLL: Duration = Duration::from_millis(500);

/// Set by Ctrl-C (SIGINT) or SIGTERM: the server finishes the request in hand and returns.
static STOP: AtomicBool = AtomicBool::new(false);

#[cfg(unix)]
extern "C" fn on_signal(_: libc::c_int) {
    // Only an atomic store: safe in a signal handler.
    STOP.store(true, Ordering::SeqCst);
}

/// Ctrl-C and SIGTERM stop the server between requests rather than mid-answer. Nothing is on
/// disk to clean up either way: the site lives in memory.
fn stop_on_signals() {
    #[cfg(unix)]
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        libc::signal(libc::SIGINT, handler);
        libc::signal(libc::SIGTERM, handler);
    }
}

/// Accepts the loopback address (as `127.0.0.1` or `localhost`) and refuses every other one.
pub fn loopback(address: &str) -> Result<(), String> {
    match address.trim() {
        "127.0.0.1" | "localhost" => Ok(()),
        other => Err(format!(
            "`panelaudit serve` listens on {ADDRESS} only: it serves the internal site, which must never be reachable from another machine (`{other}` refused); publish a public build with `panelaudit build --audience public` instead"
        )),
    }
}

/// Whether a request's `Host` names this server by a loopback name and `port`: `127.0.0.1`,
/// `localhost` or `[::1]`, with the port (a browser leaves it out only for port 80). A
/// missing `Host` is refused too: every browser sends one.
pub fn host_allowed(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host else {
        return false;
    };
    let host = host.trim().to_ascii_lowercase();
    let (name, given_port) = match host.rsplit_once(':') {
        Some((name, p)) if !name.is_empty() && !p.contains(']') => (name, p.parse::<u16>().ok()),
        _ => (host.as_str(), None),
    };
    let port_ok = match given_port {
        Some(p) => p == port,
        None => port == 80 && !host.ends_with(':'),
    };
    port_ok && matches!(name, "127.0.0.1" | "localhost" | "[::1]")
}

/// What is being served: the latest build's files, or why it failed.
struct State {
    version: u64,
    site: Result<HashMap<String, Vec<u8>>, String>,
}

/// Builds the site with `build`, serves it on 127.0.0.1:`port`, and rebuilds whenever a file
/// below `dir` changes. `ready` is told the address once the server listens. Returns when
/// Ctrl-C (or SIGTERM) stops it.
pub fn serve(
    dir: &Path,
    port: u16,
    build: impl Fn() -> Result<Vec<OutFile>, String> + Send + 'static,
    ready: impl FnOnce(&str),
) -> Result<(), String> {
    let server = tiny_http::Server::http((ADDRESS, port))
        .map_err(|e| format!("cannot listen on {ADDRESS}:{port}: {e}"))?;
    // Taken before the first build, so a change made while it runs (or before the watcher
    // starts) is never missed.
    let first_seen = fingerprint(dir);
    let state = Arc::new(Mutex::new(State {
        version: 1,
        site: to_map(build()),
    }));
    // The port actually bound (`--port 0` picks one): requests must name it.
    let port = server.server_addr().to_ip().map_or(port, |a| a.port());
    let url = format!("http://{ADDRESS}:{port}/");
    stop_on_signals();
    ready(&url);
    {
        let state = Arc::clone(&state);
        let dir = dir.to_path_buf();
        std::thread::spawn(move || {
            let mut seen = first_seen;
            loop {
                std::thread::sleep(POLL);
                let now = fingerprint(&dir);
                if now == seen {
                    continue;
                }
                seen = now;
                let site = to_map(build());
                // A change during this build is seen at the next look, not lost.
                match &site {
                    Ok(_) => eprintln!("rebuilt after a change in {}", dir.display()),
                    Err(_) => eprintln!("the rebuild failed: the page shows why"),
                }
                if let Ok(mut s) = state.lock() {
                    s.version += 1;
                    s.site = site;
                }
            }
        });
    }
    while !STOP.load(Ordering::SeqCst) {
        let request = match server.recv_timeout(Duration::from_millis(200)) {
            Ok(Some(r)) => r,
            Ok(None) => continue,
            // Interrupted by the signal, or the listener failed.
            Err(e)
                if STOP.load(Ordering::SeqCst) || e.kind() == std::io::ErrorKind::Interrupted =>
            {
                continue;
            }
            Err(e) => return Err(format!("the server stopped: {e}")),
        };
        let host = request
            .headers()
            .iter()
            .find(|h| h.field.equiv("Host"))
            .map(|h| h.value.as_str().to_string());
        let (status, content_type, body) = if !host_allowed(host.as_deref(), port) {
            misdirected(port)
        } else if !matches!(
            request.method(),
            tiny_http::Method::Get | tiny_http::Method::Head
        ) {
            (
                405,
                "text/plain; charset=utf-8".into(),
                b"405: this preview only answers GET and HEAD".to_vec(),
            )
        } else {
            let Ok(s) = state.lock() else { break };
            respond(&s, request.url())
        };
        let _ = request.respond(with_headers(
            tiny_http::Response::from_data(body).with_status_code(status),
            &content_type,
        ));
    }
    Ok(())
}

/// A response with its content type and [`SECURITY_HEADERS`].
fn with_headers<R: std::io::Read>(
    response: tiny_http::Response<R>,
    content_type: &str,
) -> tiny_http::Response<R> {
    let header = |name: &str, value: &str| {
        tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
    };
    SECURITY_HEADERS.iter().fold(
        response.with_header(header("Content-Type", content_type)),
        |r, (name, value)| r.with_header(header(name, value)),
    )
}

/// The answer to a request that names another host: a rebound DNS name, most likely.
fn misdirected(port: u16) -> (u16, String, Vec<u8>) {
    (
        421,
        "text/plain; charset=utf-8".into(),
        format!(
            "421: this preview answers only to http://127.0.0.1:{port}/ or http://localhost:{port}/"
        )
        .into_bytes(),
    )
}

fn to_map(built: Result<Vec<OutFile>, String>) -> Result<HashMap<String, Vec<u8>>, String> {
    built.map(|files| files.into_iter().map(|f| (f.path, f.bytes)).collect())
}

/// The answer to a GET of `url`: status, content type and body.
fn respond(s: &State, url: &str) -> (u16, String, Vec<u8>) {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    if path == VERSION_PATH {
        return (
            200,
            "text/plain; charset=utf-8".into(),
            s.version.to_string().into_bytes(),
        );
    }
    if path == RELOAD_PATH {
        return (
            200,
            "text/javascript; charset=utf-8".into(),
            RELOAD_SCRIPT.as_bytes().to_vec(),
        );
    }
    let mut rel = percent_decode(path.trim_start_matches('/'));
    if rel.is_empty() || rel.ends_with('/') {
        rel.push_str("index.html");
    }
    match &s.site {
        Err(problems) => (
            500,
            "text/html; charset=utf-8".into(),
            error_page(problems, s.version).into_bytes(),
        ),
        Ok(files) => {
            let found = files.get(&rel).or_else(|| {
                // `/themes/x` as well as `/themes/x/`.
                files.get(&format!("{rel}/index.html"))
            });
            match found {
                Some(bytes) if rel.ends_with(".html") || !rel.contains('.') => (
                    200,
                    "text/html; charset=utf-8".into(),
                    inject(&String::from_utf8_lossy(bytes), s.version).into_bytes(),
                ),
                Some(bytes) => (200, content_type(&rel).into(), bytes.clone()),
                None => (
                    404,
                    "text/html; charset=utf-8".into(),
                    inject(
                        &format!(
                            "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Not found</title></head><body><h1>Not found</h1><p>The site has no page <code>{}</code>. <a href=\"/index.html\">Go to the overview</a>.</p></body></html>",
                            escape(&rel)
                        ),
                        s.version,
                    )
                    .into_bytes(),
                ),
            }
        }
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("csv") => "text/csv; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The reload script: the page's version is in its tag's `data-version`.
const RELOAD_SCRIPT: &str = "/* panelaudit serve: reloads this page when the site is rebuilt */(function(){var version=document.currentScript.getAttribute('data-version');function poll(){fetch('/__panelaudit/version',{cache:'no-store'}).then(function(r){return r.text()}).then(function(v){if(v!==version){location.reload()}else{setTimeout(poll,1000)}}).catch(function(){setTimeout(poll,2000)})}setTimeout(poll,1000)})();";

/// A page with the tag of the reload script added before `</body>` (or at the end).
pub fn inject(html: &str, version: u64) -> String {
    let script = format!("<script src=\"{RELOAD_PATH}\" data-version=\"{version}\"></script>");
    match html.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &html[..at], &html[at..]),
        None => format!("{html}{script}"),
    }
}

/// The page every address shows while the build fails: the problems, escaped.
pub fn error_page(problems: &str, version: u64) -> String {
    inject(
        &format!(
            "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Build failed</title></head><body><main><h1>The site could not be built</h1><p>Fix the problems below and save: this page reloads by itself.</p><pre>{}</pre></main></body></html>",
            escape(problems)
        ),
        version,
    )
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Terminal colours in a diagnostic mean nothing on a page.
            '\u{1b}' => {}
            c => out.push(c),
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every file and folder below `dir` with its modification time and size, hashed: it changes
/// when a file is added, removed, renamed or saved.
fn fingerprint(dir: &Path) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let mut stack: Vec<PathBuf> = vec![dir.to_path_buf()];
    let mut entries: Vec<(PathBuf, Option<SystemTime>, u64)> = Vec::new();
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            let Ok(m) = std::fs::symlink_metadata(&p) else {
                continue;
            };
            if m.is_dir() {
                stack.push(p.clone());
            }
            entries.push((p, m.modified().ok(), m.len()));
        }
    }
    entries.sort();
    entries.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_is_accepted() {
        assert!(loopback("127.0.0.1").is_ok());
        assert!(loopback("localhost").is_ok());
        for bad in ["0.0.0.0", "192.168.1.4", "::", "example.org", ""] {
            assert!(loopback(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_a_loopback_host_with_the_port_is_answered() {
        for ok in [
            "127.0.0.1:8000",
            "localhost:8000",
            "LocalHost:8000",
            "[::1]:8000",
            " localhost:8000 ",
        ] {
            assert!(host_allowed(Some(ok), 8000), "{ok}");
        }
        for bad in [
            "attacker.example:8000",
            "localhost.attacker.example:8000",
            "127.0.0.1.nip.io:8000",
            "localhost:8001",
            "localhost",
            "localhost:",
            "[::1]",
            "127.0.0.1:80:8000",
            "",
            "0.0.0.0:8000",
        ] {
            assert!(!host_allowed(Some(bad), 8000), "{bad}");
        }
        assert!(!host_allowed(None, 8000));
        // Port 80 is left out of Host by browsers.
        assert!(host_allowed(Some("localhost"), 80));
        assert!(host_allowed(Some("127.0.0.1:80"), 80));
    }

    #[test]
    fn the_policy_allows_the_reload_script_and_nothing_inline_or_foreign() {
        let csp = SECURITY_HEADERS
            .iter()
            .find(|(n, _)| *n == "Content-Security-Policy")
            .unwrap()
            .1;
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert!(csp.contains("connect-src 'self'"), "{csp}");
        assert!(!csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(RELOAD_SCRIPT.contains(VERSION_PATH));
        assert!(RELOAD_PATH.starts_with("/__panelaudit/"));
    }

    #[test]
    fn the_script_goes_into_served_pages_and_errors_are_escaped() {
        let page = inject("<html><body><p>x</p></body></html>", 7);
        assert!(
            page.contains("<p>x</p><script src=\"/__panelaudit/reload.js\" data-version=\"7\">"),
            "{page}"
        );
        assert!(page.ends_with("</script></body></html>"), "{page}");
        let e = error_page("error: <b>bad</b> & \"worse\"", 1);
        assert!(
            e.contains("error: &lt;b&gt;bad&lt;/b&gt; &amp; &quot;worse&quot;"),
            "{e}"
        );
        assert_eq!(
            percent_decode("briefings/a%20b/index.html"),
            "briefings/a b/index.html"
        );
    }
}
