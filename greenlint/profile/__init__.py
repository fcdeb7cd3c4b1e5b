"""Profile mode: run flagged code briefly in a child process, measure its energy, project the full run.

Nothing here is imported by plain linting; pynvml is imported only when a profile runs.
"""
