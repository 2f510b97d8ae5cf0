"""Use cases of the reports capability: the report journal (``registry``), certificates (``certificates``),
signing and verifying files (``signatures``)."""
