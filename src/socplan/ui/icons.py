"""The application's icons: line icons drawn for СоцПлан (resources/icons/*.svg, one colour, 24×24) and the
rule that gives an action its icon from its wording, so that every menu and tool bar looks alike."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QAction, QIcon, QKeySequence

from socplan.resources import resource_path

#: the first rule whose words begin the action's text (lower case) wins
RULES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("сохранить изменения", "сохранить", "записать"), "save"),
    (("отменить", "отмена"), "undo"),
    (("повторить",), "redo"),
    (("обновить", "перечитать"), "refresh"),
    (("вернуть сохранённое",), "undo"),
    (("открыть или создать", "открыть базу данных", "создать рабочую базу", "открыть демонстрационную",
      "база данных"), "database"),
    (("сделать резервную", "резервная копия"), "backup"),
    (("восстановить",), "restore"),
    (("настройки",), "settings"),
    (("выход",), "quit"),
    (("руководство",), "guide"),
    (("о программе",), "info"),
    (("экспорт", "выгрузить", "шаблон excel", "сформировать пакет", "моего сертификата", "мой сертификат"), "export"),
    (("загрузить", "импорт", "принять пакет"), "import"),
    (("довериться", "доверить", "добавить доверенный"), "trust"),
    (("отозвать", "снять доверие"), "revoke"),
    (("сертификат",), "certificate"),
    (("подписать",), "sign"),
    (("проверить подпись", "проверить"), "verify"),
    (("печать", "напечатать"), "print"),
    (("отчёт", "протокол", "информация об исполнении", "ход реализации", "документ"), "report"),
    (("рассчитать", "расчёт"), "calculate"),
    (("новый", "новое", "новая", "создать"), "new"),
    (("добавить", "подпункт"), "add"),
    (("изменить", "реквизиты", "редактировать", "тип показателя"), "edit"),
    (("удалить",), "delete"),
    (("представить", "отправить"), "submit"),
    (("принять", "утвердить", "исполнен", "учтено", "отметить"), "accept"),
    (("снять «принято»", "вернуть на доработку", "вернуть"), "unlock"),
    (("история",), "history"),
    (("сравнить",), "compare"),
    (("в архив", "архив"), "archive"),
    (("выше",), "up"),
    (("ниже",), "down"),
    (("уровнем выше",), "left"),
    (("дата", "календар", "срок"), "calendar"),
    (("карточка", "график"), "chart"),
    (("заседани", "участник", "состав"), "meeting"),
    (("присутств", "явка", "кворум"), "attendance"),
    (("пакет",), "package"),
    (("найти", "поиск"), "search"),
    (("закрыть",), "close"),
    (("увеличить",), "zoom_in"),
    (("уменьшить",), "zoom_out"),
    (("по ширине",), "fit"),
)


@lru_cache(maxsize=None)
def icon(name: str) -> QIcon:
    path = resource_path("icons", f"{name}.svg")
    return QIcon(str(path)) if path.exists() else QIcon()


def icon_name_for(text: str) -> str:
    words = text.replace("&", "").strip().casefold()
    for prefixes, name in RULES:
        if any(words.startswith(p) for p in prefixes):
            return name
    for prefixes, name in RULES:  # then anywhere in the wording («Шаблон Excel…», «Протокол расчёта в xlsx»)
        if any(p in words for p in prefixes):
            return name
    return ""


def decorate(action: QAction) -> QAction:
    """Give an action its icon (unless it has one) and a tool tip that names its keys."""
    if action.isSeparator():
        return action
    text = action.text().split("\t")[0]
    if action.icon().isNull():
        name = icon_name_for(text)
        if name:
            action.setIcon(icon(name))
    shortcut = action.shortcut()
    if not shortcut.isEmpty():
        keys = shortcut.toString(QKeySequence.SequenceFormat.NativeText)
        tip = action.toolTip()
        if keys not in tip:
            action.setToolTip(f"{tip or text.replace('&', '')} ({keys})")
    return action
