"""Internal links of a built site: which point at pages that are not there, which at
anchors their page lacks.

A browser's view of the output folder: every `<a href>` (and `<img src>`, stylesheet
and script) of every HTML file, resolved as the browser resolves it against the page's
own URL, is looked up among the files of the site (a folder URL means its
`index.html`); a `#fragment` must be an `id` (or an `<a name>`) of the page it lands
on. Links to other hosts, `mailto:` and the like are not the site's business.
`bench/link_check.py` runs it on any library; the tests run it on fixture builds.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

from lxml import html as lxml_html

# The attributes that make the browser fetch or navigate to a URL.
_LINKED = (("a", "href"), ("img", "src"), ("link", "href"), ("script", "src"))


@dataclass(frozen=True)
class BadLink:
    page: str  # site path of the page holding the link (`sources/x/full/index.html`)
    href: str  # as written
    target: str  # the site path it resolves to
    kind: str  # "page" (no such file) or "anchor" (no such id on the page)


@dataclass
class Report:
    pages: int = 0
    links: int = 0  # internal links checked
    bad: list[BadLink] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for b in self.bad if b.kind == kind)

    def by_page(self, kind: str) -> Counter:
        return Counter(b.page for b in self.bad if b.kind == kind)


def _ids(tree) -> set[str]:
    return {str(v) for v in tree.xpath("//@id | //a/@name")}


def _file_for(site: Path, path: str) -> str | None:
    """The site file a URL path (relative to the site root, decoded) serves, if any."""
    path = path.lstrip("/")
    candidates = [path] if path and not path.endswith("/") else []
    candidates.append(posixpath.join(path, "index.html") if path else "index.html")
    for c in candidates:
        if (site / c).is_file():
            return c
    return None


def check_site(site: Path, host: str = "") -> Report:
    """Every internal link of the built site in ``site``. ``host``: the site's own
    host (from `site_url`), whose absolute links count as internal too."""
    site = Path(site)
    report = Report()
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    ids: dict[str, set[str]] = {}
    trees = {}
    for rel in pages:
        try:
            trees[rel] = lxml_html.fromstring((site / rel).read_bytes())
        except (ValueError, lxml_html.etree.ParserError):
            continue  # an empty file: nothing links from it
        ids[rel] = _ids(trees[rel])
    report.pages = len(trees)

    def ids_of(rel: str) -> set[str]:
        if rel not in ids:
            try:
                ids[rel] = _ids(lxml_html.fromstring((site / rel).read_bytes()))
            except (ValueError, lxml_html.etree.ParserError):
                ids[rel] = set()
        return ids[rel]

    for rel, tree in trees.items():
        here = "/" + rel
        for tag, attr in _LINKED:
            for el in tree.iter(tag):
                href = (el.get(attr) or "").strip()
                if not href:
                    continue
                parts = urlsplit(href)
                if parts.scheme or parts.netloc:
                    if parts.scheme not in ("http", "https", "") or not host:
                        continue
                    if (parts.hostname or "") != host:
                        continue
                url, frag = urldefrag(href)
                if not url:  # `#frag`: this page
                    target = rel
                else:
                    path = unquote(urlsplit(url).path)
                    joined = posixpath.normpath(posixpath.join(posixpath.dirname(here), path))
                    if path.endswith("/") and not joined.endswith("/"):
                        joined += "/"
                    report.links += 1
                    found = None if joined.startswith("/..") else _file_for(site, joined)
                    if found is None:
                        report.bad.append(BadLink(rel, href, joined.lstrip("/"), "page"))
                        continue
                    target = found
                if not url:
                    report.links += 1
                if tag == "a" and frag and target.endswith(".html"):
                    if unquote(frag) not in ids_of(target):
                        report.bad.append(BadLink(rel, href, f"{target}#{frag}", "anchor"))
    return report
