"""Figures benchmark: how many figure captions of real papers get their image, and
what showing them costs a site build.

On the real artifacts in `../shared/corpus` (gpipe, the `pdf/` papers, the `latex/`
e-prints, the `pdf-tex/` papers and making-dl-go-brrrr), converted by our converter
into a library in a temporary folder (raw folders copied there, never into the
project):

1. per paper: figure markers, markers that name an origin, markers with an image
   (the share printed is with-image / markers), and why the others have none;
2. the images are written to ``--out`` (default: a temporary folder) so a person
   can look at them;
3. build cost: the same library built with figures and without them (the markers'
   origins removed), alternating, cold (empty site folder and empty figure cache)
   and warm (again, cache kept). Each time is the fastest of ``--repeat`` runs, as
   wall time and as CPU time (the figure worker included: what the build costs when
   no core is spare); the ratios are printed against the targets (cold <= 1.3,
   warm <= 1.05).

    .venv/bin/python bench/figures.py [--corpus ../shared/corpus] [--repeat 3] [--out DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from docs_gen.figures import Figures  # noqa: E402
from extract.figures import figures  # noqa: E402
from extract.library import Library  # noqa: E402

COLD_TARGET = 1.3
WARM_TARGET = 1.05
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
MKDOCS = Path(sys.executable).with_name("mkdocs")
ORIGIN = re.compile(r" ?<!-- figure: [^<>]*? -->")


def corpus_papers(corpus: Path) -> list[Path]:
    """The raw folders the issue names, in a stable order."""
    picked = [corpus / "gpipe", corpus / "making-dl-go-brrrr"]
    for group in ("pdf", "latex", "pdf-tex"):
        picked += sorted(p for p in (corpus / group).iterdir() if (p / "raw").is_dir())
    return [p for p in picked if (p / "raw").is_dir()]


def build_library(root: Path, papers: list[Path]) -> dict[str, str]:
    """A library of the papers (raw copied, full.md converted); {rid: full.md}."""
    import site_library

    from extract.convert.run import convert_one

    texts = {}
    for folder in papers:
        rid = folder.name
        dest = root / "sources" / rid
        dest.mkdir(parents=True, exist_ok=True)
        # Copied, not linked: the library's path rule refuses a raw folder that
        # links out of it, so a linked corpus would show no figure at all.
        # The corpus is read-only; copyfile gives files and folders we may delete.
        for src in sorted((folder / "raw").rglob("*")):
            to = dest / "raw" / src.relative_to(folder / "raw")
            if src.is_dir():
                to.mkdir(parents=True, exist_ok=True)
            else:
                to.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, to)
        try:
            texts[rid] = convert_one(
                str(folder / "raw"), {"title": "", "source_url": f"https://example.org/{rid}"}
            )
        except Exception as exc:  # noqa: BLE001 - a paper our converter refuses is reported
            print(f"  {rid}: not converted ({type(exc).__name__}: {exc})")
    site_library.from_texts(root, texts)
    shutil.copyfile(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return texts


def shares(root: Path, texts: dict[str, str], out: Path | None) -> None:
    lib = Library(root)
    figs = Figures(lib)
    pages = {rid: figs.page(rid, f"sources/{rid}/full.md", text) for rid, text in texts.items()}
    figs.make(background=False)  # every image, as `refs site --out` makes them
    figs.finish()
    print(f"{'paper':28} {'markers':>7} {'origin':>6} {'image':>6} {'share':>6}")
    total = [0, 0, 0]
    for rid, text in sorted(texts.items()):
        found = figures(text)
        named = sum(1 for f in found if f.origins)
        page = pages[rid]
        with_image = [any(o.text() in page.images for o in f.origins) for f in found]
        subs = {f.number for f, ok in zip(found, with_image, strict=True) if ok and f.number}
        # A figure whose files are its subfigures' ("8a", "8b") is shown through them.
        shown = sum(
            1
            for f, ok in zip(found, with_image, strict=True)
            if ok
            or (
                f.number
                and not f.origins
                and any(re.fullmatch(re.escape(f.number) + "[a-z]", n) for n in subs)
            )
        )
        share = f"{shown / len(found):.0%}" if found else "-"
        total[0] += len(found)
        total[1] += named
        total[2] += shown
        print(f"{rid:28} {len(found):7} {named:6} {shown:6} {share:>6}")
        for problem in page.problems[:3]:
            print(f"{'':30}- {problem}")
        if shown < len(found):
            for why in unshown_reasons(root / "sources" / rid / "raw", found):
                print(f"{'':30}- {why}")
        if out is not None:
            for fig in found:
                for k, origin in enumerate(fig.origins):
                    image = page.images.get(origin.text())
                    if image:
                        name = f"{rid}-fig{fig.number or fig.line}-{k}{image.path.suffix}"
                        shutil.copyfile(image.path, out / name)
    markers, named, shown = total
    print(f"{'all':28} {markers:7} {named:6} {shown:6} {shown / max(markers, 1):6.0%}")


def unshown_reasons(raw: Path, found: list) -> list[str]:
    """Why figures of this artifact have no image, as far as the artifact tells."""
    out = []
    eprint = raw / "arxiv-eprint.tar.gz"
    if eprint.is_file():
        from extract.convert.latex.graphics import Graphics, graphics_dirs
        from extract.convert.latex.scan import strip_comments

        with tarfile.open(eprint) as tar:
            members = [m.name.lstrip("./") for m in tar if m.isfile()]
            texts = {
                m.name.lstrip("./"): strip_comments(
                    tar.extractfile(m).read().decode("utf-8", "replace")
                )  # type: ignore[union-attr]
                for m in tar
                if m.isfile() and m.name.endswith(".tex")
            }
        dirs = [d for t in texts.values() for d in graphics_dirs(t)]
        missing, drawn = [], 0
        for name, tex in texts.items():
            graphics = Graphics(eprint.name, members, name, dirs)
            for m in re.finditer(r"\\includegraphics\*?(?:\[[^\]]*\])*\{([^{}]+)\}", tex):
                if graphics.find(m.group(1)) is None:
                    missing.append(m.group(1))
            for fig in re.findall(r"\\begin\{figure\*?\}(.*?)\\end\{figure\*?\}", tex, re.S):
                drawn += "\\begin{tikzpicture}" in fig and "\\includegraphics" not in fig
        if missing:
            shown = ", ".join(missing[:3]) + (", ..." if len(missing) > 3 else "")
            out.append(f"{len(missing)} \\includegraphics name files the e-print lacks ({shown})")
        if drawn:
            out.append(f"{drawn} figure(s) drawn in TikZ/pgfplots: an image needs a TeX engine")
    if (raw / "page.html").is_file():
        urls = [o for f in found for o in f.origins if o.kind == "url"]
        stored = [p for p in (raw / "images").glob("*")] if (raw / "images").is_dir() else []
        bare = sum(1 for f in found if not f.origins)
        out.append(
            f"{len(urls)} content image URL(s) named, {len(stored)} stored in raw/images "
            "(the corpus holds the page only; `refs fetch --images` stores them where the "
            "network reaches): the site links each to its URL"
            + (f"; {bare} inline data: image(s) not shown" if bare else "")
        )
    return out


def build(root: Path, site: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one `mkdocs build`; the CPU time counts the
    figure worker and Ghostscript too (children the build waited for)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [str(MKDOCS), "build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(site)],
        check=True,
        env=ENV,
        cwd=root,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def costs(root: Path, repeat: int) -> None:
    """Cold and warm builds with figures against the same library without them. On a
    shared, loaded machine the wall time swings by 2x from run to run; the CPU time
    (user + system, the figure worker included) does not, so both are printed: wall
    is what a person waits on an idle machine with a core to spare, CPU what the build
    costs when no core is spare."""
    bare = root.parent / "bare"
    shutil.copytree(root, bare, symlinks=True)
    for full in (bare / "sources").glob("*/full.md"):
        full.write_text(ORIGIN.sub("", full.read_text(encoding="utf-8")), encoding="utf-8")
    runs: dict[str, list[tuple[float, float]]] = {
        k: [] for k in ("fig-cold", "bare-cold", "fig-warm", "bare-warm")
    }
    for _ in range(repeat):
        for name, lib in (("bare", bare), ("fig", root)):
            shutil.rmtree(lib / ".refs-cache", ignore_errors=True)
            site = lib.parent / f"site-{name}"
            shutil.rmtree(site, ignore_errors=True)
            runs[f"{name}-cold"].append(build(lib, site))
            runs[f"{name}-warm"].append(build(lib, site))
    wall = {k: min(w for w, _ in v) for k, v in runs.items()}
    cpu = {k: min(c for _, c in v) for k, v in runs.items()}
    for k in runs:
        print(f"  {k:10} wall {wall[k]:6.2f} s  cpu {cpu[k]:6.2f} s (fastest of {repeat})")
    for what, target in (("cold", COLD_TARGET), ("warm", WARM_TARGET)):
        w = wall[f"fig-{what}"] / wall[f"bare-{what}"]
        c = cpu[f"fig-{what}"] / cpu[f"bare-{what}"]
        print(
            f"{what} build with figures / without: wall {w:.3f}, cpu {c:.3f}  (target <= {target})"
        )
    images = list((root.parent / "site-fig" / "sources").glob("*/figures/*"))
    print(f"  {len(images)} images in the built site")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", help="folder to copy every figure image into, to look at them")
    ap.add_argument("--no-build", action="store_true", help="only the shares, no build timing")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"no corpus at {corpus}: skipped")
        return 0
    papers = corpus_papers(corpus)
    with tempfile.TemporaryDirectory(prefix="refs-figures-") as tmp:
        root = Path(tmp) / "lib"
        root.mkdir()
        texts = build_library(root, papers)
        out = Path(args.out) if args.out else None
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
        shares(root, texts, out)
        if not args.no_build:
            costs(root, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
