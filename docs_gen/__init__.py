"""The MkDocs site of the reference library (imports `extract`, never the reverse)."""
