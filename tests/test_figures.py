"""Figure markers and their images, module by module: the marker format, the
e-print graphics of LaTeX floats, PDF figure regions, HTML content images and
their fetch, `refs show --figures`, `refs check`'s EPS warning, and the images
the site derives (`docs_gen.figure_images`)."""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
from pathlib import Path

import pytest
from figure_fixtures import (
    CHROME_IMAGES,
    POST_IMAGES,
    eprint_tar_gz,
    figure_pdf,
    png,
    post_html,
    prose,
    small_pdf_figure,
    write_eprint,
)
from http_server import Reply, Server
from mkdocs_site import as_a_new_process
from pdf_writer import Pdf
from sample_library import CURRICULUM, entry
from sample_papers import ABSTRACT_HTML

from docs_gen import figure_images as images
from docs_gen.figure_images import NoImage
from extract.check import check_resource
from extract.cli import main
from extract.convert.arxiv import convert_arxiv
from extract.convert.latex import convert_latex
from extract.convert.pdf.convert import pdf_to_markdown
from extract.convert.safety import neutralise
from extract.fetch import Options, fetch_resources
from extract.fetch.http import HttpConfig
from extract.fetch.run import fetch_page_images
from extract.figures import Origin, figures, origin_comment, parse_origin
from extract.full_md import source_digest
from extract.html_images import content_images
from extract.library import Library

# ---------- the marker ----------


def test_origins_round_trip_and_never_close_the_comment():
    origins = [
        Origin("arxiv-eprint.tar.gz", member="figs/a--b.pdf"),
        Origin("paper.pdf", page=3, box=(72.0, 96.5, 540.0, 310.25)),
        Origin("odd name-.pdf", page=1),
    ]
    comment = origin_comment(origins)
    inner = comment[len(" <!-- figure: ") : -len(" -->")]
    assert "--" not in inner and ">" not in inner and not inner.endswith("-")
    line = "[Figure 3: A caption with [a link](#x) and \\] inside.]" + comment
    [fig] = figures(line)
    assert fig.number == "3" and fig.caption == "A caption with [a link](#x) and ] inside."
    assert (
        fig.origins
        == [
            Origin("arxiv-eprint.tar.gz", member="figs/a--b.pdf"),
            Origin("paper.pdf", page=3, box=(72.0, 96.5, 540.0, 310.2)),
            Origin("odd name-.pdf", page=1),
        ]
        or fig.origins[0].member == "figs/a--b.pdf"
    )
    assert [o.kind for o in fig.origins] == ["eprint", "pdf-region", "pdf-page"]


def test_markers_of_every_reader_are_found_outside_code():
    text = (
        "Text [[Figure: the plot]](https://example.org/p.png) more.\n\n"
        "[Figure 2: Plain caption]\n\n```\n[Figure 9: in code]\n```\n"
    )
    found = figures(text)
    assert [(f.number, f.caption, f.alone) for f in found] == [
        ("", "the plot", False),
        ("2", "Plain caption", True),
    ]
    assert found[0].origins == [Origin("https://example.org/p.png")]
    assert found[1].origins == []


@pytest.mark.parametrize(
    "text",
    [
        "../x.pdf#page=1",
        "/etc/passwd#page=1",
        "a.tar#../../x",
        "p.pdf#page=0",
        "p.pdf#page=1&box=5,5,1,1",
    ],
)
def test_an_origin_outside_raw_or_malformed_is_refused(text):
    assert parse_origin(text) is None


def test_the_neutraliser_keeps_the_origin_comment_and_escapes_other_html():
    line = "[Figure 1: x] <!-- figure: paper.pdf#page=1 --> <!-- evil --> <b>"
    out = neutralise(line)
    assert "<!-- figure: paper.pdf#page=1 -->" in out
    assert "&lt;!-- evil" in out and "&lt;b&gt;" in out


# ---------- LaTeX: the files of a float ----------


def test_includegraphics_names_the_eprint_member_of_each_figure_and_subfigure():
    tex = r"""\documentclass{article}
\usepackage{graphicx}\graphicspath{{img/}{./more/}}
\begin{document}
\begin{figure}\includegraphics{plot}\caption{Whole.}\end{figure}
\begin{figure}
\begin{subfigure}{.5\linewidth}\includegraphics{left.png}\caption{Left.}\end{subfigure}
\begin{subfigure}{.5\linewidth}\includegraphics{right}\caption{Right.}\end{subfigure}
\caption{Both sides.}\end{figure}
\begin{figure}\includegraphics{missing}\caption{Not in the e-print.}\end{figure}
\begin{figure}
\begin{minipage}{.5\linewidth}\includegraphics{left}\caption{First.}\end{minipage}
\begin{minipage}{.5\linewidth}\includegraphics{right}\caption{Second.}\end{minipage}
\end{figure}
\begin{figure}\caption{Caption above.}\includegraphics{plot.png}\end{figure}
\end{document}
"""
    members = ["img/plot.pdf", "img/plot.png", "img/left.png", "more/right.eps"]
    result = convert_latex({"main.tex": tex.encode()}, members, "arxiv-eprint.tar.gz")
    found = {f.number: [o.member for o in f.origins] for f in figures(result.body)}
    assert found == {
        "1": ["img/plot.pdf"],  # pdfTeX's order: .pdf before .png
        "2a": ["img/left.png"],
        "2b": ["more/right.eps"],
        "2": [],  # its files are its subfigures'
        "3": [],
        "4": ["img/left.png"],  # two figures side by side in one float
        "5": ["more/right.eps"],
        "6": ["img/plot.png"],
    }


TIKZ_TEX = r"""\documentclass{article}
\usepackage{graphicx,tikz}
\begin{document}
\section{Overview}
Text.
\begin{figure}\includegraphics{stages.png}\caption{The stages of the pipeline.}\end{figure}
\begin{figure}\begin{tikzpicture}\draw (0,0) -- (1,1);\end{tikzpicture}
\caption{A schedule of four stages drawn in TikZ.}\end{figure}
\begin{figure}\includegraphics{throughput}\caption{Throughput measured on eight GPUs.}\end{figure}
\begin{figure}\begin{tikzpicture}\draw (0,0) -- (1,1);\end{tikzpicture}
\caption{Memory of each stage over time.}\end{figure}
\end{document}
"""


def _tikz_paper_pdf() -> bytes:
    """The compiled paper: each figure drawn above its caption; the PDF's Figure 4
    is another figure than the source's (numbering that differs)."""
    pdf = Pdf()
    page = pdf.page()
    page.text(72, 80, "1 Overview", 12, "hebo")
    y = prose(page, 100, 3)
    captions = [
        "Figure 1: The stages of the pipeline.",
        "Figure 2: A schedule of four stages drawn in TikZ.",
        "Figure 3: Throughput measured on eight GPUs.",
        "Figure 4: Latency of one request on a cluster.",
    ]
    for k, caption in enumerate(captions):
        top = y + 14
        for col in range(4):
            page.rect(150 + col * 70, top, 200 + col * 70, top + 40)
        page.text(72, top + 60, caption, 9, "tiro")
        y = prose(page, top + 80, 2) if k < 3 else y
        if k == 1:
            page = pdf.page()
            y = prose(page, 80, 2)
    return pdf.bytes()


def test_figures_the_eprint_cannot_show_are_found_in_the_papers_pdf(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "abstract.html").write_text(ABSTRACT_HTML, encoding="utf-8")
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, data in (("main.tex", TIKZ_TEX.encode()), ("stages.png", png())):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    (raw / "arxiv-eprint.tar.gz").write_bytes(out.getvalue())
    (raw / "paper.pdf").write_bytes(_tikz_paper_pdf())
    doc = convert_arxiv(raw, "https://arxiv.org/abs/2401.00001")
    found = {f.number: f.origins for f in figures(doc.body)}
    assert [o.kind for o in found["1"]] == ["eprint"]  # the source's own file first
    assert [(o.kind, o.page) for o in found["2"]] == [("pdf-region", 1)]  # drawn in TikZ
    assert [(o.kind, o.page) for o in found["3"]] == [("pdf-region", 2)]  # not in the e-print
    assert found["4"] == []  # the PDF's Figure 4 has another caption: no wrong picture
    assert any("shown from their region of paper.pdf" in n for n in doc.notes)


def test_a_paper_without_a_pdf_keeps_such_figures_as_text(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "abstract.html").write_text(ABSTRACT_HTML, encoding="utf-8")
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        info = tarfile.TarInfo("main.tex")
        info.size = len(TIKZ_TEX.encode())
        tar.addfile(info, io.BytesIO(TIKZ_TEX.encode()))
    (raw / "arxiv-eprint.tar.gz").write_bytes(out.getvalue())
    doc = convert_arxiv(raw, "https://arxiv.org/abs/2401.00001")
    assert [f.origins for f in figures(doc.body)] == [[], [], [], []]


# ---------- PDF: the region of a caption ----------


def test_pdf_regions_cover_the_drawing_above_each_caption(tmp_path):
    path = tmp_path / "paper.pdf"
    path.write_bytes(figure_pdf())
    found = figures(pdf_to_markdown(path, "paper.pdf").body)
    assert [f.number for f in found] == ["1", "2"]
    vector, raster = (f.origins[0] for f in found)
    assert vector.page == 1 and raster.page == 2
    x0, y0, x1, y1 = vector.box
    assert x0 <= 120 and x1 >= 465 and y0 < 215 and 300 < y1 < 335  # the boxes and the axis
    x0, y0, x1, y1 = raster.box
    assert 145 <= x0 <= 150 and 450 <= x1 <= 455  # the image, not the prose around it


def _two_column_paper() -> bytes:
    """Two pages of two columns under a running head and its rule. Page 2's left
    column holds a figure PDF as LaTeX places it: a form whose box (and white
    background) reaches across into the right column's prose, holding a plot whose
    bars run on under the axes' clip; a second figure sits right below it."""
    pdf = Pdf()
    for number in range(2):
        page = pdf.page()
        page.text(200, 50, "Pipelines of Frames, a Study", 9, "tiro")
        page.line(54, 57, 558, 57, 0.5)
        for k in range(40):  # the right column: prose all the way down
            page.text(320, 80 + 13 * k, "frames move between stages as micro-batches flow", 10, "tiro")  # fmt: skip
        if number == 0:
            page.text(54, 80, "1 Introduction", 12, "hebo")
            for k in range(38):
                page.text(54, 100 + 13 * k, "Every stage keeps busy with the next micro-batch.", 10, "tiro")  # fmt: skip
            continue
        form = page.figure(30, 40, 420, 420)  # the figure file's loose box
        form.rect(30, 40, 420, 420, fill=(1, 1, 1))
        form.clip(70, 70, 280, 200)  # the axes
        for k in range(5):
            form.rect(80 + 40 * k, 200 - 20 * (k + 1), 100 + 40 * k, 600, fill=(0.2, 0.3, 0.8))
        page.line(70, 200, 280, 200, 1.0)  # the axis, outside the form
        page.text(100, 222, "Figure 1: Bars clipped by their axes.", 9, "tiro")
        for k in range(3):
            page.rect(80 + 60 * k, 250, 120 + 60 * k, 300)
        page.text(100, 322, "Figure 2: Three boxes below.", 9, "tiro")
        for k in range(20):
            page.text(54, 350 + 13 * k, "Every stage keeps busy with the next micro-batch.", 10, "tiro")  # fmt: skip
    return pdf.bytes()


def test_pdf_regions_look_inside_forms_and_stay_out_of_the_running_head(tmp_path):
    path = tmp_path / "paper.pdf"
    path.write_bytes(_two_column_paper())
    found = figures(pdf_to_markdown(path, "paper.pdf").body)
    assert [(f.number, f.origins[0].page) for f in found] == [("1", 2), ("2", 2)]
    first, second = (f.origins[0].box for f in found)
    x0, y0, x1, y1 = first
    # The bars, their clip and the axis: not the form's box, its white background,
    # the prose of the right column, the running head or its rule.
    assert 62 <= x0 <= 80 and 280 <= x1 < 300 and 70 < y0 < 100 and 200 <= y1 < 215
    x0, y0, x1, y1 = second
    assert y0 > 225 and y1 < 315  # not the figure above its caption


def test_pdf_captions_number_figures_by_chapter(tmp_path):
    pdf = Pdf()
    page = pdf.page()
    page.text(72, 80, "3 Flows", 12, "hebo")
    for k in range(3):
        page.rect(120 + 60 * k, 110, 160 + 60 * k, 160)
    page.text(72, 180, "Figure 3.1: Three boxes of a chapter figure.", 9, "tiro")
    prose(page, 210, 3)
    page.text(72, 260, "Figure 3.1 gives the boxes, and the prose goes on after it here.", 10, "tiro")  # fmt: skip
    prose(page, 273, 3)
    path = pdf.save(tmp_path / "p.pdf")
    body = pdf_to_markdown(path, "p.pdf").body
    assert [f.number for f in figures(body)] == ["3.1"]
    assert "Figure 3.1 gives the boxes" in body  # a sentence, not a caption


def test_a_caption_with_nothing_drawn_near_it_names_no_region(tmp_path):
    pdf = Pdf()
    page = pdf.page()
    page.text(72, 80, "1 Introduction", 12, "hebo")
    for k in range(8):
        page.text(
            72,
            100 + 13 * k,
            "Plain prose of the paper that runs across the column. " * 2,
            10,
            "tiro",
        )
    page.text(72, 220, "Figure 1: A caption whose figure was never drawn.", 9, "tiro")
    path = pdf.save(tmp_path / "p.pdf")
    [fig] = figures(pdf_to_markdown(path, "p.pdf").body)
    assert fig.origins == []


# ---------- HTML: content images and their fetch ----------


def test_content_images_leave_out_chrome_icons_and_pixels():
    assert content_images(post_html(), "https://example.org/blog/post.html") == [
        "https://example.org/blog/img/schedule.png",
        "https://example.org/blog/img/throughput.png",
    ]


def _serve_post(s: Server) -> None:
    s.route("/blog/post.html", Reply(body=post_html()))
    for path, data in {**POST_IMAGES, **CHROME_IMAGES}.items():
        s.route(path.replace("/img/", "/blog/img/"), Reply(body=data, content_type="image/png"))


def test_refs_fetch_images_stores_them_for_a_page_fetched_before(make_library, tmp_path):
    config = HttpConfig(connect_timeout=2, read_timeout=2, retries=1, backoff=0.01)
    with Server() as s:
        _serve_post(s)
        root = make_library(root=tmp_path, entries=[entry("post", [s.url("/blog/post.html")])])
        lib = Library(root)
        [out] = fetch_resources(lib, lib.select(["post"]), Options(), config=config)
        raw = lib.raw_dir("post")
        digest = source_digest(raw)
        # As an older fetch left it: the page, no images.
        prov = json.loads((raw / "provenance.json").read_text())
        for rel in [r for r in prov["artifacts"] if r.startswith("images/")]:
            (raw / rel).unlink()
            del prov["artifacts"][rel]
        (raw / "provenance.json").write_text(json.dumps(prov))
        page_requests = sum(1 for p, _ in s.requests if p == "/blog/post.html")
        [again] = fetch_page_images(lib, lib.select(["post"]), config=config)
        assert sum(1 for p, _ in s.requests if p == "/blog/post.html") == page_requests
    assert again.result == "refreshed", again.message
    prov = json.loads((raw / "provenance.json").read_text())
    stored = {rel: e for rel, e in prov["artifacts"].items() if rel.startswith("images/")}
    assert len(stored) == 2 and "page.html" in prov["artifacts"]
    for rel, e in stored.items():
        assert (raw / rel).read_bytes() in POST_IMAGES.values()
        assert e["sha256"] == __import__("hashlib").sha256((raw / rel).read_bytes()).hexdigest()
    assert source_digest(raw) == digest  # images never make a full.md stale
    assert Library(root).resource("post").status == "fetched"


def test_refs_fetch_images_needs_a_page_and_says_so(make_library, tmp_path):
    root = make_library(root=tmp_path, entries=[entry("nothing", ["https://example.org/x"])])
    out = refs(root, "fetch", "--images", "nothing")
    assert out.returncode == 0
    assert "no HTML page in raw/" in out.stdout
    bad = refs(root, "fetch", "--images", "--record", "nothing")
    assert bad.returncode == 2 and "do not apply" in bad.stderr + bad.stdout


# ---------- refs show --figures, refs check ----------


def refs(root, *args: str) -> subprocess.CompletedProcess:
    """`refs --root <root> <args>` as a new process would run it, in this one."""
    return as_a_new_process(["refs", "--root", str(root), *args], main, Path.cwd())


def _converted_eprint(make_library, tmp_path, tex: str | None = None, members=None):
    root = make_library(
        root=tmp_path,
        curriculum=CURRICULUM,
        entries=[
            entry("paper", ["https://arxiv.org/abs/2401.00001"], type="paper", status="fetched")
        ],
    )
    raw = root / "sources/paper/raw"
    write_eprint(raw)
    if tex is not None:
        import tarfile

        out = io.BytesIO()
        with tarfile.open(fileobj=out, mode="w:gz") as tar:
            for name, data in {"main.tex": tex.encode(), **(members or {})}.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        (raw / "arxiv-eprint.tar.gz").write_bytes(out.getvalue())
    done = refs(root, "convert", "paper")
    assert done.returncode == 0, done.stdout + done.stderr
    return root


def test_refs_show_figures_lists_number_caption_and_origin(make_library, tmp_path):
    root = _converted_eprint(make_library, tmp_path)
    out = refs(root, "show", "paper", "--figures", "--json")
    assert out.returncode == 0, out.stderr
    view = json.loads(out.stdout)
    assert view["id"] == "paper" and view["path"] == "sources/paper/full.md"
    assert [(f["number"], f["caption"]) for f in view["figures"]] == [
        ("1", "The stages of the pipeline."),
        ("2", "Boxes of the schedule, drawn in a PDF."),
    ]
    first = view["figures"][0]
    assert set(first) == {"number", "caption", "line", "origins"}
    assert first["origins"] == [
        {
            "kind": "eprint",
            "path": "arxiv-eprint.tar.gz",
            "member": "figs/stages.png",
            "page": None,
            "box": None,
            "file": "sources/paper/raw/arxiv-eprint.tar.gz",
        }
    ]
    shown = refs(root, "show", "paper", "--figures")
    assert shown.returncode == 0, shown.stderr
    text = shown.stdout
    assert "Figure 1: The stages of the pipeline." in text
    assert "from arxiv-eprint.tar.gz member figs/stages.png" in text


EPS_TEX = r"""\documentclass{article}
\begin{document}
\section{Plot}
\begin{figure}\includegraphics{plot}\caption{An EPS plot.}\end{figure}
\begin{figure}\includegraphics{other.eps}\caption{Another.}\end{figure}
\end{document}
"""
EPS = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 60\nnewpath 10 10 moveto 90 50 lineto 5 setlinewidth stroke\nshowpage\n"


def test_refs_check_says_once_why_eps_figures_stay_text(make_library, tmp_path, monkeypatch):
    root = _converted_eprint(make_library, tmp_path, EPS_TEX, {"plot.eps": EPS, "other.eps": EPS})
    monkeypatch.setenv("PATH", "/nonexistent")  # no Ghostscript
    found = [f for f in check_resource(Library(root), "paper") if f.rule == "figure-eps"]
    assert len(found) == 1
    assert "2 figure(s) are EPS" in found[0].message and "ghostscript" in found[0].message
    assert found[0].path == "sources/paper/full.md"
    with pytest.raises(NoImage, match="Ghostscript"):
        images.check(
            root / "sources/paper/raw", Origin("arxiv-eprint.tar.gz", member="plot.eps"), None
        )


@pytest.mark.skipif(
    images.eps_converter() is None, reason="needs Ghostscript (scripts/test.sh installs it)"
)
def test_eps_figures_render_through_ghostscript(tmp_path):
    from PIL import Image

    data = images.render_eps(EPS)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and len(set(image.convert("L").tobytes())) > 2


@pytest.mark.skipif(images.eps_converter() is None, reason="Ghostscript (gs) is not installed")
def test_eps_figures_render_in_one_run_and_one_by_one_when_one_fails():
    other = EPS.replace(b"90 50 lineto", b"90 10 lineto 50 50 lineto")
    together = images.render_eps_all([EPS, other])
    assert together == [images.render_eps(EPS), images.render_eps(other)]
    broken = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 60\nnosuchoperator\n"
    assert images.render_eps_all([EPS, broken]) is None  # the caller goes one by one
    assert images.render_eps_all([EPS]) is None  # one file: no batch needed


# ---------- the images the site derives ----------


def test_images_are_derived_once_per_artifact_and_the_same_each_time(tmp_path):
    raw = tmp_path / "raw"
    write_eprint(raw)
    (raw / "paper.pdf").write_bytes(figure_pdf())
    jobs = [
        (str(raw), "arxiv-eprint.tar.gz#figs/stages.png", "", str(tmp_path / "a.png")),
        (str(raw), "arxiv-eprint.tar.gz#figs/plot.pdf", "", str(tmp_path / "b.png")),
        (str(raw), "paper.pdf#page=2&box=140,150,460,350", "", str(tmp_path / "c.png")),
        (str(raw), "paper.pdf#page=9", "", str(tmp_path / "d.png")),
    ]
    results = images.run_jobs(jobs)
    assert results[str(tmp_path / "a.png")] is None
    assert (tmp_path / "a.png").read_bytes() == png(200, 120, 40)  # as it is in the e-print
    assert results[str(tmp_path / "b.png")] is None and results[str(tmp_path / "c.png")] is None
    assert "no page 9" in results[str(tmp_path / "d.png")]
    assert not (tmp_path / "d.png").exists()
    first = (tmp_path / "c.png").read_bytes()
    (tmp_path / "c.png").unlink()
    images.run_jobs(jobs[2:3])
    assert (tmp_path / "c.png").read_bytes() == first  # same artifact, same image
    from PIL import Image

    plot = Image.open(tmp_path / "b.png")
    assert plot.width < 240 * images.DPI / 72 + 1  # the figure PDF, trimmed to its drawing
    assert small_pdf_figure()[:4] == b"%PDF"


def test_a_damaged_artifact_gives_no_image_and_says_why(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "paper.pdf").write_bytes(b"%PDF-1.4 nothing else")
    (raw / "arxiv-eprint.tar.gz").write_bytes(eprint_tar_gz()[:100])
    results = images.run_jobs(
        [
            (str(raw), "paper.pdf#page=1", "", str(tmp_path / "a.png")),
            (str(raw), "arxiv-eprint.tar.gz#figs/stages.png", "", str(tmp_path / "b.png")),
        ]
    )
    assert "PDFium cannot open" in results[str(tmp_path / "a.png")]
    assert results[str(tmp_path / "b.png")]
    assert not list(tmp_path.glob("*.png"))
