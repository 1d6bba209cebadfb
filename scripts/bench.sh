#!/usr/bin/env bash
# Build benchmark: times `panelaudit build` (release) on the worked example and on two synthetic
# audits ten times its size, and reports pages per second and peak memory.
#
#   scripts/bench.sh [RUNS]        (default 3 runs each; the best wall time is reported)
#
# The synthetic audits are generated here, from the example:
#   collection-x10  ten copies of the example as a collection (ten times the pages);
#   agencies-x10    one partnership with ten times the agencies, each cycle's returns copied
#                   for every new agency (ten times the answers behind every question page).
set -euo pipefail

cd "$(dirname "$0")/.."
runs="${1:-3}"
example=audits/example
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (/usr/bin/time): apt-get install time" >&2; exit 2; }

cargo build --release --quiet
bin="$(realpath "${CARGO_TARGET_DIR:-target}")/release/panelaudit"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Ten copies of the example as a collection, each with its own name.
for i in $(seq -w 1 10); do
  dest="$work/collection-x10/partnership-$i"
  mkdir -p "$dest"
  cp -R "$example"/. "$dest"/
  sed -i "s/^name = \"\(.*\)\"/name = \"\1 $i\"/" "$dest/partnership.toml"
done

# One partnership with ten times the agencies.
wide="$work/agencies-x10"
cp -R "$example" "$wide"
agencies=$(sed -n 's/^id = "\(.*\)"$/\1/p' "$example/partnership.toml")
{
  for i in $(seq 2 10); do
    for a in $agencies; do
      printf '\n[[agencies]]\nid = "%s-%s"\nname = "Copy %s of %s"\nsector = "other"\nstatutory = false\n' "$a" "$i" "$i" "$a"
    done
  done
} > "$work/more-agencies.toml"
# The new agencies go before any [priority]/[publication] table, so they stay top-level arrays.
awk -v extra="$work/more-agencies.toml" '
  /^\[(priority|publication)\]/ && !done { while ((getline line < extra) > 0) print line; print ""; done = 1 }
  { print }
  END { if (!done) while ((getline line < extra) > 0) print line }
' "$example/partnership.toml" > "$wide/partnership.toml"
for responses in "$wide"/cycles/*/responses; do
  for f in "$responses"/*.toml; do
    [ -e "$f" ] || continue
    a=$(basename "$f" .toml)
    for i in $(seq 2 10); do
      sed "s/^agency = \"$a\"/agency = \"$a-$i\"/" "$f" > "$responses/$a-$i.toml"
    done
  done
done

printf '%-16s %-9s %7s %9s %11s %12s\n' AUDIT AUDIENCE PAGES "BEST s" "PAGES/s" "PEAK RSS MB"
for target in "$example" "$work/collection-x10" "$wide"; do
  name=$(basename "$target")
  for audience in internal public; do
    best=""
    rss=0
    for _ in $(seq 1 "$runs"); do
      out="$work/out-$name-$audience"
      /usr/bin/time -v -o "$work/time.txt" "$bin" build "$target" --out "$out" --audience "$audience" >"$work/stdout.txt" 2>"$work/stderr.txt" \
        || { cat "$work/stderr.txt" >&2; exit 1; }
      wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
      kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
      if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then best="$wall"; fi
      [ "$kb" -gt "$rss" ] && rss="$kb"
    done
    pages=$(find "$out" -name '*.html' | wc -l)
    awk -v n="$name" -v au="$audience" -v p="$pages" -v w="$best" -v r="$rss" \
      'BEGIN { printf "%-16s %-9s %7d %9.2f %11.0f %12.1f\n", n, au, p, w, (w > 0 ? p / w : 0), r / 1024 }'
  done
done
