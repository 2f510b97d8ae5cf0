"""Builds the plans demo files (JSON) from the source documents (shared/seeds). Run once by a developer:

    .venv/bin/python resources/demo/plans/build_demo.py ../shared/seeds

The wording is kept; only extraction breakage is repaired (cells cut by page breaks joined, HTML removed,
repeated header rows dropped). Seed 003's «Итого» column is garbled by the extraction in Appendix 8 (it
repeats a yearly value), so there the period total is the sum of the years.
"""

from __future__ import annotations

import json
import re
import sys
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "src"))

from socplan.domain.plans import split_participants  # noqa: E402
from socplan.io.plans_table import RawTable, detect_layout, extract_events, read_text  # noqa: E402

_MONEY = re.compile(r"\d{1,3}(?: \d{3})*,\d{2}")


def _participants(cell: str, aliases: dict[str, str]) -> tuple[list[str], list[str]]:
    execs, ctrls = split_participants(cell)

    def name(p) -> str:  # noqa: ANN001
        return aliases.get(p.full, aliases.get(p.short, p.short))

    return [name(p) for p in execs], [name(p) for p in ctrls]


def plan_001(seeds: Path) -> dict:
    t = read_text(seeds / "001_30047ea4ca5967a0.txt")
    start = next(i for i, r in enumerate(t.rows) if r[:2] == ["№", "Мероприятия"])
    table = RawTable(t.rows[start:], t.source)
    events, problems = extract_events(table, detect_layout(table))
    assert not problems, problems
    aliases = {"департамент социального обслуживания Министерства": "ДСО",
               "управление демографической и семейной политики Министерства": "УДСП"}
    out = []
    for e in events:
        execs, ctrls = _participants(e.executors, aliases)
        execs = [x for x in execs if x != "Калижникова А.И."]  # a person, kept in the cell's wording
        out.append({"number": e.number, "text": e.text, "form": e.form, "deadline": e.deadline,
                    "executors": execs, "controllers": ctrls, "executors_text": e.executors})
    return {
        "title": "План Министерства труда и социального развития Омской области (далее – Министерство) по "
                 "организации проведения независимой оценки качества условий оказания услуг организациями, "
                 "оказывающими услуги в сфере социального обслуживания, на 2025 – 2026 годы",
        "kind": "events", "year_from": 2025, "year_to": 2026, "owner": "Минтруд", "basis": "",
        "approval": {"word": "УТВЕРЖДАЮ", "position": "Министр труда и социального развития Омской области",
                     "name": "И.П. Варнавская", "date": "2024-12-23"},
        "reporting": "semiannual", "status": "approved",
        "organisations": [
            {"short": "Организации социального обслуживания", "kind": "institution",
             "full": "Государственные организации социального обслуживания, находящиеся в ведении Министерства"},
            {"short": "Общественный совет по НОК", "kind": "other",
             "full": "Общественный совет по проведению независимой оценки качества условий оказания услуг "
                     "организациями социального обслуживания, находящимися в ведении Омской области"},
            {"short": "Аналитический отдел Министерства", "kind": "ministry", "parent": "Минтруд",
             "full": "Аналитический отдел Министерства труда и социального развития Омской области"},
            {"short": "Управление закупок правового департамента Министерства", "kind": "ministry",
             "parent": "Минтруд",
             "full": "Управление закупок правового департамента Министерства труда и социального развития "
                     "Омской области"},
        ],
        "events": out,
        "execution": [
            {"event": "2.1", "due": "2025-03-31", "status": "done", "reported_on": "2025-03-20",
             "reporter": "Общественный совет по НОК",
             "info": "Перечень организаций, в отношении которых проводится независимая оценка в 2025 году, "
                     "сформирован (13 стационарных учреждений, реабилитационный центр)."},
            {"event": "2.4", "due": "2025-06-30", "status": "done", "reported_on": "2025-05-28",
             "reporter": "Управление закупок правового департамента Министерства",
             "info": "Государственный контракт на оказание услуг по сбору и обобщению информации заключён."},
            {"event": "6.1", "due": "2025-06-30", "status": "done", "reported_on": "2025-07-04", "reporter": "ДСО",
             "info": "Информация о результатах выполнения планов по устранению недостатков подготовлена."},
            {"event": "7", "due": "2025-05-15", "status": "postponed", "new_due": "2025-12-15",
             "reporter": "Аналитический отдел Министерства", "reported_on": "2025-05-14",
             "info": "Срок перенесён по согласованию с Министерством экономики Омской области."},
        ],
    }


def plan_004(seeds: Path) -> dict:
    table = read_text(seeds / "004_55f169782c496c58.txt")
    events, problems = extract_events(table, detect_layout(table))
    assert not problems, problems
    aliases = {"Министерство социального развития и труда Астраханской области": "Минсоцразвития АО"}
    out = []
    for e in events:
        execs, ctrls = _participants(e.executors, aliases)
        out.append({"number": e.number, "text": e.text, "form": e.form, "deadline": e.deadline,
                    "executors": [x[:1].upper() + x[1:] for x in execs if len(x) < 90], "controllers": ctrls, "executors_text": e.executors})
    return {
        "title": "План проведения информационной кампании по поддержке деятельности социально ориентированных "
                 "некоммерческих организаций (далее-СОНКО) в области оказания социальных услуг, "
                 "благотворительности и добровольчества",
        "kind": "campaign", "year_from": 2017, "year_to": 2017, "owner": "Минсоцразвития АО", "basis": "",
        "approval": {"word": "УТВЕРЖДАЮ",
                     "position": "Заместитель председателя Правительства Астраханской области – министр "
                                 "социального развития и труда Астраханской области",
                     "name": "О.А. Петелин", "date": "2016-12-28"},
        "reporting": "quarterly", "status": "executed",
        "organisations": [{"short": "Минсоцразвития АО", "kind": "ministry",
                           "full": "Министерство социального развития и труда Астраханской области"}],
        "events": out, "execution": [],
    }


def plan_002(seeds: Path) -> dict:
    lines = (seeds / "002_4a0b4b1e336f2476.txt").read_text(encoding="utf-8").splitlines()
    start = next(i for i, x in enumerate(lines) if x.startswith("Приложение № 2"))
    end = next(i for i, x in enumerate(lines) if x.startswith("Приложение № 3"))
    cells: list[str] = []
    for line in lines[start:end]:
        if line.startswith("\t"):
            cells.append(line.strip())
        elif line.strip() and cells:
            cells[-1] = (cells[-1] + " " + line.strip()).strip()  # a cell continued on the next line
    first = next(i for i, c in enumerate(cells) if c == "1.")
    cells = cells[first:]
    events: list[dict] = []
    i = 0
    aliases: dict[str, str] = {}
    while i < len(cells):
        c = cells[i]
        if re.fullmatch(r"\d+\.", c):
            events.append({"number": c.rstrip("."), "text": cells[i + 1], "form": "", "deadline": "",
                           "executors": [], "controllers": [], "executors_text": ""})
            i += 2
            continue
        m = re.match(r"^(\d+\.\d+)\.\s+(.*)$", c)
        if m:
            deadline, result, who = (cells[i + 1:i + 4] + ["", "", ""])[:3]
            execs, _ = _participants(who, aliases)
            events.append({"number": m.group(1), "text": m.group(2), "form": result, "deadline": deadline,
                           "executors": [x.strip() for x in execs], "controllers": [], "executors_text": who})
            i += 4
            continue
        i += 1
    return {
        "title": "План апробации механизмов организации оказания муниципальных услуг в социальной сфере при "
                 "формировании муниципального социального заказа на территории города Омска",
        "kind": "approbation", "year_from": 2023, "year_to": 2025, "owner": "Администрация города Омска",
        "basis": "Приложение № 2 к постановлению Администрации города Омска от ________ 2023 года № ______",
        "approval": {"word": "", "position": "", "name": "", "date": None},
        "reporting": "quarterly", "status": "approved",
        "organisations": [
            {"short": "Департамент образования Администрации города Омска", "kind": "local_government",
             "full": "Департамент образования Администрации города Омска", "parent": "Администрация города Омска"},
            {"short": "департамент по делам молодежи, физической культуры и спорта Администрации города Омска",
             "kind": "local_government", "parent": "Администрация города Омска",
             "full": "департамент по делам молодежи, физической культуры и спорта Администрации города Омска"},
            {"short": "Департамент финансов Администрации города Омска", "kind": "local_government",
             "full": "Департамент финансов Администрации города Омска", "parent": "Администрация города Омска"},
        ],
        "events": events,
        "execution": [
            {"event": "1.1", "due": "2023-09-01", "status": "done", "reported_on": "2023-08-30",
             "reporter": "Департамент образования Администрации города Омска",
             "info": "Размещение информации и документов на Едином портале бюджетной системы организовано."},
            {"event": "2.1", "due": "2023-09-01", "status": "done", "reported_on": "2023-08-25",
             "reporter": "Департамент образования Администрации города Омска", "info": "Акт утвержден."},
        ],
    }


def _money(text: str) -> list[Decimal]:
    return [Decimal(x.replace(" ", "").replace(",", ".")) for x in _MONEY.findall(text)]


def programme_003(seeds: Path) -> dict:
    lines = (seeds / "003_eb4913c20dfd368d.txt").read_text(encoding="utf-8").splitlines()
    years = list(range(2024, 2031))
    blocks = [  # (first line, last line, complex title, layout)
        (445, 460, "Комплекс процессных мероприятий \"Поддержка социально ориентированных некоммерческих "
                   "организаций, осуществляющих деятельность на территории Омской области\" (приложение № 4)",
         "total_first"),
        (466, 490, "Комплекс процессных мероприятий \"Предоставление субсидий юридическим лицам (за исключением "
                   "государственных, муниципальных учреждений) и индивидуальным предпринимателям на финансовое "
                   "обеспечение (возмещение) затрат в сфере социальной политики\" (приложение № 4)", "years_first"),
        (502, 522, "Комплекс процессных мероприятий \"Совершенствование системы предоставления отдельных мер "
                   "социальной поддержки граждан мер социальной поддержки, предусмотренных законодательством "
                   "Российской Федерации и Омской области\" (приложение № 8)", "years_only"),
    ]
    events: list[dict] = []
    for b_index, (first, last, title, layout) in enumerate(blocks, start=1):
        events.append({"number": str(b_index), "text": title, "form": "", "deadline": "2024 – 2030 гг.",
                       "executors": ["Минтруд"], "controllers": [], "executors_text": "Минтруд"})
        block = [ln.split("\t") for ln in lines[first - 1:last]]
        n_child = 0
        seen_numbers: set[str] = set()
        for i, row in enumerate(block):
            if not row[0].strip().isdigit() or row[1].strip() in ("", "2"):
                continue
            if row[0] in seen_numbers:
                continue  # the event row repeated by the extraction
            seen_numbers.add(row[0])
            n_child += 1
            name = re.sub(r"\s+", " ", row[1]).strip()
            if re.fullmatch(r"\d{4}-\d{4}", row[2]):
                y1, y2, rest = row[2][:4], row[2][5:], row[3:]
            else:
                y1, y2, rest = row[2], row[3], row[4:]
            participant = "Минтруд"
            source_row = next((r for r in block[i + 1:] if _money("\t".join(r))), None)
            if layout == "years_only":
                amounts = _money("\t".join(row))[:7]
                total = sum(amounts, Decimal(0))
            elif layout == "total_first":
                vals = _money("\t".join(source_row))
                total, amounts = vals[0], vals[1:8]
            else:
                vals = _money("\t".join(source_row))
                amounts, total = vals[:7], vals[7]
            fin = [{"source": "", "year": None, "amount": str(total)}]
            fin += [{"source": "", "year": y, "amount": str(a)} for y, a in zip(years, amounts)]
            fin += [{"source": "областной бюджет", "year": None, "amount": str(total)}]
            fin += [{"source": "областной бюджет", "year": y, "amount": str(a)} for y, a in zip(years, amounts)]
            results = []
            unit_idx = next((k for k, c in enumerate(row) if c.strip() in ("тысяч человек", "семей", "человек",
                                                                           "процентов", "единиц")), None)
            if unit_idx is not None:
                vals = [c.strip() for c in row[unit_idx + 1:unit_idx + 8]]
                if all(re.fullmatch(r"[\d ]+(?:,\d+)?", v) for v in vals) and len(vals) == 7 and \
                        not all(v.isdigit() and int(v) < 30 for v in vals):
                    results.append({"name": "", "unit": row[unit_idx].strip(),
                                    "values": {str(y): v.replace(" ", "").replace(",", ".")
                                               for y, v in zip(years, vals)}})
            events.append({"number": f"{b_index}.{n_child}", "text": name, "form": "",
                           "deadline": f"{y1} – {y2} гг." if y1 != y2 else f"{y1} год",
                           "executors": [participant], "controllers": [], "executors_text": participant,
                           "financing": fin, "results": results})
    return {
        "title": "Мероприятия государственной программы Омской области \"Социальная поддержка населения\" "
                 "(приложения № 4, 8)",
        "kind": "programme", "year_from": 2024, "year_to": 2030, "owner": "Минтруд",
        "basis": "Государственная программа Омской области \"Социальная поддержка населения\"",
        "approval": {"word": "", "position": "", "name": "", "date": None},
        "reporting": "annual", "status": "approved", "organisations": [], "events": events, "execution": [],
    }


def main() -> None:
    seeds = Path(sys.argv[1] if len(sys.argv) > 1 else HERE.parents[2].parent / "shared" / "seeds")
    for name, builder in (("nok_2025_2026.json", plan_001), ("campaign_astrakhan_2017.json", plan_004),
                          ("approbation_omsk_2023.json", plan_002), ("programme_2024_2030.json", programme_003)):
        data = builder(seeds)
        (HERE / name).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(name, len(data["events"]), "мероприятий")


if __name__ == "__main__":
    main()
