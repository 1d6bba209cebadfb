#!/usr/bin/env bash
# HTML validity of the site: builds the worked example (both audiences) and a collection of two
# copies of it (both audiences), then runs the Nu HTML Checker (npm's vnu-jar, on the machine's
# Java) over every page and the stylesheet. Fails on any error.
#
#   scripts/vnu.sh [AUDIT_DIR]
#
# Installs what it needs: a Java runtime from apt when `java` is missing, and the pinned npm
# packages with `npm ci` (vnu-jar ships the checker's jar; nothing else is downloaded).
set -euo pipefail

cd "$(dirname "$0")/.."
audit="${1:-audits/example}"

. scripts/site-pages.sh
if ! command -v java >/dev/null 2>&1; then
  echo "vnu: installing a Java runtime from apt" >&2
  apt_install default-jre-headless
fi
npm_packages

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
build_pages "$audit" "$work"

pages=$(find "$work" -name '*.html' | wc -l)
status=0
if java -jar node_modules/vnu-jar/build/dist/vnu.jar --errors-only --skip-non-html \
  "$work/internal" "$work/public" "$work/collection-internal" "$work/collection-public"; then
  echo "vnu: $pages pages, 0 errors"
else
  echo "vnu: errors above in the $pages pages checked" >&2
  status=1
fi

# The stylesheet too (each build writes the same one; a partnership may override it). vnu's CSS
# checker lags the CSS specifications: what it does not know but browsers do is listed here as
# a known false alarm, and only those lines are let through.
#   paint-order (CSS Fill and Stroke; SVG 2): not in vnu's property list. The site no longer
#   uses it, but an overriding stylesheet may.
known='Property “paint-order” doesn.t exist'
css=$(find "$work" -name style.css | sort)
sheets=$(echo "$css" | wc -l)
report="$work/vnu-css.txt"
java -jar node_modules/vnu-jar/build/dist/vnu.jar --errors-only --css $css >"$report" 2>&1 || true
if grep -v -E "$known" "$report" | grep -q .; then
  grep -v -E "$known" "$report" >&2
  echo "vnu: errors above in the $sheets stylesheets checked" >&2
  status=1
else
  echo "vnu: $sheets stylesheets, 0 errors ($(grep -c . "$report" || true) known false alarms)"
fi
exit "$status"
