"""Start-up stays light: `cchc --help` imports none of the heavy or platform-bound libraries."""

import subprocess
import sys
import unicodedata

from automation.problems import CATALOG

HEAVY = ("lxml", "docx", "docxtpl", "openpyxl", "xlwings", "watchdog", "olefile", "msoffcrypto", "python_calamine")


def test_help_imports_nothing_heavy():
    code = ("import sys; from automation.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            f"print('HEAVY:' + ','.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "Cách dùng" in out and "Lệnh" in out
    assert out.strip().splitlines()[-1] == "HEAVY:"


def test_every_message_is_nfc_vietnamese():
    for code, entry in CATALOG.items():
        for text in (entry.message, entry.fix):
            assert unicodedata.normalize("NFC", text) == text, code
        assert code.count(".") == 1 and code == code.lower()


def test_help_loads_no_command_body():
    code = ("import sys; from automation.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print('LOADED:' + ','.join(sorted(m for m in sys.modules if m in ('aiosmtpd', 'smtplib', "
            "'automation.mail', 'automation.config', 'automation.ledger', 'automation.demo'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "LOADED:"


def test_every_variant_is_nfc_vietnamese():
    for code, entry in CATALOG.items():
        for message, fix in entry.variants.values():
            for text in (message, fix):
                assert unicodedata.normalize("NFC", text) == text, code
