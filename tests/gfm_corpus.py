"""Markdown as people write it for GitHub (our own text), and the element tree two
renderers make of it, for comparing our site's HTML with cmark-gfm's.

`CONSTRUCTS` names each construct; `structure(html)` keeps what a reader sees as
structure (lists and their nesting, items, links and their targets, tables, headings,
code, quotes, emphasis, paragraphs) and drops what only styles it (a tight or loose
item's `<p>`, highlight wrappers, heading permalinks, ids and classes)."""

from __future__ import annotations

import cmarkgfm
import markdown
import yaml
from bs4 import BeautifulSoup, Comment, NavigableString
from cmarkgfm.cmark import Options
from mkdocs_site import REPO

from docs_gen.gfm import gfm
from docs_gen.headings import with_heading_ids
from docs_gen.plugin import REQUIRED_EXTENSIONS

CONSTRUCTS = {
    "list right after a paragraph line": "What it needs:\n- a stage count\n- a micro-batch count\n",
    "ordered list right after a paragraph": "Steps:\n1. warm up\n2. steady state\n3. drain\n",
    "2-space nested list": "- stages\n  - first stage\n  - last stage\n- buffers\n",
    "3-space nesting under a numbered item": "1. **Claim**: one\n   - detail a\n   - detail b\n2. **Claim**: two\n",
    "three levels deep": "- one\n  - two\n    - three\n  - two again\n- one again\n",
    "item with a second paragraph": "- first item\n\n  its second paragraph\n- second item\n",
    "item text then nested list": "- intro line\n  continued line\n  - nested\n- next\n",
    "fenced code inside a numbered item": "1. run it:\n   ```bash\n   refs check\n   ```\n2. read the output\n",
    "ordered list starting at 3": "3. third\n4. fourth\n",
    "ordered list with parens": "1) first\n2) second\n",
    "marker change starts a new list": "- dash one\n- dash two\n+ plus one\n",
    "bare URL and www name": "See https://docs.example.com/stages and www.example.org for more.\n",
    "angle-bracket autolink": "Mail <https://example.com/pipeline> today.\n",
    "link and image": "A [link](https://example.com/a) and ![pic](https://example.com/p.png).\n",
    "table": "| Stage | Time |\n|---|---:|\n| warm-up | 1 ms |\n| drain | 2 ms |\n",
    "table right after a paragraph": "Timings:\n| Stage | Time |\n|---|---|\n| one | 1 |\n",
    "html details with markdown inside": "<details>\n<summary>More</summary>\n\n- hidden one\n- hidden two\n\n</details>\n",
    "html div with markdown inside": '<div align="center">\n\n**Centred** text\n\n</div>\n',
    "plain html block": "<table>\n<tr><td>raw</td></tr>\n</table>\n",
    "atx headings": "# Title\n\nText.\n\n## Section `code`\n\n### Sub *emph*\n",
    "setext heading": "Title\n=====\n\nText.\n",
    "heading right after a paragraph": "Text\n## Section\nMore\n",
    "hash without space is text": "#hashtag is not a heading\n",
    "code spans": "Use `refs check`, ``a`b`` and `x < y`.\n",
    "fence right after a paragraph": "Run:\n```python\nprint(1)\n```\n",
    "block quote with a list": "> Note:\n> - one\n> - two\n",
    "strikethrough": "~~old~~ new\n",
    "emphasis in identifiers": "snake_case_name and __init__ and *stress*\n",
    "hard line break": "line one  \nline two\n",
    "thematic break": "above\n\n---\n\nbelow\n",
    "task list": "- [ ] open\n- [x] done\n",
}

_KEEP = {
    "ul", "ol", "li", "a", "img", "table", "tr", "th", "td", "h1", "h2", "h3", "h4", "h5",
    "h6", "code", "pre", "blockquote", "del", "details", "summary", "strong", "em", "p", "hr",
    "br",
}  # fmt: skip


def github(markdown: str) -> str:
    """GitHub's HTML of ``markdown`` (cmark-gfm, raw HTML kept as GitHub shows it, and
    footnotes, which GitHub renders)."""
    return cmarkgfm.github_flavored_markdown_to_html(
        markdown, options=Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES
    )


def site_markdown() -> markdown.Markdown:
    """Python-Markdown configured as the project's mkdocs.yml plus what the plugin adds."""
    config = yaml.load((REPO / "mkdocs.yml").read_text(), yaml.BaseLoader)
    names, options = [], {}
    for item in config["markdown_extensions"]:
        name, opts = (item, {}) if isinstance(item, str) else next(iter(item.items()))
        names.append(name)
        options[name] = {
            k: v in ("true", True) if v in ("true", "false") else v for k, v in (opts or {}).items()
        }
    for name, opts in REQUIRED_EXTENSIONS.items():
        if name not in names:
            names.append(name)
        options[name] = {**opts, **options.get(name, {})}
    return markdown.Markdown(extensions=names, extension_configs=options)


def ours(text: str) -> str:
    """Our HTML of a page's text: the site's heading pass, the GitHub pass, MkDocs' reader."""
    return site_markdown().convert(gfm(with_heading_ids(text)[0]))


def structure(html: str) -> tuple:
    soup = BeautifulSoup(html, "lxml")
    return _walk(soup.body or soup)


def _walk(node) -> tuple:
    out: list = []

    def text(t: str) -> None:
        if t:
            if out and isinstance(out[-1], str):
                out[-1] += " " + t
            else:
                out.append(t)

    for ch in node.children:
        if isinstance(ch, Comment):
            continue
        if isinstance(ch, NavigableString):
            text(" ".join(str(ch).split()))
            continue
        if ch.name == "a" and "headerlink" in (ch.get("class") or []):
            continue  # the permalink the toc extension adds
        if ch.name == "input":
            text("[x]" if ch.has_attr("checked") else "[ ]")
            continue
        kids = _walk(ch)
        if ch.name not in _KEEP or (ch.name == "p" and node.name == "li"):
            for k in kids:
                text(k) if isinstance(k, str) else out.append(k)
            continue
        attrs = {}
        if ch.name == "a":
            attrs["href"] = ch.get("href")
        if ch.name == "img":
            attrs["src"] = ch.get("src")
        if ch.name == "ol" and ch.get("start") not in (None, "1"):
            attrs["start"] = ch.get("start")
        if ch.name == "pre":
            kids = (" ".join(ch.get_text().split()),)
        out.append((ch.name, tuple(sorted(attrs.items())), tuple(kids)))
    return tuple(out)
