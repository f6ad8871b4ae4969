import calendar
from datetime import date, timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kerjasama.blank_forms import printed_blank
from kerjasama.concurrency import ConcurrentEditMixin
from kerjasama.fields import (
    AmountField,
    ModelMultipleChoiceField,
    SearchableSelectMultiple,
    model_validators_first,
    show_if,
)
from kerjasama.validators import validate_plausible_date

from . import terms
from .clauses import CLAUSES
from .models import (
    OPD,
    Agreement,
    Delegation,
    DocumentKind,
    DocumentType,
    DprdApproval,
    EndReason,
    Kind,
    OpenDataLicence,
    Paper,
    Partner,
    PartnerKind,
    PemdaProfile,
    Regency,
    Relation,
    Stage,
    TkksdMember,
    User,
)
from .official import legal
from .roles import Role, has_role
from .validators import validate_pdf_upload


class PemdaProfileForm(ConcurrentEditMixin, forms.ModelForm):
    class Meta:
        formfield_callback = model_validators_first
        model = PemdaProfile
        fields = [
            "regency",
            "capital",
            "head_title",
            "head_name",
            "head_decree_name",
            "secretary_name",
            "secretary_nip",
            "address",
            "formation_law",
            "postal_code",
            "phone",
            "email",
            "website",
            "logo",
            "garuda_emblem",
            "decree_invocation",
            "open_data_licence",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].queryset = Regency.objects.select_related("province")
        # Has a default (CC BY 4.0); a form that does not send it keeps the licence as it is.
        self.fields["open_data_licence"].required = False
        self.setup_model_edition()
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))

    def clean_open_data_licence(self):
        return (
            self.cleaned_data.get("open_data_licence") or self.instance.open_data_licence or OpenDataLicence.CC_BY_4_0
        )

    def clean_logo(self):
        return _emblem_image(self.cleaned_data.get("logo"))

    def clean_garuda_emblem(self):
        return _emblem_image(self.cleaned_data.get("garuda_emblem"))


EMBLEM_FORMATS = ("PNG", "JPEG")


def _emblem_image(upload):
    """An emblem is a PNG or JPEG image of at most 2 MB, checked by its content (no SVG: it could
    carry scripts or fetch resources when printed)."""
    if not isinstance(upload, UploadedFile):
        return upload  # nothing new: the stored file (or none) stays
    if upload.size > 2 * 1024 * 1024:
        raise forms.ValidationError(_("The logo may be at most 2 MB."))
    image = getattr(upload, "image", None)
    if image is None or image.format not in EMBLEM_FORMATS:
        raise forms.ValidationError(_("Upload the emblem as a PNG or JPEG image."))
    return upload


# --- agreements ---------------------------------------------------------------------------------

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgreementForm(ConcurrentEditMixin, forms.ModelForm):
    partners = ModelMultipleChoiceField(
        label=_("Partners"),
        queryset=Partner.objects.order_by("name"),
        widget=SearchableSelectMultiple,
        help_text=_(
            "Type part of a name to find a partner; choose as many as apply. A missing partner is added under Partners."
        ),
    )

    class Meta:
        formfield_callback = model_validators_first
        model = Agreement
        fields = [
            "kind",
            "ksdd_nature",
            "ksdpk_type",
            "title",
            "object",
            "scope",
            "background",
            "purpose",
            "objectives",
            "urusan",
            "form",
            "model",
            "lead_opd",
            "other_opds",
            "partners",
            "value",
            "funding_source",
            "burdens_community",
            "not_yet_budgeted",
            "burden_justification",
            "start_date",
            "duration_months",
            "end_date",
            "rpjmd_reference",
            "plan_exception",
            "plan_exception_basis",
            "long_term_reason",
            "own_signatory",
            "partner_signatory",
        ]
        field_classes = {"value": AmountField}
        help_texts = {
            "background": _("Why the cooperation is needed. Printed in the cooperation plan sent to the DPRD."),
            "objectives": _("What the cooperation aims at and the measurable targets, one per line."),
        }
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "long_term_reason": forms.Textarea(attrs={"rows": 2}),
            "object": forms.Textarea(attrs={"rows": 3}),
            "scope": forms.Textarea(attrs={"rows": 3}),
            "background": forms.Textarea(attrs={"rows": 3}),
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "burden_justification": forms.Textarea(attrs={"rows": 2}),
            "other_opds": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["lead_opd"].queryset = OPD.objects.filter(is_active=True)
        self.fields["other_opds"].queryset = OPD.objects.filter(is_active=True)
        self.fields["other_opds"].required = False
        if self.instance.pk:
            self.fields["partners"].initial = list(self.instance.partners.values_list("pk", flat=True))
            # The kind decides the lifecycle; it is fixed once filed.
            self.fields["kind"].disabled = True
        if has_role(user, Role.PPKSD) and not has_role(user, Role.TKKSD, Role.ADMIN):
            self.fields["lead_opd"].queryset = OPD.objects.filter(pk=user.opd_id)
            self.fields["lead_opd"].initial = user.opd_id
        show_conditional_fields(self)
        show_if(
            self.fields["long_term_reason"], f"duration_months>{terms.limit_months()}|long_term_reason", required=True
        )
        self.setup_model_edition()
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        clean_kind_details(self, data, data.get("kind") or self.instance.kind)
        start, end, months = data.get("start_date"), data.get("end_date"), data.get("duration_months")
        if start and months and not end:
            data["end_date"] = end = _add_months(start, months) - timedelta(days=1)
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        elif over := terms.over_limit(self.instance, start=start, end=end, duration_months=months):
            if not (data.get("long_term_reason") or "").strip():
                self.add_error(
                    "long_term_reason",
                    _(
                        "The term, %(months)s months with the agreements it extends, is longer than the usual "
                        "%(limit)s. Write why, to save it."
                    )
                    % {"months": over, "limit": terms.limit_label()},
                )
        else:
            data["long_term_reason"] = ""
        if (data.get("burdens_community") or data.get("not_yet_budgeted")) and not data.get(
            "burden_justification", ""
        ).strip():
            self.add_error("burden_justification", _("Explain the burden: the DPRD will read it."))
        clean_plan_basis(self, data)
        if self.instance.pk and self.instance.parent_id:
            from .services import burden_problems

            problems = burden_problems(
                self.instance,
                burdens_community=bool(data.get("burdens_community")),
                not_yet_budgeted=bool(data.get("not_yet_budgeted")),
            )
            for field, message in problems.items():
                self.add_error(field, message)
        return data

    def save(self, commit=False):
        # Services save: the form only fills the instance.
        agreement = super().save(commit=False)
        agreement.ksdd_nature = self.cleaned_data.get("ksdd_nature", "")
        agreement.ksdpk_type = self.cleaned_data.get("ksdpk_type", "")
        agreement.end_date = self.cleaned_data.get("end_date")
        return agreement


def show_conditional_fields(form: forms.Form) -> None:
    """The fields agreements and proposals ask for only in some cases, shown in the browser only then
    and marked required while shown: the kind's details (`clean_kind_details`), the explanation of a
    burden, the basis of an exception to the plan (`clean_plan_basis`)."""
    show_if(form.fields["ksdd_nature"], f"kind={Kind.KSDD}", required=True)
    show_if(form.fields["ksdpk_type"], f"kind={Kind.KSDPK}", required=True)
    show_if(
        form.fields["burden_justification"], "burdens_community|not_yet_budgeted|burden_justification", required=True
    )
    show_if(form.fields["plan_exception_basis"], "plan_exception|plan_exception_basis", required=True)


def clean_kind_details(form: forms.Form, data: dict, kind: str) -> None:
    """The details a kind of cooperation asks for: a KSDD is mandatory or voluntary, a KSDPK has
    its type (PP 28/2018 Pasal 15); any other kind keeps neither. For agreements and proposals."""
    if kind == Kind.KSDD and not data.get("ksdd_nature"):
        form.add_error("ksdd_nature", _("Say whether this KSDD is mandatory or voluntary."))
    if kind != Kind.KSDD:
        data["ksdd_nature"] = ""
    if kind == Kind.KSDPK and not data.get("ksdpk_type"):
        form.add_error("ksdpk_type", _("Choose the KSDPK type (PP 28/2018 Pasal 15)."))
    if kind != Kind.KSDPK:
        data["ksdpk_type"] = ""


def clean_plan_basis(form: forms.Form, data: dict) -> None:
    """An exception to the RPJMD/RKPD comes with its basis; with a reference none is kept (PP
    28/2018 Pasal 4(3)). Whether either is present is checked where it matters (prioritising,
    signing: registry.lifecycle.plan_basis_missing)."""
    if (data.get("rpjmd_reference") or "").strip():
        data["plan_exception"], data["plan_exception_basis"] = "", ""
    elif data.get("plan_exception") and not (data.get("plan_exception_basis") or "").strip():
        form.add_error("plan_exception_basis", _("Write the basis of the exception to the RPJMD/RKPD."))


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


class AdvanceForm(forms.Form):
    to_stage = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)
    expected_stage = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    document = forms.ModelChoiceField(label=_("Document it rests on"), queryset=None, required=False)
    end_reason = forms.ChoiceField(label=_("Why it ends"), choices=[("", "—"), *EndReason.choices], required=False)

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = agreement.documents.all()


class DocumentUploadForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("Document type"), choices=DocumentType.choices)
    file = forms.FileField(label=_("File (PDF)"), validators=[validate_pdf_upload])
    is_signed = forms.BooleanField(label=_("This is the signed scan"), required=False)
    number = forms.CharField(label=_("Number (our side)"), required=False, max_length=100)
    partner_number = forms.CharField(label=_("Number (partner's side)"), required=False, max_length=100)
    date = forms.DateField(
        validators=[validate_plausible_date], label=_("Document date"), required=False, widget=DATE_WIDGET
    )
    has_paraf = forms.BooleanField(label=_("Initialled (paraf) on every page"), required=False)
    has_materai = forms.BooleanField(label=_("Duty stamp (meterai Rp10.000)"), required=False)
    has_stempel = forms.BooleanField(label=_("Official seal (stempel)"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=255)

    def __init__(self, *args, suggested: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        if suggested:
            first = [(value, label) for value, label in DocumentType.choices if value in suggested]
            rest = [(value, label) for value, label in DocumentType.choices if value not in suggested]
            self.fields["doc_type"].choices = first + rest
        self.helper = FormHelper()
        self.helper.form_tag = False

    @classmethod
    def blank_html(cls, suggested: tuple[str, ...] = ()) -> SafeString:
        """The form's fields, empty, as ``{% crispy %}`` prints them, kept once printed for each
        language and choice of suggested types (the agreement page of anyone who may file prints
        them on every view)."""
        return printed_blank(cls(suggested=suggested))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Keep a readable original name, whatever its length or script.
        upload.name = upload.name[-200:] if upload.name else "dokumen.pdf"
        return upload


class PksContentsForm(ConcurrentEditMixin, forms.Form):
    clauses = forms.MultipleChoiceField(
        label=_("Contents present in the PKS"),
        # The mandatory ones say so, as the read-only checklist does: signing waits for them.
        choices=[
            (clause.code, format_lazy("{} ({})", clause.label, _("mandatory")) if clause.mandatory else clause.label)
            for clause in CLAUSES
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    legal_analysis = forms.CharField(
        label=_("Legal analysis"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The Bagian Hukum's analysis that must precede signing."),
    )

    def __init__(self, *args, agreement: Agreement, **kwargs):
        kwargs.setdefault("initial", {"clauses": agreement.pks_clauses, "legal_analysis": agreement.legal_analysis})
        super().__init__(*args, **kwargs)
        self.carry_edition(agreement, ["pks_clauses", "legal_analysis"])
        self.helper = FormHelper()
        self.helper.form_tag = False


PUBLICATION_CHOICES = [("", _("As the default")), ("yes", _("Shown")), ("no", _("Hidden"))]


def publication_value(choice: str) -> bool | None:
    return {"yes": True, "no": False}.get(choice)


def publication_choice(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "")


class PublicationForm(ConcurrentEditMixin, forms.Form):
    """Whether the agreement is on the public register (the TKKSD decides; signed ones only)."""

    public = forms.ChoiceField(label=_("On the public register"), choices=PUBLICATION_CHOICES, required=False)

    def __init__(self, *args, agreement: Agreement, **kwargs):
        kwargs.setdefault("initial", {"public": publication_choice(agreement.public)})
        super().__init__(*args, **kwargs)
        self.carry_edition(agreement, ["public"])
        self.helper = FormHelper()
        self.helper.form_tag = False


class DocumentPublicationForm(forms.Form):
    public = forms.ChoiceField(label=_("On the public register"), choices=PUBLICATION_CHOICES, required=False)


class FollowUpForm(forms.Form):
    relation = forms.ChoiceField(label=_("Kind of follow-up"), choices=Relation.choices)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is not None:
            self.fields["relation"].choices = choices
        self.helper = FormHelper()
        self.helper.form_tag = False


class DprdRequestForm(forms.Form):
    request_number = forms.CharField(label=_("Request letter number"), max_length=100)
    received_on = forms.DateField(
        validators=[validate_plausible_date], label=_("Received by the DPRD on"), widget=DATE_WIDGET
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Record the request")))


class DprdReceiptForm(forms.Form):
    received_on = forms.DateField(
        validators=[validate_plausible_date], label=_("Received by the DPRD on"), widget=DATE_WIDGET
    )
    agenda_number = forms.CharField(
        label=_("DPRD agenda number"),
        max_length=100,
        help_text=_("The number of the letter in the DPRD's agenda of incoming letters (agenda surat masuk)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class DprdDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (DprdApproval.Decision.APPROVED, DprdApproval.Decision.APPROVED.label),
            (DprdApproval.Decision.APPROVED_WITH_NOTES, DprdApproval.Decision.APPROVED_WITH_NOTES.label),
            (DprdApproval.Decision.REJECTED, DprdApproval.Decision.REJECTED.label),
        ],
    )
    decision_number = forms.CharField(label=_("DPRD decision number"), max_length=100)
    decision_date = forms.DateField(
        validators=[validate_plausible_date], label=_("DPRD decision date"), widget=DATE_WIDGET
    )
    letter = forms.FileField(label=_("DPRD decision letter (PDF)"), validators=[validate_pdf_upload])
    reasons = forms.CharField(label=_("Notes or reasons"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(
            Submit(
                "submit",
                _("Record the decision"),
                data_confirm=_(
                    "Record the DPRD's decision? It cannot be changed afterwards: the agreement moves on or back "
                    "according to it."
                ),
            )
        )

    def clean(self):
        data = super().clean()
        if data.get("decision") == DprdApproval.Decision.REJECTED and not data.get("reasons", "").strip():
            self.add_error("reasons", _("Write the DPRD's reasons for the rejection."))
        return data


class DprdNoteForm(forms.Form):
    text = forms.CharField(label=_("Your review note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class DprdWithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why the request is withdrawn"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class PartnerForm(ConcurrentEditMixin, forms.ModelForm):
    class Meta:
        formfield_callback = model_validators_first
        model = Partner
        fields = [
            "kind",
            "name",
            "province",
            "regency",
            "country",
            "address",
            "contact",
            "registration_number",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["regency"].queryset = Regency.objects.select_related("province")
        self.fields["name"].help_text = _("Filled in automatically for a region.")
        self.setup_model_edition()
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == PartnerKind.REGION:
            if not data.get("regency") and not data.get("province"):
                self.add_error("regency", _("Choose the regency or city (or only the province)."))
            elif data.get("regency"):
                data["province"] = data["regency"].province
        elif not (data.get("name") or "").strip():
            self.add_error("name", _("Enter the partner's name."))
        if kind in (PartnerKind.FOREIGN_GOVERNMENT, PartnerKind.FOREIGN_INSTITUTION) and not data.get("country"):
            self.add_error("country", _("Enter the country."))
        return data


# --- official documents -------------------------------------------------------------------------

# The fields of each kind's draft that are lists of lines (one item per line in the form).
DRAFT_LINE_FIELDS = {
    "keputusan": [
        ("menimbang", _("Considering (Menimbang), one item per line")),
        ("mengingat", _("In view of (Mengingat), one item per line")),
        ("diktum", _("Decides (KESATU, KEDUA, …), one item per line")),
        ("tembusan", _("Copies to (tembusan), one per line")),
    ],
    "berita_acara": [
        ("agenda", _("Agenda, one item per line")),
        ("decisions", _("Decisions, one per line")),
        ("follow_up", _("Follow-up, one item per line")),
    ],
    "surat": [
        ("body", _("Body, one paragraph per line")),
        ("tembusan", _("Copies to (tembusan), one per line")),
    ],
}


class DraftForm(ConcurrentEditMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    paper = forms.ChoiceField(label=_("Paper"), choices=Paper.choices)

    def __init__(self, *args, document, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document
        self.fields["title"].initial = document.title
        self.fields["paper"].initial = document.paper
        for key, label in DRAFT_LINE_FIELDS[document.kind]:
            self.fields[key] = forms.CharField(
                label=label,
                required=key not in ("tembusan", "follow_up"),
                widget=forms.Textarea(attrs={"rows": 5}),
                initial="\n".join(document.draft_data.get(key, [])),
            )
        if "mengingat" in self.fields:
            # Regulations from the catalogue, added after the lines above (registry/official/legal.py).
            self.citations = {str(basis.pk): legal.citation(basis) for basis in legal.catalogue()}
            self.fields["mengingat_add"] = forms.MultipleChoiceField(
                label=_("Add from the legal-basis catalogue"),
                choices=list(self.citations.items()),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        self.carry_edition(document, ["title", "draft_data", "paper"])
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save the draft")))

    def draft_data(self) -> dict:
        data = dict(self.document.draft_data)
        for key, _label in DRAFT_LINE_FIELDS[self.document.kind]:
            data[key] = [line.strip() for line in self.cleaned_data[key].splitlines() if line.strip()]
        for pk in self.cleaned_data.get("mengingat_add") or []:
            if self.citations[pk] not in data["mengingat"]:
                data["mengingat"].append(self.citations[pk])
        if self.document.kind == "keputusan":
            data["title"] = self.cleaned_data["title"].upper()
        return data


class TkksdMemberForm(ConcurrentEditMixin, forms.ModelForm):
    class Meta:
        formfield_callback = model_validators_first
        model = TkksdMember
        fields = ["name", "nip", "position", "team_role", "opd", "order", "is_active", "user"]

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("first_name", "username")
        self.fields["user"].help_text = _(
            "The member's account. The account of the active chair (Ketua) issues the Berita Acara; only the "
            "administrator links accounts."
        )
        if actor is None or not has_role(actor, Role.ADMIN):
            # Linking an account gives the chair's authority to issue: the administrator's decision.
            del self.fields["user"]
        self.setup_model_edition()
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))


class VerificationUploadForm(forms.Form):
    file = forms.FileField(label=_("The PDF you hold"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return upload


class DelegationForm(forms.ModelForm):
    document_kinds = forms.MultipleChoiceField(
        label=_("Document kinds"), choices=DocumentKind.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        formfield_callback = model_validators_first
        model = Delegation
        fields = ["delegate", "office", "document_kinds", "valid_from", "valid_until", "letter_number", "letter_date"]
        widgets = {"valid_from": DATE_WIDGET, "valid_until": DATE_WIDGET, "letter_date": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = User.objects.filter(is_active=True).order_by("first_name", "username")
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
            self.add_error("valid_until", _("A delegation cannot end before it begins."))
        return data


class IssueForm(forms.Form):
    """Issuing: nothing to type when the app numbers the series; the number and its date from the
    Bagian Hukum's register when the series is kept there."""

    number = forms.CharField(label=_("Number from the register"), max_length=120, required=False)
    issue_date = forms.DateField(
        label=_("Date of the number"), required=False, widget=DATE_WIDGET, validators=[validate_plausible_date]
    )

    def __init__(self, *args, series, **kwargs):
        super().__init__(*args, **kwargs)
        self.series = series
        self.from_register = series.mode == series.Mode.REGISTER
        if self.from_register:
            self.fields["number"].required = True
            self.fields["issue_date"].required = True
            self.fields["number"].help_text = _("Pattern: %(pattern)s") % {"pattern": series.pattern}
        else:
            del self.fields["number"]
            del self.fields["issue_date"]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def issue_arguments(self) -> dict:
        if not self.from_register:
            return {}
        return {"number": self.cleaned_data["number"], "issue_date": self.cleaned_data["issue_date"]}


class WetSignatureForm(forms.Form):
    """The scan of the paper the signatory signed, who signed it and on which day."""

    file = forms.FileField(label=_("Scan of the signed document (PDF)"), validators=[validate_pdf_upload])
    signer_name = forms.CharField(
        label=_("Signed by"), max_length=200, help_text=_("The name of the official who signed, as printed.")
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE_WIDGET, validators=[validate_plausible_date])

    def __init__(self, *args, document, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document
        if not self.is_bound:
            context = (document.snapshot or {}).get("context", {})
            signature = context.get("signature") or context.get("right_signature") or {}
            self.initial.setdefault("signer_name", signature.get("name", ""))
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_signed_on(self):
        signed_on = self.cleaned_data["signed_on"]
        if self.document.issue_date and signed_on < self.document.issue_date:
            raise forms.ValidationError(_("A document cannot be signed before the date it was issued."))
        if signed_on > timezone.localdate():
            raise forms.ValidationError(_("The date of signing cannot be in the future."))
        return signed_on


class ElectronicSignatureForm(forms.Form):
    """The signatory confirms an electronic signature with their own password."""

    password = forms.CharField(
        label=_("Your password"),
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Signing with the office's certificate is confirmed with the password of your own account."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
