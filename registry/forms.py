from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PemdaProfile, Regency


class PemdaProfileForm(forms.ModelForm):
    class Meta:
        model = PemdaProfile
        fields = [
            "regency",
            "capital",
            "head_title",
            "head_name",
            "secretary_name",
            "secretary_nip",
            "address",
            "postal_code",
            "phone",
            "email",
            "website",
            "logo",
            "decree_invocation",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].queryset = Regency.objects.select_related("province")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "size") and logo.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The logo may be at most 2 MB."))
        return logo
