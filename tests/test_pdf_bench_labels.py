"""bench/tex_labels.py (headings from a paper's LaTeX source) and the matching rules
of bench/pdf_readers.py, on a paper folder and outputs the test writes itself."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from scripts_as_modules import load_script

tex_labels = load_script("bench/tex_labels.py")
pdf_readers = load_script("bench/pdf_readers.py")

MAIN = r"""\documentclass{article}
\newcommand{\sys}{StageFlow}
\newcommand{\Hide}[1]{}
\let\ignore\Hide
\newcommand{\parhead}[1]{\medskip\noindent{\bfseries #1.}}
\title{Pipelined Denoising \\ for Video}
\begin{document}
\maketitle
\begin{abstract}Short.\end{abstract}
\input{intro}
\section{The \sys{} Design}\label{sec:design}
\subsection{Stages of $\alpha$ Size~\cite{x}}
\paragraph{Balance} Each stage gets as many blocks.
\parhead{Schedules} We pick one.
\iffalse
\section{Dropped Section}
\fi
\ignore{\section{Ignored Section}}
% \section{Commented Section}
\section*{Acknowledgments}
\bibliography{refs}
\appendix
\section{Proofs}
\end{document}
\section{After the End}
"""


@pytest.fixture
def paper(tmp_path: Path) -> Path:
    folder = tmp_path / "tiny-paper"
    (folder / "source").mkdir(parents=True)
    (folder / "SOURCE.txt").write_text("repo: none\ntex: main.tex\n", encoding="utf-8")
    (folder / "source" / "main.tex").write_text(MAIN, encoding="utf-8")
    (folder / "source" / "intro.tex").write_text(
        "\\section{Introduction}\nText.\n", encoding="utf-8"
    )
    return folder


def test_labels_follow_inputs_macros_and_skip_what_is_not_typeset(paper):
    found = tex_labels.labels(paper)
    assert [(h["level"], h["text"], h.get("run_in", False)) for h in found["headings"]] == [
        (1, "Pipelined Denoising for Video", False),
        (2, "Abstract", False),
        (2, "Introduction", False),
        (2, "The StageFlow Design", False),
        (3, "Stages of α Size ?", False),
        (5, "Balance", True),
        (2, "Acknowledgments", False),
        (2, "References", False),
        (2, "Proofs", False),
    ]
    assert "Schedules" in found["lead_ins"]
    assert "Appendix" in found["lead_ins"]


def test_bad_paper_folder_is_one_clear_error(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "SOURCE.txt").write_text("repo: none\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no `tex:` line"):
        tex_labels.labels(folder)
    (folder / "SOURCE.txt").write_text("tex: main.tex\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing"):
        tex_labels.labels(folder)


def test_scoring_matches_numbered_output_counts_lead_ins_neutral_and_checks_levels(paper):
    label = {"paper": "tiny", "from_tex": True, **tex_labels.labels(paper)}
    output = "\n\n".join(
        [
            "# Pipelined Denoising for Video",
            "## Abstract",
            "## 1 Introduction",
            "### 2 The StageFlow Design",  # one level off
            "### 2.1 Stages of α Size [12]",  # the citation's number aside
            "#### Balance",
            "#### Schedules",  # the .tex's own bold lead-in: neither right nor wrong
            "## Martin Trapp",  # an author taken for a heading: wrong
            "## References",
        ]
    )
    s = pdf_readers.score(label, output, Counter())
    assert (s["s_hit"], s["s_of"]) == (5, 7)  # Acknowledgments and Proofs missed
    assert (s["r_hit"], s["r_of"]) == (1, 1)
    assert (s["p_good"], s["p_of"], s["neutral"]) == (6, 7, 1)
    assert (s["l_good"], s["l_of"]) == (4, 5)


def test_review_line_numbers_leave_the_reference_words():
    text = "noisy da-\n" + "\n".join(str(n) for n in range(222, 240)) + "\nta and 1 2 3 4 5 stages"
    assert pdf_readers.without_line_numbers(text).split() == [
        "noisy",
        "da-",
        "ta",
        "and",
        *"12345",
        "stages",
    ]
    bag = pdf_readers.words(
        pdf_readers.re.sub(r"-\s*\n\s*", "", pdf_readers.without_line_numbers(text))
    )
    assert bag["data"] == 1 and not bag["230"]
