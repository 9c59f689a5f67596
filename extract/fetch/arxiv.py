"""arXiv papers: the abstract page, the PDF, and the e-print source when there is one.

Bases come from `REFS_ARXIV_URL` (`{base}/abs/<id>`, `{base}/pdf/<id>`,
`{base}/e-print/<id>`). The e-print answer is stored as what it is: a gzipped tar
as `arxiv-eprint.tar.gz` (kind eprint-tar), a single gzipped file as
`arxiv-eprint.gz` (eprint-gzip), an uncompressed tar as `arxiv-eprint.tar`
(eprint-tar-plain). When arXiv answers with the PDF (no source) or 404, nothing is
stored and provenance's `not_stored` says why.
"""

from __future__ import annotations

from ..full_md import EPRINT_FILES
from .dispatch import Target
from .http import Fetched, FetchError
from .job import ResourceJob


def urls(base: str, aid: str) -> dict[str, str]:
    return {
        "abstract": f"{base}/abs/{aid}",
        "pdf": f"{base}/pdf/{aid}",
        "eprint": f"{base}/e-print/{aid}",
    }


def describe(target: Target) -> list[str]:
    p = target.name
    return [f"{p}abstract.html", f"{p}paper.pdf", f"{p}arxiv-eprint.* (when it has a source)"]


def fetch(job: ResourceJob, target: Target) -> None:
    p = target.name
    u = urls(job.endpoints.arxiv, target.params["id"])
    job.fetch(u["abstract"], f"{p}abstract.html", "html")
    job.fetch(u["pdf"], f"{p}paper.pdf", "pdf")
    names = {kind: p + name for kind, name in EPRINT_FILES.items()}
    try:
        got = job.fetch(
            u["eprint"],
            names["eprint-tar"],
            "eprint",
            renames={k: v for k, v in names.items() if k != "eprint-tar"},
            discard=("pdf",),
            decode=False,  # keep the gzip that arXiv labels Content-Encoding: x-gzip
        )
    except FetchError as exc:
        if exc.status != 404:
            raise
        _no_source(
            job, p, {"url": u["eprint"], "status": 404, "kind": "none"}, "no e-print (HTTP 404)"
        )
        return
    if isinstance(got, Fetched):  # arXiv answered with the PDF: the paper has no source
        facts = {k: v for k, v in got.provenance().items() if k in NOT_STORED_FIELDS}
        _no_source(job, p, facts, "arXiv serves only the PDF for this paper (no source)")


NOT_STORED_FIELDS = ("url", "final_url", "status", "content_type", "fetched_at", "kind")


def _no_source(job: ResourceJob, prefix: str, facts: dict, reason: str) -> None:
    job.not_stored[f"{prefix}arxiv-eprint"] = {**facts, "reason": reason}
    # An e-print stored by an earlier fetch no longer matches what arXiv serves.
    job.retired.update(prefix + n for n in EPRINT_FILES.values())
