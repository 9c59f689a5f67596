"""Helpers for the LaTeX converter's tests: a made-up paper from a body and a preamble."""

from __future__ import annotations

from extract.convert.latex import LatexResult, convert_latex


def paper(body: str, preamble: str = "", main: str = "paper.tex", **files: str) -> LatexResult:
    """Convert a one-file paper; ``files`` are extra e-print members, with keyword names
    standing for file names (``refs_bib`` -> ``refs.bib``, ``sec__intro_tex`` ->
    ``sec/intro.tex``)."""
    tex = (
        f"\\documentclass{{article}}\n{preamble}\n\\begin{{document}}\n{body}\n\\end{{document}}\n"
    )
    members = {main: tex.encode()}
    for key, text in files.items():
        members[key.replace("__", "/").replace("_", ".")] = text.encode()
    return convert_latex(members)
