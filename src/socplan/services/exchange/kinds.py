"""Record kinds carried by packages: how a local table row becomes a wire record and back.

A wire record is ``{"uuid", "version", "data": {...}}``; ``data`` holds plain columns (Decimals as text, dates
ISO) and references by natural key (territory name, organisation short name, OKEI code, form code,
[form, indicator] codes) or, for records without a natural key (plans, events), by the exchange UUID.
A record is matched first by UUID, then by its natural ``key`` fields.

Kinds are listed in dependency order (a kind only references kinds before it). Every table is read and written
through the other capabilities' models (read-only use of their tables; their files are not changed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Callable

from sqlalchemy import Date, Table, select
from sqlalchemy.orm import Session

from socplan.db.models.exchange import ExchangeRecord
from socplan.db.models.indicators import Component, FormSubmission, Indicator, IndicatorForm, IndicatorValue
from socplan.db.models.plans import ControlPoint, Plan, PlanEvent
from socplan.db.models.reference import Organisation, Person, Territory, Unit
from socplan.db.models.subsidies import SubsidyApplication, SubsidyDocument, SubsidyRound
from socplan.db.types import ExactDecimal, Money
from socplan.domain.indicators import FormState
from socplan.services.exchange.labels import FIELD_NAMES, VALUE_WORDS
from socplan.services.exchange.wire_values import RecordProblem, _same, converters, decimal_wire


@dataclass(frozen=True)
class Ref:
    column: str  # local FK column
    wire: str  # field name in the wire record
    lookup: str  # Resolver lookup name


@dataclass
class Kind:
    name: str
    label: str
    model: Any
    key: tuple[str, ...]  # wire fields that identify the record naturally ("" → UUID only)
    columns: tuple[str, ...]  # plain columns carried
    refs: tuple[Ref, ...] = ()
    describe: Callable[[dict[str, Any]], str] = lambda d: ""
    field_labels: dict[str, str] = field(default_factory=dict)
    self_ref: bool = False  # rows reference rows of the same kind (insert one by one, parents first)
    uuid_lookup: str = ""  # this kind's rows are referenced by UUID under this lookup name
    order_by: tuple[str, ...] = ("id",)

    @property
    def table(self) -> Table:
        return self.model.__table__

    @property
    def entity(self) -> str:
        return self.model.__tablename__

    def wire_fields(self) -> tuple[str, ...]:
        fields = self.__dict__.get("_wire_fields")
        if fields is None:  # asked once per record by the preview: computed once per kind
            fields = self.__dict__["_wire_fields"] = self.columns + tuple(r.wire for r in self.refs)
        return fields


def _freeze(value: Any) -> Any:
    """A hashable form of a wire value (lists → tuples; a hostile dict → its text, which matches nothing)."""
    kind = type(value)
    if kind is list:
        return tuple([v if type(v) not in _NESTED else _freeze(v) for v in value])
    if kind is dict:
        return repr(value)
    return value


def key_of(kind: Kind, data: dict[str, Any]) -> tuple | None:
    """The record's natural key, hashable (``_freeze``): looked up in one C call; a reference made of codes (a list
    on the wire, e.g. [form, indicator]) becomes a tuple. Whatever else is nested (only a malformed record has it)
    makes the key unhashable and goes through ``_freeze`` field by field."""
    if not kind.key:
        return None
    values = list(map(data.get, kind.key))
    for i in _listed_refs(kind):
        if type(values[i]) is list:
            values[i] = tuple(values[i])
    key = tuple(values)
    try:
        hash(key)
    except TypeError:
        return tuple([v if type(v) not in _NESTED else _freeze(v) for v in map(data.get, kind.key)])
    return key


def _listed_refs(kind: Kind) -> tuple[int, ...]:
    """Positions in the kind's key of the references written on the wire as a list of codes."""
    cached = kind.__dict__.get("_listed_refs")
    if cached is None:
        listed = {"indicator", "plan", "plan_event", "subsidy_round", "subsidy_application"}  # tuple-valued lookups
        wires = {r.wire for r in kind.refs if r.lookup in listed}
        cached = kind.__dict__["_listed_refs"] = tuple(i for i, name in enumerate(kind.key) if name in wires)
    return cached


_NESTED = (list, dict)


# ------------------------------------------------------------------ resolver
class Resolver:
    """Maps between local ids and wire references, loaded lazily once per use case."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._maps: dict[str, tuple[dict[int, Any], dict[Any, int]]] = {}

    def _load(self, lookup: str) -> tuple[dict[int, Any], dict[Any, int]]:
        s = self.session
        if lookup == "territory":
            pairs = s.execute(select(Territory.id, Territory.name)).all()
        elif lookup == "organisation":
            pairs = s.execute(select(Organisation.id, Organisation.short_name)).all()
        elif lookup == "unit":
            pairs = s.execute(select(Unit.id, Unit.code)).all()
        elif lookup == "form":
            pairs = s.execute(select(IndicatorForm.id, IndicatorForm.code)).all()
        elif lookup == "indicator":
            pairs = [(i, (f, c)) for i, f, c in s.execute(
                select(Indicator.id, IndicatorForm.code, Indicator.code).join(IndicatorForm))]
        elif lookup == "plan":
            pairs = [(i, (t, y)) for i, t, y in s.execute(select(Plan.id, Plan.title, Plan.year_from))]
        elif lookup == "plan_event":
            pairs = [(i, (t, y, n)) for i, t, y, n in s.execute(
                select(PlanEvent.id, Plan.title, Plan.year_from, PlanEvent.number).join(Plan))]
        elif lookup == "subsidy_round":
            pairs = [(r.id, (r.procedure, r.year, r.title)) for r in s.execute(
                select(SubsidyRound.id, SubsidyRound.procedure, SubsidyRound.year, SubsidyRound.title))]
        elif lookup == "subsidy_application":
            pairs = [(r.id, (r.procedure, r.year, r.title, r.name)) for r in s.execute(
                select(SubsidyApplication.id, SubsidyRound.procedure, SubsidyRound.year, SubsidyRound.title,
                       Territory.name).join(SubsidyRound).join(Territory))]
        elif lookup.startswith("uuid:"):
            pairs = s.execute(select(ExchangeRecord.local_id, ExchangeRecord.uuid)
                              .where(ExchangeRecord.entity == lookup[5:])).all()
        else:
            raise KeyError(lookup)
        forward = {i: v for i, v in pairs}
        return forward, {v: i for i, v in forward.items()}

    def maps(self, lookup: str) -> tuple[dict[int, Any], dict[Any, int]]:
        if lookup not in self._maps:
            self._maps[lookup] = self._load(lookup)
        return self._maps[lookup]

    def to_wire(self, lookup: str, local_id: int | None) -> Any:
        if local_id is None:
            return None
        value = self.maps(lookup)[0].get(local_id)
        return list(value) if isinstance(value, tuple) else value

    def to_local(self, lookup: str, wire: Any, what: str) -> int | None:
        if wire is None:
            return None
        local = self.maps(lookup)[1].get(wire if type(wire) not in _NESTED else _freeze(wire))
        if local is None:
            shown = " / ".join(map(str, wire)) if isinstance(wire, (list, tuple)) else wire
            raise RecordProblem(f"{what} «{shown}» нет в этой базе — сначала загрузите справочники и каталог")
        return local

    def remember(self, lookup: str, local_id: int, wire: Any) -> None:
        forward, backward = self.maps(lookup)
        forward[local_id] = _freeze(wire)
        backward[_freeze(wire)] = local_id

    def invalidate(self, lookup: str) -> None:
        self._maps.pop(lookup, None)

    def loaded(self) -> dict[str, tuple[dict[int, Any], dict[Any, int]]]:
        """The maps read so far, by lookup (to compare with a later reading of the same base)."""
        return dict(self._maps)

    # indicator → form, for locks on accepted forms
    def indicator_form(self) -> dict[int, int]:
        if "_indicator_form" not in self._maps:
            self._maps["_indicator_form"] = (dict(self.session.execute(select(Indicator.id, Indicator.form_id)).all()), {})
        return self._maps["_indicator_form"][0]

    def accepted_forms(self) -> set[tuple]:
        if "_accepted" not in self._maps:
            rows = self.session.execute(select(
                FormSubmission.form_id, FormSubmission.territory_id, FormSubmission.year, FormSubmission.period_kind,
                FormSubmission.period_no).where(FormSubmission.state == FormState.ACCEPTED.value)).all()
            self._maps["_accepted"] = ({}, {tuple(r): 1 for r in rows})
        return set(self._maps["_accepted"][1])


REF_WHAT = {"territory": "Территории", "organisation": "Организации", "unit": "Единицы измерения с кодом",
            "form": "Формы показателей", "indicator": "Показателя", "plan": "Плана", "plan_event": "Мероприятия",
            "subsidy_round": "Отбора на субсидию", "subsidy_application": "Заявки на субсидию"}

#: kind name → the lookup that finds its rows by natural key (records of a package referenced by later kinds)
NATURAL_LOOKUPS = {"territory": "territory", "organisation": "organisation", "unit": "unit", "indicator_form": "form",
                   "indicator": "indicator", "plan": "plan", "plan_event": "plan_event",
                   "subsidy_round": "subsidy_round", "subsidy_application": "subsidy_application"}

COMMON_LABELS = {"year": "Год", "period_kind": "Вид периода", "period_no": "Номер периода", "kind": "Вид",
                 "indicator": "Показатель", "territory": "Территория", "component": "Компонент", "form": "Форма",
                 "code": "Код", "parent": "Вышестоящая запись", "organisation": "Организация", "plan": "План",
                 "event": "Мероприятие", "number": "Номер", "due_date": "Срок", "unit": "Единица измерения"}


def row_to_wire(kind: Kind, row: Any, resolver: Resolver, conv: dict) -> dict[str, Any]:
    names, get, converted = _row_reader(kind, conv)
    data = dict(zip(names, get(row)))  # the plain columns in one C call; then the few that need converting
    for name, write in converted:
        data[name] = write(data[name])
    for ref in kind.refs:
        data[ref.wire] = resolver.to_wire(ref.lookup, getattr(row, ref.column))
    return data


def _row_reader(kind: Kind, conv: dict) -> tuple[tuple[str, ...], Callable[[Any], tuple], tuple]:
    """(plain column names, a getter of their values as a tuple, (column, to_wire) of those needing conversion)."""
    cached = kind.__dict__.get("_row_reader")
    if cached is not None and cached[3] is conv:
        return cached[:3]
    names = tuple(kind.columns)
    getter = attrgetter(*names)
    get = getter if len(names) > 1 else (lambda row: (getter(row),))
    converted = tuple((name, conv[name][0]) for name in names if conv[name][0] is not _same)
    kind.__dict__["_row_reader"] = (names, get, converted, conv)
    return names, get, converted


def _readers(kind: Kind, conv: dict) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """(column, from_wire) of the kind's plain columns, in order (the kind's own converters are kept once)."""
    if conv is not kind.__dict__.get("_converters"):
        return tuple((name, conv[name][1]) for name in kind.columns)
    readers = kind.__dict__.get("_readers")
    if readers is None:
        readers = kind.__dict__["_readers"] = tuple((name, conv[name][1]) for name in kind.columns)
    return readers


def wire_to_columns(kind: Kind, data: dict[str, Any], resolver: Resolver | None, conv: dict, *,
                    refs: bool = True) -> dict[str, Any]:
    """Table columns of a wire record (``refs=False``: the plain columns only, references left out)."""
    if not isinstance(data, dict):
        raise RecordProblem("запись имеет неверную структуру")
    values = {}
    for name, read in _readers(kind, conv):
        if name in data:
            values[name] = read(data[name])
    if not refs:
        return values
    for ref in kind.refs:
        if ref.wire in data:
            values[ref.column] = resolver.to_local(ref.lookup, data[ref.wire], REF_WHAT.get(ref.lookup, ref.lookup))
    return values


# ------------------------------------------------------------------ the kinds
def _period_text(d: dict[str, Any]) -> str:
    kind, no, year = d.get("period_kind"), d.get("period_no"), d.get("year")
    if kind == "month":
        from socplan.domain.indicators import MONTHS

        return f"{MONTHS[no - 1] if isinstance(no, int) and 1 <= no <= 12 else no} {year} г."
    if kind == "quarter":
        return f"{no} квартал {year} г."
    return f"{year} г."


def _indicator_text(d: dict[str, Any]) -> str:
    ind = d.get("indicator") or ["", ""]
    comp = f", компонент {d['component']}" if d.get("component") else ""
    what = {"plan": "план", "fact": "факт"}.get(d.get("kind"), d.get("kind"))
    return f"{d.get('territory')}: показатель {ind[0]}/{ind[1]}{comp}, {what}, {_period_text(d)}"


KINDS: tuple[Kind, ...] = (
    Kind("territory", "Территории", Territory, ("name",), ("name", "kind", "okato", "sort_order"),
         (Ref("parent_id", "parent", "territory"),), describe=lambda d: d.get("name", ""),
         field_labels={"name": "Наименование", "kind": "Вид", "okato": "ОКАТО"}, self_ref=True),
    Kind("organisation", "Организации", Organisation, ("short_name",), ("full_name", "short_name", "kind"),
         (Ref("parent_id", "parent", "organisation"), Ref("territory_id", "territory", "territory")),
         describe=lambda d: d.get("short_name", ""),
         field_labels={"full_name": "Полное наименование", "short_name": "Краткое наименование"}, self_ref=True),
    Kind("unit", "Единицы измерения", Unit, ("code",), ("code", "name", "short_name"),
         describe=lambda d: f"{d.get('code')} {d.get('name')}", field_labels={"name": "Наименование"}),
    Kind("person", "Сотрудники", Person, ("last_name", "first_name", "middle_name", "organisation"),
         ("last_name", "first_name", "middle_name", "position"), (Ref("organisation_id", "organisation", "organisation"),),
         describe=lambda d: " ".join(filter(None, (d.get("last_name"), d.get("first_name"), d.get("middle_name")))),
         field_labels={"position": "Должность"}),
    Kind("indicator_form", "Формы показателей", IndicatorForm, ("code",),
         ("code", "name", "source_document", "territorial", "sort_order", "high_threshold",
          "satisfactory_threshold", "comment_threshold"),
         describe=lambda d: f"{d.get('code')} {d.get('name')}", field_labels={"name": "Наименование"}),
    Kind("indicator", "Показатели", Indicator, ("form", "code"),
         ("code", "parent_code", "sort_order", "name", "goal", "level", "indicator_type", "unit_name", "direction",
          "decimals", "value_kind", "base_value", "base_year", "source_document", "responsible_text", "consolidation",
          "formula", "formula_text", "methodology", "data_source", "plan_mode", "min_value", "max_value"),
         (Ref("form_id", "form", "form"), Ref("unit_id", "unit", "unit")),
         describe=lambda d: f"{d.get('form')}/{d.get('code')} {str(d.get('name', ''))[:80]}",
         field_labels={"name": "Наименование", "formula": "Формула", "unit_name": "Единица"}),
    Kind("indicator_component", "Компоненты формул", Component, ("indicator", "symbol"),
         ("symbol", "description", "unit_name", "data_source", "formula", "sort_order"),
         (Ref("indicator_id", "indicator", "indicator"),),
         describe=lambda d: f"{' / '.join(d.get('indicator') or [])}: {d.get('symbol')}"),
    Kind("indicator_value", "Значения показателей", IndicatorValue,
         ("indicator", "component", "territory", "year", "period_kind", "period_no", "kind"),
         ("component", "year", "period_kind", "period_no", "kind", "value", "qualifier", "comment"),
         (Ref("indicator_id", "indicator", "indicator"), Ref("territory_id", "territory", "territory")),
         describe=_indicator_text, field_labels={"value": "Значение", "comment": "Комментарий", "qualifier": "Уточнение"}),
    Kind("form_state", "Состояния форм", FormSubmission, ("form", "territory", "year", "period_kind", "period_no"),
         ("year", "period_kind", "period_no", "state", "note", "changed_by"),
         (Ref("form_id", "form", "form"), Ref("territory_id", "territory", "territory")),
         describe=lambda d: f"{d.get('territory')}: форма {d.get('form')}, {_period_text(d)}",
         field_labels={"state": "Состояние", "note": "Примечание"}),
    Kind("plan", "Планы мероприятий", Plan, ("title", "year_from"),
         ("title", "kind", "year_from", "year_to", "basis", "approval_word", "approval_position", "approval_name",
          "approval_date", "status", "revision", "reporting"),
         (Ref("owner_id", "owner", "organisation"),), describe=lambda d: str(d.get("title", ""))[:100],
         field_labels={"title": "Наименование", "status": "Статус", "year_from": "С года", "year_to": "По год"}),
    Kind("plan_event", "Мероприятия планов", PlanEvent, ("plan", "number"),
         ("position", "number", "sort_key", "text", "form", "deadline_text", "deadline_kind", "anchor_date",
          "executors_text", "source_code"),
         (Ref("plan_id", "plan", "plan"), Ref("parent_id", "parent", "plan_event")),
         describe=lambda d: f"{d.get('number')} {str(d.get('text', ''))[:90]}",
         field_labels={"text": "Мероприятие", "deadline_text": "Срок", "executors_text": "Исполнители"},
         self_ref=True, order_by=("plan_id", "sort_key")),
    Kind("control_point", "Исполнение мероприятий (контрольные точки)", ControlPoint, ("event", "due_date"),
         ("due_date", "original_due_date", "period_label", "status", "info", "reported_on"),
         (Ref("event_id", "event", "plan_event"), Ref("reporter_id", "reporter", "organisation")),
         describe=lambda d: f"контрольная точка {d.get('period_label') or d.get('due_date')}",
         field_labels={"status": "Состояние", "info": "Информация об исполнении", "reported_on": "Дата отчёта"}),
)

_APPLICATION_COLUMNS = (
    "received_date", "declared_need", "local_funds", "local_funds_cofinanced", "fiscal_capacity",
    "total_budget_spending", "total_need", "ngo_registered", "ngo_registered_previous", "ngo_supported",
    "preferential_contracts", "commission_active", "infrastructure_event", "training_event", "property_list",
    "registry_published", "activity_matches_goal", "has_municipal_programme", "form_ok", "unreliable_info",
    "needs_accessibility", "national_project", "notes")

KINDS = KINDS + (
    Kind("subsidy_round", "Отборы на субсидии", SubsidyRound, ("procedure", "year", "title"),
         ("procedure", "year", "title", "budget", "average_rate_district", "average_rate_settlement",
          "applications_deadline", "selection_date", "commission", "distribute_remainder_fully"),
         describe=lambda d: f"{d.get('title')} ({d.get('year')})",
         field_labels={"title": "Наименование", "budget": "Объём субсидии", "applications_deadline": "Приём заявок до"}),
    Kind("subsidy_application", "Заявки на субсидии", SubsidyApplication, ("round", "territory"), _APPLICATION_COLUMNS,
         (Ref("round_id", "round", "subsidy_round"), Ref("territory_id", "territory", "territory")),
         describe=lambda d: f"{d.get('territory')}: заявка, отбор {' '.join(map(str, d.get('round') or []))}",
         field_labels={"declared_need": "Заявленная потребность", "local_funds": "Средства местного бюджета",
                       "fiscal_capacity": "РБО", "notes": "Примечание"}),
    Kind("subsidy_document", "Документы заявок (перечень)", SubsidyDocument, ("application", "code"),
         ("code", "received", "received_date"), (Ref("application_id", "application", "subsidy_application"),),
         describe=lambda d: f"документ {d.get('code')} заявки {(d.get('application') or ['', '', '', ''])[-1]}",
         field_labels={"received": "Представлен", "received_date": "Дата представления"}),
)

KIND_BY_NAME = {k.name: k for k in KINDS}
STATE_LABELS = {s.value: s.label for s in FormState}
WORDS = {"period_kind": {"year": "год", "quarter": "квартал", "month": "месяц"},
         "kind": {"plan": "план", "fact": "факт"}}
# Every other field and coded value in Russian (no internal name reaches the import preview).
COMMON_LABELS.update({k: v for k, v in FIELD_NAMES.items() if k not in COMMON_LABELS})
for _field, _words in VALUE_WORDS.items():
    WORDS[_field] = {**_words, **WORDS.get(_field, {})}


def safe_describe(kind: Kind, data: dict[str, Any]) -> str:
    """The record's title for the user; a malformed record must not break the preview."""
    try:
        return str(kind.describe(data))[:300]
    except Exception:  # noqa: BLE001
        return "запись с неверными данными"


def lookup_value(kind: Kind, data: dict[str, Any]) -> Any:
    """The value under which a record of ``kind`` is found by the lookup that references it."""
    if kind.name in ("plan_event", "subsidy_application"):
        parent = _freeze(data.get("plan" if kind.name == "plan_event" else "round"))
        parent = parent if isinstance(parent, tuple) else (parent,)
        return parent + (_freeze(data.get("number" if kind.name == "plan_event" else "territory")),)
    key = key_of(kind, data)
    return key[0] if key and len(key) == 1 else key


def field_label(kind: Kind, name: str) -> str:
    return kind.field_labels.get(name) or COMMON_LABELS.get(name, name)


def value_text(kind: Kind, name: str, value: Any) -> str:
    """A wire value as the user reads it (Russian decimal comma, dd.mm.yyyy, state labels)."""
    if value is None or value == "":
        return "—"
    if name == "state":
        return STATE_LABELS.get(value, str(value))
    if name in WORDS and value in WORDS[name]:
        return WORDS[name][value]
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, list):
        return " / ".join(str(v) for v in value)
    if isinstance(value, str) and name in kind.columns:
        col_type = kind.table.c[name].type
        if isinstance(col_type, (ExactDecimal, Money)):
            return value.replace(".", ",")
        if isinstance(col_type, Date) and len(value) == 10:
            return f"{value[8:10]}.{value[5:7]}.{value[0:4]}"
    return str(value)


__all__ = ["KINDS", "KIND_BY_NAME", "Kind", "Ref", "Resolver", "RecordProblem", "key_of", "row_to_wire",
           "wire_to_columns", "value_text", "converters", "decimal_wire"]
