"""Two real server logins on one shared database: a district officer sees and changes only its territory's
indicator values (PostgreSQL row-level security, not only the application); the Ministry analyst sees all.
The application's user follows the login."""

from __future__ import annotations

from decimal import Decimal as D

import psycopg
import pytest
from sqlalchemy import func, select

from socplan.app import main
from socplan.cli.common import open_context
from socplan.db.database import open_database
from socplan.db.models.indicators import IndicatorValue
from socplan.db.postgres import ServerAccessDenied
from socplan.domain.indicators import Period
from socplan.services.context import AppContext, User
from socplan.services.indicators import entry

OWN = "Тарский муниципальный район"
OTHER = "Омский муниципальный район"
PERIOD = Period(2025)


@pytest.fixture(scope="module")
def logins(pg_server):  # noqa: ANN001, ANN201
    with pg_server.admin() as conn:
        for role in ("tara_officer", "ministry_analyst"):
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')
            conn.execute(f'CREATE ROLE "{role}" LOGIN')
    return "tara_officer", "ministry_analyst"


@pytest.fixture
def shared(pg_server, pg_demo_template, logins, capsys):  # noqa: ANN001, ANN201
    """The Ministry's demo database on the server with both logins registered by the administrator."""
    name = "socplan_rls"
    pg_server.drop_database(name)
    pg_server.create_database(name, template=pg_demo_template)
    admin = pg_server.url(name)
    assert main(["--db", admin, "db", "login", "tara_officer", "--territory", OWN,
                 "--name", "Районова Ольга Ивановна", "--position", "специалист района"]) == 0
    assert "привязана (территория «Тарский муниципальный район»)" in capsys.readouterr().out
    assert main(["--db", admin, "db", "login", "ministry_analyst", "--name", "Аналитикова Вера Павловна",
                 "--position", "аналитик Министерства"]) == 0
    ctx = AppContext(open_database(admin), User("Администратор", ""))
    for t in (OWN, OTHER):
        entry.save_sheet(ctx, "ГП", t, PERIOD, [entry.CellChange("9", "", "fact", D(500 if t == OWN else 900))])
    ctx.db.close()
    yield {login: pg_server.url(name, user=login) for login in logins}
    pg_server.drop_database(name)


def _fact_9(ctx: AppContext, territory: str) -> D | None:
    sheet = entry.load_sheet(ctx, "ГП", territory, PERIOD)
    return next(r for r in sheet.rows if r.indicator.code == "9" and not r.component).fact


def test_district_login_sees_and_changes_only_its_territory(shared):  # noqa: ANN001
    class Args:
        db = shared["tara_officer"]

    with open_context(Args(), create=False) as ctx:
        assert ctx.user == User("Районова Ольга Ивановна", "специалист района")  # the user follows the login
        assert _fact_9(ctx, OWN) == D(500)
        assert _fact_9(ctx, OTHER) is None  # the other district's value is not visible at all
        with ctx.uow() as s:
            territories = s.scalars(select(IndicatorValue.territory_id).distinct()).all()
        assert len(territories) == 1
        entry.save_sheet(ctx, "ГП", OWN, PERIOD, [entry.CellChange("9", "", "fact", D(510))])
        with pytest.raises(ServerAccessDenied, match="нет прав на это действие.*Ничего не изменено"):
            entry.save_sheet(ctx, "ГП", OTHER, PERIOD, [entry.CellChange("9", "", "fact", D(1))])
        history = entry.cell_history(ctx, "ГП", OWN, PERIOD, "9", "", "fact")
        assert history[-1].user == "Районова Ольга Ивановна"

    # enforced by the server, not only by the application: plain SQL as the same login changes nothing
    with psycopg.connect(shared["tara_officer"], autocommit=True) as conn:
        cur = conn.execute("UPDATE ind_value SET value = '1'")
        changed = cur.rowcount
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE srv_login SET territory_id = NULL")
    with psycopg.connect(shared["ministry_analyst"]) as conn:
        own_rows = conn.execute("SELECT count(*) FROM ind_value v JOIN territory t ON t.id = v.territory_id "
                                "WHERE t.name = %s", (OWN,)).fetchone()[0]
        assert conn.execute("SELECT value FROM ind_value v JOIN territory t ON t.id = v.territory_id "
                            "WHERE t.name = %s AND v.year = 2025 AND v.kind = 'fact' AND v.value = '900'",
                            (OTHER,)).fetchone() == ("900",)
    assert changed == own_rows  # only the district's own rows were reachable


def test_ministry_login_sees_every_territory(shared):  # noqa: ANN001
    class Args:
        db = shared["ministry_analyst"]

    with open_context(Args(), create=False) as ctx:
        assert ctx.user.name == "Аналитикова Вера Павловна"
        assert (_fact_9(ctx, OWN), _fact_9(ctx, OTHER)) == (D(500), D(900))
        with ctx.uow() as s:
            assert s.scalar(select(func.count(func.distinct(IndicatorValue.territory_id)))) > 2


@pytest.fixture
def bound(pg_server, pg_demo_template, logins):  # noqa: ANN001, ANN201
    """The demo database with application users; each server login bound to one of them by ``db login --user``."""
    from socplan.domain.roles import Role
    from socplan.services.users import add_user

    name = "socplan_rls_users"
    pg_server.drop_database(name)
    pg_server.create_database(name, template=pg_demo_template)
    admin = pg_server.url(name)
    ctx = AppContext(open_database(admin), User("Администратор", ""))
    for t in (OWN, OTHER):
        entry.save_sheet(ctx, "ГП", t, PERIOD, [entry.CellChange("9", "", "fact", D(500 if t == OWN else 900))])
    add_user(ctx, "Админова Анна Петровна", "администратор", Role.ADMINISTRATOR)
    add_user(ctx, "Районова Ольга Ивановна", "специалист", Role.DISTRICT, OWN)
    add_user(ctx, "Аналитикова Вера Павловна", "аналитик", Role.ANALYST)
    ctx.db.close()
    yield admin, {login: pg_server.url(name, user=login) for login in logins}
    pg_server.drop_database(name)


def test_login_bound_to_application_user_takes_its_role_and_territory(bound, capsys):  # noqa: ANN001
    """``db login LOGIN --user ФИО``: the district officer's login works as «специалист района» of its
    territory — it cannot accept a form and the server shows it only its territory's values; moving the user
    to another territory (``users change``) moves what the login sees, because the policies read the user."""
    from socplan.domain.errors import ConflictError, PermissionDenied
    from socplan.domain.indicators import FormState

    admin, urls = bound
    assert main(["--db", admin, "db", "login", "tara_officer", "--user", "Районова Ольга Ивановна"]) == 0
    assert ("«tara_officer» привязана к пользователю «Районова Ольга Ивановна» (специалист района, "
            f"{OWN})") in capsys.readouterr().out
    assert main(["--db", admin, "db", "login", "ministry_analyst", "--user", "Аналитикова Вера Павловна"]) == 0
    assert main(["--db", admin, "db", "login", "tara_officer", "--user", "Районова Ольга Ивановна",
                 "--territory", OTHER]) == 1
    assert "уберите --territory" in capsys.readouterr().err

    class Tara:
        db = urls["tara_officer"]

    with open_context(Tara(), create=False) as ctx:
        assert (ctx.user.name, ctx.user.role.label, ctx.user.territory_name) == (
            "Районова Ольга Ивановна", "специалист района", OWN)
        assert (_fact_9(ctx, OWN), _fact_9(ctx, OTHER)) == (D(500), None)
        with pytest.raises(PermissionDenied, match="принимать форму"):
            entry.set_state(ctx, "ГП", OWN, PERIOD, FormState.ACCEPTED)
    with psycopg.connect(urls["tara_officer"], autocommit=True) as conn, pytest.raises(
            psycopg.errors.InsufficientPrivilege):
        conn.execute("UPDATE app_user SET territory_id = NULL")  # a district login cannot widen its own rights

    class Analyst:
        db = urls["ministry_analyst"]

    with open_context(Analyst(), create=False) as ctx:
        assert ctx.user.role.label == "аналитик Министерства"
        assert (_fact_9(ctx, OWN), _fact_9(ctx, OTHER)) == (D(500), D(900))
        with pytest.raises(ConflictError, match="Нельзя перевести форму из состояния «черновик»"):
            entry.set_state(ctx, "ГП", OWN, PERIOD, FormState.ACCEPTED)  # allowed to accept; the form is a draft

    assert main(["--db", admin, "--user", "Админова Анна Петровна", "users", "change", "Районова Ольга Ивановна",
                 "--territory", OTHER]) == 0
    with open_context(Tara(), create=False) as ctx:
        assert ctx.user.territory_name == OTHER
        assert (_fact_9(ctx, OWN), _fact_9(ctx, OTHER)) == (None, D(900))
