"""Use cases of the indicators capability."""
