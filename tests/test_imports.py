"""Start-up stays light: `cchc --help` imports none of the heavy or platform-bound libraries."""

import subprocess
import sys
import unicodedata

from automation.problems import CATALOG

HEAVY = ("lxml", "docx", "docxtpl", "openpyxl", "xlwings", "watchdog", "olefile", "msoffcrypto")


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
