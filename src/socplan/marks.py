"""What every document the application writes carries besides the document itself: «ДЕМОНСТРАЦИОННЫЕ ДАННЫЕ»
while the demo database is used. A top-level module (standard library only) because the PDF engine
(``reports/``), the Word and Excel writers (``io/``, ``xlsx_page``, ``xlsx_safe``) all print it and the layer
contract keeps ``io`` and ``reports`` independent."""

from __future__ import annotations

from contextvars import ContextVar

DEMO_MARK = "ДЕМОНСТРАЦИОННЫЕ ДАННЫЕ"

#: The mark printed on every page; the services set ``DEMO_MARK`` while the demo database is used.
page_mark: ContextVar[str] = ContextVar("socplan_page_mark", default="")

__all__ = ["DEMO_MARK", "page_mark"]
