from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


class AdminForSuperusersOnly:
    """Keep the Django admin to superusers: staff work happens in the scoped pages instead.

    The admin knows nothing of subtrees, so opening it to secretaries would leak other branches.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # path_info, not path: behind a URL prefix (SCRIPT_NAME) path would never match.
        if request.path_info.startswith("/admin/"):
            user = request.user
            if not user.is_authenticated:
                if request.path_info.startswith("/admin/login/"):
                    return redirect(f"{reverse('login')}?next=/admin/")
                return redirect(f"{reverse('login')}?next={request.path}")
            if not user.is_superuser:
                from django.core.exceptions import PermissionDenied

                raise PermissionDenied
        return self.get_response(request)
