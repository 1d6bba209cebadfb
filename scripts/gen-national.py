#!/usr/bin/env python3
"""Generates a synthetic national collection for the build benchmark (scripts/bench-national.sh).

    scripts/gen-national.py OUT [--partnerships 150] [--seed 17]

Every partnership is made from the worked example (audits/example), which is fictional: its two
self-assessment cycles (2024-25 and 2025-26, the bundled panel-2023-24 bank of 48 questions plus
nothing else; its tabletop, case-audit and survey cycles are left out, with the briefings written
about them), eight of its ten agencies (the youth justice
service and the voluntary network are dropped), its metrics, actions and briefings. Each copy has
its own name ("Synthetic Area 001 Safeguarding Children Partnership") and its own ratings and
metric values, moved from the example's by a seeded random step, so the collection's comparison
pages show a spread. The same seed gives the same bytes. Only the standard library is used.
"""

import argparse
import random
import re
import shutil
import sys
from pathlib import Path

DROPPED_AGENCIES = ("youth-justice", "voluntary")
KEPT_CYCLES = ("2024-25", "2025-26")


def drop_agencies(text: str) -> str:
    """Removes the [[agencies]] blocks of the dropped agencies from partnership.toml."""
    blocks = re.split(r"(?m)^(?=\[\[agencies\]\]|\[priority\]|\[publication\])", text)
    kept = [
        b
        for b in blocks
        if not (b.startswith("[[agencies]]") and any(f'id = "{a}"' in b for a in DROPPED_AGENCIES))
    ]
    return "".join(kept)


def jitter_ratings(text: str, rng: random.Random) -> str:
    def step(m: re.Match) -> str:
        v = int(m.group(2)) + rng.choice((-1, 0, 0, 0, 1))
        return f"{m.group(1)}{min(3, max(0, v))}"

    return re.sub(r"(?m)^(rating = )(\d)\b", step, text)


def jitter_values(text: str, rng: random.Random) -> str:
    """Moves every value in a metrics.toml `values = { ... }` line by up to 15%."""

    def one(m: re.Match) -> str:
        v = float(m.group(2)) * (1 + rng.uniform(-0.15, 0.15))
        return f"{m.group(1)}{v:.1f}"

    def line(m: re.Match) -> str:
        return re.sub(r'("\d{4}-\d{2}" = )([0-9.]+)', one, m.group(0))

    return re.sub(r"(?m)^values = \{.*\}$", line, text)


def jitter_csv(text: str, rng: random.Random) -> str:
    out = []
    for i, row in enumerate(text.splitlines()):
        cells = row.split(",")
        if i > 0 and len(cells) == 3:
            try:
                cells[2] = f"{float(cells[2]) * (1 + rng.uniform(-0.15, 0.15)):.1f}"
            except ValueError:
                pass
        out.append(",".join(cells))
    return "\n".join(out) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--partnerships", type=int, default=150)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--example", type=Path, default=Path(__file__).resolve().parent.parent / "audits/example")
    args = ap.parse_args()
    if args.out.exists() and any(args.out.iterdir()):
        print(f"gen-national: {args.out} is not empty", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    for n in range(1, args.partnerships + 1):
        rng = random.Random(args.seed * 100003 + n)
        dest = args.out / f"area-{n:03d}"
        shutil.copytree(args.example, dest)
        for c in (dest / "cycles").iterdir():
            if c.name not in KEPT_CYCLES:
                shutil.rmtree(c)
        for b in (dest / "briefings").glob("*.md"):
            m = re.search(r'(?m)^cycle = "(.*)"$', b.read_text())
            if m and m.group(1) not in KEPT_CYCLES:
                b.unlink()
        for a in DROPPED_AGENCIES:
            for f in dest.glob(f"cycles/*/responses/{a}.toml"):
                f.unlink()
        p = dest / "partnership.toml"
        text = drop_agencies(p.read_text())
        text = re.sub(r'(?m)^name = ".*"$', f'name = "Synthetic Area {n:03d} Safeguarding Children Partnership"', text, count=1)
        text = re.sub(r'(?m)^short_name = ".*"$', f'short_name = "SA{n:03d}"', text, count=1)
        text = re.sub(r'(?m)^area = ".*"$', f'area = "Synthetic Area {n:03d}"', text, count=1)
        p.write_text(text)
        for f in sorted(dest.glob("cycles/*/responses/*.toml")) + sorted(dest.glob("cycles/*/moderation.toml")):
            f.write_text(jitter_ratings(f.read_text(), rng))
        m = dest / "metrics.toml"
        if m.exists():
            m.write_text(jitter_values(m.read_text(), rng))
        c = dest / "metrics.csv"
        if c.exists():
            c.write_text(jitter_csv(c.read_text(), rng))
    return 0


if __name__ == "__main__":
    sys.exit(main())
