from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from registry.models import OPD, ImportJob, ImportPartner, ImportRow, Kind, PartnerKind, Urusan

from .analysis import Options
from .columns import FIELDS

# How many partner names the decision form shows at once (the rest after these are decided).
DECISIONS_SHOWN = 150


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Register (.xlsx, .ods or .csv)"),
        help_text=_("The header row may sit below title rows; the columns are matched in the next step."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Upload and read")))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        if "\x00" in upload.name:
            raise forms.ValidationError(_("The file name is not valid."))
        return upload


class MappingForm(forms.Form):
    """Which field each column feeds, the sheet to read, and the defaults for rows that do not say."""

    sheet = forms.ChoiceField(label=_("Sheet"), required=False)
    lead_opd = forms.ModelChoiceField(
        label=_("Lead OPD of rows that name none"), queryset=OPD.objects.filter(is_active=True), required=False
    )
    urusan = forms.ModelChoiceField(
        label=_("Urusan of rows that name none"), queryset=Urusan.objects.all(), required=False
    )

    def __init__(self, *args, job: ImportJob, **kwargs):
        super().__init__(*args, **kwargs)
        self.job = job
        self.fields["sheet"].choices = [(name, name) for name in job.sheet_names] or [("", "—")]
        self.fields["sheet"].initial = job.sheet
        if len(job.sheet_names) <= 1:
            self.fields["sheet"].widget = forms.HiddenInput()
        options = Options.from_json(job.options)
        self.fields["lead_opd"].initial = options.lead_opd_id
        self.fields["urusan"].initial = options.urusan_id
        choices = [("", _("— not imported —")), *FIELDS.items()]
        self.columns = []
        for index, label in enumerate(job.headers):
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                label=label or _("Column %(n)s") % {"n": index + 1},
                choices=choices,
                required=False,
                initial=job.mapping.get(str(index), ""),
            )
            self.columns.append(name)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        chosen = [data.get(name) for name in self.columns if data.get(name)]
        duplicates = {name for name in chosen if chosen.count(name) > 1}
        if duplicates:
            raise forms.ValidationError(
                _("Each field can come from one column only: %(fields)s.")
                % {"fields": ", ".join(str(FIELDS[name]) for name in sorted(duplicates))}
            )
        if "title" not in chosen or "partner" not in chosen:
            raise forms.ValidationError(_("Map at least the title and the partner columns."))
        return data

    def mapping(self) -> dict[str, str]:
        return {str(i): self.cleaned_data[name] for i, name in enumerate(self.columns) if self.cleaned_data.get(name)}

    def options(self) -> Options:
        opd, urusan = self.cleaned_data.get("lead_opd"), self.cleaned_data.get("urusan")
        return Options(lead_opd_id=opd.pk if opd else None, urusan_id=urusan.pk if urusan else None)


CREATE = "create"


class PartnerDecisionForm(forms.Form):
    """For each partner name without an exact match: the registered partner it is, a new
    partner to register, or not yet decided; and the kind of cooperation of its rows."""

    def __init__(self, *args, names: list[ImportPartner], **kwargs):
        super().__init__(*args, **kwargs)
        self.names = names
        self.rows = []
        for name in names:
            choices = [("", _("— not decided (its rows are not imported) —"))]
            choices += [
                (str(candidate["id"]), _("%(name)s (score %(score)s)") % candidate) for candidate in name.candidates
            ]
            if not name.refusal:
                choices.append((CREATE, _("Register as a new partner")))
            if name.decision == ImportPartner.Decision.MATCH and name.partner_id:
                initial = str(name.partner_id)
                if initial not in {value for value, _label in choices}:
                    choices.insert(1, (initial, str(name.partner)))
            elif name.decision == ImportPartner.Decision.CREATE:
                initial = CREATE
            else:
                initial = ""
            prefix = f"name_{name.pk}"
            self.fields[f"{prefix}_choice"] = forms.ChoiceField(
                label=name.name, choices=choices, required=False, initial=initial
            )
            self.fields[f"{prefix}_partner_kind"] = forms.ChoiceField(
                label=_("Kind of the new partner"),
                choices=[("", "—"), *PartnerKind.choices],
                required=False,
                initial=name.partner_kind,
            )
            self.fields[f"{prefix}_agreement_kind"] = forms.ChoiceField(
                label=_("Kind of cooperation of its rows"),
                choices=[("", "—"), *Kind.choices],
                required=False,
                initial=name.agreement_kind,
            )
            self.rows.append(
                (name, self[f"{prefix}_choice"], self[f"{prefix}_partner_kind"], self[f"{prefix}_agreement_kind"])
            )

    def choices(self):
        from .services import PartnerChoice

        result = []
        for name in self.names:
            prefix = f"name_{name.pk}"
            choice = self.cleaned_data.get(f"{prefix}_choice") or ""
            allowed = {str(candidate["id"]) for candidate in name.candidates} | (
                {str(name.partner_id)} if name.partner_id else set()
            )
            if choice not in ("", CREATE) and choice not in allowed:
                choice = ""
            result.append(
                PartnerChoice(
                    name_id=name.pk,
                    partner_id=int(choice) if choice not in ("", CREATE) else None,
                    create=choice == CREATE,
                    partner_kind=self.cleaned_data.get(f"{prefix}_partner_kind") or "",
                    agreement_kind=self.cleaned_data.get(f"{prefix}_agreement_kind") or "",
                )
            )
        return result


class RowFilterForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", _("All rows")), *ImportRow.Outcome.choices], required=False
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=100000, widget=forms.HiddenInput)
