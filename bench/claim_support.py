"""Does the claim-support rule catch a changed number? Mutate each one and count.

    .venv/bin/python bench/claim_support.py [CORPUS_DIR] [--show]

Reads the real cards in CORPUS_DIR/_cards (default ../shared/corpus) and, for each
source they cite, the corpus's reference CORPUS_DIR/<id>/full.md. First it runs the
rule on every claim as written: a correct card must give no warning (any warning
here is a false one, printed). Then, for each number written in a claim's text (each
run of digits: `2.27`, the `2` of `DiT-XL/2`, each side of `256×256`), it makes one
mutated copy of the claim with that number changed (its last digit moved by one) and
asks the rule again: caught when it reports a fact missing from the cited passages.
Prints the share caught (the issue's goal: at least 95 %) and, with --show, each
mutation. Skips cleanly (exit 0) when the corpus is absent.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extract.cards import parse_card  # noqa: E402
from extract.claim_support import cited_text, is_unverified, unsupported  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def mutate(number: str) -> str:
    """The number with its last digit moved by one (9 becomes 8)."""
    last = int(number[-1])
    return number[:-1] + str(last + 1 if last < 9 else last - 1)


def claim_numbers(text: str) -> list[re.Match[str]]:
    """Every run of digits in the claim's own words (link targets left out)."""
    spans = [m.span() for m in re.finditer(r"\]\([^)]*\)", text)]
    return [m for m in _DIGITS.finditer(text) if not any(a <= m.start() < b for a, b in spans)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--show", action="store_true", help="print each mutation and its verdict")
    args = ap.parse_args(argv)
    cards_dir = args.corpus / "_cards"
    if not cards_dir.is_dir():
        print(f"skipped: no corpus cards at {cards_dir}")
        return 0

    def passages(claim) -> list[str] | None:
        texts = []
        for c in claim.citations:
            if not c.anchor:
                continue
            full = args.corpus / c.rid / "full.md"
            text = (
                cited_text(full.read_text(encoding="utf-8"), c.anchor) if full.is_file() else None
            )
            if text is None:
                return None
            texts.append(text)
        return texts or None

    claims = checked = false_warnings = numbers = caught = 0
    skipped: list[str] = []
    for path in sorted(cards_dir.glob("*.md")):
        card = parse_card(path)
        for claim in card.claims:
            claims += 1
            label = f"{card.rid} claim {claim.number}"
            texts = passages(claim)
            if texts is None or is_unverified(claim):
                skipped.append(f"{label}: no readable cited passage or (unverified)")
                continue
            checked += 1
            for fact in unsupported(claim.text, texts):
                false_warnings += 1
                print(f"FALSE WARNING {label}: `{fact.shown}` ({fact.kind}) not found")
            for m in claim_numbers(claim.text):
                numbers += 1
                changed = mutate(m.group(0))
                text = claim.text[: m.start()] + changed + claim.text[m.end() :]
                missing = unsupported(text, texts)
                caught += bool(missing)
                if args.show or not missing:
                    verdict = (
                        f"caught: `{missing[0].shown}`" if missing else "MISSED (still supported)"
                    )
                    context = text[max(0, m.start() - 25) : m.start() + len(changed) + 25]
                    print(f"{label}: {m.group(0)} -> {changed} in …{context}…: {verdict}")
    for note in skipped:
        print(f"skipped {note}")
    share = caught / numbers if numbers else 0.0
    print(
        f"\n{len(list(cards_dir.glob('*.md')))} cards, {claims} claims ({checked} checked): "
        f"{false_warnings} false warning(s) on the claims as written"
    )
    print(f"numbers mutated: {numbers}; caught: {caught} ({share:.1%}; goal >= 95%)")
    return 1 if false_warnings else 0


if __name__ == "__main__":
    sys.exit(main())
