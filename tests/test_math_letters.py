"""Styled letters in formulas (`docs_gen.mathml`): what latex2mathml marks with a
`mathvariant` browsers ignore (bold, blackboard, script, fraktur, sans-serif, monospace)
becomes the Unicode mathematical characters of that style, so it is drawn so; and the
symbols latex2mathml writes as the wrong token (`\\sim` as an identifier tilde)."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from mkdocs_site import CHROMIUM, build, chromium_available, drop_broken_citation, serve

from docs_gen import mathml
from docs_gen.mathml import HOLES, STYLED


def tokens(tex: str, block: bool = False) -> list[tuple[str, str, str]]:
    """(tag, mathvariant or "", text) of each token of the formula's MathML."""
    out = mathml._convert(tex, block)
    found = re.findall(r'<(m[inotx]\w*)((?: \w+="[^"]*")*)>([^<]*)</\1>', out)
    return [
        (tag, (re.search(r'mathvariant="([^"]*)"', attrs) or [None, ""])[1], html_text(text))
        for tag, attrs, text in found
    ]


def html_text(text: str) -> str:
    return re.sub(r"&#x([0-9A-F]+);", lambda m: chr(int(m.group(1), 16)), text)


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        ("\\mathbf{Wx}", [("mi", "", "𝐖"), ("mi", "", "𝐱")]),
        ("\\mathbf{0}", [("mn", "", "𝟎")]),
        ("\\mathbf{10}", [("mn", "", "𝟏𝟎")]),
        ("\\boldsymbol{x}", [("mi", "", "𝒙")]),
        ("\\boldsymbol{x_1}", [("mi", "", "𝒙"), ("mn", "", "𝟏")]),  # no bold-italic digits
        ("\\bm{Kx}", [("mi", "", "𝑲"), ("mi", "", "𝒙")]),
        ("\\mathbb{1}", [("mn", "", "𝟙")]),
        ("\\mathbb{RC}", [("mi", "", "ℝ"), ("mi", "", "ℂ")]),  # both holes
        ("\\mathcal{AB}", [("mi", "", "𝒜"), ("mi", "", "ℬ")]),
        ("\\mathscr{Lo}", [("mi", "", "ℒ"), ("mi", "", "ℴ")]),
        ("\\mathfrak{gH}", [("mi", "", "𝔤"), ("mi", "", "ℌ")]),
        ("\\mathsf{AB}", [("mi", "", "𝖠"), ("mi", "", "𝖡")]),
        ("\\mathtt{x1}", [("mi", "", "𝚡"), ("mn", "", "𝟷")]),
        ("\\mathit{hx}", [("mi", "", "ℎ"), ("mi", "", "𝑥")]),
        ("\\textbf{IBM}", [("mtext", "", "𝐈𝐁𝐌")]),
        # Greek, bold upright and bold italic; the lunate epsilon is `\\epsilon`
        ("\\mathbf{\\Sigma\\gamma}", [("mi", "", "𝚺"), ("mi", "", "𝛄")]),
        ("\\boldsymbol{\\alpha\\epsilon}", [("mi", "", "𝜶"), ("mi", "", "𝝐")]),
        ("\\mathbf{\\nabla}", [("mo", "", "𝛁")]),
    ],
)
def test_each_style_becomes_its_characters(tex, expected):
    assert tokens(tex) == expected


def test_a_character_with_no_such_form_keeps_the_attribute_the_others_are_mapped():
    assert tokens("\\mathbf{x+1}") == [("mi", "", "𝐱"), ("mo", "bold", "+"), ("mn", "", "𝟏")]
    assert tokens("\\mathsf{\\alpha}") == [("mi", "sans-serif", "α")]  # no sans-serif Greek
    assert tokens("\\mathbf{\\imath}") == [("mi", "bold", "ı")]
    assert tokens("\\textit{h-1}") == [("mtext", "italic", "ℎ-1")]  # no italic digits


def test_spaces_need_no_form():
    assert tokens("\\texttt{ab c}") == [("mtext", "", "𝚊𝚋\u00a0𝚌")]


def test_upright_letters_stay_upright():
    # `\\mathrm` is upright: a one-letter <mi> says so, a longer one already did
    assert tokens("\\mathrm{d}x") == [("mi", "normal", "d"), ("mi", "", "x")]
    assert tokens("\\mathrm{Re}") == [("mi", "normal", "R"), ("mi", "normal", "e")]
    assert tokens("dx") == [("mi", "", "d"), ("mi", "", "x")]
    assert tokens("\\operatorname{softmax}") == [("mo", "", "softmax")]


def test_sim_is_the_relation():
    assert tokens("\\alpha \\sim p") == [("mi", "", "α"), ("mo", "", "∼"), ("mi", "", "p")]
    assert tokens("a \\sim b") == tokens("a \\thicksim b")
    assert tokens("\\text{a~b}") == [("mtext", "", "a~b")]  # a tilde in text stays one


def test_formulas_without_styles_are_as_latex2mathml_writes_them():
    from latex2mathml.converter import convert

    for tex in ("E = mc^2", "\\sum_{i=1}^{n} x_i", "\\frac{a}{b} \\le \\alpha", "\\text{if } x"):
        assert mathml._convert(tex, False) == convert(tex)
    # latex2mathml's own one-letter forms are left as they are
    assert tokens("\\mathbf{W}_{q} \\mathcal{L}") == [
        ("mi", "", "𝐖"),
        ("mi", "", "q"),
        ("mi", "", "ℒ"),
    ]


def test_the_table_covers_the_whole_block():
    """Every assigned character of Mathematical Alphanumeric Symbols is some letter's form,
    and each character is the form of one letter in one style."""
    block = {
        chr(c)
        for c in range(0x1D400, 0x1D800)
        if unicodedata.name(chr(c), "").startswith("MATHEMATICAL ")
    }
    forms = [f for table in STYLED.values() for f in table.values()]
    digits = [f for f in forms if f.isdigit()]
    # the 20 bold-italic digits are the bold ones: the only characters in two styles
    assert len(forms) - len(set(forms)) == len(digits) - len(set(digits)) == 20
    assert [STYLED["bold-italic"][d] for d in "09"] == [STYLED["bold"][d] for d in "09"]
    assert block <= set(forms)
    assert set(forms) - block == {h for table in HOLES.values() for h in table.values()}


def test_the_holes_are_exactly_where_the_block_has_no_letter():
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    words = {"italic": "ITALIC", "script": "SCRIPT", "fraktur": "FRAKTUR"}
    words["double-struck"] = "DOUBLE-STRUCK"
    for variant, style in words.items():
        missing = set()
        for c in letters:
            case = "CAPITAL" if c.isupper() else "SMALL"
            try:
                unicodedata.lookup(f"MATHEMATICAL {style} {case} {c.upper()}")
            except KeyError:
                missing.add(c)
        assert missing == set(HOLES[variant]), variant
    assert HOLES["italic"]["h"] == "\N{PLANCK CONSTANT}"
    assert HOLES["fraktur"]["C"] == "\N{BLACK-LETTER CAPITAL C}"
    assert HOLES["script"]["g"] == "\N{SCRIPT SMALL G}"
    assert HOLES["double-struck"]["N"] == "\N{DOUBLE-STRUCK CAPITAL N}"


def test_markup_in_text_stays_escaped():
    out = mathml._convert("\\textbf{a<b>&c}", False)
    assert "<b>" not in out and ">&#x1D41A;&lt;&#x1D41B;&gt;&amp;&#x1D41C;<" in out


# ---------- drawn so in the browser ----------

STYLED_PAGE = """
## Styled letters

Bold $\\mathbf{WW}$ and plain $WW$.

Blackboard $\\mathbb{RR}$, script $\\mathcal{LL}$ and plain $RR$, $LL$.

Bold zero $\\mathbf{0}$ and zero $0$.
"""


@pytest.fixture(scope="module")
def built(make_library, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("math-letters")
    root = make_library("site", root=tmp / "lib", mkdocs=True)
    drop_broken_citation(root)
    topic = root / "refs/topics/01-pipelines.md"
    topic.write_text(topic.read_text(encoding="utf-8") + STYLED_PAGE, encoding="utf-8")
    result = build(root, tmp / "site")
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr
    return tmp / "site"


def ink(png: bytes) -> int:
    """How many pixels of a screenshot are dark: a bold letter puts down more ink."""
    from PIL import Image

    return sum(Image.open(io.BytesIO(png)).convert("L").histogram()[:128])


@pytest.mark.browser
@pytest.mark.skipif(not chromium_available(), reason=f"{CHROMIUM} is not installed")
def test_styled_letters_are_drawn_in_their_style(built, new_page):
    page = new_page(viewport={"width": 1280, "height": 800})
    with serve(built) as url:
        page.goto(url + "refs/topics/01-pipelines/")
        formulas = page.locator("article .refs-math-inline math")
        texts = [formulas.nth(n).text_content() for n in range(formulas.count())]
        shown = ["𝐖𝐖", "WW", "ℝℝ", "ℒℒ", "RR", "LL", "𝟎", "0"]
        assert texts[-8:] == shown
        first = len(texts) - 8
        shots = {t: formulas.nth(first + n).screenshot() for n, t in enumerate(shown)}
    assert ink(shots["𝐖𝐖"]) > 1.2 * ink(shots["WW"])
    assert ink(shots["𝟎"]) > 1.2 * ink(shots["0"])
    assert shots["ℝℝ"] != shots["RR"] and shots["ℒℒ"] != shots["LL"]
