"""The demo: the generator's small scale, and one user for each role."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from tamyr.core.generator.appeals import AppealGenerator
from tamyr.core.generator.nation import NationGenerator
from tamyr.orgs.models import Node, Role
from tamyr.orgs.services import staff_role_grant

DEMO_PASSWORD = "tamyr-demo"  # noqa: S105 - printed for the demo, never used in production

# username, role, node code, first name, last name
CAST = [
    ("secretary.astana", Role.SECRETARY, "AST", "Әлия", "Нұрғалиева"),
    ("secretary.yesil", Role.SECRETARY, "AST-03", "Ерлан", "Ахметов"),
    ("secretary.baikonur", Role.SECRETARY, "AST-02", "Сәуле", "Қасымова"),
    ("commission.astana", Role.CONTROL_COMMISSION, "AST", "Болат", "Жұмабеков"),
    ("operator.astana", Role.RECEPTION_OPERATOR, "AST", "Дана", "Омарова"),
    ("analyst", Role.ANALYST, "HQ", "Марат", "Серіков"),
    ("juror", Role.JUROR, "HQ", "Гүлнар", "Төлегенова"),
    ("observer.zko", Role.OBSERVER, "ZKO", "Асқар", "Оспанов"),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    node: str


@transaction.atomic
def load_demo(*, seed: int = 2014) -> list[DemoLogin]:
    """Generate the demo organisation and one user per role; return the logins to print."""
    NationGenerator(scale="demo", seed=seed).generate()
    AppealGenerator(per_year=1500, seed=seed).generate()
    User = get_user_model()
    admin = User.objects.create_superuser(
        "admin", "admin@example.org", DEMO_PASSWORD, first_name="Demo", last_name="Administrator"
    )
    nodes = {n.code: n for n in Node.objects.filter(code__in={"HQ", *(c[2] for c in CAST)})}
    staff_role_grant(actor=admin, user=admin, role=Role.NATIONAL_ADMIN, node=nodes["HQ"])
    logins = [
        DemoLogin("admin", str(Role.NATIONAL_ADMIN.label) + " (superuser)", nodes["HQ"].name_en)
    ]
    for username, role, code, first, last in CAST:
        user = User.objects.create_user(
            username, f"{username}@example.org", DEMO_PASSWORD, first_name=first, last_name=last
        )
        staff_role_grant(actor=admin, user=user, role=role, node=nodes[code])
        logins.append(DemoLogin(username, str(Role(role).label), nodes[code].name_en))
    return logins
