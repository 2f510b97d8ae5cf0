"""Two offices (a district and the Ministry) on copies of the demo database, with keys that trust each other."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # importlib mode: make the helper modules importable

from exchange_helpers import DISTRICT, MINISTRY, Office, cert_der, open_office


@pytest.fixture(scope="session")
def keys() -> dict[str, Any]:
    from socplan.signing.certificates import create_self_signed, load_pkcs12

    def make(name: str, **kw: Any) -> Any:
        return load_pkcs12(create_self_signed(name, "главный специалист", "СоцПлан тест", **kw), "")

    past = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - dt.timedelta(days=30)
    return {
        "district": make("Районов Иван Петрович"),
        "ministry": make("Министерская Анна Сергеевна"),
        "stranger": make("Чужой Пётр Петрович"),
        "expired": make("Просроченный Олег Олегович", days=2, not_before=past),
        "other_district": make("Соседов Семён Семёнович"),
    }


@pytest.fixture
def offices(demo_db_template: Path, demo_db, tmp_path: Path, keys: dict[str, Any]):  # noqa: ANN001, ANN201
    """The district on its SQLite file; the Ministry on ``demo_db`` — a file, or its shared PostgreSQL server
    database (``[pg]``): packages are imported into the server database the same way."""
    from socplan.services.context import AppContext, User
    from socplan.services.exchange import setup

    district = open_office(demo_db_template, tmp_path / "district.sqlite")
    ministry = AppContext(demo_db, User("Тестов Тест Тестович", "главный специалист"))
    setup.set_identity(district, "district", DISTRICT)
    setup.set_identity(ministry, "ministry", MINISTRY, "Минтруд")
    setup.trust_certificate(ministry, DISTRICT, cert_der(keys["district"]))
    setup.trust_certificate(ministry, "Большереченский муниципальный район", cert_der(keys["other_district"]))
    setup.trust_certificate(ministry, DISTRICT, cert_der(keys["expired"]))
    setup.trust_certificate(district, MINISTRY, cert_der(keys["ministry"]))
    yield {"district": Office(district, keys["district"], DISTRICT), "ministry": Office(ministry, keys["ministry"], MINISTRY)}
    district.db.close()
    ministry.db.close()


