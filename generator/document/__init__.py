"""Making a document from a plan: the render context, the docxtpl engine, the layout pass, the seal,
and the template (what it must hold, how it is built, checked and guarded)."""
