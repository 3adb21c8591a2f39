"""The jobs a user runs, each a library call that returns its results: issue (drafts and finals),
batch, rollover, import. The CLI and the editor only call them."""
