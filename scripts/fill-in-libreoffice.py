#!/usr/bin/python3
"""Fills in a return form in LibreOffice, as an agency would, and saves it as .ods (or .xlsx).

Makes the test fixture tests/fixtures/xlsx/police-libreoffice.ods (a real LibreOffice file, so
the test that imports it needs no LibreOffice):

    panelaudit forms tests/fixtures/xlsx/testshire --cycle 2025-26 --out /tmp/forms
    /usr/bin/python3 scripts/fill-in-libreoffice.py /tmp/forms/police.xlsx \
        tests/fixtures/xlsx/police-libreoffice.ods [SUBMITTED]

Needs Debian's LibreOffice with its Python bridge (apt-get install libreoffice-calc
python3-uno) and the system Python that bridge is built for (/usr/bin/python3). Every answer
is fictional.
"""

import os
import subprocess
import sys
import tempfile
import time

import uno  # noqa: E402  (LibreOffice's Python bridge)
from com.sun.star.beans import PropertyValue  # noqa: E402

# (rating, confidence, evidence, gaps) for the questions in the form's order.
ANSWERS = [
    ("2", "medium", "Case audits in June found most referrals considered the child's daily life.",
     "Two of eight records did not say who lives in the home."),
    ("1", "low", "A draft protocol with the council is not yet signed.", ""),
    ("n/a", "", "", ""),
    ("3", "high", "Quarterly data shows every missing episode had a return interview offered.", ""),
    ("2", "medium", "Training attendance at 81 per cent of frontline officers.",
     "Response officers on nights are hardest to reach."),
]


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(60):
        try:
            return resolver.resolve(
                f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # LibreOffice is still starting
            time.sleep(0.5)
    sys.exit("LibreOffice did not start")


def column(sheet, header):
    """The index of the Return sheet's column with this header."""
    for c in range(20):
        if sheet.getCellByPosition(c, 0).getString().strip() == header:
            return c
    sys.exit(f"no column {header!r}")


def fill(doc, submitted):
    about = doc.Sheets.getByName("About")
    for r in range(20):
        label = about.getCellByPosition(0, r).getString()
        if label.startswith("Completed by"):
            about.getCellByPosition(1, r).setString("Head of Public Protection")
        if label.startswith("Submitted"):
            # Typed as a person types a date: LibreOffice turns it into a date value.
            about.getCellByPosition(1, r).setFormula(submitted)
    ret = doc.Sheets.getByName("Return")
    cols = [column(ret, h) for h in ("Rating", "Confidence", "Evidence", "Gaps and plans")]
    for i, answer in enumerate(ANSWERS):
        for c, value in zip(cols, answer):
            if value:
                ret.getCellByPosition(c, i + 1).setString(value)


def main():
    source, target = (os.path.abspath(a) for a in sys.argv[1:3])
    # The date typed as submitted (default: the fixture's, typed day first as in England).
    submitted = sys.argv[3] if len(sys.argv) > 3 else "14/10/2025"
    pipe = f"panelaudit-{os.getpid()}"
    profile = tempfile.mkdtemp()
    office = subprocess.Popen([
        "soffice", "--headless", "--norestore", "--nologo",
        f"-env:UserInstallation=file://{profile}",
        f"--accept=pipe,name={pipe};urp;",
    ])
    try:
        ctx = connect(pipe)
        desktop = ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),))
        fill(doc, submitted)
        # LibreOffice's own format, or Excel's when the target is named .xlsx.
        kind = "Calc MS Excel 2007 XML" if target.endswith(".xlsx") else "calc8"
        doc.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", kind),))
        doc.close(True)
    finally:
        office.terminate()
        office.wait()


if __name__ == "__main__":
    main()
