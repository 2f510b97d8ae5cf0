"""Russian names of the exchanged fields and of their coded values: the import preview never shows an internal
name (``changed_by``, ``increasing``) to a user."""

from __future__ import annotations

from socplan.domain.deadlines import DeadlineKind
from socplan.domain.indicators import Consolidation, Direction
from socplan.domain.plans import PLAN_KINDS, PlanStatus
from socplan.domain.subsidies.common import PROCEDURES

FIELD_NAMES = {
    "activity_matches_goal": "Деятельность соответствует целям", "anchor_date": "Дата события",
    "application": "Заявка", "approval_date": "Дата утверждения", "approval_name": "Утверждает (ФИО)",
    "approval_position": "Утверждает (должность)", "approval_word": "Гриф утверждения",
    "average_rate_district": "Средний уровень (районы)", "average_rate_settlement": "Средний уровень (поселения)",
    "base_value": "Базовое значение", "base_year": "Базовый год", "basis": "Основание",
    "changed_by": "Кто изменил", "comment_threshold": "Отклонение, требующее пояснения", "commission": "Комиссия",
    "commission_active": "Комиссия действует", "consolidation": "Свод по районам", "data_source": "Источник данных",
    "deadline_kind": "Вид срока", "decimals": "Знаков после запятой", "description": "Описание",
    "direction": "Направленность", "distribute_remainder_fully": "Распределять остаток полностью",
    "first_name": "Имя", "form_ok": "Форма заявки соблюдена", "formula": "Формула",
    "formula_text": "Формула (текст)", "goal": "Цель", "has_municipal_programme": "Есть муниципальная программа",
    "high_threshold": "Порог «высокий»", "indicator_type": "Тип показателя",
    "infrastructure_event": "Мероприятие по инфраструктуре", "last_name": "Фамилия", "level": "Уровень",
    "local_funds_cofinanced": "Софинансирование из местного бюджета", "max_value": "Наибольшее значение",
    "methodology": "Методика расчёта", "middle_name": "Отчество", "min_value": "Наименьшее значение",
    "national_project": "Национальный проект", "needs_accessibility": "Нужна доступность",
    "ngo_registered": "СОНКО зарегистрированы", "ngo_registered_previous": "СОНКО зарегистрированы (прошлый год)",
    "ngo_supported": "СОНКО получили поддержку", "original_due_date": "Первоначальный срок",
    "owner": "Владелец", "parent_code": "Код вышестоящего", "period_label": "Период", "plan_mode": "Плановое значение",
    "position": "Должность / позиция", "preferential_contracts": "Договоры с преимуществом",
    "procedure": "Порядок", "property_list": "Перечень имущества", "received_date": "Дата поступления",
    "registry_published": "Реестр опубликован", "reporter": "Кто сообщил", "reporting": "Отчётность",
    "responsible_text": "Ответственный", "revision": "Редакция", "round": "Отбор",
    "satisfactory_threshold": "Порог «удовлетворительный»", "selection_date": "Дата отбора",
    "short_name": "Сокращённое наименование", "sort_key": "Порядок сортировки", "sort_order": "Порядок",
    "source_code": "Код в источнике", "source_document": "Документ-источник", "symbol": "Обозначение",
    "territorial": "По территориям", "total_budget_spending": "Расходы бюджета, всего",
    "total_need": "Потребность, всего", "training_event": "Обучающее мероприятие",
    "unit_name": "Единица измерения", "unreliable_info": "Недостоверные сведения", "value_kind": "Вид значения",
}

#: Coded values of some fields as the user reads them (field → code → words).
VALUE_WORDS = {
    "status": {s.value: s.label for s in PlanStatus},
    "direction": {d.value: d.label for d in Direction},
    "consolidation": {c.value: c.label for c in Consolidation},
    "deadline_kind": {k.value: k.label for k in DeadlineKind},
    "procedure": dict(PROCEDURES),
    "value_kind": {"number": "число", "yesno": "да / нет"},
    "plan_mode": {"entered": "вводится", "computed": "рассчитывается"},
    "kind": dict(PLAN_KINDS),
}
