"""The documented JSON shapes of the agent commands and the site's exports, and a checker.

The shapes below are the documented JSON outputs of `refs show --json`,
`refs show --anchors --json`, `refs cite --json`, `refs search --json`,
`refs review --json` and the site's `refs.json`. Notation: a type name
("str", "int", "float", "bool", "null"), a tuple of alternatives, a one-item list
for "array of", a dict for an object with exactly these keys, or `ANY_MAP` for an
object with free keys and string values.
"""

from __future__ import annotations

ANY_MAP = "map[str,str]"

EVIDENCE = {
    "path": "str",
    "anchor": "str",
    "target": "str",
    "line": "int",
    "resolves": "bool",
    "problem": ("str", "null"),
}
CLAIM = {
    "number": "int",
    "text": "str",
    "line": "int",
    "evidence_text": "str",
    "placeholder": "bool",
    "evidence": [EVIDENCE],
    "offsite": [{"url": "str", "line": "int"}],
    "stale": [{"target": "str", "reviewed": "str", "before": "str", "after": "str"}],
}
CARD = {
    "path": "str",
    "title": "str",
    "fields": ANY_MAP,
    "why_it_matters": "str",
    "reviewed": ("str", "null"),
    "claims": [CLAIM],
    "actionables": ["str"],
    "related": [{"id": "str", "exists": "bool", "has_card": "bool", "line": "int"}],
    "sections": ANY_MAP,
    "missing_sections": ["str"],
    "placeholders": ["int"],
}
FACTS = {
    "id": "str",
    "title": "str",
    "type": "str",
    "topics": [("int", "str")],
    "priority": "str",
    "status": "str",
    "urls": ["str"],
    "byline": "str",
    "description": "str",
    "notes": "str",
    "card_path": ("str", "null"),
    "full_md_path": ("str", "null"),
    "next": ("str", "null"),
}
SHOW = {**FACTS, "card": (CARD, "null")}
ANCHORS = {
    "id": "str",
    "path": "str",
    "headings": [{"level": "int", "text": "str", "anchor": "str", "line": "int"}],
    "explicit_anchors": ["str"],
}
PASSAGE = {
    "anchor": "str",
    "heading": "str",
    "level": "int",
    "line": "int",
    "end_line": "int",
    "text": "str",
    "truncated": "bool",
}
CITE = {
    "id": "str",
    "card_path": "str",
    "subsections": "bool",
    "ok": "bool",
    "claims": [
        {
            **{k: v for k, v in CLAIM.items() if k != "evidence"},
            "citations": [{**EVIDENCE, "passage": (PASSAGE, "null")}],
        }
    ],
}
SEARCH = {
    "query": "str",
    "hits": [
        {
            "rank": "int",
            "kind": "str",
            "id": ("str", "null"),
            "path": "str",
            "anchor": "str",
            "target": "str",
            "line": "int",
            "heading": "str",
            "snippet": "str",
            "score": ("float", "int"),
            "all_terms": "bool",
        }
    ],
}
CITE_TARGET = {
    "id": "str",
    **{k: v for k, v in EVIDENCE.items() if k != "line"},
    "passage": (PASSAGE, "null"),
    "subsections": "bool",
    "cited_by": [{"card_path": "str", "claim": ("int", "null"), "line": "int"}],
}
FINDING = {
    "rule": "str",
    "severity": "str",
    "path": "str",
    "line": "int",
    "message": "str",
    "rid": "str",
}
REVIEW_REFUSED = {
    "id": "str",
    "status": "str",
    "errors": "int",
    "placeholders": "int",
    "warnings": "int",
    "findings": [FINDING],
    "reviewed": "bool",
    "message": "str",
}
REVIEW_DONE = {
    **{k: v for k, v in REVIEW_REFUSED.items() if k != "message"},
    "notes": "str",
    "card_status_row": "bool",
    "record": "str",
    "recorded_passages": "int",
}
EXPORT_EVIDENCE = {**EVIDENCE, "url": ("str", "null")}
EXPORT_CARD = {
    **CARD,
    "claims": [{**CLAIM, "evidence": [EXPORT_EVIDENCE]}],
    "related": [{**CARD["related"][0], "url": ("str", "null")}],
}
REFS_JSON = {
    "version": "int",
    "title": "str",
    "topics": [
        {"key": ("int", "str"), "title": "str", "group": "str", "url": "str", "resources": ["str"]}
    ],
    "reading_order": [{"step": "int", "title": "str", "ids": ["str"]}],
    "resources": [
        {
            **FACTS,
            "page_url": "str",
            "source_md_url": ("str", "null"),
            "card": (EXPORT_CARD, "null"),
        }
    ],
}

_TYPES = {"str": str, "int": int, "float": float, "bool": bool, "null": type(None)}


def shape_errors(value, shape, where: str = "$") -> list[str]:
    """Every place where ``value`` does not fit ``shape`` (empty list: it fits)."""
    if isinstance(shape, tuple):
        options = [shape_errors(value, s, where) for s in shape]
        return [] if any(not o for o in options) else min(options, key=len)
    if isinstance(shape, list):
        if not isinstance(value, list):
            return [f"{where}: expected an array, got {type(value).__name__}"]
        return [e for i, v in enumerate(value) for e in shape_errors(v, shape[0], f"{where}[{i}]")]
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            return [f"{where}: expected an object, got {type(value).__name__}"]
        errs = [f"{where}: missing key {k!r}" for k in shape if k not in value]
        errs += [f"{where}: unexpected key {k!r}" for k in value if k not in shape]
        for k, sub in shape.items():
            if k in value:
                errs += shape_errors(value[k], sub, f"{where}.{k}")
        return errs
    if shape == ANY_MAP:
        ok = isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        )
        return [] if ok else [f"{where}: expected an object of strings"]
    expected = _TYPES[shape]
    if isinstance(value, bool) and expected is not bool:  # bool is an int in Python
        return [f"{where}: expected {shape}, got bool"]
    if not isinstance(value, expected):
        return [f"{where}: expected {shape}, got {type(value).__name__}"]
    return []


def assert_shape(value, shape) -> None:
    errors = shape_errors(value, shape)
    assert not errors, "JSON does not match its documented shape:\n" + "\n".join(errors[:20])
