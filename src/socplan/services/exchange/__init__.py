"""Use cases of the exchange capability."""
