"""Tier 1: fetch each resource's original artifacts into `sources/<id>/raw/`.

`dispatch` maps URLs to targets, `arxiv` / `github` / `pages` fetch them through
the shared `http.Client`, `job` stages one resource's artifacts and commits them
with their `provenance`, and `run` drives many resources and the manifest.
"""

__all__ = ["Options", "Outcome", "fetch_resources"]


def __getattr__(name: str):
    # Lazily, so light modules (`staging`, which `refs check` uses) import without requests.
    if name in __all__:
        from . import run

        return getattr(run, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
