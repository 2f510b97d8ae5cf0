"""District ⇄ Ministry round trips: preview, accept all / per record, duplicates, sequences, conflicts, locks,
«на доработку» with remarks, catalogue and plans to a district, the journal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from exchange_helpers import DISTRICT, FORM, MINISTRY, add_form, db_fingerprint
from sqlalchemy import select

from socplan.db.models.indicators import FormSubmission, Indicator, IndicatorForm, IndicatorValue
from socplan.db.models.reference import Territory
from socplan.domain.exchange import Change, PackageRefused
from socplan.services.exchange import remarks
from socplan.services.exchange.export import ExportRequest, export_package
from socplan.services.exchange.importer import apply_import, preview_import, reject_import
from socplan.services.exchange.journal import list_journal

YEAR = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def send(offices: dict, who: str, tmp_path: Path, **kw) -> Path:  # noqa: ANN003
    office = offices[who]
    to = MINISTRY if who == "district" else DISTRICT
    folder = tmp_path / f"out-{who}"
    folder.mkdir(exist_ok=True)
    return export_package(office.ctx, ExportRequest(to, *YEAR, **kw), folder, office.signer).path


def value(ctx, ind: str, month: int, kind: str = "fact") -> IndicatorValue | None:  # noqa: ANN001
    with ctx.uow() as s:
        return s.scalar(select(IndicatorValue).join(Indicator).join(IndicatorForm).join(Territory).where(
            IndicatorForm.code == FORM, Indicator.code == ind, Territory.name == DISTRICT,
            IndicatorValue.year == 2025, IndicatorValue.period_kind == "month", IndicatorValue.period_no == month,
            IndicatorValue.kind == kind))


def set_value(ctx, ind: str, month: int, new: str, comment: str = "") -> None:  # noqa: ANN001
    with ctx.uow(reason="правка") as s:
        v = s.get(IndicatorValue, value(ctx, ind, month).id)
        v.value, v.comment = Decimal(new), comment
        s.commit()


def set_state(ctx, state: str) -> None:  # noqa: ANN001
    with ctx.uow(reason="состояние") as s:
        form = s.scalar(select(IndicatorForm).where(IndicatorForm.code == FORM))
        t = s.scalar(select(Territory).where(Territory.name == DISTRICT))
        sub = s.scalar(select(FormSubmission).where(FormSubmission.form_id == form.id,
                                                    FormSubmission.territory_id == t.id)) \
            or FormSubmission(form_id=form.id, territory_id=t.id, year=2025, period_kind="month", period_no=3)
        sub.state = state
        s.add(sub)
        s.commit()


def state_of(ctx) -> str | None:  # noqa: ANN001
    with ctx.uow() as s:
        return s.scalar(select(FormSubmission.state).join(IndicatorForm, IndicatorForm.id == FormSubmission.form_id)
                        .join(Territory, Territory.id == FormSubmission.territory_id)
                        .where(IndicatorForm.code == FORM, Territory.name == DISTRICT))


@pytest.fixture
def both(offices):  # noqa: ANN001, ANN201
    """The same form exists on both sides (the Ministry sent the catalogue earlier); the district has facts."""
    add_form(offices["district"].ctx)
    add_form(offices["ministry"].ctx, fact=False)
    return offices


def test_district_values_reach_the_ministry(both, tmp_path):  # noqa: ANN001
    path = send(both, "district", tmp_path)
    ministry = both["ministry"].ctx
    preview = preview_import(ministry, path)
    assert preview.manifest.sender.territory == DISTRICT and preview.manifest.sequence == 1
    assert "Районов" in preview.signer
    facts = [i for i in preview.items if i.kind == "indicator_value" and "факт" in i.title]
    assert len(facts) == 6 and all(i.change is Change.NEW for i in facts)
    plans = [i for i in preview.items if i.kind == "indicator_value" and "план" in i.title]
    assert plans and all(i.change is Change.UNCHANGED for i in plans)
    assert ("Значение", "", "90,1") in facts[0].differences
    assert value(ministry, "1", 1) is None
    result = apply_import(ministry, preview)
    assert result.result == "applied" and result.applied == 6
    assert value(ministry, "1", 1).value == Decimal("90.1")
    journal = list_journal(ministry)
    assert journal[0].direction == "received" and journal[0].result_label == "принят"
    assert journal[0].sequence == 1 and journal[0].sha256 == preview.sha256
    sent = list_journal(both["district"].ctx)
    assert sent[0].direction_label == "отправлен" and sent[0].sha256 == preview.sha256


def test_the_same_package_twice_changes_nothing(both, tmp_path):  # noqa: ANN001
    path = send(both, "district", tmp_path)
    ministry = both["ministry"].ctx
    apply_import(ministry, preview_import(ministry, path))
    before = db_fingerprint(ministry)
    again = preview_import(ministry, path)
    assert again.duplicate and "уже загружен" in again.duplicate_text
    assert apply_import(ministry, again).result == "duplicate"
    assert db_fingerprint(ministry) == before


def test_an_older_sequence_is_refused(both, tmp_path):  # noqa: ANN001
    first = send(both, "district", tmp_path)
    first_bytes = first.read_bytes()
    set_value(both["district"].ctx, "1", 1, "95")
    second = send(both, "district", tmp_path)
    ministry = both["ministry"].ctx
    apply_import(ministry, preview_import(ministry, second))
    before = db_fingerprint(ministry)
    with pytest.raises(PackageRefused, match="устарел: уже загружен пакет № 2"):
        preview_import(ministry, data=first_bytes)
    assert db_fingerprint(ministry) == before


def test_a_changed_value_is_shown_side_by_side(both, tmp_path):  # noqa: ANN001
    ministry = both["ministry"].ctx
    apply_import(ministry, preview_import(ministry, send(both, "district", tmp_path)))
    set_value(both["district"].ctx, "1", 2, "91.75", "уточнено по данным соцзащиты")
    preview = preview_import(ministry, send(both, "district", tmp_path))
    changed = [i for i in preview.items if i.change is Change.CHANGED]
    assert len(changed) == 1
    assert ("Значение", "90,2", "91,75") in changed[0].differences
    assert ("Комментарий", "—", "уточнено по данным соцзащиты") in changed[0].differences
    apply_import(ministry, preview)
    assert value(ministry, "1", 2).value == Decimal("91.75")


def test_changed_on_both_sides_is_a_conflict_accepted_only_explicitly(both, tmp_path):  # noqa: ANN001
    ministry = both["ministry"].ctx
    apply_import(ministry, preview_import(ministry, send(both, "district", tmp_path)))
    set_value(ministry, "2", 3, "77")  # the analyst corrected it at the Ministry
    set_value(both["district"].ctx, "2", 3, "88")  # and the district too
    preview = preview_import(ministry, send(both, "district", tmp_path))
    conflict = [i for i in preview.items if i.change is Change.CONFLICT]
    assert len(conflict) == 1 and "с обеих сторон" in conflict[0].reason and conflict[0].acceptable
    assert ("Значение", "77", "88") in conflict[0].differences
    apply_import(ministry, preview)  # accept all = new and changed only
    assert value(ministry, "2", 3).value == Decimal("77")


def test_per_record_accept(both, tmp_path):  # noqa: ANN001
    ministry = both["ministry"].ctx
    preview = preview_import(ministry, send(both, "district", tmp_path))
    facts = [i for i in preview.items if i.change is Change.NEW and i.kind == "indicator_value"]
    chosen = [facts[0].index]
    result = apply_import(ministry, preview, chosen)
    assert result.result == "partial" and result.applied == 1
    assert value(ministry, "1", 1) is not None and value(ministry, "1", 2) is None


def test_accepted_values_are_locked(both, tmp_path):  # noqa: ANN001
    ministry = both["ministry"].ctx
    apply_import(ministry, preview_import(ministry, send(both, "district", tmp_path)))
    set_state(ministry, "accepted")  # the Ministry accepted the form: «принято»
    set_value(both["district"].ctx, "1", 3, "12")
    preview = preview_import(ministry, send(both, "district", tmp_path))
    locked = [i for i in preview.items if i.change is Change.CONFLICT]
    assert len(locked) == 1 and "принято" in locked[0].reason and not locked[0].acceptable
    apply_import(ministry, preview, [locked[0].index])  # even chosen explicitly
    assert value(ministry, "1", 3).value == Decimal("90.3")


def test_reject_writes_only_the_journal(both, tmp_path):  # noqa: ANN001
    ministry = both["ministry"].ctx
    preview = preview_import(ministry, send(both, "district", tmp_path))
    result = reject_import(ministry, preview, "ошибочный период")
    assert result.result == "rejected" and value(ministry, "1", 1) is None
    row = list_journal(ministry)[0]
    assert row.result_label == "отклонён" and "ошибочный период" in row.result_text


def test_return_for_revision_with_remarks_reaches_the_district_cells(both, tmp_path):  # noqa: ANN001
    district, ministry = both["district"].ctx, both["ministry"].ctx
    set_state(district, "submitted")
    apply_import(ministry, preview_import(ministry, send(both, "district", tmp_path)))
    assert state_of(ministry) == "submitted"
    target = value(ministry, "2", 3)
    n = remarks.return_for_revision(ministry, FORM, DISTRICT, 2025, "month", 3,
                                    {target.id: "Значение ниже прошлого года — приложите пояснение"}, "Уточнить")
    assert n == 1
    preview = preview_import(district, send(both, "ministry", tmp_path))
    state = [i for i in preview.items if i.kind == "form_state"]
    assert state and state[0].change is Change.CHANGED
    assert ("Состояние", "представлено", "возвращено на доработку") in state[0].differences
    assert preview.remarks == 1
    apply_import(district, preview)
    assert state_of(district) == "returned"
    cell = value(district, "2", 3)
    shown = remarks.remarks_for_values(district, [cell.id])
    assert shown[cell.id][0].text == "Значение ниже прошлого года — приложите пояснение"
    assert shown[cell.id][0].received and "март 2025" in shown[cell.id][0].cell


def test_catalogue_and_plans_reach_a_new_district(offices, tmp_path):  # noqa: ANN001
    """A form created at the Ministry (with plan values = the template) arrives whole at the district."""
    district, ministry = offices["district"].ctx, offices["ministry"].ctx
    add_form(ministry, fact=False)
    preview = preview_import(district, send(offices, "ministry", tmp_path))
    kinds = {i.kind for i in preview.items if i.change is Change.NEW}
    assert {"indicator_form", "indicator", "indicator_value"} <= kinds
    result = apply_import(district, preview)
    assert result.applied >= 1 + 2 + 6
    assert value(district, "2", 3, "plan").value == Decimal("103")
    again = preview_import(district, send(offices, "ministry", tmp_path))  # next package: nothing new
    assert not [i for i in again.items if i.change in (Change.NEW, Change.CHANGED)]


def test_nothing_to_send_is_explained(offices, tmp_path):  # noqa: ANN001
    from socplan.domain.errors import SocPlanError

    with pytest.raises(SocPlanError, match="нет данных"):
        export_package(offices["district"].ctx, ExportRequest(MINISTRY, dt.date(1999, 1, 1), dt.date(1999, 12, 31)),
                       tmp_path, offices["district"].signer)


def test_signed_reports_travel_with_the_package(both, tmp_path):  # noqa: ANN001
    from socplan.reports.document import DocumentBuilder, DocumentSpec
    from socplan.services.exchange.journal import document_bytes

    builder = DocumentBuilder(DocumentSpec(title="Отчёт о значениях показателей", author="Районов И.П.",
                                           subject="обмен"))
    builder.paragraph("Значения показателей за 2025 год представлены.")
    pdf = tmp_path / "Отчёт за 2025 год.pdf"
    pdf.write_bytes(builder.build_bytes())
    path = send(both, "district", tmp_path, report_files=(pdf,))
    ministry = both["ministry"].ctx
    preview = preview_import(ministry, path)
    assert preview.documents == ("reports/Отчёт за 2025 год.pdf",)
    apply_import(ministry, preview)
    row = list_journal(ministry)[0]
    assert row.documents == ("Отчёт за 2025 год.pdf",)
    assert document_bytes(ministry, row.id, "Отчёт за 2025 год.pdf") == pdf.read_bytes()


def test_plans_go_to_a_district_with_its_own_events(offices, tmp_path):  # noqa: ANN001
    from sqlalchemy import func

    from socplan.db.models.plans import PlanEvent

    ministry = offices["ministry"]
    result = export_package(ministry.ctx, ExportRequest("город Омск", *YEAR, kinds=("plan", "plan_event")), tmp_path,
                            ministry.signer)
    with ministry.ctx.uow() as s:
        total = s.scalar(select(func.count(PlanEvent.id)))
        city = s.scalar(select(func.count(PlanEvent.id)).where(PlanEvent.executors_text.contains("города Омска")))
    assert result.counts["plan"] >= 1
    assert city <= result.counts["plan_event"] < total  # the city's events and their parents, not every event
