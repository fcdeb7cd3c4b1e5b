"""Test-session settings shared by every test module."""
from __future__ import annotations

import os

# A detector that raises becomes a GL000 "internal error" finding for users, so one bad rule costs
# no other. In tests that finding would be filtered out by the helpers that keep one rule's
# findings, and a test expecting no finding would pass over a crash: here a detector error raises.
# Subprocesses (the CLI) inherit it. tests/test_no_crash.py turns it off where it checks the GL000.
os.environ["GREENLINT_DEBUG"] = "1"
