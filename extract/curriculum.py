"""The curriculum (`distributed_video_dit_inference.md`): human-written, parsed here.

Grammar (what people write by hand; the parser takes it as it comes):

    ## <Group>
    ### <N>. <Topic title>
    <intro paragraphs>
    - **<Title>** (<byline>) — <description> *(<type>, <priority>[, link only])*
      - [<Label>: ]<url>
      - <a note, e.g. why there is no URL yet>
    ## Essential meta-resources          (topic key `meta`, bullets directly under it)
    ## Suggested reading order
    1. **<Step title>** — `id`, `id`, ...   (or prose)

The byline, the description and the tags are optional: an untagged entry takes its
type, priority and status from the manifest (matched by URL, then title). The
curriculum is a read-only reference for tools: a line that does not fit the grammar
is a `Notice` (a warning with its line), never an error, so one stray line stops
no command and the site still builds.

A resource listed under several topics is one entry whose topics are the sections it
appears in, in order of appearance. Which appearances are one resource is decided by
the manifest where it knows them (`match_entries`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import fsio
from .errors import RefsError
from .manifest import PRIORITIES, TYPES, Resource

META_HEADING = "Essential meta-resources"
ORDER_HEADING = "Suggested reading order"
LINK_ONLY_TAGS = ("link only", "link-only", "link_only")

_TOPIC = re.compile(r"^###\s+(?:Topic\s+)?(\d+)\s*[.:)]\s*(.+?)\s*$", re.I)
_RESOURCE = re.compile(r"^[-*+]\s+\*\*(?P<title>.+?)\*\*(?P<rest>.*)$")
_TAGS = re.compile(r"\s*\*\((?P<tags>[^()]*)\)\*\s*$")
_BYLINE = re.compile(r"^\s*\((?P<byline>[^()]*(?:\([^()]*\)[^()]*)*)\)")
_SEPARATOR = re.compile(r"^\s*(?:—|–|--|-|:)\s*")
_NESTED = re.compile(r"^(?P<indent>\s{2,})[-*+]\s+(?P<text>.*)$")
_URL_ITEM = re.compile(
    r"^(?:(?P<label>[^:\[\]()<>]{1,60}?):\s+)?"
    r"(?:<(?P<angle>https?://[^>\s]+)>|\[[^\]]*\]\((?P<link>https?://[^)\s]+)\)|(?P<bare>https?://\S+))"
)
_SCHEMELESS = re.compile(r"^(?:[^:\s]{1,60}:\s+)?(?:www\.)?[\w-]+(?:\.[\w-]+)+/\S*$")
_STEP = re.compile(r"^(\d+)\.\s+\*\*(.+?)\*\*\s*(?:—|–|-|:)?\s*(.*)$")


@dataclass
class Notice:
    """A curriculum line the parser could not take as written (a warning, not an error)."""

    line: int
    message: str


@dataclass
class Topic:
    key: int | str  # topic number, or "meta"
    title: str
    group: str
    intro: str = ""
    line: int = 0
    in_curriculum: bool = True  # False: known only from its topic doc (refs/topics/NN-*.md)

    @property
    def slug(self) -> str:
        short = self.title.split(" — ")[0]
        return re.sub(r"[^a-z0-9]+", "-", short.lower()).strip("-")

    @property
    def doc_name(self) -> str:
        """The file name a new synthesis doc gets under refs/topics/ (an existing doc is
        found by its number whatever its slug: `Library.topic_doc_path`)."""
        if self.key == "meta":
            return "meta-essential-resources.md"
        return f"{int(self.key):02d}-{self.slug}.md"

    @property
    def label(self) -> str:
        return "Meta" if self.key == "meta" else f"Topic {self.key}"


@dataclass
class Entry:
    title: str
    byline: str
    type: str | None  # from the tags; None when the entry has none (the manifest says)
    priority: str | None
    link_only: bool
    urls: list[str]
    labels: list[str]
    topics: list[int | str] = field(default_factory=list)
    descriptions: dict[int | str, str] = field(default_factory=dict)
    line: int = 0
    notes: list[str] = field(default_factory=list)  # nested bullets that are not URLs
    lines: dict[int | str, int] = field(default_factory=dict)  # topic -> line it is listed at

    @property
    def description(self) -> str:
        """The description written where the entry first appears."""
        return self.descriptions[self.topics[0]] if self.topics else ""

    @property
    def tagged(self) -> bool:
        return self.type is not None or self.priority is not None or self.link_only


@dataclass
class OrderStep:
    step: int
    title: str
    ids: list[str]
    line: int
    text: str = ""  # what the step says after its title (ids or prose)


@dataclass
class Curriculum:
    path: Path
    title: str = ""
    intro: str = ""
    groups: list[str] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    appearances: list[Entry] = field(default_factory=list)  # one per bullet, in order
    reading_order: list[OrderStep] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)

    def topic(self, key: int | str) -> Topic | None:
        for t in self.topics:
            if t.key == key:
                return t
        return None

    @property
    def topic_keys(self) -> list[int | str]:
        return [t.key for t in self.topics]

    @property
    def entries(self) -> list[Entry]:
        """One entry per resource as the curriculum alone tells them apart."""
        return [e for e, _ in match_entries(self.appearances, [])]


def normalise_url(url: str) -> str:
    """URL identity for matching: scheme, `www.`, trailing slash and fragment ignored."""
    u = url.strip().split("#", 1)[0]
    u = re.sub(r"^https?://", "", u, flags=re.I)
    host, _, rest = u.partition("/")
    host = host.lower().removeprefix("www.")
    return (host + "/" + rest).rstrip("/")


def normalise_title(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", title.lower()).strip()


def _bare_title(title: str) -> str:
    """A title without its parenthetical asides: `X (ASPLOS 2024)` -> `X`."""
    return normalise_title(re.sub(r"\([^()]*\)", " ", title))


def _tags(text: str) -> tuple[str | None, str | None, bool, list[str]] | None:
    """(type, priority, link only, unknown items) of a `*(...)*` tag group, or None when
    no item is a tag at all (then it is part of the description)."""
    items = [t.strip() for t in text.split(",") if t.strip()]
    kinds = [t for t in items if t.lower() in TYPES]
    prios = [t for t in items if t.lower() in PRIORITIES]
    link = [t for t in items if t.lower() in LINK_ONLY_TAGS]
    if not (kinds or prios or link):
        return None
    unknown = [t for t in items if t not in kinds + prios + link]
    if len(kinds) > 1:
        unknown.append(f"{kinds[1]} (a second type)")
    if len(prios) > 1:
        unknown.append(f"{prios[1]} (a second priority)")
    return (
        kinds[0].lower() if kinds else None,
        prios[0].lower() if prios else None,
        bool(link),
        unknown,
    )


def _bullet(line: str) -> tuple[str, str, str, str | None] | None:
    """(title, byline, description, tags text) of a `- **Title** ...` line."""
    m = _RESOURCE.match(line)
    if not m:
        return None
    title = m.group("title").strip()
    if len(title) > 1 and title[0] == title[-1] == '"' and '"' not in title[1:-1]:
        title = title[1:-1].strip()  # `**"Title"**`: the quotes are typography
    rest = m.group("rest")
    tags = None
    t = _TAGS.search(rest)
    if t and _tags(t.group("tags")) is not None:
        tags, rest = t.group("tags"), rest[: t.start()]
    byline = ""
    b = _BYLINE.match(rest)
    if b:
        byline, rest = b.group("byline").strip(), rest[b.end() :]
    s = _SEPARATOR.match(rest)
    desc = rest[s.end() :] if s else rest
    return title, byline, desc.strip(), tags


def parse(path: Path, text: str | None = None) -> Curriculum:
    """The curriculum at ``path`` (or ``text``). Only an unreadable file is an error;
    lines that do not fit the grammar become `Curriculum.warnings`."""
    path = Path(path)
    if text is None:
        try:
            text = fsio.read_text(path)
        except FileNotFoundError as exc:
            raise RefsError("curriculum not found", path) from exc
    cur = Curriculum(path)
    warn = lambda n, message: cur.warnings.append(Notice(n, message))  # noqa: E731

    group = ""
    topic: Topic | None = None
    section = "preamble"  # preamble | group | topic | skip | order
    intro: list[str] = []
    preamble: list[str] = []
    current: Entry | None = None

    def close_entry() -> None:
        nonlocal current
        e = current
        if e is not None and not e.urls and not e.link_only and not e.notes:
            warn(
                e.line,
                f"`{e.title}` has no URL; add `  - https://...` under it (or a note saying "
                "why there is none), or tag it `*(type, priority, link only)*`",
            )
        current = None

    def close_intro() -> None:
        if topic is not None and not topic.intro:
            topic.intro = "\n".join(intro).strip()
        intro.clear()

    for n, line in enumerate(text.splitlines(), start=1):
        if line.startswith("# ") and not cur.title:
            cur.title = line[2:].strip()
            continue
        if line.startswith("## "):
            close_entry()
            close_intro()
            name = line[3:].strip()
            topic = None
            if name.lower() == ORDER_HEADING.lower() or "reading order" in name.lower():
                section = "order"
            elif name.lower() == META_HEADING.lower() or "meta-resources" in name.lower():
                section = "topic"
                if cur.topic("meta"):
                    warn(n, "a second meta-resources section; its resources are skipped")
                    section = "skip"
                else:
                    topic = Topic("meta", META_HEADING, META_HEADING, line=n)
                    cur.topics.append(topic)
            else:
                section = "group"
                group = name
                cur.groups.append(name)
            continue
        if line.startswith("### "):
            close_entry()
            close_intro()
            topic = None
            m = _TOPIC.match(line)
            if not m:
                warn(
                    n,
                    "topic headings read `### N. Title`; this one is not a topic, and the "
                    "resources under it are skipped",
                )
                section = "skip"
                continue
            num = int(m.group(1))
            first = cur.topic(num)
            if first:
                warn(
                    n,
                    f"topic {num} is defined twice (first at line {first.line}); the "
                    "resources under this one are skipped",
                )
                section = "skip"
                continue
            topic = Topic(num, m.group(2), group, line=n)
            cur.topics.append(topic)
            section = "topic"
            continue
        if section == "preamble":
            if cur.title:
                preamble.append(line)
                cur.intro = "\n".join(preamble).strip()
            continue
        if section == "order":
            m = _STEP.match(line)
            if m:
                rest = m.group(3).strip()
                ids = re.findall(r"`([a-z0-9][a-z0-9-]*)`", rest)
                cur.reading_order.append(
                    OrderStep(int(m.group(1)), m.group(2).strip(), ids, n, rest)
                )
            elif re.match(r"^\d+\.\s", line):
                warn(
                    n, "reading-order steps read `N. **Title** — `id`, `id``; this line is skipped"
                )
            continue
        if section in ("group", "skip") or topic is None:
            if section == "group" and _RESOURCE.match(line):
                warn(n, "a resource bullet outside a `### N. Topic` section; it is skipped")
            continue
        # ---- inside a topic ----
        nested = _NESTED.match(line)
        if current is not None and nested:
            item = nested.group("text").strip()
            u = _URL_ITEM.match(item)
            if u:
                url = (u.group("angle") or u.group("link") or u.group("bare")).rstrip(".,;")
                current.urls.append(url)
                current.labels.append((u.group("label") or "").strip())
            else:
                if _SCHEMELESS.match(item):
                    warn(n, f"`{item}` looks like a URL without `https://`; write the full URL")
                current.notes.append(item)
            continue
        if current is not None and line.startswith("  ") and line.strip():
            # a wrapped description or note continues on an indented line
            key = topic.key
            if current.notes:
                current.notes[-1] += " " + line.strip()
            else:
                current.descriptions[key] = (current.descriptions[key] + " " + line.strip()).strip()
            continue
        if re.match(r"^[-*+]\s", line):
            close_entry()
            parts = _bullet(line)
            if parts is None:
                if any(e.topics[0] == topic.key for e in cur.appearances):
                    warn(
                        n,
                        f"a bullet under {topic.label} that is not a resource "
                        "(`- **Title** — description`); it is skipped",
                    )
                else:
                    intro.append(line)  # a list in the topic's intro
                continue
            close_intro()
            title, byline, desc, tags = parts
            kind = prio = None
            link_only = False
            if tags is not None:
                kind, prio, link_only, unknown = _tags(tags) or (None, None, False, [])
                if unknown:
                    warn(
                        n,
                        f"unknown tag {', '.join(f'`{u}`' for u in unknown)} in `*({tags})*`: "
                        f"tags are a type ({', '.join(TYPES)}), a priority "
                        f"({', '.join(PRIORITIES)}) and `link only`; it is ignored",
                    )
            current = Entry(
                title=title,
                byline=byline,
                type=kind,
                priority=prio,
                link_only=link_only,
                urls=[],
                labels=[],
                topics=[topic.key],
                descriptions={topic.key: desc},
                line=n,
                lines={topic.key: n},
            )
            cur.appearances.append(current)
            continue
        if line.strip():
            close_entry()
            if not any(e.topics[0] == topic.key for e in cur.appearances):
                intro.append(line)
        elif intro:
            intro.append("")
    close_entry()
    close_intro()
    return cur


# ---------- which appearances are one resource ----------


def match_entries(
    appearances: list[Entry],
    resources: list[Resource],
    notices: list[Notice] | None = None,
) -> list[tuple[Entry, str | None]]:
    """One merged entry per resource, paired with its manifest id (None: not in it).

    Each appearance is matched on its own: by a URL exactly one resource has, then by
    title (exact, then without parenthetical asides). Appearances of one id are one
    entry; unmatched ones are one entry when their titles agree, or when they share an
    unlabelled first URL (a `Channel:` link is shared by several talks). ``notices``
    collects disagreements between appearances (tags, topics listed twice).
    """
    url_owners: dict[str, list[str]] = {}
    by_title: dict[str, list[str]] = {}
    by_bare: dict[str, list[str]] = {}
    for r in resources:
        for u in r.urls:
            url_owners.setdefault(normalise_url(u), []).append(r.id)
        by_title.setdefault(normalise_title(r.title), []).append(r.id)
        by_bare.setdefault(_bare_title(r.title), []).append(r.id)

    def match(e: Entry) -> str | None:
        found = set()
        for u in e.urls:
            owners = list(dict.fromkeys(url_owners.get(normalise_url(u), [])))
            if len(owners) == 1:  # a URL several resources share identifies none of them
                found.add(owners[0])
        if len(found) == 1:
            return found.pop()
        for table, key in ((by_title, normalise_title(e.title)), (by_bare, _bare_title(e.title))):
            ids = table.get(key, [])
            if len(ids) == 1 and (not found or ids[0] in found):
                return ids[0]
        return None

    groups: dict[str, list[Entry]] = {}
    order: list[str] = []
    rids: dict[str, str | None] = {}
    unmatched_keys: dict[str, str] = {}
    for i, e in enumerate(appearances):
        rid = match(e)
        if rid is not None:
            key = "id:" + rid
        else:
            key = _unmatched_key(e, unmatched_keys, groups) or f"new:{i}"
        if key not in groups:
            groups[key] = []
            order.append(key)
            rids[key] = rid
        groups[key].append(e)
    return [(_merge(groups[k], notices), rids[k]) for k in order]


def _unmatched_key(e: Entry, seen: dict[str, str], groups: dict[str, list[Entry]]) -> str | None:
    """The group an unmatched appearance joins: same title, or same unlabelled first URL
    with compatible tags."""
    title = "t:" + normalise_title(e.title)
    url = "u:" + normalise_url(e.urls[0]) if e.urls and not e.labels[0] and not e.link_only else ""
    for k in (title, url):
        if k and k in seen:
            first = groups[seen[k]][0]
            if _compatible(first, e):
                return seen[k]
    key = f"new:{e.line}:{e.title}"
    for k in (title, url):
        if k:
            seen.setdefault(k, key)
    return key


def _compatible(a: Entry, b: Entry) -> bool:
    return all(
        x is None or y is None or x == y for x, y in ((a.type, b.type), (a.priority, b.priority))
    )


def _merge(group: list[Entry], notices: list[Notice] | None) -> Entry:
    first = group[0]
    merged = replace(
        first,
        urls=list(first.urls),
        labels=list(first.labels),
        topics=list(first.topics),
        descriptions=dict(first.descriptions),
        notes=list(first.notes),
        lines=dict(first.lines),
    )
    seen = {normalise_url(u) for u in merged.urls}
    for e in group[1:]:
        for t in e.topics:
            if t in merged.topics:
                if notices is not None:
                    notices.append(
                        Notice(
                            e.line,
                            f"`{e.title}` is listed twice under topic {t} (also at line "
                            f"{merged.lines[t]}); the second listing adds nothing",
                        )
                    )
                continue
            merged.topics.append(t)
            merged.descriptions[t] = e.descriptions[t]
            merged.lines[t] = e.lines.get(t, e.line)
        for u, label in zip(e.urls, e.labels, strict=True):
            if normalise_url(u) not in seen:
                seen.add(normalise_url(u))
                merged.urls.append(u)
                merged.labels.append(label)
        for name in ("type", "priority"):
            mine, theirs = getattr(merged, name), getattr(e, name)
            if mine is None:
                setattr(merged, name, theirs)
            elif theirs is not None and theirs != mine and notices is not None:
                notices.append(
                    Notice(
                        e.line,
                        f"`{e.title}` is tagged {name} `{theirs}` here but `{mine}` at line "
                        f"{first.line}; make them agree (the first is used)",
                    )
                )
        merged.link_only = merged.link_only or e.link_only
        merged.notes += [x for x in e.notes if x not in merged.notes]
    return merged
