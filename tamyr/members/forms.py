from django import forms
from django.utils.translation import gettext_lazy as _

from tamyr.core.forms import DateInput, TranslatedTextsForm
from tamyr.members.models import (
    AdmissionBody,
    AppealOutcome,
    AwardType,
    CaseOutcome,
    CaseStatus,
    Education,
    Gender,
    MembershipStatus,
    Penalty,
    Sector,
)
from tamyr.members.rules import membership_errors, person_errors
from tamyr.members.services import MEMBERSHIP_FIELDS, PERSON_FIELDS
from tamyr.orgs import access
from tamyr.orgs.models import Node

BLANK = [("", "—")]
PPO_OUTSIDE = _("This primary organisation is not in your subtree or is closed.")


def ppo_label(node: Node) -> str:
    return f"{node.name} · {node.code}"


class PersonFields(forms.Form):
    surname = forms.CharField(label=_("Surname"), max_length=100)
    given_name = forms.CharField(label=_("Name"), max_length=100)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    iin = forms.CharField(
        label=_("IIN"),
        max_length=12,
        min_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    # A blank first option: a default would be saved by a secretary who never looked at it.
    gender = forms.ChoiceField(label=_("Gender"), choices=BLANK + list(Gender.choices))
    birth_date = forms.DateField(label=_("Birth date"), widget=DateInput())
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    address = forms.CharField(label=_("Address"), max_length=500, required=False)
    sector = forms.ChoiceField(label=_("Occupation sector"), choices=BLANK + list(Sector.choices))
    education = forms.ChoiceField(label=_("Education"), choices=BLANK + list(Education.choices))

    def person_fields(self):
        return [self[f] for f in PERSON_FIELDS if f in self.fields]

    def clean(self):
        data = super().clean()
        for field, messages in person_errors(data).items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        return data


def _ppo_field(user) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(
        label=_("Primary organisation"),
        queryset=access.scoped_ppos_for_members(user, access.CREATE).order_by("path"),
        error_messages={"invalid_choice": PPO_OUTSIDE},
    )
    field.label_from_instance = ppo_label
    return field


class MemberForm(PersonFields):
    """Register an admitted member (new entry), or edit a member's personal data."""

    admitted_on = forms.DateField(label=_("Admitted on"), widget=DateInput())
    admission_body = forms.ChoiceField(
        label=_("Admitted by"), required=False, choices=BLANK + list(AdmissionBody.choices)
    )
    admission_protocol = forms.CharField(label=_("Protocol number"), max_length=40, required=False)
    card_number = forms.CharField(label=_("Membership card number"), max_length=20, required=False)
    card_issued_on = forms.DateField(label=_("Card issued on"), required=False, widget=DateInput())
    card_issued_by = forms.CharField(label=_("Handed over by"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            # Registrations and cards change through their own steps, each with its history.
            for name in MEMBERSHIP_FIELDS:
                del self.fields[name]
        else:
            self.fields["ppo"] = _ppo_field(user)

    def membership_fields(self):
        return [self[f] for f in ("ppo", *MEMBERSHIP_FIELDS) if f in self.fields]

    def clean(self):
        data = super().clean()
        for field, messages in membership_errors(data).items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        return data


class MemberFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": _("Name, IIN or card")}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    gender = forms.ChoiceField(label=_("Gender"), required=False)
    sector = forms.ChoiceField(label=_("Occupation sector"), required=False)
    node = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        any_choice = [("", _("any"))]
        self.fields["status"].choices = any_choice + list(MembershipStatus.choices)
        self.fields["gender"].choices = any_choice + list(Gender.choices)
        self.fields["sector"].choices = any_choice + list(Sector.choices)


class StepForm(forms.Form):
    """A lifecycle step that needs a date and a reason: suspend, resume, leave, death."""

    on = forms.DateField(label=_("Date"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason or document"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TransferForm(StepForm):
    to_ppo = forms.ModelChoiceField(
        label=_("To the primary organisation"),
        queryset=None,
        error_messages={"invalid_choice": PPO_OUTSIDE},
    )

    def __init__(self, *args, user, current_ppo: Node, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["to_ppo"]
        field.queryset = (
            access.scoped_ppos_for_members(user, access.CREATE)
            .filter(wing=current_ppo.wing)
            .exclude(pk=current_ppo.pk)
            .order_by("path")
        )
        field.label_from_instance = ppo_label


class CardForm(forms.Form):
    number = forms.CharField(label=_("Membership card number"), max_length=20)
    issued_on = forms.DateField(label=_("Card issued on"), widget=DateInput())
    issued_by = forms.CharField(
        label=_("Handed over by"),
        max_length=200,
        required=False,
        help_text=_("The head of the branch who handed the card over."),
    )


class ApplicationForm(PersonFields):
    applied_on = forms.DateField(label=_("Applied on"), widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ppo"] = _ppo_field(user)


class DecisionForm(forms.Form):
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    decision_body = forms.ChoiceField(
        label=_("Decided by"), choices=BLANK + list(AdmissionBody.choices)
    )
    protocol_number = forms.CharField(label=_("Protocol number"), max_length=40)
    reason = forms.CharField(
        label=_("Reason for a refusal"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CaseOpenForm(TranslatedTextsForm):
    texts_required = {"grounds": _("Describe the grounds in at least one language.")}

    opened_on = forms.DateField(label=_("Opened on"), widget=DateInput())
    grounds_kk = forms.CharField(
        label=_("Grounds in Kazakh"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    grounds_ru = forms.CharField(
        label=_("Grounds in Russian"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    grounds_en = forms.CharField(
        label=_("Grounds in English"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CaseDecisionForm(forms.Form):
    hearing_on = forms.DateField(label=_("Hearing on"), widget=DateInput(), required=False)
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    outcome = forms.ChoiceField(label=_("Outcome"), choices=BLANK + list(CaseOutcome.choices))
    penalty = forms.ChoiceField(
        label=_("Penalty"), required=False, choices=BLANK + list(Penalty.choices)
    )
    protocol_number = forms.CharField(label=_("Protocol number"), max_length=40)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CaseAppealForm(forms.Form):
    appeal_filed_on = forms.DateField(label=_("Appeal filed on"), widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput)


class CaseAppealDecisionForm(forms.Form):
    appeal_decided_on = forms.DateField(label=_("Appeal decided on"), widget=DateInput())
    appeal_outcome = forms.ChoiceField(
        label=_("Outcome of the appeal"), choices=BLANK + list(AppealOutcome.choices)
    )
    new_penalty = forms.ChoiceField(
        label=_("New penalty"), required=False, choices=BLANK + list(Penalty.choices)
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("any")), *CaseStatus.choices]
    )


class _Period(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput(), required=False)
    end = forms.DateField(label=_("To"), widget=DateInput(), required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end of the period is before its start."))
        return data


class PeriodForm(_Period):
    """A node and a period, for the figures pages."""

    node = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CeremonyForm(TranslatedTextsForm):
    texts_required = {"title": _("Name the occasion in at least one language.")}

    node = forms.ModelChoiceField(
        label=_("Branch"), queryset=None, error_messages={"invalid_choice": PPO_OUTSIDE}
    )
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    title_kk = forms.CharField(label=_("Occasion in Kazakh"), max_length=300, required=False)
    title_ru = forms.CharField(label=_("Occasion in Russian"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Occasion in English"), max_length=300, required=False)
    place_kk = forms.CharField(label=_("Place in Kazakh"), max_length=300, required=False)
    place_ru = forms.CharField(label=_("Place in Russian"), max_length=300, required=False)
    place_en = forms.CharField(label=_("Place in English"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = access.scoped_award_nodes(user).order_by("path")
        self.fields["node"].label_from_instance = ppo_label


class ConferralForm(TranslatedTextsForm):
    texts_required = {"reason": _("Say what the award is for, in at least one language.")}

    node = forms.ModelChoiceField(
        label=_("Conferring branch"), queryset=None, error_messages={"invalid_choice": PPO_OUTSIDE}
    )
    award = forms.ModelChoiceField(
        label=_("Award"), queryset=AwardType.objects.filter(is_active=True)
    )
    member_iin = forms.CharField(
        label=_("Member's IIN"),
        max_length=12,
        required=False,
        help_text=_("For a member of the party. Leave empty for a citizen outside the party."),
    )
    citizen_name = forms.CharField(label=_("Citizen's full name"), max_length=300, required=False)
    citizen_details = forms.CharField(
        label=_("Place of work or study"), max_length=300, required=False
    )
    conferred_on = forms.DateField(label=_("Conferred on"), widget=DateInput())
    conferring_body = forms.CharField(label=_("Conferred by"), max_length=300)
    reason_kk = forms.CharField(
        label=_("Awarded for (in Kazakh)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason_ru = forms.CharField(
        label=_("Awarded for (in Russian)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason_en = forms.CharField(
        label=_("Awarded for (in English)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    ceremony = forms.ModelChoiceField(label=_("Ceremony"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["node"].queryset = access.scoped_award_nodes(user).order_by("path")
        self.fields["node"].label_from_instance = ppo_label
        self.fields["ceremony"].queryset = access.scoped_ceremonies(user, access.CREATE)

    def clean(self):
        data = super().clean()
        iin = (data.get("member_iin") or "").strip()
        data["person"] = None
        if iin:
            # Only members the user may see can be named: the IIN finds nobody outside scope.
            person = access.scoped_people(self.user).filter(iin=iin).first()
            if person is None:
                self.add_error("member_iin", _("No member with this IIN in your subtree."))
            data["person"] = person
        return data


class CompositionForm(_Period):
    on = forms.DateField(label=_("On the date"), widget=DateInput(), required=False)
    field_order = ["on", "start", "end"]

    def period(self):
        """Return the date and the period asked for: by default today, and this year."""
        from datetime import date

        from tamyr.members.composition import default_period

        data = self.cleaned_data if self.is_valid() else {}
        on = data.get("on") or date.today()
        start, end = default_period(on)
        return on, data.get("start") or start, data.get("end") or end
