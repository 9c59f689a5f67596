"""Tier 1: fetch each resource's original artifacts into `sources/<id>/raw/`.

`dispatch` maps URLs to targets, `arxiv` / `github` / `pages` fetch them through
the shared `http.Client`, `job` stages one resource's artifacts (`extract.staging`)
and commits them with their `provenance`, and `run` drives many resources and the
manifest.
"""

from .run import Options, fetch_resources

__all__ = ["Options", "fetch_resources"]
