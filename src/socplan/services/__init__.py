"""Use cases per capability. Each opens a unit of work, validates, calls the domain, writes the audit log,
and returns plain immutable data objects (never ORM instances)."""
