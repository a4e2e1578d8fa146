"""``cchc.toml`` -> typed, validated settings; every error names its key.

A workspace is a folder holding ``cchc.toml`` with ``inbox/``, ``outbox/`` and ``templates/``.
Without a workspace the built-in defaults (Vĩnh Tường, 2021) apply.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import ssl
import tomllib
from pathlib import Path

from automation.formats.limits import Limits
from automation.problems import ConfigError, UsageError
from automation.resources import shipped_templates
from automation.settings import (DEADLINE_KEYS, Authority, Deadline, Documents, InboxSettings, ListRules,  # noqa: F401
                                 Mail, SelfAssessmentRules, Settings)
from automation.ranking_rules import parse_ranking
from automation.unitfile import parse_former, read_unit_file
from automation.units import KINDS, Unit, UnitRegistry, kind_of
from automation import vntext

CONFIG_NAME = "cchc.toml"
DEFAULT_CONFIG = Path(__file__).with_name("data") / "cchc.default.toml"


_WEEKDAYS = {"monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7,
             "thu 2": 1, "thu 3": 2, "thu 4": 3, "thu 5": 4, "thu 6": 5, "thu 7": 6, "chu nhat": 7}



class _Reader:
    """Typed access to a TOML table that reports the full dotted key on every error."""

    def __init__(self, data: dict, prefix: str = ""):
        self.data, self.prefix, self.seen = data, prefix, set()

    def _key(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def get(self, name: str, kind, default=..., check=None):
        self.seen.add(name)
        if name not in self.data:
            if default is ...:
                raise ConfigError("config.invalid", key=self._key(name), detail="thiếu khóa bắt buộc")
            return default
        value = self.data[name]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)) \
                or (kind is dt.date and isinstance(value, dt.datetime)):
            from automation.tomltext import type_mismatch  # noqa: PLC0415
            raise ConfigError("config.invalid", key=self._key(name), detail=type_mismatch(name, value, kind))
        if check is not None:
            msg = check(value)
            if msg:
                raise ConfigError("config.invalid", key=self._key(name), detail=msg)
        return value

    def text(self, name: str, default=..., allow_empty=False) -> str:
        value = self.get(name, str, default)
        value = vntext.clean(value)
        if not value and not allow_empty:
            raise ConfigError("config.invalid", key=self._key(name), detail="không được để trống")
        return value

    def table(self, name: str) -> "_Reader":
        return _Reader(self.get(name, dict, {}), f"{self._key(name)}.")

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self.seen)
        if unknown:
            from difflib import get_close_matches  # noqa: PLC0415
            near = get_close_matches(unknown[0], sorted(self.seen), 1)
            raise ConfigError("config.invalid", key=self._key(unknown[0]), detail="khóa không được hỗ trợ" + (
                f" (có phải ý bạn là “{self._key(near[0])}”?)" if near else " (gõ nhầm?)"))


def _positive(v) -> str | None:
    return None if v > 0 else "phải lớn hơn 0"


LIST_FORMATS = {"word": "Word (.doc, .docx)", "excel": "Excel (.xlsx, .xls)"}


def _list_formats(v: list) -> str | None:
    if not v:
        return "cần ít nhất một định dạng"
    bad = [x for x in v if x not in LIST_FORMATS]
    if bad:
        return f"“{bad[0]}” không phải định dạng danh sách; dùng {', '.join(f'“{k}”' for k in LIST_FORMATS)}"
    return None


def parse_settings(data: dict, workspace: Path | None = None) -> Settings:
    root = _Reader(data)
    year = root.get("year", int, check=lambda v: None if 1990 <= v <= 2100 else "năm không hợp lệ")

    a = root.table("authority")
    authority = Authority(
        parent_body=a.text("parent_body", "", allow_empty=True), issuing_body=a.text("issuing_body"),
        short_name=a.text("short_name"), place_name=a.text("place_name"),
        standing_office=a.text("standing_office"), district=a.text("district", "", allow_empty=True),
        province=a.text("province", "", allow_empty=True), former_provinces=_text_list(a, "former_provinces"),
        former_districts=_text_list(a, "former_districts"))
    a.finish()

    d = root.table("deadlines")
    deadlines = {}
    for name in DEADLINE_KEYS:
        t = d.table(name)
        deadlines[name] = Deadline(t.get("date", dt.date), t.get("inclusive", bool, False))
        t.finish()
    d.finish()

    lr = root.table("list")
    start = lr.get("window_start", dt.date, dt.date(year, 1, 1))
    end = lr.get("window_end", dt.date, dt.date(year, 10, 15))
    if end < start:
        raise ConfigError("config.invalid", key="list.window_end", detail="ngày kết thúc trước ngày bắt đầu")
    rules = ListRules(
        size=lr.get("size", int, 30, _positive), window_start=start, window_end=end,
        min_fields=lr.get("min_fields", int, 3, lambda v: None if v >= 1 else "phải từ 1 trở lên"),
        max_field_share=lr.get("max_field_share", float, 0.7,
                               lambda v: None if 0 < v <= 1 else "phải trong khoảng (0, 1]"),
        formats=tuple(lr.get("formats", list, ["word"], _list_formats)))
    lr.finish()

    sa = root.table("self_assessment")
    self_assessment = SelfAssessmentRules(evidence_missing=sa.get(
        "evidence_missing", str, "warning",
        lambda v: None if v in ("warning", "error") else "chọn “warning” (nhắc nhở) hoặc “error” (trả lại biểu)"))
    sa.finish()

    lim = root.table("limits")
    limits = Limits(
        max_file_bytes=int(lim.get("max_file_mb", float, 25.0, _positive) * 1024 * 1024),
        max_uncompressed_bytes=int(lim.get("max_uncompressed_mb", float, 250.0, _positive) * 1024 * 1024),
        max_compression_ratio=lim.get("max_compression_ratio", float, 200.0, _positive),
        conversion_timeout_s=lim.get("conversion_timeout_s", float, 60.0, _positive))
    lim.finish()

    ib = root.table("inbox")
    inbox = InboxSettings(
        polling=ib.get("polling", bool, False),
        polling_interval_s=ib.get("polling_interval_s", float, 5.0, _positive),
        stable_window_s=ib.get("stable_window_s", float, 2.0, _positive),
        rescan_s=ib.get("rescan_s", float, 60.0, _positive),
        appraisal_interval_s=ib.get("appraisal_interval_s", float, 30.0,
                                    lambda v: None if v >= 0 else "không được nhỏ hơn 0"))
    ib.finish()

    dc = root.table("documents")
    doc_kinds = ("plan", "report", "decision", "notice")
    recipients = {kind: _text_list(dc, f"{kind}_recipients") for kind in doc_kinds}
    documents = Documents(
        authority_line=dc.text("authority_line", "TM. ỦY BAN NHÂN DÂN"),
        signer_title=dc.get("signer_title", str, "CHỦ TỊCH").strip(),
        signer_name=dc.text("signer_name", "", allow_empty=True),
        signer_email=dc.text("signer_email", "", allow_empty=True),
        body_abbreviation=dc.text("body_abbreviation", "UBND"),
        office_abbreviation=dc.text("office_abbreviation", "NV"),
        criteria_decision=dc.text("criteria_decision", "", allow_empty=True),
        publication=dc.text("publication", "", allow_empty=True),
        numbers={k: dc.text(f"{k}_number", "", allow_empty=True) for k in doc_kinds},
        recipients=recipients, legal_basis=_text_list(dc, "legal_basis"),
        letter_signer_title=dc.get("letter_signer_title", str, "TRƯỞNG PHÒNG").strip(),
        letter_signer_name=dc.text("letter_signer_name", "", allow_empty=True), **_document_style(dc))
    dc.finish()

    ml = root.table("mail")
    mail = None
    if ml.data:
        security = ml.text("security", "starttls")
        if security not in ("starttls", "ssl", "none"):
            raise ConfigError("config.invalid", key="mail.security", detail="chọn starttls, ssl hoặc none")
        recipients = ml.get("recipients", list)
        if not recipients or not all(isinstance(x, str) and "@" in x for x in recipients):
            raise ConfigError("config.invalid", key="mail.recipients", detail="cần danh sách địa chỉ thư")
        mail = Mail(host=ml.text("host"), port=ml.get("port", int, 587, _positive), security=security,
                    user=ml.text("user", "", allow_empty=True),
                    password_env=ml.text("password_env", "CCHC_SMTP_PASSWORD"), sender=ml.text("sender"),
                    recipients=tuple(recipients), attempts=ml.get("attempts", int, 4, _positive),
                    backoff_s=ml.get("backoff_s", float, 2.0, _positive), weekday=_weekday(ml),
                    time=ml.get("time", str, "16:00", lambda v: None if _HHMM.match(v) else "cần dạng HH:MM"),
                    timeout_s=ml.get("timeout_s", float, 60.0, _timeout), ca_file=_ca_file(ml, workspace))
    ml.finish()

    units = _units(root, workspace)
    ranking = parse_ranking(root.get("ranking", dict, {}), units)
    root.finish()
    return Settings(year=year, authority=authority, deadlines=deadlines, list_rules=rules, limits=limits,
                    inbox=inbox, documents=documents, mail=mail, units=UnitRegistry(units), workspace=workspace,
                    self_assessment=self_assessment, ranking=ranking)


def _document_style(dc: "_Reader") -> dict:
    """``[documents] decimals`` (of every score and index shown) and ``plan_date`` (blank: the registry's)."""
    return {"decimals": dc.get("decimals", int, 2, lambda v: None if 0 <= v <= 4 else "phải từ 0 đến 4"),
            "plan_date": dc.get("plan_date", dt.date, None)}


def _text_list(r: "_Reader", name: str) -> tuple[str, ...]:
    lines = r.get(name, list, [])
    if not all(isinstance(x, str) for x in lines):
        raise ConfigError("config.invalid", key=r._key(name), detail="cần danh sách chuỗi")
    return tuple(x for x in (vntext.clean(v) for v in lines) if x)


def _units(root: "_Reader", workspace: Path | None) -> list[Unit]:
    """``[[units]]`` blocks, or ``[units] file = "don-vi.csv"`` (relative to the workspace)."""
    raw_units = root.get("units", (list, dict))
    if isinstance(raw_units, dict):
        t = root.table("units")
        name = t.text("file")
        t.finish()
        path = Path(name).expanduser()
        if not path.is_absolute():
            path = (workspace or Path.cwd()) / path
        return read_unit_file(path)
    units, codes = [], set()
    for i, raw in enumerate(raw_units):
        if not isinstance(raw, dict):
            raise ConfigError("config.invalid", key=f"units[{i}]", detail="cần bảng có code, type, name")
        u = _Reader(raw, f"units[{i}].")
        code = u.text("code")
        if code in codes:
            raise ConfigError("config.invalid", key=f"units[{i}].code", detail=f"mã đơn vị {code} bị trùng")
        codes.add(code)
        aliases = u.get("aliases", list, [])
        type_word = u.text("type")
        if not kind_of(type_word):
            raise ConfigError("config.invalid", key=f"units[{i}].type",
                              detail=f"“{type_word}” không phải loại đơn vị; dùng {', '.join(KINDS.values())}")
        try:
            former = parse_former("; ".join(str(x) for x in u.get("former", list, [])))
        except ValueError as exc:
            raise ConfigError("config.invalid", key=f"units[{i}].former",
                              detail=f"đơn vị cũ “{exc}” viết không đúng dạng “Xã Kim Xá (09079)”") from None
        units.append(Unit(code=code, type=KINDS[kind_of(type_word)], name=u.text("name"),
                          aliases=tuple(vntext.clean(str(x)) for x in aliases),
                          group=u.text("group", "", allow_empty=True), former=former))
        u.finish()
    if not units:
        raise ConfigError("config.invalid", key="units", detail="danh sách đơn vị trống")
    return units


_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _weekday(ml: "_Reader") -> int:
    raw = ml.get("weekday", (str, int), "friday")
    if isinstance(raw, int) and not isinstance(raw, bool) and 1 <= raw <= 7:
        return raw
    day = _WEEKDAYS.get(vntext.ascii_key(str(raw)))
    if day is None:
        from automation.tomltext import toml_text  # noqa: PLC0415
        raise ConfigError("config.invalid", key="mail.weekday",
                          detail=f"cần monday … sunday, “Thứ 6” hoặc 1–7, nhưng ghi “{toml_text(raw)}”")
    return day


MAX_MAIL_TIMEOUT_S = 3600.0


def _timeout(v: float) -> str | None:
    return None if 0 < v <= MAX_MAIL_TIMEOUT_S else f"phải lớn hơn 0 và không quá {MAX_MAIL_TIMEOUT_S:g} giây"


def _ca_file(ml: "_Reader", workspace: Path | None) -> Path | None:
    """``[mail] ca_file``: a PEM bundle, relative to the workspace; it must load as CA certificates."""
    raw = ml.text("ca_file", "", allow_empty=True)
    if not raw:
        return None
    path = Path(raw).expanduser()
    if not path.is_absolute():
        path = (workspace or Path.cwd()) / path
    if not path.is_file():
        raise ConfigError("config.invalid", key="mail.ca_file", detail=f"không tìm thấy tệp chứng chỉ {path}")
    try:
        ssl.create_default_context(cafile=str(path))
    except (ssl.SSLError, ValueError) as exc:
        raise ConfigError("config.invalid", key="mail.ca_file",
                          detail=f"tệp {path} không phải chứng chỉ CA dạng PEM ({exc})") from None
    except OSError as exc:
        raise ConfigError("config.invalid", key="mail.ca_file", detail=f"không đọc được tệp {path} ({exc})") from None
    return path


def _load_toml(path: Path) -> dict:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError("config.missing", path=str(path)) from None
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark (Notepad) is not a mistake
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ConfigError("config.invalid", variant="encoding", key=path.name, path=str(path), line=line) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        from automation.tomltext import syntax_problem  # noqa: PLC0415
        where = syntax_problem(exc, text)
        raise ConfigError("config.invalid", variant="syntax", key=where.key or path.name, path=str(path),
                          line=where.line, column=where.column, where=where.where, detail=where.detail) from None


def default_settings() -> Settings:
    return parse_settings(_load_toml(DEFAULT_CONFIG))


def load_settings(workspace: Path | str | None) -> Settings:
    """Settings of ``workspace`` (a folder with cchc.toml), or the built-in defaults when None."""
    if workspace is None:
        return default_settings()
    ws = Path(workspace).resolve()
    return parse_settings(_load_toml(ws / CONFIG_NAME), ws)


WORKSPACE_DIRS = ("inbox", "outbox", "templates")


PRESETS_DIR = DEFAULT_CONFIG.parent / "presets"
DEFAULT_PRESET = "vinh-tuong-2021"  # the seed's district: the built-in defaults


def presets() -> tuple[str, ...]:
    """The workspaces ``cchc init --preset`` can make: the default and each folder of ``data/presets/``."""
    shipped = sorted(p.name for p in PRESETS_DIR.iterdir() if (p / CONFIG_NAME).is_file()) \
        if PRESETS_DIR.is_dir() else []
    return (DEFAULT_PRESET, *shipped)


def init_workspace(target: Path, preset: str = DEFAULT_PRESET) -> Path:
    """Make a new workspace: cchc.toml (the defaults, or those of ``preset``) and its folders.

    A preset folder holds its ``cchc.toml``, the files it names (a unit list ``don-vi.csv``) and templates
    that replace the shipped ones (``bo-tieu-chi.xlsx``: its criteria framework)."""
    if preset not in presets():
        raise UsageError("usage.bad_argument", detail=f"không có mẫu “{preset}”; chọn {', '.join(presets())}")
    target = Path(target)
    if (target / CONFIG_NAME).exists():
        raise UsageError("workspace.exists", path=str(target))
    target.mkdir(parents=True, exist_ok=True)
    for d in WORKSPACE_DIRS:
        (target / d).mkdir(exist_ok=True)
    own: dict[str, Path] = {}
    if preset == DEFAULT_PRESET:
        shutil.copyfile(DEFAULT_CONFIG, target / CONFIG_NAME)
    else:
        for f in sorted((PRESETS_DIR / preset).iterdir()):
            if f.suffix in (".xlsx", ".docx"):
                own[f.name] = f
            elif f.is_file() and not f.name.startswith("."):
                shutil.copyfile(f, target / f.name)
    # the shipped templates, for the office to edit in its own workspace (they override the shipped ones)
    shipped = shipped_templates()
    if shipped.is_dir():
        for t in shipped.iterdir():
            if t.is_file() and not t.name.startswith("."):
                own.setdefault(t.name, t)
    for name, t in sorted(own.items()):
        if not (target / "templates" / name).exists():
            shutil.copyfile(t, target / "templates" / name)
    return target
