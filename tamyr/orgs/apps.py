from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def access_inputs_changed(sender, update_fields=None, **kwargs) -> None:
    """Replace the access version when a role, a branch or a staff account is saved or deleted."""
    # A login only stamps last_login: that changes nobody's access.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    from tamyr.orgs.access import access_changed

    access_changed()


class OrgsConfig(AppConfig):
    name = "tamyr.orgs"
    label = "orgs"
    verbose_name = _("Branch tree")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from tamyr.orgs.models import Node, StaffRole

        # Grants and staff menus are cached (tamyr.orgs.access): whatever they are read from
        # invalidates them. Bulk writes and raw moves call access_changed() themselves. The
        # receiver is a module function held strongly: a signal keeps only a weak reference by
        # default, and a receiver nothing else holds is collected at once in a server (with
        # DEBUG on, Django's argument check keeps it alive, which hid exactly that).
        for model in (StaffRole, Node, get_user_model()):
            label = model._meta.label
            for signal, uid in ((post_save, "access-saved"), (post_delete, "access-deleted")):
                signal.connect(
                    access_inputs_changed,
                    sender=model,
                    weak=False,
                    dispatch_uid=f"{uid}-{label}",
                )
