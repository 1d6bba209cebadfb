# Shared by scripts/a11y.sh and scripts/vnu.sh (sourced, not run): the pinned npm packages, and
# the pages both check: a partnership (default: the worked example) and a collection of two
# copies of it, each for both audiences, built with the release binary.

# apt_install PACKAGE: installs a Debian package, as root or with sudo.
apt_install() {
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$1"
}

# npm_packages: the pinned packages of package-lock.json, with no install scripts (nothing is
# downloaded but the packages: playwright-core never fetches a browser, vnu-jar ships its jar).
npm_packages() {
  if [ ! -d node_modules/axe-core ] || [ ! -d node_modules/playwright-core ] \
    || [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ] \
    || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts
  fi
}

# build_pages AUDIT WORK: builds WORK/internal, WORK/public, WORK/collection-internal and
# WORK/collection-public.
build_pages() {
  local audit="$1" work="$2" bin
  cargo build --release --quiet
  bin="${CARGO_TARGET_DIR:-target}/release/panelaudit"
  mkdir -p "$work/collection"
  cp -r "$audit" "$work/collection/north"
  cp -r "$audit" "$work/collection/south"
  printf 'name = "North and South test region"\n' > "$work/collection/collection.toml"
  for audience in internal public; do
    "$bin" build "$audit" --out "$work/$audience" --audience "$audience" >/dev/null
    "$bin" build "$work/collection" --out "$work/collection-$audience" --audience "$audience" >/dev/null
  done
}
