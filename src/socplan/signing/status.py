"""The verdict on one signature, with the Russian explanation shown to the user."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

#: verdict → short Russian label
VERDICTS = {
    "valid": "Подпись действительна",
    "modified": "Документ изменён после подписания",
    "invalid": "Подпись недействительна",
    "untrusted": "Подписант не входит в доверенные",
    "expired": "Срок действия сертификата истёк",
    "error": "Подпись не удалось проверить",
}


@dataclass(frozen=True)
class SignatureStatus:
    """One signature's verdict.

    ``verdict``: valid | modified | invalid | untrusted | expired | error.
    ``text``: the Russian sentence for the user (what happened and what it means).
    ``coverage`` / ``modification_level``: pyHanko's names (ENTIRE_FILE, ENTIRE_REVISION …; NONE, LTA_UPDATES,
    FORM_FILLING, ANNOTATIONS, OTHER) for the curious; ``details`` lists Russian explanations of each check.
    """

    verdict: str
    text: str
    field_name: str = ""
    signer: str = ""
    position: str = ""
    organisation: str = ""
    issuer: str = ""
    serial: str = ""
    valid_from: dt.datetime | None = None
    valid_to: dt.datetime | None = None
    signing_time: dt.datetime | None = None
    timestamped: bool = False
    intact: bool = False
    trusted: bool = False
    qualified: bool = False
    coverage: str = ""
    modification_level: str = ""
    revision: int = 0
    details: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return self.verdict == "valid"

    @property
    def label(self) -> str:
        return VERDICTS.get(self.verdict, self.verdict)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["label"] = self.label
        data["ok"] = self.ok
        for key in ("valid_from", "valid_to", "signing_time"):
            value = data[key]
            data[key] = value.isoformat() if value else None
        data["details"] = list(self.details)
        return data

    def summary_lines(self) -> list[str]:
        """Readable lines for a console or a message box."""
        lines = [self.text]
        if self.signer:
            lines.append(f"Подписант: {self.signer}" + (f", {self.position}" if self.position else ""))
        if self.serial:
            lines.append(f"Сертификат: {self.serial} (издатель: {self.issuer})")
        if self.valid_from and self.valid_to:
            lines.append(f"Действителен: с {self.valid_from:%d.%m.%Y} по {self.valid_to:%d.%m.%Y}")
        if self.signing_time:
            lines.append(f"Время подписания: {self.signing_time:%d.%m.%Y %H:%M} (UTC)"
                         + (", метка времени" if self.timestamped else ", по часам подписанта"))
        lines += [f"• {d}" for d in self.details]
        return lines


def all_valid(statuses: list[SignatureStatus]) -> bool:
    return bool(statuses) and all(s.ok for s in statuses)
