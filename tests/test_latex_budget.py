"""Issue 12 item 6: expansion bombs stop with a clear error instead of running away."""

from __future__ import annotations

import pytest
from latex_paper import paper

from extract.convert.latex import convert_latex
from extract.convert.latex.budget import Budget
from extract.convert.latex.macros import collect, expand
from extract.errors import RefsError


# The default budget is what stops a real bomb, so these two run it to its end: 300,000
# expansions, seconds of work, hence `slow` (scripts/test.sh runs them in its second pass).
@pytest.mark.slow
def test_self_doubling_macro_is_refused():
    with pytest.raises(RefsError, match=r"macro expansion passed .* steps.*\\x"):
        paper("\\x", preamble="\\def\\x{\\x\\x}")


def test_macro_that_grows_the_text_is_refused():
    macros, _ = collect("\\def\\big{" + "w" * 1000 + "}")
    with pytest.raises(RefsError, match="more than 50000 characters"):
        expand("\\big " * 100, macros, budget=Budget(max_chars=50_000))


def test_environment_that_nests_itself_stops():
    result = paper(
        "\\begin{loop}text\\end{loop}",
        preamble="\\newenvironment{loop}{\\begin{loop}}{\\end{loop}}",
    )
    assert "text" in result.body


def test_input_fan_out_is_refused():
    """Each file inputs the next one three times, twelve deep: 3**12 inclusions."""
    files = {"main.tex": b"\\documentclass{article}\\begin{document}\\input{f1}\\end{document}"}
    for k in range(1, 12):
        files[f"f{k}.tex"] = (f"x\\input{{f{k + 1}}}" * 3).encode()
    files["f12.tex"] = b"leaf "
    with pytest.raises(RefsError, match=r"more than 1000 \\input/\\include"):
        convert_latex(files)


def test_inputs_that_add_up_to_too_much_text_are_refused():
    budget = Budget(max_chars=10_000)
    with pytest.raises(RefsError, match="add up to more than 10000 characters"):
        for _ in range(20):
            budget.charge_input("part.tex", 1_000)


def test_deep_nesting_is_a_clear_error():
    with pytest.raises(RefsError, match="nests groups or environments too deeply"):
        paper("{" * 5000 + "x" + "}" * 5000)


def test_a_normal_paper_is_far_from_every_bound():
    budget = Budget()
    macros, _ = collect("\\newcommand{\\m}{Method}\\newcommand{\\v}[1]{\\mathbf{#1}}")
    expand("\\m and $\\v{x}$. " * 2000, macros, budget=budget)
    assert budget.expansions == 4000
    assert budget.expansions < budget.max_expansions // 10


@pytest.mark.slow
def test_arxiv_reader_refuses_a_bomb_or_falls_back_to_the_pdf(tmp_path):
    from sample_papers import META_ONLY_HTML, make_pdf, tar_gz

    from extract.convert.arxiv import convert_arxiv

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "abstract.html").write_text(META_ONLY_HTML, encoding="utf-8")
    bomb = "\\documentclass{article}\\def\\x{\\x\\x}\\begin{document}\\x\\end{document}"
    tar_gz(raw / "arxiv-eprint.tar.gz", {"bomb.tex": bomb})
    with pytest.raises(RefsError, match="macro expansion passed") as info:
        convert_arxiv(raw, "https://arxiv.org/abs/2001.00001")
    assert str(info.value).startswith(str(raw / "arxiv-eprint.tar.gz"))
    make_pdf(raw / "paper.pdf", [[("1 Introduction", 14, True), ("Plain words.", 10, False)]])
    doc = convert_arxiv(raw, "https://arxiv.org/abs/2001.00001")
    assert any("macro expansion passed" in n and "PDF used instead" in n for n in doc.notes)
