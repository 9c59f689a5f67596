"""Find a page's article and strip the site chrome around and inside it.

The rule is structural, not per site: remove what is never content (scripts,
forms, hidden elements), remove what names itself chrome (nav, sidebars,
headers without a heading, footers, cookie banners, breadcrumbs, "edit this
page", tables of contents, share buttons, comment forms), then pick the deepest
content-like container that still holds nearly all of the remaining text.
"""

from __future__ import annotations

import functools
import re

from bs4 import BeautifulSoup, NavigableString, Tag

from ..markdown import strip_permalink_glyphs
from .html_attrs import attr
from .html_math import annotation_tex, is_display, math_element_tex, script_tex, wrap
from .html_tree import PageIndex, gone, tags, tags_named

# Elements that are never article text.
_NEVER = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "canvas",
    "form",
    "button",
    "input",
    "select",
    "textarea",
    "dialog",
    "svg",
    "video",
    "audio",
)
_CHROME_TAGS = ("nav",)
_CHROME_ROLES = ("navigation", "banner", "contentinfo", "search", "complementary", "dialog")

# Class/id words that mark chrome. Matched as whole words of a class name or id
# (split on - _ and camelCase), so `sidenote` or `token comment` never match.
_CHROME_WORDS = re.compile(
    r"""^(?:nav|navbar|navigation|navlinks|menu|menubar|sidebar|sidenav|breadcrumb|breadcrumbs
    |footer|cookie|cookies|gdpr|consent|share|sharing|sharedaddy|social|newsletter|subscribe
    |toc|tocsection|editthispage|sourcelink|pagination|pager|prevnext|related|comments
    |respond|disqus|rating|feedback|skiplink|headerlink|permalink|search|searchbox
    |advert|advertisement|ads|sponsor|announcement|copyright|backtotop)$""",
    re.X | re.I,
)
# Multi-word chrome names, matched on the joined words of one class or id.
_CHROME_PHRASES = re.compile(
    r"(?:^|-)(?:edit-this-page|edit-link|edit-on-github|table-of-contents|prev-next|"
    r"previous-next|comment-form|comment-respond|skip-link|back-to-top|print-none|"
    r"site-header|site-nav|post-nav|post-navigation|page-nav|related-posts)(?:-|$)",
    re.I,
)
_CHROME_LINK_TEXT = re.compile(
    r"^\s*(edit (this page|on github)|show source|view (page )?source|improve this page|"
    r"skip to (main )?content|suggest an edit|report an issue)\s*$",
    re.I,
)
_CONTENT_WORDS = re.compile(
    r"^(?:content|article|articlebody|post|entry|main|document|markdown|prose|story|"
    r"body|blog|rst|documentwrapper|bodywrapper|maincontent|postcontent|entrycontent)$",
    re.I,
)
_SUBHEADINGS = ("h2", "h3", "h4", "h5", "h6")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[-_\s]+", _CAMEL.sub("-", name)) if w]


def _names(el: Tag) -> list[str]:
    names = list(el.get("class") or [])
    if el.get("id") and not _id_is_heading_slug(el):
        names.append(attr(el, "id"))
    return names


def _id_is_heading_slug(el: Tag) -> bool:
    """Sections carry ids made from their headings ("sharing-memory-..."): such an
    id says what the text is about, not that it is chrome."""
    if el.name in ("section", "article", "h1", "h2", "h3", "h4", "h5", "h6"):
        return True
    first = next((c for c in el.children if isinstance(c, Tag)), None)
    return first is not None and first.name in ("h1", "h2", "h3", "h4", "h5", "h6")


def is_chrome(el: Tag) -> bool:
    if el.name in _CHROME_TAGS:
        return True
    if attr(el, "role").lower() in _CHROME_ROLES:
        return True
    return any(_chrome_name(name) for name in _names(el))


# A site repeats the same few class names thousands of times: each is judged once.
@functools.lru_cache(maxsize=4096)
def _chrome_name(name: str) -> bool:
    words = _words(name)
    if any(_CHROME_WORDS.match(w) for w in words):
        return True
    return bool(_CHROME_PHRASES.search("-".join(w.lower() for w in words)))


@functools.lru_cache(maxsize=4096)
def _content_name(name: str) -> bool:
    return any(_CONTENT_WORDS.match(w) for w in _words(name))


def _is_content_like(el: Tag) -> bool:
    if el.name in ("main", "article"):
        return True
    if not el.attrs:  # most tags: no role, class or id to judge
        return False
    if attr(el, "role").lower() == "main":
        return True
    return any(_content_name(n) for n in _names(el))


_CODE = ("pre", "code", "math")


def _in_code(el: Tag) -> bool:
    return any(p.name in _CODE for p in el.parents)


def _tags_in_code(root: Tag) -> list[tuple[Tag, bool]]:
    """Every tag below ``root`` in page order, with whether it sits in code
    (`_in_code`), from one walk."""
    found = tags(root)
    if root.name in _CODE or _in_code(root):
        return [(el, True) for el in found]
    # Code is a small part of a page: mark what sits below each code element.
    inside: set[int] = set()
    for el in found:
        if el.name in _CODE and id(el) not in inside:
            inside.update(id(t) for t in tags(el))
    return [(el, id(el) in inside) for el in found]


def _is_hidden(el: Tag) -> bool:
    if not el.attrs:  # most tags: asked of every tag of the page
        return False
    return (
        el.has_attr("hidden")
        or attr(el, "aria-hidden").lower() == "true"
        or bool(_HIDDEN_STYLE.search(attr(el, "style")))
    )


# ---------- math first: its sources live in scripts and hidden annotations ----------
def _lift_math(soup: BeautifulSoup, index: PageIndex) -> None:
    """Replace every math rendering by a `<tex-math>` holding its TeX source."""
    for script in index.named("script"):
        found = script_tex(script)
        if found is None:
            continue
        tex, display = found
        # MathJax 2 puts a rendered twin (and a preview) just before the script.
        for sib in list(script.previous_siblings)[:3]:
            if isinstance(sib, Tag) and any(
                c.startswith("MathJax") for c in (sib.get("class") or [])
            ):
                sib.decompose()
        script.replace_with(_tex_node(soup, tex, display))
    for katex in index.with_class("katex"):
        if gone(katex):
            continue
        katex_tex = annotation_tex(katex)
        if katex_tex is None:
            continue
        display = any("katex-display" in (p.get("class") or []) for p in katex.parents)
        katex.replace_with(_tex_node(soup, katex_tex, display))
    for mjx in index.named("mjx-container"):
        math = mjx.find("math")
        tex = annotation_tex(mjx) or (math_element_tex(math) if math else "")
        if tex:
            display = attr(mjx, "display").lower() == "true"
            mjx.replace_with(_tex_node(soup, tex, display))
    for math in index.named("math"):
        if gone(math):
            continue
        math.replace_with(_tex_node(soup, math_element_tex(math), is_display(math)))


def _tex_node(soup: BeautifulSoup, tex: str, display: bool) -> Tag:
    node = soup.new_tag("tex-math")
    node["display"] = "block" if display else "inline"
    node.string = wrap(tex, display)
    return node


# ---------- cleaning ----------
def page_index(soup: BeautifulSoup) -> PageIndex:
    """The one walk of a freshly parsed page that the questions below are answered from."""
    return PageIndex(soup, classes=("katex",))


def clean(soup: BeautifulSoup, index: PageIndex | None = None) -> None:
    """Remove everything that is never article text, whatever the site. ``index``: the
    page's, when the caller has one (`page_index`)."""
    index = index or page_index(soup)
    for c in index.comments():
        c.extract()
    _lift_math(soup, index)
    for el in index.named(*_NEVER):
        if not gone(el):
            el.decompose()
    for el in tags(soup):
        if gone(el):
            continue
        if el.name == "tex-math":
            continue
        if _is_hidden(el) and not _in_code(el):
            el.decompose()


def strip_chrome(root: Tag, total: int, weights: dict[int, int] | None = None) -> None:
    """Remove chrome inside ``root``; an element holding most of the text is kept.
    ``weights``: `text_weights(root)`, when the caller has them; they are kept true of
    what remains (as `text_weights(root)` would measure it again)."""
    weights = weights if weights is not None else text_weights(root)
    for el, in_code in _tags_in_code(root):
        if gone(el) or el.name == "tex-math" or in_code:
            continue
        if not el.attrs and el.name not in _CHROME_BY_NAME:
            continue  # most tags: nothing names them chrome
        if _remove_as_chrome(el) and weights.get(id(el), 0) <= 0.5 * total:
            _remove(el, root, weights)
    for a in tags_named(root, ("a",)):
        if not gone(a) and _CHROME_LINK_TEXT.match(a.get_text()):
            parent = a.parent
            _remove(a, root, weights)
            if parent is not None and parent is not root and not parent.get_text(strip=True):
                _remove(parent, root, weights)


def _remove(el: Tag, root: Tag, weights: dict[int, int]) -> None:
    """Decompose ``el``, its text taken off the weights of the elements up to ``root``.
    An element's weight is the sum of its children's and its own strings', so this is
    what measuring the tree again gives, without walking it again."""
    weight = weights.get(id(el), 0)
    if weight:
        node = el.parent
        while node is not None:
            weights[id(node)] -= weight
            if node is root:
                break
            node = node.parent
    el.decompose()


# Tags `_remove_as_chrome` may remove whatever their attributes say.
_CHROME_BY_NAME = frozenset([*_CHROME_TAGS, "header", "footer", "aside"])


def _remove_as_chrome(el: Tag) -> bool:
    if el.name == "header":
        return not el.find(["h1", "h2"]) or attr(el, "role").lower() == "banner"
    if el.name == "footer":
        return not any("footnote" in n.lower() for n in _names(el))
    if el.name == "aside":
        return is_chrome(el) or not any(p.name in ("article", "main") for p in el.parents)
    return is_chrome(el)


# ---------- choosing the article ----------
def text_weights(root: Tag) -> dict[int, int]:
    """Visible non-link text length under each element (id(el) -> length)."""
    weights: dict[int, int] = {}

    def walk(el: Tag, in_link: bool) -> int:
        total = 0
        link = in_link or el.name == "a"
        for child in el.contents:
            if isinstance(child, Tag):
                total += walk(child, link)
            elif not link and isinstance(child, NavigableString):
                total += len(child.strip())
        weights[id(el)] = total
        return total

    walk(root, False)
    return weights


def subheading_counts(root: Tag) -> dict[int, int]:
    """The number of h2-h6 headings below each element (id(el) -> count), in one walk."""
    counts: dict[int, int] = {}

    def walk(el: Tag) -> int:
        total = 0
        for child in el.contents:
            if isinstance(child, Tag):
                total += walk(child) + (child.name in _SUBHEADINGS)
        counts[id(el)] = total
        return total

    walk(root)
    return counts


def _inside(el: Tag, ancestor: Tag) -> bool:
    """Whether ``el`` is below ``ancestor``."""
    node = el.parent
    while node is not None:
        if node is ancestor:
            return True
        node = node.parent
    return False


def main_content(soup: BeautifulSoup) -> Tag:
    """The element holding the article: the deepest content-like container with
    nearly all the page's text, or the body when no container qualifies."""
    body = soup.body or soup
    weights = text_weights(body)
    total = weights.get(id(body), 0)
    strip_chrome(body, total, weights)  # keeps `weights` true of what remains
    total = weights.get(id(body), 0)
    if total == 0:
        return body
    candidates = [el for el in tags(body) if _is_content_like(el)]
    best = max(candidates, key=lambda el: weights.get(id(el), 0), default=None)
    if best is None or weights.get(id(best), 0) < 0.6 * total:
        return body  # no single container holds the article (e.g. project pages)
    subheads = subheading_counts(body)
    current = best
    while True:
        inner = [
            el
            for el in candidates  # page order, as a walk below `current` meets them
            if _inside(el, current)
            and weights.get(id(el), 0) >= 0.93 * weights[id(current)]
            and subheads[id(el)] == subheads[id(current)]
        ]
        if not inner:
            return current
        current = inner[0]


# ---------- metadata ----------
# Each takes the page's `PageIndex` when the caller has one (a page is asked several
# questions; each would otherwise walk it again).
def page_title(soup: BeautifulSoup, article: Tag, index: PageIndex | None = None) -> str:
    """The article's own h1, else the page's metadata title, else `<title>`."""
    h1 = article.find("h1") or _heading_before(article)
    if h1 is not None:
        text = heading_text(h1)
        if text:
            return text
    title = (index or page_index(soup)).meta("og:title", "citation_title", "twitter:title")
    if title:
        return title
    if soup.title and soup.title.get_text(strip=True):
        # Drop a trailing " | Site" / " — Site" / " - Site" suffix.
        return re.split(r"\s+[|—–-]\s+(?=[^|—–-]+$)", soup.title.get_text(" ", strip=True))[0]
    return ""


def _heading_before(article: Tag) -> Tag | None:
    """An article title placed just outside the chosen container (post headers)."""
    for parent in list(article.parents)[:3]:
        h1 = parent.find("h1")
        if h1 is not None:
            return h1
    return None


def heading_text(h: Tag) -> str:
    text = " ".join(h.get_text(" ").split())
    return strip_permalink_glyphs(text)


def page_author(soup: BeautifulSoup, index: PageIndex | None = None) -> str:
    keys = ("author", "article:author", "citation_author", "dc.creator")
    author = (index or page_index(soup)).meta(*keys)
    return "" if author.startswith(("http://", "https://")) else author


def page_date(soup: BeautifulSoup, index: PageIndex | None = None) -> str:
    index = index or page_index(soup)
    date = index.meta("article:published_time", "citation_publication_date", "date", "dc.date")
    if not date:
        t = index.first("time", "datetime")
        date = attr(t, "datetime") if t else ""
    m = re.match(r"\d{4}-\d{2}-\d{2}", date)
    return m.group(0) if m else ""


def canonical_url(soup: BeautifulSoup, index: PageIndex | None = None) -> str:
    index = index or page_index(soup)
    link = index.first("link", "rel", "canonical")
    href = attr(link, "href").strip() if link else ""
    return href or index.meta("og:url")
