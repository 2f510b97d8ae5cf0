"""Entry point: ``socplan`` opens the window; ``socplan КОМАНДА`` runs a headless command."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--selftest" in argv:
        from socplan.ui.app import run_selftest

        return run_selftest()
    if not argv or (argv[0] == "--db" and len(argv) == 2):
        # The window: no CLI parser (it would import every command module before the window shows).
        from socplan.ui.app import run_gui

        return run_gui(argv[1] if argv else None)
    from socplan.cli import run

    return run(argv)


if __name__ == "__main__":
    raise SystemExit(main())
