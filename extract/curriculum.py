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
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import fsio
from .errors import RefsError
from .manifest import PRIORITIES, TYPES, Resource, Step
from .slugs import slug

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
# Reading-order steps: `1. ...`, `1) ...` or `- ...` at the margin; items of the step
# after its `**title**`, joined by arrows, or in nested bullets under it.
_STEP = re.compile(r"^(?:(?P<num>\d+)[.)]|[-*+])\s+(?P<body>\S.*?)\s*$")
_STEP_ITEM = re.compile(r"^\s{2,}(?:\d+[.)]|[-*+])\s+(?P<body>\S.*?)\s*$")
_STEP_TITLE = re.compile(r"^\*\*(?P<title>.+?)\*\*\s*(?:—|–|-|:)?\s*(?P<rest>.*)$")
_ARROWS = re.compile(r"\s*(?:→|⟶|➔|➜|⇒|->|=>|-->)\s*")
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_CODE = re.compile(r"`([^`]+)`")
_LINK = re.compile(r"\[([^\]]*)\]\(\s*<?([^)\s>]+)>?[^)]*\)")
_TOPIC_ASIDE = re.compile(r"\(\s*(?:see\s+)?topics?\b[^()]*\)", re.I)
_QUOTED = re.compile(r"[\"“”]([^\"“”]{3,})[\"“”]")
# Words that say what kind of thing a short name is, not which one (`GPipe paper`).
_GENERIC = frozenset(
    "a an the of and or by for on in to with from its paper papers blog post posts doc docs "
    "documentation source code article talk video".split()
)


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
        return slug(self.title.split(" — ")[0]) or "topic"

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
class OrderItem:
    """One thing a reading-order step names: an id, a title, a link (as written)."""

    text: str
    line: int
    codes: list[str] = field(default_factory=list)  # `spans` in it (ids, if known)
    urls: list[str] = field(default_factory=list)  # link targets in it
    name: str = ""  # the plain words, for matching by title
    from_title: bool = False  # a step with only a title names that (until items follow)

    @property
    def only_ids(self) -> bool:
        """Nothing but `id`s (and commas): written as ids, never read as a title."""
        rest = _CODE.sub("", self.text)
        return bool(self.codes) and not re.sub(r"[\s,;]|\band\b", "", rest)


@dataclass
class OrderStep:
    step: int
    title: str
    ids: list[str]  # ids written in backticks
    line: int
    text: str = ""  # what the step says after its title (ids or prose)
    items: list[OrderItem] = field(default_factory=list)


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
    """A title as titles are compared: words in any script, case and punctuation
    ignored ("" for a title of symbols only, which then matches nothing)."""
    return re.sub(r"[\W_]+", " ", unicodedata.normalize("NFKC", title).casefold()).strip()


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
    reader = _Reader(Curriculum(path))
    for n, line in enumerate(text.splitlines(), start=1):
        reader.line(n, line)
    reader.close_entry()
    reader.close_intro()
    return reader.cur


class _Reader:
    """One pass over the curriculum's lines; each kind of line has its own method."""

    def __init__(self, cur: Curriculum):
        self.cur = cur
        self.group = ""
        self.topic: Topic | None = None
        self.section = "preamble"  # preamble | group | topic | skip | order
        self.intro: list[str] = []
        self.preamble: list[str] = []
        self.current: Entry | None = None

    def warn(self, n: int, message: str) -> None:
        self.cur.warnings.append(Notice(n, message))

    def line(self, n: int, line: str) -> None:
        if line.startswith("# ") and not self.cur.title:
            self.cur.title = line[2:].strip()
        elif line.startswith("## "):
            self.close_entry()
            self.close_intro()
            self.group_heading(n, line[3:].strip())
        elif line.startswith("### "):
            self.close_entry()
            self.close_intro()
            self.topic_heading(n, line)
        elif self.section == "preamble":
            if self.cur.title:
                self.preamble.append(line)
                self.cur.intro = "\n".join(self.preamble).strip()
        elif self.section == "order":
            self.order_line(n, line)
        elif self.section in ("group", "skip") or self.topic is None:
            if self.section == "group" and _RESOURCE.match(line):
                self.warn(n, "a resource bullet outside a `### N. Topic` section; it is skipped")
        else:
            self.topic_line(n, line, self.topic)

    # ---------- headings ----------
    def group_heading(self, n: int, name: str) -> None:
        self.topic = None
        lowered = name.lower()
        if lowered == ORDER_HEADING.lower() or "reading order" in lowered:
            self.section = "order"
        elif lowered == META_HEADING.lower() or "meta-resources" in lowered:
            if self.cur.topic("meta"):
                self.warn(n, "a second meta-resources section; its resources are skipped")
                self.section = "skip"
            else:
                self.section = "topic"
                self.topic = Topic("meta", META_HEADING, META_HEADING, line=n)
                self.cur.topics.append(self.topic)
        else:
            self.section = "group"
            self.group = name
            self.cur.groups.append(name)

    def topic_heading(self, n: int, line: str) -> None:
        self.topic = None
        self.section = "skip"
        m = _TOPIC.match(line)
        if not m:
            self.warn(
                n,
                "topic headings read `### N. Title`; this one is not a topic, and the "
                "resources under it are skipped",
            )
            return
        num = int(m.group(1))
        first = self.cur.topic(num)
        if first:
            self.warn(
                n,
                f"topic {num} is defined twice (first at line {first.line}); the "
                "resources under this one are skipped",
            )
            return
        self.topic = Topic(num, m.group(2), self.group, line=n)
        self.cur.topics.append(self.topic)
        self.section = "topic"

    # ---------- the reading order ----------
    def order_line(self, n: int, line: str) -> None:
        steps = self.cur.reading_order
        if m := _STEP.match(line):
            number = int(m.group("num")) if m.group("num") else len(steps) + 1
            steps.append(order_step(number, m.group("body"), n))
        elif steps and (sub := _STEP_ITEM.match(line)):
            step = steps[-1]
            if step.items and step.items[0].from_title:
                step.items = []  # `- **Title**` with its items nested under it
            step.items += order_items(sub.group("body"), n)

    # ---------- inside a topic ----------
    def topic_line(self, n: int, line: str, topic: Topic) -> None:
        nested = _NESTED.match(line)
        if self.current is not None and nested:
            self.nested_item(n, nested.group("text").strip(), self.current)
        elif self.current is not None and line.startswith("  ") and line.strip():
            self.continuation(line.strip(), self.current, topic)
        elif re.match(r"^[-*+]\s", line):
            self.close_entry()
            self.bullet(n, line, topic)
        elif line.strip():
            self.close_entry()
            if not self.listed_yet(topic):
                self.intro.append(line)
        elif self.intro:
            self.intro.append("")

    def listed_yet(self, topic: Topic) -> bool:
        """Whether the current topic has a resource bullet already (intro text ends)."""
        return any(e.topics[0] == topic.key for e in self.cur.appearances)

    def nested_item(self, n: int, item: str, entry: Entry) -> None:
        """`  - [Label: ]<url>` under a resource, or a note."""
        u = _URL_ITEM.match(item)
        if u:
            url = (u.group("angle") or u.group("link") or u.group("bare")).rstrip(".,;")
            entry.urls.append(url)
            entry.labels.append((u.group("label") or "").strip())
            return
        if _SCHEMELESS.match(item):
            self.warn(n, f"`{item}` looks like a URL without `https://`; write the full URL")
        entry.notes.append(item)

    def continuation(self, text: str, e: Entry, topic: Topic) -> None:
        """A wrapped description or note continues on an indented line."""
        key = topic.key
        if e.notes:
            e.notes[-1] += " " + text
        else:
            e.descriptions[key] = (e.descriptions[key] + " " + text).strip()

    def bullet(self, n: int, line: str, topic: Topic) -> None:
        parts = _bullet(line)
        if parts is None:
            if self.listed_yet(topic):
                self.warn(
                    n,
                    f"a bullet under {topic.label} that is not a resource "
                    "(`- **Title** — description`); it is skipped",
                )
            else:
                self.intro.append(line)  # a list in the topic's intro
            return
        self.close_intro()
        title, byline, desc, tags = parts
        kind, prio, link_only = self.tags(n, tags)
        key = topic.key
        self.current = Entry(
            title=title, byline=byline, type=kind, priority=prio, link_only=link_only,
            urls=[], labels=[], topics=[key], descriptions={key: desc}, line=n, lines={key: n},
        )  # fmt: skip
        self.cur.appearances.append(self.current)

    def tags(self, n: int, tags: str | None) -> tuple[str | None, str | None, bool]:
        if tags is None:
            return None, None, False
        kind, prio, link_only, unknown = _tags(tags) or (None, None, False, [])
        if unknown:
            self.warn(
                n,
                f"unknown tag {', '.join(f'`{u}`' for u in unknown)} in `*({tags})*`: "
                f"tags are a type ({', '.join(TYPES)}), a priority "
                f"({', '.join(PRIORITIES)}) and `link only`; it is ignored",
            )
        return kind, prio, link_only

    # ---------- closing ----------
    def close_entry(self) -> None:
        e = self.current
        if e is not None and not e.urls and not e.link_only and not e.notes:
            self.warn(
                e.line,
                f"`{e.title}` has no URL; add `  - https://...` under it (or a note saying "
                "why there is none), or tag it `*(type, priority, link only)*`",
            )
        self.current = None

    def close_intro(self) -> None:
        if self.topic is not None and not self.topic.intro:
            self.topic.intro = "\n".join(self.intro).strip()
        self.intro.clear()


# ---------- the reading order as written ----------


def order_step(number: int, body: str, n: int) -> OrderStep:
    """A step: `**Title**: A → B → C`, `**Title** — `a`, `b``, or just `A → B`."""
    m = _STEP_TITLE.match(body)
    title, rest = (m.group("title"), m.group("rest")) if m else ("", body)
    title = title.strip().rstrip(":").strip()
    rest = rest.strip()
    ids = [c for c in _CODE.findall(rest) if _ID.fullmatch(c)]
    items = order_items(rest or title, n)
    if not rest:
        for item in items:
            item.from_title = True
    if not title:
        title = _plain(rest) if not all(i.only_ids for i in items) else f"Step {number}"
    return OrderStep(number, title, ids, n, rest, items)


def order_items(text: str, n: int) -> list[OrderItem]:
    """The things a step names, in order: each piece between arrows."""
    items = []
    for piece in _ARROWS.split(text):
        piece = piece.strip().rstrip(".;,").strip()
        if not piece:
            continue
        codes = [c.strip() for c in _CODE.findall(piece)]
        urls = [u for _, u in _LINK.findall(piece)]
        items.append(OrderItem(piece, n, codes, urls, _plain(_TOPIC_ASIDE.sub(" ", piece))))
    return items


def _plain(text: str) -> str:
    """Markdown to its words: links to their text, emphasis and code marks dropped."""
    text = _LINK.sub(lambda m: m.group(1), text)
    text = re.sub(r"[*_`]+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def resolve_order(
    steps: list[OrderStep], matcher: TitleMatcher, ids
) -> tuple[list[Step], list[Notice]]:
    """The curriculum's reading order as manifest ids, and a notice per item that names
    no resource (by id, by URL, or by title as `refs sync` matches titles)."""
    known = set(ids)
    out, notices = [], []
    for s in steps:
        found: list[str] = []
        for item in s.items:
            rids = _resolve_item(item, matcher, known)
            if not rids:
                notices.append(Notice(item.line, _unmatched(s.step, item, matcher)))
            found += [r for r in rids if r not in found]
        out.append(Step(s.step, s.title, found, s.line))
    return out, notices


def _resolve_item(item: OrderItem, matcher: TitleMatcher, known: set[str]) -> list[str]:
    named = [c for c in item.codes if c in known]
    if named or item.only_ids:
        return named
    by_url = matcher.by_urls(item.urls)
    if len(by_url) == 1:
        return list(by_url)
    rid = matcher.by_name(item.name)
    if rid:
        return [rid]
    parts = [p for p in re.split(r"\s*[,;]\s*", item.name) if p]
    if len(parts) < 2:
        return []
    rids = [rid for p in parts if (rid := matcher.by_name(p))]
    return rids if len(rids) == len(parts) else []  # every part names one, or none counts


def _unmatched(step: int, item: OrderItem, matcher: TitleMatcher) -> str:
    if item.only_ids:
        unknown = ", ".join(f"`{c}`" for c in item.codes)
        return (
            f"reading order step {step} names {unknown}, which is not a resource id; "
            "`refs status` lists the ids"
        )
    name = item.name or item.text
    near = matcher.nearest(name)
    maybe = (
        "; nearest: " + ", ".join(f"`{rid}` ({matcher.written[rid]})" for rid in near)
        if near
        else ""
    )
    return (
        f"reading order step {step}: `{name}` names no resource of the manifest (by URL "
        f"or title){maybe}; write its id in backticks or its title as refs/manifest.yaml "
        "has it"
    )


# ---------- a written title or URL -> the manifest's resource ----------


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("'s ", " ").replace("’s ", " "))


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _same_root(word: str, stems: set[str]) -> bool:
    """A word of five letters or more that a stem of the title begins (`compiled`,
    `compile`; `buffering`, `buffer`), or that begins one."""
    return len(word) >= 5 and any(
        len(b) >= 5 and (word.startswith(b) or b.startswith(word)) for b in stems
    )


class TitleMatcher:
    """How a URL or a title a person wrote finds its manifest resource: by a URL exactly
    one resource has, then by title (exact, then without parenthetical asides). `refs
    sync` matches curriculum entries so; the reading order too, and accepts the short
    names people write in prose (`by_name`: `GPipe paper`, `Horace He's "Making Deep
    Learning Go Brrrr"`) when they name exactly one resource."""

    def __init__(self, resources: list[Resource], bylines: dict[str, str] | None = None):
        self.url_owners: dict[str, list[str]] = {}
        self.by_title_key: dict[str, list[str]] = {}
        self.by_bare_key: dict[str, list[str]] = {}
        self.titles: dict[str, str] = {}
        self.written: dict[str, str] = {}  # each title as the manifest writes it
        self.bags: dict[str, tuple[set[str], set[str]]] = {}
        bylines = bylines or {}
        for r in resources:
            for u in r.urls:
                self.url_owners.setdefault(normalise_url(u), []).append(r.id)
            self.by_title_key.setdefault(normalise_title(r.title), []).append(r.id)
            self.by_bare_key.setdefault(_bare_title(r.title), []).append(r.id)
            self.titles[r.id] = normalise_title(r.title)
            self.written[r.id] = r.title
            bag = set(_words(r.title)) | set(_words(r.id.replace("-", " ")))
            bag |= set(_words(bylines.get(r.id, "")))
            self.bags[r.id] = (bag, {_stem(w) for w in bag})

    def by_urls(self, urls: list[str]) -> set[str]:
        """The resources named by a URL only one resource has."""
        found = set()
        for u in urls:
            owners = list(dict.fromkeys(self.url_owners.get(normalise_url(u), [])))
            if len(owners) == 1:  # a URL several resources share identifies none of them
                found.add(owners[0])
        return found

    def by_title(self, title: str, among: set[str] | None = None) -> str | None:
        for table, key in (
            (self.by_title_key, normalise_title(title)),
            (self.by_bare_key, _bare_title(title)),
        ):
            ids = table.get(key, []) if key else []
            if len(ids) == 1 and (not among or ids[0] in among):
                return ids[0]
        return None

    def by_name(self, name: str) -> str | None:
        """A title, a quoted title, the start of a title, or words only one title (with
        its id and byline) holds all of."""
        quoted = _QUOTED.findall(name)
        for candidate in (name, *quoted):
            rid = self.by_title(candidate) or self._by_prefix(candidate)
            if rid:
                return rid
        return self._by_words(name)

    def _by_prefix(self, name: str) -> str | None:
        key = normalise_title(name)
        if not key:
            return None
        ids = [rid for rid, t in self.titles.items() if t == key or t.startswith(key + " ")]
        return ids[0] if len(ids) == 1 else None

    def _by_words(self, name: str) -> str | None:
        """Every word of the name (kind words like `paper` aside) in exactly one
        resource's title, id or byline; whole words rank before parts of words, then the
        kind words decide a tie (`DiT paper`: the one whose id says paper), then a title
        that starts with the name's first word."""
        every = _words(name)
        words = [w for w in every if w not in _GENERIC]
        if not words:
            return None
        scored = []
        for rid, (bag, stems) in self.bags.items():
            whole = [w for w in words if w in bag or _stem(w) in stems]
            part = [w for w in words if w not in whole and len(w) >= 5 and any(w in b for b in bag)]
            if len(whole) + len(part) == len(words):
                kind = sum(1 for w in every if w in _GENERIC and w in bag)
                first = self.titles[rid].split(" ", 1)[0] == words[0]
                scored.append(((len(whole), kind, first), rid))
        scored.sort(reverse=True)
        if scored and (len(scored) == 1 or scored[0][0] > scored[1][0]):
            return scored[0][1]
        return None

    def nearest(self, name: str, limit: int = 3) -> list[str]:
        """For a name that matches nothing: the resources holding the most of its words
        (a word, its plural, or the same word with another ending: `compiled` for
        `compile`), then those holding its first word (people lead with the proper
        name: `vLLM architecture blog`), when at most ``limit`` share the best: what
        the warning offers, never taken as a match."""
        words = [w for w in _words(name) if w not in _GENERIC]
        scores: dict[tuple[int, bool], list[str]] = {}
        for rid, (bag, stems) in self.bags.items():
            held = [w for w in words if w in bag or _stem(w) in stems or _same_root(w, stems)]
            if held:
                scores.setdefault((len(held), words[0] in held), []).append(rid)
        best = scores[max(scores)] if scores else []
        return sorted(best) if len(best) <= limit else []


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
    matcher = TitleMatcher(resources)

    def match(e: Entry) -> str | None:
        found = matcher.by_urls(e.urls)
        if len(found) == 1:
            return found.pop()
        return matcher.by_title(e.title, found)

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
    title = "t:" + normalise_title(e.title) if normalise_title(e.title) else ""
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
