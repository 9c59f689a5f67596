"""What `refs.json` and `llms.txt` are made of, as one digest: the exports are made again
only when it changes (a served site keeps them in memory, a build in the pass memo).

The digest covers the manifest's facts, the curriculum's words, every card's text and
what its citations resolve against, what the review records say, and the URLs. A build
does not judge the records to make it: a reviewed card's staleness is a function of its
record and of the texts it cites (`Site.record_state` digests both), so their digest
stands in for the judgement.
"""

from __future__ import annotations

from extract.review_record import record_path
from extract.views import resource_facts

from .exports import export_texts
from .pass_memo import PassMemo
from .site import Site, digest


def exports_key(site: Site, site_url: str | None, reviewed: list[tuple]) -> str:
    """Everything `refs.json` and `llms.txt` are made of: the manifest's facts, the
    curriculum's words, every card and what its citations resolve against, what the
    review records say (``reviewed``: `serve_cache.reviews` or `review_states`), URLs."""
    lib = site.lib
    facts = [resource_facts(lib, r.id) for r in lib.resources]
    cards = []
    for p in site.planned:
        if p.kind.claims and p.path is not None:
            text = site.text(p)
            cited = site.cited_files(text, f"text:{p.src}")
            states = [(k, site.resolver.state(c)) for k, c in cited]
            cards.append((p.src, site.hashed(f"text:{p.src}", text), states))
    topics = [(t.key, t.title, t.group, t.doc_name) for t in lib.topics]
    order = [(s.step, s.title, tuple(s.ids)) for s in lib.reading_order]
    return digest(
        repr(facts), repr(cards), repr(reviewed), repr(topics), repr(order),
        lib.curriculum.title, sorted(site.urls.items()), site_url or "",
    )  # fmt: skip


def review_states(site: Site) -> list[tuple]:
    """What each reviewed card's staleness is made of: its record and the texts it
    cites, as `Site.record_state` digests them (the staleness itself is not judged)."""
    out = []
    for p in site.planned:
        if p.kind.claims and p.path is not None and p.rid:
            if record_path(site.lib, p.rid).is_file():
                out.append((p.rid, site.record_state(p, site.text(p), f"text:{p.src}")))
    return out


def kept_exports(site: Site, site_url: str | None, passes: PassMemo) -> dict[str, str]:
    """{name: text} of the exports: those of an earlier build while what they are made
    of is the same, else made (and kept)."""
    key = exports_key(site, site_url, review_states(site))
    texts = passes.exports(key)
    if texts is None:
        texts = export_texts(site.lib, dict(site.urls), site_url, site.resolver, read=site.read)
        passes.keep_exports(key, texts)
    return texts
