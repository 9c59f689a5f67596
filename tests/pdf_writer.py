"""A small PDF writer for test fixtures, so the tests need no PDF library of their own.

Pages hold text in the standard Type 1 fonts (Helvetica, Times and their bold and
italic faces, Courier) or in fonts a test names itself (`Pdf.font`: a TeX-like name
with the stem width and flags its descriptor declares, which is where PDFium's
reported weight comes from), straight lines, rectangles (stroked or filled) and
clips, figures: a form XObject (what LaTeX makes of an included PDF figure) with its
own drawing and text, and raster images (an image XObject of RGB pixels). The output
is deterministic: same calls, same bytes.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from pathlib import Path

FONTS = {
    "helv": "Helvetica",
    "hebo": "Helvetica-Bold",
    "heit": "Helvetica-Oblique",
    "tiro": "Times-Roman",
    "tibo": "Times-Bold",
    "tiit": "Times-Italic",
    "cour": "Courier",
}


def _string(text: str) -> str:
    data = text.encode("cp1252", "replace").decode("latin-1")
    return "(" + data.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


@dataclass
class _Canvas:
    """Drawing operators in top-left coordinates (y grows downwards)."""

    height: float
    ops: list[str] = field(default_factory=list)
    fonts: set[str] = field(default_factory=set)

    def text(self, x: float, y: float, text, size: float = 10, font: str = "helv") -> None:
        """``text`` with its baseline at ``y``; ``text`` may be a list of runs set one
        after the other on the same line: (text, font), or (text, font, size, rise,
        back) for a script — its own size, raised by ``rise`` points (lowered when
        negative), set ``back`` points left of where the text got to (stacked scripts)."""
        runs = [(text, font)] if isinstance(text, str) else text
        parts = [f"BT 1 0 0 1 {x:.2f} {self.height - y:.2f} Tm"]
        for run in runs:
            words, face = run[0], run[1]
            run_size, rise, back = (*run[2:], *(size, 0, 0)[len(run) - 2 :])
            self.fonts.add(face)
            kern = f"[{back * 1000 / run_size:.0f}] TJ " if back else ""
            parts.append(f"/{face} {run_size:g} Tf {rise:g} Ts {kern}{_string(words)} Tj")
        parts.append("ET")
        self.ops.append(" ".join(parts))

    def line(self, x0: float, y0: float, x1: float, y1: float, width: float = 0.5) -> None:
        h = self.height
        self.ops.append(f"{width:g} w {x0:.2f} {h - y0:.2f} m {x1:.2f} {h - y1:.2f} l S")

    def rect(
        self, x0: float, y0: float, x1: float, y1: float, fill: tuple[float, ...] | None = None
    ) -> None:
        """A stroked rectangle, or one filled with the RGB colour ``fill`` (0..1)."""
        h = self.height
        box = f"{x0:.2f} {h - y1:.2f} {x1 - x0:.2f} {y1 - y0:.2f} re"
        if fill is None:
            self.ops.append(f"{box} S")
        else:
            self.ops.append(f"{' '.join(f'{v:g}' for v in fill)} rg {box} f 0 g")

    def clip(self, x0: float, y0: float, x1: float, y1: float) -> None:
        """Clip what is drawn after this (to the end of the page or form) to the box."""
        h = self.height
        self.ops.append(f"{x0:.2f} {h - y1:.2f} {x1 - x0:.2f} {y1 - y0:.2f} re W n")


@dataclass
class Page(_Canvas):
    width: float = 612
    figures: list[tuple[tuple[float, float, float, float], _Canvas]] = field(default_factory=list)
    images: list[tuple[tuple[float, float, float, float], int, int, bytes]] = field(
        default_factory=list
    )

    def image(
        self, x0: float, y0: float, x1: float, y1: float, width: int, height: int, rgb: bytes
    ):
        """A raster image of ``width`` x ``height`` RGB pixels (3 bytes each) in the box."""
        assert len(rgb) == width * height * 3
        self.images.append(((x0, y0, x1, y1), width, height, rgb))

    def figure(self, x0: float, y0: float, x1: float, y1: float) -> _Canvas:
        """A form XObject placed in the box; draw on the returned canvas in page
        coordinates, as on the page."""
        canvas = _Canvas(self.height)
        self.figures.append(((x0, y0, x1, y1), canvas))
        return canvas


class Pdf:
    def __init__(self, title: str = "", author: str = "") -> None:
        self.pages: list[Page] = []
        self.title = title
        self.author = author
        self.bookmarks: list[tuple[str, int]] = []  # (title, page index): a flat outline
        self.named: dict[str, tuple[str, int, int]] = {}  # face -> (name, stem width, flags)

    def font(self, face: str, name: str, stem: int, flags: int = 32) -> str:
        """A font of our naming (not embedded: PDFium draws it with a stand-in) whose
        descriptor declares stem width ``stem`` (PDFium's weight: 5 x stem below 140,
        4 x stem + 140 above) and ``flags`` (32 nonsymbolic, 64 italic, 1 << 18 force
        bold). Returns ``face`` for `text` runs."""
        self.named[face] = (name, stem, flags)
        return face

    def bookmark(self, title: str, page: int = 0) -> None:
        self.bookmarks.append((title, page))

    def page(self, width: float = 612, height: float = 792) -> Page:
        page = Page(height=height, width=width)
        self.pages.append(page)
        return page

    def _font_dict(self, faces: set[str], ref: dict[str, int]) -> str:
        return "<< " + " ".join(f"/{f} {ref[f]} 0 R" for f in sorted(faces)) + " >>"

    def bytes(self) -> bytes:
        objects: list[bytes] = []

        def add(body: bytes) -> int:
            objects.append(body)
            return len(objects)

        def stream(dictionary: str, data: str) -> bytes:
            raw = zlib.compress(data.encode("latin-1"), 9)
            head = f"<< {dictionary} /Length {len(raw)} /Filter /FlateDecode >>\nstream\n"
            return head.encode() + raw + b"\nendstream"

        catalog = add(b"")  # filled in below
        pages_id = add(b"")
        font_ref = {
            face: add(
                f"<< /Type /Font /Subtype /Type1 /BaseFont /{name} /Encoding /WinAnsiEncoding >>".encode()
            )
            for face, name in FONTS.items()
        }
        for face, (name, stem, flags) in sorted(self.named.items()):
            descriptor = add(
                f"<< /Type /FontDescriptor /FontName /{name} /Flags {flags} "
                f"/FontBBox [-200 -250 1000 900] /ItalicAngle {-12 if flags & 64 else 0} "
                f"/Ascent 700 /Descent -220 /CapHeight 680 /StemV {stem} >>".encode()
            )
            font_ref[face] = add(
                # No /Widths: PDFium takes the stand-in font's, so the text is spaced as prose.
                f"<< /Type /Font /Subtype /Type1 /BaseFont /{name} /Encoding /WinAnsiEncoding "
                f"/FontDescriptor {descriptor} 0 R >>".encode()
            )
        kids = []
        for page in self.pages:
            xobjects = {}
            for n, ((x0, y0, x1, y1), canvas) in enumerate(page.figures):
                h = page.height
                bbox = f"[{x0:.2f} {h - y1:.2f} {x1:.2f} {h - y0:.2f}]"
                res = f"<< /Font {self._font_dict(canvas.fonts, font_ref)} >>"
                xobjects[f"Fm{n}"] = add(
                    stream(
                        f"/Type /XObject /Subtype /Form /BBox {bbox} /Resources {res}",
                        "\n".join(canvas.ops),
                    )
                )
            ops = list(page.ops) + [f"q /{name} Do Q" for name in xobjects]
            for n, ((x0, y0, x1, y1), w, h, rgb) in enumerate(page.images):
                data = zlib.compress(rgb, 9)
                head = (
                    f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace "
                    f"/DeviceRGB /BitsPerComponent 8 /Length {len(data)} /Filter /FlateDecode >>"
                )
                xobjects[f"Im{n}"] = add(head.encode() + b"\nstream\n" + data + b"\nendstream")
                bottom = page.height - y1
                ops.append(
                    f"q {x1 - x0:.2f} 0 0 {y1 - y0:.2f} {x0:.2f} {bottom:.2f} cm /Im{n} Do Q"
                )
            content = add(stream("", "\n".join(ops)))
            xo = " ".join(f"/{k} {v} 0 R" for k, v in xobjects.items())
            res = f"<< /Font {self._font_dict(set(font_ref), font_ref)} /XObject << {xo} >> >>"
            kids.append(
                add(
                    f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {page.width:g} {page.height:g}] "
                    f"/Resources {res} /Contents {content} 0 R >>".encode()
                )
            )
        objects[pages_id - 1] = (
            f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
        )
        outline = ""
        if self.bookmarks:
            root = add(b"")
            items = [add(b"") for _ in self.bookmarks]
            for n, ((title, page), obj) in enumerate(zip(self.bookmarks, items, strict=True)):
                links = f"/Parent {root} 0 R /Dest [{kids[page]} 0 R /Fit]"
                if n > 0:
                    links += f" /Prev {items[n - 1]} 0 R"
                if n + 1 < len(items):
                    links += f" /Next {items[n + 1]} 0 R"
                objects[obj - 1] = f"<< /Title {_string(title)} {links} >>".encode()
            objects[root - 1] = (
                f"<< /Type /Outlines /First {items[0]} 0 R /Last {items[-1]} 0 R "
                f"/Count {len(items)} >>".encode()
            )
            outline = f" /Outlines {root} 0 R"
        objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_id} 0 R{outline} >>".encode()
        info = add(
            f"<< /Title {_string(self.title)} /Author {_string(self.author)} /Producer (tests) >>".encode()
        )
        out = bytearray(b"%PDF-1.4\n")
        offsets = []
        for number, body in enumerate(objects, 1):
            offsets.append(len(out))
            out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
        xref = len(out)
        out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
        for off in offsets:
            out += f"{off:010d} 00000 n \n".encode()
        out += (
            f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R /Info {info} 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n"
        ).encode()
        return bytes(out)

    def save(self, path: Path) -> Path:
        Path(path).write_bytes(self.bytes())
        return Path(path)
