#!/usr/bin/env bash
# HTML validity of the site: builds the worked example (both audiences) and a collection of two
# copies of it (both audiences), then runs the Nu HTML Checker (npm's vnu-jar, on the machine's
# Java) over every page. Fails on any error.
#
#   scripts/vnu.sh [AUDIT_DIR]
#
# Installs what it needs: a Java runtime from apt when `java` is missing, and the pinned npm
# packages with `npm ci` (vnu-jar ships the checker's jar; nothing else is downloaded).
set -euo pipefail

cd "$(dirname "$0")/.."
audit="${1:-audits/example}"

if ! command -v java >/dev/null 2>&1; then
  echo "vnu: installing a Java runtime from apt" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends default-jre-headless
fi
if [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ] \
  || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts
fi

cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/panelaudit"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/collection"
cp -r "$audit" "$work/collection/north"
cp -r "$audit" "$work/collection/south"
for audience in internal public; do
  "$bin" build "$audit" --out "$work/site/$audience" --audience "$audience" >/dev/null
  "$bin" build "$work/collection" --out "$work/site/collection-$audience" --audience "$audience" >/dev/null
done

pages=$(find "$work/site" -name '*.html' | wc -l)
if java -jar node_modules/vnu-jar/build/dist/vnu.jar --errors-only --skip-non-html "$work/site"; then
  echo "vnu: $pages pages, 0 errors"
else
  echo "vnu: errors above in the $pages pages checked" >&2
  exit 1
fi
