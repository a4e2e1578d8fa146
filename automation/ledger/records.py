"""What the intake desk records about each file it receives."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# kinds of submission (the plan: list, self-assessment workbook and report, evidence, explanations)
RESPONDENT_LIST = "respondent_list"
WORKBOOK = "workbook"
REPORT = "report"
EVIDENCE = "evidence"
EXPLANATION = "explanation"  # after the notices: a commune's explanation of its scores
SURVEY_ENTRY = "survey_entry"  # the office's filled survey entry workbook, not a commune's file
UNKNOWN = "unknown"
KINDS = (RESPONDENT_LIST, WORKBOOK, REPORT, EVIDENCE, EXPLANATION, SURVEY_ENTRY, UNKNOWN)
KIND_NAMES = {RESPONDENT_LIST: "danh sách người đã giao dịch TTHC", WORKBOOK: "biểu tự đánh giá, chấm điểm",
              REPORT: "báo cáo tự đánh giá", EVIDENCE: "tài liệu kiểm chứng", EXPLANATION: "văn bản giải trình",
              SURVEY_ENTRY: "bảng nhập phiếu điều tra XHH", UNKNOWN: "không xác định"}
KIND_FOLDERS = {RESPONDENT_LIST: "danh-sach", WORKBOOK: "bieu-cham-diem", REPORT: "bao-cao",
                EVIDENCE: "tai-lieu-kiem-chung", EXPLANATION: "giai-trinh", SURVEY_ENTRY: "nhap-phieu",
                UNKNOWN: "khac"}
# the deadline of each kind, by its key in cchc.toml [deadlines]
KIND_DEADLINES = {RESPONDENT_LIST: "respondent_list", WORKBOOK: "self_assessment", REPORT: "self_assessment",
                  EVIDENCE: "supplementary_evidence", EXPLANATION: "supplementary_evidence"}

# statuses
PROCESSING = "processing"
ARCHIVED = "archived"
QUARANTINED = "quarantined"
DUPLICATE = "duplicate"
SUPERSEDED = "superseded"


@dataclass
class Submission:
    id: int
    sha256: str
    original_name: str  # the name as dropped, with its subfolder: "Kim Xa/DS.doc"
    unit_code: str | None
    kind: str
    version: int | None
    status: str
    verdict: str | None
    problems: list[dict] = field(default_factory=list)  # Problem.as_dict() plus "fix"
    received_at: dt.datetime | None = None
    on_time: bool | None = None
    path: str = ""  # where the original is now, relative to the workspace
    criterion: str | None = None  # evidence: the criterion code its name starts with
    duplicate_of: int | None = None
    feedback_path: str | None = None
    converted_path: str | None = None  # the .docx/.xlsx LibreOffice made of a legacy file, kept beside it
