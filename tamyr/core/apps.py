from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tamyr.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from tamyr.core.collation import register_sqlite_collations

        # SQLite learns the ICU collations' names (PostgreSQL has them) on every connection.
        connection_created.connect(
            register_sqlite_collations, weak=False, dispatch_uid="tamyr-collations"
        )
