"""A page's own ids survive as `<a id>` anchors: sections, labels, API entries, name= markers."""

from __future__ import annotations

from extract.anchors import anchor_set, headings
from extract.convert.html import convert_html, prune_anchors
from extract.convert.links import resolve
from extract.convert.run import join


def body(html: str, url: str = "https://docs.example.org/guide/page.html") -> str:
    """The page as `build` writes it: joined (alone), links resolved, anchors pruned."""
    doc = convert_html(f"<html><body><article>{html}</article></body></html>", url)
    return prune_anchors(resolve(*join([doc]))[0])


def test_section_id_and_label_span_before_the_heading_both_survive():
    md = body(
        '<section id="memory-management"><span id="cuda-memory-management"></span>'
        '<h2>Memory management<a class="headerlink" href="#memory-management">#</a></h2>'
        "<p>Text.</p>"
        '<section id="tuning-pytorch-alloc-conf"><span id="alloc-envvars"></span>'
        "<h3>Tuning PYTORCH_ALLOC_CONF</h3><p>More.</p></section></section>"
    )
    # Our anchor for the first heading is the section id: no marker repeats it.
    assert '<a id="cuda-memory-management"></a>\n## Memory management' in md
    assert '<a id="memory-management"></a>' not in md
    # The second section id differs from our slug (the underscores): kept, with its label.
    assert (
        '<a id="tuning-pytorch-alloc-conf"></a>\n<a id="alloc-envvars"></a>\n'
        "### Tuning PYTORCH_ALLOC_CONF" in md
    )
    assert {"memory-management", "cuda-memory-management", "alloc-envvars"} <= anchor_set(md)


def test_old_sphinx_div_sections_and_labels_outside_them():
    md = body(
        '<span id="label-before"></span><div class="section" id="old-style">'
        "<h2>Old style</h2><p>Text.</p></div>"
    )
    assert '<a id="label-before"></a>\n## Old style' in md  # old-style == our slug: dropped
    assert "old-style" in anchor_set(md)


def test_api_entries_keep_their_dt_ids():
    md = body(
        '<dl class="py function"><dt class="sig sig-object py" id="torch.distributed.spin">'
        '<span class="sig-prename">torch.distributed.</span><span class="sig-name">spin</span>'
        '(<em>group</em>)<a class="headerlink" href="#torch.distributed.spin">¶</a></dt>'
        "<dd><p>Spins.</p></dd></dl>"
        '<dl class="c enum"><dt id="c.demoResult_t"><span class="k">enum</span>'
        '<span class="w"> </span><span class="n">demoResult_t</span></dt><dd><p>Codes.</p></dd></dl>'
    )
    assert '<a id="torch.distributed.spin"></a>**torch.distributed.spin(*group*)**' in md
    assert '<a id="c.demoResult_t"></a>**enum demoResult_t**' in md
    assert "¶" not in md


def test_name_anchors_and_heading_anchor_links():
    md = body(
        '<p><a class="Link" name="intro"> </a></p><h2><a href="#intro" name="intro">Intro</a></h2>'
        '<p><a name="intro__list"> </a> Lists follow.</p>'
    )
    assert md.count('id="intro"') == 0  # == the heading's own anchor
    assert '<a id="intro__list"></a>Lists follow.' in md
    assert [h.text for h in headings(md)] == ["Untitled page", "Intro"]


def test_machine_ids_dropped_linked_ids_kept():
    md = body(
        '<h1>Notes</h1><span id="7775701e-f943-47d6-a6cc-d3455a92b037"></span>'
        '<p>A claim.<sup id="fnref-1"><a href="#fn-1">1</a></sup></p>'
        '<p id="not-linked">No link points here.</p>'
        '<ol><li id="fn-1"><p>The note. <a href="#fnref-1">back</a></p></li></ol>'
    )
    assert "7775701e" not in md
    assert 'id="not-linked"' not in md
    assert '<a id="fnref-1"></a>[1](#fn-1)' in md
    assert '1. <a id="fn-1"></a>The note. [back](#fnref-1)' in md


def test_heading_and_permalink_id_kept_once():
    md = body('<h2 id="x-y">Something else<a class="headerlink" href="#x-y" id="x-y">#</a></h2>')
    assert md.count('<a id="x-y"></a>') == 1
