"""Use cases of the exchange capability: signed packages between district offices and the Ministry.

- :mod:`.setup` — who this database is (district / Ministry), trusted certificates bound to territories;
- :mod:`.export` — «Сформировать пакет» (``export_package``);
- :mod:`.importer` — ``preview_import`` (verify, compare), ``apply_import`` (all / per record), ``reject_import``;
- :mod:`.journal` — packages sent and received; :mod:`.remarks` — «на доработку» with remarks per value.
"""
