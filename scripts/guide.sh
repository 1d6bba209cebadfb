#!/usr/bin/env bash
# Builds the user guide (docs/, an mdBook) into docs/book/ and checks that every link inside it
# resolves: a missing page or anchor fails the run, naming the page and the link.
# mdbook is installed once into a cache outside the clone ($PANELAUDIT_TOOLS, else
# ~/.cache/panelaudit-tools), so every later clone and CI run on the machine reuses it.
set -euo pipefail
cd "$(dirname "$0")/.."

MDBOOK_VERSION=0.5.4
tools="${PANELAUDIT_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/panelaudit-tools}"
mdbook="$tools/bin/mdbook"

if ! { [ -x "$mdbook" ] && "$mdbook" --version | grep -qx "mdbook v$MDBOOK_VERSION"; }; then
    echo "== installing mdbook $MDBOOK_VERSION into $tools (once a machine)"
    # Without default features: no preview server, file watcher or search index, which the
    # guide does not need and which would double the build.
    cargo install mdbook --locked --version "$MDBOOK_VERSION" --no-default-features \
        --root "$tools" --quiet
fi

echo "== building the guide into docs/book"
rm -rf docs/book
"$mdbook" build docs
echo "== checking every link and anchor in the guide"
python3 scripts/check-links.py docs/book
