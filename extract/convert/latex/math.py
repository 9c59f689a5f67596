"""Math: inline `$...$`, display environments with their equation numbers."""

from __future__ import annotations

import re

from .scan import split_top

MATH_ENVS = {
    "equation": None,
    "displaymath": None,
    "math": None,
    "align": "aligned",
    "flalign": "aligned",
    "eqnarray": "aligned",
    "gather": "gathered",
    "multline": "gathered",
    "alignat": "alignedat",
    "xalignat": "alignedat",
    "dmath": None,
}


class MathMixin:
    """Renderer methods for math (mixed into `Renderer`)."""

    def dollar(self, s: str, i: int) -> tuple[str, int]:
        if s.startswith("$$", i):
            end = s.find("$$", i + 2)
            end = len(s) if end < 0 else end
            return self.display_math(s[i + 2 : end], None, numbered=False), end + 2
        j = i + 1
        while j < len(s) and s[j] != "$":
            j += 2 if s[j] == "\\" else 1
        return self.inline_math(s[i + 1 : j]), j + 1

    def inline_math(self, tex: str) -> str:
        tex = re.sub(r"\\label\s*\{[^}]*\}", "", tex)
        tex = re.sub(r"\s+", " ", tex).strip()
        return f"${tex}$" if tex else ""

    def display_math(self, tex: str, wrapper: str | None, numbered: bool) -> str:
        rows = split_top(tex, "\\\\") if wrapper else [tex]
        tags = []
        for row in rows:
            explicit = re.search(r"\\tag\*?\s*\{([^}]*)\}", row)
            if explicit:
                number = explicit.group(1)
            elif numbered and not re.search(r"\\(nonumber|notag)(?![A-Za-z])", row):
                number = self.step("equation")
            else:
                number = ""
            if number:
                tags.append(number)
            for key in re.findall(r"\\label\s*\{([^}]*)\}", row):
                self.labels.setdefault(key.strip(), ("equation", number or key.strip()))
        tex = re.sub(r"\\label\s*\{[^}]*\}|\\(nonumber|notag)(?![A-Za-z])", "", tex)
        tex = "\n".join(line.rstrip() for line in tex.strip().split("\n") if line.strip())
        if wrapper:
            name, cols = (
                (wrapper[:9], wrapper[9:]) if wrapper.startswith("alignedat") else (wrapper, "")
            )
            tex = f"\\begin{{{name}}}{'{' + cols + '}' if cols else ''}\n{tex}\n\\end{{{name}}}"
        if len(tags) == 1 and numbered and not re.search(r"\\tag", tex):
            tex += f" \\tag{{{tags[0]}}}"
        if not tex.strip():
            return ""
        return self.block(f"$$\n{tex}\n$$")
