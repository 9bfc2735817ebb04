from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.models import ReportReason


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("What is wrong?"), choices=ReportReason.choices, widget=forms.RadioSelect)
    detail = forms.CharField(
        label=_("Anything we should know? (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should this note come back?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
