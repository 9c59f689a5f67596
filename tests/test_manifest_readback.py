"""A manifest save never writes a file that does not read back as what it meant to store
(`extract.manifest_readback` and `Manifest._check_reads_back`).

The fast check (libyaml's parser under ruamel.yaml's own composer and constructor)
may only ever say yes where the slow reading (the loader `Manifest` reads files
with) reads the same data: checked on manifests full of awkward strings, saved and
read again, and on thousands of broken variants of their text. A save whose dump
would read back differently, or not at all, or breaks a rule, is refused with
nothing written, whichever of the two checks judges it.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from extract import manifest as manifest_mod
from extract import manifest_readback, yaml_limits
from extract.errors import RefsError
from extract.manifest import Manifest, new_yaml, plain

BASE = """\
# A manifest written by hand for these tests.
resources:
  # first entry
  - id: alpha
    title: "Alpha: a paper"   # trailing comment
    urls:
      - https://example.org/alpha
    type: paper
    topics: [1, 2]
    priority: high
    status: pending
    local_paths: []
    notes: ''
  - id: beta
    title: Beta
    urls: [https://example.org/beta?x=1&y=2]
    type: blog
    topics: [meta]
    priority: low
    status: fetched
    local_paths:
      - sources/beta/raw/page.html
    notes: |
      Two lines
      of notes.
reading_order:
  - step: 1
    title: Start here
    ids: [alpha, beta]  # both
"""

# Strings a person or a fetched page puts in a title or notes, chosen to stress a YAML
# emitter: quotes, colons, comment and indicator characters, things that read as other
# types when plain, line breaks of every kind, unicode beyond the BMP, controls.
AWKWARD = [
    "",
    " ",
    "  leading and trailing  ",
    "it's",
    'say "hi"',
    "'single' and \"double\"",
    "key: value",
    "a:b",
    "ends with colon:",
    "# not a comment",
    "text # with hash",
    "- a dash",
    "-",
    "? question",
    "[bracket",
    "{brace}",
    "& anchor",
    "*alias",
    "!tag",
    "%percent",
    "@at",
    "`backtick`",
    "| pipe",
    "> gt",
    "---",
    "...",
    "--- not a document",
    "true",
    "yes",
    "null",
    "~",
    "1",
    "0o17",
    "0x1F",
    "1_000",
    "1e3",
    ".inf",
    "2024-01-02",
    "2024-01-02 10:20:30",
    "Ünïcödé — “curly” ‘quotes’ …",
    "数学 ∑ 𝔼[x] 🚀",
    "line one\nline two",
    "trailing newline\n",
    "\n\nleading newlines",
    "two\n\nparagraphs\n",
    "spaces at line end   \nnext",
    "tab\there",
    "carriage\r\nreturn",
    "nel\x85here",
    "line\u2028separator",
    "para\u2029separator",
    "bom\ufeffinside",
    "bell\x07char",
    "escape \\ backslash \\n not a newline",
    "a" * 300,
    "x: y\n- z\n# w",
    "\u00a0non-breaking\u00a0",
]


def _manifest(tmp_path: Path, text: str = BASE) -> Manifest:
    path = tmp_path / "refs" / "manifest.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return Manifest(path)


def _slow(text: str):
    """The text as `Manifest` reads a file (data only), or the exception it raises."""
    try:
        return yaml_limits.load_round_trip(new_yaml(), text)
    except Exception as exc:  # noqa: BLE001 - any refusal counts as "does not read"
        return exc


@pytest.mark.parametrize("value", AWKWARD, ids=range(len(AWKWARD)))
def test_awkward_strings_save_and_read_back_the_same(tmp_path, value):
    m = _manifest(tmp_path)
    m.set_fields("alpha", title=f"T {value}", notes=value)
    m.set_fields("beta", title=value.strip() or "untitled", local_paths=[f"sources/b/{value}"])
    m.save()
    text = m.path.read_text(encoding="utf-8")
    again = Manifest(m.path)
    assert manifest_readback.same(again.document, m.document)
    assert again.resources["alpha"].notes == value
    assert again.resources["beta"].local_paths == [f"sources/b/{value}"]
    # the person's comments survive
    for comment in ("# A manifest written by hand", "# first entry", "# trailing comment"):
        assert comment in text
    # the fast check agrees with the slow reading on this text
    fast = manifest_readback.load_fast(text, new_yaml())
    assert fast is None or manifest_readback.same(fast, again.document)


@pytest.mark.parametrize(
    ("saves", "seed"),
    [(40, 11), pytest.param(150, 7, marks=pytest.mark.slow)],
    ids=["quick", "stress"],
)
def test_random_strings_in_every_field_kind_read_back_the_same(tmp_path, saves, seed):
    """ruamel.yaml's emitter wrote NEL raw in single quotes (read back as a space); a
    property over random strings of YAML's indicator, quote, space and break characters
    catches any such string, in values, list items and the notes (40 saves in a plain
    `pytest`, 150 others in the slow pass)."""
    rng = random.Random(seed)
    alphabet = list("ab :#-'\"\n \\{}[],&*!|>%@`?~.0") + [
        "\x85",
        "\u2028",
        "\u2029",
        "\t",
        "\r",
        "\x07",
        "\ufeff",
        "\xa0",
        "é",
        "🚀",
        "\x1b",
    ]
    m = _manifest(tmp_path)
    for _ in range(saves):
        values = [
            "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 10))) for _ in range(3)
        ]
        m.set_fields("alpha", notes=values[0], local_paths=[f"sources/a/{values[1]}"])
        m.set_fields("beta", title=values[2] if values[2].strip() else "t")
        m.save()
        again = Manifest(m.path)
        assert manifest_readback.same(again.document, m.document), values
        assert again.resources["alpha"].notes == values[0]
        m = again


def test_fast_check_answers_for_plain_text_and_not_for_what_the_parsers_may_read_apart():
    plain_text = BASE.replace("Beta", "Beta ü 🚀")
    assert manifest_readback.load_fast(plain_text, new_yaml()) is not None
    for odd in ("\t", "\r", "\x85", "\u2028", "\u2029", "\ufeff", "\x07"):
        text = BASE.replace("Two lines", f"Two{odd}lines")
        assert manifest_readback.load_fast(text, new_yaml()) is None, repr(odd)
    for special in ("%YAML 1.1\n---\n", "%TAG !e! tag:example.org,2024:\n---\n"):
        assert manifest_readback.load_fast(special + BASE, new_yaml()) is None
    assert (
        manifest_readback.load_fast(BASE.replace("title: Beta", "title: !!str Beta"), new_yaml())
        is None
    )
    assert manifest_readback.load_fast("a: [b\n", new_yaml()) is None  # does not parse


def _mutations(text: str, rng: random.Random, count: int) -> list[str]:
    pieces = [
        '"',
        "'",
        ":",
        ": ",
        "#",
        " #",
        "- ",
        "\n",
        "  ",
        "\n  ",
        "&a ",
        "*a",
        "!",
        "{",
        "]",
        "|",
        ">",
        "? ",
        "---\n",
        "%",
        "\\",
        "0",
        "~",
        "\t",
        "\u2028",
    ]
    out = []
    for _ in range(count):
        chars = list(text)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(chars))
            op = rng.random()
            if op < 0.35:
                del chars[at]
            elif op < 0.85:
                chars.insert(at, rng.choice(pieces))
            else:  # duplicate a whole line (duplicate keys, repeated entries)
                start = "".join(chars).rfind("\n", 0, at) + 1
                end = "".join(chars).find("\n", at)
                line = "".join(chars)[start : end + 1 if end >= 0 else None]
                chars.insert(start, line)
        out.append("".join(chars))
    return out


@pytest.mark.parametrize(
    ("per_text", "seed"),
    [(6, 7), pytest.param(30, 20261207, marks=pytest.mark.slow)],
    ids=["quick", "stress"],
)
def test_fast_check_never_says_yes_where_the_slow_reading_differs(per_text, seed):
    """Differential: on saved awkward manifests and broken variants of them, whenever
    the fast check reads a text, the slow reading reads the very same data. A plain
    `pytest` tries 6 variants of each text; the slow pass (CI) 30 others."""
    rng = random.Random(seed)
    texts = [BASE]
    for value in AWKWARD:
        m = Manifest.from_bytes(Path("refs/manifest.yaml"), BASE.encode())
        m.set_fields("alpha", title=f"T {value}", notes=value, urls=[f"https://e.org/{value[:8]}"])
        texts.append(m.dumps())
    answered = differed = 0
    for text in texts:
        for variant in [text, *_mutations(text, rng, per_text)]:
            fast = manifest_readback.load_fast(variant, new_yaml())
            if fast is None:
                continue
            answered += 1
            slow = _slow(variant)
            assert not isinstance(slow, Exception), (variant, slow)
            assert manifest_readback.same(fast, slow), variant
            differed += plain(slow) != plain(yaml_limits.load_round_trip(new_yaml(), text))
    # the variants exercise the check: most are judged, many read as other data
    assert answered > len(texts) * per_text / 3 and differed > answered / 4, (answered, differed)


def test_same_tells_kinds_and_order_apart():
    same = manifest_readback.same
    assert same({"a": [1, "x", None, True]}, {"a": [1, "x", None, True]})
    assert not same(1, True) and not same(1, 1.0) and not same("1", 1) and not same(None, "")
    assert not same({"a": 1, "b": 2}, {"b": 2, "a": 1})
    assert not same([1, 2], [1, 2, 3]) and not same({"a": 1}, {"a": 1, "b": 1})
    assert not same([1], (1,)) and not same({"a": 1}, [("a", 1)])


def _broken_dump(monkeypatch, change):
    real = Manifest.dumps
    monkeypatch.setattr(Manifest, "dumps", lambda self: change(real(self)))


@pytest.mark.parametrize(
    "change, says",
    [
        # reads back with other data: a quoted number loses its quotes (in a key the
        # rules do not judge, so only the read-back check can see it)
        (lambda t: t.replace("edition: '2024'", "edition: 2024"), "would not read back"),
        # reads back with other data: a field silently dropped
        (lambda t: t.replace("    priority: low\n", "", 1), "missing required field"),
        # reads back with another value
        (lambda t: t.replace("status: fetched", "status: pending"), "would not read back"),
        # does not parse at all
        (lambda t: t.replace("edition: '2024'", "edition: '2024"), "does not parse"),
        # a key twice
        (
            lambda t: t.replace("    type: blog\n", "    type: blog\n    type: blog\n"),
            "does not parse",
        ),
    ],
)
def test_a_dump_that_would_not_read_back_the_same_is_refused_with_nothing_written(
    tmp_path, monkeypatch, change, says
):
    m = _manifest(tmp_path)
    before = m.path.read_bytes()
    m.set_fields("beta", title="2025")
    m.document["edition"] = "2024"
    _broken_dump(monkeypatch, change)
    with pytest.raises(RefsError) as err:
        m.save()
    assert says in err.value.message
    assert m.path.read_bytes() == before


def test_a_document_breaking_a_rule_is_refused_with_nothing_written(tmp_path):
    m = _manifest(tmp_path)
    before = m.path.read_bytes()
    m.entry("alpha")["status"] = "finished"
    with pytest.raises(RefsError) as err:
        m.save()
    assert "`finished` is not one of" in err.value.message and err.value.line
    assert m.path.read_bytes() == before


def test_a_plain_save_is_checked_fast_and_an_odd_one_the_slow_way(tmp_path, monkeypatch):
    calls = []
    real = Manifest.from_bytes.__func__

    def counted(cls, path, raw):
        calls.append(raw)
        return real(cls, path, raw)

    monkeypatch.setattr(Manifest, "from_bytes", classmethod(counted))
    m = _manifest(tmp_path)
    m.set_fields("alpha", status="fetched")
    m.save()
    assert calls == []  # judged by the fast check alone
    # a tab the person typed in a comment stays in the text: read the slow way
    m.path.write_text(BASE.replace("# first entry", "#\tfirst entry"), encoding="utf-8")
    m = Manifest(m.path)
    m.set_fields("alpha", notes="a\ttab")
    m.save()
    assert len(calls) == 1
    assert "#\tfirst entry" in m.path.read_text(encoding="utf-8")
    assert manifest_mod.Manifest(m.path).resources["alpha"].notes == "a\ttab"
