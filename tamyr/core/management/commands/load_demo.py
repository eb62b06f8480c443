from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import translation

from tamyr.core.demo import CAST, DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the small demo organisation and one user per role (once)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2014)
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/", help="where the demo will be served"
        )

    @translation.override("en")
    def handle(self, *args, seed: int, url: str, **options):
        if get_user_model().objects.filter(username="admin").exists():
            self.stdout.write("The demo data is already loaded.")
            logins = None
        else:
            logins = load_demo(seed=seed)
        self.stdout.write("")
        url = url.rstrip("/") + "/"
        self.stdout.write(self.style.SUCCESS(f"Tamyr demo: {url}"))
        self.stdout.write(f"Every demo user's password is: {DEMO_PASSWORD}")
        if logins:
            for login in logins:
                self.stdout.write(f"  {login.username:<20} {login.role} · {login.node}")
        else:
            self.stdout.write("  admin, " + ", ".join(c[0] for c in CAST))
        self.stdout.write(
            f"Citizens need no account: {url}appeal/ sends an appeal and "
            f"{url}appeal/track/ follows it."
        )
