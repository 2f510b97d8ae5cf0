"""Optimistic locking of plan events, protocol decisions (and their execution info) and subsidy applications.

Two people open the same record (each sees its version), the first saves, the second saves what it saw: the
second gets a Russian conflict message naming the record and saying to reload; the first person's value
stays. Runs on both back-ends; the last test races two real transactions on the PostgreSQL server
(SQLAlchemy's StaleDataError becomes the same message).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal as D

import pytest
from sqlalchemy.orm import Session

from socplan.db.models.plans import PlanEvent
from socplan.domain.errors import ConflictError
from socplan.services.context import AppContext, User
from socplan.services.plans import plans
from socplan.services.plans.rows import EventInput
from socplan.services.protocols import control
from socplan.services.record_versions import stale_as_conflict
from socplan.services.subsidies import rounds

RELOAD = "запись уже изменил другой пользователь после того, как вы её открыли. Ваши изменения не сохранены"


def _two(demo_ctx):  # noqa: ANN001, ANN202
    return (AppContext(demo_ctx.db, User("Иванова Анна Петровна", "аналитик")),
            AppContext(demo_ctx.db, User("Петров Пётр Петрович", "секретарь")))


def _event_input(row, text: str) -> EventInput:  # noqa: ANN001
    return EventInput(text, row.form, row.deadline_text, row.executors, row.controllers, row.executors_text,
                      row.anchor_date, row.source_code)


def _editable_event(ctx: AppContext):  # noqa: ANN202
    """A draft plan (a new revision of the first demo plan) and its first event as a user opens it."""
    p = plans.create_revision(ctx, plans.list_plans(ctx)[0].id)
    return p, plans.list_events(ctx, p.id)[0]


def test_plan_event_saved_by_someone_else_is_a_conflict(demo_ctx):  # noqa: ANN001
    ivanova, petrov = _two(demo_ctx)
    plan, seen = _editable_event(ivanova)  # both opened the event: the same version
    first = plans.update_event(ivanova, seen.id, _event_input(seen, "Текст Ивановой"), seen_version=seen.version)
    assert first.version == seen.version + 1
    with pytest.raises(ConflictError) as info:
        plans.update_event(petrov, seen.id, _event_input(seen, "Текст Петрова"), seen_version=seen.version)
    assert info.value.message.startswith(f"Мероприятие {seen.number} плана «{plan.title}»: {RELOAD}")
    assert "Обновите запись" in info.value.message
    assert plans.list_events(petrov, plan.id)[0].text == "Текст Ивановой"
    # reloaded, Petrov's save goes through
    again = plans.list_events(petrov, plan.id)[0]
    assert plans.update_event(petrov, seen.id, _event_input(again, "Текст Петрова"),
                              seen_version=again.version).text == "Текст Петрова"


def test_execution_info_of_an_assignment_saved_by_someone_else_is_a_conflict(demo_ctx):  # noqa: ANN001
    ivanova, petrov = _two(demo_ctx)
    seen = control.list_assignments(ivanova)[0]
    control.update_control(ivanova, seen.id, control.ControlInput("done", "Исполнено письмом № 1",
                                                                  seen.meeting_date + dt.timedelta(days=1)),
                           seen_version=seen.version)
    with pytest.raises(ConflictError, match=f"^Пункт .* протокола № .*: {RELOAD}"):
        control.update_control(petrov, seen.id, control.ControlInput("done", "Исполнено письмом № 2",
                                                                     seen.meeting_date + dt.timedelta(days=2)),
                               seen_version=seen.version)
    assert control.get_decision(petrov, seen.id).execution_info == "Исполнено письмом № 1"


def test_subsidy_application_saved_by_someone_else_is_a_conflict(demo_ctx):  # noqa: ANN001
    ivanova, petrov = _two(demo_ctx)
    round_id = rounds.list_rounds(ivanova)[0].id
    seen = rounds.get_round(ivanova, round_id).applications[0]

    def save(ctx: AppContext, need: D):  # noqa: ANN202
        return rounds.save_application(ctx, round_id, dataclasses.replace(seen.data, declared_need=need),
                                       limit_rate=seen.limit_rate, received_date=seen.received_date,
                                       application_id=seen.id, seen_version=seen.version)

    save(ivanova, D("1234567.89"))
    with pytest.raises(ConflictError, match=f"^Заявка «{seen.municipality}»: {RELOAD}"):
        save(petrov, D("7654321.00"))
    after = next(a for a in rounds.get_round(petrov, round_id).applications if a.id == seen.id)
    assert after.data.declared_need == D("1234567.89")


@pytest.fixture
def server_demo(pg_server, pg_demo_template):  # noqa: ANN001, ANN201
    from socplan.db.database import open_database

    name = "socplan_record_versions"
    pg_server.drop_database(name)
    pg_server.create_database(name, template=pg_demo_template)
    db = open_database(pg_server.url(name))
    yield db
    db.close()
    pg_server.drop_database(name)


def test_concurrent_transactions_on_the_server_stale_row_is_a_russian_conflict(server_demo):  # noqa: ANN001
    """Two transactions read the same event; the first commits; the second's UPDATE finds no row of the version
    it read (StaleDataError) and is refused with the Russian message; the first text stays."""
    engine = server_demo.engine
    with Session(engine) as s1, Session(engine) as s2:
        e1 = s1.query(PlanEvent).order_by(PlanEvent.id).first()
        event_id = e1.id
        e2 = s2.get(PlanEvent, event_id)
        e1.text, e2.text = "Первый", "Второй"
        s1.commit()
        with pytest.raises(ConflictError, match=f"^Мероприятие 1: {RELOAD}"), stale_as_conflict("Мероприятие 1"):
            s2.commit()
    with Session(engine) as s:
        assert s.get(PlanEvent, event_id).text == "Первый"
