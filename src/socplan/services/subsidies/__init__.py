"""Use cases of the subsidies capability: rounds and applications (``rounds``), documents (``reports``)."""
