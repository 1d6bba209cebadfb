#!/usr/bin/env bash
# The README's test command: installs what the tests need on a fresh machine, then runs them.
set -euo pipefail
cd "$(dirname "$0")/.."

# openpyxl writes the "foreign" workbook that the spreadsheet-import tests read back.
if ! python3 -c 'import openpyxl' 2>/dev/null; then
  # A system Python that refuses pip installs (PEP 668) gets a user install instead; if even
  # that fails, the one test that needs openpyxl is skipped on a developer's machine and fails in CI.
  python3 -m pip install --quiet --disable-pip-version-check openpyxl==3.1.5 2>/dev/null \
    || python3 -m pip install --quiet --disable-pip-version-check --user --break-system-packages openpyxl==3.1.5 \
    || echo "test.sh: could not install openpyxl; the foreign-workbook import test will be skipped (and fail in CI)" >&2
fi

# LibreOffice opens the board paper (`panelaudit paper`) and prints it to PDF in a test, as a
# business manager's Word would; without it that test is skipped, and in CI it fails.
if ! command -v soffice >/dev/null 2>&1; then
  echo "test.sh: installing LibreOffice Writer from apt (the board paper's test opens the .docx)" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  { $sudo apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends libreoffice-writer; } >/dev/null \
    || echo "test.sh: could not install LibreOffice; the board paper's PDF test will be skipped (and fail in CI)" >&2
fi

# Every unit, integration and property test (the crate has no doc tests). The totals over all
# test binaries close the output, so the summary is the last thing a reader (or CI) sees.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
[ $# -gt 0 ] || set -- --all-targets
cargo test --locked "$@" 2>&1 | tee "$log" || status=$?
totals=$(awk '/^test result: / { for (i = 1; i <= NF; i++) { if ($i ~ /^passed;/) p += $(i - 1); if ($i ~ /^failed;/) f += $(i - 1) } } END { printf "%d passed, %d failed", p, f }' "$log")
echo
echo "$totals"
exit "$status"
