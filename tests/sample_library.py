"""What tests write into a library, all our own text: a tiny curriculum (two topics, a
meta group, a reading order), manifest entry snippets under a commented head, and
`tree`, the files a folder holds. `make_library` (conftest.py) takes them."""

from __future__ import annotations

from pathlib import Path

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


# make_library(entries=[entry(...), ...]) writes these under MANIFEST_HEAD.
MANIFEST_HEAD = """\
# Fixture manifest for the fetch tests; this comment must survive every write.
reading_order: []
resources:
"""


def entry(
    rid: str,
    urls: list[str],
    *,
    type: str = "blog",
    status: str = "pending",
    priority: str = "high",
    topics: str = "[1]",
    comment: str = "",
) -> str:
    lines = [f"  # {comment}"] if comment else []
    lines += [f"  - id: {rid}", f'    title: "Fixture {rid}"', "    urls:"]
    lines += [f"      - {u}" for u in urls]
    lines += [
        f"    type: {type}",
        f"    topics: {topics}",
        f"    priority: {priority}",
        f"    status: {status}",
        "    local_paths: []",
        "    notes: ''",
    ]
    return "\n".join(lines) + "\n"


def tree(root: Path) -> list[str]:
    """Every file under root, relative, sorted (what a test expects to exist)."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
