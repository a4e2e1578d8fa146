"""``cchc demo``: a fresh workspace with sample lists for every unit, checked end to end."""

from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from pathlib import Path

from automation.problems import UsageError

MARKER = ".cchc-demo"


def _fresh_workspace(directory: Path):
    from automation.config import init_workspace, load_settings  # noqa: PLC0415

    if directory.exists() and any(directory.iterdir()):
        if not (directory / MARKER).exists():
            raise UsageError("usage.bad_argument",
                             detail=f"Thư mục {directory} đã có dữ liệu; chọn thư mục trống hoặc thư mục demo cũ")
        shutil.rmtree(directory)
    init_workspace(directory)
    (directory / MARKER).write_text("cchc demo workspace\n", encoding="utf-8")
    return load_settings(directory)


def run_demo(directory: Path | None, echo=print) -> int:
    from automation.check import check_paths  # noqa: PLC0415
    from automation.cli import describe_report  # noqa: PLC0415
    from automation.demo import make_sample_lists  # noqa: PLC0415

    directory = Path(directory or "cchc-demo").resolve()
    settings = _fresh_workspace(directory)
    t0 = time.perf_counter()
    echo(f"Không gian làm việc mẫu: {directory}")
    echo(f"Tạo danh sách mẫu cho {len(settings.units)} đơn vị (có lỗi cố ý ở một số đơn vị)…")
    files = make_sample_lists(settings.path("inbox"), settings)
    echo(f"Kiểm tra {len(files)} tệp…")
    reports = check_paths([f.path for f in files], settings)
    for rep in reports:
        echo(describe_report(rep))
    out = settings.path("outbox", "ket-qua-kiem-tra.json")
    out.write_text(json.dumps([r.as_dict() for r in reports], ensure_ascii=False, indent=2), encoding="utf-8")

    verdicts = Counter(r.verdict for r in reports)
    as_expected = sum({p.code for p in r.problems} == f.expected for r, f in zip(reports, files))
    echo("")
    echo(f"Kết quả: {verdicts['accepted']} đạt, {verdicts['accepted_with_warnings']} đạt có cảnh báo, "
         f"{verdicts['rejected']} không đạt; {as_expected}/{len(files)} tệp đúng như dự kiến của bộ mẫu "
         f"({time.perf_counter() - t0:.1f} giây).")
    echo(f"Danh sách mẫu: {settings.path('inbox')}")
    echo(f"Kết quả dạng JSON: {out}")
    return 0 if as_expected == len(files) else 1
