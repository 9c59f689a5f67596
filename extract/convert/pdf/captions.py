"""Captions: `Figure 3: ...`, `Table 2. ...`, IEEE's `TABLE IV`."""

from __future__ import annotations

import re

CAPTION = re.compile(
    r"^(?P<kind>Figure|Fig\.|Table|Algorithm|Listing)\s+(?P<num>\d+(?:\.\d+)*|[A-Z]\.?\d*)\s*(?P<sep>[:.|—–-])(?!\d)\s*(?P<rest>.*)$",
    re.S,
)


def is_table_caption(text: str) -> bool:
    """`Table 2: ...` or IEEE's bare `TABLE IV` line above its table."""
    return bool(re.match(r"^(Table|TABLE)\s+([0-9]+|[IVX]+)\b", text)) and (
        bool(CAPTION.match(text)) or bool(re.fullmatch(r"(Table|TABLE)\s+([0-9]+|[IVX]+)\.?", text))
    )
