"""What happens here between the preview and «Принять» counts: the apply re-checks every record inside its own
transaction, so a value entered, corrected, deleted or locked here after the preview is never overwritten blindly,
and an apply that did not finish (cancelled) leaves the preview as it was, ready to be applied again."""

from __future__ import annotations

from decimal import Decimal

import pytest
from exchange_helpers import DISTRICT, FORM, add_form, db_fingerprint, send
from sqlalchemy import func, select, update

from socplan.db.models.exchange import ExchangeRecord
from socplan.db.models.indicators import FormSubmission, Indicator, IndicatorForm, IndicatorValue
from socplan.db.models.reference import Territory
from socplan.domain.errors import Cancelled
from socplan.domain.exchange import Change
from socplan.services.exchange.importer import apply_import, preview_import

def fact(ctx, ind: str, month: int) -> IndicatorValue | None:  # noqa: ANN001
    with ctx.uow() as s:
        return s.scalar(select(IndicatorValue).join(Indicator).join(IndicatorForm).join(Territory).where(
            IndicatorForm.code == FORM, Indicator.code == ind, Territory.name == DISTRICT,
            IndicatorValue.year == 2025, IndicatorValue.period_kind == "month", IndicatorValue.period_no == month,
            IndicatorValue.kind == "fact"))


def enter(ctx, ind: str, month: int, new: str) -> None:  # noqa: ANN001
    """The analyst types a fact into this database's cell (a new cell or a correction)."""
    with ctx.uow(reason="правка") as s:
        existing = fact(ctx, ind, month)
        if existing is not None:
            s.get(IndicatorValue, existing.id).value = Decimal(new)
        else:
            indicator = s.scalar(select(Indicator).join(IndicatorForm).where(IndicatorForm.code == FORM,
                                                                             Indicator.code == ind))
            t = s.scalar(select(Territory).where(Territory.name == DISTRICT))
            s.add(IndicatorValue(indicator=indicator, territory=t, year=2025, period_kind="month", period_no=month,
                                 kind="fact", value=Decimal(new)))
        s.commit()


@pytest.fixture
def both(offices):  # noqa: ANN001, ANN201
    add_form(offices["district"].ctx)
    add_form(offices["ministry"].ctx, fact=False)
    return offices


def test_a_value_entered_here_after_the_preview_is_not_overwritten(both, tmp_path):  # noqa: ANN001
    """The preview shows 6 new facts. Before «Принять» the analyst enters fact 1 of January here (55). The apply
    finds it: the cell now exists and differs with no exchange behind it — a conflict, not taken by «accept all» —
    so 55 stays and the other 5 new facts are written (result «принят частично»: 5 of 6 applied)."""
    ministry = both["ministry"].ctx
    preview = preview_import(ministry, send(both, tmp_path))
    assert sum(1 for i in preview.items if i.change is Change.NEW and i.kind == "indicator_value") == 6
    enter(ministry, "1", 1, "55")
    result = apply_import(ministry, preview)
    assert (result.result, result.applied) == ("partial", 5)
    assert len(result.problems) == 1 and "изменено в этой базе после просмотра пакета" in result.problems[0]
    assert fact(ministry, "1", 1).value == Decimal("55")
    assert fact(ministry, "2", 3).value == Decimal("90.3")


def test_a_value_corrected_here_after_the_preview_becomes_a_conflict(both, tmp_path):  # noqa: ANN001
    """After a first exchange the district corrects fact 1 of February (90,2 → 91); the preview shows the change.
    Before «Принять» the analyst corrects the same cell here (77): changed on both sides, so 77 stays."""
    ministry = both["ministry"].ctx
    apply_import(ministry, preview_import(ministry, send(both, tmp_path)))
    enter(both["district"].ctx, "1", 2, "91")
    preview = preview_import(ministry, send(both, tmp_path))
    assert [i.change for i in preview.items if i.kind == "indicator_value" and i.change is not Change.UNCHANGED] \
        == [Change.CHANGED]
    enter(ministry, "1", 2, "77")
    result = apply_import(ministry, preview)
    assert (result.result, result.applied) == ("rejected", 0)
    assert "февраль 2025" in result.problems[0] and "после просмотра пакета" in result.problems[0]
    assert fact(ministry, "1", 2).value == Decimal("77")


def test_a_value_retyped_here_with_more_decimals_after_the_preview_counts_as_a_change(both, tmp_path):  # noqa: ANN001
    """90,2 and 90,20 are the same number but not the same entry (the fingerprints differ): the district corrects
    fact 2 of February (90,2 → 91); before «Принять» a correction here stores 90,20 in that cell. Changed on both
    sides: 90,20 stays."""
    ministry = both["ministry"].ctx
    apply_import(ministry, preview_import(ministry, send(both, tmp_path)))
    enter(both["district"].ctx, "2", 2, "91")
    preview = preview_import(ministry, send(both, tmp_path))
    assert sum(1 for i in preview.items if i.change is Change.CHANGED) == 1
    with ministry.uow(reason="шаблон") as s:
        s.execute(update(IndicatorValue).where(IndicatorValue.id == fact(ministry, "2", 2).id)
                  .values(value=Decimal("90.20")))  # the same number: even the row's version stays
        s.commit()
    result = apply_import(ministry, preview)
    assert result.applied == 0 and "после просмотра пакета" in result.problems[0]
    assert str(fact(ministry, "2", 2).value) == "90.20"


def test_a_form_accepted_here_after_the_preview_locks_its_values(both, tmp_path):  # noqa: ANN001
    """The district corrects fact 1 of March (90,3 → 12); the preview offers it. Before «Принять» the Ministry
    marks the form «принято»: the value is locked and keeps 90,3."""
    ministry = both["ministry"].ctx
    apply_import(ministry, preview_import(ministry, send(both, tmp_path)))
    enter(both["district"].ctx, "1", 3, "12")
    preview = preview_import(ministry, send(both, tmp_path))
    changed = [i for i in preview.items if i.change is Change.CHANGED]
    assert len(changed) == 1
    with ministry.uow(reason="приёмка") as s:
        form_id = s.scalar(select(IndicatorForm.id).where(IndicatorForm.code == FORM))
        t_id = s.scalar(select(Territory.id).where(Territory.name == DISTRICT))
        s.add(FormSubmission(form_id=form_id, territory_id=t_id, year=2025, period_kind="month", period_no=3,
                             state="accepted"))
        s.commit()
    apply_import(ministry, preview, [changed[0].index])  # even chosen explicitly
    assert fact(ministry, "1", 3).value == Decimal("90.3")


def test_a_value_deleted_here_after_the_preview_is_written_again(both, tmp_path):  # noqa: ANN001
    """The district corrects fact 2 of January (90,1 → 93); before «Принять» the analyst deletes that cell here.
    The apply does not update a row that is gone: the value is written anew (93) with the record's UUID."""
    ministry = both["ministry"].ctx
    apply_import(ministry, preview_import(ministry, send(both, tmp_path)))
    enter(both["district"].ctx, "2", 1, "93")
    preview = preview_import(ministry, send(both, tmp_path))
    changed = [i for i in preview.items if i.change is Change.CHANGED]
    assert len(changed) == 1
    with ministry.uow(reason="удаление") as s:
        s.delete(s.get(IndicatorValue, fact(ministry, "2", 1).id))
        s.commit()
    result = apply_import(ministry, preview)
    assert result.applied == 1
    again = fact(ministry, "2", 1)
    assert again.value == Decimal("93")
    with ministry.uow() as s:
        uuids = s.scalars(select(ExchangeRecord.uuid).where(ExchangeRecord.entity == "ind_value",
                                                            ExchangeRecord.local_id == again.id)).all()
    assert uuids == [changed[0].uuid]


def test_an_apply_cancelled_after_writing_can_be_repeated_on_the_same_preview(both, tmp_path):  # noqa: ANN001
    """«Отмена» after the rows were written rolls everything back (the database as before); «Принять» again on the
    same preview then writes the 6 facts once, each with one UUID mapping."""
    ministry = both["ministry"].ctx
    preview = preview_import(ministry, send(both, tmp_path))
    before = db_fingerprint(ministry)
    writing = []

    def progress(_step: int, _total: int, text: str) -> None:
        writing.append(text.startswith("Запись"))

    with pytest.raises(Cancelled):
        apply_import(ministry, preview, progress=progress, cancelled=lambda: any(writing))
    assert any(writing) and db_fingerprint(ministry) == before
    result = apply_import(ministry, preview)
    assert (result.result, result.applied) == ("applied", 6)
    assert fact(ministry, "2", 3).value == Decimal("90.3")
    with ministry.uow() as s:
        ids = s.scalars(select(IndicatorValue.id).join(Indicator).join(IndicatorForm).where(
            IndicatorForm.code == FORM, IndicatorValue.kind == "fact")).all()
        mapped = s.scalar(select(func.count()).select_from(ExchangeRecord).where(
            ExchangeRecord.entity == "ind_value", ExchangeRecord.local_id.in_(ids)))
    assert len(ids) == 6 and mapped == 6
