"""`refs mcp` over the real protocol: the command runs as a subprocess and the MCP
SDK's own client talks to it on stdio (no mocks). Each tool's result is compared
with what the CLI prints with `--json` on the same fixture library."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest
from json_shapes import ANCHORS, CITE, CITE_TARGET, SEARCH, SHOW, assert_shape

# The SDK is imported by the tests that talk to the server, not when the module is
# collected: every xdist worker collects every module, and the SDK is 0.5 s of imports.
pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("mcp") is None, reason="the `mcp` extra is not installed"
)

TOOLS = {"search", "show", "anchors", "cite", "related", "check"}


class Session:
    """A `refs mcp` subprocess and an SDK client connected to it, driven from sync tests."""

    def __init__(self, portal, client):
        self.portal, self.client = portal, client

    def call(self, tool: str, **arguments):
        return self.portal.call(self.client.call_tool, tool, arguments)

    def result(self, tool: str, **arguments) -> dict:
        res = self.call(tool, **arguments)
        assert not res.is_error, res.content[0].text
        # The text content is the same JSON, for clients that read only text.
        assert json.loads(res.content[0].text) == res.structured_content
        return res.structured_content

    def read(self, uri: str) -> str:
        return self.portal.call(self.client.read_resource, uri).contents[0].text

    def __getattr__(self, name):  # list_tools, list_resources, ... as plain calls
        method = getattr(self.client, name)
        return lambda *a: self.portal.call(method, *a)


@contextmanager
def refs_mcp(root):
    from anyio.from_thread import start_blocking_portal
    from mcp import Client, StdioServerParameters

    params = StdioServerParameters(
        command=sys.executable, args=["-m", "extract.cli", "--root", str(root), "mcp"]
    )
    with start_blocking_portal() as portal:
        with portal.wrap_async_context_manager(Client(params)) as client:
            yield Session(portal, client)


@pytest.fixture(scope="module")
def root(make_library):
    return make_library("agent")


@pytest.fixture(scope="module")
def server(root):
    with refs_mcp(root) as session:
        yield session


@pytest.fixture
def cli_json(run_refs, root):
    def run(*args: str) -> dict:
        _, out, err = run_refs(root, *args, "--json")
        assert out, err
        return json.loads(out)

    return run


def test_the_six_tools_are_listed_typed_read_only_and_say_when_to_use_them(server):
    tools = {t.name: t for t in server.list_tools().tools}
    assert set(tools) == TOOLS
    for t in tools.values():
        assert t.description.startswith("Use this"), t.name
        assert t.annotations.read_only_hint is True
        assert t.input_schema["type"] == "object"
    props = {name: t.input_schema["properties"] for name, t in tools.items()}
    assert set(props["search"]) == {"query", "kind", "id", "limit"}
    assert props["search"]["query"]["type"] == "string"
    assert props["search"]["limit"]["type"] == "integer"
    assert tools["search"].input_schema["required"] == ["query"]
    assert set(props["cite"]) == {"id", "claim", "target", "subsections"}
    assert tools["show"].input_schema["required"] == ["id"]
    assert set(props["check"]) == {"id", "errors_only"}


def test_cards_and_passages_are_resources(server):
    templates = {t.uri_template for t in server.list_resource_templates().resource_templates}
    assert templates == {"refs://card/{id}", "refs://passage/{id}/{anchor}"}
    listed = {r.uri: r for r in server.list_resources().resources}
    assert set(listed) == {
        "refs://card/alpha-pipeline",
        "refs://card/beta-scheduler",
        "refs://card/eps-malformed",
    }
    assert listed["refs://card/alpha-pipeline"].title == "Alpha Pipeline Paper"


@pytest.mark.parametrize(
    ("tool", "arguments", "cli", "shape"),
    [
        ("search", {"query": "bubble fraction"}, ["search", "bubble", "fraction"], SEARCH),
        (
            "search",
            {"query": "stage", "kind": ["source", "card"], "id": "alpha-pipeline", "limit": 3},
            ["search", "stage", "--kind", "source", "--kind", "card", "--id", "alpha-pipeline"]
            + ["--limit", "3"],
            SEARCH,
        ),
        ("search", {"query": "stage", "kind": "card"}, ["search", "stage", "--kind", "card"], None),
        ("show", {"id": "alpha-pipeline"}, ["show", "alpha-pipeline"], SHOW),
        ("show", {"id": "delta-notes"}, ["show", "delta-notes"], SHOW),
        ("anchors", {"id": "alpha-pipeline"}, ["show", "alpha-pipeline", "--anchors"], ANCHORS),
        ("cite", {"id": "alpha-pipeline"}, ["cite", "alpha-pipeline"], CITE),
        ("cite", {"id": "alpha-pipeline", "claim": 2}, ["cite", "alpha-pipeline", "2"], CITE),
        (
            "cite",
            {"id": "alpha-pipeline", "claim": 1, "subsections": True},
            ["cite", "alpha-pipeline", "1", "--subsections"],
            CITE,
        ),
        ("cite", {"id": "beta-scheduler"}, ["cite", "beta-scheduler"], CITE),  # a broken one
        (
            "cite",
            {"target": "sources/alpha-pipeline/full.md#eq-bubble"},
            ["cite", "sources/alpha-pipeline/full.md#eq-bubble"],
            CITE_TARGET,
        ),
        ("cite", {"target": "alpha-pipeline#nope"}, ["cite", "alpha-pipeline#nope"], CITE_TARGET),
        ("related", {"id": "alpha-pipeline"}, ["search", "--related", "alpha-pipeline"], None),
        (
            "related",
            {"id": "beta-scheduler", "limit": 2},
            ["search", "--related", "beta-scheduler", "--limit", "2"],
            None,
        ),
        ("check", {}, ["check"], None),
        ("check", {"id": "beta-scheduler"}, ["check", "beta-scheduler"], None),
        ("check", {"errors_only": True}, ["check", "--errors-only"], None),
    ],
)
def test_each_tool_answers_what_the_cli_prints_with_json(
    server, cli_json, tool, arguments, cli, shape
):
    got = server.result(tool, **arguments)
    assert got == cli_json(*cli)
    if shape is not None:
        assert_shape(got, shape)


def test_the_json_holds_what_a_reader_needs(server):
    # Spot checks that the comparison above compares something.
    assert server.result("check")["errors"] > 0
    claim = server.result("cite", id="alpha-pipeline", claim=2)["claims"][0]
    assert claim["number"] == 2
    assert all(c["resolves"] and c["passage"]["text"] for c in claim["citations"])
    hits = server.result("search", query="bubble fraction")["hits"]
    assert hits and hits[0]["target"].startswith(("sources/", "refs/"))
    one = server.result("check", id="beta-scheduler")["findings"]
    assert one and {f["rid"] for f in one} == {"beta-scheduler"}


def test_a_passage_and_a_card_are_read_as_resources(server, cli_json, root):
    text = server.read("refs://passage/alpha-pipeline/eq-bubble")
    passage = cli_json("cite", "alpha-pipeline#eq-bubble")["passage"]["text"]
    assert text == passage
    assert "bubble fraction" in text
    card = (root / "refs/resources/alpha-pipeline.md").read_text(encoding="utf-8")
    assert server.read("refs://card/alpha-pipeline") == card


def test_a_bad_id_or_target_is_one_clear_error(server, run_refs, root):
    from mcp.shared.exceptions import MCPError

    for tool, arguments, cli in [
        ("show", {"id": "nope"}, ["show", "nope"]),
        ("anchors", {"id": "delta-notes"}, ["show", "delta-notes", "--anchors"]),
        ("cite", {"id": "alpha-pipeline", "claim": 9}, ["cite", "alpha-pipeline", "9"]),
        ("cite", {"target": "zzz#"}, ["cite", "zzz#"]),
        ("related", {"id": "nope"}, ["search", "--related", "nope"]),
        ("check", {"id": "nope"}, ["check", "nope"]),
        ("search", {"query": "the of"}, ["search", "the", "of"]),
        ("search", {"query": "stage", "id": "nope"}, ["search", "stage", "--id", "nope"]),
    ]:
        res = server.call(tool, **arguments)
        code, _, err = run_refs(root, *cli, "--json")
        assert code != 0
        message = err.strip().splitlines()[-1].removeprefix("refs: ")
        assert res.is_error, (tool, arguments)
        assert len(res.content) == 1
        text = res.content[0].text
        assert text.endswith(message), (text, message)  # the CLI's file:line message
        assert "Traceback" not in text and "\n" not in text
    res = server.call("cite", id="alpha-pipeline", target="alpha-pipeline#eq-bubble")
    assert res.is_error and "give either `id`" in res.content[0].text
    res = server.call("search", query="stage", limit=0)
    assert res.is_error and "limit" in res.content[0].text
    assert "Traceback" not in res.content[0].text
    for uri, expected in [
        ("refs://passage/alpha-pipeline/nope", "anchor `#nope` is not a heading"),
        ("refs://card/nope", "unknown resource id `nope`"),
        ("refs://card/delta-notes", "`delta-notes` has no card yet"),
    ]:
        with pytest.raises(MCPError) as caught:
            server.read(uri)
        assert caught.value.error.code == -32602
        assert expected in caught.value.error.message
        assert "Traceback" not in caught.value.error.message
    # The server is still there after every error.
    assert server.result("show", id="alpha-pipeline")["id"] == "alpha-pipeline"


def test_an_edit_to_the_library_is_seen_by_the_next_call(make_library):
    root = make_library("agent")
    card = root / "refs/resources/alpha-pipeline.md"
    manifest = root / "refs/manifest.yaml"
    with refs_mcp(root) as server:
        before = server.result("show", id="alpha-pipeline")
        assert not server.result("search", query="zanzibarite")["hits"]
        text = card.read_text(encoding="utf-8")
        old = before["card"]["claims"][0]["text"]
        card.write_text(text.replace(old, "Zanzibarite stages balance the load."), "utf-8")
        after = server.result("show", id="alpha-pipeline")
        assert after["card"]["claims"][0]["text"] == "Zanzibarite stages balance the load."
        hits = server.result("search", query="zanzibarite")["hits"]
        assert [h["path"] for h in hits] == ["refs/resources/alpha-pipeline.md"]
        assert "Zanzibarite" in server.read("refs://card/alpha-pipeline")
        # The manifest is held parsed between calls: an edit to it is seen too.
        manifest.write_text(
            manifest.read_text(encoding="utf-8").replace(
                "title: Alpha Pipeline Paper", "title: Alpha Pipeline Paper, Revised"
            ),
            "utf-8",
        )
        assert server.result("show", id="alpha-pipeline")["title"] == (
            "Alpha Pipeline Paper, Revised"
        )
        # A card written while the server runs is listed and read.
        (root / "refs/resources/gamma-kernels.md").write_text(
            card.read_text(encoding="utf-8").replace("alpha-pipeline", "gamma-kernels"), "utf-8"
        )
        uris = {r.uri for r in server.list_resources().resources}
        assert "refs://card/gamma-kernels" in uris
        assert server.result("show", id="gamma-kernels")["card"] is not None


def test_without_the_sdk_refs_mcp_names_the_extra_to_install(root):
    # `None` in sys.modules is how Python spells "this package is not installed".
    code = "import sys; sys.modules['mcp'] = None; from extract.cli import main; "
    code += f"sys.exit(main(['--root', {str(root)!r}, 'mcp']))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stdout == ""
    assert "pip install 'dit-refs[mcp]'" in done.stderr
    assert "Traceback" not in done.stderr


def age(root, seconds: float = 3600.0) -> None:
    """Date every file and folder of the library ``seconds`` back, so the server keeps
    the findings that depend on them (it keeps none of a file edited in the last
    seconds: check_cache.RACY_NS)."""
    then = time.time() - seconds
    for path in [root, *root.rglob("*")]:
        os.utime(path, (then, then))


def test_the_whole_library_check_sees_every_edit(make_library, run_refs):
    """`check` keeps findings per resource between calls (check_cache.py); after an edit
    to a card, a full.md (the resource's own, or one a card cites) or the manifest, the
    next call finds what `refs check --json` finds, a finding appearing or going."""
    root = make_library("agent")
    age(root)
    edits = iter(range(100))

    def edit(rel: str, old: str, new: str) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new), "utf-8")
        # An older, distinct time: the kept findings are reused unless the stat shows it.
        then = time.time() - 3000 + next(edits)
        os.utime(path, (then, then))

    def findings(server) -> set[tuple[str, str, int]]:
        got = server.result("check")
        _, out, err = run_refs(root, "check", "--json")
        assert got == json.loads(out), err
        return {(f["rule"], f["path"], f["line"]) for f in got["findings"]}

    beta_card, alpha_card = "refs/resources/beta-scheduler.md", "refs/resources/alpha-pipeline.md"
    trade_offs = ("citation", beta_card, 20)
    with refs_mcp(root) as server:
        assert trade_offs in findings(server)
        assert trade_offs in findings(server)  # warm: from the kept findings
        # A card: the citation fixed, then broken again.
        edit(beta_card, "#trade-offs", "#takeaways")
        assert trade_offs not in findings(server)
        edit(beta_card, "#takeaways", "#trade-offs")
        assert trade_offs in findings(server)
        # The resource's own full.md: the heading the card cites appears, then goes.
        edit("sources/beta-scheduler/full.md", "## Takeaways", "## Trade-offs")
        assert trade_offs not in findings(server)
        edit("sources/beta-scheduler/full.md", "## Trade-offs", "## Takeaways")
        assert trade_offs in findings(server)
        # Another resource's full.md that a card cites.
        edit(
            alpha_card,
            "confirmed in sources/alpha-pipeline/full.md#results-1",
            "confirmed in sources/alpha-pipeline/full.md#results-1 and "
            "sources/gamma-kernels/full.md#tiling-knobs",
        )
        tiling = {f for f in findings(server) if f[:2] == ("citation", alpha_card)}
        assert not tiling
        edit("sources/gamma-kernels/full.md", "## Tiling knobs", "## Tile knobs")
        tiling = {f for f in findings(server) if f[:2] == ("citation", alpha_card)}
        assert len(tiling) == 1
        edit("sources/gamma-kernels/full.md", "## Tile knobs", "## Tiling knobs")
        assert not {f for f in findings(server) if f[:2] == ("citation", alpha_card)}
        # The manifest: the card's Type row no longer matches, then matches again.
        manifest = "refs/manifest.yaml"
        alpha_url = "[https://example.org/alpha-pipeline]\n"
        edit(manifest, alpha_url + "    type: paper", alpha_url + "    type: blog")
        assert ("card-fields", alpha_card, 6) in findings(server)
        edit(manifest, alpha_url + "    type: blog", alpha_url + "    type: paper")
        assert not {f for f in findings(server) if f[:2] == ("card-fields", alpha_card)}
        # A file removed, then written back (a folder's listing is watched too).
        full = root / "sources/beta-scheduler/full.md"
        text = full.read_text(encoding="utf-8")
        full.unlink()
        assert "status-disk" in {f[0] for f in findings(server)}
        full.write_text(text, "utf-8")
        assert not {f for f in findings(server) if f[0] == "status-disk"}
