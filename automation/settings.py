"""The settings of a workspace, as typed values: what ``cchc.toml`` holds once :mod:`automation.config` has read
and validated it (deadlines, the authority, the rules for lists and self-assessments, the inbox, the documents,
mail, the units and the ranking)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from automation.formats.limits import Limits
from automation.problems import UsageError
from automation.ranking_rules import Ranking
from automation.units import UnitRegistry


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    inclusive: bool

    @property
    def last_day(self) -> dt.date:
        """The last day on which a submission is on time."""
        return self.date if self.inclusive else self.date - dt.timedelta(days=1)

    def is_on_time(self, day: dt.date) -> bool:
        return day <= self.last_day

    def wording(self) -> str:
        """As the plan words it: "trước ngày 30/10/2021" or "đến hết ngày 16/11/2021"."""
        d = self.date.strftime("%d/%m/%Y")
        return f"đến hết ngày {d}" if self.inclusive else f"trước ngày {d}"


@dataclass(frozen=True)
class Authority:
    parent_body: str
    issuing_body: str
    short_name: str
    place_name: str
    standing_office: str
    district: str
    province: str
    former_provinces: tuple[str, ...] = ()  # provinces merged into this one (people still write "tỉnh Vĩnh Phúc")
    former_districts: tuple[str, ...] = ()  # districts that no longer exist (a bare "Vĩnh Tường" names one)


@dataclass(frozen=True)
class ListRules:
    size: int
    window_start: dt.date
    window_end: dt.date
    min_fields: int
    max_field_share: float
    formats: tuple[str, ...] = ("word",)  # file families a list may come in: "word", "excel"


@dataclass(frozen=True)
class SelfAssessmentRules:
    evidence_missing: str = "warning"  # severity of score.evidence_missing: "warning" (the plan's) or "error"


@dataclass(frozen=True)
class InboxSettings:
    polling: bool  # PollingObserver instead of native events (shared folders: SMB/CIFS/NFS)
    polling_interval_s: float
    stable_window_s: float  # size and modification time unchanged this long before a file is taken
    rescan_s: float  # full rescan of the inbox, whatever the events say
    appraisal_interval_s: float = 30.0  # while files keep arriving, the appraisal workbook written at most this often


@dataclass(frozen=True)
class Documents:
    authority_line: str  # "TM. ỦY BAN NHÂN DÂN"
    signer_title: str  # "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    signer_name: str
    signer_email: str
    body_abbreviation: str  # in document numbers: "KH-UBND"
    office_abbreviation: str  # "Lưu: VT, NV."
    criteria_decision: str  # the province's decision issuing the criteria
    publication: str  # when the index is published: "trong Quý I/2022"
    numbers: dict[str, str]  # plan/report/decision/notice -> number ("" until the registry assigns one)
    recipients: dict[str, tuple[str, ...]]  # plan/report/decision/notice -> "Nơi nhận" lines
    legal_basis: tuple[str, ...] = ()  # the decision's "Căn cứ" lines; empty: the default by date
    # the feedback letters: issued and signed by the standing office ("TRƯỞNG PHÒNG"); "" = by the issuing body,
    # signed as the drafts are
    letter_signer_title: str = "TRƯỞNG PHÒNG"
    letter_signer_name: str = ""
    decimals: int = 2  # decimals of every score and index shown to readers (documents, workbooks, mail)
    plan_date: dt.date | None = None  # the plan's date; None: left blank for the registry ("ngày   tháng   năm")


@dataclass(frozen=True)
class Mail:
    host: str
    port: int
    security: str  # starttls | ssl | none
    user: str
    password_env: str  # the NAME of the environment variable holding the password, never the password
    sender: str
    recipients: tuple[str, ...]
    attempts: int
    backoff_s: float
    weekday: int  # 1 = Monday … 7 = Sunday: the weekly status goes out on this day
    time: str  # "HH:MM", local time
    timeout_s: float = 60.0  # one sending (every attempt and back-off included) never takes longer
    ca_file: Path | None = None  # a PEM bundle of the CAs to trust instead of the system's (own provincial CA)


@dataclass(frozen=True)
class Settings:
    year: int
    authority: Authority
    deadlines: dict[str, Deadline]
    list_rules: ListRules
    limits: Limits
    inbox: InboxSettings
    documents: Documents
    mail: Mail | None
    units: UnitRegistry = field(compare=False)
    workspace: Path | None = None
    self_assessment: SelfAssessmentRules = field(default_factory=SelfAssessmentRules)
    ranking: Ranking = field(default_factory=Ranking)

    def path(self, *parts: str) -> Path:
        if self.workspace is None:
            raise UsageError("usage.bad_argument", detail="Lệnh này cần một không gian làm việc (--workspace)")
        return self.workspace.joinpath(*parts)


DEADLINE_KEYS = ("respondent_list", "self_assessment_open", "self_assessment", "supplementary_evidence",
                 "appraisal", "survey", "combined_results", "final_report", "decision")
