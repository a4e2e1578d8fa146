import datetime as dt

import pytest

from automation.config import DEFAULT_CONFIG, init_workspace, load_settings, parse_settings
from automation.problems import ConfigError, UsageError
from tests.conftest import ROOT

import tomllib


def _data():
    return tomllib.loads(DEFAULT_CONFIG.read_text(encoding="utf-8"))


def test_defaults_follow_the_seed_plan(settings):
    assert settings.year == 2021
    assert settings.authority.place_name == "Vĩnh Tường"
    assert settings.list_rules.size == 30
    assert (settings.list_rules.window_start, settings.list_rules.window_end) == (dt.date(2021, 1, 1),
                                                                                   dt.date(2021, 10, 15))
    dl = settings.deadlines["respondent_list"]
    assert dl.wording() == "trước ngày 30/10/2021" and dl.last_day == dt.date(2021, 10, 29)
    sa = settings.deadlines["self_assessment"]
    assert sa.wording() == "đến hết ngày 16/11/2021" and sa.is_on_time(dt.date(2021, 11, 16))
    assert settings.deadlines["supplementary_evidence"].last_day == dt.date(2021, 12, 9)


def test_repository_root_is_a_workspace():
    s = load_settings(ROOT)
    assert s.workspace == ROOT and len(s.units) == 28
    assert (ROOT / "cchc.toml").read_text(encoding="utf-8") == DEFAULT_CONFIG.read_text(encoding="utf-8")


@pytest.mark.parametrize("mutate, key", [
    (lambda d: d.__setitem__("year", "2021"), "year"),
    (lambda d: d["list"].__setitem__("size", 0), "list.size"),
    (lambda d: d["list"].__setitem__("sise", 30), "list.sise"),
    (lambda d: d["deadlines"]["respondent_list"].__setitem__("date", "30/10/2021"), "deadlines.respondent_list.date"),
    (lambda d: d["deadlines"].pop("appraisal"), "deadlines.appraisal.date"),
    (lambda d: d["units"][3].pop("name"), "units[3].name"),
    (lambda d: d["units"][4].__setitem__("code", d["units"][0]["code"]), "units[4].code"),
    (lambda d: d["authority"].__setitem__("issuing_body", "  "), "authority.issuing_body"),
    (lambda d: d["list"].__setitem__("window_end", dt.date(2020, 1, 1)), "list.window_end"),
    (lambda d: d["documents"].__setitem__("plan_recipients", ["a", 3]), "documents.plan_recipients"),
    (lambda d: d["inbox"].__setitem__("polling", "yes"), "inbox.polling"),
])
def test_invalid_configuration_names_the_key(mutate, key):
    data = _data()
    mutate(data)
    with pytest.raises(ConfigError) as exc:
        parse_settings(data)
    assert exc.value.code == "config.invalid"
    assert f"“{key}”" in exc.value.problem.message


def test_a_province_with_150_units_is_configuration():
    data = _data()
    data["units"] = [{"code": f"{i:05d}", "type": "Xã", "name": f"Xã Số {i}"} for i in range(150)]
    data["authority"]["district"] = ""
    assert len(parse_settings(data).units) == 150


def test_init_makes_a_workspace_and_refuses_twice(tmp_path):
    ws = init_workspace(tmp_path / "ws")
    assert {p.name for p in ws.iterdir()} >= {"cchc.toml", "inbox", "outbox", "templates"}
    assert (ws / "templates" / "bo-tieu-chi.xlsx").exists()  # the office edits its own copy
    assert load_settings(ws).year == 2021
    with pytest.raises(UsageError):
        init_workspace(ws)


def test_broken_toml_and_missing_file(tmp_path):
    with pytest.raises(ConfigError) as exc:
        load_settings(tmp_path)
    assert exc.value.code == "config.missing"
    (tmp_path / "cchc.toml").write_text("year = \n", encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_settings(tmp_path)
    assert exc.value.code == "config.invalid"
