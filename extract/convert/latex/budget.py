"""Bounds on the work one e-print may cause: `\\input`s, macro expansions, text size.

A hostile or broken e-print can make a small file grow without end (`\\def\\x{\\x\\x}\\x`,
files that `\\input` the next one three times, twelve deep). Every step that makes
text from text charges this budget; when one bound is passed, the conversion of
that e-print stops with a `RefsError` that says which bound and what to do. The
bounds are far above what real papers need (a long paper: a few dozen inputs, some
thousands of expansions, well under 2 MB of text).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import RefsError

MAX_INPUTS = 1_000  # \input / \include resolutions in one e-print
MAX_EXPANSIONS = 300_000  # macro and environment uses replaced by their bodies
MAX_CHARS = 20_000_000  # characters added by inputs, and by expansions


class BudgetExceeded(RefsError):
    """An e-print passed one of the bounds: it is refused, not converted in part."""


@dataclass
class Budget:
    max_inputs: int = MAX_INPUTS
    max_expansions: int = MAX_EXPANSIONS
    max_chars: int = MAX_CHARS
    inputs: int = 0
    expansions: int = 0
    input_chars: int = 0
    expanded_chars: int = 0

    def charge_input(self, target: str, chars: int) -> None:
        self.inputs += 1
        self.input_chars += chars
        if self.inputs > self.max_inputs:
            raise BudgetExceeded(
                f"the e-print resolves more than {self.max_inputs} \\input/\\include "
                f"commands (the last one: {target}); files that input each other over and "
                "over are refused. Delete the e-print to convert from the PDF instead"
            )
        if self.input_chars > self.max_chars:
            raise BudgetExceeded(
                f"the e-print's \\input files add up to more than {self.max_chars} "
                f"characters (the last one: {target}); refused. Delete the e-print to "
                "convert from the PDF instead"
            )

    def charge_expansion(self, name: str, chars: int) -> None:
        self.expansions += 1
        self.expanded_chars += chars
        if self.expansions > self.max_expansions:
            raise BudgetExceeded(
                f"macro expansion passed {self.max_expansions} steps (the last one: "
                f"\\{name}); a macro that uses itself, such as \\def\\x{{\\x\\x}}, never "
                "ends. Refused; delete the e-print to convert from the PDF instead"
            )
        if self.expanded_chars > self.max_chars:
            raise BudgetExceeded(
                f"macro expansion made more than {self.max_chars} characters (the last "
                f"macro: \\{name}); refused. Delete the e-print to convert from the PDF "
                "instead"
            )
