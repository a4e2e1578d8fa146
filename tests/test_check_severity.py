"""``[self_assessment] evidence_missing``: the severity of a score without evidence or explanation."""

from __future__ import annotations

import pytest

from automation.check import check_paths
from automation.config import init_workspace, load_settings
from automation.problems import ConfigError
from automation.scoring.framework import load_framework
from tests.builders import self_assessment_workbook


def _workspace(tmp_path, severity: str | None):
    root = init_workspace(tmp_path / "ws")
    if severity is not None:
        toml = root / "cchc.toml"
        text = toml.read_text(encoding="utf-8")
        assert 'evidence_missing = "warning"' in text
        toml.write_text(text.replace('evidence_missing = "warning"', f'evidence_missing = "{severity}"'),
                        encoding="utf-8")
    return root


def _bare_workbook(path):
    fw = load_framework()
    full = {c.code: float(c.max_points) for c in fw.scored}
    first = fw.scored[0].code
    return self_assessment_workbook(path, "Xã Kim Xá", "09079", fw.scored, full,
                                    {c.code: ("" if c.code == first else f"Tài liệu {c.code}") for c in fw.scored})


@pytest.mark.parametrize("severity, verdict", [(None, "accepted_with_warnings"), ("warning", "accepted_with_warnings"),
                                               ("error", "rejected")])
def test_evidence_missing_takes_the_configured_severity(tmp_path, severity, verdict):
    settings = load_settings(_workspace(tmp_path, severity))
    assert settings.self_assessment.evidence_missing == (severity or "warning")
    [rep] = check_paths([_bare_workbook(tmp_path / "tu-cham.xlsx")], settings)
    assert [(p.code, p.severity.value) for p in rep.problems] == [("score.evidence_missing", severity or "warning")]
    assert rep.verdict == verdict


def test_an_unknown_severity_names_the_key(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_settings(_workspace(tmp_path, "fatal"))
    assert "self_assessment.evidence_missing" in str(info.value) and "“error”" in str(info.value)
