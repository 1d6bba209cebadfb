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
//! - Changes are found by the platform's file watcher (inotify, FSEvents, ReadDirectoryChanges,
//!   through the `notify` crate), with a look at every file's size and modification time every
//!   two seconds as well, and twice a second when no watcher can be started. Only what a change
//!   touched is built again ([`crate::serve::preview`]).
//! - Served pages get a small script (`/__panelaudit/reload.js`, a file of its own so that the
//!   security policy can forbid inline script) that asks `/__panelaudit/version?since=N`, a
//!   question held open until the site is rebuilt (at most 25 s, then asked again), and
//!   reloads the page at once. It is added as a page is sent, never to a built
//!   file.
//! - A build that fails serves an error page listing the problems (HTML-escaped) for every
//!   page, with the same reload script, so fixing the file brings the site back by itself.

pub mod preview;

use crate::error::report;
use preview::{Preview, Refreshed, Shown, Site};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

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
/// How often the folder is looked at for changes when no file watcher could be started.
const POLL: Duration = Duration::from_millis(500);
/// How often it is looked at even with a watcher (a watcher can miss a change on some file
/// systems, network shares among them).
const LOOK_ANYWAY: Duration = Duration::from_secs(2);
/// A save is often several events (write to a temporary file, rename): the rebuild waits until
/// the folder has been quiet this long, and never longer than [`SETTLE_AT_MOST`].
const SETTLE: Duration = Duration::from_millis(10);
const SETTLE_AT_MOST: Duration = Duration::from_millis(60);

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
pub fn loopback(address: &str) -> Result<(), ServeError> {
    match address.trim() {
        "127.0.0.1" | "localhost" => Ok(()),
        other => Err(ServeError::NotLoopback(other.to_string())),
    }
}

/// Why the preview server could not start, or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// An address other than the loopback one was asked for.
    #[error(
        "`panelaudit serve` listens on {ADDRESS} only: it serves the internal site, which must never be reachable from another machine (`{0}` refused); publish a public build with `panelaudit build --audience public` instead"
    )]
    NotLoopback(String),
    #[error("cannot listen on {ADDRESS}:{port}: {source}")]
    Listen {
        port: u16,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("the server stopped: {0}")]
    Stopped(#[source] std::io::Error),
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
    /// Why the build failed, as the page shows it.
    site: Result<Site, String>,
}

/// What the server and the rebuild thread share.
struct Shared {
    state: Mutex<State>,
    /// Told when the version moves on, so pages waiting on it reload at once.
    rebuilt: Condvar,
    /// Pages waiting for the next version now (each on a thread of its own).
    waiting: AtomicUsize,
}

/// The longest a page's question "has the site changed since version N?" is held open.
const WAIT_AT_MOST: Duration = Duration::from_secs(25);
/// At most this many questions are held open at once; any more are answered at once.
const WAITING_AT_MOST: usize = 32;

/// Builds the site with `preview`, serves it on 127.0.0.1:`port`, and brings it up to date
/// whenever a file below `dir` changes. `ready` is told the address once the server listens.
/// Returns when Ctrl-C (or SIGTERM) stops it.
pub fn serve(
    dir: &Path,
    port: u16,
    mut preview: Preview,
    ready: impl FnOnce(&str),
) -> Result<(), ServeError> {
    let server = tiny_http::Server::http((ADDRESS, port))
        .map_err(|source| ServeError::Listen { port, source })?;
    // Started before the first build, so a change made while it runs is never missed.
    let (changes, changed) = std::sync::mpsc::channel();
    let watcher = watch(dir, changes);
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            version: 0,
            site: Err(String::new()),
        }),
        rebuilt: Condvar::new(),
        waiting: AtomicUsize::new(0),
    });
    preview.refresh(&mut |site| publish(&shared, site));
    // The port actually bound (`--port 0` picks one): requests must name it.
    let port = server.server_addr().to_ip().map_or(port, |a| a.port());
    let url = format!("http://{ADDRESS}:{port}/");
    stop_on_signals();
    ready(&url);
    keep_up_to_date(preview, watcher, changed, Arc::clone(&shared));
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
            Err(e) => return Err(ServeError::Stopped(e)),
        };
        if !answer(&shared, request, port) {
            break;
        }
    }
    Ok(())
}

/// The thread that rebuilds the site whenever the folder changes, for as long as the server
/// runs; the terminal says when each new state was served.
fn keep_up_to_date(
    mut preview: Preview,
    watcher: Option<notify::RecommendedWatcher>,
    changed: Receiver<()>,
    shared: Arc<Shared>,
) {
    std::thread::spawn(move || {
        // Kept alive as long as the thread: dropping it stops the events.
        let every = if watcher.is_some() { LOOK_ANYWAY } else { POLL };
        let _watcher = watcher;
        loop {
            wait_for_change(&changed, every);
            let started = std::time::Instant::now();
            let mut served = Vec::new();
            let refreshed = preview.refresh(&mut |site| {
                if site.is_err() {
                    eprintln!("the rebuild failed: the page shows why");
                }
                publish(&shared, site);
                served.push(started.elapsed().as_millis().to_string());
            });
            if let Refreshed::Changed = refreshed {
                // In a collection: the changed partnership's pages, then the comparison.
                eprintln!(
                    "rebuilt after a change (served after {} ms)",
                    served.join(", then ")
                );
            }
        }
    });
}

/// Answers one request (a held version question on a thread of its own); false when the
/// shared state is poisoned and the server must stop.
fn answer(shared: &Arc<Shared>, request: tiny_http::Request, port: u16) -> bool {
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
    } else if let Some(since) = asked_since(request.url()) {
        answer_when_rebuilt(Arc::clone(shared), request, since);
        return true;
    } else {
        let Ok(s) = shared.state.lock() else {
            return false;
        };
        respond(&s, request.url())
    };
    let _ = request.respond(with_headers(
        tiny_http::Response::from_data(body).with_status_code(status),
        &content_type,
    ));
    true
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

/// Serves `site` from now on: the version goes up, so open pages reload.
fn publish(shared: &Shared, site: Shown) {
    if let Ok(mut s) = shared.state.lock() {
        s.version += 1;
        s.site = site.map_err(|e| report(&*e));
    }
    shared.rebuilt.notify_all();
}

/// N, when `url` asks `VERSION_PATH?since=N`: "answer when the site has moved past N".
fn asked_since(url: &str) -> Option<u64> {
    let (path, query) = url.split_once('?')?;
    if path != VERSION_PATH {
        return None;
    }
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("since="))?
        .parse()
        .ok()
}

/// Answers a page's `since` question with the site's version as soon as it differs from
/// `since` (or after [`WAIT_AT_MOST`]), on a thread of its own so that other requests go on.
fn answer_when_rebuilt(shared: Arc<Shared>, request: tiny_http::Request, since: u64) {
    let held = shared.waiting.fetch_add(1, Ordering::SeqCst) < WAITING_AT_MOST;
    std::thread::spawn(move || {
        let version = match shared.state.lock() {
            Ok(s) if held => shared
                .rebuilt
                .wait_timeout_while(s, WAIT_AT_MOST, |s| s.version == since)
                .map_or(since, |(s, _)| s.version),
            Ok(s) => s.version,
            Err(_) => since,
        };
        shared.waiting.fetch_sub(1, Ordering::SeqCst);
        let _ = request.respond(with_headers(
            tiny_http::Response::from_data(version.to_string().into_bytes()),
            "text/plain; charset=utf-8",
        ));
    });
}

/// A watcher of every file below `dir` that says on `changes` when one may have changed, or
/// `None` when the platform cannot watch it (the folder is then polled).
fn watch(dir: &Path, changes: Sender<()>) -> Option<notify::RecommendedWatcher> {
    use notify::Watcher;
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Reading a file (the build does) is not a change.
        let reading = matches!(&event, Ok(e) if matches!(e.kind, notify::EventKind::Access(_)));
        if !reading {
            let _ = changes.send(());
        }
    })
    .ok()?;
    watcher.watch(dir, notify::RecursiveMode::Recursive).ok()?;
    Some(watcher)
}

/// Returns when `changed` says something changed and the folder has settled, or after
/// `every` at the latest.
fn wait_for_change(changed: &Receiver<()>, every: Duration) {
    match changed.recv_timeout(every) {
        Ok(()) => {}
        Err(RecvTimeoutError::Timeout) => return,
        // No watcher: poll.
        Err(RecvTimeoutError::Disconnected) => {
            std::thread::sleep(every);
            return;
        }
    }
    let started = std::time::Instant::now();
    while started.elapsed() < SETTLE_AT_MOST && changed.recv_timeout(SETTLE).is_ok() {}
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
                Some(bytes) => (200, content_type(&rel).into(), bytes.to_vec()),
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
const RELOAD_SCRIPT: &str = "/* panelaudit serve: reloads this page when the site is rebuilt */(function(){var version=document.currentScript.getAttribute('data-version');function poll(){fetch('/__panelaudit/version?since='+version,{cache:'no-store'}).then(function(r){return r.text()}).then(function(v){if(v!==version){location.reload()}else{poll()}}).catch(function(){setTimeout(poll,2000)})}poll()})();";

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

/// Text for the error page: HTML-escaped, without terminal colour codes (the escape
/// character), which mean nothing on a page.
pub fn escape(s: &str) -> String {
    crate::site::templates::escaped(&s.replace('\u{1b}', ""))
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
