"""Signing errors: their messages are shown to the user as they are (Russian, saying what to do)."""

from __future__ import annotations

from socplan.domain.errors import SocPlanError


class SigningError(SocPlanError):
    """Signing could not be done (bad certificate, bad password, not a PDF …)."""


class CertificateError(SigningError):
    """A certificate or PKCS#12 container is unusable."""


class WrongPasswordError(CertificateError):
    pass


class NotPdfError(SigningError):
    pass
