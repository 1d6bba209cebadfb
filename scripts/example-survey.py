#!/usr/bin/env python3
"""Writes the worked example's practitioner survey export,
audits/example/cycles/2026-q2/surveys/parental-mental-health-2026.csv, shaped like a Microsoft
Forms CSV export (UTF-8 with a byte-order mark, CRLF, quoted fields holding commas and line
breaks; ID, Start time, Completion time, Email and Name columns before the questions, a
free-text question at the end). Every respondent is fictional: names are placeholders and
email addresses use the reserved .example domain. They are there to show that only the item
columns are read: no name, address, time or comment reaches the site.

Seeded, so the file is the same on every run: python3 scripts/example-survey.py
"""
import csv
import io
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "audits/example/cycles/2026-q2/surveys/parental-mental-health-2026.csv"
SCALE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
AGENCIES = [
    ("Children's social care", 9), ("Police", 6), ("Health visiting and GP practices", 8),
    ("Maternity and paediatrics", 5), ("Adult mental health services", 8), ("Early years settings", 6),
    ("Schools", 4), ("Voluntary and community sector", 2),
]
# (statement, weights over the five points): the second is where practice is weakest.
ITEMS = [
    ("When I know a parent has a mental health condition, I assess what it means for the young child's daily care, not only for the parent's treatment", [1, 3, 3, 9, 4]),
    ("I find out who all the adults in a young child's life are, including fathers, new partners and regular visitors", [4, 9, 5, 4, 1]),
    ("When I work mainly with adults, I routinely ask whether the person cares for or lives with young children", [2, 5, 3, 8, 3]),
    ("I weigh a parent's mental health together with other pressures, such as domestic abuse or substance use", [1, 2, 3, 10, 5]),
    ("When a parent's mental health gets worse or their treatment changes, I look again at the risk to the child with the others involved", [1, 4, 3, 9, 3]),
]
# Items added later draw on their own seeded generator, so that the answers to the items above
# stay as they were.
LATER_ITEMS = [
    ("I speak directly with the adults who care for a young child, including the father or male carer", [5, 10, 4, 3, 1]),
]
COMMENTS = [
    "",
    "Supervision helps, but caseloads are high, so we rarely get to see fathers.",
    "Adult services do not always tell us when a parent is discharged.\nA shared flag would help.",
    "The \"think family\" training was good; we need refreshers.",
    "",
    "Hard to reach partners who are not registered at the address, especially at weekends.",
]

def answer_from(rng, weights):
    """One answer on the scale; now and then left blank, or a label in other case."""
    answer = rng.choices(SCALE, weights=weights)[0]
    r = rng.random()
    if r < 0.03:
        return ""
    if r < 0.06:
        return answer.lower()
    return answer


def main():
    rng = random.Random(2026)
    later = random.Random(2027)
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Which agency do you work for?"]
    header += [s for s, _ in ITEMS + LATER_ITEMS]
    header.append("Is there anything else you would like to tell us?")
    rows = []
    n = 0
    for agency, count in AGENCIES:
        for _ in range(count):
            n += 1
            day = 13 + (n % 18)
            start = f"4/{day}/26 {9 + n % 8}:{(n * 7) % 60:02d}:{(n * 13) % 60:02d}"
            end = f"4/{day}/26 {9 + n % 8}:{(n * 7 + 6) % 60:02d}:{(n * 17) % 60:02d}"
            row = [str(n), start, end, f"respondent-{n:02d}@northmoor-survey.example", f"Respondent {n:02d} Placeholder", agency]
            for _, weights in ITEMS:
                row.append(answer_from(rng, weights))
            comment = rng.choice(COMMENTS)
            for _, weights in LATER_ITEMS:
                row.append(answer_from(later, weights))
            row.append(comment)
            rows.append(row)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    OUT.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    print(f"wrote {OUT} ({n} responses)")

if __name__ == "__main__":
    main()
