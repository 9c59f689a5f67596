"""An HTML page's content images, stored beside it in `raw/images/`.

Each content image (`extract.html_images.content_images`: inside the article, not
chrome, icons or tracking pixels) is fetched under a name made from its URL
(`images/<sha256(url)[:16]>.<png|jpg|gif|webp>`), with the URL and sha256 in
provenance like any artifact, so the site finds it again from the figure
marker's link. A failed image is a warning: the site links the original URL.

Capped per resource at `MAX_IMAGES` images and `MAX_BYTES` bytes: the longest
posts of the catalog carry about 30 figures (making-dl-go-brrrr has 14), so a
page with more is a gallery or an index whose images are not its figures, and
50 MB keeps one page's images within the size of a few papers' PDFs.
"""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from ..full_md import IMAGES_DIR
from ..html_images import content_images
from .job import Artifact, ResourceJob

MAX_IMAGES = 60
MAX_BYTES = 50 * 1024 * 1024
_EXT = {"png": ".png", "jpeg": ".jpg", "gif": ".gif", "webp": ".webp"}


def image_name(url: str) -> str:
    """`images/<16 hex of the URL's sha256><extension the URL gives, else .img>`."""
    stem = f"{IMAGES_DIR}/{hashlib.sha256(url.encode()).hexdigest()[:16]}"
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
    return stem + (suffix if suffix in (".png", ".jpg", ".jpeg", ".gif", ".webp") else ".img")


def fetch_images(job: ResourceJob, pages: list[tuple[Path, str]]) -> int:
    """Fetch the content images of ``pages`` ((HTML file, its URL) each) into the
    job; returns how many were stored. Over the caps, the rest are warnings."""
    wanted: list[str] = []
    for path, url in pages:
        for image in content_images(path.read_bytes(), url):
            if image not in wanted:
                wanted.append(image)
    if len(wanted) > MAX_IMAGES:
        job.warnings.append(
            f"{len(wanted)} content images; only the first {MAX_IMAGES} are stored "
            "(the cap per resource), the site links the others"
        )
        wanted = wanted[:MAX_IMAGES]
    stored, total = 0, 0
    done = {a.entry.get("url") for a in job.artifacts.values()}
    for url in wanted:
        if url in done:
            continue  # another page of the resource showed it too
        if total >= MAX_BYTES:
            job.warnings.append(
                f"images past {MAX_BYTES // (1024 * 1024)} MB not stored (the cap per "
                "resource); the site links them"
            )
            break
        name = image_name(url)
        stem = name.rsplit(".", 1)[0]
        renames = {kind: stem + ext for kind, ext in _EXT.items()}
        art = job.fetch(url, name, "image", required=False, renames=renames)
        if isinstance(art, Artifact):
            stored += 1
            total += int(art.entry.get("bytes") or 0)
    return stored


def html_artifacts(job: ResourceJob) -> list[tuple[Path, str]]:
    """The HTML pages this job fetched (staged or kept), with their URLs."""
    out = []
    for art in job.artifacts.values():
        if art.rel.endswith(".html") and art.entry.get("kind") == "html":
            where = job.stage if art.staged else job.raw
            out.append((where / art.rel, art.entry.get("final_url") or art.entry.get("url") or ""))
    return out


def recorded_pages(raw: Path, provenance: dict) -> list[tuple[Path, str]]:
    """The HTML pages an earlier fetch stored in ``raw``, with their URLs."""
    out = []
    for rel, entry in sorted(provenance.get("artifacts", {}).items()):
        if not (isinstance(entry, dict) and rel.endswith(".html")) or rel.startswith(IMAGES_DIR):
            continue
        if (raw / rel).is_file() and entry.get("kind", "html") == "html":
            out.append((raw / rel, str(entry.get("final_url") or entry.get("url") or "")))
    return out
