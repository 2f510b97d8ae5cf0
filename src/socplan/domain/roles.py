"""Users' roles and the one table that says which role may do which service action.

The services call :func:`denial` (through ``services/permissions.require``) before they change anything;
the GUI only mirrors the same table to grey out buttons. A district officer is bound to one territory
(``User.territory_id``) and may act only on that territory's data.
"""

from __future__ import annotations

from enum import Enum


class Role(str, Enum):
    DISTRICT = "district"
    ANALYST = "analyst"
    SECRETARY = "secretary"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def ministry(self) -> bool:
        """Roles of the Ministry's staff (everyone but a district officer)."""
        return self is not Role.DISTRICT

    @classmethod
    def parse(cls, text: str) -> Role:
        key = text.strip().lower()
        for role in cls:
            if key in (role.value, role.label.lower(), *ROLE_ALIASES.get(role, ())):
                return role
        known = ", ".join(f"{r.value} ({r.label})" for r in cls)
        raise ValueError(f"Неизвестная роль «{text}». Роли: {known}.")


ROLE_LABELS = {
    Role.DISTRICT: "специалист района",
    Role.ANALYST: "аналитик Министерства",
    Role.SECRETARY: "секретарь",
    Role.ADMINISTRATOR: "администратор",
}
ROLE_ALIASES = {Role.DISTRICT: ("район", "district officer"), Role.ANALYST: ("аналитик",),
                Role.ADMINISTRATOR: ("admin", "админ")}


class Action(str, Enum):
    """A service action that needs a permission."""

    EDIT_VALUES = "values.edit"
    SUBMIT_FORM = "form.submit"
    ACCEPT_FORM = "form.accept"
    RETURN_FORM = "form.return"
    CLOSE_FORM = "form.close"
    REQUEST_REOPEN = "reopen.request"
    DECIDE_REOPEN = "reopen.decide"
    REQUEST_EXTENSION = "extension.request"
    DECIDE_EXTENSION = "extension.decide"
    EDIT_DUE_RULES = "due.edit"
    EDIT_CATALOGUE = "catalogue.edit"
    EDIT_PLANS = "plans.edit"
    VIEW_BOARD = "board.view"
    EDIT_PROTOCOLS = "protocols.edit"
    EDIT_SUBSIDIES = "subsidies.edit"
    EDIT_REFERENCE = "reference.edit"
    MANAGE_USERS = "users.manage"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS = {
    Action.EDIT_VALUES: "вводить и изменять значения показателей",
    Action.SUBMIT_FORM: "представлять форму",
    Action.ACCEPT_FORM: "принимать форму",
    Action.RETURN_FORM: "возвращать форму на доработку",
    Action.CLOSE_FORM: "закрывать принятую форму",
    Action.REQUEST_REOPEN: "просить открыть принятую форму для исправления",
    Action.DECIDE_REOPEN: "открывать принятую форму для исправления",
    Action.REQUEST_EXTENSION: "просить продления срока сдачи",
    Action.DECIDE_EXTENSION: "продлевать срок сдачи или отказывать в продлении",
    Action.EDIT_DUE_RULES: "устанавливать сроки сдачи форм",
    Action.EDIT_CATALOGUE: "изменять методику показателей (формулы, компоненты, пороги оценки)",
    Action.EDIT_PLANS: "составлять и изменять планы мероприятий",
    Action.VIEW_BOARD: "смотреть сводку сдачи отчётности всех территорий",
    Action.EDIT_PROTOCOLS: "изменять коллегиальные органы, заседания и протоколы",
    Action.EDIT_SUBSIDIES: "изменять отборы и расчёты субсидий",
    Action.EDIT_REFERENCE: "изменять справочники и производственный календарь",
    Action.MANAGE_USERS: "управлять пользователями",
}

_MINISTRY_CYCLE = {Action.EDIT_VALUES, Action.SUBMIT_FORM, Action.ACCEPT_FORM, Action.RETURN_FORM,
                   Action.CLOSE_FORM, Action.REQUEST_REOPEN, Action.DECIDE_REOPEN, Action.REQUEST_EXTENSION,
                   Action.DECIDE_EXTENSION, Action.EDIT_DUE_RULES, Action.VIEW_BOARD}

#: The permission matrix: role → actions it may perform (tests/cycle/test_permissions.py checks every cell).
PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.DISTRICT: frozenset({Action.EDIT_VALUES, Action.SUBMIT_FORM, Action.REQUEST_REOPEN,
                              Action.REQUEST_EXTENSION}),
    Role.ANALYST: frozenset(_MINISTRY_CYCLE | {Action.EDIT_SUBSIDIES, Action.EDIT_CATALOGUE, Action.EDIT_PLANS}),
    Role.SECRETARY: frozenset({Action.EDIT_PROTOCOLS, Action.VIEW_BOARD}),
    Role.ADMINISTRATOR: frozenset(Action),
}

#: Actions a district officer may perform only on the territory it is bound to.
TERRITORY_BOUND = frozenset({Action.EDIT_VALUES, Action.SUBMIT_FORM, Action.REQUEST_REOPEN,
                             Action.REQUEST_EXTENSION})


def denial(role: Role, action: Action, own_territory_id: int | None = None, territory_id: int | None = None,
           territory_name: str = "") -> str:
    """Why ``role`` may not perform ``action`` (on ``territory_id``) — «» when it may."""
    if action not in PERMISSIONS[role]:
        return (f"Недостаточно прав: роль «{role.label}» не может {action.label}. "
                "Обратитесь к пользователю с подходящей ролью.")
    if role is Role.DISTRICT and action in TERRITORY_BOUND and territory_id is not None:
        if own_territory_id is None:
            return ("Недостаточно прав: пользователь района не привязан к территории. "
                    "Попросите администратора указать территорию пользователя.")
        if territory_id != own_territory_id:
            where = f"«{territory_name}»" if territory_name else "другой территории"
            return (f"Недостаточно прав: специалист района может {action.label} только своей территории, "
                    f"а не {where}.")
    return ""


__all__ = ["Role", "Action", "PERMISSIONS", "TERRITORY_BOUND", "denial"]
