"""Topics: an index by group, and per topic its doc plus a table of its resources."""

from __future__ import annotations

from extract.curriculum import Topic
from extract.full_md import full_md_rel
from extract.library import Library
from extract.manifest import PRIORITIES

from ..links import md_path
from .common import TOPICS_INDEX, badge, card_src, cell, md_link, text, topic_src


def short_title(topic: Topic) -> str:
    return topic.title.split(" — ")[0]


def groups(lib: Library) -> list[tuple[str, list[Topic]]]:
    """Topics under their curriculum groups, in curriculum order (meta last, on its own)."""
    out: list[tuple[str, list[Topic]]] = []
    for t in lib.topics:
        if out and out[-1][0] == t.group:
            out[-1][1].append(t)
        else:
            out.append((t.group, [t]))
    return out


def build_topic_index(lib: Library) -> str:
    out = [
        "# Topics",
        "",
        "The curriculum's topics by group. Each topic page holds its synthesis doc "
        "(`refs/topics/`) and the resources that teach it.",
        "",
    ]
    for group, topics in groups(lib):
        out += [
            f"## {text(group)}",
            "",
            "| Topic | Resources | Condensed | Doc |",
            "|---|---|---|---|",
        ]
        for t in topics:
            res = lib.topic_resources(t.key)
            done = sum(r.status == "condensed" for r in res)
            has_doc = "yes" if lib.topic_doc_path(t).is_file() else "not yet"
            link = md_link(
                f"{t.label}: {short_title(t)}", md_path(TOPICS_INDEX, topic_src(lib, t.key))
            )
            out.append(f"| {link} | {len(res)} | {done} | {has_doc} |")
        out.append("")
    return "\n".join(out)


def resources_table(lib: Library, topic: Topic) -> str:
    """The topic's resources (status, type, priority, card and source links), high first."""
    here = topic_src(lib, topic.key)
    res = sorted(lib.topic_resources(topic.key), key=lambda r: PRIORITIES.index(r.priority))
    if not res:
        return "No resources in the manifest for this topic yet."
    out = [
        "| Resource | Type | Priority | Status | Card | Source |",
        "|---|---|---|---|---|---|",
    ]
    for r in res:
        card = md_link("card" if lib.has_card(r.id) else "stub page", md_path(here, card_src(r.id)))
        if lib.has_full_md(r.id):
            source = md_link("full.md", md_path(here, full_md_rel(r.id)))
        elif r.urls:
            source = f"[original ↗]({r.urls[0]})"
        else:
            source = "—"
        out.append(
            f"| {md_link(r.title, md_path(here, card_src(r.id)))} | {cell(r.type)} | "
            f"{cell(r.priority)} | {badge(r.status)} | {card} | {source} |"
        )
    return "\n".join(out)


def topic_appendix(lib: Library, topic: Topic) -> str:
    """What is appended to a topic doc: its resources from the manifest."""
    return "\n".join(["", "", "## Resources of this topic", "", resources_table(lib, topic), ""])


def build_topic_page(lib: Library, topic: Topic) -> str:
    """A topic page for a topic that has no synthesis doc yet."""
    out = [f"# {text(topic.label)}: {text(topic.title)}", ""]
    if topic.intro:
        out += [topic.intro, ""]
    out += [
        '!!! note "No synthesis doc yet"',
        f"    This page is generated. Write `{topic_src(lib, topic.key)}` "
        "to synthesise what these resources establish together.",
        "",
    ]
    return "\n".join(out) + topic_appendix(lib, topic)
