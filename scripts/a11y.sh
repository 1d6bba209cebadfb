#!/usr/bin/env bash
# Accessibility check of the site: builds a partnership (default: the worked example) and a
# collection of two copies of it, for both audiences, and runs axe-core (WCAG 2.2 A and AA
# rules) over every page in Debian's Chromium, then checks their layout on a phone and on A4
# (scripts/layout-check.js).
# Fails on any violation, and on any page that tries to fetch something from the network.
#
#   scripts/a11y.sh [AUDIT_DIR]
#
# Installs what it needs: Chromium from apt when /usr/bin/chromium is missing, and the pinned
# npm packages (playwright-core, axe-core) with `npm ci`. No browser is downloaded by npm.
set -euo pipefail

cd "$(dirname "$0")/.."
audit="${1:-audits/example}"

. scripts/site-pages.sh
if [ ! -x /usr/bin/chromium ]; then
  echo "a11y: installing Chromium from apt" >&2
  apt_install chromium
fi
npm_packages

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
build_pages "$audit" "$work"

node scripts/axe-check.js "$work/internal" "$work/public" "$work/collection-internal" "$work/collection-public"
# The same pages on a phone (none wider than 390 px) and each overview on paper (at most 6 A4
# pages), in the same Chromium.
node scripts/layout-check.js "$work/internal" "$work/public" "$work/collection-internal" "$work/collection-public"
