"""Data-quality warnings: a fact far from the same territory's previous periods or from the other territories
in the same period (robust z-score, domain.cycle.modified_z). A flagged value needs a comment before the form
is submitted; the board counts flagged values per cell."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from socplan.db.models.indicators import Indicator, IndicatorValue
from socplan.db.models.reference import Territory
from socplan.domain.cycle import is_outlier, median, modified_z
from socplan.domain.indicators import Period
from socplan.formatting import format_number
from socplan.services.indicators.common import REPORTING_KINDS

#: how many earlier periods of the same kind a value is compared with
HISTORY_PERIODS = 12


@dataclass(frozen=True)
class QualityFlag:
    territory_id: int
    indicator_id: int
    code: str
    value: Decimal
    basis: str  # «прошлых периодов территории» | «других территорий за этот период»
    median: Decimal
    z: Decimal

    @property
    def text(self) -> str:
        return (f"Стр. {self.code}: значение {format_number(self.value)} сильно отличается от {self.basis} "
                f"(медиана {format_number(self.median)}, устойчивая z-оценка {format_number(self.z, 2)}) — "
                "проверьте значение и поясните его в комментарии.")


def _earlier(period: Period, count: int) -> list[Period]:
    out: list[Period] = []
    year, no = period.year, period.number
    per_year = {"year": 1, "quarter": 4, "month": 12}[period.kind]
    for _ in range(count):
        if period.kind == "year":
            year -= 1
        else:
            no -= 1
            if no == 0:
                year, no = year - 1, per_year
        if year < 1900:
            break
        out.append(Period(year, period.kind, no))
    return out


def quality_flags(s: Session, indicators: list[Indicator], territory_ids: list[int] | None, period: Period
                  ) -> dict[tuple[int, int], list[QualityFlag]]:
    """Flags per (territory id, indicator id) for the entered facts of ``indicators`` in ``period``.

    Territories are compared with territories of the same kind (districts with districts: the city of Omsk is
    many times larger than any district and is judged by its own previous periods only).

    ``territory_ids`` None — every reporting territory (the board)."""
    numeric = {i.id: i for i in indicators if i.value_kind != "yesno"}
    if not numeric:
        return {}
    kinds = dict(s.execute(select(Territory.id, Territory.kind).where(Territory.kind.in_(REPORTING_KINDS))).all())
    reporting = set(kinds)
    wanted = reporting if territory_ids is None else set(territory_ids)
    base = select(IndicatorValue.territory_id, IndicatorValue.indicator_id, IndicatorValue.year,
                  IndicatorValue.period_no, IndicatorValue.value).where(
        IndicatorValue.indicator_id.in_(list(numeric)), IndicatorValue.component == "", IndicatorValue.kind == "fact",
        IndicatorValue.period_kind == period.kind, IndicatorValue.value.is_not(None))
    current: dict[tuple[int, int], Decimal] = {}
    peers: dict[tuple[int, str], list[Decimal]] = defaultdict(list)  # (indicator, territory kind) → values
    for t_id, ind_id, _y, _n, value in s.execute(base.where(IndicatorValue.year == period.year,
                                                            IndicatorValue.period_no == period.number)):
        if t_id in reporting:
            peers[(ind_id, kinds[t_id])].append(value)
        if t_id in wanted:
            current[(t_id, ind_id)] = value
    if not current:
        return {}
    earlier = _earlier(period, HISTORY_PERIODS)
    history: dict[tuple[int, int], list[Decimal]] = defaultdict(list)
    if earlier:
        stmt = base.where(tuple_(IndicatorValue.year, IndicatorValue.period_no).in_([(p.year, p.number) for p in earlier]),
                          IndicatorValue.territory_id.in_(sorted({t for t, _i in current})))
        for t_id, ind_id, _y, _n, value in s.execute(stmt):
            history[(t_id, ind_id)].append(value)
    out: dict[tuple[int, int], list[QualityFlag]] = {}
    for (t_id, ind_id), value in current.items():
        code = numeric[ind_id].code
        found = []
        past = history.get((t_id, ind_id), [])
        z = modified_z(value, past)
        if is_outlier(z):
            found.append(QualityFlag(t_id, ind_id, code, value, "прошлых периодов территории", median(past), z))
        others = list(peers.get((ind_id, kinds.get(t_id, "")), []))
        if t_id in reporting:
            others.remove(value)  # the value itself is not its own reference
        z = modified_z(value, others)
        if is_outlier(z):
            found.append(QualityFlag(t_id, ind_id, code, value, "других территорий за этот период",
                                     median(others), z))
        if found:
            out[(t_id, ind_id)] = found
    return out


__all__ = ["QualityFlag", "quality_flags"]
