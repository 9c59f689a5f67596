"""The curriculum (`distributed_video_dit_inference.md`): human-written, parsed here.

Grammar (kept deliberately small so people can edit it by hand):

    ## <Group>
    ### <N>. <Topic title>
    <intro paragraphs>
    - **<Title>** (<byline>) — <description> *(<type>, <priority>[, link only])*
      - [<Label>: ]<url>
    ## Essential meta-resources          (topic key `meta`, bullets directly under it)
    ## Suggested reading order
    1. **<Step title>** — `id`, `id`, ...

A resource listed under several topics is one entry whose topics are the sections
it appears in, in order of appearance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import fsio
from .errors import RefsError
from .manifest import PRIORITIES, TYPES, Resource

META_HEADING = "Essential meta-resources"
ORDER_HEADING = "Suggested reading order"

_TOPIC = re.compile(r"^###\s+(\d+)\.\s+(.+?)\s*$")
_BULLET = re.compile(
    r"^- \*\*(?P<title>.+?)\*\*(?: \((?P<byline>[^()]*(?:\([^()]*\)[^()]*)*)\))?"
    r" — (?P<desc>.*?)\s*\*\((?P<tags>[^()]*)\)\*\s*$"
)
_URL_BULLET = re.compile(r"^\s{2,}- (?:(?P<label>[^:]+?): )?(?P<url>https?://\S+)\s*$")
_STEP = re.compile(r"^(\d+)\.\s+\*\*(.+?)\*\*\s*(?:—|-|:)\s*(.*)$")


@dataclass
class Topic:
    key: int | str  # topic number, or "meta"
    title: str
    group: str
    intro: str = ""
    line: int = 0

    @property
    def slug(self) -> str:
        short = self.title.split(" — ")[0]
        return re.sub(r"[^a-z0-9]+", "-", short.lower()).strip("-")

    @property
    def doc_name(self) -> str:
        """File name of the topic's synthesis doc under refs/topics/."""
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
    type: str
    priority: str
    link_only: bool
    urls: list[str]
    labels: list[str]
    topics: list[int | str] = field(default_factory=list)
    descriptions: dict[int | str, str] = field(default_factory=dict)
    line: int = 0

    @property
    def description(self) -> str:
        """The description written where the entry first appears."""
        return self.descriptions[self.topics[0]] if self.topics else ""


@dataclass
class OrderStep:
    step: int
    title: str
    ids: list[str]
    line: int


@dataclass
class Curriculum:
    path: Path
    title: str = ""
    intro: str = ""
    groups: list[str] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    reading_order: list[OrderStep] = field(default_factory=list)

    def topic(self, key: int | str) -> Topic | None:
        for t in self.topics:
            if t.key == key:
                return t
        return None

    @property
    def topic_keys(self) -> list[int | str]:
        return [t.key for t in self.topics]


def normalise_url(url: str) -> str:
    """URL identity for matching: scheme, `www.`, trailing slash and fragment ignored."""
    u = url.strip().split("#", 1)[0]
    u = re.sub(r"^https?://", "", u, flags=re.I)
    host, _, rest = u.partition("/")
    host = host.lower().removeprefix("www.")
    return (host + "/" + rest).rstrip("/")


def normalise_title(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", title.lower()).strip()


def parse(path: Path, text: str | None = None) -> Curriculum:
    path = Path(path)
    if text is None:
        try:
            text = fsio.read_text(path)
        except FileNotFoundError as exc:
            raise RefsError("curriculum not found", path) from exc
    cur = Curriculum(path)
    lines = text.splitlines()

    def err(message: str, lineno: int) -> RefsError:
        return RefsError(message, path, lineno)

    group = ""
    topic: Topic | None = None
    section = "preamble"  # preamble | group | topic | order
    intro: list[str] = []
    by_url: dict[str, Entry] = {}
    current: Entry | None = None
    current_line = 0

    def close_entry() -> None:
        nonlocal current
        if current is not None and not current.urls and not current.link_only:
            raise err(
                f"resource `{current.title}` has no URL bullet; add `  - https://...` under it "
                "or tag it `link only`",
                current_line,
            )
        current = None

    def close_intro() -> None:
        if topic is not None and not topic.intro:
            topic.intro = "\n".join(intro).strip()
        intro.clear()

    for n, line in enumerate(lines, start=1):
        if line.startswith("# ") and not cur.title:
            cur.title = line[2:].strip()
            continue
        if line.startswith("## "):
            close_entry()
            close_intro()
            name = line[3:].strip()
            topic = None
            if name == ORDER_HEADING:
                section = "order"
            elif name == META_HEADING:
                section = "topic"
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
            m = _TOPIC.match(line)
            if not m or section not in ("group", "topic"):
                raise err("topic headings must read `### N. Title` under a `## Group`", n)
            num = int(m.group(1))
            if cur.topic(num):
                raise err(f"topic {num} is defined twice", n)
            topic = Topic(num, m.group(2), group, line=n)
            cur.topics.append(topic)
            section = "topic"
            continue
        if section == "preamble":
            if cur.title:
                intro.append(line)
                cur.intro = "\n".join(intro).strip()
            continue
        if section == "order":
            m = _STEP.match(line)
            if m:
                ids = re.findall(r"`([^`]+)`", m.group(3))
                cur.reading_order.append(OrderStep(int(m.group(1)), m.group(2).strip(), ids, n))
            elif line.strip() and re.match(r"^\d+\.", line):
                raise err("reading-order steps must read `N. **Title** — `id`, `id``", n)
            continue
        if section != "topic" or topic is None:
            if line.startswith("- **"):
                raise err("resource bullets belong under a `### N. Topic` heading", n)
            continue
        if line.startswith("- "):
            close_entry()
            close_intro()
            m = _BULLET.match(line)
            if not m:
                raise err(
                    "resource bullet must read `- **Title** (byline) — description *(type, priority)*`",
                    n,
                )
            tags = [t.strip() for t in m.group("tags").split(",")]
            if len(tags) < 2 or tags[0] not in TYPES:
                raise err(f"unknown type `{tags[0]}`; use one of {', '.join(TYPES)}", n)
            if tags[1] not in PRIORITIES:
                raise err(f"unknown priority `{tags[1]}`; use one of {', '.join(PRIORITIES)}", n)
            extra = [t for t in tags[2:] if t]
            if any(t != "link only" for t in extra):
                raise err(f"unknown tag in `{m.group('tags')}`; only `link only` may follow", n)
            current = Entry(
                title=m.group("title").strip(),
                byline=(m.group("byline") or "").strip(),
                type=tags[0],
                priority=tags[1],
                link_only="link only" in extra,
                urls=[],
                labels=[],
                line=n,
            )
            current.descriptions[topic.key] = m.group("desc").strip()
            current_line = n
            current.topics.append(topic.key)
            cur.entries.append(current)
            continue
        if current is not None and line.startswith("  "):
            stripped = line.strip()
            if not stripped:
                continue
            m = _URL_BULLET.match(line)
            if not m:
                raise err("nested bullets under a resource must be `  - [Label: ]https://...`", n)
            current.urls.append(m.group("url"))
            current.labels.append((m.group("label") or "").strip())
            continue
        if line.strip():
            close_entry()
            if not cur.entries or cur.entries[-1].topics[-1] != topic.key:
                intro.append(line)
        elif intro:
            intro.append("")
    close_entry()
    close_intro()
    cur.entries = _merge_repeats(cur.entries, by_url, err)
    return cur


def _merge_repeats(entries: list[Entry], by_url: dict[str, Entry], err) -> list[Entry]:
    """One entry per resource: later appearances add their topic (same URLs, same tags)."""
    merged: list[Entry] = []
    by_title: dict[str, Entry] = {}
    for e in entries:
        key_urls = [normalise_url(u) for u in e.urls]
        first = None
        if key_urls and not e.link_only:
            first = by_url.get(key_urls[0])
        if first is None:
            first = by_title.get(normalise_title(e.title))
            if first is not None and [normalise_url(u) for u in first.urls] != key_urls:
                first = None
        if first is None:
            merged.append(e)
            by_title[normalise_title(e.title)] = e
            if key_urls and not e.link_only:
                by_url.setdefault(key_urls[0], e)
            continue
        if (first.type, first.priority, first.link_only) != (e.type, e.priority, e.link_only):
            raise err(
                f"`{e.title}` is listed again with different tags than at line {first.line}; "
                "make them agree",
                e.line,
            )
        for t in e.topics:
            if t in first.topics:
                raise err(f"`{e.title}` is listed twice under the same topic", e.line)
            first.topics.append(t)
            first.descriptions[t] = e.descriptions[t]
    return merged


def match_entries(
    entries: list[Entry], resources: list[Resource]
) -> list[tuple[Entry, str | None]]:
    """Pair each curriculum entry with a manifest id (URL first, then title)."""
    url_owners: dict[str, list[str]] = {}
    for r in resources:
        for u in r.urls:
            url_owners.setdefault(normalise_url(u), []).append(r.id)
    by_title: dict[str, list[str]] = {}
    for r in resources:
        by_title.setdefault(normalise_title(r.title), []).append(r.id)
    taken: set[str] = set()
    pairs: list[tuple[Entry, str | None]] = []
    for e in entries:
        rid = None
        candidates: list[str] = []
        for u in e.urls:
            owners = [o for o in url_owners.get(normalise_url(u), []) if o not in taken]
            if len(owners) == 1:  # a URL shared by several entries identifies none of them
                candidates.append(owners[0])
        if candidates and all(c == candidates[0] for c in candidates):
            rid = candidates[0]
        if rid is None:
            titled = [t for t in by_title.get(normalise_title(e.title), []) if t not in taken]
            if len(titled) == 1:
                rid = titled[0]
        if rid is not None:
            taken.add(rid)
        pairs.append((e, rid))
    return pairs
