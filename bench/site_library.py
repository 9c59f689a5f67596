"""A generated library that looks like a real one, for the site benchmark.

Real libraries are not uniform: arXiv papers converted from LaTeX carry hundreds of
formulas, joined documentation sites carry dozens of subpages each full of links and
code, PDF papers are long runs of paragraphs with tables, and cards cite many headings
of several sources with quoted phrases. The text is made up here from a small
vocabulary (nothing is copied from anywhere); the shapes and sizes follow what our
converter makes of the real corpus (`../shared/corpus`): 1-175 kB per source, ~60 kB
on average, up to ~800 formulas in a paper, ~100 links in a docs page.

    generate(root, sources=100) -> facts
"""

from __future__ import annotations

import random
from pathlib import Path

from extract.anchors import headings

WORDS = (
    "stage micro-batch bubble schedule activation tensor stream event graph kernel launch "
    "latency bandwidth throughput rank collective denoise frame window cache pipeline "
    "partition layer attention head token sequence shard gradient weight optimizer step "
    "buffer queue device host memory transfer overlap warmup steady cooldown interleave "
    "chunk replica barrier timestamp order message switch link fabric ring tree allreduce "
    "allgather scatter broadcast latent patch diffusion transformer sampler noise timestep "
    "convolution decoder encoder block residual norm projection embedding"
).split()
NOUNS = WORDS[:40]
TOPIC_TITLES = (
    "Pipeline schedules", "Stage partitioning", "Activation memory", "Collectives",
    "CUDA streams and events", "Kernel launch overhead", "Graph capture", "Video DiT models",
    "Latent VAEs", "Sequence parallelism", "Tensor parallelism", "Serving queues",
    "Backpressure", "Numerics", "Profiling", "Compilers", "Memory planning", "Schedulers",
    "Caching across steps", "Attention kernels", "Interconnects", "Fault tolerance",
    "Benchmarks", "Deployment",
)  # fmt: skip
TYPES_BY_KIND = {"latex": "paper", "pdf": "paper", "docs": "docs", "blog": "blog", "issue": "code"}


class Text:
    """Seeded prose with the inline markup real conversions carry."""

    def __init__(self, seed: int):
        self.r = random.Random(seed)

    def words(self, n: int) -> str:
        return " ".join(self.r.choice(WORDS) for _ in range(n))

    def title(self, n: int = 4) -> str:
        return " ".join(
            w.capitalize() if i == 0 else w for i, w in enumerate(self.words(n).split())
        )

    def formula(self) -> str:
        """A formula as papers write them: few repeat within a paper."""
        r = self.r
        a, b = r.choice("pmbtBNkLd"), r.choice("pmbtBNkLd")
        i, j = r.randint(1, 64), r.randint(2, 9)
        return r.choice(
            (
                f"{a}_{{{i}}}",
                f"\\frac{{{a}-{j}}}{{{b}+{a}-{i}}}",
                f"\\mathcal{{O}}({a}^{{{j}}} \\cdot {b}_{{{i}}})",
                f"{a}^{{{j}}} + {b}_{{{i}}}",
                f"\\sum_{{i=1}}^{{{a}}} t_{{i,{j}}} \\leq {i}",
                f"\\alpha_{{{a}}} \\leq \\beta_{{{i}}}",
                f"{a} \\times {b} \\times {i}d",
                f"\\lceil {a}/{b} \\rceil + {i}",
                f"\\mathbf{{W}}_{{{a}{i}}} \\in \\mathbb{{R}}^{{d \\times {b}}}",
                f"{i}\\,\\text{{ms}}",
            )
        )

    def sentence(self, math: float = 0.0, links: float = 0.0, refs: bool = False) -> str:
        parts = self.words(self.r.randint(10, 24)).split()
        for _ in range(2):
            i = self.r.randrange(len(parts))
            roll = self.r.random()
            if roll < math:
                parts[i] = f"${self.formula()}$"
            elif roll < math + links:
                url = f"https://docs.example.org/{self.r.choice(NOUNS)}/{self.r.choice(NOUNS)}.html"
                parts[i] = f"[{parts[i]} {self.r.choice(WORDS)}]({url})"
            elif roll < math + links + 0.15:
                parts[i] = f"`{parts[i]}()`"
            elif roll < math + links + 0.3:
                parts[i] = f"*{parts[i]}*"
            elif roll < math + links + 0.4:
                parts[i] = f"**{parts[i]}**"
        if refs and self.r.random() < 0.4:
            parts[-1] += f" [{self.r.randint(1, 60)}]"
        return " ".join(parts).capitalize() + "."

    def paragraph(self, sentences: int = 5, **kw) -> str:
        return " ".join(self.sentence(**kw) for _ in range(sentences))

    def table(self, rows: int = 5, cols: int = 4) -> list[str]:
        head = [self.title(2) for _ in range(cols)]
        out = ["| " + " | ".join(head) + " |", "|" + "---|" * cols]
        for _ in range(rows):
            cells = [self.r.choice((self.words(1), f"{self.r.uniform(0, 99):.1f}")) for _ in head]
            out.append("| " + " | ".join(cells) + " |")
        return out + [""]

    def code(self, lang: str = "python", lines: int = 8) -> list[str]:
        body = [f"def {self.r.choice(NOUNS).replace('-', '_')}_{i}(x, y):" for i in range(1)]
        for _ in range(lines):
            body.append(
                f"    x = torch.{self.r.choice(('matmul', 'cat', 'add'))}(x, y)  # {self.words(3)}"
            )
        body.append("    return x  # ## not a heading")
        return [f"```{lang}", *body, "```", ""]


def latex_paper(t: Text, title: str, size: int) -> str:
    """A paper converted from LaTeX: numbered sections, dense inline and display math,
    tables, figure notes, footnotes and a numbered reference list."""
    out = [
        f"# {title}",
        "",
        f"arXiv:2401.{t.r.randint(10000, 99999)} · 2024",
        "",
        "## Abstract",
        "",
    ]
    out += [t.paragraph(6, math=0.2), ""]
    sec = 0
    while sum(len(x) + 1 for x in out) < size:
        sec += 1
        out += [f"## {sec} {t.title(3)}", "", t.paragraph(5, math=0.35, refs=True), ""]
        for sub in range(1, t.r.randint(2, 5)):
            heading = t.title(3) if t.r.random() < 0.8 else f"Bound on ${t.formula()}$"
            out += [f"### {sec}.{sub} {heading}", ""]
            for _ in range(t.r.randint(2, 4)):
                out += [t.paragraph(4, math=0.4, refs=True), ""]
                if t.r.random() < 0.5:
                    out += ["$$", f"{t.formula()} = {t.formula()} + {t.formula()}", "$$", ""]
            if t.r.random() < 0.3:
                out += [f"[Figure {sec}{sub}: {t.words(8)}.]", ""]
            if t.r.random() < 0.25:
                out += t.table(6, 5)
        if sec % 3 == 0:
            out += ["**Results**", "", t.paragraph(3, math=0.3), ""]
            out += ["#### Results", "", t.paragraph(3, math=0.3), ""]  # duplicate headings
    out += ["## References", ""]
    out += [f"{i}. {t.title(3)}. {t.words(6)}. 2023." for i in range(1, 41)]
    out += ["", f"[^1]: {t.sentence()}", ""]
    return "\n".join(out)


def pdf_paper(t: Text, title: str, size: int) -> str:
    """A paper converted from PDF: long paragraphs, numbered headings, tables, no math."""
    out = [f"# {title}", "", "## Abstract", "", t.paragraph(7), ""]
    sec = 0
    while sum(len(x) + 1 for x in out) < size:
        sec += 1
        out += [f"## {sec}. {t.title(3).upper()}", ""]
        for _ in range(t.r.randint(3, 6)):
            out += [t.paragraph(7, refs=True), ""]
        if t.r.random() < 0.4:
            out += [f"### {sec}.1 {t.title(2)}", "", t.paragraph(6, refs=True), ""]
        if t.r.random() < 0.3:
            out += [f"Table {sec}: {t.words(6)}", "", *t.table(8, 6)]
    return "\n".join(out)


def joined_docs(t: Text, title: str, size: int, rid: str) -> str:
    """A documentation site joined from a page and its subpages, each under its own
    heading with its URL: many links (absolute, in-page), code, tables, notes."""
    out = [f"# {title}", "", t.paragraph(3, links=0.4), ""]
    page = 0
    while sum(len(x) + 1 for x in out) < size:
        page += 1
        sub = t.title(3)
        out += [f"## {sub}", "", f"Source: https://docs.example.org/{rid}/{page}.html", ""]
        mine = []
        for _ in range(t.r.randint(2, 5)):
            h = t.title(2)
            mine.append(h)
            out += [f"### {h}", "", t.paragraph(4, links=0.45), ""]
            if t.r.random() < 0.6:
                out += t.code(t.r.choice(("python", "bash", "cpp")), t.r.randint(4, 14))
            if t.r.random() < 0.4:
                out += [
                    f"- [{t.words(2)}](https://docs.example.org/{rid}/{page}.html#{t.r.choice(NOUNS)})"
                    for _ in range(t.r.randint(3, 8))
                ] + [""]
            if t.r.random() < 0.3:
                out += t.table(4, 3)
            if t.r.random() < 0.2:
                out += [f"> **Note** {t.sentence(links=0.3)}", ""]
        out += [f"See also [{mine[0]}](#{mine[0].lower().replace(' ', '-')}).", ""]
    return "\n".join(out)


def blog(t: Text, title: str, size: int) -> str:
    out = [f"# {title}", "", f"*{t.words(3)}, 2024*", "", t.paragraph(4, links=0.3), ""]
    while sum(len(x) + 1 for x in out) < size:
        out += [f"## {t.title(4)}", ""]
        for _ in range(t.r.randint(2, 5)):
            out += [t.paragraph(5, math=0.08, links=0.2), ""]
        if t.r.random() < 0.5:
            out += t.code("python", t.r.randint(5, 15))
        if t.r.random() < 0.3:
            out += [f"![{t.words(3)}](https://blog.example.org/img/{t.r.randint(1, 99)}.png)", ""]
    return "\n".join(out)


def issue(t: Text, title: str, size: int) -> str:
    out = [f"# {title}", "", "**Opened by** someone · 2024-03-01", "", t.paragraph(5), ""]
    n = 0
    while sum(len(x) + 1 for x in out) < size:
        n += 1
        out += [f"## Comment {n} by user{n}", "", t.paragraph(3, links=0.15), ""]
        if n % 2:
            out += t.code("python", 5)
    return "\n".join(out)


def front_matter(title: str, rid: str, kind: str) -> str:
    return "\n".join(
        [
            "---",
            f'title: "{title}"',
            f"source_url: https://example.org/{rid}",
            "fetch_date: '2026-01-05'",
            f"source_type: {TYPES_BY_KIND[kind]}",
            'author: "A. Author, B. Author"',
            f"conversion_notes: converted from {kind}; {rid} bench",
            "---",
            "",
        ]
    )


SIZES = {  # kind: (count per 100 sources, min kB, max kB)
    "latex": (30, 60, 175),
    "pdf": (20, 50, 95),
    "docs": (25, 30, 130),
    "blog": (18, 15, 45),
    "issue": (7, 3, 12),
}


def card(
    t: Text, res: tuple, anchors: dict[str, list[str]], others: list[str], phrases: Text
) -> str:
    """A card as people write them: field table, why, 6-10 claims each citing one or two
    headings (of this or another source) with a quoted phrase, details, actionables."""
    rid, title, kind, topic, _ = res
    lines = [
        f"# {title}",
        "",
        "| Field | Value |",
        "|-------|-------|",
        f"| Source | https://example.org/{rid} |",
        f"| Type | {TYPES_BY_KIND[kind]} |",
        f"| Topics | {topic} |",
        "| Status | converted |",
        "",
        "## Why it matters",
        "",
        t.paragraph(3),
        "",
        "## Core claims",
        "",
    ]
    mine = anchors[rid]
    for n in range(1, t.r.randint(6, 10) + 1):
        cites = []
        for k in range(t.r.choice((1, 1, 1, 2))):
            other = rid if k == 0 or not others else t.r.choice(others)
            a = t.r.choice(anchors[other] if other != rid else mine)
            prefix = t.r.choice(("../../", "../../", "../"))
            form = t.r.random()
            if form < 0.85:
                cites.append(f"[sources/{other}/full.md#{a}]({prefix}sources/{other}/full.md#{a})")
            else:
                cites.append(f"`sources/{other}/full.md#{a}`")
        lines += [
            f"{n}. **Claim**: {t.sentence(math=0.1)}",
            f'   **Evidence**: {" and ".join(cites)} — "{phrases.words(8)}"',
            "",
        ]
    lines += ["## Key technical details", "", *t.table(4, 4), f"- {t.sentence(math=0.3)}", ""]
    lines += ["## Actionables / gotchas", "", *[f"- {t.sentence()}" for _ in range(3)], ""]
    related = t.r.sample(others, min(3, len(others)))
    lines += ["## Related resources", ""] + [f"- [{o}]({o}.md): {t.words(5)}" for o in related]
    return "\n".join(lines) + "\n"


def topic_doc(
    t: Text, n: int, title: str, anchors: dict[str, list[str]], members: list[str]
) -> str:
    out = [f"# {n}. {title}", "", "## What these resources establish together", ""]
    for _ in range(t.r.randint(8, 14)):
        rid = t.r.choice(members)
        a = t.r.choice(anchors[rid])
        out += [
            t.paragraph(3, math=0.05) + f" ([{rid}](../../sources/{rid}/full.md#{a}))",
            "",
        ]
    out += ["## Open questions", "", *[f"- {t.sentence()}" for _ in range(4)], ""]
    return "\n".join(out)


def generate(root: Path, sources: int = 100, seed: int = 13, size: float = 1.0) -> dict:
    """Write a library of ``sources`` converted resources (plus a few unconverted ones)
    under ``root``, each source ``size`` times the usual length; returns what it made."""
    r = random.Random(seed)
    kinds = [k for k, (n, _, _) in SIZES.items() for _ in range(round(n * sources / 100))]
    kinds = (kinds + ["blog"] * sources)[:sources]
    r.shuffle(kinds)
    extra = max(4, sources // 6)  # pending / fetched / link-only resources without full.md
    for sub in ("refs/resources", "refs/topics"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    resources = []
    anchors: dict[str, list[str]] = {}
    total = 0
    for i, kind in enumerate(kinds + [None] * extra):
        rid = f"{(kind or 'link')}-{i:03d}"
        title = Text(seed + i).title(5)
        topic = i % len(TOPIC_TITLES) + 1
        status = "converted" if kind else ("pending", "fetched", "link_only")[i % 3]
        resources.append((rid, title, kind, topic, status))
        if not kind:
            continue
        _, lo, hi = SIZES[kind]
        t = Text(seed * 1000 + i)
        length = max(2000, int(t.r.randint(lo, hi) * 1000 * size))
        if kind == "docs":
            body = joined_docs(t, title, length, rid)
        else:
            body = {"latex": latex_paper, "pdf": pdf_paper, "blog": blog, "issue": issue}[kind](
                t, title, length
            )
        text = front_matter(title, rid, kind) + body + "\n"
        path = root / "sources" / rid / "full.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        total += len(text.encode())
        anchors[rid] = [h.anchor for h in headings(text) if h.level >= 2]
    converted = [x[0] for x in resources if x[2]]
    citations = 0
    cards = 0
    for i, rid in enumerate(converted):
        if i % 10 >= 7:  # most converted resources have a card, some are still stubs
            continue
        t = Text(seed * 7 + i)
        others = [o for o in converted if o != rid]
        text = card(t, resources[i], anchors, t.r.sample(others, 6), Text(i))
        (root / f"refs/resources/{rid}.md").write_text(text, encoding="utf-8")
        citations += text.count("full.md#") - text.count("](../")  # a link counts once
        cards += 1
    _catalog(root, resources)
    topic_docs = 0
    for n, title in enumerate(TOPIC_TITLES, start=1):
        members = [x[0] for x in resources if x[3] == n and x[2]]
        if n % 3 == 0 or not members:
            continue  # some topics have no synthesis doc yet
        (root / f"refs/topics/{n:02d}-{_slug(title)}.md").write_text(
            topic_doc(Text(n), n, title, anchors, members), encoding="utf-8"
        )
        topic_docs += 1
    return {
        "resources": len(resources),
        "sources": len(converted),
        "full_md_bytes": total,
        "cards": cards,
        "topic_docs": topic_docs,
        "formulas": sum(
            (root / "sources" / x / "full.md").read_text(encoding="utf-8").count("$") // 2
            for x in converted
        ),
    }


def _slug(title: str) -> str:
    return title.lower().replace(" ", "-")


def _catalog(root: Path, resources: list) -> None:
    """The curriculum (topics by group, entries) and the manifest that matches it."""
    cur = ["# Bench curriculum", "", "A generated curriculum for the site benchmark.", ""]
    man = ["reading_order:", "  - step: 1", "    title: Start", "    ids: [{}]".format(
        ", ".join(x[0] for x in resources[:3])
    ), "resources:"]  # fmt: skip
    for n, title in enumerate(TOPIC_TITLES, start=1):
        if n % 6 == 1:
            cur += [f"## Group {n // 6 + 1}", ""]
        cur += [f"### {n}. {title} — generated", "", f"Why topic {n} matters.", ""]
        for rid, rtitle, kind, topic, status in resources:
            if topic != n:
                continue
            rtype = TYPES_BY_KIND.get(kind or "", "video")
            prio = "high" if sum(map(ord, rid)) % 4 == 0 else "medium"
            cur += [
                f"- **{rtitle}** (Bench) — Description of {rid}. *({rtype}, {prio})*",
                f"  - https://example.org/{rid}",
            ]
            man += [
                f"  - id: {rid}",
                f"    title: {rtitle}",
                f"    urls: [https://example.org/{rid}]",
                f"    type: {rtype}",
                f"    topics: [{topic}]",
                f"    priority: {prio}",
                f"    status: {status}",
                "    local_paths: []",
                "    notes: ''",
            ]
        cur.append("")
    first = ", ".join(f"`{x[0]}`" for x in resources[:3])
    cur += ["## Suggested reading order", "", f"1. **Start** — {first}", ""]
    (root / "distributed_video_dit_inference.md").write_text("\n".join(cur), encoding="utf-8")
    (root / "refs/manifest.yaml").write_text("\n".join(man) + "\n", encoding="utf-8")


def corpus_sources(corpus: Path) -> dict[str, str]:
    """{id: full.md text} of every raw folder in the corpus, converted by our converter
    (`extract.convert.run.convert_one`, what `refs convert` runs). Read, never copied
    into the project."""
    from extract.convert.run import convert_one

    out = {}
    for raw in sorted(p for p in corpus.rglob("raw") if p.is_dir()):
        rid = raw.parent.name
        if rid == "owner-library":
            continue
        try:
            out[rid] = convert_one(
                str(raw), {"title": "", "source_url": f"https://example.org/{rid}"}
            )
        except Exception as exc:  # noqa: BLE001 - a corpus folder our converter refuses is skipped
            print(f"  corpus: {rid} not converted ({type(exc).__name__}: {exc})")
    return out


def from_texts(root: Path, texts: dict[str, str], seed: int = 5) -> dict:
    """A library whose sources are the given full.md texts, with generated cards (every
    claim citing a real heading) and topic docs."""
    for sub in ("refs/resources", "refs/topics"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    resources, anchors = [], {}
    for i, (rid, text) in enumerate(sorted(texts.items())):
        found = [h.anchor for h in headings(text) if h.level >= 2] or [
            h.anchor for h in headings(text)
        ]
        if not found:
            continue
        path = root / "sources" / rid / "full.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        anchors[rid] = found
        resources.append(
            (rid, Text(seed + i).title(4), "pdf", i % len(TOPIC_TITLES) + 1, "converted")
        )
    ids = [x[0] for x in resources]
    for i, res in enumerate(resources):
        t = Text(seed * 7 + i)
        others = [o for o in ids if o != res[0]]
        text = card(t, res, anchors, t.r.sample(others, min(4, len(others))), Text(i))
        (root / f"refs/resources/{res[0]}.md").write_text(text, encoding="utf-8")
    _catalog(root, resources)
    for n, title in enumerate(TOPIC_TITLES, start=1):
        members = [x[0] for x in resources if x[3] == n]
        if members:
            (root / f"refs/topics/{n:02d}-{_slug(title)}.md").write_text(
                topic_doc(Text(n), n, title, anchors, members), encoding="utf-8"
            )
    return {
        "resources": len(resources),
        "sources": len(resources),
        "full_md_bytes": sum(len(texts[r].encode()) for r in ids),
        "cards": len(resources),
        "topic_docs": len({x[3] for x in resources}),
        "formulas": sum(texts[r].count("$") // 2 for r in ids),
    }
