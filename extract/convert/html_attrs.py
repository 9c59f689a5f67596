"""An HTML element's attributes as text, as the HTML readers use them.

BeautifulSoup gives an attribute as a string, as a list for the multi-valued ones
(`class`, `rel`, ...), or None when it is absent; the readers want text. One
function says how, so no reader guesses (and a type checker sees a `str`).
"""

from __future__ import annotations

from bs4 import Tag


def attr(el: Tag, name: str, default: str = "") -> str:
    """``el``'s attribute ``name`` as text: ``default`` when absent, a multi-valued one
    joined by spaces."""
    value = el.get(name)
    if value is None:
        return default
    return value if isinstance(value, str) else " ".join(value)
