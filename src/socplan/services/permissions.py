"""The one guard every service calls before it changes anything: ``require(ctx, Action.X, territory)``.

The rules themselves live in ``domain/roles.py`` (PERMISSIONS); this module only applies them to the
context's user and raises :class:`PermissionDenied` with a Russian message. The check runs before the unit
of work writes, so a denied action changes nothing.
"""

from __future__ import annotations

from socplan.domain.errors import PermissionDenied
from socplan.domain.roles import TERRITORY_BOUND, Action, Role, denial, document_action
from socplan.services.context import AppContext


def can(ctx: AppContext, action: Action, territory_id: int | None = None) -> bool:
    """For the GUI: whether to enable a button (the service checks again)."""
    return not denial(ctx.user.role, action, ctx.user.territory_id, territory_id)


def require(ctx: AppContext, action: Action, territory_id: int | None = None, territory_name: str = "") -> None:
    """Raise PermissionDenied unless the context's user may perform ``action`` (on ``territory_id``)."""
    why = denial(ctx.user.role, action, ctx.user.territory_id, territory_id, territory_name)
    if why:
        raise PermissionDenied(why)


def require_territory(ctx: AppContext, action: Action, territory) -> None:  # noqa: ANN001
    """The same for an ORM Territory (its id and name)."""
    require(ctx, action, territory.id, territory.name)


def require_among(ctx: AppContext, action: Action, territories: dict[int, str], subject: str) -> None:
    """Like :func:`require` for something several territories share (a plan event and its executors): a district
    officer may act when its territory is among ``territories``; ``subject`` names the thing in the message."""
    require(ctx, action)
    user = ctx.user
    if user.role is not Role.DISTRICT or action not in TERRITORY_BOUND or user.territory_id in territories:
        return
    if user.territory_id is None:
        require(ctx, action, 0)  # the «not bound to a territory» message
    whose = (f"исполняют {', '.join(f'«{n}»' for n in sorted(territories.values()))}" if territories
             else "не исполняет ни одна территория")
    raise PermissionDenied(f"Недостаточно прав: специалист района может {action.label} только своей территории, "
                           f"а {subject} {whose}. Отметку вносит аналитик Министерства.")


def require_document(ctx: AppContext, kind: str) -> None:
    """Issuing or signing a document of a journal ``kind`` (protocol, subsidies, plan …) needs its role."""
    require(ctx, document_action(kind))


def is_ministry(ctx: AppContext) -> bool:
    return ctx.user.role is not Role.DISTRICT


__all__ = ["can", "require", "require_territory", "require_among", "require_document", "is_ministry"]
