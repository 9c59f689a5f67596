"""Claim support: a claim's checkable facts must appear in the passages it cites.

A card's promise is that each claim is backed by the passage it cites. Prose cannot
be checked by a machine, but the facts a reader acts on can: numbers (with their
units: `2.27`, `118.6 Gflops`, `5x`, `0.2%`, `256×256`, `O(N^2)`), names with digits
(`A100`, `DiT-XL/2`), identifiers in code spans (`NCCL_ALGO`, `torch.cuda.graphs`),
environment variables and `--flags`. Each must occur in one of the claim's cited
passages, read as a careful reader would: `4x` = `4×` = `4-fold`, `2,048` = `2048`,
`1e-3` = `0.001` = `1 × 10⁻³` = `$10^{-3}$`, `400K` = `400,000`, `0.2 %` = `0.2
percent`, a unit found beside the number or in its table column's header.

Where a claim's facts are looked for: each cited section with its subsections (a
claim citing a parent section is backed by its whole subtree), plus the tables and
figures that section refers to by number (`Table 2`) wherever the converter placed
them. Bare one-digit numbers without a unit ("3 stages" aside) are not facts: they
are too often the writer's own counting. A claim marked `(unverified)` is exempt.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.parse import unquote

from .cards import Card, Citation, Claim
from .markdown import lines_of, split_inline
from .passages import find_passage

UNVERIFIED = "(unverified)"
UNBOUNDED = 10**9  # a check reads the whole section, not the bounded view `refs cite` prints

# ---------- normalising text as a careful reader reads it ----------

_SUPER = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_SUPER_RUN = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+")
_LATEX = (
    (re.compile(r"\\(?:times|cross)\b"), "×"),
    (re.compile(r"\\cdot\b|\\cdotp\b"), "·"),
    (re.compile(r"\\(?:approx|sim|simeq)\b"), "≈"),
    (
        re.compile(r"\\(?:mathcal|mathrm|mathbf|mathit|operatorname)\s*\{\s*O\s*\}|\\mathcal\s+O"),
        "O",
    ),
    (re.compile(r"\\(?:text|textrm|mathrm|textbf|textit|mathbf|emph)\s*\{([^{}]*)\}"), r"\1"),
    (re.compile(r"\\(?:left|right|big|Big|bigg|Bigg)\b"), ""),
    (re.compile(r"\\(?:log)\b"), "log"),
    (re.compile(r"\\[,;:! ]|\\quad\b|\\qquad\b"), " "),
    (re.compile(r"\{,\}"), ","),
    (re.compile(r"\^\s*\{([^{}]*)\}"), r"^\1"),
)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # markdown's backslash escapes
_SUP_TAG = re.compile(r"<sup>(.*?)</sup>", re.I | re.S)
_TAG = re.compile(r"<[^>\n]+>")
_DASHES = str.maketrans({"−": "-", "–": "-", "—": " - ", "‐": "-", "‑": "-", "\u00a0": " "})
_SCI = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)\s*[×x·*]\s*10\s*\^\s*\(?\s*([-+]?\d+)\s*\)?(?!\d|\.\d)"
)
_POW10 = re.compile(r"(?<![\w.])10\s*\^\s*\(?\s*([-+]?\d+)\s*\)?(?!\d|\.\d)")


def normalise(text: str) -> str:
    """Text as facts are compared in: markup, LaTeX and unicode variants folded."""
    text = html.unescape(_TAG.sub(" ", _SUP_TAG.sub(lambda m: "^(" + m.group(1) + ")", text)))
    text = _SUPER_RUN.sub(lambda m: "^" + m.group(0).translate(_SUPER), text)
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    text = _ESCAPE.sub(r"\1", text)
    for pattern, repl in _LATEX:
        text = pattern.sub(repl, text)
    text = text.replace("$", " ").replace("\\%", "%")
    text = _SCI.sub(lambda m: f"{m.group(1)}e{m.group(2)}", text)
    return _POW10.sub(lambda m: f"1e{m.group(1)}", text)


# ---------- units ----------

# Canonical unit -> the spellings a careful reader takes for it (plurals are folded).
_UNIT_SPELLINGS = {
    "x": "x × times fold",
    "%": "% percent pct",
    "gpu": "gpu",
    "cpu": "cpu",
    "node": "node",
    "rank": "rank",
    "stage": "stage",
    "layer": "layer",
    "block": "block",
    "head": "head",
    "token": "token",
    "step": "step",
    "iteration": "iteration iter it",
    "epoch": "epoch",
    "image": "image",
    "frame": "frame",
    "fps": "fps",
    "microbatch": "microbatch micro-batch",
    "batch": "batch",
    "param": "param parameter",
    "bit": "bit",
    "byte": "byte",
    "kb": "kb kib kilobyte",
    "mb": "mb mib megabyte",
    "gb": "gb gib gigabyte",
    "tb": "tb tib terabyte",
    "ns": "ns nanosecond",
    "us": "us µs μs microsecond usec",
    "ms": "ms millisecond msec",
    "s": "s sec second",
    "min": "min minute",
    "h": "h hr hour",
    "day": "day",
    "flop": "flop flops",
    "gflops": "gflop gflops gigaflop gigaflops gf",
    "tflops": "tflop tflops teraflop teraflops tf",
    "pflops": "pflop pflops petaflop petaflops pf",
    "hz": "hz",
    "mhz": "mhz",
    "ghz": "ghz",
    "w": "w watt",
    "gbps": "gbps",
    "dim": "dim dimension",
    "channel": "channel",
    "core": "core",
    "thread": "thread",
    "warp": "warp",
    "sm": "sm",
    "request": "request",
    "sample": "sample",
    "chunk": "chunk",
    "query": "query queries",
    "expert": "expert",
    "device": "device",
    "worker": "worker",
    "stream": "stream",
    "kernel": "kernel",
    "op": "op operation",
}
_UNITS = {sp: canon for canon, spells in _UNIT_SPELLINGS.items() for sp in spells.split()}
_RATE = {"gb/s": "gb/s", "tb/s": "tb/s", "mb/s": "mb/s", "kb/s": "kb/s"}
_MAGNITUDE = {"k": Decimal(10) ** 3, "m": Decimal(10) ** 6, "b": Decimal(10) ** 9}
_MAGNITUDE_WORDS = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12}


def unit_of(word: str) -> str:
    """The canonical unit a word spells, or "" (plurals folded; `TB/s` = `terabytes/second`)."""
    w = word.lower().strip(".,;:()[]")
    if "/" in w:
        parts = [unit_of(p) for p in w.split("/", 1)]
        if all(parts):
            rate = {"tb": "tb", "gb": "gb", "mb": "mb", "kb": "kb"}.get(parts[0])
            if rate and parts[1] == "s":
                return f"{rate}/s"
            if parts[0].endswith("flops") or parts[0] == "flop":
                return parts[0]  # teraflops/second is teraflops
        return ""
    if w in _UNITS:
        return _UNITS[w]
    for cut in ("es", "s"):
        if w.endswith(cut) and w[: -len(cut)] in _UNITS and len(w) > len(cut) + 1:
            return _UNITS[w[: -len(cut)]]
    return ""


# ---------- tokens ----------

# A run of letters/digits joined by `.`, `,`, `/`, `-`, `_` (a joiner only between two
# word characters), or a `×`/`%`/`~` sign standing alone.
_TOKEN = re.compile(r"[^\W_](?:[^\W_]|[_.,/\-'+](?=[^\W_]))*|[×%]")
_PLAIN_NUMBER = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:e([-+]?\d+))?$", re.I)
_NUMBER_SUFFIX = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)([a-zµμ%×/]+)$", re.I)
_DIMS = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?:\s*[×x]\s*\d+(?:\.\d+)?)+(?!\w|\.\d)")
_MULT_BEFORE = re.compile(r"(?<![\w.])×\s*(\d+(?:\.\d+)?)(?![\w.])")
_BIG_O = re.compile(r"(?<![\w])O\s*\(")
_ENV = re.compile(r"(?<![\w$])\$?([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?![\w])")
_FLAG = re.compile(r"(?<![\w\-])(--[A-Za-z][\w\-]*)")


def number_value(text: str) -> Decimal | None:
    m = _PLAIN_NUMBER.match(text)
    if not m:
        return None
    try:
        return Decimal(m.group(0).replace(",", "").lower())
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class Occurrence:
    """A number in a text, with the units around it."""

    value: Decimal
    units: frozenset[str]  # canonical units written beside it (or over its table column)


@dataclass(frozen=True)
class Fact:
    """One checkable fact of a claim."""

    kind: str  # number | dims | big-o | name | code | env | flag
    shown: str  # as the claim writes it
    key: str  # normalised form compared (a number's value, a name lowercased...)
    unit: str = ""  # a number's canonical unit ("" for none)


def _big_o(text: str, start: int) -> tuple[str, int] | None:
    """The `O(...)` expression starting at ``start``, normalised, and where it ends."""
    open_at = text.index("(", start)
    depth = 0
    for i in range(open_at, min(len(text), open_at + 80)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            inner = re.sub(r"[\s{}·*]", "", text[open_at + 1 : i]).lower()
            return f"o({inner})", i + 1
    return None


def _numbers(text: str) -> list[tuple[int, int, Decimal, str]]:
    """(start, end, value, unit) of every number, units attached or beside (`end` is
    past a unit written after it), scaled by a magnitude word ("7 million")."""
    found: list[tuple[int, int, Decimal, str]] = []
    tokens = list(_TOKEN.finditer(text))
    for i, m in enumerate(tokens):
        word = m.group(0).rstrip("'")
        parts = [word]
        # a range "250x-700x", "10-20": each end is a number
        if (
            "-" in word
            and all(p[:1].isdigit() for p in word.split("-"))
            and not _PLAIN_NUMBER.match(word)
        ):
            parts = word.split("-")
        offset = m.start()
        for part in parts:
            value, unit = _read_number(part)
            if value is None:
                offset += len(part) + 1
                continue
            end = offset + len(part)
            scale = re.match(r"\s+(thousand|million|billion|trillion)\b", text[end:], re.I)
            if scale:
                value = value * Decimal(10) ** _MAGNITUDE_WORDS[scale.group(1).lower()]
            if not unit:
                unit, end = _unit_after(tokens, i, text, end)
            found.append((offset, end, value, unit))
            offset += len(part) + 1
    return found


def _read_number(word: str) -> tuple[Decimal | None, str]:
    """A token read as a number: its value and any unit glued to it (`5x`, `64GB`,
    `400K`, `8-bit`); (None, "") for anything else."""
    value = number_value(word)
    if value is not None:
        return value, ""
    m = _NUMBER_SUFFIX.match(word)
    if m:
        base = number_value(m.group(1))
        suffix = m.group(2).lower()
        if base is None:
            return None, ""
        if suffix in _MAGNITUDE:
            return base * _MAGNITUDE[suffix], ""
        unit = unit_of(suffix)
        return (base, unit) if unit else (None, "")
    m = re.match(r"^(\d+(?:\.\d+)?)-([A-Za-z]+)$", word)  # 8-bit, 4-fold, 32-layer
    if m and unit_of(m.group(2)):
        return number_value(m.group(1)), unit_of(m.group(2))
    return None, ""


def _unit_after(tokens: list[re.Match[str]], i: int, text: str, end: int) -> tuple[str, int]:
    """The unit written right after a number and where it ends: a sign (`5 ×`, `0.2
    %`), a magnitude word then a unit ("7 million steps"), or a unit word ("8 GPUs")."""
    for j in range(i + 1, min(i + 3, len(tokens))):
        gap = text[tokens[j - 1].end() : tokens[j].start()]
        if gap.strip() not in ("", "-"):
            break
        word = tokens[j].group(0)
        if word.lower() in _MAGNITUDE_WORDS:
            continue
        unit = unit_of(word)
        return (unit, tokens[j].end()) if unit else ("", end)
    return "", end


def _is_name(word: str) -> bool:
    """A word naming a thing with digits in it (`A100`, `DiT-XL/2`, `fp16`, `1F1B`)."""
    if not (re.search(r"\d", word) and re.search(r"[^\W\d_]", word)):
        return False
    if _read_number(word)[0] is not None:
        return False
    return not ("-" in word and all(_read_number(p)[0] is not None for p in word.split("-")))


# ---------- a claim's facts ----------


def _claim_prose(text: str) -> tuple[str, list[str]]:
    """The claim's prose (links reduced to their text) and its code spans."""
    prose, code = [], []
    for p in split_inline(text):
        if p.kind == "code":
            code.append(p.text.strip())
            prose.append(" ")
        elif p.kind in ("link", "image"):
            prose.append(p.text)
        elif p.kind == "tag":
            prose.append(" ")
        else:
            prose.append(p.raw)
    return "".join(prose), [c for c in code if c]


def claim_facts(text: str) -> list[Fact]:
    """The checkable facts of a claim's text, in order, each once."""
    prose, code = _claim_prose(text)
    facts: list[Fact] = [Fact("code", c, " ".join(c.split())) for c in code]
    norm = normalise(prose)
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in _BIG_O.finditer(norm):
        got = _big_o(norm, m.start())
        if got:
            facts.append(Fact("big-o", norm[m.start() : got[1]].strip(), got[0]))
            taken.append((m.start(), got[1]))
    for m in _DIMS.finditer(norm):
        if free(m.start(), m.end()):
            facts.append(Fact("dims", m.group(0), _dims_key(m.group(0))))
            taken.append((m.start(), m.end()))
    for m in _ENV.finditer(norm):
        if free(m.start(), m.end()):
            facts.append(Fact("env", m.group(1), m.group(1)))
            taken.append((m.start(), m.end()))
    for m in _FLAG.finditer(norm):
        if free(m.start(), m.end()):
            facts.append(Fact("flag", m.group(1), m.group(1)))
            taken.append((m.start(), m.end()))
    for m in _MULT_BEFORE.finditer(norm):
        if free(m.start(), m.end()):
            facts.append(Fact("number", m.group(0), str(_canon(number_value(m.group(1)))), "x"))
            taken.append((m.start(), m.end()))
    for m in _TOKEN.finditer(norm):
        word = m.group(0).rstrip("'")
        if free(m.start(), m.end()) and _is_name(word) and not word.lower().endswith("'s"):
            facts.append(Fact("name", word, word.lower()))
            taken.append((m.start(), m.end()))
    for start, end, value, unit in _numbers(norm):
        if not free(start, end):
            continue
        shown = norm[start:end]
        if not unit and value == value.to_integral_value() and len(shown) == 1:
            continue  # a bare one-digit count is the writer's own counting
        facts.append(Fact("number", shown, str(_canon(value)), unit))
    seen: set[tuple[str, str, str]] = set()
    out = []
    for f in facts:
        if (f.kind, f.key, f.unit) not in seen:
            seen.add((f.kind, f.key, f.unit))
            out.append(f)
    return out


def _canon(value: Decimal | None) -> Decimal:
    v = (value or Decimal(0)).normalize()
    return v.quantize(Decimal(1)) if v == v.to_integral_value() else v


def _dims_key(text: str) -> str:
    return "×".join(str(_canon(number_value(p.strip()))) for p in re.split(r"[×x]", text))


# ---------- what a passage holds ----------


class Haystack:
    """The facts a set of passages holds, for quick look-ups."""

    def __init__(self, texts: list[str]):
        self.raw = "\n".join(texts)
        self.code_text = " ".join(self.raw.replace("`", " ").split())
        self.text = normalise(self.raw.replace("`", " ").replace("**", "").replace("*", " "))
        self.lower = self.text.lower()
        self.numbers: dict[str, list[Occurrence]] = {}
        self.dims: set[str] = set()
        self.big_o: set[str] = set()
        for line in self._lines_with_columns(self.text):
            self._index_line(*line)

    @staticmethod
    def _lines_with_columns(text: str):
        """Each line with the header cell over each of its table columns."""
        header: list[str] = []
        for line in text.split("\n"):
            stripped = line.strip()
            if stripped.startswith("|"):
                cells = [c.strip() for c in stripped.strip("|").split("|")]
                if not header:
                    header = cells
                    yield line, []
                    continue
                yield line, header
            else:
                header = []
                yield line, []

    def _index_line(self, line: str, header: list[str]) -> None:
        for m in _DIMS.finditer(line):
            self.dims.add(_dims_key(m.group(0)))
        for m in _BIG_O.finditer(line):
            got = _big_o(line, m.start())
            if got:
                self.big_o.add(got[0])
        cells = line.strip().strip("|").split("|") if header else []
        bounds, pos = [], line.find("|") + 1 if header else 0
        for c in cells:
            bounds.append((pos, pos + len(c)))
            pos += len(c) + 1
        tokens = list(_TOKEN.finditer(line))
        for start, end, value, unit in _numbers(line):
            units = {unit} if unit else set()
            # words just before and after: "FID of 2.27", "at 400K training steps"
            near = [t for t in tokens if t.end() <= start][-2:] + [
                t for t in tokens if t.start() >= end
            ][:3]
            units |= {unit_of(t.group(0)) for t in near}
            for k, (a, b) in enumerate(bounds):
                if a <= start < b and k < len(header):
                    units |= {unit_of(w) for w in re.findall(r"[\w/%×]+", header[k])}
                    units |= {unit_of(w) for w in re.findall(r"[\w/%×]+", cells[0])}
            for m in _MULT_BEFORE.finditer(line):
                if m.start() <= start < m.end():
                    units.add("x")
            self.numbers.setdefault(str(_canon(value)), []).append(
                Occurrence(value, frozenset(units - {""}))
            )

    def has(self, fact: Fact) -> bool:
        if fact.kind == "number":
            found = self.numbers.get(fact.key, [])
            return any(not fact.unit or fact.unit in o.units for o in found)
        if fact.kind == "dims":
            return any(fact.key == d or f"×{fact.key}×" in f"×{d}×" for d in self.dims)
        if fact.kind == "big-o":
            return fact.key in self.big_o
        if fact.kind == "name":
            return _bounded(fact.key, self.lower)
        if fact.kind == "code":
            return _bounded(fact.key, self.code_text) or _code_parts_found(fact.key, self.code_text)
        return _bounded(fact.key, self.text)  # env, flag: exactly as written


def _bounded(needle: str, hay: str) -> bool:
    """``needle`` in ``hay`` with no word character glued to either end."""
    pattern = r"(?<![\w])" + re.escape(needle) + r"(?![\w])"
    return re.search(pattern, hay) is not None


def _code_parts_found(code: str, hay: str) -> bool:
    """A code span that is an expression (`f(x, y=2)`): found when every identifier
    in it is (a one-word span must be found whole)."""
    idents = [w for w in re.findall(r"[A-Za-z_][\w.]*[\w]", code) if len(w) >= 3]
    return len(idents) > 1 and all(_bounded(w, hay) for w in idents)


# ---------- the cited text ----------

_FLOAT_REF = re.compile(r"\b(Table|Figure|Fig\.)\s+(\d+)", re.I)


def cited_text(markdown: str, anchor: str) -> str | None:
    """What a citation of ``anchor`` vouches for: the section with its subsections and
    the tables and figures it refers to by number; None when the anchor is not there."""
    passage = None
    for name in dict.fromkeys((anchor, unquote(anchor))):  # `#%C3%BC...` as the file has it
        passage = passage or find_passage(
            markdown, name, subsections=True, max_lines=UNBOUNDED, max_chars=UNBOUNDED
        )
    if passage is None:
        return None
    parts = [passage.text]
    lines = lines_of(markdown)
    inside = range(passage.line, passage.end_line + 1)
    wanted = {
        ("Table" if kind.lower() == "table" else "Figure", num)
        for kind, num in _FLOAT_REF.findall(passage.text)
    }
    for kind, num in sorted(wanted):
        parts += [block for start, block in _float_blocks(lines, kind, num) if start not in inside]
    return "\n".join(parts)


def _float_blocks(lines: list[str], kind: str, num: str):
    """(line, text) of each `**Table N:** ...` / `[Figure N: ...]` caption in the file
    with the pipe table right above or below it."""
    caption = re.compile(rf"^\s*(?:\*\*|\[|\*|<)?(?:{kind}|{kind[:3]}\.)\s+{num}(?!\d)", re.I)
    for i, line in enumerate(lines):
        if not caption.match(line):
            continue
        block = [line]
        for step in (1, -1):
            j = i + step
            while 0 <= j < len(lines) and not lines[j].strip():
                j += step
            rows = []
            while 0 <= j < len(lines) and lines[j].lstrip().startswith("|"):
                rows.append(lines[j])
                j += step
            block += rows if step == 1 else rows[::-1]
        yield i + 1, "\n".join(block)


# ---------- the rule ----------


def is_unverified(claim: Claim) -> bool:
    return UNVERIFIED in claim.text.lower() or UNVERIFIED in claim.evidence.lower()


@dataclass(frozen=True)
class Unsupported:
    claim: Claim
    fact: Fact
    searched: list[str]  # the targets looked in


def unsupported(claim_text: str, passages: list[str]) -> list[Fact]:
    """The facts of ``claim_text`` that none of ``passages`` holds."""
    facts = claim_facts(claim_text)
    if not facts:
        return []
    hay = Haystack(passages)
    return [f for f in facts if not hay.has(f)]


def card_support(
    card: Card,
    read: Callable[[str], str | None],
    resolves: Callable[[Citation], bool] = lambda c: True,
) -> list[Unsupported]:
    """Every fact of every checkable claim of ``card`` that its cited passages lack.

    ``read(path)`` gives a cited file's markdown (None when it cannot be read). A claim
    with a citation that does not resolve is left to the citation rule, and a claim
    marked `(unverified)` or still a placeholder is exempt.
    """
    out: list[Unsupported] = []
    for claim in card.claims:
        cited = [c for c in claim.citations if c.anchor]
        if claim.placeholder or is_unverified(claim) or not cited:
            continue
        if not all(resolves(c) for c in claim.citations):
            continue
        texts, targets = [], []
        for c in cited:
            markdown = read(c.file)
            text = cited_text(markdown, c.anchor) if markdown is not None else None
            if text is None:
                break
            texts.append(text)
            targets.append(c.target)
        else:
            out += [Unsupported(claim, f, targets) for f in unsupported(claim.text, texts)]
    return out
