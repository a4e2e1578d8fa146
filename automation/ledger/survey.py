"""The survey's tables: the sample (``survey_samples``, ``survey_people``), the imports of the entry workbook
(``survey_imports``) and their forms and answers (``survey_forms``, ``survey_answers``).

Rows come back as plain values (dicts and tuples): the survey's domain objects are built above the store.
"""

from __future__ import annotations

import json

from automation import clock
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the connection owner imports this module
    from automation.ledger.db import Ledger


class SurveyStore:
    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self.db = ledger.db

    # --- the sample ------------------------------------------------------------------------------
    def replace_sample(self, seed: int, per_unit: int | None, detail: str, people: list[dict]) -> int:
        """Record a new sample (and its seed), dropping the earlier one and every answer; its id.

        Each person: form_code, unit_code, submission_id, name, address, phone, field, procedure."""
        with self.ledger.transaction() as db:
            db.execute("DELETE FROM survey_answers")
            db.execute("DELETE FROM survey_forms")
            db.execute("DELETE FROM survey_people")
            cur = db.execute("INSERT INTO survey_samples (created_at, seed, per_unit, detail) VALUES (?, ?, ?, ?)",
                             (clock.now().isoformat(timespec="seconds"), seed, per_unit, detail))
            sample_id = cur.lastrowid
            db.executemany(
                "INSERT INTO survey_people (form_code, sample_id, unit_code, submission_id, name, address, phone, "
                "field, procedure) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(p["form_code"], sample_id, p["unit_code"], p.get("submission_id"), p["name"], p["address"],
                  p["phone"], p["field"], p["procedure"]) for p in people])
        return sample_id

    def people(self) -> list[dict]:
        return [dict(r) for r in self.db.execute("SELECT * FROM survey_people ORDER BY form_code")]

    def current_seed(self) -> int | None:
        row = self.db.execute("SELECT seed FROM survey_samples ORDER BY id DESC LIMIT 1").fetchone()
        return row[0] if row else None

    # --- imports and answers ---------------------------------------------------------------------
    def has_answers(self) -> bool:
        return self.db.execute("SELECT COUNT(*) FROM survey_forms").fetchone()[0] > 0

    def version(self) -> tuple:
        """Changes whenever a sample is drawn or answers are imported."""
        return tuple(self.db.execute("SELECT (SELECT MAX(id) FROM survey_samples), (SELECT MAX(id) FROM survey_imports), "
                                     "(SELECT COUNT(*) FROM survey_forms)").fetchone())

    def has_imports(self) -> bool:
        return self.db.execute("SELECT COUNT(*) FROM survey_imports").fetchone()[0] > 0

    def replace_answers(self, source: str, submission_id: int | None, forms: list[tuple[str, int, dict]],
                        problems: list[dict]) -> int:
        """Make ``forms`` (form code, sheet row, {question: answer}) THE survey data, replacing the earlier
        import; the import's id."""
        with self.ledger.transaction() as db:
            db.execute("DELETE FROM survey_answers")
            db.execute("DELETE FROM survey_forms")
            cur = db.execute("INSERT INTO survey_imports (at, source, submission_id, forms, problems) "
                             "VALUES (?, ?, ?, ?, ?)",
                             (clock.now().isoformat(timespec="seconds"), source, submission_id, len(forms),
                              json.dumps(problems, ensure_ascii=False)))
            import_id = cur.lastrowid
            db.executemany("INSERT INTO survey_forms (form_code, import_id, sheet_row) VALUES (?, ?, ?)",
                           [(code, import_id, row) for code, row, _ in forms])
            db.executemany("INSERT INTO survey_answers (form_code, question, answer) VALUES (?, ?, ?)",
                           [(code, q, a) for code, _, answers in forms for q, a in answers.items()])
        return import_id

    def forms(self) -> list[tuple[str, int, dict[str, str]]]:
        """(form code, sheet row, {question: answer}) of the current import."""
        answers: dict[str, dict[str, str]] = {}
        for code, question, answer in self.db.execute("SELECT form_code, question, answer FROM survey_answers"):
            answers.setdefault(code, {})[question] = answer
        return [(code, row or 0, answers.get(code, {}))
                for code, row in self.db.execute("SELECT form_code, sheet_row FROM survey_forms")]

    def progress(self) -> dict[str, tuple[int, int]]:
        """unit -> (answered forms, sampled people)."""
        sampled = dict(self.db.execute("SELECT unit_code, COUNT(*) FROM survey_people GROUP BY unit_code").fetchall())
        answered = dict(self.db.execute(
            "SELECT p.unit_code, COUNT(DISTINCT f.form_code) FROM survey_people p "
            "JOIN survey_forms f ON f.form_code = p.form_code "
            "WHERE EXISTS (SELECT 1 FROM survey_answers a WHERE a.form_code = f.form_code) "
            "GROUP BY p.unit_code").fetchall())
        return {u: (answered.get(u, 0), n) for u, n in sampled.items()}
