"""Verifying a package before anything is parsed: signature (trusted certificate, bound to the sender's
territory, valid dates), recipient, sequence numbers; see ``socplan.io.exchange_package`` for the order."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from socplan.db.base import utcnow
from socplan.db.models.exchange import ExchangePackage, ExchangeSenderState
from socplan.domain.exchange import DEFAULT_LIMITS, Manifest, PackageLimits, PackageRefused, SequenceVerdict, check_sequence
from socplan.io.exchange_package import VerifiedPackage, open_package
from socplan.services.exchange.setup import require_identity, trusted_der


def authenticator(session: Session) -> tuple[Callable[[bytes, bytes], Any], Callable[[Manifest, Any], None]]:
    from socplan.signing.cms import verify_detached
    from socplan.signing.errors import SigningError

    everyone = trusted_der(session)
    state: dict[str, bytes] = {}

    def verdict_error(status: Any) -> PackageRefused:
        who = f"«{status.signer}»" + (f" (серийный номер {status.serial})" if status.serial else "")
        if status.verdict == "modified":
            return PackageRefused("signature", "Пакет отклонён: манифест изменён после подписания (подпись не "
                                               "совпадает). Ничего не загружено. Запросите пакет заново.")
        if status.verdict == "expired":
            return PackageRefused("expired", f"Пакет отклонён: срок действия сертификата отправителя {who} истёк "
                                             f"{status.valid_to:%d.%m.%Y}. Ничего не загружено. Попросите отправителя "
                                             "подписать пакет действующим сертификатом.")
        if status.verdict == "untrusted":
            return PackageRefused("untrusted", f"Пакет отклонён: сертификат отправителя {who} не входит в доверенные "
                                               "для обмена. Ничего не загружено. Если вы доверяете владельцу, добавьте "
                                               "его сертификат в «Обмен → Доверенные сертификаты».")
        return PackageRefused("signature", f"Пакет отклонён: подпись недействительна ({status.text}). "
                                           "Ничего не загружено.")

    def authenticate(manifest_raw: bytes, signature: bytes) -> Any:
        try:
            status = verify_detached(manifest_raw, signature, trusted=everyone)
        except SigningError as exc:
            raise PackageRefused("signature", f"Пакет отклонён: подпись повреждена — {exc.message} "
                                              "Ничего не загружено.") from exc
        if not status.ok:
            raise verdict_error(status)
        now = utcnow()
        # A self-signed trust anchor is accepted by path validation whatever its dates: check them here.
        if status.valid_to is not None and status.valid_to < now:
            raise verdict_error(replace(status, verdict="expired"))
        if status.valid_from is not None and status.valid_from > now:
            raise PackageRefused("expired", f"Пакет отклонён: сертификат отправителя «{status.signer}» начинает "
                                            f"действовать только {status.valid_from:%d.%m.%Y}. Ничего не загружено.")
        state["manifest"], state["signature"] = manifest_raw, signature
        return status

    def authorise(manifest: Manifest, status: Any) -> None:
        own = trusted_der(session, manifest.sender.territory)
        if not own:
            raise PackageRefused("untrusted", f"Пакет отклонён: для территории «{manifest.sender.territory}» нет "
                                              "доверенных сертификатов. Ничего не загружено.")
        check = verify_detached(state["manifest"], state["signature"], trusted=own)
        if not check.ok:
            raise PackageRefused("untrusted", f"Пакет отклонён: сертификат «{status.signer}» не является доверенным "
                                              f"для территории «{manifest.sender.territory}», от имени которой "
                                              "подписан пакет. Ничего не загружено.")

    return authenticate, authorise


def verify_package(session: Session, data: bytes, file_name: str = "",
                   limits: PackageLimits = DEFAULT_LIMITS) -> VerifiedPackage:
    me = require_identity(session)
    authenticate, authorise = authenticator(session)
    return open_package(data, authenticate=authenticate, recipient=me.party, authorise=authorise, limits=limits,
                        file_name=file_name)


def sender_state(session: Session, manifest: Manifest) -> ExchangeSenderState | None:
    return session.scalar(select(ExchangeSenderState).where(
        ExchangeSenderState.territory == manifest.sender.territory,
        ExchangeSenderState.organisation == manifest.sender.organisation))


def sequence_verdict(session: Session, pkg: VerifiedPackage) -> tuple[SequenceVerdict, ExchangePackage | None]:
    state = sender_state(session, pkg.manifest)
    previous = session.scalar(select(ExchangePackage).where(ExchangePackage.direction == "received",
                                                            ExchangePackage.sha256 == pkg.sha256).limit(1))
    known = {pkg.sha256} if previous is not None else set()
    verdict = check_sequence(pkg.manifest, state.last_sequence if state else 0, state.last_sha256 if state else "",
                             pkg.sha256, known)
    return verdict, previous


