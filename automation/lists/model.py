"""The respondent list: the people a commune lists for the survey (plan, section II.3)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# canonical columns of the list template the office sends to communes
COLUMNS = ("stt", "name", "address", "phone", "field", "procedure", "submitted", "received")
COLUMN_TITLES = {
    "stt": "STT",
    "name": "Họ và tên",
    "address": "Địa chỉ",
    "phone": "Số điện thoại",
    "field": "Lĩnh vực",
    "procedure": "Tên thủ tục hành chính",
    "submitted": "Ngày nộp hồ sơ",
    "received": "Ngày nhận kết quả",
}
REQUIRED_COLUMNS = ("name", "address", "procedure")
OTHER_TITLES = {"appointment": "Ngày hẹn trả kết quả", "note": "Ghi chú"}


@dataclass
class Respondent:
    row: int  # 1-based position among the data rows of the list table
    name: str = ""
    address: str = ""
    phone: str = ""
    field: str = ""
    procedure: str = ""
    submitted_text: str = ""
    received_text: str = ""
    stt: str = ""
    appointment_text: str = ""  # a promised date ("Ngày hẹn trả"): never a result
    note: str = ""  # the notes or status column ("Ghi chú", "Trạng thái")
    table: int | None = None  # the document table the row is in (a list may span several)

    def as_dict(self) -> dict:
        return {"row": self.row, "stt": self.stt, "name": self.name, "address": self.address, "phone": self.phone,
                "field": self.field, "procedure": self.procedure, "submitted": self.submitted_text,
                "received": self.received_text, "appointment": self.appointment_text, "note": self.note}


AREA = "danh sách"  # how a person names the list table in a letter


@dataclass
class RespondentList:
    table: int  # 1-based index of the (first) table of the list in the document
    columns: dict[str, int]  # column kind -> index in the table grid
    headers: dict[str, str]  # column kind -> header text as written
    respondents: list[Respondent] = field(default_factory=list)
    heading: list[str] = field(default_factory=list)  # paragraphs above the table
    tables: list[int] = field(default_factory=list)  # every table the list spans, in order
    all_headers: list[str] = field(default_factory=list)  # every header cell as written, in column order
    too_long: tuple[int, int] | None = None  # (rows in the list's tables, rows read) when reading stopped early

    def to_dict(self) -> dict:
        """Plain values for the ledger: what was read, so nobody reads the file again."""
        return {"table": self.table, "columns": self.columns, "headers": self.headers, "heading": self.heading,
                "tables": self.tables, "all_headers": self.all_headers,
                "respondents": [{**p.as_dict(), "table": p.table} for p in self.respondents]}

    @classmethod
    def from_dict(cls, d: dict) -> "RespondentList":
        people = [Respondent(row=p["row"], name=p["name"], address=p["address"], phone=p["phone"], field=p["field"],
                             procedure=p["procedure"], submitted_text=p["submitted"], received_text=p["received"],
                             stt=p.get("stt", ""), appointment_text=p.get("appointment", ""), note=p.get("note", ""),
                             table=p.get("table")) for p in d["respondents"]]
        return cls(table=d["table"], columns=d["columns"], headers=d["headers"], respondents=people,
                   heading=d.get("heading", []), tables=d.get("tables", []), all_headers=d.get("all_headers", []))

    def title_of(self, column: str) -> str:
        return self.headers.get(column) or COLUMN_TITLES.get(column) or OTHER_TITLES.get(column, column)


@dataclass(frozen=True)
class ParsedDate:
    value: dt.date | None
    text: str
    error: str = ""  # Vietnamese reason when the text is not a readable date
