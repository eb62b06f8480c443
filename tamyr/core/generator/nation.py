"""`tamyr generate`: a realistic Kazakhstan for demos, tests and benchmarks.

Seventeen regions and three cities of republican significance, their districts, PPOs at
employers and villages, and members with whole lives in the party: admission, card, transfer,
suspension, exit, expulsion by a discipline decision, death, readmission; plus applications,
awards and deputies. The same seed gives the same data.

Rows go straight to the database in bulk, one district at a time, so memory stays flat at
national scale (about 1,000,000 people in about 7,000 PPOs).
"""

import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.db import transaction

from tamyr.core.audit import audit_event
from tamyr.core.generator import geography, hosts, names
from tamyr.core.generator.writer import TableWriter, next_id, reset_sequences
from tamyr.members.iin import make_iin
from tamyr.members.models import (
    Application,
    AwardType,
    Ceremony,
    Conferral,
    Deputy,
    DisciplineCase,
    Education,
    EventKind,
    Membership,
    MembershipCard,
    MembershipEvent,
    Person,
    Sector,
    search_key,
)
from tamyr.members.models.people import CARD_CANCELLED, CARD_ENDED_BY, EXPELLED_BY_DECISION
from tamyr.orgs.access import access_changed
from tamyr.orgs.models import HostKind, Node, NodeKind, PPOSizeRecord, Wing, size_category_for

PARTY_FOUNDED = date(1999, 3, 1)
# Texts kept per language, in kk, ru and en: an award's reason, the grounds of discipline cases.
ACTIVE_WORK = ("Белсенді жұмысы үшін", "За активную работу", "For active work")
GROSS_BREACH = (
    "Партия жарғысын өрескел бұзу",
    "Грубое нарушение устава партии",
    "A gross breach of the party's charter",
)
BREACH = (
    "Партиялық тәртіпті бұзу",
    "Нарушение партийной дисциплины",
    "A breach of party discipline",
)
SECTOR_WEIGHTS = [
    (Sector.HEALTH, 14),
    (Sector.EDUCATION, 18),
    (Sector.BUSINESS, 10),
    (Sector.INDUSTRY, 10),
    (Sector.AGRICULTURE, 8),
    (Sector.CIVIL_SERVICE, 9),
    (Sector.CULTURE, 4),
    (Sector.TRANSPORT, 6),
    (Sector.STUDENT, 6),
    (Sector.PENSIONER, 10),
    (Sector.UNEMPLOYED, 2),
    (Sector.OTHER, 3),
]
EDUCATION_WEIGHTS = [
    (Education.SECONDARY, 12),
    (Education.VOCATIONAL, 25),
    (Education.INCOMPLETE_HIGHER, 6),
    (Education.HIGHER, 52),
    (Education.POSTGRADUATE, 5),
]
BODIES = ["ppo_meeting", "branch_bureau", "political_council"]


# Streets as addresses are written in Kazakhstan; an address is typed in one language.
STREETS = (
    "Абай даңғылы",
    "Төле би көшесі",
    "Достық даңғылы",
    "Сәтбаев көшесі",
    "Қабанбай батыр даңғылы",
    "Желтоқсан көшесі",
    "Бейбітшілік көшесі",
    "Құнаев көшесі",
)


def ppo_address(code: str) -> str:
    """Return a street address for a PPO, drawn from its code: the generator's random sequence
    (and so everything else it draws) stays as it was."""
    draw = zlib.crc32(code.encode())
    return f"{STREETS[draw % len(STREETS)]}, {1 + draw // len(STREETS) % 120}"


@dataclass(frozen=True)
class Scale:
    units: tuple[str, ...] | None  # None: every region and city
    max_districts: int | None
    ppos_total: int | None  # spread over the districts; None: ppos_per_district
    ppos_per_district: tuple[int, int]
    records_per_ppo: float  # people per PPO, current and former
    spread: float  # how unequal PPOs are (lognormal sigma)
    deputies_per_district: int
    deputies_per_unit: int
    majilis_per_unit: int


SCALES = {
    "demo": Scale(("AST", "ALA", "ZKO"), 3, None, (3, 4), 16, 0.35, 2, 3, 1),
    # West Kazakhstan as the documents give it: 273 PPOs, about 35 thousand members.
    "region": Scale(("ZKO",), None, 273, (0, 0), 160, 0.6, 13, 30, 3),
    "national": Scale(None, None, 7000, (0, 0), 143, 0.6, 13, 30, 3),
}


@dataclass
class Totals:
    nodes: int = 0
    ppos: int = 0
    people: int = 0
    current: int = 0
    active: int = 0
    memberships: int = 0
    events: int = 0
    cards: int = 0
    cases: int = 0
    conferrals: int = 0
    deputies: int = 0
    applications: int = 0
    by_unit: dict[str, int] = field(default_factory=dict)


class Ids:
    """Hand out primary keys for rows written without reading them back."""

    def __init__(self, *model_classes):
        self.next = {m: next_id(m) for m in model_classes}

    def take(self, model) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _between(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class NationGenerator:
    def __init__(
        self,
        *,
        scale: str,
        seed: int,
        today: date | None = None,
        progress: Callable[[str, int, int], None] | None = None,
        prefix: str = "",
    ):
        self.scale = SCALES[scale]
        self.scale_name = scale
        self.rng = random.Random(seed)
        self.today = today or date.today()
        self.now = datetime.combine(self.today, datetime.min.time(), tzinfo=UTC)
        self.progress = progress or (lambda _stage, _done, _total: None)
        self.totals = Totals()
        self.card_counter = 0
        self.iin_serials: dict[tuple[date, str], int] = {}
        # Tests generate beside other data: a prefix keeps node codes apart.
        self.prefix = prefix

    # -- the tree -------------------------------------------------------------------------

    def _units(self):
        wanted = self.scale.units
        return [u for u in geography.UNITS if wanted is None or u[0] in wanted]

    def _node(
        self,
        *,
        parent: Node | None,
        step: int,
        kind: str,
        code: str,
        kk: str,
        ru: str,
        en: str,
        wing: str = Wing.PARTY,
        host: tuple[str, str, str, str] | None = None,
        opened: date = PARTY_FOUNDED,
    ) -> Node:
        depth = 1 if parent is None else parent.depth + 1
        path = Node._get_path(parent.path if parent else None, depth, step)
        code = self.prefix + code
        host_kind, h_kk, h_ru, h_en = host or ("", "", "", "")
        node = Node(
            path=path,
            depth=depth,
            numchild=0,
            wing=wing,
            kind=kind,
            code=code,
            name=kk,
            name_kk=kk,
            name_ru=ru,
            name_en=en,
            host_kind=host_kind,
            host_name=h_kk,
            host_name_kk=h_kk,
            host_name_ru=h_ru,
            host_name_en=h_en,
            opened_on=opened,
            address=ppo_address(code) if kind == NodeKind.PRIMARY else "",
        )
        node.search_name = " | ".join(n for n in (code, kk, ru, en) if n).casefold()
        return node

    def _ppo_count(self, districts: int, all_districts: int) -> list[int]:
        scale = self.scale
        if scale.ppos_total is None:
            return [self.rng.randint(*scale.ppos_per_district) for _ in range(districts)]
        base = scale.ppos_total / all_districts
        counts = [max(3, round(base * self.rng.uniform(0.6, 1.4))) for _ in range(districts)]
        return counts

    def build_tree(self) -> list[tuple[Node, list[tuple[Node, list[Node]]]]]:
        """Create the central office, the youth wing and every branch and PPO of the scale."""
        if Node.objects.filter(code=self.prefix + "HQ").exists():
            raise ValueError(
                "The registry already has a central office: generate into an empty database."
            )
        rng = self.rng
        last_root = Node.objects.get_last_root_node()
        first = Node._str2int(last_root.path) + 1 if last_root else 1
        hq = self._node(
            parent=None,
            step=first,
            kind=NodeKind.CENTRAL,
            code="HQ",
            kk="Орталық аппарат",
            ru="Центральный аппарат",
            en="Central office",
        )
        youth = self._node(
            parent=None,
            step=first + 1,
            kind=NodeKind.CENTRAL,
            code="JAS",
            kk="«Жас Отан» жастар қанаты",
            ru="Молодёжное крыло «Жас Отан»",
            en="Zhas Otan youth wing",
            wing=Wing.YOUTH,
            opened=date(2008, 1, 1),
        )
        all_nodes = [hq, youth]
        units = self._units()
        total_districts = sum(
            len(u[5])
            if self.scale.max_districts is None
            else min(len(u[5]), self.scale.max_districts)
            for u in units
        )
        tree = []
        for u_step, (code, kind, kk, ru, en, districts) in enumerate(units, start=1):
            unit = self._node(
                parent=hq,
                step=u_step,
                kind=kind,
                code=code,
                kk=f"{kk} филиалы",
                ru=f"Филиал: {ru}",
                en=f"{en} branch",
            )
            y_unit = self._node(
                parent=youth,
                step=u_step,
                kind=kind,
                code=f"JAS-{code}",
                kk=f"«Жас Отан»: {kk}",
                ru=f"«Жас Отан»: {ru}",
                en=f"Zhas Otan: {en}",
                wing=Wing.YOUTH,
                opened=date(2008, 6, 1),
            )
            centre = self._node(
                parent=y_unit,
                step=1,
                kind=NodeKind.PRIMARY,
                code=f"JAS-{code}-01",
                kk="Студенттер бастауыш орталығы",
                ru="Первичный центр студентов",
                en="Students' primary centre",
                wing=Wing.YOUTH,
                opened=date(2010, 9, 1),
                host=(HostKind.OTHER, "", "", ""),
            )
            y_unit.numchild = 1
            all_nodes += [unit, y_unit, centre]
            chosen = (
                districts[: self.scale.max_districts] if self.scale.max_districts else districts
            )
            counts = self._ppo_count(len(chosen), total_districts)
            unit_districts = []
            for d_step, (d_name, ppo_count) in enumerate(zip(chosen, counts, strict=True), start=1):
                d_kk, d_ru, d_en, is_town = geography.district_names(d_name)
                place = d_name.removesuffix(" қ.")
                district = self._node(
                    parent=unit,
                    step=d_step,
                    kind=NodeKind.DISTRICT,
                    code=f"{code}-{d_step:02d}",
                    kk=d_kk,
                    ru=d_ru,
                    en=d_en,
                )
                numbers: dict[int, int] = {}
                ppos = []
                for p_step in range(1, ppo_count + 1):
                    urban = kind == "city" or is_town
                    if not urban and rng.random() < 0.45:
                        village = rng.choice(hosts.VILLAGES)
                        h = (
                            HostKind.VILLAGE,
                            f"{village} ауылы",
                            f"село {geography.to_russian(village)}",
                            f"{geography.to_english(village)} village",
                        )
                    else:
                        t = rng.randrange(len(hosts.EMPLOYERS))
                        numbers[t] = numbers.get(t, 0) + rng.randint(1, 9)
                        fill = {
                            "n": numbers[t],
                            "p": place,
                            "p_ru": geography.to_russian(place),
                            "p_en": geography.to_english(place),
                        }
                        h_kk, h_ru, h_en = (x.format(**fill) for x in hosts.EMPLOYERS[t])
                        h = (HostKind.EMPLOYER, h_kk, h_ru, h_en)
                    ppos.append(
                        self._node(
                            parent=district,
                            step=p_step,
                            kind=NodeKind.PRIMARY,
                            code=f"{code}-{d_step:02d}-{p_step:03d}",
                            kk=f"{h[1]} БПҰ",
                            ru=f"ППО: {h[2]}",
                            en=f"PPO: {h[3]}",
                            host=h,
                            opened=_between(rng, PARTY_FOUNDED, date(2015, 1, 1)),
                        )
                    )
                district.numchild = len(ppos)
                all_nodes += [district, *ppos]
                unit_districts.append((district, ppos))
            unit.numchild = len(unit_districts)
            tree.append((unit, unit_districts))
        hq.numchild, youth.numchild = len(units), len(units)
        Node.objects.bulk_create(all_nodes, batch_size=2000)
        access_changed()  # bulk inserts send no signal
        by_code = dict(Node.objects.values_list("code", "pk"))
        for node in all_nodes:
            node.pk = by_code[node.code]
        self.hq = hq
        self.totals.nodes = len(all_nodes)
        self.totals.ppos = sum(1 for n in all_nodes if n.kind == NodeKind.PRIMARY)
        return tree

    # -- people -----------------------------------------------------------------------------

    def _iin(self, birth: date, sex: str) -> str:
        key = (birth, sex)
        while True:
            serial = self.iin_serials.get(key, 0)
            self.iin_serials[key] = serial + 1
            iin = make_iin(birth, sex, serial)
            if iin is not None:
                return iin

    def _card(self) -> str:
        self.card_counter += 1
        return f"{self.card_counter:08d}"

    def generate(self) -> Totals:
        with transaction.atomic():
            tree = self.build_tree()
            self._open_writers()
            awards = list(AwardType.objects.filter(is_active=True))
            majilis: list[int] = []
            for done, (unit, districts) in enumerate(tree, start=1):
                unit_current: list[int] = []
                unit_ppos = [p for _d, ppos in districts for p in ppos]
                for district, ppos in districts:
                    current = self._district(district, ppos, unit_ppos, awards)
                    unit_current += current
                    self._deputies(current, district, "district", self.scale.deputies_per_district)
                    self._flush()
                self._deputies(unit_current, unit, "regional", self.scale.deputies_per_unit)
                majilis += self.rng.sample(
                    unit_current, min(len(unit_current), self.scale.majilis_per_unit)
                )
                self.totals.by_unit[unit.code] = len(unit_current)
                self.progress("units", done, len(tree))
            self._deputies(majilis, self.hq, "majilis", len(majilis))
            self._flush()
            reset_sequences(
                Node,
                Person,
                Membership,
                MembershipCard,
                MembershipEvent,
                DisciplineCase,
                Ceremony,
                Conferral,
                Deputy,
                Application,
                PPOSizeRecord,
            )
            self._analyze()
            audit_event(
                actor=None,
                action="create",
                obj=self.hq,
                node_path=self.hq.path,
                after={
                    "generated": self.scale_name,
                    "people": self.totals.people,
                    "ppos": self.totals.ppos,
                },
            )
        return self.totals

    def _analyze(self) -> None:
        """Give PostgreSQL statistics on the tables just filled: without them the first
        composition of a nation plans for empty tables and takes a minute instead of seconds."""
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (
                    Node,
                    Person,
                    Membership,
                    MembershipCard,
                    MembershipEvent,
                    DisciplineCase,
                    Deputy,
                    Application,
                ):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")

    def _open_writers(self) -> None:
        self.ids = Ids(Person, Membership, MembershipCard, DisciplineCase, Ceremony)
        self.w_person = TableWriter(
            Person,
            [
                "id",
                "surname",
                "given_name",
                "patronymic",
                "iin",
                "gender",
                "birth_date",
                "phone",
                "address",
                "sector",
                "education",
                "ppo_id",
                "status",
                "search_name",
                "version",
                "created_at",
                "updated_at",
            ],
        )
        self.w_membership = TableWriter(
            Membership,
            [
                "id",
                "person_id",
                "ppo_id",
                "status",
                "entry",
                "admitted_on",
                "started_on",
                "ended_on",
                "admission_body",
                "admission_protocol",
                "created_at",
            ],
        )
        self.w_card = TableWriter(
            MembershipCard,
            [
                "id",
                "person_id",
                "number",
                "issued_on",
                "issued_by",
                "cancelled_on",
                "cancel_reason",
            ],
        )
        self.w_event = TableWriter(
            MembershipEvent,
            [
                "person_id",
                "membership_id",
                "kind",
                "on",
                "ppo_id",
                "other_ppo_id",
                "reason",
                "created_at",
            ],
        )
        self.w_case = TableWriter(
            DisciplineCase,
            [
                "id",
                "person_id",
                "ppo_id",
                "opened_on",
                "grounds",
                "grounds_kk",
                "grounds_ru",
                "grounds_en",
                "hearing_on",
                "status",
                "outcome",
                "penalty",
                "decided_on",
                "protocol_number",
                "appeal_filed_on",
                "appeal_outcome",
                "appeal_decided_on",
                "final_penalty",
                "opened_by_id",
                "version",
            ],
        )
        self.w_ceremony = TableWriter(
            Ceremony,
            ["id", "node_id", "held_on", "title", "title_kk", "title_ru", "title_en", "place",
             "place_kk", "place_ru", "place_en"],
        )  # fmt: skip
        self.w_conferral = TableWriter(
            Conferral,
            [
                "award_id",
                "person_id",
                "citizen_name",
                "citizen_details",
                "node_id",
                "conferred_on",
                "conferring_body",
                "reason",
                "reason_kk",
                "reason_ru",
                "reason_en",
                "ceremony_id",
            ],
        )
        self.w_deputy = TableWriter(
            Deputy, ["person_id", "assembly", "node_id", "elected_on", "term_ends_on"]
        )
        self.w_application = TableWriter(
            Application,
            [
                "person_id",
                "ppo_id",
                "applied_on",
                "status",
                "decided_on",
                "decision_body",
                "protocol_number",
                "reason",
                "membership_id",
            ],
        )
        self.w_size = TableWriter(PPOSizeRecord, ["ppo_id", "category", "active_members", "since"])

    def _flush(self) -> None:
        # Parents before children, so foreign keys hold at every moment on PostgreSQL.
        for writer in (
            self.w_person,
            self.w_membership,
            self.w_card,
            self.w_event,
            self.w_case,
            self.w_ceremony,
            self.w_conferral,
            self.w_deputy,
            self.w_application,
            self.w_size,
        ):
            writer.flush()

    def _district(
        self, district: Node, ppos: list[Node], unit_ppos: list[Node], awards: list[AwardType]
    ) -> list[int]:
        """Write the people of one district; return the ids of its active members."""
        rng, scale = self.rng, self.scale
        current_ids: list[int] = []
        ceremonies = []
        for year in (self.today.year - 1, self.today.year):
            held = _between(rng, date(year, 1, 10), min(date(year, 12, 20), self.today))
            cid = self.ids.take(Ceremony)
            titles = (
                f"{district.name_kk}: марапаттау рәсімі",
                f"{district.name_ru}: церемония награждения",
                f"{district.name_en}: award ceremony",
            )
            places = (district.name_kk, district.name_ru, district.name_en)
            # Each text: the one-language column, then kk, ru and en.
            self.w_ceremony.add((cid, district.pk, held, titles[0], *titles, places[0], *places))
            ceremonies.append((cid, held))
        for ppo in ppos:
            people = max(
                3, round(rng.lognormvariate(0, scale.spread) * scale.records_per_ppo * 0.86)
            )
            active = 0
            for _ in range(people):
                person_active, person_id = self._person(ppo, ppos, unit_ppos)
                if person_active is not None:
                    current_ids.append(person_id)
                    active += person_active
                if person_active and rng.random() < 0.01:
                    cid, held = rng.choice(ceremonies)
                    self.w_conferral.add(
                        (
                            rng.choice(awards).pk,
                            person_id,
                            "",
                            "",
                            district.pk,
                            held,
                            "Филиал бюросы",
                            ACTIVE_WORK[0],
                            *ACTIVE_WORK,
                            cid,
                        )
                    )
                    self.totals.conferrals += 1
            for _ in range(rng.choices((0, 1, 2), weights=(6, 3, 1))[0]):
                self._applicant(ppo)
            category = size_category_for(active)
            Node.objects.filter(pk=ppo.pk).update(
                active_member_count=active, size_category=category
            )
            self.w_size.add((ppo.pk, category, active, self.now))
        return current_ids

    def _draw_person(self) -> dict:
        """Draw who a person is: sex, age, name, occupation, education."""
        rng = self.rng
        female = rng.random() < 0.52
        age = 18 + int(rng.betavariate(2.0, 2.6) * 62)
        # Calendar years, not 365-day ones: everyone is at least 18 on the day.
        birth = _years_after(self.today, -age) - timedelta(days=rng.randint(1, 364))
        surname, given, patronymic = names.person_name(rng, female)
        operator = rng.choice(("701", "702", "705", "707", "747", "771", "775", "778"))
        if age >= 63 and rng.random() < 0.7:
            sector = Sector.PENSIONER
        elif age <= 22 and rng.random() < 0.6:
            sector = Sector.STUDENT
        else:
            sector = _weighted(rng, SECTOR_WEIGHTS)
        return {
            "sex": "f" if female else "m",
            "birth": birth,
            "surname": surname,
            "given": given,
            "patronymic": patronymic,
            "phone": f"+7{operator}{rng.randint(1000000, 9999999)}",
            "sector": sector,
            "education": _weighted(rng, EDUCATION_WEIGHTS),
        }

    def _write_person(self, who: dict, ppo: Node, status: str) -> int:
        pid = self.ids.take(Person)
        self.w_person.add(
            (
                pid,
                who["surname"],
                who["given"],
                who["patronymic"],
                self._iin(who["birth"], who["sex"]),
                who["sex"],
                who["birth"],
                who["phone"],
                "",
                who["sector"],
                who["education"],
                ppo.pk,
                status,
                search_key(who["surname"], who["given"], who["patronymic"]),
                1,
                self.now,
                self.now,
            )
        )
        self.totals.people += 1
        return pid

    def _event(self, pid, mid, kind, on, ppo, other=None, reason=""):
        self.w_event.add(
            (pid, mid, kind, on, ppo.pk, other.pk if other else None, reason, self.now)
        )
        self.totals.events += 1

    def _membership(self, pid, ppo, status, entry, admitted, started, ended, body, protocol):
        mid = self.ids.take(Membership)
        self.w_membership.add(
            (mid, pid, ppo.pk, status, entry, admitted, started, ended, body, protocol, self.now)
        )
        self.totals.memberships += 1
        return mid

    def _person(
        self, ppo: Node, district_ppos: list[Node], unit_ppos: list[Node]
    ) -> tuple[int | None, int]:
        """Write one person's life in the party; return (1 if active now, 0 if suspended,
        None if no longer a member) and the person's id."""
        rng, today = self.rng, self.today
        who = self._draw_person()
        # About 80% of the records are active members, as the documents' branches report
        # (West Kazakhstan: 35,288 members); the rest left, were expelled or died.
        fate = rng.random()
        status = (
            "active"
            if fate < 0.72
            else "suspended"
            if fate < 0.745
            else "left"
            if fate < 0.86
            else "expelled"
            if fate < 0.875
            else "deceased"
            if fate < 0.935
            else "active"
        )
        earliest = max(PARTY_FOUNDED, _years_after(who["birth"], 18))
        span = max(1, (today - earliest).days)
        admitted = earliest + timedelta(days=int(span * rng.random() ** 0.7))
        admitted = min(admitted, today - timedelta(days=1))
        start, moved_on, home = admitted, None, ppo
        if rng.random() < 0.08 and len(district_ppos) > 1:
            pool = district_ppos if rng.random() < 0.75 else unit_ppos
            home = rng.choice([p for p in pool if p.pk != ppo.pk] or [ppo])
            if home.pk != ppo.pk:
                moved_on = _between(rng, start + timedelta(days=1), today)
                start = moved_on
        ended_on = None
        if status in ("left", "expelled", "deceased"):
            ended_on = _between(rng, start, today)
        again = None
        if status == "left" and ended_on is not None and rng.random() < 0.15:
            again = _years_after(ended_on, rng.randint(1, 4))
            if again >= today:
                again = None
        final = "active" if again else status
        pid = self._write_person(who, ppo, final)

        body, protocol = rng.choice(BODIES), str(rng.randint(1, 60))
        card = None

        def issue_card(mid, on, where):
            nonlocal card
            if rng.random() < 0.95:
                issued = min(on + timedelta(days=rng.randint(3, 60)), today)
                card = [self.ids.take(MembershipCard), self._card(), issued, None, ""]
                self._event(pid, mid, "card_issued", issued, where, reason=f"№ {card[1]}")

        def cancel_card(mid, on, where, why):
            nonlocal card
            if card is not None:
                card[3], card[4] = on, why
                reason = CARD_CANCELLED.stored(number=card[1], reason=why)
                self._event(pid, mid, "card_cancelled", on, where, reason=reason)
                self._write_card(pid, card)
                card = None

        entry, suspended_before = "admission", False
        if moved_on is not None:
            mid = self._membership(
                pid, home, "transferred", "admission", admitted, admitted, moved_on, body, protocol
            )
            self._event(pid, mid, "admitted", admitted, home, reason=protocol)
            issue_card(mid, admitted, home)
            if status == "suspended" and rng.random() < 0.5:
                # Suspended before the move: the status travels with the member.
                self._event(pid, mid, "suspended", _between(rng, admitted, moved_on), home)
                suspended_before = True
            self._event(pid, mid, "transferred", moved_on, home, other=ppo)
            entry = "transfer"
        mid = self._membership(pid, ppo, status, entry, admitted, start, ended_on, body, protocol)
        if entry == "admission":
            self._event(pid, mid, "admitted", start, ppo, reason=protocol)
            issue_card(mid, start, ppo)
        if status == "suspended" and not suspended_before:
            self._event(pid, mid, "suspended", _between(rng, start, today), ppo)
        if ended_on is not None:
            kind = {"left": "left", "expelled": "expelled", "deceased": "died"}[status]
            # The texts the services write, in the form they store them.
            reason = ""
            if status == "expelled":
                protocol = self._expulsion_case(pid, ppo, ended_on)
                reason = EXPELLED_BY_DECISION.stored(number=protocol)
            self._event(pid, mid, kind, ended_on, ppo, reason=reason)
            cancel_card(mid, ended_on, ppo, CARD_ENDED_BY[EventKind(kind)].stored())
        if again is not None:
            mid = self._membership(
                pid,
                ppo,
                "active",
                "readmission",
                again,
                again,
                None,
                rng.choice(BODIES),
                str(rng.randint(1, 60)),
            )
            self._event(pid, mid, "readmitted", again, ppo)
            issue_card(mid, again, ppo)
        if card is not None:
            self._write_card(pid, card)
        if final in ("active", "suspended"):
            self.totals.current += 1
        if final == "active":
            self.totals.active += 1
            if rng.random() < 0.004:
                self._penalty_case(pid, ppo)
            return 1, pid
        return (0, pid) if final == "suspended" else (None, pid)

    def _write_card(self, pid, card) -> None:
        cid, number, issued, cancelled, reason = card
        self.w_card.add((cid, pid, number, issued, "", cancelled, reason))
        self.totals.cards += 1

    def _expulsion_case(self, pid: int, ppo: Node, on: date) -> str:
        """Write the closed case that expelled the member; return its protocol's number."""
        opened = on - timedelta(days=self.rng.randint(20, 90))
        protocol = str(self.rng.randint(1, 40))
        self.w_case.add(
            (
                self.ids.take(DisciplineCase),
                pid,
                ppo.pk,
                opened,
                GROSS_BREACH[0],
                *GROSS_BREACH,
                on,
                "closed",
                "penalty",
                "expulsion",
                on,
                protocol,
                None,
                "",
                None,
                "expulsion",
                None,
                1,
            )
        )
        self.totals.cases += 1
        return protocol

    def _penalty_case(self, pid: int, ppo: Node) -> None:
        rng = self.rng
        decided = _between(rng, self.today - timedelta(days=3 * 365), self.today)
        penalty = rng.choice(("warning", "reprimand", "severe_reprimand"))
        self.w_case.add(
            (
                self.ids.take(DisciplineCase),
                pid,
                ppo.pk,
                decided - timedelta(days=rng.randint(10, 60)),
                BREACH[0],
                *BREACH,
                decided,
                "closed",
                "penalty",
                penalty,
                decided,
                str(rng.randint(1, 40)),
                None,
                "",
                None,
                penalty,
                None,
                1,
            )
        )
        self.totals.cases += 1

    def _applicant(self, ppo: Node) -> None:
        pid = self._write_person(self._draw_person(), ppo, "")
        self.w_application.add(
            (
                pid,
                ppo.pk,
                self.today - timedelta(days=self.rng.randint(0, 60)),
                "pending",
                None,
                "",
                "",
                "",
                None,
            )
        )
        self.totals.applications += 1

    def _deputies(self, candidates: list[int], node: Node, assembly: str, count: int) -> None:
        if not candidates or count <= 0:
            return
        elected = date(2023, 3, 19)  # the last maslikhat and Majilis elections
        for pid in self.rng.sample(candidates, min(count, len(candidates))):
            self.w_deputy.add((pid, assembly, node.pk, elected, date(2028, 3, 19)))
            self.totals.deputies += 1
