"""The site tests' tools (`mkdocs_site`): a build run in the test process compiles a
theme template again only when its text or what Jinja's compiler reads changed."""

from __future__ import annotations

import jinja2
from mkdocs_site import _CompiledTemplates


def test_a_template_is_compiled_once_per_text_and_compiler(monkeypatch):
    cache = _CompiledTemplates()
    compiled: list[str] = []
    real = jinja2.Environment.compile

    def compile_(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return real(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", compile_)

    def render(text: str, where: str = "a", **options) -> str:
        loader = jinja2.FileSystemLoader(where)  # the path is no part of the key
        loader.get_source = lambda env, name: (text, f"{where}/{name}", lambda: True)
        env = jinja2.Environment(loader=loader, bytecode_cache=cache, **options)
        return env.get_template("page.html").render(x="Word")

    assert render("{{ x|upper }}") == "WORD" and len(compiled) == 1
    assert render("{{ x|upper }}", where="b") == "WORD" and len(compiled) == 1  # reused
    assert render("{{ x|lower }}") == "word" and len(compiled) == 2  # other text
    assert render("{% if 1 %}\n{{ x }}{% endif %}", trim_blocks=True) == "Word"  # other syntax
    assert render("{% if 1 %}\n{{ x }}{% endif %}") == "\nWord" and len(compiled) == 4
    assert render("{{ x|upper }}", extensions=["jinja2.ext.i18n"]) and len(compiled) == 5
