"""A figure's image, derived from the Tier 1 artifact its marker names.

E-print PNG/JPG/GIF members are used as they are; e-print PDF figures and PDF
page regions are rendered with PDFium (pypdfium2); EPS goes through Ghostscript
where it is installed; an HTML page's image is the file `refs fetch` stored for
its URL. Derived images are cached under `.refs-cache/figures/` (gitignored), named
by a digest of the artifact's bytes, the origin and `VERSION`, so the same
artifacts give the same files on every machine and a rebuild renders nothing.

`check` says up front, cheaply, whether an origin can give an image; `Deriver`
makes the images, opening each artifact once; `python -m docs_gen.figure_images`
runs a list of jobs in a worker process, so a cold build renders figures on the
second core while MkDocs converts pages on the first.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import zlib
from pathlib import Path
from typing import Any

from extract.figures import Origin, eps_converter, parse_origin

VERSION = "1"  # bump when a rendering changes: every cached image is made again
DPI = 150  # a column-wide figure ~500 px, a page-wide one ~1000 px: 6 pt labels stay legible
MAX_SIDE = 2400  # pixels: a page-sized figure stays a few hundred KB
MAX_MEMBER = 50 * 1024 * 1024  # the e-print reader's bound for one member
MAX_UNPACKED = 200 * 1024 * 1024
RASTER = {b"\x89PNG": ".png", b"\xff\xd8\xff": ".jpg", b"GIF8": ".gif"}


class NoImage(Exception):
    """Why a figure has no image (said once per resource by the site and `refs check`)."""


def raster_ext(data: bytes) -> str | None:
    for magic, ext in RASTER.items():
        if data.startswith(magic):
            return ext
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    return None


def file_sha256(path: Path, memo: dict | None = None) -> str:
    """sha256 of a file, remembered by (path, size, mtime) for the process."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    if memo is not None and key in memo:
        return memo[key]
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    if memo is not None:
        memo[key] = h.hexdigest()
    return h.hexdigest()


def cache_key(artifact_sha: str, origin: Origin) -> str:
    return hashlib.sha256(f"{VERSION}\0{artifact_sha}\0{origin.text()}".encode()).hexdigest()


def expected_ext(origin: Origin, stored: Path | None = None) -> str:
    """The image's extension before it is made (so the site can name it up front)."""
    if origin.kind == "eprint":
        ext = os.path.splitext(origin.member)[1].lower()
        return ".jpg" if ext == ".jpeg" else ext if ext in (".png", ".jpg", ".gif") else ".png"
    if origin.kind == "url" and stored is not None:
        ext = stored.suffix.lower()
        return ".jpg" if ext == ".jpeg" else ext
    return ".png"


# ---------- what can give an image ----------

RENDERED_MEMBERS = (".pdf", ".eps", ".ps")


def check(raw_dir: Path, origin: Origin, stored: Path | None) -> None:
    """Raise NoImage when ``origin`` cannot give an image here (without making it)."""
    if origin.kind == "url":
        if stored is None:
            raise NoImage(f"the image {origin.path} was not stored (run `refs fetch --images`)")
        with open(stored, "rb") as fh:
            if raster_ext(fh.read(16)) is None:
                raise NoImage(f"{stored.name} is not a PNG, JPEG, GIF or WebP image")
        return
    if not (raw_dir / origin.path).is_file():
        raise NoImage(f"raw/{origin.path} is missing (run `refs fetch`)")
    if origin.kind == "eprint":
        ext = os.path.splitext(origin.member)[1].lower()
        if ext in (".eps", ".ps") and eps_converter() is None:
            raise NoImage(
                "EPS figures need Ghostscript (`gs`) to show; install it (apt-get install ghostscript)"
            )
        if ext in (".pdf",):
            _pdfium()
        elif ext not in (".png", ".jpg", ".jpeg", ".gif", ".eps", ".ps"):
            raise NoImage(
                f"{origin.member}: a {ext or 'extension-less'} figure the site cannot show"
            )
        return
    if origin.kind in ("pdf-region", "pdf-page"):
        _pdfium()
        return
    raise NoImage(f"no image can be made from {origin.text()}")


# ---------- reading artifacts ----------


def _gunzip(data: bytes, where: str) -> bytes:
    out = io.BytesIO()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            while chunk := fh.read(1 << 20):
                out.write(chunk)
                if out.tell() > MAX_UNPACKED:
                    raise NoImage(f"{where} unpacks to more than {MAX_UNPACKED} bytes")
    except (OSError, EOFError, zlib.error) as exc:
        raise NoImage(f"{where} is not a valid gzip stream ({exc})") from None
    return out.getvalue()


def _tar_members(archive: Path, wanted: set[str]) -> dict[str, bytes]:
    """The wanted files of an e-print (a tar, gzipped or not), within the reader's bounds."""
    data = archive.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, archive.name)
    out: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tar:
            for info in tar:
                name = info.name.lstrip("./")
                if name not in wanted or not info.isfile() or info.size > MAX_MEMBER:
                    continue
                fh = tar.extractfile(info)
                out[name] = fh.read() if fh else b""
    except tarfile.TarError as exc:
        raise NoImage(f"{archive.name} is not a readable tar archive ({exc})") from None
    return out


def _pdf_bytes(data: bytes, where: str) -> bytes:
    if data[:2] == b"\x1f\x8b":  # an arXiv e-print that is a gzipped PDF
        data = _gunzip(data, where)
    if not data[:1024].lstrip().startswith(b"%PDF"):
        raise NoImage(f"{where} is not a PDF")
    return data


# ---------- rendering ----------


def _pdfium():
    try:
        import pypdfium2
    except ImportError:
        raise NoImage("PDF figures need pypdfium2: pip install -e '.[pdf]'") from None
    return pypdfium2


def _png(image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)  # 3x faster than 6, 10% larger
    return out.getvalue()


def _trim(image):
    """Cut the white margin of a figure PDF that was not cropped to its drawing."""
    from PIL import Image, ImageChops

    bbox = ImageChops.difference(image, Image.new("RGB", image.size, "white")).getbbox()
    if not bbox:
        return image
    pad = 8
    x0, y0, x1, y1 = bbox
    box = (
        max(0, x0 - pad),
        max(0, y0 - pad),
        min(image.width, x1 + pad),
        min(image.height, y1 + pad),
    )
    return image.crop(box)


def render_page(doc, page_no: int = 1, box=None, trim: bool = False) -> bytes:
    """PNG of a page (1-based) of an open PDF, or of a box on it (points, top-left)."""
    if not 1 <= page_no <= len(doc):
        raise NoImage(f"the PDF has no page {page_no}")
    page = doc[page_no - 1]
    try:
        width, height = page.get_size()
        x0, y0, x1, y1 = box if box else (0.0, 0.0, width, height)
        x0, y0, x1, y1 = max(0.0, x0), max(0.0, y0), min(width, x1), min(height, y1)
        if x1 - x0 < 1 or y1 - y0 < 1:
            raise NoImage(f"the box lies outside page {page_no}")
        scale = min(DPI / 72, MAX_SIDE / max(x1 - x0, y1 - y0))
        crop = (x0, height - y1, width - x1, y0)  # left, bottom, right, top margins
        bitmap = page.render(scale=scale, crop=crop, may_draw_forms=False)
        image = bitmap.to_pil().convert("RGB")
    finally:
        page.close()
    return _png(_trim(image) if trim else image)


def _ghostscript(sources: list[Path], output: str, timeout: float) -> None:
    gs = eps_converter()
    if gs is None:
        raise NoImage(
            "EPS figures need Ghostscript (`gs`) to show; install it (apt-get install ghostscript)"
        )
    cmd = [gs, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dEPSCrop", "-sDEVICE=png16m",
           f"-r{DPI}", "-dTextAlphaBits=4", "-dGraphicsAlphaBits=4", f"-sOutputFile={output}",
           *map(str, sources)]  # fmt: skip
    try:
        subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)
    except (subprocess.SubprocessError, OSError) as exc:
        raise NoImage(f"Ghostscript could not render the EPS figure ({exc})") from None


def render_eps(data: bytes) -> bytes:
    """PNG of an EPS figure through Ghostscript (-dSAFER: the file cannot touch ours)."""
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.eps", Path(tmp) / "out.png"
        src.write_bytes(data)
        _ghostscript([src], str(dst), 60)
        if not dst.is_file():
            raise NoImage("Ghostscript wrote no image for the EPS figure")
        return dst.read_bytes()


def render_eps_all(datas: list[bytes]) -> list[bytes] | None:
    """PNGs of several EPS figures from one Ghostscript run (its start costs more than
    a figure: 16 figures take 1.2 s instead of 8 s); None when the run does not give
    exactly one page a file (a file failed, or printed two pages): then one by one."""
    if len(datas) < 2:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        sources = []
        for k, data in enumerate(datas):
            sources.append(Path(tmp) / f"in-{k:04d}.eps")
            sources[-1].write_bytes(data)
        try:
            _ghostscript(sources, str(Path(tmp) / "out-%04d.png"), 60 + 10 * len(datas))
        except NoImage:
            return None
        pages = sorted(Path(tmp).glob("out-*.png"))
        if len(pages) != len(datas):
            return None
        return [page.read_bytes() for page in pages]


class Deriver:
    """Makes images, opening each artifact once (a paper's figures share its PDF)."""

    def __init__(self, wanted: dict[Path, set[str]] | None = None):
        self.wanted = wanted or {}  # archive -> the members the jobs ask for
        self.eps: dict[tuple[Path, str], bytes] = {}  # (archive, member) -> PNG made ahead
        self._members: dict[Path, dict[str, bytes]] = {}
        self._docs: dict[Path, Any] = {}  # pypdfium2.PdfDocument

    def close(self) -> None:
        for doc in self._docs.values():
            doc.close()
        self._docs.clear()

    def _doc(self, artifact: Path, data: bytes | None = None, member: str = ""):
        key = artifact / member if member else artifact
        if key not in self._docs:
            pdfium = _pdfium()
            raw = data if data is not None else _pdf_bytes(artifact.read_bytes(), artifact.name)
            try:
                self._docs[key] = pdfium.PdfDocument(raw)
            except Exception as exc:  # PdfiumError: a damaged file
                raise NoImage(f"PDFium cannot open {key.name} ({exc})") from None
        return self._docs[key]

    def member(self, archive: Path, name: str) -> bytes:
        if archive not in self._members:
            self._members[archive] = _tar_members(archive, self.wanted.get(archive, set()) | {name})
        found = self._members[archive].get(name)
        if found is None:
            self._members[archive].update(_tar_members(archive, {name}))
            found = self._members[archive].get(name)
        if found is None:
            raise NoImage(f"{archive.name} has no file {name}")
        return found

    def render_eps_ahead(self, members: list[tuple[Path, str]]) -> None:
        """Render the EPS members among ``members`` (archive, member) in one go."""
        if eps_converter() is None:
            return
        wanted, datas = [], []
        for archive, name in dict.fromkeys(members):
            if not name.lower().endswith((".eps", ".ps")):
                continue
            try:
                data = self.member(archive, name)
            except NoImage:
                continue  # said when that figure is derived
            if raster_ext(data) is None and not data[:1024].lstrip().startswith(b"%PDF"):
                wanted.append((archive, name))
                datas.append(data)
        made = render_eps_all(datas)
        if made is not None:
            self.eps.update(zip(wanted, made, strict=True))

    def derive(self, raw_dir: Path, origin: Origin, stored: Path | None = None) -> bytes:
        """The image bytes of ``origin``; NoImage says why there are none."""
        check(raw_dir, origin, stored)
        if origin.kind == "url":
            return stored.read_bytes()  # type: ignore[union-attr]
        artifact = raw_dir / origin.path
        if origin.kind == "eprint":
            data = self.member(artifact, origin.member)
            if raster_ext(data):
                return data
            if data[:1024].lstrip().startswith(b"%PDF"):
                return render_page(self._doc(artifact, data, origin.member), trim=True)
            ahead = self.eps.get((artifact, origin.member))
            return ahead if ahead is not None else render_eps(data)
        return render_page(self._doc(artifact), origin.page, origin.box)


def derive(raw_dir: Path, origin: Origin, stored: Path | None = None) -> bytes:
    """One image (see `Deriver.derive`)."""
    deriver = Deriver()
    try:
        return deriver.derive(raw_dir, origin, stored)
    finally:
        deriver.close()


def cached(cache_dir: Path, key: str, ext: str, make) -> Path:
    """The cached file for ``key``, made by ``make()`` (bytes) when missing; written
    atomically so a killed build never leaves half an image."""
    path = cache_dir / f"{key}{ext}"
    if not path.is_file():
        write_atomic(path, make())
    return path


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ---------- jobs: many images at once, here or in a worker ----------

Job = tuple[str, str, str, str]  # raw folder, origin text, stored image ("" for none), cache file


def run_jobs(jobs: list[Job]) -> dict[str, str | None]:
    """Make each job's cache file; {cache file: None, or why it has no image}."""
    wanted: dict[Path, set[str]] = {}
    parsed: list[tuple[Path, Origin | None, Path | None, Path]] = []
    for raw, text, stored, dest in jobs:
        origin = parse_origin(text)
        parsed.append((Path(raw), origin, Path(stored) if stored else None, Path(dest)))
        if origin is not None and origin.kind == "eprint":
            wanted.setdefault(Path(raw) / origin.path, set()).add(origin.member)
    deriver = Deriver(wanted)
    out: dict[str, str | None] = {}
    try:
        deriver.render_eps_ahead(
            [(raw / o.path, o.member) for raw, o, _, cache in parsed if o and not cache.is_file()]
        )
        for raw_dir, origin, image, cache in parsed:
            try:
                if origin is None:
                    raise NoImage("not a figure origin")
                if not cache.is_file():
                    write_atomic(cache, deriver.derive(raw_dir, origin, image))
                out[str(cache)] = None
            except NoImage as exc:
                out[str(cache)] = str(exc)
            except Exception as exc:  # a damaged image or PDF: that figure stays text
                out[str(cache)] = f"{type(exc).__name__}: {exc}"
    finally:
        deriver.close()
    return out


class Worker:
    """`run_jobs` in a child process; `wait` returns its results."""

    def __init__(self, jobs: list[Job]):
        self.jobs = jobs
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "docs_gen.figure_images"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(jobs).encode())
        self.proc.stdin.close()

    def wait(self) -> dict[str, str | None]:
        assert self.proc.stdout is not None
        out = self.proc.stdout.read()
        self.proc.stdout.close()
        self.proc.wait()
        try:
            results = json.loads(out or b"{}")
        except ValueError:
            results = {}
        # A worker that died: what it did not report is made here.
        missing = [j for j in self.jobs if j[3] not in results]
        if missing:
            results.update(run_jobs(missing))
        return results

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


if __name__ == "__main__":
    sys.stdout.write(json.dumps(run_jobs(json.loads(sys.stdin.buffer.read() or b"[]"))))
