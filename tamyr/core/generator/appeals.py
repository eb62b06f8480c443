"""Generated appeals, officials and receptions over the branch tree already in the database.

Three years of a public reception at any size: `tamyr generate-appeals --per-year N`. Appeals
are spread over districts (and some regions) in proportion to their members, through every
channel, with terms on the real working-day calendar. As in a real reception, appeals are
answered and signed off within their term, a few a little late; so every appeal older than about
two months is closed, and the open work is the last weeks' with a few overdue. Anonymous appeals
are left without consideration on the day they came, as the service leaves them. Tracking codes
are random and never shown: nobody can follow a generated appeal, which is right for data nobody
sent.
"""

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from tamyr.appeals.calendar import WorkingCalendar
from tamyr.appeals.models import (
    ANONYMOUS_NOT_CONSIDERED,
    Appeal,
    AppealStep,
    AppealType,
    Official,
    Reception,
    ReceptionFormat,
    RegistrationCounter,
    Topic,
)
from tamyr.appeals.services import contact_key
from tamyr.core.generator import names
from tamyr.core.generator.writer import TableWriter, next_id, reset_sequences
from tamyr.orgs.access import access_changed
from tamyr.orgs.models import Node, NodeKind, Role, StaffRole, Wing

CHANNELS = [("portal", 35), ("call_centre", 25), ("letter", 14), ("email", 10), ("reception", 13),
            ("open311", 3)]  # fmt: skip
# What an executor answers; "left without consideration" is the rule's, not theirs.
OUTCOMES = [("resolved_fully", 42), ("resolved_partly", 14), ("explained", 25), ("refused", 7),
            ("forwarded", 8)]  # fmt: skip
ANSWER = "Өтініш қаралды, жауап жіберілді. Обращение рассмотрено, ответ направлен."
# Every letter is under control and terms are met with few exceptions: one appeal in thirty
# comes without a name or a contact (left without consideration on the day), one answer in
# twenty is late, mostly by days, at most by three weeks. So the open work is the last few
# weeks' and nothing stays open much past two months.
ANONYMOUS_SHARE = 0.03
LATE_SHARE = 0.05
LATE_BY = [((1, 5), 70), ((6, 15), 30)]  # working days past the term
SIGNED_AFTER = [(0, 40), (1, 35), (2, 15), (3, 10)]  # working days from answer to sign-off
ASSIGNED_AFTER = timedelta(hours=20)
ANSWERED_AT, SIGNED_AT = time(4), time(7)  # in UTC: 9:00 and 12:00 in Astana
TEXTS = {
    "housing": ["Үйдің шатыры ағып тұр, жөндеу керек.", "В подъезде третий месяц нет света."],
    "health": ["Емханада дәрігерге жазылу мүмкін емес.", "Нет участкового врача в селе."],
    "education": ["Мектепке автобус қатынамайды.", "В детском саду не хватает мест."],
    "social": ["Жәрдемақы тағайындалмай жатыр.", "Не начислена пенсия по инвалидности."],
    "employment": ["Жұмысқа орналасуға көмек сұраймын.", "Задерживают заработную плату."],
    "land": ["Жер телімін ресімдеу тоқтап қалды.", "Самовольный захват участка."],
    "roads": ["Көшедегі жол бұзылған.", "Нет освещения на остановке."],
    "law": ["Сот шешімі орындалмай жатыр.", "Прошу разобраться с действиями участкового."],
    "business": ["Шағын бизнеске несие берілмейді.", "Проверки мешают работать."],
    "ecology": ["Қоқыс шығарылмайды.", "Выбросы с завода у жилых домов."],
    "other": ["Ауылда интернет жоқ.", "Прошу помочь с транспортом до райцентра."],
}
# kind, then the position in kk, ru and en
OFFICIALS = [
    ("deputy", "Мәслихат депутаты", "Депутат маслихата", "Deputy of the maslikhat"),
    (
        "akim",
        "Аудан әкімінің орынбасары",
        "Заместитель акима района",
        "Deputy akim of the district",
    ),
    (
        "agency_head",
        "Әлеуметтік қорғау бөлімінің басшысы",
        "Руководитель отдела социальной защиты",
        "Head of the social protection department",
    ),
]
# Where receptions are held, in kk, ru and en.
RECEPTION_PLACE = (
    "Партияның қоғамдық қабылдау бөлмесі",
    "Общественная приёмная партии",
    "The party's public reception office",
)


@dataclass
class AppealTotals:
    appeals: int = 0
    steps: int = 0
    officials: int = 0
    receptions: int = 0
    staff: int = 0


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


class AppealGenerator:
    def __init__(
        self,
        *,
        per_year: int,
        years: int = 3,
        seed: int = 2014,
        today: date | None = None,
        progress: Callable[[str, int, int], None] | None = None,
    ):
        self.per_year, self.years, self.seed = per_year, years, seed
        self.rng = random.Random(seed)
        self.today = today or date.today()
        self.progress = progress or (lambda _stage, _done, _total: None)
        self.calendar = WorkingCalendar()
        self.terms: dict[tuple[date, int], tuple[date, date, date]] = {}
        self.after: dict[tuple[date, int], date] = {}
        self.totals = AppealTotals()

    def generate(self) -> AppealTotals:
        with transaction.atomic():
            districts = self._districts()
            staff = self._staff(districts)
            officials = self._officials(districts)
            receptions = self._receptions(officials)
            self._appeals(districts, staff, receptions)
            reset_sequences(Appeal, AppealStep, Official, Reception)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    for model in (Appeal, AppealStep, Reception, Official):
                        cursor.execute(f"ANALYZE {model._meta.db_table}")
        return self.totals

    def _districts(self) -> list[tuple[Node, int]]:
        """Return the open district branches with their member counts, the appeals' weights."""
        districts = Node.objects.filter(
            kind=NodeKind.DISTRICT, wing=Wing.PARTY, closed_on__isnull=True
        ).order_by("path")
        weights: dict[str, int] = {}
        district_depth = 3 * Node.steplen
        for ppo_path, members in Node.objects.filter(kind=NodeKind.PRIMARY).values_list(
            "path", "active_member_count"
        ):
            key = ppo_path[:district_depth]
            weights[key] = weights.get(key, 0) + (members or 1)
        return [(d, max(weights.get(d.path, 1), 1)) for d in districts]

    def _staff(self, districts) -> dict[int, tuple[int, int]]:
        """Give each district an operator and a secretary (no password: they cannot log in),
        named as people are: the pages show staff by name, and the login names are codes."""
        User = get_user_model()
        generated = User.objects.filter(username__startswith="gen-")
        existing = set(generated.values_list("username", flat=True))
        pairs: dict[int, tuple[int, int]] = {}
        new_users, roles = [], []
        # Their own sequence, so that naming them leaves the appeals generated from the seed
        # as they were.
        people = random.Random(f"{self.seed}-staff")
        for district, _weight in districts:
            for prefix in ("op", "sec"):
                name = f"gen-{prefix}-{district.code}".lower()
                surname, given, _patronymic = names.person_name(people, people.random() < 0.5)
                if name not in existing:
                    user = User(username=name, first_name=given, last_name=surname)
                    user.set_unusable_password()
                    new_users.append(user)
        User.objects.bulk_create(new_users, batch_size=2000)
        users = dict(User.objects.filter(username__startswith="gen-").values_list("username", "pk"))
        today = self.today - timedelta(days=365 * (self.years + 1))
        for district, _weight in districts:
            op, sec = (users[f"gen-{p}-{district.code}".lower()] for p in ("op", "sec"))
            pairs[district.pk] = (sec, op)
            for user_id, role in ((op, Role.RECEPTION_OPERATOR), (sec, Role.SECRETARY)):
                roles.append(StaffRole(user_id=user_id, role=role, node=district, valid_from=today))
        if new_users:
            StaffRole.objects.bulk_create(roles, batch_size=2000)
            access_changed()  # bulk inserts send no signal
        self.totals.staff = len(new_users)
        return pairs

    def _officials(self, districts) -> dict[int, list[Official]]:
        rows = []
        for district, _weight in districts:
            for kind, kk, ru, en in OFFICIALS:
                female = self.rng.random() < 0.4
                surname, given, patronymic = names.person_name(self.rng, female)
                rows.append(
                    Official(
                        full_name=f"{surname} {given} {patronymic}".strip(),
                        position=kk,
                        position_kk=kk,
                        position_ru=ru,
                        position_en=en,
                        kind=kind,
                        node=district,
                    )
                )
        Official.objects.bulk_create(rows, batch_size=2000)
        by_node: dict[int, list[Official]] = {}
        for official in Official.objects.filter(node__in=[d for d, _w in districts]):
            by_node.setdefault(official.node_id, []).append(official)
        self.totals.officials = len(rows)
        return by_node

    def _receptions(self, officials) -> dict[int, list[tuple[int, date]]]:
        """Schedule receptions; some officials hold none (the reports name them)."""
        formats = list(ReceptionFormat.objects.values_list("pk", flat=True))
        first = self.today.replace(year=self.today.year - self.years + 1, month=1, day=1)
        writer = TableWriter(
            Reception,
            ["id", "official_id", "node_id", "format_id", "starts_at", "place", "place_kk",
             "place_ru", "place_en", "status", "visitors", "version"],
        )  # fmt: skip
        pk = next_id(Reception)
        place = (RECEPTION_PLACE[0], *RECEPTION_PLACE)  # the one-language column, then each
        held: dict[int, list[tuple[int, date]]] = {}
        for node_id, people in officials.items():
            for official in people:
                if self.rng.random() < 0.15:
                    continue  # held no reception at all
                for _ in range(self.rng.randint(2, 10) * self.years):
                    day = first + timedelta(
                        days=self.rng.randint(0, (self.today - first).days + 30)
                    )
                    starts = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
                    past = day < self.today
                    status = "planned"
                    if past:
                        status = "cancelled" if self.rng.random() < 0.05 else "held"
                    visitors = self.rng.randint(0, 40) if status == "held" else 0
                    writer.add((pk, official.pk, node_id, self.rng.choice(formats), starts,
                                *place, status, visitors, 1))  # fmt: skip
                    if status == "held":
                        held.setdefault(node_id, []).append((pk, day))
                    pk += 1
                    self.totals.receptions += 1
        writer.flush()
        return held

    def _terms(self, received: date, answer_days: int) -> tuple[date, date, date]:
        key = (received, answer_days)
        if key not in self.terms:
            start = self.calendar.first_working_from(received)
            self.terms[key] = (
                start,
                self.calendar.add_working_days(start, 3),
                self.calendar.add_working_days(start, answer_days),
            )
        return self.terms[key]

    def _working_after(self, day: date, days: int) -> date:
        key = (day, days)
        if key not in self.after:
            self.after[key] = self.calendar.add_working_days(day, days)
        return self.after[key]

    def _answer_days(
        self, rng: random.Random, counted: date, due: date, answer_days: int
    ) -> tuple[date, date]:
        """Return the day an appeal is answered and the day its answer is signed off: within
        the term, or for a few a little after it."""
        signed_after = _weighted(rng, SIGNED_AFTER)
        if rng.random() < LATE_SHARE:
            answered = self._working_after(due, rng.randint(*_weighted(rng, LATE_BY)))
            return answered, self._working_after(answered, signed_after)
        answered = self._working_after(counted, rng.randint(min(2, answer_days), answer_days))
        return answered, min(self._working_after(answered, signed_after), due)

    def _appeals(self, districts, staff, receptions) -> None:
        rng = self.rng
        topics = list(Topic.objects.values_list("pk", "code"))
        types = list(AppealType.objects.values_list("pk", "answer_days"))
        regions = {
            n.path: n.pk for n in Node.objects.filter(kind__in=[NodeKind.REGION, NodeKind.CITY])
        }
        nodes = [d for d, _w in districts]
        weights = [w for _d, w in districts]
        appeal_writer = TableWriter(
            Appeal,
            ["id", "number", "channel", "appeal_type_id", "topic_id", "citizen_name", "contact",
             "locality", "text", "received_at", "received_by_id", "reception_id", "node_id",
             "executor_id", "controller_id", "status", "outcome", "counted_from",
             "forward_due_on", "due_on", "extension_reason", "answer", "answered_on",
             "answered_by_id", "closed_on", "signed_off_by_id", "secret_hash", "contact_key",
             "version"],
        )  # fmt: skip
        step_writer = TableWriter(
            AppealStep, ["id", "appeal_id", "action", "from_status", "to_status", "actor_id", "at",
                         "note"],
        )  # fmt: skip
        appeal_pk, step_pk = next_id(Appeal), next_id(AppealStep)
        counters = dict(RegistrationCounter.objects.values_list("year", "last"))
        total = self.per_year * self.years
        for year_back in range(self.years - 1, -1, -1):
            # Year k back: the 365 days ending k years before today.
            start = self.today - timedelta(days=365 * (year_back + 1) - 1)
            for _ in range(self.per_year):
                received_on = start + timedelta(days=rng.randrange(365))
                received_at = datetime(
                    received_on.year, received_on.month, received_on.day, rng.randint(3, 12),
                    rng.randint(0, 59), tzinfo=UTC,
                )  # fmt: skip
                district = rng.choices(nodes, weights=weights, k=1)[0]
                region = regions.get(district.path[: 2 * Node.steplen], district.pk)
                node_id = district.pk if rng.random() < 0.9 else region
                topic_id, topic_code = rng.choice(topics)
                type_id, answer_days = rng.choice(types)
                counted, forward_due, due = self._terms(received_on, answer_days)
                channel = _weighted(rng, CHANNELS)
                reception_id = None
                if channel == "reception":
                    held = receptions.get(district.pk)
                    if held:
                        reception_id = rng.choice(held)[0]
                female = rng.random() < 0.55
                surname, given, _p = names.person_name(rng, female)
                contact = (
                    f"+7 70{rng.randint(0, 8)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
                )
                sec, op = staff[district.pk]
                by_operator = channel in ("call_centre", "letter", "email", "reception")
                registered_by = op if by_operator else None
                name = f"{surname} {given}"
                executor = controller = signed = answered_by = None
                status, outcome, closed_on, answered_on, answer = "registered", "", None, None, ""
                steps = [("register", "", "registered", registered_by, received_at, "")]
                if rng.random() < ANONYMOUS_SHARE:
                    # Left without consideration by rule, on the day it came, as the service
                    # does it: no name and no contact, and the answer Tamyr writes itself.
                    name = contact = ""
                    status, outcome = "closed", "not_considered"
                    answer = ANONYMOUS_NOT_CONSIDERED.stored()
                    answered_on = closed_on = received_on
                    steps.append(
                        ("close", "registered", "closed", registered_by, received_at, answer)
                    )
                elif (self.today - received_on).days > 1:
                    executor, controller = sec, op
                    status = "in_work"
                    steps.append(
                        ("assign", "registered", "in_work", op, received_at + ASSIGNED_AFTER, "")
                    )
                    answer_on, close_on = self._answer_days(rng, counted, due, answer_days)
                    # What happens on a day has happened once that day is over.
                    if answer_on < self.today:
                        status, outcome = "answer_prepared", _weighted(rng, OUTCOMES)
                        answered_on, answered_by, answer = answer_on, sec, ANSWER
                        at = datetime.combine(answer_on, ANSWERED_AT, tzinfo=UTC)
                        steps.append(("answer", "in_work", "answer_prepared", sec, at, ""))
                    if close_on < self.today:
                        status, closed_on, signed = "closed", close_on, op
                        at = datetime.combine(close_on, SIGNED_AT, tzinfo=UTC)
                        steps.append(("close", "answer_prepared", "closed", op, at, ""))
                year = received_on.year
                counters[year] = counters.get(year, 0) + 1
                text = rng.choice(TEXTS.get(topic_code, TEXTS["other"]))
                appeal_writer.add((
                    appeal_pk, f"{year}-{counters[year]:07d}", channel, type_id, topic_id,
                    name, contact, district.name_kk or district.name, text,
                    received_at, registered_by, reception_id, node_id, executor,
                    controller, status, outcome, counted, forward_due, due, "", answer,
                    answered_on, answered_by, closed_on, signed, secrets.token_hex(32),
                    contact_key(contact, ""), 1,
                ))  # fmt: skip
                for action, before, after, actor, at, note in steps:
                    step_writer.add((step_pk, appeal_pk, action, before, after, actor, at, note))
                    step_pk += 1
                appeal_pk += 1
                self.totals.appeals += 1
                if self.totals.appeals % 10000 == 0:
                    self.progress("appeals", self.totals.appeals, total)
        appeal_writer.flush()
        step_writer.flush()
        self.totals.steps = step_writer.written
        for year, last in counters.items():
            RegistrationCounter.objects.update_or_create(year=year, defaults={"last": last})
