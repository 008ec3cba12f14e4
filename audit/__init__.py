"""`make audit`: Lighthouse and the Nu HTML checker on every public page type (run.py)."""
