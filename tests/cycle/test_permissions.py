"""Issue 16: the permission matrix — every service action × every role, allowed or denied as specified,
enforced in the services (not only the GUI); a denied action gets a Russian message and changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path
from typing import Callable

import pytest
from sqlalchemy import func, select

from socplan.db.models.audit import AuditLog
from socplan.domain.errors import PermissionDenied
from socplan.domain.indicators import FormState, Period
from socplan.domain.roles import PERMISSIONS, TERRITORY_BOUND, Action, Role
from socplan.services.context import AppContext
from socplan.services.cycle import board, completeness, due, reopen, review
from socplan.services.indicators import entry
from socplan.services.protocols import bodies
from socplan.services.subsidies import rounds
from socplan.services.users import add_user

from cycle_helpers import DISTRICT, FORM, OTHER, add_monthly_form, register_roles
import documents_and_exchange

MARCH = Period(2026, "month", 3)

#: the specification, written out independently of domain/roles.py: who may do what
EXPECTED = {
    Action.EDIT_VALUES: {Role.DISTRICT, Role.ANALYST, Role.ADMINISTRATOR},
    Action.SUBMIT_FORM: {Role.DISTRICT, Role.ANALYST, Role.ADMINISTRATOR},
    Action.ACCEPT_FORM: {Role.ANALYST, Role.ADMINISTRATOR},
    Action.RETURN_FORM: {Role.ANALYST, Role.ADMINISTRATOR},
    Action.CLOSE_FORM: {Role.ANALYST, Role.ADMINISTRATOR},
    Action.REQUEST_REOPEN: {Role.DISTRICT, Role.ANALYST, Role.ADMINISTRATOR},
    Action.DECIDE_REOPEN: {Role.ANALYST, Role.ADMINISTRATOR},
    Action.REQUEST_EXTENSION: {Role.DISTRICT, Role.ANALYST, Role.ADMINISTRATOR},
    Action.DECIDE_EXTENSION: {Role.ANALYST, Role.ADMINISTRATOR},
    Action.EDIT_DUE_RULES: {Role.ANALYST, Role.ADMINISTRATOR},
    Action.VIEW_BOARD: {Role.ANALYST, Role.SECRETARY, Role.ADMINISTRATOR},
    Action.EDIT_PROTOCOLS: {Role.SECRETARY, Role.ADMINISTRATOR},
    Action.EDIT_SUBSIDIES: {Role.ANALYST, Role.ADMINISTRATOR},
    Action.EDIT_REFERENCE: {Role.ADMINISTRATOR},
    Action.EDIT_CATALOGUE: {Role.ANALYST, Role.ADMINISTRATOR},
    Action.EDIT_PLANS: {Role.ANALYST, Role.ADMINISTRATOR},
    Action.MANAGE_USERS: {Role.ADMINISTRATOR},
    Action.REPORT_EXECUTION: {Role.DISTRICT, Role.ANALYST, Role.ADMINISTRATOR},
    Action.EXPORT_PACKAGE: {Role.DISTRICT, Role.ANALYST, Role.ADMINISTRATOR},
    Action.IMPORT_DISTRICT_PACKAGES: {Role.ANALYST, Role.ADMINISTRATOR},
    Action.IMPORT_RETURNS: {Role.DISTRICT, Role.ANALYST, Role.ADMINISTRATOR},
    Action.ISSUE_PROTOCOLS: {Role.SECRETARY, Role.ADMINISTRATOR},
    Action.ISSUE_SUBSIDY_DOCUMENTS: {Role.ANALYST, Role.ADMINISTRATOR},
    Action.SIGN_REPORTS: {Role.DISTRICT, Role.ANALYST, Role.ADMINISTRATOR},
}


def test_matrix_in_the_domain_is_the_specification() -> None:
    assert set(EXPECTED) == set(Action)
    for role in Role:
        assert PERMISSIONS[role] == {a for a, roles in EXPECTED.items() if role in roles}, role


def _fill(ctx: AppContext, territory: str = DISTRICT) -> None:
    entry.save_sheet(ctx, FORM, territory, MARCH, [entry.CellChange(str(n), "", "fact", D(10 * n)) for n in (1, 2, 3)])


def _submitted(admin: AppContext, territory: str = DISTRICT) -> None:
    _fill(admin, territory)
    entry.set_state(admin, FORM, territory, MARCH, FormState.SUBMITTED)


def _accepted(admin: AppContext, territory: str = DISTRICT) -> None:
    _submitted(admin, territory)
    entry.set_state(admin, FORM, territory, MARCH, FormState.ACCEPTED)


def _with_rule(admin: AppContext) -> None:
    due.set_due_rule(admin, FORM, "месяц", "до 10-го числа месяца, следующего за отчётным периодом")


def _case(action: Action, territory: str = DISTRICT, tmp: Path | None = None
          ) -> tuple[Callable[[AppContext], None], Callable[[AppContext], object]]:
    """(prepare as administrator, perform as the role) for one action on ``territory``."""
    nothing = lambda admin: None  # noqa: E731
    if action in documents_and_exchange.ACTIONS:
        return documents_and_exchange.case(action, territory, tmp)
    if action is Action.EDIT_VALUES:
        return nothing, lambda c: _fill(c, territory)
    if action is Action.SUBMIT_FORM:
        return (lambda a: _fill(a, territory),
                lambda c: entry.set_state(c, FORM, territory, MARCH, FormState.SUBMITTED))
    if action is Action.ACCEPT_FORM:
        return (lambda a: _submitted(a, territory),
                lambda c: entry.set_state(c, FORM, territory, MARCH, FormState.ACCEPTED))
    if action is Action.RETURN_FORM:
        return (lambda a: _submitted(a, territory),
                lambda c: review.return_form(c, FORM, territory, MARCH, {("2", "факт"): "Проверьте значение"}))
    if action is Action.CLOSE_FORM:
        return (lambda a: _accepted(a, territory),
                lambda c: entry.set_state(c, FORM, territory, MARCH, FormState.CLOSED))
    if action is Action.REQUEST_REOPEN:
        return (lambda a: _accepted(a, territory),
                lambda c: reopen.request_reopen(c, FORM, territory, MARCH, "Уточнены данные"))
    if action is Action.DECIDE_REOPEN:
        def prepare(a: AppContext) -> None:
            _accepted(a, territory)
            reopen.request_reopen(a, FORM, territory, MARCH, "Уточнены данные")
        return prepare, lambda c: reopen.decide_reopen(c, reopen.list_reopen_requests(c)[0].id
                                                       if c.user.territory_id is None else 1, True)
    if action is Action.REQUEST_EXTENSION:
        return _with_rule, lambda c: due.request_extension(c, FORM, territory, MARCH, dt.date(2026, 4, 30),
                                                           "Болезнь специалиста")
    if action is Action.DECIDE_EXTENSION:
        def prepare_ext(a: AppContext) -> None:
            _with_rule(a)
            due.request_extension(a, FORM, territory, MARCH, dt.date(2026, 4, 30), "Болезнь специалиста")
        return prepare_ext, lambda c: due.decide_extension(c, 1, True)
    if action is Action.EDIT_DUE_RULES:
        return nothing, lambda c: due.set_due_rule(c, FORM, "месяц", "до 15-го числа месяца, следующего за "
                                                   "отчётным периодом")
    if action is Action.VIEW_BOARD:
        return _with_rule, lambda c: board.board(c, MARCH, today=dt.date(2026, 4, 20))
    if action is Action.EDIT_PROTOCOLS:
        return nothing, lambda c: bodies.save_body(c, bodies.BodyInput(kind="working_group",
                                                                       name="Рабочая группа по мониторингу"))
    if action is Action.EDIT_SUBSIDIES:
        return nothing, lambda c: rounds.delete_round(c, rounds.list_rounds(c)[0].id)
    if action is Action.EDIT_PLANS:
        from socplan.services.plans.plans import create_plan
        from socplan.services.plans.rows import PlanInput

        return nothing, lambda c: create_plan(c, PlanInput("План мероприятий по мониторингу", 2026, 2027))
    if action is Action.EDIT_CATALOGUE:
        from socplan.services.indicators.catalogue import set_thresholds

        return nothing, lambda c: set_thresholds(c, FORM, comment=D(15))
    if action is Action.EDIT_REFERENCE:
        from socplan.domain.reference import UnitInput
        from socplan.services.reference import save_unit

        return nothing, lambda c: save_unit(c, UnitInput("999", "условная единица", "усл. ед."))
    if action is Action.MANAGE_USERS:
        return nothing, lambda c: add_user(c, "Новикова Нина Николаевна", "специалист", Role.DISTRICT, OTHER)
    raise AssertionError(action)


def _audit_rows(ctx: AppContext) -> int:
    with ctx.uow() as s:
        return s.scalar(select(func.count()).select_from(AuditLog))


def _authors_since(ctx: AppContext, rows_before: int) -> set[tuple[str, str]]:
    with ctx.uow() as s:
        rows = s.execute(select(AuditLog.user_name, AuditLog.user_position).order_by(AuditLog.id)
                         .offset(rows_before)).all()
        return {(n, p) for n, p in rows}


CASES = [(action, role) for action in Action for role in Role]


@pytest.mark.parametrize(("action", "role"), CASES, ids=[f"{a.value}-{r.value}" for a, r in CASES])
def test_every_action_for_every_role(demo_db, tmp_path, action: Action, role: Role) -> None:  # noqa: ANN001
    add_monthly_form(demo_db)
    contexts = register_roles(demo_db)
    prepare, perform = _case(action, DISTRICT, tmp_path)
    prepare(contexts[Role.ADMINISTRATOR])
    ctx = contexts[role]
    before = _audit_rows(ctx)
    if role in EXPECTED[action]:
        perform(ctx)  # no error at all: the role may, and the action is carried out
        assert _audit_rows(ctx) > before or action is Action.VIEW_BOARD
        # every journal entry the action wrote names the user (bulk summaries of imports included)
        assert _authors_since(ctx, before) <= {(ctx.user.name, ctx.user.position)}
    else:
        with pytest.raises(PermissionDenied, match="Недостаточно прав") as info:
            perform(ctx)
        assert role.label in info.value.message or "территори" in info.value.message
        assert _audit_rows(ctx) == before  # nothing changed
        if action is Action.EXPORT_PACKAGE:
            assert not list(tmp_path.glob("*.spkg"))  # no package file either


@pytest.mark.parametrize("action", sorted(TERRITORY_BOUND, key=lambda a: a.value))
def test_district_officer_acts_only_on_its_own_territory(demo_db, tmp_path, action: Action) -> None:  # noqa: ANN001
    add_monthly_form(demo_db)
    contexts = register_roles(demo_db)
    prepare, perform = _case(action, OTHER, tmp_path)
    prepare(contexts[Role.ADMINISTRATOR])
    ctx = contexts[Role.DISTRICT]
    before = _audit_rows(ctx)
    with pytest.raises(PermissionDenied) as info:
        perform(ctx)
    assert info.value.message.startswith("Недостаточно прав: специалист района может")
    assert f"«{OTHER}»" in info.value.message
    assert _audit_rows(ctx) == before


def test_ratio_explanation_and_excel_import_need_the_values_right(demo_db, tmp_path) -> None:  # noqa: ANN001
    from socplan.services.indicators.excel import export_template, import_template

    add_monthly_form(demo_db)
    contexts = register_roles(demo_db)
    secretary = contexts[Role.SECRETARY]
    with pytest.raises(PermissionDenied):
        completeness.explain_ratio(secretary, FORM, DISTRICT, MARCH, "X", "пояснение")
    path = tmp_path / "t.xlsx"
    export_template(contexts[Role.ADMINISTRATOR], FORM, OTHER, MARCH, path)
    with pytest.raises(PermissionDenied, match="«Тарский муниципальный район»"):
        import_template(contexts[Role.DISTRICT], path)


def test_first_user_must_be_an_administrator_and_the_last_one_stays(empty_db) -> None:  # noqa: ANN001
    from socplan.domain.errors import ConflictError, ValidationError
    from socplan.services.context import User
    from socplan.services.users import change_user, user_for

    anyone = AppContext(empty_db, User("установщик"))
    with pytest.raises(ValidationError, match="Первым пользователем базы должен быть администратор"):
        add_user(anyone, "Районов Иван Петрович", "", Role.ANALYST)
    add_user(anyone, "Админов Артём Олегович", "", Role.ADMINISTRATOR)
    admin = AppContext(empty_db, user_for(empty_db, "Админов Артём Олегович"))
    with pytest.raises(ConflictError, match="хотя бы один действующий администратор"):
        change_user(admin, "Админов Артём Олегович", role=Role.ANALYST)
