"""The fixed cast on a small tree, used by permission and flow tests.

HQ (central office, party)                 JAS (youth wing root)
├── PH   PPO directly under HQ             └── JR1 regional youth branch
├── R1   region                                 └── JP1 primary centre
│   ├── PR1  PPO directly under R1
│   ├── D1   district A
│   │   └── P1  PPO
│   └── D2   district B
│       └── P2  PPO
└── R2   region
    └── D3   district
        └── P3  PPO

One member in each PPO: m_PH, m_PR1, m_P1, m_P2, m_P3, m_JP1; and at each PPO a pending
application, an open discipline case about its member, a ceremony with one award, and a
citizen's appeal (with a PDF attached) under the PPO's control. In each district (D1, D2, D3)
an official, "Official of D1" and so on, with one planned reception a week after the cast is
built, so that scoping of receptions and officials is seen from inside and outside each district.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tamyr.appeals.models import AppealType, ReceptionFormat, Topic
from tamyr.appeals.receptions import official_create, reception_schedule
from tamyr.appeals.services import appeal_receive
from tamyr.members.awards import ceremony_create, conferral_create
from tamyr.members.discipline import case_open
from tamyr.members.iin import make_iin
from tamyr.members.lifecycle import application_submit
from tamyr.members.models import AwardType
from tamyr.members.services import member_register
from tamyr.orgs.models import NodeKind, Role, Wing
from tamyr.orgs.services import node_create, staff_role_grant

PASSWORD = "cast-password-123"

TREE = [
    # code, parent code, kind
    ("HQ", None, NodeKind.CENTRAL),
    ("JAS", None, NodeKind.CENTRAL),
    ("PH", "HQ", NodeKind.PRIMARY),
    ("R1", "HQ", NodeKind.REGION),
    ("PR1", "R1", NodeKind.PRIMARY),
    ("D1", "R1", NodeKind.DISTRICT),
    ("P1", "D1", NodeKind.PRIMARY),
    ("D2", "R1", NodeKind.DISTRICT),
    ("P2", "D2", NodeKind.PRIMARY),
    ("R2", "HQ", NodeKind.REGION),
    ("D3", "R2", NodeKind.DISTRICT),
    ("P3", "D3", NodeKind.PRIMARY),
    ("JR1", "JAS", NodeKind.REGION),
    ("JP1", "JR1", NodeKind.PRIMARY),
]
PPOS = ["PH", "PR1", "P1", "P2", "P3", "JP1"]
DISTRICTS = ["D1", "D2", "D3"]

ROLES_FROM = date(2020, 1, 1)

# username: (role, node code); "nobody" has an account and no role.
USERS = {
    "national_admin": (Role.NATIONAL_ADMIN, "HQ"),
    "regional_secretary": (Role.SECRETARY, "R1"),
    "district_secretary": (Role.SECRETARY, "D1"),
    "district_b_secretary": (Role.SECRETARY, "D2"),
    "reception_operator": (Role.RECEPTION_OPERATOR, "D1"),
    "analyst": (Role.ANALYST, "D1"),
    "juror": (Role.JUROR, "D1"),
    "observer": (Role.OBSERVER, "D1"),
    "control_commission": (Role.CONTROL_COMMISSION, "D1"),
    "nobody": (None, None),
}

NAMES = {"HQ": ("Орталық аппарат", "Центральный аппарат", "Central office")}


def build_cast() -> dict:
    """Create the tree, one member per PPO and the users; return them by code and name."""
    User = get_user_model()
    root = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    nodes = {}
    for code, parent, kind in TREE:
        kk, ru, en = NAMES.get(code, (f"{code} бөлімшесі", f"{code} отделение", f"{code} unit"))
        data = {
            "kind": kind,
            "code": code,
            "name_kk": kk,
            "name_ru": ru,
            "name_en": en,
            "opened_on": date(2001, 1, 1),
        }
        if parent is None:
            data["wing"] = Wing.YOUTH if code == "JAS" else Wing.PARTY
        nodes[code] = node_create(actor=root, parent=nodes.get(parent), data=data)
    members = {}
    for i, code in enumerate(PPOS):
        birth = date(1980 + i, 1 + i, 10 + i)
        members[code] = member_register(
            actor=root,
            ppo=nodes[code],
            person_data={
                "surname": f"Сейітов{i}",
                "given_name": "Ерлан",
                "patronymic": "",
                "iin": make_iin(birth, "m", 100 + i) or make_iin(birth, "m", 200 + i),
                "gender": "m",
                "birth_date": birth,
                "phone": "",
                "address": "",
                "sector": "education",
                "education": "higher",
            },
            membership_data={
                "admitted_on": date(2010, 5, 1),
                "card_number": f"C{i:07d}",
                "card_issued_on": date(2010, 5, 10),
            },
        )
    users = {}
    for username, (role, code) in USERS.items():
        user = User.objects.create_user(username, f"{username}@example.org", PASSWORD)
        if role:
            # Held since a fixed day, not since the day the cast is built: a test that freezes
            # the clock on a date it means still acts as these users.
            staff_role_grant(
                actor=root, user=user, role=role, node=nodes[code], valid_from=ROLES_FROM
            )
        users[username] = user
    # At every PPO: a pending application, an open case about its member, an award ceremony
    # with one award to a citizen outside the party.
    # Reference data comes from a migration; a transactional test's flush removes it.
    award, _ = AwardType.objects.get_or_create(
        code="letter-of-thanks",
        defaults={
            "kind": "letter",
            "name": "Алғыс хат",
            "name_kk": "Алғыс хат",
            "name_en": "Letter of thanks",
        },
    )
    AwardType.objects.get_or_create(
        code="certificate-of-honour",
        defaults={
            "kind": "certificate",
            "name": "Құрмет грамотасы",
            "name_en": "Certificate of Honour",
        },
    )
    for i, code in enumerate(PPOS):
        birth = date(1995, 1 + i, 3 + i)
        application_submit(
            actor=root,
            ppo=nodes[code],
            applied_on=date(2024, 9, 1),
            person_data={
                "surname": f"Өтінішбек{i}",
                "given_name": "Әлия",
                "patronymic": "",
                "iin": make_iin(birth, "f", 300 + i) or make_iin(birth, "f", 400 + i),
                "gender": "f",
                "birth_date": birth,
                "phone": "",
                "address": "",
                "sector": "student",
                "education": "incomplete_higher",
            },
        )
        case_open(
            actor=root, person=members[code], opened_on=date(2024, 10, 1), grounds=f"Case at {code}"
        )
        ceremony = ceremony_create(
            actor=root,
            node=nodes[code],
            data={"held_on": date(2024, 11, 1), "title": f"Ceremony at {code}"},
        )
        conferral_create(
            actor=root,
            node=nodes[code],
            data={
                "award": award,
                "citizen_name": f"Citizen at {code}",
                "conferred_on": date(2024, 11, 1),
                "conferring_body": "Bureau",
                "reason": "Volunteering",
                "ceremony": ceremony,
            },
        )
    # Reference data from migrations, recreated if a transactional test flushed it.
    AppealType.objects.get_or_create(code="appeal", defaults={"name": "Request"})
    topic, _ = Topic.objects.get_or_create(code="housing", defaults={"name": "Housing"})
    for code in PPOS:
        appeal_receive(
            actor=root,
            channel="letter",
            topic=topic,
            node=nodes[code],
            citizen_name=f"Citizen of {code}",
            contact="+7 701 000 00 00",
            text=f"Appeal about {code}",
            files=[SimpleUploadedFile(f"{code}.pdf", b"%PDF-1.4 cast")],
        )
    regular, _ = ReceptionFormat.objects.get_or_create(
        code="regular", defaults={"name": "Тұрақты қабылдау", "name_en": "Regular reception"}
    )
    # Scheduling needs a reception grant: the superuser holds no role, the national admin does.
    scheduler = users["national_admin"]
    week_on = timezone.now().replace(hour=5, minute=0, second=0, microsecond=0) + timedelta(days=7)
    for code in DISTRICTS:
        official = official_create(
            actor=scheduler,
            full_name=f"Official of {code}",
            position=f"Deputy of the {code} maslikhat",
            kind="deputy",
            node=nodes[code],
        )
        reception_schedule(
            actor=scheduler,
            official=official,
            node=nodes[code],
            format=regular,
            starts_at=week_on,
            place=f"Reception office of {code}",
        )
    return {"nodes": nodes, "members": members, "users": users, "root": root}


def build_cast_once() -> None:
    """Build the cast for a test whose database is flushed after each test (a browser test
    with a live server), unless an earlier one left it."""
    from tamyr.orgs.models import Node

    if not Node.objects.filter(code="HQ").exists():
        build_cast()
