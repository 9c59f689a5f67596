"""The theme's Jinja templates compiled once per test run, for every build a test makes:
in the test process (`mkdocs_site.as_a_new_process`) and in the processes forked for
cold builds (`mkdocs_site.build_in_a_new_process`), which find what another build
compiled in a folder of this worker's (`install`, run in the child before MkDocs).

A template is found by its name and text and by what Jinja's compiler reads of the
environment, not by its file's path (each library has its own theme mirror under
.refs-cache/): the same text compiled under the same settings is the same code, so a
build given it renders what a build that compiled it renders. Compiling is a third of a
small library's cold build (41 templates), and no test is about it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

import jinja2
import jinja2.bccache

# What Jinja's compiler reads of an environment beside its extensions, filters and tests.
SETTINGS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "is_async",
)


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's bytecode cache keyed by template name, text and compiler settings; kept
    in memory and, given a ``folder``, in files there (written whole, by rename, so a
    process reading one never sees half of it)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.store: dict[str, bytes] = {}
        self.folder = folder

    def get_bucket(self, environment, name, filename, source) -> jinja2.bccache.Bucket:
        compiler_reads = (
            type(environment),
            [getattr(environment, setting) for setting in SETTINGS],
            sorted(environment.extensions),
            sorted(environment.filters),
            sorted(environment.tests),
            environment.finalize,
            environment.autoescape,
        )
        checksum = self.get_source_checksum(source)
        key = hashlib.sha1(f"{name}|{checksum}|{compiler_reads!r}".encode()).hexdigest()
        bucket = jinja2.bccache.Bucket(environment, key, checksum)
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is None and self.folder is not None:
            with contextlib.suppress(FileNotFoundError):
                data = self.store[bucket.key] = (self.folder / bucket.key).read_bytes()
        if data is not None:
            bucket.bytecode_from_string(data)  # a wrong magic or checksum: compiled again

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store[bucket.key] = bucket.bytecode_to_string()
        if self.folder is not None:
            fd, temp = tempfile.mkstemp(dir=self.folder, prefix=".part-")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(temp, self.folder / bucket.key)


def install(folder: str) -> None:
    """In a forked child, before MkDocs runs: the theme environments MkDocs makes take
    their compiled templates from ``folder`` and leave there what they compile. Not for
    `mkdocs serve`, whose serve cache brings a bytecode cache of its own."""
    from mkdocs.theme import Theme

    cache = CompiledTemplates(Path(folder))
    get_env = Theme.get_env

    def get_env_compiled_once(theme: Theme) -> jinja2.Environment:
        env = get_env(theme)
        env.bytecode_cache = cache
        return env

    Theme.get_env = get_env_compiled_once  # type: ignore[method-assign]
