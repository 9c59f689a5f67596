"""LaTeX source -> markdown: the first choice of the arXiv reader.

`convert_latex(files)` is the entry point; the modules are named for what they do:
`source` (main file, inputs, verbatim), `scan` (braces and arguments), `macros`,
`render` (the walk) with `math`, `tables`, `lists`, `floats`, `citations`, `xref`,
and `bib` (reading .bbl and .bib files).
"""

from .budget import BudgetExceeded
from .convert import LatexResult, convert_latex
from .source import find_main, resolve_inputs

__all__ = ["BudgetExceeded", "LatexResult", "convert_latex", "find_main", "resolve_inputs"]
