"""An HTML page's images: where each one is, and which ones are content.

Tier 2 writes an image as a figure marker linked to its absolute URL
(`image_url`); Tier 1 stores the content images under that same URL, so the
site finds an image again by the marker's link. Content means inside the
article (`<main>`, `<article>`, `role=main`, else the body) and outside site
chrome (navigation, headers, footers, sidebars, cookie and share bars), and
not an icon, logo, avatar, badge, emoji or tracking pixel.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

CHROME_TAGS = ("nav", "header", "footer", "aside", "noscript", "script", "template", "form")
CHROME_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search"}
_CHROME_HINT = re.compile(
    r"(^|[-_ ])(nav|navbar|menu|sidebar|footer|header|masthead|banner|cookie|consent|share|"
    r"social|breadcrumbs?|toolbar|advert|ads?|sponsor|related|newsletter|subscribe|comments?)"
    r"($|[-_ ])",
    re.I,
)
_ICON_HINT = re.compile(
    r"icon|logo|avatar|badge|emoji|sprite|spinner|pixel|spacer|tracking|gravatar|favicon",
    re.I,
)
SMALLEST = 48  # pixels: a declared width or height below this is an icon or a pixel


def image_source(img: Tag) -> str:
    """Where an image is: `src`, else a lazy loader's `data-src`, else the first
    `srcset` candidate (its own or its `<picture>`'s)."""
    for name in ("src", "data-src", "data-original"):
        value = img.get(name)
        if isinstance(value, str) and value.strip() and not value.startswith("data:"):
            return value.strip()
    picture = img.find_parent("picture")
    sources = [img] + ([*picture.find_all("source")] if picture else [])
    for el in sources:
        srcset = el.get("srcset")
        if isinstance(srcset, str) and srcset.strip():
            return srcset.split(",")[0].split()[0]
    return ""


def link_target(url: str) -> str:
    """A URL written so that a markdown link target cannot end early."""
    return (
        url.replace(" ", "%20")
        .replace("(", "%28")
        .replace(")", "%29")
        .replace("<", "%3C")
        .replace(">", "%3E")
    )


def image_url(base_url: str, src: str) -> str:
    """An image's absolute http(s) URL as a figure marker links it, or ""."""
    src = src.strip()
    if not src:
        return ""
    url = urljoin(base_url, src) if base_url else src
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        return ""
    return link_target(url)


def attr(el: Tag, name: str) -> str:
    """An attribute as text (bs4 gives a list for `class`, `rel`, ...); the model
    layer's own, as `extract.convert.html_attrs` is a tier's."""
    value = el.get(name)
    if value is None:
        return ""
    return value if isinstance(value, str) else " ".join(value)


def _attrs(el: Tag) -> str:
    return " ".join([attr(el, "id"), attr(el, "class")])


def _in_chrome(img: Tag, scope: Tag) -> bool:
    for el in img.parents:
        if el is scope or el.name in ("body", "html", "[document]"):
            return False
        if el.name in CHROME_TAGS or attr(el, "role").lower() in CHROME_ROLES:
            return True
        if _CHROME_HINT.search(_attrs(el)):
            return True
    return False


def _small(img: Tag) -> bool:
    for dim in ("width", "height"):
        value = attr(img, dim).strip().removesuffix("px")
        if value.isdigit() and int(value) < SMALLEST:
            return True
    return False


def content_images(html: bytes | str, base_url: str) -> list[str]:
    """The absolute URLs of the page's content images, in page order, once each."""
    soup = BeautifulSoup(html, "lxml")
    scope = soup.find("main") or soup.find(role="main") or soup.find("article") or soup.body or soup
    base = soup.find("base", href=True)
    if isinstance(base, Tag):
        base_url = urljoin(base_url, attr(base, "href"))
    out: list[str] = []
    for img in scope.find_all("img"):
        src = image_source(img)
        words = " ".join([src, attr(img, "alt"), _attrs(img)])
        if not src or _small(img) or _ICON_HINT.search(words) or _in_chrome(img, scope):
            continue
        url = image_url(base_url, src)
        if url and urlsplit(url).path.lower().endswith(".svg"):
            continue  # the site shows raster images only
        if url and url not in out:
            out.append(url)
    return out
