"""Build ``automation/data/vbaProject.bin``: the VBA project of the appraisal workbook's "Tính lại" button.

Run once per xlwings upgrade (the VBA module and the Python package must be the same version):

    .venv/bin/pip install pyopenvba==6.5.0
    .venv/bin/python tools/build_vba_project.py

It starts from xlwings' own ``quickstart_standalone.xlsm`` (the standalone ``xlwings`` VBA module with
``RunPython``, no add-in needed) and replaces the source of ``Module1`` with the button's macro.  The
resulting ``vbaProject.bin`` is committed; the tool itself never needs pyopenvba.  The macro is ASCII:
VBA source is stored in the project's code page.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

MACRO_NAME = "TinhLai"
ENTRY = "import automation.excel_button as b; b.recompute()"
MODULE1 = f'''Attribute VB_Name = "Module1"
' cchc: the "Tinh lai" (recompute) button of the appraisal workbook.
' It runs the same recompute as "cchc recompute" on the open workbook, through xlwings RunPython.
Sub {MACRO_NAME}()
    RunPython "{ENTRY}"
End Sub
'''
TARGET = Path(__file__).resolve().parents[1] / "automation" / "data" / "vbaProject.bin"


def main() -> int:
    import xlwings  # noqa: PLC0415
    from pyopenvba import ExcelFile  # noqa: PLC0415

    source = Path(xlwings.__file__).with_name("quickstart_standalone.xlsm")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "button.xlsm"
        shutil.copyfile(source, work)
        book = ExcelFile(work)
        book.set_module("Module1", MODULE1.replace("\n", "\r\n"))
        problems = book.validate()
        if problems:
            print("pyopenvba validation:", problems, file=sys.stderr)
            return 1
        book.save()
        with zipfile.ZipFile(work) as zf:
            TARGET.write_bytes(zf.read("xl/vbaProject.bin"))
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes) from xlwings {xlwings.__version__}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
