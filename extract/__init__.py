"""The reference library's model, its three-tier pipeline and the `refs` command."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .library import Library

__all__ = ["Library"]


def __getattr__(name: str):
    # Loaded on first use: a process that needs one module of the package (the site's
    # formula worker) does not import the manifest and curriculum machinery (~0.1 s).
    if name == "Library":
        from .library import Library

        return Library
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
