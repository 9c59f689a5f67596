"""Labels and cross references, theorem-like environments and their numbers."""

from __future__ import annotations

import re

from .scan import read_group, read_optional

_REF = re.compile(r"\x00R([pea]):([^\x00]*)\x00")
THEOREMS = {
    "theorem": "Theorem",
    "lemma": "Lemma",
    "proposition": "Proposition",
    "corollary": "Corollary",
    "definition": "Definition",
    "remark": "Remark",
    "example": "Example",
    "assumption": "Assumption",
    "claim": "Claim",
    "conjecture": "Conjecture",
    "observation": "Observation",
    "fact": "Fact",
    "hypothesis": "Hypothesis",
    "problem": "Problem",
    "question": "Question",
}


REF_KIND = {
    "section": "Section",
    "appendix": "Appendix",
    "figure": "Figure",
    "table": "Table",
    "equation": "Equation",
    "algorithm": "Algorithm",
    "listing": "Listing",
    "item": "Item",
    "theorem": "Theorem",
    "footnote": "Footnote",
}


NEWTHEOREM = re.compile(r"\\newtheorem\*?\s*\{([^}]*)\}\s*(?:\[[^\]]*\])?\s*\{([^}]*)\}")


class XrefMixin:
    """Renderer methods for labels, references and theorems (mixed into `Renderer`)."""

    def step(self, counter: str) -> str:
        self.counters[counter] = self.counters.get(counter, 0) + 1
        value = self.counters[counter]
        return f"{value}"

    def cmd_label(self, s, j):
        key, j = read_group(s, j)
        if key is not None and self.current is not None:
            self.labels.setdefault(key.strip(), self.current)
        return "", j

    def ref(self, s, j, style):
        key, j = read_group(s, j)
        keys = [k.strip() for k in (key or "").split(",") if k.strip()]
        return ", ".join(f"\x00R{style}:{k}\x00" for k in keys), j

    def cmd_ref(self, s, j):
        return self.ref(s, j, "p")

    cmd_pageref = cmd_nameref = cmd_vref = cmd_ref

    def cmd_eqref(self, s, j):
        return self.ref(s, j, "e")

    def cmd_autoref(self, s, j):
        return self.ref(s, j, "a")

    cmd_cref = cmd_Cref = cmd_autoref_star = cmd_cref_star = cmd_Cref_star = cmd_autoref

    def cmd_newtheorem(self, s, j):
        return "", self.skip_args(s, j, 2)

    def theorem_block(self, name: str, body: str) -> str:
        opt, k = read_optional(body, 0)
        base = name.rstrip("*")
        if name == "proof":
            lead = f"*Proof{' (' + self.one_line(opt) + ')' if opt else ''}.*"
        else:
            title = self.theorems[base]
            number = "" if name.endswith("*") else " " + self.step("thm:" + base)
            self.current = ("theorem", number.strip())
            lead = f"**{title}{number}{' (' + self.one_line(opt) + ')' if opt else ''}.**"
        return f"\n\n{lead} " + self.render(body[k:]) + "\n\n"

    def resolve_refs(self, text: str) -> str:
        def one(m: re.Match[str]) -> str:
            style, key = m.group(1), m.group(2)
            kind, number = self.labels.get(key, ("", key))
            if style == "e":
                return f"({number})"
            if style == "a" and kind:
                return f"{REF_KIND.get(kind, kind.title())} {number}"
            return number

        return _REF.sub(one, text)
