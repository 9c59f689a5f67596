"""Lists and algorithms: `itemize`/`enumerate`/`description`, `algorithmic` steps."""

from __future__ import annotations

import re

from .scan import read_optional

LIST_ENVS = {
    "itemize": "-",
    "enumerate": "1.",
    "description": "-",
    "compactitem": "-",
    "compactenum": "1.",
    "inparaenum": "1.",
    "enumerate*": "1.",
    "itemize*": "-",
}


ALGO_STEP = re.compile(
    r"(?=\\(?:State|STATE|Statex|If|IF|ElsIf|ELSIF|Else|ELSE|EndIf|ENDIF|For|FOR|ForAll"
    r"|FORALL|EndFor|ENDFOR|While|WHILE|EndWhile|ENDWHILE|Repeat|REPEAT|Until|UNTIL|Loop"
    r"|EndLoop|Return|RETURN|Require|REQUIRE|Ensure|ENSURE|Input|Output|Function|EndFunction"
    r"|Procedure|EndProcedure|Comment|COMMENT)(?![A-Za-z]))"
)


class ListsMixin:
    """Renderer methods for lists and algorithm bodies (mixed into `Renderer`)."""

    def split_items(self, body: str) -> list[tuple[str | None, str]]:
        """Top-level ``\\item``s of a list body (nested lists stay inside their item)."""
        items: list[tuple[str | None, str]] = []
        depth, i, start, label = 0, 0, None, None
        token = re.compile(r"\\(begin|end)\s*\{[^}]*\}|\\item(?![A-Za-z@])|\\[{}]|[{}]")
        for m in token.finditer(body):
            if m.start() < i:
                continue
            t = m.group(0)
            if t in ("\\{", "\\}"):
                continue
            if t == "{" or m.group(1) == "begin":
                depth += 1
            elif t == "}" or m.group(1) == "end":
                depth -= 1
            elif depth == 0:
                if start is not None:
                    items.append((label, body[start : m.start()]))
                label, i = read_optional(body, m.end())
                start = i
        if start is not None:
            items.append((label, body[start:]))
        return items

    def list_block(self, body: str, marker: str) -> str:
        lines = []
        for n, (label, text) in enumerate(self.split_items(body), 1):
            bullet = f"{n}." if marker == "1." else "-"
            content = self.markdown(text)
            if label is not None:
                content = f"**{self.one_line(label)}** {content}".strip()
            indent = " " * (len(bullet) + 1)
            first, *rest = content.split("\n") if content else [""]
            lines.append(f"{bullet} {first}".rstrip())
            lines.extend((indent + line) if line else "" for line in rest)
        return self.block("\n".join(lines)) if lines else ""

    def algorithm_block(self, body: str) -> str:
        _, k = read_optional(body, 0)
        lines = []
        for step in ALGO_STEP.split(body[k:]):
            m = re.match(r"\\([A-Za-z]+)", step)
            keyword = m.group(1) if m else ""
            text = self.one_line(step[m.end() :] if m else step)
            word = keyword.lower().replace("state", "").replace("statex", "")
            line = (f"**{word}** {text}" if word else text).strip()
            if line:
                lines.append(line)
        return self.block(" \\\n".join(lines)) if lines else ""
