"""Tier 2: raw artifacts -> one lossless `full.md` per resource.

Readers (one module per raw kind) turn an artifact into a `Converted` document;
`document.render` writes it with the front matter DESIGN.md fixes.
"""
