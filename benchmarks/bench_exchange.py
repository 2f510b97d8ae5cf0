"""Exchange benchmark: export and import of a package with 33 districts' worth of one year's monthly values.

Volume: 33 forms × 101 indicators × 12 months × (plan + fact) = 79 992 values in one signed package (the size of
33 districts' monthly reporting for a year). Measured in one run, each on a fresh copy of the databases:

- export (select, UUIDs/versions, JSON, zip, CMS signature, journal);
- import = preview (signature, hashes, parse, scope, three-way comparison) + apply (the comparison's basis read again
  in the transaction, insert, UUID map, audit, journal);
- baseline: reading the same package (zip inflated, every JSON member parsed) and a bare Core bulk insert of the
  same 79 992 rows into ``ind_value`` in one transaction;
- a second baseline that also does what a reader of a signed package must: the manifest's CMS signature verified
  against the trusted certificate and each member's SHA-256 compared with the manifest (the same library calls);
- peak Python memory (tracemalloc) of import vs the baseline.

Export and import pause Python's cyclic garbage collector while they handle the package's records
(``services/bulk.py``); the baselines run with it paused too, so that the ratio compares the work done and
not the collector (with the collector running, the baseline takes ~1,5× longer on this machine; the output shows
the ratios against that baseline too).

Last run (01.12.2026, ``BENCH_CLOCK=cpu BENCH_RUNS=5``, shared 2-core machine): import 1,71 s CPU — 2,9× the
baseline (0,59 s), 2,7× the verifying baseline (0,62 s), 1,9× the baseline with the collector running (0,91 s);
wall-clock run: 2,8× / 2,7× / 1,8×; peak memory 180 MB vs 143 MB (1,25×). The code before this round, measured by
this script the same day: 2,42 s CPU, 4,0× / 3,8× / 2,6×, 173 MB. Where the import's time goes now (py-spy
samples): SQLite's executemany of the 79 992 values and of their 79 992 UUID mappings ~22 %, each record's
canonical-JSON fingerprint ~14 %, JSON parsing ~9 %, unzip + CRC + SHA-256 + signature ~5 %, the commit ~3 %; the
rest is per-record Python (checks and conversion, keys, matching, preview items, rows and mappings to write).

Run: ``.venv/bin/python benchmarks/bench_exchange.py`` (``BENCH_RUNS=5``, ``BENCH_CLOCK=cpu`` optional)
"""

from __future__ import annotations

import datetime as dt
import gc
import shutil
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import insert, select

FORMS, INDICATORS, MONTHS = int(__import__("os").environ.get("BENCH_FORMS", 33)), 101, 12
DISTRICT = "Азовский немецкий национальный муниципальный район"
MINISTRY = "Омская область"


#: BENCH_CLOCK=cpu: this process's CPU time instead of wall time (for a machine shared with other work; the disk's
#: fsync waits are then left out on both sides)
CLOCK = time.process_time if __import__("os").environ.get("BENCH_CLOCK") == "cpu" else time.perf_counter


def measure(fn: Callable[[], Any], memory: bool) -> tuple[float, int, Any]:
    gc.collect()
    if memory:
        tracemalloc.start()
    start = CLOCK()
    result = fn()
    elapsed = CLOCK() - start
    peak = 0
    if memory:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return elapsed, peak, result


def main() -> int:
    from socplan.db.database import open_database
    from socplan.db.models.indicators import Indicator, IndicatorForm, IndicatorValue
    from socplan.db.models.reference import Territory
    from socplan.services.context import AppContext, User
    from socplan.services.demo import load_reference
    from socplan.services.exchange import setup
    from socplan.services.bulk import paused_collector
    from socplan.services.exchange.export import ExportRequest, export_package
    from socplan.services.exchange.importer import apply_import, preview_import
    from socplan.signing.certificates import certificate_der, create_self_signed, load_pkcs12
    from socplan.signing.cms import verify_detached

    work = Path(tempfile.mkdtemp(prefix="bench-exchange-"))
    user = User("Бенчмарк", "специалист")

    def ctx_at(path: Path) -> AppContext:
        return AppContext(open_database(path), user)

    # ---- a reference-only database with the catalogue (both offices have it)
    base = work / "base.sqlite"
    db = open_database(base, create=True, lock=False)
    with db.session(user_name="bench") as s:
        load_reference(s)
        for f in range(1, FORMS + 1):
            form = IndicatorForm(code=f"Ф-{f:02d}", name=f"Форма {f}", territorial=True)
            s.add(form)
            for i in range(1, INDICATORS + 1):
                s.add(Indicator(form=form, code=str(i), name=f"Показатель {i}", decimals=1))
        s.commit()
    db.close()
    district_db, ministry_db = work / "district.sqlite", work / "ministry.sqlite"
    shutil.copyfile(base, district_db)
    shutil.copyfile(base, ministry_db)

    key = load_pkcs12(create_self_signed("Районов Иван Петрович", "специалист", "Управление"), "")
    district = ctx_at(district_db)
    setup.set_identity(district, "district", DISTRICT)
    rows: list[dict[str, Any]] = []
    with district.uow() as s:
        t_id = s.scalar(select(Territory.id).where(Territory.name == DISTRICT))
        for ind_id in s.scalars(select(Indicator.id).order_by(Indicator.id)):
            for month in range(1, MONTHS + 1):
                for kind, value in (("plan", Decimal(100 + month)), ("fact", Decimal(ind_id % 97) + Decimal(month) / 10)):
                    rows.append({"indicator_id": ind_id, "component": "", "territory_id": t_id, "year": 2025,
                                 "period_kind": "month", "period_no": month, "kind": kind, "value": value,
                                 "qualifier": "", "comment": ""})
        s.connection().execute(insert(IndicatorValue), rows)
        s.commit()
    district.db.close()
    ministry = ctx_at(ministry_db)
    setup.set_identity(ministry, "ministry", MINISTRY, "Минтруд")
    setup.trust_certificate(ministry, DISTRICT, certificate_der(key.certificate))
    ministry.db.close()
    trusted = [certificate_der(key.certificate)]
    print(f"Значений в пакете: {len(rows)}")

    period = ExportRequest(MINISTRY, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    runs = int(__import__("os").environ.get("BENCH_RUNS", 3))
    times: dict[str, list[float]] = {"export": [], "import": [], "bare": [], "bare_gc": [], "bare_verified": []}
    results: dict[str, tuple[float, int]] = {}
    for n, memory in enumerate([False] * runs + [True]):  # timed runs (no tracemalloc), then one for memory
        tag = "mem" if memory else f"time{n}"
        d_copy, m_copy, b_copy = (work / f"d-{tag}.sqlite", work / f"m-{tag}.sqlite", work / f"b-{tag}.sqlite")
        shutil.copyfile(district_db, d_copy)
        shutil.copyfile(ministry_db, m_copy)
        shutil.copyfile(ministry_db, b_copy)
        out = work / f"out-{tag}"
        out.mkdir()

        d_ctx = ctx_at(d_copy)
        t, peak, exported = measure(lambda: export_package(d_ctx, period, out, key), memory)
        if not memory:
            times["export"].append(t)
        d_ctx.db.close()
        results.setdefault("export", (0, 0))
        results["export"] = (t if not memory else results["export"][0], peak if memory else results["export"][1])

        m_ctx = ctx_at(m_copy)

        def do_import() -> Any:
            preview = preview_import(m_ctx, exported.path)
            return apply_import(m_ctx, preview)

        t, peak, imported = measure(do_import, memory)
        if not memory:
            times["import"].append(t)
        assert imported.applied == len(rows), imported.text
        m_ctx.db.close()
        results["import"] = (t if not memory else results.get("import", (0, 0))[0],
                             peak if memory else results.get("import", (0, 0))[1])

        b_ctx = ctx_at(b_copy)

        def bare_work(ctx: Any, verified: bool = False) -> None:
            # the same reading: the file, every member of the zip inflated and parsed; then one bulk insert
            import hashlib
            import json
            import zipfile

            with zipfile.ZipFile(exported.path) as zf:
                if verified:  # what a reader of a signed package must also do: the signature, each member's hash
                    raw_manifest = zf.read("META-INF/manifest.json")
                    status = verify_detached(raw_manifest, zf.read("META-INF/signature.p7s"), trusted=trusted)
                    assert status.ok, status.text
                    listed = {e["name"]: e["sha256"] for e in json.loads(raw_manifest)["entries"]}
                    members = {n: zf.read(n) for n in listed}
                    assert all(hashlib.sha256(members[n]).hexdigest() == h for n, h in listed.items())
                    parsed = [json.loads(b) for n, b in members.items() if n.endswith(".json")]
                else:
                    parsed = [json.loads(zf.read(n)) for n in zf.namelist() if n.endswith(".json")]
            assert parsed
            with ctx.db.engine.begin() as conn:
                conn.execute(insert(IndicatorValue), [dict(r) for r in rows])

        def bare() -> None:
            with paused_collector():  # the same conditions as export and import
                bare_work(b_ctx)

        t, peak, _ = measure(bare, memory)
        if not memory:
            times["bare"].append(t)
        b_ctx.db.close()
        if not memory:  # for comparison: the same baseline with the collector running
            g_copy = work / f"g-{tag}.sqlite"
            shutil.copyfile(ministry_db, g_copy)
            g_ctx = ctx_at(g_copy)
            times["bare_gc"].append(measure(lambda: bare_work(g_ctx), False)[0])
            g_ctx.db.close()
            v_copy = work / f"v-{tag}.sqlite"  # and the baseline that also checks the signature and the hashes
            shutil.copyfile(ministry_db, v_copy)
            v_ctx = ctx_at(v_copy)

            def bare_verified() -> None:
                with paused_collector():
                    bare_work(v_ctx, verified=True)

            times["bare_verified"].append(measure(bare_verified, False)[0])
            v_ctx.db.close()
        results["bare"] = (t if not memory else results.get("bare", (0, 0))[0],
                           peak if memory else results.get("bare", (0, 0))[1])
        if n == 0:
            size = exported.path.stat().st_size
            print(f"Пакет: {size / 1024 / 1024:.1f} МБ, принято записей: {imported.applied}")

    import statistics

    for name in times:
        results[name] = (statistics.median(times[name]), results.get(name, (0, 0))[1])
    print(f"Медианы {runs} прогонов (время без tracemalloc; память — отдельный прогон под tracemalloc)")
    e, i, b = results["export"], results["import"], results["bare"]
    print(f"Экспорт:                 {e[0]:6.2f} с, пик памяти {e[1] / 2**20:7.1f} МБ")
    print(f"Импорт (проверка+приём): {i[0]:6.2f} с, пик памяти {i[1] / 2**20:7.1f} МБ")
    print(f"Чтение пакета + голая вставка: {b[0]:6.2f} с, пик памяти {b[1] / 2**20:7.1f} МБ")
    print(f"Отношение импорт / голая вставка: время {i[0] / b[0]:.1f}×, память {i[1] / max(b[1], 1):.1f}×")
    print(f"Отношение экспорт / голая вставка: время {e[0] / b[0]:.1f}×, память {e[1] / max(b[1], 1):.1f}×")
    g = results["bare_gc"][0]
    print(f"Для сравнения: голая вставка с работающим сборщиком мусора {g:.2f} с — импорт {i[0] / g:.1f}×, "
          f"экспорт {e[0] / g:.1f}×")
    v = results["bare_verified"][0]
    print(f"Чтение с проверкой подписи CMS и SHA-256 элементов + голая вставка: {v:.2f} с — импорт {i[0] / v:.1f}×")
    print(f"Часы: {'процессорное время (BENCH_CLOCK=cpu)' if CLOCK is time.process_time else 'время по часам'}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
