"""What the document engine prints on every page besides the document itself (kept free of reportlab so that
the services can set it without importing the PDF stack); the mark itself lives in :mod:`socplan.marks`, shared
with the Word and Excel writers."""

from __future__ import annotations

from socplan.marks import DEMO_MARK, page_mark

__all__ = ["DEMO_MARK", "page_mark"]
