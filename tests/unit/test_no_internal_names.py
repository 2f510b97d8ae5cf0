"""No internal name reaches a user: exchanged fields and their coded values are named in Russian in the
import preview (``changed_by`` → «Кто изменил», ``increasing`` → «…»)."""

import re

from socplan.services.exchange.kinds import KINDS, field_label, value_text

IDENTIFIER = re.compile(r"^[a-z_0-9]+$")


def test_every_exchanged_field_has_a_russian_name():
    shown = {(k.name, n): field_label(k, n) for k in KINDS for n in k.wire_fields()}
    internal = sorted(key for key, label in shown.items() if IDENTIFIER.match(label))
    assert internal == []
    assert field_label(next(k for k in KINDS if k.name == "form_state"), "changed_by") == "Кто изменил"


def test_coded_values_are_shown_in_words():
    by_name = {k.name: k for k in KINDS}
    cases = {("indicator", "direction", "increasing"), ("indicator", "consolidation", "sum"),
             ("indicator", "value_kind", "yesno"), ("indicator", "plan_mode", "computed"),
             ("plan", "status", "approved"), ("plan", "kind", "events"), ("form_state", "state", "submitted"),
             ("plan_event", "deadline_kind", "date"), ("indicator_value", "kind", "fact")}
    for kind, field, code in cases:
        text = value_text(by_name[kind], field, code)
        assert not IDENTIFIER.match(text) and re.search("[а-яё]", text), (kind, field, code, text)
