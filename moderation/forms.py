from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.models import Appeal, Report, ReportReason
from redbook import input_fields


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("What is wrong?"), choices=ReportReason.choices, widget=forms.RadioSelect)
    detail = forms.CharField(
        label=_("Anything we should know? (optional)"),
        max_length=input_fields.max_length_of(Report, "detail"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should this note come back?"),
        max_length=input_fields.max_length_of(Appeal, "reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
