"""Defect class 5: textual citations keep author names, every cite command is a
citation, and a stale .bbl is completed from the .bib."""

from __future__ import annotations

from latex_helpers import paper

BIB = (
    "@article{brew21, author={Kettle, Ann and Pot, Tim and Brew, Sam}, title={Boiling Water},"
    " journal={J. Tea}, year={2021}}\n"
    "@inproceedings{cup19, author={Mug, Lia and Saucer, Ben}, title={Cups}, booktitle={Conf},"
    " year=2019}\n"
    "@misc{solo20, author={Spoon, Ray}, title={Stirring}, year={2020}}\n"
)


def test_natbib_textual_forms_keep_authors():
    md = paper(
        "\\citet{brew21} boil; \\citet{cup19} pour; \\citeauthor{solo20} stirs "
        "(\\citeyear{solo20}); \\citealt{cup19}; \\citep[p.~2]{brew21}; \\citeyearpar{cup19}.\n"
        "\\bibliography{refs}",
        preamble="\\usepackage{natbib}",
        refs_bib=BIB,
    ).body
    assert (
        "Kettle et al. [1] boil; Mug and Saucer [2] pour; Spoon stirs (2020); "
        "Mug and Saucer [2]; [1, p. 2]; (2019)." in md
    )


def test_citen_and_citenum_are_citations():
    result = paper(
        "Ref.~\\citen{cup19} and ref.~\\citenum{brew21}; in brackets \\cite{solo20}.\n"
        "\\bibliography{refs}",
        refs_bib=BIB,
    )
    assert "Ref. 1 and ref. 2; in brackets [3]." in result.body
    assert "cup19" not in result.body and "brew21" not in result.body


def test_stale_bbl_keys_are_read_from_the_bib():
    bbl = (
        "\\begin{thebibliography}{1}\n\\bibitem{brew21} A.~Kettle. \\newblock Boiling water."
        "\n\\end{thebibliography}\n"
    )
    result = paper(
        "Old \\cite{brew21}, new \\cite{solo20} and \\citet{cup19}, unknown \\cite{ghost}.\n"
        "\\bibliography{refs}",
        main="main.tex",
        main_bbl=bbl,
        refs_bib=BIB,
    )
    md = result.body
    assert "Old [1], new [2] and Mug and Saucer [3], unknown [ghost]." in md
    refs = md.split("## References", 1)[1]
    assert "[1] A. Kettle. Boiling water." in refs
    assert "[2] Ray Spoon. Stirring. 2020." in refs
    assert "[3] Lia Mug and Ben Saucer. Cups. Conf, 2019." in refs
    assert any("ghost" in note for note in result.notes)


def test_natbib_bbl_labels_give_author_names():
    bbl = (
        "\\begin{thebibliography}{2}\\providecommand{\\natexlab}[1]{#1}\n"
        "\\bibitem[{Oven and Tray(2018)}]{oven} Oven, A. and Tray, B. (2018).\n\\newblock Baking."
        "\n\\bibitem[Grill et~al.(2017{\\natexlab{a}})]{grill} Grill, C. et al. (2017a)."
        "\n\\newblock Searing.\n\\end{thebibliography}"
    )
    md = paper(
        "\\citet{oven} bake and \\citet{grill} sear.\\bibliography{x}",
        main="ms.tex",
        ms_bbl=bbl,
    ).body
    assert "Oven and Tray [1] bake and Grill et al. [2] sear." in md


def test_alphabetical_styles_number_the_list_alphabetically():
    md = paper(
        "First \\cite{solo20}, then \\cite{brew21}.\\bibliographystyle{plain}\\bibliography{refs}",
        refs_bib=BIB,
    ).body
    assert "First [2], then [1]." in md
    refs = md.split("## References", 1)[1]
    assert refs.index("Ann Kettle") < refs.index("Ray Spoon")


def test_bib_accents_written_with_ifmmode_read_as_text():
    bib = "@misc{p, author={Rosi\\ifmmode \\acute{n}\\else \\'{n}\\fi{}ska, Ola}, title={T}}"
    md = paper("\\cite{p}\\bibliography{refs}", refs_bib=bib).body
    assert "Ola Rosińska. T." in md


BIBER_BBL = r"""\refsection{0}
  \datalist[entry]{nty/global//global/global}
    \entry{mug22}{article}{}
      \name{author}{2}{}{%
        {{hash=1}{%
           family={Mug},
           familyi={M\bibinitperiod},
           given={Lia},
           giveni={L\bibinitperiod}}}%
        {{hash=2}{%
           family={Saucer},
           given={Ben}}}%
      }
      \list{publisher}{1}{%
        {Crockery Press}%
      }
      \field{title}{Handles and Rims}
      \field{journaltitle}{Cup Letters}
      \field{year}{2022}
      \field{pages}{1\bibrangedash 9}
      \verb{doi}
      \verb 10.0/cup.22
      \endverb
    \endentry
    \entry{rim20}{misc}{}
      \name{author}{1}{}{%
        {{hash=3}{family={Rim},given={Ola}}}%
      }
      \field{title}{Rims}
      \field{year}{2020}
    \endentry
  \enddatalist
\endrefsection
"""


def test_biber_bbl_without_a_bib_gives_numbers_authors_and_entries():
    md = paper(
        "\\textcite{rim20} and \\parencite{mug22}; both \\cites{mug22}{rim20}.\n"
        "\\printbibliography",
        preamble="\\usepackage[style=numeric]{biblatex}\\addbibresource{refs.bib}",
        main="main.tex",
        main_bbl=BIBER_BBL,
    ).body
    assert "Rim [2] and [1]; both [1, 2]." in md
    refs = md.split("## References", 1)[1]
    assert (
        "[1] Lia Mug and Ben Saucer. Handles and Rims. Cup Letters, Crockery Press, pp. 1–9, 2022. 10.0/cup.22."
        in refs
    )
    assert "[2] Ola Rim. Rims. 2020." in refs
