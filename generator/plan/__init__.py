"""The plan's data: the model, reading YAML and spreadsheets with positions, cross-references,
units' overlays and extracts, the JSON Schema, and writing the user's YAML back as they wrote it."""
