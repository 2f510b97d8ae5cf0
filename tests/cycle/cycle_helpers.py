"""Shared set-up of the cycle tests: a small monthly form, users of every role."""

from __future__ import annotations

from sqlalchemy import select

from socplan.db.models.indicators import Indicator, IndicatorForm
from socplan.db.models.reference import Territory
from socplan.domain.roles import Role
from socplan.services.context import AppContext, User
from socplan.services.users import add_user, user_for

FORM = "МОН"
DISTRICT = "Любинский муниципальный район"
OTHER = "Тарский муниципальный район"
NAMES = {Role.ADMINISTRATOR: "Админов Артём Олегович", Role.ANALYST: "Аналитикова Анна Сергеевна",
         Role.SECRETARY: "Секретарёва Светлана Ивановна", Role.DISTRICT: "Районов Иван Петрович"}


def add_monthly_form(db, code: str = FORM, indicators: int = 3) -> None:  # noqa: ANN001
    """A territorial form «Мониторинг» with ``indicators`` entered indicators (people, 0 decimals)."""
    with db.session(user_name="тест") as s:
        form = IndicatorForm(code=code, name=f"Мониторинг {code}", territorial=True, sort_order=100)
        form.indicators = [Indicator(code=str(n), name=f"Показатель {n}", unit_name="человек", decimals=0,
                                     sort_order=n) for n in range(1, indicators + 1)]
        s.add(form)
        s.commit()


def reporting(db) -> list[str]:  # noqa: ANN001
    with db.session() as s:
        return list(s.scalars(select(Territory.name).where(Territory.kind.in_(("city", "district")))
                              .order_by(Territory.sort_order, Territory.name)))


def register_roles(db) -> dict[Role, AppContext]:  # noqa: ANN001
    """One user per role (the district officer bound to DISTRICT); contexts built from the user table."""
    admin = AppContext(db, User("установщик"))
    add_user(admin, NAMES[Role.ADMINISTRATOR], "администратор", Role.ADMINISTRATOR)
    admin = AppContext(db, user_for(db, NAMES[Role.ADMINISTRATOR]))
    add_user(admin, NAMES[Role.ANALYST], "главный специалист", Role.ANALYST)
    add_user(admin, NAMES[Role.SECRETARY], "секретарь комиссии", Role.SECRETARY)
    add_user(admin, NAMES[Role.DISTRICT], "специалист", Role.DISTRICT, DISTRICT)
    return {role: AppContext(db, user_for(db, name)) for role, name in NAMES.items()}
