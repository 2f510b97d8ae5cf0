"""Use cases of the plans capability."""
