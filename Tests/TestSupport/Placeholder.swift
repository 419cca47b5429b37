// TestSupport: shared helpers for tests (temporary dirs, subprocesses, privileges).
