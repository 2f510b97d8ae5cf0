"""The one guard every service calls before it changes anything: ``require(ctx, Action.X, territory)``.

The rules themselves live in ``domain/roles.py`` (PERMISSIONS); this module only applies them to the
context's user and raises :class:`PermissionDenied` with a Russian message. The check runs before the unit
of work writes, so a denied action changes nothing.
"""

from __future__ import annotations

from socplan.domain.errors import PermissionDenied
from socplan.domain.roles import Action, Role, denial
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


def is_ministry(ctx: AppContext) -> bool:
    return ctx.user.role is not Role.DISTRICT


__all__ = ["can", "require", "require_territory", "is_ministry"]
