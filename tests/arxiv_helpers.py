"""Fixtures of our own for the arXiv reader: abstract pages, e-prints and PDFs.

Everything is generated in the test's tmp_path; the text is written for these tests.
"""

from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path

ABSTRACT_HTML = """<!DOCTYPE html>
<html><head><title>[2401.00001] Pipelined Denoisers</title>
<meta name="citation_title" content="Pipelined Denoisers for Long Videos" />
<meta name="citation_author" content="Lovelace, Ada" />
<meta name="citation_author" content="Hopper, Grace M." />
<meta name="citation_date" content="2024/01/02" />
<meta name="citation_online_date" content="2024/03/04" />
<meta name="citation_abstract" content="We split a denoiser across stages." />
</head><body>
<div id="abs">
<div class="dateline">[Submitted on 2 Jan 2024 (<a href="/abs/2401.00001v1">v1</a>),
 last revised 4 Mar 2024 (this version, v2)]</div>
<h1 class="title mathjax"><span class="descriptor">Title:</span>Pipelined Denoisers for Long Videos</h1>
<div class="authors"><span class="descriptor">Authors:</span><a href="/a/1">Ada Lovelace</a>,
 <a href="/a/2">Grace Hopper</a></div>
<blockquote class="abstract mathjax"><span class="descriptor">Abstract:</span>
We split a denoiser across stages and keep every stage busy with micro-batches of
frames, reaching $2\\times$ throughput.
</blockquote>
</div>
<div class="submission-history"><h2>Submission history</h2>
<strong><a href="/abs/2401.00001v1">[v1]</a></strong> Tue, 2 Jan 2024 10:00:00 UTC (100 KB)<br/>
<strong>[v2]</strong> Mon, 4 Mar 2024 12:00:00 UTC (120 KB)<br/>
</div></body></html>
"""

META_ONLY_HTML = """<html><head>
<meta name="citation_title" content="Only Meta Tags Here" />
<meta name="citation_author" content="Turing, Alan" />
<meta name="citation_author" content="Noether, Emmy" />
<meta name="citation_date" content="2020/05/06" />
<meta name="citation_abstract" content="An abstract carried only by the meta tag." />
</head><body><p>nothing else</p></body></html>
"""

MAIN_TEX = r"""\documentclass{article}
\usepackage{amsmath}
\newcommand{\method}{StageFlow}
\newcommand{\vect}[1]{\mathbf{#1}}
\def\pair#1#2{(#1, #2)}
\title{Pipelined Denoisers}
\begin{document}
\maketitle
\begin{abstract}
Our own abstract text.
\end{abstract}
\section{Introduction}\label{sec:intro}
We present \method{} for video models % a comment that must vanish
and cite prior work~\cite{gpipe,pipedream}. A discount of 50\% stays.
Later work \citep{zb} builds on it; see Section~\ref{sec:method} and Eq.~\eqref{eq:loss}.
\input{sections/method}
\section*{Acknowledgements}
Thanks to the reviewers.
\bibliographystyle{plain}
\bibliography{refs}
\appendix
\section{Extra Results}\label{app:extra}
More numbers in Table~\ref{tab:speed}.
\end{document}
"""

METHOD_TEX = r"""\section{Method}\label{sec:method}
\subsection{Stages}
Each stage holds a vector $\vect{x}_i$ and a \pair{a}{b} pair.
\paragraph{Schedule} The schedule is \emph{one forward, one backward} and \textbf{bold}.
\begin{equation}\label{eq:loss}
L = \sum_i \| \vect{x}_i \|^2
\end{equation}
\begin{align*}
a &= b \\
c &= d
\end{align*}
\begin{itemize}
\item first point
\item second point with \texttt{code\_name}
\end{itemize}
\begin{table}[t]
\caption{Speed per stage.}\label{tab:speed}
\begin{tabular}{l|cc}
\toprule
Stages & Time & \multicolumn{1}{c}{Speedup} \\
\midrule
1 & 10.0 & 1.0 \\
4 & 2.6 & 3.8 \\
\bottomrule
\end{tabular}
\end{table}
\begin{figure}
\centering
\includegraphics[width=\linewidth]{fig/pipe.pdf}
\caption{The pipeline schedule.}\label{fig:pipe}
\end{figure}
Figure~\ref{fig:pipe} shows it.\footnote{See the \url{https://example.org/code} page.}
"""

BBL = r"""\begin{thebibliography}{3}
\bibitem{zb}
P.~Qi and others.
\newblock Zero bubble pipelines.
\newblock In {\em ICLR}, 2024.

\bibitem{gpipe}
Y.~Huang et~al.
\newblock Micro-batch pipelines.
\newblock 2019.

\bibitem{pipedream}
D.~Narayanan.
\newblock Pipeline parallel training.
\newblock 2019.
\end{thebibliography}
"""


def tar_gz(path: Path, members: dict[str, bytes | str]) -> Path:
    """A gzipped tar with regular-file ``members`` (name -> content)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, content in members.items():
            data = content.encode() if isinstance(content, str) else content
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 0
            tar.addfile(info, io.BytesIO(data))
    path.write_bytes(gzip.compress(buf.getvalue(), mtime=0))
    return path


def tar_gz_with(path: Path, info: tarfile.TarInfo, data: bytes = b"") -> Path:
    """A gzipped tar holding a main file and one special member ``info``."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        main = b"\\documentclass{article}\\begin{document}x\\end{document}"
        ok = tarfile.TarInfo("main.tex")
        ok.size = len(main)
        tar.addfile(ok, io.BytesIO(main))
        tar.addfile(info, io.BytesIO(data) if info.isfile() else None)
    path.write_bytes(gzip.compress(buf.getvalue(), mtime=0))
    return path


def bundle(raw: Path) -> Path:
    """A raw dir with abstract.html and a full LaTeX e-print bundle."""
    raw.mkdir(parents=True, exist_ok=True)
    (raw / "abstract.html").write_text(ABSTRACT_HTML, encoding="utf-8")
    tar_gz(
        raw / "arxiv-eprint.tar.gz",
        {
            "main.tex": MAIN_TEX,
            "sections/method.tex": METHOD_TEX,
            "main.bbl": BBL,
            "fig/pipe.pdf": b"%PDF-1.4 not really",
        },
    )
    return raw


def make_pdf(path: Path, pages: list[list[tuple[str, float, bool]]], header: str = "") -> Path:
    """A PDF whose pages hold lines (text, font size, bold), top to bottom; a running
    ``header`` on every page but the first, and a page number at the foot of each."""
    from pdf_writer import Pdf

    doc = Pdf()
    for number, lines in enumerate(pages, 1):
        page = doc.page()
        if header and number > 1:
            page.text(72, 40, header, size=8)
        y = 72.0
        for text, size, bold in lines:
            if text == "":
                y += 10
                continue
            page.text(72, y, text, size=size, font="hebo" if bold else "helv")
            y += size * 1.35
        page.text(300, 770, str(number), size=9)
    return doc.save(path)
