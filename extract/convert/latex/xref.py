"""Counters, labels and cross references; theorem-like environments and their numbers.

A `\\label` takes the kind and number of the last numbered thing in its scope (as
LaTeX's `\\@currentlabel`, which an environment's end restores). References are
written as placeholders and filled in at the end, when every number is known:
`\\ref` gives the number, `\\eqref` "(number)", and `\\autoref`/`\\cref` name the
kind too ("Lemma 3", "Figure 2a"), with the names the paper set (`\\crefname`,
`\\lemmaautorefname`) or else the theorem's own title. A key no label defines reads
"??", as in the PDF, and the notes list it.
"""

from __future__ import annotations

import re

from .scan import read_group, read_optional
from .state import RenderState, TheoremKind

_REF = re.compile(r"\x00R([peacC]):([^\x00]*)\x00")

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
    "subfigure": "Figure",
    "table": "Table",
    "subtable": "Table",
    "equation": "Equation",
    "algorithm": "Algorithm",
    "line": "Line",
    "listing": "Listing",
    "item": "Item",
    "footnote": "Footnote",
}
_PLURAL = {"Appendix": "Appendices"}


_NEWTHEOREM = re.compile(r"\\(newtheorem|spnewtheorem|declaretheorem)(\*?)(?![A-Za-z@])")


def theorem_kinds(text: str) -> dict[str, TheoremKind]:
    """Theorem-like environments the paper declares (`\\newtheorem{lemma}[theorem]{Lemma}`,
    `\\newtheorem{thm}{Theorem}[section]`, `\\newtheorem*`, `\\spnewtheorem`, thmtools'
    `\\declaretheorem[name=..., sibling=...]{name}`)."""
    kinds: dict[str, TheoremKind] = {}
    for m in _NEWTHEOREM.finditer(text):
        j = m.end()
        if m.group(1) == "declaretheorem":
            opts, j = read_optional(text, j)
            env, j = read_group(text, j)
            if not env:
                continue
            keys = dict(
                (k.strip(), v.strip())
                for k, _, v in (p.partition("=") for p in (opts or "").split(","))
            )
            title = keys.get("name", env.strip().title())
            shared = keys.get("sibling") or keys.get("sharenumber")
            within = keys.get("numberwithin") or keys.get("parent")
            numbered = keys.get("numbered", "yes") != "no" and not m.group(2)
            kinds[env.strip()] = TheoremKind(title, shared or env.strip(), within, numbered)
            continue
        env, j = read_group(text, j)
        shared, j = read_optional(text, j)
        printed, j = read_group(text, j)
        within, j = read_optional(text, j)
        if not env or printed is None:
            continue
        env = env.strip()
        kinds[env] = TheoremKind(
            printed.strip(),
            (shared or env).strip(),
            within.strip() if within else None,
            numbered=not m.group(2),
        )
    return kinds


_NUMBERWITHIN = re.compile(r"\\(?:numberwithin|counterwithin)\s*\{([^}]*)\}\s*\{([^}]*)\}")
_CREFNAME = re.compile(r"\\(crefname|Crefname)\s*\{([^}]*)\}\s*\{([^}]*)\}\s*\{([^}]*)\}")


def numbered_within(text: str) -> dict[str, str]:
    """counter -> parent counter from `\\numberwithin{equation}{section}`."""
    return {a.strip(): b.strip() for a, b in _NUMBERWITHIN.findall(text)}


def ref_formats(text: str) -> dict[str, str]:
    """prettyref's ``\\newrefformat{fig}{Figure~\\ref{#1}}``: prefix -> format."""
    formats = {}
    for m in re.finditer(r"\\newrefformat\s*\{([^}]*)\}", text):
        body, _ = read_group(text, m.end())
        if body is not None:
            formats[m.group(1).strip()] = body
    return formats


def cref_names(text: str) -> dict[str, tuple[str, str]]:
    """kind -> (singular, plural) the paper gives cleveref (`\\Crefname` wins)."""
    names: dict[str, tuple[str, str]] = {}
    for which, kind, one, many in _CREFNAME.findall(text):
        if which == "Crefname" or kind.strip() not in names:
            names[kind.strip()] = (one.strip(), many.strip())
    return names


class XrefMixin(RenderState):
    """Renderer methods for counters, labels, references and theorems (mixed into
    `Renderer`)."""

    def section_number(self, depth: int) -> str:
        parts = [str(x) for x in self.sections[: depth + 1]]
        if self.appendix and parts:
            top = self.sections[0]
            parts[0] = chr(ord("A") + top - 1) if 0 < top <= 26 else str(top)
        return ".".join(parts)

    def reset_within(self, parent: str) -> None:
        for counter, within in self.within.items():
            if within == parent:
                self.counters[counter] = 0

    def step(self, counter: str) -> str:
        """Step ``counter`` and return its printed value ("3", "2.1", "A.4", "5b")."""
        if counter == "equation" and self.subequations is not None:
            outer, letters = self.subequations[0], self.subequations[1] + 1
            self.subequations = (outer, letters)
            return outer + chr(ord("a") + (letters - 1) % 26)
        self.counters[counter] = self.counters.get(counter, 0) + 1
        value = str(self.counters[counter])
        parent = self.within.get(counter)
        depth = {"section": 0, "chapter": 0, "subsection": 1, "subsubsection": 2}.get(parent or "")
        if depth is not None and any(self.sections[: depth + 1]):
            value = f"{self.section_number(depth)}.{value}"
        elif parent in self.printed:  # \newtheorem{corollary}{Corollary}[theorem]: "2.1"
            value = f"{self.printed[parent]}.{value}"
        self.printed[counter] = value
        self.reset_within(counter)
        return value

    def cmd_label(self, s, j):
        key, j = read_group(s, j)
        if key is not None and self.current is not None:
            self.labels.setdefault(key.strip(), self.current)
        return "", j

    def ref(self, s, j, style):
        if s.startswith("*", j):
            j += 1
        key, j = read_group(s, j)
        keys = [k.strip() for k in (key or "").split(",") if k.strip()]
        if style in "cC" and keys:  # one placeholder: "Lemmas 1 and 2"
            return f"\x00R{style}:{','.join(keys)}\x00", j
        return ", ".join(f"\x00R{style}:{k}\x00" for k in keys), j

    def cmd_ref(self, s, j):
        return self.ref(s, j, "p")

    cmd_pageref = cmd_nameref = cmd_vref = cmd_subref = cmd_ref

    def cmd_eqref(self, s, j):
        return self.ref(s, j, "e")

    def cmd_autoref(self, s, j):
        return self.ref(s, j, "a")

    cmd_Autoref = cmd_autoref

    def cmd_cref(self, s, j):
        return self.ref(s, j, "c")

    cmd_Cref = cmd_cref

    def cmd_crefrange(self, s, j):
        first, j = read_group(s, j)
        last, j = read_group(s, j)
        return f"\x00Rc:{(first or '').strip()}\x00 to \x00Rp:{(last or '').strip()}\x00", j

    cmd_Crefrange = cmd_crefrange

    def cmd_prettyref(self, s, j):
        """prettyref: ``\\prettyref{fig:x}`` reads as the paper's format for "fig"."""
        key, j = read_group(s, j)
        key = (key or "").strip()
        fmt = self.ref_formats.get(key.split(":", 1)[0])
        if fmt is None:
            return f"\x00Ra:{key}\x00", j  # no format for the prefix: name the kind
        return self.render(fmt.replace("#1", key)), j

    def cmd_newtheorem(self, s, j):
        return "", self.skip_args(s, j, 2)

    def theorem_block(self, name: str, body: str, number: str | None = None) -> str:
        """A theorem-like environment; ``number`` set means a restatement (thmtools'
        ``\\thmname*``), which shows the original number and steps nothing."""
        opt, k = read_optional(body, 0)
        base = name.rstrip("*")
        if name in ("proof", "proof*"):
            # amsthm: the optional argument replaces the word ("Proof of Theorem 2.").
            lead = f"*{self.one_line(opt).rstrip('.') if opt else 'Proof'}.*"
        else:
            kind = self.theorems.get(base) or TheoremKind(base[:1].upper() + base[1:], base)
            shown = ""
            if number is not None:
                shown = f" {number}" if number else ""
            elif kind.numbered and not name.endswith("*"):
                shown = " " + self.step(kind.counter)
                self.current = (base, shown.strip())
            lead = f"**{kind.title}{shown}{' (' + self.one_line(opt) + ')' if opt else ''}.**"
        return f"\n\n{lead} " + self.render(body[k:]) + "\n\n"

    def restatable(self, body: str) -> str:
        """thmtools: ``\\begin{restatable}[title]{lemma}{name}``: a theorem whose
        ``\\name*`` later prints it again, with the same number."""
        title, k = read_optional(body, 0)
        env, k = read_group(body, k)
        macro, k = read_group(body, k)
        env = (env or "theorem").strip()
        inner = (f"[{title}]" if title else "") + body[k:]
        rendered = self.theorem_block(env, inner)
        number = self.current[1] if self.current and self.current[0] == env.rstrip("*") else ""
        if macro:
            self.restatables[macro.strip().lstrip("\\")] = (env, inner, number)
        return rendered

    def restate(self, name: str, s: str, j: int) -> tuple[str, int]:
        if s.startswith("*", j):
            j += 1
        env, inner, number = self.restatables[name]
        saved = self.current
        try:
            # Labels inside were recorded the first time; the copy keeps the number.
            inner = re.sub(r"\\label\s*\{[^}]*\}", "", inner)
            return self.theorem_block(env, inner, number=number), j
        finally:
            self.current = saved

    # -- the end -----------------------------------------------------------------

    def kind_name(self, kind: str, style: str, plural: bool = False) -> str:
        """The word a reference puts before the number of a ``kind``."""
        if style == "a":
            macro = self.macros.get(kind + "autorefname")
            if macro is not None and not macro.nargs:
                # "\\S\\@gobble": hyperref's idiom for "§2" with no space.
                name = self.one_line(macro.body.replace("\\@gobble", ""))
                if name:
                    glue = "\x01" if "\\@gobble" in macro.body else ""
                    return name + ("s" if plural else "") + glue
        names = self.cref_names.get(kind)
        if style in "cC" and names:
            return self.one_line(names[1] if plural else names[0])
        if kind in self.theorems:
            name = self.theorems[kind].title
        else:
            name = REF_KIND.get(kind, kind[:1].upper() + kind[1:])
        if plural:
            return _PLURAL.get(name, name + "s")
        return name

    def _shown(self, kind: str, number: str, style: str) -> str:
        if kind == "equation" and style in "ecC":
            return f"({number})"
        return number

    def resolve_refs(self, text: str) -> str:
        def one(m: re.Match[str]) -> str:
            style, keys = m.group(1), m.group(2).split(",")
            found = []
            for key in keys:
                if key in self.labels:
                    found.append(self.labels[key])
                else:
                    self.unresolved_refs.add(key)
                    found.append(("", "??"))
            if style in "pe":
                kind, number = found[0]
                return f"({number})" if style == "e" else number
            kinds = {kind for kind, _ in found}
            if style in "cC" and len(found) > 1 and len(kinds) == 1 and "" not in kinds:
                kind = found[0][0]
                numbers = [self._shown(kind, n, style) for _, n in found]
                listed = ", ".join(numbers[:-1]) + " and " + numbers[-1]
                return f"{self.kind_name(kind, style, plural=True)} {listed}"
            parts = []
            for kind, number in found:
                shown = self._shown(kind, number, style)
                parts.append(f"{self.kind_name(kind, style)} {shown}" if kind else shown)
            return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]

        return _REF.sub(one, text).replace("\x01 ", "")
