"""The constants of the rules are the seed's: rating coefficients and points (App. 12 §11), the score threshold
(§12), the 70 % ceiling (§17), Dср 87 % / 90 % (App. 13 §12)."""

from __future__ import annotations

import re
from decimal import Decimal as D

from socplan.domain.subsidies import app12, app13


def _seed(seeds_dir) -> str:  # noqa: ANN001
    return next(seeds_dir.glob("003_*.txt")).read_text(encoding="utf-8")


def test_rating_table_coefficients_and_points_are_the_seeds(seeds_dir) -> None:  # noqa: ANN001
    text = _seed(seeds_dir)
    start = text.index("Показателями и коэффициентами значимости показателей рейтинговой оценки являются")
    table = text[start:text.index("12. Критериями отбора являются", start)]
    rows = {}
    for line in table.splitlines():
        cells = line.split("\t")
        if len(cells) >= 4 and re.fullmatch(r"\d(\.\d)?", cells[0]) and re.fullmatch(r"0,\d\d", cells[2]):
            rows[cells[0]] = (D(cells[2].replace(",", ".")), cells[3])
    assert set(rows) == {i.code for i in app12.RATING_ITEMS}
    for item in app12.RATING_ITEMS:
        coefficient, points = rows[item.code]
        assert item.coefficient == coefficient, item.code
        for number in re.findall(r"\d+(?= баллов)", points):
            assert number in item.rule, (item.code, number)
    assert "оценивается в 0 баллов" in table


def test_thresholds_are_the_seeds(seeds_dir) -> None:  # noqa: ANN001
    text = " ".join(_seed(seeds_dir).split())
    assert "рейтинговой оценки в размере не менее 20" in text and app12.SCORE_THRESHOLD == 20
    assert "составляет не более 70 процентов" in text and app12.COFINANCING_CEILING == D("0.70")
    assert "87 процентов для муниципальных районов (городского округа)" in text
    assert "90 процентов для городских, сельских поселений" in text
    assert (app13.AVERAGE_RATE_DISTRICT, app13.AVERAGE_RATE_SETTLEMENT) == (D("0.87"), D("0.90"))
    assert "C_i = 0,3 \\times C / N + 0,3 \\times C \\times V_i / B" in text  # the «/B» read as V (issue 7)
