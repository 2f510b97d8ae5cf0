"""Whose data a package may carry: every record must belong to the signer's territory and to the declared period.

The signature proves who signed the manifest (``verify.authenticator`` binds the certificate to the sender's
territory); this module proves that each record inside is the signer's to send. A district sends only its own
reports (indicator values, form states, execution of its plan events, its subsidy applications) for the period
named in the manifest; a return from the Ministry («Министерство → район») must come from the regional level
(the Ministry's key) and carry the recipient district's data only. One record outside these rules refuses the
whole package before anything is written, and the message names the first offending record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from socplan.db.models.reference import Territory
from socplan.domain.exchange import Manifest, PackageRefused, period_bounds
from socplan.services.exchange.kinds import Kind, safe_describe

#: What a district may send to the Ministry (its own reports); anything else is the Ministry's to send.
DISTRICT_KINDS = frozenset({"indicator_value", "form_state", "control_point", "subsidy_application",
                            "subsidy_document"})
#: kinds whose records name their territory directly in the ``territory`` field
_TERRITORIAL = frozenset({"indicator_value", "form_state", "subsidy_application"})


_PERIODIC = frozenset({"indicator_value", "form_state"})
_UNCHECKED = object()


def _refuse(text: str) -> PackageRefused:
    return PackageRefused("scope", f"Пакет отклонён: {text}. Ничего не загружено. Сообщите отправителю.")


def _dates(period_from: dt.date, period_to: dt.date) -> str:
    return f"{period_from:%d.%m.%Y}–{period_to:%d.%m.%Y}"


def _record(kind: Kind, data: dict[str, Any]) -> str:
    return f"запись «{safe_describe(kind, data)}» ({kind.label.lower()})"


def _territory_kind(session: Session, name: str) -> str | None:
    return session.scalar(select(Territory.kind).where(Territory.name == name))


def check_sender(session: Session, manifest: Manifest, my_role: str) -> None:
    """The direction fits this office, and a return to a district comes from the Ministry (regional level)."""
    sender = manifest.sender.territory
    sender_kind = _territory_kind(session, sender)
    if my_role == "ministry":
        if manifest.direction != "to_ministry" or sender_kind == "region":
            raise _refuse(f"пакет от «{manifest.sender.text}» не является отчётом района в Министерство")
    else:
        if manifest.direction != "to_district":
            raise _refuse(f"пакет от «{manifest.sender.text}» адресован Министерству, а эта база — районная")
        if sender_kind != "region":
            raise _refuse(f"пакет для района может прислать только Министерство, а он подписан от имени "
                          f"«{manifest.sender.text}»")


def _period_problem(kind: Kind, data: dict[str, Any], start: dt.date, end: dt.date) -> str | None:
    """Why a record lies outside the package's period (None: inside, or malformed — refused one by one later)."""
    name = kind.name
    if name in ("indicator_value", "form_state"):
        year, pkind, number = data.get("year"), data.get("period_kind"), data.get("period_no")
        if type(year) is not int or type(number) is not int or not isinstance(pkind, str):
            return None
        if pkind not in ("year", "quarter", "month"):
            return f"неизвестный вид периода «{pkind[:20]}»"
        try:
            first, last = period_bounds(year, pkind, number)
        except (ValueError, OverflowError):
            return f"год {year} вне допустимого диапазона"
        if first > end or last < start:
            return f"период {first:%d.%m.%Y}–{last:%d.%m.%Y}"
        return None
    if name == "control_point":
        due = data.get("due_date")
        try:
            day = dt.date.fromisoformat(due) if isinstance(due, str) else None
        except ValueError:
            return None
        if day is not None and not start <= day <= end:
            return f"срок {day:%d.%m.%Y}"
        return None
    year = None
    if name == "subsidy_round":
        year = data.get("year")
    elif name == "subsidy_application":
        ref = data.get("round")
        year = ref[1] if isinstance(ref, list) and len(ref) == 3 else None
    elif name == "subsidy_document":
        ref = data.get("application")
        year = ref[1] if isinstance(ref, list) and len(ref) == 4 else None
    if type(year) is int and not start.year <= year <= end.year:
        return f"{year} год"
    return None


def _territory_of(kind: Kind, data: dict[str, Any]) -> tuple[bool, Any]:
    """(carries a territory, the territory value) of a record."""
    if kind.name in _TERRITORIAL:
        return True, data.get("territory")
    if kind.name == "subsidy_document":
        ref = data.get("application")
        return True, ref[3] if isinstance(ref, list) and len(ref) == 4 else ref
    return False, None


def check_records(session: Session, manifest: Manifest, my_role: str, incoming: list[Any],
                  remarks: list[dict[str, Any]], *, contents_checked: bool = False) -> None:
    """Refuse the whole package at the first record that is not the signer's to send (see the module docstring).

    ``incoming``: parsed records (``compare._Incoming``); malformed ones (``problem`` set) are left to the per-record
    refusal of the preview. ``contents_checked``: this package's records were checked already (by its preview); what
    depends only on the signed package cannot have changed, so only what depends on this base is checked again —
    this office's role and the sender's territory, the districts' plan events.
    """
    check_sender(session, manifest, my_role)
    if contents_checked:
        _check_events(session, manifest, incoming)
        return
    from_district = manifest.direction == "to_ministry"
    owner = manifest.sender.territory if from_district else manifest.recipient.territory
    start, end = manifest.period_from, manifest.period_to
    district_events: set[int] | None = None
    periods: dict[tuple, str | None] = {}
    for item in incoming:
        if item.problem:
            continue
        kind, data = item.kind, item.data
        if from_district and kind.name not in DISTRICT_KINDS:
            raise _refuse(f"{_record(kind, data)}: район не может присылать «{kind.label.lower()}» — их ведёт "
                          "Министерство")
        carries, territory = _territory_of(kind, data)
        if carries and (territory is None or isinstance(territory, str)) and territory != owner:
            shown = territory or "не указана"
            role = "подписан от имени" if from_district else "адресован"
            raise _refuse(f"{_record(kind, data)} относится к территории «{shown}», а пакет {role} "
                          f"«{owner}»")
        if kind.name in _PERIODIC:  # a year of monthly values names a dozen periods: each is checked once
            period = (kind.name, data.get("year"), data.get("period_kind"), data.get("period_no"))
            if type(period[1]) is int and type(period[3]) is int and type(period[2]) is str:
                problem = periods.get(period, _UNCHECKED)
                if problem is _UNCHECKED:
                    problem = periods[period] = _period_problem(kind, data, start, end)
            else:
                problem = _period_problem(kind, data, start, end)
        else:
            problem = _period_problem(kind, data, start, end)
        if problem:
            raise _refuse(f"{_record(kind, data)} относится к периоду вне заявленного в пакете "
                          f"({problem}; период пакета {_dates(start, end)})")
        if from_district and kind.name == "control_point":
            if district_events is None:
                district_events = _events_of(session, owner)
            event = _local_event(session, data.get("event"))
            if event is not None and event not in district_events:
                raise _refuse(f"{_record(kind, data)} относится к мероприятию, в котором «{owner}» не участвует")
    for remark in remarks:
        if from_district:
            raise _refuse("замечания к значениям («на доработку») может присылать только Министерство")
        target = remark.get("target")
        territory = target.get("territory") if isinstance(target, dict) else None
        if isinstance(territory, str) and territory != owner:
            raise _refuse(f"замечание относится к значению территории «{territory}», а пакет адресован «{owner}»")


def _check_events(session: Session, manifest: Manifest, incoming: list[Any]) -> None:
    """A district's execution reports are about plan events it takes part in (as this base knows them now)."""
    if manifest.direction != "to_ministry":
        return
    owner = manifest.sender.territory
    district_events: set[int] | None = None
    for item in incoming:
        if item.problem or item.kind.name != "control_point":
            continue
        if district_events is None:
            district_events = _events_of(session, owner)
        event = _local_event(session, item.data.get("event"))
        if event is not None and event not in district_events:
            raise _refuse(f"{_record(item.kind, item.data)} относится к мероприятию, в котором «{owner}» не участвует")


def _events_of(session: Session, territory: str) -> set[int]:
    """Plan events of a district (an organisation of its territory takes part or the executors name it)."""
    from socplan.db.models.plans import Plan
    from socplan.services.exchange.export import _district_events, _Scope

    t_id = session.scalar(select(Territory.id).where(Territory.name == territory))
    if t_id is None:
        return set()
    plans = tuple(session.scalars(select(Plan.id)))
    return _district_events(session, _Scope("to_ministry", t_id, territory, dt.date.min, dt.date.max, (), plans))


def _local_event(session: Session, wire: Any) -> int | None:
    if not isinstance(wire, str):
        return None
    from socplan.db.models.exchange import ExchangeRecord
    from socplan.db.models.plans import PlanEvent

    return session.scalar(select(ExchangeRecord.local_id).where(ExchangeRecord.entity == PlanEvent.__tablename__,
                                                                ExchangeRecord.uuid == wire))
