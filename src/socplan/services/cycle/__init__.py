"""The reporting cycle of a form × territory × period: submission and its blockers, acceptance, return,
reopening, due dates and extensions, «Что сдать» and the completeness and timeliness board."""
