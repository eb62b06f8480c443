from django import forms
from django.utils.translation import gettext_lazy as _

from tamyr.core.forms import DateInput
from tamyr.members.models import Education, Gender, Sector
from tamyr.members.rules import membership_errors, person_errors
from tamyr.members.services import MEMBERSHIP_FIELDS, PERSON_FIELDS
from tamyr.orgs import access


class MemberForm(forms.Form):
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
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Gender.choices])
    birth_date = forms.DateField(label=_("Birth date"), widget=DateInput())
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    address = forms.CharField(label=_("Address"), max_length=500, required=False)
    sector = forms.ChoiceField(label=_("Occupation sector"), choices=[("", "—"), *Sector.choices])
    education = forms.ChoiceField(label=_("Education"), choices=[("", "—"), *Education.choices])
    ppo = forms.ModelChoiceField(
        label=_("Primary organisation"),
        queryset=None,
        error_messages={
            "invalid_choice": _("This primary organisation is not in your subtree or is closed."),
        },
    )
    admitted_on = forms.DateField(label=_("Admitted on"), widget=DateInput())
    card_number = forms.CharField(label=_("Membership card number"), max_length=20, required=False)
    card_issued_on = forms.DateField(label=_("Card issued on"), required=False, widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ppo"].queryset = access.scoped_ppos_for_members(user, access.CREATE).order_by(
            "path"
        )
        if editing:
            # Moving a member between PPOs is a transfer, with its own rules and history.
            del self.fields["ppo"]
            del self.fields["admitted_on"]

    def person_fields(self):
        return [self[f] for f in PERSON_FIELDS if f in self.fields]

    def membership_fields(self):
        return [self[f] for f in ("ppo", *MEMBERSHIP_FIELDS) if f in self.fields]

    def clean(self):
        data = super().clean()
        for field, messages in (person_errors(data) | membership_errors(data)).items():
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
        from tamyr.members.models import MembershipStatus

        super().__init__(*args, **kwargs)
        any_choice = [("", _("any"))]
        self.fields["status"].choices = any_choice + list(MembershipStatus.choices)
        self.fields["gender"].choices = any_choice + list(Gender.choices)
        self.fields["sector"].choices = any_choice + list(Sector.choices)
