#!/usr/bin/env bash
# Fails when a committed text file still holds a merge-conflict marker: a line that starts with
# seven `<`, `>` or `|` followed by a space or the end of the line, or a line of exactly seven
# `=`. Git's own markers look like that; a stray one once dropped a rule from style.css.
#
#   scripts/conflict-markers.sh
#
# tests/corpus is left out: its broken-input cases hold such lines on purpose (a nested-quote
# fixture starts a line with a run of `>`).
set -euo pipefail
cd "$(dirname "$0")/.."

# -I skips binary files; only tracked files are read, so target/ and node_modules/ never are.
if hits=$(git grep -n -I -E '^(<{7}|>{7}|\|{7})( |$)|^={7}$' -- . ':(exclude)tests/corpus'); then
  echo "conflict markers committed:" >&2
  echo "$hits" >&2
  exit 1
fi
echo "conflict markers: none in $(git ls-files | wc -l) tracked files"
