"""Topics: an index by group, and per topic its synthesis (once a person wrote it) or the
curriculum's own words, then its resources in reading order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract import fsio
from extract.anchors import front_matter_end, headings
from extract.cards import TOPIC_PLACEHOLDER, find_citations
from extract.curriculum import Topic
from extract.errors import RefsError
from extract.library import Library
from extract.manifest import Resource
from extract.markdown import atx_heading, walk

from ..links import md_path
from .cards import source_links
from .paths import TOPICS_INDEX, card_src, topic_page
from .placeholders import Block, blocks, collapse, is_placeholder
from .snippets import badge, cell, maintainers, md_link, tick
from .tables import reflowing
from .titles import short_topic_title

# What a topic doc holds, as the topics index says it.
WRITTEN = "written"
PARTLY = "partly written"
SCAFFOLD = "scaffold"
NONE = "none"


def short_title(topic: Topic) -> str:
    return short_topic_title(topic.title)


def groups(lib: Library) -> list[tuple[str, list[Topic]]]:
    """Topics under their curriculum groups, in curriculum order (meta last, on its own)."""
    out: list[tuple[str, list[Topic]]] = []
    for t in lib.topics:
        if out and out[-1][0] == t.group:
            out[-1][1].append(t)
        else:
            out.append((t.group, [t]))
    return out


# ---------- what a topic doc holds ----------
def _words(text: str) -> str:
    return " ".join(text.split())


@dataclass
class DocState:
    state: str  # WRITTEN, PARTLY, SCAFFOLD
    placeholders: list[Block] = field(default_factory=list)


def doc_state(markdown: str, topic: Topic) -> DocState:
    """Whether a person wrote the topic doc, started it, or left the scaffold as made.

    A scaffold (`extract.scaffold.topic_doc`) holds the curriculum's intro, headings and
    `TODO(topic)` paragraphs. Anything else is a person's writing: another intro, any
    other paragraph, list or table, or a citation even inside a TODO paragraph.
    """
    found = blocks(markdown)
    todo = [b for b in found if is_placeholder(b, TOPIC_PLACEHOLDER)]
    first_h2 = next((i for i, b in enumerate(found) if b.heading and b.heading > 1), len(found))
    intro = [b for b in found[:first_h2] if not b.heading]
    own = bool(intro) and _words("\n".join(b.text for b in intro)) != _words(topic.intro)
    own = (
        own
        or any(  # a paragraph of its own
            not b.heading and not is_placeholder(b, TOPIC_PLACEHOLDER) for b in found[first_h2:]
        )
    )
    own = own or any(find_citations(b.text) for b in todo)
    if not own:
        return DocState(SCAFFOLD, todo)
    return DocState(PARTLY if todo else WRITTEN, todo)


def read_state(lib: Library, topic: Topic) -> str:
    path = lib.topic_doc_path(topic)
    if not path.is_file():
        return NONE
    try:
        text = fsio.read_text(path)
    except RefsError:
        return WRITTEN  # unreadable is not a scaffold: the build reports the file itself
    return text_state(text, topic)


def text_state(text: str, topic: Topic) -> str:
    """How far a topic doc's text (front matter and all) is written."""
    return doc_state(_body(text), topic).state


def _body(text: str) -> str:
    """The text without a leading YAML front matter block (MkDocs hands pages over so)."""
    lines = text.split("\n")
    return "\n".join(lines[front_matter_end(lines) :])


# ---------- the index ----------
def build_topic_index(lib: Library) -> str:
    out = [
        "# Topics",
        "",
        "The curriculum's topics by group. Each topic page holds its synthesis, once "
        "someone has written it, and the resources that teach it, in reading order.",
        "",
    ]
    for group, topics in groups(lib):
        rows = ["| Topic | Resources | Condensed | Synthesis |", "|---|---|---|---|"]
        for t in topics:
            res = lib.topic_resources(t.key)
            done = sum(r.status == "condensed" for r in res)
            link = md_link(
                f"{t.label}: {short_title(t)}", md_path(TOPICS_INDEX, topic_page(lib, t))
            )
            rows.append(f"| {link} | {len(res)} | {done} | {read_state(lib, t)} |")
        out += [f"## {cell(group)}", "", reflowing("\n".join(rows), "topics"), ""]
    return "\n".join(out)


# ---------- the resources of a topic ----------
APPENDIX_TITLE = "Resources in reading order"
APPENDIX_ANCHOR = "resources-in-reading-order"


def in_reading_order(lib: Library, topic: Topic) -> list[tuple[Resource, str]]:
    """The topic's resources with where the reading order puts them: its steps first,
    then the rest as the curriculum lists them."""
    members = lib.topic_resources(topic.key)
    ids = {r.id for r in members}
    out: list[tuple[Resource, str]] = []
    seen: set[str] = set()
    for step in lib.reading_order:
        for rid in step.ids:
            if rid in ids and rid not in seen:
                seen.add(rid)
                out.append((lib.resource(rid), f"reading step {step.step}: {step.title}"))
    rest = [r for r in members if r.id not in seen]

    def curriculum_line(r: Resource) -> int:
        entry = lib.entry(r.id)
        return entry.line if entry is not None else 1 << 30

    for r in sorted(rest, key=curriculum_line):  # stable: manifest order breaks ties
        out.append((r, ""))
    return out


def description(lib: Library, res: Resource, topic: Topic) -> str:
    """The curriculum's words for the resource, as written under this topic."""
    entry = lib.entry(res.id)
    if entry is None:
        return ""
    return entry.descriptions.get(topic.key) or entry.description


def _indented(text: str) -> str:
    return "\n".join(("    " + line) if line.strip() else "" for line in text.split("\n"))


def reading_list(lib: Library, topic: Topic) -> str:
    """The resources in reading order: title, status, the curriculum's description, and
    where to read each (card, full text, original)."""
    here = topic_page(lib, topic)
    ordered = in_reading_order(lib, topic)
    if not ordered:
        return "No resources in the manifest for this topic yet."
    items = []
    for res, step in ordered:
        card = md_path(here, card_src(res.id))
        facts = [x for x in (lib.byline(res.id), res.type, f"{res.priority} priority", step) if x]
        head = (
            f"{tick(res.id, res.title)} **{md_link(res.title, card)}** {badge(res.status)}"
            f"<br><small>{cell(' · '.join(facts))}</small>"
        )
        where = [md_link("card" if lib.has_card(res.id) else "no card yet", card)]
        where += source_links(lib, res, here)
        item = [f"1.  {head}", ""]
        desc = description(lib, res, topic)
        if desc:
            item += [_indented(desc.strip()), ""]
        item += [_indented(" · ".join(where)), ""]
        items.append("\n".join(item))
    return '<div class="refs-reading-list" markdown>\n\n' + "\n".join(items) + "\n</div>"


def topic_appendix(lib: Library, topic: Topic) -> str:
    """What follows a written topic doc: its resources in reading order."""
    return "\n".join(["", "", f"## {APPENDIX_TITLE}", "", reading_list(lib, topic), ""])


def _doc_maintainers(lib: Library, topic: Topic, state: str) -> str:
    doc = topic_page(lib, topic)
    if state == NONE:
        text = "No synthesis doc yet; `refs sync` scaffolds it, then write it in"
    elif state == SCAFFOLD:
        text = (
            "The synthesis doc is still the scaffold `refs sync` wrote, so this page shows "
            "the curriculum instead. Write its sections (each says TODO(topic)) in"
        )
    else:
        text = "Sections still marked TODO(topic) are collapsed on the page. The doc:"
    return maintainers([(text, doc or "")])


def build_topic_page(lib: Library, topic: Topic, state: str = NONE) -> str:
    """A topic page with no synthesis written yet: the curriculum's intro, then its
    resources in reading order with the curriculum's description of each."""
    out = [f"# {cell(topic.label)}: {cell(topic.title)}", ""]
    if topic.intro:
        out += [topic.intro, ""]
    out += [
        "No synthesis of this topic is written yet; here is what the curriculum says "
        "about it and about each of its resources, in reading order.",
        "{: .refs-note }",
        "",
        _doc_maintainers(lib, topic, state),
        "",
        "## Resources in reading order",
        "",
        reading_list(lib, topic),
        "",
    ]
    return "\n".join(out)


def topic_doc_page(lib: Library, topic: Topic, markdown: str) -> str:
    """A topic doc as the site shows it: the generated page while it is a scaffold;
    otherwise the doc, its unwritten sections collapsed, then its resources."""
    state = doc_state(markdown, topic)
    if state.state == SCAFFOLD:
        return build_topic_page(lib, topic, SCAFFOLD)
    out = collapse(markdown, TOPIC_PLACEHOLDER, state.placeholders).rstrip("\n")
    if state.state == PARTLY:
        out = _after_intro(out, _doc_maintainers(lib, topic, PARTLY))
    if summary := reading_summary(lib, topic, out):
        out = _after_intro(out, summary, at_end=False)
    return out + topic_appendix(lib, topic)


def reading_summary(lib: Library, topic: Topic, doc: str) -> str:
    """The topic's resources in reading order, linked, as a box above the doc's first
    section: its author's own tables of resources are often unlinked, and the full list
    (with the curriculum's words) comes after the whole synthesis. Card links only: no
    citation is added ahead of the doc's own, so their numbering holds."""
    here = topic_page(lib, topic)
    ordered = in_reading_order(lib, topic)
    if not ordered or not any((atx_heading(x) or (0,))[0] == 2 for x in doc.split("\n")):
        return ""
    taken = sum(1 for h in headings(doc) if re.fullmatch(rf"{APPENDIX_ANCHOR}(-\d+)?", h.anchor))
    below = APPENDIX_ANCHOR + (f"-{taken}" if taken else "")
    items = [
        f"    {n}. {md_link(res.title, md_path(here, card_src(res.id)))} {badge(res.status)}"
        for n, (res, _) in enumerate(ordered, start=1)
    ]
    return "\n".join(
        [
            f'!!! abstract "{APPENDIX_TITLE}"',
            "",
            *items,
            "",
            f"    Each with the curriculum's words and where to read it: [below](#{below}).",
        ]
    )


def _after_intro(markdown: str, block: str, *, at_end: bool = True) -> str:
    """Insert a block before the first `## ` section (or at the end, if ``at_end``)."""
    lines = markdown.split("\n")
    for i, line, in_code in walk(lines):
        h = None if in_code else atx_heading(line)
        if h and h[0] > 1:
            return "\n".join(lines[:i] + [block, ""] + lines[i:])
    return markdown + "\n\n" + block if at_end else markdown
