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
from automation.vntext import number


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


LETTER_SHARE = 25  # one unit in this many sends an explanation (at least 3)
REASON = "Đã bổ sung tài liệu kiểm chứng theo văn bản giải trình"
WHY = ("đơn vị đã có tài liệu kiểm chứng nhưng chưa gửi kèm biểu tự chấm, nay gửi bổ sung",
       "kết quả thực hiện đã được cấp có thẩm quyền xác nhận, đề nghị giữ điểm tự chấm",
       "số liệu báo cáo được cập nhật đến thời điểm đánh giá, gửi kèm bản sao")


def import_last_year(settings, echo) -> None:
    """The office imports last year's results (under the codes of that time) before drafting the documents."""
    from automation.app import import_previous  # noqa: PLC0415

    path = settings.path("mau", f"ket-qua-nam-{settings.year - 1}.csv")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(previous_results(settings, settings.year - 1), encoding="utf-8")
    read, counts = import_previous(settings, path)
    echo(f"Đã nhập kết quả năm {settings.year - 1} của {read} đơn vị (theo mã đơn vị trước sắp xếp): "
         + ", ".join(f"{n} đơn vị {kind}" for kind, n in counts.items()) + ".")


def explanation_round(settings, reduced: list[tuple[str, str, float]], at, process, echo) -> tuple[int, object, int]:
    """First notices, letters of explanation from the units the council took points off, the council's
    revisions (one left without its reason, so the first appraisal goes on counting); returns (letters, the
    appraisal table after the round, revisions held)."""
    import openpyxl  # noqa: PLC0415

    from automation import clock  # noqa: PLC0415
    from automation.app import generate, recompute  # noqa: PLC0415
    from automation.appraisal.workbook import workbook_path  # noqa: PLC0415
    from automation.scoring.table import TD_REASON, TD_REVISED  # noqa: PLC0415

    at("notices")
    echo(f"Đã soạn {len(generate(settings, 'notices'))} thông báo kết quả thẩm định lần đầu gửi các đơn vị.")
    at("explanations")
    asked: dict[str, dict[str, float]] = {}  # unit code -> criterion -> the score the unit asks for (its own)
    for unit_code, code, own in reduced:
        asked.setdefault(unit_code, {}).setdefault(code, own)
    chosen = list(asked)[:max(3, len(settings.units) // LETTER_SHARE)]
    for n, unit_code in enumerate(chosen):
        unit = settings.units.by_code(unit_code)
        asked[unit_code] = dict(list(asked[unit_code].items())[:2])
        reasons = {code: WHY[(n + i) % len(WHY)] for i, code in enumerate(asked[unit_code])}
        explanation_letter(settings.path("inbox", unit.full_name, f"giai-trinh-{unit.slug}.docx"), settings, unit,
                           reasons, clock.now().date())
    process(f"Văn bản giải trình của {len(chosen)} đơn vị")
    at("revisions")
    path = workbook_path(settings)
    wb = openpyxl.load_workbook(path, keep_vba=True)
    unreasoned = (chosen[-1], next(iter(asked[chosen[-1]])))  # the council forgets one reason
    for row in wb["ThamDinh"].iter_rows(min_row=2):
        key = (row[0].value, row[2].value)
        if key[0] in chosen and key[1] in asked[key[0]]:
            row[TD_REVISED].value = asked[key[0]][key[1]]
            row[TD_REASON].value = None if key == unreasoned else REASON
    wb.save(path)
    table = recompute(settings)
    held = sum(len(asked[c]) for c in chosen) - len(table.revisions)
    echo(f"Hội đồng điều chỉnh {len(table.revisions)} tiêu chí sau giải trình (có lý do); {held} điều chỉnh "
         "chưa ghi lý do nên giữ điểm thẩm định lần đầu.")
    return len(chosen), table, held


def group_lines(table, settings) -> list[str]:
    """The summary's results per ranking group (its first three) and the count per band."""
    lines = []
    groups = list(dict.fromkeys(r.group for r in table.results))
    for group in groups:
        mine = [r for r in table.results if r.group == group]
        lines.append(f"  {group or 'Tất cả'} ({len(mine)} đơn vị):")
        lines += [f"    Hạng {r.rank}/{r.group_size}: {r.name} – chỉ số {number(r.index, settings.documents.decimals)}%"
                  + (f", xếp loại {r.band}" if r.band else "") for r in mine[:3]]
    if settings.ranking.bands:
        bands = [b.name for b in settings.ranking.bands] + [""]
        count = {b: sum(r.band == b for r in table.results) for b in bands}
        lines.append("  Xếp loại: " + ", ".join(f"{b or 'chưa xếp loại'} {count[b]}" for b in bands) + ".")
    return lines
