from extract.anchors import Anchorer, anchor_set, headings, plain_heading_text, slugify


def test_github_slug_rules():
    assert (
        slugify("5.2 Scaling Model vs. Sampling Compute") == "52-scaling-model-vs-sampling-compute"
    )
    assert slugify("What's new?") == "whats-new"
    assert slugify("Foo — Bar") == "foo--bar"
    assert slugify("snake_case and-hyphen") == "snake_case-and-hyphen"
    assert slugify("Überblick: Größe") == "überblick-größe"
    assert slugify("C++ / CUDA") == "c--cuda"


def test_inline_markdown_is_reduced_to_visible_text():
    assert plain_heading_text("The `torch.compile` **fast** path") == "The torch.compile fast path"
    # GitHub slugs the rendered text: an image adds none (its alt is an attribute).
    assert (
        plain_heading_text("[Link text](https://x.example/y) and ![img](a.png)") == "Link text and "
    )
    assert plain_heading_text("Heading { #custom }") == "Heading { #custom }"  # text on GitHub
    assert plain_heading_text("a \\*literal\\* star") == "a *literal* star"
    assert plain_heading_text("Escaped &lt;script&gt; tag") == "Escaped <script> tag"


def test_duplicates_are_numbered_like_github():
    a = Anchorer()
    assert [a("Setup"), a("Setup"), a("Setup"), a("Setup-1")] == [
        "setup",
        "setup-1",
        "setup-2",
        "setup-1-1",
    ]


def test_headings_skip_code_fences_and_front_matter():
    md = "---\ntitle: x\n---\n# Title\n\n```python\n# not a heading\n````\n## Real `code()`\n~~~~\n# no\n~~~~\n### Title\n"
    hs = headings(md)
    assert [(h.level, h.anchor, h.line) for h in hs] == [
        (1, "title", 4),
        (2, "real-code", 9),
        (3, "title-1", 13),
    ]


def test_explicit_anchor_markers_count():
    md = '<a id="orig-id"></a>\n## Shown Title\n'
    assert anchor_set(md) == {"orig-id", "shown-title"}
