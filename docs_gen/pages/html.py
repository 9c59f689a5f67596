"""HTML fragments of generated pages, rendered from the package's Jinja templates.

Jinja2 comes with MkDocs but is used here on its own, so a page stays a function of
the `Library` (no MkDocs needed). Autoescaping is on: every library-derived value is
text; the few fragments that are HTML by construction (badges, ticks) are passed
wrapped in `Markup`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from extract.markdown import escape

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "pages"


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,  # a misspelt field is an error, not an empty cell
        keep_trailing_newline=True,
    )
    # Text in a `markdown="span"` cell: shown as written, markdown and HTML alike.
    env.filters["md_text"] = lambda value: Markup(escape(str(value), html=True))
    return env


def render(name: str, **context) -> str:
    return _environment().get_template(name).render(**context)
