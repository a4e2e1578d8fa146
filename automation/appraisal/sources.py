"""What the appraisal table takes from the ledger: each unit's latest self-assessment (as read when it
arrived, stored with its submission) and the evidence archived for each criterion.

A workbook archived before extractions were stored (a ledger from an older version) is read once here, its
self-scores stored, and never read again; a legacy .xls/.ods is read from the .xlsx kept beside it, or
converted once if there is none.
"""

from __future__ import annotations

import logging
from pathlib import Path

from automation.config import Settings
from automation.ledger import Ledger
from automation.ledger import records as m
from automation.problems import CchcError
from automation.scoring.framework import Framework
from automation.scoring.selfassess import SelfAssessment, read_self_assessment

log = logging.getLogger(__name__)
_NEEDS_CONVERSION = {".xls", ".ods"}
# what a file's bytes say never changes: a watcher keeps the self-assessments it parsed, by SHA-256
_PARSED: dict[str, SelfAssessment] = {}


def latest_inputs(settings: Settings, ledger: Ledger, framework: Framework, units: list[str] | None = None):
    """({unit code: SelfAssessment}, {(unit code, criterion): [(file name, link from outbox/)]}), of every
    unit or of ``units`` only."""
    latest = ledger.submissions.latest_by_unit(m.WORKBOOK, units)
    stored = ledger.submissions.extractions([s.sha256 for s in latest.values() if s.sha256 not in _PARSED])
    own: dict[str, SelfAssessment] = {}
    unread: dict[str, m.Submission] = {}
    for code, sub in latest.items():
        sa = _PARSED.get(sub.sha256)
        data = stored.get(sub.sha256)
        if sa is None and data is not None and "self_assessment" in data:
            if len(_PARSED) > 50_000:  # a country's worth of versions: start again rather than grow
                _PARSED.clear()
            sa = _PARSED[sub.sha256] = SelfAssessment.from_dict(data["self_assessment"])
        if sa is not None:
            own[code] = sa
        else:
            unread[code] = sub
    if unread:
        own.update(_read_and_store(settings, ledger, framework, unread))
    return own, evidence_links(ledger, framework, units)


def evidence_links(ledger: Ledger, framework: Framework,
                   units: list[str] | None = None) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(unit, criterion) -> the evidence archived for it and the explanations that speak of it ("Giải trình: …";
    an explanation naming no criterion of the framework is shown on every row of its unit)."""
    evidence: dict[tuple[str, str], list[tuple[str, str]]] = {}
    scored = [c.code for c in framework.scored]

    def put(unit: str, named: list[str], shown: str, link: str, or_every_row: bool = False) -> None:
        codes = [c for c in scored if any(c == n or c.startswith(n + ".") for n in named)]
        for code in codes or (scored if or_every_row else ()):
            evidence.setdefault((unit, code), []).append((shown, link))

    for s in ledger.submissions.archived_evidence(units):
        put(s.unit_code, [s.criterion], Path(s.original_name).name, "../" + s.path)
    explanations = [s for s in ledger.submissions.archived(m.EXPLANATION) if units is None or s.unit_code in units]
    stored = ledger.submissions.extractions([s.sha256 for s in explanations])
    for s in explanations:
        named = [s.criterion] if s.criterion else (stored.get(s.sha256) or {}).get("criteria") or []
        put(s.unit_code, named, f"Giải trình: {Path(s.original_name).name}", "../" + s.path, or_every_row=True)
    return evidence


def _read_and_store(settings: Settings, ledger: Ledger, framework: Framework,
                    subs: dict[str, m.Submission]) -> dict[str, SelfAssessment]:
    root = Path(settings.workspace)
    paths = {code: root / (s.converted_path or s.path) for code, s in subs.items()}
    out: dict[str, SelfAssessment] = {}
    legacy = [p for p in paths.values() if p.suffix.lower() in _NEEDS_CONVERSION]
    converted: dict[Path, object] = {}
    conv = None
    try:
        if legacy:
            from automation.formats.convert import Converter  # noqa: PLC0415
            from automation.workspace import libreoffice_dir  # noqa: PLC0415
            conv = Converter(timeout_s=settings.limits.conversion_timeout_s,
                             workdir=libreoffice_dir(settings.workspace), limits=settings.limits)
            converted = conv.convert_many(legacy, "xlsx")
        for code, path in paths.items():
            source = converted.get(path, path)
            if isinstance(source, CchcError):
                log.warning("self-assessment %s not converted: %s", path, source.problem.code)
                continue
            sa, _problems = read_self_assessment(Path(source), framework)
            if sa is not None:
                out[code] = sa
                with ledger.transaction():
                    ledger.submissions.store_extraction(subs[code].sha256, "self_assessment",
                                                        {"kind": "self_assessment", "self_assessment": sa.to_dict()})
    finally:
        if conv is not None:
            conv.close()
    return out
