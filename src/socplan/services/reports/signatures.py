"""Signing and verifying files and journal reports (PAdES with the visible stamp, detached CMS)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from socplan.domain.errors import SocPlanError, ValidationError
from socplan.services.context import AppContext
from socplan.services.permissions import require_document
from socplan.services.reports import registry
from socplan.services.reports.certificates import open_signer, trusted_certificates
from socplan.signing import cms, pades
from socplan.signing.certificates import SignerMaterial
from socplan.signing.status import SignatureStatus, all_valid


def timestamp_url() -> str:
    """The configured timestamp server (Settings → extra["timestamp_url"]); '' = offline PAdES B-B."""
    from socplan.services.settings import load_settings

    return str(load_settings().extra.get("timestamp_url", "") or "")


@dataclass(frozen=True)
class SignOutcome:
    pdf: bytes
    notices: tuple[str, ...] = ()
    report: registry.ReportRecordRow | None = None


@dataclass(frozen=True)
class VerificationReport:
    """What the user sees after «Проверить подпись»."""

    file_name: str
    sha256: str
    statuses: tuple[SignatureStatus, ...]
    detached: bool = False
    journal: tuple[registry.ReportRecordRow, ...] = field(default_factory=tuple)
    signature_removed: bool = False  # an earlier revision was signed; a later update removed the signature

    @property
    def valid(self) -> bool:
        return all_valid(list(self.statuses))

    @property
    def headline(self) -> str:
        if not self.statuses and self.signature_removed:
            return ("Подпись удалена: более ранняя редакция файла была подписана, а затем подпись удалили "
                    "последующим изменением файла. Документ изменён после подписания — запросите исходный "
                    "подписанный файл.")
        if not self.statuses:
            return "Файл не подписан: электронных подписей в нём нет."
        if self.valid:
            n = len(self.statuses)
            return "Все подписи действительны." if n > 1 else "Подпись действительна."
        bad = [s for s in self.statuses if not s.ok]
        return "; ".join(dict.fromkeys(s.label for s in bad)) + "."

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file_name, "sha256": self.sha256, "valid": self.valid, "headline": self.headline,
                "detached": self.detached, "signature_removed": self.signature_removed,
                "signatures": [s.as_dict() for s in self.statuses],
                "journal": [{"id": r.id, "title": r.title, "created_at": r.created_at.isoformat()} for r in self.journal]}

    def text(self) -> str:
        lines = [f"Файл: {self.file_name}", f"SHA-256: {self.sha256}", self.headline]
        for number, status in enumerate(self.statuses, start=1):
            lines.append("")
            lines.append(f"Подпись № {number}" + (f" ({status.field_name})" if status.field_name else ""))
            lines += [f"  {line}" for line in status.summary_lines()]
        if self.journal:
            lines.append("")
            lines += [f"Файл есть в журнале отчётов: № {r.id} «{r.title}» от {r.created_at:%d.%m.%Y %H:%M}"
                      for r in self.journal]
        return "\n".join(lines)


def _signer_label(signer: SignerMaterial) -> str:
    from socplan.domain.reference import initials_surname_of

    return initials_surname_of(signer.info.owner) or signer.info.owner


def sign_pdf_bytes(pdf: bytes, signer: SignerMaterial, *, reason: str = "", location: str = "",
                   stamp_box: Any = None, use_timestamp: bool = True, place: str = "") -> SignOutcome:
    """Sign (or sign again: an incremental update keeps earlier signatures valid). ``place``: see pades.sign_pdf."""
    notices: list[str] = []
    url = timestamp_url() if use_timestamp else ""
    signed = pades.sign_pdf(pdf, signer, reason=reason or "Подписание документа", location=location,
                            stamp_box=stamp_box, timestamp_url=url or None, notices=notices, place=place)
    return SignOutcome(signed, tuple(notices))


def draft_refusal(params: dict[str, Any]) -> str:
    """Why a journal document may not be signed (a draft from an unsaved calculation), or ""."""
    if params.get("what_if"):
        return ("Документ сформирован по несохранённому расчёту («ПРОЕКТ — расчёт не сохранён») и не "
                "подписывается. Сохраните изменения в заявках и сформируйте документ заново.")
    return ""


def check_signable(ctx: AppContext, pdf: bytes) -> None:
    """Refuse to sign a file the journal knows as a draft (ValidationError with the Russian reason)."""
    for row in registry.find_by_hash(ctx, hashlib.sha256(pdf).hexdigest()):
        refusal = draft_refusal(dict(row.params))
        if refusal:
            raise ValidationError("document", refusal)


def sign_report(ctx: AppContext, report_id: int, pkcs12_path: str | Path, password: str, *, reason: str = "",
                location: str = "") -> SignOutcome:
    """Sign a journal report; the signed copy is recorded as a new journal entry pointing at the original."""
    source = registry.get_report(ctx, report_id)
    require_document(ctx, source.kind)
    refusal = draft_refusal(dict(source.params))
    if refusal:
        raise ValidationError("document", refusal)
    pdf = registry.get_report_bytes(ctx, report_id)
    signer = open_signer(pkcs12_path, password)
    outcome = sign_pdf_bytes(pdf, signer, reason=reason, location=location)
    signed_by = ", ".join(p for p in (source.signed_by, _signer_label(signer)) if p)
    row = registry.save_report(ctx, kind=source.kind, title=source.title, params=dict(source.params),
                               data=outcome.pdf, file_name=source.suggested_name, source_id=source.id,
                               signed_by=signed_by, reason=f"Подписание отчёта «{source.title}»")
    return SignOutcome(outcome.pdf, outcome.notices, row)


def record_signed(ctx: AppContext, pdf: bytes, signer: SignerMaterial, *, title: str, file_name: str = "",
                  source_sha256: str = "") -> registry.ReportRecordRow:
    """Record a signed file in the journal (the preview signs bytes that may come from any capability)."""
    source = None
    if source_sha256:
        matches = registry.find_by_hash(ctx, source_sha256)
        source = matches[0] if matches else None
    require_document(ctx, source.kind if source else "signed")
    signed_by = ", ".join(p for p in ((source.signed_by if source else ""), _signer_label(signer)) if p)
    return registry.save_report(ctx, kind=source.kind if source else "signed", title=source.title if source else title,
                                params=dict(source.params) if source else {}, data=pdf, file_name=file_name,
                                source_id=source.id if source else None, signed_by=signed_by,
                                reason=f"Подписание документа «{title}»")


def _read(path: str | Path, what: str = "Файл") -> bytes:
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise SocPlanError(f"{what} «{path}» не найден. Проверьте путь.") from exc
    except OSError as exc:
        raise SocPlanError(f"Не удалось прочитать «{path}»: {exc.strerror}.") from exc


def sign_file(path: str | Path, pkcs12_path: str | Path, password: str, *, out: str | Path | None = None,
              reason: str = "", location: str = "", detached: bool = False,
              use_timestamp: bool = True, place: str = "") -> tuple[Path, tuple[str, ...]]:
    """Sign a file on disk: PDF → «FILE.signed.pdf» (or ``out``); ``detached`` → «FILE.sig» (CMS, any file).

    A PDF that is already signed (its name ends with «.signed.pdf») is signed again in place by default: the new
    signature is an incremental update, the earlier ones stay valid (chair, then secretary)."""
    path = Path(path)
    data = _read(path)
    signer = open_signer(pkcs12_path, password)
    if detached:
        target = Path(out) if out else path.with_name(path.name + ".sig")
        _write(target, cms.sign_detached(data, signer))
        return target, ()
    if out:
        target = Path(out)
    elif path.stem.endswith(".signed") and pades.signature_count(data):
        target = path
    else:
        target = path.with_name(f"{path.stem}.signed{path.suffix or '.pdf'}")
        if target.exists() and _signed_pdf(target):
            # the second signer must sign the signed copy, not the original: never lose the first signature
            raise SocPlanError(f"Файл «{target.name}» уже есть и подписан. Чтобы добавить подпись к нему, подпишите "
                               f"его: socplan sign «{target}» …; чтобы сохранить новую подпись в другой файл, "
                               "укажите --out.")
    outcome = sign_pdf_bytes(data, signer, reason=reason, location=location, use_timestamp=use_timestamp,
                             place=place)
    _write(target, outcome.pdf)
    return target, outcome.notices


@dataclass(frozen=True)
class SignaturePlaces:
    """What the signing dialog shows: signatures already in the PDF and the free signature places (labels)."""

    signed: int
    free: tuple[str, ...]


def signature_places(pdf: bytes) -> SignaturePlaces:
    """Signatures already made and the free places («Секретарь — А.В. Петрова (стр. 3)»), in document order;
    ``sign_pdf_bytes(place=str(n))`` puts the stamp in the n-th free place (from 1)."""
    reader = pades.open_reader(pdf)
    return SignaturePlaces(len(reader.embedded_signatures), tuple(b.label for b in pades.free_places(reader)))


def _signed_pdf(path: Path) -> bool:
    try:
        return pades.signature_count(path.read_bytes()) > 0
    except (OSError, SocPlanError):
        return False


def signature_count(path: str | Path) -> int:
    """How many signatures a signed PDF on disk holds."""
    return pades.signature_count(_read(path))


def _write(target: Path, data: bytes) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
    except OSError as exc:
        raise SocPlanError(f"Не удалось записать «{target}»: {exc.strerror}. Выберите другую папку.") from exc


def verify_bytes(ctx: AppContext, data: bytes, *, file_name: str = "", sig: bytes | None = None,
                 extra_trusted: Sequence[bytes] = ()) -> VerificationReport:
    """Verify a PDF's embedded signatures, or ``data`` against a detached ``sig``. Offline; trust = the DB list
    (plus ``extra_trusted`` certificates for this check only)."""
    trusted = trusted_certificates(ctx) + list(extra_trusted)
    digest = hashlib.sha256(data).hexdigest()
    if sig is not None:
        statuses: tuple[SignatureStatus, ...] = (cms.verify_detached(data, sig, trusted),)
    else:
        statuses = tuple(pades.verify_pdf(data, trusted))
    removed = sig is None and not statuses and pades.signature_removed(data)
    return VerificationReport(file_name=file_name, sha256=digest, statuses=statuses, detached=sig is not None,
                              journal=tuple(registry.find_by_hash(ctx, digest)), signature_removed=removed)


def verify_file(ctx: AppContext, path: str | Path, sig_path: str | Path | None = None,
                extra_trusted: Sequence[bytes] = ()) -> VerificationReport:
    path = Path(path)
    data = _read(path)
    sig = _read(sig_path, "Файл подписи") if sig_path else None
    if sig is None and not data[:1024].lstrip().startswith(b"%PDF") and b"%PDF-" not in data[:1024]:
        candidate = path.with_name(path.name + ".sig")
        if candidate.exists():
            sig = _read(candidate, "Файл подписи")
    return verify_bytes(ctx, data, file_name=path.name, sig=sig, extra_trusted=extra_trusted)
