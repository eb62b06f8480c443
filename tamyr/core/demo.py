"""A small demo organisation: three branches of a party, a youth wing, members and staff.

Deterministic for a seed. Names are Kazakh and Russian in their proper male and female forms,
and every IIN is valid and agrees with the birth date and sex.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from tamyr.members.iin import make_iin
from tamyr.members.models import Education, Sector
from tamyr.members.services import member_register
from tamyr.orgs.models import HostKind, Node, NodeKind, Role, Wing
from tamyr.orgs.services import node_create, staff_role_grant

DEMO_PASSWORD = "tamyr-demo"  # noqa: S105 - printed for the demo, never used in production

# (surname stem, male ending, female ending)
SURNAMES = [
    ("Ахмет", "ов", "ова"),
    ("Сейітқали", "ев", "ева"),
    ("Жұмабек", "ов", "ова"),
    ("Нұрғали", "ев", "ева"),
    ("Қасым", "ов", "ова"),
    ("Әбдірахман", "ов", "ова"),
    ("Төлеген", "ов", "ова"),
    ("Иван", "ов", "ова"),
    ("Кенжебай", "ев", "ева"),
    ("Омар", "ов", "ова"),
    ("Серік", "ов", "ова"),
    ("Құдайберген", "ов", "ова"),
    ("Смағұл", "ов", "ова"),
    ("Петр", "ов", "ова"),
    ("Бекмұхамбет", "ов", "ова"),
    ("Оспан", "ов", "ова"),
    ("Шәріп", "ов", "ова"),
    ("Ким", "", ""),
]
MALE_NAMES = [
    "Ерлан",
    "Нұрлан",
    "Қайрат",
    "Бауыржан",
    "Дәурен",
    "Асқар",
    "Ғалым",
    "Серік",
    "Әлихан",
    "Аслан",
    "Өмірзақ",
    "Сергей",
    "Андрей",
    "Жандос",
    "Мұрат",
    "Ілияс",
]
FEMALE_NAMES = [
    "Айгүл",
    "Гүлнар",
    "Динара",
    "Әсем",
    "Жанар",
    "Сәуле",
    "Ғалия",
    "Мөлдір",
    "Айжан",
    "Ольга",
    "Елена",
    "Қарлығаш",
    "Ұлжан",
    "Іңкәр",
    "Назгүл",
    "Балжан",
]
FATHER_NAMES = ["Серік", "Болат", "Ерғали", "Қанат", "Марат", "Төлеу", "Нұрлан", "Ахмет"]
RUSSIAN_FATHERS = [("Иван", "ович", "овна"), ("Петр", "ович", "овна"), ("Сергей", "евич", "еевна")]

# Branches as the source documents name them: (code, kind, kk, ru, en, districts)
BRANCHES = [
    (
        "AST",
        NodeKind.CITY,
        "Астана қалалық филиалы",
        "Астанинский городской филиал",
        "Astana city branch",
        [
            ("AST-ESL", "Есіл ауданы", "район Есиль", "Yesil district"),
            ("AST-SAR", "Сарыарқа ауданы", "район Сарыарка", "Saryarka district"),
            ("AST-ALM", "Алматы ауданы", "район Алматы", "Almaty district"),
        ],
    ),
    (
        "ALA",
        NodeKind.CITY,
        "Алматы қалалық филиалы",
        "Алматинский городской филиал",
        "Almaty city branch",
        [
            ("ALA-MED", "Медеу ауданы", "Медеуский район", "Medeu district"),
            ("ALA-AUE", "Әуезов ауданы", "Ауэзовский район", "Auezov district"),
        ],
    ),
    (
        "ZKO",
        NodeKind.REGION,
        "Батыс Қазақстан облыстық филиалы",
        "Западно-Казахстанский областной филиал",
        "West Kazakhstan regional branch",
        [
            ("ZKO-URA", "Орал қалалық филиалы", "Уральский городской филиал", "Oral city branch"),
            (
                "ZKO-BUR",
                "Бөрлі аудандық филиалы",
                "Бурлинский районный филиал",
                "Burli district branch",
            ),
        ],
    ),
]
EMPLOYERS = [
    ("Қалалық аурухана №1", "Городская больница №1", "City hospital No. 1"),
    ("№12 мектеп-гимназия", "Школа-гимназия №12", "School-gymnasium No. 12"),
    ("«Халықаралық әуежай» АҚ", "АО «Международный аэропорт»", "International Airport JSC"),
    ("Жылу электр орталығы", "ТЭЦ", "Combined heat and power plant"),
    ("Көпсалалы колледж", "Многопрофильный колледж", "Multidisciplinary college"),
]
VILLAGES = [
    ("Ақсай ауылы", "село Аксай", "Aksai village"),
    ("Жаңақала ауылы", "село Жанакала", "Zhanakala village"),
]

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


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    node: str


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _person(rng: random.Random, serials: set[str], today: date) -> dict:
    female = rng.random() < 0.46
    stem, male_end, female_end = rng.choice(SURNAMES)
    surname = stem + (female_end if female else male_end)
    given = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
    if rng.random() < 0.7:
        father = rng.choice(FATHER_NAMES)
        patronymic = father + ("қызы" if female else "ұлы")
    else:
        father, m_end, f_end = rng.choice(RUSSIAN_FATHERS)
        patronymic = father + (f_end if female else m_end)
    age_days = rng.randint(18 * 365 + 5, 75 * 365)
    birth = today - timedelta(days=age_days)
    while True:
        iin = make_iin(birth, "f" if female else "m", rng.randint(0, 9999))
        if iin and iin not in serials:
            serials.add(iin)
            break
    operator = rng.choice(["701", "702", "705", "707", "747", "771", "775", "778"])
    return {
        "surname": surname,
        "given_name": given,
        "patronymic": patronymic,
        "iin": iin,
        "gender": "f" if female else "m",
        "birth_date": birth,
        "phone": f"+7{operator}{rng.randint(1000000, 9999999)}",
        "address": "",
        "sector": _weighted(rng, SECTOR_WEIGHTS),
        "education": _weighted(rng, EDUCATION_WEIGHTS),
    }


@transaction.atomic
def load_demo(*, seed: int = 2014, members_per_ppo: tuple[int, int] = (8, 16)) -> list[DemoLogin]:
    """Create the demo organisation and one user per role; return the logins to print."""
    rng = random.Random(seed)
    today = date.today()
    User = get_user_model()
    admin = User.objects.create_superuser(
        "admin", "admin@example.org", DEMO_PASSWORD, first_name="Demo", last_name="Administrator"
    )
    central = node_create(
        actor=admin,
        parent=None,
        data={
            "kind": NodeKind.CENTRAL,
            "code": "HQ",
            "name_kk": "Орталық аппарат",
            "name_ru": "Центральный аппарат",
            "name_en": "Central office",
            "wing": Wing.PARTY,
            "opened_on": date(1999, 3, 1),
        },
    )
    youth = node_create(
        actor=admin,
        parent=None,
        data={
            "kind": NodeKind.CENTRAL,
            "code": "JAS",
            "name_kk": "«Жас Отан» жастар қанаты",
            "name_ru": "Молодёжное крыло «Жас Отан»",
            "name_en": "Zhas Otan youth wing",
            "wing": Wing.YOUTH,
            "opened_on": date(2008, 1, 1),
        },
    )
    ppo_no = 0
    serials: set[str] = set()
    card_no = 100000
    nodes: dict[str, Node] = {}
    for code, kind, kk, ru, en, districts in BRANCHES:
        branch = node_create(
            actor=admin,
            parent=central,
            data={
                "kind": kind,
                "code": code,
                "name_kk": kk,
                "name_ru": ru,
                "name_en": en,
                "opened_on": date(1999, 6, 1),
            },
        )
        nodes[code] = branch
        youth_branch = node_create(
            actor=admin,
            parent=youth,
            data={
                "kind": kind,
                "code": f"JAS-{code}",
                "name_kk": f"«Жас Отан»: {kk}",
                "name_ru": f"«Жас Отан»: {ru}",
                "name_en": f"Zhas Otan: {en}",
                "opened_on": date(2008, 6, 1),
            },
        )
        node_create(
            actor=admin,
            parent=youth_branch,
            data={
                "kind": NodeKind.PRIMARY,
                "code": f"JAS-{code}-01",
                "name_kk": "Студенттер бастауыш орталығы",
                "name_ru": "Первичный центр студентов",
                "name_en": "Students' primary centre",
                "host_kind": HostKind.OTHER,
                "opened_on": date(2010, 9, 1),
            },
        )
        for d_code, d_kk, d_ru, d_en in districts:
            district = node_create(
                actor=admin,
                parent=branch,
                data={
                    "kind": NodeKind.DISTRICT,
                    "code": d_code,
                    "name_kk": d_kk,
                    "name_ru": d_ru,
                    "name_en": d_en,
                    "opened_on": date(1999, 9, 1),
                },
            )
            nodes[d_code] = district
            hosts = rng.sample(EMPLOYERS, 3) + ([rng.choice(VILLAGES)] if code == "ZKO" else [])
            for h_kk, h_ru, h_en in hosts:
                ppo_no += 1
                village = (h_kk, h_ru, h_en) in VILLAGES
                ppo = node_create(
                    actor=admin,
                    parent=district,
                    data={
                        "kind": NodeKind.PRIMARY,
                        "code": f"{d_code}-{ppo_no:03d}",
                        "name_kk": f"{h_kk} БПҰ",
                        "name_ru": f"ППО «{h_ru}»",
                        "name_en": f"PPO of {h_en}",
                        "host_kind": HostKind.VILLAGE if village else HostKind.EMPLOYER,
                        "host_name_kk": h_kk,
                        "host_name_ru": h_ru,
                        "host_name_en": h_en,
                        "address": f"{en.split(' ')[0]}, {d_en}",
                        "opened_on": date(2001, 1, 15),
                    },
                )
                for _ in range(rng.randint(*members_per_ppo)):
                    person = _person(rng, serials, today)
                    admitted = today - timedelta(days=rng.randint(30, 20 * 365))
                    earliest = person["birth_date"] + timedelta(days=18 * 365 + 5)
                    admitted = max(admitted, earliest)
                    card_no += 1
                    member_register(
                        actor=admin,
                        ppo=ppo,
                        person_data=person,
                        membership_data={
                            "admitted_on": admitted,
                            "card_number": f"{card_no:08d}",
                            "card_issued_on": min(
                                admitted + timedelta(days=rng.randint(3, 30)), today
                            ),
                        },
                    )
    logins = [DemoLogin("admin", "National administrator (superuser)", "Central office")]
    cast = [
        ("secretary.astana", Role.SECRETARY, nodes["AST"], "Aliya", "Nurgalieva"),
        ("secretary.yesil", Role.SECRETARY, nodes["AST-ESL"], "Yerlan", "Akhmetov"),
        ("secretary.saryarka", Role.SECRETARY, nodes["AST-SAR"], "Saule", "Kasymova"),
        ("operator.astana", Role.RECEPTION_OPERATOR, nodes["AST"], "Dana", "Omarova"),
        ("analyst", Role.ANALYST, central, "Marat", "Serikov"),
        ("juror", Role.JUROR, central, "Gulnar", "Tulegenova"),
        ("observer.zko", Role.OBSERVER, nodes["ZKO"], "Askar", "Ospanov"),
    ]
    staff_role_grant(actor=admin, user=admin, role=Role.NATIONAL_ADMIN, node=central)
    for username, role, node, first, last in cast:
        user = User.objects.create_user(
            username, f"{username}@example.org", DEMO_PASSWORD, first_name=first, last_name=last
        )
        staff_role_grant(actor=admin, user=user, role=role, node=node)
        logins.append(DemoLogin(username, str(Role(role).label), node.name_en))
    return logins
