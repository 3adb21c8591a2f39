"""Reading and writing Word files: knows OOXML, not a plan's rules.

reader.py is the one reader of a .docx (check and import both consume it); formatting.py resolves
what a reader sees through styles; tables.py writes tables; package.py makes stable zips and
inspects a package before anything parses it; output.py writes every file a command makes (one
policy); metrics.py measures text; internals.py holds every use of python-docx's and docxtpl's
private API. This package imports nothing of ours but errors, limits, text and model constants.
"""
