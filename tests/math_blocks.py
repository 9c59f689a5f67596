"""How GitHub and the site read the `$$...$$` display formulas of a markdown page.

GitHub (cmark-gfm) parses blocks first, so a formula is whole when one paragraph holds
both its `$$`; a formula split into a paragraph, a list and a stray `$$` leaves block
elements each holding an odd number of `$$`. The site (the GitHub pass, then
Python-Markdown with arithmatex) turns a whole formula into one `div.arithmatex` and
leaves the `$$` of a split one in the text.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from gfm_corpus import github, ours

# Displays whose lines begin as markdown blocks do (a leading minus, a `> 0` row, a
# lone `=`, ties, a `<p` comparison, `1)` closing a bracket), in every writer's form,
# one inside a list item.
BLOCK_LIKE_DISPLAYS = r"""
The dual reads
\begin{equation}\label{e:dual}
- \!\!\min_{\mu} \mathrm{KL}(\alpha|\mu)
  + \langle \mu, e^{-C}\rangle - 1
\end{equation}
and its bound is
\[
  f(x) = (x +
  1) y
  > 0 % positive
\]
\begin{align}
a &= b \\
- c &= d \\
+ e &= f
\end{align}
\begin{equation*}
u
=
v
-
w
\end{equation*}
$$
\alpha
* \beta
~~~ \gamma
<p \le q
$$
\begin{itemize}
\item A bound inside an item:
\begin{equation}
  g
  - h
\end{equation}
\end{itemize}
"""
# ... and the TeX of each as the site shows it (arithmatex's `\\[...\\]`, blanks as one).
DISPLAYS_SHOWN = [
    "\\[ - \\!\\!\\min_{\\mu} \\mathrm{KL}(\\alpha|\\mu) + \\langle \\mu, e^{-C}\\rangle - 1"
    " \\tag{1} \\]",
    "\\[ f(x) = (x + 1) y > 0 \\]",
    "\\[ \\begin{aligned} a &= b \\qquad\\text{(2)} \\\\ - c &= d \\qquad\\text{(3)} \\\\"
    " + e &= f \\qquad\\text{(4)} \\end{aligned} \\]",
    "\\[ u = v - w \\]",
    "\\[ \\alpha * \\beta ~~~ \\gamma <p \\le q \\]",
    "\\[ g - h \\tag{5} \\]",
]

_DOLLARS = re.compile(r"(?<!\\)\$\$")
_CODE = {"code", "pre"}
# Elements whose own text is one block to GitHub.
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "blockquote"}


def split_on_github(markdown: str) -> list[str]:
    """Text of each block element of GitHub's HTML holding an odd number of `$$`."""
    groups: dict[int, list[str]] = {}
    for node in BeautifulSoup(github(markdown), "lxml").find_all(string=True):
        if any(p.name in _CODE for p in node.parents):
            continue
        owner = next((p for p in node.parents if p.name in _BLOCKS), None)
        if owner is not None:
            groups.setdefault(id(owner), []).append(str(node))
    texts = ("".join(group) for group in groups.values())
    return [text for text in texts if len(_DOLLARS.findall(text)) % 2]


def whole_on_github(markdown: str) -> list[str]:
    """Text of each paragraph of GitHub's HTML that starts and ends a formula."""
    soup = BeautifulSoup(github(markdown), "lxml")
    texts = (p.get_text().strip() for p in soup.find_all("p"))
    return [t for t in texts if t.startswith("$$") and t.endswith("$$") and len(t) > 4]


def site_formulas(markdown: str) -> tuple[list[str], list[str]]:
    """(the TeX of each display formula the site shows, the text around each `$$` it
    leaves unread)."""
    soup = BeautifulSoup(ours(markdown), "lxml")
    formulas = [d.get_text() for d in soup.find_all("div", class_="arithmatex")]
    left = []
    for node in soup.find_all(string=True):
        inside = any(
            p.name in _CODE or "arithmatex" in (p.get("class") or []) for p in node.parents
        )
        if not inside and "$$" in node:
            left.append(str(node).strip())
    return formulas, left
