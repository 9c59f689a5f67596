"""A multi-page docs guide, written for these tests, as Tier 1 stores it.

Sphinx markup with PyData-theme chrome: a landing page (`page.html`) whose
sidebar and toctree list the subpages in reading order (which is not the order
of their file names), a usage page with labelled sections (`<span id>` before
the heading, a section id that collides with one of the landing page), an API
page with `dt` ids (a Python function and a C type) and an old-style `name=`
anchor, and the general index and search pages a Sphinx site always has.
Provenance records no `order`, so the table of contents decides. Every text is
made up.
"""

from __future__ import annotations

import json
from pathlib import Path

BASE = "https://docs.widgets.example/en/latest/"
RID = "widget-toolkit"

_CHROME_TOP = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title} — Widget Toolkit 2.0 documentation</title>
<link rel="canonical" href="{url}"></head><body>
<div class="bd-header navbar"><a class="navbar-brand" href="index.html">Widget Toolkit</a>
<form class="bd-search" action="search.html"><input name="q"></form></div>
<div class="bd-sidebar-primary bd-sidebar"><nav class="bd-docs-nav" aria-label="Main">
<ul class="nav bd-sidenav"><li class="toctree-l1"><a class="reference internal" href="usage.html">Using widgets</a></li>
<li class="toctree-l1"><a class="reference internal" href="api.html">API reference</a></li>
<li class="toctree-l1"><a class="reference internal" href="genindex.html">Index</a></li></ul></nav></div>
<main id="main-content" class="bd-main"><div class="bd-content"><article class="bd-article" role="main">
"""
_CHROME_BOTTOM = """</article>
<footer class="bd-footer-article"><div class="prev-next-area"><a class="left-prev" href="index.html">previous page</a></div></footer>
</div></main>
<footer class="bd-footer"><p class="copyright">© Copyright Widget Authors.</p></footer></body></html>
"""

INDEX = """<section id="widget-toolkit"><span id="toolkit-home"></span><h1>Widget Toolkit<a class="headerlink" href="#widget-toolkit" title="Link to this heading">#</a></h1>
<p>The toolkit spins widgets. Start with <a class="reference internal" href="usage.html">Using widgets</a>,
then read the <a class="reference internal" href="api.html#wt.spin_up"><code class="docutils literal"><span class="pre">spin_up</span></code> reference</a>.</p>
<div class="toctree-wrapper compound"><ul><li class="toctree-l1"><a class="reference internal" href="usage.html">Using widgets</a></li>
<li class="toctree-l1"><a class="reference internal" href="api.html">API reference</a></li></ul></div>
<p>See <a class="reference internal" href="#installing">installing</a> and <a href="#gone-section">a section that was removed</a>.</p>
<section id="installing"><h2>Installing<a class="headerlink" href="#installing" title="Link to this heading">#</a></h2>
<p>Run the installer once per machine.</p>
</section>
</section>
"""

USAGE = """<section id="using-widgets"><h1>Using widgets<a class="headerlink" href="#using-widgets" title="Link to this heading">#</a></h1>
<p>Widgets need a spinner; failures come back as <a class="reference internal" href="api.html#c.wtResult_t"><code class="docutils literal"><span class="pre">wtResult_t</span></code></a>,
and <a class="reference internal" href="#spin-limits">the limits</a> always apply.</p>
<section id="installing"><span id="usage-install"></span><h2>Installing<a class="headerlink" href="#installing" title="Link to this heading">#</a></h2>
<p>Installing for one user only needs the user flag.</p>
</section>
<section id="spin-limits"><span id="limits"></span><h2>Spin limits<a class="headerlink" href="#spin-limits" title="Link to this heading">¶</a></h2>
<p>Limits protect the bearings. Back to the <a class="reference internal" href="index.html">toolkit home</a>,
or on to the <a class="reference external" href="../../other-project/guide.html">sister project</a>.</p>
<figure class="align-default"><img alt="limit curve" src="_images/limits.png"><figcaption><p>Speed against load.</p></figcaption></figure>
<ol class="arabic simple"><li><p>Measure the load.</p>
<ul><li><p>Keep <span class="math notranslate nohighlight">\\(x^2 + y^2 \\le r\\)</span> at all times.</p></li><li><p>Log every spin.</p></li></ul></li>
<li><p>Set the limit.</p></li></ol>
</section>
</section>
"""

API = """<section id="api-reference"><h1>API reference<a class="headerlink" href="#api-reference" title="Link to this heading">#</a></h1>
<span class="target" id="module-wt"></span><dl class="py function">
<dt class="sig sig-object py" id="wt.spin_up"><span class="sig-prename descclassname"><span class="pre">wt.</span></span><span class="sig-name descname"><span class="pre">spin_up</span></span><span class="sig-paren">(</span><em class="sig-param"><span class="n"><span class="pre">speed</span></span></em><span class="sig-paren">)</span><a class="headerlink" href="#wt.spin_up" title="Link to this definition">#</a></dt>
<dd><p>Spin a widget up to <em>speed</em>, within the <a class="reference internal" href="usage.html#limits">limits</a>.</p></dd></dl>
<dl class="c type">
<dt class="sig sig-object c" id="c.wtResult_t"><span class="k"><span class="pre">type</span></span><span class="w"> </span><span class="sig-name descname"><span class="n"><span class="pre">wtResult_t</span></span></span><a class="headerlink" href="#c.wtResult_t" title="Link to this definition">#</a></dt>
<dd><p>Result codes of every call; see <a class="reference internal" href="#wt.spin_up">spin_up</a>.</p></dd></dl>
<p><a name="legacy-anchor"></a>An old-style named anchor still names this paragraph.</p>
</section>
"""

GENINDEX = """<h1 id="index">Index</h1><div class="genindex-jumpbox"><a href="#S"><strong>S</strong></a></div>
<h2 id="S">S</h2><table class="indextable genindextable"><tr><td><ul><li><a href="api.html#wt.spin_up">spin_up() (in module wt)</a></li></ul></td></tr></table>
"""

SEARCH = """<h1 id="search-documentation">Search</h1><p>Searching for multiple words only shows matches that contain all words.</p>
<div id="search-results"></div>
"""

PAGES = {
    "page.html": ("index.html", "Widget Toolkit", INDEX),
    "subpages/usage.html": ("usage.html", "Using widgets", USAGE),
    "subpages/api.html": ("api.html", "API reference", API),
    "subpages/genindex.html": ("genindex.html", "Index", GENINDEX),
    "subpages/search.html": ("search.html", "Search", SEARCH),
}


def page(url_name: str) -> str:
    """The stored HTML of the page served as ``BASE + url_name``."""
    _, title, body = next(v for v in PAGES.values() if v[0] == url_name)
    url = BASE + url_name
    return _CHROME_TOP.format(title=title, url=url) + body + _CHROME_BOTTOM


def write_raw(raw: Path, order: list[str] | None = None) -> Path:
    """The guide under ``raw`` with its provenance; ``order``: the subpages in the
    order Tier 1 recorded (`order` fields), else none is recorded."""
    arts = {}
    for rel, (url_name, _, _) in PAGES.items():
        path = raw / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page(url_name), encoding="utf-8")
        entry = {
            "url": BASE + url_name,
            "final_url": BASE + url_name,
            "status": 200,
            "fetched_at": "2025-02-03T04:05:06Z",
            "kind": "html",
        }
        if order and rel in order:
            entry["order"] = order.index(rel)
        arts[rel] = entry
    (raw / "provenance.json").write_text(
        json.dumps({"resource": RID, "urls": [BASE + "index.html"], "artifacts": arts}),
        encoding="utf-8",
    )
    return raw
