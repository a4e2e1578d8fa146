"""What the appraisal workbook takes from the ledger: each unit's latest self-assessment and its evidence."""

from __future__ import annotations

import logging
from pathlib import Path

from automation.config import Settings
from automation.ledger import records as m
from automation.ledger.db import LEDGER_NAME, Ledger
from automation.problems import CchcError
from automation.scoring.framework import Framework
from automation.scoring.selfassess import SelfAssessment, read_self_assessment

log = logging.getLogger(__name__)
_NEEDS_CONVERSION = {".xls", ".ods"}


def latest_inputs(settings: Settings, framework: Framework):
    """({unit code: SelfAssessment}, {(unit code, criterion): [(file name, link from outbox/)]})."""
    ledger_path = settings.path(LEDGER_NAME)
    if not ledger_path.exists():
        return {}, {}
    with Ledger(ledger_path) as ledger:
        subs = ledger.all()
        latest = ledger.latest_by_unit(m.WORKBOOK)
    own = _read_all({code: settings.path(s.path) for code, s in latest.items()}, framework, settings)
    evidence: dict[tuple[str, str], list[tuple[str, str]]] = {}
    scored = [c.code for c in framework.scored]
    for s in subs:
        if s.kind != m.EVIDENCE or s.status != m.ARCHIVED or not s.unit_code or not s.criterion:
            continue
        for code in scored:
            if code == s.criterion or code.startswith(s.criterion + "."):
                evidence.setdefault((s.unit_code, code), []).append((Path(s.original_name).name, "../" + s.path))
    return own, evidence


def _read_all(paths: dict[str, Path], framework: Framework, settings: Settings) -> dict[str, SelfAssessment]:
    out: dict[str, SelfAssessment] = {}
    legacy = [p for p in paths.values() if p.suffix.lower() in _NEEDS_CONVERSION]
    converted: dict[Path, object] = {}
    conv = None
    try:
        if legacy:
            from automation.formats.convert import Converter  # noqa: PLC0415
            conv = Converter(timeout_s=settings.limits.conversion_timeout_s, limits=settings.limits)
            converted = conv.convert_many(legacy, "xlsx")
        for code, path in paths.items():
            source = converted.get(path, path)
            if isinstance(source, CchcError):
                log.warning("self-assessment %s not converted: %s", path, source.problem.code)
                continue
            sa, _problems = read_self_assessment(Path(source), framework)
            if sa is not None:
                out[code] = sa
    finally:
        if conv is not None:
            conv.close()
    return out
