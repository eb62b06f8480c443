from django.utils.translation import gettext_lazy as _


class ConflictError(Exception):
    """Someone else changed the record since it was read; the caller must reload, not overwrite."""

    message = _(
        "Someone else has changed this record since you opened it. Your changes were not saved: "
        "reload the page to see the current version."
    )

    def __str__(self) -> str:
        return str(self.message)
