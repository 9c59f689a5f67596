"""A corpus of tricky headings (our own text) and the anchors GitHub gives them.

`TRICKY` is one markdown file exercising every case of the anchor rule: setext and ATX
headings, underscores inside words, emoji, punctuation, inline code, links, images,
emphasis, HTML entities and inline HTML, duplicates, unicode, and the lines that only
look like headings (fences, indented code, HTML blocks, `#tag`, thematic breaks).
`TRICKY_ANCHORS` is what GitHub's renderer gives it, in order: checked against
cmark-gfm (GitHub's own parser) and github-slugger's slugs.
"""

from __future__ import annotations

TRICKY = """\
# Anchors: a corpus of tricky headings

Intro paragraph.

Backends
--------

Two-line setext
heading text
============

## causal_stream_inference.py

## 🚀 Traceable Collectives!

## `torch.compile` and *fast* __paths__

## [Linked](https://example.invalid/x) text and ![logo](https://example.invalid/logo.png) image

## A [reference link][ref] heading

## Entities &amp; &lt;tags&gt; &copy; &#35;1

## snake_case_name vs _emphasis_ vs __strong__

## What's new? (v2.0) — a “primer”

## Ünïcödé Größe: Straße

## Привет мир 你好

## C++ / C# / F#

## Results

## Results ##

Results
-------

## Results-1

### ½ and ² and ①

#### Trailing #hash #

## Foo <span>inline</span> html

## Two  spaces and a\\_escaped\\*star

   ### Indented three spaces

```
## fenced, not a heading
```

    ## indented code, not a heading

<div>
## inside an HTML block, not a heading
</div>

#hashtag is text, not a heading

Paragraph text
***

- list item
---

> ## Quoted heading

- ## Heading in a list item

###### Six

####### seven is text

[ref]: https://example.invalid/ref
"""

TRICKY_ANCHORS = [
    "anchors-a-corpus-of-tricky-headings",
    "backends",
    "two-line-setextheading-text",
    "causal_stream_inferencepy",
    "-traceable-collectives",
    "torchcompile-and-fast-paths",
    "linked-text-and--image",
    "a-reference-link-heading",
    "entities--tags--1",
    "snake_case_name-vs-emphasis-vs-strong",
    "whats-new-v20--a-primer",
    "ünïcödé-größe-straße",
    "привет-мир-你好",
    "c--c--f",
    "results",
    "results-1",
    "results-2",
    "results-1-1",
    "-and--and-",
    "trailing-hash",
    "foo-inline-html",
    "two--spaces-and-a_escapedstar",
    "indented-three-spaces",
    "quoted-heading",
    "heading-in-a-list-item",
    "six",
]

# Heading text content -> GitHub's slug (github-slugger, checked with the npm package).
SLUGS = [
    ("Backends", "backends"),
    ("causal_stream_inference.py", "causal_stream_inferencepy"),
    ("🚀 Traceable Collectives!", "-traceable-collectives"),
    ("5.2 Scaling Model vs. Sampling Compute", "52-scaling-model-vs-sampling-compute"),
    ("What's new?", "whats-new"),
    ("Foo — Bar", "foo--bar"),  # the em dash goes, both spaces stay
    ("Foo – Bar", "foo--bar"),
    ("snake_case and-hyphen", "snake_case-and-hyphen"),
    ("Überblick: Größe", "überblick-größe"),
    ("C++ / CUDA", "c--cuda"),
    ("  spaced  out  ", "--spaced--out--"),  # nothing trimmed or collapsed
    ("Tab\there", "tabhere"),  # only the space becomes a hyphen
    ("non\u00a0breaking", "nonbreaking"),
    ("½ ² ①", "--"),  # other numbers go
    ("Ⅻ roman", "ⅻ-roman"),  # letter numbers stay
    ("Ⓐ circled", "ⓐ-circled"),  # alphabetic symbols stay
    ("⚠️ Warning", "\ufe0f-warning"),  # the variation selector is a mark: it stays
    ("👩\u200d💻 ZWJ", "-zwj"),
    ("fullwidth＿low‿tie", "fullwidth＿low‿tie"),  # connector punctuation stays
    ("$x^2$ math", "x2-math"),
    ("Σίσυφος ΟΔΟΣ", "σίσυφος-οδος"),
    ("İstanbul", "i̇stanbul"),
    ("", ""),
]
