#!/usr/bin/env bash
# The README's test command: installs what the tests need on a fresh machine, then runs them.
set -euo pipefail
cd "$(dirname "$0")/.."

# openpyxl writes the "foreign" workbook that the spreadsheet-import tests read back.
if ! python3 -c 'import openpyxl' 2>/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check openpyxl==3.1.5
fi

cargo test --locked "$@"
