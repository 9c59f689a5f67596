"""The site tests' tools (`mkdocs_site`, `compiled_templates`): a build run in the test
process, or in a process forked for a cold build, compiles a theme template again only
when its text or what Jinja's compiler reads changed."""

from __future__ import annotations

import functools

import compiled_templates
import forked_process
import jinja2
import pytest
from compiled_templates import CompiledTemplates


@pytest.fixture
def compiled(monkeypatch):
    """The names Jinja compiles from now on."""
    names: list[str] = []
    real = jinja2.Environment.compile

    def compile_(self, source, name=None, filename=None, raw=False, defer_init=False):
        names.append(name)
        return real(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", compile_)
    return names


def render(cache, text: str, where: str = "a", **options) -> str:
    loader = jinja2.FileSystemLoader(where)  # the path is no part of the key
    loader.get_source = lambda env, name: (text, f"{where}/{name}", lambda: True)
    env = jinja2.Environment(loader=loader, bytecode_cache=cache, **options)
    return env.get_template("page.html").render(x="Word")


def test_a_template_is_compiled_once_per_text_and_compiler(compiled):
    cache = CompiledTemplates()
    assert render(cache, "{{ x|upper }}") == "WORD" and len(compiled) == 1
    assert render(cache, "{{ x|upper }}", where="b") == "WORD" and len(compiled) == 1  # reused
    assert render(cache, "{{ x|lower }}") == "word" and len(compiled) == 2  # other text
    assert render(cache, "{% if 1 %}\n{{ x }}{% endif %}", trim_blocks=True) == "Word"
    assert render(cache, "{% if 1 %}\n{{ x }}{% endif %}") == "\nWord" and len(compiled) == 4
    assert render(cache, "{{ x|upper }}", extensions=["jinja2.ext.i18n"]) and len(compiled) == 5


def test_processes_sharing_a_folder_compile_a_template_once(compiled, tmp_path):
    first, second = CompiledTemplates(tmp_path), CompiledTemplates(tmp_path)
    assert render(first, "{{ x|upper }}") == "WORD" and len(compiled) == 1
    assert render(second, "{{ x|upper }}", where="b") == "WORD" and len(compiled) == 1
    assert render(second, "{{ x|lower }}") == "word" and len(compiled) == 2
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 2 and not [f for f in files if f.startswith(".")]  # written whole
    (tmp_path / files[0]).write_bytes(b"not bytecode")  # unreadable: compiled again
    third = CompiledTemplates(tmp_path)
    assert render(third, "{{ x|upper }}") == "WORD" and render(third, "{{ x|lower }}") == "word"
    assert len(compiled) == 3


SCRIPT = """\
from mkdocs.theme import Theme
cache = Theme(name="mkdocs").get_env().bytecode_cache
print(type(cache).__name__, getattr(cache, "folder", None))
"""


def test_a_forked_build_takes_its_templates_from_the_folder(tmp_path):
    (tmp_path / "theme_env.py").write_text(SCRIPT, encoding="utf-8")
    folder = tmp_path / "templates"
    folder.mkdir()
    install = functools.partial(compiled_templates.install, str(folder))
    done = forked_process.run("theme_env", [], cwd=tmp_path, preexec_fn=install)
    assert done.stdout == f"CompiledTemplates {folder}\n", done.stderr
    plain = forked_process.run("theme_env", [], cwd=tmp_path)
    assert plain.stdout == "NoneType None\n", plain.stderr
