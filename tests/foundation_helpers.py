"""A small library of our own, built in a temp folder, for the foundation tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from extract import Library
from extract.sync import sync

CURRICULUM = """\
# Test curriculum

A tiny curriculum for tests.

## Pipelines

### 1. Pipeline schedules — bubbles and micro-batches

Why schedules matter, in two sentences of test prose.

- **A Paper On Pipelines** (Doe et al., 2020) — A paper we made up. *(paper, high)*
  - Paper: https://arxiv.org/abs/1234.56789
  - Code: https://github.com/example/pipes
- **Schedules Blog** (A. Writer) — A blog post we made up. *(blog, medium)*
  - https://blog.example.com/schedules/

### 2. Streams and graphs

Streams intro.

- **Stream Docs** — Docs we made up. *(docs, high)*
  - https://docs.example.com/streams.html
- **A Paper On Pipelines** (Doe et al., 2020) — Listed again for streams. *(paper, high)*
  - Paper: https://arxiv.org/abs/1234.56789
  - Code: https://github.com/example/pipes
- **A Talk** (Speaker) — A recorded talk. *(video, low, link only)*
  - https://video.example.com/talk

## Essential meta-resources

Meta intro.

- **Someone's Blog** — A blog index. *(blog, medium)*
  - https://someone.example.org/blog/

## Suggested reading order

1. **Start** — `a-paper-on-pipelines`, `stream-docs`
2. **Then** — `schedules-blog`
"""


def make_library(root: Path, curriculum: str = CURRICULUM) -> Library:
    """Write the curriculum, derive the manifest and topic docs with `refs sync`."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "distributed_video_dit_inference.md").write_text(curriculum, encoding="utf-8")
    lib = Library(root)
    sync(lib)
    return Library(root)


def refs(root: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the real `refs` command in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "extract.cli", "--root", str(root), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
