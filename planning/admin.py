"""Planning in Django admin: for reading and correcting reference fields. Statuses, decisions and
documents are written only by planning/services.py, so they are read-only here."""

from django.contrib import admin

from kerjasama.concurrency import OwnFieldsAdminMixin

from .models import (
    AgendaItem,
    Appointment,
    Attendee,
    Cycle,
    Plenary,
    Potential,
    Proposal,
    ProposalEvent,
    ProposalStatus,
)
from .rules import EDITABLE_STATUSES


@admin.register(Cycle)
class CycleAdmin(OwnFieldsAdminMixin, admin.ModelAdmin):
    list_display = ["year", "status", "submission_deadline", "plenary_date", "decree"]
    list_filter = ["status"]
    readonly_fields = ["status", "decree", "opened_by", "opened_at", "closed_at"]


@admin.register(Appointment)
class AppointmentAdmin(OwnFieldsAdminMixin, admin.ModelAdmin):
    list_display = ["user", "opd", "letter_number", "letter_date", "ended_on"]
    list_filter = ["opd"]
    list_select_related = ["user", "opd"]
    search_fields = ["letter_number", "user__username", "user__first_name", "user__last_name"]
    readonly_fields = ["ended_on", "end_reason", "recorded_by", "recorded_at"]


@admin.register(Potential)
class PotentialAdmin(OwnFieldsAdminMixin, admin.ModelAdmin):
    list_display = ["title", "opd", "cycle", "urusan", "strategic_issue", "mandatory_basis"]
    list_filter = ["cycle", "strategic_issue"]
    list_select_related = ["opd", "cycle", "urusan"]
    search_fields = ["title", "description"]
    readonly_fields = ["created_by", "created_at", "updated_at"]


class ProposalEventInline(admin.TabularInline):
    model = ProposalEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "at", "note", "document"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(OwnFieldsAdminMixin, admin.ModelAdmin):
    list_display = ["number", "title", "opd", "cycle", "kind", "status", "rank"]
    list_filter = ["cycle", "status", "kind"]
    list_select_related = ["opd", "cycle"]
    search_fields = ["number", "title"]
    readonly_fields = [
        "number",
        "status",
        "rank",
        "revision_note",
        "submitted_at",
        "minutes",
        "decree",
        "agreement",
        "created_by",
    ]
    inlines = [ProposalEventInline]

    def get_queryset(self, request):
        # An OPD's drafts are private to it until submitted, in admin as everywhere (planning/selectors.py).
        return super().get_queryset(request).exclude(status=ProposalStatus.DRAFT)

    def get_readonly_fields(self, request, obj=None):
        # A submitted proposal is locked until the TKKSD returns it (planning/rules.py).
        if obj is not None and obj.status not in EDITABLE_STATUSES:
            return [field.name for field in obj._meta.concrete_fields if field.name != "id"]
        return super().get_readonly_fields(request, obj)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    can_delete = False
    fields = ["order", "proposal", "decision", "rank", "reasons", "is_open"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class AttendeeInline(admin.TabularInline):
    model = Attendee
    extra = 0
    fields = ["order", "member", "name", "position"]


@admin.register(Plenary)
class PlenaryAdmin(OwnFieldsAdminMixin, admin.ModelAdmin):
    list_display = ["date", "cycle", "status", "place", "minutes"]
    list_filter = ["status", "cycle"]
    readonly_fields = ["status", "minutes", "created_by", "closed_by", "closed_at"]
    inlines = [AgendaItemInline, AttendeeInline]
