"""URL -> targets and artifact names, for the URL shapes the catalog holds."""

from __future__ import annotations

from extract.fetch.dispatch import Endpoints, classify, plan
from extract.fetch.pages import subpage_name, toc_links

EP = Endpoints()


def kinds(urls, ep=EP):
    return [(t.kind, t.name) for t in plan(urls, ep)]


def test_classify_the_catalog_shapes():
    assert classify("https://arxiv.org/abs/2401.10241", EP) == ("arxiv", {"id": "2401.10241"})
    assert classify("https://arxiv.org/pdf/2212.09748v2.pdf", EP) == (
        "arxiv",
        {"id": "2212.09748v2"},
    )
    assert classify("https://arxiv.org/abs/hep-th/9901001", EP)[1] == {"id": "hep-th/9901001"}
    assert classify("https://arxiv.org/list/cs.LG/recent", EP)[0] == "page"
    kind, p = classify("https://github.com/pytorch/pytorch/issues/115388", EP)
    assert kind == "issue" and (p["owner"], p["repo"], p["number"]) == (
        "pytorch",
        "pytorch",
        115388,
    )
    assert classify("https://github.com/o/r/pull/12", EP)[1]["number"] == 12
    kind, p = classify("https://github.com/NVIDIA/Megatron-LM/blob/main/megatron/core/x.py", EP)
    assert kind == "repo" and (p["mode"], p["ref"], p["path"]) == (
        "blob",
        "main",
        "megatron/core/x.py",
    )
    assert classify("https://github.com/gpu-mode/lectures", EP)[1]["mode"] == "repo"
    assert classify("https://github.com/o/r/tree/v1.0", EP)[1] == {
        "mode": "tree",
        "owner": "o",
        "repo": "r",
        "ref": "v1.0",
        "path": "",
    }
    assert classify("https://github.com/o/r/wiki/Page", EP)[0] == "page"
    assert classify("https://streamdiffusionv2.github.io/", EP)[0] == "page"
    assert classify("https://docs.pytorch.org/assets/pytorch2-2.pdf", EP)[0] == "pdf"
    assert classify("https://docs.pytorch.org/docs/stable/notes/cuda.html", EP)[0] == "page"


def test_arxiv_urls_on_a_configured_mirror_are_recognised():
    ep = Endpoints.from_env({"REFS_ARXIV_URL": "http://127.0.0.1:8000/mirror/"})
    assert ep.arxiv == "http://127.0.0.1:8000/mirror"
    assert classify("http://127.0.0.1:8000/mirror/abs/2401.10241", ep) == (
        "arxiv",
        {"id": "2401.10241"},
    )
    assert classify("http://127.0.0.1:8000/other/abs/2401.10241", ep)[0] == "page"
    assert Endpoints.from_env({}) == Endpoints()


def test_names_never_collide_within_a_resource():
    assert kinds(
        [
            "https://docs.nvidia.com/nccl/docs/index.html",
            "https://docs.nvidia.com/nccl/docs/env.html",
            "https://example.org/a/env",
            "https://example.org/page.html",
        ]
    ) == [
        ("page", "page.html"),
        ("page", "env.html"),
        ("page", "env-2.html"),
        ("page", "page-2.html"),
    ]
    assert kinds(
        [
            "https://arxiv.org/abs/2511.07399",
            "https://streamdiffusionv2.github.io/",
            "https://github.com/chenfengxu714/StreamDiffusionV2",
            "https://github.com/o/other",
            "https://arxiv.org/abs/2401.10241",
            "https://example.org/x/paper.pdf",
        ]
    ) == [
        ("arxiv", ""),
        ("page", "page.html"),
        ("repo", "repo"),
        ("repo", "repo-2"),
        ("arxiv", "2401.10241-"),
        ("pdf", "paper-2.pdf"),
    ]


def test_subpage_names_stay_inside_subpages():
    assert subpage_name("usage/env.html") == "subpages/usage/env.html"
    assert subpage_name("api/") == "subpages/api/index.html"
    assert subpage_name("intro") == "subpages/intro.html"
    assert subpage_name("faq.htm") == "subpages/faq.html"
    assert subpage_name("a b/c?.html") == "subpages/a-b/c-.html"


def test_toc_links_respect_the_prefix_and_the_limit():
    html = b"""<html><body><div class="sphinxsidebar">
      <a href="one.html">1</a><a href="one.html#part">1 again</a><a href="sub/two.html">2</a>
      <a href="/elsewhere/three.html">3</a><a href="four.html">4</a><a href="index.html">self</a>
      <a href="archive.tar.gz">tarball</a></div></body></html>"""
    links = toc_links(html, "https://d.example/guide/index.html", limit=2)
    assert links == [
        ("https://d.example/guide/one.html", "subpages/one.html"),
        ("https://d.example/guide/sub/two.html", "subpages/sub/two.html"),
    ]
    assert len(toc_links(html, "https://d.example/guide/index.html", limit=10)) == 3
