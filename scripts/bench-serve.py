#!/usr/bin/env python3
"""How long `panelaudit serve` takes to show a saved change: the time from writing a file to
the changed page being served, measured from outside, as a user's browser would see it.

    scripts/bench-serve.py [--bin target/release/panelaudit] [--rounds 15] [--national 150]

Two shapes are measured, each on a copy in a temporary folder (nothing in the repository is
touched):

- the worked example (audits/example): a return's evidence, a public briefing and a metric's
  value are saved in turn;
- a collection of N partnerships made by scripts/gen-national.py (N = --national, 0 to skip):
  the briefing of the partnership in the middle is saved.

Each round writes the file whole (as an editor's save does), then asks what an open page asks
(`/__panelaudit/version?since=N`, which the server holds until the site has changed) and then
for the page the change shows on, until the page carries the new text; the time is from the
save to that answer. Rounds are spaced by 300 ms. The median, 90th percentile and worst of each kind are
printed. Only the standard library is used.
"""

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def start(binary: Path, folder: Path) -> tuple[subprocess.Popen, str]:
    """Starts the preview on a free port; returns it and its address once it answers."""
    proc = subprocess.Popen(
        [str(binary), "serve", str(folder), "--port", "0", "--as-of", "2026-06-01"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = proc.stdout.readline() if proc.stdout else ""
    found = re.search(r"http://127\.0\.0\.1:\d+/", line)
    if not found:
        proc.kill()
        sys.exit(f"bench-serve: serve did not start: {line!r}")
    return proc, found.group(0)


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as answer:
        return answer.read().decode("utf-8", "replace")


def time_until_shown(base: str, page: str, path: Path, new_text: str, marker: str) -> float:
    """Saves `new_text` to `path` and returns the seconds until the page carries `marker`,
    asking as an open page does: "has the site changed since version N?" (held by the server
    until it has), then the page itself."""
    version = get(base + "__panelaudit/version").strip()
    started = time.perf_counter()
    path.write_text(new_text, encoding="utf-8")
    while time.perf_counter() - started < 20:
        try:
            now = get(f"{base}__panelaudit/version?since={version}").strip()
            if marker in get(base + page):
                return time.perf_counter() - started
            if now == version:
                time.sleep(0.001)  # a server that answers at once: ask again shortly
            version = now
        except OSError:
            time.sleep(0.001)
    sys.exit(f"bench-serve: {page} never showed {marker!r}")


def measure(base: str, edits, rounds: int) -> dict[str, list[float]]:
    """Runs every edit `rounds` times; each edit gives (file, page, new text, marker) for a
    round."""
    times: dict[str, list[float]] = {name: [] for name, _ in edits}
    for r in range(rounds):
        for name, edit in edits:
            path, page, text, marker = edit(r)
            if marker in get(base + page):
                sys.exit(f"bench-serve: {marker!r} is on {page} before the save")
            times[name].append(time_until_shown(base, page, path, text, marker))
            time.sleep(0.3)
    return times


def example_edits(folder: Path):
    """A return's evidence, a public briefing and a metric's value in the worked example."""
    ret = folder / "cycles/2025-26/responses/acute-trust.toml"
    ret_text = ret.read_text(encoding="utf-8")
    brief = folder / "briefings/learning-from-2025-26-self-audit.md"
    brief_text = brief.read_text(encoding="utf-8")
    metrics = folder / "metrics.csv"
    metrics_text = metrics.read_text(encoding="utf-8")

    def a_return(r):
        marker = f"Saved-return-{r:03d}"
        return (ret, "questions/cmh-s-01/index.html",
                ret_text.replace("Of 131 children seen", f"{marker}: of 131 children seen", 1), marker)

    def a_briefing(r):
        marker = f"Saved-briefing-{r:03d}"
        return (brief, "briefings/learning-from-2025-26-self-audit/index.html",
                brief_text.replace("## Background", f"{marker}\n\n## Background", 1), marker)

    def a_metric(r):
        value = f"{60 + r}.7"
        return (metrics, "metrics/index.html",
                metrics_text.replace("re-referrals-12m,2024-25,21.4", f"re-referrals-12m,2024-25,{value}", 1), value)

    return [("return", a_return), ("briefing", a_briefing), ("metric", a_metric)]


def national_edits(folder: Path):
    """The briefing of the partnership in the middle of the collection."""
    members = sorted(p for p in folder.iterdir() if (p / "partnership.toml").is_file())
    member = members[len(members) // 2]
    brief = member / "briefings/learning-from-2025-26-self-audit.md"
    text = brief.read_text(encoding="utf-8")

    def a_briefing(r):
        marker = f"Saved-briefing-{r:03d}"
        return (brief, f"{member.name}/briefings/learning-from-2025-26-self-audit/index.html",
                text.replace("## Background", f"{marker}\n\n## Background", 1), marker)

    return [("briefing", a_briefing)]


def report(shape: str, times: dict[str, list[float]]) -> None:
    for name, ts in times.items():
        ms = sorted(t * 1000 for t in ts)
        p90 = ms[min(len(ms) - 1, int(round(0.9 * (len(ms) - 1))))]
        print(f"{shape:<28} {name:<9} {len(ms):>3} saves  median {statistics.median(ms):6.1f} ms"
              f"  p90 {p90:6.1f} ms  worst {ms[-1]:6.1f} ms")


def run(binary: Path, shape: str, folder: Path, edits, rounds: int) -> None:
    proc, base = start(binary, folder)
    try:
        # The first build is done when the overview answers.
        deadline = time.perf_counter() + 120
        while time.perf_counter() < deadline:
            try:
                get(base + "index.html")
                break
            except OSError:
                time.sleep(0.05)
        report(shape, measure(base, edits(folder), rounds))
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=str(REPO / "target/release/panelaudit"))
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--national", type=int, default=150)
    args = parser.parse_args()
    binary = Path(args.bin).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        example = Path(tmp) / "example"
        shutil.copytree(REPO / "audits/example", example)
        run(binary, "example", example, example_edits, args.rounds)
        if args.national:
            national = Path(tmp) / "national"
            subprocess.run([sys.executable, str(REPO / "scripts/gen-national.py"), str(national),
                            "--partnerships", str(args.national)], check=True,
                           stdout=subprocess.DEVNULL)
            run(binary, f"collection of {args.national}", national, national_edits, args.rounds)


if __name__ == "__main__":
    main()
