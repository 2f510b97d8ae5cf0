"""The report journal, the certificates lists and the headless sign/verify commands."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from socplan.app import main
from socplan.domain.errors import ConflictError, NotFoundError, SocPlanError, ValidationError
from socplan.services.reports import certificates, registry, signatures


def _pdf(rows: int = 5) -> bytes:
    from socplan.reports.document import DocumentBuilder, DocumentSpec

    doc = DocumentBuilder(DocumentSpec("Справка о ходе исполнения плана"))
    doc.paragraph("Текст справки.")
    doc.table([["№", "Мероприятие"]], [[str(i), f"Пункт {i}"] for i in range(rows)], [15, 150])
    doc.signature("Главный специалист", "М.П. Иванова")
    return doc.build_bytes()


def test_record_list_and_reopen_a_report(ctx) -> None:
    data = _pdf()
    with ctx.uow(reason="Печать справки") as s:
        row = registry.record_report(s, kind="plan_execution", title="Справка о ходе исполнения плана",
                                     params={"plan_id": 7, "year": 2025}, data=data, file_name="справка.pdf")
        s.commit()
    assert row.sha256 == hashlib.sha256(data).hexdigest() and row.size == len(data)
    assert row.user_name == "Тестов Тест Тестович" and row.user_position == "главный специалист"
    (listed,) = registry.list_reports(ctx)
    assert listed.id == row.id and listed.params == {"plan_id": 7, "year": 2025}
    assert listed.kind_name == "Исполнение плана"
    assert registry.get_report_bytes(ctx, row.id) == data
    assert registry.find_by_hash(ctx, row.sha256)[0].id == row.id
    with pytest.raises(NotFoundError):
        registry.get_report_bytes(ctx, 999)
    with ctx.uow() as s, pytest.raises(ValidationError):
        registry.record_report(s, kind="plan", title="Пусто", params={}, data=b"")


def test_certificates_create_trust_and_remove(ctx, tmp_path) -> None:
    target = tmp_path / "Иванова.pfx"
    own = certificates.create_self_signed_certificate(ctx, full_name="Иванова Мария Петровна", position="специалист",
                                                      organisation="Минтруд", days=30, password="пароль-1",
                                                      target=target)
    assert target.exists() and own.role == "own" and own.pkcs12_path == str(target.resolve())
    assert not own.qualified and own.kind_text == "не квалифицированный"
    assert "пароль-1" not in json.dumps([r.__dict__ for r in certificates.list_certificates(ctx)], default=str)
    (trusted,) = certificates.list_certificates(ctx, "trusted")
    assert trusted.fingerprint == own.fingerprint
    with pytest.raises(ConflictError):
        certificates.trust_own(ctx, own.id)
    with pytest.raises(SocPlanError) as short:
        certificates.create_self_signed_certificate(ctx, full_name="Х", position="", organisation="", days=30,
                                                    password="123", target=tmp_path / "x.pfx")
    assert "не короче 6 символов" in short.value.message
    certificates.remove_certificate(ctx, trusted.id)
    assert certificates.trusted_certificates(ctx) == []


def test_sign_report_records_a_signed_copy_and_verification_uses_the_trusted_list(ctx, tmp_path) -> None:
    pfx = tmp_path / "me.pfx"
    certificates.create_self_signed_certificate(ctx, full_name="Иванова Мария Петровна", position="специалист",
                                                organisation="Минтруд", days=30, password="пароль-1", target=pfx)
    original = registry.save_report(ctx, kind="plan", title="План", params={}, data=_pdf())
    outcome = signatures.sign_report(ctx, original.id, pfx, "пароль-1", reason="Исполнитель")
    signed = outcome.report
    assert signed.source_id == original.id and signed.signed_by == "М.П.\u00a0Иванова"
    report = signatures.verify_bytes(ctx, registry.get_report_bytes(ctx, signed.id), file_name="план.pdf")
    assert report.valid and report.headline == "Подпись действительна."
    assert [r.id for r in report.journal] == [signed.id]
    with pytest.raises(SocPlanError) as wrong:
        signatures.sign_report(ctx, original.id, pfx, "не тот")
    assert "Неверный пароль" in wrong.value.message


@pytest.fixture
def cli_db(demo_db_template, tmp_path):  # noqa: ANN001, ANN201
    path = tmp_path / "cli.sqlite"
    shutil.copyfile(demo_db_template, path)
    return str(path)


def test_cli_new_cert_sign_verify_and_journal(cli_db, tmp_path, capsys, monkeypatch) -> None:
    pdf = tmp_path / "справка.pdf"
    pdf.write_bytes(_pdf())
    password = tmp_path / "pw.txt"
    password.write_text("секрет-123\n", encoding="utf-8")
    pfx = tmp_path / "me.pfx"
    assert main(["--db", cli_db, "reports", "new-cert", "--name", "Иванова Мария Петровна", "--out", str(pfx),
                 "--password-file", str(password)]) == 0
    assert "не квалифицированный" in capsys.readouterr().out
    assert main(["sign", str(pdf), "--cert", str(pfx), "--password-file", str(password), "--reason", "Исполнитель"]) == 0
    signed = tmp_path / "справка.signed.pdf"
    assert signed.exists()
    capsys.readouterr()
    assert main(["--db", cli_db, "verify", str(signed), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["valid"] and out["signatures"][0]["verdict"] == "valid"
    assert out["signatures"][0]["signer"] == "Иванова Мария Петровна"
    # unsigned → exit 1; a flipped byte → exit 1 with the Russian reason
    assert main(["--db", cli_db, "verify", str(pdf)]) == 1
    assert "Файл не подписан" in capsys.readouterr().out
    tampered = bytearray(signed.read_bytes())
    tampered[len(tampered) // 4] ^= 0x01
    bad = tmp_path / "испорчен.pdf"
    bad.write_bytes(bytes(tampered))
    assert main(["--db", cli_db, "verify", str(bad)]) == 1
    assert "Документ изменён после подписания" in capsys.readouterr().out
    # password from the environment; detached signature of a non-PDF file
    data = tmp_path / "пакет.json"
    data.write_text('{"a": 1}', encoding="utf-8")
    monkeypatch.setenv("SOCPLAN_CERT_PASSWORD", "секрет-123")
    assert main(["sign", str(data), "--cert", str(pfx), "--detached"]) == 0
    assert main(["--db", cli_db, "verify", str(data)]) == 0
    assert "Подпись действительна" in capsys.readouterr().out
    monkeypatch.setenv("SOCPLAN_CERT_PASSWORD", "не тот")
    assert main(["sign", str(pdf), "--cert", str(pfx)]) == 1
    assert "Неверный пароль" in capsys.readouterr().err
    assert main(["--db", cli_db, "verify", str(password)]) == 1
    assert "не является документом PDF" in capsys.readouterr().err
    assert main(["--db", cli_db, "reports", "list", "--json"]) == 0
    assert isinstance(json.loads(capsys.readouterr().out), list)


def test_cli_verify_untrusted_signer_exits_1(cli_db, tmp_path, capsys, monkeypatch) -> None:
    from socplan.signing.certificates import create_self_signed

    pfx = tmp_path / "other.pfx"
    pfx.write_bytes(create_self_signed("Петров Пётр Петрович", "", "", 30, password="пароль-2"))
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(_pdf())
    monkeypatch.setenv("SOCPLAN_CERT_PASSWORD", "пароль-2")
    assert main(["sign", str(pdf), "--cert", str(pfx), "--out", str(tmp_path / "s.pdf")]) == 0
    capsys.readouterr()
    assert main(["--db", cli_db, "verify", str(tmp_path / "s.pdf")]) == 1
    assert "Подписант не входит в доверенные" in capsys.readouterr().out


def test_cli_verify_with_a_non_certificate_as_trust_is_a_clear_error(cli_db, tmp_path, capsys, monkeypatch) -> None:
    """Passing the .pfx (not the .cer) as --trust is the user's mistake, not «подпись недействительна»."""
    from socplan.signing.certificates import create_self_signed

    pfx = tmp_path / "own.pfx"
    pfx.write_bytes(create_self_signed("Петров Пётр Петрович", "", "", 30, password="пароль-3"))
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(_pdf())
    monkeypatch.setenv("SOCPLAN_CERT_PASSWORD", "пароль-3")
    assert main(["sign", str(pdf), "--cert", str(pfx), "--out", str(tmp_path / "s.pdf")]) == 0
    capsys.readouterr()
    assert main(["--db", cli_db, "verify", str(tmp_path / "s.pdf"), "--trust", str(pfx)]) == 1
    err = capsys.readouterr().err
    assert "own.pfx" in err and "не является сертификатом" in err


def test_report_file_names_are_safe_on_every_system(ctx) -> None:
    assert registry.safe_file_name('План "НОК": 2025/2026?.pdf') == "План НОК 2025 2026.pdf"
    assert registry.safe_file_name("Протокол 27.03.2025.docx") == "Протокол 27.03.2025.docx"
    assert registry.safe_file_name(" ... ") == "отчёт"
    with ctx.uow() as s:
        row = registry.record_report(s, kind="test", title="Т", params={}, data=b"%PDF-1.7", file_name="a/b:c.pdf")
        s.commit()
    assert row.file_name == "a b c.pdf"
