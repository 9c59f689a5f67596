"""`refs check`: every rule the library keeps, as findings with a rule id.

A finding names its rule, severity, file and line, and says what to do. Errors
make `refs check` exit 1; warnings (unfinished stubs) do not. Each rule is a
`Checker.check_*` method and one entry of `RULES`, which says when it runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from . import fsio, full_md
from .cards import COMMON_SECTIONS, TOPIC_PLACEHOLDER, Card, find_citations, parse_card
from .citations import Resolver
from .claim_support import card_support
from .curriculum import normalise_url
from .doc_links import resolve_links, sent_to_original
from .errors import RefsError
from .figures import eps_converter, figures
from .library import CARDS_DIR, INDEX_NAMES, Library
from .manifest import Resource
from .markdown import prose_lines
from .review_record import Sources, load_record, record_path, stale_claims
from .staging import dead_stages

ERROR, WARNING = "error", "warning"
REQUIRED_FIELDS = ("Source", "Type", "Topics", "Status")
# `resources/<id>.md` named in a guide; a path inside another repo (`scope-drd/x/resources/`)
# is not ours to check, hence the lookbehind.
_BRIDGE_LINK = re.compile(r"(?<![\w/.-])(?:\.{1,2}/)*(?:refs/)?resources/([a-z0-9][a-z0-9-]*)\.md")
SHOWN = 5  # ids named in a one-line summary finding


class KeptFindings(Protocol):
    """Findings a long-lived process keeps between runs (check_cache.py has the one)."""

    def begin(self, lib: Library) -> None: ...

    def check(self, checker: Checker, rule: Rule, res: Resource) -> None: ...


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    path: str
    line: int
    message: str
    rid: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: [{self.rule}] {self.message}"

    def to_dict(self) -> dict:
        return asdict(self)


class Checker:
    def __init__(self, lib: Library):
        self.lib = lib
        self.resolver = Resolver(lib)
        self.findings: list[Finding] = []
        self.manifest_rel = "refs/manifest.yaml"
        self._stale: dict[str, bool] = {}
        self._sources = Sources(lib)  # cited files, read once
        # Library paths a resource rule read beyond the resource's own files (the
        # sources it cites, the files its full.md links to): what check_cache.py
        # watches to know when kept findings are out of date.
        self.consulted: set[str] = set()

    def add(
        self, rule: str, severity: str, path: str, line: int, message: str, rid: str = ""
    ) -> None:
        self.findings.append(Finding(rule, severity, path, line, message, rid))

    # ---------- running the rules ----------
    def run(self, rid: str | None = None, kept: KeptFindings | None = None) -> list[Finding]:
        """Every rule of `RULES` in its order (``rid``: the resource rules for that one
        resource and the library rules marked ``for_one``, which then report only what
        concerns it); the resource rules run as one block, resource by resource.
        ``kept``: the findings a long-lived process kept from earlier runs, reused for
        the rules marked ``kept`` while the files they depend on are unchanged."""
        if not self._load():
            return self.findings
        if kept is not None:
            kept.begin(self.lib)
        resources = [self.lib.resource(rid)] if rid else self.lib.resources
        per_resource = [r for r in RULES if r.scope == RESOURCE]
        for rule in RULES:
            if rule.scope == RESOURCE:
                if rule is per_resource[0]:
                    for res in resources:
                        for each in per_resource:
                            if kept is not None and each.kept:
                                kept.check(self, each, res)
                            else:
                                each.check(self, res)
            elif rid is None or rule.for_one:
                rule.check(self, rid)
        return self.findings

    def _load(self) -> bool:
        ok = True
        for what, load in (
            ("manifest", lambda: self.lib.manifest),
            ("curriculum", lambda: self.lib.curriculum),
        ):
            try:
                load()
            except RefsError as exc:
                self.add(f"{what}-parse", ERROR, exc.path or what, exc.line or 0, exc.message)
                ok = False
        if ok:
            rel = self.lib.rel(self.lib.curriculum_path)
            for notice in self.lib.curriculum_warnings:
                self.add("curriculum-line", WARNING, rel, notice.line, notice.message)
        return ok

    def check_manifest(self, rid: str | None = None) -> None:
        """Topics the entries name, URLs two entries share, ids the reading order names;
        ``rid``: the manifest is read whole, the findings about that resource kept."""
        start = len(self.findings)
        topics = {t.key for t in self.lib.topics}
        owners: dict[str, str] = {}
        for res in self.lib.resources:
            for t in res.topics:
                if t not in topics:
                    doc = f"{t:02d}-<slug>.md" if isinstance(t, int) else "meta-<slug>.md"
                    self.add(
                        "manifest-topic",
                        ERROR,
                        self.manifest_rel,
                        res.line,
                        f"`{res.id}` names topic {t}, which neither the curriculum nor a topic "
                        f"doc defines; fix the topic, add it to the curriculum or write "
                        f"refs/topics/{doc}",
                        res.id,
                    )
            if res.status == "link_only":
                continue  # link-only entries may share a landing page (a channel, say)
            for u in res.urls:
                key = normalise_url(u)
                if key in owners and owners[key] != res.id:
                    self.add(
                        "manifest-duplicate-url",
                        ERROR,
                        self.manifest_rel,
                        res.line,
                        f"`{res.id}` and `{owners[key]}` share the URL {u}; one resource per URL",
                        res.id,
                    )
                owners.setdefault(key, res.id)
        for step in self.lib.reading_order:
            for named in step.ids:
                if not self.lib.has(named):
                    self.add(
                        "reading-order-id",
                        ERROR,
                        self.manifest_rel,
                        step.line,
                        f"reading order step {step.step} names `{named}`, which is not a resource id",
                    )
        if rid is not None:
            self.findings[start:] = [f for f in self.findings[start:] if f.rid == rid]

    # ---------- one resource ----------
    def check_guessed(self, res: Resource) -> None:
        if res.guessed:
            self.add(
                "manifest-guessed",
                WARNING,
                self.manifest_rel,
                res.line,
                f"`{res.id}`: {' and '.join(res.guessed)} were guessed from its URL by "
                "`refs sync --add-missing`; check them, then delete the `guessed:` line",
                res.id,
            )

    def check_status(self, res: Resource) -> None:
        artifacts, has_full = self.lib.raw_artifacts(res.id), self.lib.has_full_md(res.id)
        rel_full = full_md.full_md_rel(res.id)

        def bad(message: str, severity: str = ERROR) -> None:
            self.add("status-disk", severity, self.manifest_rel, res.line, message, res.id)

        if res.status in ("pending", "link_only"):
            # Raw files without provenance were fetched by hand: fetched in substance,
            # said once for the whole library (`check_hand_fetched`).
            by_hand = res.status == "pending" and self.lib.hand_fetched(res.id)
            stale = [] if by_hand else [self.lib.rel(p) for p in artifacts]
            stale += [rel_full] if has_full else []
            if stale:
                bad(
                    f"`{res.id}` is {res.status} but {stale[0]} exists"
                    + (f" (+{len(stale) - 1} more)" if len(stale) > 1 else "")
                    + (
                        f"; run `refs fetch --record {res.id}` to record it, or delete the stale files"
                        if res.status == "pending"
                        else "; link_only resources keep no outputs: delete them"
                    )
                )
            return
        if not artifacts:
            bad(
                f"`{res.id}` is {res.status} but sources/{res.id}/raw/ holds no artifact; run `refs fetch {res.id} --force`"
            )
        if res.status in ("converted", "condensed") and not has_full:
            bad(
                f"`{res.id}` is {res.status} but {rel_full} is missing; run `refs convert {res.id}`"
            )
        elif has_full:
            try:
                meta, _ = full_md.read(self.lib.full_md_path(res.id))
            except RefsError as exc:
                if res.status in ("converted", "condensed"):
                    self.add(
                        "full-md-front-matter",
                        ERROR,
                        rel_full,
                        exc.line or 1,
                        f"{exc.message}; re-run `refs convert {res.id} --force`",
                        res.id,
                    )
            else:
                if advice := full_md.front_matter_advice(meta):
                    self.add("full-md-conversion-notes", WARNING, rel_full, 1, advice, res.id)
                if self.stale(res.id, meta):
                    self.add(
                        "full-md-stale",
                        ERROR,
                        rel_full,
                        1,
                        f"stale: sources/{res.id}/raw/ changed since this full.md was converted "
                        f"from it; run `refs convert {res.id} --force`",
                        res.id,
                    )
        if res.status == "condensed" and not self.lib.has_card(res.id):
            bad(f"`{res.id}` is condensed but refs/resources/{res.id}.md is missing")

    def stale(self, rid: str, meta: dict | None = None) -> bool:
        """Whether the resource's full.md was converted from other raw artifacts
        than its raw/ holds now (cached: the digest reads every artifact)."""
        if rid not in self._stale:
            if meta is None:
                try:
                    meta, _ = full_md.read(self.lib.full_md_path(rid))
                except RefsError:
                    meta = {}
            self._stale[rid] = full_md.is_stale(meta, self.lib.raw_dir(rid))
        return self._stale[rid]

    def check_source_links(self, res: Resource) -> None:
        """One summary per full.md of the links the site sends to the original site
        (written against it: `overview.html`, `#c.ncclSend`), never one line per link."""
        if not self.lib.has_full_md(res.id):
            return
        rel = full_md.full_md_rel(res.id)
        text = self._sources.text(rel)
        if text is None:
            return
        try:
            meta, body = full_md.parse(text)
        except RefsError:
            return  # the front matter rule reports it
        resolved, counts = resolve_links(
            body, str(meta.get("source_url") or ""), rel, self._is_file
        )
        sent = sent_to_original(counts)
        if not sent:
            return
        start = text.count("\n") - body.count("\n")  # lines of the front matter
        pairs = list(enumerate(zip(body.split("\n"), resolved.split("\n"), strict=True)))
        # The first line whose link was rewritten to the original site; a link written
        # against it already (a page of this document, an anchor it lacks) stays as it
        # is, so then the first line linking out.
        first = next((i for i, (a, b) in pairs if a != b and "](http" in b), None)
        if first is None:
            first = next((i for i, (_, b) in pairs if "](http" in b), 0)
        self.add(
            "source-links",
            WARNING,
            rel,
            start + first + 1,
            f"{sent} link(s) point at pages of the original site or at anchors this file "
            "lacks; the site sends them to the original site"
            + (f" ({meta['source_url']})" if meta.get("source_url") else "")
            + ". Nothing to do unless one should point into the library",
            res.id,
        )

    def _is_file(self, rel: str) -> bool:
        self.consulted.add(rel)
        try:
            return (self.lib.root / rel).is_file()
        except (OSError, ValueError):  # a name no file system accepts (NUL, too long)
            return False

    def check_staging(self, res: Resource) -> None:
        """Staging folders of killed `refs fetch` runs (a running one holds a lock)."""
        for folder in dead_stages(self.lib.source_dir(res.id)):
            files = sum(1 for p in folder.rglob("*") if p.is_file())
            self.add(
                "fetch-staging",
                WARNING,
                self.lib.rel(folder),
                0,
                f"staging folder of an interrupted `refs fetch` ({files} partial file(s)); "
                f"`refs fetch {res.id}` clears it, or delete the folder",
                res.id,
            )

    def check_figures(self, res: Resource) -> None:
        """EPS figures the site cannot show here (no converter): said once per resource."""
        if eps_converter() is not None:
            return
        path = self.lib.full_md_path(res.id)
        text = self._read(path) if path.is_file() else None
        if not text or "<!-- figure:" not in text:
            return
        eps = [
            fig
            for fig in figures(text)
            if any(
                o.kind == "eprint" and o.member.lower().endswith((".eps", ".ps"))
                for o in fig.origins
            )
        ]
        if eps:
            self.add(
                "figure-eps",
                WARNING,
                self.lib.rel(path),
                eps[0].line,
                f"{len(eps)} figure(s) are EPS files, which the site shows only through "
                "Ghostscript, not installed here: they stay text; install it "
                "(`apt-get install ghostscript`) and rebuild",
                res.id,
            )

    def check_files(self, rid: str | None = None) -> None:
        """The path rule and the raw size bound over the library's own files: a symbolic
        link out of the library (curriculum, refs/, sources/), an oversize raw artifact
        (``rid``: that resource's folder only)."""
        root = self.lib.root
        tops = [root / full_md.SOURCES_DIR / rid] if rid else [
            self.lib.curriculum_path, root / "refs", root / full_md.SOURCES_DIR
        ]  # fmt: skip
        for top in tops:
            for path in [top] if top.is_file() or top.is_symlink() else full_md.raw_entries(top):
                rel = self.lib.rel(path)
                parts = rel.split("/")
                owner = parts[1] if parts[0] == full_md.SOURCES_DIR and len(parts) > 2 else ""
                if link := fsio.link_problem(path):
                    self.add("outside-link", ERROR, rel, 0, link, owner)
                elif parts[2:3] == [full_md.RAW_DIR] and (size := full_md.raw_problem(path)):
                    self.add("raw-file", ERROR, rel, 0, size, owner)

    def check_local_paths(self, res: Resource) -> None:
        for p in res.local_paths:
            if not p.strip() or not (self.lib.root / p).exists():
                self.add(
                    "local-path",
                    ERROR,
                    self.manifest_rel,
                    res.line,
                    f"`{res.id}` lists local path {p}, which does not exist; re-run the step that wrote it or remove it",
                    res.id,
                )

    def check_card(self, res: Resource) -> None:
        if not self.lib.has_card(res.id):
            return
        path = self.lib.card_path(res.id)
        rel = self.lib.rel(path)
        text = self._read(path)
        if text is None:
            return
        card = parse_card(path, text, rid=res.id)
        rid = res.id
        # Citations resolve, are supported and go stale by the cited sources' files.
        self.consulted.update(f"{full_md.SOURCES_DIR}/{c.rid}" for c in card.citations)

        def add(rule: str, severity: str, line: int, message: str) -> None:
            self.add(rule, severity, rel, line, message, rid)

        if not card.title:
            add("card-title", ERROR, 1, "the card has no `# Title` line")
        for name in COMMON_SECTIONS:
            if name not in card.sections:
                add(
                    "card-section",
                    ERROR,
                    0,
                    f"missing section `## {name}` (see `refs card {rid} --template`)",
                )
        self._check_fields(card, res, add)
        if "Core claims" in card.sections:
            sec_line = card.sections["Core claims"].line
            if not card.claims:
                add("card-claims", ERROR, sec_line, "`## Core claims` has no numbered claims")
            for claim in card.claims:
                if not claim.marked:
                    add(
                        "card-claim-format",
                        ERROR,
                        claim.line,
                        f"claim {claim.number} must start with `**Claim**:`",
                    )
                if claim.placeholder:
                    continue
                if not claim.evidence_line:
                    add(
                        "card-evidence",
                        ERROR,
                        claim.line,
                        f"claim {claim.number} has no `**Evidence**:` line",
                    )
                elif not any(c.anchor for c in claim.citations):
                    add(
                        "card-evidence",
                        ERROR,
                        claim.evidence_line,
                        f"claim {claim.number}'s evidence cites no `sources/<id>/full.md#<anchor>`",
                    )
            for claim in card.claims:
                for url, line in claim.offsite:
                    add(
                        "citation-offsite",
                        ERROR,
                        line,
                        f"claim {claim.number}: evidence links off-site to `{url}`: only relative "
                        "links into this library's `sources/` are evidence; cite "
                        "`sources/<id>/full.md#<anchor>`",
                    )
        for c in card.citations:
            problem = self.resolver.problem(c)
            if problem:
                number = next((cl.number for cl in card.claims if c in cl.citations), None)
                label = f"claim {number}: " if number else ""
                add("citation", ERROR, c.line, label + problem)
        self._check_support(card, add)
        self._check_stale_claims(card, add)
        for cited in dict.fromkeys(c.rid for c in card.citations):
            if self.lib.has(cited) and self.lib.has_full_md(cited) and self.stale(cited):
                first = next(c.line for c in card.citations if c.rid == cited)
                add(
                    "citation-stale-source",
                    WARNING,
                    first,
                    f"cites {full_md.full_md_rel(cited)}, which is stale (its raw artifacts "
                    f"changed); run `refs convert {cited} --force`, then check the citations",
                )
        for other, line in card.related:
            if not self.lib.has(other):
                add(
                    "card-related",
                    ERROR,
                    line,
                    f"related resource `{other}` is not in the manifest",
                )
        for line in card.placeholders:
            add("card-placeholder", WARNING, line, "unfinished: replace the TODO(card) placeholder")

    def _check_support(self, card: Card, add) -> None:
        """Claim support: each claim's numbers and identifiers are in what it cites."""
        resolves = {c: self.resolver.problem(c) is None for c in card.citations}
        for gap in card_support(card, self._sources.text, lambda c: resolves.get(c, False)):
            add(
                "claim-support",
                WARNING,
                gap.claim.line,
                f"claim {gap.claim.number}: `{gap.fact.shown}` is in none of the passages it "
                f"cites ({', '.join(gap.searched)}, with their subsections and the tables "
                "and figures they refer to); correct the claim, cite the passage that says "
                "it, or mark the claim `(unverified)`",
            )

    def _check_stale_claims(self, card: Card, add) -> None:
        """Claims whose cited passage changed since `refs review` recorded it."""
        rid = card.rid
        try:
            record = load_record(self.lib, rid)
        except RefsError as exc:
            rel = self.lib.rel(record_path(self.lib, rid))
            self.add("review-record", ERROR, rel, exc.line or 1, exc.message, rid)
            return
        if record is None:
            return
        for s in stale_claims(self.lib, card, record, self._sources):
            add(
                "claim-stale",
                WARNING,
                s.line,
                f"claim {s.claim}: the passage it cites, {s.target}, changed since the card "
                f"was reviewed ({s.reviewed}): before «{s.before}» after «{s.after}»; re-read "
                f"it (`refs cite {rid} {s.claim}`), correct the claim if it no longer holds, "
                f"then run `refs review {rid}`",
            )

    def _check_fields(self, card: Card, res: Resource, add) -> None:
        for name in REQUIRED_FIELDS:
            if name not in card.fields:
                add("card-fields", ERROR, card.title_line, f"field table lacks the `{name}` row")
        line = card.field_lines.get
        if "Type" in card.fields and card.fields["Type"] != res.type:
            add(
                "card-fields",
                ERROR,
                line("Type"),
                f"Type says `{card.fields['Type']}`, the manifest says `{res.type}`",
            )
        if "Topics" in card.fields:
            topics = [t.strip() for t in card.fields["Topics"].split(",") if t.strip()]
            want = [str(t) for t in res.topics]
            if topics != want:
                add(
                    "card-fields",
                    ERROR,
                    line("Topics"),
                    f"Topics says `{card.fields['Topics']}`, the manifest says `{', '.join(want)}`",
                )
        if "Source" in card.fields and res.urls:
            found = re.findall(r"https?://[^\s)>|]+", card.fields["Source"])
            if not any(normalise_url(u) in {normalise_url(x) for x in res.urls} for u in found):
                add(
                    "card-fields",
                    ERROR,
                    line("Source"),
                    f"Source is not one of the manifest URLs of `{res.id}`",
                )
        if "Status" in card.fields and card.fields["Status"].strip("` ") != res.status:
            add(
                "card-fields",
                WARNING,
                line("Status"),
                f"Status says `{card.fields['Status']}`, the manifest says `{res.status}`; update the row",
            )

    # ---------- other files ----------
    def check_hand_fetched(self, rid: str | None = None) -> None:
        """One finding for every resource whose raw files came without provenance."""
        ids = [r.id for r in self.lib.resources if self.lib.hand_fetched(r.id)]
        if not ids:
            return
        named = ", ".join(ids[:SHOWN]) + (
            f" and {len(ids) - SHOWN} more" if len(ids) > SHOWN else ""
        )
        self.add(
            "raw-unrecorded",
            WARNING,
            full_md.SOURCES_DIR,
            0,
            f"{len(ids)} resource(s) hold raw artifacts fetched by hand, with no "
            f"provenance.json ({named}); they count as fetched. `refs fetch --record --all` "
            "records their provenance (sha256, size, type, URL) without downloading anything",
        )

    def check_topic_docs(self, rid: str | None = None) -> None:
        for key, paths in self.lib.topic_docs.items():
            topic = self.lib.topic(key)
            if topic is not None and len(paths) > 1:
                used = self.lib.topic_doc_path(topic)
                for path in paths:
                    if path != used:
                        self.add(
                            "topic-doc-duplicate",
                            WARNING,
                            self.lib.rel(path),
                            1,
                            f"a second doc for {topic.label}; {self.lib.rel(used)} is its "
                            "topic doc and this one shows as a guide: merge or renumber it",
                        )
        for topic in self.lib.topics:
            path = self.lib.topic_doc_path(topic)
            if not path.is_file():
                self.add(
                    "topic-doc",
                    ERROR,
                    self.lib.rel(path.parent) + "/" + path.name,
                    0,
                    f"{topic.label} has no doc; run `refs sync` to scaffold it",
                )
                continue
            text = self._read(path)
            if text is None:
                continue
            self._check_doc_citations(path, text)
            for n, line in enumerate(text.splitlines(), start=1):
                if TOPIC_PLACEHOLDER in line:
                    self.add(
                        "topic-placeholder",
                        WARNING,
                        self.lib.rel(path),
                        n,
                        "unfinished: write this section",
                    )

    def check_orphan_cards(self, rid: str | None = None) -> None:
        folder = self.lib.root / CARDS_DIR
        if not folder.is_dir():
            return
        for path in sorted(folder.glob("*.md")):
            if path.name not in INDEX_NAMES and not self.lib.has(path.stem):
                self.add(
                    "card-orphan",
                    ERROR,
                    self.lib.rel(path),
                    1,
                    f"card for `{path.stem}`, which is not in the manifest; rename it to a resource id",
                )

    def check_guides(self, rid: str | None = None) -> None:
        """The bridge doc and every other guide under refs/: the ids they name and the
        sources they cite."""
        for path in self.lib.guides():
            text = self._read(path)
            if text is None:
                continue
            lines = text.splitlines()
            for i in prose_lines(lines):
                # scope-drd/... paths point into the sibling repo: never checked as files here.
                for rid in _BRIDGE_LINK.findall(lines[i]):
                    if not self.lib.has(rid):
                        self.add(
                            "bridge-id",
                            ERROR,
                            self.lib.rel(path),
                            i + 1,
                            f"names `{rid}`, which is not a resource id",
                        )
            self._check_doc_citations(path, text)

    def _read(self, path: Path) -> str | None:
        """A library file's text, or None with a finding when it cannot be read."""
        try:
            return fsio.read_text(path)
        except RefsError as exc:
            self.add("file-encoding", ERROR, self.lib.rel(path), exc.line or 0, exc.message)
            return None

    def _check_doc_citations(self, path: Path, text: str) -> None:
        for c in find_citations(text):
            problem = self.resolver.problem(c)
            if problem:
                self.add("citation", ERROR, self.lib.rel(path), c.line, problem, c.rid)


RESOURCE, LIBRARY = "resource", "library"


@dataclass(frozen=True)
class Rule:
    """One entry of `RULES`: a `Checker.check_*` method and when it runs."""

    check: Callable[[Checker, Any], None]  # (checker, Resource) or (checker, rid or None)
    scope: str  # RESOURCE: once per resource; LIBRARY: once, over the whole library
    for_one: bool = False  # a LIBRARY rule `refs check <id>` and `refs review` run too
    # A RESOURCE rule whose findings depend only on the manifest, the resource's card,
    # review record and sources/<id>/, and the paths it adds to `Checker.consulted`:
    # a long-lived process (`refs mcp`) keeps them until one of those files changes
    # (check_cache.py). Cheap rules that ask anything else run every time.
    kept: bool = False


# The rules, in the order `refs check` runs them (the RESOURCE ones as one block). A new
# rule is a `check_*` method of `Checker` and one entry here; test_architecture.py
# fails on a method that is not.
RULES = (
    Rule(Checker.check_manifest, LIBRARY, for_one=True),
    Rule(Checker.check_status, RESOURCE, kept=True),
    Rule(Checker.check_local_paths, RESOURCE),
    Rule(Checker.check_guessed, RESOURCE),
    Rule(Checker.check_staging, RESOURCE),
    Rule(Checker.check_figures, RESOURCE, kept=True),
    Rule(Checker.check_source_links, RESOURCE, kept=True),
    Rule(Checker.check_card, RESOURCE, kept=True),
    Rule(Checker.check_hand_fetched, LIBRARY),
    Rule(Checker.check_files, LIBRARY, for_one=True),
    Rule(Checker.check_topic_docs, LIBRARY),
    Rule(Checker.check_orphan_cards, LIBRARY),
    Rule(Checker.check_guides, LIBRARY),
)


def check_library(lib: Library, kept: KeptFindings | None = None) -> list[Finding]:
    return Checker(lib).run(kept=kept)


def check_resource(lib: Library, rid: str, kept: KeptFindings | None = None) -> list[Finding]:
    """Every rule that concerns one resource (what `refs review` runs)."""
    return Checker(lib).run(rid, kept=kept)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)
