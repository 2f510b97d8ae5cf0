"""«Руководство пользователя»: the Markdown chapters of docs/user-guide rendered to a PDF with the project's own
document engine (fonts embedded, Russian typography).

Only the Markdown the guide uses is understood: «#»/«##»/«###» headings, paragraphs, «- » and «1. » lists,
«> » notes, **bold**, `keys`, and a picture alone on its line ``![Подпись](img/file.png)``. Build with::

    python -m socplan.reports.user_guide docs/user-guide resources/guide/rukovodstvo.pdf
"""

from __future__ import annotations

import re
import sys
from html import escape
from pathlib import Path

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, Paragraph, Spacer

from socplan.reports.document import DocumentBuilder, DocumentSpec
from socplan.reports.fonts import SERIF_BOLD
from socplan.reports.styles import style
from socplan.reports.typography import tie

TITLE = "Руководство пользователя"
PICTURE = re.compile(r"^!\[(?P<caption>[^\]]*)\]\((?P<path>[^)]+)\)\s*$")
NUMBERED = re.compile(r"^(\d+)\.\s+(.*)$")


def inline(value: str) -> str:
    """**bold** and `keys` → reportlab markup (the rest escaped, Russian non-breaking spaces applied)."""
    out = escape(tie(value))
    out = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", out)
    return re.sub(r"`(.+?)`", rf'<font name="{SERIF_BOLD}">\1</font>', out)


def chapters(folder: Path) -> list[Path]:
    """The chapters in order of their file names (01-…md, 02-…md)."""
    return sorted(p for p in Path(folder).glob("*.md") if p.name[:2].isdigit())


def render(folder: Path) -> bytes:
    folder = Path(folder)
    doc = DocumentBuilder(DocumentSpec(title=f"СоцПлан. {TITLE}", author="СоцПлан", subject=TITLE))
    body = style(12, leading=15, space_after=2 * mm)
    item = style(12, align=TA_LEFT, leading=15, indent_mm=0, space_after=1 * mm)
    item.leftIndent, item.bulletIndent = 7 * mm, 2 * mm
    note = style(11, align=TA_LEFT, leading=14, space_after=2 * mm)
    note.leftIndent, note.borderPadding, note.backColor = 4 * mm, 2 * mm, "#F2F2F2"
    caption = style(10, align=TA_CENTER, space_after=4 * mm)
    for n, path in enumerate(chapters(folder)):
        if n:
            doc.page_break()
        paragraph: list[str] = []

        def flush() -> None:
            if paragraph:
                doc.flowable(Paragraph(inline(" ".join(paragraph)), body))
                paragraph.clear()

        for raw in path.read_text(encoding="utf-8").splitlines():
            line = raw.strip()
            if not line:
                flush()
                continue
            if line.startswith("#"):
                flush()
                level = len(line) - len(line.lstrip("#"))
                words = line.lstrip("#").strip()
                doc.heading(words, size={1: 16, 2: 13}.get(level, 12), space_after_mm=3 if level > 1 else 6)
            elif (picture := PICTURE.match(line)) is not None:
                flush()
                doc.flowable(_picture(folder / picture["path"], picture["caption"], doc.frame_width, caption))
            elif line.startswith(("- ", "* ")):
                flush()
                doc.flowable(Paragraph(inline(line[2:]), item, bulletText="•"))
            elif (numbered := NUMBERED.match(line)) is not None:
                flush()
                doc.flowable(Paragraph(inline(numbered[2]), item, bulletText=f"{numbered[1]}."))
            elif line.startswith(">"):
                flush()
                doc.flowable(Paragraph(inline(line.lstrip("> ")), note))
            else:
                paragraph.append(line)
        flush()
    return doc.build_bytes()


def _picture(path: Path, caption: str, width: float, caption_style) -> KeepTogether:  # noqa: ANN001
    from reportlab.lib.utils import ImageReader

    w, h = ImageReader(str(path)).getSize()
    shown_w = min(width, 170 * mm)
    shown_h = shown_w * h / w
    if shown_h > 120 * mm:  # a tall picture keeps the page readable
        shown_w, shown_h = shown_w * 120 * mm / shown_h, 120 * mm
    parts = [Spacer(1, 2 * mm), Image(str(path), width=shown_w, height=shown_h)]
    if caption:
        parts.append(Paragraph(inline(caption), caption_style))
    return KeepTogether(parts)


def build(folder: Path, output: Path) -> Path:
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(render(folder))
    return output


if __name__ == "__main__":  # pragma: no cover - a build step
    print(build(Path(sys.argv[1]), Path(sys.argv[2])))
