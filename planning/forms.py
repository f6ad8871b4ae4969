"""Forms of planning. They validate what a person typed; planning/services.py writes."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from kerjasama.concurrency import ConcurrentEditMixin
from kerjasama.fields import (
    AmountField,
    ModelMultipleChoiceField,
    SearchableSelectMultiple,
    model_validators_first,
)
from kerjasama.validators import validate_plausible_date
from registry.forms import DATE_WIDGET, clean_kind_details, clean_plan_basis, show_conditional_fields
from registry.models import Kind, KsddNature, Partner, TkksdMember, Urusan

from . import programme, selectors, services
from .models import Cycle, Decision, Plenary, Potential, Proposal, StrategicIssue

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    return helper


class CycleForm(ConcurrentEditMixin, forms.ModelForm):
    class Meta:
        formfield_callback = model_validators_first
        model = Cycle
        fields = [
            "year",
            "socialisation_date",
            "coordination_start",
            "coordination_end",
            "submission_deadline",
            "plenary_date",
            "notes",
        ]
        widgets = {
            "socialisation_date": DATE_WIDGET,
            "coordination_start": DATE_WIDGET,
            "coordination_end": DATE_WIDGET,
            "submission_deadline": DATE_WIDGET,
            "plenary_date": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The year names the cycle; it is fixed once opened.
            self.fields["year"].disabled = True
        self.setup_model_edition()
        self.helper = _helper()

    def _post_clean(self):
        super()._post_clean()
        # The instance holds the typed dates only from here on.
        problem = services.schedule_problem(self.instance)
        if problem and not self.has_error("year") and str(problem) not in self.non_field_errors():
            self.add_error(None, problem)


class AppointmentForm(forms.Form):
    user = forms.ModelChoiceField(label=_("PPKSD account"), queryset=None)
    letter_number = forms.CharField(label=_("Appointment letter number"), max_length=100)
    letter_date = forms.DateField(
        validators=[validate_plausible_date], label=_("Appointment letter date"), widget=DATE_WIDGET
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = selectors.appointable_users(actor)
        self.fields["user"].label_from_instance = lambda user: f"{user} · {user.opd}"
        self.fields["user"].help_text = _(
            "PPKSD accounts are created by the administrator and linked to their OPD; that link decides what they see."
        )
        self.helper = _helper()


class EndAppointmentForm(forms.Form):
    ended_on = forms.DateField(validators=[validate_plausible_date], label=_("Ended on"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Why it ended"), max_length=255, required=False)


class PotentialForm(ConcurrentEditMixin, forms.ModelForm):
    class Meta:
        formfield_callback = model_validators_first
        model = Potential
        fields = [
            "cycle",
            "urusan",
            "title",
            "description",
            "location",
            "problem",
            "strategic_issue",
            "strategic_issue_other",
            "candidate_partners",
            "candidate_kind",
            "expected_benefit",
            "mandatory_basis",
            "affected_neighbours",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "problem": forms.Textarea(attrs={"rows": 3}),
            "candidate_partners": forms.Textarea(attrs={"rows": 2}),
            "expected_benefit": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "mandatory_basis": _(
                "PP 28/2018 Pasal 3(2): a cooperation with a neighbouring region is mandatory when the urusan has a "
                "cross-border externality or the service is more efficient provided together."
            ),
            "strategic_issue_other": _("Only when the strategic issue is “Other”."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["cycle"].disabled = True
        else:
            self.fields["cycle"].queryset = selectors.open_cycles()
            self.fields["cycle"].initial = selectors.open_cycles().first()
        self.fields["cycle"].empty_label = None
        self.fields["urusan"].queryset = Urusan.objects.order_by("code")
        self.setup_model_edition()
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if data.get("strategic_issue") == StrategicIssue.LAINNYA and not (data.get("strategic_issue_other") or ""):
            self.add_error("strategic_issue_other", _("Name the strategic issue."))
        if data.get("strategic_issue") != StrategicIssue.LAINNYA:
            data["strategic_issue_other"] = ""
        kind = data.get("candidate_kind")
        if data.get("mandatory_basis") and kind and kind != Kind.KSDD:
            self.add_error("candidate_kind", _("A mandatory cooperation is one with another region (KSDD)."))
        return data


class ProposalForm(ConcurrentEditMixin, forms.ModelForm):
    partners = ModelMultipleChoiceField(
        label=_("Candidate partners"),
        queryset=Partner.objects.order_by("name"),
        required=False,
        widget=SearchableSelectMultiple,
        help_text=_(
            "Type part of a name to find a partner; choose as many as apply. At least one is needed to submit; a "
            "missing partner is added under Partners."
        ),
    )

    class Meta:
        formfield_callback = model_validators_first
        model = Proposal
        fields = [
            "potential",
            "title",
            "kind",
            "ksdd_nature",
            "ksdpk_type",
            "form",
            "model",
            "urusan",
            "object",
            "partners",
            "other_candidates",
            "benefit",
            "cost_estimate",
            "funding_source",
            "burdens_community",
            "not_yet_budgeted",
            "burden_justification",
            "duration_months",
            "rpjmd_reference",
            "plan_exception",
            "plan_exception_basis",
        ]
        field_classes = {"cost_estimate": AmountField}
        widgets = {
            "object": forms.Textarea(attrs={"rows": 3}),
            "benefit": forms.Textarea(attrs={"rows": 3}),
            "burden_justification": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, potential=None, **kwargs):
        super().__init__(*args, **kwargs)
        own = Potential.objects.filter(opd_id=user.opd_id, cycle__status=Cycle.Status.OPEN).order_by("title")
        self.fields["potential"].queryset = own
        self.fields["potential"].empty_label = None
        self.fields["urusan"].queryset = Urusan.objects.order_by("code")
        if self.instance.pk:
            self.fields["partners"].initial = list(self.instance.partners.values_list("pk", flat=True))
        elif potential is not None:
            self.fields["potential"].initial = potential.pk
            self.fields["title"].initial = potential.title
            self.fields["urusan"].initial = potential.urusan_id
            self.fields["kind"].initial = potential.candidate_kind
            self.fields["benefit"].initial = potential.expected_benefit
            if potential.is_mandatory:
                self.fields["kind"].initial = Kind.KSDD
                self.fields["ksdd_nature"].initial = KsddNature.WAJIB
        show_conditional_fields(self)
        self.setup_model_edition()
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        clean_kind_details(self, data, data.get("kind"))
        if (data.get("burdens_community") or data.get("not_yet_budgeted")) and not data.get("burden_justification"):
            self.add_error("burden_justification", _("Explain the burden: the DPRD will read it."))
        clean_plan_basis(self, data)
        return data


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("What to revise"), widget=forms.Textarea(attrs={"rows": 3}))


class PlenaryForm(ConcurrentEditMixin, forms.ModelForm):
    class Meta:
        formfield_callback = model_validators_first
        model = Plenary
        fields = ["date", "start_time", "place", "chair", "follow_up"]
        widgets = {
            "date": DATE_WIDGET,
            "start_time": TIME_WIDGET,
            "follow_up": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "chair": _("As printed in the Berita Acara, e.g. “Sekretaris Daerah selaku Ketua TKKSD”."),
            "follow_up": _("One item per line; left empty, the Berita Acara states the usual follow-up."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["chair"].initial = "Sekretaris Daerah selaku Ketua TKKSD"
            self.fields["place"].initial = "Ruang Rapat Sekretariat Daerah"
        self.setup_model_edition()
        self.helper = _helper()


class AgendaForm(forms.Form):
    proposals = ModelMultipleChoiceField(
        label=_("Proposals to put on the agenda"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, plenary, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = selectors.agenda_candidates(plenary)
        self.fields["proposals"].label_from_instance = self.label_of
        self.cycle_year = plenary.cycle.year
        self.helper = _helper()

    def label_of(self, proposal) -> str:
        label = f"{proposal.number} · {proposal.title} ({proposal.opd})"
        if proposal.cycle.year < self.cycle_year:
            carried = _("deferred in the %(year)s cycle") % {"year": proposal.cycle.year}
            label = f"{label} · {carried}"
        return label


class DecisionForm(forms.Form):
    proposal = forms.ModelChoiceField(queryset=Proposal.objects.all(), widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    rank = forms.IntegerField(label=_("Rank"), min_value=1, max_value=999, required=False)
    reasons = forms.CharField(label=_("Reasons"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AttendanceForm(forms.Form):
    members = ModelMultipleChoiceField(
        label=_("TKKSD members present"),
        queryset=TkksdMember.objects.filter(is_active=True).order_by("order", "pk"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].label_from_instance = lambda m: f"{m.name}, {m.position} ({m.get_team_role_display()})"
        self.helper = _helper()


class MinutesNumberForm(forms.Form):
    """The Berita Acara's number, typed from the Bagian Hukum's register when its series is kept there."""

    number = forms.CharField(label=_("Number of the Berita Acara from the register"), max_length=120, required=False)


class GuestForm(forms.Form):
    name = forms.CharField(label=_("Guest's name"), max_length=150)
    position = forms.CharField(label=_("Position or institution"), max_length=255)


class ProgrammeForm(forms.Form):
    proposals = ModelMultipleChoiceField(
        label=_("Prioritised proposals in the programme"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = programme.programme_candidates(cycle)
        self.fields["proposals"].queryset = candidates
        self.fields["proposals"].initial = [proposal.pk for proposal in candidates]
        self.fields["proposals"].label_from_instance = lambda p: (
            f"{p.rank}. {p.number} · {p.title} ({p.opd}; Berita Acara {p.minutes.number})"
        )
        self.helper = _helper()
