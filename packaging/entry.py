"""PyInstaller entry point of the СоцПлан bundle: ``socplan.app:main``, its return value is the exit code."""

import sys

from socplan.app import main

if __name__ == "__main__":
    sys.exit(main())
