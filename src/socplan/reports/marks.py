"""What the document engine prints on every page besides the document itself (kept free of reportlab so that
the services can set it without importing the PDF stack)."""

from __future__ import annotations

from contextvars import ContextVar

DEMO_MARK = "ДЕМОНСТРАЦИОННЫЕ ДАННЫЕ"

#: The mark printed at the foot of every page; the services set ``DEMO_MARK`` while the demo database is used.
page_mark: ContextVar[str] = ContextVar("socplan_page_mark", default="")
