"""No one writes where they don't belong: every record of a package must belong to the signer's territory and to the
declared period; a return to a district comes only from the Ministry and carries only that district's data. Each
package is built and signed in the test; each is refused whole, naming the first offending record, and the
receiving database is unchanged."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from exchange_helpers import DISTRICT, MINISTRY, add_form, cert_der, db_fingerprint
from hostile import manifest_of, resign

from socplan.domain.exchange import PackageRefused
from socplan.services.exchange.export import ExportRequest, export_package
from socplan.services.exchange.importer import apply_import, preview_import

YEAR = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
OTHER = "Большереченский муниципальный район"


def value_record(uuid: str, territory: str, *, year: int = 2025, month: int = 2, value: str = "5") -> dict[str, Any]:
    return {"uuid": f"00000000-0000-0000-0000-{uuid:0>12}", "version": 1, "data": {
        "indicator": ["ОБМ-1", "1"], "component": "", "territory": territory, "year": year, "period_kind": "month",
        "period_no": month, "kind": "fact", "value": value, "qualifier": "", "comment": ""}}


def entry(kind: str, records: list[dict[str, Any]]) -> tuple[str, bytes]:
    return f"data/{kind}.json", json.dumps({"kind": kind, "records": records}, ensure_ascii=False).encode()


@pytest.fixture
def district_package(offices, tmp_path):  # noqa: ANN001, ANN201
    """A genuine district → Ministry package (its manifest is the starting point of each hostile one)."""
    add_form(offices["district"].ctx)
    add_form(offices["ministry"].ctx, fact=False)
    add_form(offices["ministry"].ctx, territories=(OTHER, MINISTRY), fact=False)
    result = export_package(offices["district"].ctx, ExportRequest(MINISTRY, *YEAR), tmp_path,
                            offices["district"].signer)
    return manifest_of(result.path.read_bytes()), offices


def refused_at(ctx: Any, blob: bytes, *phrases: str) -> str:
    before = db_fingerprint(ctx)
    with pytest.raises(PackageRefused) as info:
        preview_import(ctx, data=blob)
    message = info.value.message
    assert message.startswith("Пакет отклонён") and "Ничего не загружено" in message, message
    for phrase in phrases:
        assert phrase in message, message
    assert db_fingerprint(ctx) == before
    return message


def test_own_records_in_the_period_are_accepted(district_package, keys):  # noqa: ANN001
    """The control case: the same construction with the district's own value is accepted and applied."""
    manifest, offices = district_package
    ministry = offices["ministry"].ctx
    blob = resign(dict(manifest, sequence=5), keys["district"], [entry("indicator_value", [value_record("1", DISTRICT)])])
    preview = preview_import(ministry, data=blob)
    assert apply_import(ministry, preview).applied == 1


@pytest.mark.parametrize("territory", [OTHER, MINISTRY])
def test_a_district_key_cannot_write_another_territory(district_package, keys, territory):  # noqa: ANN001
    manifest, offices = district_package
    records = [value_record("1", DISTRICT), value_record("2", territory, value="436")]
    blob = resign(dict(manifest, sequence=5), keys["district"], [entry("indicator_value", records)])
    refused_at(offices["ministry"].ctx, blob, f"относится к территории «{territory}»",
               f"подписан от имени «{DISTRICT}»", "показатель ОБМ-1/1")


def test_a_record_outside_the_declared_period_is_refused(district_package, keys):  # noqa: ANN001
    manifest, offices = district_package
    manifest = dict(manifest, sequence=5, period={"from": "2025-01-01", "to": "2025-03-31"})
    records = [value_record("1", DISTRICT, month=3), value_record("2", DISTRICT, month=7)]
    blob = resign(manifest, keys["district"], [entry("indicator_value", records)])
    refused_at(offices["ministry"].ctx, blob, "вне заявленного", "01.07.2025–31.07.2025", "01.01.2025–31.03.2025")


def test_an_earlier_year_is_outside_the_period_too(district_package, keys):  # noqa: ANN001
    manifest, offices = district_package
    blob = resign(dict(manifest, sequence=5), keys["district"],
                  [entry("indicator_value", [value_record("1", DISTRICT, year=2023)])])
    refused_at(offices["ministry"].ctx, blob, "вне заявленного", "2023")


def test_a_district_cannot_send_the_ministrys_catalogue(district_package, keys):  # noqa: ANN001
    manifest, offices = district_package
    unit = {"uuid": "00000000-0000-0000-0000-0000000000aa", "version": 1,
            "data": {"code": "999", "name": "Попугаи", "short_name": "поп."}}
    blob = resign(dict(manifest, sequence=5), keys["district"], [entry("unit", [unit])])
    refused_at(offices["ministry"].ctx, blob, "район не может присылать «единицы измерения»")


def test_a_district_cannot_send_remarks(district_package, keys):  # noqa: ANN001
    manifest, offices = district_package
    remark = {"uuid": "r1", "target_uuid": "x", "text": "замечание", "target": value_record("1", OTHER)["data"]}
    blob = resign(dict(manifest, sequence=5), keys["district"],
                  [("data/remarks.json", json.dumps({"kind": "remark", "records": [remark]}).encode())])
    refused_at(offices["ministry"].ctx, blob, "замечания", "только Министерство")


def test_a_district_package_cannot_pose_as_a_return(district_package, keys):  # noqa: ANN001
    manifest, offices = district_package
    blob = resign(dict(manifest, sequence=5, direction="to_district"), keys["district"],
                  [entry("indicator_value", [value_record("1", DISTRICT)])])
    refused_at(offices["ministry"].ctx, blob, "не является отчётом района")


# ------------------------------------------------------------------ returns from the Ministry
@pytest.fixture
def ministry_return(offices, tmp_path):  # noqa: ANN001, ANN201
    add_form(offices["ministry"].ctx, territories=(DISTRICT, OTHER), fact=False)
    add_form(offices["district"].ctx, fact=False)
    result = export_package(offices["ministry"].ctx, ExportRequest(DISTRICT, *YEAR, kinds=("indicator_value",)),
                            tmp_path, offices["ministry"].signer)
    blob = result.path.read_bytes()
    return manifest_of(blob), blob, offices


def test_the_ministrys_return_is_accepted(ministry_return):  # noqa: ANN001
    """The control case: the Ministry's own return (plans of this district's values) passes the checks."""
    _, blob, offices = ministry_return
    preview = preview_import(offices["district"].ctx, data=blob)
    assert preview.items and all(DISTRICT in i.title for i in preview.items)


def test_a_return_cannot_carry_another_districts_values(ministry_return, keys):  # noqa: ANN001
    manifest, _, offices = ministry_return
    records = [value_record("1", DISTRICT), value_record("2", OTHER, value="469")]
    blob = resign(dict(manifest, sequence=5), keys["ministry"], [entry("indicator_value", records)])
    refused_at(offices["district"].ctx, blob, f"относится к территории «{OTHER}»", f"адресован «{DISTRICT}»")


def test_a_return_outside_its_period_is_refused(ministry_return, keys):  # noqa: ANN001
    manifest, _, offices = ministry_return
    blob = resign(dict(manifest, sequence=5), keys["ministry"],
                  [entry("indicator_value", [value_record("1", DISTRICT, year=2026)])])
    refused_at(offices["district"].ctx, blob, "вне заявленного", "01.02.2026–28.02.2026")


def test_only_the_ministrys_key_may_send_a_return(ministry_return, keys):  # noqa: ANN001
    """A neighbouring district trusted by this district (for its own territory) signs a «return»: refused."""
    from socplan.services.exchange import setup

    manifest, _, offices = ministry_return
    district = offices["district"].ctx
    setup.trust_certificate(district, OTHER, cert_der(keys["other_district"]))
    forged = dict(manifest, sequence=5, sender={"territory": OTHER, "organisation": ""})
    blob = resign(forged, keys["other_district"], [entry("indicator_value", [value_record("1", DISTRICT)])])
    refused_at(district, blob, "только Министерство", OTHER)


def test_an_out_of_range_value_is_refused_as_a_record(district_package, keys):  # noqa: ANN001
    """1e308 from a package is never stored: the record is refused with the reason, the others go through."""
    from socplan.domain.exchange import Change

    manifest, offices = district_package
    ministry = offices["ministry"].ctx
    records = [value_record("1", DISTRICT, value="1E+308"), value_record("2", DISTRICT, month=3, value="7")]
    preview = preview_import(ministry, data=resign(dict(manifest, sequence=5), keys["district"],
                                                   [entry("indicator_value", records)]))
    assert [i.change for i in preview.items] == [Change.REFUSED, Change.NEW]
    assert "вне допустимого диапазона" in preview.items[0].reason
    assert apply_import(ministry, preview).applied == 1
