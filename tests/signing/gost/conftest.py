"""GOST fixtures (made by make_fixtures.py with OpenSSL's GOST engine, committed) and the stand-in cryptcp."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
BIN = HERE / "bin"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture(scope="session")
def keys() -> dict:
    return json.loads((FIXTURES / "keys.json").read_text(encoding="utf-8"))


@pytest.fixture
def work_tmp(tmp_path, monkeypatch) -> Path:  # noqa: ANN001
    """The system temporary folder for this test only: CryptoPro's work files must not survive there."""
    folder = tmp_path / "systemp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def fake(monkeypatch, tmp_path, keys, work_tmp):  # noqa: ANN001, ANN201
    """Stand-in cryptcp settings for the 256-bit signer; ``fake.log()`` returns the command lines it received."""
    from socplan.signing.cryptopro import CryptoProSettings

    log = tmp_path / "cryptcp.log"
    monkeypatch.setenv("FAKE_CRYPTCP_PYTHON", sys.executable)
    monkeypatch.setenv("FAKE_CRYPTCP_LOG", str(log))
    monkeypatch.delenv("FAKE_CRYPTCP_MODE", raising=False)
    monkeypatch.delenv("FAKE_CRYPTCP_STORE", raising=False)

    class Fake:
        cryptcp = str(BIN / "cryptcp")
        settings = CryptoProSettings(str(BIN / "cryptcp"), keys["signer256"]["thumbprint"])
        settings512 = CryptoProSettings(str(BIN / "cryptcp"), keys["signer512"]["thumbprint"])

        @staticmethod
        def mode(value: str) -> None:
            monkeypatch.setenv("FAKE_CRYPTCP_MODE", value)

        @staticmethod
        def log() -> list[list[str]]:
            if not log.exists():
                return []
            return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]

    return Fake


@pytest.fixture
def gost_offices(demo_db_template, tmp_path):  # noqa: ANN001, ANN201
    sys.path.insert(0, str(HERE.parents[1] / "exchange"))
    try:
        from exchange_helpers import DISTRICT, MINISTRY, add_form, open_office
    finally:
        sys.path.pop(0)
    from socplan.services.exchange import setup

    district = open_office(demo_db_template, tmp_path / "district.sqlite")
    ministry = open_office(demo_db_template, tmp_path / "ministry.sqlite")
    setup.set_identity(district, "district", DISTRICT)
    setup.set_identity(ministry, "ministry", MINISTRY, "Минтруд")
    add_form(district)
    yield district, ministry, DISTRICT, MINISTRY
    district.db.close()
    ministry.db.close()
