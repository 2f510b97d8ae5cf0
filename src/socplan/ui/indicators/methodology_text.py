"""How the card and the catalogue show an indicator's formula and unit: the formula actually computed, with
the note «в тексте методики: …» where the printed text is read differently (the errata register)."""

from __future__ import annotations

from html import escape


def formula_html(info) -> str:  # noqa: ANN001 - IndicatorInfo
    text = info.formula_computed or info.formula_text or info.formula
    html = ""
    if text:
        html = f"<p><b>Формула (рассчитывается):</b> {escape(text)}"
        if info.formula_note:
            html += f"<br><span style='color:#8a5a00'>{escape(info.formula_note)} — см. реестр опечаток методик</span>"
        html += "</p>"
    for note in getattr(info, "errata_notes", ()):
        html += f"<p style='color:#8a5a00'>Реестр опечаток методик — {escape(note)}</p>"
    return html


def unit_text(info) -> str:  # noqa: ANN001 - IndicatorInfo
    """«процентов (ОКЕИ 744 «Процент»)»."""
    if not info.unit_code:
        return info.unit_name or "—"
    name = f" «{info.okei_name}»" if info.okei_name else ""
    return f"{info.unit_name} (ОКЕИ {info.unit_code}{name})"
