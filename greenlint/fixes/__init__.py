"""Fix builders: the text edits a detector attaches to its finding (`Fix(description, safety,
edits)`), one module per rule (gl101, gl201, gl304). The detectors decide *whether* a fix is
right; these modules only spell it, with the shared edit helpers of `edits` (keywords, list
elements, imports that reuse the file's own spelling). greenlint/fix.py applies them.
"""
