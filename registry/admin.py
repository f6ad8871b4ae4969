from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import OPD, PemdaProfile, Province, Regency, Urusan, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "opd", "is_active"]
    list_filter = ["groups", "opd", "is_active"]
    list_select_related = ["opd"]
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Kerja Sama"), {"fields": ["opd", "nip", "position"]}))
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Kerja Sama"), {"fields": ["first_name", "last_name", "email", "opd", "nip", "position"]}),
    )


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Regency)
class RegencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province"]
    list_filter = ["kind", "province"]
    list_select_related = ["province"]
    search_fields = ["code", "name"]


@admin.register(Urusan)
class UrusanAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "classification", "mostly_provincial"]
    list_filter = ["classification"]


@admin.register(OPD)
class OPDAdmin(SimpleHistoryAdmin):
    list_display = ["name", "abbreviation", "head_name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "abbreviation"]


@admin.register(PemdaProfile)
class PemdaProfileAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "head_name", "secretary_name"]
    autocomplete_fields = ["regency"]

    def has_add_permission(self, request):
        return not PemdaProfile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
