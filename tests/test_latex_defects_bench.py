"""bench/latex_defects.py: its detectors see each defect class, and it runs on a folder."""

from __future__ import annotations

import pytest
from sample_papers import tar_gz
from scripts_as_modules import load_script

from extract.convert.latex import LatexResult

bench = load_script("bench/latex_defects.py")

SOURCE = r"""\documentclass{article}
\usepackage{algorithm2e}
\newtheorem{lemma}{Lemma}
\newenvironment{mylist}{\begin{itemize}}{\end{itemize}}
\begin{document}
\author{Quinn Ladle \and Rhea Spoon}
\begin{abstract}A short abstract about spoons.\end{abstract}
\maketitle
\section{Intro}\label{sec:intro-part}
\iffalse This whole sentence about the old spoon design was switched off long ago. \fi
\begin{lemma}\label{lem:stir}Stirring ends.\end{lemma}
By \autoref{lem:stir}, see \citet{spoon99}.
\begin{align} a &= b \label{eq:a} \\ c &= d \label{eq:c} \end{align}
From \eqref{eq:a} and \eqref{eq:c}.
\begin{mylist}\item Ladles are deep spoons indeed.\end{mylist}
\begin{algorithm}\SetKwFunction{Stir}{Stir}\Stir{$x$}\;\caption{Stirring}\end{algorithm}
\strangecmd{words that must stay visible}
\bibliography{refs}
\end{document}
"""
BIB = "@misc{spoon99, author={Spoon, Rhea and Ladle, Quinn}, title={Spoons}, year={1999}}\n"
FILES = {"main.tex": SOURCE.encode(), "refs.bib": BIB.encode()}

BAD = r"""**Quinn Ladle1**, Rhea Spoon

This whole sentence about the old spoon design was switched off long ago.

## 1 Intro

**Lemma 1.** Stirring ends.

By Theorem 1, see [spoon99]. Also sec:intro-part and ??.

$$
\begin{aligned}
a &= b \\
c &= d
\end{aligned}
$$

From (1) and (2).

Ladles are deep spoons indeed.

StirStir $x$

equal* 0.3in ]
"""


def counts(result: LatexResult) -> dict[str, int]:
    c = bench.check(FILES, result)
    return {cls: det(c) for cls, det in zip(bench.CLASSES, bench.DETECTORS, strict=True)}


def test_detectors_count_every_class_on_a_defective_conversion():
    found = counts(LatexResult(body=BAD, abstract="", main="main.tex"))
    assert all(found[cls] > 0 for cls in bench.CLASSES), found


def test_the_converter_shows_no_defect_on_the_same_source():
    from extract.convert.latex import convert_latex

    found = counts(convert_latex(FILES))
    assert found == dict.fromkeys(bench.CLASSES, 0)


def test_main_reports_a_folder_and_skips_a_missing_one(tmp_path, capsys):
    raw = tmp_path / "papers" / "spoons" / "raw"
    raw.mkdir(parents=True)
    tar_gz(raw / "arxiv-eprint.tar.gz", {k: v.decode() for k, v in FILES.items()})
    assert bench.main([str(tmp_path / "papers")]) == 0
    out = capsys.readouterr().out
    assert "spoons" in out and "TOTAL" in out
    assert bench.main([str(tmp_path / "nowhere")]) == 0
    assert "skipped" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["a", "b"], ["--nope"]])
def test_bad_usage_exits_2(argv):
    assert bench.main(argv) == 2
