"""The corpus of respondent lists made the way communes make them (tests/lists/corpus), checked end to end.

The corpus is built once per session (python-docx, openpyxl, hand-written HTML, one LibreOffice process per
target format) and checked through ``check_paths`` in one call per ``[list] formats`` setting, so the files
that need LibreOffice are converted in one batch.  Each case then compares its report with what an appraiser
following the plan decides (:mod:`tests.lists.corpus.cases`); a failing case lists every difference.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from dataclasses import dataclass

import pytest

from automation.check import FileReport, check_paths
from automation.config import default_settings
from tests.lists.corpus import make
from tests.lists.corpus.cases import CASES, ROW_CODES, Case

pytestmark = pytest.mark.libreoffice



@dataclass
class Corpus:
    built: dict[str, make.Built]
    reports: dict[str, FileReport]  # case id -> report
    build_s: float
    check_s: float


def _settings_for(formats: tuple[str, ...]):
    s = default_settings()
    if formats == s.list_rules.formats:
        return s
    return dataclasses.replace(s, list_rules=dataclasses.replace(s.list_rules, formats=formats))


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Corpus:
    folder = tmp_path_factory.mktemp("corpus") / "files"
    t0 = time.perf_counter()
    built = make.build_corpus(folder)
    t1 = time.perf_counter()
    reports: dict[str, FileReport] = {}
    for formats in dict.fromkeys(c.formats for c in CASES):  # the default setting first, one call each
        cases = [c for c in CASES if c.formats == formats]
        paths = list(dict.fromkeys(built[c.file].path for c in cases))
        by_name = {r.path.name: r for r in check_paths(paths, _settings_for(formats))}
        reports.update((c.id, by_name[c.file]) for c in cases)
    return Corpus(built, reports, t1 - t0, time.perf_counter() - t1)


def test_the_corpus_is_large_and_every_file_has_its_expectation():
    files = {c.file for c in CASES}
    assert len(CASES) >= 40 and len(files) >= 40
    assert files == set(make.REGISTRY), "every built file has a case and every case a builder"
    assert len({c.id for c in CASES}) == len(CASES)


def test_corpus_speed(corpus):
    # the corpus test as a whole must stay well under 60 s (CI runs it on 2 shared cores)
    assert corpus.check_s < 30, f"check_paths took {corpus.check_s:.1f} s"
    assert corpus.build_s + corpus.check_s < 60, f"build {corpus.build_s:.1f} s + check {corpus.check_s:.1f} s"


def _row_of(p) -> str | None:
    loc = p.location
    if loc is None or (loc.row is None and not loc.stt):
        return None
    return loc.stt or str(loc.row)


def differences(case: Case, rep: FileReport, names: dict[str, str]) -> list[str]:
    """Every way ``rep`` differs from what the appraiser decided, one line each."""
    out = []
    if rep.kind != case.kind:
        out.append(f"kind {rep.kind!r}, expected {case.kind!r}")
    if rep.verdict != case.verdict:
        out.append(f"verdict {rep.verdict!r}, expected {case.verdict!r}")
    unit = rep.unit.code if rep.unit else None
    if unit != case.unit:
        out.append(f"unit {unit}, expected {case.unit}")
    if rep.respondents != case.respondents:
        out.append(f"respondents {rep.respondents}, expected {case.respondents}")
    by_code: dict[str, list] = {}
    for p in rep.problems:
        by_code.setdefault(p.code, []).append(p)
    extra = sorted(set(by_code) - set(case.codes))
    missing = sorted(set(case.codes) - set(by_code))
    for code in extra:
        p = by_code[code][0]
        out.append(f"unexpected {code} x{len(by_code[code])}: {p.message}"
                   + (f" ({p.location.describe()})" if p.location else ""))
    for code in missing:
        out.append(f"missing {code}")
    for code, want in case.codes.items():
        got = by_code.get(code, [])
        if not got:
            continue
        if isinstance(want, int) and len(got) != want:
            out.append(f"{code}: {len(got)} findings, expected {want}")
        elif isinstance(want, tuple):
            rows = Counter(_row_of(p) for p in got)
            expected = Counter(str(r) for r in want)
            if rows != expected:
                def show(c):
                    return ",".join(f"{k}" + (f"x{n}" if n > 1 else "") for k, n in sorted(
                        c.items(), key=lambda kv: (kv[0] is None, int(kv[0]) if (kv[0] or "").isdigit() else 0)))
                out.append(f"{code}: rows [{show(rows)}], expected [{show(expected)}]")
    for code, texts in case.says.items():
        for text in texts:
            if by_code.get(code) and not any(text in p.message for p in by_code[code]):
                out.append(f"{code}: no message says {text!r} (first: {by_code[code][0].message!r})")
    for code, texts in case.where.items():
        places = [p.location.describe() if p.location else "" for p in by_code.get(code, [])]
        for text in texts:
            if by_code.get(code) and not any(text in w for w in places):
                out.append(f"{code}: no location says {text!r} (got {places})")
    for text in case.never_says:
        for p in rep.problems:
            if text in p.message:
                out.append(f"{p.code} says {text!r}: {p.message}")
    for code, texts in case.fix_never.items():
        for p in by_code.get(code, []):
            for text in texts:
                if text in p.fix:
                    out.append(f"{code}: advice says {text!r}")
    # row findings name the row as the commune numbered it and the person on it, never a table
    bad_places = []
    for p in rep.problems:
        if p.code not in ROW_CODES or p.location is None or p.location.row is None and not p.location.stt:
            continue
        where = p.location.describe()
        stt = p.location.stt or str(p.location.row)
        want = f"dòng STT {stt} ({names.get(stt, '?')})"
        if want not in where or "bảng " in where:
            bad_places.append(f"{where!r} (want {want!r})")
    if bad_places:
        out.append(f"row locations {bad_places[0]}" + (f" and {len(bad_places) - 1} more" if len(bad_places) > 1
                                                       else ""))
    return out


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(corpus, case):
    rep = corpus.reports[case.id]
    diffs = differences(case, rep, corpus.built[case.file].names)
    assert not diffs, f"{case.id}: " + "; ".join(diffs) + f"\n  why: {case.why}"
