"""Use cases of the reports capability."""
