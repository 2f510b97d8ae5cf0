"""CryptoPro CSP as an external signer: ``cryptcp`` makes the detached CAdES-BES signature, ``certmgr`` lists
and exports certificates. The private key never leaves CryptoPro; the PIN is asked by CryptoPro's own window.

Commands used (CryptoPro CSP 4.0/5.0, Windows and Linux alike):

- ``certmgr -list -store uMy`` — the user's personal certificates (blocks «1-------», «Subject : …»,
  «SHA1 Hash : …» or «SHA1 Thumbprint : …», «Not valid before/after : dd/mm/yyyy hh:mm:ss UTC», ending with
  «[ErrorCode: 0x00000000]»; Russian-language builds print «Субъект», «SHA1 отпечаток», «Выдан», «Истекает»);
- ``certmgr -export -cert -thumbprint T -dest FILE`` — the certificate itself (DER), for the visible stamp;
- ``cryptcp -signf -dir DIR -der -strict -cert -detached -nochain -thumbprint T FILE`` — a detached signature
  ``DIR/FILE.sgn`` (DER CMS with the signer's certificate, CAdES-BES attributes).

Every run ends with «[ErrorCode: 0x…]»; a non-zero code (or exit status) is turned into a Russian message.
Work files live in a private temporary folder that is removed whatever happens: nothing half-signed is left.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from socplan.signing.errors import SigningError

TIMEOUT_S = 300  # the user may take a while to find the token and type the PIN


class CryptoProError(SigningError):
    """CryptoPro refused or failed; ``code`` is its «ErrorCode» (0x… in lower case, '' when unknown)."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


_NO_CERT = ("0x2000012d", "0x20000131", "0x2000025a", "0x80092004", "0x8009001a", "0x80090016")
_WRONG_PIN = ("0x8010006b", "0x20000135", "0x8010006c")
_LICENCE = ("0x20000325", "0x20000324", "0x20000322", "0x0000065b")
_CANCELLED = ("0x20000066", "0x8010006e", "0x800704c7", "0x80090036")
_KEY_EXPIRED = ("0x80090010",)
_CHAIN = ("0x20000133",)


def error_message(code: str, output: str, thumbprint: str = "") -> str:
    """The Russian message for a CryptoPro error code (what happened and what to do)."""
    code = code.lower()
    which = f" с отпечатком {thumbprint}" if thumbprint else ""
    if code in _NO_CERT:
        return (f"КриптоПро не нашла сертификат{which} с закрытым ключом в хранилище «Личное». Подпись не поставлена. "
                "Вставьте носитель с ключом (токен, флешку) или выберите другой сертификат в настройках подписи.")
    if code in _WRONG_PIN:
        return ("Неверный PIN-код (пароль) ключевого носителя. Подпись не поставлена. Повторите подписание и введите "
                "PIN-код внимательно (раскладка клавиатуры, Caps Lock); после нескольких неверных попыток носитель "
                "блокируется.")
    if code in _LICENCE:
        return ("Истёк срок действия лицензии КриптоПро CSP (или лицензия не введена). Подпись не поставлена. "
                "Обратитесь к администратору: нужно ввести серийный номер лицензии в «КриптоПро CSP».")
    if code in _CANCELLED:
        return "Подписание отменено: окно КриптоПро закрыто без ввода PIN-кода. Документ не подписан."
    if code in _KEY_EXPIRED:
        return ("Срок действия закрытого ключа истёк: КриптоПро не разрешает им подписывать. Подпись не поставлена. "
                "Получите новый сертификат в удостоверяющем центре.")
    if code in _CHAIN:
        return ("КриптоПро не смогла проверить цепочку сертификатов подписанта (сертификат отозван или истёк). "
                "Подпись не поставлена. Установите сертификаты удостоверяющего центра или получите новый сертификат.")
    last = next((line.strip() for line in reversed(output.splitlines())
                 if line.strip() and not line.strip().startswith("[ErrorCode")), "")
    return (f"КриптоПро вернула ошибку {code or 'без кода'}" + (f": {last}" if last else "") +
            ". Подпись не поставлена.")


_CODE = re.compile(r"\[(?:ErrorCode|ReturnCode):\s*(0x[0-9a-fA-F]+|\d+)\]")


def _error_code(output: str) -> str:
    found = _CODE.findall(output)
    if not found:
        return ""
    value = found[-1]
    return value.lower() if value.lower().startswith("0x") else f"0x{int(value):08x}"


@dataclass(frozen=True)
class CryptoProSettings:
    cryptcp: str  # path to cryptcp(.exe)
    thumbprint: str = ""  # SHA-1 of the chosen certificate, hex

    @property
    def certmgr(self) -> str:
        """certmgr lives next to cryptcp (C:\\Program Files\\Crypto Pro\\CSP\\, /opt/cprocsp/bin/amd64/)."""
        path = Path(self.cryptcp)
        return str(path.with_name("certmgr" + path.suffix))


def normalise_thumbprint(value: str) -> str:
    text = re.sub(r"[\s:]", "", value or "").lower()
    return text[2:] if text.startswith("0x") else text


def _run(program: str, args: list[str], what: str, thumbprint: str = "", timeout: int = TIMEOUT_S) -> str:
    if not program:
        raise CryptoProError("Не указан путь к программе КриптоПро cryptcp. Укажите его в настройках подписи "
                             "(обычно C:\\Program Files\\Crypto Pro\\CSP\\cryptcp.exe).")
    env = dict(os.environ)
    env.setdefault("LANG", "en_US.UTF-8")
    try:
        proc = subprocess.run([program, *args], input=b"Y\n", capture_output=True, timeout=timeout, env=env)
    except FileNotFoundError as exc:
        raise CryptoProError(f"Не найдена программа КриптоПро «{program}». Проверьте, что КриптоПро CSP установлена, "
                             "и укажите путь к cryptcp в настройках подписи.") from exc
    except PermissionError as exc:
        raise CryptoProError(f"Программу «{program}» нельзя запустить (нет прав). Обратитесь к администратору.") from exc
    except subprocess.TimeoutExpired as exc:
        raise CryptoProError(f"КриптоПро не ответила за {timeout // 60} мин ({what}). Подпись не поставлена; "
                             "проверьте, не ждёт ли окно КриптоПро ввода PIN-кода, и повторите.") from exc
    output = (proc.stdout or b"").decode("utf-8", "replace") + "\n" + (proc.stderr or b"").decode("utf-8", "replace")
    code = _error_code(output)
    if proc.returncode != 0 or (code and int(code, 16) != 0):
        raise CryptoProError(error_message(code, output, thumbprint), code)
    return output


# ------------------------------------------------------------------ certificates
@dataclass(frozen=True)
class CryptoProCertificate:
    number: int
    thumbprint: str
    subject: str
    issuer: str
    serial: str
    valid_from: dt.datetime | None
    valid_to: dt.datetime | None
    has_key: bool

    @property
    def owner(self) -> str:
        fields = _dn(self.subject)
        surname, given = fields.get("SN", ""), fields.get("G", "") or fields.get("GN", "")
        return " ".join(p for p in (surname, given) if p) or fields.get("CN", "") or self.subject

    @property
    def label(self) -> str:
        until = f" до {self.valid_to:%d.%m.%Y}" if self.valid_to else ""
        return f"{self.owner} — № {self.serial}{until} (отпечаток {self.thumbprint})"


def _dn(text: str) -> dict[str, str]:
    parts = re.findall(r'(?:^|,\s*)([A-Za-z0-9.]+)=("(?:[^"]|"")*"|[^,]*)', text)
    return {k.upper() if k.upper() != "G" else "G": v.strip().strip('"').replace('""', '"') for k, v in parts}


_KEYS = {
    "subject": ("Subject", "Субъект"),
    "issuer": ("Issuer", "Издатель"),
    "serial": ("Serial", "Серийный номер"),
    "thumbprint": ("SHA1 Hash", "SHA1 Thumbprint", "SHA1 отпечаток", "Хэш SHA1"),
    "from": ("Not valid before", "Выдан"),
    "to": ("Not valid after", "Истекает"),
    "key": ("PrivateKey Link", "PrivateKey", "Ссылка на ключ"),
}


def _date(text: str) -> dt.datetime | None:
    text = text.replace("UTC", "").strip()
    for pattern in ("%d/%m/%Y %H:%M:%S", "%d.%m.%Y %H:%M:%S", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(" ".join(text.split()), pattern)
        except ValueError:
            continue
    return None


def parse_certificate_list(output: str) -> list[CryptoProCertificate]:
    """The certificates in ``certmgr -list`` output (English or Russian build)."""
    blocks = re.split(r"^\s*(\d+)-{7}\s*$", output, flags=re.MULTILINE)
    result = []
    for number, body in zip(blocks[1::2], blocks[2::2]):
        values: dict[str, str] = {}
        for line in body.splitlines():
            if line.startswith("=") or ":" not in line:
                continue
            key, _, value = line.partition(":")
            key = key.strip()
            for name, labels in _KEYS.items():
                if key in labels and name not in values:
                    values[name] = value.strip()
        thumbprint = normalise_thumbprint(values.get("thumbprint", ""))
        if not thumbprint:
            continue
        serial = values.get("serial", "").strip()
        serial = serial[2:] if serial.lower().startswith("0x") else serial
        key = values.get("key", "").strip().casefold()
        result.append(CryptoProCertificate(
            number=int(number), thumbprint=thumbprint, subject=values.get("subject", ""),
            issuer=values.get("issuer", ""), serial=serial.upper(), valid_from=_date(values.get("from", "")),
            valid_to=_date(values.get("to", "")), has_key=key.startswith(("yes", "да", "present"))))
    return result


def list_certificates(settings: CryptoProSettings) -> list[CryptoProCertificate]:
    """The personal certificates CryptoPro knows (store uMy), as ``certmgr -list -store uMy`` prints them."""
    return parse_certificate_list(_run(settings.certmgr, ["-list", "-store", "uMy"], "список сертификатов"))


def export_certificate(settings: CryptoProSettings) -> bytes:
    """The chosen certificate (DER), exported by certmgr (no PIN needed: only the public part)."""
    thumbprint = normalise_thumbprint(settings.thumbprint)
    if not thumbprint:
        raise CryptoProError("Не выбран сертификат КриптоПро для подписи. Выберите его из списка в настройках подписи.")
    with tempfile.TemporaryDirectory(prefix="socplan-cryptopro-") as tmp:
        target = Path(tmp) / "certificate.cer"
        _run(settings.certmgr, ["-export", "-cert", "-thumbprint", thumbprint, "-dest", str(target)],
             "выгрузка сертификата", thumbprint)
        try:
            data = target.read_bytes()
        except OSError as exc:
            raise CryptoProError(error_message("0x2000012d", "", thumbprint), "0x2000012d") from exc
    if data.lstrip().startswith(b"-----BEGIN"):
        from asn1crypto import pem

        _, _, data = pem.unarmor(data)
    return data


# ------------------------------------------------------------------ signing
def sign_detached(data: bytes, settings: CryptoProSettings, timeout: int = TIMEOUT_S) -> bytes:
    """A detached CAdES-BES signature (DER CMS) of ``data`` made by cryptcp with the chosen certificate."""
    thumbprint = normalise_thumbprint(settings.thumbprint)
    if not thumbprint:
        raise CryptoProError("Не выбран сертификат КриптоПро для подписи. Выберите его из списка в настройках подписи.")
    with tempfile.TemporaryDirectory(prefix="socplan-cryptcp-") as tmp:
        source = Path(tmp) / "data.bin"
        source.write_bytes(bytes(data))
        output = _run(settings.cryptcp, ["-signf", "-dir", tmp, "-der", "-strict", "-cert", "-detached", "-nochain",
                                         "-thumbprint", thumbprint, str(source)], "подписание", thumbprint, timeout)
        signature_file = Path(tmp) / "data.bin.sgn"
        try:
            signature = signature_file.read_bytes()
        except OSError as exc:
            raise CryptoProError("КриптоПро завершилась без ошибки, но файл подписи не появился. Подпись не "
                                 "поставлена." + (f" Вывод: {output.strip()[-200:]}" if output.strip() else "")) from exc
    if signature[:1] != b"\x30":  # cryptcp without -der writes base64
        import base64
        import binascii

        try:
            signature = base64.b64decode(b"".join(signature.split()), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise CryptoProError("КриптоПро вернула файл подписи в непонятном формате. Подпись не поставлена.") from exc
    return signature


__all__ = ["CryptoProSettings", "CryptoProCertificate", "CryptoProError", "list_certificates", "export_certificate",
           "sign_detached", "parse_certificate_list", "error_message", "normalise_thumbprint"]
