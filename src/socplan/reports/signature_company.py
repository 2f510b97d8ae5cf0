"""A signature block never stands alone on the last page (GOST practice, issue 14): the closing lines or the last
rows before it go over with it.

With the engine of today ``doc.signature`` appends plain flowables, and the story from ``start`` (the company and
the block) is wrapped in one ``KeepTogether``. An engine that places signature blocks itself (a placeholder in the
story, laid out at build time with its company) is left to do so: nothing is wrapped then.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether

from socplan.reports.document import DocumentBuilder


def keep_with_signature(doc: DocumentBuilder, start: int) -> None:
    """Keep ``doc.story[start:]`` — the closing content and the signature block(s) after it — on one page."""
    tail = doc.story[start:]
    if len(tail) < 2 or not all(isinstance(item, Flowable) for item in tail):
        return
    del doc.story[start:]
    doc.story.append(KeepTogether(tail))


__all__ = ["keep_with_signature"]
