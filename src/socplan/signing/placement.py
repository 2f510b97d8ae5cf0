"""Where a signature stamp goes: recorded signature places, existing stamps, free space on a page.

Used by :mod:`socplan.signing.pades`; no pyHanko writer here, only reading.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any, Protocol, Sequence

from socplan.signing.errors import NotPdfError

MM = 72 / 25.4
STAMP_W = 81 * MM
STAMP_H = 22 * MM
BOXES_KEY = "/SocPlanStampBoxes"


class BoxLike(Protocol):
    page: int  # 1-based
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class StampBox:
    """A stamp place: page (1-based) and rectangle in PDF points; ``name`` is the signature block's «И.О. Фамилия»,
    ``position`` the signer's position printed beside it («Председательствующий», «Секретарь», «Министр …»)."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float
    name: str = ""
    position: str = ""

    @property
    def label(self) -> str:
        """«Секретарь — А.В. Петрова (стр. 3)»: how a user picks the place."""
        who = " — ".join(p for p in (" ".join(self.position.split()), self.name) if p) or "место подписи"
        return f"{who} (стр. {self.page})"


# ------------------------------------------------------------------ reading
def open_reader(pdf: bytes) -> Any:
    """A pyHanko reader, or NotPdfError in Russian when the bytes are not a readable PDF."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    if not isinstance(pdf, (bytes, bytearray)) or b"%PDF-" not in bytes(pdf[:1024]):
        raise NotPdfError("Файл не является документом PDF (нет заголовка «%PDF»). Выберите файл PDF.")
    try:
        reader = PdfFileReader(io.BytesIO(bytes(pdf)), strict=False)
        _ = reader.root["/Pages"]
    except (PdfError, KeyError, ValueError, TypeError, IndexError, AttributeError) as exc:
        raise NotPdfError("Файл PDF повреждён и не читается. Получите исправный экземпляр файла.") from exc
    if reader.encrypted:
        raise NotPdfError("Файл PDF зашифрован паролем. Снимите защиту и повторите.")
    return reader


def _page_refs(reader: Any) -> list[Any]:
    refs: list[Any] = []

    def walk(node_ref: Any) -> None:
        node = node_ref.get_object()
        if node.get("/Type") == "/Pages" or "/Kids" in node:
            for kid in node["/Kids"]:
                walk(kid)
        else:
            refs.append(node_ref)

    walk(reader.root.raw_get("/Pages"))
    return refs


def _rect(obj: Any) -> tuple[float, float, float, float]:
    x1, y1, x2, y2 = (float(v) for v in obj)
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def _has_signature_fields(reader: Any) -> bool:
    """Whether the document's form (catalog ``/AcroForm``, where every field of a PDF is listed) has a signature
    field. Without one there is no stamp to find, and the pages need not be read one by one (≈ 25 ms for 100
    pages, on every signature)."""
    form = reader.root.get("/AcroForm")
    form = form.get_object() if hasattr(form, "get_object") else form
    stack = list((form or {}).get("/Fields", None) or [])
    seen: set[tuple[int, int]] = set()
    while stack:
        ref = stack.pop()
        key = (getattr(ref, "idnum", id(ref)), getattr(ref, "generation", 0))
        if key in seen:
            continue
        seen.add(key)
        field = ref.get_object() if hasattr(ref, "get_object") else ref
        if not hasattr(field, "get"):
            continue
        if field.get("/FT") == "/Sig":
            return True
        stack.extend(field.get("/Kids", None) or [])
    return False


def existing_stamps(reader: Any) -> list[StampBox]:
    """Rectangles of signature widgets already in the document (page 1-based)."""
    if not _has_signature_fields(reader):
        return []
    pages = _page_refs(reader)
    index = {(r.idnum, r.generation): i for i, r in enumerate(pages)}
    found: list[StampBox] = []
    for i, page_ref in enumerate(pages):
        page = page_ref.get_object()
        for annot_ref in page.get("/Annots", []) or []:
            annot = annot_ref.get_object()
            if annot.get("/Subtype") != "/Widget":
                continue
            field = annot if "/FT" in annot else annot.get("/Parent", annot)
            field = field.get_object() if hasattr(field, "get_object") else field
            if field.get("/FT") != "/Sig" or "/Rect" not in annot:
                continue
            x1, y1, x2, y2 = _rect(annot["/Rect"])
            if x2 - x1 < 1 or y2 - y1 < 1:
                continue
            p = annot.raw_get("/P") if "/P" in annot else None
            page_no = index.get((p.idnum, p.generation), i) + 1 if p is not None and hasattr(p, "idnum") else i + 1
            found.append(StampBox(page_no, x1, y1, x2, y2))
    return found


def recorded_boxes(reader: Any) -> list[StampBox]:
    """Signature places the document engine recorded in the catalog."""
    raw = reader.root.get(BOXES_KEY)
    boxes: list[StampBox] = []
    for item in raw or []:
        try:
            page, x1, y1, x2, y2 = (float(v) for v in list(item)[:5])
            name = str(item[5]) if len(item) > 5 else ""
            position = str(item[6]) if len(item) > 6 else ""
        except (TypeError, ValueError, IndexError):
            continue
        boxes.append(StampBox(int(page), x1, y1, x2, y2, name, position))
    return boxes


def _overlaps(a: BoxLike, b: BoxLike) -> bool:
    return a.page == b.page and a.x1 < b.x2 and b.x1 < a.x2 and a.y1 < b.y2 and b.y1 < a.y2


def signature_count(pdf: bytes) -> int:
    return len(open_reader(pdf).embedded_signatures)


# ------------------------------------------------------------------ free space on a page
_NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)"
_TOKEN = re.compile(rb"\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>|\[|\]|/[^\s/\[\]()<>]+|" + _NUM.encode() + rb"|[A-Za-z'\"*]+")


def _mul(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def occupied_bands(content: bytes) -> list[tuple[float, float]]:
    """Vertical extents (y1, y2) of everything a content stream draws: text lines, rectangles, paths, images.

    A deliberately simple interpreter (graphics state stack, cm, text matrices, path points): enough to keep the
    stamp away from anything drawn; it over-estimates rather than misses.
    """
    bands: list[tuple[float, float]] = []
    ctm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    stack: list[tuple[float, ...]] = []
    tm = tlm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    font_size, leading = 12.0, 0.0
    path_y: list[float] = []
    operands: list[bytes] = []

    def ys(x: float, y: float) -> float:
        return ctm[1] * x + ctm[3] * y + ctm[5]

    def nums(n: int) -> list[float]:
        try:
            return [float(v) for v in operands[-n:]]
        except ValueError:
            return [0.0] * n

    for match in _TOKEN.finditer(content):
        tok = match.group(0)
        if tok[:1] in b"(<[]/" or re.fullmatch(_NUM.encode(), tok):
            operands.append(tok)
            continue
        op = tok
        if op == b"q":
            stack.append(ctm)
        elif op == b"Q":
            ctm = stack.pop() if stack else ctm
        elif op == b"cm" and len(operands) >= 6:
            ctm = _mul(tuple(nums(6)), ctm)
        elif op == b"BT":
            tm = tlm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        elif op == b"Tf" and len(operands) >= 1:
            font_size = abs(nums(1)[0]) or font_size
        elif op == b"TL" and operands:
            leading = nums(1)[0]
        elif op == b"Tm" and len(operands) >= 6:
            tm = tlm = tuple(nums(6))
        elif op in (b"Td", b"TD") and len(operands) >= 2:
            tx, ty = nums(2)
            if op == b"TD":
                leading = -ty
            tm = tlm = _mul((1, 0, 0, 1, tx, ty), tlm)
        elif op in (b"T*", b"'", b'"'):
            tm = tlm = _mul((1, 0, 0, 1, 0, -leading), tlm)
        if op in (b"Tj", b"TJ", b"'", b'"'):
            m = _mul(tm, ctm)
            base = m[5]
            height = font_size * (abs(m[3]) or 1.0)
            bands.append((base - 0.3 * height, base + height))
        elif op in (b"m", b"l") and len(operands) >= 2:
            x, y = nums(2)
            path_y.append(ys(x, y))
        elif op in (b"c",) and len(operands) >= 6:
            v = nums(6)
            path_y += [ys(v[0], v[1]), ys(v[2], v[3]), ys(v[4], v[5])]
        elif op in (b"v", b"y") and len(operands) >= 4:
            v = nums(4)
            path_y += [ys(v[0], v[1]), ys(v[2], v[3])]
        elif op == b"re" and len(operands) >= 4:
            x, y, w, h = nums(4)
            path_y += [ys(x, y), ys(x, y + h), ys(x + w, y), ys(x + w, y + h)]
        elif op in (b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"):
            if path_y:
                bands.append((min(path_y) - 1, max(path_y) + 1))
            path_y = []
        elif op == b"n":
            path_y = []
        elif op in (b"Do", b"sh", b"BI"):
            corners = [ys(0, 0), ys(0, 1), ys(1, 0), ys(1, 1)]
            bands.append((min(corners), max(corners)))
        operands = []
    return bands


def _page_content(page: Any) -> bytes:
    contents = page.get("/Contents")
    if contents is None:
        return b""
    contents = contents.get_object() if hasattr(contents, "get_object") else contents
    parts = contents if isinstance(contents, list) else [contents]
    out = []
    for part in parts:
        part = part.get_object() if hasattr(part, "get_object") else part
        out.append(part.data)
    return b"\n".join(out)


def free_place_on_page(reader: Any, page_no: int, taken: Sequence[BoxLike], *, margin: float = 20 * MM) -> StampBox | None:
    """The lowest band of the page that holds the stamp between the margins, right-aligned, or None."""
    page = _page_refs(reader)[page_no - 1].get_object()
    x0, y0, x1, y1 = _rect(page.get("/MediaBox", [0, 0, 595.28, 841.89]))
    bands = occupied_bands(_page_content(page))
    bands += [(b.y1, b.y2) for b in taken if b.page == page_no]
    bands.sort()
    gap = 2 * MM
    candidate_bottom = y0 + margin
    top_limit = y1 - margin
    for b1, b2 in bands + [(top_limit + gap, top_limit + gap)]:
        if b1 - gap - candidate_bottom >= STAMP_H:
            y_low = candidate_bottom
            right = x1 - 15 * MM
            return StampBox(page_no, right - STAMP_W, y_low, right, y_low + STAMP_H)
        candidate_bottom = max(candidate_bottom, b2 + gap)
        if candidate_bottom + STAMP_H > top_limit:
            break
    return None


def free_places(reader: Any) -> list[StampBox]:
    """The document's recorded signature places not yet covered by a stamp, in document order."""
    taken = existing_stamps(reader)
    return [b for b in recorded_boxes(reader) if not any(_overlaps(b, t) for t in taken)]


def _words(value: str) -> set[str]:
    return {w for w in re.split(r"[^\w]+", value.casefold()) if len(w) > 2}


def match_place(places: Sequence[StampBox], signer_name: str = "", signer_position: str = "",
                place: str = "") -> StampBox | None:
    """The signer's own place among ``places``: the one ``place`` names (a number from 1, or words of the
    position or name, e.g. «секретарь»); else the one whose «И.О. Фамилия» has the signer's surname; else the
    one whose position shares a word with the certificate's position; else None."""
    if place:
        if place.strip().isdigit():
            index = int(place.strip()) - 1
            return places[index] if 0 <= index < len(places) else None
        wanted = _words(place)
        for box in places:
            if wanted and wanted <= _words(f"{box.position} {box.name}"):
                return box
        return None
    surname = signer_name.split()[0].casefold() if signer_name.split() else ""
    for box in places:
        if surname and surname in _words(box.name):
            return box
    titles = _words(signer_position)
    for box in places:
        if titles and titles & _words(box.position):
            return box
    return None


def choose_stamp_place(reader: Any, signer_name: str = "", signer_position: str = "",
                       place: str = "") -> tuple[StampBox | None, bool]:
    """Where the next stamp goes: (box, needs_new_page). See :func:`match_place`; without a match, the first
    free signature place of the document, then free space on the last page."""
    taken = existing_stamps(reader)
    free = free_places(reader)
    if free:
        return match_place(free, signer_name, signer_position, place) or free[0], False
    last = len(_page_refs(reader))
    box = free_place_on_page(reader, last, taken)
    if box is not None:
        return box, False
    if reader.embedded_signatures:
        return None, False
    return None, True


def _next_field_name(reader: Any) -> str:
    names = {str(s.field_name) for s in reader.embedded_signatures}
    n = len(names) + 1
    while f"Подпись{n}" in names:
        n += 1
    return f"Подпись{n}"
