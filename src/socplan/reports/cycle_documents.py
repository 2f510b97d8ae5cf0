"""«Сведения о сдаче отчётности» — the completeness and timeliness board as a landscape PDF document."""

from __future__ import annotations

from typing import Sequence

from reportlab.lib import colors
from reportlab.platypus import TableStyle

from socplan.reports.document import DocumentBuilder, DocumentSpec


def board_pdf(title: str, subtitle: str, summary: Sequence[str], header: Sequence[str],
              rows: Sequence[Sequence[str]], fills: Sequence[Sequence[str]], legend: str, author: str = "") -> bytes:
    doc = DocumentBuilder(DocumentSpec(title=title, author=author, subject=subtitle, landscape=True))
    doc.heading(title, space_after_mm=1)
    doc.paragraph(subtitle, indent=False, align="center")
    for line in summary:
        doc.paragraph(line, size=11, indent=False, align="left")
    doc.spacer(2)
    n_forms = len(header) - 2
    rest = doc.frame_width / 2.834645669 - 52 - 16  # mm left after «Территория» and «Сдано, %»
    width = min(40.0, max(10.0, rest / max(n_forms, 1)))
    font = 9 if n_forms <= 8 else 7
    doc.table([list(header)], rows, [52] + [width] * n_forms + [16], font_size=font,
              align=["left"] + ["center"] * (n_forms + 1))
    table = doc.story[-1]
    commands = []
    for r, colours in enumerate(fills, start=1):
        for c, colour in enumerate(colours):
            if colour:
                commands.append(("BACKGROUND", (c, r), (c, r), colors.HexColor(colour)))
    table.setStyle(TableStyle(commands))
    doc.footnote(legend)
    return doc.build_bytes()


__all__ = ["board_pdf"]
