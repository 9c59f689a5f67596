"""Fixtures of our own for the figure tests: an e-print with a PNG and a PDF figure,
a PDF paper with a vector and a raster figure, and an HTML post with content and
chrome images. Everything is drawn here (Pillow, `pdf_writer`); the words are ours.
"""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

from pdf_writer import Pdf
from sample_papers import ABSTRACT_HTML

PROSE = (
    "Pipeline stages hand activations to one another while every stage keeps busy with "
    "the next micro-batch of frames, so the bubble shrinks as micro-batches grow."
)


def png(width: int = 160, height: int = 100, hue: int = 0) -> bytes:
    """A PNG with coloured bars on white: anything but blank."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    step = max(2, (width - 8) // 4)
    for k in range(4):
        colour = ((60 * k + hue) % 256, (120 + 40 * k) % 256, (200 - 30 * k + hue) % 256)
        x0 = 4 + k * step
        draw.rectangle([x0, height // 3, x0 + step - 2, height - 2], fill=colour)
    draw.line([0, 0, width - 1, height - 1], fill="black", width=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def rgb_pixels(width: int, height: int) -> bytes:
    """Raw RGB pixels of a gradient, for a raster image inside a PDF."""
    return bytes(
        v
        for y in range(height)
        for x in range(width)
        for v in ((x * 255) // width, (y * 255) // height, 128)
    )


def prose(page, top: float, lines: int, x0: float = 72) -> float:
    y = top
    for k in range(lines):
        text = PROSE if k % 2 == 0 else PROSE[::-1].capitalize()
        page.text(x0, y, text[:95], 10, "tiro")
        y += 13
    return y


def figure_pdf() -> bytes:
    """One paper: a vector figure (lines and boxes on the page) and a raster figure
    (an image XObject), each above its caption, between paragraphs of prose."""
    pdf = Pdf(title="Figures in Pipelines", author="A. Writer")
    page = pdf.page()
    page.text(72, 80, "Figures in Pipelines", 18, "hebo")
    page.text(72, 110, "1 Introduction", 12, "hebo")
    y = prose(page, 130, 5)
    # Figure 1: a schedule drawn with paths, as TikZ or a PDF export draws it.
    top = y + 14
    for row in range(4):
        for col in range(8):
            x = 120 + col * 45 + row * 10
            page.rect(x, top + row * 22, x + 38, top + row * 22 + 16)
    page.line(110, top + 96, 500, top + 96, 1.0)
    page.text(110, top + 110, "time", 8, "helv")
    page.text(72, top + 134, "Figure 1: A pipeline schedule drawn with lines and boxes.", 9, "tiro")
    y = prose(page, top + 160, 4)
    page = pdf.page()
    page.text(72, 80, "2 Results", 12, "hebo")
    y = prose(page, 100, 4)
    page.image(150, y + 14, 450, y + 194, 60, 36, rgb_pixels(60, 36))
    page.text(72, y + 214, "Figure 2: Throughput of the pipeline as a raster plot.", 9, "tiro")
    prose(page, y + 240, 4)
    return pdf.bytes()


def small_pdf_figure() -> bytes:
    """A figure file as LaTeX includes it: a small page of boxes and a label."""
    pdf = Pdf()
    page = pdf.page(240, 140)
    for k in range(3):
        page.rect(20 + 70 * k, 30, 80 + 70 * k, 90)
    page.line(20, 110, 220, 110, 1.5)
    page.text(90, 128, "stages", 10, "helv")
    return pdf.bytes()


MAIN_TEX = r"""\documentclass{article}
\usepackage{graphicx}
\graphicspath{{figs/}}
\begin{document}
\section{Overview}
Stages are drawn in Figure~\ref{fig:stages} and measured in Figure~\ref{fig:plot}.
\begin{figure}[t]
  \centering
  \includegraphics[width=\linewidth]{stages}
  \caption{The stages of the pipeline.}\label{fig:stages}
\end{figure}
\begin{figure}[t]
  \includegraphics[width=0.5\linewidth]{plot.pdf}
  \caption{Boxes of the schedule, drawn in a PDF.}\label{fig:plot}
\end{figure}
\end{document}
"""


def eprint_tar_gz() -> bytes:
    """An e-print: main.tex, figs/stages.png and figs/plot.pdf."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, data in (
            ("main.tex", MAIN_TEX.encode()),
            ("figs/stages.png", png(200, 120, 40)),
            ("figs/plot.pdf", small_pdf_figure()),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 0
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def write_eprint(raw: Path) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    (raw / "abstract.html").write_text(ABSTRACT_HTML, encoding="utf-8")
    (raw / "arxiv-eprint.tar.gz").write_bytes(eprint_tar_gz())


def post_html() -> bytes:
    """A blog post: two content figures among a logo, a share icon, an avatar, a
    tracking pixel and a footer badge."""
    return b"""<!DOCTYPE html>
<html><head><title>Scheduling Frames</title></head>
<body>
<header class="site-header"><a href="/"><img src="/static/logo.png" alt="Site logo"></a>
<nav><a href="/about.html">About</a></nav></header>
<main><article>
<h1>Scheduling Frames</h1>
<p>Every stage of the pipeline holds a few blocks of the model.</p>
<figure><img src="img/schedule.png" alt="the schedule"><figcaption>The schedule of four stages.</figcaption></figure>
<p>The plot below shows throughput.</p>
<p><img src="img/throughput.png" alt="throughput of the pipeline"></p>
<div class="share-buttons"><img src="/static/share.png" alt="share"></div>
<p>Written by <img src="/static/author.png" class="avatar" width="32" height="32" alt="">.</p>
<img src="/pixel.gif" width="1" height="1" alt="">
</article></main>
<footer><img src="/static/badge.png" alt="badge"></footer>
</body></html>
"""


POST_IMAGES = {"/img/schedule.png": png(240, 150, 10), "/img/throughput.png": png(200, 140, 90)}
CHROME_IMAGES = {
    "/static/logo.png": png(64, 64, 1),
    "/static/share.png": png(64, 64, 2),
    "/static/author.png": png(32, 32, 3),
    "/pixel.gif": b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
    "/static/badge.png": png(80, 20, 4),
}
