from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler

from tamyr.core.errors import ConflictError


def api_exception_handler(exc, context):
    """Turn the services' errors into API answers: 400 field by field, 409 on a stale edit."""
    if isinstance(exc, ConflictError):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = ValidationError(detail)
    return exception_handler(exc, context)


REQUIRED = _("This field is required.")
PPO_OUTSIDE = _("This primary organisation is not in your subtree or is closed.")
TRANSFER = _("Moving a member to another PPO is a transfer, not an edit.")
NODE_OUTSIDE = _("This branch is not in your subtree or is closed.")
PERIOD_OF_A_YEAR = _("Compare periods of a year at most.")
