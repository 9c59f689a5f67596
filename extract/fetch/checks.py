"""Content checks: is what arrived the kind of thing we asked for?

Each check takes the body's first bytes and the Content-Type header and returns
the detected kind (recorded in provenance), or raises `FetchError`.
"""

from __future__ import annotations

import zlib

from .http import FetchError

GZIP_MAGIC = b"\x1f\x8b"
PDF_MAGIC = b"%PDF-"


def _looks_html(head: bytes) -> bool:
    text = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in text


def _describe(head: bytes, content_type: str) -> str:
    start = head[:12].decode("latin-1")
    return f"{content_type or 'no Content-Type'}, starting {start!r}"


def is_pdf(head: bytes) -> bool:
    # The PDF spec lets a file carry junk before the header within its first 1024 bytes.
    return PDF_MAGIC in head[:1024]


def html(head: bytes, content_type: str) -> str:
    ctype = content_type.lower()
    if is_pdf(head) or head.startswith(GZIP_MAGIC):
        raise FetchError(
            f"expected an HTML page, got a binary file ({_describe(head, content_type)})"
        )
    if "html" in ctype or _looks_html(head):
        return "html"
    raise FetchError(f"expected an HTML page, got {_describe(head, content_type)}")


def pdf(head: bytes, content_type: str) -> str:
    if is_pdf(head):
        return "pdf"
    raise FetchError(f"expected a PDF (%PDF- magic), got {_describe(head, content_type)}")


def json_body(head: bytes, content_type: str) -> str:
    if head.lstrip()[:1] in (b"{", b"["):
        return "json"
    raise FetchError(f"expected JSON, got {_describe(head, content_type)}")


def any_file(head: bytes, content_type: str) -> str:
    return "file"


def eprint(head: bytes, content_type: str) -> str:
    """arXiv's e-print answer: a gzipped tar, one gzipped file, a plain tar, or a PDF.

    `pdf` means the paper has no source (arXiv serves the PDF instead); it is not
    stored as an e-print. Anything else (an HTML error page...) is rejected.
    """
    if head.startswith(GZIP_MAGIC):
        inner = _gunzip_head(head)
        if inner is None:
            raise FetchError("the e-print is not valid gzip data")
        return "eprint-tar" if _is_tar(inner) else "eprint-gzip"
    if _is_tar(head):
        return "eprint-tar-plain"
    if is_pdf(head):
        return "pdf"
    raise FetchError(f"expected an e-print (gzip, tar or PDF), got {_describe(head, content_type)}")


def _gunzip_head(head: bytes) -> bytes | None:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 1024)
    except zlib.error:
        return None


def _is_tar(data: bytes) -> bool:
    # POSIX and GNU tar both put "ustar" at offset 257 of the first header.
    return data[257:262] == b"ustar"


IMAGE_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpeg",
    b"GIF87a": "gif",
    b"GIF89a": "gif",
}


def image(head: bytes, content_type: str) -> str:
    """A raster image the site can show: PNG, JPEG, GIF or WebP, by magic bytes."""
    for magic, kind in IMAGE_MAGIC.items():
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    raise FetchError(
        f"expected a PNG, JPEG, GIF or WebP image, got {_describe(head, content_type)}"
    )


CHECKS = {
    "html": html,
    "pdf": pdf,
    "json": json_body,
    "file": any_file,
    "eprint": eprint,
    "image": image,
}
