"""A generated multi-page documentation guide, stored as Tier 1 stores one, for timing
the joined-document reader (`bench/convert_speed.py`).

Shaped like a Sphinx user guide of a GPU library (NVIDIA's theme, the shape of the
NCCL user guide the issue names): every page carries the site's chrome and the whole
table of contents in its sidebar, then an article of labelled sections (`<span id>`
before each heading, section ids), API entries with `dt` ids (C functions and
types, environment variables), highlighted code, tables, notes, and many links:
to other pages, to ids on other pages, to its own ids, off the site. The text is
made up from `site_library`'s vocabulary; nothing is copied from anywhere.

    write_guide(raw, pages=32, seed=7) -> the raw folder (page.html, subpages/, provenance.json)
"""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_library import NOUNS, Text  # noqa: E402

BASE = "https://docs.example.org/gpulib/user-guide/docs/"

_TOP = """<!DOCTYPE html>
<html class="writer-html5" lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{title} &mdash; GPULib {version} documentation</title>
<link rel="stylesheet" href="_static/css/theme.css" type="text/css">
<link rel="canonical" href="{url}">
<script src="_static/jquery.js"></script><script src="_static/doctools.js"></script>
<script>window.dataLayer = window.dataLayer || []; function track(){{dataLayer.push(arguments);}}</script>
</head><body class="wy-body-for-nav">
<div class="wy-grid-for-nav"><nav data-toggle="wy-nav-shift" class="wy-nav-side">
<div class="wy-side-scroll"><div class="wy-side-nav-search"><a href="index.html" class="icon icon-home">GPULib</a>
<div class="version">{version}</div><div role="search"><form id="rtd-search-form" class="wy-form" action="search.html" method="get">
<input type="text" name="q" placeholder="Search docs" aria-label="Search docs"></form></div></div>
<div class="wy-menu wy-menu-vertical" data-spy="affix" role="navigation" aria-label="Navigation menu">
<p class="caption" role="heading"><span class="caption-text">Contents:</span></p>
<ul class="current">{toc}</ul></div></div></nav>
<section data-toggle="wy-nav-shift" class="wy-nav-content-wrap"><nav class="wy-nav-top" aria-label="Mobile navigation menu">
<i data-toggle="wy-nav-top" class="fa fa-bars"></i><a href="index.html">GPULib</a></nav>
<div class="wy-nav-content"><div class="rst-content"><div role="navigation" aria-label="Page navigation">
<ul class="wy-breadcrumbs"><li><a href="index.html" class="icon icon-home" aria-label="Home"></a></li>
<li class="breadcrumb-item active">{title}</li><li class="wy-breadcrumbs-aside"></li></ul><hr></div>
<div role="main" class="document" itemscope="itemscope" itemtype="http://schema.org/Article">
<div itemprop="articleBody">
"""
_BOTTOM = """</div></div><footer><div class="rst-footer-buttons" role="navigation" aria-label="Footer">
<a href="{prev}" class="btn btn-neutral float-left" title="previous" accesskey="p" rel="prev">Previous</a>
<a href="{next}" class="btn btn-neutral float-right" title="next" accesskey="n" rel="next">Next</a></div>
<hr><div role="contentinfo"><p>&#169; Copyright 2020-2025, Example Corporation. Last updated on Jan 01, 2025.</p></div>
Built with <a href="https://www.sphinx-doc.org/">Sphinx</a> using a theme provided by a project.</footer>
</div></div></section></div>
<script>jQuery(function () {{ SphinxRtdTheme.Navigation.enable(true); }});</script>
</body></html>
"""


def _slug(text: str) -> str:
    return "-".join(text.lower().split())


class _Site:
    """The guide's pages, their sections and API entries: what links can point at."""

    def __init__(self, t: Text, pages: int):
        self.t = t
        self.names = ["index.html"] + [f"p{i:03d}.html" for i in range(1, pages)]
        self.titles = ["GPULib User Guide"] + [t.title(3) for _ in range(1, pages)]
        self.sections: list[list[str]] = []
        self.api: list[list[str]] = []
        for i in range(pages):
            heads = list(dict.fromkeys(t.title(2) for _ in range(t.r.randint(4, 8))))
            self.sections.append(heads)
            kinds = ("c.gpulib", "envvar-GPULIB_", "c.gpulibType")
            self.api.append(
                [
                    f"{t.r.choice(kinds)}{t.r.choice(NOUNS).title().replace('-', '')}{i}{k}"
                    for k in range(t.r.randint(0, 6))
                ]
            )

    def toc(self, current: int) -> str:
        out = []
        for i, (name, title) in enumerate(zip(self.names, self.titles, strict=True)):
            cls = "toctree-l1 current" if i == current else "toctree-l1"
            subs = "".join(
                f'<li class="toctree-l2"><a class="reference internal" href="{name}#{_slug(h)}">'
                f"{html.escape(h)}</a></li>"
                for h in self.sections[i]
            )
            out.append(
                f'<li class="{cls}"><a class="reference internal" href="{name}">'
                f"{html.escape(title)}</a><ul>{subs}</ul></li>"
            )
        return "".join(out)

    def link(self, here: int) -> str:
        """A link as a guide's text has them: mostly into the guide, some off the site."""
        r, t = self.t.r, self.t
        roll = r.random()
        words = html.escape(t.words(r.randint(1, 3)))
        if roll < 0.15:  # an id on this page
            return f'<a class="reference internal" href="#{_slug(r.choice(self.sections[here]))}">{words}</a>'
        target = r.randrange(len(self.names))
        name = self.names[target]
        if roll < 0.45:
            return f'<a class="reference internal" href="{name}#{_slug(r.choice(self.sections[target]))}">{words}</a>'
        if roll < 0.7 and self.api[target]:
            ident = r.choice(self.api[target])
            return (
                f'<a class="reference internal" href="{name}#{ident}" title="{ident}">'
                f'<code class="xref c c-func docutils literal notranslate"><span class="pre">'
                f"{ident.split('.')[-1]}()</span></code></a>"
            )
        if roll < 0.9:
            return (
                f'<a class="reference internal" href="{name}"><span class="doc">{words}</span></a>'
            )
        return f'<a class="reference external" href="https://example.com/{r.choice(NOUNS)}/">{words}</a>'

    def paragraph(self, here: int, sentences: int) -> str:
        r, t = self.t.r, self.t
        out = []
        for _ in range(sentences):
            parts = html.escape(t.words(r.randint(10, 22)).capitalize()).split()
            for _ in range(r.randint(0, 3)):
                roll = r.random()
                i = r.randrange(len(parts))
                if roll < 0.5:
                    parts[i] = self.link(here)
                elif roll < 0.8:
                    parts[i] = (
                        f'<code class="docutils literal notranslate"><span class="pre">'
                        f"{parts[i]}_{r.randint(0, 9)}</span></code>"
                    )
                else:
                    parts[i] = f"<em>{parts[i]}</em>"
            out.append(" ".join(parts) + ".")
        return "<p>" + " ".join(out) + "</p>\n"

    def code(self) -> str:
        r = self.t.r
        lines = [f"<span class=\"kt\">int</span> <span class=\"n\">{r.choice(NOUNS).replace('-', '_')}</span>"
                 f"<span class=\"p\">(</span><span class=\"kt\">void</span><span class=\"p\">)</span> <span class=\"p\">{{</span>"]  # fmt: skip
        for _ in range(r.randint(3, 12)):
            lines.append(
                f'  <span class="n">gpulib{r.choice(NOUNS).title().replace("-", "")}</span>'
                f'<span class="p">(</span><span class="n">comm</span><span class="p">,</span> '
                f'<span class="mi">{r.randint(0, 4096)}</span><span class="p">);</span> '
                f'<span class="c1">// {html.escape(self.t.words(3))}</span>'
            )
        lines.append('<span class="p">}</span>')
        return (
            '<div class="highlight-c notranslate"><div class="highlight"><pre><span></span>'
            + "\n".join(lines)
            + "\n</pre></div></div>\n"
        )

    def table(self) -> str:
        r, t = self.t.r, self.t
        head = "".join(f'<th class="head"><p>{html.escape(t.title(2))}</p></th>' for _ in range(3))
        rows = "".join(
            "<tr>"
            + "".join(f"<td><p>{html.escape(t.words(r.randint(1, 4)))}</p></td>" for _ in range(3))
            + "</tr>"
            for _ in range(r.randint(3, 9))
        )
        return (
            '<table class="docutils align-default"><thead><tr class="row-odd">'
            f"{head}</tr></thead><tbody>{rows}</tbody></table>\n"
        )

    def api_entry(self, here: int, ident: str) -> str:
        name = ident.split(".")[-1]
        return (
            f'<dl class="c function"><dt class="sig sig-object c" id="{ident}">'
            f'<span class="n"><span class="pre">gpulibResult_t</span></span> '
            f'<span class="sig-name descname"><span class="n"><span class="pre">{name}</span></span></span>'
            f'<span class="sig-paren">(</span><span class="n"><span class="pre">gpulibComm_t</span></span>'
            f' <span class="n"><span class="pre">comm</span></span><span class="sig-paren">)</span>'
            f'<a class="headerlink" href="#{ident}" title="Link to this definition">¶</a></dt>\n'
            f"<dd>{self.paragraph(here, 3)}</dd></dl>\n"
        )

    def page(self, i: int) -> str:
        r = self.t.r
        title = self.titles[i]
        body = [
            f'<section id="{_slug(title)}"><span id="label-{i}"></span>'
            f'<h1>{html.escape(title)}<a class="headerlink" href="#{_slug(title)}" '
            f'title="Link to this heading">¶</a></h1>\n',
            self.paragraph(i, 4),
        ]
        for k, head in enumerate(self.sections[i]):
            body.append(
                f'<span id="label-{i}-{k}"></span><section id="{_slug(head)}">'
                f'<h2>{html.escape(head)}<a class="headerlink" href="#{_slug(head)}" '
                f'title="Link to this heading">¶</a></h2>\n'
            )
            for _ in range(r.randint(2, 5)):
                body.append(self.paragraph(i, r.randint(2, 6)))
                roll = r.random()
                if roll < 0.35:
                    body.append(self.code())
                elif roll < 0.5:
                    body.append(self.table())
                elif roll < 0.6:
                    body.append(
                        '<div class="admonition note"><p class="admonition-title">Note</p>'
                        + self.paragraph(i, 2)
                        + "</div>\n"
                    )
            if k == 0:
                body += [self.api_entry(i, ident) for ident in self.api[i]]
            body.append("</section>\n")
        body.append("</section>\n")
        n = len(self.names)
        return (
            _TOP.format(title=html.escape(title), version="2.21", url=BASE + self.names[i], toc=self.toc(i))
            + "".join(body)
            + _BOTTOM.format(prev=self.names[(i - 1) % n], next=self.names[(i + 1) % n])
        )  # fmt: skip


def write_guide(raw: Path, pages: int = 32, seed: int = 7) -> Path:
    """A guide of ``pages`` pages under ``raw`` as Tier 1 stores one: `page.html` (its
    start page) and `subpages/`, provenance without an `order` (the table of contents
    decides, as for a real site)."""
    site = _Site(Text(seed), max(1, pages))
    (raw / "subpages").mkdir(parents=True, exist_ok=True)
    artifacts = {}
    for i, name in enumerate(site.names):
        rel = "page.html" if i == 0 else f"subpages/{name}"
        (raw / rel).write_text(site.page(i), encoding="utf-8")
        artifacts[rel] = {"url": BASE + name, "fetched_at": "2026-01-01T00:00:00Z", "kind": "html"}
    (raw / "provenance.json").write_text(
        json.dumps({"urls": [BASE + "index.html"], "artifacts": artifacts}), encoding="utf-8"
    )
    return raw
