"""Tier 2: raw artifacts -> one lossless `full.md` per resource.

`run.plan` lists a raw folder's artifacts, `readers.READERS` converts each kind
into `document.Document`s (one reader per raw kind, same signature), `run.build`
joins them, and `document.render` writes full.md with `extract.full_md`'s front
matter.
"""
