"""Quorum, voting, numbering and «(далее – …)» rules (seed 002 Appendix 4, seed 000)."""

from __future__ import annotations

import datetime as dt

import pytest

from socplan.domain import protocols as rules
from socplan.domain.errors import ValidationErrors


def test_quorum_at_least_half_of_twelve_members() -> None:
    # Appendix 4 §5.6 with the 12 members of Appendix 5: 6 present is enough, 5 is not
    assert rules.quorum_required(12) == 6
    assert rules.quorum_status(12, 6).reached
    assert not rules.quorum_status(12, 5).reached
    assert rules.quorum_required(11) == 6  # half of 11 is 5,5 → at least 6
    assert rules.quorum_required(12, rules.QuorumRule(strict=True)) == 7  # «более половины»
    assert "Кворума нет: присутствуют 5 из 12" in rules.quorum_status(12, 5).text()


def test_decision_needs_half_of_those_present() -> None:
    q = rules.quorum_status(12, 8)
    assert rules.decision_outcome(rules.Votes(4, 3, 1), 8, q).code == rules.OUTCOME_ADOPTED
    assert rules.decision_outcome(rules.Votes(3, 2, 3), 8, q).code == rules.OUTCOME_REJECTED


def test_tie_decided_by_chair_present() -> None:
    q = rules.quorum_status(12, 8)
    adopted = rules.decision_outcome(rules.Votes(4, 4, 0), 8, q, presiding_role=rules.ROLE_CHAIR,
                                     presiding_vote=rules.VOTE_FOR)
    rejected = rules.decision_outcome(rules.Votes(4, 4, 0), 8, q, presiding_role=rules.ROLE_CHAIR,
                                      presiding_vote=rules.VOTE_AGAINST)
    assert adopted.adopted and "председателя" in adopted.explanation
    assert not rejected.adopted


def test_tie_with_chair_absent_decided_by_presiding_deputy() -> None:
    q = rules.quorum_status(12, 6)
    out = rules.decision_outcome(rules.Votes(3, 3, 0), 6, q, presiding_role=rules.ROLE_DEPUTY,
                                 presiding_vote=rules.VOTE_FOR)
    assert out.adopted and "заместителя председателя" in out.explanation


def test_tie_without_chair_or_deputy_presiding_is_not_adopted() -> None:
    q = rules.quorum_status(12, 6)
    out = rules.decision_outcome(rules.Votes(3, 3, 0), 6, q, presiding_role=rules.ROLE_MEMBER,
                                 presiding_vote=rules.VOTE_FOR)
    assert out.code == rules.OUTCOME_REJECTED and "решающего голоса нет" in out.explanation


def test_no_quorum_no_decision_and_votes_bounded_by_present() -> None:
    q = rules.quorum_status(12, 4)
    assert rules.decision_outcome(rules.Votes(4, 0, 0), 4, q).code == rules.OUTCOME_NO_QUORUM
    with pytest.raises(ValidationErrors, match="Проголосовало 9, а присутствуют только 8"):
        rules.decision_outcome(rules.Votes(5, 3, 1), 8, rules.quorum_status(12, 8))


def test_numbering_as_in_seed_000() -> None:
    assert rules.protocol_point_label(2, 5) == "пункт 5 вопроса №\u00a02"
    assert rules.protocol_point_label(4, 2, 1) == "подпункт 1 пункта 2 вопроса №\u00a04"
    assert rules.question_label(4) == "Вопрос №\u00a04"
    assert rules.decision_number(2) == "2." and rules.decision_number(2, 1) == "1)"
    assert rules.next_point([(1, None), (2, None), (2, 1)]) == (3, None)
    assert rules.next_point([(1, None), (2, None), (2, 1)], point=2) == (2, 2)
    with pytest.raises(Exception, match="уже есть подпункт 1 пункта 2"):
        rules.validate_numbering([(2, 1), (2, 1)])


def test_further_abbreviation_first_mention_then_short() -> None:
    names = rules.AbbreviationRenderer()
    mintrud = rules.Named("Министерство труда и социального развития Омской области", "Минтруд")
    minobr = rules.Named("Министерство образования Омской области", "Минобразования")
    city = rules.Named("Администрация города Омска", "Администрация города Омска")
    local = rules.Named(text="органы местного самоуправления Омской области")
    assert names.items([mintrud]) == "Министерство труда и социального развития Омской области (далее – Минтруд)"
    assert names.items([minobr, mintrud, city, local]) == (
        "Министерство образования Омской области (далее – Минобразования), Минтруд, Администрация города Омска, "
        "органы местного самоуправления Омской области")
    joint = rules.Named(mintrud.full, mintrud.short, "совместно с органами исполнительной власти Омской области")
    assert names.item(joint) == "Минтруд совместно с органами исполнительной власти Омской области"


def test_responsibles_wording_read_back_into_organisations() -> None:
    known = {"Министерство здравоохранения Омской области": 5, "Минздрав": 5, "Минтруд": 1,
             "Министерство по делам молодежи, физической культуры и спорта Омской области": 3, "Минспорт": 3}
    parts = rules.split_responsibles(
        "Министерство по делам молодежи, физической культуры и спорта Омской области (далее – Минспорт), Минтруд, "
        "Министерство здравоохранения Омской области\n(далее – Минздрав), органы местного самоуправления", known)
    assert [(p.key, p.text) for p in parts] == [(3, ""), (1, ""), (5, ""), (None, "органы местного самоуправления")]
    joint = rules.split_responsibles("Минтруд совместно с органами исполнительной власти Омской области", known)
    assert joint[0].key == 1 and joint[0].suffix == "совместно с органами исполнительной власти Омской области"


def test_meeting_validation_messages() -> None:
    base = dict(date=dt.date(2023, 5, 10), founded=dt.date(2023, 3, 1), member_ids_active=[1, 2, 3])
    with pytest.raises(ValidationErrors, match="дважды"):
        rules.validate_meeting(rules.MeetingCheck(member_ids_present=[1, 1], **base))
    with pytest.raises(ValidationErrors, match=r"Присутствующих членов \(4\) больше, чем членов в составе"):
        rules.validate_meeting(rules.MeetingCheck(member_ids_present=[1, 2, 3, 4], **base))
    with pytest.raises(ValidationErrors, match="раньше даты создания органа"):
        rules.validate_meeting(rules.MeetingCheck(dt.date(2023, 1, 10), dt.date(2023, 3, 1), [1], [1, 2, 3]))
    with pytest.raises(Exception, match="без текста"):
        rules.validate_decision_text("  ")
    rules.validate_meeting(rules.MeetingCheck(member_ids_present=[1, 2], **base))


def test_overdue_and_due_soon() -> None:
    today = dt.date(2022, 4, 10)
    assert rules.is_overdue(rules.STATUS_ON_CONTROL, dt.date(2022, 4, 4), today)
    assert not rules.is_overdue(rules.STATUS_DONE, dt.date(2022, 4, 4), today)
    assert rules.is_due_soon(rules.STATUS_POSTPONED, dt.date(2022, 4, 13), today)
    assert rules.execution_cell(rules.STATUS_DONE, "Текст") == "Выполнено.\nТекст"
