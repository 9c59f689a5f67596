"""The PDF text layer (`pdf.text.read_pdf`): each character's style and position.

The reader asks PDFium for a character's angle, matrix, font size and font once per
text object, not once per character. These pages put text objects side by side that
share a font but differ in what the reader remembers per object (size, scale,
rotation, face), including two objects in one BT block, so a style wrongly carried
from one object to the next shows.
"""

from __future__ import annotations

import pytest
from pdf_writer import Pdf

from extract.convert.pdf.text import read_pdf

pytest.importorskip("pypdfium2")


def _page_lines(tmp_path, draw) -> list:
    doc = Pdf()
    page = doc.page()
    draw(page)
    return read_pdf(doc.save(tmp_path / "layer.pdf")).pages[0].lines


def _line(lines, start: str):
    found = [line for line in lines if line.text.startswith(start)]
    assert len(found) == 1, [line.text for line in lines]
    return found[0]


def test_style_of_each_run_on_one_line(tmp_path):
    def draw(page):
        page.text(72, 100, [("Plain words ", "helv"), ("bold words ", "hebo"), ("slanted", "heit")])
        page.text(72, 140, "Section Heading", size=14, font="hebo")
        page.text(72, 170, "Body text again", size=10, font="helv")

    lines = _page_lines(tmp_path, draw)
    mixed = _line(lines, "Plain words")
    assert mixed.text == "Plain words bold words slanted"
    styles = [(s.text.strip(), s.bold, s.italic) for s in mixed.spans]
    assert styles == [
        ("Plain words", False, False),
        ("bold words", True, False),
        ("slanted", False, True),
    ]
    assert not mixed.bold and not mixed.italic and mixed.size == 10
    heading = _line(lines, "Section Heading")
    assert heading.bold and heading.size == 14
    body = _line(lines, "Body text")
    assert not body.bold and body.size == 10


def test_size_is_the_font_size_times_the_text_matrix_scale(tmp_path):
    def draw(page):
        page.text(72, 100, "Normal size line", size=9)
        page.fonts.add("helv")
        page.ops.append("BT 2 0 0 2 72 600 Tm /helv 6 Tf (Scaled twice) Tj ET")

    lines = _page_lines(tmp_path, draw)
    assert _line(lines, "Normal size").size == 9
    assert _line(lines, "Scaled twice").size == 12  # 6 pt drawn at twice the scale


def test_rotated_text_is_left_out_beside_upright_text_of_the_same_font(tmp_path):
    def draw(page):
        page.fonts.add("helv")
        # One BT block, one font and size: an upright object, then a sideways one.
        page.ops.append(
            "BT /helv 9 Tf 1 0 0 1 72 500 Tm (Upright words) Tj "
            "0 1 -1 0 40 300 Tm (QZQZ XQXQ) Tj ET"
        )
        page.text(72, 400, "Another upright line", size=9)

    lines = _page_lines(tmp_path, draw)
    texts = [line.text for line in lines]
    assert "Upright words" in texts and "Another upright line" in texts
    assert not any(letter in t for t in texts for letter in "QZX")  # not even one letter


def test_a_line_break_hyphen_is_marked(tmp_path):
    def draw(page):
        page.text(72, 100, "every acceler-", size=10)
        page.text(72, 112, "ator stays busy", size=10)

    lines = _page_lines(tmp_path, draw)
    assert _line(lines, "every acceler").hyphen_end
    assert _line(lines, "every acceler").text.endswith("-")
    assert not _line(lines, "ator stays").hyphen_end
