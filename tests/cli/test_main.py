"""``cchc`` as a person meets it: click's errors in Vietnamese, and every failure one line with its code,
printed by ``main()`` and nowhere else."""

from __future__ import annotations

import pytest

from automation.cli import main
from tests.builders import list_document


def _run(args, capsys):
    with pytest.raises(SystemExit) as exc:
        main(args)
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def test_usage_errors_are_vietnamese(capsys):
    for args, text in ((["nope"], "Không có lệnh “nope”"), (["check", "--bad", "x"], "Không có tùy chọn “--bad”"),
                       (["generate", "foo"], "chọn một trong: plan, notices"), (["init"], "Thiếu tham số THƯ_MỤC")):
        with pytest.raises(SystemExit) as exc:
            main(args)
        err = capsys.readouterr().err
        assert exc.value.code == 2 and text in err and err.startswith("Lỗi [usage.bad_argument]")


def test_click_errors_are_told_by_their_class(capsys):
    for args, text in ((["chek"], "Không có lệnh “chek”. Có phải ý bạn là “check”? Xem “cchc --help”."),
                       (["survey", "sampel"], "Không có lệnh “sampel” trong nhóm “cchc survey”. Có phải ý bạn là "
                                              "“sample”? Xem “cchc survey --help”."),
                       (["check", "--jsn", "x"], "Không có tùy chọn “--jsn”. Có phải ý bạn là “--json”?"),
                       (["init", "a", "b"], "Thừa tham số “b”."), (["submissions", "x", "y"], "Thừa tham số “x” “y”."),
                       (["status", "-w"], "Tùy chọn “-w” cần một giá trị ngay sau nó (THƯ_MỤC). Xem “cchc status "
                                          "--help”."),
                       (["check", "--json=1", "x"], "Tùy chọn “--json” không nhận giá trị"),
                       (["generate", "plam"], "“plam” không phải LOẠI hợp lệ; chọn một trong: plan, notices, report, "
                                              "decision, all. Có phải ý bạn là “plan”?"),
                       (["survey", "sample", "--per-unit", "0"], "--per-unit cần số nguyên từ 1 trở lên, không dùng "
                                                                 "được “0”."),
                       (["survey", "sample", "--seed", "x1"], "--seed cần số nguyên, “x1” không phải số nguyên.")):
        code, _, err = _run(args, capsys)
        assert code == 2 and err.startswith("Lỗi [usage.bad_argument]: ") and text in err, err
        assert "Did you mean" not in err and "Traceback" not in err and "'" not in err


def test_a_path_option_says_what_is_wrong_with_the_path(capsys, tmp_path):
    (tmp_path / "f.txt").write_text("x", encoding="utf-8")
    code, _, err = _run(["status", "-w", str(tmp_path / "f.txt")], capsys)
    assert code == 2 and f"“{tmp_path / 'f.txt'}” là tệp, --workspace cần thư mục." in err
    code, _, err = _run(["convert", "x.doc", "-o", str(tmp_path)], capsys)
    assert code == 2 and f"“{tmp_path}” là thư mục, --output cần tệp." in err


def test_a_question_is_answered_in_vietnamese(monkeypatch, capsys):
    from automation.cli import vi
    answers = iter(["maybe", "c"])
    monkeypatch.setattr("click.prompt", lambda *a, **k: next(answers))
    assert vi.confirm("Dựng lại?") is True
    assert capsys.readouterr().err == "Hãy trả lời c (có) hoặc k (không).\n"
    monkeypatch.setattr("click.prompt", lambda *a, **k: "")
    assert vi.confirm("Dựng lại?") is False


def test_a_group_without_its_command_shows_its_help(capsys):
    code, out, err = _run(["survey"], capsys)
    assert code == 2 and out == ""
    assert err.startswith("Cách dùng: cchc survey [TÙY CHỌN] LỆNH [THAM SỐ]...") and "Lệnh:" in err
    assert "Lỗi" not in err


def test_an_unexpected_failure_is_a_vietnamese_line_not_a_traceback(monkeypatch, capsys, tmp_path):
    import automation.check

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(automation.check, "check_paths", boom)
    with pytest.raises(SystemExit) as exc:
        main(["check", str(list_document(tmp_path / "a.docx"))])
    err = capsys.readouterr().err
    assert exc.value.code == 1 and "Lỗi [internal.error]" in err and "disk on fire" in err
    assert "Traceback" not in err


def test_a_busy_workspace_is_a_problem_with_its_code(monkeypatch, capsys, tmp_path):
    import automation.check
    from automation.lock import LockTimeout

    def busy(*args, **kwargs):
        raise LockTimeout(tmp_path / ".cchc.lock")

    monkeypatch.setattr(automation.check, "check_paths", busy)
    code, _, err = _run(["check", str(list_document(tmp_path / "a.docx"))], capsys)
    assert code == 1 and err.startswith("Lỗi [workspace.locked]: Không gian làm việc đang bận")
    assert ".cchc.lock" in err and "không cần xóa tệp khóa" in err


def _with_mail(ws, port, **extra):
    fields = {"host": '"127.0.0.1"', "port": str(port), "security": '"none"',
              "sender": '"phongnoivu@vinhtuong.example"', "recipients": '["hoidong@vinhtuong.example"]',
              "attempts": "1", "backoff_s": "0.01", **extra}
    toml = ws / "cchc.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[mail]\n"
                    + "".join(f"{k} = {v}\n" for k, v in fields.items()), encoding="utf-8")


def test_mail_failures_are_shown_once_with_their_codes(fast_ws, capsys, monkeypatch):
    from tests.status.test_status import _free_port

    _with_mail(fast_ws, _free_port(), user='"phongnoivu"', password_env='"CCHC_TEST_CLI_PW"')
    args = ["status", "--send", "--workspace", str(fast_ws)]
    monkeypatch.delenv("CCHC_TEST_CLI_PW", raising=False)
    code, out, err = _run(args, capsys)
    assert code == 1 and "Đã lập bảng trạng thái" in out
    assert err.startswith("Lỗi [mail.password]: Chưa đặt biến môi trường CCHC_TEST_CLI_PW")
    monkeypatch.setenv("CCHC_TEST_CLI_PW", "mật-khẩu")
    code, _, err = _run(args, capsys)
    assert code == 1 and err.startswith("Lỗi [mail.password]: Mật khẩu trong biến môi trường CCHC_TEST_CLI_PW")
    monkeypatch.setenv("CCHC_TEST_CLI_PW", "mat-khau")  # nothing listens on the port: after the retries
    code, _, err = _run(args, capsys)
    assert code == 1 and ("Lỗi [mail.failed]: Không gửi được thư: ConnectionRefusedError: " in err), err
    assert "(máy chủ 127.0.0.1:" in err
    assert "Kiểm tra mạng, máy chủ thư" in err and "Traceback" not in err


def test_send_drafts_mail_mistakes(tmp_path, capsys, monkeypatch):
    from automation.config import init_workspace
    from tests.documents.test_render import make_template
    from tests.documents.test_send import _configure, _drafts, _with_pdfs

    monkeypatch.setenv("CCHC_NOW", "2022-01-20T09:00:00")
    root = init_workspace(tmp_path / "ws")
    make_template(root / "templates" / "mau.docx", ["{% if du_thao %}DỰ THẢO{% endif %}", "Số lần: {{ n }}"])
    settings = _configure(root, signer="")
    _with_pdfs(*_drafts(settings)[:2])
    code, _, err = _run(["send-drafts", "--workspace", str(root)], capsys)
    assert code == 1 and err.startswith("Lỗi [mail.config]: Chưa có địa chỉ thư của người ký (signer_email")
    toml = root / "cchc.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text[:text.index("\n[mail]")].replace('signer_email = ""', 'signer_email = "ck@x.example"'),
                    encoding="utf-8")
    code, _, err = _run(["send-drafts", "--workspace", str(root)], capsys)
    assert code == 1 and err.startswith("Lỗi [mail.not_configured]: Chưa cấu hình thư điện tử")
    code, out, _ = _run(["send-drafts", "--dry-run", "--workspace", str(root)], capsys)
    assert code == 0 and "Đã ghi thư (không gửi): " in out and "thu-trinh-ky-2022-01-20-090000.eml" in out
