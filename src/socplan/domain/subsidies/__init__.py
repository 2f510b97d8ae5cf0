"""Subsidy calculations of seed 003: Appendix 12 (СОНКО support) and Appendix 13 (sound traffic lights, stops).

Pure standard library. Every formula is implemented once, named after its rule, and records what it did
in a :class:`~socplan.domain.subsidies.trace.Trace` so that the protocol can show every intermediate value.
"""
