from django import forms
from django.utils.translation import gettext_lazy as _

from tamyr.appeals.models import (
    AppealStatus,
    AppealType,
    Channel,
    Official,
    OfficialKind,
    Outcome,
    Reception,
    ReceptionFormat,
    ReceptionStatus,
    Topic,
)
from tamyr.appeals.services import TEXT_REQUIRED
from tamyr.core.forms import TranslatedTextsForm
from tamyr.orgs.models import Node, NodeKind, Wing
from tamyr.orgs.staff import staff_choice_label


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class AppealFields(forms.Form):
    citizen_name = forms.CharField(label=_("Your name"), max_length=300, required=False)
    contact = forms.CharField(
        label=_("Phone or e-mail"),
        max_length=200,
        required=False,
        help_text=_("An appeal without a name and a contact is not considered, by law."),
    )
    locality = forms.CharField(label=_("Locality"), max_length=300, required=False)
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.filter(is_active=True))
    # Not required: an empty appeal is still recorded (and left without consideration).
    text = forms.CharField(
        label=_("Text of the appeal"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    files = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Up to 3 files: PDF, JPEG, PNG or DOCX, 5 MB each."),
    )


class PublicAppealForm(AppealFields):
    # The citizen types the appeal in here, so an empty one is asked for again; the service
    # holds the same rule for the API and Open311 (and checks it again here).
    text = forms.CharField(
        label=_("Text of the appeal"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": TEXT_REQUIRED},
    )
    node = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Node.objects.filter(
            kind__in=[NodeKind.REGION, NodeKind.CITY], wing=Wing.PARTY, closed_on__isnull=True
        ).order_by("code"),
    )
    field_order = ["citizen_name", "contact", "node", "locality", "topic", "text", "files"]


class OperatorAppealForm(AppealFields):
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[c for c in Channel.choices if c[0] not in ("portal", "open311")],
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    appeal_type = forms.ModelChoiceField(label=_("Appeal type"), queryset=AppealType.objects.all())
    node = forms.ModelChoiceField(label=_("Responsible branch"), queryset=Node.objects.none())
    reception = forms.ModelChoiceField(
        label=_("Reception"), queryset=Reception.objects.none(), required=False
    )
    field_order = [
        "channel", "received_at", "appeal_type", "node", "reception", "citizen_name", "contact",
        "locality", "topic", "text", "files",
    ]  # fmt: skip

    def __init__(self, *args, nodes, receptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes
        self.fields["reception"].queryset = receptions
        self.fields["citizen_name"].label = _("Citizen's name")


class TrackForm(forms.Form):
    number = forms.CharField(label=_("Registration number"), max_length=20)
    secret = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )


class AppealFilterForm(forms.Form):
    # Open work by default: "open" comes first, so a page without a status in its address
    # shows it chosen.
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("open", _("all open")), ("all", _("any")), *list(AppealStatus.choices)],
        required=False,
    )
    term = forms.ChoiceField(
        label=_("Term"),
        choices=[("", _("any")), ("overdue", _("overdue")), ("due_soon", _("due soon"))],
        required=False,
    )
    # Chosen among the users already read for the menu, so checking the choice costs no query.
    executor = forms.TypedChoiceField(
        label=_("Executor"), coerce=int, empty_value=None, required=False
    )
    q = forms.CharField(label=_("Registration number"), required=False, max_length=20)

    def __init__(self, *args, executors: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["executor"].choices = [("", "---------"), *executors]


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class StaffChoiceField(forms.ModelChoiceField):
    """A choice of staff, each by name with the branches and positions that make them one."""

    def label_from_instance(self, obj) -> str:
        return staff_choice_label(obj)


class AssignForm(VersionForm):
    node = forms.ModelChoiceField(label=_("Responsible branch"), queryset=Node.objects.none())
    executor = StaffChoiceField(label=_("Executor"), queryset=None)
    controller = StaffChoiceField(label=_("Controller"), queryset=None)
    note = forms.CharField(
        label=_("Instruction"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, nodes, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes
        self.fields["executor"].queryset = staff
        self.fields["controller"].queryset = staff


class AnswerForm(VersionForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[c for c in Outcome.choices if c[0] != Outcome.NOT_CONSIDERED]
    )
    answer = forms.CharField(
        label=_("Answer to the citizen"), widget=forms.Textarea(attrs={"rows": 6})
    )


class NoteForm(VersionForm):
    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(VersionForm):
    sign_off = forms.BooleanField(label=_("I have read the answer and sign it off"), required=False)


class ExtendForm(VersionForm):
    due_on = forms.DateField(label=_("New term"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("Reasons for the extension"), widget=forms.Textarea(attrs={"rows": 3})
    )


class NotifyForm(VersionForm):
    on = forms.DateField(label=_("Citizen told on"), widget=forms.DateInput(attrs={"type": "date"}))


ACTION_FORMS = {
    "assign": AssignForm,
    "answer": AnswerForm,
    "return": NoteForm,
    "close": CloseForm,
    "reopen": NoteForm,
    "extend": ExtendForm,
    "notify": NotifyForm,
}


class OfficialForm(TranslatedTextsForm):
    texts_required = {"position": _("Give the position in at least one language.")}

    full_name = forms.CharField(label=_("Full name"), max_length=300)
    position_kk = forms.CharField(label=_("Position in Kazakh"), max_length=300, required=False)
    position_ru = forms.CharField(label=_("Position in Russian"), max_length=300, required=False)
    position_en = forms.CharField(label=_("Position in English"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=OfficialKind.choices)
    node = forms.ModelChoiceField(label=_("Branch"), queryset=Node.objects.none())

    def __init__(self, *args, nodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes


class ReceptionForm(TranslatedTextsForm):
    texts_required = {"place": _("Give the place in at least one language.")}

    official = forms.ModelChoiceField(label=_("Official"), queryset=Official.objects.none())
    node = forms.ModelChoiceField(label=_("Branch"), queryset=Node.objects.none())
    format = forms.ModelChoiceField(label=_("Format"), queryset=ReceptionFormat.objects.all())
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place_kk = forms.CharField(label=_("Place in Kazakh"), max_length=300, required=False)
    place_ru = forms.CharField(label=_("Place in Russian"), max_length=300, required=False)
    place_en = forms.CharField(label=_("Place in English"), max_length=300, required=False)

    def __init__(self, *args, nodes, officials, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes
        self.fields["official"].queryset = officials


class ReceptionRecordForm(VersionForm):
    status = forms.ChoiceField(
        label=_("How it went"),
        choices=[c for c in ReceptionStatus.choices if c[0] != ReceptionStatus.PLANNED],
    )
    visitors = forms.IntegerField(label=_("Visitors"), min_value=0, initial=0)


class PeriodFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end cannot come before the start."))
        return data


class StatisticsPeriodForm(PeriodFilterForm):
    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        # Windows of earlier years must not overlap, or a row would count in one of them only.
        if start and end and (end - start).days > 365:
            self.add_error("end", _("Compare periods of a year at most."))
        return data


class StatisticsForm(StatisticsPeriodForm):
    node = forms.ModelChoiceField(label=_("Branch"), queryset=Node.objects.none())
    years = forms.IntegerField(
        label=_("Compare with earlier years"), min_value=0, max_value=5, initial=2
    )

    def __init__(self, *args, nodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes
