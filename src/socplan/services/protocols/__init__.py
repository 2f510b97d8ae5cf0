"""Use cases of the protocols capability."""
