"""A tiny curriculum of our own (two topics, a meta group, a reading order)."""

from __future__ import annotations

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
