"""The reference library's model, its three-tier pipeline and the `refs` command."""

from .library import Library

__all__ = ["Library"]
