from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tamyr.core.context_processors import TEXT_SIZES
from tamyr.orgs.selectors import home_counts, user_roles


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/home.html",
        {
            "tops": home_counts(user=request.user),
            "roles": user_roles(user=request.user),
        },
    )


@require_POST
def text_size(request: HttpRequest) -> HttpResponse:
    """Remember the reader's text size; works without JavaScript."""
    size = request.POST.get("size", "normal")
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if size in TEXT_SIZES:
        response.set_cookie("tamyr_text_size", size, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def paginate(request: HttpRequest, items, per_page: int | None = None):
    from django.conf import settings

    paginator = Paginator(items, per_page or settings.TAMYR_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def history_page(request: HttpRequest, *, record, related=(), back_url: str) -> HttpResponse:
    """Show a record's audit history; the caller has already fetched the record in scope."""
    from tamyr.core.selectors import history_entries, record_history
    from tamyr.orgs import access

    access.require(request.user, access.AUDIT, access.VIEW)
    page = paginate(request, record_history(record=record, related=list(related)))
    entries = history_entries(events=page.object_list)
    context = {"record": record, "page": page, "entries": entries, "back_url": back_url}
    return render(request, "core/history.html", context)


def form_page(
    request: HttpRequest,
    template: str,
    *,
    form,
    title: str,
    back_url: str = "",
    back_label: str = "",
    status: int = 200,
    **extra,
) -> HttpResponse:
    """Render one of the small form pages built on core/form_page.html."""
    context = {
        "form": form,
        "title": title,
        "back_url": back_url,
        "back_label": back_label,
        **extra,
    }
    return render(request, template, context, status=status)
