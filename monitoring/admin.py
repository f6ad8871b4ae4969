from django.contrib import admin

from kerjasama.concurrency import OwnFieldsAdminMixin

from .models import Evaluation, ImplementationReport, Notification, Reminder, ReportAttachment, ScanState


@admin.register(Notification)
class NotificationAdmin(OwnFieldsAdminMixin, admin.ModelAdmin):
    list_display = ["title", "recipient", "created_at", "read_at", "email_state"]
    list_filter = ["email_state"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "reminder"]
    date_hierarchy = "created_at"


class ReportAttachmentInline(admin.TabularInline):
    model = ReportAttachment
    extra = 0
    fields = ["original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(ImplementationReport)
class ImplementationReportAdmin(OwnFieldsAdminMixin, admin.ModelAdmin):
    """Read-only: reports are filed and reviewed on their pages, where the rules are checked."""

    list_display = ["agreement", "period", "status", "progress", "submitted_by", "reviewed_by"]
    list_filter = ["status"]
    list_select_related = ["agreement", "submitted_by", "reviewed_by"]
    search_fields = ["agreement__title", "agreement__register_number"]
    date_hierarchy = "period"
    inlines = [ReportAttachmentInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(OwnFieldsAdminMixin, admin.ModelAdmin):
    list_display = ["agreement", "year", "recommendation", "status", "finalised_at"]
    list_filter = ["year", "status", "recommendation"]
    list_select_related = ["agreement"]
    search_fields = ["agreement__title", "agreement__register_number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(OwnFieldsAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "threshold", "due_date", "recipient", "created_at", "sent_at"]
    list_filter = ["kind", "threshold"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]
    date_hierarchy = "due_date"
    search_fields = ["title"]


@admin.register(ScanState)
class ScanStateAdmin(OwnFieldsAdminMixin, admin.ModelAdmin):
    list_display = ["name", "last_scanned_on", "last_run_at"]
