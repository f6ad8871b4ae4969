from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kerjasama.concurrency import OwnFieldsAdminMixin

from . import dprd, services
from .models import (
    OPD,
    Agreement,
    AgreementDocument,
    DayOff,
    DocumentKind,
    DprdApproval,
    DprdReviewNote,
    LegalBasis,
    NumberSeries,
    OfficialDocument,
    Partner,
    PemdaProfile,
    Province,
    Regency,
    TkksdMember,
    Transition,
    Urusan,
    User,
)
from .official import legal


@admin.register(User)
class UserAdmin(OwnFieldsAdminMixin, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "opd", "is_active"]
    list_filter = ["groups", "opd", "is_active"]
    list_select_related = ["opd"]
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Kerja Sama"), {"fields": ["opd", "nip", "position"]}))
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Kerja Sama"), {"fields": ["first_name", "last_name", "email", "opd", "nip", "position"]}),
    )

    def get_readonly_fields(self, request, obj=None):
        # Roles, activation and staff status change in the app's user management (registry/people.py),
        # which keeps an active Admin and records each change in the user's history.
        fields = super().get_readonly_fields(request, obj)
        if obj is None:
            return fields
        return (
            *fields,
            "groups",
            "user_permissions",
            "is_active",
            "is_staff",
            "is_superuser",
            "last_login",
            "date_joined",
        )


@admin.register(Province)
class ProvinceAdmin(OwnFieldsAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Regency)
class RegencyAdmin(OwnFieldsAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province"]
    list_filter = ["kind", "province"]
    list_select_related = ["province"]
    search_fields = ["code", "name"]


@admin.register(Urusan)
class UrusanAdmin(OwnFieldsAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "classification", "mostly_provincial"]
    list_filter = ["classification"]


@admin.register(OPD)
class OPDAdmin(OwnFieldsAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "abbreviation", "head_name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "abbreviation"]


@admin.register(PemdaProfile)
class PemdaProfileAdmin(OwnFieldsAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "head_name", "secretary_name"]
    autocomplete_fields = ["regency"]

    def has_add_permission(self, request):
        return not PemdaProfile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    fields = ["at", "from_stage", "to_stage", "actor", "note", "document"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Agreement)
class AgreementAdmin(OwnFieldsAdminMixin, SimpleHistoryAdmin):
    """Reading and correcting descriptive fields; the stage moves only through the lifecycle."""

    list_display = ["register_number", "title", "kind", "stage", "lead_opd", "start_date", "end_date"]
    list_filter = ["kind", "stage"]
    list_select_related = ["lead_opd"]
    search_fields = ["register_number", "title", "own_number", "partner_number"]
    # The kind is fixed once filed (its stage table follows from it); the number, stage and chain
    # are written by their services only.
    readonly_fields = ["register_number", "kind", "stage", "stage_changed_at", "parent", "relation", "created_by"]
    raw_id_fields = ["urusan", "lead_opd"]
    filter_horizontal = ["other_opds"]
    inlines = [TransitionInline]
    show_full_result_count = False

    def has_add_permission(self, request):
        # Filing goes through the registry's form, which starts the lifecycle.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.refresh_derived_text(form.instance)


@admin.register(Partner)
class PartnerAdmin(OwnFieldsAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "province", "regency"]
    list_filter = ["kind"]
    search_fields = ["name"]
    raw_id_fields = ["province", "regency"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.refresh_partner_agreements(obj)


@admin.register(AgreementDocument)
class AgreementDocumentAdmin(OwnFieldsAdminMixin, SimpleHistoryAdmin):
    list_display = ["agreement", "doc_type", "version", "is_signed", "uploaded_by", "uploaded_at"]
    list_filter = ["doc_type", "is_signed"]
    list_select_related = ["agreement", "uploaded_by"]
    raw_id_fields = ["agreement"]
    readonly_fields = ["agreement", "doc_type", "version", "file", "original_name", "size", "sha256", "uploaded_by"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Older versions are kept: nothing filed is ever deleted.
        return False


class LegalBasisForm(forms.ModelForm):
    default_for = forms.MultipleChoiceField(
        label=_("Cited by default in"),
        choices=DocumentKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = LegalBasis
        fields = [
            "kind",
            "number",
            "year",
            "title",
            "provision",
            "region",
            "gazette_year",
            "gazette_number",
            "supplement_number",
            "amended_by",
            "amended_several_times",
            "default_for",
            "order",
            "is_active",
        ]


@admin.register(LegalBasis)
class LegalBasisAdmin(OwnFieldsAdminMixin, SimpleHistoryAdmin):
    """The Mengingat catalogue (registry/official/legal.py): Admin keeps each regulation's promulgation and
    amendments as its own text gives them."""

    form = LegalBasisForm
    list_display = ["__str__", "title", "gazette_number", "supplement_number", "amended_by", "order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["title", "number"]
    readonly_fields = ["citation"]

    @admin.display(description=_("As printed"))
    def citation(self, obj):
        return legal.citation(obj) if obj and obj.pk else "-"


@admin.register(NumberSeries)
class NumberSeriesAdmin(OwnFieldsAdminMixin, SimpleHistoryAdmin):
    """Admin sets each series' pattern; the counter behind it is never edited by hand."""

    list_display = ["name", "code", "kind", "pattern"]
    list_filter = ["kind"]
    readonly_fields = ["code"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def has_delete_permission(self, request, obj=None):
        return obj is None or not OfficialDocument.objects.filter(series=obj).exists()


@admin.register(OfficialDocument)
class OfficialDocumentAdmin(OwnFieldsAdminMixin, SimpleHistoryAdmin):
    """Read-only: drafts are written, issued, voided and corrected in the app, where the rules live."""

    list_display = ["number", "title", "kind", "status", "issue_date"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["number", "title", "verification_code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TkksdMember)
class TkksdMemberAdmin(OwnFieldsAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "position", "team_role", "order", "is_active"]
    list_filter = ["team_role", "is_active"]


@admin.register(DprdApproval)
class DprdApprovalAdmin(OwnFieldsAdminMixin, SimpleHistoryAdmin):
    list_display = ["agreement", "received_on", "due_on", "decision", "decision_number"]
    list_filter = ["decision"]
    list_select_related = ["agreement"]
    raw_id_fields = ["agreement", "decision_letter"]
    readonly_fields = ["agreement", "request_letter", "due_on", "decision", "decided_by"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def fields_to_save(self, obj, form) -> list[str]:
        fields = super().fields_to_save(obj, form)
        if "received_on" in fields:
            fields = [*fields, "due_on"]
        # Every change to a request moves its `updated_at`: the dashboard and the DPRD overview
        # read their stored figures only while the latest one is what they were computed from.
        return [*fields, "updated_at"] if fields else fields

    def save_model(self, request, obj, form, change):
        # A corrected date of receipt moves the legal deadline with it.
        if obj.received_on and obj.decision == DprdApproval.Decision.PENDING:
            obj.due_on = dprd.deadline_for(obj.received_on)
        super().save_model(request, obj, form, change)


@admin.register(DayOff)
class DayOffAdmin(OwnFieldsAdminMixin, admin.ModelAdmin):
    """Regional days off: the DPRD's deadline skips them like national holidays and cuti bersama."""

    list_display = ["date", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        dprd.refresh_due_dates()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        dprd.refresh_due_dates()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        dprd.refresh_due_dates()


@admin.register(DprdReviewNote)
class DprdReviewNoteAdmin(OwnFieldsAdminMixin, admin.ModelAdmin):
    """DPRD members' notes are written on the request page and never edited."""

    list_display = ["approval", "author", "created_at"]
    list_select_related = ["approval__agreement", "author"]
    readonly_fields = ["approval", "author", "text", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
