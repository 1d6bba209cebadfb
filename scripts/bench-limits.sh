#!/usr/bin/env bash
# Inputs within the documented limits, at their worst: times `panelaudit check` and `build`
# (release, internal and public audiences) on copies of the worked example each given one
# hostile input, and reports the wall time and the peak memory (`/usr/bin/time -v`). The issue
# (25) asks that none go past 1 GB or 10 s.
#
#   scripts/bench-limits.sh
#
# The inputs (each file just under the 8 MiB a file may hold). Past a limit, `check` refuses
# the input (PA0307) and the build does too; the "budget" inputs sit just within the limit on
# Markdown marks (1,000,000 a text), the rest of the file ordinary prose:
#   briefing-prose             a public briefing of 8 MiB of plain prose
#   briefing-budget-emphasis   a public briefing: a run of `*a` up to the mark limit, then prose
#   briefing-budget-brackets   the same with a run of `[`
#   briefing-budget-angles     the same with a run of `<`
#   briefing-budget-nested     lines opening 32 lists each (the nesting limit) up to the mark
#                              limit, then prose
#   internal-budget-nested     the same as a return's internal note
#   briefing-over-nested       8 MiB of lines opening 32 lists each (refused)
#   briefing-over-emphasis     8 MiB of `*a` (refused); and -brackets, -angles likewise
#   internal-over-nested       a return's internal note of such lines (refused)
#   briefing-scan-*            a public briefing of 8 MiB of near-misses for one of the
#                              scanner's patterns (runs of digits, of digits and spaces, `a.`,
#                              `a@`, "born 1/", a DOB table, one letter, a first name, `é1 `):
#                              the scan stays linear in the text
#   deny-20000                 publication/deny.txt of 20,000 names (the limit)
#   deny-240000                publication/deny.txt of 240,000 names (refused)
set -euo pipefail

cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || { echo "bench-limits: needs GNU time (/usr/bin/time): apt-get install time" >&2; exit 2; }

cargo build --release --quiet
bin="$(realpath "${CARGO_TARGET_DIR:-target}")/release/panelaudit"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'EOF'
import os, shutil, sys, tomllib

work = sys.argv[1]
example = "audits/example"
limit = 8 * 1024 * 1024 - 4096  # bytes: just under a file's 8 MiB

def copy(name):
    dest = os.path.join(work, name)
    shutil.copytree(example, dest)
    return dest

def fill(unit, size):
    return unit * (size // len(unit))

def briefing(name, body):
    dest = copy(name)
    front = '+++\ntitle = "A long briefing"\ndate = 2025-12-12\naudience = "public"\nsummary = "Long."\n+++\n'
    with open(os.path.join(dest, "briefings", "long.md"), "w") as f:
        f.write(front + body[: limit - len(front)])

def internal(name, body):
    dest = copy(name)
    path = os.path.join(dest, "cycles", "2025-26", "responses", "police.toml")
    text = open(path).read()
    answers = tomllib.loads(text)["answers"]
    q = next(q for q, a in answers.items() if "internal" not in a)
    header = f"[answers.{q}]\n"
    room = limit - len(text) - 64
    note = 'internal = """\n' + body[:room].replace("\\", "") + '\n"""\n'
    with open(path, "w") as f:
        f.write(text.replace(header, header + note, 1))

def deny(name, count):
    dest = copy(name)
    with open(os.path.join(dest, "publication", "deny.txt"), "w") as f:
        for i in range(count):
            f.write(f"Given{i} Family{i * 7919 % 1000003}\n")

marks = 1_000_000 - 20_000  # just within the limit, with room for the prose's lines
prose_line = "The panel reviewed the evidence from every agency and found it sound.\n"
prose = fill(prose_line, limit)
nested_line = "- " * 32 + "a nested item\n"

def budget(run):
    # The run, then prose up to the file's size (briefing() and internal() cut it there).
    return run + "\n\n" + prose

briefing("briefing-prose", prose)
briefing("briefing-budget-emphasis", budget("*a" * ((marks - 130_000) // 2)))
briefing("briefing-budget-brackets", budget("[" * (marks - 130_000)))
briefing("briefing-budget-angles", budget("<" * (marks - 130_000)))
nested_budget = nested_line * ((marks - 130_000) // 33)
briefing("briefing-budget-nested", budget(nested_budget))
internal("internal-budget-nested", budget(nested_budget))
briefing("briefing-over-nested", fill(nested_line, limit))
briefing("briefing-over-emphasis", fill("*a", limit))
briefing("briefing-over-brackets", fill("[", limit))
briefing("briefing-over-angles", fill("<", limit))
internal("internal-over-nested", fill(nested_line, limit))
for name, unit in [
    ("digits", "0"), ("digits-spaces", "0 "), ("dots", "a."), ("ats", "a@"),
    ("born", "born 1/ "), ("dob-table", "| DOB |\n|---|\n| 1/2/2019 |\n\n"),
    ("letter", "k"), ("name", "Kai "), ("accents", "é1 "),
]:
    briefing(f"briefing-scan-{name}", fill(unit, limit * len(unit) // len(unit.encode())))
deny("deny-20000", 20_000)
deny("deny-240000", 240_000)
EOF

# Runs one command; prints its exit code, wall seconds and peak resident memory in MB.
measure() {
  local log="$work/time.log"
  local code=0
  /usr/bin/time -v -o "$log" "$@" >/dev/null 2>"$work/stderr.log" || code=$?
  local secs kb
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$log")
  kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log")
  printf '%4s %8.2f %10.1f' "$code" "$secs" "$(echo "$kb / 1024" | bc -l)"
}

printf '%-20s %-14s %4s %8s %10s\n' INPUT COMMAND EXIT SECONDS "PEAK MB"
for dir in "$work"/*/; do
  name=$(basename "$dir")
  printf '%-20s %-14s ' "$name" check
  measure "$bin" check "$dir"
  echo
  printf '%-20s %-14s ' "$name" build
  measure "$bin" build "$dir" --out "$work/site-$name"
  echo
  printf '%-20s %-14s ' "$name" "build public"
  measure "$bin" build "$dir" --out "$work/public-$name" --audience public
  echo
done
