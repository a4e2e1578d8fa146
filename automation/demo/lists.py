"""``cchc demo``: a fresh workspace whose inbox receives a sample list from every unit.

The lists are made in ``mau/`` (sample files), dropped into ``inbox/`` as a commune would, and the
inbox is processed: archive, quarantine, ledger, feedback letters.  The demo then compares what the
desk found with what each sample was built to contain.
"""

from __future__ import annotations

import datetime as dt

import os
import shutil
import time
from collections import Counter
from pathlib import Path

from automation.present import STATUSES, VERDICTS
from automation.problems import UsageError

MARKER = ".cchc-demo"
# the demo runs the 2021 cycle as on a day before the list deadline (30/10/2021)
DEMO_DAY = "2021-10-25T09:00:00"


def _fresh_workspace(directory: Path, preset: str | None = None):
    from automation.config import DEFAULT_PRESET, init_workspace, load_settings  # noqa: PLC0415

    if directory.exists() and any(directory.iterdir()):
        if not (directory / MARKER).exists():
            raise UsageError("usage.bad_argument",
                             detail=f"Thư mục {directory} đã có dữ liệu; chọn thư mục trống hoặc thư mục demo cũ")
        shutil.rmtree(directory)
    init_workspace(directory, preset or DEFAULT_PRESET)
    (directory / MARKER).write_text("cchc demo workspace\n", encoding="utf-8")
    return load_settings(directory)


def run_demo(directory: Path | None, echo=print, preset: str | None = None) -> int:
    directory = Path(directory or ("cchc-demo" if not preset else f"cchc-demo-{preset}-ds")).resolve()
    settings = _fresh_workspace(directory, preset)
    saved = os.environ.get("CCHC_NOW")
    day = dt.datetime.fromisoformat(DEMO_DAY)
    os.environ["CCHC_NOW"] = saved or day.replace(year=settings.year).isoformat()
    try:
        return _run(directory, settings, echo)
    finally:
        if saved is None:
            os.environ.pop("CCHC_NOW", None)


def _run(directory: Path, settings, echo) -> int:
    from automation.demo.samples import make_sample_lists  # noqa: PLC0415
    from automation.ledger.records import KIND_NAMES  # noqa: PLC0415
    from automation.app import process_inbox  # noqa: PLC0415

    t0 = time.perf_counter()
    echo(f"Không gian làm việc mẫu: {directory} (ngày giả lập {os.environ['CCHC_NOW'][:10]})")
    echo(f"Tạo danh sách mẫu cho {len(settings.units)} đơn vị (có lỗi cố ý ở một số đơn vị)…")
    samples = make_sample_lists(settings.path("mau"), settings)
    inbox = settings.path("inbox")
    for f in samples:  # the communes send their files
        shutil.copyfile(f.path, inbox / f.path.name)
    echo(f"Đã thả {len(samples)} tệp vào {inbox}; xử lý hộp thư đến…")
    result = process_inbox(settings)
    by_name = {s.original_name: s for s in result.submissions}

    as_expected = 0
    for f in samples:
        sub = by_name.get(f.path.name)
        if sub is None:
            echo(f"- {f.path.name}: CHƯA XỬ LÝ")
            continue
        codes = {p["code"] for p in sub.problems}
        as_expected += codes == f.expected
        unit = settings.units.by_code(sub.unit_code).full_name if sub.unit_code else "chưa rõ đơn vị"
        echo(f"- {f.path.name}: {unit} · {KIND_NAMES[sub.kind]} · {STATUSES[sub.status]} · "
             f"{VERDICTS.get(sub.verdict or '', '')}" + (f" · {', '.join(sorted(codes))}" if codes else ""))
    counts = Counter(s.status for s in result.submissions)
    verdicts = Counter(s.verdict for s in result.submissions)
    echo("")
    echo(f"Kết quả: {counts['archived']} tệp lưu trữ, {counts['quarantined']} tệp cách ly; "
         f"{verdicts['accepted']} đạt, {verdicts['accepted_with_warnings']} đạt có cảnh báo, "
         f"{verdicts['rejected']} không đạt; {as_expected}/{len(samples)} tệp đúng như dự kiến của bộ mẫu "
         f"({time.perf_counter() - t0:.1f} giây).")
    echo(f"Lưu trữ: {settings.path('luu-tru')}")
    echo(f"Cách ly (kèm lý do): {settings.path('cach-ly')}")
    echo(f"Thư phản hồi gửi các xã: {settings.path('outbox', 'phan-hoi')}")
    echo(f"Sổ theo dõi: cchc submissions --workspace {directory}")
    return 0 if as_expected == len(samples) else 1
