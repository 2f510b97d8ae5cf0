"""The verdict on one embedded signature, in the user's words: coverage, changes after signing, certificate
validity and trust. The same wording for signatures pyHanko checks (:mod:`socplan.signing.pades`) and GOST
signatures checked offline (:mod:`socplan.signing.gost_pdf`)."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from typing import Any, Iterator

from socplan.signing.certificates import utcnow
from socplan.signing.status import SignatureStatus

_COVERAGE_TEXT = {
    "ENTIRE_FILE": "подпись охватывает весь файл",
    "ENTIRE_REVISION": "подпись охватывает свою редакцию файла, после неё файл дополнялся",
    "CONTIGUOUS_BLOCK_FROM_START": "подпись охватывает только начало файла",
    "UNCLEAR": "неясно, какую часть файла охватывает подпись",
}
_MODIFICATION_TEXT = {
    "NONE": "изменений после подписания нет",
    "LTA_UPDATES": "после подписания добавлены только данные для долгосрочной проверки",
    "FORM_FILLING": "после подписания добавлены только другие подписи (заполнение полей формы)",
    "ANNOTATIONS": "после подписания добавлены аннотации (пометки поверх страниц)",
    "OTHER": "после подписания изменено содержимое документа (страницы или объекты)",
}
_ALLOWED_LEVELS = {"NONE", "LTA_UPDATES", "FORM_FILLING"}


@contextmanager
def quiet_pyhanko() -> Iterator[None]:
    """pyHanko logs layout remarks and failed change analyses; our verdicts carry what matters."""
    import logging

    loggers = [logging.getLogger(name) for name in ("pyhanko", "pyhanko_certvalidator", "fontTools")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


def _enum_name(value: Any) -> str:
    return getattr(value, "name", "") if value is not None else ""


def _judge(status: Any, info: Any, field_name: str, revision: int) -> SignatureStatus:
    coverage = _enum_name(status.coverage)
    level = _enum_name(status.modification_level)
    details = []
    if coverage:
        details.append(_COVERAGE_TEXT.get(coverage, coverage))
    if level:
        details.append(_MODIFICATION_TEXT.get(level, level))
    signing_time = getattr(status, "signer_reported_dt", None)
    ts = getattr(status, "timestamp_validity", None)
    if ts is not None and getattr(ts, "timestamp", None):
        signing_time = ts.timestamp
    if signing_time is not None and signing_time.tzinfo is not None:
        signing_time = signing_time.astimezone(dt.timezone.utc).replace(tzinfo=None)
    base = dict(
        field_name=field_name, signer=info.owner, position=info.position, organisation=info.organisation,
        issuer=info.issuer, serial=info.serial, valid_from=info.valid_from, valid_to=info.valid_to,
        signing_time=signing_time, timestamped=ts is not None, intact=bool(status.intact),
        trusted=bool(status.trusted), qualified=info.qualified, coverage=coverage, modification_level=level,
        revision=revision,
    )
    if not info.qualified:
        details.append("сертификат не квалифицированный")
    if not status.intact:
        return SignatureStatus("modified", "Документ изменён после подписания: подписанные байты файла не совпадают "
                               "с подписью (файл повреждён или исправлен). Не доверяйте содержимому; запросите "
                               "исходный подписанный файл.", details=tuple(details), **base)
    if not status.valid:
        return SignatureStatus("invalid", "Подпись недействительна: криптографическая проверка не пройдена "
                               "(подпись повреждена или не соответствует сертификату).", details=tuple(details), **base)
    if coverage not in ("ENTIRE_FILE", "ENTIRE_REVISION") or (level and level not in _ALLOWED_LEVELS) or \
            (coverage == "ENTIRE_REVISION" and not level) or status.docmdp_ok is False:
        how = _MODIFICATION_TEXT.get(level, "характер изменений определить не удалось")
        return SignatureStatus("modified", f"Документ изменён после подписания: {how}. Подпись относится к "
                               "предыдущей редакции, текущее содержимое ею не подтверждено.", details=tuple(details), **base)
    now = utcnow()
    proven_time = signing_time if ts is not None else None
    if info.valid_to < (proven_time or now) or (signing_time is not None and info.valid_to < signing_time):
        # a trust anchor's own validity is not checked by the path validator, so we check it here
        return SignatureStatus("expired", f"Срок действия сертификата подписанта истёк {info.valid_to:%d.%m.%Y}; "
                               "без метки времени нельзя подтвердить, что подпись поставлена в срок его действия.",
                               details=tuple(details), **base)
    if signing_time is not None and signing_time < info.valid_from:
        return SignatureStatus("invalid", "Подпись поставлена до начала срока действия сертификата.",
                               details=tuple(details), **base)
    if status.trusted:
        return SignatureStatus("valid", "Подпись действительна: документ не изменялся после подписания, "
                               "сертификат подписанта входит в доверенные.", details=tuple(details), **base)
    indic = _enum_name(status.trust_problem_indic)
    if status.revoked:
        return SignatureStatus("invalid", "Сертификат подписанта отозван.", details=tuple(details), **base)
    if info.valid_to < now or "EXPIRED" in indic or "OUT_OF_BOUNDS" in indic:
        return SignatureStatus("expired", f"Срок действия сертификата подписанта истёк {info.valid_to:%d.%m.%Y}; "
                               "без метки времени нельзя подтвердить, что подпись поставлена в срок его действия.",
                               details=tuple(details + ([f"причина: {indic}"] if indic else [])), **base)
    if info.valid_from > now or "NOT_YET_VALID" in indic:
        return SignatureStatus("invalid", "Сертификат подписанта ещё не начал действовать.", details=tuple(details), **base)
    return SignatureStatus("untrusted", "Подписант не входит в доверенные: документ не изменялся после подписания, "
                           "но сертификата подписанта нет в списке доверенных. Проверьте сертификат и добавьте его (или сертификат удостоверяющего центра) "
                           "в список доверенных, если доверяете владельцу.",
                           details=tuple(details + ([f"причина: {indic}"] if indic else [])), **base)



def _broken(emb: Any, number: int, exc: Exception) -> SignatureStatus:
    """A signature whose CMS structure cannot even be read consistently: damaged or forged."""
    try:
        name = str(emb.field_name)
    except Exception:  # noqa: BLE001
        name = ""
    return SignatureStatus("invalid", "Подпись недействительна: данные подписи повреждены или не соответствуют "
                           "сертификату подписанта (файл подписи искажён). Запросите исходный подписанный файл.",
                           field_name=name, revision=number)


def _with_detail(status: SignatureStatus, detail: str) -> SignatureStatus:
    from dataclasses import replace

    return replace(status, details=status.details + (detail,))
