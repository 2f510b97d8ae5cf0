"""Numbers written the Russian way: a no-break space between thousands, a comma before the fraction.

The one place this is done: ``socplan.formatting`` (the screens, reports and Excel) and the domain's own messages
(«807 139 381,57» in a financing violation) both call :func:`grouped`. The result is the same as babel's ``ru_RU``
pattern ``#,##0.00`` (tests/unit/test_formatting.py checks it against babel), without loading babel's locale data.
"""

from __future__ import annotations

from decimal import Decimal

NBSP = "\u00a0"


def grouped(value: Decimal | int, decimals: int) -> str:
    """``value`` with exactly ``decimals`` places (already rounded by the caller as its rule says): «-1 234,50»."""
    return f"{value:,.{decimals}f}".replace(",", NBSP).replace(".", ",")
