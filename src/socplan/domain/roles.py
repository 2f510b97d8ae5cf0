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
    REPORT_EXECUTION = "execution.report"
    EXPORT_PACKAGE = "exchange.export"
    IMPORT_DISTRICT_PACKAGES = "exchange.import_districts"
    IMPORT_RETURNS = "exchange.import_returns"
    ISSUE_PROTOCOLS = "documents.protocols"
    ISSUE_SUBSIDY_DOCUMENTS = "documents.subsidies"
    SIGN_REPORTS = "documents.sign"

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
    Action.REPORT_EXECUTION: "отмечать исполнение мероприятий плана",
    Action.EXPORT_PACKAGE: "формировать пакеты обмена",
    Action.IMPORT_DISTRICT_PACKAGES: "загружать пакеты районов в Министерстве",
    Action.IMPORT_RETURNS: "загружать пакеты Министерства для района",
    Action.ISSUE_PROTOCOLS: "выпускать и подписывать протоколы заседаний и отчёты об исполнении решений",
    Action.ISSUE_SUBSIDY_DOCUMENTS: "выпускать и подписывать протоколы и таблицы расчёта субсидий",
    Action.SIGN_REPORTS: "подписывать планы, отчёты об исполнении планов и отчёты о показателях",
}

_MINISTRY_CYCLE = {Action.EDIT_VALUES, Action.SUBMIT_FORM, Action.ACCEPT_FORM, Action.RETURN_FORM,
                   Action.CLOSE_FORM, Action.REQUEST_REOPEN, Action.DECIDE_REOPEN, Action.REQUEST_EXTENSION,
                   Action.DECIDE_EXTENSION, Action.EDIT_DUE_RULES, Action.VIEW_BOARD}

#: Exchange, plan execution and documents (issue 16, second part), decided from DESIGN.md's table of users:
#: - a district officer «enters … plan-event execution for the district» — it marks the control points of events
#:   an organisation of its territory executes (REPORT_EXECUTION is territory-bound: the services pass the
#:   territories of the event's executors); the analyst and the administrator mark any point; the secretary keeps
#:   the execution of protocol decisions (EDIT_PROTOCOLS), not of plans;
#: - «exports a signed data package» — a district officer exports only its own territory's data (EXPORT_PACKAGE,
#:   territory-bound to the territory whose data the package carries); the Ministry analyst «imports district
#:   packages» (IMPORT_DISTRICT_PACKAGES: analyst, administrator); a district officer loads only the Ministry's
#:   packages addressed to its territory (IMPORT_RETURNS, territory-bound to the recipient). The secretary's work
#:   (protocols) travels on paper and in signed PDFs, not in data packages, so it neither exports nor imports;
#: - documents: a protocol and the report on the execution of decisions are issued and signed by the secretary
#:   (or the administrator) — the chair signs the paper with the secretary, the application has no «chair» role;
#:   the subsidy calculation protocol and its tables by the Ministry analyst (or the administrator); plans,
#:   plan execution and indicator reports are signed by whoever prepared them: district officer, analyst,
#:   administrator (SIGN_REPORTS; a file of unknown origin counts as such a report).
_DOCUMENTS_AND_EXCHANGE = {Action.REPORT_EXECUTION, Action.EXPORT_PACKAGE, Action.IMPORT_DISTRICT_PACKAGES,
                           Action.IMPORT_RETURNS, Action.ISSUE_SUBSIDY_DOCUMENTS, Action.SIGN_REPORTS}

#: The permission matrix: role → actions it may perform (tests/cycle/test_permissions.py checks every cell).
PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.DISTRICT: frozenset({Action.EDIT_VALUES, Action.SUBMIT_FORM, Action.REQUEST_REOPEN,
                              Action.REQUEST_EXTENSION, Action.REPORT_EXECUTION, Action.EXPORT_PACKAGE,
                              Action.IMPORT_RETURNS, Action.SIGN_REPORTS}),
    Role.ANALYST: frozenset(_MINISTRY_CYCLE | _DOCUMENTS_AND_EXCHANGE
                            | {Action.EDIT_SUBSIDIES, Action.EDIT_CATALOGUE, Action.EDIT_PLANS}),
    Role.SECRETARY: frozenset({Action.EDIT_PROTOCOLS, Action.VIEW_BOARD, Action.ISSUE_PROTOCOLS}),
    Role.ADMINISTRATOR: frozenset(Action),
}

#: Actions a district officer may perform only on the territory it is bound to.
TERRITORY_BOUND = frozenset({Action.EDIT_VALUES, Action.SUBMIT_FORM, Action.REQUEST_REOPEN,
                             Action.REQUEST_EXTENSION, Action.REPORT_EXECUTION, Action.EXPORT_PACKAGE,
                             Action.IMPORT_RETURNS})

#: Which action issuing or signing a document of a journal kind needs (other kinds: SIGN_REPORTS).
DOCUMENT_ACTIONS = {"protocol": Action.ISSUE_PROTOCOLS, "decisions_execution": Action.ISSUE_PROTOCOLS,
                    "subsidies": Action.ISSUE_SUBSIDY_DOCUMENTS}


def document_action(kind: str) -> Action:
    """The action that issuing or signing a document of this journal kind requires."""
    return DOCUMENT_ACTIONS.get(kind, Action.SIGN_REPORTS)


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


__all__ = ["Role", "Action", "PERMISSIONS", "TERRITORY_BOUND", "DOCUMENT_ACTIONS", "denial", "document_action"]
