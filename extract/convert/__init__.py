"""Tier 2: raw artifacts -> one lossless `full.md` per resource.

`readers.READERS` is the table of readers, one entry per kind of raw artifact (how
`run.plan` finds it in a raw folder, how it is read into `document.Document`s);
`run.build` joins an artifact set's documents, `document.render` writes full.md with
`extract.full_md`'s front matter, and `batch.convert_resources` converts many
resources in worker processes for `refs convert`.
"""
