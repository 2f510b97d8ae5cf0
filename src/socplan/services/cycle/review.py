"""The Ministry's review of a submitted form: return it «на доработку» with remarks named by indicator code."""

from __future__ import annotations

from socplan.domain.errors import ValidationError
from socplan.domain.indicators import Period
from socplan.services.context import AppContext
from socplan.services.exchange import remarks as remarks_service
from socplan.services.indicators.common import form_by_code, territory_by, values_for

KINDS = {"plan": "plan", "план": "plan", "fact": "fact", "факт": "fact"}


def return_form(ctx: AppContext, form_code: str, territory: str | int, period: Period,
                remarks: dict[tuple[str, str], str], note: str = "") -> int:
    """remarks: (indicator code, «факт»|«план») → the remark text. Returns the number of remarks written."""
    with ctx.uow() as s:
        form = form_by_code(s, form_code)
        t = territory_by(s, territory)
        stored = values_for(s, form, [t.id], period)[t.id]
        name = t.name
    by_id: dict[int, str] = {}
    for (code, kind), text in remarks.items():
        key = (code, "", KINDS.get(kind.lower(), kind))
        if key not in stored:
            raise ValidationError("remark", f"Замечание к стр. {code} ({kind}): такого значения в форме нет — "
                                  "замечание пишут к введённому значению; общее замечание — в примечании.")
        by_id[stored[key].id] = text
    return remarks_service.return_for_revision(ctx, form_code, name, period.year, period.kind, period.number,
                                               by_id, note)


__all__ = ["return_form"]
