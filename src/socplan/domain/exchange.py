"""Exchange packages between district offices and the Ministry: the manifest and its rules (pure Python).

A package is a zip file (extension ``.spkg``) holding ``META-INF/manifest.json``, ``META-INF/signature.p7s``
(a detached CMS signature over the manifest bytes) and data entries under ``data/`` and ``reports/``.
The manifest lists the SHA-256 and size of every other entry (the ASiC-E idea): verifying the signature over
the manifest and then each entry's hash proves the whole package. See ``docs/exchange-format.md``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import uuid as uuid_mod
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Mapping

from socplan.domain.errors import SocPlanError

FORMAT_NAME = "socplan-exchange"
#: Current format version. A package with a newer version is refused (the reader does not know its rules).
FORMAT_VERSION = 1
EXTENSION = ".spkg"
MANIFEST_NAME = "META-INF/manifest.json"
SIGNATURE_NAME = "META-INF/signature.p7s"
RESERVED_NAMES = (MANIFEST_NAME, SIGNATURE_NAME)
#: Data entries must live under one of these folders.
ENTRY_FOLDERS = ("data/", "reports/")

DIRECTIONS = {
    "to_ministry": "район → Министерство",
    "to_district": "Министерство → район",
}


class PackageRefused(SocPlanError):
    """A package is refused before anything is written; ``code`` names the check, the message says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class PackageLimits:
    """Caps that keep a hostile package (zip bomb, huge manifest) from exhausting memory or disk."""

    max_package_bytes: int = 512 * 1024 * 1024
    max_entries: int = 2000
    max_manifest_bytes: int = 4 * 1024 * 1024
    max_signature_bytes: int = 256 * 1024
    max_entry_bytes: int = 256 * 1024 * 1024
    max_total_bytes: int = 768 * 1024 * 1024
    #: uncompressed / compressed; JSON of indicator values compresses ~10–30×, a zip bomb ~1000×
    max_ratio: int = 150
    #: entries smaller than this are not ratio-checked (a tiny file of spaces is harmless)
    ratio_floor_bytes: int = 1024 * 1024
    max_name_length: int = 240


DEFAULT_LIMITS = PackageLimits()


# ------------------------------------------------------------------ entry names
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def entry_name_problem(name: str, limits: PackageLimits = DEFAULT_LIMITS) -> str | None:
    """Zip-slip rule: an entry name must be a plain relative path inside the package; returns the reason or None."""
    shown = name if len(name) <= 80 else name[:77] + "…"
    if not name:
        return "пустое имя элемента"
    if len(name) > limits.max_name_length:
        return f"слишком длинное имя элемента «{shown}»"
    if _CONTROL.search(name):
        return f"управляющие символы в имени элемента «{shown!r}»"
    if "\\" in name:
        return f"обратная косая черта в имени элемента «{shown}»"
    if name.startswith("/"):
        return f"абсолютный путь «{shown}»"
    if _DRIVE.match(name):
        return f"путь с буквой диска «{shown}»"
    parts = name.split("/")
    if any(p == ".." for p in parts):
        return f"выход за пределы пакета «{shown}» («../»)"
    if any(p in ("", ".") for p in parts):
        return f"недопустимый путь «{shown}»"
    return None


def duplicate_names(names: list[str]) -> list[str]:
    """Names that occur twice, also case-insensitively (they would overwrite each other on Windows)."""
    seen: set[str] = set()
    duplicates: list[str] = []
    for name in names:
        key = name.casefold()
        if key in seen:
            duplicates.append(name)
        seen.add(key)
    return duplicates


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ------------------------------------------------------------------ manifest
@dataclass(frozen=True)
class Party:
    """A sender or recipient: territory name (as in the reference data) and organisation short name."""

    territory: str
    organisation: str = ""

    @property
    def text(self) -> str:
        return f"{self.organisation} ({self.territory})" if self.organisation else self.territory

    def same_as(self, other: Party) -> bool:
        return (self.territory.casefold() == other.territory.casefold()
                and (not self.organisation or not other.organisation
                     or self.organisation.casefold() == other.organisation.casefold()))


@dataclass(frozen=True)
class ManifestEntry:
    name: str
    size: int
    sha256: str
    media_type: str = "application/json"


@dataclass(frozen=True)
class Manifest:
    package_id: str
    direction: str  # to_ministry | to_district
    sender: Party
    recipient: Party
    period_from: dt.date
    period_to: dt.date
    created_at: dt.datetime  # UTC, naive
    sequence: int
    app_version: str
    entries: tuple[ManifestEntry, ...]
    author: str = ""
    contents: Mapping[str, int] = field(default_factory=dict)  # record kind -> count
    format_version: int = FORMAT_VERSION

    @property
    def period_text(self) -> str:
        return f"{self.period_from:%d.%m.%Y} – {self.period_to:%d.%m.%Y}"

    @property
    def direction_text(self) -> str:
        return DIRECTIONS.get(self.direction, self.direction)

    def entry(self, name: str) -> ManifestEntry | None:
        return next((e for e in self.entries if e.name == name), None)


def manifest_to_dict(m: Manifest) -> dict[str, Any]:
    return {
        "format": FORMAT_NAME,
        "format_version": m.format_version,
        "package_id": m.package_id,
        "direction": m.direction,
        "sender": {"territory": m.sender.territory, "organisation": m.sender.organisation},
        "recipient": {"territory": m.recipient.territory, "organisation": m.recipient.organisation},
        "period": {"from": m.period_from.isoformat(), "to": m.period_to.isoformat()},
        "created_at": m.created_at.replace(microsecond=0).isoformat() + "Z",
        "sequence": m.sequence,
        "app_version": m.app_version,
        "author": m.author,
        "contents": dict(sorted(m.contents.items())),
        "entries": [{"name": e.name, "size": e.size, "sha256": e.sha256, "media_type": e.media_type}
                    for e in m.entries],
    }


def manifest_bytes(m: Manifest) -> bytes:
    """The canonical manifest bytes (what is signed): UTF-8 JSON, sorted keys."""
    return json.dumps(manifest_to_dict(m), ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def _refuse(message: str) -> PackageRefused:
    return PackageRefused("manifest", f"Манифест пакета повреждён: {message}.")


def _text(d: Mapping[str, Any], key: str, where: str, max_len: int = 1000, required: bool = True) -> str:
    value = d.get(key, "")
    if not isinstance(value, str) or len(value) > max_len or (required and not value.strip()):
        raise _refuse(f"поле «{where}» отсутствует или неверно")
    return value


def _int(d: Mapping[str, Any], key: str, where: str, minimum: int = 0) -> int:
    value = d.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise _refuse(f"поле «{where}» должно быть целым числом не меньше {minimum}")
    return value


def _party(raw: Any, where: str) -> Party:
    if not isinstance(raw, dict):
        raise _refuse(f"нет сведений «{where}»")
    return Party(_text(raw, "territory", f"{where}: территория", 255),
                 _text(raw, "organisation", f"{where}: организация", 255, required=False))


def parse_manifest(raw: bytes, limits: PackageLimits = DEFAULT_LIMITS) -> Manifest:
    """Parse and validate manifest bytes (only after its signature was verified); refuses with a reason."""
    if len(raw) > limits.max_manifest_bytes:
        raise PackageRefused("limits", "Манифест пакета слишком велик — пакет отклонён.")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _refuse("это не JSON в кодировке UTF-8") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise PackageRefused("format", "Файл не является пакетом обмена СоцПлан (неизвестный формат манифеста).")
    version = _int(data, "format_version", "версия формата", 1)
    if version > FORMAT_VERSION:
        raise PackageRefused(
            "version",
            f"Пакет сформирован более новой версией СоцПлан (формат {version}, поддерживается до {FORMAT_VERSION}). "
            "Обновите программу и загрузите пакет снова.")
    package_id = _text(data, "package_id", "идентификатор пакета", 64)
    try:
        uuid_mod.UUID(package_id)
    except ValueError as exc:
        raise _refuse("идентификатор пакета не является UUID") from exc
    direction = _text(data, "direction", "направление", 20)
    if direction not in DIRECTIONS:
        raise _refuse(f"неизвестное направление «{direction}»")
    period = data.get("period")
    if not isinstance(period, dict):
        raise _refuse("нет периода")
    try:
        period_from = dt.date.fromisoformat(_text(period, "from", "период: начало", 10))
        period_to = dt.date.fromisoformat(_text(period, "to", "период: окончание", 10))
        created_raw = _text(data, "created_at", "время создания", 40).rstrip("Z")
        created_at = dt.datetime.fromisoformat(created_raw).replace(tzinfo=None)
    except ValueError as exc:
        raise _refuse("неверная дата периода или времени создания") from exc
    if period_to < period_from:
        raise _refuse("окончание периода раньше начала")
    entries_raw = data.get("entries")
    if not isinstance(entries_raw, list) or len(entries_raw) > limits.max_entries:
        raise _refuse("список элементов отсутствует или слишком длинный")
    entries = []
    for item in entries_raw:
        if not isinstance(item, dict):
            raise _refuse("элемент списка записан неверно")
        name = _text(item, "name", "имя элемента", limits.max_name_length)
        problem = entry_name_problem(name, limits)
        if problem:
            raise PackageRefused("path", f"Пакет отклонён: {problem}.")
        if name in RESERVED_NAMES or not name.startswith(ENTRY_FOLDERS):
            raise PackageRefused("path", f"Пакет отклонён: элемент «{name}» вне разрешённых папок data/ и reports/.")
        digest = _text(item, "sha256", "SHA-256", 64)
        if not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise _refuse(f"неверная контрольная сумма элемента «{name}»")
        entries.append(ManifestEntry(name, _int(item, "size", "размер элемента"), digest,
                                     _text(item, "media_type", "тип", 100, required=False) or "application/octet-stream"))
    dup = duplicate_names([e.name for e in entries])
    if dup:
        raise PackageRefused("duplicate", f"Пакет отклонён: элемент «{dup[0]}» указан в манифесте дважды.")
    contents = data.get("contents", {})
    if not isinstance(contents, dict) or not all(isinstance(v, int) for v in contents.values()):
        raise _refuse("неверный перечень содержимого")
    return Manifest(
        package_id=package_id, direction=direction,
        sender=_party(data.get("sender"), "отправитель"), recipient=_party(data.get("recipient"), "получатель"),
        period_from=period_from, period_to=period_to, created_at=created_at,
        sequence=_int(data, "sequence", "порядковый номер", 1),
        app_version=_text(data, "app_version", "версия программы", 40),
        author=_text(data, "author", "автор", 500, required=False),
        contents={str(k): int(v) for k, v in contents.items()},
        entries=tuple(entries), format_version=version)


def check_recipient(m: Manifest, me: Party) -> None:
    """A package addressed to another office is refused (it would mix another territory's data into ours)."""
    if not m.recipient.same_as(me):
        raise PackageRefused(
            "recipient",
            f"Пакет адресован другому получателю: «{m.recipient.text}», а эта база — «{me.text}». "
            "Передайте пакет адресату.")


class SequenceVerdict(str, Enum):
    NEW = "new"
    DUPLICATE = "duplicate"


def check_sequence(m: Manifest, last_sequence: int, last_sha256: str, package_sha256: str,
                   known_sha256: set[str]) -> SequenceVerdict:
    """Sequence rule: numbers from one sender only grow; the same package again is a no-op duplicate."""
    if package_sha256 in known_sha256:
        return SequenceVerdict.DUPLICATE
    if m.sequence < last_sequence or (m.sequence == last_sequence and package_sha256 != last_sha256):
        raise PackageRefused(
            "sequence",
            f"Пакет № {m.sequence} от «{m.sender.text}» устарел: уже загружен пакет № {last_sequence}. "
            "Запросите у отправителя новый пакет.")
    return SequenceVerdict.NEW


# ------------------------------------------------------------------ records and changes
def canonical_json(data: Any) -> bytes:
    if _C_CANONICAL is not None:
        return "".join(_C_CANONICAL(data, 0)).encode("utf-8")
    return _CANONICAL.encode(data).encode("utf-8")


#: one encoder for every record (``json.dumps`` with these options builds a new encoder per call, and the C part
#: of it once more per call); the output is exactly ``json.dumps(data, ensure_ascii=False, sort_keys=True,
#: separators=(",", ":"))`` — records come from JSON or from table rows, so no cycle check is needed
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
try:
    from json.encoder import c_make_encoder as _c_make_encoder, encode_basestring as _encode_basestring

    _C_CANONICAL = _c_make_encoder(None, _CANONICAL.default, _encode_basestring, None, ":", ",", True, False, True)
except (ImportError, TypeError):  # another Python without the C accelerator: the pure encoder
    _C_CANONICAL = None


def content_hash(data: Mapping[str, Any]) -> str:
    """Fingerprint of a record's exchanged content (canonical JSON), used to detect changes on each side."""
    return hashlib.sha256(canonical_json(data)).hexdigest()[:32]


class Change(str, Enum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return {"new": "новая запись", "changed": "изменение", "unchanged": "без изменений",
                "conflict": "конфликт", "refused": "отклонено"}[self.value]


@dataclass(frozen=True)
class ChangeVerdict:
    change: Change
    reason: str = ""


def classify_change(incoming_hash: str, local_hash: str | None, synced_hash: str | None, *,
                    incoming_version: int = 0, synced_version: int = 0,
                    locked: bool = False, locked_reason: str = "") -> ChangeVerdict:
    """Three-way comparison against the state at the last exchange (``synced_hash``).

    - no local record → new;
    - same content → unchanged (importing a package twice changes nothing);
    - an older version than already received → refused;
    - local record locked (e.g. value «принято») and different → conflict;
    - local changed since the last exchange and incoming differs → conflict (changed on both sides);
    - otherwise → changed.
    """
    if local_hash is None:
        return ChangeVerdict(Change.NEW)
    if incoming_hash == local_hash:
        return ChangeVerdict(Change.UNCHANGED)
    if synced_version and incoming_version and incoming_version < synced_version:
        return ChangeVerdict(Change.REFUSED, f"устаревшая версия записи ({incoming_version} < {synced_version})")
    if locked:
        return ChangeVerdict(Change.CONFLICT, locked_reason or "запись заблокирована и отличается")
    if synced_hash is not None and local_hash != synced_hash and incoming_hash != synced_hash:
        return ChangeVerdict(Change.CONFLICT, "запись изменена с обеих сторон после последнего обмена")
    if synced_hash is None:
        return ChangeVerdict(Change.CONFLICT, "такая запись уже есть и отличается, а обменов по ней ещё не было")
    return ChangeVerdict(Change.CHANGED)


def new_uuid() -> str:
    return str(uuid_mod.uuid4())


def new_uuids(count: int) -> list[str]:
    """``count`` random (version 4) UUIDs as text, like ``new_uuid`` — from one read of the system's random source
    instead of one ``UUID`` object per record (a package of a year's values needs 80 000)."""
    raw = bytearray(os.urandom(16 * count))
    out = []
    for start in range(0, 16 * count, 16):
        raw[start + 6] = (raw[start + 6] & 0x0F) | 0x40  # version 4
        raw[start + 8] = (raw[start + 8] & 0x3F) | 0x80  # RFC 4122 variant
        h = raw[start:start + 16].hex()
        out.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return out


def package_file_name(m: Manifest) -> str:
    """A readable file name: «2026-11-22_Азовский…_№0003.spkg» (no characters Windows forbids)."""
    sender = re.sub(r'[\\/:*?"<>|]+', " ", m.sender.territory).strip()[:60]
    return f"{m.created_at:%Y-%m-%d}_{sender}_№{m.sequence:04d}{EXTENSION}"


def period_bounds(year: int, kind: str, number: int) -> tuple[dt.date, dt.date]:
    """First and last day of a reporting period (year; quarter 1–4; month 1–12)."""
    if kind == "month" and 1 <= number <= 12:
        first, last_month = dt.date(year, number, 1), number
    elif kind == "quarter" and 1 <= number <= 4:
        first, last_month = dt.date(year, 3 * number - 2, 1), 3 * number
    else:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    next_first = dt.date(year + 1, 1, 1) if last_month == 12 else dt.date(year, last_month + 1, 1)
    return first, next_first - dt.timedelta(days=1)


def period_overlaps(year: int, kind: str, number: int, start: dt.date, end: dt.date) -> bool:
    """A value belongs to a package's period when their date ranges overlap."""
    first, last = period_bounds(year, kind, number)
    return first <= end and last >= start
