"""Reading and writing Word files: knows OOXML, not a plan's rules.

reader.py is the one reader of a .docx (check and import both consume it); formatting.py resolves
what a reader sees through styles; package.py writes stable zips atomically; metrics.py measures text.
This package imports nothing of ours but errors, text and model constants.
"""
