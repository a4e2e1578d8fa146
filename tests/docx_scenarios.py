"""The Word outputs of the tool in a fixed set of cases, and their structural dumps (tests/docxdump.py).

``tests/fixtures/docx-reference/*.json.gz`` holds the dumps written by the python-docx/docxtpl code of before
issue 13 (letters built call by call, each docxtpl document from a freshly parsed template, survey forms
saved by python-docx); ``tests/documents/test_same_output.py`` checks the current code gives the same dumps.

    PYTHONPATH=$PWD .venv/bin/python -m tests.docx_scenarios   # rewrite the reference dumps (old code only!)
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

from tests import docxdump

REFERENCE = Path(__file__).resolve().parent / "fixtures" / "docx-reference"
NOW = dt.datetime(2021, 10, 26, 8, 30)
ODD = "A & B <c> \"d\" 'e'\x0bf\tg\nh\x01 ]]> Kim Xá\u0301"  # escaping, forbidden characters, line breaks, NFD


def letters(folder: Path) -> dict[str, Path]:
    from automation.config import default_settings
    from automation.documents.letters import write_feedback
    from automation.ledger.records import RESPONDENT_LIST, UNKNOWN, WORKBOOK, Submission
    from automation.problems import Location, problem

    settings = default_settings()
    unit = settings.units.by_code("09079")

    def sub(kind=RESPONDENT_LIST, version=2, verdict="rejected", on_time=True,
            received=dt.datetime(2021, 10, 25, 9, 15, 3), name="Kim Xa/DS Kim Xá.doc"):
        return Submission(id=7, sha256="ab" * 32, original_name=name, unit_code="09079", kind=kind,
                          version=version, status="archived", verdict=verdict, received_at=received,
                          on_time=on_time)

    problems = [problem("list.bad_phone", Location(table=1, row=3, column="Số điện thoại", area="danh sách",
                                                   stt="3", person="Lê Văn Ba"), value="12345"),
                problem("list.count", None, found=28, expected=30),
                problem("font.not_times_new_roman", Location(part="tiêu đề"), font="Arial",
                        sample=ODD, count=3)]
    cases = {
        "letter-rejected": dict(sub=sub(), problems=problems, unicode_copy=folder / "DS Kim Xa (Unicode).docx"),
        "letter-accepted": dict(sub=sub(verdict="accepted", version=None, on_time=None), problems=[]),
        "letter-warnings-workbook": dict(sub=sub(kind=WORKBOOK, verdict="accepted_with_warnings", on_time=False),
                                         problems=problems[1:]),
        "letter-replaced": dict(sub=sub(received=None, name=ODD + ".docx"), problems=problems[:1],
                                replaced_by=sub(version=3)),
        "letter-unknown-kind": dict(sub=sub(kind=UNKNOWN, verdict="rejected", on_time=False), problems=problems),
    }
    out = {}
    for name, c in cases.items():
        out[name] = write_feedback(folder / name, c["sub"], unit, c["problems"], settings, now=NOW,
                                   unicode_copy=c.get("unicode_copy"), replaced_by=c.get("replaced_by"))
    return out


def documents(folder: Path) -> dict[str, Path]:
    """The plan, the notices, the report and the decision of the shipped workspace (28 units)."""
    from automation.app import generate
    from automation.config import init_workspace, load_settings

    old = os.environ.get("CCHC_NOW")
    os.environ["CCHC_NOW"] = "2021-12-20T09:00:00"
    try:
        drafts = generate(load_settings(init_workspace(folder / "ws")), "all")
    finally:
        os.environ.pop("CCHC_NOW") if old is None else os.environ.__setitem__("CCHC_NOW", old)
    picked = [d for d in drafts if d.kind != "notice"] + [d for d in drafts if d.kind == "notice"][:3]
    return {f"draft-{d.path.stem}": d.path for d in picked}


def survey(folder: Path) -> dict[str, Path]:
    from automation.config import default_settings
    from automation.forms.survey import write_survey_forms
    from automation.survey.model import SampledPerson
    from automation.survey.questions import load_questions

    settings = default_settings()
    kim_xa = next(u for u in settings.units if u.slug == "xa-kim-xa")
    people = [SampledPerson(f"{kim_xa.code}-{i:02d}", kim_xa.code, kim_xa.full_name, f"Nguyễn Văn {i}",
                            f"Thôn {i}, {kim_xa.full_name}", "" if i == 2 else "0912345678", "Hộ tịch",
                            "Đăng ký khai sinh") for i in range(1, 4)]
    people.append(SampledPerson("X-01", "99999", ODD, ODD, ODD, ODD, ODD, "{name} {unit}"))
    result = write_survey_forms(folder / "outbox", settings, load_questions(), people)
    return {f"survey-{p.parent.name}": p for p in result.unit_files}


def all_cases(folder: Path) -> dict[str, Path]:
    return {**letters(folder / "letters"), **documents(folder / "documents"), **survey(folder / "survey")}


def main() -> int:
    REFERENCE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in all_cases(Path(tmp)).items():
            docxdump.save(docxdump.dump(path), REFERENCE / f"{name}.json.gz")
            print(name, path.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
