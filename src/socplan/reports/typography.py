"""Russian typography for the document engine: non-breaking spaces, hyphenation, column widths.

- :func:`tie` puts U+00A0 where a Russian office document must not break a line (DOCUMENTS.md §1):
  «№ 12», «И.О. Фамилия» / «Фамилия И.О.», «2025 г.», figures with their units («15 %», «1 234,5 тыс. руб.»),
  digit groups, and before a dash («Иванова – доклад»); it also mends «г..» (a sentence ending on «г.»).
- Narrow table cells and signature blocks wrap with Russian hyphenation (:func:`hyphenate_text`: soft hyphens
  at pyphen's ``ru_RU`` syllable boundaries): a word is split only there and the line ends with «-».
- :func:`fit_columns` widens a column whose narrowest possible content (the widest syllable chunk of any word,
  with its hyphen) does not fit, taking the width from columns with room to spare, so reportlab never has to cut
  a word without a hyphen.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Sequence

NBSP = "\u00a0"
HYPHEN_LANG = "ru_RU"

_UNITS = (r"%|‰|руб\.?|коп\.?|тыс\.|млн\.?|млрд\.?|чел\.|человека?|человек|ед\.|шт\.|км|кв\.\s?м|м²|кг|"
          r"дн\.|дней|дня|день|лет|год(?:а|у)?|мес\.|месяцев|ч\.|час(?:а|ов)?|мин\.|баллов|балла|балл|раз[а]?")
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bг\.\.(?!\.)"), "г."),                                      # «2025 г..» → «2025 г.»
    (re.compile(r"(№|§)[ \t]*(?=[\w(«])"), r"\1" + NBSP),                      # «№ 12», «№12» → «№ 12»
    (re.compile(r"(?<![\w.])([А-ЯЁA-Z]\.)[ \t]*([А-ЯЁA-Z]\.)[ \t]+(?=[А-ЯЁA-Z][а-яёa-z])"),
     r"\1\2" + NBSP),                                                          # «И.О. Фамилия»
    (re.compile(r"(?<![\w.])([А-ЯЁA-Z]\.)[ \t]+(?=[А-ЯЁA-Z][а-яёa-z]{2,})"), r"\1" + NBSP),  # «И. Фамилия»
    (re.compile(r"(?<=[а-яё])[ \t]+(?=[А-ЯЁ]\.[ \t]?[А-ЯЁ]\.(?![\w]))"), NBSP),  # «Фамилия И.О.»
    (re.compile(r"(?<=\d)[ \t]+(?=(?:гг?\.|года?|году)(?![\w]))"), NBSP),       # «2025 г.», «2024–2026 гг.»
    (re.compile(r"(?<=\d)[ \t]+(?=\d{3}(?!\d))"), NBSP),                       # digit groups «1 234 567»
    (re.compile(r"(?<=\d)[ \t]+(?=(?:" + _UNITS + r")(?![\wа-яё]))"), NBSP),   # «15 %», «12 чел.»
    (re.compile(r"(?<=\S)[ \t]+(?=[–—](?:\s|$))"), NBSP),                      # no line starts with a dash
)


def tie(value: str) -> str:
    """Plain text with the non-breaking spaces Russian office typography requires."""
    for pattern, replacement in _RULES:
        value = pattern.sub(replacement, value)
    return value


@cache
def _hyphenator():  # noqa: ANN202 - pyphen.Pyphen, or None without pyphen (then words wrap whole)
    try:
        import pyphen
    except ImportError:  # a broken installation: columns are then widened to the longest whole word
        return None
    return pyphen.Pyphen(lang=HYPHEN_LANG)


def syllable_chunks(word: str) -> list[str]:
    """The pieces a word may be cut into at the end of a line (pyphen's Russian patterns; own hyphens kept)."""
    pieces: list[str] = []
    for part in re.split(r"(?<=-)", word):
        if len(part) < 5:
            pieces.append(part)
            continue
        hyphenator = _hyphenator()
        positions = hyphenator.positions(part) if hyphenator is not None else []
        start = 0
        for pos in positions:
            pieces.append(part[start:pos])
            start = pos
        pieces.append(part[start:])
    return [p for p in pieces if p]


SOFT_HYPHEN = "\u00ad"


def hyphenate_text(value: str) -> str:
    """``value`` with soft hyphens at the Russian syllable boundaries of every word of 5+ letters: reportlab
    breaks a line only there (drawing «-» at the end of the line) and prints nothing where it does not break."""
    out = []
    for token in re.split(r"([ \t\r\n]+)", value):
        if len(token) < 5 or token.isspace():
            out.append(token)
            continue
        out.append(SOFT_HYPHEN.join(syllable_chunks(token)).replace("-" + SOFT_HYPHEN, "-"))
    return "".join(out)


def min_text_width(value: str, font: str, size: float) -> float:
    """The narrowest width a wrapped, hyphenated ``value`` needs: its widest unbreakable chunk plus a hyphen."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    hyphen = stringWidth("-", font, size)
    widest = 0.0
    for word in re.split(r"[ \t\r\n]+", value):
        if not word:
            continue
        chunks = syllable_chunks(word)
        for i, chunk in enumerate(chunks):
            last = i == len(chunks) - 1
            w = stringWidth(chunk, font, size) + (0 if last or chunk.endswith("-") else hyphen)
            widest = max(widest, w)
    return widest


def widest_word(value: str, font: str, size: float) -> float:
    """The width of the longest unbreakable word (non-breaking spaces join words) of ``value``."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return max((stringWidth(w, font, size) for w in re.split(r"[ \t\r\n]+", value) if w), default=0.0)


def fit_columns(widths: Sequence[float], minimums: Sequence[float]) -> list[float]:
    """Widen each column to its minimum, taking the width from columns that have more than they need.

    The total stays the same; when there is not enough spare width, every column gets what can be shared
    (reportlab then cuts the longest words as a last resort).
    """
    result = list(widths)
    need = [max(0.0, m - w) for w, m in zip(result, minimums)]
    deficit = sum(need)
    if deficit <= 0.01:
        return result
    spare = [max(0.0, w - m) for w, m in zip(result, minimums)]
    total_spare = sum(spare)
    if total_spare <= 0.01:
        return result
    share = min(1.0, total_spare / deficit)
    taken = deficit * share
    for i in range(len(result)):
        result[i] += need[i] * share
        result[i] -= spare[i] / total_spare * taken
    return result


__all__ = ["NBSP", "HYPHEN_LANG", "SOFT_HYPHEN", "tie", "hyphenate_text", "syllable_chunks", "min_text_width", "widest_word", "fit_columns"]
