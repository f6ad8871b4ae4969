"""Forms of the monitoring pages: they validate; services write."""

import django_filters
from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kerjasama.concurrency import ConcurrentEditMixin
from kerjasama.fields import AmountField, model_validators_first
from kerjasama.filtering import SharedFilterSet
from registry.models import OPD

from . import periods
from .evaluations import CRITERIA, SCALE
from .models import (
    Evaluation,
    ImplementationReport,
    NotificationPreference,
    OpdEvaluation,
    Recommendation,
    ReportStatus,
    Score,
)
from .periodic import Part
from .services import MAX_ATTACHMENTS, Evidence, ReportData, ReviewDecision
from .validators import evidence_content_type

EVIDENCE_ACCEPT = "application/pdf,image/jpeg,image/png,image/webp"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ReportForm(ConcurrentEditMixin, forms.ModelForm):
    evidence = MultipleFileField(
        label=_("Evidence (PDF or photos)"),
        required=False,
        help_text=_("Minutes, attendance lists, photos of the activity: PDF, JPEG, PNG or WebP, up to 10 files."),
    )

    class Meta:
        formfield_callback = model_validators_first
        model = ImplementationReport
        fields = ["activities", "progress", "budget_realised", "outputs", "obstacles", "follow_up"]
        field_classes = {"budget_realised": AmountField}
        widgets = {
            "activities": forms.Textarea(attrs={"rows": 4}),
            "outputs": forms.Textarea(attrs={"rows": 3}),
            "obstacles": forms.Textarea(attrs={"rows": 2}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100}),
        }
        help_texts = {
            "progress": _("Overall progress of the cooperation so far, from 0 to 100."),
            "budget_realised": _("Money spent on the cooperation this month."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_model_edition()
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_evidence(self):
        files = self.cleaned_data.get("evidence") or []
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(_("At most %(count)s files at once.") % {"count": MAX_ATTACHMENTS})
        evidence = []
        for upload in files:
            content_type = evidence_content_type(upload)
            upload.name = (upload.name or "bukti")[-200:]
            evidence.append(Evidence(upload, content_type))
        return evidence

    def report_data(self) -> ReportData:
        data = self.cleaned_data
        return ReportData(
            activities=data["activities"],
            progress=data["progress"],
            outputs=data["outputs"],
            budget_realised=data.get("budget_realised"),
            obstacles=data.get("obstacles", ""),
            follow_up=data.get("follow_up", ""),
        )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ReviewDecision.ACCEPT, _("Accept")), (ReviewDecision.RETURN, _("Return for revision"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Notes for the OPD"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the report is returned."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        if data.get("decision") == ReviewDecision.RETURN and not (data.get("note") or "").strip():
            self.add_error("note", _("Write what the OPD must revise."))
        return data


def _score_choices():
    return [(score.value, f"{score.value}. {score.label}: {SCALE[score]}") for score in Score]


class EvaluationForm(ConcurrentEditMixin, forms.ModelForm):
    class Meta:
        formfield_callback = model_validators_first
        model = Evaluation
        fields = [
            "year",
            *(criterion.field for criterion in CRITERIA),
            "strengths",
            "weaknesses",
            "opportunities",
            "threats",
            "recommendation",
            "conclusion",
        ]
        widgets = {
            "strengths": forms.Textarea(attrs={"rows": 2}),
            "weaknesses": forms.Textarea(attrs={"rows": 2}),
            "opportunities": forms.Textarea(attrs={"rows": 2}),
            "threats": forms.Textarea(attrs={"rows": 2}),
            "conclusion": forms.Textarea(attrs={"rows": 3}),
            "recommendation": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"] = forms.TypedChoiceField(
            label=_("Year evaluated"),
            coerce=int,
            choices=[(year, str(year)) for year in range(this_year, this_year - 6, -1)],
            initial=this_year,
        )
        if self.instance.pk:
            self.fields["year"].disabled = True
            self.fields["year"].choices = [(self.instance.year, str(self.instance.year))]
        for criterion in CRITERIA:
            self.fields[criterion.field] = forms.TypedChoiceField(
                label=criterion.name,
                help_text=criterion.description,
                coerce=int,
                choices=_score_choices(),
                widget=forms.RadioSelect,
            )
        self.fields["recommendation"].choices = Recommendation.choices
        self.setup_model_edition()
        self.helper = FormHelper()
        self.helper.form_tag = False

    def evaluation_data(self):
        from .evaluations import EvaluationData

        data = self.cleaned_data
        return EvaluationData(
            **{criterion.field: data[criterion.field] for criterion in CRITERIA},
            strengths=data["strengths"],
            weaknesses=data["weaknesses"],
            opportunities=data["opportunities"],
            threats=data["threats"],
            recommendation=data["recommendation"],
            conclusion=data["conclusion"],
        )


class PeriodicReportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    part = forms.ChoiceField(label=_("Period"), choices=Part.CHOICES, initial=Part.YEAR)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(year, str(year)) for year in range(this_year, this_year - 10, -1)]
        self.fields["year"].initial = this_year
        self.helper = FormHelper()
        self.helper.form_tag = False


def _period_filter(queryset, name, value):
    period = periods.parse_period(value)
    return queryset.filter(period=period) if period else queryset


class ReportFilter(SharedFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReportStatus.choices, empty_label=_("All"))
    period = django_filters.CharFilter(
        label=_("Month"),
        method=_period_filter,
        widget=forms.TextInput(attrs={"type": "month", "class": "form-control"}),
    )
    opd = django_filters.ModelChoiceFilter(
        label=_("Lead OPD"),
        field_name="agreement__lead_opd",
        queryset=OPD.objects.filter(is_active=True),
        empty_label=_("All"),
    )

    class Meta:
        model = ImplementationReport
        fields = ["status", "period", "opd"]


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(year, str(year)) for year in range(this_year, this_year - 6, -1)]

    def chosen_year(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return timezone.localdate().year


class OpdEvaluationForm(ConcurrentEditMixin, forms.ModelForm):
    class Meta:
        formfield_callback = model_validators_first
        model = OpdEvaluation
        fields = ["progress", "obstacles", "follow_up"]
        widgets = {
            "progress": forms.Textarea(attrs={"rows": 4}),
            "obstacles": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "progress": _("What has been achieved against the PKS: its objects, scope and obligations."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_model_edition()
        self.helper = FormHelper()
        self.helper.form_tag = False

    def evaluation_data(self):
        from .opd_evaluations import OpdEvaluationData

        return OpdEvaluationData(**{name: self.cleaned_data[name] for name in ("progress", "obstacles", "follow_up")})


class OpdEvaluationPartForm(forms.Form):
    """The part of the year a new evaluation is about (from the link that opens the form)."""

    tahun = forms.IntegerField(min_value=1945, max_value=2200)
    bagian = forms.IntegerField(min_value=1, max_value=12)


class NotificationPreferenceForm(forms.Form):
    email = forms.ChoiceField(
        label=_("Send me my notifications by e-mail"),
        choices=NotificationPreference.Email.choices,
        widget=forms.RadioSelect,
    )
