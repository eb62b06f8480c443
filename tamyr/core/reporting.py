import re

from django.views.debug import SafeExceptionReporterFilter


class TamyrReporterFilter(SafeExceptionReporterFilter):
    """Error reports leave out tracking codes (the X-Tracking-Code header) too."""

    hidden_settings = re.compile(
        "API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|TRACKING", flags=re.IGNORECASE
    )
