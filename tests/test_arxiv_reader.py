"""convert_arxiv end to end: metadata from the abstract page, LaTeX first, PDF fallback."""

from __future__ import annotations

import gzip
import re

import pytest
from sample_papers import META_ONLY_HTML, bundle, make_pdf, tar_gz

from extract.anchors import headings
from extract.convert.arxiv import convert_arxiv, read_abstract_page
from extract.convert.document import render
from extract.convert.pdf import pdf_to_markdown
from extract.convert.render_pages import VISION_CHECKLIST, render_pages
from extract.errors import RefsError

URL = "https://arxiv.org/abs/2401.00001"

BODY = 10.0
HEADER = "Pipelined Denoisers for Long Videos"
PDF_PAGES = [
    [
        ("Pipelined Denoisers for Long Videos", 18, True),
        ("Ada Lovelace and Grace Hopper", BODY, False),
        ("", 0, False),
        ("Abstract", 12, True),
        ("We split a denoiser across stages in this short paper.", BODY, False),
        ("", 0, False),
        ("1 Introduction", 12, True),
        ("Video diffusion transformers are large, and serving them needs careful", BODY, False),
        ("partitioning of the layers over several devices so that every acceler-", BODY, False),
        ("ator stays busy and the pipeline keeps a steady flow of frames.", BODY, False),
        ("", 0, False),
        ("Figure 1: The stage layout of the denoiser.", 9, False),
        ("", 0, False),
        ("2 Method", 12, True),
        ("2.1 Stage Split", 10, True),
        ("We cut the model into contiguous stages with equal compute, a choice", BODY, False),
        ("that is easy to make.", BODY, False),
    ],
    [
        ("A Proofs of Balance", 12, True),
        ("The balance argument uses a simple exchange.", BODY, False),
        ("", 0, False),
        ("References", 12, True),
        ("[1] A. Author. A first paper on pipelines. In Proc. of", BODY, False),
        ("Things, 2019.", BODY, False),
        ("[2] B. Writer. A second paper. 2020.", BODY, False),
    ],
    [
        ("B Extra Material", 12, True),
        ("More text on the last page stays here.", BODY, False),
    ],
]


def _pdf_raw(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "abstract.html").write_text(bundle.__globals__["ABSTRACT_HTML"], encoding="utf-8")
    make_pdf(raw / "paper.pdf", PDF_PAGES, header=HEADER)
    return raw


def test_abstract_page_fields():
    from sample_papers import ABSTRACT_HTML

    page = read_abstract_page(ABSTRACT_HTML, URL)
    assert page.title == "Pipelined Denoisers for Long Videos"
    assert page.authors == ["Ada Lovelace", "Grace Hopper"]
    assert page.abstract.startswith("We split a denoiser across stages and keep")
    assert "$2\\times$ throughput." in page.abstract
    assert page.date == "2024-03-04"
    assert page.arxiv_id == "2401.00001v2"


def test_abstract_page_from_meta_tags_only():
    page = read_abstract_page(META_ONLY_HTML, "https://arxiv.org/abs/2005.01234")
    assert page.title == "Only Meta Tags Here"
    assert page.authors == ["Alan Turing", "Emmy Noether"]
    assert page.abstract == "An abstract carried only by the meta tag."
    assert page.date == "2020-05-06"
    assert page.arxiv_id == "2005.01234"


def test_latex_bundle_end_to_end(tmp_path):
    raw = bundle(tmp_path / "raw")
    make_pdf(raw / "paper.pdf", PDF_PAGES)  # present but the source wins
    doc = convert_arxiv(raw, URL)
    assert doc.title == "Pipelined Denoisers for Long Videos"
    assert doc.author == "Ada Lovelace, Grace Hopper"
    assert doc.date == "2024-03-04"
    assert doc.notes[0] == "converted from LaTeX source (main file: main.tex)"
    lines = doc.body.split("\n\n")
    assert lines[:5] == [
        "# Pipelined Denoisers for Long Videos",
        "Ada Lovelace, Grace Hopper",
        "arXiv:2401.00001v2 · 2024-03-04",
        "## Abstract",
        lines[4],
    ]
    assert lines[4].startswith("We split a denoiser")
    assert [h.text for h in headings(doc.body)][:4] == [
        "Pipelined Denoisers for Long Videos",
        "Abstract",
        "1 Introduction",
        "2 Method",
    ]
    assert "[2, 3]" in doc.body and "## References" in doc.body


def test_end_to_end_is_deterministic(tmp_path):
    raw = bundle(tmp_path / "raw")
    first = convert_arxiv(raw, URL)
    second = convert_arxiv(raw, URL)
    meta = {"title": first.title, "source_url": URL}
    assert render(meta, first.body) == render(meta, second.body)
    assert first.notes == second.notes


def test_single_gzipped_tex(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "abstract.html").write_text(META_ONLY_HTML, encoding="utf-8")
    tex = (
        b"\\documentclass{article}\\begin{document}\\section{Only}Text \\emph{here}.\\end{document}"
    )
    (raw / "arxiv-eprint.tar.gz").write_bytes(gzip.compress(tex, mtime=0))
    doc = convert_arxiv(raw, URL)
    assert "## 1 Only\n\nText *here*." in doc.body
    assert "main file: main.tex" in doc.notes[0]


def test_unsafe_eprint_is_refused_not_converted(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "abstract.html").write_text(META_ONLY_HTML, encoding="utf-8")
    tar_gz(raw / "arxiv-eprint.tar.gz", {"../escape.tex": "x"})
    with pytest.raises(RefsError, match=r"arxiv-eprint.tar.gz.*'\.\.'"):
        convert_arxiv(raw, URL)


def test_eprint_without_tex_falls_back_to_pdf(tmp_path):
    raw = _pdf_raw(tmp_path)
    tar_gz(raw / "arxiv-eprint.tar.gz", {"readme.txt": "no tex here"})
    doc = convert_arxiv(raw, URL)
    assert any("PDF used instead" in n for n in doc.notes)
    assert "## 1 Introduction" in doc.body


def test_eprint_that_is_a_pdf(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "abstract.html").write_text(META_ONLY_HTML, encoding="utf-8")
    make_pdf(raw / "arxiv-eprint.tar.gz", PDF_PAGES, header=HEADER)
    doc = convert_arxiv(raw, URL)
    assert any("is a PDF" in n for n in doc.notes)
    assert "### 2.1 Stage Split" in doc.body


def test_pdf_only_headings_dehyphenation_references(tmp_path):
    doc = convert_arxiv(_pdf_raw(tmp_path), URL)
    body = doc.body
    assert [h.text for h in headings(body)] == [
        "Pipelined Denoisers for Long Videos",
        "Abstract",
        "1 Introduction",
        "2 Method",
        "2.1 Stage Split",
        "A Proofs of Balance",
        "References",
        "B Extra Material",
    ]
    assert re.search(r"^### 2\.1 Stage Split$", body, re.M)
    # the paragraph is rejoined and "acceler-ator" de-hyphenated
    assert (
        "needs careful partitioning of the layers over several devices so that every accelerator stays busy"
        in body
    )
    assert "[Figure 1: The stage layout of the denoiser.]" in body
    refs = body.split("## References", 1)[1]
    assert "[1] A. Author. A first paper on pipelines. In Proc. of Things, 2019." in refs
    assert "\n\n[2] B. Writer. A second paper. 2020." in refs
    # running header and page numbers are gone; the PDF's title block is not repeated
    assert body.count("Pipelined Denoisers for Long Videos") == 1
    assert not re.search(r"^\d+$", body, re.M)
    assert "More text on the last page stays here." in body
    assert any("vision pass" in n for n in doc.notes)


def test_pdf_dehyphenation_keeps_real_compounds(tmp_path):
    pages = [
        [
            ("1 Setup", 12, True),
            ("The batch splitting trick, a micro step and a batch-", BODY, False),
            ("splitting scheme, then a micro-", BODY, False),
            ("batch; also a pipe-", BODY, False),
            ("line stage, the pipeline itself and an effi-", BODY, False),
            ("cient schedule.", BODY, False),
        ]
    ]
    body = pdf_to_markdown(make_pdf(tmp_path / "p.pdf", pages)).body
    # a compound of two known words keeps its hyphen; a broken word is mended
    assert "a batch-splitting scheme, then a micro-batch; also a pipeline stage" in body
    assert "an efficient schedule." in body


def test_pdf_is_deterministic(tmp_path):
    path = make_pdf(tmp_path / "p.pdf", PDF_PAGES)
    assert pdf_to_markdown(path).body == pdf_to_markdown(path.read_bytes()).body


def test_abstract_only_when_nothing_else(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "abstract.html").write_text(META_ONLY_HTML, encoding="utf-8")
    doc = convert_arxiv(raw, URL)
    assert doc.body.startswith("# Only Meta Tags Here\n\nAlan Turing, Emmy Noether")
    assert "## Abstract\n\nAn abstract carried only by the meta tag." in doc.body
    assert any("no paper text" in n for n in doc.notes)


def test_missing_abstract_page_is_a_clear_error(tmp_path):
    with pytest.raises(RefsError, match="abstract.html.*refs fetch"):
        convert_arxiv(tmp_path, URL)


def test_broken_pdf_is_a_clear_error(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "abstract.html").write_text(META_ONLY_HTML, encoding="utf-8")
    (raw / "paper.pdf").write_bytes(b"%PDF-1.4 truncated")
    with pytest.raises(RefsError, match="PDF"):
        convert_arxiv(raw, URL)


def test_render_pages_and_checklist(tmp_path):
    pdf = make_pdf(tmp_path / "p.pdf", PDF_PAGES)
    out = render_pages(pdf, tmp_path / "pages", dpi=40)
    assert [p.name for p in out] == ["page-001.png", "page-002.png", "page-003.png"]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in out)
    again = render_pages(pdf, tmp_path / "again", dpi=40)
    assert [p.read_bytes() for p in out] == [p.read_bytes() for p in again]
    for word in ("[Figure N:", "markdown table", "$$", "Headings"):
        assert word in VISION_CHECKLIST
    with pytest.raises(RefsError, match="cannot open"):
        render_pages(tmp_path / "missing.pdf", tmp_path / "x")


@pytest.mark.parametrize(
    ("tex", "words"),
    [
        (
            "\\documentclass{article}\\begin{document}" + "{" * 5000 + "x" + "}" * 5000,
            "nests groups or environments too deeply",
        ),
        ("\\section{No preamble}", "no .tex file with both"),
    ],
)
def test_unusable_latex_with_no_pdf_is_an_error_not_an_abstract_only_paper(tmp_path, tex, words):
    """Issue 24 item 6: the paper's text would be lost; the e-print's problem is the error."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "abstract.html").write_text(META_ONLY_HTML, encoding="utf-8")
    tar_gz(raw / "arxiv-eprint.tar.gz", {"main.tex": tex})
    with pytest.raises(RefsError, match=words) as info:
        convert_arxiv(raw, URL)
    assert str(info.value.path) == str(raw / "arxiv-eprint.tar.gz")
    make_pdf(raw / "paper.pdf", PDF_PAGES, header=HEADER)
    doc = convert_arxiv(raw, URL)  # with a PDF to fall back on, it is a note
    assert any(words in n and "PDF used instead" in n for n in doc.notes)
