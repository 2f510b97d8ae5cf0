"""The Excel template's bulk paths (issue 19) read the same catalogue and write the same journal as before."""

from __future__ import annotations

from sqlalchemy import select

from socplan.db.models.indicators import IndicatorForm
from socplan.services.indicators.analysis import infos_of
from socplan.services.indicators.common import form_by_code, form_infos, form_only


def test_catalogue_read_as_plain_rows_equals_the_orm_catalogue(demo_ctx) -> None:  # noqa: ANN001
    """Every demo form: the Core-read catalogue gives the very same indicator descriptions (units as shown, limits,
    components, responsible, errata notes) in the same order as the ORM one."""
    with demo_ctx.uow() as s:
        codes = list(s.scalars(select(IndicatorForm.code)))
        assert len(codes) >= 2
        for code in codes:
            orm = infos_of(form_by_code(s, code))
            s.expunge_all()  # the light read must not profit from ORM objects already loaded
            plain = form_infos(s, form_only(s, code))
            assert plain == orm, code
        assert any(i.components for i in plain + orm) and any(i.responsible for code in codes
                                                              for i in infos_of(form_by_code(s, code)))
