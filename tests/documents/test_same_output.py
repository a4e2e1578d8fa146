"""The letters, the docxtpl drafts and the survey forms, written from cached template parts, have the same
structure as the python-docx/docxtpl code of before wrote: every paragraph's and table cell's text, run and
paragraph properties, tables, sections, headers, footers and the other parts (tests/docx_scenarios.py).

The references of the letters and the survey forms were rewritten for issue 15 (the Decree 30 header with
its rules, the number line and the signature block of automation/formats/decree30.py); those of the drafts
are still the ones of before."""

from __future__ import annotations

import pytest

from tests import docx_scenarios, docxdump


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    return docx_scenarios.all_cases(tmp_path_factory.mktemp("same"))


def test_every_reference_has_a_case(written):
    assert sorted(p.name.removesuffix(".json.gz") for p in docx_scenarios.REFERENCE.iterdir()) == sorted(written)


@pytest.mark.parametrize("name", sorted(p.name.removesuffix(".json.gz")
                                        for p in docx_scenarios.REFERENCE.glob("*.json.gz")))
def test_same_structure_as_the_reference(written, name):
    got = docxdump.dump(written[name])
    want = docxdump.load(docx_scenarios.REFERENCE / f"{name}.json.gz")
    assert docxdump.differences(want, got) == []
