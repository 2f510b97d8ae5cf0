"""Working with a whole package or sheet of records at once without paying the cyclic garbage collector for it.

Used by the exchange import/export and the indicator template import/export. A year of a region's monthly values
is ~80 000 records (a filled template 40 000); parsing, comparing and writing them keeps a few hundred
thousand small dicts and objects alive until the unit of work ends. Python's cyclic collector walks every live
container each time enough new ones have been made, so on this volume it used ~40 % of an exchange import's time
and a quarter of a template import's (``benchmarks/bench_exchange.py``, ``bench_indicators.py --only template``)
while finding nothing to free: parsed JSON and the rows built from it hold no reference cycles, and reference
counting frees them as usual. ``paused_collector`` switches the cyclic collector off for such a block and restores
its previous state afterwards, also when the block raises.

Objects made while the collector is off all wait in its youngest generation; the first collection after it is
switched on would walk every one of them (~0,15 s for a year of values). They are moved to the oldest generation
instead (``gc.freeze()`` then ``gc.unfreeze()``: two list moves, no walk), where the collector sees them at its
next full pass like any other long-lived objects; nothing is exempted from collection.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused_collector() -> Iterator[None]:
    was_enabled = gc.isenabled()
    nothing_frozen = gc.get_freeze_count() == 0  # objects someone froze on purpose stay frozen
    gc.disable()
    try:
        yield
    finally:
        if nothing_frozen:
            gc.freeze()
            gc.unfreeze()
        if was_enabled:
            gc.enable()
