"""The forms of the Admin's user management: the list filter, a new user, an edit of a user."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from kerjasama.concurrency import ConcurrentEditMixin
from kerjasama.fields import model_validators_first, show_if

from .models import OPD, User
from .people import EDITION_FIELDS, opd_error, roles_of
from .roles import Role

DETAIL_FIELDS = ["first_name", "last_name", "email", "nip", "position", "opd"]


class UserFilterForm(forms.Form):
    """The list's filters; a value it cannot read filters nothing rather than failing."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices])
    opd = forms.ModelChoiceField(
        label=_("OPD"), required=False, queryset=OPD.objects.order_by("name"), empty_label=_("All OPD")
    )
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Active and deactivated")), ("1", _("Active")), ("0", _("Deactivated"))],
    )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        active = data.get("active")
        return {
            "text": " ".join((data.get("q") or "").split()),
            "role": data.get("role") or "",
            "opd_id": data["opd"].pk if data.get("opd") else None,
            "active": {"1": True, "0": False}.get(active),
        }


class _UserFormBase(ConcurrentEditMixin, forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("An Admin also gets the Django administration pages."),
    )

    class Meta:
        formfield_callback = model_validators_first
        model = User
        fields = ["username", *DETAIL_FIELDS]
        widgets = {"opd": forms.Select}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = OPD.objects.order_by("name")
        self.fields["email"].required = True
        self.fields["first_name"].required = True
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))

    def clean(self):
        data = super().clean()
        roles = set(data.get("roles") or ())
        error = opd_error(roles, data.get("opd")) if "opd" in data else None
        if error:
            self.add_error("opd", error)
        return data


class UserCreateForm(_UserFormBase):
    LINK, SET = "link", "set"

    password_mode = forms.ChoiceField(
        label=_("Password"),
        choices=[(LINK, _("Send a link to set the password by e-mail")), (SET, _("Set an initial password"))],
        initial=LINK,
        widget=forms.RadioSelect,
    )
    password1 = forms.CharField(
        label=_("Initial password"),
        required=False,
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Give it to the user in person; they should change it after logging in."),
    )
    password2 = forms.CharField(
        label=_("Initial password again"),
        required=False,
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_model_edition()
        show_if(self.fields["password1"], "password_mode=set")
        show_if(self.fields["password2"], "password_mode=set")

    def clean(self):
        data = super().clean()
        if data.get("password_mode") != self.SET:
            data["password1"] = None
            return data
        password, again = data.get("password1"), data.get("password2")
        if not password:
            self.add_error("password1", _("Enter the initial password."))
        elif password != again:
            self.add_error("password2", _("The two passwords differ."))
        else:
            user = User(**{name: data.get(name) for name in ("username", "first_name", "last_name", "email")})
            try:
                password_validation.validate_password(password, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in ["username", *DETAIL_FIELDS]}


class UserEditForm(_UserFormBase):
    class Meta(_UserFormBase.Meta):
        fields = DETAIL_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].initial = sorted(roles_of(self.instance))
        self.carry_edition(self.instance, EDITION_FIELDS)

    def model_changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in DETAIL_FIELDS}
