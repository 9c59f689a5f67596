"""The renderer's shared state, declared once: what every mixin of `Renderer` reads.

`Renderer` (render.py) is one class assembled from mixins (math, tables, lists,
floats, algorithms, citations, cross references, the title page), and each mixin
reads and writes the same per-document state and calls methods another part
defines. `RenderState` is the base every mixin inherits: it declares each shared
attribute with its type and the signature of each method the mixins call on one
another, so a type checker sees one contract instead of attributes that appear
from nowhere. `Renderer.__init__` sets the attributes; the methods are defined
where they belong (the declarations below exist for the type checker only).
The small records the state holds (theorem kinds, the bibliography, citations,
authors) live here too, so the mixins' modules need not import one another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...figures import Origin
from .macros import Macro
from .source import Verbatim


@dataclass(frozen=True)
class TheoremKind:
    title: str
    counter: str  # the counter it steps (shared with another kind, or its own)
    within: str | None = None  # "section"...: numbers read "2.1"
    numbered: bool = True


@dataclass
class Bibliography:
    """What the paper's bibliography files give the renderer."""

    items: list[tuple[str, str, str | None]] | None = None  # .bbl: key, text, label
    db: dict[str, dict[str, str]] = field(default_factory=dict)  # .bib entries
    source: str = ""  # where the numbering comes from
    source_bib: str = ""  # the .bib files read
    sorted_style: bool = False


@dataclass
class Citation:
    form: str
    keys: list[str]
    pre: str
    post: str


@dataclass
class Author:
    name: str
    marks: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)  # affiliations, emails


class RenderState:
    """One document's conversion state: counters, labels, citations, blocks."""

    # blocks and paragraphs
    blocks: list[str]  # rendered blocks, kept out of paragraph reflow
    plain: bool  # inside pseudocode: text without markdown markup
    in_list: int  # list items being rendered (a display there is nested in an item)
    last_inline: str | None  # the TeX of the inline formula written last
    macros: dict[str, Macro]
    verbatim: list[Verbatim]
    unknown: set[str]  # commands the renderer does not know (for the notes)
    unknown_envs: set[str]
    dropped_envs: frozenset[str]
    extra_lists: dict[str, str]  # enumitem's \newlist: environment -> marker
    footnotes: list[str]
    # numbering and cross references
    sections: list[int]  # chapter/section, subsection, subsubsection
    appendix: bool
    counters: dict[str, int]
    printed: dict[str, str]  # counter -> its last printed value
    theorems: dict[str, TheoremKind]
    within: dict[str, str]  # counter -> parent counter
    cref_names: dict[str, tuple[str, str]]
    ref_formats: dict[str, str]  # prettyref
    show_only_refs: bool  # mathtools: number only equations referred to
    referenced: frozenset[str]  # label keys the text refers to
    labels: dict[str, tuple[str, str]]  # key -> (kind, number)
    restatables: dict[str, tuple[str, str, str]]  # \name -> env, body, number
    current: tuple[str, str] | None  # what a \label here names: (kind, number)
    subequations: tuple[str, int] | None  # inside subequations: (outer number, letters used)
    unresolved_refs: set[str]
    # floats and algorithms
    float_stack: list[tuple[str, str]]  # (kind, number) of the floats we are inside
    last_caption: str
    sub_counter: int
    algorithm2e: bool
    algo_noend: bool  # algpseudocode's [noend]
    figure_graphics: list[list[Origin]]  # per open float: the e-print files it shows
    caption_slots: list[list[tuple[int, list[Origin]]]]  # per float: (caption block, files)
    # citations and the reference list
    bib: Bibliography
    citations: list[Citation]
    cite_order: list[str]  # keys in order of first citation
    numbers: dict[str, int]
    reference_keys: list[str]
    bbl_text: dict[str, str]
    bbl_label: dict[str, str]
    unresolved_cites: set[str]
    references_done: bool
    nocite_all: bool
    # the title page
    abstract: str
    authors: list[Author]
    affiliations: dict[str, str]  # mark -> affiliation
    unaffiliated: int  # authors before this index have an affiliation
    keywords: list[str]
    ccs: list[str]
    title_done: bool
    title_notes: list[str]  # footnote marks of \thanks outside \author
    in_author: bool

    if TYPE_CHECKING:
        # Defined by Renderer (render.py) or by one mixin and called by others.
        def block(self, markdown: str) -> str: ...
        def render(self, s: str) -> str: ...
        def markdown(self, latex: str) -> str: ...
        def one_line(self, latex: str) -> str: ...
        def plain_line(self, latex: str) -> str: ...
        def skip_args(self, s: str, j: int, count: int) -> int: ...
        def step(self, counter: str) -> str: ...
        def next_number(self, kind: str) -> str: ...
        def caption(self, latex: str) -> str: ...
        def algorithm2e_float(self, body: str) -> str: ...
