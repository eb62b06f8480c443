"""Import members from CSV or XLSX: every row checked, every error reported, nothing half done.

The file is read once, row by row. Each row is checked on its own (IIN, dates, phone, PPO in
the user's subtree) and the good ones go into a temporary table; checks across rows and against
the registry (repeated IINs and cards, people already registered) then run in SQL, and so do the
writes. Python holds one row at a time, so memory stays flat however large the file.

Modes: all-or-nothing (default: any error, nothing is written) or keep the good rows.
Idempotent: the IIN is the natural key, so importing the same file again changes nothing, and
a corrected file creates no duplicates.
"""

import csv
import io
import logging
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tamyr.core.audit import audit_event, snapshot
from tamyr.core.generator.writer import TableWriter
from tamyr.members.iin import make_iin
from tamyr.members.models import AdmissionBody, Education, Gender, Person, Sector, search_key
from tamyr.members.rules import membership_errors, normalise_phone, person_errors
from tamyr.members.services import PERSON_FIELDS
from tamyr.orgs import access
from tamyr.orgs.services import ppo_refresh_sizes

# The template's columns, in order: key, label, required.
COLUMNS = [
    ("iin", gettext_lazy("IIN"), True),
    ("surname", gettext_lazy("Surname"), True),
    ("given_name", gettext_lazy("Name"), True),
    ("patronymic", gettext_lazy("Patronymic"), False),
    ("gender", gettext_lazy("Gender"), True),
    ("birth_date", gettext_lazy("Birth date"), True),
    ("phone", gettext_lazy("Phone"), False),
    ("address", gettext_lazy("Address"), False),
    ("sector", gettext_lazy("Occupation sector"), True),
    ("education", gettext_lazy("Education"), True),
    ("ppo_code", gettext_lazy("PPO code"), True),
    ("admitted_on", gettext_lazy("Admitted on"), True),
    ("admission_body", gettext_lazy("Admitted by"), False),
    ("admission_protocol", gettext_lazy("Protocol number"), False),
    ("card_number", gettext_lazy("Membership card number"), False),
    ("card_issued_on", gettext_lazy("Card issued on"), False),
    ("card_issued_by", gettext_lazy("Handed over by"), False),
]
KEYS = [c[0] for c in COLUMNS]
LANGUAGES = ("kk", "ru", "en")
MAX_PROBLEMS = 100_000  # kept in memory and shown; the count covers them all
EXCEL_EPOCH = date(1899, 12, 30)
STAGE = "tamyr_import_rows"
log = logging.getLogger(__name__)


class ImportRefused(Exception):
    """The file cannot be read at all (format, encoding, header)."""


@dataclass
class Problem:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    notice: str = ""
    written: bool = False
    # Seconds spent in each stage, for the benchmark's breakdown.
    phases: dict[str, float] = field(default_factory=dict)

    def add(self, row: int, column: str, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(row, column, message))


def _fold(text: Any) -> str:
    return unicodedata.normalize("NFC", str(text or "")).strip().rstrip("*").strip().casefold()


def column_label(key: str) -> str:
    return str(next(label for k, label, _r in COLUMNS if k == key))


def _aliases(choices, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Map every way of writing a choice (code, or label in any language) to its code."""
    found = {_fold(value): value for value in choices.values}
    for language in LANGUAGES:
        with translation.override(language):
            found.update({_fold(label): value for value, label in choices.choices})
    found.update(extra or {})
    return found


def header_aliases() -> dict[str, str]:
    found = {k: k for k in KEYS}
    for language in LANGUAGES:
        with translation.override(language):
            found.update({_fold(label): key for key, label, _r in COLUMNS})
    return found


# The template's example: a woman born on 1 January 1987, so her IIN's seventh digit is 4 (a
# woman born in the 1900s); make_iin gives the check digit. The PPO code is one of the demo's.
EXAMPLE_BIRTH = date(1987, 1, 1)
EXAMPLE_IIN = make_iin(EXAMPLE_BIRTH, Gender.FEMALE, 123)


def template_rows(language: str) -> list[list[str]]:
    """Return the template's header in a language, with one example row that passes every
    check; its coded values are written as the member export writes them in that language."""
    with translation.override(language):
        header = [str(label) for _k, label, _r in COLUMNS]
        example = [
            EXAMPLE_IIN or "",
            "Әбдірахманова",
            "Гүлнар",
            "Серікқызы",
            str(Gender.FEMALE.label),
            EXAMPLE_BIRTH.strftime("%d.%m.%Y"),
            "+7 701 123 45 67",
            "",
            str(Sector.EDUCATION.label),
            str(Education.HIGHER.label),
            "AST-03-001",
            "15.03.2024",
            str(AdmissionBody.PPO_MEETING.label),
            "12",
            "00012345",
            "20.03.2024",
            "",
        ]
    return [header, example]


# -- reading ---------------------------------------------------------------------------------


def _detect_encoding(head: bytes) -> tuple[str, str]:
    """Return the codec for a CSV file and a notice when it is not UTF-8."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", ""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", ""
    if b"\x00" in head:
        raise ImportRefused(_("The file is not a text file: save it as CSV UTF-8 or XLSX."))
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:
            # Windows Cyrillic: code page 1048 is 1251 with the Kazakh letters added.
            return "kz1048", _("The file was read as Windows Cyrillic (code page 1251/1048).")
    return "utf-8", ""


def _csv_rows(path: Path) -> tuple[Iterator[tuple[int, list[Any]]], str, Callable[[], float]]:
    raw = path.open("rb")
    head = raw.read(65536)
    raw.seek(0)
    encoding, notice = _detect_encoding(head)
    text = io.TextIOWrapper(raw, encoding=encoding, newline="", errors="strict")
    first = text.readline()
    delimiter = max((";", ",", "\t"), key=first.count)
    text.seek(0)
    size = max(path.stat().st_size, 1)
    reader = csv.reader(text, delimiter=delimiter)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for values in reader:
                yield reader.line_num, values
        except UnicodeDecodeError as exc:
            raise ImportRefused(
                _("The file is not in UTF-8 after row %(row)s: save it as CSV UTF-8.")
                % {"row": reader.line_num}
            ) from exc
        except csv.Error as exc:
            raise ImportRefused(
                _("Row %(row)s cannot be read: %(error)s") % {"row": reader.line_num, "error": exc}
            ) from exc
        finally:
            raw.close()

    return rows(), notice, lambda: raw.tell() / size if not raw.closed else 1.0


def _xlsx_rows(path: Path) -> tuple[Iterator[tuple[int, list[Any]]], str, Callable[[], float]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ImportRefused(_("The file is not a readable XLSX workbook.")) from exc
    sheet = book.worksheets[0]
    total = max(sheet.max_row or 1, 1)
    state = {"row": 0}

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                state["row"] = number
                yield number, list(values)
        finally:
            book.close()

    return rows(), "", lambda: state["row"] / total


def open_rows(path: Path) -> tuple[Iterator[tuple[int, list[Any]]], str, Callable[[], float]]:
    """Return (numbered rows, a notice about the file, a progress function 0..1)."""
    with path.open("rb") as f:
        magic = f.read(4)
    if magic == b"PK\x03\x04":
        return _xlsx_rows(path)
    return _csv_rows(path)


# -- parsing one row ---------------------------------------------------------------------------


def parse_date(value: Any) -> date:
    """Read a date as people and spreadsheets write it; raise ValueError otherwise."""
    # The common form first, without strptime's cost (it shows at a million rows).
    if value.__class__ is str and len(value) == 10 and value[2] == "." and value[5] == ".":
        day, month, year = value[:2], value[3:5], value[6:]
        if day.isdigit() and month.isdigit() and year.isdigit():
            return date(int(year), int(month), int(day))
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        serial = int(value)
        if 1 <= serial <= 80000:  # an Excel serial day number
            return EXCEL_EPOCH + timedelta(days=serial)
        raise ValueError(value)
    text = str(value).strip()
    if text.isdigit() and len(text) <= 5:
        return parse_date(int(text))
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _iin_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        # Spreadsheets drop the leading zero of IINs of people born in the 2000s.
        return f"{value:012d}"
    return str(value or "").strip().replace(" ", "")


def _card_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class RowParser:
    """Turn one row of cells into clean values, or into problems by column."""

    def __init__(self, user: Any):
        self.genders = _aliases(
            Gender,
            {
                "м": "m",
                "ж": "f",
                "муж": "m",
                "жен": "f",
                "мужской": "m",
                "женский": "f",
                "ер": "m",
                "әйел": "f",
                "male": "m",
                "female": "f",
                "e": "m",
                "ә": "f",
            },
        )
        self.sectors = _aliases(Sector)
        self.educations = _aliases(Education)
        self.bodies = _aliases(AdmissionBody)
        self.ppos = dict(
            access.scoped_ppos_for_members(user, access.CREATE).values_list("code", "pk")
        )
        self.today = date.today()

        # One reader per column, chosen once: the per-cell dispatch shows at a million rows.
        self.readers: list[tuple[str, bool, bool, Callable[[Any], Any]]] = [
            (key, required, key.endswith(("_on", "_date")), self._reader(key))
            for key, _label, required in COLUMNS
        ]

    def parse(self, cells: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        data: dict[str, Any] = {}
        problems: list[tuple[str, str]] = []
        for key, required, is_date, read in self.readers:
            value = cells.get(key)
            if value is None or (value.__class__ is str and not value.strip()):
                if required:
                    problems.append((key, _("This field is required.")))
                data[key] = None if is_date else ""
                continue
            try:
                data[key] = read(value)
            except ValueError:
                problems.append((key, self._message(key, value)))
                data[key] = None
        if not problems:
            rule_problems = person_errors(data, today=self.today) | membership_errors(
                data, today=self.today
            )
            problems += [(k, m) for k, ms in rule_problems.items() for m in ms]
        return data, problems

    def _reader(self, key: str) -> Callable[[Any], Any]:
        if key.endswith(("_on", "_date")):
            return parse_date
        if key == "iin":
            return _iin_text
        choices = {
            "gender": self.genders,
            "sector": self.sectors,
            "education": self.educations,
            "admission_body": self.bodies,
        }
        if key in choices:
            aliases = choices[key]
            return lambda value: self._choice(aliases, str(value))
        if key == "ppo_code":
            return self._ppo
        if key == "phone":
            return lambda value: normalise_phone(str(value))
        if key == "card_number":
            return _card_text
        return lambda value: str(value).strip()

    def _ppo(self, value: Any) -> int:
        text = str(value).strip()
        pk = self.ppos.get(text) or self.ppos.get(text.upper())
        if pk is None:
            raise ValueError(text)
        return pk

    @staticmethod
    def _choice(aliases: dict[str, str], text: str) -> str:
        found = aliases.get(text) or aliases.get(_fold(text))
        if found is None:
            raise ValueError(text)
        return found

    @staticmethod
    def _message(key: str, value: Any) -> str:
        if key.endswith(("_on", "_date")):
            return _("“%(value)s” is not a date: write it as 23.11.2026.") % {"value": value}
        if key == "ppo_code":
            return _("No open primary organisation with the code “%(value)s” in your subtree.") % {
                "value": value
            }
        if key == "phone":
            return _("Enter a real phone number, for example +7 701 123 45 67.")
        return _("“%(value)s” is not one of the values this column takes.") % {"value": value}


# -- the import --------------------------------------------------------------------------------

STAGE_COLUMNS = [
    "row_no",
    "iin",
    "surname",
    "given_name",
    "patronymic",
    "gender",
    "birth_date",
    "phone",
    "address",
    "sector",
    "education",
    "ppo_id",
    "admitted_on",
    "admission_body",
    "admission_protocol",
    "card_number",
    "card_issued_on",
    "card_issued_by",
    "search_name",
]
# The personal data a re-import may correct: everything but the IIN, which identifies.
PERSON_COMPARED = [f for f in PERSON_FIELDS if f != "iin"]


class MemberImporter:
    def __init__(
        self,
        *,
        user: Any,
        path: Path,
        mode: str = "all",
        progress: Callable[[int], None] | None = None,
        label: str = "",
    ):
        self.user = user
        self.path = Path(path)
        self.mode = mode
        self.progress = progress or (lambda _percent: None)
        self.label = label or self.path.name
        self.report = ImportReport()

    def run(self) -> ImportReport:
        """Import the file; return what happened. Raises ImportRefused for an unreadable file."""
        rows, notice, fraction = open_rows(self.path)
        self.report.notice = notice
        with transaction.atomic():
            self._create_stage()
            try:
                with self._phase("read and check rows"):
                    self._load(rows, fraction)
                self._check_across_rows()
                if self.report.problem_count and self.mode == "all":
                    transaction.set_rollback(True)
                    return self.report
                self._write()
                self.report.written = True
            finally:
                self._drop_stage()
            committing = time.perf_counter()
        self.report.phases["commit"] = time.perf_counter() - committing
        log.info(
            "import of %s rows: %s",
            self.report.rows,
            ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.report.phases.items()),
        )
        self.progress(100)
        return self.report

    @contextmanager
    def _phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        phases = self.report.phases
        phases[name] = phases.get(name, 0.0) + time.perf_counter() - started

    # staging

    def _create_stage(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
            # On PostgreSQL each staged row draws its future ids as it is copied in, so the
            # writes need no join back to find them (unused ids leave gaps, as sequences do).
            new_ids = "new_person_id bigint, new_membership_id bigint"
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT pg_get_serial_sequence('members_person', 'id'), "
                    "pg_get_serial_sequence('members_membership', 'id')"
                )
                people, memberships = cursor.fetchone()
                new_ids = (
                    f"new_person_id bigint DEFAULT nextval('{people}'), "
                    f"new_membership_id bigint DEFAULT nextval('{memberships}')"
                )
            cursor.execute(
                f"CREATE TEMPORARY TABLE {STAGE} (row_no integer NOT NULL, iin varchar(12), "
                "surname varchar(100), given_name varchar(100), patronymic varchar(100), "
                "gender varchar(1), birth_date date, phone varchar(20), address varchar(500), "
                "sector varchar(32), education varchar(32), ppo_id bigint, admitted_on date, "
                "admission_body varchar(32), admission_protocol varchar(40), "
                "card_number varchar(20), card_issued_on date, card_issued_by varchar(200), "
                "search_name varchar(310), person_id bigint, action varchar(8) DEFAULT 'new', "
                f"bad integer DEFAULT 0, {new_ids})"
            )

    def _drop_stage(self) -> None:
        if connection.needs_rollback:
            return  # the failed transaction's rollback removes it
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")

    def _load(self, rows: Iterator[tuple[int, list[Any]]], fraction: Callable[[], float]) -> None:
        parser = RowParser(self.user)
        aliases = header_aliases()
        writer = TableWriter(STAGE, STAGE_COLUMNS, batch=5000)
        positions: dict[str, int] | None = None
        for number, values in rows:
            if not any(v is not None and str(v).strip() for v in values):
                continue  # empty lines are allowed anywhere
            if positions is None:
                positions = self._header(number, values, aliases)
                continue
            self.report.rows += 1
            cells = {key: values[i] if i < len(values) else None for key, i in positions.items()}
            data, problems = parser.parse(cells)
            if problems:
                self.report.rejected += 1
                for key, message in problems:
                    self.report.add(number, column_label(key), message)
                continue
            writer.add(
                (
                    number,
                    data["iin"],
                    data["surname"],
                    data["given_name"],
                    data["patronymic"],
                    data["gender"],
                    data["birth_date"],
                    data["phone"],
                    data["address"],
                    data["sector"],
                    data["education"],
                    data["ppo_code"],
                    data["admitted_on"],
                    data["admission_body"],
                    data["admission_protocol"],
                    data["card_number"] or None,
                    data["card_issued_on"],
                    data["card_issued_by"],
                    search_key(data["surname"], data["given_name"], data["patronymic"]),
                )
            )
            if self.report.rows % 5000 == 0:
                self.progress(int(70 * fraction()))
        if positions is None:
            raise ImportRefused(_("The file is empty."))
        writer.flush()
        self.progress(70)

    def _header(self, number: int, values: list[Any], aliases: dict[str, str]) -> dict[str, int]:
        positions: dict[str, int] = {}
        for index, value in enumerate(values):
            key = aliases.get(_fold(value))
            if key is not None and key not in positions:
                positions[key] = index
        missing = [
            column_label(k) for k, _l, required in COLUMNS if required and k not in positions
        ]
        if missing:
            raise ImportRefused(
                _("Row %(row)s should be the header; these columns are missing: %(columns)s.")
                % {"row": number, "columns": ", ".join(missing)}
            )
        return positions

    # checks across rows and against the registry

    def _sql(self, sql: str, params: list | tuple = (), phase: str = "") -> list[tuple]:
        with self._phase(phase or "checks"), connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def _check_across_rows(self) -> None:
        self._sql(f"CREATE INDEX {STAGE}_iin ON {STAGE} (iin)")
        self._sql(f"CREATE INDEX {STAGE}_card ON {STAGE} (card_number)")
        # Without statistics on the staging table the planner guesses a thousand rows and picks
        # nested loops that take minutes at a million.
        self._sql(f"ANALYZE {STAGE}")
        report = self.report
        repeated = self._sql(
            f"SELECT s.row_no, f.first_row FROM {STAGE} s JOIN (SELECT iin, MIN(row_no) AS "
            f"first_row FROM {STAGE} GROUP BY iin HAVING COUNT(*) > 1) f ON f.iin = s.iin "
            "WHERE s.row_no > f.first_row ORDER BY s.row_no"
        )
        for row, first in repeated:
            report.add(
                row,
                column_label("iin"),
                _("This IIN is already in row %(row)s of the file.") % {"row": first},
            )
        cards = self._sql(
            f"SELECT s.row_no, f.first_row FROM {STAGE} s JOIN (SELECT card_number, "
            f"MIN(row_no) AS first_row FROM {STAGE} WHERE card_number IS NOT NULL GROUP BY "
            "card_number HAVING COUNT(*) > 1) f ON f.card_number = s.card_number "
            "WHERE s.row_no > f.first_row ORDER BY s.row_no"
        )
        for row, first in cards:
            report.add(
                row,
                column_label("card_number"),
                _("This card number is already in row %(row)s of the file.") % {"row": first},
            )
        bad_rows = {r for r, _f in repeated} | {r for r, _f in cards}

        # People already in the registry: the same member again is fine (unchanged or an
        # update of their personal data); anyone else is a clash, said without saying where.
        same = " AND ".join(
            f"COALESCE(p.{c}, '') = COALESCE(s.{c}, '')"
            if c != "birth_date"
            else "p.birth_date = s.birth_date"
            for c in PERSON_COMPARED
        )
        self._link_people()
        self._sql(
            f"UPDATE {STAGE} SET action = CASE WHEN EXISTS (SELECT 1 FROM members_person p "
            f"WHERE p.id = {STAGE}.person_id AND p.ppo_id = {STAGE}.ppo_id AND p.status IN "
            f"('active', 'suspended')) THEN 'known' ELSE 'clash' END "
            "WHERE person_id IS NOT NULL"
        )
        self._sql(
            f"UPDATE {STAGE} SET action = 'same' WHERE action = 'known' AND EXISTS (SELECT 1 "
            f"FROM members_person p, {STAGE} s WHERE s.row_no = {STAGE}.row_no AND "
            f"p.id = s.person_id AND {same})"
        )
        self._sql(f"UPDATE {STAGE} SET action = 'update' WHERE action = 'known'")
        clashes = self._sql(f"SELECT row_no FROM {STAGE} WHERE action = 'clash' ORDER BY row_no")
        for (row,) in clashes:
            report.add(row, column_label("iin"), _("A person with this IIN is already registered."))
        # A card number must be new, or the one the same member already holds.
        # Rows that clash on the IIN are not checked further: whether the card matches that
        # person would say something about someone outside the user's subtree.
        distinct = "IS NOT" if connection.vendor == "sqlite" else "IS DISTINCT FROM"
        card_clash = self._sql(
            f"SELECT s.row_no FROM {STAGE} s JOIN members_membershipcard c ON "
            f"c.number = s.card_number WHERE s.action <> 'clash' AND "
            f"c.person_id {distinct} s.person_id ORDER BY s.row_no"
        )
        for (row,) in card_clash:
            report.add(
                row,
                column_label("card_number"),
                _("This membership card number is already issued."),
            )
        bad_rows |= {r for (r,) in clashes} | {r for (r,) in card_clash}
        if bad_rows:
            report.rejected += len(bad_rows)
            # Mark in batches: the set is small unless the file is mostly wrong.
            rows = sorted(bad_rows)
            for start in range(0, len(rows), 500):
                chunk = rows[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                self._sql(f"UPDATE {STAGE} SET bad = 1 WHERE row_no IN ({marks})", chunk)
        self.progress(80)

    # writing

    def _write(self) -> None:
        now = timezone.now()
        report = self.report
        counts = dict(
            self._sql(f"SELECT action, COUNT(*) FROM {STAGE} WHERE bad = 0 GROUP BY action")
        )
        report.created, report.unchanged = counts.get("new", 0), counts.get("same", 0)
        new = f"FROM {STAGE} s WHERE s.bad = 0 AND s.action = 'new'"
        if connection.vendor != "postgresql":
            # One writer at a time on SQLite, so the next free ids are known.
            self._sql(
                f"UPDATE {STAGE} SET new_person_id = row_no + (SELECT COALESCE(MAX(id), 0) FROM "
                "members_person), new_membership_id = row_no + (SELECT COALESCE(MAX(id), 0) "
                "FROM members_membership) WHERE bad = 0 AND action = 'new'"
            )
        self._sql(
            "INSERT INTO members_person (id, surname, given_name, patronymic, iin, gender, "
            "birth_date, phone, address, sector, education, ppo_id, status, search_name, "
            "version, created_at, updated_at) SELECT s.new_person_id, s.surname, s.given_name, "
            "s.patronymic, s.iin, s.gender, s.birth_date, s.phone, s.address, s.sector, "
            f"s.education, s.ppo_id, 'active', s.search_name, 1, %s, %s {new}",
            [now, now],
            phase="people",
        )
        self._sql(
            "INSERT INTO members_membership (id, person_id, ppo_id, status, entry, admitted_on, "
            "started_on, ended_on, admission_body, admission_protocol, created_at) "
            "SELECT s.new_membership_id, s.new_person_id, s.ppo_id, 'active', 'admission', "
            "s.admitted_on, s.admitted_on, NULL, COALESCE(s.admission_body, ''), "
            f"COALESCE(s.admission_protocol, ''), %s {new}",
            [now],
            phase="memberships",
        )
        self._sql(
            "INSERT INTO members_membershipcard (person_id, number, issued_on, issued_by, "
            "cancelled_on, cancel_reason) SELECT s.new_person_id, s.card_number, "
            f"s.card_issued_on, COALESCE(s.card_issued_by, ''), NULL, '' {new} "
            "AND s.card_number IS NOT NULL",
            phase="cards",
        )
        self._sql(
            'INSERT INTO members_membershipevent (person_id, membership_id, kind, "on", ppo_id, '
            "other_ppo_id, reason, created_at) SELECT s.new_person_id, s.new_membership_id, "
            f"'registered', s.admitted_on, s.ppo_id, NULL, '', %s {new}",
            [now],
            phase="events",
        )
        self._audit_created(now, new)
        self.progress(92)
        report.updated = self._apply_updates()
        ppo_ids = [
            pk
            for (pk,) in self._sql(
                f"SELECT DISTINCT ppo_id FROM {STAGE} WHERE bad = 0 AND action = 'new'"
            )
        ]
        with self._phase("PPO sizes"):
            ppo_refresh_sizes(ppo_ids=ppo_ids)
        audit_event(
            actor=self.user,
            action="create",
            obj=self.user,
            node_path="",
            after={
                "import": self.label,
                "rows": report.rows,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
            },
        )

    def _audit_created(self, now: datetime, joined: str) -> None:
        """One audit line per imported person, with their registration and card."""
        fields = [
            "iin",
            "surname",
            "given_name",
            "patronymic",
            "gender",
            "birth_date",
            "phone",
            "sector",
            "education",
            "ppo_id",
            "admitted_on",
            "card_number",
        ]
        if connection.vendor == "postgresql":
            pairs = ", ".join(f"'{f}', s.{f}" for f in fields)
            after = f"jsonb_build_object({pairs}, 'import', %s::text)"
            object_id, name = "s.new_person_id::text", "s.surname || ' ' || s.given_name"
        else:
            pairs = ", ".join(f"'{f}', s.{f}" for f in fields)
            after = f"json_object({pairs}, 'import', %s)"
            object_id, name = "CAST(s.new_person_id AS text)", "s.surname || ' ' || s.given_name"
        source = joined.replace("WHERE", "JOIN orgs_node n ON n.id = s.ppo_id WHERE", 1)
        self._sql(
            "INSERT INTO core_auditevent (at, actor_id, action, object_type, object_id, "
            "object_repr, node_path, before, after) SELECT %s, %s, 'create', "
            f"'members.person', {object_id}, {name}, n.path, NULL, {after} {source}",
            [now, self.user.pk, self.label],
            phase="audit",
        )

    def _link_people(self) -> None:
        """Note in the staging table the id of the person each IIN already belongs to."""
        self._sql(
            f"UPDATE {STAGE} SET person_id = p.id FROM members_person p "
            f"WHERE p.iin = {STAGE}.iin AND {STAGE}.person_id IS NULL"
        )

    def _apply_updates(self) -> int:
        """Change the personal data of members already registered, one audited edit each."""
        rows = self._sql(
            f"SELECT person_id, {', '.join(PERSON_COMPARED)} FROM {STAGE} "
            "WHERE bad = 0 AND action = 'update' ORDER BY row_no"
        )
        for person_id, *values in rows:
            person = Person.objects.select_related("ppo").get(pk=person_id)
            before = snapshot(person)
            for name, value in zip(PERSON_COMPARED, values, strict=True):
                setattr(person, name, value or "" if name != "birth_date" else value)
            person.version += 1
            person.save()
            audit_event(
                actor=self.user,
                action="update",
                obj=person,
                node_path=person.ppo.path if person.ppo else "",
                before=before,
                after=snapshot(person),
            )
        return len(rows)
