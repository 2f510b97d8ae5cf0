"""Builds the demo data of the indicators capability from the source documents (run once; output is committed).

Usage: python resources/demo/indicators/build_from_seeds.py [PATH_TO_SEEDS]   (default: ../shared/seeds)

* programme.json — seed 003: passport, section 2 «Показатели» (values parsed from the table), financing by year
  and source (parsed), Appendix 1 «Методика расчета» (formulas and components, wording of the document);
* forms.json — seed 001 target indicators (parsed), seed 002 Appendix 3 (parsed), seed 003 Appendix 11 (parsed);
* values.csv / states.csv — demo district reports for 2024: deterministic made-up figures around the plan
  (clearly demo data), with a deviation reason wherever the fact deviates from the plan by more than 10 %.
"""
import csv, hashlib, json, re, sys
from decimal import Decimal, ROUND_HALF_UP
from pathlib import Path

SEEDS = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[3].parent / "shared" / "seeds"
OUT = Path(__file__).resolve().parent
lines = (SEEDS / "003_eb4913c20dfd368d.txt").read_text(encoding="utf-8").splitlines()

# ---- passport indicator rows (values parsed from the seed table)
rows = []
for ln in lines[45:92]:
    cols = ln.split("\t")
    if re.fullmatch(r"\d+", cols[0]) and len(cols) >= 14 and cols[2] != "3":
        rows.append(cols)
assert len(rows) == 18, len(rows)

DOC_RF296 = 'Постановление Правительства Российской Федерации от 15 апреля 2014 года № 296 "Об утверждении государственной программы Российской Федерации "Социальная поддержка граждан"'
DOC_543 = 'Постановление Правительства Омской области от 12 октября 2022 года № 543-п "О Стратегии социально-экономического развития Омской области до 2030 года"'
DOC_543_AS_PRINTED = 'Постановление Омской области от 12 октября 2022 года № 543-п "О Стратегии социально-экономического развития Омской области до 2030 года"'
DOC_601 = 'Указ Президента Российской Федерации от 7 мая 2012 года № 601 "Об основных направлениях совершенствования системы государственного управления"'
DOC_363 = 'Постановление Правительства Российской Федерации от 29 марта 2019 года № 363 "Об утверждении государственной программы Российской Федерации "Доступная среда", ' + DOC_543[0].lower() + DOC_543[1:]
GOAL1 = "Повышение уровня социального обеспечения граждан – получателей мер социальной поддержки, государственных социальных и страховых гарантий, направленного на рост их благосостояния, исходя из принципов адресности, справедливости и нуждаемости"
GOAL2 = "Формирование безбарьерной среды в Омской области посредством повышения доли доступных для инвалидов и других маломобильных групп населения приоритетных объектов социальной, транспортной, инженерной инфраструктуры"
SRC_MON = "ведомственный мониторинг Минтруда Омской области"

NAMES = {
 1: "Доля граждан, охваченных государственной социальной помощью на основании социального контракта, среднедушевой доход которых (среднедушевой доход семьи которых) превысил величину прожиточного минимума, установленную в субъекте Российской Федерации, по окончании срока действия социального контракта, в общей численности граждан, охваченных государственной социальной помощью на основании социального контракта",
 2: "Доля граждан, получивших социальные услуги в учреждениях социального обслуживания населения, в общем числе граждан, обратившихся за получением социальных услуг в учреждения социального обслуживания населения",
 7: "Уровень удовлетворенности граждан качеством предоставляемых государственных услуг в сфере реализации государственной программы Омской области",
 13: "Число социально ориентированных некоммерческих организаций, осуществляющих деятельность в социальной сфере, получивших финансовую поддержку из областного бюджета",
 16: "Доля доступных для инвалидов и других маломобильных групп населения приоритетных объектов социальной, транспортной, инженерной инфраструктуры в общем количестве приоритетных объектов в Омской области",
}
DOCS = {1: DOC_RF296, 2: DOC_RF296, 3: DOC_RF296, 4: DOC_RF296, 5: DOC_RF296, 6: DOC_543_AS_PRINTED, 7: DOC_601,
        8: DOC_543, 9: DOC_543, 10: DOC_543, 11: DOC_543, 12: DOC_543, 13: "", 14: "", 15: "", 16: DOC_363, 17: DOC_363, 18: DOC_363}

def comp(symbol, description, unit="", source="", formula=""):
    return {"symbol": symbol, "description": description, "unit": unit, "data_source": source, "formula": formula}

# Appendix 1 «Методика расчета» (wording of the seed; only extraction breakage fixed)
METH = {
 1: dict(formula="А / В × 100", formula_text="Дгдп = В / А × 100 %", methodology="Дгдп – доля граждан, охваченных государственной социальной помощью на основании социального контракта, среднедушевой доход которых (среднедушевой доход семьи которых) превысил величину прожиточного минимума, установленную в субъекте Российской Федерации, по окончании срока действия социального контракта, в общей численности граждан, охваченных государственной социальной помощью на основании социального контракта",
         data_source="ведомственный мониторинг Министерства труда и социального развития Омской области (далее – Минтруд Омской области)",
         components=[comp("В", "численность граждан, охваченных государственной социальной помощью на основании социального контракта, социальные контракты у которых закончились и по которым проведена оценка среднедушевого дохода семьи", "человек", SRC_MON),
                     comp("А", "численность охваченных социальным контрактом граждан, среднедушевой доход которых превысил региональную величину прожиточного минимума по окончании социального контракта", "человек", SRC_MON)]),
 2: dict(formula="B / A × 100", formula_text="Dcy = B / A × 100 %", methodology="Dcy – доля граждан, получивших социальные услуги в учреждениях социального обслуживания населения, в общем числе граждан, обратившихся за получением социальных услуг в учреждения социального обслуживания населения",
         data_source='сведения по форме № 3-собес (сводная), по форме № 4-собес (сводная), утвержденным приказом Федеральной службы государственной статистики от 11 сентября 2009 года № 196, сведения по форме № 6-собес (сводная), утвержденной приказом Федеральной службы государственной статистики от 10 ноября 2017 года № 748, сведения централизованной версии отраслевой автоматизированной информационной системы "Электронный социальный регистр населения Омской области"',
         components=[comp("B", "численность граждан, получивших социальные услуги в учреждениях социального обслуживания населения", "человек"),
                     comp("A", "численность граждан, обратившихся за получением социальных услуг в учреждения социального обслуживания населения", "человек")]),
 3: dict(formula="А / В × 100", formula_text="Дгду = В / А × 100 %", methodology="Дгду – доля граждан, среднедушевой доход которых (среднедушевой доход семьи которых) увеличился по окончании срока действия социального контракта в сравнении со среднедушевым доходом этих граждан (семьи) до заключения социального контракта, в общей численности граждан, охваченных государственной социальной помощью на основании социального контракта",
         data_source=SRC_MON,
         components=[comp("В", "численность граждан, охваченных государственной социальной помощью на основании социального контракта, социальные контракты у которых закончились и по которым проведена оценка среднедушевого дохода семьи по окончании социального контракта", "человек", SRC_MON),
                     comp("А", "численность охваченных государственной социальной помощью на основании социального контракта граждан, среднедушевой доход которых увеличился по окончании срока действия социального контракта в сравнении со среднедушевым доходом этих граждан (семьи) до заключения социального контракта", "человек", SRC_MON)]),
 4: dict(formula="В / А × 100", formula_text="Дгохгсп = В / А × 100 %", methodology="Дгохгсп – доля граждан, охваченных государственной социальной помощью на основании социального контракта, в общей численности малоимущих граждан",
         data_source=SRC_MON,
         components=[comp("В", "численность граждан, охваченных государственной социальной помощью на основании социального контракта", "человек", SRC_MON),
                     comp("А", "численность малоимущих граждан на территории Омской области", "человек", SRC_MON)]),
 5: dict(formula="E / D × 100", formula_text="F = E / D × 100 %; D = D1 + D2", methodology="F – доля граждан старше трудоспособного возраста и инвалидов, получивших социальные услуги в организациях социального обслуживания, от общего числа граждан старше трудоспособного возраста и инвалидов в Омской области за отчетный период (ежемесячно)",
         data_source=SRC_MON,
         components=[comp("E", "численность граждан старше трудоспособного возраста и инвалидов, получивших социальные услуги в организациях социального обслуживания Омской области, за отчетный период нарастающим итогом с начала года (ежемесячно)", "человек", "ведомственный мониторинг Минтруда Омской области"),
                     comp("D", "численность граждан старше трудоспособного возраста и инвалидов в Омской области на 1 января отчетного года", "человек", "", "D1 + D2"),
                     comp("D1", "численность граждан, достигших возраста, дающего право на страховую пенсию по старости, в Омской области на 1 января отчетного года", "человек", 'государственная информационная система "Цифровая аналитическая платформа предоставления статистических данных"'),
                     comp("D2", "численность инвалидов с 18 лет и до достижения возраста, дающего право на страховую пенсию по старости, в Омской области на 1 января отчетного года", "человек", 'федеральная государственная информационная система "Федеральный реестр инвалидов"')]),
 6: dict(formula="(Vn / Vo) × 100", formula_text="V = (Vn / Vo) × 100 %", methodology="V – удельный вес негосударственных организаций социального обслуживания в общем количестве организаций социального обслуживания всех форм собственности в отчетном году",
         data_source='информация о негосударственных поставщиках социальных услуг, включенных в реестр поставщиков социальных услуг Омской области в соответствии с Федеральным законом "Об основах социального обслуживания граждан в Российской Федерации", на 31 декабря отчетного года',
         components=[comp("Vn", "общее количество негосударственных поставщиков социальных услуг в реестре поставщиков социальных услуг Омской области в отчетном году", "единиц"),
                     comp("Vo", "общее количество поставщиков социальных услуг в реестре поставщиков социальных услуг Омской области всех форм собственности в отчетном году", "единиц")]),
 7: dict(formula="", formula_text="", methodology="Определяется как уровень удовлетворенности граждан качеством предоставляемых государственных услуг в сфере реализации государственной программы.",
         data_source='автоматизированная информационная система "Информационно-аналитическая система мониторинга качества государственных услуг"', components=[]),
 8: dict(formula="(Vn / Vo) × 100", formula_text="V = (Vn / Vo) × 100 %", methodology="V – степень исполнения социальных обязательств (МСП) в денежном выражении",
         data_source=SRC_MON,
         components=[comp("Vn", "количество граждан, которым назначено предоставление мер социальной поддержки в денежном выражении", "человек"),
                     comp("Vo", "общее количество граждан, имеющих право на получение мер социальной поддержки в денежном выражении в соответствии с федеральным и областным законодательством и обратившихся за их назначением", "человек")]),
 9: dict(formula="", formula_text="", methodology="Определяется как число граждан, получивших услуги в форме социального обслуживания на дому в государственных учреждениях Омской области – комплексных центрах социального обслуживания населения в период с 1 января по 31 декабря отчетного года.",
         data_source="отчеты государственных учреждений социального обслуживания населения об исполнении государственного задания", components=[]),
 10: dict(formula="", formula_text="", methodology="Определяется как число граждан, получивших услуги сиделки в государственных учреждениях Омской области – комплексных центрах социального обслуживания населения в отчетном году.",
         data_source="отчеты государственных учреждений социального обслуживания населения об исполнении государственного задания", components=[]),
 11: dict(formula="(A / C) × 100", formula_text="D = (A/C) × 100 %", methodology="D – доля граждан старше трудоспособного возраста и инвалидов, получающих услуги в рамках системы долговременного ухода, от общего числа граждан старше трудоспособного возраста и инвалидов, нуждающихся в долговременном уходе",
         data_source='информация Территориального органа Федеральной службы государственной статистики по Омской области (шифр 1601 "Половозрастная структура населения"), сведения по форме № 3-собес (сводная), утвержденной приказом Федеральной службы государственной статистики от 11 сентября 2009 года № 196, сведения по форме № 6-собес (сводная), утвержденной приказом Федеральной службы государственной статистики от 10 ноября 2017 года № 748',
         components=[comp("A", "общая численность граждан старше трудоспособного возраста и инвалидов, которым были оказаны социальные услуги в рамках системы долгосрочного ухода в Омской области за отчетный период (ежегодно)", "человек"),
                     comp("C", "общая численность граждан старше трудоспособного возраста и инвалидов, нуждающихся в долгосрочном уходе (лица старше трудоспособного возраста и инвалиды, полностью или частично утратившие способность либо возможность осуществлять самообслуживание, самостоятельно передвигаться, обеспечивать основные жизненные потребности в силу заболевания, травмы, возраста или наличия инвалидности, в том числе получающие социальные услуги и состоящие в очереди на их получение), в Омской области за отчетный период (ежегодно)", "человек")]),
 12: dict(formula="", formula_text="", methodology="Определяется как число несовершеннолетних, прошедших социальную реабилитацию", data_source=SRC_MON, components=[]),
 13: dict(formula="N1СОНКО + N2СОНКО", formula_text="НСОНКО = N1СОНКО + N2СОНКО", methodology="NСОНКО – число социально ориентированных некоммерческих организаций, осуществляющих деятельность в социальной сфере, получивших финансовую поддержку из областного бюджета",
         data_source=SRC_MON,
         components=[comp("N1СОНКО", 'число социально ориентированных некоммерческих организаций, получивших субсидии в рамках реализации постановления Правительства Омской области от 13 марта 2013 года № 43-п "Об утверждении Порядка определения объема и предоставления субсидий социально ориентированным некоммерческим организациям, осуществляющим деятельность в социальной сфере" (далее – постановление № 43-п)', "единиц"),
                     comp("N2СОНКО", "число социально ориентированных некоммерческих организаций, получивших субсидии за счет поступлений из областного бюджета в форме субсидий, предоставленных Минтрудом Омской области органам местного самоуправления Омской области на реализацию мероприятий по финансовой поддержке социально ориентированных некоммерческих организаций муниципальных программ (подпрограмм) по поддержке социально ориентированных некоммерческих организаций (за исключением социально ориентированных некоммерческих организаций, получивших субсидии в рамках постановления № 43-п)", "единиц")]),
 14: dict(formula="ОПтэ / Птэ", formula_text="Утэ = ОПтэ / Птэ", methodology="Утэ – удельный расход тепловой энергии зданиями и помещениями социального обслуживания населения государственных (муниципальных) организаций, находящихся в ведении органов государственной власти Омской области (органов местного самоуправления)",
         data_source=SRC_MON,
         components=[comp("ОПтэ", "объем годового потребления тепловой энергии зданиями и помещениями социального обслуживания населения государственных (муниципальных) организаций, находящихся в ведении органов государственной власти Омской области (органов местного самоуправления)", "Г кал"),
                     comp("Птэ", "площадь, занимаемая зданиями и помещениями социального обслуживания населения государственных (муниципальных) организаций, находящихся в ведении органов государственной власти Омской области (органов местного самоуправления)", "кв.м")]),
 15: dict(formula="ОПээ / Пээ", formula_text="Уээ = ОПээ / Пээ", methodology="Уээ – удельный расход электрической энергии зданиями и помещениями социального обслуживания населения государственных (муниципальных) организаций, находящихся в ведении органов государственной власти Омской области (органов местного самоуправления)",
         data_source=SRC_MON,
         components=[comp("ОПээ", "объем годового потребления электрической энергии зданиями и помещениями социального обслуживания населения государственных (муниципальных) организаций, находящихся в ведении органов государственной власти Омской области (органов местного самоуправления)", "кВт.ч"),
                     comp("Пээ", "площадь, занимаемая зданиями и помещениями социального обслуживания населения государственных (муниципальных) организаций, находящихся в ведении органов государственной власти Омской области (органов местного самоуправления)", "кв.м")]),
 16: dict(formula="(A / C) × 100", formula_text="D = (A/B) × 100 %", methodology="D – доля доступных для инвалидов и других МГН приоритетных объектов социальной, транспортной, инженерной инфраструктуры. В формуле документа знаменатель обозначен B, в расшифровке — C; расчет ведется по расшифровке (C).",
         data_source=SRC_MON,
         components=[comp("A", "общее количество доступных приоритетных объектов социальной, транспортной, инженерной инфраструктуры", "единиц"),
                     comp("C", "общее количество приоритетных объектов социальной, транспортной, инженерной инфраструктуры", "единиц")]),
 17: dict(formula="(A / B) × 100", formula_text="D = (A/B) × 100 %", methodology="D – доля инвалидов, в отношении которых осуществлялись мероприятия по реабилитации и (или) абилитации, в общей численности инвалидов Омской области, имеющих такие рекомендации в индивидуальной программе реабилитации или абилитации (взрослые)",
         data_source="внутриведомственный мониторинг Минтруда Омской области",
         components=[comp("A", "число инвалидов (взрослых) Омской области, в отношении которых осуществлялись мероприятия по реабилитации и (или) абилитации", "человек"),
                     comp("B", "общее число инвалидов (взрослых) Омской области, имеющих такие рекомендации в индивидуальной программе реабилитации или абилитации", "человек")]),
 18: dict(formula="(A / B) × 100", formula_text="D = (A/B) × 100 %", methodology="D – доля инвалидов, в отношении которых осуществлялись мероприятия по реабилитации и (или) абилитации, в общей численности инвалидов Омской области, имеющих такие рекомендации в индивидуальной программе реабилитации или абилитации (дети)",
         data_source=SRC_MON,
         components=[comp("A", "число инвалидов (детей) Омской области, в отношении которых осуществлялись мероприятия по реабилитации и (или) абилитации", "человек"),
                     comp("B", "общее число инвалидов (детей) Омской области, имеющих такие рекомендации в индивидуальной программе реабилитации или абилитации", "человек")]),
}

def dec_places(texts):
    m = 0
    for t in texts:
        if "," in t:
            m = max(m, len(t.split(",")[1]))
    return m

UNIT_CODE = {"процентов": "744", "процент": "744", "человек": "792", "единиц": "642"}
indicators = []
for n, cols in enumerate(rows, start=1):
    name = NAMES.get(n) or cols[1].strip()
    unit = cols[3].strip()
    base = cols[4].strip()
    years = [c.strip() for c in cols[6:13]]
    level = re.sub(r"\s*<sup>.*?</sup>", "", cols[2]).strip()
    percent = UNIT_CODE.get(unit) == "744"
    decimals = max(dec_places([base] + years), 1 if percent else 0)
    m = METH[n]
    consolidation = "recompute" if m["formula"] else ("sum" if UNIT_CODE.get(unit) in ("792", "642") else "none")
    indicators.append({
        "code": str(n), "name": name, "goal": GOAL1 if n <= 15 else GOAL2, "level": "" if level == "-" else level,
        "unit": unit, "unit_code": UNIT_CODE.get(unit, ""), "direction": "increasing", "decimals": decimals,
        "base_value": base.replace(",", "."), "base_year": int(cols[5]),
        "plan": {str(2024 + i): y.replace(",", ".") for i, y in enumerate(years) if y != "-"},
        "source_document": DOCS[n], "responsible": "Минтруд",
        "responsible_text": cols[14].replace("Мин-труд", "Минтруд").strip(),
        "national_goal": "" if cols[15].strip() == "-" else cols[15].strip(),
        "consolidation": consolidation, "formula": m["formula"], "formula_text": m["formula_text"],
        "methodology": m["methodology"], "data_source": m["data_source"], "components": m["components"],
        "plan_mode": "entered",
    })
# programme row numbering in the passport restarts for goal 2: keep its printed number as a note
for ind, cols in zip(indicators, rows):
    ind["passport_no"] = cols[0]

fin_lines = []
start = next(i for i, l in enumerate(lines) if l.startswith("## 4. Финансовое обеспечение"))
for ln in lines[start:start + 12]:
    cols = ln.split("\t")
    if len(cols) >= 10 and re.fullmatch(r"\d+(\.\d+)*", cols[0]) and not cols[1].strip().isdigit():
        amounts = [c.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".") for c in cols[2:10]]
        code = cols[0]
        parent = code.rsplit(".", 1)[0] if "." in code else ""
        fin_lines.append({"code": code, "name": cols[1].strip(), "parent": parent,
                          "for_reference": "справочно" in cols[1], "total": amounts[0],
                          "years": {str(2024 + i): a for i, a in enumerate(amounts[1:])}})
assert len(fin_lines) == 5

programme = {
    "code": "ГП-СПН",
    "name": 'Государственная программа Омской области "Социальная поддержка населения"',
    "approved_by": 'постановление Правительства Омской области от 28 октября 2023 года № 570-п "Об утверждении государственной программы Омской области "Социальная поддержка населения"',
    "period_from": 2024, "period_to": 2030,
    "curator": "Куприянов Владимир Васильевич – заместитель Председателя Правительства Омской области, Министр труда и социального развития Омской области",
    "responsible_executor": "Куприянов Владимир Васильевич – заместитель Председателя Правительства Омской области, Министр труда и социального развития Омской области",
    "co_executors": "Куприянов Владимир Васильевич – заместитель Председателя Правительства Омской области, Министр труда и социального развития Омской области",
    "goals": [GOAL1, "Формирование безбарьерной среды в Омской области посредством повышения доли доступных для инвалидов и других маломобильных групп населения приоритетных объектов"],
    "subprogrammes": ['Подпрограмма 1 "Повышение эффективности оказания социальной поддержки гражданам, проживающим на территории Омской области, повышение качества и доступности социального обслуживания населения Омской области"', 'Подпрограмма 2 "Доступная среда"'],
    "national_goals": 'Сохранение населения, здоровье и благополучие людей / снижение уровня бедности в два раза по сравнению с показателем 2017 года, повышение ожидаемой продолжительности жизни до 78 лет / государственная программа Российской Федерации "Социальная поддержка граждан", утвержденная постановлением Правительства Российской Федерации от 15 апреля 2014 года № 296, государственная программа Российской Федерации "Доступная среда", утвержденная постановлением Правительства Российской Федерации от 29 марта 2019 года № 363',
    "total_financing": "128622499874.82",
    "responsible": "Минтруд",
    "financing": fin_lines,
    "form": {"code": "ГП", "name": 'Показатели государственной программы Омской области "Социальная поддержка населения"',
             "source_document": "Раздел 1, пункт 2 «Показатели государственной программы Омской области»; приложение № 1 «Методика расчета показателей государственной программы»",
             "territorial": True},
    "indicators": indicators,
    "notes": {"2": '"ГП РФ" – показатели государственной программы Российской Федерации.', "3": '"ФП вне НП" – показатели федерального проекта, не входящего в состав национального проекта'},
}
(OUT / "programme.json").write_text(json.dumps(programme, ensure_ascii=False, indent=1), encoding="utf-8")
print("programme ok", len(indicators))

# ---------------- seed 001: НОК target indicators (values parsed from the seed table)
l001 = (SEEDS / "001_30047ea4ca5967a0.txt").read_text(encoding="utf-8").splitlines()
nok_rows = {}
order = []
for ln in l001[14:40]:
    cols = ln.split("\t")
    if cols[0] and re.fullmatch(r"\d+(\.\d+)?", cols[0]) and len(cols) >= 6:
        nok_rows[cols[0]] = cols
        order.append(cols[0])
    elif cols[0] == "" and len(cols) > 1 and order and cols[1].strip() and not cols[1].startswith("Целевые"):
        nok_rows[order[-1]][1] += " " + cols[1].strip()
assert order == ["1", "1.1", "1.2", "2", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "3", "4", "5", "6", "7"], order

def nok_value(text):
    t = text.strip()
    if t in ("-", ""):
        return None
    q = ""
    if t.startswith("не менее"):
        q, t = "не менее", t[len("не менее"):].strip()
    if t in ("да", "нет"):
        return {"value": "1" if t == "да" else "0", "qualifier": q}
    return {"value": t.replace(",", "."), "qualifier": q}

nok = []
for code in order:
    cols = nok_rows[code]
    name = cols[1].strip()
    unit, unit_code, kind = "единиц", "642", "number"
    m = re.search(r"\((ед\.|%|да/нет)\)", name)
    if "(%)" in name:
        unit, unit_code = "процентов", "744"
    elif "(да/нет)" in name:
        unit, unit_code, kind = "да/нет", "", "yesno"
    values = {}
    for year, text, vk in ((2023, cols[2], "fact"), (2024, cols[3], "fact"), (2025, cols[4], "plan"), (2026, cols[5], "plan")):
        v = nok_value(text)
        if v:
            values[f"{vk}:{year}"] = v
    ind = {"code": code, "parent_code": code.split(".")[0] if "." in code else "", "name": name, "unit": unit,
           "unit_code": unit_code, "value_kind": kind, "decimals": 1 if code == "4" else 0, "direction": "increasing",
           "consolidation": "none", "values": values, "responsible": "Минтруд",
           "responsible_text": "Министерство труда и социального развития Омской области"}
    if code == "4":
        ind.update(formula="стр.2/стр.1*100", formula_text="(стр.2/стр.1*100)", plan_mode="computed",
                   methodology="Доля организаций, в отношении которых проведена независимая оценка в отчетном году, в общем количестве организаций: строка 2, деленная на строку 1, умноженная на 100.")
        ind["values"] = {}  # computed from rows 1 and 2; the printed values are checked by the tests
        ind["printed"] = {"2023": cols[2], "2024": cols[3], "2025": cols[4], "2026": cols[5]}
    nok.append(ind)

nok_form = {"code": "НОК", "name": "Целевые показатели реализации Плана по организации проведения независимой оценки качества условий оказания услуг организациями социального обслуживания на 2025 – 2026 годы",
            "source_document": 'План Министерства труда и социального развития Омской области по организации проведения независимой оценки качества условий оказания услуг организациями, оказывающими услуги в сфере социального обслуживания, на 2025 – 2026 годы (утвержден Министром труда и социального развития Омской области И.П. Варнавской 23 декабря 2024 года), раздел 1 «Целевые показатели реализации Плана»',
            "territorial": False, "territory": "Омская область", "indicators": nok,
            "rules": [
                {"code": "НОК.1", "left": "[1]", "op": "=", "right": "[1.1] + [1.2]", "title": "стр. 1 = стр. 1.1 + стр. 1.2", "severity": "ошибка"},
                {"code": "НОК.2", "left": "[2]", "op": "=", "right": "[2.1] + [2.2] + [2.3] + [2.4] + [2.5] + [2.6] + [2.7]", "title": "стр. 2 = стр. 2.1 + … + стр. 2.7", "severity": "ошибка"},
                {"code": "НОК.3", "left": "[2]", "op": "≤", "right": "[1]", "title": "стр. 2 не больше стр. 1 (оценено не больше, чем всего организаций)", "severity": "ошибка"},
            ]}

# ---------------- seed 002: effectiveness indicators (Appendix 3)
l002 = (SEEDS / "002_4a0b4b1e336f2476.txt").read_text(encoding="utf-8").splitlines()
start = next(i for i, l in enumerate(l002) if l.startswith("Таблица показателей"))
end = next(i for i, l in enumerate(l002) if i > start and l.startswith("Приложение № 4"))
block = l002[start:end]
goals, entries = {}, []
goal_no, goal_name, itype = "", "", ""
i = 0
TYPES = ("Процесс", "Промежуточный результат", "Итоговый результат")
cells = [c.strip() for c in "\n".join(block).split("\t")]
# walk cell by cell: the extraction puts one cell per tab
k = 0
while k < len(cells):
    c = cells[k]
    if re.fullmatch(r"\d\.", c) and k + 1 < len(cells):
        goal_no, goal_name = c[:-1], cells[k + 1].strip()
        k += 2
        continue
    if c in TYPES or (c == "" and k + 1 < len(cells) and goal_no and cells[k + 1].strip().startswith(("из них", "Количество потребителей"))):
        if c in TYPES:
            itype = c
        name = cells[k + 1].replace("\n", " ").strip()
        name = re.sub(r"\s+,", ",", re.sub(r"\s+", " ", name))
        entries.append({"goal_no": goal_no, "goal": goal_name, "type": itype if c in TYPES else itype, "name": name,
                        "sub": c == ""})
        k += 2
        continue
    k += 1

eff = []
counters = {}
for e in entries:
    counters[e["goal_no"]] = counters.get(e["goal_no"], 0) + 1
    code = f"{e['goal_no']}.{counters[e['goal_no']]}"
    low = e["name"].casefold()
    if low.endswith("единиц"):
        unit, uc = "единиц", "642"
    elif low.endswith("человек"):
        unit, uc = "человек", "792"
    elif low.endswith("процент") or low.startswith(("доля", "процент")):
        unit, uc = "процентов", "744"
    else:
        unit, uc = "", ""
    eff.append({"code": code, "name": e["name"], "goal": e["goal"], "indicator_type": e["type"], "unit": unit,
                "unit_code": uc, "decimals": 1 if uc == "744" else 0, "direction": "increasing",
                "consolidation": "none", "base_year": 2023, "target_year": 2024,
                "responsible": "Администрация города Омска", "responsible_text": "Департамент образования Администрации города Омска"})
eff_form = {"code": "МСЗ", "name": "Показатели эффективности реализации мероприятий, проводимых в рамках апробации механизмов организации оказания муниципальных услуг при формировании муниципального социального заказа на территории города Омска",
            "source_document": "Постановление Администрации города Омска, приложение № 3 «Таблица показателей эффективности реализации мероприятий, проводимых в рамках апробации механизмов организации оказания муниципальных услуг при формировании муниципального социального заказа на территории города Омска по направлению деятельности «реализация дополнительных образовательных программ (за исключением дополнительных предпрофессиональных программ в области искусств)»",
            "territorial": False, "territory": "город Омск", "indicators": eff, "rules": []}
(OUT / "forms.json").write_text(json.dumps([nok_form, eff_form], ensure_ascii=False, indent=1), encoding="utf-8")
print("forms ok", len(nok), len(eff))

# ---------------- demo district values for 2024 (form ГП): deterministic, clearly demo figures
terrs = [l.strip() for l in (SEEDS.parent / "reference" / "omsk-territories.txt").read_text(encoding="utf-8").splitlines()
         if l.strip() and not l.startswith("#")][1:]
MISSING = {"Усть-Ишимский муниципальный район", "Тевризский муниципальный район"}
REASONS = ["Снижение численности граждан, обратившихся за предоставлением мер социальной поддержки",
           "Рост численности получателей в связи с переездом граждан из соседних районов",
           "Изменение методики ведомственного мониторинга в отчетном году",
           "Увеличение числа заключенных социальных контрактов по итогам информационной кампании"]

def rnd(*key):
    h = hashlib.sha256("|".join(map(str, key)).encode()).digest()
    return int.from_bytes(h[:8], "big") / 2**64

def q(v, places):
    return Decimal(v).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)

out = []
for t in terrs:
    scale = 12 if t == "город Омск" else 1
    for ind in indicators:
        code = ind["code"]
        plan = Decimal(ind["plan"].get("2024", ind["base_value"]))
        if code == "7":
            continue
        if not ind["formula"]:
            share = Decimal(scale) / Decimal(44)
            dplan = q(plan * share, 0)
            fact = q(dplan * Decimal(0.93 + rnd(t, code) * 0.12), 0)
            out.append([t, "ГП", code, "", 2024, "plan", str(dplan), ""])
            if t not in MISSING:
                comment = REASONS[int(rnd(t, code, "r") * 4)] if abs(fact - dplan) > dplan * Decimal("0.1") else ""
                out.append([t, "ГП", code, "", 2024, "fact", str(fact), comment])
            continue
        out.append([t, "ГП", code, "", 2024, "plan", str(plan), ""])
        if t in MISSING:
            continue
        syms = [c["symbol"] for c in ind["components"] if not c["formula"]]
        factor = Decimal(0.82 + rnd(t, code) * 0.26)
        if code == "13":
            out.append([t, "ГП", code, "N1СОНКО", 2024, "fact", str(int(1 + rnd(t, 13, 1) * 2 * scale)), ""])
            out.append([t, "ГП", code, "N2СОНКО", 2024, "fact", str(int(1 + rnd(t, 13, 2) * 2 * scale)), ""])
            continue
        if code == "5":
            d1 = int((6000 + rnd(t, 5, 1) * 9000) * scale)
            d2 = int((800 + rnd(t, 5, 2) * 900) * scale)
            e = int((d1 + d2) * plan / 100 * factor)
            out += [[t, "ГП", code, "E", 2024, "fact", str(e), ""], [t, "ГП", code, "D1", 2024, "fact", str(d1), ""],
                    [t, "ГП", code, "D2", 2024, "fact", str(d2), ""]]
            continue
        num, den = syms[0], syms[1]
        if code in ("1", "3"):  # erratum ГП-1/ГП-3 (resources/reference/methodology_errata.json): А / В
            num, den = den, num
        if code in ("14", "15"):
            area = int((3000 + rnd(t, code, "a") * 9000) * scale)
            cons = q(Decimal(area) * plan * Decimal(0.97 + rnd(t, code, "c") * 0.06), 1)
            out += [[t, "ГП", code, num, 2024, "fact", str(cons), ""], [t, "ГП", code, den, 2024, "fact", str(area), ""]]
            continue
        denom = int((150 + rnd(t, code, "d") * 1200) * scale)
        numer = min(int(denom * plan / 100 * factor), denom)
        comment = ""
        if abs(factor - 1) > Decimal("0.1"):
            comment = REASONS[int(rnd(t, code, "r") * 4)]
        out += [[t, "ГП", code, num, 2024, "fact", str(numer), comment], [t, "ГП", code, den, 2024, "fact", str(denom), ""]]
out.append(["Омская область", "ГП", "7", "", 2024, "fact", "95.12", ""])
for ind in indicators:
    for year, value in ind["plan"].items():
        out.append(["Омская область", "ГП", ind["code"], "", int(year), "plan", value, ""])
with open(OUT / "values.csv", "w", encoding="utf-8", newline="") as fh:
    w = csv.writer(fh)
    w.writerow(["territory", "form", "indicator", "component", "year", "kind", "value", "comment"])
    w.writerows(out)
with open(OUT / "states.csv", "w", encoding="utf-8", newline="") as fh:
    w = csv.writer(fh)
    w.writerow(["form", "territory", "year", "state"])
    for n, t in enumerate(terrs):
        w.writerow(["ГП", t, 2024, "draft" if t in MISSING else ("submitted" if n % 5 == 4 else "accepted")])
    for y in (2023, 2024):
        w.writerow(["НОК", "Омская область", y, "accepted"])
print("values", len(out))

# ---- post-process: every district fact deviating from its plan by more than 10 % carries a reason
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "src"))
from socplan.domain.indicators import IndicatorDef, compute_sheet, comment_required
rows = list(csv.reader(open(OUT / "values.csv", encoding="utf-8")))
header, body = rows[0], rows[1:]
defs = [IndicatorDef(i["code"], i["formula"], {c["symbol"]: c["formula"] for c in i["components"]}, i["decimals"])
        for i in indicators]
by_terr = {}
for n, r in enumerate(body):
    by_terr.setdefault(r[0], []).append(n)
for t, idx in by_terr.items():
    if t == "Омская область":
        continue
    entered = {(body[n][2], body[n][3], body[n][5]): Decimal(body[n][6]) for n in idx if body[n][1] == "ГП"}
    got = compute_sheet(defs, entered)
    for d in defs:
        plan, fact = got[(d.code, "", "plan")].value, got[(d.code, "", "fact")].value
        has = any(body[n][2] == d.code and body[n][7] for n in idx)
        if comment_required(plan, fact) and not has:
            target = next(n for n in idx if body[n][2] == d.code and body[n][5] == "fact")
            body[target][7] = REASONS[int(rnd(t, d.code, "p") * 4)]
        if not comment_required(plan, fact) and has:
            for n in idx:
                if body[n][2] == d.code:
                    body[n][7] = ""
with open(OUT / "values.csv", "w", encoding="utf-8", newline="") as fh:
    w = csv.writer(fh)
    w.writerow(header)
    w.writerows(body)
print("comments", sum(1 for r in body if r[7]))

# ---------------- seed 003, Appendix 11: methodology of the events' results (form РМ)

lines = (SEEDS / "003_eb4913c20dfd368d.txt").read_text(encoding="utf-8").splitlines()
start = next(i for i, l in enumerate(lines) if l.startswith("**МЕТОДИКА РАСЧЕТА**"))
end = next(i for i, l in enumerate(lines) if i > start and l.startswith("## ПОРЯДОК"))

def clean(text):
    t = re.sub(r"</?(p|b|math)>", " ", text)
    t = t.replace("$", " ")
    t = re.sub(r"\\frac\{([^}]*)\}\{([^}]*)\}", r"\1 / \2", t)
    t = re.sub(r"\\text\{([^}]*)\}", r"\1", t)
    t = t.replace("\\times", "×").replace("\\%", "%").replace("_{", "").replace("}", "").replace("{", "")
    t = re.sub(r"\s+", " ", t).strip()
    t = re.sub(r"\s+([,.;:])", r"\1", t)
    return t

results, group, sub = [], "", ""
for ln in lines[start:end]:
    cols = ln.split("\t")
    if not ln.strip() or cols[0].startswith("№ п/п"):
        continue
    if re.fullmatch(r"\d+", cols[0]) and len(cols) >= 4:
        results.append({"code": cols[0], "name": clean(cols[1]), "unit": clean(cols[2]), "type": clean(cols[3]),
                        "methodology": clean(cols[4]) if len(cols) > 4 else "", "group": group, "subprogramme": sub})
        continue
    if cols[0].strip() and not cols[0].startswith("**"):
        title = clean(cols[0])
        if title.startswith("Подпрограмма"):
            sub, group = title, ""
        elif title.startswith(("Комплекс процессных", "Региональный проект")):
            group = title
        continue
    if cols[0] == "" and results:
        last = results[-1]
        if len(cols) > 1 and cols[1].strip():
            last["name"] = clean(last["name"] + " " + cols[1])
        if len(cols) > 4 and cols[4].strip():
            last["methodology"] = clean(last["methodology"] + " " + cols[4])

UNITS = {"процентов": "744", "человек": "792", "единиц": "642"}
out = []
for r in results:
    m = re.search(r"(\S+) = \(?(\S+?) ?/ ?(\S+?)\)? × 100 ?%", r["methodology"])
    formula, formula_text, comps = "", "", []
    if m:
        formula_text = m.group(0)
        num, den = m.group(2), m.group(3)
        if re.fullmatch(r"[\wА-Яа-яЁё]+", num) and re.fullmatch(r"[\wА-Яа-яЁё]+", den):
            formula = f"{num} / {den} × 100"
            if formula_text.startswith(("Дгдп", "Дгду ")):  # errata РМ-53/РМ-54: А / В (see ГП-1/ГП-3)
                formula = f"{den} / {num} × 100"
            for sym in (num, den):
                d = re.search(re.escape(sym) + r" – (.+?)(?:;| Источник|$)", r["methodology"])
                comps.append({"symbol": sym, "description": d.group(1).strip() if d else "", "unit": "",
                              "data_source": "", "formula": ""})
    out.append({"code": r["code"], "name": r["name"], "goal": r["group"] or r["subprogramme"], "unit": r["unit"],
                "unit_code": UNITS.get(r["unit"], ""), "indicator_type": "результат мероприятия",
                "direction": "decreasing" if r["type"].casefold().startswith("убыв") else "increasing",
                "decimals": 1 if r["unit"] == "процентов" else 0, "consolidation": "recompute" if formula else "none",
                "formula": formula, "formula_text": formula_text, "methodology": r["methodology"],
                "components": comps, "responsible": "Минтруд", "responsible_text": "Минтруд Омской области"})
codes = [int(r["code"]) for r in out]
print(len(out), codes[:5], codes[-3:], sum(1 for r in out if r["formula"]), sorted(set(range(1, 98)) - set(codes)))
form = {"code": "РМ", "name": 'Результаты реализации мероприятий государственной программы Омской области "Социальная поддержка населения"',
        "source_document": 'Приложение № 11 к государственной программе Омской области "Социальная поддержка населения" «Методика расчета результатов реализации мероприятий государственной программы»',
        "territorial": False, "territory": "Омская область", "indicators": out, "rules": []}
p = OUT / "forms.json"
forms = json.loads(p.read_text(encoding="utf-8"))
forms = [f for f in forms if f["code"] != "РМ"] + [form]
p.write_text(json.dumps(forms, ensure_ascii=False, indent=1), encoding="utf-8")
