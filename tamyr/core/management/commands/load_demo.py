from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import translation

from tamyr.core.demo import CAST, DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the small demo organisation and one user per role (once)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2014)

    @translation.override("en")
    def handle(self, *args, seed: int, **options):
        if get_user_model().objects.filter(username="admin").exists():
            self.stdout.write("The demo data is already loaded.")
            logins = None
        else:
            logins = load_demo(seed=seed)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Tamyr demo: http://127.0.0.1:8000/"))
        self.stdout.write(f"Every demo user's password is: {DEMO_PASSWORD}")
        if logins:
            for login in logins:
                self.stdout.write(f"  {login.username:<20} {login.role} · {login.node}")
        else:
            self.stdout.write("  admin, " + ", ".join(c[0] for c in CAST))
        self.stdout.write(
            "Citizens need no account: http://127.0.0.1:8000/appeal/ sends an appeal and "
            "http://127.0.0.1:8000/appeal/track/ follows it."
        )
