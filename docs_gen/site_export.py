"""`refs site --out DIR`: the whole site as plain markdown, buildable without our plugin.

MkDocs 2 drops plugins and Zensical ignores the ones it does not know, so the site's
pages must not exist only inside a plugin. This writes every page `site.Site` makes
(dashboard, topics, catalog, cards with evidence as links, sources with their headers
and cited-by lines, the exports) as markdown under `DIR/docs/`, with the assets, the
two theme overrides (`DIR/overrides/`) and a `DIR/mkdocs.yml` that names only Material,
its search and standard extensions. `mkdocs build -f DIR/mkdocs.yml` then gives the
same site. What the plugin does in HTML is done here in markdown: formulas become
MathML, untrusted text is made inert (`sanitize.sanitize_markdown`).

The folder is written beside DIR and swapped in whole: a failed export leaves DIR as
it was; a DIR that `refs site` did not write is never replaced.
"""

from __future__ import annotations

import functools
import json
import os
import posixpath
import shutil
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from extract import fsio, yaml_limits
from extract.errors import RefsError, UsageError
from extract.library import Library

from . import raw_publish
from .exports import export_texts
from .gfm import EXTENSIONS as GFM_EXTENSIONS
from .heading_math import export_meta, toc_labels
from .labels import label
from .link_brackets import dense_links_as_html
from .mathml import markdown_math
from .sanitize import sanitize_markdown
from .site import Options, Site

PACKAGE = Path(__file__).parent
ASSETS = PACKAGE / "assets"
TEMPLATES = PACKAGE / "templates"
OVERRIDES = ("main.html", "partials/source.html", "partials/toc.html")
MARKER = ".refs-site"
ASSET_DIR = "assets/refs-library"

FEATURES = [
    "navigation.tabs", "navigation.sections", "navigation.indexes", "navigation.top",
    "navigation.footer", "toc.follow", "search.highlight", "search.suggest",
    "content.code.copy",
]  # fmt: skip
REQUIRED = {  # what the pages need, whatever the library's mkdocs.yml says
    "attr_list": {},
    "tables": {},
    "admonition": {},
    "md_in_html": {},
    "toc": {"permalink": True},
    "pymdownx.arithmatex": {"generic": True},
    **GFM_EXTENSIONS,  # GitHub's reading of lists, bare URLs, strikethrough (gfm.py)
}
THEME_KEYS = ("name", "features", "palette", "font", "language", "icon", "logo", "favicon")
SITE_KEYS = ("site_description", "site_author", "copyright", "repo_url", "repo_name", "extra")


def _plain(value):
    """A setting with every `!ENV`-style or Python tag (read as None) left out."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None and not callable(v)}
    if isinstance(value, list):
        return [_plain(v) for v in value if v is not None]
    return value


def _extensions(configured) -> list:
    """The library's markdown extensions (their plain options) plus the required ones."""
    out: dict[str, dict] = {}
    for item in configured if isinstance(configured, list) else []:
        if isinstance(item, str):
            out[item] = {}
        elif isinstance(item, dict) and len(item) == 1:
            name, options = next(iter(item.items()))
            out[name] = _plain(options) if isinstance(options, dict) else {}
    for name, options in REQUIRED.items():
        merged = {**options, **out.get(name, {})}
        merged.pop("slugify", None)  # a Python function: every heading carries its id
        if name == "pymdownx.arithmatex":
            merged["generic"] = True
        out[name] = merged
    return [{k: v} if v else k for k, v in out.items()]


def config_yaml(site: Site, site_name: str, site_url: str, library: dict | None = None) -> str:
    """`mkdocs.yml` for the folder: the library's own settings where they are plain
    values (theme, extensions, extra...), no plugin of ours, no tag. JSON is YAML."""
    library = library or {}
    given = library.get("theme")
    given = given if isinstance(given, dict) else {}
    theme = {k: _plain(given[k]) for k in THEME_KEYS if given.get(k) is not None}
    if theme.get("name") != "material":
        theme = {"name": "material", "font": False, "features": FEATURES}
    config = {
        "site_name": site_name,
        **({"site_url": site_url} if site_url else {}),
        **{k: _plain(library[k]) for k in SITE_KEYS if library.get(k)},
        "docs_dir": "docs",
        "use_directory_urls": site.options.use_directory_urls,
        "theme": {**theme, "custom_dir": "overrides"},
        "plugins": ["search"],
        "markdown_extensions": _extensions(library.get("markdown_extensions")),
        "extra_css": [f"{ASSET_DIR}/refs-library.css"],
        "extra_javascript": [f"{ASSET_DIR}/refs-library.js"],
        "nav": site.nav_with_rendered_titles(),
        # Pages linked from others but not listed (a resource with no card yet).
        "not_in_nav": "\n".join(f"/{p.src}" for p in site.planned if not p.kind.in_nav),
        "validation": {"omitted_files": "warn", "unrecognized_links": "warn", "anchors": "warn"},
    }
    head = (
        "# Written by `refs site --out`: the library's site as plain pages. Build it with\n"
        "# `mkdocs build -f mkdocs.yml` (Material, no refs-library plugin needed).\n"
    )
    return head + json.dumps(config, indent=2, ensure_ascii=False) + "\n"


def page_text(site: Site, p) -> str:
    rendered = site.render(p)
    markdown = rendered.markdown
    markdown = sanitize_markdown(markdown)  # the plugin sanitises each page's HTML instead
    markdown = markdown_math(toc_labels(markdown))
    markdown = dense_links_as_html(markdown, functools.partial(_final_url, site, p.src))
    if rendered.meta:  # JSON is YAML: title, search
        meta = export_meta(rendered.meta)
        front = "".join(f"{k}: {json.dumps(v)}\n" for k, v in meta.items())
        markdown = f"---\n{front}---\n\n" + markdown
    return markdown if markdown.endswith("\n") else markdown + "\n"


def _final_url(site: Site, src: str, url: str) -> str | None:
    """The URL a plain MkDocs gives the link ``url`` of page ``src``; a URL with a
    scheme as it is; None for a link it does not know (left to MkDocs)."""
    if urlsplit(url).scheme or url.startswith(("/", "#")):
        return url
    path, _, anchor = url.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(src), unquote(path)))
    if target not in site.urls:
        return None
    return site.links.href(src, target, anchor)


def write(
    lib: Library,
    out: Path,
    *,
    site_name: str = "",
    site_url: str = "",
    scope_drd_url: str = "",
    repo_blob_url: str = "",
    publish_raw: bool = False,
) -> dict:
    """Export the site to ``out``; returns counts of what was written."""
    out = Path(out).resolve()
    if out == lib.root or lib.root.is_relative_to(out):
        raise UsageError(f"{out} holds the library; choose a folder outside it", out)
    if out.is_relative_to(lib.root.resolve()):
        raise UsageError(
            "is inside the library, which would read the exported pages back as its own "
            "(guides, sources); choose a folder outside it, e.g. ../library-site",
            out,
        )
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise UsageError(
            "exists and was not written by `refs site`; choose a new or empty folder", out
        )
    raw = raw_publish.plan(lib) if publish_raw else []
    site = Site(
        lib,
        Options(
            scope_drd_url=scope_drd_url,
            repo_blob_url=repo_blob_url,
            published_extra=tuple(r.src for r in raw),
        ),
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        docs = tmp / "docs"
        figures = site.figure_files()
        site.figures.make(background=False)
        failed = {shown.src for shown, _ in site.figures.finish()}
        for p in site.planned:
            fsio.write_text(docs / p.src, page_text(site, p))
        for name in ("refs-library.css", "refs-library.js"):
            (docs / ASSET_DIR).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ASSETS / name, docs / ASSET_DIR / name)
        for rel in OVERRIDES:
            (tmp / "overrides" / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(TEMPLATES / rel, tmp / "overrides" / rel)
        for r in raw:
            (docs / r.src).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(r.path, docs / r.src)
        for image in (f for f in figures if f.src not in failed):
            (docs / image.src).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(image.path, docs / image.src)
        for name, text in export_texts(lib, dict(site.urls), site_url or None).items():
            fsio.write_text(docs / name, text)
        library = _library_config(lib)
        named = library.get("site_name")
        name = named if isinstance(named, str) else ""
        # Material prints `site_name` as HTML in every page's header: the library's own
        # settings say it as they mean it; the curriculum's title (anyone's pull
        # request) is text.
        title = site_name or name or label(lib.curriculum.title or "Library")
        fsio.write_text(tmp / "mkdocs.yml", config_yaml(site, title, site_url, library))
        fsio.write_text(
            tmp / MARKER, "Written by `refs site --out`; replaced whole on re-export.\n"
        )
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    broken = [b.message() for b in site.broken_citations()]
    return {"pages": len(site.planned), "raw": len(raw), "out": str(out), "broken": broken}


def _library_config(lib: Library) -> dict:
    """The library's own mkdocs.yml, tags read as nothing ({} when there is none)."""
    path = lib.root / "mkdocs.yml"
    try:
        text = fsio.read_text(path)
    except (OSError, RefsError):
        return {}
    try:  # `!ENV` and other tags read as nothing; a bomb is a RefsError naming the file
        config = yaml_limits.load_tagless(text, path)
    except yaml.YAMLError:
        return {}
    return config if isinstance(config, dict) else {}


def _swap(new: Path, out: Path) -> None:
    """Put ``new`` where ``out`` is, keeping the old folder until the new one is in."""
    os.chmod(new, 0o777 & ~_umask())
    if not out.exists():
        new.rename(out)
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    out.rename(old)
    new.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
