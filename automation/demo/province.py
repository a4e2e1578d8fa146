"""What the demo plays beyond the 2021 district when its workspace is a province (``--preset phu-tho``).

* Last year's results: a CSV ``code,name,index,rank`` as last year's appraisal left them, with the codes of
  that time: a commune formed in 2025 by merging several appears as its former units (ranked apart), except
  the first such commune, of which only one former unit was ranked (so it can be compared).
* The explanation round: letters of explanation (Word, Times New Roman) that communes send after the first
  notices, naming the criteria they ask the council to look at again.
"""

from __future__ import annotations

import csv
import io
import random
from decimal import Decimal
from pathlib import Path

from automation.formats import docx_write as dw


def previous_results(settings, seed: int) -> str:
    """Last year's results of the units of ``settings`` under their former codes, as CSV text."""
    rng = random.Random(seed)
    rows: list[tuple[str, str, Decimal]] = []
    one_source_left = True
    for unit in settings.units:
        former = list(dict.fromkeys((f.code, f.full_name) for f in unit.former if f.code))
        if former and one_source_left:
            former, one_source_left = former[:1], False
        for code, name in former or [(unit.code, unit.full_name)]:
            if code not in {r[0] for r in rows}:
                rows.append((code, name, Decimal(rng.randint(6500, 9300)) / 100))
    rows.sort(key=lambda r: -r[2])
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["code", "name", "index", "rank"])
    rank = 0
    for i, (code, name, index) in enumerate(rows):
        rank = rank if i and rows[i - 1][2] == index else i + 1
        w.writerow([code, name, f"{index:.2f}", rank])
    return out.getvalue()


def explanation_letter(path: Path, settings, unit, reasons: dict[str, str], day) -> Path:
    """A commune's letter asking the council to look again at ``reasons`` (criterion code -> why)."""
    doc = dw.new_document(size_pt=14)
    a = settings.authority
    dw.para(doc, f"UBND {unit.full_name}".upper(), bold=True, align="center")
    dw.para(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, align="center")
    dw.para(doc, "Độc lập - Tự do - Hạnh phúc", bold=True, align="center")
    dw.para(doc, f"{unit.name}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}", italic=True, align="right")
    dw.para(doc, "VĂN BẢN GIẢI TRÌNH", bold=True, align="center", size=14)
    dw.para(doc, f"Về kết quả thẩm định Chỉ số cải cách hành chính năm {settings.year}", bold=True, align="center")
    dw.para(doc, f"Kính gửi: Hội đồng thẩm định Chỉ số CCHC, {a.standing_office}.", align="center")
    dw.para(doc, f"Sau khi nhận thông báo kết quả thẩm định Chỉ số CCHC năm {settings.year}, {unit.full_name} "
                 "giải trình và gửi kèm tài liệu kiểm chứng bổ sung, đề nghị Hội đồng xem xét lại các tiêu chí sau:",
            align="justify")
    for code, why in reasons.items():
        dw.para(doc, f"- Tiêu chí {code}: {why}", align="justify")
    dw.para(doc, "TM. ỦY BAN NHÂN DÂN", bold=True, align="right")
    dw.para(doc, "CHỦ TỊCH", bold=True, align="right")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path
