#!/usr/bin/env bash
# Accessibility check of the site: builds a partnership (default: the worked example) and a
# collection of two copies of it, for both audiences, and runs axe-core (WCAG 2.2 A and AA
# rules) over every page in Debian's Chromium.
# Fails on any violation, and on any page that tries to fetch something from the network.
#
#   scripts/a11y.sh [AUDIT_DIR]
#
# Installs what it needs: Chromium from apt when /usr/bin/chromium is missing, and the pinned
# npm packages (playwright-core, axe-core) with `npm ci`. No browser is downloaded by npm.
set -euo pipefail

cd "$(dirname "$0")/.."
audit="${1:-audits/example}"

if [ ! -x /usr/bin/chromium ]; then
  echo "a11y: installing Chromium from apt" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium
fi

if [ ! -d node_modules/axe-core ] || [ ! -d node_modules/playwright-core ] \
  || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # playwright-core never downloads a browser; this only guards against a stray install hook.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts
fi

cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/panelaudit"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A collection of two copies too, for the comparison pages.
mkdir -p "$work/collection"
cp -r "$audit" "$work/collection/north"
cp -r "$audit" "$work/collection/south"
for audience in internal public; do
  "$bin" build "$audit" --out "$work/$audience" --audience "$audience"
  "$bin" build "$work/collection" --out "$work/collection-$audience" --audience "$audience"
done

node scripts/axe-check.js "$work/internal" "$work/public" "$work/collection-internal" "$work/collection-public"
