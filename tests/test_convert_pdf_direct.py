"""A PDF that is a resource's own URL, and `refs convert --render-pages`."""

from pdf_writer import Pdf
from sample_library import CURRICULUM

from extract import Library
from extract.convert.pdf import convert_pdf
from extract.convert.safety import neutralise


def _pdf(path, title="A White Paper"):
    doc = Pdf(title=title or "", author="Test Author" if title else "")
    page = doc.page()
    page.text(72, 72, "1 Introduction", size=14)
    page.text(72, 100, "Body text of a white paper we wrote for this test.", size=10)
    page.text(72, 130, "2 Method", size=14)
    page.text(72, 160, "More body text about the method described here.", size=10)
    doc.page().text(72, 72, "Second page text, also ours.", size=10)
    doc.save(path)


def test_direct_pdf_gets_title_from_metadata_and_headings(tmp_path):
    _pdf(tmp_path / "white-paper.pdf")
    doc = convert_pdf(tmp_path / "white-paper.pdf", "https://example.com/white-paper.pdf")
    assert doc.title == "A White Paper" and doc.author == "Test Author"
    assert "## 1 Introduction" in doc.body and "## 2 Method" in doc.body
    assert doc.body.startswith("# A White Paper\n")


def test_direct_pdf_without_metadata_uses_file_name(tmp_path):
    _pdf(tmp_path / "white_paper-v2.pdf", title=None)
    assert convert_pdf(tmp_path / "white_paper-v2.pdf", "").title == "white paper v2"


def test_render_pages_prints_folder_pages_and_checklist(make_library, refs_cli, tmp_path):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    raw = lib.raw_dir("a-paper-on-pipelines")
    raw.mkdir(parents=True)
    _pdf(raw / "paper.pdf")
    r = refs_cli(tmp_path, "convert", "--render-pages", "a-paper-on-pipelines")
    assert r.returncode == 0, r.stderr
    assert "rendered 2 page(s)" in r.stdout
    pngs = [line.strip() for line in r.stdout.splitlines() if line.strip().endswith(".png")]
    assert len(pngs) == 2
    for p in pngs:
        with open(p, "rb") as fh:
            assert fh.read(8) == b"\x89PNG\r\n\x1a\n"
    r = refs_cli(tmp_path, "convert", "--render-pages", "stream-docs")
    assert r.returncode == 1 and "no PDF for `stream-docs`" in r.stderr
    r = refs_cli(tmp_path, "convert", "--render-pages", "stream-docs", "schedules-blog")
    assert r.returncode == 2


def test_autolinks_survive_neutralising_but_tags_do_not():
    out = neutralise("see <https://x.example/a?b=1> and <span onclick=x> <javascript:alert(1)>")
    assert "<https://x.example/a?b=1>" in out
    assert "<span" not in out and "<javascript" not in out
