"""Stubs people finish: a card per resource type and a synthesis doc per topic.

Stubs carry facts from the manifest and our own words from the curriculum; every
part a person must still write is marked `TODO(card)` / `TODO(topic)`, which
`refs check` reports as a warning until it is gone.
"""

from __future__ import annotations

from .cards import OPTIONAL_SECTIONS, PLACEHOLDER, TOPIC_PLACEHOLDER, card_kind
from .curriculum import Topic
from .library import Library
from .manifest import Resource

_SECTION_HINTS = {
    "Key technical details": "the mechanisms, numbers and configurations worth remembering, each with its heading",
    "Key sections": "the sections of the docs to come back to, and what each settles",
    "API surface": "the functions, flags and environment variables that matter here, with their defaults",
    "Key insights": "the ideas that change how you would build the system",
    "Problem statement": "what broke or was missing, in the maintainers' framing",
    "Design decisions": "what was chosen, what was rejected, and why",
    "Key APIs": "the entry points this introduces or changes",
    "Architecture overview": "how the repository is organised and how a request flows through it",
    "Key modules": "the files to read first and what each owns",
    "Design patterns": "recurring structures worth copying or avoiding",
    "Configuration / entry points": "how it is launched and configured",
}


def related_candidates(lib: Library, res: Resource, limit: int = 4) -> list[Resource]:
    """Resources sharing a topic with ``res``, Phase 1 first, in manifest order."""
    others = [r for r in lib.resources if r.id != res.id and set(r.topics) & set(res.topics)]
    others.sort(key=lambda r: (r.priority != "high", r.status == "link_only"))
    return others[:limit]


def card_stub(lib: Library, res: Resource) -> str:
    kind = card_kind(res)
    why = lib.description(res.id) or f"{PLACEHOLDER}: say why this resource matters for the system."
    topics = ", ".join(str(t) for t in res.topics)
    rows = [
        ("Source", res.urls[0] if res.urls else "(no public URL)"),
        ("Type", res.type),
        ("Topics", topics),
        ("Priority", res.priority),
        ("Status", res.status),
    ]
    if lib.byline(res.id):
        rows.insert(1, ("Byline", lib.byline(res.id)))
    out = [f"# {res.title}", "", "| Field | Value |", "|-------|-------|"]
    out += [f"| {k} | {v} |" for k, v in rows]
    out += ["", "## Why it matters", "", why, "", "## Core claims", ""]
    for n in (1, 2, 3):
        out += [
            f"{n}. **Claim**: {PLACEHOLDER}: one claim the source supports, in your own words.",
            f"   **Evidence**: {PLACEHOLDER}: link the heading of this resource's full.md that backs it "
            f"(`refs show {res.id} --anchors` lists them once it is converted).",
            "",
        ]
    for name in OPTIONAL_SECTIONS.get(kind, ()):
        out += [f"## {name}", "", f"{PLACEHOLDER}: {_SECTION_HINTS[name]}.", ""]
    out += [
        "## Actionables / gotchas",
        "",
        f"- {PLACEHOLDER}: what to do (or avoid) in the pipeline-parallel video DiT system because of this.",
        "",
        "## Related resources",
        "",
    ]
    for other in related_candidates(lib, res):
        shared = ", ".join(str(t) for t in other.topics if t in res.topics)
        out.append(f"- [{other.title}]({other.id}.md) — shares topic {shared}")
    if not related_candidates(lib, res):
        out.append(f"- {PLACEHOLDER}: link related cards as `[Title](<id>.md)`.")
    return "\n".join(out).rstrip() + "\n"


def topic_doc(topic: Topic) -> str:
    heading = (
        "Essential meta-resources" if topic.key == "meta" else f"Topic {topic.key}: {topic.title}"
    )
    out = [f"# {heading}", ""]
    if topic.intro:
        out += [topic.intro, ""]
    out += [
        "## Synthesis",
        "",
        f"{TOPIC_PLACEHOLDER}: what the resources of this topic establish together, each point "
        "citing a card claim or a `sources/<id>/full.md#<anchor>` heading.",
        "",
        "## Implications for the pipeline-parallel video DiT system",
        "",
        f"{TOPIC_PLACEHOLDER}: the decisions this topic drives, and the traps it warns about.",
        "",
        "## Open questions",
        "",
        f"{TOPIC_PLACEHOLDER}: what the sources leave unsettled and how we would measure it.",
        "",
    ]
    return "\n".join(out).rstrip() + "\n"
