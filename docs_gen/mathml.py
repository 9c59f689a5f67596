"""Formulas as MathML, made at build time: no script, no font, no network.

`pymdownx.arithmatex` (generic mode) finds `$...$`, `$$...$$`, `\\(...\\)` and
`\\[...\\]` in the markdown and leaves them as `<span|div class="arithmatex">`; this
module turns those into MathML with latex2mathml. A formula it cannot convert stays
visible as its TeX source.

Converting is the one job the plugin adds that a plain build does not do, thousands of
formulas in a library of papers. MkDocs renders on one core, so `Prefetch` hands the
formulas found in the sources to a worker process while the pages are read, and the
page pass finds them done; any it does not find (or a machine with one core) is
converted in place, so the output is the same either way.
"""

from __future__ import annotations

import html
import json
import os
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from latex2mathml.converter import convert
from pymdownx import arithmatex

from extract.url_safety import unsafe_url

_MATH = re.compile(r'<(?P<tag>span|div) class="arithmatex">(?P<body>.*?)</(?P=tag)>', re.S)
_DELIMS = re.compile(r"^\s*(?:\\\(|\\\[)(?P<tex>.*?)(?:\\\)|\\\])\s*$", re.S)
# latex2mathml writes `aligned`/`gathered` rows with a literal `&` and no table;
# `split` and `matrix` are the same layouts, which it renders as tables.
_ALIGNED = re.compile(
    r"\\(?P<cmd>begin)\{(?P<env>aligned|alignedat|gathered)\}(?:\[[tcb]\])?(?:\{\d+\})?"
    r"|\\(?P<end>end)\{(?P<endenv>aligned|alignedat|gathered)\}"
)
_SAME_LAYOUT = {"aligned": "split", "alignedat": "split", "gathered": "matrix"}


def _portable(tex: str) -> str:
    def swap(m: re.Match[str]) -> str:
        cmd, env = m.group("cmd") or m.group("end"), m.group("env") or m.group("endenv")
        return f"\\{cmd}{{{_SAME_LAYOUT[env]}}}"

    return _ALIGNED.sub(swap, tex)


Formula = tuple[str, bool]  # (TeX, display block)
_DONE: dict[Formula, str] = {}  # every formula converted in this process, kept: pure


# `\href{url}{x}` becomes `<mrow href="url">`: a live link in browsers that follow
# MathML hrefs. Untrusted TeX keeps only the URLs the one URL rule calls safe.
_HREF = re.compile(r'\s(?:href|xlink:href)="([^"]*)"')


def _safe_links(mathml: str) -> str:
    return _HREF.sub(lambda m: "" if unsafe_url(html.unescape(m.group(1))) else m.group(0), mathml)


def _convert(tex: str, block: bool) -> str:
    try:
        return _safe_links(convert(_portable(tex), display="block" if block else "inline"))
    except Exception:  # noqa: BLE001 - any unsupported TeX falls back to showing its source
        cls = "refs-math-fallback" + (" refs-math-block" if block else "")
        return f'<code class="{cls}" title="formula not converted">{html.escape(tex)}</code>'


def tex_to_mathml(tex: str, block: bool) -> str:
    key = (tex, block)
    out = _DONE.get(key)
    if out is None:
        out = _DONE[key] = _convert(tex, block)
    return out


def render_math(page_html: str) -> str:
    if "arithmatex" not in page_html:
        return page_html

    def one(m: re.Match[str]) -> str:
        body = html.unescape(m.group("body"))
        d = _DELIMS.match(body)
        tex = d.group("tex") if d else body
        block = m.group("tag") == "div"
        out = tex_to_mathml(tex.strip(), block)
        return f'<div class="refs-math">{out}</div>' if block else _inline_html(out)

    return _MATH.sub(one, page_html)


def _inline_html(mathml: str) -> str:
    """An inline formula in a span: Python-Markdown takes a line that starts with
    `<math>` for an HTML block, so the exported markdown needs the span, and the
    plugin writes the same."""
    return f'<span class="refs-math-inline">{mathml}</span>'


def convert_files(paths: Iterable[str]) -> Iterator[tuple[Formula, str]]:
    """The worker's job: every formula of these library files, converted."""
    from extract import fsio
    from extract.errors import RefsError

    for path in paths:
        try:
            text = fsio.read_text(Path(path))
        except (OSError, RefsError):
            continue  # the page's own build reports it
        for formula in dict.fromkeys(formulas(text)):
            yield formula, _convert(*formula)


def worker_main() -> None:
    """`python -m docs_gen.mathml`: paths on stdin (JSON list), one JSON line per
    formula on stdout. A plain child process, not `multiprocessing`: nothing of the
    parent's `__main__` is run again, whatever script started the build."""
    paths = json.load(sys.stdin)
    out = sys.stdout
    for (tex, block), mathml in convert_files(paths):
        out.write(json.dumps([tex, block, mathml]) + "\n")
    out.flush()


class Prefetch:
    """Formulas converted by a worker process while MkDocs reads the pages: the worker
    reads the files itself, so the build's process only hands it their paths."""

    def __init__(self, paths: Iterable[Path], min_bytes: int = 400_000):
        self.proc: subprocess.Popen | None = None
        self.results: queue.SimpleQueue = queue.SimpleQueue()
        sized = []
        for path in paths:
            try:
                sized.append((str(path), path.stat().st_size))
            except OSError:
                continue
        if sum(n for _, n in sized) < min_bytes or (os.cpu_count() or 1) < 2:
            return
        self.proc = proc = subprocess.Popen(
            [sys.executable, "-m", "docs_gen.mathml"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )
        assert proc.stdin is not None and proc.stdout is not None  # both are pipes
        proc.stdin.write(json.dumps([p for p, _ in sized]))
        proc.stdin.close()
        threading.Thread(target=self._read, args=(proc.stdout,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            try:
                tex, block, mathml = json.loads(line)
            except ValueError:
                break  # a worker that died mid-line: the rest converts in place
            self.results.put(((tex, block), mathml))

    def collect(self) -> None:
        """Take in what the worker has finished (never waits)."""
        while True:
            try:
                formula, mathml = self.results.get_nowait()
            except queue.Empty:
                return
            _DONE.setdefault(formula, mathml)

    def close(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
            if self.proc.stdout is not None:
                self.proc.stdout.close()
            self.proc = None


# ---------- formulas in markdown (for `refs site --out`: no plugin runs there) ----------
# pymdownx.arithmatex's own patterns (its defaults: smart dollars, `\(...\)`; blocks of
# `$$...$$`, `\[...\]`, `\begin{env}...\end{env}`), so the export finds what the plugin's
# build finds.
_INLINE = re.compile(f"(?:{arithmatex.RE_SMART_DOLLAR_INLINE}|{arithmatex.RE_BRACKET_INLINE})")
_BLOCKS = (arithmatex.RE_DOLLAR_BLOCK, arithmatex.RE_TEX_BLOCK, arithmatex.RE_BRACKET_BLOCK)
_BLOCK = re.compile(r"(?s)^(?:" + "|".join(_BLOCKS) + r")[ ]*$")
_TEXT_NODE = re.compile(r">([^<]+)<")
_MARKDOWN_SPECIAL = re.compile(r"(&#?\w+;)|[\\`*_\[\]{}$!#|~^+\-.:()]")


def _inert(mathml: str) -> str:
    """MathML whose text Markdown leaves alone: its punctuation as character references."""
    return _TEXT_NODE.sub(
        lambda m: (
            ">"
            + _MARKDOWN_SPECIAL.sub(lambda c: c.group(1) or f"&#{ord(c.group(0))};", m.group(1))
            + "<"
        ),
        mathml,
    )


def _block_html(tex: str) -> str:
    return f'<div class="refs-math">{_inert(tex_to_mathml(tex.strip(), True))}</div>'


def _blocks(markdown: str) -> Iterator[tuple[str, list[str]]]:
    """("code" | "blank" | "text", lines): the markdown in the blocks Python-Markdown
    sees (paragraphs between blank lines, fenced code apart)."""
    from extract.markdown import walk

    block: list[str] = []
    for _i, line, in_code in walk(markdown.split("\n")):
        if in_code or not line.strip():
            if block:
                yield "text", block
                block = []
            yield ("code" if in_code else "blank"), [line]
        else:
            block.append(line)
    if block:
        yield "text", block


def _has_math(markdown: str) -> bool:
    return any(d in markdown for d in ("$", "\\(", "\\[", "\\begin"))


def _inline_tex(m: re.Match[str]) -> str | None:
    g = m.groups()
    if g[0] or g[3]:  # escaped backslashes before a delimiter: not a formula
        return None
    return (g[2] if g[2] else g[5]).strip()


def _inline_in(block: str) -> Iterator[tuple[re.Match[str], str]]:
    """Inline formulas of a paragraph as arithmatex sees it, each (match, its TeX): the
    whole paragraph at once (a formula may span lines), code spans excluded."""
    from extract.markdown import CODE_SPAN

    masked = CODE_SPAN.sub(lambda m: "\x00" * len(m.group(0)), block)
    for m in _INLINE.finditer(masked):
        if tex := _inline_tex(m):
            yield m, tex


def formulas(markdown: str) -> Iterator[Formula]:
    """The formulas arithmatex will find in this markdown (to convert ahead of time)."""
    if not _has_math(markdown):
        return
    for kind, lines in _blocks(markdown):
        if kind != "text":
            continue
        text = "\n".join(lines)
        # As Python-Markdown hands a block to arithmatex: leading spaces kept.
        m = _BLOCK.match(text.rstrip())
        if m:
            yield _display_tex(m).strip(), True
            continue
        for _, tex in _inline_in(text):
            yield tex, False


def _display_tex(m: re.Match[str]) -> str:
    """The TeX of a display block `_BLOCK` matched (whichever delimiters it has)."""
    return m.group("math") or m.group("math2") or m.group("math3") or ""


def markdown_math(markdown: str) -> str:
    """The markdown with each formula as MathML (what the plugin's HTML pass makes)."""
    if not _has_math(markdown):
        return markdown
    out: list[str] = []
    for kind, lines in _blocks(markdown):
        if kind != "text":
            out.extend(lines)
            continue
        text = "\n".join(lines)
        m = _BLOCK.match(text.rstrip())
        if m:
            out.append(_block_html(_display_tex(m)))
            continue
        pieces, pos = [], 0
        for f, tex in _inline_in(text):
            mathml = _inline_html(_inert(tex_to_mathml(tex, False)))
            pieces += [text[pos : f.start()], mathml]
            pos = f.end()
        out.append("".join(pieces) + text[pos:])
    return "\n".join(out)


if __name__ == "__main__":
    worker_main()
