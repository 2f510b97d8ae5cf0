"""Entry point: ``socplan`` opens the window; ``socplan КОМАНДА`` runs a headless command."""

from __future__ import annotations

import sys


def gui_database_argument(argv: list[str]) -> tuple[bool, str | None]:
    """(opens the window?, the database file given): no arguments, ``--db FILE`` or ``--db=FILE``."""
    if not argv:
        return True, None
    if len(argv) == 2 and argv[0] == "--db" and not argv[1].startswith("-"):
        return True, argv[1]
    if len(argv) == 1 and argv[0].startswith("--db=") and len(argv[0]) > 5:
        return True, argv[0][5:]
    return False, None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--selftest" in argv:
        from socplan.ui.app import run_selftest

        return run_selftest()
    window, db_path = gui_database_argument(argv)
    if window:
        # The window: no CLI parser (it would import every command module before the window shows).
        from socplan.ui.app import run_gui

        return run_gui(db_path)
    from socplan.cli import run

    return run(argv)


if __name__ == "__main__":
    raise SystemExit(main())
