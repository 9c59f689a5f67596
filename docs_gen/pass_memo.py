"""The results of the site's passes, kept between builds: an unchanged page is not redone.

Six passes of a build are functions of one text and of our code alone: the block
structure of a markdown text (`extract.markdown.blocks`: its headings, hence anchors,
and its code lines), the anchors a citation into a source file may name
(`extract.anchors.anchor_set`), the GitHub rewrite of a page's final markdown
(`gfm.gfm`), the sanitiser's verdict on a page's HTML (`sanitize.needs_sanitizing`),
the bounded YAML check of a front matter (`site.split_front_matter`) and the places a
citing page cites (`evidence.Evidence.backlinks`, under its text, path and title).
Their answers are kept under a digest of the text asked about. A generated page (the
catalog, the topics index...) is kept under the key `site.Site.generate` makes of the
library's shape, and the exports (`refs.json`, `llms.txt`) under `exports_memo`'s. A page's rendered markdown is kept too, under the key
`site.Site.render` computes from everything it depends on (its text, front matter, the
manifest and curriculum, the anchors of what it cites, its header and cited-by lines),
with the questions it asked of other files while it rendered (whether a linked file
exists, another page's anchors, a cited file's heading texts), which are asked again
before the page is reused. All of it lives in `.refs-cache/site/<code>.json`
(gitignored), where <code> is a digest of the source of `docs_gen` and `extract` and of
the versions of the libraries those passes use: a change to any of them starts from
nothing, so nothing made by other code is ever reused.

A cache, nothing more: without the folder (a clean checkout, CI) every pass runs and the
site is the same byte for byte; a file that does not read is ignored and written anew; a
folder that cannot be written only means the next build computes again. A build that
computed nothing new leaves the file as it is (a warm build writes nothing, even the
first after a cold one, whose block structures it no longer asks for); one that did
writes back only what it asked about, so edited-away texts leave the file then.
"""

from __future__ import annotations

import hashlib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import extract
from extract import markdown as md
from extract.cards import Citation

from . import cache_files
from .evidence import Backlink
from .gfm import gfm
from .sanitize import sanitize_html

CACHE = ".refs-cache/site"
FORMAT = 3  # bump when the file's layout changes
# The libraries whose behaviour the kept answers depend on.
LIBRARIES = ("markdown-it-py", "mdurl", "mkdocs", "pyyaml", "ruamel.yaml")
PACKAGES = (Path(extract.__file__).parent, Path(__file__).parent)


def code_version() -> str:
    """A digest of our source and the libraries' versions (any change: a new memo)."""
    h = hashlib.blake2b(digest_size=8)
    for package in PACKAGES:
        for path in sorted(package.rglob("*.py")):
            h.update(path.relative_to(package.parent).as_posix().encode() + b"\0")
            h.update(path.read_bytes())
    for name in LIBRARIES:
        try:
            h.update(f"{name}={version(name)}\0".encode())
        except PackageNotFoundError:
            h.update(f"{name}=\0".encode())
    return f"{FORMAT}-{h.hexdigest()}"


def text_digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


# ---------- block structure as JSON ----------


def _ranges(lines: frozenset[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for n in sorted(lines):
        if out and out[-1][1] == n:
            out[-1][1] = n + 1
        else:
            out.append([n, n + 1])
    return out


def _lines(ranges) -> frozenset[int]:
    return frozenset(n for a, b in ranges for n in range(int(a), int(b)))


def blocks_to_json(b: md.Blocks) -> list:
    heads = [[h.level, h.source, h.text, h.line, h.end, h.setext, h.nested] for h in b.headings]
    return [heads, _ranges(b.code), _ranges(b.html), [list(p) for p in b.paragraphs], [*b.breaks]]


def blocks_from_json(data: list) -> md.Blocks:
    heads, code, html, paragraphs, breaks = data
    return md.Blocks(
        tuple(
            md.BlockHeading(int(lv), str(src), str(txt), int(a), int(b), bool(s), bool(n))
            for lv, src, txt, a, b, s, n in heads
        ),
        _lines(code),
        _lines(html),
        tuple((int(a), int(b)) for a, b in paragraphs),
        tuple(int(n) for n in breaks),
    )


def backlinks_to_json(found: list[tuple[Citation, Backlink]]) -> list:
    return [
        [c.rid, c.anchor, c.line, c.text, c.path, b.src, b.label, b.anchor, b.claim]
        for c, b in found
    ]


def backlinks_from_json(data: list) -> list[tuple[Citation, Backlink]]:
    return [
        (
            Citation(str(rid), str(anchor), int(line), str(text), str(path)),
            Backlink(str(src), str(label), str(here), None if claim is None else int(claim)),
        )
        for rid, anchor, line, text, path, src, label, here, claim in data
    ]


class PassMemo:
    """The kept answers of one library, read once per process (`mkdocs serve` keeps
    the plugin, and this with it)."""

    def __init__(self, path: Path):
        self.path = path
        self.kept: dict[str, dict] = {
            "blocks": {}, "anchors": {}, "gfm": {}, "clean": {}, "yaml": {}, "pages": {},
            "citing": {}, "cited": {}, "derived": {}, "generated": {}, "exports": {},
        }  # fmt: skip
        self.used: dict[str, set[str]] = {name: set() for name in self.kept}
        self.changed = False
        self.loaded = False
        self._last_gfm: tuple[str, str] | None = None  # (key, output) of the last `gfm`

    @classmethod
    def of(cls, root: Path) -> PassMemo:
        return cls(root / CACHE / f"{code_version()}.json")

    def load(self) -> None:
        if self.loaded:
            return
        self.loaded = True
        cache_files.load(self.path, self._take)

    def _take(self, data: dict) -> None:
        self.kept = {name: dict(data[name]) for name in self.kept}

    def _get(self, table: str, key: str):
        found = self.kept[table].get(key)
        if found is not None:
            self.used[table].add(key)
        return found

    def _put(self, table: str, key: str, value) -> None:
        self.kept[table][key] = value
        self.used[table].add(key)
        self.changed = True

    # ---------- the passes ----------
    def blocks(self, text: str) -> md.Blocks | None:
        """`md.blocks_memo.get`: the kept structure of ``text`` (None: not kept)."""
        data = self._get("blocks", text_digest(text))
        if data is None:
            return None
        try:
            return blocks_from_json(data)
        except (ValueError, TypeError):
            return None  # a hand-edited entry: parsed again

    def keep_blocks(self, text: str, found: md.Blocks) -> None:
        """`md.blocks_memo.put`."""
        self._put("blocks", text_digest(text), blocks_to_json(found))

    def anchors(self, text: str) -> set[str] | None:
        """The kept `anchor_set` of a source file's ``text`` (None: not kept)."""
        data = self._get("anchors", text_digest(text))
        if not isinstance(data, list) or not all(isinstance(a, str) for a in data):
            return None  # not kept, or edited by hand: parsed again
        return set(data)

    def keep_anchors(self, text: str, found: set[str]) -> None:
        self._put("anchors", text_digest(text), sorted(found))

    def backlinks(self, key: str) -> list[tuple[Citation, Backlink]] | None:
        """A citing page's kept `Evidence.backlinks` (``key``: `Site._index_citing`'s)."""
        data = self._get("citing", key)
        if data is None:
            return None
        try:
            return backlinks_from_json(data)
        except (ValueError, TypeError):
            return None  # edited by hand: found again

    def keep_backlinks(self, key: str, found: list[tuple[Citation, Backlink]]) -> None:
        self._put("citing", key, backlinks_to_json(found))

    def cited(self, key: str) -> list[Citation] | None:
        """The kept citations of a page's text (``key``: `Site.cited_files`' digest)."""
        data = self._get("cited", key)
        if data is None:
            return None
        try:
            return [
                Citation(str(rid), str(anchor), int(line), str(text), str(path))
                for rid, anchor, line, text, path in data
            ]
        except (ValueError, TypeError):
            return None  # edited by hand: found again

    def keep_cited(self, key: str, found: list[Citation]) -> None:
        self._put("cited", key, [[c.rid, c.anchor, c.line, c.text, c.path] for c in found])

    def derived(self, name: str, text: str) -> str | None:
        """What `site.Site.remembered` made of ``text`` under ``name`` (None: not kept)."""
        found = self._get("derived", f"{name}\0{text_digest(text)}")
        return found if isinstance(found, str) else None

    def keep_derived(self, name: str, text: str, made: str) -> None:
        self._put("derived", f"{name}\0{text_digest(text)}", made)

    def generated(self, src: str, key: str) -> str | None:
        """A generated page's markdown kept under ``key`` (`site.Site.generate`'s)."""
        found = self._get("generated", src)
        if isinstance(found, list) and len(found) == 2 and found[0] == key:
            if isinstance(found[1], str):
                return found[1]
        return None

    def keep_generated(self, src: str, key: str, markdown: str) -> None:
        self._put("generated", src, [key, markdown])

    def exports(self, key: str) -> dict[str, str] | None:
        """The site's `refs.json` and `llms.txt` kept under ``key`` (`exports_memo`'s)."""
        found = self._get("exports", "site")
        if isinstance(found, list) and len(found) == 2 and found[0] == key:
            texts = found[1]
            if isinstance(texts, dict) and all(isinstance(t, str) for t in texts.values()):
                return texts
        return None

    def keep_exports(self, key: str, texts: dict[str, str]) -> None:
        self._put("exports", "site", [key, texts])

    def gfm(self, markdown: str) -> str:
        key = text_digest(markdown)
        out = self._get("gfm", key)
        if not isinstance(out, str):
            out = gfm(markdown)
            self._put("gfm", key, out)
        self._last_gfm = (key, out)
        return out

    def sanitize(self, page_html: str) -> str:
        """`sanitize_html`, the check skipped for HTML it found inert before (the few
        pages it rewrites are rewritten again)."""
        key = text_digest(page_html)
        if self._get("clean", key) is not None:
            return page_html
        out = sanitize_html(page_html)
        if out is page_html:
            self._put("clean", key, 1)
        return out

    def front_matter_ok(self, block: str) -> bool:
        """Whether this YAML front matter was found within the limits before."""
        return self._get("yaml", text_digest(block)) is not None

    def keep_front_matter(self, block: str) -> None:
        """`site.split_front_matter` found ``block`` within the limits (it raises if not)."""
        self._put("yaml", text_digest(block), 1)

    def page(self, src: str, key: str) -> list | None:
        """A page's rendered markdown kept under ``key`` (`site.Site.render` says what
        the key covers and checks what the page asked of other files)."""
        found = self._get("pages", src)
        if not (isinstance(found, list) and len(found) == 2 and found[0] == key):
            return None
        data = found[1]
        if isinstance(data, list) and data and isinstance(data[0], list):
            # ["gfm", key]: the GitHub rewrite kept under that key (a markdown is a string)
            ref = data[0]
            markdown = self._get("gfm", str(ref[1])) if len(ref) == 2 and ref[0] == "gfm" else None
            if not isinstance(markdown, str):
                return None  # its GitHub rewrite is not kept: rendered again
            data = [markdown, *data[1:]]
        return data

    def keep_page(self, src: str, key: str, data: list) -> None:
        """``data``: [markdown, title, meta, warnings, questions]. A page's markdown is
        most often the GitHub rewrite this memo just kept: the page names that entry
        instead of holding the same text twice (the file's size halves, and a build
        that reuses the page uses the entry, so no build drops it as unasked)."""
        last = self._last_gfm
        if data and last is not None and data[0] is last[1]:
            data = [["gfm", last[0]], *data[1:]]
        self._put("pages", src, [key, data])

    def save(self) -> None:
        """Keep what this process asked about; written only when it computed something
        new (entries it did not ask about stay in the file until then)."""
        if not self.changed:
            return
        data = {t: {k: self.kept[t][k] for k in sorted(self.used[t])} for t in self.kept}
        if cache_files.write(self.path, data):
            self.kept = data
            self.changed = False
