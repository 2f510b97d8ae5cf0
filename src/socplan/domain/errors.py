"""Errors the domain and services raise; their text is shown to the user as is (Russian)."""

from __future__ import annotations


class SocPlanError(Exception):
    """Base of every error whose message is meant for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(SocPlanError):
    """Invalid input for one field; ``field`` names it so a form can show the text beside it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class ValidationErrors(SocPlanError):
    """Several invalid fields at once (a form or an imported row)."""

    def __init__(self, errors: list[ValidationError]) -> None:
        super().__init__("\n".join(e.message for e in errors))
        self.errors = errors


class NotFoundError(SocPlanError):
    pass


class InUseError(SocPlanError):
    """Deleting a record still referenced elsewhere."""


class ConflictError(SocPlanError):
    pass


class ImportFileError(SocPlanError):
    """A file to import is malformed; the message says sheet/row/column where known."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class Cancelled(SocPlanError):
    def __init__(self, message: str = "Операция отменена пользователем.") -> None:
        super().__init__(message)


class PermissionDenied(SocPlanError):
    """The user's role does not allow this action (checked in the services); nothing was changed."""
