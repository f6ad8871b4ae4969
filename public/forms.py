from django import forms
from django.utils.translation import gettext_lazy as _

from registry.models import OPD, Kind

STATUS_CHOICES = [("", _("Any status")), ("berjalan", _("Running")), ("berakhir", _("Ended"))]


class PublicSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *Kind.choices], required=False)
    opd = forms.ModelChoiceField(
        label=_("Lead OPD"), queryset=OPD.objects.order_by("name"), required=False, empty_label=_("All OPD")
    )
    year = forms.IntegerField(label=_("Year it started"), required=False, min_value=1945, max_value=2200)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=4000, widget=forms.HiddenInput)

    def clean_q(self):
        text = self.cleaned_data.get("q", "")
        if "\x00" in text:
            raise forms.ValidationError(_("The search text is not valid."))
        return " ".join(text.split())
