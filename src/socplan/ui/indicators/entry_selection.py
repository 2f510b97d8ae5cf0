"""The entry grid's selection of form, territory and period: the grid follows it at once, unsaved values ask
«Сохранить / Не сохранять / Отмена», and the last choice is remembered between runs."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from socplan.domain.indicators import Period
from socplan.ui.memory import settings_of


class EntrySelectionMixin:
    """Mixed into EntryView (which owns the combo boxes, the model, ``reload`` and ``_save_scope``)."""

    def _restore_choice(self) -> None:
        """The form, territory and period the person had open last time."""
        settings = settings_of(self.env)
        if settings is None or settings.value("entry/territory") is None:
            return
        self._following = False
        try:
            for combo, key in ((self.form_combo, "entry/form"), (self.territory_combo, "entry/territory")):
                index = combo.findData(settings.value(key))
                if index < 0 and key == "entry/territory":
                    index = combo.findData(int(settings.value(key) or 0))
                if index >= 0:
                    combo.setCurrentIndex(index)
            self.year.setValue(int(settings.value("entry/year", self.year.value())))
            kind = self.kind_combo.findData(str(settings.value("entry/kind", "year")))
            if kind >= 0:
                self.kind_combo.setCurrentIndex(kind)
            number = self.number_combo.findData(int(settings.value("entry/number", 0)))
            if number >= 0:
                self.number_combo.setCurrentIndex(number)
        except (TypeError, ValueError):
            pass  # a damaged value: start from the defaults
        finally:
            self._following = True

    def _remember_choice(self, form: str, territory: int, period: Period) -> None:
        settings = settings_of(self.env)
        if settings is not None:
            for key, value in (("form", form), ("territory", territory), ("year", period.year), ("kind", period.kind),
                               ("number", period.number)):
                settings.setValue(f"entry/{key}", value)

    # ------------------------------------------------------------ selection
    def _selection_changed(self, *_args) -> None:  # noqa: ANN002
        if self._following and self.territory_combo.currentData() is not None:
            self.reload()

    def _show_scope(self, scope: tuple) -> None:
        """Put the selectors back on what the grid shows (the user cancelled leaving unsaved values)."""
        form, territory, period = scope
        self._following = False
        try:
            self.form_combo.setCurrentIndex(max(0, self.form_combo.findData(form)))
            self.territory_combo.setCurrentIndex(max(0, self.territory_combo.findData(territory)))
            self.year.setValue(period.year)
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(period.kind))
            if period.kind != "year":
                self.number_combo.setCurrentIndex(self.number_combo.findData(period.number))
        finally:
            self._following = True

    def ask_unsaved(self) -> bool:
        """Unsaved values: «Сохранить / Не сохранять / Отмена». True when the user may go on."""
        if self.model is None or not self.model.is_dirty():
            return True
        box = QMessageBox(QMessageBox.Icon.Question, "Несохранённые изменения",
                          "В форме есть несохранённые значения. Сохранить их перед переходом?",
                          QMessageBox.StandardButton.NoButton, self)
        save = box.addButton("Сохранить", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Не сохранять", QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton("Отмена", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)
        box.setEscapeButton(cancel)
        box.exec()
        clicked = box.clickedButton()
        if clicked is discard:
            return True
        if clicked is save:
            shown = self._shown
            if shown is None:
                return False
            return self._save_scope(*shown)
        return False
