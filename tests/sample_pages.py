"""Synthetic pages, GitHub issue JSON and raw-folder writers for the Tier 2 convert tests.

Every page here is written for these tests: each mimics the structure and chrome
of one site family in the catalog (Sphinx with the PyTorch/PyData theme, NVIDIA
docs, a static-site blog, WordPress, Discourse, a GitHub Pages project page),
with made-up text.
"""

from __future__ import annotations

import json
from pathlib import Path

SPHINX_PAGE = """<!DOCTYPE html><html><head><title>Widget guide — Demo 1.0 documentation</title>
<link rel="canonical" href="https://docs.example.org/guide/widgets.html">
<meta name="author" content="Demo Team"></head>
<body>
<div class="container-fluid header-holder"><div class="main-menu"><ul>
<li><a href="/">Learn</a></li><li><a href="/blog">Blog</a></li></ul></div>
<header class="bd-header navbar"><a href="/">Demo</a><form class="bd-search"><input name="q"></form></header>
<div class="bd-container"><div class="bd-sidebar-primary bd-sidebar"><nav class="bd-docs-nav">
<ul><li><a href="intro.html">Sidebar intro link</a></li><li><a href="widgets.html">Widgets</a></li></ul></nav></div>
<main id="main-content" class="bd-main" role="main"><div class="bd-content">
<div class="bd-header-article"><nav aria-label="Breadcrumb"><ul class="bd-breadcrumbs">
<li><a href="/">Home</a></li><li>Crumb trail text</li></ul></nav>
<div class="rating">Rate this Page ★★★★★</div></div>
<article class="bd-article" role="main">
<section id="widget-guide"><h1>Widget guide<a class="headerlink" href="#widget-guide" title="Link to this heading">#</a></h1>
<p>Widgets spin <em>quickly</em> and <strong>quietly</strong>; see <a class="reference internal" href="../api/spin.html#spin"><code class="docutils literal"><span class="pre">spin()</span></code></a>.</p>
<div class="highlight-python notranslate"><div class="highlight"><pre><span></span><span class="kn">import</span> <span class="nn">widgets</span>
<span class="c1"># a comment that must stay</span>
<span class="n">widgets</span><span class="o">.</span><span class="n">spin</span><span class="p">()</span>
</pre></div></div>
<div class="admonition note"><p class="admonition-title">Note</p><p>Spinning is safe.</p></div>
<section id="sharing-state"><h2>Sharing state<a class="headerlink" href="#sharing-state">¶</a></h2>
<p>Shared widgets keep their state.</p>
<dl class="py function"><dt class="sig sig-object py" id="widgets.spin"><span class="sig-name">spin</span>(<em>speed</em>)<a class="headerlink" href="#widgets.spin">#</a></dt>
<dd><p>Spin a widget at <em>speed</em>.</p></dd></dl>
</section>
<section id="id1"><h2>Sharing state<a class="headerlink" href="#id1">#</a></h2>
<p>The second section with the same title.</p></section>
</section></article>
<footer class="bd-footer-article"><div class="prev-next-area"><a class="left-prev" href="a.html">previous Intro page</a></div></footer>
</div><div class="bd-sidebar-secondary bd-toc"><nav class="page-toc"><ul><li><a href="#sharing-state">Sharing state toc entry</a></li></ul></nav>
<div class="tocsection editthispage"><a href="https://github.com/x/edit">Edit on GitHub</a></div></div>
</main></div>
<div class="cookie-banner-wrapper"><p class="gdpr-notice">We use cookies to run this site.</p></div>
<footer class="site-footer"><div class="newsletter">Subscribe to the newsletter</div><p>Copyright Demo Foundation</p></footer>
<script>window.evil = 1;</script>
</body></html>
"""

NVIDIA_PAGE = """<html><head><title>Demo Kernel Guide - NVIDIA Docs</title>
<link rel="canonical" href="https://docs.nvidia.example/kernels/index.html"></head><body>
<bsp-header class="Page-header"><nav class="Navigation"><ul><li><a href="/">Products menu entry</a></li></ul></nav></bsp-header>
<div class="Page-content"><div class="Page-twoColumn"><main class="Page-main">
<bsp-search class="Page-search">Search In: all docs</bsp-search>
<div class="Page-breadcrumbs"><a class="Link" href="/">Docs Hub</a> <span class="Link">Kernel Guide</span></div>
<div class="Page-articleBody"><bsp-book-content>
<h1><a href="#">Demo Kernel Guide</a></h1>
<div class="StepModule"><div class="StepModuleHeader"><h2 class="StepModuleHeader-title"><a class="StepModuleHeader-anchorLink" href="#tile-basics">1. Tile Basics</a></h2></div>
<div class="StepModule-body"><p>Tiles are loaded <math xmlns="http://www.w3.org/1998/Math/MathML"><mrow><msub><mi>T</mi><mi>load</mi></msub></mrow></math> cycles early.</p>
<table class="table"><caption>Table 1. Tile sizes.</caption><thead><tr><th>Tile</th><th>Cost | ratio</th></tr></thead>
<tbody><tr><td>16x16</td><td>1 | 2</td></tr><tr><td colspan="2">spanning cell</td></tr></tbody></table>
<figure class="Figure"><picture><source srcset="t.svg"><img alt="tile-diagram.svg" src="t.svg"></picture></figure>
</div></div>
</bsp-book-content></div>
<bsp-copyright class="Page-copyright"><span>Copyright © 2024 Demo Corp</span></bsp-copyright>
</main><aside class="Page-aside"><div class="Book">Book sidebar chapter list</div></aside></div></div>
<footer class="Page-footer-wrapper"><p>Privacy Policy | Terms</p></footer></body></html>
"""

STATIC_BLOG = """<html><head><title>Fast Loops | Demo Blog</title>
<meta property="og:title" content="Fast Loops">
<meta name="author" content="Ada Example">
<meta property="article:published_time" content="2023-04-05T10:00:00+00:00">
<link rel="canonical" href="https://blog.example.net/2023/04/05/fast-loops.html"></head>
<body><header class="site-header"><a class="site-title" href="/">Demo Blog</a><nav class="site-nav"><a href="/about/">About</a></nav></header>
<main class="page-content"><div class="wrapper"><article class="post h-entry">
<header class="post-header"><h1 class="post-title">Fast Loops</h1><p class="post-meta"><time datetime="2023-04-05">Apr 5, 2023</time></p></header>
<div class="post-content e-content">
<p>Loops go brrr when \\(n \\le 10\\) and also $$\\sum_i x_i$$ holds.</p>
<h2 id="setup-step">Set-up: the first step</h2>
<ul><li>Outer one<ul><li>Inner alpha</li><li>Inner beta<ol><li>Deep one</li></ol></li></ul></li><li>Outer two</li></ul>
<pre class="language-rust"><code class="language-rust">fn main() { println!("```"); }</code></pre>
<p>Inline <script type="math/tex">a^2 + b^2</script> and display:</p>
<script type="math/tex; mode=display">E = mc^2</script>
<p><span class="katex"><span class="katex-mathml"><math><semantics><mrow><mi>y</mi></mrow><annotation encoding="application/x-tex">y = \\frac{1}{2}</annotation></semantics></math></span><span class="katex-html" aria-hidden="true">y=1/2 rendered</span></span> is KaTeX.</p>
<figure><img src="/img/loop.png" alt="a loop diagram"><figcaption>Figure 2: the loop, unrolled.</figcaption></figure>
<h2>Ünïcode — Überblick</h2><p>Text after a unicode heading.</p>
<h2>Results</h2><p>First results.</p><h2>Results</h2><p>Second results.</p>
<p><img src="/img/plain.png" alt="plain picture"> and a <a href="../other.html#part">relative link</a>.</p>
</div>
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3><a href="https://twitter.com/share">Tweet</a></div>
</article></div></main>
<footer class="site-footer h-card"><p>Demo Blog footer text</p></footer></body></html>
"""

WORDPRESS_PAGE = """<html><head><title>Tuning Notes &#8211; Example Press</title></head>
<body class="post-template-default single"><div id="page" class="site">
<header id="masthead" class="site-header" role="banner"><p class="site-title">Example Press</p>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu"><li><a href="/">Home menu</a></li></ul></nav></header>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
<article id="post-42" class="post-42 post type-post"><header class="entry-header"><h1 class="entry-title">Tuning Notes</h1></header>
<div class="entry-content"><p>Tuning starts with measurement.</p>
<h2>Measure first</h2><p>Always measure before tuning.</p>
<div class="wp-block-code"><pre class="wp-block-code"><code lang="bash" class="language-bash">perf stat ./app</code></pre></div>
</div>
<footer class="entry-footer"><span class="cat-links">Posted in Uncategorized</span></footer></article>
<nav class="navigation post-navigation"><a href="/prev">Previous post title</a></nav>
<div id="comments" class="comments-area"><h2 class="comments-title">One thought on this</h2>
<div id="respond" class="comment-respond"><form id="commentform"><textarea name="comment"></textarea></form></div></div>
</main></div><aside id="secondary" class="widget-area"><section class="widget"><h2 class="widget-title">Recent Posts</h2></section></aside></div>
<footer id="colophon" class="site-footer"><div class="site-info">Proudly powered by WordPress</div></footer></div></body></html>
"""

DISCOURSE_PAGE = """<html><head><title>How do stages overlap? - Demo Forums</title>
<link rel="canonical" href="https://discuss.example.org/t/how-do-stages-overlap/77"></head><body>
<header class="d-header"><div class="title"><a href="/">Demo Forums</a></div></header>
<div id="main-outlet" class="wrap" role="main">
<h1><a href="/t/how-do-stages-overlap/77">How do stages overlap?</a></h1>
<div class="topic-category"><span class="category-name">distributed</span></div>
<div itemscope itemtype="http://schema.org/DiscussionForumPosting" class="topic-body crawler-post">
<div class="crawler-post-meta"><span class="creator" itemprop="author"><a href="/u/alice"><span itemprop="name">alice</span></a></span>
<time itemprop="datePublished" datetime="2024-01-02T03:04:05Z" class="post-time">January 2, 2024</time></div>
<div class="post" itemprop="text"><p>My stages never overlap. Why?</p></div></div>
<div itemscope itemtype="http://schema.org/Comment" class="topic-body crawler-post">
<div class="crawler-post-meta"><span class="creator"><a href="/u/bob"><span>bob</span></a></span></div>
<div class="post" itemprop="text"><p>Use separate streams for send and compute.</p></div></div>
</div>
<footer class="container wrap"><nav class="crawler-nav"><ul><li><a href="/">Home</a></li><li><a href="/categories">Categories</a></li></ul></nav>
<p class="powered-by-link">Powered by Discourse</p></footer></body></html>
"""

PROJECT_PAGE = """<!DOCTYPE html><html><head><title>StageFlow: Overlapping Stages</title>
<meta name="description" content="project page"></head><body>
<nav class="navbar"><a class="navbar-item" href="https://example.io">More research</a></nav>
<section class="hero"><div class="hero-body"><div class="container has-text-centered">
<h1 class="title is-1 publication-title">StageFlow: Overlapping Stages</h1>
<div class="publication-authors"><span class="author-block">Ann One</span>, <span class="author-block">Ben Two</span></div>
<div class="publication-links"><a class="button" href="https://arxiv.org/abs/0000.00000"><span>arXiv</span></a></div>
</div></div></section>
<section class="section"><div class="container"><h2 class="title is-3">Abstract</h2>
<div class="content has-text-justified"><p>We overlap pipeline stages to hide latency.</p></div></div></section>
<section class="section" id="BibTeX"><div class="container content"><h2 class="title">BibTeX</h2>
<pre><code>@article{one2024stageflow, title={StageFlow}}</code></pre></div></section>
<footer class="footer"><div class="content"><p>This website is licensed under a Creative Commons license.</p></div></footer>
</body></html>
"""

HOSTILE_PAGE = """<html><head><title>Hostile</title><style>body{color:red}</style></head><body>
<article><h1>Hostile page</h1>
<p onclick="steal()">Click <a href="javascript:alert(1)">this link</a> and <a href="JaVaScRiPt:void(0)">that</a>.</p>
<p>An image <img src="x.png" alt="broken" onerror="alert(2)"> here.</p>
<iframe src="https://evil.example/"></iframe>
<script>alert(3)</script><noscript><p>noscript text</p></noscript>
<p>Literal &lt;script&gt;alert(4)&lt;/script&gt; typed as text.</p>
<p><a href="data:text/html;base64,PHNjcmlwdD4=">data link</a></p>
<pre><code class="language-html">&lt;script&gt;kept(in, code)&lt;/script&gt;</code></pre>
</article></body></html>
"""


def issue_json(**extra) -> dict:
    issue = {
        "url": "https://api.github.com/repos/demo/proj/issues/7",
        "html_url": "https://github.com/demo/proj/issues/7",
        "number": 7,
        "title": "Stages stall | under load",
        "user": {"login": "carol"},
        "labels": [{"name": "bug"}, {"name": "module: pipeline"}],
        "state": "open",
        "created_at": "2024-02-03T04:05:06Z",
        "updated_at": "2024-02-05T00:00:00Z",
        "closed_at": None,
        "comments": 2,
        "body": "### Repro\r\n\r\n```python\r\nrun()\r\n```\r\n\r\nIt <b>stalls</b>.",
    }
    issue.update(extra)
    return issue


def comments_json() -> list:
    return [
        {"user": {"login": "dave"}, "created_at": "2024-02-04T01:00:00Z", "body": "Same here."},
        {
            "user": {"login": "erin"},
            "created_at": "2024-02-05T01:00:00Z",
            "body": "Unclosed fence:\n```\nstill code",
        },
    ]


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def provenance(raw: Path, rid: str, entries: dict[str, dict]) -> None:
    arts = {
        rel: {
            "url": e.get("url", ""),
            "final_url": e.get("final_url", e.get("url", "")),
            "fetched_at": e.get("fetched_at", "2025-01-02T03:04:05Z"),
            **e,
        }
        for rel, e in entries.items()
    }
    write(raw / "provenance.json", json.dumps({"resource": rid, "artifacts": arts}))
