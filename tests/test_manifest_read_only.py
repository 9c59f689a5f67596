"""A manifest read for reading only (`Manifest(path, read_only=True)`, what a site build
opens): libyaml's parser where it reads the same, the round-trip read elsewhere.

Both readings must give the very same records (ids, fields, lines) and, on a broken
file, the very same `file:line: what to do` message: checked on awkward manifests and
on broken variants of them, the fuzz of `test_manifest_readback`. A manifest read this
way has no comments, so it can never be written back.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from test_manifest_readback import AWKWARD, BASE, _mutations

from extract.errors import RefsError
from extract.library import Library
from extract.manifest import Manifest

PATH = Path("refs/manifest.yaml")


def _read(raw: bytes, read_only: bool):
    """(resources, reading order) of ``raw`` or the message and line it is refused with."""
    try:
        m = Manifest.from_bytes(PATH, raw, read_only=read_only)
    except RefsError as exc:
        return ("refused", str(exc), exc.line)
    except Exception as exc:  # noqa: BLE001 - whatever the round-trip read raises, both raise
        return ("raised", type(exc), str(exc))
    return (list(m.resources.values()), m.reading_order)


def _texts() -> list[str]:
    texts = [BASE]
    for value in AWKWARD:
        m = Manifest.from_bytes(PATH, BASE.encode())
        m.set_fields("alpha", title=f"T {value}", notes=value, urls=[f"https://e.org/{value[:8]}"])
        texts.append(m.dumps())
    return texts


@pytest.mark.parametrize(
    ("per_text", "seed"),
    [(6, 3), pytest.param(30, 20261208, marks=pytest.mark.slow)],
    ids=["quick", "stress"],
)
def test_read_only_reads_the_same_records_and_refuses_with_the_same_message(per_text, seed):
    """Differential: every variant gives equal records (lines included) or the same
    refusal either way. A plain `pytest` tries 6 variants per text, the slow pass 30."""
    rng = random.Random(seed)
    fast_reads = refused = 0
    for text in _texts():
        for variant in [text, *_mutations(text, rng, per_text)]:
            raw = variant.encode("utf-8", "surrogatepass")
            slow, fast = _read(raw, False), _read(raw, True)
            assert fast == slow, variant
            refused += slow[0] == "refused"
            if fast[0] not in ("refused", "raised"):
                fast_reads += Manifest.from_bytes(PATH, raw, read_only=True)._doc is None
    # the variants exercise both readings and the refusals
    assert fast_reads > 50 and refused > 20, (fast_reads, refused)


def test_lines_of_entries_and_steps_are_the_round_trip_reads():
    m = Manifest.from_bytes(PATH, BASE.encode(), read_only=True)
    assert m._doc is None  # read fast
    assert [r.line for r in m.resources.values()] == [4, 14]
    assert [s.line for s in m.reading_order] == [27]


@pytest.mark.parametrize("odd", ["\t", "\x85", "\u2028", "\r\n"])
def test_text_the_fast_reading_does_not_judge_is_read_the_round_trip_way(odd):
    text = BASE.replace("Alpha: a paper", f"Alpha:{odd}a paper")
    m = Manifest.from_bytes(PATH, text.encode(), read_only=True)
    assert m._doc is not None  # handed to the round-trip read
    assert _read(text.encode(), True) == _read(text.encode(), False)


def test_a_broken_manifest_is_refused_with_file_and_line_by_the_round_trip_read():
    text = BASE.replace("priority: low", "priority: urgent")
    with pytest.raises(RefsError) as fast:
        Manifest.from_bytes(PATH, text.encode(), read_only=True)
    with pytest.raises(RefsError) as slow:
        Manifest.from_bytes(PATH, text.encode())
    assert str(fast.value) == str(slow.value)
    assert str(fast.value).startswith("refs/manifest.yaml:19: resource `beta` field `priority`")


def test_a_manifest_read_for_reading_only_is_never_written(tmp_path):
    (tmp_path / "refs").mkdir()
    path = tmp_path / "refs" / "manifest.yaml"
    path.write_text(BASE, encoding="utf-8")
    lib = Library(tmp_path, read_only=True)
    assert lib.resource("beta").status == "fetched"
    with pytest.raises(RuntimeError, match="read for reading only"):
        lib.manifest.set_fields("beta", status="converted")
    with pytest.raises(RuntimeError, match="read for reading only"):
        lib.manifest.save()
    assert path.read_text(encoding="utf-8") == BASE  # comments and all
    assert Library(tmp_path).manifest.document is not None  # a command's reading keeps them


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("resources:\n  - ? {local_paths: [x]}\n    : y\n", 2),
        ("resources: []\nx: 1\n? [a, [b]]\n: c\n", 3),
        ("resources: []\n? - a\n  - [b]\n: c\n", 2),
    ],
)
def test_a_key_holding_a_list_is_refused_with_its_line_either_way(text, line):
    """ruamel.yaml raises a bare TypeError on such a key (it hashes keys): the message
    names the line, read for reading only or not."""
    for read_only in (False, True):
        with pytest.raises(RefsError) as refused:
            Manifest.from_bytes(PATH, text.encode(), read_only=read_only)
        assert refused.value.line == line
        assert "a mapping key is a list or mapping that holds a list" in str(refused.value)
