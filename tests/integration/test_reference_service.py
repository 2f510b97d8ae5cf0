import pytest
from sqlalchemy import select

from socplan.db.models import AuditLog
from socplan.domain import reference as rules
from socplan.domain.errors import InUseError, ValidationErrors
from socplan.services import reference as svc


def test_demo_reference_data(demo_ctx):
    territories = svc.list_territories(demo_ctx)
    assert len(territories) == 34
    assert territories[0].name == "Омская область"
    assert sum(t.kind == "district" for t in territories) == 32
    assert [t.name for t in territories if t.kind == "city"] == ["город Омск"]
    orgs = {o.short_name: o for o in svc.list_organisations(demo_ctx)}
    assert orgs["Минтруд"].full_name == "Министерство труда и социального развития Омской области"
    assert orgs["ДСО"].parent_short_name == "Минтруд"
    assert {u.code for u in svc.list_units(demo_ctx)} >= {"383", "642", "744", "792"}


def test_create_update_and_audit(ctx):
    row = svc.save_unit(ctx, rules.UnitInput("796", "Штука", "шт."))
    svc.save_unit(ctx, rules.UnitInput("796", "Штука (изм.)", "шт."), row.id)
    assert [u.name for u in svc.list_units(ctx)] == ["Штука (изм.)"]
    with ctx.uow() as s:
        change = s.scalar(select(AuditLog).where(AuditLog.action == "update"))
    assert (change.old, change.new, change.user_name) == ("Штука", "Штука (изм.)", "Тестов Тест Тестович")


def test_duplicate_short_name_is_refused_beside_the_field(ctx):
    svc.save_organisation(ctx, rules.OrganisationInput("Министерство труда", "Минтруд", "ministry"))
    with pytest.raises(ValidationErrors) as info:
        svc.save_organisation(ctx, rules.OrganisationInput("Министерство другое", "Минтруд", "ministry"))
    assert info.value.errors[0].field == "short_name"
    assert "уже занято" in info.value.errors[0].message
    assert len(svc.list_organisations(ctx)) == 1


def test_delete_of_a_referenced_record_says_where_it_is_used(ctx):
    org = svc.save_organisation(ctx, rules.OrganisationInput("Министерство труда", "Минтруд", "ministry"))
    svc.save_person(ctx, rules.PersonInput("Иванова", "Мария", "Петровна", "специалист", org.id))
    with pytest.raises(InUseError, match="«Сотрудники» — 1"):
        svc.delete_organisation(ctx, org.id)
    assert len(svc.list_organisations(ctx)) == 1


def test_delete_unused_record(ctx):
    org = svc.save_organisation(ctx, rules.OrganisationInput("Временная", "Врем", "other"))
    svc.delete_organisation(ctx, org.id)
    assert svc.list_organisations(ctx) == []


def test_demo_journal_holds_the_sample_reports(demo_ctx):
    from socplan.services.reports.registry import get_report_bytes, list_reports

    reports = list_reports(demo_ctx)
    titles = [r.title for r in reports]
    assert any(t.startswith("Информация об исполнении решений") for t in titles)
    assert any(t.startswith("План: ") and "независимой оценки" in t for t in titles)
    assert all(get_report_bytes(demo_ctx, r.id).startswith(b"%PDF") for r in reports)
