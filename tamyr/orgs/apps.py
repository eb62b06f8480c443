from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "tamyr.orgs"
    label = "orgs"
    verbose_name = _("Branch tree")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from tamyr.orgs.access import access_changed
        from tamyr.orgs.models import Node, StaffRole

        def changed(sender, update_fields=None, **kwargs) -> None:
            # A login only stamps last_login: that changes nobody's access.
            if update_fields is not None and set(update_fields) <= {"last_login"}:
                return
            access_changed()

        # Grants and staff menus are cached (tamyr.orgs.access): whatever they are read from
        # invalidates them. Bulk writes and raw moves call access_changed() themselves.
        for model in (StaffRole, Node, get_user_model()):
            label = model._meta.label
            post_save.connect(changed, sender=model, dispatch_uid=f"access-saved-{label}")
            post_delete.connect(changed, sender=model, dispatch_uid=f"access-deleted-{label}")
