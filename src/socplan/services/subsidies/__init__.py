"""Use cases of the subsidies capability."""
