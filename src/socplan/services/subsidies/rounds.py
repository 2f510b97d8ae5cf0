"""Selection rounds and applications: listing, validated saving, import from a file, calculation.

The GUI and the CLI get frozen dataclasses and the domain's input objects (``Application12`` /
``Application13``); bad input is refused before anything is written (the domain's checks run on the whole
round with the change applied).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from socplan.db.models.reference import Territory
from socplan.db.models.subsidies import (SubsidyApplication, SubsidyDocument, SubsidyEvent, SubsidyLimitRate,
                                         SubsidyResult, SubsidyRound)
from socplan.domain.errors import NotFoundError, ValidationError, ValidationErrors
from socplan.domain.subsidies.app12 import Application12, Round12, validate_round12
from socplan.domain.subsidies.app13 import Application13, Round13, validate_round13
from socplan.domain.subsidies.calculation import Calculation, RoundInfo, RoundInput, calculate
from socplan.domain.subsidies.common import (APP12, APP13, MUNICIPAL_KINDS, PROCEDURES, DocumentMark, EventOutcome,
                                             ResultValue, check_outcomes)
from socplan.domain.roles import Action
from socplan.services.permissions import require
from socplan.services.context import AppContext
from socplan.services.record_versions import check_seen, stale_as_conflict

App = Application12 | Application13
APP12_FIELDS = [f.name for f in dataclasses.fields(Application12) if f.name not in ("municipality", "kind", "documents")]
APP13_FIELDS = [f.name for f in dataclasses.fields(Application13) if f.name not in ("municipality", "kind", "documents")]


@dataclass(frozen=True)
class RoundRow:
    id: int
    procedure: str
    procedure_label: str
    year: int
    title: str
    budget: Decimal
    applications: int
    applications_deadline: dt.date | None
    selection_date: dt.date | None


@dataclass(frozen=True)
class RoundData:
    """What the user enters for a round."""

    procedure: str
    year: int
    budget: Decimal
    title: str = ""
    applications_deadline: dt.date | None = None
    selection_date: dt.date | None = None
    commission: str = ""
    average_rate_district: Decimal = Decimal("0.87")
    average_rate_settlement: Decimal = Decimal("0.90")
    distribute_remainder_fully: bool = False


@dataclass(frozen=True)
class ApplicationRow:
    id: int
    territory_id: int
    municipality: str
    kind: str
    received_date: dt.date | None
    limit_rate: Decimal | None
    data: App  # the domain input (every value of the application)
    events: tuple[EventOutcome, ...]
    version: int = 0  # optimistic locking: pass it back as ``seen_version`` when saving the edited application


@dataclass(frozen=True)
class RoundDetail:
    row: RoundRow
    data: RoundData
    applications: tuple[ApplicationRow, ...]

    def round_input(self) -> RoundInput:
        return make_input(self.row.id, self.data, [a.data for a in self.applications],
                          {a.municipality: a.limit_rate for a in self.applications if a.limit_rate is not None},
                          [e for a in self.applications for e in a.events])


def make_input(round_id: int | None, data: RoundData, apps: Sequence[App], limit_rates: dict[str, Decimal],
               outcomes: Sequence[EventOutcome] = ()) -> RoundInput:
    """The domain input of a round (used for the stored round and for what-if copies)."""
    info = RoundInfo(data.procedure, data.year, data.title, data.applications_deadline, data.selection_date,
                     tuple(line for line in data.commission.splitlines() if line.strip()))
    if data.procedure == APP12:
        return RoundInput(info, app12=Round12(data.year, data.budget, tuple(apps), dict(limit_rates),  # type: ignore[arg-type]
                                              data.distribute_remainder_fully, data.applications_deadline),
                          outcomes=tuple(outcomes))
    return RoundInput(info, app13=Round13(data.year, data.budget, tuple(apps), dict(limit_rates),  # type: ignore[arg-type]
                                          data.average_rate_district, data.average_rate_settlement,
                                          data.applications_deadline),
                      outcomes=tuple(outcomes))


def calculate_input(inp: RoundInput) -> Calculation:
    """Run the procedure on an input (a stored round or its what-if copy)."""
    return calculate(inp)


# ------------------------------------------------------------------ reading

def _round_row(r: SubsidyRound, count: int) -> RoundRow:
    return RoundRow(r.id, r.procedure, PROCEDURES.get(r.procedure, r.procedure), r.year, r.title, r.budget, count,
                    r.applications_deadline, r.selection_date)


def _round_data(r: SubsidyRound) -> RoundData:
    return RoundData(r.procedure, r.year, r.budget, r.title, r.applications_deadline, r.selection_date, r.commission,
                     r.average_rate_district, r.average_rate_settlement, r.distribute_remainder_fully)


def _domain_app(procedure: str, a: SubsidyApplication) -> App:
    docs = {d.code: DocumentMark(d.received, d.received_date) for d in a.documents}
    if procedure == APP12:
        return Application12(a.territory.name, a.territory.kind, documents=docs,
                             **{f: getattr(a, f) for f in APP12_FIELDS})
    return Application13(a.territory.name, a.territory.kind, documents=docs, **{f: getattr(a, f) for f in APP13_FIELDS})


def _events(a: SubsidyApplication) -> tuple[EventOutcome, ...]:
    return tuple(EventOutcome(a.territory.name, e.name, e.granted,
                              tuple(ResultValue(r.name, r.planned, r.actual, r.growth_is_good, r.unit) for r in e.results),
                              e.force_majeure, e.force_majeure_documents) for e in a.events)


def list_rounds(ctx: AppContext) -> list[RoundRow]:
    with ctx.uow() as s:
        counts = dict(s.execute(select(SubsidyApplication.round_id, func.count()).group_by(SubsidyApplication.round_id)).all())
        rounds = s.scalars(select(SubsidyRound).order_by(SubsidyRound.year.desc(), SubsidyRound.procedure, SubsidyRound.id))
        return [_round_row(r, counts.get(r.id, 0)) for r in rounds]


def _load(s: Session, round_id: int) -> SubsidyRound:
    r = s.get(SubsidyRound, round_id, options=[selectinload(SubsidyRound.applications).selectinload(SubsidyApplication.documents),
                                               selectinload(SubsidyRound.limit_rates)])
    if r is None:
        raise NotFoundError(f"Отбор № {round_id} не найден: возможно, его удалили. Обновите список.")
    return r


def get_round(ctx: AppContext, round_id: int) -> RoundDetail:
    with ctx.uow() as s:
        r = _load(s, round_id)
        rates = {lr.territory_id: lr.rate for lr in r.limit_rates}
        apps = sorted(r.applications, key=lambda a: (a.territory.sort_order, a.territory.name))
        rows = tuple(ApplicationRow(a.id, a.territory_id, a.territory.name, a.territory.kind, a.received_date,
                                    rates.get(a.territory_id), _domain_app(r.procedure, a), _events(a), a.version or 0)
                     for a in apps)
        return RoundDetail(_round_row(r, len(rows)), _round_data(r), rows)


def calculate_round(ctx: AppContext, round_id: int) -> Calculation:
    return calculate(get_round(ctx, round_id).round_input())


# ------------------------------------------------------------------ checks

def _territory(s: Session, name: str, procedure: str, field: str) -> Territory:
    t = s.scalar(select(Territory).where(Territory.name == name))
    if t is None:
        raise ValidationErrors([ValidationError(field, f"«{name}» нет в справочнике территорий. Выберите "
                                                       "муниципальное образование из справочника.")])
    if t.kind not in MUNICIPAL_KINDS:  # App. 12 §2 (districts only) is judged by the calculation, with its clause
        raise ValidationErrors([ValidationError(field, f"«{name}»: заявку подаёт муниципальное образование Омской "
                                                       "области (район, городской округ, поселение).")])
    return t


def _check_round(data: RoundData, apps: Sequence[App], rates: dict[str, Decimal]) -> None:
    inp = make_input(None, data, apps, rates)
    if data.procedure == APP12:
        validate_round12(inp.app12)  # type: ignore[arg-type]
    elif data.procedure == APP13:
        validate_round13(inp.app13)  # type: ignore[arg-type]
    else:
        raise ValidationErrors([ValidationError("procedure", "Выберите порядок: Приложение № 12 или № 13.")])


def _check_round_data(data: RoundData) -> None:
    errors = []
    if data.procedure not in (APP12, APP13):
        errors.append(ValidationError("procedure", "Выберите порядок: Приложение № 12 или № 13."))
    if not (2000 <= int(data.year) <= 2100):
        errors.append(ValidationError("year", f"Год отбора {data.year} — вне допустимого диапазона 2000–2100."))
    if errors:
        raise ValidationErrors(errors)


# ------------------------------------------------------------------ writing

def _apply_app(s: Session, obj: SubsidyApplication, procedure: str, app: App) -> None:
    for f in (APP12_FIELDS if procedure == APP12 else APP13_FIELDS):
        setattr(obj, f, getattr(app, f))
    existing = {d.code: d for d in obj.documents}
    for code, mark in app.documents.items():
        doc = existing.get(code) or SubsidyDocument(code=code)
        doc.received, doc.received_date = mark.received, mark.date
        if code not in existing:
            obj.documents.append(doc)


def _set_rate(r: SubsidyRound, territory: Territory, rate: Decimal | None) -> None:
    current = next((lr for lr in r.limit_rates if lr.territory_id == territory.id), None)
    if rate is None:
        if current is not None:
            r.limit_rates.remove(current)
    elif current is None:
        r.limit_rates.append(SubsidyLimitRate(territory=territory, rate=rate))
    elif current.rate != rate:
        current.rate = rate


def save_round(ctx: AppContext, data: RoundData, round_id: int | None = None) -> RoundRow:
    require(ctx, Action.EDIT_SUBSIDIES)
    _check_round_data(data)
    with ctx.uow(reason="Отбор на предоставление субсидий") as s:
        r = _load(s, round_id) if round_id else SubsidyRound(procedure=data.procedure)
        if round_id and r.procedure != data.procedure and r.applications:
            raise ValidationErrors([ValidationError("procedure", "Порядок нельзя сменить, когда есть заявки.")])
        detail_apps = [_domain_app(r.procedure, a) for a in r.applications] if round_id else []
        rates = {lr.territory.name: lr.rate for lr in r.limit_rates} if round_id else {}
        _check_round(data, detail_apps, rates)
        for f in dataclasses.fields(RoundData):
            setattr(r, f.name, getattr(data, f.name))
        s.add(r)
        s.commit()
        return _round_row(r, len(r.applications))


def save_application(ctx: AppContext, round_id: int, app: App, *, limit_rate: Decimal | None,
                     received_date: dt.date | None = None, application_id: int | None = None,
                     seen_version: int | None = None) -> ApplicationRow:
    """Save one application (new or edited) after checking the whole round with it; nothing is saved on error.
    ``seen_version``: ``ApplicationRow.version`` when the user opened it; saved by someone else since —
    ConflictError, nothing overwritten (services/record_versions.py)."""
    require(ctx, Action.EDIT_SUBSIDIES)
    with stale_as_conflict(f"Заявка «{app.municipality}»") as record, \
            ctx.uow(reason="Заявка на предоставление субсидии") as s:
        r = _load(s, round_id)
        territory = _territory(s, app.municipality, r.procedure, "municipality")
        if (r.procedure == APP12) != isinstance(app, Application12):
            raise ValidationErrors([ValidationError("procedure", "Заявка не по тому порядку, что отбор.")])
        app = dataclasses.replace(app, kind=territory.kind)
        others = [a for a in r.applications if a.id != application_id]
        if any(a.territory_id == territory.id for a in others):
            raise ValidationErrors([ValidationError("municipality", f"{territory.name}: заявка этого муниципального "
                                                    "образования в отборе уже есть; второй быть не может.")])
        apps = [_domain_app(r.procedure, a) for a in others] + [app]
        rates = {lr.territory.name: lr.rate for lr in r.limit_rates if lr.territory_id != territory.id}
        if limit_rate is not None:
            rates[territory.name] = limit_rate
        _check_round(_round_data(r), apps, rates)
        obj = next((a for a in r.applications if a.id == application_id), None) if application_id else None
        if application_id and obj is None:
            raise NotFoundError("Заявка не найдена: возможно, её удалили. Обновите список.")
        if obj is not None:
            check_seen(obj, seen_version, record.name)
        if obj is None:
            obj = SubsidyApplication(territory=territory)
            r.applications.append(obj)
        obj.territory = territory
        obj.received_date = received_date
        _apply_app(s, obj, r.procedure, app)
        _set_rate(r, territory, limit_rate)
        s.commit()
        return ApplicationRow(obj.id, territory.id, territory.name, territory.kind, received_date, limit_rate,
                              _domain_app(r.procedure, obj), _events(obj), obj.version or 0)


def save_applications(ctx: AppContext, round_id: int, apps: Sequence[App], limit_rates: dict[str, Decimal]) -> None:
    """Save what-if edits of several applications at once (all or nothing)."""
    require(ctx, Action.EDIT_SUBSIDIES)
    with ctx.uow(reason="Изменение заявок (расчёт «что если»)") as s:
        r = _load(s, round_id)
        _check_round(_round_data(r), apps, limit_rates)
        by_name = {a.territory.name: a for a in r.applications}
        for app in apps:
            obj = by_name.get(app.municipality)
            if obj is None:
                raise NotFoundError(f"Заявка «{app.municipality}» не найдена в отборе: обновите список.")
            _apply_app(s, obj, r.procedure, app)
            _set_rate(r, obj.territory, limit_rates.get(app.municipality))
        s.commit()


def save_outcomes(ctx: AppContext, application_id: int, events: Sequence[EventOutcome]) -> None:
    """Replace the reported events and results of an application (after the year)."""
    require(ctx, Action.EDIT_SUBSIDIES)
    with ctx.uow(reason="Отчёт о достижении результатов использования субсидии") as s:
        a = s.get(SubsidyApplication, application_id)
        if a is None:
            raise NotFoundError("Заявка не найдена: возможно, её удалили. Обновите список.")
        check_outcomes(events, allow_direction=a.round.procedure == APP13)
        a.events.clear()
        for e in events:
            a.events.append(SubsidyEvent(name=e.event, granted=e.granted, force_majeure=e.force_majeure,
                                         force_majeure_documents=e.force_majeure_documents,
                                         results=[SubsidyResult(name=r.name, unit=r.unit, planned=r.planned,
                                                                actual=r.actual, growth_is_good=r.growth_is_good)
                                                  for r in e.results]))
        s.commit()


def delete_application(ctx: AppContext, application_id: int) -> None:
    require(ctx, Action.EDIT_SUBSIDIES)
    with ctx.uow(reason="Удаление заявки на субсидию") as s:
        a = s.get(SubsidyApplication, application_id)
        if a is None:
            raise NotFoundError("Заявка не найдена: возможно, её уже удалили. Обновите список.")
        s.delete(a)
        s.commit()


def delete_round(ctx: AppContext, round_id: int) -> None:
    require(ctx, Action.EDIT_SUBSIDIES)
    with ctx.uow(reason="Удаление отбора") as s:
        s.delete(_load(s, round_id))
        s.commit()


def _write_round(s: Session, inp: RoundInput) -> SubsidyRound:
    info = inp.info
    rnd = inp.app12 if info.procedure == APP12 else inp.app13
    assert rnd is not None
    data = RoundData(info.procedure, info.year, rnd.budget, info.title, info.applications_deadline, info.selection_date,
                     "\n".join(info.commission),
                     getattr(rnd, "average_rate_district", Decimal("0.87")),
                     getattr(rnd, "average_rate_settlement", Decimal("0.90")),
                     getattr(rnd, "distribute_remainder_fully", False))
    _check_round_data(data)
    _check_round(data, rnd.applications, dict(rnd.limit_rates))
    r = SubsidyRound(**{f.name: getattr(data, f.name) for f in dataclasses.fields(RoundData)})
    s.add(r)
    territories = {}
    for i, app in enumerate(rnd.applications):
        t = _territory(s, app.municipality, info.procedure, f"applications[{i}].municipality")
        territories[app.municipality] = t
        obj = SubsidyApplication(territory=t, received_date=app.documents.get("1", DocumentMark()).date)
        _apply_app(s, obj, info.procedure, app)
        r.applications.append(obj)
        if app.municipality in rnd.limit_rates:
            r.limit_rates.append(SubsidyLimitRate(territory=t, rate=rnd.limit_rates[app.municipality]))
    by_name = {a.territory.name: a for a in r.applications}
    check_outcomes(inp.outcomes, allow_direction=info.procedure == APP13)
    for e in inp.outcomes:
        target = by_name.get(e.municipality)
        if target is None:
            raise ValidationErrors([ValidationError("outcomes", f"Результаты для «{e.municipality}», а заявки "
                                                                "от него в отборе нет.")])
        target.events.append(SubsidyEvent(name=e.event, granted=e.granted, force_majeure=e.force_majeure,
                                          force_majeure_documents=e.force_majeure_documents,
                                          results=[SubsidyResult(name=x.name, unit=x.unit, planned=x.planned,
                                                                 actual=x.actual, growth_is_good=x.growth_is_good)
                                                   for x in e.results]))
    s.flush()
    return r


def import_round(ctx: AppContext, inp: RoundInput) -> RoundRow:
    """Save a round read from a file (JSON/xlsx) with its applications and outcomes; all or nothing."""
    require(ctx, Action.EDIT_SUBSIDIES)
    with ctx.uow(reason="Импорт отбора из файла") as s:
        r = _write_round(s, inp)
        s.commit()
        return _round_row(r, len(r.applications))


def read_input_file(path) -> RoundInput:  # noqa: ANN001
    """A round from a JSON (or xlsx) file in the documented format; nothing is written."""
    from pathlib import Path

    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from socplan.io.subsidies_xlsx import read_round_xlsx

        return read_round_xlsx(path)
    from socplan.io.subsidies_json import read_round

    return read_round(path)


def import_file(ctx: AppContext, path) -> RoundRow:  # noqa: ANN001
    """Import a round with its applications from a file (all or nothing)."""
    return import_round(ctx, read_input_file(path))
