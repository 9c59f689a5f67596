"""Where the library stands: counts, progress and each resource's next step, for
`refs status`, `refs show`, `refs review` and the site."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

from .full_md import full_md_rel, raw_rel
from .library import Library
from .manifest import PIPELINE, STATUSES, Resource, status_rank

_LAST = len(PIPELINE) - 1  # condensed


@dataclass
class Progress:
    total: int  # resources that go through the pipeline (link_only excluded)
    by_status: dict[str, int]
    fraction: float  # 0..1: pipeline steps done / steps possible

    def to_dict(self) -> dict:
        return asdict(self)


def progress_of(resources: list[Resource]) -> Progress:
    counts = Counter(r.status for r in resources)
    tracked = [r for r in resources if r.status != "link_only"]
    done = sum(status_rank(r.status) for r in tracked)
    fraction = done / (_LAST * len(tracked)) if tracked else 0.0
    return Progress(len(tracked), {s: counts.get(s, 0) for s in STATUSES}, round(fraction, 4))


@dataclass(frozen=True)
class NextStep:
    """What moves a resource forward: in words, and the command ("" when none)."""

    what: str
    command: str = ""


def next_step(lib: Library, rid: str) -> NextStep:
    """The one rule for what to do next with a resource (every door asks it)."""
    res = lib.resource(rid)
    if res.status == "link_only" or (res.status == "pending" and not res.fetchable):
        return NextStep("Link only: read it at the source; it is not fetched or converted.")
    if res.status == "pending" and lib.hand_fetched(rid):
        return NextStep(
            f"Record the provenance of the files already in `{raw_rel(rid)}/` (fetched by hand).",
            f"refs fetch --record {rid}",
        )
    if res.status == "pending":
        return NextStep(f"Fetch the original artifact into `{raw_rel(rid)}/`.", f"refs fetch {rid}")
    if res.status == "fetched":
        return NextStep(f"Convert the raw artifact to `{full_md_rel(rid)}`.", f"refs convert {rid}")
    if res.status == "converted":
        if not lib.has_card(rid):
            return NextStep("Write the card stub from its type's template.", f"refs card {rid}")
        return NextStep(
            "Fill in the card's claims with citations, then mark it reviewed.",
            f"refs review {rid}",
        )
    return NextStep("Done: the card is reviewed and every claim cites its source.")


def status_report(lib: Library) -> dict:
    res = lib.resources
    topics = []
    for t in lib.topics:
        members = lib.topic_resources(t.key)
        topics.append(
            {
                "key": t.key,
                "title": t.title,
                "group": t.group,
                "resources": len(members),
                **progress_of(members).to_dict(),
            }
        )
    phase1 = [r for r in res if r.phase1]
    return {
        "resources": len(res),
        "hand_fetched": [r.id for r in res if lib.hand_fetched(r.id)],
        "topics": sum(1 for t in lib.topics if t.key != "meta"),
        "by_status": dict(Counter(r.status for r in res)),
        "by_priority": dict(Counter(r.priority for r in res)),
        "by_type": dict(Counter(r.type for r in res)),
        "overall": progress_of(res).to_dict(),
        "phase1": {"resources": len(phase1), **progress_of(phase1).to_dict()},
        "per_topic": topics,
        "reading_order": [
            {
                "step": s.step,
                "title": s.title,
                "resources": [
                    {"id": i, "title": lib.resource(i).title, "status": lib.resource(i).status}
                    for i in s.ids
                    if lib.has(i)
                ],
            }
            for s in lib.reading_order
        ],
    }
