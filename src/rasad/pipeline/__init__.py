"""Extraction: one article in, its events out, stage after stage over one `Document`.

    read -> normalise -> segment -> annotate -> mentions -> filters -> figures -> incidents -> record -> geocode

`run.extract` drives them; each stage is a module of this package.
"""
