"""A document printed from an unsaved («что если») calculation is a draft: every page says
«ПРОЕКТ — расчёт не сохранён», the preview does not offer signing and the signing services refuse it."""

from __future__ import annotations

import subprocess

import pytest
from PySide6.QtWidgets import QMainWindow

from socplan.domain.errors import ValidationError
from socplan.services.reports import registry, signatures
from socplan.ui.env import UiEnv
from socplan.ui.subsidies.section import create_section
from socplan.ui.tasks import TaskRunner

MARK = "ПРОЕКТ — расчёт не сохранён"


def _pages_text(pdf: bytes, tmp_path) -> list[str]:  # noqa: ANN001
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout
    return [p for p in out.decode().split("\f") if p.strip()]


@pytest.fixture
def view(qtbot, demo_ctx):  # noqa: ANN001, ANN201
    window = QMainWindow()
    qtbot.addWidget(window)
    section = create_section(UiEnv(demo_ctx, TaskRunner(window), window))
    window.setCentralWidget(section)
    window.show()
    return section.view


def _edit_local_funds(view) -> None:  # noqa: ANN001
    row = next(i for i, a in enumerate(view.model.apps) if a.municipality == "Тарский муниципальный район")
    col = next(i for i, c in enumerate(view.model.columns) if c.key == "local_funds") + 1
    assert view.model.setData(view.model.index(row, col), "120 000")


def _print(view, qtbot, kind: str):  # noqa: ANN001, ANN202
    view.last_preview = None
    view.print_report(kind)
    qtbot.waitUntil(lambda: getattr(view, "last_preview", None) is not None, timeout=30000)
    return view.last_preview


def test_unsaved_calculation_prints_as_marked_draft_that_cannot_be_signed(view, qtbot, demo_ctx, tmp_path) -> None:  # noqa: ANN001
    _edit_local_funds(view)
    preview = _print(view, qtbot, "protocol")
    pages = _pages_text(preview.pdf, tmp_path)
    assert len(pages) >= 2 and all(MARK in " ".join(p.split()) for p in pages)  # every page
    assert not preview.action_sign.isEnabled()
    assert "не подписывается" in preview.status_label.text()
    with pytest.raises(ValidationError, match="не подписывается"):
        signatures.check_signable(demo_ctx, preview.pdf)
    record = registry.find_by_hash(demo_ctx, preview.sha256)[0]
    assert record.title.startswith(MARK)
    with pytest.raises(ValidationError, match="не подписывается"):
        signatures.sign_report(demo_ctx, record.id, tmp_path / "any.pfx", "x")


def test_saved_calculation_prints_clean_and_signable(view, qtbot, demo_ctx, tmp_path) -> None:  # noqa: ANN001
    _edit_local_funds(view)
    assert view.save()
    preview = _print(view, qtbot, "distribution")
    assert all(MARK not in " ".join(p.split()) for p in _pages_text(preview.pdf, tmp_path))
    assert preview.action_sign.isEnabled()
    signatures.check_signable(demo_ctx, preview.pdf)  # no refusal
