"""Writing a package in bulk: corrections of many values at once keep their versions and the journal of changes,
whichever way the UUID mappings are looked up (a young database reads them all; a region's database looks up only
the package's records), and the garbage collector paused for the bulk work always runs again afterwards."""

from __future__ import annotations

import datetime as dt
import gc
from decimal import Decimal

import pytest
from exchange_helpers import DISTRICT, FORM, add_form, send
from sqlalchemy import select

from socplan.db.base import utcnow
from socplan.db.models.audit import AuditLog
from socplan.db.models.exchange import ExchangeRecord
from socplan.db.models.indicators import Indicator, IndicatorForm, IndicatorValue
from socplan.db.models.reference import Territory
from socplan.domain.exchange import Change, PackageRefused
from socplan.services.exchange import records
from socplan.services.exchange.importer import apply_import, preview_import

def facts(ctx) -> dict[tuple[str, int], tuple[Decimal, str, int, int]]:  # noqa: ANN001
    """(indicator code, month) → (value, comment, version, id) of the district's facts in this database."""
    with ctx.uow() as s:
        rows = s.execute(select(Indicator.code, IndicatorValue.period_no, IndicatorValue.value, IndicatorValue.comment,
                                IndicatorValue.version, IndicatorValue.id)
                         .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
                         .join(IndicatorForm, IndicatorForm.id == Indicator.form_id)
                         .join(Territory, Territory.id == IndicatorValue.territory_id)
                         .where(IndicatorForm.code == FORM, Territory.name == DISTRICT, IndicatorValue.kind == "fact"))
        return {(code, month): (value, comment, version, id_) for code, month, value, comment, version, id_ in rows}


def correct(ctx, changes: dict[tuple[str, int], tuple[str, str]]) -> None:  # noqa: ANN001
    with ctx.uow(reason="уточнение района") as s:
        for (code, month), (new, comment) in changes.items():
            v = s.get(IndicatorValue, facts(ctx)[(code, month)][3])
            v.value, v.comment = Decimal(new), comment
        s.commit()


@pytest.fixture(params=["young", "regional"])
def plan(request, monkeypatch):  # noqa: ANN001, ANN201
    """«young»: every mapping of the entity read in one query; «regional»: only the package's records looked up
    (what a database holding millions of mappings does)."""
    if request.param == "regional":
        monkeypatch.setattr(records, "LOAD_ALL_SLACK", -10**9)
    read_whole: list[str] = []  # entities whose mappings were read whole
    load = records.load_mappings

    def spy(session, entity, local_ids=None):  # noqa: ANN001, ANN202
        if local_ids is None:
            read_whole.append(entity)
        return load(session, entity, local_ids)

    monkeypatch.setattr(records, "load_mappings", spy)
    return request.param, read_whole


def test_corrections_of_many_values_keep_versions_and_the_journal(offices, tmp_path, plan):  # noqa: ANN001
    """The district sends 6 facts, then corrects three of them (two values, one comment) and sends again.

    Expected at the Ministry after the second package: exactly those three are «изменение», each written with its
    version raised by one (1 → 2, optimistic locking: an import is a change too), the other three untouched
    (version 1); the journal of changes names each changed field with the old and the new value."""
    add_form(offices["district"].ctx)
    add_form(offices["ministry"].ctx, fact=False)
    ministry = offices["ministry"].ctx
    first = apply_import(ministry, preview_import(ministry, send(offices, tmp_path)))
    assert first.applied == 6
    with ministry.uow() as s:  # each received value got its UUID mapping, stamped with the time of the import
        stamps = s.execute(select(ExchangeRecord.synced_at, ExchangeRecord.version, ExchangeRecord.uuid)
                           .where(ExchangeRecord.entity == "ind_value")).all()
    assert len(stamps) >= 6 and all(version == 1 and len(uuid) == 36 for _at, version, uuid in stamps)
    assert all(abs(at - utcnow()) < dt.timedelta(minutes=5) for at, _v, _u in stamps)
    before = facts(ministry)
    assert {v[2] for v in before.values()} == {1}
    correct(offices["district"].ctx, {("1", 1): ("95.5", ""), ("2", 2): ("80", ""),
                                      ("2", 3): ("90.3", "по данным соцзащиты")})
    preview = preview_import(ministry, send(offices, tmp_path))
    changed = sorted(i.title for i in preview.items if i.change is Change.CHANGED)
    assert len(changed) == 3
    assert sum(1 for i in preview.items if i.change is Change.UNCHANGED and i.kind == "indicator_value") >= 3
    result = apply_import(ministry, preview)
    assert result.result == "applied" and result.applied == 3
    after = facts(ministry)
    assert after[("1", 1)][:3] == (Decimal("95.5"), "", 2)
    assert after[("2", 2)][:3] == (Decimal("80"), "", 2)
    assert after[("2", 3)][:3] == (Decimal("90.3"), "по данным соцзащиты", 2)
    for key in (("1", 2), ("1", 3), ("2", 1)):
        assert after[key] == before[key]
    with ministry.uow() as s:
        journal = {(r.entity_id, r.field, r.old, r.new) for r in s.scalars(
            select(AuditLog).where(AuditLog.entity == "ind_value", AuditLog.action == "update"))}
    assert (str(after[("1", 1)][3]), "Значение", "90,1", "95,5") in journal
    assert (str(after[("2", 2)][3]), "Значение", "90,2", "80") in journal
    assert (str(after[("2", 3)][3]), "Комментарий", "—", "по данным соцзащиты") in journal
    # the same package again: nothing changes, whichever plan found the mappings
    again = preview_import(ministry, send(offices, tmp_path))
    assert not [i for i in again.items if i.change is not Change.UNCHANGED and i.kind == "indicator_value"]
    name, read_whole = plan
    assert ("ind_value" in read_whole) is (name == "young")


def test_the_collector_runs_again_after_an_import_and_after_a_refusal(offices, tmp_path):  # noqa: ANN001
    add_form(offices["district"].ctx)
    add_form(offices["ministry"].ctx, fact=False)
    ministry = offices["ministry"].ctx
    path = send(offices, tmp_path)
    preview = preview_import(ministry, path)
    assert gc.isenabled()
    apply_import(ministry, preview)
    assert gc.isenabled()
    damaged = bytearray(path.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    with pytest.raises(PackageRefused):
        preview_import(ministry, data=bytes(damaged))
    assert gc.isenabled()


@pytest.mark.parametrize("data", [
    {"indicator": ["ГП-1", "1"], "territory": "Тарский муниципальный район", "year": 2025, "period_kind": "month",
     "period_no": 3, "kind": "fact", "value": "90.3", "qualifier": "", "comment": "«по данным» \"соцзащиты\"\n"},
    {"b": [1, 2.5, None, True], "a": {"z": "\u2028", "y": "é"}, "c": 10**30},
])
def test_record_fingerprints_stay_the_canonical_json_both_offices_compare(data):  # noqa: ANN001
    """A fingerprint stored at the last exchange (``synced_hash``) is compared with one computed now: the faster
    encoder must give byte for byte the canonical JSON of earlier versions (sorted keys, no spaces, UTF-8)."""
    import hashlib
    import json

    from socplan.domain.exchange import canonical_json, content_hash

    reference = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    assert canonical_json(data) == reference
    assert content_hash(data) == hashlib.sha256(reference).hexdigest()[:32]


def test_numbers_on_the_wire_are_the_fixed_point_text_of_earlier_versions():
    """``decimal_wire`` must give exactly ``format(v, "f")`` (fingerprints of sent values depend on it), also where
    ``str`` would write an exponent: 1E+2 → «100», 1E-7 → «0.0000001»."""
    import random

    from socplan.services.exchange.kinds import decimal_wire

    samples = [Decimal(x) for x in ("0", "-0", "0.0", "90.10", "-0.0855", "1E+2", "1E-7", "123456789012345.99",
                                    "0.000001", "0.0000001", "1000000", "-1.5E+3", "9999999999999999.99")]
    rng = random.Random(19)
    samples += [Decimal(rng.randint(-10**12, 10**12)).scaleb(rng.randint(-12, 4)) for _ in range(2000)]
    assert decimal_wire(Decimal("1E+2")) == "100" and decimal_wire(Decimal("1E-7")) == "0.0000001"
    for d in samples:
        assert decimal_wire(d) == format(d, "f"), d


def test_uuids_made_in_bulk_are_distinct_random_version_4_uuids():
    import uuid

    from socplan.domain.exchange import new_uuids

    made = new_uuids(5000)
    assert len(set(made)) == 5000 and new_uuids(0) == []
    for text in made:
        parsed = uuid.UUID(text)
        assert str(parsed) == text and parsed.version == 4 and parsed.variant == uuid.RFC_4122


def test_the_paused_collector_leaves_objects_frozen_elsewhere_frozen_and_finds_cycles_afterwards():
    from socplan.services.bulk import paused_collector

    class Node:
        pass

    gc.collect()
    gc.freeze()  # e.g. an application that froze its start-up objects
    try:
        frozen = gc.get_freeze_count()
        with paused_collector():
            assert not gc.isenabled()
        assert gc.isenabled() and gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
    with paused_collector():
        a, b = Node(), Node()
        a.other, b.other = b, a  # a reference cycle made while the collector is paused
        del a, b
    assert gc.get_freeze_count() == 0
    assert gc.collect() >= 2  # found by the next full collection


@pytest.mark.parametrize("kind_name, data", [
    ("indicator_value", {"indicator": ["ГП-1", "1"], "component": "", "territory": "Тарский муниципальный район",
                         "year": 2025, "period_kind": "month", "period_no": 3, "kind": "fact"}),
    ("indicator_value", {"indicator": ["ГП-1", ["1"]], "territory": {"name": "Тара"}, "year": [2025]}),  # malformed
    ("indicator_value", {"indicator": "ГП-1/1", "kind": {"a": [1]}}),
    ("indicator", {"form": "ГП-1", "code": "1"}),
    ("control_point", {"event": "3f0c…", "due_date": ["2025-03-31"]}),
    ("subsidy_document", {"application": ["МО", 2025, "Отбор", "Тара"], "code": "1"}),
])
def test_natural_keys_are_the_frozen_fields_whatever_the_record_holds(kind_name, data):  # noqa: ANN001
    """A record's natural key is its key fields with every list made a tuple and every dict its text (hashable), the
    same whether the record is well-formed (the quick path) or not."""
    from socplan.services.exchange.kinds import KIND_BY_NAME, _freeze, key_of

    kind = KIND_BY_NAME[kind_name]
    key = key_of(kind, data)
    assert key == tuple(_freeze(data.get(name)) for name in kind.key)
    hash(key)
