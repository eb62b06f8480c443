import csv
import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from tamyr.members.import_jobs import member_import_start, upload_error
from tamyr.members.importing import template_rows
from tamyr.members.models import ImportMode, ImportStatus, MemberImport
from tamyr.members.tasks import run_member_import
from tamyr.orgs import access


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))
    mode = forms.ChoiceField(
        label=_("If some rows have errors"),
        choices=ImportMode.choices,
        initial=ImportMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        error = upload_error(upload)
        if error:
            raise forms.ValidationError(error)
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    access.require(request.user, access.MEMBER, access.CREATE)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = member_import_start(
            user=request.user,
            upload=form.cleaned_data["file"],
            mode=form.cleaned_data["mode"],
            language=get_language() or "kk",
        )
        run_member_import(job.pk)
        return redirect("members:import", uuid=job.uuid)
    recent = MemberImport.objects.filter(user=request.user)[:10]
    return render(request, "members/import_start.html", {"form": form, "recent": recent})


def _own_job(request: HttpRequest, uuid) -> MemberImport:
    # An import belongs to whoever uploaded it; anyone else is told it does not exist.
    job = MemberImport.objects.filter(uuid=uuid, user=request.user).first()
    if job is None:
        raise Http404
    return job


@login_required
def import_status(request: HttpRequest, uuid) -> HttpResponse:
    access.require(request.user, access.MEMBER, access.CREATE)
    job = _own_job(request, uuid)
    page = Paginator(job.problems.all(), 100).get_page(request.GET.get("page"))
    context = {
        "job": job,
        "page": page,
        "running": job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING),
    }
    if request.headers.get("HX-Request"):
        return render(request, "members/_import_progress.html", context)
    return render(request, "members/import_status.html", context)


@login_required
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """The import template, with its header in the reader's language."""
    access.require(request.user, access.MEMBER, access.CREATE)
    rows = template_rows(get_language() or "kk")
    if fmt == "xlsx":
        from tamyr.core.exports import xlsx_bytes

        response = HttpResponse(
            xlsx_bytes(rows[0], rows[1:], text_columns=(0, 14)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="members-template.xlsx"'
        return response
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(rows)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="members-template.csv"'
    return response
