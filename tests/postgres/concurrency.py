"""N processes enter and accept indicator values for the 33 territories against one PostgreSQL server.

Each worker loops for a given time: it loads a territory's sheet of form «ГП», waits a little (a person
typing), saves a new value of row 9 (plan or fact) against the version it loaded, and now and then
submits and accepts the form. It writes what happened as JSON lines: every successful save with the
version it was based on, every conflict reported, every refusal, and any other error.

Afterwards :func:`verify` proves: no lost update (per cell, successful saves form one chain of versions
1, 2, 3 … and the database holds the last one), every saved value is in the audit journal in that order,
values of accepted forms did not change after acceptance, and no error other than the ones reported to
the user (no unhandled deadlock).

By hand, the long run (10 processes, 2 minutes) on a throw-away cluster::

    PYTHONPATH=src python tests/postgres/concurrency.py --workers 10 --seconds 120
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

FORM = "ГП"
YEAR = 2031  # a period nobody has entered: the chains start from empty cells
CELLS = (("9", "", "plan"), ("9", "", "fact"))


def worker(url: str, number: int, seconds: float, out: Path, seed: int) -> None:
    from socplan.db.database import open_database
    from socplan.domain.conflicts import ValueConflictError
    from socplan.domain.errors import SocPlanError
    from socplan.domain.indicators import FormState, Period
    from socplan.services.context import AppContext, User
    from socplan.services.indicators import entry
    from socplan.services.indicators.common import reporting_territories

    rnd = random.Random(seed)
    db = open_database(url, create=False)
    ctx = AppContext(db, User(f"Сотрудник {number}", "специалист"))
    with ctx.uow() as s:
        territories = [t.name for t in reporting_territories(s)]
    period = Period(YEAR)
    seq = 0
    deadline = time.monotonic() + seconds
    with open(out, "w", encoding="utf-8") as log:
        def note(**event: object) -> None:
            log.write(json.dumps(event, ensure_ascii=False, default=str) + "\n")

        while time.monotonic() < deadline:
            territory = rnd.choice(territories)
            try:
                if rnd.random() < 0.08:
                    for state in (FormState.SUBMITTED, FormState.ACCEPTED):
                        entry.set_state(ctx, FORM, territory, period, state, "проверено")
                    sheet = entry.load_sheet(ctx, FORM, territory, period)
                    row = next(r for r in sheet.rows if r.indicator.code == "9" and not r.component)
                    note(event="accepted", territory=territory, plan=row.plan, fact=row.fact)
                    continue
                code, comp, kind = rnd.choice(CELLS)
                sheet = entry.load_sheet(ctx, FORM, territory, period)
                row = next(r for r in sheet.rows if r.indicator.code == code and not r.component)
                seen_version = sheet.versions.get((code, comp, kind), 0)
                time.sleep(rnd.uniform(0, 0.03))  # typing
                seq += 1
                value = Decimal(number * 100000 + seq)
                change = entry.CellChange(code, comp, kind, value, seen_version=seen_version,
                                          seen=getattr(row, kind))
                entry.save_sheet(ctx, FORM, territory, period, [change])
                note(event="saved", territory=territory, cell=[code, comp, kind], value=value,
                     seen_version=seen_version)
            except ValueConflictError as exc:
                c = exc.conflicts[0]
                note(event="conflict", territory=territory, mine=c.mine, theirs=c.theirs)
            except SocPlanError as exc:  # refusals shown to the user: form accepted, not submitted, ratios
                note(event="refused", territory=territory, message=exc.message[:200])
            except Exception as exc:  # noqa: BLE001  (anything else is a failure of the test)
                note(event="error", territory=territory, error=f"{type(exc).__name__}: {exc}"[:500])
    db.close()


def run(url: str, workers: int, seconds: float, folder: Path) -> list[dict]:
    """Start the workers as separate processes, wait for them, return all their events."""
    import socplan

    src = str(Path(socplan.__file__).resolve().parents[1])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")])))
    procs = []
    for n in range(1, workers + 1):
        out = folder / f"worker-{n}.jsonl"
        procs.append((subprocess.Popen([sys.executable, __file__, "--worker", url, str(n), str(seconds), str(out)],
                                       env=env, stderr=subprocess.PIPE, text=True), out))
    events = []
    for proc, out in procs:
        _, err = proc.communicate(timeout=seconds + 120)
        if proc.returncode != 0:
            raise RuntimeError(f"worker failed ({proc.returncode}): {err[-2000:]}")
        events += [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return events


def verify(url: str, events: list[dict]) -> dict[str, int]:
    """The checks described above; returns the counts (raises AssertionError on a lost update)."""
    from sqlalchemy import select

    from socplan.db.database import open_database
    from socplan.db.models.audit import AuditLog
    from socplan.db.models.indicators import Indicator, IndicatorForm, IndicatorValue
    from socplan.db.models.reference import Territory

    errors = [e for e in events if e["event"] == "error"]
    assert not errors, f"unhandled errors: {errors[:5]}"
    chains: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for e in events:
        if e["event"] == "saved":
            chains[(e["territory"], e["cell"][2])].append(e)
    db = open_database(url, create=False)
    try:
        with db.session() as s:
            rows = {(t, kind): (vid, value, version) for vid, t, kind, value, version in s.execute(
                select(IndicatorValue.id, Territory.name, IndicatorValue.kind, IndicatorValue.value,
                       IndicatorValue.version)
                .join(Territory, Territory.id == IndicatorValue.territory_id)
                .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
                .join(IndicatorForm, IndicatorForm.id == Indicator.form_id)
                .where(IndicatorForm.code == FORM, Indicator.code == "9", IndicatorValue.component == "",
                       IndicatorValue.year == YEAR))}
            for key, saves in chains.items():
                based_on = sorted(e["seen_version"] for e in saves)
                if based_on != list(range(len(saves))):
                    twice = [e for e in saves if based_on.count(e["seen_version"]) > 1]
                    raise AssertionError(f"lost update on {key}: saves based on {based_on}; {twice}")
                last = max(saves, key=lambda e: e["seen_version"])
                vid, value, version = rows[key]
                assert (value, version) == (Decimal(last["value"]), len(saves)), f"{key}: {value} v{version} ≠ {last}"
                journal = [new for new, in s.execute(select(AuditLog.new).where(
                    AuditLog.entity == "ind_value", AuditLog.entity_id == str(vid), AuditLog.field == "value")
                    .order_by(AuditLog.id))]
                first = s.scalar(select(AuditLog.new).where(AuditLog.entity == "ind_value", AuditLog.action == "insert",
                                                            AuditLog.entity_id == str(vid)))
                chain = [str(Decimal(e["value"])) for e in sorted(saves, key=lambda e: e["seen_version"])]
                assert first is not None and json.loads(first)["value"] == chain[0], f"{key}: insert not journalled"
                assert journal == chain[1:], f"{key}: journal {journal} ≠ saves {chain[1:]}"
            for e in events:
                if e["event"] == "accepted":
                    for kind in ("plan", "fact"):
                        if e[kind] is not None:
                            assert rows[(e["territory"], kind)][1] == Decimal(e[kind]), f"changed after acceptance: {e}"
    finally:
        db.close()
    counts: dict[str, int] = defaultdict(int)
    for e in events:
        counts[e["event"]] += 1
    counts["cells"] = len(chains)
    return dict(counts)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "--worker":
        worker(args[1], int(args[2]), float(args[3]), Path(args[4]), seed=int(args[2]) * 7919)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=120)
    opts = parser.parse_args(args)
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import pg_cluster

    from socplan.db.database import open_database
    from socplan.services.demo import load_demo

    cluster = pg_cluster.Cluster().start()
    try:
        cluster.create_database("socplan_concurrency")
        url = cluster.url("socplan_concurrency")
        db = open_database(url)
        load_demo(db)
        db.close()
        with tempfile.TemporaryDirectory() as tmp:
            started = time.monotonic()
            events = run(url, opts.workers, opts.seconds, Path(tmp))
            counts = verify(url, events)
        print(f"{opts.workers} processes, {time.monotonic() - started:.0f} s: {counts}; 0 lost updates")
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
