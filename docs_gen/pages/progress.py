"""Progress pictures: pipeline status (fixed at build) and reading ticks (live, in JS).

Everything is inline HTML drawn here; `refs-library.js` only fills in the
"read" parts from the learner's ticks, which live in the browser's localStorage.
"""

from __future__ import annotations

import html
from collections import Counter

from extract.manifest import STATUSES, Resource

from .snippets import STATUS_LABELS

# Order of the stacked segments: done first.
STACK = ("condensed", "converted", "fetched", "pending", "link_only")
assert set(STACK) == set(STATUSES)


def ids_attr(resources: list[Resource]) -> str:
    return html.escape(" ".join(r.id for r in resources), quote=True)


def _swatch(status: str) -> str:
    return f'<span class="refs-swatch refs-status-{status}" aria-hidden="true"></span>'


def status_key() -> str:
    """What the bars' colours mean: a swatch per pipeline status, then the read bar."""
    keys = "".join(
        f'<span class="refs-key">{_swatch(s)}{html.escape(STATUS_LABELS[s])}</span>' for s in STACK
    )
    read = (
        '<span class="refs-key"><span class="refs-swatch refs-swatch-read" aria-hidden="true">'
        "</span>read (your ticks, kept in this browser)</span>"
    )
    return (
        f'<div class="refs-status-key" data-search-exclude><span class="refs-key-title">'
        f"Colours:</span> {keys}{read}</div>"
    )


def status_stack(resources: list[Resource]) -> str:
    """A stacked bar of pipeline statuses with a legend of counts, each by its colour."""
    counts = Counter(r.status for r in resources)
    legend = " ".join(
        f'<span class="refs-key">{_swatch(s)}{counts[s]} {html.escape(STATUS_LABELS[s])}</span>'
        for s in STACK
        if counts[s]
    )
    return _stack(resources) + f'<div class="refs-legend">{legend or "no resources"}</div>'


def read_meter(resources: list[Resource], label: str) -> str:
    """A bar and a count of how many of these resources the learner ticked as read."""
    ids = ids_attr(resources)
    n = len(resources)
    return (
        f'<div class="refs-meter" data-refs-progress data-ids="{ids}">'
        f'<div class="refs-meter-fill" style="width:0%"></div></div>'
        f'<div class="refs-legend"><span data-refs-count data-ids="{ids}">0</span> of {n} '
        f"{html.escape(label)} read</div>"
    )


def progress_card(title: str, resources: list[Resource]) -> str:
    done = sum(r.status == "condensed" for r in resources)
    return (
        f'<div class="refs-progress-card"><div class="refs-progress-title">{html.escape(title)}'
        f" <small>{done}/{len(resources)} condensed</small></div>"
        f"{status_stack(resources)}{read_meter(resources, 'ticked as')}</div>"
    )


def topic_rows(rows: list[tuple[str, str, list[Resource]]]) -> str:
    """A row per topic: its full label linking to its page, the status stack, the read
    meter and counts. HTML that wraps (no fixed-width picture): a long label takes two
    lines on a phone instead of being cut.

    ``rows`` are (label, href, resources).
    """
    out = ['<div class="refs-topic-rows">']
    for label, href, resources in rows:
        ids = ids_attr(resources)
        done = sum(r.status == "condensed" for r in resources)
        out.append(
            '<div class="refs-topic-row">'
            f'<a class="refs-topic-label" href="{html.escape(href, quote=True)}">'
            f"{html.escape(label)}</a>"
            f'<div class="refs-topic-bars">{_stack(resources)}'
            f'<div class="refs-meter" data-refs-progress data-ids="{ids}">'
            '<div class="refs-meter-fill" style="width:0%"></div></div></div>'
            f'<div class="refs-topic-count"><span data-refs-count data-ids="{ids}">0</span>'
            f"/{len(resources)} read · {done} condensed</div>"
            "</div>"
        )
    out.append("</div>")
    return "".join(out)


def _stack(resources: list[Resource]) -> str:
    counts = Counter(r.status for r in resources)
    total = max(len(resources), 1)
    legend = ", ".join(f"{counts[s]} {STATUS_LABELS[s]}" for s in STACK if counts[s])
    segs = "".join(
        f'<span class="refs-seg refs-status-{s}" style="width:{100 * counts[s] / total:.2f}%" '
        f'title="{counts[s]} {STATUS_LABELS[s]}"></span>'
        for s in STACK
        if counts[s]
    )
    return (
        f'<div class="refs-stack" role="img" aria-label="{html.escape(legend or "no resources")}">'
        f"{segs}</div>"
    )
