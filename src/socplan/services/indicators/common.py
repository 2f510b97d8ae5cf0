"""Lookups and row types shared by the indicators use cases (rows are frozen dataclasses, never ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from types import SimpleNamespace

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from socplan.db.models.indicators import FormSubmission, Indicator, IndicatorForm, IndicatorValue
from socplan.db.models.reference import Territory
from socplan.domain.errors import NotFoundError
from socplan.domain.indicators import (Direction, FormState, IndicatorDef, Period, Thresholds, ValueLimits,
                                       limits_for_unit)
from socplan.domain.methodology import OkeiUnit, computed_formula_text, is_share
from socplan.services.indicators.methodology import errata_register, okei

#: territories whose values are consolidated into the region (the city and the municipal districts)
REPORTING_KINDS = ("city", "district")


@dataclass(frozen=True, slots=True)  # slots: a form of 20 000 indicators is held whole (a dict each was 40 MB)
class ComponentInfo:
    symbol: str
    description: str
    unit_name: str
    data_source: str
    formula: str


@dataclass(frozen=True, slots=True)
class IndicatorInfo:
    id: int
    form_code: str
    code: str
    parent_code: str
    name: str
    goal: str
    level: str
    indicator_type: str
    unit_code: str
    unit_name: str
    direction: Direction
    decimals: int
    value_kind: str
    base_value: Decimal | None
    base_year: int | None
    source_document: str
    responsible: str
    national_goal: str
    consolidation: str
    formula: str
    formula_text: str
    methodology: str
    data_source: str
    plan_mode: str
    components: tuple[ComponentInfo, ...]
    limits: ValueLimits
    okei_name: str = ""  # OKEI name of ``unit_code`` («Процент»; «Гигакалория / Квадратный метр»)
    unit_printed: str = ""  # the unit exactly as stored from the seed («Г кал/кв. м»)
    formula_computed: str = ""  # the formula actually computed, in the methodology's notation
    formula_note: str = ""  # «в тексте методики: …» when the printed formula is read differently (errata)
    errata_notes: tuple[str, ...] = ()  # other errata of the register about this indicator (type, legend, notation)
    share: bool = False  # a share in % (0–100 %); not a ratio of fact to plan that may exceed 100 %

    @property
    def level_label(self) -> str:
        return self.level or "региональный"

    def definition(self) -> IndicatorDef:
        return IndicatorDef(self.code, self.formula,
                            {c.symbol: c.formula for c in self.components}, self.decimals, self.plan_mode)


@lru_cache(maxsize=1024)
def _unit_facts(unit_code: str, unit_name: str) -> tuple[ValueLimits, OkeiUnit, bool]:
    """What follows from an indicator's unit (limits, OKEI unit, whether a share): a form repeats a few units."""
    unit = okei().unit_for(unit_code, unit_name)
    return limits_for_unit(unit_code, unit_name), unit, is_share(unit.code or unit_code, unit_name)


def value_rules(form_code: str, code: str, unit_code: str, unit_name: str, min_value: Decimal | None,
                max_value: Decimal | None, value_kind: str) -> tuple[ValueLimits, OkeiUnit, bool]:
    """An indicator's value limits, OKEI unit and whether it is a share within 0–100 % (one rule for the catalogue
    and the import's light rows)."""
    limits, unit, share = _unit_facts(unit_code, unit_name)
    if min_value is not None or max_value is not None:
        limits = ValueLimits(min_value, max_value, limits.integer)
    if value_kind == "yesno":
        limits = ValueLimits(Decimal(0), Decimal(1), True)
    return limits, unit, share and not errata_register().may_exceed_100(form_code, code)


def indicator_info(ind: Indicator, form_code: str) -> IndicatorInfo:
    limits, unit, share = value_rules(form_code, ind.code, ind.unit.code if ind.unit else "", ind.unit_name,
                                      ind.min_value, ind.max_value, ind.value_kind)
    printed_unit = ind.unit_name or (ind.unit.short_name if ind.unit else "")
    erratum = errata_register().formula_erratum(form_code, ind.code)
    return IndicatorInfo(
        id=ind.id, form_code=form_code, code=ind.code, parent_code=ind.parent_code, name=ind.name, goal=ind.goal,
        level=ind.level, indicator_type=ind.indicator_type, unit_code=unit.code or (ind.unit.code if ind.unit else ""),
        unit_name=unit.shown or printed_unit, direction=Direction(ind.direction),
        decimals=ind.decimals, value_kind=ind.value_kind, base_value=ind.base_value, base_year=ind.base_year,
        source_document=ind.source_document,
        responsible=ind.responsible_text or (ind.responsible.full_name if ind.responsible else ""),
        national_goal=ind.national_goal, consolidation=ind.consolidation, formula=ind.formula,
        formula_text=ind.formula_text, methodology=ind.methodology, data_source=ind.data_source,
        plan_mode=ind.plan_mode,
        components=tuple(ComponentInfo(c.symbol, c.description, c.unit_name, c.data_source, c.formula)
                         for c in ind.components),
        limits=limits, okei_name=unit.name, unit_printed=printed_unit,
        formula_computed=computed_formula_text(ind.formula_text, ind.formula, erratum)
        if erratum and erratum.formula == ind.formula else (ind.formula_text or ind.formula),
        formula_note=_erratum_note(erratum, ind.formula),
        errata_notes=tuple(f"{e.id}: напечатано «{e.printed}»; принято: {e.applied}. {e.why}"
                           for e in errata_register().for_indicator(form_code, ind.code) if not e.formula),
        share=share,
    )


def _erratum_note(erratum, formula: str) -> str:  # noqa: ANN001
    """«в тексте методики: …» when the erratum's reading is computed; when this database still computes the
    printed text (made before the register), say so instead of hiding the contradiction."""
    if erratum is None:
        return ""
    if erratum.formula == formula:
        return erratum.note
    return (f"в реестре опечаток методик ({erratum.id}) принято прочтение {erratum.applied}; в этой базе "
            f"рассчитывается формула «{formula}» — измените её в каталоге («Изменить формулу…»)")


def form_by_code(session: Session, code: str) -> IndicatorForm:
    form = session.scalar(select(IndicatorForm).where(IndicatorForm.code == code)
                          .options(selectinload(IndicatorForm.indicators).selectinload(Indicator.components),
                                   selectinload(IndicatorForm.indicators).selectinload(Indicator.unit),
                                   selectinload(IndicatorForm.indicators).selectinload(Indicator.responsible)))
    if form is None:
        known = ", ".join(session.scalars(select(IndicatorForm.code).order_by(IndicatorForm.sort_order)))
        raise NotFoundError(f"Форма показателей «{code}» не найдена. Есть формы: {known}.")
    return form


def form_only(session: Session, code: str) -> IndicatorForm:
    """The form row alone, its catalogue not loaded: for bulk paths that read the catalogue with
    :func:`form_infos` and the values with :func:`values_for` (20 000 ORM indicators cost seconds and
    tens of megabytes). Walking ``form.indicators`` on it loads them lazily, one query per indicator's
    components — use :func:`form_by_code` for that."""
    form = session.scalar(select(IndicatorForm).where(IndicatorForm.code == code))
    if form is None:
        return form_by_code(session, code)  # the same «not found» message
    return form


def form_infos(session: Session, form: IndicatorForm) -> list[IndicatorInfo]:
    """The form's catalogue as :func:`infos_of` gives it (the same :class:`IndicatorInfo` values, in the same
    order), read with two Core selects of plain rows instead of loading ORM objects."""
    from socplan.db.models.indicators import Component
    from socplan.db.models.reference import Organisation, Unit

    session.flush()  # what session.execute would do before reading
    conn = session.connection()  # plain Core rows: no ORM loading machinery for 20 000 rows
    comps: dict[int, list] = {}
    for c in conn.execute(select(Component.indicator_id, Component.symbol, Component.description,
                                    Component.unit_name, Component.data_source, Component.formula)
                             .join(Indicator, Indicator.id == Component.indicator_id)
                             .where(Indicator.form_id == form.id)
                             .order_by(Component.indicator_id, Component.sort_order, Component.id)):
        comps.setdefault(c.indicator_id, []).append(c)
    columns = [c for c in Indicator.__table__.columns if c.key not in ("form_id", "sort_order")]
    rows = conn.execute(select(*columns, Unit.code.label("_unit_code"), Unit.short_name.label("_unit_short"),
                                  Organisation.full_name.label("_responsible"))
                           .outerjoin(Unit, Unit.id == Indicator.unit_id)
                           .outerjoin(Organisation, Organisation.id == Indicator.responsible_id)
                           .where(Indicator.form_id == form.id).order_by(Indicator.sort_order, Indicator.id))
    names = list(rows.keys())[:-3]
    units: dict[tuple, SimpleNamespace] = {}
    out = []
    for r in rows:
        *values, unit_code, unit_short, responsible = r
        # an ORM-like view of the row (indicator_info reads both alike); components are Core rows already
        ind = SimpleNamespace(**dict(zip(names, values)))
        ind.unit = None if unit_code is None else units.setdefault(
            (unit_code, unit_short), SimpleNamespace(code=unit_code, short_name=unit_short))
        ind.components = comps.get(ind.id, ())
        ind.responsible = None if responsible is None else SimpleNamespace(full_name=responsible)
        out.append(indicator_info(ind, form.code))  # type: ignore[arg-type]
    return out


def template_rows(session: Session, form_code: str) -> int:
    """Rows of the form's entry sheet (and Excel template): one per indicator and one per component."""
    from sqlalchemy import func

    from socplan.db.models.indicators import Component

    indicators = select(Indicator.id).join(IndicatorForm, IndicatorForm.id == Indicator.form_id).where(
        IndicatorForm.code == form_code)
    return (session.scalar(select(func.count()).select_from(indicators.subquery())) or 0) + (session.scalar(
        select(func.count(Component.id)).where(Component.indicator_id.in_(indicators))) or 0)


def territory_by(session: Session, name_or_id: str | int) -> Territory:
    if isinstance(name_or_id, int):
        t = session.get(Territory, name_or_id)
    else:
        t = session.scalar(select(Territory).where(Territory.name == name_or_id))
        if t is None:
            candidates = list(session.scalars(select(Territory).where(Territory.name.like(f"%{name_or_id}%"))))
            t = candidates[0] if len(candidates) == 1 else None
    if t is None:
        raise NotFoundError(f"Территория «{name_or_id}» не найдена в справочнике. Проверьте название.")
    return t


def reporting_territories(session: Session) -> list[Territory]:
    return list(session.scalars(select(Territory).where(Territory.kind.in_(REPORTING_KINDS))
                                .order_by(Territory.sort_order, Territory.name)))


def thresholds_of(form: IndicatorForm) -> Thresholds:
    return Thresholds(form.high_threshold, form.satisfactory_threshold)


def period_filter(period: Period):  # noqa: ANN201
    return (IndicatorValue.year == period.year, IndicatorValue.period_kind == period.kind,
            IndicatorValue.period_no == period.number)


@dataclass(frozen=True, slots=True)
class StoredValue:
    """A stored cell (read with a plain SQL select: loading ORM objects is the slow part of consolidation)."""

    id: int
    value: Decimal | None
    comment: str
    qualifier: str
    version: int = 1  # optimistic locking: read in the same statement as the value


def values_for(session: Session, form: IndicatorForm, territory_ids: list[int], period: Period
               ) -> dict[int, dict[tuple[str, str, str], StoredValue]]:
    """territory id -> {(indicator code, component, kind): stored value} for one form and period."""
    out: dict[int, dict[tuple[str, str, str], StoredValue]] = {t: {} for t in territory_ids}
    # the form's codes by a plain select (never ``form.indicators``: a form read by :func:`form_only` stays light),
    # the territories' values of the period by its index, kept when they belong to the form: no list of 20 000 ids
    # to bind, and no join for PostgreSQL to plan on statistics not yet updated after a bulk import
    session.flush()  # what session.execute would do; then plain Core rows, without the ORM's result layer
    conn = session.connection()
    codes = dict(conn.execute(select(Indicator.id, Indicator.code).where(Indicator.form_id == form.id)).all())
    if not codes:
        return out
    rows = conn.execute(select(IndicatorValue.id, IndicatorValue.indicator_id, IndicatorValue.territory_id,
                                  IndicatorValue.component, IndicatorValue.kind, IndicatorValue.value,
                                  IndicatorValue.comment, IndicatorValue.qualifier, IndicatorValue.version).where(
        IndicatorValue.territory_id.in_(territory_ids), *period_filter(period)))
    for row_id, indicator_id, territory_id, component, kind, value, comment, qualifier, version in rows:
        code = codes.get(indicator_id)
        if code is not None:
            out[territory_id][(code, component, kind)] = StoredValue(row_id, value, comment, qualifier, version)
    return out


def orm_values_for(session: Session, form: IndicatorForm, territory_id: int, period: Period
                   ) -> dict[tuple[str, str, str], IndicatorValue]:
    """The same cells as ORM objects, for editing (every change is audited by the ORM listener)."""
    codes = {i.id: i.code for i in form.indicators}
    rows = session.scalars(select(IndicatorValue).where(
        IndicatorValue.indicator_id.in_(codes), IndicatorValue.territory_id == territory_id, *period_filter(period)))
    return {(codes[v.indicator_id], v.component, v.kind): v for v in rows}


def form_state(session: Session, form: IndicatorForm, territory: Territory, period: Period) -> FormState:
    sub = submission(session, form, territory, period)
    return FormState(sub.state) if sub else FormState.DRAFT


def submission(session: Session, form: IndicatorForm, territory: Territory, period: Period) -> FormSubmission | None:
    return session.scalar(select(FormSubmission).where(
        FormSubmission.form_id == form.id, FormSubmission.territory_id == territory.id,
        FormSubmission.year == period.year, FormSubmission.period_kind == period.kind,
        FormSubmission.period_no == period.number))
